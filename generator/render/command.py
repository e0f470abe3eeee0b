"""``gitopsgen render``: blueprints/ + overlays/ -> rendered/."""

from __future__ import annotations

from pathlib import Path

import click

from generator.errors import exit_on_input_error
from generator.load import ARGOCD
from generator.project_root import project_dir_option


@click.command()
@click.option("--check", is_flag=True, help="Write nothing; list files that would change and exit 1 if any would.")
@click.option("--env", "envs", multiple=True, metavar="ENV", help="Render only this environment (repeatable).")
@click.option("--only", multiple=True, metavar="APP", help="Render only this app (repeatable).")
@project_dir_option("Project root holding blueprints/ and overlays/.")
@exit_on_input_error
def render(check: bool, envs: tuple[str, ...], only: tuple[str, ...], project_dir: Path) -> None:
    """Render blueprints/ and overlays/ into rendered/.

    \b
    Writes rendered/<app>/base, rendered/<app>/overlays/<env>, rendered/<app>/helm/values-<env>.yaml
    and rendered/argocd/<env>/. Output is deterministic; files whose first line is not the
    gitopsgen header are never touched. Exit 0 ok, 1 drift (with --check), 2 bad input.

    \b
    Examples:
      gitopsgen render
      gitopsgen render --check                # pre-commit / CI: is rendered/ up to date?
      gitopsgen render --env prod --only ai-engine
    """
    from generator.manifest import without_cycle_collector
    from generator.pipeline import ensure_valid, render_project_once
    from generator.render import writer

    with without_cycle_collector():  # every rendered object lives to the end: the collector's passes would rescan them all
        rendered_project = render_project_once(project_dir, list(envs), list(only))
        ensure_valid(rendered_project)
    project, rendering = rendered_project.project, rendered_project.rendering
    if "repoURL" in project.gitops_config.defaulted:
        click.echo(
            f"warning: {project.gitops_config.path}: gitops.repoURL is not set; the Argo CD Applications point at "
            f"the placeholder {project.gitops['repoURL']} (publish refuses them): set it",
            err=True,
        )
    owned = writer.owned_paths(set(project.blueprints), envs, only)
    output = project.root / writer.OUTPUT
    if check:
        drift = writer.compare(output, rendering.files, owned)
        for line in drift.lines():
            click.echo(line)
        if drift:
            click.echo(f"{len(drift.lines())} file(s) in rendered/ are out of date: run `gitopsgen render`", err=True)
            raise SystemExit(1)
        click.echo("rendered/ is up to date")
        return
    for note in rendering.notes:
        click.echo(f"note: {note}")
    drift = writer.write_tree(project.root, rendering.files, owned)
    apps = {rendered.app for rendered in rendering.sets if rendered.app != ARGOCD}
    click.echo(
        f"rendered {len(apps)} app(s) x {len({r.env for r in rendering.sets})} environment(s): "
        f"{len(drift.added)} added, {len(drift.changed)} changed, {len(drift.removed)} removed"
    )
