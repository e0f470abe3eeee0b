"""The built-in policy pack: its Rego tests, its metadata, and every rule against a passing and a failing manifest."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.lint.policy import builtin_pack, load_policies, metadata
from generator.lint.ruledocs import CATEGORIES

FIXTURES = Path(__file__).parent / "fixtures" / "lint" / "rules"
CLEAN = FIXTURES / "clean-app.yaml"
BUILTIN = load_policies(None, tests=True)
RULE_IDS = sorted(check.id for check in BUILTIN.checks)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project whose rendered/ holds ai-engine's prod overlay (for argocd-path-exists)."""
    (tmp_path / "gitopsgen.yaml").write_text("gitops:\n  layout: {apps: apps, argocd: argocd}\n")
    overlay = tmp_path / "rendered" / "ai-engine" / "overlays" / "prod"
    overlay.mkdir(parents=True)
    (overlay / "kustomization.yaml").write_text("resources: [../../base]\n")
    return tmp_path


@pytest.fixture(scope="module")
def every_rule_on(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The built-in configuration without its per-environment severities: every rule at its own (a project may turn some off)."""
    import yaml

    config = yaml.safe_load((builtin_pack() / "config.yaml").read_text())
    for settings in config["environments"].values():
        (settings or {}).pop("severity", None)
    path = tmp_path_factory.mktemp("config") / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    return str(path)


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


def test_lint_reads_no_rego_tests() -> None:
    """Only ``policy test`` runs the ``*_test.rego`` modules: lint does not read them."""
    assert load_policies(None).tests == [] and len(BUILTIN.tests) >= len(RULE_IDS)
    assert [module.path for module in load_policies(None).modules] == [module.path for module in BUILTIN.modules]


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
    assert custom["remediation"] and custom["remediation_blueprint"] and "kinds" in custom
    assert custom["category"] in CATEGORIES
    assert "import rego.v1" in module.text
    names = re.findall(r"^(test_\w+)", tests.read_text(), re.MULTILINE)
    assert any(re.search(r"pass", n) for n in names) and any(re.search(r"fail", n) for n in names)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_passes_the_hardened_app(rule_id: str, project: Path, every_rule_on: str) -> None:
    code, report = lint("--env", "prod", "--config", every_rule_on, "--rule", rule_id, "-C", str(project), str(CLEAN))
    assert findings(report) == [] and code == 0


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_fails_its_failing_manifest(rule_id: str, project: Path, every_rule_on: str) -> None:
    code, report = lint("--env", "prod", "--config", every_rule_on, "--fail-on", "warning", "--rule", rule_id, "-C", str(project), str(FIXTURES / "fail" / f"{rule_id}.yaml"))
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


# Rules whose failing case is a relation between two objects by name or by labels: with the names
# and labels gone the objects are no longer related, so these rules are checked with container
# names and namespaces removed only.
RELATED_BY_IDENTITY = {
    "pdb-allows-disruption": "the PDB selects the workload by its pod labels",
    "replicas-with-hpa": "the HPA names the workload it scales",
    "service-target-port-missing": "the Service selects the pods by their labels",
    "servicemonitor-target-missing": "the ServiceMonitor selects the Service by its labels",
    "duplicate-object": "two objects are the same object by kind, namespace and name",
    "ingress-duplicate-path": "the other Ingress is told apart by its name",
    "cloud-static-credentials": "the pod names the ServiceAccount that has the workload identity",
    "network-policy-blocks-dns": "the NetworkPolicies select the pods by their labels",
    "network-policy-egress-restricted": "the NetworkPolicy selects the pods by their labels",
    "flagger-primary-selector": "the Canary names its target, whose pods the PDB and NetworkPolicy select by their labels",
    "istio-gateway-missing": "the Canary names the Gateway it routes through",
}
CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")


def stripped(value: object, identity: bool) -> object:
    """``value`` without container names and metadata.namespace (and, with ``identity``, metadata.name and labels), at every depth."""
    if isinstance(value, list):
        return [stripped(item, identity) for item in value]
    if not isinstance(value, dict):
        return value
    result = {}
    for key, item in value.items():
        if key == "metadata" and isinstance(item, dict):
            gone = {"namespace", "name", "labels"} if identity else {"namespace"}
            item = {k: v for k, v in item.items() if k not in gone}
        if key in CONTAINER_LISTS and isinstance(item, list):
            item = [{k: v for k, v in c.items() if k != "name"} if isinstance(c, dict) else c for c in item]
        result[key] = stripped(item, identity)
    return result


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_failing_cases_still_fail_without_names_namespaces_and_labels(rule_id: str, project: Path, tmp_path: Path, every_rule_on: str) -> None:
    """A missing display field (a container without a name...) must never make a rule pass silently."""
    import yaml

    documents = [d for d in yaml.safe_load_all((FIXTURES / "fail" / f"{rule_id}.yaml").read_text()) if d]
    target = tmp_path / f"{rule_id}.yaml"
    target.write_text("# stripped\n" + yaml.safe_dump_all([stripped(d, rule_id not in RELATED_BY_IDENTITY) for d in documents]))
    code, report = lint("--env", "prod", "--config", every_rule_on, "--fail-on", "warning", "--rule", rule_id, "-C", str(project), str(target))
    found = findings(report)
    assert code == 1 and {f["rule"] for f in found} == {rule_id}, found
    assert all(f["message"] and "undefined" not in f["message"] for f in found)


def test_related_rules_need_their_identity_fields() -> None:
    """The exceptions above are rules of the pack, and each still fails once only container names and namespaces go."""
    assert set(RELATED_BY_IDENTITY) <= set(RULE_IDS)


def test_rule_reference_in_docs_is_generated_from_the_metadata_and_up_to_date() -> None:
    result = CliRunner().invoke(cli, ["policy", "docs"])
    assert result.exit_code == 0
    checked_in = (Path(__file__).parent.parent / "docs" / "rules.md").read_text()
    assert result.output == checked_in, "docs/rules.md is stale: run `gitopsgen policy docs > docs/rules.md`"
    for rule_id in RULE_IDS:
        assert f"\n### {rule_id}\n" in checked_in


def test_policy_explain_gives_what_why_both_fixes_severities_and_an_example() -> None:
    result = CliRunner().invoke(cli, ["policy", "explain", "run-as-non-root"])
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("run-as-non-root: Containers run as a non-root user\n")
    assert "Fix in plain manifests:\n  Set securityContext.runAsNonRoot: true" in text
    assert "Fix in a gitopsgen blueprint:\n  gitopsgen runs as non-root by default" in text
    assert "severity: files: error, prod: error, staging: error, dev: error" in text
    assert "Pod Security Standards: restricted profile" in text
    assert "Example that fails this rule:" in text and "kind: " in text


def test_policy_explain_of_an_unknown_rule_is_bad_input() -> None:
    result = CliRunner().invoke(cli, ["policy", "explain", "no-such-rule"])
    assert result.exit_code == 2 and "unknown rule id no-such-rule" in result.output


def test_policy_list_verbose_shows_category_pss_control_and_severity_per_environment() -> None:
    rows = json.loads(CliRunner().invoke(cli, ["policy", "list", "-v", "--output", "json"]).output)
    row = next(r for r in rows if r["id"] == "pss-seccomp-required")
    assert row["category"] == "pod-security" and row["pss"] == "restricted: Seccomp"
    assert row["environments"] == {"files": "error", "prod": "error", "staging": "error", "dev": "error"}
    text = CliRunner().invoke(cli, ["policy", "list", "-v"]).output
    assert re.search(r"^\s+pod-security\s+files error, prod error, staging error, dev error\s+PSS restricted: Seccomp$", text, re.MULTILINE)


def test_sarif_rules_carry_help_uri_and_security_severity() -> None:
    result = CliRunner().invoke(cli, ["lint", "--output", "sarif", "--rule", "no-privileged", str(FIXTURES / "fail" / "no-privileged.yaml")])
    run = json.loads(result.stdout)["runs"][0]
    rule = run["tool"]["driver"]["rules"][0]
    assert rule["helpUri"].endswith("docs/rules.md#no-privileged")
    assert float(rule["properties"]["security-severity"]) >= 7.0
    assert run["results"][0]["ruleId"] == "no-privileged"


def _config(tmp_path: Path, text: str) -> Path:
    config = tmp_path / "config.yaml"
    config.write_text(text)
    return config


def test_a_baseline_environment_turns_the_restricted_rules_off(tmp_path: Path) -> None:
    config = _config(tmp_path, "environments:\n  dev: {pss_profile: baseline}\n  prod: {}\n")
    manifest = str(FIXTURES / "fail" / "pss-seccomp-required.yaml")
    code, report = lint("--env", "dev", "--config", str(config), "--rule", "pss-seccomp-required", manifest)
    assert code == 0 and findings(report) == []
    code, report = lint("--env", "prod", "--config", str(config), "--rule", "pss-seccomp-required", manifest)
    assert code == 1 and "PSS restricted: Seccomp" in findings(report)[0]["message"]
    code, report = lint("--env", "dev", "--config", str(config), "--rule", "no-privileged", str(FIXTURES / "fail" / "no-privileged.yaml"))
    assert code == 1, "baseline rules stay on in a baseline environment"


def test_an_unknown_pss_profile_is_bad_input(tmp_path: Path) -> None:
    config = _config(tmp_path, "environments:\n  dev:\n    pss_profile: strict\n")
    result = CliRunner().invoke(cli, ["lint", "--env", "dev", "--config", str(config), str(CLEAN)])
    assert result.exit_code == 2 and "config.yaml:3" in result.output and "pss_profile of dev" in result.output


def test_kubernetes_version_decides_what_is_removed(tmp_path: Path) -> None:
    manifest = tmp_path / "hpa.yaml"
    manifest.write_text(
        "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata: {name: api}\n"
        "spec: {scaleTargetRef: {kind: Deployment, name: api}, maxReplicas: 3}\n"
    )
    rules = ("--rule", "api-removed", "--rule", "api-deprecated", "--fail-on", "warning")
    _, old = lint("--kubernetes-version", "1.24", *rules, str(manifest))
    assert [f["rule"] for f in findings(old)] == ["api-deprecated"]
    _, new = lint("--kubernetes-version", "1.26", *rules, str(manifest))
    assert [(f["rule"], f["line"]) for f in findings(new)] == [("api-removed", 1)]
    result = CliRunner().invoke(cli, ["lint", "--kubernetes-version", "one", str(manifest)])
    assert result.exit_code == 2 and "--kubernetes-version must be a quoted release" in result.output


def test_an_unquoted_kubernetes_version_in_the_configuration_is_bad_input(tmp_path: Path) -> None:
    config = _config(tmp_path, "kubernetes_version: 1.30\n")
    result = CliRunner().invoke(cli, ["lint", "--config", str(config), str(CLEAN)])
    assert result.exit_code == 2 and "config.yaml:1" in result.output and "1.3" in result.output


def test_inventory_lets_a_partial_run_find_targets_in_the_rest_of_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "deployment.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec:\n"
        "  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n"
        "    spec: {containers: [{name: api, image: 'api:v1'}]}\n"
    )
    (repo / "broken.yaml").write_text("key: [unclosed\n")  # not linted, so not reported either
    hpa = repo / "hpa.yaml"
    hpa.write_text(
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: api, namespace: shop}\n"
        "spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}, minReplicas: 2, maxReplicas: 4}\n"
    )
    rule = ("--rule", "hpa-target-dangling")
    assert lint(*rule, str(hpa))[0] == 1
    code, report = lint(*rule, "--inventory", str(repo), str(hpa))
    assert code == 0 and findings(report) == []
    assert [r["kind"] for r in report["resources"]] == ["HorizontalPodAutoscaler"], "the inventory is not linted"
    hpa.write_text(hpa.read_text().replace("name: api}, minReplicas", "name: gone}, minReplicas"))
    assert lint(*rule, "--inventory", str(repo), str(hpa))[0] == 1


def test_duplicate_objects_are_reported_on_each_copy(tmp_path: Path) -> None:
    code, report = lint("--rule", "duplicate-object", str(FIXTURES / "fail" / "duplicate-object.yaml"))
    found = findings(report)
    assert code == 1 and len(found) == 2 and all("emitted 2 times" in f["message"] for f in found)


def test_plain_manifests_get_the_kubernetes_fix(tmp_path: Path) -> None:
    _, report = lint("--rule", "no-privilege-escalation", str(FIXTURES / "fail" / "no-privilege-escalation.yaml"))
    assert findings(report)[0]["remediation"].startswith("Set securityContext.allowPrivilegeEscalation: false")


def test_project_runs_get_the_blueprint_fix(example_project: Path) -> None:
    blueprint = next((example_project / "blueprints").glob("*.yaml"))
    blueprint.write_text(blueprint.read_text() + "securityContext:\n  allowPrivilegeEscalation: true\n")
    result = CliRunner().invoke(cli, ["lint", "-C", str(example_project), "--output", "json", "--rule", "no-privilege-escalation"])
    found = findings(json.loads(result.stdout))
    assert found and all(f["remediation"].startswith("gitopsgen sets allowPrivilegeEscalation false") for f in found)


def test_the_rego_lib_and_kube_agree_on_where_pod_templates_live() -> None:
    from generator import kube
    from generator.lint.engine import RegorusEngine

    engine = RegorusEngine()
    engine.load([m for m in BUILTIN.modules if "/lib/" in m.path.replace("\\", "/")])
    paths = engine.evaluate("data.gitopsgen.lib.pod_template_paths", {}, {})
    assert {kind: tuple(path) for kind, path in paths.items() if kind != "Pod"} == dict(kube.POD_TEMPLATE)
    kinds = set(engine.evaluate("data.gitopsgen.lib.workload_kinds", {}, {}))
    assert kinds == set(kube.WORKLOAD_KINDS) | {"Pod"}


GATEKEEPER_TEMPLATE = """\
apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: k8sallowedrepos}
spec:
  crd:
    spec:
      names: {kind: K8sAllowedRepos}
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8sallowedrepos

        violation[{"msg": msg}] {
          container := input.review.object.spec.containers[_]
          not startswith(container.image, input.parameters.repo)
          msg := sprintf("container <%v> image <%v> is not from %v (%v)", [container.name, container.image, input.parameters.repo, registry(container.image)])
        }

        registry(image) = r {
          contains(image, "/")
          r := split(image, "/")[0]
        } else = "docker.io" {
          true
        }
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sAllowedRepos
metadata: {name: repos}
spec:
  match:
    kinds: [{apiGroups: [""], kinds: [Pod]}]
    NAMESPACES
  parameters:
    repo: registry.example.com/
"""


@pytest.mark.parametrize("match, found", [("namespaces: [default]", 1), ("excludedNamespaces: [default]", 0), ("namespaces: [shop]", 0)])
def test_gatekeeper_treats_a_namespaced_object_without_namespace_as_in_default(tmp_path: Path, match: str, found: int) -> None:
    """As gator does; the template also uses a v0 function with else."""
    (tmp_path / "templates.yaml").write_text(GATEKEEPER_TEMPLATE.replace("NAMESPACES", match))
    pod = tmp_path / "pod.yaml"
    pod.write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx:1.25}]\n")
    code, report = lint("-p", str(tmp_path / "templates.yaml"), str(pod))
    messages = [f["message"] for f in findings(report)]
    assert len(messages) == found and code == found
    assert all("(docker.io)" in m for m in messages)
