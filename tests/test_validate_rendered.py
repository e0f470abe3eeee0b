"""Everything the renderer emits validates, for every example blueprint x environment, also with --strict."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.load import load_project
from generator.render.project import render_project
from generator.validate import validate_objects

ROOT = Path(__file__).resolve().parent.parent
ENVS = [path.stem for path in sorted((ROOT / "overlays").glob("*.yaml"))]
BLUEPRINTS = [path.stem for path in sorted((ROOT / "blueprints").glob("*.yaml"))]


@pytest.fixture(scope="module")
def rendered_sets() -> list:
    return render_project(load_project(ROOT)).sets


def test_examples_cover_every_blueprint_and_env(rendered_sets: list) -> None:
    assert ENVS and BLUEPRINTS
    pairs = {(s.app, s.env) for s in rendered_sets}
    assert {("argocd", env) for env in ENVS} <= pairs
    assert {app for app, _ in pairs} - {"argocd"} == set(BLUEPRINTS)


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_every_rendered_object_is_schema_valid(rendered_sets: list, strict: bool) -> None:
    problems = []
    for rendered in rendered_sets:
        findings = validate_objects(rendered.objects, strict=strict, source=rendered.source, origin=rendered.origin)
        problems += [f"{rendered.app}/{rendered.env}: {f.resource}: {f.field}: {f.message}" for f in findings]
    assert problems == []


def test_every_rendered_kind_has_a_schema(rendered_sets: list) -> None:
    from generator.validate.registry import SchemaRegistry

    registry = SchemaRegistry.create(strict=True)
    kinds = {(obj["apiVersion"], obj["kind"]) for s in rendered_sets for obj in s.objects}
    assert {kind for _, kind in kinds} >= {"Deployment", "Service", "Application", "AppProject", "ExternalSecret"}
    assert [k for k in sorted(kinds) if registry.validator(*k) is None] == []


def test_findings_point_at_the_blueprint_line(rendered_sets: list) -> None:
    rendered = next(s for s in rendered_sets if s.app != "argocd" and any(o["kind"] == "Deployment" for o in s.objects))
    deployment = copy.deepcopy(next(o for o in rendered.objects if o["kind"] == "Deployment"))
    deployment["spec"]["replicas"] = "many"
    findings = validate_objects([deployment], source=rendered.source, origin=rendered.origin)
    assert [(f.field, f.message) for f in findings] == [("spec.replicas", 'expected integer, got string "many"')]
    expected_path, expected_line = rendered.origin(deployment, ("spec", "replicas"))
    assert (findings[0].path, findings[0].line, findings[0].column) == (expected_path, expected_line, 1)
    assert findings[0].resource == f"Deployment/{deployment['metadata']['name']}"


def test_validate_without_paths_checks_the_project(monkeypatch: pytest.MonkeyPatch, rendered_sets: list) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["validate", "--strict", "--summary"], catch_exceptions=False)
    total = sum(len(s.objects) for s in rendered_sets)
    files = len({s.source for s in rendered_sets})
    assert result.output.splitlines() == [f"Summary: {total} resources in {files} files - valid {total}, invalid 0, errors 0, skipped 0"]
    assert result.exit_code == 0


def test_validate_without_paths_outside_a_project_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 2
    assert result.output.startswith("error: ")
    assert "Traceback" not in result.output


def test_env_and_only_select_rendered_sets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rendered_sets: list) -> None:
    monkeypatch.chdir(tmp_path)
    app = BLUEPRINTS[0]
    env = ENVS[-1]
    result = CliRunner().invoke(cli, ["validate", "-C", str(ROOT), "--env", env, "--only", app, "--output", "json"], catch_exceptions=False)
    import json

    document = json.loads(result.output)
    chosen = [s for s in render_project(load_project(ROOT), [env], [app]).sets]
    assert document["summary"]["resources"] == sum(len(s.objects) for s in chosen) > 0
    assert result.exit_code == 0


def test_env_with_paths_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["validate", "--env", "prod", "rendered/"])
    assert result.exit_code == 2
    assert "--env and --only select rendered manifests; use them without PATH" in result.output
