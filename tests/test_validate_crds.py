"""The CRD schemas gitopsgen ships agree with the projects' published CRDs, and behave like the API server.

The upstream JSON schemas live beside the repository in ``../shared/crd-schemas``; the agreement
tests skip only when that folder is absent, and never when CI=true.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from conftest import istio_upstream_report, upstream_crd_schema

from generator import yamlio
from generator.load import load_project
from generator.render.project import render_project
from generator.validate import crd
from generator.validate.registry import OBJECT_META_REF, SHIPPED_CRDS, SchemaRegistry

ROOT = Path(__file__).resolve().parent.parent

EMITTED = [  # every custom kind gitopsgen emits, with the versions users write
    ("argoproj.io/v1alpha1", "Application"),
    ("argoproj.io/v1alpha1", "AppProject"),
    ("argoproj.io/v1alpha1", "ApplicationSet"),
    ("external-secrets.io/v1", "ExternalSecret"),
    ("external-secrets.io/v1beta1", "ExternalSecret"),
    ("external-secrets.io/v1", "SecretStore"),
    ("external-secrets.io/v1beta1", "SecretStore"),
    ("external-secrets.io/v1", "ClusterSecretStore"),
    ("monitoring.coreos.com/v1", "ServiceMonitor"),
    ("monitoring.coreos.com/v1", "PodMonitor"),
    ("monitoring.coreos.com/v1", "PrometheusRule"),
    ("argoproj.io/v1alpha1", "Rollout"),
    ("argoproj.io/v1alpha1", "AnalysisTemplate"),
    ("flagger.app/v1beta1", "Canary"),
    ("flagger.app/v1beta1", "MetricTemplate"),
    ("keda.sh/v1alpha1", "ScaledObject"),
    ("autoscaling.k8s.io/v1", "VerticalPodAutoscaler"),
    ("security.istio.io/v1", "PeerAuthentication"),
    ("networking.istio.io/v1", "VirtualService"),
    ("gateway.networking.k8s.io/v1", "HTTPRoute"),
    ("cert-manager.io/v1", "Certificate"),
]
# Emitted too, but upstream only as a validator compiled from Istio's CRDs (npm @kubernetes-models/istio):
# agreement is checked by behaviour, on the Gateways gitopsgen renders and their mutations.
EMITTED_COMPILED_UPSTREAM = [("networking.istio.io/v1", "Gateway")]


def shipped() -> dict[tuple[str, str], dict[str, Any]]:
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for path in sorted(SHIPPED_CRDS.glob("*.yaml")):
        found.update(crd.load_crd_file(path))
    return found


def upstream(api_version: str, kind: str) -> dict[str, Any]:
    return upstream_crd_schema(api_version, kind)


def _types(node: dict[str, Any]) -> set[str]:
    if node.get("x-kubernetes-int-or-string"):
        return {"int-or-string"}
    kind = node.get("type")
    names = set(kind) if isinstance(kind, list) else {kind} if kind else set()
    return names - {"null"}


def disagreements(ours: dict[str, Any], theirs: dict[str, Any], where: str = "") -> list[str]:
    """Every place where a field we declare differs from upstream in type, enum, required or field set."""
    problems: list[str] = []
    if _types(ours) != _types(theirs):
        problems.append(f"{where or '<root>'}: type {_types(ours)} != upstream {_types(theirs)}")
    if "enum" in ours or "enum" in theirs:
        if set(map(str, ours.get("enum", []))) != set(map(str, theirs.get("enum", []))):
            problems.append(f"{where}: enum {ours.get('enum')} != upstream {theirs.get('enum')}")
    if "properties" in ours:
        upstream_properties = theirs.get("properties", {})
        if set(ours.get("required", [])) != set(theirs.get("required", [])):
            problems.append(f"{where or '<root>'}: required {ours.get('required')} != upstream {theirs.get('required')}")
        if not ours.get("x-kubernetes-preserve-unknown-fields") and set(ours["properties"]) != set(upstream_properties):
            missing = sorted(set(upstream_properties) - set(ours["properties"]))
            extra = sorted(set(ours["properties"]) - set(upstream_properties))
            problems.append(f"{where}: closed object differs from upstream (missing {missing}, not upstream {extra})")
        for name, child in ours["properties"].items():
            if name in upstream_properties:
                problems.extend(disagreements(child, upstream_properties[name], f"{where}.{name}".lstrip(".")))
    elif "properties" in theirs and not ours.get("x-kubernetes-preserve-unknown-fields"):
        problems.append(f"{where}: upstream lists fields; declare them or keep the object open")
    if isinstance(ours.get("items"), dict):
        problems.extend(disagreements(ours["items"], theirs.get("items", {}), f"{where}[]"))
    if isinstance(ours.get("additionalProperties"), dict):
        problems.extend(disagreements(ours["additionalProperties"], theirs.get("additionalProperties") or {}, f"{where}.*"))
    return problems


def test_every_emitted_kind_has_a_shipped_schema() -> None:
    assert set(EMITTED) | set(EMITTED_COMPILED_UPSTREAM) <= set(shipped())


def _wrong_type(value: Any) -> Any:
    return [[]] if isinstance(value, bool) else True


def _mutations(obj: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Each field of spec given a value of the wrong type, each removed, each enum string made unknown."""
    found: list[tuple[str, dict[str, Any]]] = []

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
        for key, child in items:
            here = (*path, key)
            if isinstance(node, dict):
                for label, change in (("wrong type", lambda parent, k: parent.__setitem__(k, _wrong_type(parent[k]))),
                                      ("removed", lambda parent, k: parent.pop(k)),
                                      ("unknown value", lambda parent, k: parent.__setitem__(k, "NOT_A_VALUE"))):
                    if label == "unknown value" and not (isinstance(child, str) and child.isupper()):
                        continue
                    mutated = copy.deepcopy(obj)
                    parent = mutated
                    for step in here[:-1]:
                        parent = parent[step]
                    change(parent, key)
                    found.append((f"{'.'.join(map(str, here))} {label}", mutated))
            walk(child, here)

    walk(obj["spec"], ("spec",))
    return found


@pytest.mark.parametrize(("api_version", "kind"), EMITTED_COMPILED_UPSTREAM, ids=[k for _, k in EMITTED_COMPILED_UPSTREAM])
def test_shipped_schema_judges_like_the_compiled_upstream(api_version: str, kind: str, istio_validators: tuple[str, Path]) -> None:
    """Ours (strict) and Istio's compiled validator accept and refuse the same rendered objects and mutations."""
    rendering = render_project(load_project(ROOT))
    emitted = [obj for rendered in rendering.sets for obj in rendered.objects if (obj["apiVersion"], obj["kind"]) == (api_version, kind)]
    assert emitted
    cases = [(f"{obj['metadata']['namespace']}/{obj['metadata']['name']}", obj) for obj in emitted[:2]]
    cases += [(f"{name}: {label}", mutated) for name, obj in cases for label, mutated in _mutations(obj)]
    ours = SchemaRegistry.create(strict=True).validator(api_version, kind)

    theirs = istio_upstream_report(istio_validators, cases)

    verdicts = {name: (ours.is_valid(obj), not theirs[name]["errors"]) for name, obj in cases}
    assert {name: verdict for name, verdict in verdicts.items() if verdict[0] != verdict[1]} == {}
    assert sum(not upstream for _, upstream in verdicts.values()) >= 10  # the mutations do reach the validators


@pytest.mark.parametrize(("api_version", "kind"), EMITTED, ids=[f"{k}-{v.split('/')[1]}" for v, k in EMITTED])
def test_shipped_schema_agrees_with_upstream(api_version: str, kind: str) -> None:
    ours = shipped()[(api_version, kind)]
    theirs = upstream(api_version, kind)
    ours_without_metadata = {**ours, "properties": {k: v for k, v in ours["properties"].items() if k != "metadata"}}
    theirs_without_metadata = {**theirs, "properties": {k: v for k, v in theirs["properties"].items() if k != "metadata"}}
    assert disagreements(ours_without_metadata, theirs_without_metadata) == []


def test_shipped_schemas_are_compact() -> None:
    for path in SHIPPED_CRDS.glob("*.yaml"):
        assert path.stat().st_size < 40_000, f"{path.name} should stay a compact schema"
        assert not re.search(r"description: (?!\{)", path.read_text()), f"{path.name}: descriptions belong upstream"


def test_agreement_check_catches_a_wrong_type() -> None:
    theirs = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
    ours = {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}
    assert disagreements(ours, theirs) == ["a: type {'integer'} != upstream {'string'}"]
    assert disagreements({"type": "object", "properties": {"a": {"type": "string"}}}, theirs) == [
        "<root>: required None != upstream ['a']"
    ]


def test_seed_custom_resources_are_valid_under_ours_and_upstream() -> None:
    documents = yamlio.load_file(ROOT / "tests/fixtures/validate/custom-resources.yaml")
    registry = SchemaRegistry.create(strict=True)
    for document in documents:
        obj = document.data
        validator = registry.validator(obj["apiVersion"], obj["kind"])
        assert validator is not None
        assert [e.message for e in validator.iter_errors(obj)] == [], obj["metadata"]["name"]
        theirs = upstream(obj["apiVersion"], obj["kind"])
        plain = {**obj, "metadata": {}}
        assert jsonschema_rs.validator_for(theirs).is_valid(plain), obj["metadata"]["name"]


# --- conversion of CRD openAPIV3Schema, as the API server reads it -------------------------------------------


def convert(openapi: dict[str, Any], strict: bool = False) -> Any:
    schema = crd.to_json_schema(openapi, "example.com/v1", "Widget", strict=strict, metadata_ref=OBJECT_META_REF)
    schema["properties"]["metadata"] = {"type": "object"}
    return jsonschema_rs.validator_for(schema)


def widget(**spec: Any) -> dict[str, Any]:
    return {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": spec}


SPEC = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "required": ["port"],
            "properties": {
                "port": {"x-kubernetes-int-or-string": True},
                "legacyPort": {"type": "string", "format": "int-or-string"},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": True, "properties": {"a": {"type": "string"}}},
                "ratio": {"type": "number", "minimum": 0, "exclusiveMinimum": True},
                "mode": {"type": "string", "enum": ["a", "b"]},
                "maybe": {"type": "string", "nullable": True},
            },
        }
    },
}


def test_int_or_string_in_both_spellings() -> None:
    validator = convert(SPEC)
    assert validator.is_valid(widget(port=80, legacyPort="http"))
    assert validator.is_valid(widget(port="http", legacyPort=8080))
    assert not validator.is_valid(widget(port=1.5))


def test_preserve_unknown_fields_even_when_strict() -> None:
    validator = convert(SPEC, strict=True)
    assert validator.is_valid(widget(port=1, free={"a": "x", "anything": [1]}))
    assert not validator.is_valid(widget(port=1, free={"a": 1}))
    assert not validator.is_valid(widget(port=1, unknown=True))
    assert convert(SPEC, strict=False).is_valid(widget(port=1, unknown=True))


def test_null_is_pruned_for_optional_fields_but_not_for_required_ones() -> None:
    validator = convert(SPEC)
    assert validator.is_valid(widget(port=1, mode=None, labels=None, maybe=None))
    assert not validator.is_valid(widget(port=None))


def test_openapi_exclusive_minimum_becomes_json_schema() -> None:
    validator = convert(SPEC)
    assert validator.is_valid(widget(port=1, ratio=0.5))
    assert not validator.is_valid(widget(port=1, ratio=0))


def test_v1beta1_crd_with_top_level_validation() -> None:
    definition = {
        "apiVersion": "apiextensions.k8s.io/v1beta1",
        "kind": "CustomResourceDefinition",
        "spec": {
            "group": "example.com",
            "version": "v1",
            "names": {"kind": "Gadget"},
            "validation": {"openAPIV3Schema": {"type": "object", "properties": {"spec": {"type": "object"}}}},
        },
    }
    assert list(crd.served_versions(definition)) == [("example.com/v1", "Gadget")]


def test_unserved_versions_are_left_out() -> None:
    found = crd.load_crd_file(ROOT / "tests/fixtures/validate/crds/widget-crd.yaml")
    assert list(found) == [("example.com/v1", "Widget")]
