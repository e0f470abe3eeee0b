"""Shared fixtures: the project root, the example project, and the real kubectl/helm binaries."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".tools" / "bin"
# Upstream JSON schemas of the CRDs gitopsgen emits, kept beside (never inside) the repository.
UPSTREAM_CRDS = ROOT.parent / "shared" / "crd-schemas"


def fail_or_skip(message: str) -> None:
    """In CI a missing prerequisite fails the run; on a laptop it skips the test."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def upstream_crd_schema(api_version: str, kind: str) -> dict:
    """The upstream JSON schema of one CRD version (``<group>/<kind>_<version>.json``)."""
    import json

    if not UPSTREAM_CRDS.is_dir():
        fail_or_skip(f"upstream CRD schemas are not at {UPSTREAM_CRDS}")
    group, version = api_version.split("/")
    path = UPSTREAM_CRDS / group / f"{kind.lower()}_{version}.json"
    assert path.is_file(), f"no upstream schema for {api_version} {kind} at {path}"
    return json.loads(path.read_text())


def find_tool(name: str) -> str:
    """A real binary from .tools/bin (make tools) or PATH; in CI a missing tool fails the run."""
    candidate = TOOLS / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    fail_or_skip(f"{name} not found: run `make tools` (installs kubectl and helm into .tools/bin)")
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def kubectl() -> str:
    return find_tool("kubectl")


@pytest.fixture(scope="session")
def helm() -> str:
    return find_tool("helm")


# Validators compiled from Istio's published CRDs (npm @kubernetes-models/istio, installed by `make tools`).
ISTIO_MODELS = ROOT / ".tools" / "npm" / "node_modules"


@pytest.fixture(scope="session")
def istio_validators() -> tuple[str, Path]:
    """(node, the node_modules folder holding @kubernetes-models/istio)."""
    node = find_tool("node")
    if not (ISTIO_MODELS / "@kubernetes-models" / "istio" / "_schemas").is_dir():
        fail_or_skip(f"@kubernetes-models/istio is not in {ISTIO_MODELS}: run `make tools`")
    return node, ISTIO_MODELS


def istio_upstream_report(validators: tuple[str, Path], cases: list[tuple[str, dict]]) -> dict[str, dict[str, list[str]]]:
    """Each Istio object through the validator compiled from Istio's CRD: {name: {errors, undeclared fields}}."""
    import json
    import subprocess

    node, modules = validators
    script = Path(__file__).resolve().parent / "support" / "istio_validate.mjs"
    payload = json.dumps([{"name": name, "object": obj} for name, obj in cases])
    result = subprocess.run([node, str(script), str(modules)], input=payload, capture_output=True, text=True, check=True, timeout=120)
    report: dict[str, dict[str, list[str]]] = json.loads(result.stdout)
    return report


@pytest.fixture
def example_project(tmp_path: Path) -> Path:
    """A writable copy of this repository's example project (blueprints, overlays, rendered output)."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("blueprints", "overlays", "namespaces", "addons", "rendered", "policies"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "gitopsgen.yaml", project / "gitopsgen.yaml")
    return project


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Compiled policies are cached in a folder of the test run's, not the user's cache (the default --cache-dir)."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
