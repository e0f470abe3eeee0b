"""Errors the user can fix: each knows the file and line it is about, and says what to do."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


@dataclass
class InputError(Exception):
    """Bad input (a blueprint, an overlay, a manifest, a flag). The CLI prints it on one line, exit 2."""

    message: str
    path: Path | str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"


def exit_on_input_error(function):  # type: ignore[no-untyped-def]
    """Decorate a click command: an InputError becomes ``error: <file>:<line>: <message>`` and exit 2."""
    import functools
    import sys

    @functools.wraps(function)
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            return function(*args, **kwargs)
        except InputError as exc:
            print(f"error: {visible(str(exc))}", file=sys.stderr)
            sys.exit(2)

    return wrapper


# Characters that would act rather than show when a report is read: C0 and C1 controls (line breaks, terminal escape
# sequences), DEL, Unicode's line and paragraph separators, and the bidirectional overrides that reorder what is shown.
_INVISIBLE = "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"


def visible(text: str) -> str:
    """``text`` with each control character written as its escape (``\\n``, ``\\x1b``, ``\\u202e``), for what a
    person reads as text (the one-line errors, text and Markdown reports) and for JUnit's XML, which cannot hold them.

    Names, paths and values come from the files checked: a name holding ``\\x1b[2J`` or a line break would clear
    the terminal, or print a finding of its own, in a report meant to show it. JSON and SARIF escape what they must
    and keep the text as it is; GitHub's workflow commands escape line breaks (``github``).
    """
    if text.isprintable():  # none of them (each is unprintable): most text, found without a pattern
        return text
    return re.sub(_INVISIBLE, lambda match: repr(match.group())[1:-1], text)  # (re keeps the pattern compiled)
