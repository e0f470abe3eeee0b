"""Linting files in parts: with several processes, each reads its own part of the files and lints it.

Reading is about a third of linting a folder of manifests, and a single process reading every
file leaves the other CPUs idle until it is done. So ``lint PATH...`` with several processes
(``--jobs``, by default one per CPU) deals the files, in order, into contiguous parts of about
the same size, one per child. Each child reads its part, sends the others what the
cross-resource rules need of its objects — each object's place in ``data.inventory`` with its
JSON, its key and file for ``duplicate-object`` — and lints its own objects against the whole
run; it prepares its evaluation (the compiled program, its documents' input) while the other
parts arrive. The children put together the very ``data`` one process builds, in the same order (of two
objects at one place, the later file's wins), so the report is the same for any number of
processes (``tests/test_lint_jobs.py``).

Nothing is read twice in a run that goes well. A run with a problem — a file that cannot be
read, an object lint cannot check, a malformed object, a policy over its budget — is done again
in one process (``generator.pipeline``), which reports the problem a single process reports first.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import partial

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

BYTES_PER_DOCUMENT = 500  # what a rendered object takes in YAML, about: how many objects a part holds

Reader = Callable[[list[ManifestInput]], list[Manifest]]  # the files' objects, or InputError naming the first problem


def file_parts(inputs: Sequence[ManifestInput], jobs: int | None) -> list[list[ManifestInput]] | None:
    """The files in contiguous parts of about the same size, one per process; None when one process reads them all.

    Kustomize folders and stdin are read by one process, as are runs too small to share
    (``DOCUMENTS_PER_PROCESS`` objects per process, counted as ``BYTES_PER_DOCUMENT`` each).
    """
    if not inputs or any(item.builds or item.path == STDIN for item in inputs):
        return None
    try:
        sizes = [os.path.getsize(item.path) for item in inputs]
    except OSError:  # a missing file: one process reports it
        return None
    total = sum(sizes)
    count = min(processes(jobs, total // BYTES_PER_DOCUMENT), len(inputs))
    if count < 2:
        return None
    parts: list[list[ManifestInput]] = [[] for _ in range(count)]
    done = 0
    for item, size in zip(inputs, sizes):
        # the part this file's middle falls in, never before the current one: contiguous parts of about total/count bytes
        parts[min(count - 1, (done + size // 2) * count // max(total, 1))].append(item)
        done += size
    return [part for part in parts if part]


def lint_parts(
    parts: list[list[ManifestInput]],
    read: Reader,
    tree: RenderedTree,
    request: LintRequest,
    config: LintConfig,
    policies: PolicySet,
) -> list[ResourceResult]:
    """Each part read and linted by a child of its own (within the policies' budget); the results in file order.

    Raises what a child raises first (InputError, ``budget.OverBudget``), in the order of the parts.
    """
    children = [partial(_lint_part, files, read, tree, request, config, policies) for files in parts]
    return [result for results in budget.run_exchanging(children, request.budget) for result in results]


def _lint_part(
    files: list[ManifestInput],
    read: Reader,
    tree: RenderedTree,
    request: LintRequest,
    config: LintConfig,
    policies: PolicySet,
    exchange: budget.Exchange,
) -> list[ResourceResult]:  # pragma: no cover - runs in a child; the tests observe it from outside
    manifests = read(files)
    shared = _shared(manifests)
    exchange.send(shared)  # the other parts arrive while this one prepares its evaluation (its program, its input)
    linter = Linter(policies, config, engine_for(request), tree, lint_options(request))
    batch = LintBatch(request.env, manifests, whole=lambda: _whole_run(exchange.receive()), placed=[(place, json) for place, json, _ in shared])
    linted = linter.lint([batch])
    exchange.keep(linter, batch)  # the child ends once its results are sent: its engine and objects are not freed first
    return [linted[manifest] for manifest in manifests]


Shared = list[tuple[Placement, str, str]]  # each object's place in data.inventory, its JSON and its file


def _shared(manifests: list[Manifest]) -> Shared:
    """What the other parts need of these objects: their places in ``data.inventory``, their JSON and their files."""
    return [(placement(manifest.obj), to_json(manifest.obj), manifest.path) for manifest in manifests]


def _whole_run(parts: list[Shared]) -> WholeRun:
    """The run's ``data.inventory`` and ``data.duplicates``, from every part in order (the JSON goes in as it is)."""
    shared = [entry for part in parts for entry in part]
    return WholeRun(
        inventory_of((place, orjson.Fragment(json)) for place, json, _ in shared),
        duplicates_of((key_of(place), path) for place, _, path in shared),
    )
