"""A namespace's Istio Gateways (``gateways`` of namespaces/<name>.yaml) and their cert-manager Certificates.

A Gateway lives in the team's namespace, where the routes that bind it (a VirtualService naming it,
Flagger's among them) are; it configures the gateway workload its ``selector`` picks, which may run
elsewhere (``workloadNamespace``). Istio reads the TLS Secret (``credentialName``) from the namespace
of that workload, so the Certificate that writes the Secret goes there.
"""

from __future__ import annotations

from typing import Any

from generator.render.context import Target, metadata
from generator.render.jobs import SYNC_WAVE_ANNOTATION

AFTER_ADDONS_WAVE = "1"
HTTPS_PORT = {"number": 443, "name": "https", "protocol": "HTTPS"}
HTTP_PORT = {"number": 80, "name": "http", "protocol": "HTTP"}


def secret_name(name: str, gateway: dict[str, Any]) -> str:
    return str(gateway["tls"].get("secretName", f"{name}-tls"))


def gateway_hosts(gateway: dict[str, Any], target: Target) -> list[str]:
    return [target.substitute(host) for host in gateway["hosts"]]


def istio_gateway(name: str, gateway: dict[str, Any], settings: dict[str, Any], target: Target, annotations: dict[str, str]) -> dict[str, Any]:
    """HTTPS on 443 for the hosts, and (unless httpsRedirect is false) a redirect to it on 80.

    Hosts are written ``./<host>``: only routes in the Gateway's own namespace may bind them.
    """
    hosts = [f"./{host}" for host in gateway_hosts(gateway, target)]
    tls = {"mode": "SIMPLE", "credentialName": secret_name(name, gateway), "minProtocolVersion": gateway["tls"].get("minProtocolVersion", "TLSV1_2")}
    servers: list[dict[str, Any]] = [{"port": dict(HTTPS_PORT), "hosts": hosts, "tls": tls}]
    if gateway.get("httpsRedirect", True):
        servers.append({"port": dict(HTTP_PORT), "hosts": list(hosts), "tls": {"httpsRedirect": True}})
    spec = {"selector": dict(gateway["selector"]), "servers": servers}
    return {
        "apiVersion": "networking.istio.io/v1",
        "kind": "Gateway",
        "metadata": metadata(settings, target, name=name, extra_annotations=annotations),
        "spec": spec,
    }


def gateway_certificate(name: str, gateway: dict[str, Any], settings: dict[str, Any], target: Target, annotations: dict[str, str]) -> dict[str, Any] | None:
    """The Certificate cert-manager keeps in the gateway workload's namespace; None without tls.clusterIssuer."""
    issuer = gateway["tls"].get("clusterIssuer")
    if issuer is None:
        return None
    secret = secret_name(name, gateway)
    workload = Target(target.app, target.env, target.domain, gateway.get("workloadNamespace", target.namespace), target.env_label)
    if workload.namespace != target.namespace:
        # another namespace is created by the Application that installs the gateway there (an add-on,
        # sync wave 0 or earlier): the Certificate follows it
        annotations = {**annotations, SYNC_WAVE_ANNOTATION: AFTER_ADDONS_WAVE}
    spec = {
        "secretName": secret,
        "dnsNames": gateway_hosts(gateway, target),
        "issuerRef": {"group": "cert-manager.io", "kind": "ClusterIssuer", "name": issuer},
        # a fresh key at every renewal, ECDSA P-256 (what browsers and Envoy handle fastest)
        "privateKey": {"algorithm": "ECDSA", "size": 256, "rotationPolicy": "Always"},
    }
    return {
        "apiVersion": "cert-manager.io/v1",
        "kind": "Certificate",
        "metadata": metadata(settings, workload, name=secret, extra_annotations=annotations),
        "spec": spec,
    }
