"""Snapshots of what a reviewer reads: one app per delivery mode, in every environment, and the Argo CD objects.

The whole committed tree is pinned by ``gitopsgen render --check`` (and the last test here); these
snapshots make a change to the shape of the output show up as a readable diff in review. Update
after an intended change with ``pytest tests/test_snapshots.py --snapshot-update`` and read the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.load import load_project
from generator.render.project import render_project

ROOT = Path(__file__).resolve().parent.parent
PROJECT = load_project(ROOT)
RENDERING = render_project(PROJECT)
# one example blueprint per delivery mode: its base and overlays (kustomize) or values files (helm)
REPRESENTATIVES = {"kustomize": "ai-engine", "helm": "user-service"}


@pytest.mark.parametrize(("delivery", "app"), REPRESENTATIVES.items())
def test_rendered_files_of_one_app_per_delivery_mode(delivery: str, app: str, snapshot) -> None:  # type: ignore[no-untyped-def]
    assert PROJECT.blueprints[app].spec.get("delivery", "kustomize") == delivery
    files = {path: text for path, text in RENDERING.files.items() if path.startswith(f"{app}/")}
    assert files == snapshot


@pytest.mark.parametrize("env", list(PROJECT.environments))
def test_argocd_objects(env: str, snapshot) -> None:  # type: ignore[no-untyped-def]
    """The root Application, the AppProjects and every app's Application of one environment."""
    files = {path: text for path, text in RENDERING.files.items() if path.startswith(f"argocd/{env}/")}
    assert files == snapshot


def test_committed_rendered_tree_is_up_to_date() -> None:
    from generator.render.writer import compare

    drift = compare(ROOT / "rendered", RENDERING.files)
    assert not drift, "rendered/ is stale; run `make render`:\n" + "\n".join(drift.lines())
