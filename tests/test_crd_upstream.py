"""Every custom resource gitopsgen renders validates against the upstream CRD definition.

The upstream JSON schemas live outside this repository (`../shared/crd-schemas/<group>/<kind>_<version>.json`,
collected from the projects' published CRDs). Strictly: a field the CRD does not declare would be
pruned silently by the API server, so it is an error here.

Istio's Gateway has no JSON schema there: its upstream is the validator the npm package
@kubernetes-models/istio (3.0.1) compiles from Istio's published CRDs (crd-all.gen.yaml), run with
node (`make tools` installs it); strictness comes from probing every field (see support/istio_validate.mjs).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import istio_upstream_report, upstream_crd_schema

from generator.load import load_project
from generator.render.project import render_project

ROOT = Path(__file__).resolve().parent.parent


def strict(schema: Any) -> Any:
    """Close every object schema that lists its properties, unless it keeps unknown fields."""
    if isinstance(schema, dict):
        schema = {key: strict(value) for key, value in schema.items()}
        if "properties" in schema and "additionalProperties" not in schema and not schema.get("x-kubernetes-preserve-unknown-fields"):
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    return schema


def upstream_schema(api_version: str, kind: str) -> dict[str, Any]:
    schema = strict(upstream_crd_schema(api_version, kind))
    schema["properties"]["metadata"] = {"type": "object"}  # ObjectMeta is checked by the Kubernetes schemas
    schema["properties"].setdefault("apiVersion", {"type": "string"})
    schema["properties"].setdefault("kind", {"type": "string"})
    return schema


def custom_resources() -> list[tuple[str, dict[str, Any]]]:
    rendering = render_project(load_project(ROOT))
    return [
        (f"{rendered.app}/{rendered.env}/{obj['kind']}/{obj['metadata']['name']}", obj)
        for rendered in rendering.sets
        for obj in rendered.objects
        if "." in obj["apiVersion"].split("/")[0]
        and not obj["apiVersion"].startswith(("apps/", "policy/", "autoscaling/", "networking.k8s.io/", "rbac.authorization.k8s.io/"))
    ]


CASES = custom_resources()
# kinds whose upstream schema is a compiled validator, not a JSON schema beside the repository
ISTIO_COMPILED = {("networking.istio.io/v1", "Gateway")}
JSON_CASES = [(name, obj) for name, obj in CASES if (obj["apiVersion"], obj["kind"]) not in ISTIO_COMPILED]


def test_the_examples_emit_every_custom_kind() -> None:
    kinds = {(obj["apiVersion"], obj["kind"]) for _, obj in CASES}
    assert kinds == {
        ("argoproj.io/v1alpha1", "Application"),
        ("argoproj.io/v1alpha1", "AppProject"),
        ("external-secrets.io/v1", "ExternalSecret"),
        ("external-secrets.io/v1", "SecretStore"),
        ("monitoring.coreos.com/v1", "ServiceMonitor"),
        ("monitoring.coreos.com/v1", "PrometheusRule"),
        ("flagger.app/v1beta1", "Canary"),
        ("flagger.app/v1beta1", "MetricTemplate"),
        ("argoproj.io/v1alpha1", "Rollout"),
        ("argoproj.io/v1alpha1", "AnalysisTemplate"),
        ("keda.sh/v1alpha1", "ScaledObject"),
        ("autoscaling.k8s.io/v1", "VerticalPodAutoscaler"),
        ("security.istio.io/v1", "PeerAuthentication"),
        ("networking.istio.io/v1", "Gateway"),
        ("cert-manager.io/v1", "Certificate"),
    }


@pytest.mark.parametrize(("name", "obj"), JSON_CASES, ids=[name for name, _ in JSON_CASES])
def test_custom_resource_matches_upstream_crd(name: str, obj: dict[str, Any]) -> None:
    schema = upstream_schema(obj["apiVersion"], obj["kind"])
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(obj), key=lambda e: list(map(str, e.absolute_path)))
    assert not errors, "\n".join(f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)


def test_istio_gateways_match_istios_published_crd_strictly(istio_validators: tuple[str, Path]) -> None:
    cases = [(name, obj) for name, obj in CASES if (obj["apiVersion"], obj["kind"]) in ISTIO_COMPILED]
    assert len(cases) >= 6  # ai-prism's and Wave 2's, in dev, staging and prod

    report = istio_upstream_report(istio_validators, cases)

    assert sorted(report) == sorted(name for name, _ in cases)
    assert {name: result for name, result in report.items() if result["errors"] or result["undeclared"]} == {}


def test_the_istio_check_catches_a_wrong_type_and_an_undeclared_field(istio_validators: tuple[str, Path]) -> None:
    name, gateway = next((name, obj) for name, obj in CASES if obj["kind"] == "Gateway")
    broken = copy.deepcopy(gateway)
    broken["spec"]["servers"][0]["port"]["number"] = "443"
    broken["spec"]["servers"][0]["tls"]["credentialNam"] = "typo"

    report = istio_upstream_report(istio_validators, [(name, broken)])

    assert [error.split()[0] for error in report[name]["errors"]] == ["/spec/servers/0/port/number"]
    assert report[name]["undeclared"] == ["/spec/servers/0/tls/credentialNam"]


def test_an_overlays_sync_policy_is_typed_as_the_application_crd_types_it() -> None:
    """``argocd.syncPolicy`` of an overlay goes into every Application as given: each field our schema allows is
    the CRD's, of the CRD's type, and the CRD has no field our schema refuses (``automated: true`` once
    stopped render with a traceback)."""
    import json

    ours = json.loads((ROOT / "generator" / "schemas" / "environment.schema.json").read_text())
    ours = ours["properties"]["argocd"]["properties"]["syncPolicy"]
    theirs = upstream_crd_schema("argoproj.io/v1alpha1", "Application")["properties"]["spec"]["properties"]["syncPolicy"]

    def same(mine: dict[str, Any], upstream: dict[str, Any], where: str) -> None:
        if "$ref" in mine:  # labels: the project's label map, stricter than the CRD's map of strings
            assert upstream["type"] == "object" and upstream["additionalProperties"] == {"type": "string"}, where
            return
        assert mine["type"] == upstream["type"], where
        if mine["type"] == "object":
            assert set(mine.get("properties", {})) == set(upstream.get("properties", {})), where
            assert mine.get("additionalProperties", True) in (False, upstream.get("additionalProperties")), where
            for name, field in mine.get("properties", {}).items():
                same(field, upstream["properties"][name], f"{where}.{name}")
        if mine["type"] == "array":
            same(mine["items"], upstream["items"], f"{where}[]")

    same(ours, theirs, "syncPolicy")
