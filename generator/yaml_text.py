"""Where a field of a block-style YAML document is, read from its lines: no second parse.

``yamlio.load_fast`` builds a file's data with the native loader, which keeps no positions;
this module answers ``Document.position`` for such documents from the text the data came from.
It handles what manifests are made of (block mappings and sequences, plain and quoted keys,
scalars, block scalars, comments) and says ``None`` (unsure) for anything else on the way to a
field: a flow collection, a complex or escaped key, a multi-line quoted scalar, a directive, a
document marker with content. The caller then parses the file with libyaml instead, so an
answer is always libyaml's; ``tests/test_yaml_text.py`` compares the two on every node of every
YAML file of the repository, the benchmark estate and random documents.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

# a key we read: "double" or 'single' quoted without escapes, or plain (no indicator first, no " #" inside), then ": " or ":" at the end
_KEY = re.compile(r"""("[^"\\]*"|'[^']*'|(?:[^\s\-?:,\[\]{}#&*!|>'"%@`]|[-?:](?=\S))(?:[^ :]|:(?=\S)|[ ]+(?=[^ #:]))*)[ ]*:(?: |$)""")


_ANCHOR = re.compile(r"&[0-9A-Za-z_-]+[ ]*(?=#|$)")
_ALIAS = re.compile(r"\*([0-9A-Za-z_-]+)[ ]*(?:#.*)?$")


class Unsure(Exception):
    """The text holds something this reader does not handle; parse it with libyaml."""


_CONTENT = re.compile(r"^[ ]*[^ #\n]", re.MULTILINE)


def documents(text: str, markers: list[Marker] | None = None) -> list[tuple[int, int, tuple[int, int]]] | None:
    """The line range ``[first, end)`` of each document and where its content starts, or None for a stream this reader does not split
    (``markers``: the text's :func:`marker_lines`, found again when not given).

    Found with regular expressions (at C speed): most files never need their lines.
    """
    try:
        return _documents(text, marker_lines(text) if markers is None else markers)
    except Unsure:
        return None


def _documents(text: str, markers: list[Marker]) -> list[tuple[int, int, tuple[int, int]]] | None:
    bounds: list[tuple[int, int, tuple[int, int]]] = []
    start_offset, start_line = 0, 0
    for marker_start, marker_end, rest in markers:
        if rest is None:
            return None  # a directive or a document end marker
        if rest and not rest.startswith(" ") or rest.strip() and not rest.strip().startswith("#"):
            return None  # content after the marker, or a line that only begins with ---
        line = start_line + text.count("\n", start_offset, marker_start)
        content = _CONTENT.search(text, start_offset, marker_start)
        if content:
            bounds.append((start_line, line, _start(text, start_offset, start_line, content)))
        start_offset, start_line = marker_end + 1, line + 1  # the marker's line holds no content
    content = _CONTENT.search(text, start_offset)
    if content:
        bounds.append((start_line, start_line + text.count("\n", start_offset) + 1, _start(text, start_offset, start_line, content)))
    return bounds


Marker = tuple[int, int, str | None]  # a line starting with ---, ... or %: where it starts and ends, and what follows ---


def marker_lines(text: str) -> list[Marker]:
    """Each line that starts with ``---``, ``...`` or ``%``, in order: where it starts and ends, and what follows
    ``---`` on it (None for the others). Found with str.find: a pattern tried at every line start costs more."""
    found: list[Marker] = []
    for prefix in ("---", "...", "%"):
        at = text.find(prefix)
        while at != -1:
            if at == 0 or text[at - 1] == "\n":
                end = text.find("\n", at)
                end = len(text) if end == -1 else end
                found.append((at, end, text[at + 3 : end] if prefix == "---" else None))
            at = text.find(prefix, at + 1)
    return sorted(found)


def has_content(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds more than blank lines and comments."""
    return _CONTENT.search(text, start, end) is not None


def _start(text: str, offset: int, line: int, content: re.Match[str]) -> tuple[int, int]:
    """(line, column), 0-based, of the first content of a document (a line found by ``_CONTENT``).

    A root node with properties (``&anchor``, ``!tag``), an alias or a complex key: Unsure.
    """
    if text[content.end() - 1] in "&!*?":
        raise Unsure
    return line + text.count("\n", offset, content.start()), content.end() - 1 - content.start()


class Lines:
    """A file's lines, split on first use (shared by its documents)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: list[str] | None = None
        self._indents: list[int] | None = None

    def get(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines

    def indents(self) -> list[int]:
        """Each line's indentation; -1 for a blank or comment line (found once per file: a walk looks at many lines)."""
        if self._indents is None:
            self._indents = [-1 if (indent := _indent(line)) is None else indent for line in self.get()]
        return self._indents


class TextPositions:
    """Positions in one document, given as its lines and line range."""

    def __init__(self, lines: Lines, first: int, end: int, start: tuple[int, int]) -> None:
        self._lines, self.first, self.end, self.start = lines, first, end, start

    @property
    def lines(self) -> list[str]:
        return self._lines.get()

    @property
    def indents(self) -> list[int]:
        return self._lines.indents()

    def position(self, field_path: Sequence[Any]) -> tuple[int, int]:
        """1-based (line, column) as ``yamlio.Document.position`` gives it; raises Unsure."""
        line, column = self.start
        if not field_path:
            return line + 1, column + 1  # checked when the document was read (yamlio.load_fast)
        _check_node(self.lines[line], column)
        mark = (line, column)
        end = self.end
        for step in field_path:
            text = self.lines[line]
            if _is_dash(text, column):
                if not isinstance(step, int):
                    break
                found = self._item(line, column, end, step)
                if found is None:
                    break
                line, column, end = found
                mark = (line, column)
            elif _KEY.match(text, column):
                key = self._key(line, column, end, str(step))
                if key is None:
                    break
                key_line, value, end = key
                mark = (key_line, column)
                if value is None:
                    break
                line, column = value
            elif _VALUE_INDICATOR.search(text, column):
                raise Unsure  # a key this reader does not read, or a scalar holding ": "
            else:
                break  # a scalar: nothing deeper
        return mark[0] + 1, mark[1] + 1

    def _entries(self, line: int, column: int, end: int, dashes: bool) -> Iterator[tuple[int, int]]:
        """(first line, end line) of each entry of the block collection at (line, column): a sequence's dashes, or a mapping's keys."""
        start, stop = line, end
        lines, indents = self.lines, self.indents
        for number in range(line + 1, end):
            indent = indents[number]
            if indent < 0 or indent > column:
                continue
            if indent < column:
                stop = number
                break
            dash = _is_dash(lines[number], column)
            if dashes != dash:
                if dashes:
                    stop = number
                    break
                continue  # a dash at a key's column: the key's value is a sequence
            yield start, number
            start = number
        yield start, stop

    def _item(self, line: int, column: int, end: int, index: int) -> tuple[int, int, int] | None:
        """Entry ``index`` of the block sequence at (line, column): where its node starts, and where it ends."""
        entries = self._entries(line, column, end, dashes=True)
        found = next((entry for position, entry in enumerate(entries) if position == index), None)
        if found is None:
            return None
        item_line, item_end = found
        text = self.lines[item_line]
        content = _skip_spaces(text, column + 1)
        if content >= len(text) or text[content] == "#":
            nxt = _first_content(self.lines, item_line + 1, item_end)
            if nxt is None:
                raise Unsure  # an empty entry (null): libyaml marks it at the end of the dash
            _check_node(self.lines[nxt[0]], nxt[1])
            return nxt[0], nxt[1], item_end
        _check_node(text, content)
        return item_line, content, item_end

    def _key(self, line: int, column: int, end: int, key: str) -> tuple[int, tuple[int, int] | None, int] | None:
        """The key ``key`` of the block mapping at (line, column): its line, where its value starts (None: on the key's line), where it ends."""
        lines = self.lines
        for number, key_end in self._entries(line, column, end, dashes=False):
            text = lines[number]
            match = _KEY.match(text, column)
            if match is None:
                raise Unsure  # not a key we read
            if _key_text(match.group(1)) != key:
                continue
            value_column = _skip_spaces(text, match.end())
            alias = _ALIAS.match(text, value_column)
            if alias:
                return (number, *self._anchored(alias.group(1)))
            anchor = _ANCHOR.match(text, value_column)
            if anchor:  # ``key: &name``: the node's positions are its content's
                value_column = anchor.end()
            if value_column < len(text) and text[value_column] != "#":
                _check_node(text, value_column)
                return number, None, key_end  # a scalar on the key's line
            value = _first_content(self.lines, number + 1, key_end)
            if value is not None:
                _check_node(self.lines[value[0]], value[1])
            return number, value, key_end
        return None

    def _anchored(self, name: str) -> tuple[tuple[int, int] | None, int]:
        """Where the node anchored as ``&name`` (as a key's value) starts, and where it ends: an alias is that node."""
        for number in range(self.first, self.end):
            text = self.lines[number]
            found = re.search(rf"(?<=: )&{re.escape(name)}(?= |$)", text)
            if found is None:
                continue
            if text[_skip_spaces(text, found.end()) :].strip():
                raise Unsure  # an anchored scalar or flow collection
            indent = _indent(text) or 0
            if not _KEY.match(text, indent):
                raise Unsure
            end = _block_end(self.lines, number, indent, self.end, dash_ends=False)
            value = _first_content(self.lines, number + 1, end)
            if value is not None:
                _check_node(self.lines[value[0]], value[1])
            return value, end
        raise Unsure


_EMPTY_FLOW = re.compile(r"(?:\{\}|\[\])[ ]*(?:#.*)?$")
_DOUBLE_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
_SINGLE_QUOTED = re.compile(r"'(?:[^']|'')*'")
_VALUE_INDICATOR = re.compile(r":(?: |$)")
# what a node may start with that _check_node lets through at once: a letter or digit (a plain scalar or key)
_PLAIN_NODE_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _check_node(text: str, column: int) -> None:
    """Raise Unsure for a node this reader does not follow: a flow collection, properties, an alias, a complex key, a multi-line quoted scalar."""
    first = text[column : column + 1]
    if first in _PLAIN_NODE_START:
        return  # a plain scalar, or a block collection's first key: nothing to follow differently
    rest = text[column:]
    if _EMPTY_FLOW.match(rest):
        return  # an empty flow collection: nothing inside
    odd_dash = first == "-" and not _is_dash(text, column) and not _KEY.match(text, column)
    if first in ("{", "[", "&", "!", "*", "?") or _open_quote(rest) or odd_dash:
        raise Unsure


def _key_text(raw: str) -> str:
    return raw[1:-1] if raw[0] in "\"'" else raw.rstrip()


def _open_quote(rest: str) -> bool:
    """A quoted scalar that does not close on its line (it continues on the next)."""
    if rest.startswith('"'):
        return _DOUBLE_QUOTED.match(rest) is None
    if rest.startswith("'"):
        return _SINGLE_QUOTED.match(rest) is None
    return False


def _is_dash(text: str, column: int) -> bool:
    return text.startswith("-", column) and (len(text) == column + 1 or text[column + 1] == " ")


def _indent(text: str) -> int | None:
    """The indentation of a line with content; None for blank and comment lines."""
    stripped = text.lstrip(" ")
    if not stripped or stripped.startswith("#"):
        return None
    return len(text) - len(stripped)


def _skip_spaces(text: str, at: int) -> int:
    while at < len(text) and text[at] == " ":
        at += 1
    return at


def _first_content(lines: Sequence[str], first: int, end: int) -> tuple[int, int] | None:
    for number in range(first, end):
        indent = _indent(lines[number])
        if indent is not None:
            return number, indent
    return None


def _block_end(lines: Sequence[str], line: int, column: int, end: int, dash_ends: bool = True) -> int:
    """The line after the node that starts at ``line`` in a collection at ``column``."""
    for number in range(line + 1, end):
        indent = _indent(lines[number])
        if indent is None:
            continue
        if indent < column or indent == column and (dash_ends or not _is_dash(lines[number], column)):
            return number
    return end
