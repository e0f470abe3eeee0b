"""Scratch folders for the benchmarks, deleted only once every benchmark of the run has run.

ext4 without a journal (common on virtual machines) does not hand out an inode freed in the last
minutes: each new file or folder looks past every recently deleted inode of its group, one by
one. Deleting one benchmark's thousands of files would then slow the next benchmark's writes for
minutes (a render of 1,000 blueprints took 18 s instead of 5 s right after another benchmark
deleted its files), and its timings would measure what ran before it. So within ``make bench``
(:func:`kept_until_the_end`) a scratch folder outlives its benchmark; a benchmark run on its own
deletes its folder when done, as ``tempfile.TemporaryDirectory`` does.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

_root: str | None = None  # the run's folder, while kept_until_the_end runs


@contextmanager
def folder(prefix: str) -> Iterator[str]:
    """A new empty folder: under the run's folder within ``make bench``, else deleted when the block ends."""
    if _root is not None:
        yield tempfile.mkdtemp(prefix=prefix, dir=_root)
        return
    with tempfile.TemporaryDirectory(prefix=prefix) as path:
        yield path


@contextmanager
def kept_until_the_end() -> Iterator[None]:
    """Every :func:`folder` made inside the block is deleted when the block ends, not before."""
    global _root
    _root = tempfile.mkdtemp(prefix="gitopsgen-bench-run-")
    try:
        yield
    finally:
        shutil.rmtree(_root, ignore_errors=True)
        _root = None
