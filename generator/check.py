"""``gitopsgen check``: render --check + validate + lint in one run, one report, one exit status.

The project is rendered once in memory; that rendering is compared with rendered/ (drift),
its effective objects are validated against the schemas and linted against the policies, and
every finding goes to one output (so CI uploads one SARIF file). Exit 0 clean, 1 drift, invalid
manifests or violations at error level, 2 bad input.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from generator.errors import exit_on_input_error
from generator.report import FORMATS
from generator.results import Finding, ResourceResult, Rule

DRIFT_RULE = Rule(
    "rendered-drift",
    "rendered/ is out of date",
    "A file under rendered/ differs from what the blueprints and overlays render to.",
    remediation="Run `gitopsgen render` and commit rendered/.",
)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--output", "-o", "output_format", type=click.Choice(list(FORMATS)), default="text", show_default=True, help="Report format.")
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default="error", show_default=True, help="Lowest level that makes check exit 1.")
@click.option("--summary", is_flag=True, help="Print a summary line at the end.")
@click.option("--project-dir", "-C", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
              help="Project root holding blueprints/, overlays/ and rendered/.")
@exit_on_input_error
def check(output_format: str, fail_on: str, summary: bool, project_dir: Path) -> None:
    """Is rendered/ up to date, schema-valid and free of policy violations? (pre-commit, CI)

    \b
    Examples:
      gitopsgen check
      gitopsgen check --output sarif > gitopsgen.sarif
    """
    from generator.lint.run import LintRequest, report

    request = LintRequest(output_format=output_format, fail_on=fail_on, summary=summary, project_dir=project_dir)
    results, rules = check_results(request)
    report(results, request, sys.stdout, rules, tool="check")
    sys.exit(check_exit_code(results, fail_on))


def check_results(request: Any) -> tuple[list[ResourceResult], dict[str, Rule]]:
    """The check itself, without a report: drift, schema and policy results for ``request.project_dir``
    (a :class:`generator.lint.run.LintRequest`), and the rules they refer to. Bad input raises InputError."""
    from generator.lint.run import lint_results
    from generator.lint.sources import batches_from_sets, tree_of_rendering
    from generator.load import load_project
    from generator.render.project import render_project

    project = load_project(request.project_dir)
    rendering = render_project(project)
    results = drift_results(project, rendering.files)
    validated, validate_rules = validate_results(rendering.sets)
    tree = tree_of_rendering(rendering.files, project.root, project.gitops)
    linted, lint_rules = lint_results(batches_from_sets(rendering.sets), tree, request)
    results += merge(validated, linted)
    return results, {DRIFT_RULE.id: DRIFT_RULE, **validate_rules, **lint_rules}


def check_exit_code(results: list[ResourceResult], fail_on: str = "error") -> int:
    """2 when an object could not be checked, else 1 for findings at ``fail_on`` or above, else 0."""
    from generator.lint.run import exit_code

    return 2 if any(r.status == "error" for r in results) else exit_code(results, fail_on)


def merge(validated: list[ResourceResult], linted: list[ResourceResult]) -> list[ResourceResult]:
    """One result per object: both lists follow the rendering's object order."""
    same_objects = len(validated) == len(linted) and all(
        (a.kind, a.name, a.namespace) == (b.kind, b.name, b.namespace) for a, b in zip(validated, linted)
    )
    if not same_objects:  # pragma: no cover - both walk the rendering's objects in order
        return validated + linted
    order = {"valid": 0, "skipped": 1, "invalid": 2, "error": 3}
    merged = []
    for schema, policy in zip(validated, linted):
        status = max(schema.status, policy.status, key=order.__getitem__)
        merged.append(ResourceResult(
            schema.path, schema.kind, schema.name, schema.namespace, schema.line, status,
            schema.findings + policy.findings, schema.api_version,
        ))
    return merged


def drift_results(project: Any, files: dict[str, str]) -> list[ResourceResult]:
    """One invalid result per file of rendered/ that `gitopsgen render` would add, change or delete."""
    from generator.render import writer
    from generator.render.command import owned_paths

    root = project.root
    drift = writer.compare(root / writer.OUTPUT, files, owned_paths(set(project.blueprints), (), ()))
    results = []
    for change, paths in (("missing", drift.added), ("out of date", drift.changed), ("no longer rendered", drift.removed)):
        for path in paths:
            location = f"{writer.OUTPUT}/{path}"
            finding = Finding(
                tool="render", rule=DRIFT_RULE.id, level="error", message=f"{location} is {change}; run `gitopsgen render`",
                path=location, remediation=DRIFT_RULE.remediation,
            )
            results.append(ResourceResult(location, status="invalid", findings=[finding]))
    return results


def validate_results(rendered_sets: list[Any]) -> tuple[list[ResourceResult], dict[str, Rule]]:
    """Every effective object validated against its schema, findings at the blueprint line."""
    from generator.results import Summary
    from generator.validate.registry import SchemaRegistry
    from generator.validate.rules import RULES
    from generator.validate.run import Run
    from generator.validate.validator import Settings

    collected = _Collect()
    run = Run(SchemaRegistry.create(), Settings(), collected, Summary(tool="validate"))
    run.validate_rendered(rendered_sets)
    return collected.results, dict(RULES)


class _Collect:
    """An Output that keeps the results, so check can report validate and lint together."""

    def __init__(self) -> None:
        self.results: list[ResourceResult] = []

    def write(self, result: ResourceResult) -> None:
        self.results.append(result)

    def flush(self, summary: Any) -> None:
        pass
