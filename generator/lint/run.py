"""Linting with one request's settings: configuration, policies and engine chosen once, every batch evaluated."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path

from generator.cache import default_cache_dir
from generator.errors import InputError
from generator.lint import budget
from generator.lint.budget import Budget
from generator.lint.checks import Check, PolicySet
from generator.lint.config import LintConfig, config_path, load_config
from generator.lint.engine import PolicyEngine, embedded_engine
from generator.lint.linter import LintBatch, Linter, LintOptions, rule_descriptions, select_checks
from generator.lint.policy import load_policies
from generator.lint.rendered_tree import RenderedTree
from generator.manifest import Manifest
from generator.results import ResourceResult, Rule


@dataclass
class LintRequest:
    """What ``gitopsgen lint`` was asked to do: its inputs, policies, rules, environment and limits, as options gave them."""

    paths: list[str] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)
    only: set[str] = field(default_factory=set)
    skip: set[str] = field(default_factory=set)
    env: str | None = None
    apps: list[str] = field(default_factory=list)
    config_file: Path | None = None
    opa_url: str | None = None
    opa_preloaded: bool = False
    project_dir: Path = Path(".")
    today: date = field(default_factory=date.today)
    kubernetes_version: str | None = None
    inventory: list[str] = field(default_factory=list)  # --inventory: manifests deployed alongside PATHs, not linted
    budget: Budget = field(default_factory=Budget)  # time and memory for evaluating the policies (embedded engine)
    cache_dir: Path | None = None  # --cache-dir; None: default_cache_dir()
    jobs: int | None = None  # --jobs: processes evaluating at once; None: one per usable CPU


# A process is worth forking for this many documents (it loads the policies again: ~10 ms).
DOCUMENTS_PER_PROCESS = 200


def lint_setup(request: LintRequest) -> tuple[LintConfig, PolicySet]:
    """The configuration and the policies; read before any manifest, so that their errors come first."""
    if request.opa_preloaded and not request.opa_url:
        raise InputError("--opa-preloaded needs --opa-url")
    cache_dir = request.cache_dir or default_cache_dir()
    config = load_config(request.config_file or config_path(request.project_dir), cache_dir)
    return config, load_policies(request.policies or None, cache_dir)


def lint_results(
    batches: list[LintBatch],
    tree: RenderedTree,
    request: LintRequest,
    config: LintConfig | None = None,
    policies: PolicySet | None = None,
) -> tuple[dict[Manifest, ResourceResult], dict[str, Rule]]:
    """Every batch linted (one result per manifest, in batch order), and the rules the findings may name.

    The embedded engine evaluates within ``request.budget`` in forked children (:mod:`generator.lint.budget`),
    several at once on a large run, each with its share of the documents (``linter.Shares``): each
    sends back its results in batch order, and they are paired here with the manifests.
    """
    if config is None or policies is None:
        config, policies = lint_setup(request)
    options = lint_options(request)
    checks = select_checks(policies, options)

    manifests = [manifest for batch in batches for manifest in batch.manifests]

    def evaluate(selected: LintOptions) -> list[ResourceResult | None]:
        """The results in the order of ``manifests`` (None: another share's): they cross from the budget's child as a plain list."""
        engine = engine_for(request)
        try:
            linted = Linter(policies, config, engine, tree, selected).lint(batches)
        finally:
            engine.close()
        return [linted.get(manifest) for manifest in manifests]

    if request.opa_url:  # the OPA server enforces its own limits
        results = evaluate(options)
    else:
        try:
            results = _in_processes(evaluate, options, processes(request.jobs, len(manifests)), request.budget)
        except budget.OverBudget as exc:
            raise _over_budget(exc.what, checks, request, lambda check: lambda: evaluate(replace(options, only={check.id}))) from None
    linted = {manifest: result for manifest, result in zip(manifests, results) if result is not None}
    return linted, rule_descriptions(checks)


def lint_options(request: LintRequest) -> LintOptions:
    return LintOptions(
        env=request.env,
        only=request.only,
        skip=request.skip,
        today=request.today,
        kubernetes_version=request.kubernetes_version,
        cache_dir=request.cache_dir or default_cache_dir(),
    )


def processes(jobs: int | None, documents: int) -> int:
    """How many processes evaluate ``documents``: ``jobs`` (None: one per usable CPU), fewer on a small run."""
    if jobs is None:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(jobs, documents // DOCUMENTS_PER_PROCESS))


def _in_processes(
    evaluate: Callable[[LintOptions], list[ResourceResult | None]],
    options: LintOptions,
    count: int,
    limits: Budget,
) -> list[ResourceResult | None]:
    """``evaluate`` over every document, its shares evaluated by ``count`` processes at once, within ``limits``."""
    if count == 1:
        return budget.run(partial(evaluate, options), limits)
    try:
        parts = budget.run_all([partial(evaluate, replace(options, share=(k, count))) for k in range(count)], limits)
    except InputError:  # a malformed document: name the one a single process names, the first in the run's order
        return budget.run(partial(evaluate, options), limits)
    return [next((result for result in column if result is not None), None) for column in zip(*parts)]


def _over_budget(what: str, checks: list[Check], request: LintRequest, alone: Callable[[Check], Callable[[], object]]) -> InputError:
    """Which policy ran out of the budget (user policies are tried first, each alone), as one line."""
    limit = f"{request.budget.seconds:g} s" if what == "time" else f"{request.budget.megabytes} MB"
    option = "--policy-timeout" if what == "time" else "--policy-memory"
    ordered = sorted(checks, key=lambda check: check.style == "gitopsgen")
    found = budget.first_over_budget(((check.id, alone(check)) for check in ordered), request.budget)
    if found is None:
        return InputError(f"evaluating the policies took more than their {what} budget ({limit}); lint fewer files at once or raise {option}")
    check = next(check for check in checks if check.id == found[0])
    return InputError(
        f"policy {check.id} ran out of its {found[1]} budget ({limit}) and was stopped; fix the policy (an unbounded loop or comprehension?) or raise {option}",
        check.source,
    )


def engine_for(request: LintRequest) -> PolicyEngine:
    if request.opa_url:
        from generator.lint.opa import OPAServerEngine

        return OPAServerEngine(request.opa_url, preloaded=request.opa_preloaded)
    return embedded_engine()
