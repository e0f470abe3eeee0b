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

from generator.errors import exit_on_input_error
from generator.report import FORMATS
from generator.results import exit_code


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
    from generator.pipeline import check_project, write_report

    results, rules = check_project(project_dir)
    write_report(results, rules, output_format, summary, "check", sys.stdout)
    sys.exit(exit_code(results, fail_on))
