"""Work split over forked processes (Linux, macOS): children inherit what is loaded, results come back pickled.

Used for the two costly steps of a large lint run: parsing the YAML files and evaluating the
policies. Forking after the policies (or the batch data) are loaded means no worker loads them
again; each sends its part of the result back through a pipe.
"""

from __future__ import annotations

import functools
import os
import pickle
from collections.abc import Callable
from typing import Any

from generator.errors import InputError


def workers() -> int:
    """CPUs this process may use (GITOPSGEN_LINT_WORKERS overrides; 1 turns forking off)."""
    configured = os.environ.get("GITOPSGEN_LINT_WORKERS", "")
    if configured.strip().isdigit():
        return max(1, int(configured))
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(available, 8)


def split(work: Callable[[int], Any], parts: int) -> list[Any]:
    """``[work(0), …, work(parts - 1)]``: part 0 in this process, the others in forked children.

    An ``InputError`` raised by any part is raised here (the first one, in part order).
    """
    if parts < 2 or not hasattr(os, "fork"):
        return [work(part) for part in range(parts)]
    children = [_fork(functools.partial(work, part)) for part in range(1, parts)]
    try:
        first = work(0)
    finally:
        replies = [_collect(pid, reader) for pid, reader in children]
    for reply in replies:
        if reply[0] == "error":
            raise InputError(*reply[1:])
    return [first, *(reply[1] for reply in replies)]


def _fork(work: Callable[[], Any]) -> tuple[int, int]:
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: work, send the result back, leave without running the parent's cleanup
        os.close(reader)
        status = 0
        try:
            payload = pickle.dumps(("ok", work()), pickle.HIGHEST_PROTOCOL)
        except InputError as exc:
            path = None if exc.path is None else str(exc.path)
            payload, status = pickle.dumps(("error", exc.message, path, exc.line)), 1
        except BaseException as exc:  # noqa: BLE001 - report anything to the parent
            payload, status = pickle.dumps(("error", f"lint worker failed: {exc}", None, None)), 1
        with os.fdopen(writer, "wb") as stream:
            stream.write(payload)
        os._exit(status)
    os.close(writer)
    return pid, reader


def _collect(pid: int, reader: int) -> Any:
    with os.fdopen(reader, "rb") as stream:
        payload = stream.read()
    os.waitpid(pid, 0)
    return pickle.loads(payload) if payload else ("error", "lint worker died", None, None)
