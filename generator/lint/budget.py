"""A time and memory budget for evaluating policies: user policies are code, and code can loop or hog memory.

The embedded engine evaluates in native code that nothing can interrupt, so the evaluation runs
in a forked child: the address space it may add to what it holds is capped (``RLIMIT_AS``), the parent waits at most the time
budget and then kills it, and the child dies with its parent (``PR_SET_PDEATHSIG``), so a
killed ``lint`` leaves no evaluation running. The result comes back pickled through a pipe.
Several evaluations may run at once, each in its own child (:func:`run_all`).

Only a run that failed pays for finding out which policy did it (:func:`first_over_budget`).
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import pickle
import resource
import select
import signal
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any, NamedTuple, TypeVar

from generator.errors import InputError

T = TypeVar("T")
DEFAULT_SECONDS = 120.0
DEFAULT_MEGABYTES = 4096
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


class Budget(NamedTuple):
    """What evaluating the policies may take: wall time for the whole run, address space for each process."""

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
    return _run([_without_exchange(function) for function in functions], budget, exchanging=False)


def run_exchanging(functions: Sequence[Callable[[Exchange], T]], budget: Budget) -> list[T]:
    """As :func:`run_all`, each function given an :class:`Exchange` to share a part of its work with the others.

    When a child fails before sharing, the others are stopped and the first failure, in order, is raised.
    """
    return _run(functions, budget, exchanging=True)


def _without_exchange(function: Callable[[], T]) -> Callable[[Exchange], T]:
    return lambda _: function()


class Exchange:
    """A child's way to its siblings, through the parent: :meth:`send` its part once, then :meth:`receive` every part.

    Between the two a child may do what needs no other part: the others' parts travel meanwhile.
    What the child built and will not need again it may :meth:`keep` until it ends, unfreed.
    """

    def __init__(self, to_parent: int, from_parent: int, index: int) -> None:
        self._to_parent, self._from_parent = to_parent, from_parent
        self._index = index  # this child's place among its siblings
        self._part: Any = None
        self._kept: list[Any] = []

    def send(self, part: Any) -> None:  # pragma: no cover - runs in the child; the tests observe it from outside
        """Send ``part`` to the others."""
        self._part = part
        payload = pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL)
        write_all(self._to_parent, _PART + len(payload).to_bytes(8, "big"))
        write_all(self._to_parent, payload)  # not joined to its header: no copy of a part of megabytes

    def receive(self) -> list[Any]:  # pragma: no cover - runs in the child; the tests observe it from outside
        """Every child's part, in order, once all have sent theirs: the others' as they arrive, its own as it sent it
        (it does not travel back)."""
        with os.fdopen(self._from_parent, "rb") as stream:
            parts = [pickle.loads(shared) for shared in _frames(memoryview(stream.read()))]
        parts.insert(self._index, self._part)
        return parts

    def keep(self, *objects: Any) -> None:  # pragma: no cover - runs in the child; the tests observe it from outside
        """Hold ``objects`` until the child ends, instead of freeing them when the function returns.

        The child ends as soon as its result is sent (``os._exit``: the kernel takes its memory
        back at once), so freeing what it built first (an engine's data, the objects it read)
        would only make the parent wait.
        """
        self._kept.extend(objects)


_PART = b"P"  # a shared part: b"P", its length (8 bytes), its pickle; a result is a pickle up to the end
# What a pipe is asked to hold (Linux lets any user ask for 1 MiB: /proc/sys/fs/pipe-max-size), and the most one read
# takes: a larger read would allocate memory it never fills (fresh pages, each a page fault).
_PIPE_CAPACITY = 1 << 20


def _pipe() -> tuple[int, int]:
    """A pipe of _PIPE_CAPACITY bytes where the system allows it (elsewhere the default, 64 KiB on Linux).

    A child's part or result (some 500 KB for 900 manifests) then goes into the pipe at once, and the
    child goes on, instead of waiting at every 64 KiB for the parent to read (~5 ms a part, measured).
    """
    read_end, write_end = os.pipe()
    with contextlib.suppress(AttributeError, OSError):  # no F_SETPIPE_SZ (not Linux), or over the system's limit
        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, _PIPE_CAPACITY)
    return read_end, write_end


def _run(functions: Sequence[Callable[[Exchange], T]], budget: Budget, exchanging: bool) -> list[T]:
    parent = os.getpid()
    children: list[tuple[int, int, int]] = []  # (pid, read end of its pipe to us, write end of ours to it)
    try:
        for function in functions:
            up_read, up_write = _pipe()
            down_read, down_write = _pipe()
            child = os.fork()
            if child == 0:  # pragma: no cover - runs in the child; the tests observe it from outside
                for fd in [up_read, down_write, *(fd for _, *fds in children for fd in fds)]:
                    os.close(fd)
                _child(partial(function, Exchange(up_write, down_read, len(children))), budget, up_write, parent)
            os.close(up_write)
            os.close(down_read)
            children.append((child, up_read, down_write))
        deadline = time.monotonic() + budget.seconds
        reads = [up_read for _, up_read, _ in children]
        payloads = _read_all(reads, deadline, _part_or_end if exchanging else None)
        waiting = payloads is not None and any(_is_part(payload) for payload in payloads)
        if payloads is not None and waiting and all(_is_part(payload) for payload in payloads):
            frames = [memoryview(payload)[: _frame_end(payload)] for payload in payloads]
            # each child gets the others' parts (its own it has): views of what was read, nothing joined
            others = {down: [frame for other, frame in enumerate(frames) if other != index] for index, (_, _, down) in enumerate(children)}
            children = [(child, up_read, -1) for child, up_read, _ in children]  # closed by _write_to_each
            sent = _write_to_each(others, deadline)
            payloads = _read_all(reads, deadline, None, [payload[len(frame) :] for payload, frame in zip(payloads, frames)]) if sent else None
            waiting = False
    finally:
        for _, up_read, down_write in children:
            os.close(up_read)
            if down_write >= 0:
                os.close(down_write)
    if payloads is None or waiting:  # out of time, or some wait for parts that will never come: a sibling failed first
        for child, _, _ in children:
            os.kill(child, signal.SIGKILL)
    try:  # the results are unpickled while the children end (a child's end takes a few ms: its memory is unmapped)
        if payloads is None:
            raise OverBudget("time")
        if waiting:
            for payload in payloads:
                if not _is_part(payload):
                    _outcome(payload)  # the first failure, in order, is raised
            raise RuntimeError("a child stopped without sharing its part")
        return [_outcome(payload) for payload in payloads]
    finally:
        for child, _, _ in children:
            os.waitpid(child, 0)


def _is_part(payload: bytes | bytearray) -> bool:
    return payload.startswith(_PART)


def _frame_end(payload: bytes | bytearray | memoryview) -> int:
    return 9 + int.from_bytes(payload[1:9], "big")


def _part_or_end(received: bytes | bytearray) -> bool:
    """Whether a child's whole part has arrived (its result, if it fails instead, ends with the pipe)."""
    return len(received) >= 9 and _is_part(received) and len(received) >= _frame_end(received)


def _frames(data: memoryview) -> list[memoryview]:
    """The payloads of the parts in ``data``, in order (views: nothing copied)."""
    payloads = []
    while data:
        end = _frame_end(data)
        payloads.append(data[9:end])
        data = data[end:]
    return payloads


def write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to ``fd`` (a pipe may take less than is given at once)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _write_to_each(data: dict[int, list[memoryview]], deadline: float) -> bool:
    """Write its pieces of ``data`` to each fd, in order, closing each once written, each as fast as its reader takes
    it (one busy child holds up no other); False if the deadline passes first. A reader gone (a child that failed) is
    left out."""
    left = {fd: [piece for piece in pieces if piece] for fd, pieces in data.items()}
    for fd in left:
        os.set_blocking(fd, False)
    try:
        while left:
            wait = deadline - time.monotonic()
            if wait <= 0:
                return False
            _, ready, _ = select.select([], sorted(left), [], wait)
            for fd in ready:
                pieces = left[fd]
                try:
                    written = os.write(fd, pieces[0]) if pieces else 0
                except BlockingIOError:
                    continue
                except BrokenPipeError:
                    pieces.clear()
                if pieces:
                    pieces[0] = pieces[0][written:]
                    if not pieces[0]:
                        pieces.pop(0)
                if not pieces:
                    del left[fd]
                    os.close(fd)
        return True
    finally:
        for fd in left:
            os.close(fd)


def _outcome(payload: bytes | bytearray) -> Any:
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
        limit = _address_space() + budget.megabytes * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
        try:
            message: tuple[str, Any] = ("ok", function())
        except InputError as exc:
            message = ("input", (exc.message, exc.path, exc.line))
        except MemoryError:
            message = ("memory", None)
        except BaseException:  # noqa: BLE001 - a bug: the parent raises it with the child's traceback
            import traceback

            message = ("error", traceback.format_exc())
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as stream:
            stream.write(data)
    except MemoryError:
        code = 3
    finally:
        sys.stdout.flush()
        os._exit(code)


def _address_space() -> int:  # pragma: no cover - runs in the child
    """The bytes of address space the process holds already (Linux: ``/proc/self/statm``; elsewhere none counted).

    The budget is what evaluating may add to it: the modules loaded before hold address space that is
    no memory in use (the native YAML loader's allocator reserves 1 GiB up front, as does the engine's).
    """
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _die_with(parent: int) -> None:  # pragma: no cover - runs in the child
    """Be killed when the parent dies (Linux); if it already has, go now."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def _read_all(
    fds: list[int], deadline: float, enough: Callable[[bytearray], bool] | None = None, started: list[bytearray] | None = None
) -> list[bytearray] | None:
    """What is written to each of ``fds`` (after ``started``) until its end, or until ``enough`` of it has
    arrived; None if the deadline passes first."""
    received = {fd: bytearray(started[index] if started else b"") for index, fd in enumerate(fds)}
    open_fds = {fd for fd in fds if not (enough and enough(received[fd]))}
    while open_fds:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select(sorted(open_fds), [], [], left)
        if not ready:
            return None
        for fd in ready:
            chunk = os.read(fd, _PIPE_CAPACITY)
            received[fd] += chunk
            if not chunk or (enough and enough(received[fd])):
                open_fds.discard(fd)
    return [received[fd] for fd in fds]


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
