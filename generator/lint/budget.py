"""A time and memory budget for evaluating policies: user policies are code, and code can loop or hog memory.

The embedded engine evaluates in native code that nothing can interrupt, so the evaluation runs
in a forked child: its address space is capped (``RLIMIT_AS``), the parent waits at most the time
budget and then kills it, and the child dies with its parent (``PR_SET_PDEATHSIG``), so a
killed ``lint`` leaves no evaluation running. The result comes back pickled through a pipe.
Several evaluations may run at once, each in its own child (:func:`run_all`).

Only a run that failed pays for finding out which policy did it (:func:`first_over_budget`).
"""

from __future__ import annotations

import ctypes
import os
import pickle
import resource
import select
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from generator.errors import InputError

T = TypeVar("T")
DEFAULT_SECONDS = 120.0
DEFAULT_MEGABYTES = 4096
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


@dataclass(frozen=True)
class Budget:
    seconds: float = DEFAULT_SECONDS
    megabytes: int = DEFAULT_MEGABYTES


class OverBudget(Exception):
    """The evaluation ran out of time or memory (``what``: "time" or "memory")."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def run(function: Callable[[], T], budget: Budget) -> T:
    """``function()`` in a child within ``budget``; its InputError is re-raised here, OverBudget when it runs out."""
    return run_all([function], budget)[0]


def run_all(functions: Sequence[Callable[[], T]], budget: Budget) -> list[T]:
    """Each function in a child of its own, all at once: their results in order.

    Each child has the memory budget; together they have the time budget (the parent kills them
    all when it passes). The first child's failure, in order, is raised as :func:`run` raises it.
    """
    parent = os.getpid()
    children: list[tuple[int, int]] = []  # (pid, read end of its pipe)
    try:
        for function in functions:
            read_end, write_end = os.pipe()
            child = os.fork()
            if child == 0:  # pragma: no cover - runs in the child; the tests observe it from outside
                for _, sibling in [*children, (0, read_end)]:
                    os.close(sibling)
                _child(function, budget, write_end, parent)
            os.close(write_end)
            children.append((child, read_end))
        payloads = _read_all([read_end for _, read_end in children], time.monotonic() + budget.seconds)
    finally:
        for _, read_end in children:
            os.close(read_end)
    if payloads is None:
        for child, _ in children:
            os.kill(child, signal.SIGKILL)
    for child, _ in children:
        os.waitpid(child, 0)
    if payloads is None:
        raise OverBudget("time")
    return [_outcome(payload) for payload in payloads]


def _outcome(payload: bytes) -> Any:
    """What a child sent: its result, or its failure raised."""
    if not payload:  # died without a word: a native abort or a kill when the memory ran out
        raise OverBudget("memory")
    kind, value = pickle.loads(payload)
    if kind == "ok":
        return value
    if kind == "input":
        raise InputError(*value)
    if kind == "memory":
        raise OverBudget("memory")
    raise RuntimeError(value)


def _child(function: Callable[[], Any], budget: Budget, write_end: int, parent: int) -> None:  # pragma: no cover
    code = 0
    try:
        _die_with(parent)
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 2)  # a native allocation failure prints a backtrace; the parent says it in one line
        limit = budget.megabytes * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
        try:
            message: tuple[str, Any] = ("ok", function())
        except InputError as exc:
            message = ("input", (exc.message, exc.path, exc.line))
        except MemoryError:
            message = ("memory", None)
        except BaseException:  # noqa: BLE001 - a bug: the parent raises it with the child's traceback
            message = ("error", traceback.format_exc())
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as stream:
            stream.write(data)
    except MemoryError:
        code = 3
    finally:
        sys.stdout.flush()
        os._exit(code)


def _die_with(parent: int) -> None:  # pragma: no cover - runs in the child
    """Be killed when the parent dies (Linux); if it already has, go now."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def _read_all(fds: list[int], deadline: float) -> list[bytes] | None:
    """Everything written to each of ``fds`` until its EOF, or None if the deadline passes first."""
    chunks: dict[int, list[bytes]] = {fd: [] for fd in fds}
    open_fds = set(fds)
    while open_fds:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select(sorted(open_fds), [], [], left)
        if not ready:
            return None
        for fd in ready:
            chunk = os.read(fd, 1 << 20)
            if chunk:
                chunks[fd].append(chunk)
            else:
                open_fds.discard(fd)
    return [b"".join(chunks[fd]) for fd in fds]


def first_over_budget(candidates: Iterable[tuple[str, Callable[[], Any]]], budget: Budget) -> tuple[str, str] | None:
    """(name, "time"/"memory") of the first candidate that alone runs out of the budget, or None."""
    for name, function in candidates:
        try:
            run(function, budget)
        except OverBudget as exc:
            return name, exc.what
        except InputError:
            continue
    return None
