"""Containers: the app's main container, its sidecars and init containers, probes, lifecycle hooks and secure defaults."""

from __future__ import annotations

from typing import Any

from generator.render.context import Target

PROBE_FIELDS = ("initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold")


def image_reference(image: dict[str, Any]) -> str:
    if "digest" in image:
        return f"{image['repository']}@{image['digest']}"
    if "tag" in image:
        return f"{image['repository']}:{image['tag']}"
    return str(image["repository"])  # an app's base, when only the environments name the tag (each one must)


def container(settings: dict[str, Any], target: Target, volumes: list[dict[str, Any]]) -> dict[str, Any]:
    """The app's own container; ``volumes`` are every volume and claim it mounts."""
    image = settings["image"]
    result: dict[str, Any] = {"name": settings.get("containerName", target.app), "image": image_reference(image)}
    if "pullPolicy" in image:
        result["imagePullPolicy"] = image["pullPolicy"]
    for key in ("command", "args", "workingDir"):
        if settings.get(key):
            result[key] = settings[key]
    _add_runtime(result, settings)
    if settings.get("lifecycle"):
        result["lifecycle"] = {hook: _handler(action) for hook, action in settings["lifecycle"].items()}
    result["securityContext"] = _container_security(settings.get("securityContext", {}))
    mounts = [_volume_mount(volume) for volume in volumes]
    if mounts:
        result["volumeMounts"] = mounts
    return result


def extra_container(spec: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    """A sidecar or init container: its own image and command, the app's secure defaults."""
    result: dict[str, Any] = {"name": spec["name"], "image": image_reference(spec["image"])}
    if "pullPolicy" in spec["image"]:
        result["imagePullPolicy"] = spec["image"]["pullPolicy"]
    for key in ("command", "args"):
        if spec.get(key):
            result[key] = list(spec[key])
    _add_runtime(result, spec)
    result["securityContext"] = _container_security(settings.get("securityContext", {}))
    if spec.get("volumeMounts"):
        result["volumeMounts"] = [_volume_mount(mount) for mount in spec["volumeMounts"]]
    return result


def _add_runtime(result: dict[str, Any], spec: dict[str, Any]) -> None:
    """Ports, environment, resources and probes, in Kubernetes' field order."""
    if spec.get("ports"):
        result["ports"] = [_container_port(port) for port in spec["ports"]]
    if spec.get("env"):
        result["env"] = [_env_var(var) for var in spec["env"]]
    if spec.get("envFrom"):
        result["envFrom"] = [_env_from(source) for source in spec["envFrom"]]
    resources = {kind: dict(values) for kind, values in spec.get("resources", {}).items() if values}
    if resources:
        result["resources"] = resources
    for kind in ("liveness", "readiness", "startup"):
        if kind in spec.get("probes", {}):
            result[f"{kind}Probe"] = _probe(spec["probes"][kind])


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
    return {**_handler(probe), **{key: probe[key] for key in PROBE_FIELDS if key in probe}}


def _handler(action: dict[str, Any]) -> dict[str, Any]:
    """A probe's or lifecycle hook's action: http, tcp, exec or (hooks) sleep."""
    if "http" in action:
        handler = {"httpGet": {"path": action["http"]["path"], "port": action["http"]["port"]}}
        if "scheme" in action["http"]:
            handler["httpGet"]["scheme"] = action["http"]["scheme"]
        return handler
    if "tcp" in action:
        return {"tcpSocket": {"port": action["tcp"]["port"]}}
    if "sleep" in action:
        return {"sleep": {"seconds": action["sleep"]}}
    return {"exec": {"command": list(action["exec"]["command"])}}


def _volume_mount(volume: dict[str, Any]) -> dict[str, Any]:
    mount = {"name": volume["name"], "mountPath": volume["mountPath"]}
    if "readOnly" in volume:
        mount["readOnly"] = volume["readOnly"]
    return mount
