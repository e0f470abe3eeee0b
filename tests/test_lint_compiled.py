"""The paths of the built-in checks give the same findings and exit codes, on every input.

The built-in checks run in regorus' compiled mode (generator/lint/compiled.py), a VM that
evaluates some Rego differently from the interpreter; compiled.py rewrites the pack so the VM
answers as the interpreter and OPA do (assignments guarded, ``every`` variables bound). A
document whose group rule the VM cannot finish gets each check alone; a check the VM still
cannot finish goes to the interpreter (generator/lint/evaluation.py).

These tests lint the same documents three ways: as they run ("vm"), with every group rule
stopped ("alone": every check alone in the VM) and with every check stopped ("interpreter"),
with exemptions switched off so that every finding of every rule is compared, and require the
same results and the same exit code: the fixtures, the project's estate in every environment,
the benchmark estate with broken documents, documents mutated by hypothesis (fields dropped,
retyped, emptied; names, namespaces and labels removed) and malformed documents. The pack is
written so that a malformed object never stops the interpreter (regorus' interpreter stops on
a type error where OPA and the VM read the expression as undefined): ``items_at``/``object_at``
and type tests in policies/lib.
"""

from __future__ import annotations

import copy
import functools
import os
import shutil
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import InputError
from generator.lint import compiled, exemptions
from generator.lint.checks import Module
from generator.lint.config import LintConfig, load_config
from generator.lint.driver import driver
from generator.lint.engine import RegorusEngine
from generator.lint.linter import LintBatch, Linter, LintOptions
from generator.lint.policy import builtin_pack, load_policies
from generator.lint.rendered_tree import RenderedTree
from generator.lint.run import LintRequest
from generator.pipeline import lint_inputs, lintable_manifests
from generator.results import ResourceResult, exit_code

ROOT = Path(__file__).resolve().parents[1]
LINT = ROOT / "tests" / "fixtures" / "lint"
MANIFESTS = [str(LINT / name) for name in ("conftest", "exemptions", "gatekeeper", "rules", "seed", "workloads.yaml")]  # not config/: lint configurations
ENVS = ("dev", "staging", "prod")
TODAY = date(2026, 11, 23)

sys.path.insert(0, str(ROOT / "tests" / "bench"))
import bench_lint  # noqa: E402  (the lint benchmark's estate generator)


@functools.cache
def pack() -> tuple[Any, Any]:
    return load_policies(None), load_config(builtin_pack() / "config.yaml")


WAYS = {
    "vm": lambda entry: False,
    "alone": lambda entry: ".group_" in entry,  # as if the VM reached its instruction limit there
    "interpreter": lambda entry: True,
}


def lint_ways(batches: list[LintBatch], env: str | None, tree: RenderedTree, ways: tuple[str, ...] = tuple(WAYS),
              config: LintConfig | None = None) -> dict[str, Any]:
    """Each way's (results, exit code), or the error's text where the run stopped; exemptions are off.

    ``config``: the lint configuration (None: the built-in pack's).
    """
    policies, builtin_config = pack()
    config = config or builtin_config
    original = compiled.CompiledChecks._execute
    outcomes: dict[str, Any] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(exemptions, "exemptions", lambda obj, today, known: (set(), []))
        for way in ways:
            stops = WAYS[way]
            patch.setattr(compiled.CompiledChecks, "_execute", lambda self, entry, doc, stops=stops: None if stops(entry) else original(self, entry, doc))
            try:
                linted = Linter(policies, config, RegorusEngine(), tree, LintOptions(env=env, today=TODAY)).lint(batches)
                results = list(linted.values())
                outcomes[way] = (results, exit_code(results, "error"))
            except InputError as error:
                outcomes[way] = f"error: {error}"
    return outcomes


def assert_same(outcomes: dict[str, Any], what: str = "") -> None:
    """Every way answered (no run stopped) and all answered alike."""
    for way, outcome in outcomes.items():
        assert not isinstance(outcome, str), f"{way} stopped on {what}: {outcome}"
    reference = outcomes["vm"]
    for way, outcome in outcomes.items():
        if outcome != reference:
            only = {way: set(findings(outcome)) - set(findings(reference)), "vm": set(findings(reference)) - set(findings(outcome))}
            pytest.fail(f"{way} and vm disagree on {what}: exit {outcome[1]} vs {reference[1]}; only in each: {only}")


def files_batch(paths: list[str], env: str | None) -> list[LintBatch]:
    return [LintBatch(env, lintable_manifests(paths))]


def findings(outcome: tuple[list[ResourceResult], int]) -> list[tuple[Any, ...]]:
    results, _ = outcome
    return [(r.path, r.kind, r.name, f.rule, f.level, f.message, f.field) for r in results for f in r.findings]


def test_the_built_in_pack_is_compiled() -> None:
    policies = load_policies(None)
    batch_driver = driver(policies.checks)
    assert compiled.CompiledChecks.build(policies.modules, batch_driver, policies.checks) is not None


def test_fixtures_give_the_same_findings() -> None:
    for env in ENVS:
        outcomes = lint_ways(files_batch(MANIFESTS, env), env, RenderedTree())
        assert_same(outcomes, f"the fixtures in {env}")
        assert len(findings(outcomes["vm"])) > 100


@pytest.mark.parametrize("project", [ROOT, ROOT / "tests" / "fixtures" / "systems"], ids=["estate", "systems"])
@pytest.mark.parametrize("env", ENVS)
def test_the_rendered_estate_gives_the_same_findings(project: Path, env: str) -> None:
    """The project's own estate and the systems fixture (a blueprint per capability), rendered and batched
    as `gitopsgen lint --env` does, exemptions off."""
    batches, tree = lint_inputs(LintRequest(env=env, project_dir=project))
    outcomes = lint_ways(batches, None, tree, ("vm", "interpreter"))
    assert_same(outcomes, f"{project.name} in {env}")
    assert len(outcomes["vm"][0]) > 40  # every object of every app


def test_the_validate_fixtures_give_the_same_findings() -> None:
    """Documents of every shape validate's tests use (nulls, wrong types, Lists, custom resources): each file
    is refused before any policy runs (bad input) or linted alike by every engine."""
    linted = 0
    for path in sorted((ROOT / "tests" / "fixtures" / "validate").rglob("*.y*ml")):
        try:
            batches = files_batch([str(path)], "prod")
        except InputError:
            continue
        assert_same(lint_ways(batches, "prod", RenderedTree()), str(path))
        linted += 1
    assert linted >= 10


def test_the_broken_estate_gives_the_same_findings(tmp_path: Path) -> None:
    """Every broken app (one in seven) and as many clean ones, as one batch, in each environment."""
    bench_lint.write_broken_estate(tmp_path / "estate")
    files = [str(path) for path in sorted((tmp_path / "estate").glob("*/*.yaml")) if int(path.stem[-3:]) % 7 in (0, 1)]
    for env in ENVS:
        outcomes = lint_ways(files_batch(files, env), env, RenderedTree(), ("vm", "interpreter") if env != "prod" else tuple(WAYS))
        assert_same(outcomes, f"the broken estate in {env}")
        assert len({finding[3] for finding in findings(outcomes["vm"])}) >= 18, env  # most rules fire somewhere


# A workload no NetworkPolicy selects, a Service and a NetworkPolicy whose selector matches only a
# Rollout (a kind the pack reads) next to a Job whose labels share a value with it: regorus' VM
# did not bind the variables of `every` where the body used them as a key (labels[key] == value
# held when any label had the value), so it found the CronJob and the Job covered.
EVERY_BINDING = """\
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: shop}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app.kubernetes.io/name: web-report, app.kubernetes.io/part-of: web}}
        spec: {restartPolicy: Never, containers: [{name: c, image: "report:1"}]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: web-migrate, namespace: shop, annotations: {argocd.argoproj.io/hook: PreSync}}
spec:
  template:
    metadata: {labels: {app.kubernetes.io/name: web-migrate, app.kubernetes.io/part-of: web}}
    spec: {restartPolicy: Never, containers: [{name: c, image: "migrate:1"}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec: {podSelector: {matchLabels: {app.kubernetes.io/name: web}}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app.kubernetes.io/name: web}, ports: [{port: 80}]}
"""


# Parameter names several rules read (allowed, allowed_types, accelerator_resources through the
# lib), each rule given a value that only it would accept ("own") or another rule's ("swapped"),
# and the rules of those names that break on the document: one merged parameter object would get one of them wrong.
SHARED_NAMES = {
    "own": ({"pss-volume-types": {"allowed": ["hostPath"]}, "pss-capabilities-baseline": {"allowed": ["NET_ADMIN"]},
             "pss-selinux": {"allowed_types": ["spc_t"]}, "service-type": {"allowed_types": ["NodePort"]},
             "gpu-limits": {"accelerator_resources": ["example.com/fpga"]}},
            {"gpu-limits"}),
    "swapped": ({"pss-volume-types": {"allowed": ["NET_ADMIN"]}, "pss-capabilities-baseline": {"allowed": ["hostPath"]},
                 "pss-selinux": {"allowed_types": ["NodePort"]}, "service-type": {"allowed_types": ["spc_t"]},
                 "gpu-scheduling": {"accelerator_resources": ["example.com/fpga"]}},
                {"pss-volume-types", "pss-capabilities-baseline", "pss-selinux", "service-type", "gpu-scheduling"}),
}
WATCHED = {"pss-volume-types", "pss-capabilities-baseline", "pss-selinux", "service-type", "gpu-limits", "gpu-scheduling",
           "gpu-shared-memory", "ephemeral-storage", "startup-probe"}


@pytest.mark.parametrize("configured", list(SHARED_NAMES))
def test_each_rule_reads_its_own_parameters_in_one_evaluation(configured: str, tmp_path: Path) -> None:
    """A document's built-in checks are one evaluation; each still reads its own parameters, in every engine."""
    container = {"name": "app", "image": "app:1", "livenessProbe": {"tcpSocket": {"port": 80}},
                 "securityContext": {"capabilities": {"add": ["NET_ADMIN"]}, "seLinuxOptions": {"type": "spc_t"}},
                 "resources": {"limits": {"example.com/fpga": "0.5"}}}
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "web"},
                  "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {
                      "containers": [container], "volumes": [{"name": "host", "hostPath": {"path": "/var"}}]}}}}
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "web"},
               "spec": {"type": "NodePort", "selector": {"app": "web"}, "ports": [{"port": 80}]}}
    path = tmp_path / "web.yaml"
    path.write_text(yaml.safe_dump_all([deployment, service]))
    parameters, expected = SHARED_NAMES[configured]
    config = replace(pack()[1], parameters=parameters, environments={})  # no environment overrides them
    outcomes = lint_ways(files_batch([str(path)], "prod"), "prod", RenderedTree(), config=config)
    assert_same(outcomes, f"parameters {configured}")
    assert {finding[3] for finding in findings(outcomes["vm"])} & WATCHED == expected


def test_every_built_in_rule_reads_the_parameters_of_its_own_id() -> None:
    """``parameters("<id>")`` names the rule's own id: the linter hands each rule its parameters by id."""
    import re

    policies, _ = pack()
    reading = 0
    for check in policies.checks:
        text = Path(check.source).read_text()
        named = set(re.findall(r'parameters\("([^"]*)"\)', text))
        assert named <= {check.id}, f"{check.source} reads the parameters of {named - {check.id}}"
        reading += bool(named)
    assert reading >= 20


def test_a_selector_is_matched_key_by_key_in_every_engine(tmp_path: Path) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(EVERY_BINDING)
    outcomes = lint_ways(files_batch([str(path)], "prod"), "prod", RenderedTree())
    assert_same(outcomes, "the every-binding case")
    found = {(kind, name, rule) for _, kind, name, rule, *_ in findings(outcomes["vm"])}
    assert {("CronJob", "report", "network-policy-coverage"), ("Job", "web-migrate", "network-policy-coverage"),
            ("Service", "web", "service-selector-dangling"), ("NetworkPolicy", "web", "network-policy-dangling")} <= found
    rollout = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "metadata": {"name": "web", "namespace": "shop"},
               "spec": {"template": {"metadata": {"labels": {"app.kubernetes.io/name": "web"}}, "spec": {"containers": []}}}}
    path.write_text(EVERY_BINDING + "---\n" + yaml.safe_dump(rollout))
    outcomes = lint_ways(files_batch([str(path)], "prod"), "prod", RenderedTree())
    assert_same(outcomes, "the every-binding case with the Rollout")
    found = {(kind, name, rule) for _, kind, name, rule, *_ in findings(outcomes["vm"])}
    assert ("Service", "web", "service-selector-dangling") not in found and ("NetworkPolicy", "web", "network-policy-dangling") not in found


def _deployment(name: str, **pod: Any) -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": "shop"},
            "spec": {"selector": {"matchLabels": {"app": name}}, "template": {"metadata": {"labels": {"app": name}}, "spec": pod}}}


# Two documents at one place in data.inventory (the later one is what the inventory holds there), one
# object held once, and a cluster-scoped one: the VM's input names the place of an object held once
# (input.at: parsed once per run, not again with each document) and carries any other object itself.
ONE_PLACE = [
    _deployment("web", containers=[{"name": "web", "image": "web:1", "securityContext": {"privileged": True}}]),
    _deployment("web", containers=[{"name": "web", "image": "web:latest"}]),  # a second object at the first one's place
    _deployment("api", hostNetwork=True, containers=[{"name": "api", "image": "api:1"}]),
    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "everything"},
     "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]},
]


def test_an_object_held_once_is_read_from_the_inventory_and_every_other_from_its_input(tmp_path: Path) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(yaml.safe_dump_all(ONE_PLACE))
    batches = files_batch([str(path)], "prod")
    outcomes = lint_ways(batches, "prod", RenderedTree())
    assert_same(outcomes, "documents at one place")
    rules = [sorted({f.rule for f in result.findings}) for result in outcomes["vm"][0]]
    assert "no-privileged" in rules[0] and "no-privileged" not in rules[1]  # each duplicate linted as itself
    assert "image-tag-pinned" in rules[1] and "image-tag-pinned" not in rules[0]
    assert "no-host-access" in rules[2] and "rbac-wildcard" in rules[3]
    inputs: list[dict[str, Any]] = []
    original = compiled.CompiledChecks._execute
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(compiled.CompiledChecks, "_execute", lambda self, entry, doc: inputs.append(yaml.safe_load(doc)) or original(self, entry, doc))
        policies, config = pack()
        Linter(policies, config, RegorusEngine(), RenderedTree(), LintOptions(env="prod", today=TODAY)).lint(batches)
    given = sorted((("review" in doc, doc.get("at")) for doc in inputs), key=repr)  # evaluated group by group
    assert given == sorted([
        (True, None), (True, None),  # the duplicates: the object itself
        (False, ["shop", "apps/v1", "Deployment", "api"]),
        (False, [None, "rbac.authorization.k8s.io/v1", "ClusterRole", "everything"]),
    ], key=repr)


def test_a_document_with_every_check_of_its_group_skips_the_look_ups_in_its_checks(tmp_path: Path) -> None:
    """``group_<g>_all`` (no ``k in input.checks``) for a document that gets every check of its group, ``group_<g>``
    for one that gets fewer (a rule off in the environment), with the same findings either way."""
    path = tmp_path / "shop.yaml"
    path.write_text(yaml.safe_dump_all(ONE_PLACE))
    batches = files_batch([str(path)], "prod")
    policies, config = pack()
    entries: list[str] = []
    original = compiled.CompiledChecks._execute

    def lint(config: LintConfig) -> list[tuple[Any, ...]]:
        entries.clear()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(compiled.CompiledChecks, "_execute", lambda self, entry, doc: entries.append(entry) or original(self, entry, doc))
            linted = Linter(policies, config, RegorusEngine(), RenderedTree(), LintOptions(env="prod", today=TODAY)).lint(batches)
        return findings((list(linted.values()), 0))

    every = lint(config)
    assert len(entries) == 4 and all(entry.endswith("_all") for entry in entries)
    prod = config.environments.get("prod") or {}
    off = {**config.environments, "prod": {**prod, "severity": {**(prod.get("severity") or {}), "no-privileged": "off"}}}
    fewer = lint(replace(config, environments=off))
    assert sorted(entry.endswith("_all") for entry in entries) == [False, False, False, True]  # the Deployments; not the ClusterRole
    assert "no-privileged" in {finding[3] for finding in every}
    assert fewer == [finding for finding in every if finding[3] != "no-privileged"]


# --- documents mutated by hypothesis ---------------------------------------------------------------

REPLACEMENTS: list[Any] = [None, "", 0, 1, -1, 2.5, True, False, [], {}, "latest", "ALL", "0", "*", [None], [1], ["x"], {"x": None}, {"x": 1}]
IDENTITY = [("metadata", "name"), ("metadata", "namespace"), ("metadata", "labels"), ("metadata", "annotations"), ("metadata",)]


@functools.cache
def documents() -> list[dict[str, Any]]:
    return [manifest.obj for manifest in lintable_manifests(MANIFESTS)] + list(yaml.safe_load_all(EVERY_BINDING))


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every field below the top level (kind and apiVersion stay: without them a document is refused before any policy)."""
    found = [prefix] if len(prefix) >= 2 or (len(prefix) == 1 and prefix[0] not in ("kind", "apiVersion")) else []
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in children:
        found += _paths(child, (*prefix, key))
    return found


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """A document of the pool with one to three fields dropped or retyped, or its name, namespace or labels removed."""
    obj = copy.deepcopy(draw(st.sampled_from(documents())))
    for _ in range(draw(st.integers(1, 3))):
        operation = draw(st.sampled_from(["drop", "retype", "identity"]))
        path = draw(st.sampled_from(IDENTITY)) if operation == "identity" else draw(st.sampled_from(_paths(obj) or [("metadata",)]))
        parent = obj
        for step in path[:-1]:
            if not isinstance(parent, dict | list) or (isinstance(parent, dict) and step not in parent):
                break
            parent = parent[step]
        else:
            if isinstance(parent, dict) and path[-1] in parent or isinstance(parent, list) and isinstance(path[-1], int) and path[-1] < len(parent):
                if operation == "retype":
                    parent[path[-1]] = copy.deepcopy(draw(st.sampled_from(REPLACEMENTS)))
                else:
                    del parent[path[-1]]
    return obj


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(docs=st.lists(mutated(), min_size=2, max_size=5), env=st.sampled_from(ENVS))
def test_mutated_documents_give_the_same_findings_and_exit_code(docs: list[dict[str, Any]], env: str, tmp_path: Path) -> None:
    path = tmp_path / "mutated.yaml"
    path.write_text(yaml.safe_dump_all(docs))
    outcomes = lint_ways(files_batch([str(path)], env), env, RenderedTree())
    assert_same(outcomes, path.read_text())


MALFORMED = [
    # a Canary's service null: the interpreter stopped on object.get(null, ...) where Flagger's Services are
    # derived for an Ingress of its namespace, while the VM read it as undefined (found by the hypothesis test below)
    "apiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata: {name: nulled, namespace: canary}\nspec: {service: null, targetRef: {name: shop}}\n",
    "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: shop, namespace: canary}\n"
    "spec: {rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: shop, port: {number: 80}}}}]}}]}\n",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: web}\nspec:\n  template:\n    spec:\n      containers: latest\n",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: true\nspec: []\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: web}\ndata: [1, 2]\n",
    "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: web}\nspec: {selector: x, ports: 80}\n",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: web}\nspec:\n  template:\n    spec:\n"
    "      containers:\n      - {name: 1, image: 2, ports: 3, env: 4, resources: 5, securityContext: 6, livenessProbe: 7}\n"
    "      - latest\n      securityContext: {capabilities: {add: x}, runAsUser: root, sysctls: [1]}\n      volumes: {hostPath: /}\n",
    "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i, namespace: web}\nspec: {rules: [{http: {paths: [{backend: 1}]}}, 2], tls: x}\n",
    "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a, namespace: argocd}\nspec: {source: 1, syncPolicy: []}\n",
    "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p, namespace: web}\nspec: {minAvailable: [], selector: 1}\n",
    "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\nrules: [1, {verbs: get, resources: '*'}]\n",
    "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n, namespace: web}\nspec: {podSelector: 1, ingress: x, egress: [1, {to: 2}]}\n",
    # probes: a protocol that is not a string, a probe that is not an object, ports that are not a list
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: p, namespace: web}\nspec:\n  template:\n    spec:\n      containers:\n"
    "      - {name: a, image: b, ports: [{name: dns, containerPort: 53, protocol: 7}], readinessProbe: {tcpSocket: {port: dns}},\n"
    "         livenessProbe: yes, startupProbe: {httpGet: x}}\n      - {name: c, image: d, ports: http, livenessProbe: {httpGet: {port: 80}}}\n",
    # a value where a rule expects a string: an env name, a key, a path, a hostPath, ports
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: h, namespace: web}\nspec:\n  template:\n    spec:\n"
    "      volumes: [{name: v, hostPath: 7}]\n      containers:\n"
    "      - {name: a, image: b, env: [{name: 7, value: x}], ports: null, livenessProbe: {tcpSocket: {port: 80}}}\n",
    "apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: e, namespace: web}\nspec: {data: [{secretKey: 7}]}\n",
    "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: s, namespace: argocd}\nspec: {source: {path: {x: 1}}}\n",
    "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: h1, namespace: argocd}\n"
    "spec: {sourceHydrator: {syncSource: {targetBranch: env, path: 7}}}\n",
    "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: h2, namespace: argocd}\n"
    "spec: {sourceHydrator: {syncSource: {targetBranch: env, path: [x]}}}\n",
    "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, namespace: web}\nspec: x\n",
    "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c, namespace: web}\nspec: {jobTemplate: {spec: [1]}}\n",
    "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: v, namespace: web}\nspec: {gateways: 7}\n",
    "apiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata: {name: c, namespace: canary}\nspec: {service: {gateways: x}}\n",
    "apiVersion: v1\nkind: Service\nmetadata: {name: x, namespace: web}\nspec: {externalIPs: 7}\n",
]


def test_malformed_documents_give_the_same_findings_and_exit_code(tmp_path: Path) -> None:
    """Objects of the wrong shape: every engine reads the field as undefined, as OPA does, and reports what else it finds."""
    path = tmp_path / "malformed.yaml"
    path.write_text("---\n".join(MALFORMED))
    for env in ENVS:
        outcomes = lint_ways(files_batch([str(path)], env), env, RenderedTree())
        assert_same(outcomes, f"the malformed documents in {env}")
        assert outcomes["vm"][1] == 1 and len(outcomes["vm"][0]) == len(MALFORMED)


# A value of each JSON type, and the empty string: what a malformed field may hold instead of its own.
RETYPED: list[Any] = [None, 7, 2.5, "x", "", [1], {"x": 1}, True]


def retyped(apart: bool = False) -> list[dict[str, Any]]:
    """Every document of the pool once per field, that field given a value of another type (the types taken in turn).

    The variants of a document share its name, so ``data.inventory`` keeps the last of them, which
    the documents referring to it then read. ``apart``: each variant gets a name of its own, so that
    every one of them is in the inventory for the rules that look across documents (a Canary's
    ``service: null``, read for an Ingress of its namespace, was missed the first way).
    """
    variants = []
    for index, doc in enumerate(documents()):
        for turn, path in enumerate(_paths(doc)):
            variant = copy.deepcopy(doc)
            parent = variant
            for step in path[:-1]:
                parent = parent[step]
            parent[path[-1]] = copy.deepcopy(RETYPED[(index + turn) % len(RETYPED)])
            metadata = variant.get("metadata")
            if apart and isinstance(metadata, dict) and isinstance(metadata.get("name"), str):
                metadata["name"] += f"-{len(variants)}"
            variants.append(variant)
    return variants


@pytest.mark.parametrize(("env", "apart"), [("dev", False), ("prod", False), ("prod", True)])
def test_every_field_retyped_gives_the_same_findings_and_exit_code(env: str, apart: bool, tmp_path: Path) -> None:
    """No field of any type stops one engine where another reads it as undefined.

    regorus' interpreter stops on a built-in given a value of the wrong type (``upper(7)``,
    ``count(null)``, ``sprintf("%q", [7])``, ``object.get`` on a string) where OPA and the VM read
    the expression as undefined; the rules test a value's type first. Every field of every
    document of the pool, retyped, in one batch.
    """
    path = tmp_path / "retyped.yaml"
    path.write_text(yaml.safe_dump_all(retyped(apart)))
    outcomes = lint_ways(files_batch([str(path)], env), env, RenderedTree(), ways=("vm", "interpreter"))
    assert_same(outcomes, f"the retyped documents in {env}")


# --- what makes a module exact in the VM ---------------------------------------------------------


def test_assignments_are_guarded_in_rules_functions_and_comprehensions() -> None:
    module = Module("m.rego", 'package gitopsgen.m\nimport rego.v1\nf(x) := y if {\n\ty := x.a\n}\nr := [z | some v in input.v; z := v.b]\n')
    [text] = compiled.guarded([module])
    assert "\ty := x.a; y == y\n" in text
    assert "z := v.b; z == z]" in text


@pytest.mark.parametrize(
    ("rule", "construct"),
    [
        ("f(x) := 1 if { some y in input.ys; y == x } else := 2", "else"),
        ("default f(_) := 1\nf(x) := 2 if x > 1", "a default function"),
    ],
)
def test_a_module_using_else_or_a_default_function_is_an_error_at_its_line(rule: str, construct: str) -> None:
    with pytest.raises(InputError) as raised:
        compiled.guarded([Module("policies/m.rego", f"package gitopsgen.m\nimport rego.v1\n\n{rule}\n")])
    assert (str(raised.value.path), raised.value.line) == ("policies/m.rego", 4)
    assert raised.value.message.startswith(f"{construct} is not allowed in the built-in pack")


def test_a_pack_using_else_stops_lint_with_that_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from generator.cli import cli
    from generator.lint import policy

    shutil.copytree(builtin_pack(), tmp_path / "pack")
    (tmp_path / "pack" / "lib" / "extra.rego").write_text(
        'package gitopsgen.lib\n\nimport rego.v1\n\nlabel_or(x) := x.label if { x.label } else := "none"\n'
    )
    monkeypatch.setattr(policy, "builtin_pack", lambda: tmp_path / "pack")
    result = CliRunner().invoke(cli, ["lint", "--cache-dir", str(tmp_path / "cache"), str(LINT / "workloads.yaml")])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"error: {tmp_path / 'pack' / 'lib' / 'extra.rego'}:5: else is not allowed in the built-in pack")


@pytest.mark.parametrize("value", ['"the pod\'s x"', '"q\\"x"', "`raw`", '"a" # a comment', 'concat("", ["a", "b"])'])
def test_the_guard_after_a_string_literal_goes_after_its_closing_quote(value: str) -> None:
    """regorus' span of ``msg := "a"`` stops before the closing quote: the guard must not land inside the string."""
    import regorus

    module = Module("m.rego", f"package gitopsgen.m\nimport rego.v1\nr := msg if {{\n\tmsg := {value}\n\ttrue\n}}\n")
    [text] = compiled.guarded([module])
    program = regorus.Program.compile_from_modules("{}", [("m.rego", text)], ["data.gitopsgen.m.r"])
    vm = regorus.Rvm()
    vm.load_program(program)
    vm.set_data_json("{}")
    vm.set_input_json("{}")
    interpreter = regorus.Engine()
    interpreter.add_policy("m.rego", module.text)
    assert vm.execute_entry_point("data.gitopsgen.m.r") == interpreter.eval_rule_as_json("data.gitopsgen.m.r")


def vm_and_interpreter(text: str, entry: str, input_json: str = "{}") -> tuple[str, str]:
    """``entry``'s value from the guarded module in the VM and from the module as written in the interpreter."""
    import regorus

    [guarded] = compiled.guarded([Module("m.rego", text)])
    program = regorus.Program.compile_from_modules("{}", [("m.rego", guarded)], [entry])
    vm = regorus.Rvm()
    vm.load_program(program)
    vm.set_data_json("{}")
    vm.set_input_json(input_json)
    interpreter = regorus.Engine()
    interpreter.add_policy("m.rego", text)
    interpreter.set_input_json(input_json)
    return vm.execute_entry_point(entry), interpreter.eval_rule_as_json(entry)


@pytest.mark.parametrize(
    "body",
    [
        "every key, value in input.selector { input.labels[key] == value }",
        "every key in input.keys { input.labels[key] == \"web\" }",
        "every i, v in input.list { input.other[i] == v }",
        "every _, v in input.keys {\n\t\tinput.labels[v] == \"web\"\n\t}",
        "every key, value in input.selector { every k, v in input.selector { input.labels[k] == v } }",
    ],
)
def test_the_variables_of_every_are_bound_in_the_vm(body: str) -> None:
    """regorus' VM (0.13) reads ``labels[key]`` in the body of ``every key, ...`` as iterating all keys."""
    text = f"package gitopsgen.m\nimport rego.v1\nr if {{\n\t{body}\n}}\n"
    labels = '{"labels": {"a": "web-report", "b": "web"}, "selector": {"a": "web"}, "keys": ["a"], "list": ["x"], "other": ["y", "x"]}'
    assert vm_and_interpreter(text, "data.gitopsgen.m.r", labels) == ('"<undefined>"', '"<undefined>"')
    matching = '{"labels": {"a": "web"}, "selector": {"a": "web"}, "keys": ["a"], "list": ["x"], "other": ["x"]}'
    assert vm_and_interpreter(text, "data.gitopsgen.m.r", matching) == ("true", "true")


def test_default_rules_are_exact_and_compiled() -> None:
    assert compiled.guarded([Module("m.rego", "package gitopsgen.m\nimport rego.v1\ndefault x := 1\nx := 2 if input.y\n")]) is not None


def test_the_guard_makes_an_undefined_assignment_fail_the_body() -> None:
    """In regorus' VM (0.13) ``x := input.missing; true`` is true; guarded, it is undefined, as in the interpreter."""
    import regorus

    def vm_result(text: str) -> str:
        program = regorus.Program.compile_from_modules("{}", [("m.rego", text)], ["data.gitopsgen.m.r"])
        vm = regorus.Rvm()
        vm.load_program(program)
        vm.set_data_json("{}")
        vm.set_input_json("{}")
        return vm.execute_entry_point("data.gitopsgen.m.r")

    module = Module("m.rego", "package gitopsgen.m\nimport rego.v1\nr if {\n\tx := input.missing\n\ttrue\n}\n")
    [text] = compiled.guarded([module])
    assert vm_result(text) == '"<undefined>"'


# --- the program cache -------------------------------------------------------------------------


def build(cache: Path | None) -> compiled.CompiledChecks | None:
    policies = load_policies(None)
    return compiled.CompiledChecks.build(policies.modules, driver(policies.checks), policies.checks, cache)


def test_the_program_is_compiled_once_and_then_read_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    original = compiled._compile
    monkeypatch.setattr(compiled, "_compile", lambda *args: calls.append(1) or original(*args))
    assert build(tmp_path) is not None and build(tmp_path) is not None
    assert calls == [1]
    assert [path.name.startswith("rego-") for path in tmp_path.iterdir()] == [True]
    assert build(None) is not None and calls == [1, 1]  # no cache: compiled


def test_the_cache_keeps_only_the_most_recent_programs(tmp_path: Path) -> None:
    for number in range(compiled.KEEP + 3):
        (tmp_path / f"rego-old{number:02d}.bin").write_bytes(b"")
        os.utime(tmp_path / f"rego-old{number:02d}.bin", ns=(number, number))
    assert build(tmp_path) is not None
    kept = sorted(path.name for path in tmp_path.iterdir())
    assert len(kept) == compiled.KEEP and "rego-old00.bin" not in kept and "rego-old18.bin" in kept


def test_a_corrupt_or_unwritable_cache_is_not_used(tmp_path: Path) -> None:
    assert build(tmp_path) is not None
    [cached] = tmp_path.iterdir()
    cached.write_bytes(b"not a program")
    assert build(tmp_path) is not None  # compiled again
    blocked = tmp_path / "file"
    blocked.write_text("")
    assert build(blocked / "cache") is not None  # a folder that cannot be made


@pytest.mark.parametrize("command", [["lint", str(LINT / "workloads.yaml")], ["check", "--project-dir", str(ROOT), "--env", "dev", "--only", "user-service"]])
def test_lint_and_check_keep_the_program_in_cache_dir(command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from generator.cli import cli

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "default"))
    result = CliRunner().invoke(cli, [*command, "--cache-dir", str(tmp_path / "chosen")])
    assert result.exit_code in (0, 1), result.output
    assert len([path for path in (tmp_path / "chosen").iterdir() if path.name.startswith("rego-")]) == 1  # check's schemas too
    assert not (tmp_path / "default").exists()


def test_documents_too_big_for_the_vm_are_left_to_the_interpreter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """regorus' VM stops at 25,000 instructions; such documents get their checks from the interpreter."""
    config_map = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big", "namespace": "web"},
                  "data": {**{f"key{i}": f"value{i}" for i in range(400)}, "aws_key": "AKIAABCDEFGHIJKLMNOP"}}
    containers = [{"name": f"c{i}", "image": "web:latest", "env": [{"name": f"E{j}", "value": "v"} for j in range(50)]} for i in range(5)]
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "web"},
                  "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                           "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": containers}}}}
    small = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "small", "namespace": "web"}, "data": {"token": "abc123xyz"}}
    path = tmp_path / "big.yaml"
    path.write_text(yaml.safe_dump_all([config_map, deployment, small]))
    left: list[list[tuple[int, str]]] = []
    original = compiled.CompiledChecks.evaluate

    def recording(self, batch_input, data, places):  # type: ignore[no-untyped-def]
        rows, unfinished = original(self, batch_input, data, places)
        left.append([(index, self._queries[check].rpartition(".rules.")[2]) for index, check, _ in unfinished])
        return rows, unfinished

    path_outcomes = lint_ways(files_batch([str(path)], "prod"), "prod", RenderedTree())
    monkeypatch.setattr(compiled.CompiledChecks, "evaluate", recording)
    lint_ways(files_batch([str(path)], "prod"), "prod", RenderedTree(), ("vm",))
    assert left[0] == [(0, "plaintext_credentials.violation"), (1, "plaintext_credentials.violation")]  # only that check, the small ConfigMap in the VM
    assert_same(path_outcomes, "documents too big for the VM")
    rules = {(kind, rule) for _, kind, _, rule, *_ in findings(path_outcomes["vm"])}
    assert {("ConfigMap", "plaintext-credentials"), ("Deployment", "image-tag-pinned"), ("Deployment", "run-as-non-root")} <= rules


def test_the_vm_s_json_inputs_are_the_driver_s_inputs() -> None:
    """The VM gets each document's input as JSON text built around its group's common part serialised once; it reads
    as shared_input, with only the parameters of the group's rules, and without the checks for a group's ``_all`` rule."""
    import json

    from generator.lint.driver import shared_input

    parameters = {"service-type": {"allowed_types": ["ClusterIP"]}, "startup-probe": {"min_seconds": 30}}
    batch = {"docs": [{"review": {"object": {"kind": "Pod", "metadata": {"name": "p", "labels": {"a": "é"}}}}}, {"review": {"object": {}}}],
             "env": "prod", "prod_environments": ["prod", "production"], "shared": [[0, 2], []], "parameters": [{}, {}, {"x": 1}],
             "rule_parameters": parameters}
    inputs = compiled._Inputs(batch)
    every_rule = inputs.common(["no-privileged", "service-type", "startup-probe"])
    for index in (0, 1):
        assert json.loads(inputs.shared(index, every_rule)) == shared_input(batch, index)
    of_services = json.loads(inputs.shared(0, inputs.common(["service-type", "no-privileged"])))
    assert of_services == {**shared_input(batch, 0), "rule_parameters": {"service-type": {"allowed_types": ["ClusterIP"]}}}
    assert json.loads(inputs.shared(0, every_rule, all_checks=True)) == {k: v for k, v in shared_input(batch, 0).items() if k != "checks"}
    by_place = compiled._Inputs(batch, [("web", "v1", "Pod", "p"), None])  # the first held once in data.inventory
    assert json.loads(by_place.shared(0, every_rule)) == {
        **{k: v for k, v in shared_input(batch, 0).items() if k != "review"}, "at": ["web", "v1", "Pod", "p"]}
    assert json.loads(by_place.shared(1, every_rule)) == shared_input(batch, 1)
