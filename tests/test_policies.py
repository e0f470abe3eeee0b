"""The built-in policy pack: its Rego tests, its metadata, and every rule against a passing and a failing manifest."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.lint.policy import builtin_pack, load_policies, metadata

FIXTURES = Path(__file__).parent / "fixtures" / "lint" / "rules"
CLEAN = FIXTURES / "clean-app.yaml"
BUILTIN = load_policies(None)
RULE_IDS = sorted(check.id for check in BUILTIN.checks)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project whose rendered/ holds ai-engine's prod overlay (for argocd-path-exists)."""
    (tmp_path / "gitopsgen.yaml").write_text("gitops:\n  layout: {apps: apps, argocd: argocd}\n")
    overlay = tmp_path / "rendered" / "ai-engine" / "overlays" / "prod"
    overlay.mkdir(parents=True)
    (overlay / "kustomization.yaml").write_text("resources: [../../base]\n")
    return tmp_path


def lint(*args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(cli, ["lint", "--output", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def findings(report: dict) -> list[dict]:
    return [finding for resource in report["resources"] for finding in resource["findings"]]


def test_policy_test_runs_every_rego_test_and_all_pass() -> None:
    result = CliRunner().invoke(cli, ["policy", "test", "--verbose"])
    assert result.exit_code == 0, result.output
    passed = re.search(r"^(\d+)/(\d+) tests passed$", result.output, re.MULTILINE)
    assert passed and passed.group(1) == passed.group(2)
    test_count = sum(len(module.test_rules()) for module in BUILTIN.tests)
    assert int(passed.group(2)) == test_count >= 2 * len(RULE_IDS)


def test_policy_test_fails_when_a_rego_test_fails(tmp_path: Path) -> None:
    (tmp_path / "always.rego").write_text("package always\n\nimport rego.v1\n\ndeny contains \"no\" if input.x\n")
    (tmp_path / "always_test.rego").write_text(
        "package always_test\n\nimport rego.v1\n\nimport data.always\n\n"
        "test_denies if { count(always.deny) == 1 with input as {\"x\": false} }\n"
    )
    result = CliRunner().invoke(cli, ["policy", "test", "-p", str(tmp_path)])
    assert result.exit_code == 1
    assert "FAIL" in result.output and "always_test.test_denies" in result.output


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_rule_has_metadata_and_rego_tests_that_pass_and_fail(rule_id: str) -> None:
    rego = builtin_pack() / f"{rule_id}.rego"
    tests = builtin_pack() / f"{rule_id}_test.rego"
    assert rego.is_file() and tests.is_file()
    module = next(m for m in BUILTIN.modules if Path(m.path).name == rego.name)
    meta = metadata(module)
    assert meta["title"] and meta["description"]
    custom = meta["custom"]
    assert custom["id"] == rule_id and custom["severity"] in ("error", "warning")
    assert custom["remediation"] and custom["kinds"]
    assert "import rego.v1" in module.text
    names = re.findall(r"^(test_\w+)", tests.read_text(), re.MULTILINE)
    assert any(re.search(r"pass", n) for n in names) and any(re.search(r"fail", n) for n in names)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_passes_the_hardened_app(rule_id: str, project: Path) -> None:
    code, report = lint("--env", "prod", "--rule", rule_id, "-C", str(project), str(CLEAN))
    assert findings(report) == [] and code == 0


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_fails_its_failing_manifest(rule_id: str, project: Path) -> None:
    code, report = lint("--env", "prod", "--rule", rule_id, "-C", str(project), str(FIXTURES / "fail" / f"{rule_id}.yaml"))
    found = findings(report)
    assert code == 1 and found
    assert {f["rule"] for f in found} == {rule_id}
    assert all(f["line"] > 1 and f["field"] for f in found)


def test_every_rule_has_a_failing_fixture() -> None:
    assert sorted(p.stem for p in (FIXTURES / "fail").glob("*.yaml")) == RULE_IDS


def test_plaintext_credentials_never_repeat_the_secret() -> None:
    _, report = lint("--rule", "plaintext-credentials", str(FIXTURES / "fail" / "plaintext-credentials.yaml"))
    messages = " ".join(f["message"] for f in findings(report))
    assert "AWS access key" in messages and "embedded password" in messages
    for secret in ("AKIAIOSFODNN7EXAMPLE", "EAAGm0PX4ZCpsBAKZCZA", "Sup3rS3cret"):
        assert secret not in messages


def test_policy_list_names_id_severity_and_title() -> None:
    result = CliRunner().invoke(cli, ["policy", "list", "--output", "json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert [row["id"] for row in rows] == RULE_IDS
    non_root = next(row for row in rows if row["id"] == "run-as-non-root")
    assert non_root["severity"] == "error" and non_root["title"] == "Containers run as a non-root user"
    text = CliRunner().invoke(cli, ["policy", "list"]).output
    assert re.search(r"^run-as-non-root\s+error\s+Containers run as a non-root user$", text, re.MULTILINE)


def test_the_pack_covers_the_required_rules() -> None:
    required = {
        "run-as-non-root", "resources-required", "probes-required", "probe-port-exists", "read-only-root-filesystem",
        "no-privilege-escalation", "no-privileged", "capabilities-restricted", "no-host-access", "image-tag-pinned",
        "image-digest-prod", "plaintext-credentials", "pdb-required", "pdb-allows-disruption", "hpa-replica-range",
        "hpa-min-replicas-prod", "spread-prod", "network-policy-coverage", "service-selector-dangling",
        "hpa-target-dangling", "ingress-backend-dangling", "network-policy-dangling", "argocd-path-exists",
        "argocd-pinned-revision-prod", "argocd-prune-opt-in-prod",
    }
    assert required <= set(RULE_IDS)
