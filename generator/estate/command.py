"""``gitopsgen report``: write the estate page."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from generator.errors import InputError, exit_on_input_error
from generator.project_root import project_dir_option


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--output-file", "-o", "output_file", default="estate.html", show_default=True, metavar="FILE", help="Where to write the page (- for standard output)."
)
@click.option("--env", "envs", multiple=True, metavar="ENV", help="Only this environment (repeatable).")
@click.option("--only", multiple=True, metavar="APP", help="Only this app (repeatable).")
@click.option("--repo", metavar="URL|PATH", help="Show drift against this GitOps repository (e.g. gitops.repoURL).")
@click.option("--branch", metavar="BRANCH", help="With --repo: its branch (default: gitops.branch).")
@click.option("--against-ref", metavar="REF", help="Show drift against rendered/ at this git ref of the project instead.")
@project_dir_option()
@exit_on_input_error
def report(
    output_file: str, envs: tuple[str, ...], only: tuple[str, ...], repo: str | None, branch: str | None, against_ref: str | None, project_dir: Path
) -> None:
    """Write the estate as one self-contained HTML page (no network, no CDN, no script).

    \b
    Apps x environments with the image tag/digest each runs (what differs from the previous
    environment highlighted), replicas and autoscaling ranges, CPU/memory/GPU requests and
    limits totalled per environment and team, the check's findings per app and environment,
    and, with --repo or --against-ref, drift against the GitOps repository.

    \b
    Examples:
      gitopsgen report                               # estate.html
      gitopsgen report --env staging --env prod -o promotion.html
      gitopsgen report --against-ref origin/main -o - > estate.html
    """
    from generator.estate.model import build_estate
    from generator.estate.page import render_page
    from generator.pipeline import check_project, render_project_once

    if repo and against_ref:
        raise click.UsageError("--repo and --against-ref both name what to compare with; give one")
    rendered = render_project_once(project_dir, list(envs), list(only))
    project, rendering = rendered.project, rendered.rendering
    results, _ = check_project(project_dir, list(envs), list(only), rendered)
    drift = _drift(project, rendering, repo, branch, against_ref) if (repo or against_ref) else None
    chosen = [env for env in project.environments if not envs or env in envs]
    teams = {name: str(bp.spec.get("team", "")) for name, bp in project.blueprints.items()}
    estate = build_estate(rendering.sets, chosen, teams, results, drift, _apps_by_path(project))
    page = render_page(estate, project.root.name, _source(project.root))
    if output_file == "-":
        sys.stdout.write(page)
        return
    target = Path(output_file)
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        temporary.write_text(page, encoding="utf-8")
        temporary.replace(target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise InputError(f"cannot write the page: {exc.strerror}", target) from None
    click.echo(f"wrote {target}: {len(estate.apps)} apps x {len(chosen)} environments, {len(estate.findings)} findings")


def _apps_by_path(project: Any) -> dict[str, str]:
    return {blueprint.source.path: name for name, blueprint in project.blueprints.items()}


def _source(root: Path) -> str:
    from generator.publish.sources import source_of

    source = source_of(root)
    return f"{source.name} @ {source.short}" + (" (with uncommitted changes)" if source.dirty else "")


def _drift(project: Any, rendering: Any, repo: str | None, branch: str | None, against_ref: str | None) -> dict[tuple[str, str], str]:
    """(app, env) -> "2 changed, 1 added" for what differs from the GitOps repository (or the ref)."""
    from generator.publish.command import old_tree
    from generator.publish.deployed import deployed_from_rendering, deployed_from_tree
    from generator.publish.semdiff import diff_deployed

    groups = diff_deployed(deployed_from_tree(old_tree(project, repo, branch, against_ref)), deployed_from_rendering(rendering))
    return {(group.app, group.env): ", ".join(f"{n} {kind}" for kind, n in group.counts().items() if n) or "; ".join(group.notes) for group in groups}
