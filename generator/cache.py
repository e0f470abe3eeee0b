"""The folder where gitopsgen keeps what it made in one run to skip making it in the next.

``--cache-dir`` names it; by default ``$XDG_CACHE_HOME/gitopsgen``, else ``~/.cache/gitopsgen``.
Each entry is named by a hash of everything it is made from, so a changed input gives another
name; it is written atomically (a reader never sees half an entry), the oldest are removed past
a limit, and a cache that cannot be read or written is simply not used: a missing, corrupt or
unreadable entry only costs the time to make it again.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

import orjson


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


class DataMemo:
    """YAML read before, by the hash of its text: the data it held, kept in the cache folder as entry ``name``.

    Reading YAML that does not change from run to run (the policies' METADATA blocks, the lint
    configuration) is most of loading it, and the only reason a run imports libyaml; a run whose
    texts are all known reads none. Data is kept only when JSON holds it exactly (a date does not
    come back as a date: such a text is read again each run). Only the texts of the last run are kept.
    """

    def __init__(self, folder: Path | None, name: str) -> None:
        self.folder, self.name = folder, name
        raw = read_entry(folder, name) if folder else None
        try:
            known = orjson.loads(raw) if raw else {}
        except orjson.JSONDecodeError:
            known = {}
        self._known: dict[str, Any] = known if isinstance(known, dict) else {}
        self._used: dict[str, Any] = {}

    def __bool__(self) -> bool:
        return self.folder is not None

    def get(self, text: str) -> Any:
        """The data read from ``text`` before, or None."""
        key = entry_key(text)
        if key not in self._known:
            return None
        value = self._used[key] = self._known[key]
        return value

    def put(self, text: str, value: Any) -> None:
        try:
            exact = orjson.loads(orjson.dumps(value)) == value
        except TypeError:  # a key or value JSON has no type for
            exact = False
        if exact:
            self._used[entry_key(text)] = value

    def save(self) -> None:
        if self.folder is not None and self._used != self._known:
            write_entry(self.folder, self.name, orjson.dumps(self._used), prefix=self.name, keep=1)


def entry_key(*parts: str | bytes) -> str:
    """The hash an entry made from ``parts`` is named by, hashed as CPython keys a cached ``.pyc`` on its source.

    ``importlib.util.source_hash`` is SipHash (64 bits, keyed by the interpreter's bytecode version):
    a collision among the few entries a cache keeps is out of reach, and it needs no OpenSSL,
    which importing ``hashlib`` loads (~4 ms at every start). Each part is prefixed with its
    length, so no two lists of parts hash the same text.
    """
    hashed = bytearray()
    for part in parts:
        raw = part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")
        hashed += len(raw).to_bytes(8, "big") + raw
    return importlib.util.source_hash(bytes(hashed)).hex()
