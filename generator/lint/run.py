"""One lint run: read inputs and policies, pick the engine, evaluate, report, exit code."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from generator.errors import InputError
from generator.lint.config import config_path, load_config
from generator.lint.engine import PolicyEngine, embedded_engine
from generator.lint.policy import load_policies
from generator.lint.linter import LintOptions, lint_batches, rule_descriptions, select_checks
from generator.lint.sources import LintBatch, RenderedTree, from_paths, from_project, rendered_tree
from generator.report import OutputOptions, get_output
from generator.results import ResourceResult, Rule, Summary


@dataclass
class LintRequest:
    paths: list[str] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)
    only: set[str] = field(default_factory=set)
    skip: set[str] = field(default_factory=set)
    env: str | None = None
    apps: list[str] = field(default_factory=list)
    config_file: Path | None = None
    output_format: str = "text"
    fail_on: str = "error"
    summary: bool = False
    opa_url: str | None = None
    opa_preloaded: bool = False
    project_dir: Path = Path(".")
    today: date = field(default_factory=date.today)


def run_lint(request: LintRequest, stream: IO[str]) -> int:
    """Lint and write the report; the exit status (0 clean, 1 violations). Bad input raises InputError."""
    if request.opa_preloaded and not request.opa_url:
        raise InputError("--opa-preloaded needs --opa-url")
    config = load_config(request.config_file or config_path(request.project_dir))
    policies = load_policies(request.policies or None)
    batches, tree = _inputs(request, request.project_dir)
    results, rules = lint_results(batches, tree, request, config, policies)
    report(results, request, stream, rules)
    return exit_code(results, request.fail_on)


def lint_results(
    batches: list[LintBatch], tree: RenderedTree, request: LintRequest, config: Any = None, policies: Any = None
) -> tuple[list[ResourceResult], dict[str, Rule]]:
    """Every batch linted, and the rules that may appear in the findings (for SARIF and JUnit)."""
    config = config or load_config(request.config_file or config_path(request.project_dir))
    policies = policies or load_policies(request.policies or None)
    options = LintOptions(env=request.env, only=request.only, skip=request.skip, today=request.today)
    engine = _engine(request)
    try:
        results = lint_batches(batches, policies, config, engine, tree, options)
    finally:
        engine.close()
    return results, rule_descriptions(select_checks(policies, options))


def _inputs(request: LintRequest, root: Path) -> tuple[list[LintBatch], RenderedTree]:
    if request.paths:
        if request.apps:
            raise InputError("--only selects apps of the project; it cannot be combined with PATH")
        return from_paths(request.paths, request.env), rendered_tree(root)
    return from_project(root, [request.env] if request.env else None, request.apps or None)


def _engine(request: LintRequest) -> PolicyEngine:
    if request.opa_url:
        from generator.lint.opa import OPAServerEngine

        return OPAServerEngine(request.opa_url, preloaded=request.opa_preloaded)
    return embedded_engine()


def report(results: list[ResourceResult], request: LintRequest, stream: IO[str], rules: dict[str, Rule], tool: str = "lint") -> None:
    options = OutputOptions(tool=tool, rules=rules, summary=request.summary, root=Path.cwd())
    output = get_output(request.output_format, stream, options)
    summary = Summary(tool=tool, files=len({r.path for r in results}))
    for result in results:
        output.write(result)
        summary.count(result)
    output.flush(summary)


def exit_code(results: list[ResourceResult], fail_on: str) -> int:
    failing = {"error"} if fail_on == "error" else {"error", "warning"}
    return 1 if any(f.level in failing for r in results for f in r.findings) else 0
