"""The Deployment: pod template, container, probes, security defaults, scheduling."""

from __future__ import annotations

from typing import Any

from generator.render.containers import container, extra_container
from generator.render.context import Target, common_labels, metadata, selector_labels
from generator.render.progressive import ROLLOUTS_API, pod_selector_labels, rollout_settings, rollout_strategy, uses_argo_rollouts

DEFAULT_USER = 10001
SHM_VOLUME = "dshm"


def uses_autoscaling(settings: dict[str, Any]) -> bool:
    autoscaling = settings.get("autoscaling") or {}
    return bool(autoscaling) and bool(autoscaling.get("enabled", True))


def service_account_name(settings: dict[str, Any], app: str) -> str:
    return settings.get("serviceAccount", {}).get("name", app)


# The kinds ``workload_kind`` chooses from: the app's pod controller.
APP_WORKLOAD_KINDS = ("Deployment", "StatefulSet", "Rollout")


def workload_kind(settings: dict[str, Any]) -> tuple[str, str]:
    """(apiVersion, kind) of the app's pod controller."""
    if settings.get("kind") == "StatefulSet":
        return "apps/v1", "StatefulSet"
    if uses_argo_rollouts(settings):
        return ROLLOUTS_API, "Rollout"
    return "apps/v1", "Deployment"


def headless_service_name(app: str) -> str:
    return f"{app}-headless"


def workload(settings: dict[str, Any], target: Target) -> dict[str, Any]:
    """The Deployment, or the Argo Rollouts Rollout that replaces it."""
    api_version, kind = workload_kind(settings)
    spec: dict[str, Any] = {}
    if not uses_autoscaling(settings):
        spec["replicas"] = settings.get("replicas", 1)
    spec["selector"] = {"matchLabels": selector_labels(target.app)}
    rollout = rollout_settings(settings)
    if kind == "StatefulSet":
        spec["serviceName"] = headless_service_name(target.app)
        if "podManagementPolicy" in settings:
            spec["podManagementPolicy"] = settings["podManagementPolicy"]
        if "strategy" in settings:
            spec["updateStrategy"] = {"type": settings["strategy"].get("type", "RollingUpdate")}
    elif kind == "Rollout" and rollout is not None:
        spec["strategy"] = rollout_strategy(rollout, target.app, settings.get("service", {}).get("name", target.app))
    elif "strategy" in settings:
        spec["strategy"] = _strategy(settings["strategy"])
    spec["template"] = {"metadata": _pod_metadata(settings, target), "spec": pod_spec(settings, target)}
    claims = [_claim_template(claim, common_labels(settings, target)) for claim in settings.get("volumeClaimTemplates", [])]
    if claims:
        spec["volumeClaimTemplates"] = claims
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata(settings, target), "spec": spec}


def _strategy(strategy: dict[str, Any]) -> dict[str, Any]:
    kind = strategy.get("type", "RollingUpdate")
    result: dict[str, Any] = {"type": kind}
    rolling = {key: strategy[key] for key in ("maxSurge", "maxUnavailable") if key in strategy}
    if kind == "RollingUpdate" and rolling:
        result["rollingUpdate"] = rolling
    return result


def _pod_metadata(settings: dict[str, Any], target: Target) -> dict[str, Any]:
    labels = {**common_labels(settings, target), **pod_selector_labels(settings, target.app), **settings.get("podLabels", {})}
    meta: dict[str, Any] = {"labels": labels}
    annotations = dict(settings.get("podAnnotations", {}))
    scrape = settings.get("monitoring", {}).get("scrapeAnnotations")
    if scrape:
        annotations.update(
            {
                "prometheus.io/scrape": "true",
                "prometheus.io/port": str(_port_number(settings, scrape["port"])),
                "prometheus.io/path": scrape.get("path", "/metrics"),
            }
        )
    if annotations:
        meta["annotations"] = annotations
    return meta


def _port_number(settings: dict[str, Any], port: int | str) -> int:
    if isinstance(port, int):
        return port
    return next(p["port"] for p in settings.get("ports", []) if p["name"] == port)


def pod_spec(settings: dict[str, Any], target: Target) -> dict[str, Any]:
    security = settings.get("securityContext", {})
    spec: dict[str, Any] = {
        "serviceAccountName": service_account_name(settings, target.app),
        "automountServiceAccountToken": settings.get("serviceAccount", {}).get("automountToken", False),
        "securityContext": _pod_security(security),
        "containers": [
            container(settings, target, [*_all_volumes(settings), *settings.get("volumeClaimTemplates", [])]),
            *[extra_container(sidecar, settings) for sidecar in settings.get("sidecars", [])],
        ],
    }
    if settings.get("initContainers"):
        spec["initContainers"] = [extra_container(init, settings) for init in settings["initContainers"]]
    if "terminationGracePeriodSeconds" in settings:
        spec["terminationGracePeriodSeconds"] = settings["terminationGracePeriodSeconds"]
    if "priorityClassName" in settings:
        spec["priorityClassName"] = settings["priorityClassName"]
    volumes = [_volume(volume) for volume in _all_volumes(settings)]
    if volumes:
        spec["volumes"] = volumes
    if settings.get("nodeSelector"):
        spec["nodeSelector"] = dict(settings["nodeSelector"])
    if settings.get("tolerations"):
        spec["tolerations"] = [dict(t) for t in settings["tolerations"]]
    affinity = {}
    if settings.get("nodeAffinity"):
        affinity["nodeAffinity"] = _node_affinity(settings["nodeAffinity"])
    if "antiAffinity" in settings:
        affinity.update(_anti_affinity(settings["antiAffinity"], target.app))
    if affinity:
        spec["affinity"] = affinity
    if settings.get("topologySpread"):
        spec["topologySpreadConstraints"] = [
            {
                "maxSkew": item.get("maxSkew", 1),
                "topologyKey": item["topologyKey"],
                "whenUnsatisfiable": item.get("whenUnsatisfiable", "ScheduleAnyway"),
                "labelSelector": {"matchLabels": selector_labels(target.app)},
            }
            for item in settings["topologySpread"]
        ]
    return spec


def _pod_security(security: dict[str, Any]) -> dict[str, Any]:
    user = security.get("runAsUser", DEFAULT_USER)
    return {
        "runAsNonRoot": security.get("runAsNonRoot", True),
        "runAsUser": user,
        "runAsGroup": security.get("runAsGroup", user),
        "fsGroup": security.get("fsGroup", user),
        "seccompProfile": {"type": security.get("seccompProfile", "RuntimeDefault")},
    }


def _volume(volume: dict[str, Any]) -> dict[str, Any]:
    if "emptyDir" in volume:
        return {"name": volume["name"], "emptyDir": dict(volume["emptyDir"])}
    if "configMap" in volume:
        return {"name": volume["name"], "configMap": dict(volume["configMap"])}
    if "persistentVolumeClaim" in volume:
        return {"name": volume["name"], "persistentVolumeClaim": {"claimName": volume["persistentVolumeClaim"]["claimName"]}}
    secret = {"secretName": volume["secret"]["name"], **{k: v for k, v in volume["secret"].items() if k != "name"}}
    return {"name": volume["name"], "secret": secret}


def _all_volumes(settings: dict[str, Any]) -> list[dict[str, Any]]:
    """The blueprint's volumes, and the in-memory /dev/shm that sharedMemory asks for."""
    volumes = list(settings.get("volumes", []))
    if "sharedMemory" in settings:
        volumes.append({"name": SHM_VOLUME, "mountPath": "/dev/shm", "emptyDir": {"medium": "Memory", "sizeLimit": settings["sharedMemory"]}})
    return volumes


def _node_affinity(node: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if node.get("required"):
        terms = [{"matchExpressions": [_requirement(item) for item in node["required"]]}]
        result["requiredDuringSchedulingIgnoredDuringExecution"] = {"nodeSelectorTerms": terms}
    if node.get("preferred"):
        result["preferredDuringSchedulingIgnoredDuringExecution"] = [
            {"weight": item["weight"], "preference": {"matchExpressions": [_requirement(match) for match in item["match"]]}} for item in node["preferred"]
        ]
    return result


def _requirement(item: dict[str, Any]) -> dict[str, Any]:
    result = {"key": item["key"], "operator": item["operator"]}
    if "values" in item:
        result["values"] = list(item["values"])
    return result


def _claim_template(claim: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    spec: dict[str, Any] = {"accessModes": list(claim.get("accessModes", ["ReadWriteOnce"]))}
    if "storageClassName" in claim:
        spec["storageClassName"] = claim["storageClassName"]
    spec["resources"] = {"requests": {"storage": claim["size"]}}
    return {"metadata": {"name": claim["name"], "labels": labels}, "spec": spec}


def _anti_affinity(anti: dict[str, Any], app: str) -> dict[str, Any]:
    term = {"labelSelector": {"matchLabels": selector_labels(app)}, "topologyKey": anti.get("topologyKey", "kubernetes.io/hostname")}
    if anti["type"] == "required":
        return {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term]}}
    weighted = {"weight": anti.get("weight", 100), "podAffinityTerm": term}
    return {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [weighted]}}
