"""What a publish changes in the GitOps repository, and the ownership files that make it safe.

gitopsgen keeps one ownership file per scope, ``.gitopsgen/owned/<scope>.json`` (a sorted JSON
list of repository paths). One file per scope, rather than one for everything, means that a direct
commit for dev and a pull request for prod never edit the same file, so they merge cleanly.

A :class:`ChangeSet` is computed once against the tip we fetched and then *re-applied* (not
recomputed) if the remote moved: a concurrent publisher's changes to other paths survive.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from generator.errors import InputError
from generator.publish.config import Layout
from generator.publish.git import blob_id
from generator.publish.layout import Placed, scope_of_repo_path, to_rendered
from generator.render.argocd import app_of_file

Covers = Callable[[str, str], bool]  # (app, scope) -> does this commit carry that app's files of that scope?
Selected = Callable[[str], bool]  # repository path -> may this publish write or delete it at all? (``--only``)

OWNERSHIP_DIR = ".gitopsgen/owned"
# .gitopsgen/sources/<scope>.json: {unit: source commit} -- which commit of the project produced
# what the GitOps repository holds, per app (per Argo CD file for argocd/<env>/), per scope.
SOURCES_DIR = ".gitopsgen/sources"


def ownership_path(scope: str) -> str:
    return f"{OWNERSHIP_DIR}/{scope}.json"


def parse_ownership(files: dict[str, bytes]) -> dict[str, set[str]]:
    """scope -> owned paths, from the ownership files' contents (path -> bytes)."""
    lists = _records(
        files, OWNERSHIP_DIR, "ownership file", lambda paths: isinstance(paths, list) and all(isinstance(item, str) for item in paths), "a JSON list of paths"
    )
    return {scope: set(paths) for scope, paths in lists.items()}


def _records(files: dict[str, bytes], folder: str, what: str, valid: Callable[[object], bool], shape: str) -> dict[str, Any]:
    """scope -> the JSON each of ``folder``'s files holds; a file that does not read as ``shape`` stops the publish."""
    records: dict[str, Any] = {}
    for path, data in files.items():
        scope = path.removeprefix(folder + "/").removesuffix(".json")
        try:
            value = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise InputError(f"{what} in the GitOps repo is not valid JSON; restore it from history", path) from None
        if not valid(value):
            raise InputError(f"{what} must be {shape}; restore it from history", path)
        records[scope] = value
    return records


def sources_path(scope: str) -> str:
    return f"{SOURCES_DIR}/{scope}.json"


def parse_sources(files: dict[str, bytes]) -> dict[str, dict[str, str]]:
    """scope -> {unit: source commit}, from the source record files' contents (path -> bytes)."""
    return _records(
        files,
        SOURCES_DIR,
        "source record",
        lambda units: isinstance(units, dict) and all(isinstance(commit, str) for commit in units.values()),
        "a JSON mapping of app to commit",
    )


def unit_of(path: str, layout: Layout) -> tuple[str, str] | None:
    """(scope, unit) a repository path is recorded under: its app, or for Argo CD files the file itself."""
    where = scope_of_repo_path(path, layout)
    if where is None:
        return None
    app, scope = where
    return (scope, f"{app}/{path.rsplit('/', 1)[-1]}") if app == "argocd" else (scope, app)


def units_of(changes: ChangeSet, layout: Layout) -> dict[tuple[str, str], set[str]]:
    """(scope, unit) -> the paths of the change set that belong to it."""
    found: dict[tuple[str, str], set[str]] = {}
    for path in changes.touched:
        unit = unit_of(path, layout)
        if unit is not None:
            found.setdefault(unit, set()).add(path)
    return found


def without(changes: ChangeSet, paths: set[str]) -> ChangeSet:
    """The change set minus ``paths`` (their writes, deletes and ownership changes)."""
    return ChangeSet(
        writes={p: d for p, d in changes.writes.items() if p not in paths},
        deletes=changes.deletes - paths,
        added=changes.added - paths,
        owned_add={scope: ps - paths for scope, ps in changes.owned_add.items()},
        owned_drop={scope: ps - paths for scope, ps in changes.owned_drop.items()},
    )


def render_ownership(paths: set[str]) -> bytes:
    return (json.dumps(sorted(paths), indent=2) + "\n").encode()


@dataclass
class ChangeSet:
    """Files to write and delete, and ownership entries to add and drop, per scope."""

    writes: dict[str, bytes] = field(default_factory=dict)  # repo path -> new content (added or changed)
    deletes: set[str] = field(default_factory=set)
    added: set[str] = field(default_factory=set)  # subset of writes that did not exist before
    owned_add: dict[str, set[str]] = field(default_factory=dict)
    owned_drop: dict[str, set[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.writes or self.deletes or any(self.owned_add.values()) or any(self.owned_drop.values()))

    @property
    def touched(self) -> set[str]:
        return set(self.writes) | self.deletes


def every_path(path: str) -> bool:
    """The selection of a publish without ``--only``."""
    return True


def only_apps(apps: Collection[str], layout: Layout) -> Selected:
    """The repository paths of these apps' own files (:func:`generator.render.argocd.app_of_file`)."""
    wanted = frozenset(apps)

    def selected(path: str) -> bool:
        rendered = to_rendered(path, layout)
        return rendered is not None and app_of_file(rendered) in wanted

    return selected


def plan_changes(
    desired: dict[str, tuple[Placed, bytes]],
    remote: dict[str, str],
    owned: dict[str, set[str]],
    covers: Covers,
    layout: Layout,
    selected: Selected = every_path,
) -> ChangeSet:
    """Changes that bring the (app, scope) pairs ``covers`` selects to the desired files.

    Refuses (InputError) to write a path that exists in the remote but is not owned by gitopsgen.
    Owned paths outside the managed folders are never touched, nor any path ``selected`` leaves out
    (its file, its ownership entry and its app's source record stay as they are).
    """
    all_owned = set().union(*owned.values()) if owned else set()
    changes = ChangeSet()
    for path, (placed, data) in desired.items():
        if not covers(placed.app, placed.scope) or not selected(path):
            continue
        if path in remote and path not in all_owned:
            raise InputError(
                f"refusing to overwrite {path}: it exists in the GitOps repository but gitopsgen does not own it "
                "(move or delete it there, or choose another gitops.layout)",
                path,
            )
        if remote.get(path) != blob_id(data):
            changes.writes[path] = data
            if path not in remote:
                changes.added.add(path)
        if path not in owned.get(placed.scope, set()):
            changes.owned_add.setdefault(placed.scope, set()).add(path)
    for scope, paths in owned.items():
        for path in paths:
            where = scope_of_repo_path(path, layout)
            if where is None or path in desired or not covers(where[0], scope) or not selected(path):
                continue
            if path in remote:
                changes.deletes.add(path)
            changes.owned_drop.setdefault(scope, set()).add(path)
    return changes


def left_out(
    desired: dict[str, tuple[Placed, bytes]], remote: dict[str, str], owned: dict[str, set[str]], covers: Covers, layout: Layout, selected: Selected
) -> list[str]:
    """Paths of the covered scopes that differ from the render but ``selected`` leaves as they are (for a note)."""
    differing = {path for path, (placed, data) in desired.items() if covers(placed.app, placed.scope) and remote.get(path) != blob_id(data)}
    for scope, paths in owned.items():
        for path in paths:
            where = scope_of_repo_path(path, layout)
            if where is not None and path in remote and path not in desired and covers(where[0], scope):
                differing.add(path)
    return sorted(path for path in differing if not selected(path))


def scopes(*names: str) -> Covers:
    """Every app's files of these scopes."""
    return lambda app, scope: scope in names


def apply_changes(
    changes: ChangeSet,
    remote: dict[str, str],
    owned: dict[str, set[str]],
    records: dict[str, dict[str, str]] | None = None,
    source_commit: str | None = None,
    layout: Layout | None = None,
) -> tuple[dict[str, bytes], list[str]]:
    """Final (writes, deletes) against a tip: the change set plus its updated ownership and source record files.

    Used for the first attempt and again, unchanged, on top of a tip that moved under us.
    """
    all_owned = set().union(*owned.values()) if owned else set()
    foreign = sorted(path for path in changes.added if path in remote and path not in all_owned)
    if foreign:
        raise InputError(f"refusing to overwrite {foreign[0]}: it appeared in the GitOps repository meanwhile and gitopsgen does not own it", foreign[0])
    writes = {path: data for path, data in changes.writes.items() if remote.get(path) != blob_id(data)}
    deletes = sorted(path for path in changes.deletes if path in remote)
    for scope in sorted(set(changes.owned_add) | set(changes.owned_drop)):
        paths = (owned.get(scope, set()) | changes.owned_add.get(scope, set())) - changes.owned_drop.get(scope, set())
        target = ownership_path(scope)
        if paths:
            data = render_ownership(paths)
            if remote.get(target) != blob_id(data):
                writes[target] = data
        elif target in remote:
            deletes.append(target)
    if source_commit and layout is not None:
        updated = {scope: dict(units) for scope, units in (records or {}).items()}
        touched_scopes = set()
        for (scope, unit), paths in units_of(changes, layout).items():
            if any(path in writes or path in deletes for path in paths):
                updated.setdefault(scope, {})[unit] = source_commit
                touched_scopes.add(scope)
        for scope in sorted(touched_scopes):
            data = (json.dumps(dict(sorted(updated[scope].items())), indent=2) + "\n").encode()
            if remote.get(sources_path(scope)) != blob_id(data):
                writes[sources_path(scope)] = data
    return writes, deletes
