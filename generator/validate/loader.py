"""Reading manifests: files, folders (recursively), stdin; YAML or JSON; multi-document; ``kind: List``.

Every input yields either resources to validate or one error result for the whole file, so
that one unreadable file never stops the others from being checked.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from generator import yamlio
from generator.errors import InputError
from generator.results import Finding, ResourceResult
from generator.walk import ManifestInput, manifest_inputs

STDIN = "-"
STDIN_NAME = "<stdin>"

FieldPath = tuple[str | int, ...]


@dataclass
class Resource:
    """One Kubernetes object and a way to find any of its fields in the source."""

    data: dict[str, Any]
    path: str
    line: int
    locate: Callable[[FieldPath], tuple[str, int, int]]  # field path -> (file, line, column)
    duplicates: list[tuple[str, FieldPath, int, int]]  # (key, path of its mapping, line, column)


def expand_paths(paths: list[str]) -> list[ManifestInput]:
    """Inputs to read, in a stable order: stdin and files as given, folders walked (generator/walk.py)."""
    return manifest_inputs(paths)


def built_resources(folder: str) -> Iterator[Resource | ResourceResult]:
    """The objects a Kustomize folder builds, each pointing back at the file that defines it."""
    from generator.kustomizations import build

    try:
        built = build(folder)
    except InputError as exc:
        yield file_error(str(exc.path or folder), "kustomize", exc.message, exc.line or 1)
        return
    for item in built:
        yield Resource(item.obj, item.kustomization, 1, item.locate, [])


def read_source(path: str) -> tuple[str, str | None, ResourceResult | None]:
    """(display name, text, None) or (display name, None, error result)."""
    name = STDIN_NAME if path == STDIN else path
    try:
        raw = sys.stdin.buffer.read() if path == STDIN else Path(path).read_bytes()
        return name, yamlio.decode(raw, name), None
    except FileNotFoundError:
        return name, None, file_error(name, "yaml", "no such file; check the path")
    except IsADirectoryError:
        return name, None, file_error(name, "yaml", "is a folder, not a file")
    except OSError as exc:
        return name, None, file_error(name, "yaml", f"cannot read file: {exc.strerror}")
    except yamlio.YAMLSyntaxError as exc:
        return name, None, file_error(name, "yaml", exc.problem, exc.line, exc.column)


def file_error(path: str, rule: str, message: str, line: int = 1, column: int = 1) -> ResourceResult:
    finding = Finding(tool="validate", rule=rule, level="error", message=message, path=path, line=line, column=column)
    return ResourceResult(path, line=line, status="error", findings=[finding])


def load_resources(name: str, text: str) -> Iterator[Resource | ResourceResult]:
    """Resources of one YAML/JSON stream; an error result for a document that is not an object."""
    try:
        documents = yamlio.load_documents(text, name)
    except yamlio.YAMLSyntaxError as exc:
        yield file_error(name, "yaml", exc.problem, exc.line, exc.column)
        return
    for document in documents:
        yield from document_resources(document)


def document_resources(document: yamlio.Document) -> Iterator[Resource | ResourceResult]:
    data = document.data
    if data is None:  # blank or comment-only document
        return
    if not isinstance(data, dict):
        yield file_error(document.path, "document", f"document is a {_type_name(data)}, not a Kubernetes object (a mapping)", document.line)
        return
    duplicates = _duplicate_paths(document) if document.duplicates else []
    if data.get("kind") == "List" and isinstance(data.get("items"), list) and "apiVersion" in data:
        for index, item in enumerate(data["items"]):
            prefix: FieldPath = ("items", index)
            if not isinstance(item, dict):
                line, column = document.position(prefix)
                yield file_error(document.path, "document", f"items[{index}] is a {_type_name(item)}, not a Kubernetes object", line, column)
                continue
            own = [(key, path[2:], line, col) for key, path, line, col in duplicates if path[:2] == prefix]
            yield _resource(document, item, prefix, own)
        return
    yield _resource(document, data, (), duplicates)


def _resource(document: yamlio.Document, data: dict[str, Any], prefix: FieldPath, duplicates: list) -> Resource:
    def locate(field_path: FieldPath) -> tuple[str, int, int]:
        line, column = document.position(prefix + tuple(field_path))
        return document.path, line, column

    return Resource(data, document.path, document.position(prefix)[0], locate, duplicates)


def _duplicate_paths(document: yamlio.Document) -> list[tuple[str, FieldPath, int, int]]:
    """Each duplicate key with the field path of the mapping holding it."""
    wanted = {(line, column): key for key, line, column in document.duplicates}
    found: list[tuple[str, FieldPath, int, int]] = []
    seen: set[int] = set()

    def walk(node: Any, path: FieldPath) -> None:
        value = getattr(node, "value", None)
        if not isinstance(value, list) or id(node) in seen:
            return
        seen.add(id(node))
        for index, item in enumerate(value):
            if isinstance(item, tuple):
                key_node, value_node = item
                mark = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                if mark in wanted:
                    found.append((wanted[mark], path, *mark))
                walk(value_node, path + (str(key_node.value),))
            else:
                walk(item, path + (index,))

    walk(document.node, ())
    return found


def _type_name(value: Any) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(type(value), type(value).__name__)
