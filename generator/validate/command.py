"""``gitopsgen validate [PATH|-]...``: check manifests against Kubernetes and CRD schemas, offline."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.errors import InputError, exit_on_input_error
from generator.project_root import project_dir_option
from generator.report.targets import output_options
from generator.terminal import color_option


class _KubernetesVersionOption(click.Option):
    """Shows the newest installed Kubernetes version as the default, looked up only when --help asks."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        from generator.validate.registry import latest_version

        try:
            newest = latest_version()
        except (InputError, IndexError, OSError):  # pragma: no cover - broken installation
            newest = "the newest installed"
        self.help = f"Kubernetes version whose schemas to use, like 1.33.  [default: {newest}]"
        return super().get_help_record(ctx)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, metavar="[PATH|-]...")
@click.option("--kubernetes-version", "-k", metavar="VERSION", cls=_KubernetesVersionOption)
@click.option("--strict", is_flag=True, help="Unknown fields and duplicate keys are errors.")
@click.option("--ignore-missing-schemas", is_flag=True, help="Skip kinds with no schema instead of failing.")
@click.option("--skip-kind", "skip_kinds", multiple=True, metavar="KIND", help="Skip this kind (Kind or apiVersion/Kind; repeat or comma-separate).")
@click.option("--crd", "crds", multiple=True, type=click.Path(path_type=Path), metavar="FILE|DIR", help="Also accept the custom resources these CRDs define.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Where prepared schemas are kept between runs  [default: $XDG_CACHE_HOME/gitopsgen, else ~/.cache/gitopsgen]",
)
@output_options
@color_option
@click.option("--summary", is_flag=True, help="Print a summary line at the end.")
@click.option("--verbose", "-v", is_flag=True, help="Also list resources that passed.")
@click.option("--env", "envs", multiple=True, metavar="ENV", help="Without PATH: only this environment (repeatable).")
@click.option("--only", multiple=True, metavar="APP", help="Without PATH: only this app (repeatable).")
@project_dir_option("Without PATH: project root holding blueprints/ and overlays/.")
@exit_on_input_error
def validate(
    paths: tuple[str, ...],
    kubernetes_version: str | None,
    strict: bool,
    ignore_missing_schemas: bool,
    skip_kinds: tuple[str, ...],
    crds: tuple[Path, ...],
    cache_dir: Path | None,
    outputs: tuple[str, ...],
    output_file: Path | None,
    color: str,
    summary: bool,
    verbose: bool,
    envs: tuple[str, ...],
    only: tuple[str, ...],
    project_dir: Path,
) -> None:
    """Validate manifests against Kubernetes and CRD schemas, offline.

    PATH may be a file, a folder (its .yaml/.yml/.json files, recursively, leaving out
    hidden ones and Helm charts but their crds/) or - for stdin. Without PATH, validates what
    `gitopsgen render` produces for every blueprint and environment, reporting problems at the blueprint line that caused them.

    \b
    Exit status: 0 all valid, 1 something invalid, 2 unreadable input, missing schema or bad usage.
    Examples:
      gitopsgen validate rendered/
      kustomize build rendered/ai-engine/overlays/prod | gitopsgen validate -
      gitopsgen validate --strict --output sarif rendered/ > validate.sarif
    """
    from generator.cache import default_cache_dir
    from generator.pipeline import render_project_once, validate_files, validate_rendered
    from generator.report import COLOR, OutputOptions
    from generator.report.targets import Outputs, parse_targets, report_input_error
    from generator.results import Summary
    from generator.validate.registry import SchemaRegistry
    from generator.validate.rules import RULES
    from generator.validate.validator import Settings

    if paths and (envs or only):
        raise click.UsageError("--env and --only select rendered manifests; use them without PATH")
    targets = parse_targets(outputs, output_file)
    options = OutputOptions(tool="validate", rules=RULES, summary=summary, verbose=verbose, root=Path.cwd() if paths else project_dir, color=COLOR[color])
    output = None
    counts = Summary(tool="validate")
    try:
        registry = SchemaRegistry.create(kubernetes_version, strict, crds, cache_dir or default_cache_dir())
        settings = Settings(ignore_missing_schemas, frozenset(k.strip() for kinds in skip_kinds for k in kinds.split(",") if k.strip()))
        if paths:
            results = validate_files(list(paths), registry, settings, counts)
        else:  # rendered in memory first: a bad blueprint stops here, before any output
            results = validate_rendered(render_project_once(project_dir, list(envs), list(only)), registry, settings, counts)
        output = Outputs(targets, options)
        for result in results:
            counts.count(result)
            output.write(result)
    except InputError as error:
        if output is not None:
            output.discard()
        report_input_error(error, targets, options)
        raise
    output.flush(counts)
    sys.exit(counts.exit_code())
