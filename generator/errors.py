"""Errors the user can fix: each knows the file and line it is about, and says what to do."""

from __future__ import annotations

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
            print(f"error: {exc}", file=sys.stderr)
            sys.exit(2)

    return wrapper
