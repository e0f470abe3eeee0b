"""``gitopsgen init [DIR]`` and ``gitopsgen new APP``."""

from __future__ import annotations

from pathlib import Path

import click

from generator.errors import InputError, exit_on_input_error
from generator.project_root import project_dir_option

CONTEXT = {"help_option_names": ["-h", "--help"]}


@click.command(context_settings=CONTEXT)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=Path("."))
@click.option("--repo", "repo_url", metavar="URL", help="The GitOps repository Argo CD reads (gitops.repoURL).")
@click.option(
    "--forge",
    "forge_type",
    type=click.Choice(["github", "gitlab", "gitea"]),
    help="Where pull requests are opened  [default: from a github.com/gitlab.com --repo, else none]",
)
@click.option("--forge-url", metavar="URL", help="The forge's API base (GitHub) or instance URL (GitLab, Gitea).")
@click.option("--forge-project", metavar="ORG/REPO", help="The GitOps repository on the forge  [default: from --repo]")
@click.option(
    "--token-env",
    default="GITOPS_TOKEN",
    show_default=True,
    metavar="NAME",
    help="Environment variable holding the forge token (the token itself is never written).",
)
@click.option("--branch", default="main", show_default=True, help="Branch of the GitOps repository.")
@click.option("--app", default="hello", show_default=True, help="Name of the first app.")
@click.option("--image", default="nginxinc/nginx-unprivileged:1.27", show_default=True, metavar="REPO:TAG|REPO@DIGEST", help="Image of the first app.")
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True, help="Port the first app listens on.")
@click.option("--team", default="platform", show_default=True, help="Team owning the first app (its Argo CD project).")
@click.option("--owner", default="platform@example.com", show_default=True, help="Contact recorded on the app's objects.")
@exit_on_input_error
def init(
    directory: Path,
    repo_url: str | None,
    forge_type: str | None,
    forge_url: str | None,
    forge_project: str | None,
    token_env: str,
    branch: str,
    app: str,
    image: str,
    port: int,
    team: str,
    owner: str,
) -> None:
    """Start a project: gitopsgen.yaml, overlays for dev/staging/prod, one blueprint, CI and pre-commit.

    \b
    Writes gitopsgen.yaml, overlays/{dev,staging,prod}.yaml, blueprints/<app>.yaml,
    policies/config.yaml, .pre-commit-config.yaml and .github/workflows/gitops.yml, then
    renders rendered/. Never overwrites a file (exit 2 naming it).

    \b
    Examples:
      gitopsgen init my-gitops --repo https://github.com/acme/gitops.git
      gitopsgen init --repo https://git.acme.dev/platform/gitops.git --forge gitea --app api --image acme/api:1.0.0 --port 8000
    """
    from generator.scaffold import forge_for, parse_image, project_files, write_new

    forge = forge_for(repo_url, forge_type, forge_url, forge_project, token_env)
    files = project_files(repo_url, forge, branch, app, parse_image(image), port, team, owner)
    directory.mkdir(parents=True, exist_ok=True)
    for path in write_new(directory, files):
        click.echo(f"created {path}")
    _render(directory)
    click.echo("next: gitopsgen check" + ("" if repo_url else "; set gitops.repoURL in gitopsgen.yaml before publishing"))


@click.command(context_settings=CONTEXT)
@click.argument("app")
@click.option("--from", "source", metavar="APP", help="Copy this app's blueprint (comments kept) instead of the template.")
@click.option("--image", metavar="REPO:TAG|REPO@DIGEST", help="Image  [default: the copied app's, else nginxinc/nginx-unprivileged:1.27]")
@click.option("--port", type=click.IntRange(1, 65535), help="Port the app listens on  [default: the copied app's, else 8080]")
@click.option("--team", metavar="TEAM", help="Owning team  [default: the copied app's, else platform]")
@click.option("--no-render", is_flag=True, help="Only write the blueprint; do not render.")
@project_dir_option("Project root holding blueprints/.")
@exit_on_input_error
def new(app: str, source: str | None, image: str | None, port: int | None, team: str | None, no_render: bool, project_dir: Path | None) -> None:
    """Add an app: blueprints/<APP>.yaml from the template or a copy of another app, then render.

    \b
    Examples:
      gitopsgen new payments --image acme/payments:2.3.1 --port 8000
      gitopsgen new payments-worker --from payments
    """
    from generator.load import load_project
    from generator.project_root import find_root
    from generator.scaffold import DEFAULT_IMAGE, DEFAULT_PORT, blueprint_text, check_name, parse_image, write_new

    root = find_root(project_dir)
    project = load_project(root)
    check_name(app, "app")
    if app in project.blueprints:
        raise InputError(f"app {app!r} exists already", project.blueprints[app].source.path)
    if source is not None:
        if source not in project.blueprints:
            from generator.schema import suggest

            raise InputError(f"no app {source!r} to copy{suggest(source, project.blueprints)}; known: {', '.join(project.blueprints)}")
        text = copied_blueprint(root / project.blueprints[source].source.path, app, image, port, team)
    else:
        text = blueprint_text(app, parse_image(image or DEFAULT_IMAGE), port or DEFAULT_PORT, team or "platform", "platform@example.com")
    for path in write_new(root, {f"blueprints/{app}.yaml": text}):
        click.echo(f"created {path}")
    if not no_render:
        _render(root)


def copied_blueprint(path: Path, app: str, image: str | None, port: int | None, team: str | None) -> str:
    """``path``'s blueprint for another app: its name, and optionally image, first port and team, changed.

    Everything else is copied as it is, comments included (secrets and config maps keep their names: rename them if
    the new app should not share them)."""
    import io

    from ruamel.yaml import YAML

    from generator.scaffold import parse_image

    yaml = YAML()
    yaml.preserve_quotes = True
    data = yaml.load(path.read_text(encoding="utf-8"))
    data["name"] = app
    if image is not None:
        parsed = parse_image(image)
        data["image"] = {"repository": parsed.repository, **({"digest": parsed.digest} if parsed.digest else {"tag": parsed.tag})}
    if port is not None:
        if not data.get("ports"):
            raise InputError("the copied blueprint has no ports to change; leave out --port", path)
        data["ports"][0]["port"] = port
    if team is not None:
        data["team"] = team
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


def _render(root: Path) -> None:
    from generator.render.command import render

    context = click.get_current_context()
    context.invoke(render, check=False, envs=(), only=(), project_dir=root)
