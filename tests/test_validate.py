"""`gitopsgen validate` on files: exact diagnostics (file:line:col) and exit codes for the fixture corpus."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import cli

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = "tests/fixtures/validate"


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def validate(*args: str, stdin: str | bytes | None = None) -> Result:
    return CliRunner().invoke(cli, ["validate", *args], input=stdin, catch_exceptions=False)


def lines(result: Result) -> list[str]:
    return result.output.splitlines()


def fixture(name: str) -> str:
    return f"{FIXTURES}/{name}"


def test_valid_manifest_prints_nothing_and_exits_0() -> None:
    result = validate(fixture("valid-deployment.yaml"))
    assert (result.exit_code, result.output) == (0, "")


def test_summary_line_counts_resources_and_files() -> None:
    result = validate("--summary", fixture("valid-deployment.yaml"), fixture("int-or-string.yaml"), fixture("blank.yaml"))
    assert lines(result)[-1] == "Summary: 5 resources in 3 files - valid 4, invalid 1, errors 0, skipped 0"
    assert result.exit_code == 1


def test_invalid_type_points_at_each_field() -> None:
    result = validate(fixture("invalid-type.yaml"))
    assert lines(result) == [
        f'{FIXTURES}/invalid-type.yaml:5:3: Deployment/market-data: spec.replicas: expected integer, got string "3"',
        f"{FIXTURES}/invalid-type.yaml:14:15: Deployment/market-data: spec.template.spec.containers[0].ports[0].containerPort: "
        'expected integer, got string "http"',
    ]
    assert result.exit_code == 1


def test_extra_property_is_accepted_unless_strict() -> None:
    assert (validate(fixture("extra-property.yaml")).exit_code, validate(fixture("extra-property.yaml")).output) == (0, "")
    result = validate("--strict", fixture("extra-property.yaml"))
    assert lines(result) == [
        f'{FIXTURES}/extra-property.yaml:5:3: Service/user-service: metadata.lables: unknown field "lables"',
        f'{FIXTURES}/extra-property.yaml:9:36: Service/user-service: spec.ports[0].protcol: unknown field "protcol"',
    ]
    assert result.exit_code == 1


def test_duplicate_key_warns_and_is_an_error_when_strict() -> None:
    message = 'ConfigMap/agent-mitra: data.REDIS_HOST: {}duplicate key "REDIS_HOST"; the last value wins'
    result = validate(fixture("duplicate-key.yaml"))
    assert lines(result) == [f"{FIXTURES}/duplicate-key.yaml:8:3: " + message.format("warning: ")]
    assert result.exit_code == 0
    result = validate("--strict", fixture("duplicate-key.yaml"))
    assert lines(result) == [f"{FIXTURES}/duplicate-key.yaml:8:3: " + message.format("")]
    assert result.exit_code == 1


def test_int_or_string_accepts_both_and_nothing_else() -> None:
    result = validate(fixture("int-or-string.yaml"))
    assert lines(result) == [
        f"{FIXTURES}/int-or-string.yaml:29:18: Service/bad-target: spec.ports[0].targetPort: "
        "expected string or integer, got number 80.5"
    ]


def test_quantities_as_strings_and_numbers() -> None:
    result = validate(fixture("quantities.yaml"))
    assert lines(result) == [
        f"{FIXTURES}/quantities.yaml:20:18: Pod/bad-size: spec.containers[0].resources.limits.memory: "
        '"2 GB" is not a Kubernetes quantity (like 500m, 1.5, 256Mi, 2Gi)'
    ]


def test_null_for_optional_arrays_and_strings_is_accepted() -> None:
    result = validate("--strict", fixture("nulls.yaml"))
    assert (result.exit_code, result.output) == (0, "")


def test_generate_name_stands_in_for_name() -> None:
    result = validate(fixture("generate-name.yaml"))
    assert lines(result) == [
        f"{FIXTURES}/generate-name.yaml:14:1: ConfigMap: metadata: metadata.name or metadata.generateName is required"
    ]
    assert result.exit_code == 1


def test_list_items_are_validated_one_by_one() -> None:
    result = validate("--summary", fixture("list.yaml"))
    assert lines(result) == [
        f"{FIXTURES}/list.yaml:12:7: ConfigMap/ai-prism-config: data.WORKERS: expected string, got integer 4",
        "Summary: 2 resources in 1 file - valid 1, invalid 1, errors 0, skipped 0",
    ]


def test_multi_document_stream_with_one_bad_document() -> None:
    result = validate("--summary", fixture("multi-doc.yaml"))
    assert lines(result) == [
        f'{FIXTURES}/multi-doc.yaml:11:3: HorizontalPodAutoscaler/ai-engine: spec.maxReplicas: expected integer, got string "twenty"',
        "Summary: 3 resources in 1 file - valid 2, invalid 1, errors 0, skipped 0",
    ]
    assert result.exit_code == 1


@pytest.mark.parametrize("name", ["blank.yaml", "comment-only.yaml"])
def test_blank_and_comment_only_documents_are_skipped(name: str) -> None:
    result = validate("--summary", fixture(name))
    assert lines(result) == ["Summary: 0 resources in 1 file - valid 0, invalid 0, errors 0, skipped 0"]
    assert result.exit_code == 0


def test_missing_kind() -> None:
    result = validate(fixture("missing-kind.yaml"))
    assert lines(result) == [f"{FIXTURES}/missing-kind.yaml:1:1: kind is missing; every Kubernetes object needs apiVersion and kind"]
    assert result.exit_code == 2


def test_missing_api_version() -> None:
    result = validate(fixture("missing-apiversion.yaml"))
    assert lines(result) == [
        f"{FIXTURES}/missing-apiversion.yaml:1:1: ConfigMap/orphan: apiVersion is missing; every Kubernetes object needs apiVersion and kind"
    ]
    assert result.exit_code == 2


def test_document_that_is_not_a_mapping() -> None:
    result = validate(fixture("not-a-mapping.yaml"))
    assert lines(result) == [f"{FIXTURES}/not-a-mapping.yaml:1:1: document is a list, not a Kubernetes object (a mapping)"]
    assert result.exit_code == 2


def test_unparsable_yaml_names_the_line() -> None:
    result = validate(fixture("bad-yaml.yaml"))
    assert lines(result) == [f"{FIXTURES}/bad-yaml.yaml:5:14: invalid YAML: mapping values are not allowed in this context"]
    assert result.exit_code == 2


def test_unknown_crd_is_an_error_unless_ignored() -> None:
    result = validate(fixture("unknown-crd.yaml"))
    assert lines(result) == [
        f"{FIXTURES}/unknown-crd.yaml:2:1: Schedule/ai-engine: kind: no schema for velero.io/v1 Schedule in Kubernetes "
        "1.37.0 or the known CRDs; pass its CRD with --crd, or --ignore-missing-schemas"
    ]
    assert result.exit_code == 2
    result = validate("--ignore-missing-schemas", "--summary", fixture("unknown-crd.yaml"))
    assert lines(result) == ["Summary: 1 resource in 1 file - valid 0, invalid 0, errors 0, skipped 1"]
    assert result.exit_code == 0


def test_user_crd_loaded_with_crd_option() -> None:
    result = validate("--strict", "--crd", f"{FIXTURES}/crds", "--summary", fixture("widget.yaml"))
    assert lines(result) == [
        f'{FIXTURES}/widget.yaml:19:3: Widget/bad: spec.size: must be one of "small", "large"; got "medium"',
        f"{FIXTURES}/widget.yaml:20:3: Widget/bad: spec.replicas: 0 is less than the minimum of 1",
        f'{FIXTURES}/widget.yaml:21:3: Widget/bad: spec.colour: unknown field "colour"',
        "Summary: 3 resources in 1 file - valid 2, invalid 1, errors 0, skipped 0",
    ]
    assert result.exit_code == 1


def test_crd_path_that_holds_no_crd_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["validate", "--crd", fixture("widget.yaml"), fixture("widget.yaml")])
    assert result.exit_code == 2
    assert f"{FIXTURES}/widget.yaml: no CustomResourceDefinition found" in result.output


def test_json_input() -> None:
    result = validate(fixture("deployment.json"))
    assert lines(result) == [
        f"{FIXTURES}/deployment.json:12:69: Deployment/python-backend: spec.template.spec.containers[0].ports[0].containerPort: "
        'expected integer, got string "8000"'
    ]


def test_stdin() -> None:
    text = (ROOT / FIXTURES / "multi-doc.yaml").read_text()
    result = validate("-", stdin=text)
    assert lines(result) == [
        '<stdin>:11:3: HorizontalPodAutoscaler/ai-engine: spec.maxReplicas: expected integer, got string "twenty"'
    ]
    assert result.exit_code == 1


def test_non_utf8_file_is_reported_and_others_still_validated(tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes(b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf\xe9}\n")
    result = validate("--summary", str(latin1), fixture("multi-doc.yaml"))
    assert lines(result)[0] == f"{latin1}:3:1: file is not valid UTF-8; re-save it as UTF-8"
    assert "spec.maxReplicas" in lines(result)[1]
    assert lines(result)[-1] == "Summary: 4 resources in 2 files - valid 2, invalid 1, errors 1, skipped 0"
    assert result.exit_code == 2


def test_missing_file_is_reported_and_others_still_validated() -> None:
    result = validate("--summary", "no/such/file.yaml", fixture("valid-deployment.yaml"))
    assert lines(result) == [
        "no/such/file.yaml:1:1: no such file; check the path",
        "Summary: 2 resources in 2 files - valid 1, invalid 0, errors 1, skipped 0",
    ]
    assert result.exit_code == 2


def test_folder_is_walked_for_yaml_and_json_only() -> None:
    result = validate("--summary", f"{FIXTURES}/mixed")
    assert lines(result) == [
        f'{FIXTURES}/mixed/b.yml:5:3: Deployment/market-data: spec.replicas: expected integer, got string "3"',
        f"{FIXTURES}/mixed/b.yml:14:15: Deployment/market-data: spec.template.spec.containers[0].ports[0].containerPort: "
        'expected integer, got string "http"',
        f"{FIXTURES}/mixed/c.json:12:69: Deployment/python-backend: spec.template.spec.containers[0].ports[0].containerPort: "
        'expected integer, got string "8000"',
        "Summary: 3 resources in 3 files - valid 1, invalid 2, errors 0, skipped 0",
    ]


def test_skip_kind_by_kind_or_api_version() -> None:
    result = validate("--summary", "--skip-kind", "Pod", fixture("quantities.yaml"))
    assert lines(result) == ["Summary: 2 resources in 1 file - valid 0, invalid 0, errors 0, skipped 2"]
    result = validate("--summary", "--skip-kind", "v1/ConfigMap,v1/Secret", fixture("list.yaml"))
    assert lines(result) == ["Summary: 2 resources in 1 file - valid 1, invalid 0, errors 0, skipped 1"]


def test_kubernetes_version_is_chosen_and_checked() -> None:
    from generator.validate.registry import kubernetes_versions

    oldest = kubernetes_versions()[0].rsplit(".", 1)[0]
    assert validate("--kubernetes-version", oldest, fixture("valid-deployment.yaml")).exit_code == 0
    result = CliRunner().invoke(cli, ["validate", "--kubernetes-version", "1.2", fixture("valid-deployment.yaml")])
    assert result.exit_code == 2
    assert "--kubernetes-version 1.2: no schemas for it; choose one from" in result.output


def test_help_names_the_default_kubernetes_version() -> None:
    from generator.validate.registry import latest_version

    result = validate("--help")
    assert f"[default: {latest_version()}]" in " ".join(result.output.split())


def test_real_subprocess_exit_code_and_output() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", "from generator.cli import main; main()", "validate", "--summary",
         fixture("multi-doc.yaml"), fixture("valid-deployment.yaml")],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert completed.returncode == 1
    assert completed.stdout.splitlines() == [
        f'{FIXTURES}/multi-doc.yaml:11:3: HorizontalPodAutoscaler/ai-engine: spec.maxReplicas: expected integer, got string "twenty"',
        "Summary: 4 resources in 2 files - valid 3, invalid 1, errors 0, skipped 0",
    ]
    assert completed.stderr == ""


def test_real_subprocess_reads_stdin() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", "from generator.cli import main; main()", "validate", "-"],
        cwd=ROOT, input=(ROOT / FIXTURES / "invalid-type.yaml").read_bytes(), capture_output=True, check=False,
    )
    assert completed.returncode == 1
    assert completed.stdout.decode().startswith('<stdin>:5:3: Deployment/market-data: spec.replicas: expected integer')


def test_odd_yaml_never_raises(tmp_path: Path) -> None:
    odd = tmp_path / "odd.yaml"
    odd.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: odd}\n"
        "data: {1: one, \"8080\": 8080}\nbinaryData: {blob: !!binary aGVsbG8=}\n"
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: loop}\ndata: &loop {a: *loop}\n"
    )
    result = validate("--summary", str(odd))
    # recursive data is refused where it is read (it would otherwise expand without end downstream)
    assert lines(result) == [
        f"{odd}:10:7: an alias refers to a node that contains it (recursive data); remove the alias",
        "Summary: 1 resource in 1 file - valid 0, invalid 0, errors 1, skipped 0",
    ]


def test_crd_file_with_bad_yaml_or_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    broken = tmp_path / "crd.yaml"
    broken.write_text("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec: [\n")
    result = CliRunner().invoke(cli, ["validate", "--crd", str(broken), fixture("widget.yaml")])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {broken}:4: invalid YAML")
    result = CliRunner().invoke(cli, ["validate", "--crd", str(tmp_path / "nope"), fixture("widget.yaml")])
    assert result.exit_code == 2
    assert result.output == f"error: {tmp_path / 'nope'}: no such file or folder; check the --crd path\n"


def test_crd_without_kind_names_its_line(tmp_path: Path) -> None:
    crd = tmp_path / "crd.yaml"
    crd.write_text("# header\n---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec: {group: example.com}\n")
    result = CliRunner().invoke(cli, ["validate", "--crd", str(crd), fixture("widget.yaml")])
    assert result.exit_code == 2
    assert result.output == (
        f"error: {crd}:3: a CustomResourceDefinition needs spec.group and spec.names.kind; fix the CRD or drop it from --crd\n"
    )


def test_unknown_output_format_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["validate", "--output", "tap", fixture("valid-deployment.yaml")])
    assert result.exit_code == 2
    assert "Invalid value for '--output'" in result.output
