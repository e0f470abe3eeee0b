"""Kubernetes facts every stage needs, in one place (as ``policies/lib`` holds them for Rego).

Which kinds live outside namespaces, which kinds run pods and where each keeps its pod template.
Facts about one tool's behaviour (which templates Kustomize's ``labels`` transformer reaches, say)
stay with the code that imitates that tool, but are written in terms of these.
"""

from __future__ import annotations

FieldPath = tuple[str, ...]

# Kinds that have no namespace: the API server ignores metadata.namespace on them, Gatekeeper's
# inventory files them under ``cluster``, and an app's Kustomize overlay never sets one.
CLUSTER_SCOPED = frozenset({
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
})

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


def is_cluster_scoped(kind: str) -> bool:
    return kind in CLUSTER_SCOPED


def pod_spec_path(kind: str) -> FieldPath | None:
    """Where ``kind`` keeps its pod spec: ``spec`` of a Pod, ``<template>.spec`` of a workload; None otherwise."""
    if kind == "Pod":
        return ("spec",)
    template = POD_TEMPLATE.get(kind)
    return (*template, "spec") if template is not None else None
