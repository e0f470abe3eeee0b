"""Where rendered files land in the GitOps repository, and which environment each one affects.

``rendered/<app>/...`` goes to ``<layout.apps>/<app>/...`` and ``rendered/argocd/<env>/...`` to
``<layout.argocd>/<env>/...``. Every path has a *scope*: the one environment it affects
(``overlays/<env>/``, ``hydrated/<env>/``, ``helm/values-<env>.yaml``, ``argocd/<env>/``) or ``SHARED`` (an app's base,
which every environment builds on).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.errors import InputError
from generator.load import ARGOCD, repo_path
from generator.publish.config import Layout

SHARED = "shared"
_VALUES = re.compile(r"^values-(?P<env>[a-z0-9][a-z0-9-]*)\.yaml$")


@dataclass(frozen=True)
class Placed:
    """One rendered file at its place in the GitOps repository."""

    rendered: str  # path relative to rendered/
    path: str  # path in the GitOps repository
    app: str
    scope: str  # environment name, or SHARED


def read_rendered_dir(rendered: Path) -> dict[str, str]:
    """The rendered tree on disk: relative path -> text, for every file under ``rendered/``."""
    if not rendered.is_dir():
        raise InputError("no rendered output; run `gitopsgen render` first", rendered)
    tree: dict[str, str] = {}
    for path in sorted(rendered.rglob("*")):
        if path.name.startswith(".") or path.is_dir() and not path.is_symlink():
            continue
        if path.is_symlink() or not path.is_file():  # a link could carry a file from outside the repo into the GitOps repo
            raise InputError(
                "is a symlink or special file; publish carries only regular files into the GitOps "
                "repository: replace it with a file or move it out of rendered/",
                f"rendered/{path.relative_to(rendered).as_posix()}",
            )
        tree[path.relative_to(rendered).as_posix()] = path.read_text(encoding="utf-8")
    return tree


def place(rendered_path: str, layout: Layout) -> Placed:
    parts = PurePosixPath(rendered_path).parts
    if len(parts) < 2 or any(part in ("..", "") for part in parts):
        raise InputError(f"unexpected file in rendered output: {rendered_path}", "rendered/" + rendered_path)
    app = parts[0]
    path = repo_path(rendered_path, layout.apps, layout.argocd)
    if app == ARGOCD:
        if len(parts) < 3:
            raise InputError("Argo CD files belong in rendered/argocd/<env>/", "rendered/" + rendered_path)
        return Placed(rendered_path, path, ARGOCD, parts[1])
    return Placed(rendered_path, path, app, _app_scope(parts[1:]))


def place_tree(tree: dict[str, str], layout: Layout) -> dict[str, Placed]:
    """GitOps repo path -> placement, for every file of a rendered tree."""
    return {placed.path: placed for placed in (place(path, layout) for path in sorted(tree))}


def scope_of_repo_path(path: str, layout: Layout) -> tuple[str, str] | None:
    """(app, scope) of a GitOps repo path under the managed folders; None outside them."""
    for root, argocd in ((layout.argocd, True), (layout.apps, False)):
        prefix = root + "/"
        if path.startswith(prefix):
            parts = PurePosixPath(path[len(prefix) :]).parts
            if argocd:
                return (ARGOCD, parts[0]) if len(parts) >= 2 else None
            return (parts[0], _app_scope(parts[1:])) if len(parts) >= 2 else None
    return None


def _app_scope(rest: tuple[str, ...]) -> str:
    if len(rest) >= 3 and rest[0] in ("overlays", "hydrated"):
        return rest[1]
    if len(rest) == 2 and rest[0] == "helm" and (match := _VALUES.match(rest[1])):
        return match["env"]
    return SHARED


def to_rendered(path: str, layout: Layout) -> str | None:
    """The rendered/-relative path of a GitOps repo path under the managed folders (None elsewhere)."""
    if path.startswith(layout.argocd + "/"):
        return ARGOCD + "/" + path[len(layout.argocd) + 1 :]
    if path.startswith(layout.apps + "/"):
        return path[len(layout.apps) + 1 :]
    return None
