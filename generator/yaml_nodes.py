"""Reading YAML with PyYAML's C parser (libyaml), keeping the node tree; and writing YAML.

Reading keeps the node tree, so any field of a document can be traced back to its line and
column. Documents are built by a tight loop that handles plain strings, mappings, sequences,
decimal integers, booleans and nulls itself (most of a manifest) and hands every other tag to
PyYAML's own constructors; a document with merge keys (``<<``) is built by PyYAML entirely.
Duplicate mapping keys are recorded, never silently dropped; callers decide whether they are
errors. Use it through :mod:`generator.yamlio`, which imports this module (and PyYAML) only when
a text needs it.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from generator.yaml_document import ALIAS_EXPANSION_RATIO, MAX_EXPANDED_NODES, Document, YAMLSyntaxError

_BaseLoader: Any
_BaseDumper: Any
try:  # libyaml is part of the PyYAML wheels; fall back to pure Python if a build lacks it
    _BaseLoader = yaml.CSafeLoader
    _BaseDumper = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader
    _BaseDumper = yaml.SafeDumper


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"


# The kind of node each of YAML's own tags names: on another kind (``!!str {a: 1}``, ``!!seq x``) it is an error
_TAG_KINDS = {
    **{f"tag:yaml.org,2002:{name}": yaml.ScalarNode for name in ("str", "int", "float", "bool", "null", "timestamp", "binary")},
    **{f"tag:yaml.org,2002:{name}": yaml.MappingNode for name in ("map", "set")},
    **{f"tag:yaml.org,2002:{name}": yaml.SequenceNode for name in ("seq", "omap", "pairs")},
}
_KIND_NAMES = {yaml.ScalarNode: "a scalar", yaml.MappingNode: "a mapping", yaml.SequenceNode: "a sequence"}


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that keeps timestamps as strings (as Kubernetes does) and notes duplicate keys.

    Tag resolution is memoised: manifests repeat the same keys and values endlessly.
    """

    _resolved: dict[tuple[str, bool], str] = {}

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, yaml.Mark]] = []

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """PyYAML's, with its unmarked failures on odd scalars (``!!int 0b_``, ``!!timestamp x``, ``!!int ''``) marked at
        the node, and a tag on a node of another kind (``!!str {a: 1}``) said so."""
        fits = _TAG_KINDS.get(node.tag)
        if fits is not None and type(node) is not fits:
            short = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise yaml.constructor.ConstructorError(None, None, f"the tag {short} does not fit {_KIND_NAMES[type(node)]}; remove the tag", node.start_mark)
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, AttributeError, OverflowError, IndexError, KeyError):
            what = f"{node.value!r} " if isinstance(node, yaml.ScalarNode) else ""
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {what}as {node.tag.rpartition(':')[2]}; quote it to keep it as a string", node.start_mark
            ) from None

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            key = (value, implicit[0])
            tag = self._resolved.get(key)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if tag in (_INT, _FLOAT) and implicit[0] and not _holds_a_number(tag, value):
                    tag = _STR
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
                hash(key)  # not "key in seen": a set finds its frozenset there, then cannot be added
            except TypeError:
                raise yaml.constructor.ConstructorError(None, None, "found an unhashable mapping key", key_node.start_mark) from None
            if key in seen:
                self.duplicates.append((str(key), key_node.start_mark))
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


# A plain scalar YAML 1.1's patterns take for a number, but that holds none: ``0b_``, ``0x_`` and ``._`` (a prefix
# or a point, then underscores only: no number can be built from them) and a float beyond a float64 (``1.E+500``,
# which PyYAML would make inf). go-yaml, with which kubectl, kustomize, Helm and Argo CD read manifests, reads each
# as a string, and writes such a string unquoted (kustomize's output holds them so); so it is a string here too.
# With an explicit tag (``!!int 0b_``) it is still an error.
_NO_DIGIT_INT = re.compile(r"[-+]?0[bx]_+")


def _holds_a_number(tag: str, value: str) -> bool:
    if tag == _INT:
        return _NO_DIGIT_INT.fullmatch(value) is None
    plain = value.replace("_", "").lower()
    if ":" in plain or plain.lstrip("+-") in (".inf", ".nan"):  # sexagesimal, infinity and NaN as YAML writes them
        return True
    try:
        return not math.isinf(float(plain))
    except ValueError:  # "._": a point and underscores
        return False


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


class _MergeKey(Exception):
    """The document uses ``<<``; let PyYAML build it."""


def load_documents(text: str, path: str = "<stdin>") -> list[Document]:
    """Parse every document of a YAML stream, keeping empty documents as ``data=None``."""
    loader = _Loader(text)
    documents: list[Document] = []
    aliases = _has_alias(text)  # no alias, nothing to expand: skip the count
    try:
        while loader.check_node():
            node = loader.get_node()
            if aliases and node is not None:
                _check_expansion(node, path)
            duplicates: list[tuple[str, int, int]] = []
            data = _build_document(loader, node, duplicates) if node is not None else None
            documents.append(Document(data, path, len(documents), node, duplicates))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise YAMLSyntaxError(path, line, column, f"invalid YAML: {problem}") from None
    except RecursionError:  # building nests a call per level: a document hundreds of levels deep
        mark = _deepest(node)
        raise YAMLSyntaxError(path, mark.line + 1, mark.column + 1, "the document nests too deeply (hundreds of levels); flatten it") from None
    except yaml.reader.ReaderError as exc:  # a control character: at a character offset, not a mark
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - text.rfind("\n", 0, exc.position)
        what = f"#x{exc.character:04x}" if isinstance(exc.character, int) else repr(exc.character)
        raise YAMLSyntaxError(path, line, column, f"invalid YAML: unacceptable character {what}: {exc.reason}") from None
    except yaml.YAMLError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable"
        raise YAMLSyntaxError(path, 1, 1, f"invalid YAML: {first}") from None
    finally:
        loader.dispose()
    return documents


_ALIAS = re.compile(r"(?:^|[ \n\[{,])\*[^ \n,\[\]{}]")


def _has_alias(text: str) -> bool:
    """Whether the text may hold an alias (``*name`` where a node can start); a false "yes" only costs time."""
    return "*" in text and _ALIAS.search(text) is not None


def _check_expansion(root: yaml.Node, path: str) -> None:
    """Refuse a document whose aliases expand it beyond MAX_EXPANDED_NODES (or ALIAS_EXPANSION_RATIO times its size).

    Nodes reached through an alias are shared in the parsed tree, but everything downstream (schema
    validation, JSON for the policy engine, rendering) walks the expanded tree; count it without
    expanding it, each distinct node once.
    """
    expanded: dict[int, int] = {}
    open_nodes: set[int] = set()
    distinct = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in expanded:
            continue
        if not children_done and id(node) in open_nodes:
            mark = node.start_mark
            raise YAMLSyntaxError(path, mark.line + 1, mark.column + 1, "an alias refers to a node that contains it (recursive data); remove the alias")
        if isinstance(node, yaml.ScalarNode):
            expanded[id(node)] = 1
            distinct += 1
            continue
        children = _children(node)
        if children_done:
            expanded[id(node)] = 1 + sum(expanded.get(id(child), 0) for child in children)
            open_nodes.discard(id(node))
            distinct += 1
            continue
        open_nodes.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in expanded)
    total = expanded.get(id(root), 0)
    if total > max(MAX_EXPANDED_NODES, ALIAS_EXPANSION_RATIO * distinct):
        mark = root.start_mark
        raise YAMLSyntaxError(
            path,
            mark.line + 1,
            mark.column + 1,
            f"aliases expand this document to {total:,} nodes (more than {max(MAX_EXPANDED_NODES, ALIAS_EXPANSION_RATIO * distinct):,}); "
            "write the repeated parts out or use fewer aliases",
        )


def _deepest(root: yaml.Node) -> Any:
    """The start mark of the most deeply nested node under ``root`` (walked without recursion)."""
    deepest, depth_reached = root.start_mark, 0
    stack: list[tuple[yaml.Node, int]] = [(root, 0)]
    seen: set[int] = set()
    while stack:
        node, depth = stack.pop()
        if depth > depth_reached:
            deepest, depth_reached = node.start_mark, depth
        if not isinstance(node, yaml.ScalarNode) and id(node) not in seen:
            seen.add(id(node))
            stack.extend((child, depth + 1) for child in _children(node))
    return deepest


def _children(node: yaml.Node) -> list[yaml.Node]:
    """A collection's nodes: a sequence's items, a mapping's keys and values."""
    return [child for pair in node.value for child in pair] if isinstance(node, yaml.MappingNode) else node.value


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
        """The node's value. An explicit tag may name another kind of node than the one it is on
        (``!!str {a: 1}``, ``!!int [1]``, ``!!bool maybe``): those go to PyYAML, which refuses them
        at the node (``construct_object`` words the error)."""
        tag = node.tag
        if type(node) is yaml.ScalarNode:
            if tag == _STR:
                return node.value
            if tag == _INT and node.value.isdigit() and (node.value[0] != "0" or node.value == "0"):
                if len(node.value) > 18 and int(node.value) >= 2**63:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"{node.value} is out of range for an integer (64 bits at most: Kubernetes, JSON "
                        "and the policy engine cannot hold it); use a smaller number, or quote it to keep it as a string",
                        node.start_mark,
                    )
                return int(node.value)  # plain decimal; octal, hex, "_" and base-60 go through PyYAML
            if tag == _BOOL and node.value.lower() in self.loader.bool_values:
                return self.loader.bool_values[node.value.lower()]
            if tag == _NULL:
                return None
        else:
            known = self.built.get(id(node))
            if known is not None:
                return known
            if tag == _MAP and type(node) is yaml.MappingNode:
                return self._mapping(node)
            if tag == _SEQ and type(node) is yaml.SequenceNode:
                items: list[Any] = []
                self.built[id(node)] = items
                items.extend(self.build(child) for child in node.value)
                return items
        value = self.loader.construct_object(node, deep=True)
        if type(value) is int and not -(2**63) <= value < 2**63:  # a signed, hex, octal or "_" integer
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"{node.value} is out of range for an integer (64 bits at most); use a smaller number, or quote it to keep it as a string",
                node.start_mark,
            )
        return value

    def _mapping(self, node: yaml.Node) -> dict[Any, Any]:
        mapping: dict[Any, Any] = {}
        self.built[id(node)] = mapping
        build = self.build
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                raise _MergeKey
            key = key_node.value if key_node.tag == _STR and type(key_node) is yaml.ScalarNode else build(key_node)
            try:
                if key in mapping:
                    mark = key_node.start_mark
                    self.duplicates.append((str(key), mark.line + 1, mark.column + 1))
            except TypeError:
                raise yaml.constructor.ConstructorError(None, None, "found an unhashable mapping key", key_node.start_mark) from None
            mapping[key] = build(value_node)
        return mapping


class _Dumper(_BaseDumper):  # type: ignore[misc, valid-type]
    """Block-style dumper; literal blocks for multi-line strings; never emits anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


# What YAML 1.2 (core schema) and go-yaml (v2 for Helm and kubectl, v3 for kustomize) read as a
# number, boolean or null although YAML 1.1 (PyYAML, whose emitter quotes only what 1.1 would
# misread) reads a string: ``1234e56`` and ``1e3`` (floats without a dot), ``0o17`` (octal),
# ``09`` and ``1_000`` (go-yaml drops underscores and parses numbers with Go's strconv), ``0b2``...
# Over-matching only adds quotes; the property tests hold every writer to the three readers.
_NUMBER_LIKE = re.compile(
    r"[-+]?(?:\.[0-9_]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9_]+)?"  # decimal, with or without exponent
    r"|[-+]?0[xXoObB][0-9a-fA-F_]+"  # hex, octal, binary (Go's base prefixes)
    r"|[-+]?\.?(?:inf|infinity|nan)"  # YAML's .inf/.nan in any case, and Go's inf/nan
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?",  # YAML 1.1 base 60
    re.IGNORECASE,
)
_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", ""}  # lower-cased


def needs_quotes(value: str) -> bool:
    """Whether ``value`` written plain could read back as something other than this string in YAML 1.1, 1.2 or go-yaml."""
    return value.lower() in _WORDS or _NUMBER_LIKE.fullmatch(value) is not None


def _represent_str(dumper: Any, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else ("'" if needs_quotes(value) else None)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump(data: Any) -> str:
    """Deterministic block YAML: keys in insertion order, no line wrapping, no aliases."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=1 << 16, allow_unicode=True)


def dump_all(documents: list[Any]) -> str:
    """Several documents as one stream (``---`` between them), each as :func:`dump` writes it."""
    return "---\n".join(dump(doc) for doc in documents)
