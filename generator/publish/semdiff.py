"""Semantic diff of two rendered trees: per app and environment, object by object, field by field.

Files are parsed, so formatting, comments and key order never show up as changes. Objects are
matched by identity (kind, namespace, name) within an app and environment, wherever the file
holding them is; lists of named items (containers, ports, env) are matched by ``name``, and JSON
patch operations by ``path``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from generator.publish.config import Layout
from generator.publish.layout import SHARED, place

# list items are matched by the first of these keys that every item has, uniquely: containers,
# ports and env by name; JSON patch operations by path
LIST_KEYS = ("name", "path")
MISSING: Any = type("Missing", (), {"__repr__": lambda self: "<missing>"})()


@dataclass(frozen=True)
class FieldChange:
    path: str  # e.g. spec.template.spec.containers[name=api].image
    old: Any
    new: Any


@dataclass
class ObjectDiff:
    change: str  # "added", "changed" or "removed"
    ident: str  # e.g. "Deployment ai-prism-prod/ai-prism-api"
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class GroupDiff:
    app: str
    env: str  # environment name, or "base" for files every environment shares
    objects: list[ObjectDiff] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {kind: sum(1 for obj in self.objects if obj.change == kind) for kind in ("added", "changed", "removed")}


def diff_trees(old: dict[str, str], new: dict[str, str]) -> list[GroupDiff]:
    """Differences from ``old`` to ``new`` (both rendered-relative path -> text), sorted by app, env."""
    old_objects, new_objects = _objects_by_group(old), _objects_by_group(new)
    groups: list[GroupDiff] = []
    for key in sorted(set(old_objects) | set(new_objects)):
        before, after = old_objects.get(key, {}), new_objects.get(key, {})
        group = GroupDiff(app=key[0], env=key[1])
        for ident in sorted(set(before) | set(after)):
            if ident not in before:
                group.objects.append(ObjectDiff("added", ident))
            elif ident not in after:
                group.objects.append(ObjectDiff("removed", ident))
            elif fields := diff_values(before[ident], after[ident]):
                group.objects.append(ObjectDiff("changed", ident, fields))
        if group.objects:
            groups.append(group)
    return groups


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
        changes += diff_values(old[index] if index < len(old) else MISSING,
                               new[index] if index < len(new) else MISSING, f"{path}[{index}]")
    return changes


def _keyed(items: list, key: str) -> bool:
    names = [item.get(key) for item in items if isinstance(item, dict)]
    return len(names) == len(items) and all(isinstance(n, str) for n in names) and len(set(names)) == len(names)


def _objects_by_group(tree: dict[str, str]) -> dict[tuple[str, str], dict[str, Any]]:
    from generator.yamlio import YAMLSyntaxError, load_documents

    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for path in sorted(tree):
        placed = place(path, Layout())
        env = "base" if placed.scope == SHARED else placed.scope
        objects = groups.setdefault((placed.app, env), {})
        try:
            documents = [doc.data for doc in load_documents(tree[path], path) if doc.data is not None]
        except YAMLSyntaxError:
            objects[f"file {path}"] = {"text": tree[path]}
            continue
        for index, data in enumerate(documents):
            objects[_identity(data, path, index, len(documents))] = data
    return groups


def _identity(data: Any, path: str, index: int, count: int) -> str:
    if isinstance(data, dict) and isinstance(data.get("kind"), str):
        metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
        name = metadata.get("name")
        if isinstance(name, str):
            namespace = metadata.get("namespace")
            return f"{data['kind']} {namespace}/{name}" if namespace else f"{data['kind']} {name}"
        return f"{data['kind']} ({path.split('/', 1)[-1]})"
    suffix = f" #{index + 1}" if count > 1 else ""
    return f"file {path.split('/', 1)[-1]}{suffix}"


def short(value: Any, limit: int = 60) -> str:
    """A one-line rendering of a value for summaries."""
    if value is MISSING:
        return "(unset)"
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text_lines(groups: list[GroupDiff]) -> list[tuple[str, str]]:
    """(style, line) pairs for a terminal or plain text; style is one of added/removed/changed/heading/field."""
    marks = {"added": "+", "removed": "-", "changed": "~"}
    lines: list[tuple[str, str]] = []
    for group in groups:
        lines.append(("heading", f"{group.app} / {group.env}"))
        for obj in group.objects:
            lines.append((obj.change, f"  {marks[obj.change]} {obj.ident}"))
            for change in obj.fields:
                lines.append(("field", f"      {change.path}: {short(change.old)} → {short(change.new)}"))
    return lines
