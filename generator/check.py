"""``gitopsgen check``: render --check + validate + lint in one run, one report, one exit status.

The project is rendered once in memory; that rendering is compared with rendered/ (drift),
its effective objects are validated against the schemas and linted against the policies, and
every finding goes to one output (so CI uploads one SARIF file). Exit 0 clean, 1 drift, invalid
manifests or violations at error level, 2 bad input.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.errors import InputError, exit_on_input_error
from generator.lint.command import cache_dir_option, jobs_option
from generator.project_root import project_dir_option
from generator.report.targets import output_options
from generator.results import exit_code
from generator.terminal import color_option


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@output_options
@color_option
@click.option("--env", "envs", multiple=True, metavar="ENV", help="Only this environment (repeatable).")
@click.option("--only", multiple=True, metavar="APP", help="Only this app (repeatable).")
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default="error", show_default=True, help="Lowest level that makes check exit 1.")
@click.option("--summary", is_flag=True, help="Print a summary line at the end.")
@cache_dir_option
@jobs_option
@project_dir_option("Project root holding blueprints/, overlays/ and rendered/.")
@exit_on_input_error
def check(
    outputs: tuple[str, ...],
    output_file: Path | None,
    color: str,
    envs: tuple[str, ...],
    only: tuple[str, ...],
    fail_on: str,
    summary: bool,
    project_dir: Path,
    cache_dir: Path | None,
    jobs: int | None,
) -> None:
    """Is rendered/ up to date, schema-valid and free of policy violations? (pre-commit, CI)

    \b
    Examples:
      gitopsgen check
      gitopsgen check --env prod --only ai-engine
      gitopsgen check -o sarif=gitopsgen.sarif -o github -o text
    """
    from generator.pipeline import check_project, write_report
    from generator.report import COLOR, OutputOptions
    from generator.report.targets import parse_targets, report_input_error

    targets = parse_targets(outputs, output_file)
    try:
        results, rules = check_project(project_dir, list(envs), list(only), cache_dir=cache_dir, jobs=jobs)
    except InputError as error:
        report_input_error(error, targets, OutputOptions(tool="check", summary=summary, root=Path.cwd(), color=COLOR[color]))
        raise
    write_report(results, rules, targets, summary, "check", sys.stdout, COLOR[color])
    sys.exit(exit_code(results, fail_on))
