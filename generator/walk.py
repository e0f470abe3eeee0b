"""Which inputs a manifest path stands for: the one walk shared by ``validate`` and ``lint``.

A path that is not a folder is read as given, whatever its suffix (the user named it), unless it
lies in a Kustomize folder: then it stands for that folder, built (so the file names pre-commit
passes from a Kustomize repository are read as what they build). A
folder holding a ``kustomization.yaml`` (or ``.yml``, or ``Kustomization``) is read as what it
builds — the objects Argo CD would apply — not file by file: its patches, ``$patch: delete``
stubs and the Kustomization itself are not objects. Any other folder is walked recursively for
``.yaml``, ``.yml`` and ``.json`` files (JSON is read by the YAML loader: YAML is a superset of
it) and for Kustomize folders. Left out of a walk: hidden files and folders (``.git``,
``.github``), Helm values files (``values.yaml``, ``values-<env>.yaml``, ``values.<x>.yaml``), and
everything of a Helm chart (a folder holding ``Chart.yaml``) but its ``crds/`` folder:
``Chart.yaml`` and ``values.yaml`` are not Kubernetes objects and ``templates/`` holds Go
templates, while ``crds/`` holds plain manifests Helm applies as they are. The order is stable:
each folder's entries sorted by name, a subfolder's inputs where its name sorts.

Which Kustomize folders are built is decided by :func:`roots`: one that
another given Kustomize folder builds (a base of an overlay) is read only through that one.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from generator import yamlio

SUFFIXES = (".yaml", ".yml", ".json")
CHART_FILE = "Chart.yaml"
CHART_CRDS = "crds"  # the one folder of a chart that holds plain manifests
KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
# Kustomization fields that name other files or folders the build reads
REFERENCE_FIELDS = ("resources", "bases", "components")
HELM_VALUES = re.compile(r"^values([-.][^/]*)?\.(ya?ml|json)$")


class ManifestInput(NamedTuple):
    """One input of a run: a file to read, or a Kustomize folder to build (``builds``)."""

    path: str
    builds: bool = False


def input_files(folder: Path) -> list[Path]:
    """The YAML files directly in one of the project's input folders (``namespaces/``, ``addons/``…),
    sorted by name; hidden files left out; none when the folder does not exist."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.suffix in (".yaml", ".yml") and not path.name.startswith(".") and not path.is_dir())


def files_under(folder: str | os.PathLike[str]) -> list[str]:
    """Every file under ``folder``, relative to it (``/`` between folders), ordered by path components as sorted
    ``Path`` objects are: what a folder of policies or the rendered tree holds. Links to files are listed, linked
    folders are not entered; a folder that is missing or cannot be read lists nothing (``os.scandir``, whose entries
    know their type: a pathlib glob costs four times as much)."""
    found: list[str] = []
    folders = [(os.fspath(folder), "")]
    while folders:
        current, prefix = folders.pop()
        try:
            listing = os.scandir(current)
        except OSError:  # missing or unreadable: nothing listed, as os.walk does
            continue
        with listing:
            for entry in listing:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, f"{prefix}{entry.name}/"))
                elif entry.is_file():
                    found.append(prefix + entry.name)
    return sorted(found, key=lambda name: name.split("/"))


def manifest_inputs(paths: list[str]) -> list[ManifestInput]:
    """Every input the paths stand for, in order; Kustomize folders built by another one left out."""
    found = list(dict.fromkeys(found for path in paths for found in _inputs(path)))
    kept = roots([item.path for item in found if item.builds])
    return [item for item in found if not item.builds or item.path in kept]


def manifest_files(path: str) -> list[str]:
    """``path`` itself unless it is a folder, else the manifest files under it, Kustomize folders included file by file."""
    return [file for file in _walk(path, kustomize=False) if isinstance(file, str)] if os.path.isdir(path) else [path]


def kustomization_file(folder: str) -> str | None:
    """The Kustomization file of ``folder``, or None when it is not a Kustomize folder."""
    for name in KUSTOMIZATION_FILES:
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate):
            return candidate
    return None


def _inputs(path: str) -> Iterator[ManifestInput]:
    if not os.path.isdir(path):
        folder = os.path.dirname(path) or "."
        if path != "-" and os.path.isfile(path) and kustomization_file(folder):
            yield ManifestInput(os.path.normpath(folder), builds=True)  # a file of a Kustomize folder stands for what it builds
        else:
            yield ManifestInput(path)
    elif kustomization_file(path):
        yield ManifestInput(os.path.normpath(path), builds=True)
    else:
        for item in _walk(path, kustomize=True):
            yield item if isinstance(item, ManifestInput) else ManifestInput(item)


def _walk(folder: str, kustomize: bool, entries: list[os.DirEntry[str]] | None = None) -> Iterator[str | ManifestInput]:
    entries = _sorted_entries(folder) if entries is None else entries
    chart = any(entry.name == CHART_FILE and entry.is_file() for entry in entries)
    for entry in entries:
        if entry.name.startswith(".") or (chart and entry.name != CHART_CRDS):
            continue
        if entry.is_dir(follow_symlinks=False):  # not following links: no loops, no file read twice
            inside = _sorted_entries(entry.path)
            if kustomize and _may_hold_kustomization(inside) and kustomization_file(entry.path):
                yield ManifestInput(os.path.normpath(entry.path), builds=True)
            else:
                yield from _walk(entry.path, kustomize, inside)
        elif entry.name.lower().endswith(SUFFIXES) and entry.is_file() and not HELM_VALUES.match(entry.name):
            yield entry.path


def _sorted_entries(folder: str) -> list[os.DirEntry[str]]:
    with os.scandir(folder) as listing:
        return sorted(listing, key=lambda entry: entry.name)


_KUSTOMIZATION_NAMES = {name.lower() for name in KUSTOMIZATION_FILES}


def _may_hold_kustomization(entries: list[os.DirEntry[str]]) -> bool:
    """Whether a folder's listing names a Kustomization file, in any case (as a case-insensitive file system may find it).

    Spares the walk three ``stat`` calls per folder; :func:`kustomization_file` still decides.
    """
    return any(entry.name.lower() in _KUSTOMIZATION_NAMES for entry in entries)


def roots(folders: list[str]) -> set[str]:
    """The Kustomize folders no other one of ``folders`` builds (what Argo CD is pointed at)."""
    built_by_others: set[str] = set()
    for folder in folders:
        built_by_others |= referenced_folders(folder) - {posixpath.normpath(folder)}
    return {folder for folder in folders if posixpath.normpath(folder) not in built_by_others}


def referenced_folders(folder: str) -> set[str]:
    """Every Kustomize folder ``folder`` builds, directly or through another, ``folder`` included."""
    return _referenced_from(posixpath.normpath(folder), set())


def _referenced_from(folder: str, seen: set[str]) -> set[str]:
    if folder in seen:
        return seen
    seen.add(folder)
    kustomization = kustomization_file(folder)
    if kustomization is None:
        return seen
    try:
        documents = yamlio.load_data(yamlio.read_text(kustomization), kustomization)
    except yamlio.YAMLSyntaxError:  # UnreadableFile included: the build reports it
        return seen
    data = documents[0] if len(documents) == 1 and isinstance(documents[0], dict) else {}
    for key in REFERENCE_FIELDS:
        entries = data.get(key)
        for entry in entries if isinstance(entries, list) else []:
            target = posixpath.normpath(posixpath.join(folder, str(entry)))
            if "://" not in str(entry) and os.path.isdir(target):
                _referenced_from(target, seen)
    return seen
