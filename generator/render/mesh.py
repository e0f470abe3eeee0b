"""Service mesh and Gateway API: Istio PeerAuthentication (mTLS) and VirtualService, Gateway API HTTPRoute."""

from __future__ import annotations

from typing import Any

from generator.render.context import Target, metadata
from generator.render.progressive import pod_selector_labels


def peer_authentication(settings: dict[str, Any], target: Target) -> dict[str, Any] | None:
    mesh = settings.get("mesh", {})
    if not mesh.get("mtls"):
        return None
    spec: dict[str, Any] = {"selector": {"matchLabels": pod_selector_labels(settings, target.app)}, "mtls": {"mode": mesh["mtls"]}}
    if mesh.get("portMtls"):
        # Istio keys port-level modes by the workload's (container) port number
        numbers = pod_port_numbers(settings)
        spec["portLevelMtls"] = {str(numbers[name]): {"mode": mode} for name, mode in sorted(mesh["portMtls"].items(), key=lambda item: numbers[item[0]])}
    return {"apiVersion": "security.istio.io/v1", "kind": "PeerAuthentication", "metadata": metadata(settings, target), "spec": spec}


def pod_port_numbers(settings: dict[str, Any]) -> dict[str, int]:
    """Every named container port of the app's pods (main container and sidecars), by name."""
    containers = [settings, *settings.get("sidecars", [])]
    return {port["name"]: port["port"] for container in containers for port in container.get("ports", []) if "name" in port}


def virtual_service(settings: dict[str, Any], target: Target, service: str, port: int | None) -> dict[str, Any] | None:
    routing = settings.get("mesh", {}).get("virtualService")
    if not routing or port is None:
        return None
    route: dict[str, Any] = {"route": [{"destination": {"host": service, "port": {"number": port}}}]}
    if "timeout" in routing:
        route["timeout"] = routing["timeout"]
    if routing.get("retries"):
        route["retries"] = dict(routing["retries"])
    spec: dict[str, Any] = {"hosts": [target.substitute(host) for host in routing.get("hosts", [service])]}
    if routing.get("gateways"):
        spec["gateways"] = list(routing["gateways"])
    spec["http"] = [route]
    return {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": metadata(settings, target), "spec": spec}


def http_route(settings: dict[str, Any], target: Target, service: str, ports: dict[str, int]) -> dict[str, Any] | None:
    route = settings.get("httpRoute")
    if not route or not route.get("enabled", True) or not ports:
        return None
    default_port = next(iter(ports.values()))
    rules = []
    for path in route.get("paths") or [{"path": "/"}]:
        port = path.get("port", default_port)
        number = ports.get(port, port) if isinstance(port, str) else port
        rules.append(
            {
                "matches": [{"path": {"type": path.get("type", "PathPrefix"), "value": path["path"]}}],
                "backendRefs": [{"name": service, "port": number}],
            }
        )
    parents = [{key: parent[key] for key in ("name", "namespace", "sectionName") if key in parent} for parent in route["parentRefs"]]
    spec: dict[str, Any] = {"parentRefs": parents}
    if route.get("hostnames"):
        spec["hostnames"] = [target.substitute(host) for host in route["hostnames"]]
    spec["rules"] = rules
    return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute", "metadata": metadata(settings, target), "spec": spec}
