"""The one fast YAML layer: reading files, and YAML text into documents with source positions.

``load_documents`` parses with PyYAML's C parser and keeps the node tree
(:mod:`generator.yaml_nodes`, imported only when a text needs it). Callers that need only the
data (lint's first pass over many files) use ``load_data``: a native YAML 1.2 loader
(yaml-rs, Rust) builds it several times faster whenever a scan of the text shows that YAML 1.2
and YAML 1.1 read it alike, and ``load_documents`` does it otherwise; ``load_fast`` adds
positions read from the text (:mod:`generator.yaml_text`). Round-trip editing that must
keep comments (``set-image``) uses ruamel.yaml instead.
"""

from __future__ import annotations

import bisect
import os
import re
import stat
from pathlib import Path
from typing import Any

import orjson
import yaml_rs

from generator import yaml_text
from generator.yaml_document import ALIAS_EXPANSION_RATIO, MAX_EXPANDED_NODES, Document, YAMLSyntaxError

__all__ = ["ALIAS_EXPANSION_RATIO", "MAX_EXPANDED_NODES", "Document", "YAMLSyntaxError"]  # and what is defined below

# Kubernetes refuses objects over 1.5 MiB (etcd's limit); a file many times that size is a mistake or
# an attack, and reading it would take the runner's time and memory. Callers read files through here.
MAX_FILE_BYTES = 8 * 1024 * 1024


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
            raise UnreadableFile(
                shown, 1, 1, f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; split it into smaller files (Kubernetes refuses objects over 1.5 MiB)"
            )
        raw = _read_bytes(path, info.st_size)
    except FileNotFoundError:
        if os.path.islink(path):
            raise UnreadableFile(shown, 1, 1, "is a symlink to a missing file; fix or remove it") from None
        raise UnreadableFile(shown, 1, 1, "no such file; check the path") from None
    except PermissionError:
        raise UnreadableFile(shown, 1, 1, "cannot be read (permission denied); make it readable (chmod a+r) or remove it") from None
    except OSError as exc:
        raise UnreadableFile(shown, 1, 1, f"cannot be read ({exc.strerror}); fix or remove it") from None
    if len(raw) > MAX_FILE_BYTES:
        raise YAMLSyntaxError(
            shown, 1, 1, f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; split it into smaller files (Kubernetes refuses objects over 1.5 MiB)"
        )
    return decode(raw, shown)


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def _read_bytes(path: str | os.PathLike[str], size: int) -> bytes:
    """The file's bytes, read to its end (or just past MAX_FILE_BYTES, if it grew), with as few system calls as it takes.

    ``open()`` would add a file object, a ``fstat`` and an ``isatty`` check per file; ``size`` is
    what ``os.stat`` found, so one read usually takes it all and a second finds the end.
    """
    descriptor = os.open(path, _READ_FLAGS)
    try:
        chunks: list[bytes] = []
        total = 0
        while total <= MAX_FILE_BYTES:
            chunk = os.read(descriptor, max(size + 1 - total, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(descriptor)


_BOM = b"\xef\xbb\xbf"


def decode(raw: bytes, path: str) -> str:
    if len(raw) > MAX_FILE_BYTES:
        raise YAMLSyntaxError(
            path, 1, 1, f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; split it into smaller files (Kubernetes refuses objects over 1.5 MiB)"
        )
    body = raw[3:] if raw[:3] == _BOM else raw  # as "utf-8-sig" decodes, without its codec's Python layer
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:  # at an offset past the BOM, as "utf-8-sig" gives it
        line = raw[: exc.start].count(b"\n") + 1
        raise YAMLSyntaxError(path, line, 1, "file is not valid UTF-8; re-save it as UTF-8") from None


def load_documents(text: str, path: str = "<stdin>") -> list[Document]:
    """Parse every document of a YAML stream with libyaml, keeping empty documents as ``data=None``."""
    from generator import yaml_nodes

    return yaml_nodes.load_documents(text, path)


def _native_alias_limits(text: str) -> yaml_rs.AliasLimits:
    """The native loader's alias limits under which each document of ``text`` expands to at most
    MAX_EXPANDED_NODES nodes, so that what it accepts ``load_documents`` accepts too.

    The native loader counts the parser events that aliases replay, over the whole stream: one per
    scalar, two per collection, so at least one per node repeated. The text itself holds at most
    three nodes per character (``{a,b}``: a mapping, two keys, two nulls). A budget of 1 refuses
    every alias that repeats more than a scalar (a long text): ``load_documents`` then decides.
    """
    return yaml_rs.AliasLimits(max_total_replayed_events=max(1, MAX_EXPANDED_NODES - 3 * len(text) - 1))


def load_data(text: str, path: str = "<stdin>") -> list[Any]:
    """Every document's data: exactly ``[d.data for d in load_documents(text, path)]``, mostly much faster.

    For callers that need neither positions nor the duplicate-key report. The native loader reads
    YAML 1.2, we read YAML 1.1 (``yes`` is a boolean, ``010`` is 8, ``1e3`` is a string, ``<<``
    merges, tags, ...), and it accepts some text that libyaml rejects; so it is used only when
    ``_reads_alike`` finds nothing of the kind in the text, and its result is kept only when it
    parsed, found no key twice and holds no empty document (which it counts differently).
    Everything else, invalid YAML and duplicate keys included (whose error or warning must say
    file:line), goes through ``load_documents``.
    """
    data = _native_data(text)
    return data if data is not None else [document.data for document in load_documents(text, path)]


def load_fast(text: str, path: str = "<stdin>") -> list[Document] | None:
    """``load_documents(text, path)``, about five times faster, or None when it cannot be sure (then use ``load_documents``).

    The data is the native loader's (as ``load_data``'s fast path), the positions are read from
    the text (``generator.yaml_text``), so a file is parsed once. The native loader refuses a key
    written twice in a mapping, so the documents report no duplicate keys, as there are none.
    """
    markers = yaml_text.marker_lines(text)
    data = _native_data(text, markers)
    bounds = yaml_text.documents(text, markers) if data is not None else None
    if data is None or bounds is None or len(bounds) != len(data):
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


def _native_data(text: str, markers: list[yaml_text.Marker] | None = None) -> list[Any] | None:
    """The native loader's data when it is sure to equal ours, else None (``markers``: the text's ``yaml_text.marker_lines``).

    The native loader gives one document as it is and several as a list of them; the documents are
    counted from the text's ``---`` lines, so that one document that is a list is not taken for
    several. It reads an alias inside the node it names (``&x [*x]``, which we refuse) as null, so a
    text with aliases is taken only when its data holds no null at all.
    """
    markers = yaml_text.marker_lines(text) if markers is None else markers
    count = _stream_documents(text, markers)
    if count is None or not _reads_alike(text, markers) or _tag_or_complex_key(text):
        return None
    data = _native_documents(text, count)
    if data is None or None in data or "*" in text and _ALIAS.search(text) and _holds_null(data):
        return None
    return data


_ALIAS = re.compile(r"(?:^|[ \[{,])\*", re.MULTILINE)  # a "*" that starts a node ("*.example.com" quoted does not)


# A tag (the native loader ignores one on a node of another kind, ``!!int {a: 1}``, which we refuse), or a complex
# key (``[a]: v``, ``? {a: 1}``: we refuse a mapping or sequence as a key, the native loader makes it a tuple)
_TAG_OR_COMPLEX_KEY = re.compile(r"(?:^|[ \[{,])(?:!|\?(?=[ \n]|$))|[\]}][ ]*:(?=[ \n,\]}]|$)", re.MULTILINE)


def _tag_or_complex_key(text: str) -> bool:
    """Whether ``text`` may hold a tag or a complex key: the native loader reads both otherwise than we do."""
    return ("!" in text or "?" in text or "]" in text or "}" in text) and _TAG_OR_COMPLEX_KEY.search(text) is not None


# Block nodes nested deeper than this: the native loader recurses once per level and would overflow the stack (a crash,
# at ~16,000 levels of "- - - ...", not an error). Each level of block nesting takes at least one more space or "- "
# at a line's start; flow collections it stops itself, at 256 levels. A deeper text is libyaml's to read (and refuse).
NATIVE_MAX_BLOCK_DEPTH = 256
# (after a line break: a pattern anchored at every line start, ``^`` in MULTILINE mode, is tried at every character)
_DEEP_LINE = re.compile(rf"\n[ -]{{{NATIVE_MAX_BLOCK_DEPTH}}}")


def _deep(text: str) -> bool:
    """Whether a line of ``text`` starts with NATIVE_MAX_BLOCK_DEPTH spaces and dashes: its nodes may nest that deep."""
    return len(text) >= NATIVE_MAX_BLOCK_DEPTH and (not text[:NATIVE_MAX_BLOCK_DEPTH].strip(" -") or _DEEP_LINE.search(text) is not None)


def _native_documents(text: str, count: int | None = None) -> list[Any] | None:
    """The native loader's documents of ``text`` (``count``: how many its stream holds, ``_stream_documents``); None where
    it refuses the text (a key twice, an alias bomb, invalid YAML, over its limits: ``load_documents`` decides, and
    words it), where its documents cannot be counted, or where it is not given the text at all (nesting that could
    overflow its stack)."""
    if count is None:
        count = _stream_documents(text, yaml_text.marker_lines(text))
    if count is None or _deep(text):
        return None
    try:
        loaded = yaml_rs.loads(text, parse_datetime=False, alias_limits=_native_alias_limits(text))
    except (ValueError, RecursionError):
        return None
    if count == 0:
        return [] if loaded is None else None
    data = [loaded] if count == 1 else loaded
    return data if isinstance(data, list) and len(data) == count else None


def _stream_documents(text: str, markers: list[yaml_text.Marker]) -> int | None:
    """How many documents the stream holds, empty ones included: one per ``---`` line (``markers``: the text's
    ``yaml_text.marker_lines``), and one before the first if it holds content. None where a line starts with ``...``
    or ``%`` (ours to read) or ``---`` not followed by a space."""
    if any(rest is None or rest[:1] not in ("", " ") for _, _, rest in markers):
        return None
    return len(markers) + (1 if yaml_text.has_content(text, 0, markers[0][0] if markers else len(text)) else 0)


def _holds_null(data: list[Any]) -> bool:
    """Whether a null may stand anywhere in ``data``: as an item, a value or a key (written as JSON, at C speed, which
    writes a null key as "null"). Conservative: the word in a string, a NaN (written null) or data JSON cannot hold
    (an integer over 64 bits, deep nesting) count as a null."""
    try:
        written = orjson.dumps(data)
    except TypeError:  # a key that is not a string, or what JSON cannot hold
        try:
            written = orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)
        except TypeError:
            return True
    return b"null" in written


def _reads_alike(text: str, markers: list[yaml_text.Marker] | None = None) -> bool:
    """True when YAML 1.1 (ours) and YAML 1.2 (the native loader) build the same data from ``text`` (``markers``: its
    ``yaml_text.marker_lines``, found again when not given).

    Conservative: a false "no" only costs speed, a false "yes" would be a bug. The tests hold the
    known differences (tests/test_yamlio.py) and check that each one answers "no" or agrees.
    """
    return not _odd_characters(text) and not _reused_anchor(text, markers) and _block_scalars_read_alike(text) and _words_read_alike(text)


_PLAIN_ASCII = bytes(range(0x20, 0x7F)) + b"\n"
# Controls (tab, CR, NEL...), Unicode spaces and line breaks, surrogates, byte-order marks, non-characters
_ODD_CHARACTER = r"[\x00-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ud800-\udfff\ufeff\ufffe\uffff]"


def _odd_characters(text: str) -> bool:
    """Tabs, CR, control characters, NEL/LS/PS line breaks, BOMs, Unicode spaces: YAML 1.1 and 1.2 treat them differently.

    Plain ASCII is removed first at C speed (bytes.translate), so only the rest is searched.
    """
    rest = text.encode("utf-8", "surrogatepass").translate(None, _PLAIN_ASCII)
    return bool(rest) and re.search(_ODD_CHARACTER, rest.decode("utf-8", "surrogatepass")) is not None  # compiled on first use


_ANCHOR = re.compile(r"&([^ \n,\[\]{}]*)")
_ANCHOR_NAME = re.compile(r"[0-9A-Za-z_-]+")  # what libyaml accepts; YAML 1.2 allows more


def _reused_anchor(text: str, markers: list[yaml_text.Marker] | None = None) -> bool:
    """An anchor defined twice in one document (YAML 1.1 refuses it), or named as libyaml would not accept."""
    if "&" not in text:
        return False
    anchors = [(anchor.start(), anchor.group(1)) for anchor in _ANCHOR.finditer(text) if _starts_node(text, anchor.start())]
    if not all(_ANCHOR_NAME.fullmatch(name) for _, name in anchors):
        return True
    if len({name for _, name in anchors}) == len(anchors):
        return False
    separators = _document_separators(text, markers)
    in_documents = {(bisect.bisect(separators, start), name) for start, name in anchors}
    return len(in_documents) != len(anchors)


def _starts_node(text: str, at: int) -> bool:
    """Whether an ``&`` could start a node: "a&b" and "?x=1&y=2" are plain scalars."""
    return at == 0 or text[at - 1] in " \n[{,"


def _document_separators(text: str, markers: list[yaml_text.Marker] | None = None) -> list[int]:
    """Offsets of the ``---`` and ``...`` lines (str.find: much faster than a regex here); from ``markers`` (the text's
    ``yaml_text.marker_lines``) when they hold ``---`` lines only, as they do in a text the native loader may read."""
    if markers is not None and all(rest is not None for _, _, rest in markers):
        return [start for start, _, rest in markers if rest is not None and rest[:1] in ("", " ")]
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
# Scalars both loaders read alike in any context, decided once by tests/test_yamlio.py rather than on every run
# (which would import PyYAML): a decimal integer within 64 bits, perhaps with a fraction (the same number for
# both), or with a Kubernetes quantity's suffix (a string for both).
_ALIKE_NUMBER = re.compile(r"(?:0|[1-9][0-9]{0,17})(?:\.[0-9]{1,6})?(?:m|[kMGTPE]|[KMGTPE]i)?")
_ALIKE_SCALARS = {"true", "false", "null"}


class _Verdicts:
    """Which words both loaders read alike in the given contexts; remembered, as manifests repeat their words."""

    def __init__(self, *contexts: str, known: frozenset[str] = frozenset()) -> None:
        self.contexts = contexts
        self.known = known  # words read alike in these contexts (tests/test_yamlio.py holds them to it)
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
        if piece in self.known or _ALIKE_NUMBER.fullmatch(piece):
            return True
        return all(_same_data(context.format(form)) for form in {piece, scalar} for context in self.contexts)


_BLOCK = _Verdicts("{}", "k: {}", "{}: v", "- {}", known=frozenset({"-", "---", *_ALIKE_SCALARS}))  # "---": every multi-document file
_FLOW = _Verdicts("[{}]", "[x, {}]", "[{}, x]", "{{{}}}", "{{{}: x}}", "{{x: {}}}", known=frozenset(_ALIKE_SCALARS))


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
        if "{" in segment and _collection_as_flow_key(segment):
            return None
        found.update(segment.split())
    return found


def _collection_as_flow_key(segment: str) -> bool:
    """Whether a flow mapping of ``segment`` (one line) holds a collection as a key without a value, ``{a: 1, {b: c}}``:
    the native loader reads the key (as a frozenset), we refuse it. (One followed by ``:`` is _TAG_OR_COMPLEX_KEY's.)"""
    open_collections: list[str] = []
    before = ""  # the character before this one, spaces left out
    for character in segment:
        if character in "[{":
            if open_collections and open_collections[-1] == "{" and before in ("{", ","):
                return True
            open_collections.append(character)
        elif character in "]}" and open_collections:
            open_collections.pop()
        if character != " ":
            before = character
    return False


def _same_data(text: str) -> bool:
    """Both loaders build the same data from a one-line text (or both refuse it)."""
    try:
        ours = repr([document.data for document in load_documents(text)])
    except YAMLSyntaxError:  # "!!int 0x_", "!!timestamp x", "!!int ''" included: _Loader marks PyYAML's failures on them
        ours = "invalid"
    native = _native_documents(text)
    return ours == (repr(native) if native is not None else "invalid")


def load_file(path: Path) -> list[Document]:
    """The documents of the file at ``path`` (as ``load_documents`` reads them: the fast path when it is sure)."""
    return load_text(read_text(path), str(path))


def load_text(text: str, path: str = "<stdin>") -> list[Document]:
    """The documents of ``text`` (read from ``path``) as ``load_documents`` reads them: the fast path when it is sure."""
    return load_fast(text, path) or load_documents(text, path)


def dump(data: Any) -> str:
    """Deterministic block YAML: keys in insertion order, no line wrapping, no aliases."""
    from generator import yaml_nodes

    return yaml_nodes.dump(data)


def dump_all(documents: list[Any]) -> str:
    """Several documents as one stream (``---`` between them), each as :func:`dump` writes it."""
    from generator import yaml_nodes

    return yaml_nodes.dump_all(documents)


def needs_quotes(value: str) -> bool:
    """Whether ``value`` written plain could read back as something other than this string in YAML 1.1, 1.2 or go-yaml."""
    from generator import yaml_nodes

    return yaml_nodes.needs_quotes(value)
