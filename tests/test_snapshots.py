"""Snapshots of the rendered files per example blueprint and environment (reviewed when first written).

Update after an intended change with ``pytest tests/test_snapshots.py --snapshot-update`` and read the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.load import load_project
from generator.render.project import render_project

ROOT = Path(__file__).resolve().parent.parent
PROJECT = load_project(ROOT)
RENDERING = render_project(PROJECT)
CASES = [(s.app, s.env) for s in RENDERING.sets if s.app != "argocd"]


def files_for(app: str, env: str) -> dict[str, str]:
    prefixes = (f"{app}/base/", f"{app}/overlays/{env}/", f"{app}/helm/values-{env}.yaml", f"argocd/{env}/app-{app}.yaml")
    return {path: text for path, text in RENDERING.files.items() if path.startswith(prefixes)}


@pytest.mark.parametrize(("app", "env"), CASES)
def test_rendered_files(app: str, env: str, snapshot) -> None:  # type: ignore[no-untyped-def]
    assert files_for(app, env) == snapshot


@pytest.mark.parametrize("env", list(PROJECT.environments))
def test_argocd_projects_and_root(env: str, snapshot) -> None:  # type: ignore[no-untyped-def]
    files = {path: text for path, text in RENDERING.files.items()
             if path.startswith(f"argocd/{env}/") and not path.startswith(f"argocd/{env}/app-")}
    assert files == snapshot


def test_committed_rendered_tree_is_up_to_date() -> None:
    from generator.render.writer import compare

    drift = compare(ROOT / "rendered", RENDERING.files)
    assert not drift, "rendered/ is stale; run `make render`:\n" + "\n".join(drift.lines())
