"""NetworkPolicies: the app's (ingress from its declared peers, egress when given, DNS allowed) and its jobs'."""

from __future__ import annotations

from typing import Any

from generator.render.context import Target, metadata
from generator.render.jobs import job_name
from generator.render.progressive import pod_selector_labels

DNS_PEER = {
    "to": [
        {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
            "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
        }
    ],
    "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}],
}


def _peer_ports(ports: list[Any]) -> list[dict[str, Any]]:
    result = []
    for port in ports:
        if isinstance(port, dict):
            result.append({"port": port["port"], "protocol": port.get("protocol", "TCP")})
        else:
            result.append({"port": port, "protocol": "TCP"})
    return result


def _peers(peer: dict[str, Any]) -> list[dict[str, Any]]:
    pods = {"podSelector": {"matchLabels": dict(peer["pods"])}} if "pods" in peer else {}
    result: list[dict[str, Any]] = [
        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": namespace}}, **pods} for namespace in peer.get("namespaces", [])
    ]
    if pods and not peer.get("namespaces"):
        result.append(pods)
    if "cidr" in peer:
        result.append({"ipBlock": {"cidr": peer["cidr"]}})
    return result


def _rule(peer: dict[str, Any], direction: str) -> dict[str, Any]:
    rule: dict[str, Any] = {}
    peers = _peers(peer)
    if peers:
        rule[direction] = peers
    if peer.get("ports"):
        rule["ports"] = _peer_ports(peer["ports"])
    return rule


def network_policy(settings: dict[str, Any], target: Target) -> dict[str, Any] | None:
    policy = settings.get("networkPolicy", {})
    if not policy.get("enabled", True):
        return None
    if "ingress" in policy:
        ingress = [_rule(peer, "from") for peer in policy["ingress"]]
    else:  # default: the pods of the same namespace, on the declared ports only
        ports = [port["port"] for port in settings.get("ports", [])]
        ingress = [_rule({"ports": ports}, "from") | {"from": [{"podSelector": {}}]}] if ports else []
    spec: dict[str, Any] = {"podSelector": {"matchLabels": pod_selector_labels(settings, target.app)}, "policyTypes": ["Ingress"], "ingress": ingress}
    if "egress" in policy:
        spec["policyTypes"].append("Egress")
        egress = [DNS_PEER] if policy.get("allowDNS", True) else []
        spec["egress"] = egress + [_rule(peer, "to") for peer in policy["egress"]]
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": metadata(settings, target), "spec": spec}


def job_network_policies(settings: dict[str, Any], target: Target) -> list[dict[str, Any]]:
    """A job's pods take no traffic and reach what the app may reach: its NetworkPolicy admits nothing
    and repeats the app's egress rules (all egress when the app restricts none)."""
    policy = settings.get("networkPolicy", {})
    if not policy.get("enabled", True):
        return []
    policies = []
    for job in settings.get("jobs", []):
        if not job.get("enabled", True):
            continue
        name = job_name(target.app, job)
        spec: dict[str, Any] = {"podSelector": {"matchLabels": {"app.kubernetes.io/name": name}}, "policyTypes": ["Ingress"], "ingress": []}
        if "egress" in policy:
            spec["policyTypes"].append("Egress")
            egress = [DNS_PEER] if policy.get("allowDNS", True) else []
            spec["egress"] = egress + [_rule(peer, "to") for peer in policy["egress"]]
        policies.append({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": metadata(settings, target, name=name), "spec": spec})
    return policies
