"""The one fast YAML layer: libyaml parsing with source positions, and deterministic dumping.

Reading uses PyYAML's C parser (about 10x faster than a pure-Python one) and keeps the node
tree, so any field of a document can be traced back to its line and column. Documents are built
by a tight loop that handles plain strings, mappings, sequences, decimal integers, booleans and
nulls itself (most of a manifest) and hands every other tag to PyYAML's own constructors; a
document with merge keys (``<<``) is built by PyYAML entirely. Duplicate mapping
keys are recorded, never silently dropped; callers decide whether they are errors.
Round-trip editing that must keep comments (``set-image``) uses ruamel.yaml instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml is part of the PyYAML wheels; fall back to pure Python if a build lacks it
    _BaseLoader = yaml.CSafeLoader
    _BaseDumper = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader  # type: ignore[misc]
    _BaseDumper = yaml.SafeDumper  # type: ignore[misc]


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that keeps timestamps as strings (as Kubernetes does) and notes duplicate keys.

    Tag resolution is memoised: manifests repeat the same keys and values endlessly.
    """

    _resolved: dict[tuple[str, bool], str] = {}

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, yaml.Mark]] = []

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

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "found an unhashable mapping key", key_node.start_mark
                ) from None
            if duplicate:
                self.duplicates.append((str(key), key_node.start_mark))
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Document:
    """One YAML document: its data and where each of its nodes came from."""

    data: Any
    path: str
    index: int
    node: yaml.Node | None
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)  # (key, line, column)

    @property
    def line(self) -> int:
        return self.node.start_mark.line + 1 if self.node is not None else 1

    def position(self, field_path: tuple[str | int, ...] | list[str | int]) -> tuple[int, int]:
        """1-based (line, column) of the deepest node that exists along ``field_path``.

        For a mapping key, the position of the key itself is returned, which is where a
        reader looks for it; if the path goes further than the document does, the closest
        existing ancestor is used.
        """
        node = self.node
        if node is None:
            return (1, 1)
        mark = node.start_mark
        for step in field_path:
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == str(step):
                        mark, node = key_node.start_mark, value_node
                        break
                else:
                    break
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
                node = node.value[step]
                mark = node.start_mark
            else:
                break
        return (mark.line + 1, mark.column + 1)


class _MergeKey(Exception):
    """The document uses ``<<``; let PyYAML build it."""


class YAMLSyntaxError(ValueError):
    def __init__(self, path: str, line: int, column: int, problem: str) -> None:
        super().__init__(f"{path}:{line}:{column}: {problem}")
        self.path, self.line, self.column, self.problem = path, line, column, problem


def decode(raw: bytes, path: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YAMLSyntaxError(path, line, 1, "file is not valid UTF-8; re-save it as UTF-8") from None


def load_documents(text: str, path: str = "<stdin>") -> list[Document]:
    """Parse every document of a YAML stream, keeping empty documents as ``data=None``."""
    loader = _Loader(text)
    documents: list[Document] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            duplicates: list[tuple[str, int, int]] = []
            data = _build_document(loader, node, duplicates) if node is not None else None
            documents.append(Document(data, path, len(documents), node, duplicates))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise YAMLSyntaxError(path, line, column, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise YAMLSyntaxError(path, 1, 1, f"invalid YAML: {exc}") from None
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


def load_file(path: Path) -> list[Document]:
    return load_documents(decode(path.read_bytes(), str(path)), str(path))


class _Dumper(_BaseDumper):  # type: ignore[misc, valid-type]
    """Block-style dumper; literal blocks for multi-line strings; never emits anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump(data: Any) -> str:
    """Deterministic block YAML: keys in insertion order, no line wrapping, no aliases."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=1 << 16, allow_unicode=True)


def dump_all(documents: list[Any]) -> str:
    return "---\n".join(dump(doc) for doc in documents)
