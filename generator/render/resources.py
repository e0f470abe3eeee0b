"""Every object of one app besides the Deployment, and the list of all of them in a fixed order."""

from __future__ import annotations

from typing import Any

from generator.render.context import NeedsEnvironment, Target, metadata, selector_labels
from generator.render.workload import deployment, service_account_name, uses_autoscaling

DNS_PEER = {
    "to": [{
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
        "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
    }],
    "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}],
}


class IncompleteSettings(Exception):
    """A required value is missing; in the base it may still come from an environment."""

    def __init__(self, field: tuple[str, ...], message: str) -> None:
        super().__init__(message)
        self.field = field


def build_objects(settings: dict[str, Any], target: Target) -> list[dict[str, Any]]:
    """All objects of one app, in a stable order. In the base, per-environment objects are left out."""
    builders = [
        _service_account, _config_maps, _secret_stores, _external_secrets, deployment, _service,
        _autoscaler, _disruption_budget, _network_policy, _ingress, _service_monitor,
    ]
    objects: list[dict[str, Any]] = []
    for builder in builders:
        try:
            built = builder(settings, target)
        except (NeedsEnvironment, IncompleteSettings):
            if target.env is None:
                continue  # completed by the environments' overlays
            raise
        if isinstance(built, dict):
            objects.append(built)
        elif built:
            objects.extend(built)
    return objects


def _service_account(settings: dict[str, Any], target: Target) -> dict[str, Any] | None:
    account = settings.get("serviceAccount", {})
    if not account.get("create", True):
        return None
    meta = metadata(settings, target, name=service_account_name(settings, target.app), extra_annotations=account.get("annotations"))
    return {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta, "automountServiceAccountToken": account.get("automountToken", False)}


def _config_maps(settings: dict[str, Any], target: Target) -> list[dict[str, Any]]:
    return [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata(settings, target, name=name), "data": dict(data)}
        for name, data in sorted(settings.get("configMaps", {}).items())
    ]


def _secret_stores(settings: dict[str, Any], target: Target) -> list[dict[str, Any]]:
    stores = []
    for store in settings.get("secretStores", []):
        aws = store["aws"]
        provider = {
            "service": aws.get("service", "SecretsManager"),
            "region": aws["region"],
            "auth": {"jwt": {"serviceAccountRef": {"name": aws.get("serviceAccount", service_account_name(settings, target.app))}}},
        }
        stores.append({
            "apiVersion": "external-secrets.io/v1",
            "kind": "SecretStore",
            "metadata": metadata(settings, target, name=store["name"]),
            "spec": {"provider": {"aws": provider}},
        })
    return stores


def _external_secrets(settings: dict[str, Any], target: Target) -> list[dict[str, Any]]:
    secrets = []
    for secret in settings.get("externalSecrets", []):
        spec: dict[str, Any] = {
            "refreshInterval": secret.get("refreshInterval", "1h"),
            "secretStoreRef": {"name": secret["store"]["name"], "kind": secret["store"].get("kind", "SecretStore")},
            "target": {"name": secret["name"], "creationPolicy": "Owner"},
        }
        if secret.get("data"):
            spec["data"] = [_remote_data(item, target) for item in secret["data"]]
        if secret.get("dataFrom"):
            spec["dataFrom"] = [{"extract": {"key": target.substitute(item["extract"])}} for item in secret["dataFrom"]]
        secrets.append({
            "apiVersion": "external-secrets.io/v1",
            "kind": "ExternalSecret",
            "metadata": metadata(settings, target, name=secret["name"]),
            "spec": spec,
        })
    return secrets


def _remote_data(item: dict[str, Any], target: Target) -> dict[str, Any]:
    remote = {"key": target.substitute(item["remoteKey"])}
    if "property" in item:
        remote["property"] = item["property"]
    return {"secretKey": item["secretKey"], "remoteRef": remote}


def service_ports(settings: dict[str, Any]) -> list[dict[str, Any]]:
    configured = settings.get("service", {}).get("ports")
    if configured:
        return [dict(port) for port in configured]
    return [{"name": port["name"], "port": port["port"], "targetPort": port["name"]} for port in settings.get("ports", [])]


def _service(settings: dict[str, Any], target: Target) -> dict[str, Any] | None:
    service = settings.get("service", {})
    ports = service_ports(settings)
    if not service.get("enabled", True) or not ports:
        return None
    meta = metadata(settings, target, extra_annotations=service.get("annotations"))
    spec = {"type": service.get("type", "ClusterIP"), "selector": selector_labels(target.app), "ports": ports}
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec}


def _autoscaler(settings: dict[str, Any], target: Target) -> dict[str, Any] | None:
    if not uses_autoscaling(settings):
        return None
    autoscaling = settings["autoscaling"]
    for key in ("minReplicas", "maxReplicas"):
        if key not in autoscaling:
            raise IncompleteSettings(("autoscaling",), f"autoscaling.{key} is not set for app {target.app!r} in environment "
                                     f"{target.env!r}; set it in the blueprint or the environment")
    metrics = [
        {"type": "Resource", "resource": {"name": name, "target": {"type": "Utilization", "averageUtilization": autoscaling[name]}}}
        for name in ("cpu", "memory") if name in autoscaling
    ]
    metrics += [
        {"type": "Pods", "pods": {"metric": {"name": item["metric"]}, "target": {"type": "AverageValue", "averageValue": item["averageValue"]}}}
        for item in autoscaling.get("pods", [])
    ]
    spec: dict[str, Any] = {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": target.app},
        "minReplicas": autoscaling["minReplicas"],
        "maxReplicas": autoscaling["maxReplicas"],
    }
    if metrics:
        spec["metrics"] = metrics
    if autoscaling.get("behavior"):
        spec["behavior"] = autoscaling["behavior"]
    return {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": metadata(settings, target), "spec": spec}


def minimum_replicas(settings: dict[str, Any]) -> int:
    if uses_autoscaling(settings):
        return settings["autoscaling"].get("minReplicas", 1)
    return settings.get("replicas", 1)


def _disruption_budget(settings: dict[str, Any], target: Target) -> dict[str, Any] | None:
    budget = settings.get("podDisruptionBudget")
    if budget is None:
        if minimum_replicas(settings) < 2:
            return None  # a single replica cannot keep any pod through a drain
        budget = {"maxUnavailable": 1}
    if not budget.get("enabled", True):
        return None
    spec: dict[str, Any] = {key: budget[key] for key in ("minAvailable", "maxUnavailable") if key in budget} or {"maxUnavailable": 1}
    spec["selector"] = {"matchLabels": selector_labels(target.app)}
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": metadata(settings, target), "spec": spec}


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
        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": namespace}}, **pods}
        for namespace in peer.get("namespaces", [])
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


def _network_policy(settings: dict[str, Any], target: Target) -> dict[str, Any] | None:
    policy = settings.get("networkPolicy", {})
    if not policy.get("enabled", True):
        return None
    if "ingress" in policy:
        ingress = [_rule(peer, "from") for peer in policy["ingress"]]
    else:  # default: the pods of the same namespace, on the declared ports only
        ports = [port["port"] for port in settings.get("ports", [])]
        ingress = [_rule({"ports": ports}, "from") | {"from": [{"podSelector": {}}]}] if ports else []
    spec: dict[str, Any] = {"podSelector": {"matchLabels": selector_labels(target.app)}, "policyTypes": ["Ingress"], "ingress": ingress}
    if "egress" in policy:
        spec["policyTypes"].append("Egress")
        egress = [DNS_PEER] if policy.get("allowDNS", True) else []
        spec["egress"] = egress + [_rule(peer, "to") for peer in policy["egress"]]
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": metadata(settings, target), "spec": spec}


def _ingress(settings: dict[str, Any], target: Target) -> dict[str, Any] | None:
    ingress = settings.get("ingress")
    if not ingress or not ingress.get("enabled", True):
        return None
    ports = service_ports(settings)
    default_port = ports[0].get("name") or ports[0]["port"] if ports else 80
    rules = []
    for host in ingress["hosts"]:
        paths = host.get("paths") or [{"path": "/"}]
        rules.append({
            "host": target.substitute(host["host"]),
            "http": {"paths": [
                {
                    "path": path["path"],
                    "pathType": path.get("pathType", "Prefix"),
                    "backend": {"service": {"name": target.app, "port": _service_port_ref(path.get("port", default_port), ports)}},
                }
                for path in paths
            ]},
        })
    spec: dict[str, Any] = {}
    if "className" in ingress:
        spec["ingressClassName"] = ingress["className"]
    spec["rules"] = rules
    if ingress.get("tls"):
        spec["tls"] = [
            {"hosts": [target.substitute(h) for h in item.get("hosts", [])], "secretName": target.substitute(item["secretName"])}
            for item in ingress["tls"]
        ]
    meta = metadata(settings, target, extra_annotations=ingress.get("annotations"))
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta, "spec": spec}


def _service_port_ref(port: int | str, ports: list[dict[str, Any]]) -> dict[str, Any]:
    if isinstance(port, int):
        return {"number": port}
    # a container port name used in the blueprint maps to the service port that targets it
    for service_port in ports:
        if service_port.get("name") == port:
            return {"name": port}
    for service_port in ports:
        if service_port["targetPort"] == port:
            return {"name": service_port["name"]} if "name" in service_port else {"number": service_port["port"]}
    return {"name": port}


def _service_monitor(settings: dict[str, Any], target: Target) -> dict[str, Any] | None:
    monitor = settings.get("monitoring", {}).get("serviceMonitor")
    if not monitor:
        return None
    endpoint = {"port": monitor["port"], "path": monitor.get("path", "/metrics")}
    for key in ("interval", "scrapeTimeout"):
        if key in monitor:
            endpoint[key] = monitor[key]
    spec = {"selector": {"matchLabels": selector_labels(target.app)}, "endpoints": [endpoint]}
    meta = metadata(settings, target, extra_labels=monitor.get("labels"))
    return {"apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor", "metadata": meta, "spec": spec}
