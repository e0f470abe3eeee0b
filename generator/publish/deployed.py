"""What a rendered tree deploys, per app and environment: the objects Argo CD applies.

A Kustomize app's environment is its overlay *built* (base + patches + deletions + transformers,
by :mod:`generator.kustomize_build`), so a ``$patch: delete`` file reads as the object it removes,
not as an object added. A Helm app's environment is compared by its values file (helm builds the
objects from the chart and those values). A hydrated app's ``manifest.yaml`` and an environment's
Argo CD files are objects as they are.

The same shape comes from an in-process render (:func:`deployed_from_rendering`), so the current
render can be compared with the GitOps repository or with ``rendered/`` at a git ref.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.load import ARGOCD

HELM_NOTE = "Helm app: its values are compared; helm builds the objects from the chart"
_OVERLAY = re.compile(r"^(?P<app>[^/]+)/overlays/(?P<env>[^/]+)/kustomization\.yaml$")
_VALUES = re.compile(r"^(?P<app>[^/]+)/helm/values-(?P<env>[^/]+)\.yaml$")
_HYDRATED = re.compile(r"^(?P<app>[^/]+)/hydrated/(?P<env>[^/]+)/manifest\.yaml$")
_ARGOCD = re.compile(r"^argocd/(?P<env>[^/]+)/.+$")

Key = tuple[str, str]  # (app, env); app "argocd" holds an environment's Argo CD objects


@dataclass
class Deployed:
    """The objects one app deploys in one environment, by identity (``Deployment ns/name``)."""

    app: str
    env: str
    objects: dict[str, Any]
    note: str = ""  # how this group is compared (Helm), shown with its changes
    error: str = ""  # why it could not be built; then ``objects`` is empty


def deployed_from_tree(tree: dict[str, str]) -> dict[Key, Deployed]:
    """Per app and environment, what the rendered tree (``rendered/``-relative path -> text) deploys."""
    from generator.kustomize_build import UnsupportedOverlay, build_from_tree

    groups: dict[Key, Deployed] = {}
    for path in sorted(tree):
        if match := _OVERLAY.match(path):
            key = (match["app"], match["env"])
            try:
                groups[key] = Deployed(*key, by_identity(build_from_tree(tree, path.rsplit("/", 1)[0])))
            except UnsupportedOverlay as exc:
                groups[key] = Deployed(*key, {}, error=f"{match['app']}/overlays/{match['env']} does not build: {exc}")
        elif match := _HYDRATED.match(path):  # hydrated delivery: the plain objects themselves
            groups[(match["app"], match["env"])] = Deployed(match["app"], match["env"], by_identity(_parse(tree[path], path), path))
        elif match := _VALUES.match(path):
            groups[(match["app"], match["env"])] = helm_values_group(match["app"], match["env"], tree[path], path)
        elif match := _ARGOCD.match(path):
            group = groups.setdefault((ARGOCD, match["env"]), Deployed(ARGOCD, match["env"], {}))
            group.objects.update(by_identity(_parse(tree[path], path), path))
    return groups


def deployed_from_rendering(rendering: Any) -> dict[Key, Deployed]:
    """The same from an in-process render (:class:`generator.render.project.Rendering`)."""
    groups: dict[Key, Deployed] = {}
    for rendered in rendering.sets:
        key = (rendered.app, rendered.env)
        values = f"{rendered.app}/helm/values-{rendered.env}.yaml"
        if rendered.app != ARGOCD and values in rendering.files:
            groups[key] = helm_values_group(*key, rendering.files[values], values)
        else:
            groups[key] = Deployed(*key, by_identity(rendered.objects))
    return groups


def helm_values_group(app: str, env: str, text: str, path: str) -> Deployed:
    documents = _parse(text, path)
    values = documents[0] if documents else {}
    return Deployed(app, env, {f"Helm values ({path.split('/', 1)[1]})": values}, note=HELM_NOTE)


def by_identity(objects: list[Any], path: str = "") -> dict[str, Any]:
    return {identity(obj, path, index, len(objects)): obj for index, obj in enumerate(objects)}


def identity(obj: Any, path: str = "", index: int = 0, count: int = 1) -> str:
    """``Kind namespace/name`` (or ``Kind name``); a file and position for what is not an object."""
    if isinstance(obj, dict) and isinstance(obj.get("kind"), str):
        metadata = obj.get("metadata")
        metadata = metadata if isinstance(metadata, dict) else {}
        name = metadata.get("name")
        if isinstance(name, str):
            namespace = metadata.get("namespace")
            return f"{obj['kind']} {namespace}/{name}" if namespace else f"{obj['kind']} {name}"
        return f"{obj['kind']} ({path})"
    suffix = f" #{index + 1}" if count > 1 else ""
    return f"file {path}{suffix}"


def _parse(text: str, path: str) -> list[Any]:
    """The file's objects (a Helm values file: its values), read as every command reads manifests; a ``List`` is its items.

    A file that is not YAML is compared as its text, a document that is not an object as what it is instead.
    """
    from generator.manifest import ReadProblem, text_manifests

    items = list(text_manifests(text, path))
    if any(isinstance(item, ReadProblem) and item.kind == "unreadable" for item in items):
        return [{"unparsable file": text}]
    return [{"not an object": item.message} if isinstance(item, ReadProblem) else item.obj for item in items]
