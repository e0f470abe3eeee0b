"""Policies written for other tools: conftest-style Rego and Gatekeeper ConstraintTemplates + Constraints."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from generator.cli import cli

LINT = Path(__file__).parent / "fixtures" / "lint"
WORKLOADS = str(LINT / "workloads.yaml")
CONFTEST_V0 = str(LINT / "conftest" / "v0")
CONFTEST_V1 = str(LINT / "conftest" / "v1")
GATEKEEPER = LINT / "gatekeeper"


def lint(*args: str) -> tuple[int, list[dict], str]:
    result = CliRunner().invoke(cli, ["lint", "--output", "json", *args])
    if result.exit_code == 2:
        return 2, [], result.stderr
    findings = [f for r in json.loads(result.stdout)["resources"] for f in r["findings"]]
    return result.exit_code, sorted(findings, key=lambda f: (f["rule"], f["name"])), result.stderr


def summary(findings: list[dict]) -> list[tuple[str, str, str, str]]:
    return [(f["rule"], f["level"], f["name"], f["message"]) for f in findings]


def test_conftest_policies_in_rego_v0_and_v1_replace_the_builtin_pack() -> None:
    code, findings, _ = lint("-p", CONFTEST_V0, "-p", CONFTEST_V1, WORKLOADS)
    assert code == 1
    assert summary(findings) == [
        ("deny_latest.deny", "error", "web", "web: container app uses a latest image"),
        ("deny_latest.warn", "warning", "web", "web: no nodeSelector"),
        ("owner-label", "error", "worker", "Deployment worker has no team label"),
    ]
    owner = findings[2]
    assert owner["field"] == "metadata.labels" and owner["remediation"] == "Add the label team to metadata.labels."


def test_policy_builtin_adds_the_pack_back() -> None:
    _, only_conftest, _ = lint("-p", CONFTEST_V0, WORKLOADS)
    _, with_builtin, _ = lint("-p", CONFTEST_V0, "-p", "builtin", WORKLOADS)
    rules = {f["rule"] for f in with_builtin}
    assert {"deny_latest.deny", "run-as-non-root", "image-tag-pinned"} <= rules
    assert {f["rule"] for f in only_conftest} == {"deny_latest.deny", "deny_latest.warn"}


def test_warnings_alone_pass_unless_fail_on_warning(tmp_path: Path) -> None:
    manifest = tmp_path / "pinned.yaml"
    manifest.write_text(Path(WORKLOADS).read_text().replace("nginx:latest", "nginx:1.27"))
    code, findings, _ = lint("-p", CONFTEST_V0, str(manifest))
    assert code == 0 and [f["level"] for f in findings] == ["warning"]
    assert lint("-p", CONFTEST_V0, "--fail-on", "warning", str(manifest))[0] == 1


def test_conftest_policies_in_one_package_across_files_are_evaluated_once(tmp_path: Path) -> None:
    (tmp_path / "a.rego").write_text('package main\n\nimport rego.v1\n\ndeny contains "a" if input.kind == "Ingress"\n')
    (tmp_path / "b.rego").write_text('package main\n\nimport rego.v1\n\ndeny contains "b" if input.kind == "Ingress"\n')
    _, findings, _ = lint("-p", str(tmp_path), WORKLOADS)
    assert sorted((f["rule"], f["name"], f["message"]) for f in findings) == [
        ("main.deny", "shop", "a"), ("main.deny", "shop", "b"), ("main.deny", "shop-copy", "a"), ("main.deny", "shop-copy", "b"),
    ]


def test_conftest_policy_tests_run_with_policy_test() -> None:
    result = CliRunner().invoke(cli, ["policy", "test", "-p", CONFTEST_V0, "-v"])
    assert result.exit_code == 0
    assert "PASS" in result.output and "main.test_latest_is_denied" in result.output and "2/2 tests passed" in result.output


def test_gatekeeper_constraints_with_parameters_match_libs_and_enforcement_actions() -> None:
    code, findings, _ = lint("-p", str(GATEKEEPER / "required-labels.yaml"), WORKLOADS)
    assert code == 1
    assert summary(findings) == [
        # apps/Deployment outside kube-system only; the set of missing labels as Gatekeeper prints it
        ("deployments-need-team", "error", "web", 'you must provide labels: {"cost-center"}'),
        # enforcementAction warn, only in namespace shop; dryrun constraints are not evaluated
        ("ingresses-need-owner", "warning", "shop", 'you must provide labels: {"owner"}'),
    ]


def test_gatekeeper_referential_template_in_rego_v1_reads_data_inventory() -> None:
    code, findings, _ = lint("-p", str(GATEKEEPER / "unique-ingress-host.yaml"), WORKLOADS)
    assert code == 1
    assert summary(findings) == [
        ("unique-ingress-host", "error", "shop", "ingress host shop.example.com conflicts with ingress staging/shop-copy"),
        ("unique-ingress-host", "error", "shop-copy", "ingress host shop.example.com conflicts with ingress shop/shop"),
    ]


def test_gatekeeper_constraints_are_listed_with_their_templates() -> None:
    result = CliRunner().invoke(cli, ["policy", "list", "-p", str(GATEKEEPER / "required-labels.yaml"), "-o", "json"])
    rows = {row["id"]: row for row in json.loads(result.output)}
    assert set(rows) == {"deployments-need-team", "ingresses-need-owner"}
    assert rows["ingresses-need-owner"]["severity"] == "warning"
    assert rows["deployments-need-team"]["title"] == "K8sRequiredLabels deployments-need-team"


def test_constraint_without_its_template_is_an_input_error() -> None:
    code, _, err = lint("-p", str(GATEKEEPER / "orphan-constraint.yaml"), WORKLOADS)
    assert code == 2
    assert err.strip() == (
        f"error: {GATEKEEPER / 'orphan-constraint.yaml'}:1: constraint K8sAllowedRepos/repos: "
        "no ConstraintTemplate defines kind K8sAllowedRepos; pass its template with --policy"
    )


def test_exemptions_apply_to_gatekeeper_constraints_too(tmp_path: Path) -> None:
    manifest = tmp_path / "web.yaml"
    text = Path(WORKLOADS).read_text().replace(
        "  labels: {team: storefront}",
        '  labels: {team: storefront}\n  annotations:\n    gitopsgen.io/exempt: "deployments-need-team: cost centre assigned in Q3, until 2999-01-01"',
    )
    manifest.write_text(text)
    _, findings, _ = lint("-p", str(GATEKEEPER / "required-labels.yaml"), str(manifest))
    assert [f["rule"] for f in findings] == ["ingresses-need-owner"]


def test_syntax_error_in_template_rego_is_reported_at_its_yaml_line(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    text = (GATEKEEPER / "required-labels.yaml").read_text()
    broken = text.replace("          count(missing) > 0\n", "          count(missing) > 0)\n")
    template.write_text(broken)
    line = broken.splitlines().index("          count(missing) > 0)") + 1
    code, _, err = lint("-p", str(template), WORKLOADS)
    assert code == 2
    assert err.startswith(f"error: {template}:{line}: Rego syntax error")
