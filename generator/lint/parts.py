"""Linting files in parts: with several processes, each reads and lints the files it takes.

Reading is about a third of linting a folder of manifests, and a single process reading every
file leaves the other CPUs idle until it is done. So ``lint PATH...`` with several processes
(``--jobs``, by default one per CPU) hands the files out one at a time, in order, from a queue
every child reads: a pipe holding each file's number, written before the children start. A child
that runs faster (a CPU of its own while another is busy, a faster core) takes more files, and as
the evaluation follows the files a child read, the children end at about the same time instead
of all waiting for the slowest one's fixed half. Each child reads what it takes, sends the others
what the cross-resource rules need of its objects — each object's place in ``data.inventory``
with its JSON, its key and file for ``duplicate-object`` — and lints its own objects against the
whole run; it prepares its evaluation (its documents' input) while the other parts arrive. Every
entry carries its file's number: put together in file order, the parts make the very ``data``
one process builds (of two objects at one place, the later file's wins), and the parent puts the
results back in file order, so the report is the same for any number of processes and however
the files were shared out (``tests/test_lint_jobs.py``).

Nothing is read twice in a run that goes well. A run with a problem — a file that cannot be
read, an object lint cannot check, a malformed object, a policy over its budget — is done again
in one process (``generator.pipeline``), which reports the problem a single process reports first.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from operator import itemgetter

import orjson

from generator.lint import budget
from generator.lint.checks import PolicySet
from generator.lint.config import LintConfig
from generator.lint.driver import Placement, to_json
from generator.lint.linter import LintBatch, Linter, WholeRun, duplicates_of, inventory_of, key_of, placement
from generator.lint.rendered_tree import RenderedTree
from generator.lint.run import LintRequest, engine_for, lint_options, processes
from generator.manifest import STDIN, Manifest
from generator.results import ResourceResult
from generator.walk import ManifestInput

BYTES_PER_DOCUMENT = 500  # what a rendered object takes in YAML, about: how many objects a run holds
QUEUE_ENTRIES = 4096  # what the queue holds at most, 4 bytes an entry (16 KiB: any pipe takes it whole); more files go in runs

Reader = Callable[[Iterable[ManifestInput]], list[Manifest]]  # the files' objects, or InputError naming the first problem


def sharing_processes(inputs: Sequence[ManifestInput], jobs: int | None) -> int | None:
    """How many processes share the files; None when one process reads them all.

    Kustomize folders and stdin are read by one process, as are runs too small to share
    (``DOCUMENTS_PER_PROCESS`` objects per process, counted as ``BYTES_PER_DOCUMENT`` each).
    """
    if not inputs or any(item.builds or item.path == STDIN for item in inputs):
        return None
    try:
        total = sum(os.path.getsize(item.path) for item in inputs)
    except OSError:  # a missing file: one process reports it
        return None
    count = min(processes(jobs, total // BYTES_PER_DOCUMENT), len(inputs))
    return count if count >= 2 else None


def lint_parts(
    inputs: Sequence[ManifestInput],
    count: int,
    read: Reader,
    tree: RenderedTree,
    request: LintRequest,
    config: LintConfig,
    policies: PolicySet,
) -> list[ResourceResult]:
    """The files read and linted by ``count`` children taking them from one queue (within the policies' budget); the results in file order.

    Raises what a child raises first (InputError, ``budget.OverBudget``), in the order of the children.
    """
    run = -(-len(inputs) // QUEUE_ENTRIES)  # files per entry: one, unless there are more files than entries
    queue, writer = os.pipe()
    try:
        budget.write_all(writer, b"".join(first.to_bytes(4, "big") for first in range(0, len(inputs), run)))
        os.close(writer)
        writer = -1  # a child that finds the queue empty reads its end
        children = [partial(_lint_part, Queue(queue, inputs, run), read, tree, request, config, policies) for _ in range(count)]
        taken = budget.run_exchanging(children, request.budget)
    finally:
        os.close(queue)
        if writer >= 0:
            os.close(writer)
    return [result for _, result in sorted((pair for pairs in taken for pair in pairs), key=itemgetter(0))]


class Queue:
    """The files a child takes from the queue, one entry at a time, as it reads them; ``numbers`` maps each taken file to its place in the run.

    Every child reads the same pipe, and a read of one 4-byte entry takes it whole: each file goes to one child.
    """

    def __init__(self, fd: int, inputs: Sequence[ManifestInput], run: int = 1) -> None:
        self._fd, self._inputs, self._run = fd, inputs, run
        self.numbers: dict[str, int] = {}

    def __iter__(self) -> Iterator[ManifestInput]:
        while entry := os.read(self._fd, 4):
            first = int.from_bytes(entry, "big")
            for number in range(first, min(first + self._run, len(self._inputs))):
                self.numbers[self._inputs[number].path] = number
                yield self._inputs[number]


def _lint_part(
    queue: Queue,
    read: Reader,
    tree: RenderedTree,
    request: LintRequest,
    config: LintConfig,
    policies: PolicySet,
    exchange: budget.Exchange,
) -> list[tuple[int, ResourceResult]]:  # pragma: no cover - runs in a child; the tests observe it from outside
    manifests = read(queue)
    numbers = [queue.numbers[manifest.path] for manifest in manifests]
    shared = _shared(manifests, numbers)
    exchange.send(shared)  # the other parts arrive while this one prepares its evaluation (its program, its input)
    linter = Linter(policies, config, engine_for(request), tree, lint_options(request))
    batch = LintBatch(request.env, manifests, whole=lambda: _whole_run(exchange.receive()), placed=[(place, json) for _, place, json, _ in shared])
    linted = linter.lint([batch])
    exchange.keep(linter, batch)  # the child ends once its results are sent: its engine and objects are not freed first
    return [(number, linted[manifest]) for number, manifest in zip(numbers, manifests)]


Shared = list[tuple[int, Placement, str, str]]  # each object's file number, its place in data.inventory, its JSON and its file


def _shared(manifests: list[Manifest], numbers: list[int]) -> Shared:
    """What the other parts need of these objects: their files' numbers, their places in ``data.inventory``, their JSON and their files."""
    return [(number, placement(manifest.obj), to_json(manifest.obj), manifest.path) for number, manifest in zip(numbers, manifests)]


def _whole_run(parts: list[Shared]) -> WholeRun:
    """The run's ``data.inventory`` and ``data.duplicates``, from every part in file order (the JSON goes in as it is)."""
    shared = sorted((entry for part in parts for entry in part), key=itemgetter(0))  # stable: a file's objects in their order
    return WholeRun(
        inventory_of((place, orjson.Fragment(json)) for _, place, json, _ in shared),
        duplicates_of((key_of(place), path) for _, place, _, path in shared),
    )
