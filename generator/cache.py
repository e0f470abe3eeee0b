"""The folder where gitopsgen keeps what it made in one run to skip making it in the next.

``--cache-dir`` names it; by default ``$XDG_CACHE_HOME/gitopsgen``, else ``~/.cache/gitopsgen``.
Each entry is named by a hash of everything it is made from, so a changed input gives another
name; it is written atomically (a reader never sees half an entry), the oldest are removed past
a limit, and a cache that cannot be read or written is simply not used: a missing, corrupt or
unreadable entry only costs the time to make it again.
"""

from __future__ import annotations

import os
from pathlib import Path


def default_cache_dir() -> Path | None:
    """``$XDG_CACHE_HOME/gitopsgen``, else ``~/.cache/gitopsgen``; None when there is no home folder."""
    try:
        return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "gitopsgen"
    except RuntimeError:  # no home folder to put the cache in
        return None


def read_entry(folder: Path, name: str) -> bytes | None:
    """The entry's bytes, or None when it is missing or cannot be read."""
    try:
        with open(os.path.join(folder, name), "rb") as stream:
            return stream.read()
    except OSError:
        return None


def write_entry(folder: Path, name: str, data: bytes, *, prefix: str, keep: int) -> None:
    """Write an entry atomically, then keep only the ``keep`` most recent entries named ``prefix*``; errors are ignored."""
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{prefix}", delete=False) as stream:
            stream.write(data)
        os.replace(stream.name, folder / name)
        entries = sorted(folder.glob(f"{prefix}*"), key=lambda path: path.stat().st_mtime_ns, reverse=True)
        for old in entries[keep:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
