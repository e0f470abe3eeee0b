"""Semantic diff of what two renders deploy: per app and environment, object by object, field by field.

Both sides are :class:`generator.publish.deployed.Deployed` groups (built overlays, Helm values,
Argo CD objects), so formatting, comments, key order and the way Kustomize expresses a change
never show up; only what Argo CD would apply differently does. Objects are matched by identity
(kind, namespace, name); lists of named items (containers, ports, env) are matched by ``name``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from generator.load import ARGOCD
from generator.publish.deployed import Deployed, Key, deployed_from_tree

ARGO_CD_LABEL = "Argo CD objects"

# list items are matched by the first of these keys that every item has, uniquely: containers,
# ports and env by name; ingress paths by path
LIST_KEYS = ("name", "path")
MISSING: Any = type("Missing", (), {"__repr__": lambda self: "<missing>"})()


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: its path, and its old and new value (``MISSING`` on the side without it)."""

    path: str  # e.g. spec.template.spec.containers[name=api].image
    old: Any
    new: Any


@dataclass
class ObjectDiff:
    """One object added, changed or removed, with the fields that changed."""

    change: str  # "added", "changed" or "removed"
    ident: str  # e.g. "Deployment ai-prism-prod/ai-prism-api"
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class GroupDiff:
    """What changes for one app in one environment (``app == "argocd"``: the environment's Argo CD objects)."""

    app: str
    env: str
    objects: list[ObjectDiff] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how it was compared, or why a side could not be built

    @property
    def label(self) -> str:
        """The app's name, or "Argo CD objects" for the environment's Applications and AppProjects (not an app)."""
        return ARGO_CD_LABEL if self.app == ARGOCD else self.app

    def counts(self) -> dict[str, int]:
        return {kind: sum(1 for obj in self.objects if obj.change == kind) for kind in ("added", "changed", "removed")}


def diff_trees(old: dict[str, str], new: dict[str, str]) -> list[GroupDiff]:
    """Differences in what two rendered trees (``rendered/``-relative path -> text) deploy."""
    return diff_deployed(deployed_from_tree(old), deployed_from_tree(new))


def diff_deployed(old: dict[Key, Deployed], new: dict[Key, Deployed]) -> list[GroupDiff]:
    """Differences from ``old`` to ``new``, sorted by app and environment."""
    groups: list[GroupDiff] = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        group = GroupDiff(app=key[0], env=key[1], objects=diff_objects(before.objects if before else {}, after.objects if after else {}))
        group.notes = _notes(before, after)
        if group.objects or any(side and side.error for side in (before, after)):
            groups.append(group)
    return groups


def diff_objects(before: dict[str, Any], after: dict[str, Any]) -> list[ObjectDiff]:
    objects: list[ObjectDiff] = []
    for ident in sorted(set(before) | set(after)):
        if ident not in before:
            objects.append(ObjectDiff("added", ident))
        elif ident not in after:
            objects.append(ObjectDiff("removed", ident))
        elif fields := diff_values(before[ident], after[ident]):
            objects.append(ObjectDiff("changed", ident, fields))
    return objects


def _notes(before: Deployed | None, after: Deployed | None) -> list[str]:
    notes = list(dict.fromkeys(side.note for side in (before, after) if side and side.note))
    if before and before.error:
        notes.append(f"before: {before.error}")
    if after and after.error:
        notes.append(f"after: {after.error}")
    return notes


def diff_values(old: Any, new: Any, path: str = "") -> list[FieldChange]:
    if isinstance(old, dict) and isinstance(new, dict):
        changes: list[FieldChange] = []
        for key in [*old, *(k for k in new if k not in old)]:
            changes += diff_values(old.get(key, MISSING), new.get(key, MISSING), f"{path}.{key}" if path else str(key))
        return changes
    if isinstance(old, list) and isinstance(new, list):
        return _diff_lists(old, new, path)
    return [] if old == new and type(old) is type(new) else [FieldChange(path, old, new)]


def _diff_lists(old: list, new: list, path: str) -> list[FieldChange]:
    for key in LIST_KEYS:
        if _keyed(old, key) and _keyed(new, key):
            before = {item[key]: item for item in old}
            after = {item[key]: item for item in new}
            changes: list[FieldChange] = []
            for name in [*before, *(name for name in after if name not in before)]:
                changes += diff_values(before.get(name, MISSING), after.get(name, MISSING), f"{path}[{key}={name}]")
            return changes
    changes = []
    for index in range(max(len(old), len(new))):
        changes += diff_values(old[index] if index < len(old) else MISSING, new[index] if index < len(new) else MISSING, f"{path}[{index}]")
    return changes


def _keyed(items: list, key: str) -> bool:
    names = [item.get(key) for item in items if isinstance(item, dict)]
    return len(names) == len(items) and all(isinstance(n, str) for n in names) and len(set(names)) == len(names)


def short(value: Any, limit: int = 60) -> str:
    """A one-line rendering of a value for summaries."""
    if value is MISSING:
        return "(unset)"
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text_lines(groups: list[GroupDiff]) -> list[tuple[str, str]]:
    """(style, line) pairs for a terminal or plain text; style: added/removed/changed/heading/note/field."""
    marks = {"added": "+", "removed": "-", "changed": "~"}
    lines: list[tuple[str, str]] = []
    for group in groups:
        lines.append(("heading", f"{group.label} / {group.env}"))
        lines += [("note", f"  ({note})") for note in group.notes]
        for obj in group.objects:
            lines.append((obj.change, f"  {marks[obj.change]} {obj.ident}"))
            for change in obj.fields:
                lines.append(("field", f"      {change.path}: {short(change.old)} → {short(change.new)}"))
    return lines
