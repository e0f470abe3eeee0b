"""The Deployment: pod template, container, probes, security defaults, scheduling."""

from __future__ import annotations

from typing import Any

from generator.render.context import Target, common_labels, metadata, selector_labels

DEFAULT_USER = 10001
PROBE_FIELDS = ("initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold")


def image_reference(image: dict[str, Any]) -> str:
    if "digest" in image:
        return f"{image['repository']}@{image['digest']}"
    if "tag" in image:
        return f"{image['repository']}:{image['tag']}"
    return image["repository"]  # an app's base, when only the environments name the tag (each one must)


def uses_autoscaling(settings: dict[str, Any]) -> bool:
    autoscaling = settings.get("autoscaling") or {}
    return bool(autoscaling) and bool(autoscaling.get("enabled", True))


def service_account_name(settings: dict[str, Any], app: str) -> str:
    return settings.get("serviceAccount", {}).get("name", app)


def deployment(settings: dict[str, Any], target: Target) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    if not uses_autoscaling(settings):
        spec["replicas"] = settings.get("replicas", 1)
    spec["selector"] = {"matchLabels": selector_labels(target.app)}
    if "strategy" in settings:
        spec["strategy"] = _strategy(settings["strategy"])
    spec["template"] = {"metadata": _pod_metadata(settings, target), "spec": pod_spec(settings, target)}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": metadata(settings, target), "spec": spec}


def _strategy(strategy: dict[str, Any]) -> dict[str, Any]:
    kind = strategy.get("type", "RollingUpdate")
    result: dict[str, Any] = {"type": kind}
    rolling = {key: strategy[key] for key in ("maxSurge", "maxUnavailable") if key in strategy}
    if kind == "RollingUpdate" and rolling:
        result["rollingUpdate"] = rolling
    return result


def _pod_metadata(settings: dict[str, Any], target: Target) -> dict[str, Any]:
    meta: dict[str, Any] = {"labels": {**common_labels(settings, target), **settings.get("podLabels", {})}}
    annotations = dict(settings.get("podAnnotations", {}))
    scrape = settings.get("monitoring", {}).get("scrapeAnnotations")
    if scrape:
        annotations.update({
            "prometheus.io/scrape": "true",
            "prometheus.io/port": str(_port_number(settings, scrape["port"])),
            "prometheus.io/path": scrape.get("path", "/metrics"),
        })
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
        "containers": [container(settings, target)],
    }
    if "terminationGracePeriodSeconds" in settings:
        spec["terminationGracePeriodSeconds"] = settings["terminationGracePeriodSeconds"]
    if "priorityClassName" in settings:
        spec["priorityClassName"] = settings["priorityClassName"]
    volumes = [_volume(volume) for volume in settings.get("volumes", [])]
    if volumes:
        spec["volumes"] = volumes
    if settings.get("nodeSelector"):
        spec["nodeSelector"] = dict(settings["nodeSelector"])
    if settings.get("tolerations"):
        spec["tolerations"] = [dict(t) for t in settings["tolerations"]]
    if "antiAffinity" in settings:
        spec["affinity"] = _anti_affinity(settings["antiAffinity"], target.app)
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


def _container_security(security: dict[str, Any]) -> dict[str, Any]:
    capabilities: dict[str, Any] = {"drop": ["ALL"]}
    if security.get("capabilitiesAdd"):
        capabilities["add"] = list(security["capabilitiesAdd"])
    return {
        "allowPrivilegeEscalation": security.get("allowPrivilegeEscalation", False),
        "privileged": False,
        "readOnlyRootFilesystem": security.get("readOnlyRootFilesystem", True),
        "runAsNonRoot": security.get("runAsNonRoot", True),
        "capabilities": capabilities,
    }


def container(settings: dict[str, Any], target: Target) -> dict[str, Any]:
    image = settings["image"]
    result: dict[str, Any] = {"name": target.app, "image": image_reference(image)}
    if "pullPolicy" in image:
        result["imagePullPolicy"] = image["pullPolicy"]
    for key in ("command", "args", "workingDir"):
        if settings.get(key):
            result[key] = settings[key]
    if settings.get("ports"):
        result["ports"] = [_container_port(port) for port in settings["ports"]]
    if settings.get("env"):
        result["env"] = [_env_var(var) for var in settings["env"]]
    if settings.get("envFrom"):
        result["envFrom"] = [_env_from(source) for source in settings["envFrom"]]
    resources = {kind: dict(values) for kind, values in settings.get("resources", {}).items() if values}
    if resources:
        result["resources"] = resources
    for kind in ("liveness", "readiness", "startup"):
        if kind in settings.get("probes", {}):
            result[f"{kind}Probe"] = _probe(settings["probes"][kind])
    result["securityContext"] = _container_security(settings.get("securityContext", {}))
    mounts = [_volume_mount(volume) for volume in settings.get("volumes", [])]
    if mounts:
        result["volumeMounts"] = mounts
    return result


def _container_port(port: dict[str, Any]) -> dict[str, Any]:
    result = {"name": port["name"], "containerPort": port["port"]}
    if "protocol" in port:
        result["protocol"] = port["protocol"]
    return result


def _env_var(var: dict[str, Any]) -> dict[str, Any]:
    if "value" in var:
        return {"name": var["name"], "value": var["value"]}
    if "fieldRef" in var:
        return {"name": var["name"], "valueFrom": {"fieldRef": {"fieldPath": var["fieldRef"]}}}
    kind = "secretKeyRef" if "secretKeyRef" in var else "configMapKeyRef"
    return {"name": var["name"], "valueFrom": {kind: dict(var[kind])}}


def _env_from(source: dict[str, Any]) -> dict[str, Any]:
    kind, ref = ("configMapRef", source["configMap"]) if "configMap" in source else ("secretRef", source["secret"])
    result: dict[str, Any] = {}
    if "prefix" in source:
        result["prefix"] = source["prefix"]
    result[kind] = {"name": ref}
    if "optional" in source:
        result[kind]["optional"] = source["optional"]
    return result


def _probe(probe: dict[str, Any]) -> dict[str, Any]:
    if "http" in probe:
        handler = {"httpGet": {"path": probe["http"]["path"], "port": probe["http"]["port"]}}
        if "scheme" in probe["http"]:
            handler["httpGet"]["scheme"] = probe["http"]["scheme"]
    elif "tcp" in probe:
        handler = {"tcpSocket": {"port": probe["tcp"]["port"]}}
    else:
        handler = {"exec": {"command": list(probe["exec"]["command"])}}
    return {**handler, **{key: probe[key] for key in PROBE_FIELDS if key in probe}}


def _volume(volume: dict[str, Any]) -> dict[str, Any]:
    if "emptyDir" in volume:
        return {"name": volume["name"], "emptyDir": dict(volume["emptyDir"])}
    if "configMap" in volume:
        return {"name": volume["name"], "configMap": dict(volume["configMap"])}
    secret = {"secretName": volume["secret"]["name"], **{k: v for k, v in volume["secret"].items() if k != "name"}}
    return {"name": volume["name"], "secret": secret}


def _volume_mount(volume: dict[str, Any]) -> dict[str, Any]:
    mount = {"name": volume["name"], "mountPath": volume["mountPath"]}
    if "readOnly" in volume:
        mount["readOnly"] = volume["readOnly"]
    return mount


def _anti_affinity(anti: dict[str, Any], app: str) -> dict[str, Any]:
    term = {"labelSelector": {"matchLabels": selector_labels(app)}, "topologyKey": anti.get("topologyKey", "kubernetes.io/hostname")}
    if anti["type"] == "required":
        return {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term]}}
    weighted = {"weight": anti.get("weight", 100), "podAffinityTerm": term}
    return {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [weighted]}}
