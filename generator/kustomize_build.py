"""Build an overlay folder written by gitopsgen into the objects ``kubectl kustomize`` would output.

Only the Kustomize subset :mod:`generator.render.kustomize` emits is understood, and anything
else is refused with :class:`UnsupportedOverlay` rather than guessed at:

- ``resources``: ``../../base`` (a folder whose ``kustomization.yaml`` lists object files) and
  object files of the overlay;
- ``patches`` with a ``path`` and a ``target`` (group, version, kind, name), each file either a
  list of RFC 6902 operations or an object with ``$patch: delete``;
- ``namespace``; ``labels`` without selectors (optionally on pod templates); ``images``.

Kustomize applies patches first, then the namespace, labels and images transformers; so does
:func:`build`. The fidelity tests prove it agrees with the real kustomize on every example.
"""

from __future__ import annotations

import copy
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import kube, yamlio
from generator.errors import InputError

KUSTOMIZATION = "kustomization.yaml"
OVERLAY_FIELDS = {"apiVersion", "kind", "resources", "namespace", "labels", "images", "patches"}
BASE_FIELDS = {"apiVersion", "kind", "resources"}
TARGET_FIELDS = {"group", "version", "kind", "name"}
IMAGE_FIELDS = {"name", "newName", "newTag", "digest"}
# kinds whose pod template labels ``includeTemplates`` sets, by the template's path: Kustomize's
# built-in field specs reach these workloads (not Argo Rollouts), and a CronJob's job template too
_KUSTOMIZE_TEMPLATE_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob")
TEMPLATE_LABEL_PATHS = {kind: [kube.POD_TEMPLATE[kind]] for kind in _KUSTOMIZE_TEMPLATE_KINDS}
TEMPLATE_LABEL_PATHS["CronJob"] = [("spec", "jobTemplate"), kube.POD_TEMPLATE["CronJob"]]

Reader = Callable[[str], "str | None"]  # posix path -> file text, None when there is no such file


class UnsupportedOverlay(InputError):
    """The folder is not an overlay gitopsgen writes (or is broken); the message names the file."""


def build(folder: Path) -> list[dict[str, Any]]:
    """The objects ``kubectl kustomize <folder>`` outputs, for an overlay folder on disk."""

    def read(path: str) -> str | None:
        file = Path(path)
        return file.read_text(encoding="utf-8") if file.is_file() else None

    return build_with(read, folder.resolve().as_posix())


def build_from_tree(tree: Mapping[str, str], folder: str) -> list[dict[str, Any]]:
    """The same for an overlay inside a tree of files (relative posix path -> text), e.g. read from git."""
    return build_with(tree.get, posixpath.normpath(folder))


def build_with(read: Reader, folder: str) -> list[dict[str, Any]]:
    return build_parsed(read, folder)[0]


def build_parsed(read: Reader, folder: str) -> tuple[list[dict[str, Any]], dict[str, list[yamlio.Document]]]:
    """The built objects, and every file the build parsed (path -> its documents, positions included)."""
    files = _Files(read)
    return _build(files, folder), files.parsed


@dataclass
class _Files:
    """The files of a build: read through ``read``, each parsed once (its documents kept for positions)."""

    read: Reader
    parsed: dict[str, list[yamlio.Document]] = field(default_factory=dict)

    def documents(self, path: str) -> list[Any]:
        if path not in self.parsed:
            text = self.read(path)
            if text is None:
                raise UnsupportedOverlay("no such file; the overlay refers to it", path)
            try:
                self.parsed[path] = yamlio.load_documents(text, path)
            except yamlio.YAMLSyntaxError as exc:
                raise UnsupportedOverlay(exc.problem, exc.path, exc.line) from None
        return [copy.deepcopy(document.data) for document in self.parsed[path] if document.data is not None]


def _build(read: _Files, folder: str) -> list[dict[str, Any]]:
    kustomization = _kustomization(read, folder, OVERLAY_FIELDS)
    objects = _resources(read, folder, kustomization)
    for patch in _list(kustomization, "patches", folder):
        objects = _apply_patch(read, folder, patch, objects)
    if "namespace" in kustomization:
        _set_namespace(objects, kustomization["namespace"], folder)
    for entry in _list(kustomization, "labels", folder):
        _add_labels(objects, entry, folder)
    for entry in _list(kustomization, "images", folder):
        _set_image(objects, entry, folder)
    return objects


# --- files -------------------------------------------------------------------------------------


def _kustomization(read: _Files, folder: str, allowed: set[str]) -> dict[str, Any]:
    path = posixpath.join(folder, KUSTOMIZATION)
    documents = read.documents(path)
    if len(documents) != 1 or not isinstance(documents[0], dict) or documents[0].get("kind") != "Kustomization":
        raise UnsupportedOverlay("expected one Kustomization", path)
    unknown = sorted(set(documents[0]) - allowed)
    if unknown:
        raise UnsupportedOverlay(f"Kustomize field {unknown[0]!r} is not one gitopsgen writes; cannot build it", path)
    return documents[0]


def _list(kustomization: dict[str, Any], key: str, folder: str) -> list[Any]:
    value = kustomization.get(key) or []
    if not isinstance(value, list):
        raise UnsupportedOverlay(f"{key} must be a list", posixpath.join(folder, KUSTOMIZATION))
    return value


def _resources(read: _Files, folder: str, kustomization: dict[str, Any]) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for entry in _list(kustomization, "resources", folder):
        path = posixpath.normpath(posixpath.join(folder, str(entry)))
        if "://" in str(entry):
            raise UnsupportedOverlay(f"remote resource {entry!r} is not one gitopsgen writes", folder)
        if read.read(path) is None and read.read(posixpath.join(path, KUSTOMIZATION)) is not None:
            objects += _base(read, path)
        else:
            objects += _objects(read, path)
    seen: set[tuple[str, str, str]] = set()
    for obj in objects:
        if _identity(obj) in seen:
            raise UnsupportedOverlay(f"{obj['kind']} {obj['metadata']['name']} is defined twice", folder)
        seen.add(_identity(obj))
    return objects


def _base(read: _Files, folder: str) -> list[dict[str, Any]]:
    """A base: a Kustomization that only lists object files."""
    objects: list[dict[str, Any]] = []
    for entry in _list(_kustomization(read, folder, BASE_FIELDS), "resources", folder):
        path = posixpath.normpath(posixpath.join(folder, str(entry)))
        if read.read(path) is None and read.read(posixpath.join(path, KUSTOMIZATION)) is not None:
            raise UnsupportedOverlay(f"nested base {entry!r} is not one gitopsgen writes", posixpath.join(folder, KUSTOMIZATION))
        objects += _objects(read, path)
    return objects


def _objects(read: _Files, path: str) -> list[dict[str, Any]]:
    objects = read.documents(path)
    for obj in objects:
        if not _is_object(obj):
            raise UnsupportedOverlay("expected Kubernetes objects with kind and metadata.name (and apiVersion as text)", path)
        if kube.is_cluster_scoped(obj["kind"]):
            raise UnsupportedOverlay(f"cluster-scoped {obj['kind']} is not something gitopsgen puts in an app", path)
    return objects


def _is_object(obj: Any) -> bool:
    """Whether ``obj`` has what the build reads of every object: text kind and metadata.name, apiVersion text if set."""
    metadata = obj.get("metadata") if isinstance(obj, dict) else None
    return (
        isinstance(metadata, dict) and isinstance(metadata.get("name"), str) and isinstance(obj.get("kind"), str) and isinstance(obj.get("apiVersion", ""), str)
    )


def _identity(obj: dict[str, Any]) -> tuple[str, str, str]:
    return (obj.get("apiVersion", ""), obj["kind"], obj["metadata"]["name"])


# --- patches -----------------------------------------------------------------------------------


def _apply_patch(read: _Files, folder: str, patch: Any, objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    where = posixpath.join(folder, KUSTOMIZATION)
    if not isinstance(patch, dict) or set(patch) != {"path", "target"} or not isinstance(patch["target"], dict):
        raise UnsupportedOverlay("patches entries must have exactly a path and a target", where)
    target = patch["target"]
    if set(target) - TARGET_FIELDS:
        raise UnsupportedOverlay(f"patch target field {sorted(set(target) - TARGET_FIELDS)[0]!r} is not one gitopsgen writes", where)
    path = posixpath.normpath(posixpath.join(folder, str(patch["path"])))
    documents = read.documents(path)
    content = documents[0] if len(documents) == 1 else None
    if isinstance(content, list):
        return [_json_patch(obj, content, path) if _matches(obj, target) else obj for obj in objects]
    if isinstance(content, dict) and content.get("$patch") == "delete":
        return [obj for obj in objects if not _matches(obj, target)]
    raise UnsupportedOverlay("expected a list of JSON patch operations or an object with $patch: delete", path)


def _matches(obj: dict[str, Any], target: dict[str, str]) -> bool:
    group, _, version = obj.get("apiVersion", "").rpartition("/")
    actual = {"group": group, "version": version, "kind": obj["kind"], "name": obj["metadata"]["name"]}
    return all(actual[key] == value for key, value in target.items())


def _json_patch(obj: dict[str, Any], operations: list[Any], path: str) -> dict[str, Any]:
    import jsonpatch
    import jsonpointer

    try:
        patched = jsonpatch.apply_patch(obj, operations)
    except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException, TypeError, KeyError) as exc:
        raise UnsupportedOverlay(f"JSON patch does not apply to {obj['kind']} {obj['metadata']['name']}: {exc}", path) from None
    if not _is_object(patched):  # the patch replaced the object, or removed or retyped its kind, name or apiVersion
        raise UnsupportedOverlay(f"JSON patch leaves {obj['kind']} {obj['metadata']['name']} without kind and metadata.name (or apiVersion not text)", path)
    return patched


# --- transformers ------------------------------------------------------------------------------


def _set_namespace(objects: list[dict[str, Any]], namespace: Any, folder: str) -> None:
    if not isinstance(namespace, str) or not namespace:
        raise UnsupportedOverlay("namespace must be a non-empty string", posixpath.join(folder, KUSTOMIZATION))
    for obj in objects:
        previous = obj["metadata"].get("namespace")
        obj["metadata"]["namespace"] = namespace
        if obj["kind"] in ("RoleBinding", "ClusterRoleBinding"):  # Kustomize moves the bound ServiceAccounts along
            for subject in _items(obj, ("subjects",), folder):
                if isinstance(subject, dict) and subject.get("kind") == "ServiceAccount" and subject.get("namespace") in (None, previous):
                    subject["namespace"] = namespace


def _add_labels(objects: list[dict[str, Any]], entry: Any, folder: str) -> None:
    where = posixpath.join(folder, KUSTOMIZATION)
    if not isinstance(entry, dict) or set(entry) - {"pairs", "includeSelectors", "includeTemplates"}:
        raise UnsupportedOverlay("labels entries must have pairs, includeSelectors and includeTemplates only", where)
    if not all(isinstance(entry.get(flag, False), bool) for flag in ("includeSelectors", "includeTemplates")):
        raise UnsupportedOverlay("labels includeSelectors and includeTemplates must be true or false", where)
    if entry.get("includeSelectors"):
        raise UnsupportedOverlay("labels with includeSelectors: true are not something gitopsgen writes", where)
    pairs = entry.get("pairs") or {}
    if not (isinstance(pairs, dict) and all(isinstance(key, str) and isinstance(value, str) for key, value in pairs.items())):
        raise UnsupportedOverlay("labels pairs must map label names to text values", where)
    for obj in objects:
        _mapping_at(obj, ("metadata", "labels")).update(pairs)
        if entry.get("includeTemplates"):
            for template in TEMPLATE_LABEL_PATHS.get(obj["kind"], []):
                _mapping_at(obj, (*template, "metadata", "labels")).update(pairs)
            if obj["kind"] == "StatefulSet":  # and, as Kustomize's field specs do, every claim template
                for claim in _items(obj, ("spec", "volumeClaimTemplates"), folder):
                    if isinstance(claim, dict):
                        _mapping_at(claim, ("metadata", "labels")).update(pairs)


def _items(obj: dict[str, Any], path: tuple[str, ...], folder: str) -> list[Any]:
    """The list at ``path`` that a transformer changes the items of ([] when absent); another type is refused."""
    node: Any = obj
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    if node is not None and not isinstance(node, list):
        where = ".".join(path)
        raise UnsupportedOverlay(f"{obj['kind']} {obj['metadata']['name']}: {where} must be a list", posixpath.join(folder, KUSTOMIZATION))
    return node or []


def _mapping_at(obj: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    """The mapping at ``path``, created (like Kustomize's ``create: true`` field specs) when absent."""
    node = obj
    for key in path:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    return node


def _set_image(objects: list[dict[str, Any]], entry: Any, folder: str) -> None:
    if not isinstance(entry, dict) or "name" not in entry or set(entry) - IMAGE_FIELDS or not all(isinstance(value, str) for value in entry.values()):
        raise UnsupportedOverlay("images entries must have a name and newName, newTag or digest only, as text", posixpath.join(folder, KUSTOMIZATION))
    for obj in objects:
        for container in _containers(obj):
            if isinstance(container.get("image"), str):
                container["image"] = updated_image(container["image"], entry)


def _containers(node: Any) -> list[dict[str, Any]]:
    """Every item of a ``containers`` or ``initContainers`` list, at any depth (Kustomize's image filter)."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("containers", "initContainers") and isinstance(value, list):
                found += [item for item in value if isinstance(item, dict)]
            else:
                found += _containers(value)
    elif isinstance(node, list):
        for item in node:
            found += _containers(item)
    return found


def updated_image(image: str, entry: dict[str, str]) -> str:
    """``image`` after one ``images`` entry, as Kustomize computes it (a new tag drops the digest and back)."""
    name, tag, digest = split_image(image)
    if name != entry["name"]:
        return image
    name = entry.get("newName") or name
    if entry.get("newTag") and entry.get("digest"):
        tag, digest = entry["newTag"], entry["digest"]
    elif entry.get("newTag"):
        tag, digest = entry["newTag"], ""
    elif entry.get("digest"):
        tag, digest = "", entry["digest"]
    return name + (f":{tag}" if tag else "") + (f"@{digest}" if digest else "")


def split_image(image: str) -> tuple[str, str, str]:
    """(name, tag, digest); a ``:`` in the registry host (``host:5000/app``) is not a tag."""
    name, _, digest = image.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        return name[:colon], name[colon + 1 :], digest
    return name, "", digest
