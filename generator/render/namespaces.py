"""A namespace's own objects per environment: the Namespace with its Pod Security labels, its
ResourceQuota and LimitRange, shared ServiceAccounts, SecretStores and ExternalSecrets, Istio
Gateways (and the Certificates of their TLS Secrets, in the gateway workload's namespace).

They are applied by the environment's root Application (``rendered/argocd/<env>/``) in sync wave
-1, before the apps' Applications, and every object names its namespace itself.
"""

from __future__ import annotations

from typing import Any

from generator.kube import pod_security_labels
from generator.namespaces import NamespaceHome
from generator.render.context import Target, metadata
from generator.render.gateways import gateway_certificate, istio_gateway
from generator.render.resources import IRSA_ANNOTATION, _external_secrets, _secret_stores

SYNC_WAVE = {"argocd.argoproj.io/sync-wave": "-1"}


def namespace_objects(
    home: NamespaceHome, settings: dict[str, Any], env: str, namespace: str, domain: str | None = None
) -> list[tuple[dict[str, Any], tuple[Any, ...]]]:
    """(object, the namespace file's field it comes from) for one environment."""
    target = Target(home.name, env, domain, namespace, env)
    level = settings.get("podSecurity", "restricted")
    own_labels = {**settings.get("namespaceLabels", {}), **pod_security_labels(level)}
    meta = metadata(settings, target, name=namespace, extra_labels=own_labels, extra_annotations=SYNC_WAVE)
    del meta["namespace"]
    objects: list[tuple[dict[str, Any], tuple[Any, ...]]] = [
        ({"apiVersion": "v1", "kind": "Namespace", "metadata": meta}, ("podSecurity",)),
    ]
    for account in settings.get("serviceAccounts", []):
        annotations = {**SYNC_WAVE, **account.get("annotations", {})}
        if "awsRoleArn" in account:
            annotations[IRSA_ANNOTATION] = target.substitute(account["awsRoleArn"])
        sa_meta = metadata(settings, target, name=account["name"], extra_annotations=annotations)
        objects.append(({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": sa_meta, "automountServiceAccountToken": False}, ("serviceAccounts",)))
    if settings.get("quota"):
        quota = {"hard": {key: str(value) for key, value in sorted(settings["quota"].items())}}
        objects.append(({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": _meta(settings, target, namespace), "spec": quota}, ("quota",)))
    if settings.get("limitRange"):
        limits: dict[str, Any] = {"type": "Container"}
        limits.update({key: dict(value) for key, value in settings["limitRange"].items() if value})
        objects.append(
            ({"apiVersion": "v1", "kind": "LimitRange", "metadata": _meta(settings, target, namespace), "spec": {"limits": [limits]}}, ("limitRange",))
        )
    for store in _secret_stores(settings, target):
        store["metadata"].setdefault("annotations", {}).update(SYNC_WAVE)
        objects.append((store, ("secretStores",)))
    for secret in _external_secrets(settings, target):
        secret["metadata"].setdefault("annotations", {}).update(SYNC_WAVE)
        objects.append((secret, ("externalSecrets",)))
    for name, gateway in sorted(settings.get("gateways", {}).items()):
        objects.append((istio_gateway(name, gateway, settings, target, SYNC_WAVE), ("gateways", name)))
        certificate = gateway_certificate(name, gateway, settings, target, SYNC_WAVE)
        if certificate is not None:
            objects.append((certificate, ("gateways", name, "tls")))
    return objects


def _meta(settings: dict[str, Any], target: Target, name: str) -> dict[str, Any]:
    return metadata(settings, target, name=name, extra_annotations=SYNC_WAVE)
