"""Fidelity: the real kustomize and helm build what gitopsgen renders to exactly its effective manifests."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from generator.load import load_project
from generator.render.project import RenderedSet, render_project
from generator.render.writer import write_tree

ROOT = Path(__file__).resolve().parent.parent
CHART = ROOT / "tests" / "charts" / "service"


def _key(obj: dict) -> tuple[str, str, str]:
    return (obj["kind"], obj["metadata"].get("namespace", ""), obj["metadata"]["name"])


def _by_key(objects: list[dict]) -> dict[tuple[str, str, str], dict]:
    return {_key(obj): obj for obj in objects}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[RenderedSet]]:
    """The example project rendered into a scratch folder, with its effective manifests."""
    project = load_project(ROOT)
    rendering = render_project(project)
    scratch = tmp_path_factory.mktemp("fidelity")
    (scratch / "blueprints").mkdir()
    write_tree(scratch, rendering.files)
    return scratch / "rendered", [s for s in rendering.sets if s.app != "argocd"]


def _cases() -> list[tuple[str, str, str]]:
    project = load_project(ROOT)
    return [
        (rendered.app, rendered.env, project.blueprints[rendered.app].spec.get("delivery", "kustomize"))
        for rendered in render_project(project).sets
        if rendered.app != "argocd"
    ]


@pytest.mark.parametrize(("app", "env", "delivery"), _cases())
def test_real_tools_build_the_effective_manifests(rendered, kubectl: str, helm: str, app: str, env: str, delivery: str) -> None:
    output, sets = rendered
    expected = next(s for s in sets if s.app == app and s.env == env).objects
    if delivery == "kustomize":
        command = [kubectl, "kustomize", str(output / app / "overlays" / env)]
    else:
        namespace = expected[0]["metadata"]["namespace"]
        command = [helm, "template", app, str(CHART), "--namespace", namespace,
                   "--values", str(output / app / "helm" / f"values-{env}.yaml")]
    built = [doc for doc in yaml.safe_load_all(subprocess.run(command, check=True, capture_output=True, text=True).stdout) if doc]
    assert sorted(_by_key(built)) == sorted(_by_key(expected))
    for key, obj in _by_key(expected).items():
        assert _by_key(built)[key] == obj, f"{key} differs"
