"""Every delivery mode's Argo CD objects validate strictly against the upstream Application/ApplicationSet CRDs,
and Source Hydrator Applications pass the argocd-source-hydrator-consistent rule."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from hydrate_support import set_gitops
from test_crd_upstream import upstream_schema

from generator.cli import cli
from generator.load import load_project
from generator.render.project import render_project

ROOT = Path(__file__).resolve().parent.parent
MODES = {
    "hydrated-folder": {"delivery": "hydrated"},
    "hydrated-branch": {"delivery": "hydrated", "hydrated": {"to": "branch"}},
    "source-hydrator": {"delivery": "source-hydrator"},
    "appsets-per-environment": {"delivery": "hydrated", "applications": "per-environment"},
    "appsets-per-team": {"applications": "per-team"},
}


def project_in(tmp_path: Path, settings: dict[str, Any]) -> Path:
    for folder in ("blueprints", "overlays", "namespaces", "addons", "policies"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "gitopsgen.yaml", tmp_path / "gitopsgen.yaml")
    set_gitops(tmp_path, **settings)
    return tmp_path


def argo_objects(project: Path) -> list[dict[str, Any]]:
    rendering = render_project(load_project(project))
    return [
        obj for rendered in rendering.sets if rendered.app == "argocd" for obj in rendered.objects
        if str(obj.get("apiVersion", "")).startswith("argoproj.io/")  # not the namespaces' own objects rendered beside them
    ]


@pytest.mark.parametrize("mode", sorted(MODES))
def test_argo_cd_objects_match_the_upstream_crds_strictly(tmp_path: Path, mode: str) -> None:
    objects = argo_objects(project_in(tmp_path, MODES[mode]))
    kinds = {obj["kind"] for obj in objects}
    assert ("ApplicationSet" in kinds) == mode.startswith("appsets")
    for obj in objects:
        schema = upstream_schema(obj["apiVersion"], obj["kind"])
        errors = list(jsonschema.Draft7Validator(schema).iter_errors(obj))
        assert not errors, f"{obj['kind']}/{obj['metadata']['name']}: " + "; ".join(
            f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)


def test_source_hydrator_applications_hydrate_the_overlay_into_the_environment_branch(tmp_path: Path) -> None:
    objects = argo_objects(project_in(tmp_path, MODES["source-hydrator"]))
    prod = next(o for o in objects if o["metadata"]["name"] == "ai-engine-prod")
    dev = next(o for o in objects if o["metadata"]["name"] == "ai-engine-dev")
    assert "source" not in prod["spec"] and "sources" not in prod["spec"]
    assert prod["spec"]["sourceHydrator"]["drySource"]["path"] == "apps/ai-engine/overlays/prod"
    assert prod["spec"]["sourceHydrator"]["syncSource"] == {"targetBranch": "environments/prod", "path": "apps/ai-engine/hydrated/prod"}
    assert prod["spec"]["sourceHydrator"]["hydrateTo"] == {"targetBranch": "environments/prod-next"}  # pull-request env
    assert "hydrateTo" not in dev["spec"]["sourceHydrator"]  # publish: direct
    remote_chart = next(o for o in objects if o["metadata"]["name"] == "user-service-prod")
    assert "sources" in remote_chart["spec"]


def test_check_passes_in_source_hydrator_mode_and_the_rule_catches_a_broken_application(tmp_path: Path) -> None:
    project = project_in(tmp_path, MODES["source-hydrator"])
    assert CliRunner().invoke(cli, ["render", "-C", str(project)]).exit_code == 0
    clean = CliRunner().invoke(cli, ["lint", "-C", str(project), "--rule", "argocd-source-hydrator-consistent"])
    assert clean.exit_code == 0, clean.output
    broken = project / "broken.yaml"
    text = (project / "rendered/argocd/prod/app-ai-engine.yaml").read_text()
    broken.write_text(text.replace("targetBranch: environments/prod-next", "targetBranch: environments/prod"))
    result = CliRunner().invoke(cli, ["lint", "--env", "prod", "--rule", "argocd-source-hydrator-consistent", str(broken)])
    assert result.exit_code == 1, result.output
    assert "hydrateTo.targetBranch \"environments/prod\" is the branch it syncs" in result.output
    good = CliRunner().invoke(cli, ["lint", "--env", "prod", "--rule", "argocd-source-hydrator-consistent",
                                    str(project / "rendered/argocd/prod")])
    assert good.exit_code == 0, good.output
