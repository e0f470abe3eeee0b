"""Kustomize layout: a base of environment-independent objects, and per-environment overlays.

An overlay says what differs from the base in the terms Kustomize itself uses: ``namespace``,
``labels`` (environment label on objects and pod templates), ``images`` (tag or digest),
extra resources for objects that only exist in that environment, RFC 6902 JSON patches for
changed fields, and ``$patch: delete`` for base objects the environment does not want.
"""

from __future__ import annotations

from typing import Any

from generator import kube
from generator.kustomize_build import TEMPLATE_LABEL_PATHS
from generator.render.context import ENV_LABEL

SHORT_KIND = {
    "HorizontalPodAutoscaler": "hpa",
    "PodDisruptionBudget": "pdb",
}


def object_key(obj: dict[str, Any]) -> tuple[str, str, str]:
    return (obj["apiVersion"], obj["kind"], obj["metadata"]["name"])


def file_name(obj: dict[str, Any], app: str) -> str:
    kind = SHORT_KIND.get(obj["kind"], obj["kind"].lower())
    name = obj["metadata"]["name"]
    return f"{kind}.yaml" if name == app else f"{kind}-{name}.yaml"


def kustomization(resources: list[str], **fields: Any) -> dict[str, Any]:
    result: dict[str, Any] = {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "resources": resources}
    result.update({key: value for key, value in fields.items() if value})
    return result


def base_files(objects: list[dict[str, Any]], app: str) -> dict[str, Any]:
    """File name -> content for ``<app>/base``."""
    files = {file_name(obj, app): obj for obj in objects}
    return {"kustomization.yaml": kustomization(list(files)), **files}


def overlay_files(
    base: list[dict[str, Any]], patched: list[dict[str, Any]], app: str, env: str, namespace: str, images: list[dict[str, str]]
) -> dict[str, Any]:
    """File name -> content for ``<app>/overlays/<env>``.

    ``patched`` are the environment's objects as they must look *before* Kustomize's namespace,
    labels and images transformers run: comparing them with the base gives the patches.
    """
    base_by_key = {object_key(obj): obj for obj in base}
    patched_by_key = {object_key(obj): obj for obj in patched}
    files: dict[str, Any] = {}
    resources = ["../../base"]
    patches = []
    for key, obj in patched_by_key.items():
        if key not in base_by_key:
            name = file_name(obj, app)
            files[name] = obj
            resources.append(name)
            continue
        operations = json_patch(base_by_key[key], obj)
        if operations:
            name = f"patch-{file_name(obj, app)}"
            files[name] = operations
            patches.append({"path": name, "target": _target(obj)})
    for key, obj in base_by_key.items():
        if key not in patched_by_key:
            name = f"delete-{file_name(obj, app)}"
            files[name] = {"apiVersion": obj["apiVersion"], "kind": obj["kind"], "metadata": {"name": obj["metadata"]["name"]}, "$patch": "delete"}
            patches.append({"path": name, "target": _target(obj)})
    labels = [{"pairs": {ENV_LABEL: env}, "includeSelectors": False, "includeTemplates": True}]
    document = kustomization(resources, namespace=namespace, labels=labels, images=images, patches=patches)
    return {"kustomization.yaml": document, **files}


def _target(obj: dict[str, Any]) -> dict[str, str]:
    group, _, version = obj["apiVersion"].rpartition("/")
    target = {"group": group, "version": version, "kind": obj["kind"], "name": obj["metadata"]["name"]}
    return {key: value for key, value in target.items() if value}


def label_foreign_templates(objects: list[dict[str, Any]], env: str) -> None:
    """Put the environment label on pod templates Kustomize's labels transformer does not reach
    (an Argo Rollouts Rollout's): the overlay patches it in instead."""
    for obj in objects:
        path = kube.POD_TEMPLATE.get(obj["kind"])
        if path is None or obj["kind"] in TEMPLATE_LABEL_PATHS:
            continue
        template: Any = obj
        for key in path:
            template = template.get(key) if isinstance(template, dict) else None
        if isinstance(template, dict) and "metadata" in template:
            template["metadata"]["labels"] = {**template["metadata"].get("labels", {}), ENV_LABEL: env}


def image_entries(base_image: dict[str, Any], env_image: dict[str, Any]) -> list[dict[str, str]]:
    """The ``images`` field: which image the environment runs, by tag or digest."""
    entry = {"name": base_image["repository"]}
    if env_image["repository"] != base_image["repository"]:
        entry["newName"] = env_image["repository"]
    if "digest" in env_image:
        entry["digest"] = env_image["digest"]
    else:
        entry["newTag"] = env_image["tag"]
    return [entry]


def json_patch(old: Any, new: Any, pointer: str = "") -> list[dict[str, Any]]:
    """RFC 6902 operations turning ``old`` into ``new``; lists of unequal length are replaced whole.

    Replacing rather than inserting keeps each operation readable on its own in a review.
    """
    if isinstance(old, dict) and isinstance(new, dict):
        operations: list[dict[str, Any]] = []
        for key in old:
            if key not in new:
                operations.append({"op": "remove", "path": f"{pointer}/{_escape(key)}"})
        for key, value in new.items():
            if key not in old:
                operations.append({"op": "add", "path": f"{pointer}/{_escape(key)}", "value": value})
            elif old[key] != value:
                operations.extend(json_patch(old[key], value, f"{pointer}/{_escape(key)}"))
        return operations
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        operations = []
        for index, (old_item, new_item) in enumerate(zip(old, new)):
            if old_item != new_item:
                operations.extend(json_patch(old_item, new_item, f"{pointer}/{index}"))
        return operations
    if old == new and type(old) is type(new):
        return []
    return [{"op": "replace", "path": pointer, "value": new}]


def _escape(key: str) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")
