"""Kubernetes facts every stage needs, in one place (as ``policies/lib`` holds them for Rego).

Which kinds live outside namespaces, which kinds run pods and where each keeps its pod template,
and how a resource quantity (``500m``, ``2Gi``) reads as a number.
Facts about one tool's behaviour (which templates Kustomize's ``labels`` transformer reaches, say)
stay with the code that imitates that tool, but are written in terms of these.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from decimal import Decimal

FieldPath = tuple[str, ...]

# Kinds that have no namespace: the API server ignores metadata.namespace on them, Gatekeeper's
# inventory files them under ``cluster``, and an app's Kustomize overlay never sets one.
CLUSTER_SCOPED = frozenset(
    {
        "APIService",
        "CertificateSigningRequest",
        "ClusterIssuer",
        "ClusterRole",
        "ClusterRoleBinding",
        "ClusterSecretStore",
        "ConstraintTemplate",
        "CSIDriver",
        "CSINode",
        "CustomResourceDefinition",
        "FlowSchema",
        "IngressClass",
        "MutatingWebhookConfiguration",
        "Namespace",
        "Node",
        "PersistentVolume",
        "PriorityClass",
        "PriorityLevelConfiguration",
        "RuntimeClass",
        "StorageClass",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "ValidatingWebhookConfiguration",
        "VolumeAttachment",
    }
)

# Workload kinds -> the field path of their pod template (a PodTemplateSpec: metadata + spec).
# Argo Rollouts' Rollout keeps it where a Deployment does.
POD_TEMPLATE: dict[str, FieldPath] = {
    "Deployment": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "ReplicationController": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "Job": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
    "Rollout": ("spec", "template"),
}
WORKLOAD_KINDS = frozenset(POD_TEMPLATE)


# The API server refuses an object whose annotations (keys and values, in bytes) pass 256 KiB in all.
ANNOTATIONS_SIZE_LIMIT = 256 * 1024


def annotations_size(annotations: Mapping[Any, Any]) -> int:
    """Bytes the API server counts against ``ANNOTATIONS_SIZE_LIMIT``: every key and value, UTF-8 encoded."""
    return sum(len(str(key).encode()) + len(str(value).encode()) for key, value in annotations.items())


# Pod Security Admission reads a namespace's labels under this prefix: the level each mode applies.
POD_SECURITY_PREFIX = "pod-security.kubernetes.io/"

# Namespaces every cluster has before anything is deployed: the cluster's owner sets their labels.
CLUSTER_NAMESPACES = frozenset({"default", "kube-node-lease", "kube-public", "kube-system"})


def pod_security_labels(level: str) -> dict[str, str]:
    """The namespace labels that enforce, audit and warn at one Pod Security level (latest version)."""
    labels = {f"{POD_SECURITY_PREFIX}{mode}": level for mode in ("enforce", "audit", "warn")}
    labels.update({f"{POD_SECURITY_PREFIX}{mode}-version": "latest" for mode in ("enforce", "audit", "warn")})
    return labels


def is_cluster_scoped(kind: str) -> bool:
    return kind in CLUSTER_SCOPED


def pod_spec_path(kind: str) -> FieldPath | None:
    """Where ``kind`` keeps its pod spec: ``spec`` of a Pod, ``<template>.spec`` of a workload; None otherwise."""
    if kind == "Pod":
        return ("spec",)
    template = POD_TEMPLATE.get(kind)
    return (*template, "spec") if template is not None else None


_QUANTITY = re.compile(r"^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$")
_DECIMAL_SUFFIXES = {"": 0, "n": -9, "u": -6, "m": -3, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BINARY_SUFFIXES = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}


def parse_quantity(value: object) -> Decimal:
    """A resource quantity (``500m``, ``2Gi``, ``1.5``, ``3``) in base units (cores, bytes); 0 when unreadable."""
    from decimal import Decimal  # imported on first use: a lint run reads no quantity in Python

    match = _QUANTITY.match(str(value).strip())
    if not match:
        return Decimal(0)
    suffix = match[2] or ""
    factor = Decimal(2 ** _BINARY_SUFFIXES[suffix]) if suffix in _BINARY_SUFFIXES else Decimal(10) ** _DECIMAL_SUFFIXES[suffix]
    try:
        return Decimal(match[1]) * factor
    except ArithmeticError:
        return Decimal(0)
