"""Linting with one request's settings: configuration, policies and engine chosen once, every batch evaluated."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator.errors import InputError
from generator.lint.checks import PolicySet
from generator.lint.config import LintConfig, config_path, load_config
from generator.lint.engine import PolicyEngine, embedded_engine
from generator.lint.linter import LintBatch, LintOptions, lint_batches, rule_descriptions, select_checks
from generator.lint.policy import load_policies
from generator.lint.rendered_tree import RenderedTree
from generator.manifest import Manifest
from generator.results import ResourceResult, Rule, in_environment


@dataclass
class LintRequest:
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


def lint_setup(request: LintRequest) -> tuple[LintConfig, PolicySet]:
    """The configuration and the policies; read before any manifest, so that their errors come first."""
    if request.opa_preloaded and not request.opa_url:
        raise InputError("--opa-preloaded needs --opa-url")
    config = load_config(request.config_file or config_path(request.project_dir))
    return config, load_policies(request.policies or None)


def lint_results(
    batches: list[LintBatch], tree: RenderedTree, request: LintRequest, config: LintConfig | None = None,
    policies: PolicySet | None = None,
) -> tuple[dict[Manifest, ResourceResult], dict[str, Rule]]:
    """Every batch linted (one result per manifest, in batch order), and the rules the findings may name."""
    if config is None or policies is None:
        config, policies = lint_setup(request)
    options = LintOptions(
        env=request.env, only=request.only, skip=request.skip, today=request.today, kubernetes_version=request.kubernetes_version
    )
    engine = _engine(request)
    try:
        results = lint_batches(batches, policies, config, engine, tree, options)
    finally:
        engine.close()
    for batch in batches:  # every finding names its environment
        for manifest in batch.manifests:
            if manifest in results:
                results[manifest] = in_environment(results[manifest], batch.env if batch.env is not None else request.env)
    return results, rule_descriptions(select_checks(policies, options))


def _engine(request: LintRequest) -> PolicyEngine:
    if request.opa_url:
        from generator.lint.opa import OPAServerEngine

        return OPAServerEngine(request.opa_url, preloaded=request.opa_preloaded)
    return embedded_engine()
