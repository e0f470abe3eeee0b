"""Manifest loading tuned for validation: libyaml composes the node tree, a tight loop builds the data.

Same results as :func:`generator.yamlio.load_documents` (same resolver, timestamps kept as
strings, duplicate keys recorded, positions from the node tree), about twice as fast on
Kubernetes manifests: plain string scalars, which are most of them, skip PyYAML's generic
constructor machinery; every other tag still goes through PyYAML's own constructors, and a
document using merge keys (``<<``) is built by PyYAML entirely.
"""

from __future__ import annotations

from typing import Any

import yaml

from generator import yamlio

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"


class _MergeKey(Exception):
    """The document uses ``<<``; let PyYAML build it."""


class _Loader(yamlio._Loader):  # type: ignore[misc, valid-type]
    """yamlio's loader with tag resolution memoised: manifests repeat the same keys endlessly."""

    _resolved: dict[tuple[str, bool], str] = {}

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            key = (value, implicit[0])
            tag = self._resolved.get(key)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(self._resolved) < 100_000:
                    self._resolved[key] = tag
            return tag
        return super().resolve(kind, value, implicit)

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:  # no path resolvers here
        return None

    def ascend_resolver(self) -> None:
        return None


def load_documents(text: str, path: str) -> list[yamlio.Document]:
    loader = _Loader(text)
    documents: list[yamlio.Document] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            duplicates: list[tuple[str, int, int]] = []
            data = _build_document(loader, node, duplicates) if node is not None else None
            documents.append(yamlio.Document(data, path, len(documents), node, duplicates))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise yamlio.YAMLSyntaxError(path, line, column, f"invalid YAML: {exc.problem or exc.context or 'invalid YAML'}") from None
    except yaml.YAMLError as exc:
        raise yamlio.YAMLSyntaxError(path, 1, 1, f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    return documents


def _build_document(loader: Any, node: yaml.Node, duplicates: list[tuple[str, int, int]]) -> Any:
    try:
        return _Builder(loader, duplicates).build(node)
    except _MergeKey:
        duplicates.clear()
        loader.duplicates = []
        data = loader.construct_document(node)
        duplicates.extend((key, mark.line + 1, mark.column + 1) for key, mark in loader.duplicates)
        return data


class _Builder:
    def __init__(self, loader: Any, duplicates: list[tuple[str, int, int]]) -> None:
        self.loader = loader
        self.duplicates = duplicates
        self.built: dict[int, Any] = {}  # aliases: one node, one object

    def build(self, node: yaml.Node) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        known = self.built.get(id(node))
        if known is not None:
            return known
        if tag == _MAP:
            return self._mapping(node)
        if tag == _INT and node.value.isdigit() and (node.value[0] != "0" or node.value == "0"):
            return int(node.value)  # plain decimal; octal, hex, "_" and base-60 go through PyYAML
        if tag == _BOOL:
            return self.loader.bool_values[node.value.lower()]
        if tag == _NULL:
            return None
        if tag == _SEQ:
            items: list[Any] = []
            self.built[id(node)] = items
            items.extend(self.build(child) for child in node.value)
            return items
        return self.loader.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode) -> dict[Any, Any]:
        mapping: dict[Any, Any] = {}
        self.built[id(node)] = mapping
        build = self.build
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                raise _MergeKey
            key = key_node.value if key_node.tag == _STR else build(key_node)
            try:
                if key in mapping:
                    mark = key_node.start_mark
                    self.duplicates.append((str(key), mark.line + 1, mark.column + 1))
            except TypeError:
                raise yaml.constructor.ConstructorError(None, None, "found an unhashable mapping key", key_node.start_mark) from None
            mapping[key] = build(value_node)
        return mapping
