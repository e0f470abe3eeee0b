"""The one fast YAML layer: libyaml parsing with source positions, and deterministic dumping.

Reading uses PyYAML's C parser (about 10x faster than a pure-Python one) and keeps the node
tree, so any field of a document can be traced back to its line and column. Documents are built
by a tight loop that handles plain strings, mappings, sequences, decimal integers, booleans and
nulls itself (most of a manifest) and hands every other tag to PyYAML's own constructors; a
document with merge keys (``<<``) is built by PyYAML entirely. Duplicate mapping
keys are recorded, never silently dropped; callers decide whether they are errors.

Callers that need only the data (lint's first pass over many files) use ``load_data``: a native
YAML 1.2 loader (fastyaml-rs, Rust) builds it about four times faster whenever a scan of the text
shows that YAML 1.2 and YAML 1.1 read it alike, and ``load_documents`` does it otherwise.
Round-trip editing that must keep comments (``set-image``) uses ruamel.yaml instead.
"""

from __future__ import annotations

import bisect
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import fast_yaml
import yaml

from generator import yaml_text

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

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """PyYAML's, with its unmarked failures on odd scalars (``0b_``, ``!!timestamp x``, ``!!int ''``) marked at the node."""
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
    text: yaml_text.TextPositions | None = None  # load_fast: positions read from the lines instead of nodes
    parsed: Callable[[], list[Document]] | None = None  # load_fast: the file parsed by libyaml, where ``text`` is unsure

    @property
    def line(self) -> int:
        if self.node is None and self.text is not None:
            return self.position(())[0]
        return self.node.start_mark.line + 1 if self.node is not None else 1

    def position(self, field_path: tuple[str | int, ...] | list[str | int]) -> tuple[int, int]:
        """1-based (line, column) of the deepest node that exists along ``field_path``.

        For a mapping key, the position of the key itself is returned, which is where a
        reader looks for it; if the path goes further than the document does, the closest
        existing ancestor is used.
        """
        node = self.node
        if node is None and self.text is not None:
            try:
                return self.text.position(field_path)
            except yaml_text.Unsure:
                assert self.parsed is not None
                return self.parsed()[self.index].position(field_path)
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


# Kubernetes refuses objects over 1.5 MiB (etcd's limit); a file many times that size is a mistake or
# an attack, and reading it would take the runner's time and memory. Callers read files through here.
MAX_FILE_BYTES = 8 * 1024 * 1024
# An alias stands for its anchor's whole node; a document may expand to this many nodes, or ten times
# its own size if that is larger, and no more ("billion laughs"), as go-yaml and OPA bound it.
MAX_EXPANDED_NODES = 200_000
ALIAS_EXPANSION_RATIO = 10
NATIVE_BYTES_PER_NODE = 64  # what the native loader charges an alias's expansion per node, at least (tests/test_yamlio.py)


class UnreadableFile(YAMLSyntaxError):
    """The path is no regular file we may read (a folder, a FIFO, a dangling link, no permission)."""


def read_text(path: str | os.PathLike[str], shown: str | None = None) -> str:
    """A file's text; a folder, FIFO, dangling symlink, unreadable, oversized or non-UTF-8 file is refused (file:1).

    The one way the project reads an input file: checked before it is opened, so a FIFO cannot
    block and a huge file is not read. Plain ``os`` calls on the path as given (no ``pathlib``
    objects): validate reads thousands of small files through here.
    """
    shown = os.fspath(path) if shown is None else shown
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            what = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise UnreadableFile(shown, 1, 1, f"is {what}; only YAML files belong here, move or rename it")
        if info.st_size > MAX_FILE_BYTES:
            raise UnreadableFile(shown, 1, 1, f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; "
                                 "split it into smaller files (Kubernetes refuses objects over 1.5 MiB)")
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        if os.path.islink(path):
            raise UnreadableFile(shown, 1, 1, "is a symlink to a missing file; fix or remove it") from None
        raise UnreadableFile(shown, 1, 1, "no such file; check the path") from None
    except PermissionError:
        raise UnreadableFile(shown, 1, 1, "cannot be read (permission denied); make it readable (chmod a+r) or remove it") from None
    except OSError as exc:
        raise UnreadableFile(shown, 1, 1, f"cannot be read ({exc.strerror}); fix or remove it") from None
    if len(raw) > MAX_FILE_BYTES:
        raise YAMLSyntaxError(shown, 1, 1, f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; "
                              "split it into smaller files (Kubernetes refuses objects over 1.5 MiB)")
    return decode(raw, shown)


def decode(raw: bytes, path: str) -> str:
    if len(raw) > MAX_FILE_BYTES:
        raise YAMLSyntaxError(path, 1, 1, f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; "
                              "split it into smaller files (Kubernetes refuses objects over 1.5 MiB)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YAMLSyntaxError(path, line, 1, "file is not valid UTF-8; re-save it as UTF-8") from None


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


def _native_alias_budget(text: str) -> int:
    """The native loader's alias budget (``max_alias_bytes``) under which each document of ``text`` expands to at
    most MAX_EXPANDED_NODES nodes, so that what it accepts ``load_documents`` accepts too.

    The native loader charges what aliases repeat at NATIVE_BYTES_PER_NODE or more per node (0.7: a
    scalar 65 bytes plus its text, a collection 64 plus its items), over the whole stream; the text
    itself holds at most three nodes per character (``{a,b}``: a mapping, two keys, two nulls). A
    budget of 1 refuses every alias (a long text): ``load_documents`` then decides.
    """
    return max(1, NATIVE_BYTES_PER_NODE * (MAX_EXPANDED_NODES - 3 * len(text) - 1))


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
        children = [child for pair in node.value for child in pair] if isinstance(node, yaml.MappingNode) else node.value
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
        raise YAMLSyntaxError(path, mark.line + 1, mark.column + 1,
                              f"aliases expand this document to {total:,} nodes (more than {max(MAX_EXPANDED_NODES, ALIAS_EXPANSION_RATIO * distinct):,}); "
                              "write the repeated parts out or use fewer aliases")


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
            if len(node.value) > 18 and int(node.value) >= 2**63:
                raise yaml.constructor.ConstructorError(
                    None, None, f"{node.value} is out of range for an integer (64 bits at most: Kubernetes, JSON "
                    "and the policy engine cannot hold it); use a smaller number, or quote it to keep it as a string",
                    node.start_mark)
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
        value = self.loader.construct_object(node, deep=True)
        if type(value) is int and not -(2**63) <= value < 2**63:  # a signed, hex, octal or "_" integer
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value} is out of range for an integer (64 bits at most); use a smaller number, "
                "or quote it to keep it as a string", node.start_mark)
        return value

    def _mapping(self, node: yaml.Node) -> dict[Any, Any]:
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


def load_data(text: str, path: str = "<stdin>") -> list[Any]:
    """Every document's data: exactly ``[d.data for d in load_documents(text, path)]``, mostly much faster.

    For callers that need neither positions nor the duplicate-key report. The native loader reads
    YAML 1.2, we read YAML 1.1 (``yes`` is a boolean, ``010`` is 8, ``1e3`` is a string, ``<<``
    merges, tags, ...), and it accepts some text that libyaml rejects; so it is used only when
    ``_reads_alike`` finds nothing of the kind in the text, and its result is kept only when it
    parsed and holds no empty document (which it counts differently). Everything else, invalid
    YAML included (whose error must say file:line), goes through ``load_documents``.
    """
    data = _native_data(text)
    return data if data is not None else [document.data for document in load_documents(text, path)]


def load_fast(text: str, path: str = "<stdin>") -> list[Document] | None:
    """``load_documents(text, path)``, about five times faster, or None when it cannot be sure (then use ``load_documents``).

    The data is the native loader's (as ``load_data``'s fast path), the positions are read from
    the text (``generator.yaml_text``), so a file is parsed once; it is used only when the text
    provably has no duplicate key (the documents report none).
    """
    data = _native_data(text)
    bounds = yaml_text.documents(text) if data is not None else None
    if data is None or bounds is None or len(bounds) != len(data) or not yaml_text.without_duplicate_keys(text, data):
        return None
    lines = yaml_text.Lines(text)
    parsed: list[list[Document]] = []

    def parse() -> list[Document]:  # only where the text holds what yaml_text does not follow
        if not parsed:
            parsed.append(load_documents(text, path))
        return parsed[0]

    return [
        Document(value, path, index, None, text=yaml_text.TextPositions(lines, first, end, start), parsed=parse)
        for index, (value, (first, end, start)) in enumerate(zip(data, bounds))
    ]


def _native_data(text: str) -> list[Any] | None:
    """The native loader's data when it is sure to equal ours, else None."""
    if not _reads_alike(text):
        return None
    try:  # over the alias budget: perhaps an alias bomb; load_documents decides, and words the error
        data = list(fast_yaml.safe_load_all(text, max_alias_bytes=_native_alias_budget(text)))
    except ValueError:  # invalid YAML or over its limits (depth, size, aliases): ours words the error
        return None
    if None in data:
        return None
    return data


def _reads_alike(text: str) -> bool:
    """True when YAML 1.1 (ours) and YAML 1.2 (the native loader) build the same data from ``text``.

    Conservative: a false "no" only costs speed, a false "yes" would be a bug. The tests hold the
    known differences (tests/test_yamlio.py) and check that each one answers "no" or agrees.
    """
    return (
        not _odd_characters(text)
        and not _reused_anchor(text)
        and _block_scalars_read_alike(text)
        and _words_read_alike(text)
    )


_PLAIN_ASCII = bytes(range(0x20, 0x7F)) + b"\n"
# Controls (tab, CR, NEL...), Unicode spaces and line breaks, surrogates, byte-order marks, non-characters
_ODD_CHARACTER = re.compile(r"[\x00-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ud800-\udfff\ufeff\ufffe\uffff]")


def _odd_characters(text: str) -> bool:
    """Tabs, CR, control characters, NEL/LS/PS line breaks, BOMs, Unicode spaces: YAML 1.1 and 1.2 treat them differently.

    Plain ASCII is removed first at C speed (bytes.translate), so only the rest is searched.
    """
    rest = text.encode("utf-8", "surrogatepass").translate(None, _PLAIN_ASCII)
    return bool(rest) and _ODD_CHARACTER.search(rest.decode("utf-8", "surrogatepass")) is not None


_ANCHOR = re.compile(r"&([^ \n,\[\]{}]*)")
_ANCHOR_NAME = re.compile(r"[0-9A-Za-z_-]+")  # what libyaml accepts; YAML 1.2 allows more


def _reused_anchor(text: str) -> bool:
    """An anchor defined twice in one document (YAML 1.1 refuses it), or named as libyaml would not accept."""
    if "&" not in text:
        return False
    anchors = [(anchor.start(), anchor.group(1)) for anchor in _ANCHOR.finditer(text) if _starts_node(text, anchor.start())]
    if not all(_ANCHOR_NAME.fullmatch(name) for _, name in anchors):
        return True
    if len({name for _, name in anchors}) == len(anchors):
        return False
    separators = _document_separators(text)
    in_documents = {(bisect.bisect(separators, start), name) for start, name in anchors}
    return len(in_documents) != len(anchors)


def _starts_node(text: str, at: int) -> bool:
    """Whether an ``&`` could start a node: "a&b" and "?x=1&y=2" are plain scalars."""
    return at == 0 or text[at - 1] in " \n[{,"


def _document_separators(text: str) -> list[int]:
    """Offsets of the ``---`` and ``...`` lines (str.find: much faster than a regex here)."""
    found = []
    for marker in ("\n---", "\n..."):
        at = text.find(marker)
        while at != -1:
            if text[at + 4 : at + 5] in ("", " ", "\n"):
                found.append(at)
            at = text.find(marker, at + 1)
    return sorted(found)


_BLOCK_SCALAR_HEADER = re.compile(r"[|>][-+0-9]*(?:[ ]+(?:#[^\n]*)?)?(?=\n|$)")
_KEY_OR_ENTRY = re.compile(r"( *)((?:- +)*)(?:(\S[^\n]*:)[ ]+)?$")


def _block_scalars_read_alike(text: str) -> bool:
    """Every ``|`` or ``>`` block scalar is the value of a key or an entry and has a first line of content.

    libyaml and the native loader differ on empty block scalars, on a block scalar that ends the
    text without a line break and on the indentation of top-level ones.
    """
    if "|" not in text and ">" not in text:  # str.__contains__ is much faster than a regex search
        return True
    for header in _BLOCK_SCALAR_HEADER.finditer(text):
        start = header.start()
        if start and text[start - 1] not in " \n":
            continue  # inside a plain scalar ("a|b"): not a header
        line_start = text.rfind("\n", 0, start) + 1
        prefix = _KEY_OR_ENTRY.fullmatch(text, line_start, start)
        if prefix is None or not (prefix.group(2) or prefix.group(3)) or not text.endswith("\n"):
            return False
        # content must be indented deeper than the key, or than the "-" of the entry it is
        parent = prefix.end(2) - line_start if prefix.group(3) else prefix.end(2) - line_start - 2
        next_line = text[header.end() + 1 : text.find("\n", header.end() + 1)]
        if len(next_line) - len(next_line.lstrip(" ")) <= parent or not next_line.strip():
            return False
    return True


_FLOW_INDICATOR = re.compile(r"[,\[\]{}]")
_FLOW_START = re.compile(r"[\[{][^\n]*")
_COLON_IN_FLOW = re.compile(r":[,?\[\]{}]")  # libyaml refuses it in a flow collection, YAML 1.2 reads a key
_PROPERTY_THEN_FLOW = re.compile(r"[&*][0-9A-Za-z_-]+[\[{]")  # libyaml refuses "&a[", YAML 1.2 reads "&a" then "["
# Pieces that start like this are strings for both loaders, unless they are one of _YAML11_WORDS.
# Quoted pieces are strings too (the native loader refuses the few quoted texts it reads otherwise)
_STRING_START = re.compile(r"[^-?:,\[\]{}#&*!|>'\"%@`0-9.+~<=]")
_QUOTED_THEN_COLON = re.compile(r"['\"]:")
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}  # booleans and nulls, lower-cased


class _Verdicts:
    """Which words both loaders read alike in the given contexts; remembered, as manifests repeat their words."""

    def __init__(self, *contexts: str) -> None:
        self.contexts = contexts
        self.alike: set[str] = set()
        self.unlike: set[str] = set()

    def all_alike(self, words: set[str]) -> bool:
        if not words.isdisjoint(self.unlike):
            return False
        for word in words.difference(self.alike):
            if not self._word_alike(word):
                self.unlike.add(word)
                return False
            if len(self.alike) < 1_000_000:
                self.alike.add(word)
        return True

    def _word_alike(self, word: str) -> bool:
        if word[0] == "#":  # a comment runs to the end of the line
            return True
        if _COLON_IN_FLOW.search(word) or _PROPERTY_THEN_FLOW.search(word):
            return False
        return all(map(self._piece_alike, _FLOW_INDICATOR.split(word)))

    def _piece_alike(self, piece: str) -> bool:
        """One scalar or indicator between flow indicators, perhaps with the ``:`` of a key after it."""
        if not piece:
            return True
        if piece[0] in "&*":  # anchor or alias: named as libyaml allows, and no empty key after it
            return _ANCHOR_NAME.fullmatch(piece, 1) is not None
        scalar = piece[:-1] if piece.endswith(":") and len(piece) > 1 else piece
        if scalar[0] in "'\"":  # quoted; but ["a":b] is a key and its value
            return not _QUOTED_THEN_COLON.search(scalar)
        if _STRING_START.match(scalar) and scalar.lower() not in _YAML11_WORDS:
            return True
        return all(_same_data(context.format(form)) for form in {piece, scalar} for context in self.contexts)


_BLOCK = _Verdicts("{}", "k: {}", "{}: v", "- {}")
_FLOW = _Verdicts("[{}]", "[x, {}]", "[{}, x]", "{{{}}}", "{{{}: x}}", "{{x: {}}}")


def _words_read_alike(text: str) -> bool:
    """Every whitespace-separated word of the text reads alike, wherever a word like it may stand.

    A scalar that resolves to something other than a string (a number, a boolean, a null, ``<<``,
    a tag) has no space in it, so it is one of the words, perhaps between flow indicators or
    before the ``:`` of a key. Indicators (``-``, ``|``, ``?``...) read alike in block context
    only, so the words that may stand in a flow collection are also tried there.
    """
    if not _BLOCK.all_alike(set(text.split())):
        return False
    flow = _flow_words(text)
    return flow is not None and _FLOW.all_alike(flow)


def _flow_words(text: str) -> set[str] | None:
    """The words from one that opens a flow collection to the end of its line.

    None if a flow collection spans lines (libyaml and YAML 1.2 indent those differently) or is
    longer than libyaml's longest key (1024 characters), which the native loader does not enforce there.
    """
    found: set[str] = set()
    if "[" not in text and "{" not in text:
        return found
    for match in _FLOW_START.finditer(text):
        start = match.start()
        if start and text[start - 1] not in " \n":  # "a[0]" is a plain scalar
            continue
        segment = match.group()
        if len(segment) > 1000 or segment.count("[") + segment.count("{") != segment.count("]") + segment.count("}"):
            return None
        found.update(segment.split())
    return found


def _same_data(text: str) -> bool:
    """Both loaders build the same data from a one-line text (or both refuse it)."""
    try:
        ours = repr([document.data for document in load_documents(text)])
    except YAMLSyntaxError:  # "0x_", "!!timestamp x", "!!int ''" included: _Loader marks PyYAML's failures on them
        ours = "invalid"
    try:
        native = repr(list(fast_yaml.safe_load_all(text)))
    except ValueError:
        native = "invalid"
    return ours == native


def load_file(path: Path) -> list[Document]:
    return load_documents(read_text(path), str(path))


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

