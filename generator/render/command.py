"""``gitopsgen render``: blueprints/ + overlays/ -> rendered/."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import click

from generator.errors import exit_on_input_error
from generator.load import ARGOCD


def owned_paths(apps: set[str], envs: tuple[str, ...], only: tuple[str, ...]) -> Callable[[str], bool]:
    """Which existing files under rendered/ a render restricted by --env/--only may replace or delete."""

    def owned(path: str) -> bool:
        parts = path.split("/")
        if parts[0] == ARGOCD:
            return len(parts) < 3 or not envs or parts[1] in envs
        app = parts[0]
        if only:
            return app in only and _env_selected(parts, envs)
        if app not in apps:
            return True  # the blueprint is gone: all of its files go
        return _env_selected(parts, envs)

    return owned


def _env_selected(parts: list[str], envs: tuple[str, ...]) -> bool:
    if not envs or len(parts) < 3:
        return True
    if parts[1] == "overlays":
        return parts[2] in envs
    if parts[1] == "helm":
        return parts[2].removeprefix("values-").removesuffix(".yaml") in envs
    return True


@click.command()
@click.option("--check", is_flag=True, help="Write nothing; list files that would change and exit 1 if any would.")
@click.option("--env", "envs", multiple=True, metavar="ENV", help="Render only this environment (repeatable).")
@click.option("--only", multiple=True, metavar="APP", help="Render only this app (repeatable).")
@click.option("--project-dir", "-C", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Project root holding blueprints/ and overlays/.")
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
    from generator.load import load_project
    from generator.render import writer
    from generator.render.project import render_project
    from generator.render.validation import ensure_valid

    project = load_project(project_dir)
    rendering = render_project(project, list(envs), list(only))
    ensure_valid(rendering)
    owned = owned_paths(set(project.blueprints), envs, only)
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
    drift = writer.write_tree(project.root, rendering.files, owned)
    apps = {rendered.app for rendered in rendering.sets if rendered.app != ARGOCD}
    click.echo(f"rendered {len(apps)} app(s) x {len({r.env for r in rendering.sets})} environment(s): "
               f"{len(drift.added)} added, {len(drift.changed)} changed, {len(drift.removed)} removed")
