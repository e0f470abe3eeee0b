"""Which files a manifest path stands for: the one walk shared by ``validate`` and ``lint``.

A path that is not a folder is read as given, whatever its suffix (the user named it). A
folder is walked recursively for ``.yaml``, ``.yml`` and ``.json`` files (JSON is read by the
YAML loader: YAML is a superset of it). Left out: hidden files and folders (``.git``,
``.github``), and everything of a Helm chart (a folder holding ``Chart.yaml``) but its
``crds/`` folder: ``Chart.yaml`` and ``values.yaml`` are not Kubernetes objects and
``templates/`` holds Go templates, while ``crds/`` holds plain manifests Helm applies as they
are. The order is stable:
each folder's entries sorted by name, a subfolder's files where its name sorts.
"""

from __future__ import annotations

import os
from typing import Iterator

SUFFIXES = (".yaml", ".yml", ".json")
CHART_FILE = "Chart.yaml"
CHART_CRDS = "crds"  # the one folder of a chart that holds plain manifests


def manifest_files(path: str) -> list[str]:
    """``path`` itself unless it is a folder, else the manifest files under it (see the module doc)."""
    return list(_walk(path)) if os.path.isdir(path) else [path]


def _walk(folder: str) -> Iterator[str]:
    entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    chart = any(entry.name == CHART_FILE and entry.is_file() for entry in entries)
    for entry in entries:
        if entry.name.startswith(".") or (chart and entry.name != CHART_CRDS):
            continue
        if entry.is_dir(follow_symlinks=False):  # not following links: no loops, no file read twice
            yield from _walk(entry.path)
        elif entry.name.lower().endswith(SUFFIXES) and entry.is_file():
            yield entry.path
