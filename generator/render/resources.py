"""Every object of one app besides the Deployment, and the list of all of them in a fixed order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.render.context import NeedsEnvironment, Target, metadata, selector_labels
from generator.render.jobs import jobs
from generator.render.mesh import http_route, peer_authentication, virtual_service
from generator.render.monitoring import dashboards, prometheus_rule, service_monitor
from generator.render.network import job_network_policies, network_policy
from generator.render.progressive import analysis_template, flagger_objects, pod_selector_labels, preview_service, uses_flagger
from generator.render.scaling import scaled_object, uses_keda, vertical_autoscaler
from generator.render.workload import headless_service_name, service_account_name, uses_autoscaling, workload, workload_kind

IRSA_ANNOTATION = "eks.amazonaws.com/role-arn"


class IncompleteSettings(Exception):
    """A required value is missing; in the base it may still come from an environment."""

    def __init__(self, field: tuple[str, ...], message: str) -> None:
        super().__init__(message)
        self.field = field


def build_objects(settings: dict[str, Any], target: Target) -> list[dict[str, Any]]:
    """All objects of one app, in a stable order. In the base, per-environment objects are left out."""
    builders: list[Callable[[dict[str, Any], Target], Any]] = [
        _service_account,
        _role,
        _role_binding,
        _config_maps,
        _secret_stores,
        _external_secrets,
        workload,
        _service,
        _headless_service,
        _preview_service,
        _analysis_template,
        _flagger,
        _autoscaler,
        _scaled_object,
        _vertical_autoscaler,
        _disruption_budget,
        network_policy,
        _ingress,
        peer_authentication,
        _virtual_service,
        _http_route,
        service_monitor,
        prometheus_rule,
        dashboards,
        jobs,
        job_network_policies,
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
    annotations = dict(account.get("annotations", {}))
    if "awsRoleArn" in account:  # IAM Roles for Service Accounts (EKS)
        annotations[IRSA_ANNOTATION] = target.substitute(account["awsRoleArn"])
    meta = metadata(settings, target, name=service_account_name(settings, target.app), extra_annotations=annotations)
    return {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta, "automountServiceAccountToken": account.get("automountToken", False)}


def _role(settings: dict[str, Any], target: Target) -> dict[str, Any] | None:
    rules = settings.get("rbac", {}).get("rules")
    if not rules:
        return None
    rendered = [{key: list(rule[key]) for key in ("apiGroups", "resources", "resourceNames", "verbs") if key in rule} for rule in rules]
    for rule in rendered:
        rule.setdefault("apiGroups", [""])
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": metadata(settings, target), "rules": rendered}


def _role_binding(settings: dict[str, Any], target: Target) -> dict[str, Any] | None:
    if not settings.get("rbac", {}).get("rules"):
        return None
    subject: dict[str, Any] = {"kind": "ServiceAccount", "name": service_account_name(settings, target.app)}
    if target.namespace:
        subject["namespace"] = target.namespace
    return {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "RoleBinding",
        "metadata": metadata(settings, target),
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": target.app},
        "subjects": [subject],
    }


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
        stores.append(
            {
                "apiVersion": "external-secrets.io/v1",
                "kind": "SecretStore",
                "metadata": metadata(settings, target, name=store["name"]),
                "spec": {"provider": {"aws": provider}},
            }
        )
    return stores


def _external_secrets(settings: dict[str, Any], target: Target) -> list[dict[str, Any]]:
    secrets = []
    for secret in settings.get("externalSecrets", []):
        spec: dict[str, Any] = {
            "refreshInterval": secret.get("refreshInterval", "1h"),
            "secretStoreRef": {"name": secret["store"]["name"], "kind": secret["store"].get("kind", "SecretStore")},
            "target": _secret_target(secret),
        }
        if secret.get("data"):
            spec["data"] = [_remote_data(item, target) for item in secret["data"]]
        if secret.get("dataFrom"):
            spec["dataFrom"] = [{"extract": {"key": target.substitute(item["extract"])}} for item in secret["dataFrom"]]
        secrets.append(
            {
                "apiVersion": "external-secrets.io/v1",
                "kind": "ExternalSecret",
                "metadata": metadata(settings, target, name=secret["name"]),
                "spec": spec,
            }
        )
    return secrets


def _secret_target(secret: dict[str, Any]) -> dict[str, Any]:
    target: dict[str, Any] = {"name": secret.get("targetName", secret["name"]), "creationPolicy": secret.get("creationPolicy", "Owner")}
    if "deletionPolicy" in secret:
        target["deletionPolicy"] = secret["deletionPolicy"]
    template = secret.get("template")
    if template:
        shaped: dict[str, Any] = {"engineVersion": "v2"}
        if "type" in template:
            shaped["type"] = template["type"]
        if template.get("labels") or template.get("annotations"):
            shaped["metadata"] = {key: dict(template[key]) for key in ("labels", "annotations") if template.get(key)}
        if template.get("data"):
            shaped["data"] = dict(template["data"])
        target["template"] = shaped
    return target


def _remote_data(item: dict[str, Any], target: Target) -> dict[str, Any]:
    remote = {"key": target.substitute(item["remoteKey"])}
    if "property" in item:
        remote["property"] = item["property"]
    return {"secretKey": item["secretKey"], "remoteRef": remote}


def service_name(settings: dict[str, Any], app: str) -> str:
    return settings.get("service", {}).get("name", app)


def service_ports(settings: dict[str, Any]) -> list[dict[str, Any]]:
    configured = settings.get("service", {}).get("ports")
    if configured:
        return [dict(port) for port in configured]
    return [{"name": port["name"], "port": port["port"], "targetPort": port["name"]} for port in settings.get("ports", [])]


def _service(settings: dict[str, Any], target: Target) -> dict[str, Any] | None:
    service = settings.get("service", {})
    ports = service_ports(settings)
    if not service.get("enabled", True) or not ports or uses_flagger(settings):
        return None  # Flagger creates the app's Services (<app>, <app>-primary, <app>-canary) itself
    meta = metadata(settings, target, name=service_name(settings, target.app), extra_annotations=service.get("annotations"))
    spec = {"type": service.get("type", "ClusterIP"), "selector": selector_labels(target.app), "ports": ports}
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec}


def _headless_service(settings: dict[str, Any], target: Target) -> dict[str, Any] | None:
    """A StatefulSet's governing Service: stable DNS names <pod>.<app>-headless for every pod, ready or not."""
    if workload_kind(settings)[1] != "StatefulSet":
        return None
    ports = [{key: port[key] for key in ("name", "port", "targetPort", "protocol") if key in port} for port in service_ports(settings)]
    spec: dict[str, Any] = {"clusterIP": "None", "publishNotReadyAddresses": True, "selector": selector_labels(target.app)}
    if ports:
        spec["ports"] = ports
    return {"apiVersion": "v1", "kind": "Service", "metadata": metadata(settings, target, name=headless_service_name(target.app)), "spec": spec}


def _preview_service(settings: dict[str, Any], target: Target) -> dict[str, Any] | None:
    return preview_service(settings, target, _service(settings, target))


def _analysis_template(settings: dict[str, Any], target: Target) -> dict[str, Any] | None:
    return analysis_template(settings, target)


def _flagger(settings: dict[str, Any], target: Target) -> list[dict[str, Any]]:
    service = settings.get("service", {})
    ports = service_ports(settings)
    port = None
    if service.get("enabled", True) and ports:
        port = {"port": ports[0]["port"], "targetPort": ports[0]["targetPort"]}
        if "name" in service:
            port = {"name": service["name"], **port}
    ingress = settings.get("ingress") or {}
    return flagger_objects(settings, target, uses_autoscaling(settings), port, bool(ingress) and ingress.get("enabled", True))


def _scaled_object(settings: dict[str, Any], target: Target) -> dict[str, Any] | None:
    return scaled_object(settings, target, workload_kind(settings))


def _vertical_autoscaler(settings: dict[str, Any], target: Target) -> dict[str, Any] | None:
    return vertical_autoscaler(settings, target, workload_kind(settings))


def _autoscaler(settings: dict[str, Any], target: Target) -> dict[str, Any] | None:
    if not uses_autoscaling(settings) or uses_keda(settings):
        return None
    autoscaling = settings["autoscaling"]
    for key in ("minReplicas", "maxReplicas"):
        if key not in autoscaling:
            raise IncompleteSettings(
                ("autoscaling",),
                f"autoscaling.{key} is not set for app {target.app!r} in environment {target.env!r}; set it in the blueprint or the environment",
            )
    metrics = [
        {"type": "Resource", "resource": {"name": name, "target": {"type": "Utilization", "averageUtilization": autoscaling[name]}}}
        for name in ("cpu", "memory")
        if name in autoscaling
    ]
    metrics += [
        {"type": "Pods", "pods": {"metric": {"name": item["metric"]}, "target": {"type": "AverageValue", "averageValue": item["averageValue"]}}}
        for item in autoscaling.get("pods", [])
    ]
    metrics += [_external_metric(item) for item in autoscaling.get("external", [])]
    spec: dict[str, Any] = {
        "scaleTargetRef": dict(zip(("apiVersion", "kind"), workload_kind(settings)), name=target.app),
        "minReplicas": autoscaling["minReplicas"],
        "maxReplicas": autoscaling["maxReplicas"],
    }
    if metrics:
        spec["metrics"] = metrics
    if autoscaling.get("behavior"):
        spec["behavior"] = autoscaling["behavior"]
    return {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": metadata(settings, target), "spec": spec}


def _external_metric(item: dict[str, Any]) -> dict[str, Any]:
    """A metric from outside the cluster (an SQS queue's depth through an external metrics adapter)."""
    metric: dict[str, Any] = {"name": item["metric"]}
    if item.get("selector"):
        metric["selector"] = {"matchLabels": dict(item["selector"])}
    target = {"type": "AverageValue", "averageValue": item["averageValue"]} if "averageValue" in item else {"type": "Value", "value": item["value"]}
    return {"type": "External", "external": {"metric": metric, "target": target}}


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
    spec["selector"] = {"matchLabels": pod_selector_labels(settings, target.app)}
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": metadata(settings, target), "spec": spec}


def _ingress(settings: dict[str, Any], target: Target) -> dict[str, Any] | None:
    ingress = settings.get("ingress")
    if not ingress or not ingress.get("enabled", True):
        return None
    ports = service_ports(settings)
    default_port = ports[0].get("name") or ports[0]["port"] if ports else 80
    rules = []
    for host in ingress["hosts"]:
        paths = host.get("paths") or [{"path": "/"}]
        rules.append(
            {
                "host": target.substitute(host["host"]),
                "http": {
                    "paths": [
                        {
                            "path": path["path"],
                            "pathType": path.get("pathType", "Prefix"),
                            "backend": {
                                "service": {"name": service_name(settings, target.app), "port": _service_port_ref(path.get("port", default_port), ports)}
                            },
                        }
                        for path in paths
                    ]
                },
            }
        )
    spec: dict[str, Any] = {}
    if "className" in ingress:
        spec["ingressClassName"] = ingress["className"]
    spec["rules"] = rules
    if ingress.get("tls"):
        spec["tls"] = [
            {"hosts": [target.substitute(h) for h in item.get("hosts", [])], "secretName": target.substitute(item["secretName"])} for item in ingress["tls"]
        ]
    meta = metadata(settings, target, extra_annotations=ingress.get("annotations"))
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta, "spec": spec}


def _service_port_numbers(settings: dict[str, Any]) -> dict[str, int]:
    """Service port names (and the container port names they target) -> service port numbers."""
    service = settings.get("service", {})
    if not service.get("enabled", True):
        return {}
    numbers: dict[str, int] = {}
    for port in service_ports(settings):
        for key in ("name", "targetPort"):
            if isinstance(port.get(key), str):
                numbers.setdefault(port[key], port["port"])
    return numbers


def _virtual_service(settings: dict[str, Any], target: Target) -> dict[str, Any] | None:
    ports = service_ports(settings) if settings.get("service", {}).get("enabled", True) else []
    return virtual_service(settings, target, service_name(settings, target.app), ports[0]["port"] if ports else None)


def _http_route(settings: dict[str, Any], target: Target) -> dict[str, Any] | None:
    return http_route(settings, target, service_name(settings, target.app), _service_port_numbers(settings))


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
