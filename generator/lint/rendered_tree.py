"""The directories a GitOps repository will hold, for the ``argocd-path-exists`` rule (``data.project``).

What a render produces plus what ``rendered/`` already holds, mapped to where publish puts each
folder in the GitOps repository (per ``gitopsgen.yaml``'s layout).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.walk import files_under


class RenderedTree:
    """Directories that exist in the GitOps repository, for the argocd-path-exists rule.

    Found when first asked for: a run whose objects no policy reading ``data.project`` applies
    to (no Argo CD Application, for the built-in pack) never walks ``rendered/`` nor reads gitopsgen.yaml.
    """

    def __init__(self, find: Callable[[], tuple[list[str], list[str]]] | None = None) -> None:
        self._find = find
        self._data: dict[str, Any] | None = None

    def data(self) -> dict[str, Any]:
        if self._data is None:
            paths, roots = self._find() if self._find is not None else ([], [])
            self._data = {"rendered_paths": paths, "rendered_roots": roots}
        return self._data


def tree_of_rendering(files: dict[str, str] | list[str], root: Path, gitops: dict[str, Any]) -> RenderedTree:
    """What a render produces plus what rendered/ already holds, as GitOps-repository paths."""
    return RenderedTree(lambda: _tree_from_files(sorted(set(files) | set(_rendered_files(root))), gitops))


def rendered_tree(root: Path) -> RenderedTree:
    """The directories of ``root/rendered`` as GitOps-repository paths (per gitopsgen.yaml's layout)."""

    def find() -> tuple[list[str], list[str]]:
        files = _rendered_files(root)
        return _tree_from_files(files, _gitops_settings(root)) if files else ([], [])

    return RenderedTree(find)


def _rendered_files(root: Path) -> list[str]:
    """Every file under ``root/rendered``, relative to it."""
    return files_under(os.path.join(root, "rendered"))


def _gitops_settings(root: Path) -> dict[str, Any] | None:
    """gitopsgen.yaml's gitops settings (with defaults), or None outside a gitopsgen project."""
    from generator.load import load_gitops_config

    config = load_gitops_config(root)
    return config.settings if config.source is not None else None


def _tree_from_files(files: list[str], gitops: dict[str, Any] | None) -> tuple[list[str], list[str]]:
    """Every directory holding a rendered file, mapped to where publish puts it in the GitOps repository, and the roots."""
    layout = (gitops or {}).get("layout") or {}
    apps, argocd = layout.get("apps"), layout.get("argocd")
    directories: set[str] = set()
    for file in files:
        parts = file.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            directories.add("/".join(parts[:depth]))
    if apps is None or argocd is None:
        return sorted(f"rendered/{d}" for d in directories), ["rendered"]
    from generator.load import repo_path

    mapped = {repo_path(directory, apps, argocd) for directory in directories}
    return sorted(mapped), sorted({apps, argocd})
