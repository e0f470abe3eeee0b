"""Embedded Rego engines side by side: regorus (gordon-to-regorus) and regopy (rego-cpp).

Run inside a virtualenv holding both (bench_lint.py creates .bench/engines-venv):

    python tests/bench/engines.py ESTATE_DIR POLICY_DIR OUTPUT.json

Part 1, correctness: a handful of Gatekeeper- and conftest-style policies with inputs and the
answers OPA gives. Part 2, speed: the built-in pack's batch driver over the synthetic estate.
Writes one JSON document (not to stdout: rego-cpp prints its parse errors there).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any, Callable

REQUIRED_LABELS_V0 = """package k8srequiredlabels

violation[{"msg": msg, "details": {"missing_labels": missing}}] {
  provided := {label | input.review.object.metadata.labels[label]}
  required := {label | label := input.parameters.labels[_]}
  missing := required - provided
  count(missing) > 0
  msg := sprintf("you must provide labels: %v", [missing])
}
"""

CONTAINER_LIMITS_V0 = """package k8scontainerlimits

missing(obj, field) = true { not obj[field] }
missing(obj, field) = true { obj[field] == "" }

violation[{"msg": msg}] {
  container := input.review.object.spec.containers[_]
  missing(container.resources.limits, "cpu")
  msg := sprintf("container <%v> has no cpu limit", [container.name])
}
"""

UNIQUE_HOST_V1 = """package k8suniqueingresshost

violation contains {"msg": msg} if {
  some rule in input.review.object.spec.rules
  other := data.inventory.namespace[ns][_].Ingress[name]
  not (ns == input.review.object.metadata.namespace; name == input.review.object.metadata.name)
  some other_rule in other.spec.rules
  other_rule.host == rule.host
  msg := sprintf("host %v also used by %v/%v", [rule.host, ns, name])
}
"""

UNIQUE_HOST_V1 = UNIQUE_HOST_V1.replace(
    "  not (ns == input.review.object.metadata.namespace; name == input.review.object.metadata.name)\n",
    "  [ns, name] != [input.review.object.metadata.namespace, input.review.object.metadata.name]\n",
)

CONFTEST_V0 = """package main

deny[msg] {
  input.kind == "Deployment"
  not input.spec.template.spec.securityContext.runAsNonRoot
  msg := "containers must not run as root"
}
"""

CONFTEST_OBJECTS_V1 = """package main

import rego.v1

deny contains {"msg": sprintf("%s has no %s label", [input.metadata.name, label]), "field": ["metadata", "labels", label]} if {
  some label in ["team", "owner"]
  not input.metadata.labels[label]
}
"""

POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "shop", "labels": {"team": "a"}},
       "spec": {"containers": [{"name": "c", "resources": {"limits": {"memory": "1Gi"}}}]}}
INGRESS = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "i", "namespace": "shop"},
           "spec": {"rules": [{"host": "shop.example.com"}]}}
OTHER_INGRESS = {**INGRESS, "metadata": {"name": "j", "namespace": "staging"}}

# (name, modules, query, input, data, the answer OPA gives)
CASES: list[tuple[str, list[str], str, Any, dict[str, Any], Any]] = [
    ("gatekeeper k8srequiredlabels (v0, set in message)", [REQUIRED_LABELS_V0], "data.k8srequiredlabels.violation",
     {"review": {"object": POD}, "parameters": {"labels": ["team", "owner"]}}, {},
     [{"msg": 'you must provide labels: {"owner"}', "details": {"missing_labels": ["owner"]}}]),
    ("gatekeeper k8scontainerlimits (v0, functions with two bodies)", [CONTAINER_LIMITS_V0], "data.k8scontainerlimits.violation",
     {"review": {"object": POD}}, {}, [{"msg": "container <c> has no cpu limit"}]),
    ("gatekeeper unique ingress host (v1, data.inventory)", [UNIQUE_HOST_V1], "data.k8suniqueingresshost.violation",
     {"review": {"object": INGRESS}},
     {"inventory": {"namespace": {"shop": {"networking.k8s.io/v1": {"Ingress": {"i": INGRESS}}},
                                  "staging": {"networking.k8s.io/v1": {"Ingress": {"j": OTHER_INGRESS}}}}}},
     [{"msg": "host shop.example.com also used by staging/j"}]),
    ("conftest deny[msg] (v0)", [CONFTEST_V0], "data.main.deny",
     {"kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": {"spec": {}}}}, {},
     ["containers must not run as root"]),
    ("conftest set of objects (v1)", [CONFTEST_OBJECTS_V1], "data.main.deny", POD, {},
     [{"field": ["metadata", "labels", "owner"], "msg": "p has no owner label"}]),
]


def canonical(value: Any) -> Any:
    """Sets come back as arrays in any order: compare sorted."""
    if isinstance(value, list):
        return sorted((canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    return value


def regorus_eval(modules: list[str], query: str, input: Any, data: dict[str, Any]) -> Any:
    import regorus

    engine = regorus.Engine()
    for index, module in enumerate(modules):
        try:
            engine.add_policy(f"m{index}.rego", module)
        except RuntimeError:
            engine.set_rego_v0(True)
            engine.add_policy(f"m{index}.rego", module)
            engine.set_rego_v0(False)
    engine.add_data_json(json.dumps(data))
    engine.set_input_json(json.dumps(input))
    return json.loads(engine.eval_rule_as_json(query))


def regopy_eval(modules: list[str], query: str, input: Any, data: dict[str, Any]) -> Any:
    import regopy

    interpreter = regopy.Interpreter()
    for index, module in enumerate(modules):
        interpreter.add_module(f"m{index}", module)
    interpreter.add_data_json(json.dumps(data))
    interpreter.set_input_term(json.dumps(input))
    output = interpreter.query(query)
    if not output.ok():
        raise RuntimeError(str(output).strip().splitlines()[0])
    return json.loads(str(output))["expressions"][0]


ENGINES: dict[str, Callable[..., Any]] = {"regorus": regorus_eval, "regopy": regopy_eval}


def correctness() -> dict[str, Any]:
    report: dict[str, Any] = {}
    for engine, evaluate in ENGINES.items():
        outcomes = []
        for name, modules, query, input, data, expected in CASES:
            try:
                got = evaluate(modules, query, input, data)
                verdict = "ok" if canonical(got) == canonical(expected) else f"wrong: {json.dumps(got)[:160]}"
            except Exception as exc:  # an engine that rejects the policy counts as a failure
                verdict = f"error: {str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__}"
            outcomes.append({"case": name, "verdict": verdict})
        report[engine] = {"passed": sum(o["verdict"] == "ok" for o in outcomes), "of": len(outcomes), "cases": outcomes}
    return report


def speed(estate: Path, policies: Path) -> dict[str, Any]:
    """The built-in pack's batch driver over every document of the estate, per engine."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from generator.lint.config import load_config
    from generator.lint.driver import DRIVER_QUERY, driver
    from generator.lint.policy import load_policies
    from generator.lint.linter import LintBatch, LintOptions, _batch_input, inventory
    from generator.pipeline import lintable_manifests

    pack = load_policies([str(policies)])
    config = load_config(policies / "config.yaml")
    batch = LintBatch("prod", lintable_manifests([str(estate)]))
    checks = pack.checks
    batch_driver = driver(checks)
    batch_input = _batch_input(batch, checks, batch_driver, [c.severity for c in checks], config, "prod", LintOptions(env="prod"))
    data = {"inventory": inventory([document.obj for document in batch.manifests]), "project": {"rendered_paths": [], "rendered_roots": []}}
    modules = [m.text for m in pack.modules] + [batch_driver.module.text]
    report: dict[str, Any] = {"documents": len(batch.manifests), "rules": len(checks)}
    for engine, evaluate in ENGINES.items():
        start = time.perf_counter()
        try:
            results = evaluate(modules, DRIVER_QUERY, batch_input, data)
            report[engine] = {"seconds": round(time.perf_counter() - start, 3), "results": len(results)}
        except Exception as exc:
            report[engine] = {"error": str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__}
    return report


if __name__ == "__main__":
    measured = {"correctness": correctness(), "speed": speed(Path(sys.argv[1]), Path(sys.argv[2]))}
    Path(sys.argv[3]).write_text(json.dumps(measured, indent=2))
