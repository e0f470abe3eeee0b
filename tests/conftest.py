"""Shared fixtures: the project root, the example project, and the real kubectl/helm binaries."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".tools" / "bin"


def find_tool(name: str) -> str:
    """A real binary from .tools/bin (make tools) or PATH; in CI a missing tool fails the run."""
    candidate = TOOLS / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    message = f"{name} not found: run `make tools` (installs kubectl and helm into .tools/bin)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def kubectl() -> str:
    return find_tool("kubectl")


@pytest.fixture(scope="session")
def helm() -> str:
    return find_tool("helm")


@pytest.fixture
def example_project(tmp_path: Path) -> Path:
    """A writable copy of this repository's example project (blueprints, overlays, rendered output)."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("blueprints", "overlays", "rendered", "policies"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "gitopsgen.yaml", project / "gitopsgen.yaml")
    return project
