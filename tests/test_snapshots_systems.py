"""Snapshots of the richer model (tests/fixtures/systems: one blueprint per capability): the rendered
Kustomize files of every fixture app, and the Helm values of each in prod, as a reviewer reads them.

Update after an intended change with ``pytest tests/test_snapshots_systems.py --snapshot-update`` and read the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_fidelity_systems import FIXTURE, HELM_CHART

from generator.load import load_project
from generator.render.project import render_project

RENDERING = render_project(load_project(FIXTURE))
APPS = sorted({s.app for s in RENDERING.sets if s.app != "argocd"})


@pytest.mark.parametrize("app", APPS)
def test_kustomize_files(app: str, snapshot) -> None:  # type: ignore[no-untyped-def]
    assert {path: text for path, text in RENDERING.files.items() if path.startswith(f"{app}/")} == snapshot


def test_helm_values_in_prod(tmp_path: Path, snapshot) -> None:  # type: ignore[no-untyped-def]
    import shutil

    import yaml

    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    for path in sorted((project / "blueprints").glob("*.yaml")):
        blueprint = yaml.safe_load(path.read_text())
        path.write_text(yaml.safe_dump({**blueprint, "delivery": "helm", "helm": HELM_CHART}, sort_keys=False))
    files = render_project(load_project(project)).files
    assert {path: text for path, text in files.items() if path.endswith("/helm/values-prod.yaml")} == snapshot
