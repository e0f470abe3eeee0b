"""Helm delivery: the chart values that make a gitopsgen-compatible chart build the same objects.

The values follow the conventions of ``helm create`` charts (replicaCount, image, service,
ingress, autoscaling, resources, probes, nodeSelector, tolerations, affinity, ...) and carry
gitopsgen's decisions in Kubernetes' own field shapes, so the chart holds no policy of its own.
Objects a service chart does not usually template (ConfigMaps, ExternalSecrets, SecretStores,
PrometheusRules and the other custom resources) travel whole in ``extraObjects``. The blueprint's ``helm.values`` are merged last, as given.
"""

from __future__ import annotations

from typing import Any

from generator.load import deep_merge
from generator.render.workload import APP_WORKLOAD_KINDS

POD_FIELDS = (
    "serviceAccountName",
    "automountServiceAccountToken",
    "terminationGracePeriodSeconds",
    "priorityClassName",
    "volumes",
    "nodeSelector",
    "tolerations",
    "affinity",
    "topologySpreadConstraints",
)
CONTAINER_FIELDS = (
    "command",
    "args",
    "workingDir",
    "ports",
    "env",
    "envFrom",
    "resources",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "lifecycle",
    "volumeMounts",
)
# The pod controllers the chart's workload template writes (``workload.apiVersion``/``kind``).
WORKLOAD_KINDS = APP_WORKLOAD_KINDS
# StatefulSet fields, written when present.
STATEFUL_FIELDS = ("serviceName", "podManagementPolicy", "updateStrategy", "volumeClaimTemplates")
# Kinds the chart templates (the app's first object of each) from dedicated values; every other object,
# a second Service included, travels whole in extraObjects.
TEMPLATED_KINDS = frozenset(
    {
        "ServiceAccount",
        "Service",
        "Ingress",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "NetworkPolicy",
        "ServiceMonitor",
    }
)
# Templated kinds whose pod selector (this field) the chart writes from selectorLabels. An app run by
# Flagger selects its pods by another label (progressive.pod_selector_labels), so its
# PodDisruptionBudget and NetworkPolicy cannot come from the chart's templates.
POD_SELECTING_KINDS = {"PodDisruptionBudget": "selector", "NetworkPolicy": "podSelector"}


def helm_values(objects: list[dict[str, Any]], settings: dict[str, Any]) -> dict[str, Any]:
    by_kind: dict[str, list[dict[str, Any]]] = {}
    deployment = next(obj for obj in objects if obj["kind"] in WORKLOAD_KINDS)
    selector = deployment["spec"]["selector"]["matchLabels"]
    for obj in objects:
        if obj["kind"] in POD_SELECTING_KINDS and obj["spec"][POD_SELECTING_KINDS[obj["kind"]]] != {"matchLabels": selector}:
            continue  # the chart selects the workload's selector labels: this one travels whole in extraObjects
        by_kind.setdefault(obj["kind"], []).append(obj)
    pod = deployment["spec"]["template"]
    container = pod["spec"]["containers"][0]
    image = settings["image"]
    values: dict[str, Any] = {
        "workload": {"apiVersion": deployment["apiVersion"], "kind": deployment["kind"]},
        "fullnameOverride": settings["name"],
        "labels": deployment["metadata"]["labels"],
        "annotations": deployment["metadata"].get("annotations", {}),
        "selectorLabels": selector,
    }
    if "replicas" in deployment["spec"]:
        values["replicaCount"] = deployment["spec"]["replicas"]
    elif "HorizontalPodAutoscaler" not in by_kind:
        values["replicaCount"] = None  # another autoscaler (KEDA's) owns the count: null drops the chart's default
    values["image"] = {key: image[key] for key in ("repository", "tag", "digest", "pullPolicy") if key in image}
    if "strategy" in deployment["spec"]:
        values["strategy"] = deployment["spec"]["strategy"]
    values.update({key: deployment["spec"][key] for key in STATEFUL_FIELDS if key in deployment["spec"]})
    values["podLabels"] = pod["metadata"]["labels"]
    values["podAnnotations"] = pod["metadata"].get("annotations", {})
    values["podSecurityContext"] = pod["spec"]["securityContext"]
    values["securityContext"] = container["securityContext"]
    values.update({key: pod["spec"][key] for key in POD_FIELDS if key in pod["spec"]})
    values.update({key: container[key] for key in CONTAINER_FIELDS if key in container})
    if container["name"] != settings["name"]:
        values["containerName"] = container["name"]
    if pod["spec"]["containers"][1:]:
        values["sidecars"] = pod["spec"]["containers"][1:]
    if "initContainers" in pod["spec"]:
        values["initContainers"] = pod["spec"]["initContainers"]
    values["serviceAccount"] = _service_account(by_kind.get("ServiceAccount"))
    services = [obj for obj in by_kind.get("Service", []) if obj["metadata"]["name"] == settings.get("service", {}).get("name", settings["name"])]
    values["service"] = _service(services)
    values["ingress"] = _ingress(by_kind.get("Ingress"))
    values["autoscaling"] = _with_spec(by_kind.get("HorizontalPodAutoscaler"), ("minReplicas", "maxReplicas", "metrics", "behavior"))
    values["podDisruptionBudget"] = _with_spec(by_kind.get("PodDisruptionBudget"), ("minAvailable", "maxUnavailable"))
    values["networkPolicy"] = _with_spec(by_kind.get("NetworkPolicy"), ("policyTypes", "ingress", "egress"))
    values["serviceMonitor"] = _service_monitor(by_kind.get("ServiceMonitor"))
    templated = {id(found[0]) for kind, found in by_kind.items() if kind in TEMPLATED_KINDS and kind != "Service"} | {id(deployment)}
    templated |= {id(service) for service in services}
    values["extraObjects"] = [_without_namespace(obj) for obj in objects if id(obj) not in templated]
    return deep_merge(values, settings.get("helm", {}).get("values", {}))


def _service_account(objects: list[dict[str, Any]] | None) -> dict[str, Any]:
    if not objects:
        return {"create": False}
    account = objects[0]
    return {
        "create": True,
        "name": account["metadata"]["name"],
        "annotations": account["metadata"].get("annotations", {}),
        "automount": account["automountServiceAccountToken"],
    }


def _service(objects: list[dict[str, Any]] | None) -> dict[str, Any]:
    if not objects:
        return {"enabled": False}
    service = objects[0]
    return {
        "enabled": True,
        "name": service["metadata"]["name"],
        "type": service["spec"]["type"],
        "annotations": service["metadata"].get("annotations", {}),
        "ports": service["spec"]["ports"],
    }


def _ingress(objects: list[dict[str, Any]] | None) -> dict[str, Any]:
    if not objects:
        return {"enabled": False}
    ingress = objects[0]
    values = {"enabled": True, "annotations": ingress["metadata"].get("annotations", {})}
    values.update(ingress["spec"])
    return values


def _with_spec(objects: list[dict[str, Any]] | None, fields: tuple[str, ...]) -> dict[str, Any]:
    if not objects:
        return {"enabled": False}
    spec = objects[0]["spec"]
    return {"enabled": True, **{key: spec[key] for key in fields if key in spec}}


def _service_monitor(objects: list[dict[str, Any]] | None) -> dict[str, Any]:
    if not objects:
        return {"enabled": False}
    monitor = objects[0]
    return {"enabled": True, "labels": monitor["metadata"]["labels"], "endpoints": monitor["spec"]["endpoints"]}


def _without_namespace(obj: dict[str, Any]) -> dict[str, Any]:
    metadata = {key: value for key, value in obj["metadata"].items() if key != "namespace"}
    return {**obj, "metadata": metadata}
