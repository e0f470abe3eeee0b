"""Autoscaling beyond the CPU/memory HPA: KEDA ScaledObjects (queue depth, Prometheus...) and
VerticalPodAutoscalers (recommendation mode by default)."""

from __future__ import annotations

from typing import Any

from generator.render.context import Target, metadata

KEDA_API = "keda.sh/v1alpha1"
VPA_API = "autoscaling.k8s.io/v1"


def uses_keda(settings: dict[str, Any]) -> bool:
    autoscaling = settings.get("autoscaling") or {}
    return autoscaling.get("enabled", True) and autoscaling.get("engine") == "keda"


def scaled_object(settings: dict[str, Any], target: Target, workload: tuple[str, str]) -> dict[str, Any] | None:
    """KEDA's ScaledObject: it creates and owns the HPA (keda-hpa-<app>), so gitopsgen emits none."""
    if not uses_keda(settings):
        return None
    autoscaling = settings["autoscaling"]
    triggers = [{"type": name, "metricType": "Utilization", "metadata": {"value": str(autoscaling[name])}} for name in ("cpu", "memory") if name in autoscaling]
    for trigger in autoscaling.get("triggers", []):
        item: dict[str, Any] = {"type": trigger["type"]}
        if "name" in trigger:
            item["name"] = trigger["name"]
        if "metricType" in trigger:
            item["metricType"] = trigger["metricType"]
        item["metadata"] = {key: target.substitute(str(value)) for key, value in trigger["metadata"].items()}
        if "authenticationRef" in trigger:
            item["authenticationRef"] = dict(trigger["authenticationRef"])
        triggers.append(item)
    api_version, kind = workload
    spec: dict[str, Any] = {"scaleTargetRef": {"apiVersion": api_version, "kind": kind, "name": target.app}}
    for key, field in (
        ("pollingInterval", "pollingInterval"),
        ("cooldownPeriod", "cooldownPeriod"),
        ("idleReplicas", "idleReplicaCount"),
        ("maxReplicas", "maxReplicaCount"),
    ):
        if key in autoscaling:
            spec[field] = autoscaling[key]
    spec["minReplicaCount"] = autoscaling.get("minReplicas", 1)  # KEDA's own default would be 0: scale to zero only when asked
    if autoscaling.get("behavior"):
        spec["advanced"] = {"horizontalPodAutoscalerConfig": {"behavior": autoscaling["behavior"]}}
    spec["triggers"] = triggers
    return {"apiVersion": KEDA_API, "kind": "ScaledObject", "metadata": metadata(settings, target), "spec": spec}


def vertical_autoscaler(settings: dict[str, Any], target: Target, workload: tuple[str, str]) -> dict[str, Any] | None:
    vertical = settings.get("verticalScaling")
    if not vertical or not vertical.get("enabled", True):
        return None
    api_version, kind = workload
    policy: dict[str, Any] = {"containerName": "*"}
    for key in ("minAllowed", "maxAllowed"):
        if vertical.get(key):
            policy[key] = dict(vertical[key])
    if vertical.get("controlledResources"):
        policy["controlledResources"] = list(vertical["controlledResources"])
    spec = {
        "targetRef": {"apiVersion": api_version, "kind": kind, "name": target.app},
        "updatePolicy": {"updateMode": vertical.get("mode", "Off")},
        "resourcePolicy": {"containerPolicies": [policy]},
    }
    return {"apiVersion": VPA_API, "kind": "VerticalPodAutoscaler", "metadata": metadata(settings, target), "spec": spec}
