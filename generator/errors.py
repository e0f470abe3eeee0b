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
