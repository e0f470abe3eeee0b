"""``gitopsgen publish``, ``gitopsgen diff`` and ``gitopsgen set-image``."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from generator.errors import InputError, visible
from generator.project_root import project_dir_option
from generator.schema import suggest
from generator.terminal import color_option

DIFF_FORMATS = ["text", "json", "markdown"]
PROJECT_DIR = project_dir_option("Project root holding blueprints/, overlays/ and rendered/.")


def _one_line_errors(function: Callable[..., Any]) -> Callable[..., Any]:
    """InputError -> ``error: ...`` and exit 2; a publish that failed midway -> ``error: ...`` and exit 1."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from generator.publish.forges import ForgeError
        from generator.publish.git import GitError
        from generator.publish.publisher import PublishError

        try:
            return function(*args, **kwargs)
        except InputError as exc:
            click.echo(f"error: {visible(str(exc))}", err=True)
            sys.exit(2)
        except (PublishError, ForgeError, GitError) as exc:
            click.echo(f"error: {visible(str(exc))}", err=True)
            sys.exit(1)

    return wrapper


@click.command()
@click.option("--repo", metavar="URL|PATH", help="GitOps repository (default: gitops.repoURL in gitopsgen.yaml).")
@click.option("--branch", metavar="BRANCH", help="Target branch (default: gitops.branch, else main).")
@click.option("--env", "envs", multiple=True, metavar="ENV", help="Publish only this environment (repeatable).")
@click.option(
    "--only",
    "--app",
    "apps",
    multiple=True,
    metavar="APP",
    help="Publish only this app's files (repeatable); every other file in the GitOps repository stays as it is.",
)
@click.option("--force", is_flag=True, help="Publish although `check` fails; the commit and PR say so.")
@click.option("--dry-run", is_flag=True, help="Print the commits and pull requests; change nothing anywhere.")
@click.option("--retries", type=click.IntRange(0, 20), default=5, show_default=True, help="Attempts after a push is rejected because the remote moved.")
@click.option(
    "--output",
    "-o",
    "output_format",
    type=click.Choice(DIFF_FORMATS),
    default="text",
    show_default=True,
    help="text, json, or markdown: the commits and pull requests made (or, with --dry-run, that would be).",
)
@click.option(
    "--allow-rollback",
    is_flag=True,
    help="Replace what a newer source commit (or one this checkout lacks) published; without it such apps are refused or left as they are.",
)
@PROJECT_DIR
@_one_line_errors
def publish(
    repo: str | None,
    branch: str | None,
    envs: tuple[str, ...],
    apps: tuple[str, ...],
    force: bool,
    dry_run: bool,
    retries: int,
    output_format: str,
    allow_rollback: bool,
    project_dir: Path,
) -> None:
    """Sync rendered/ into the GitOps repository: direct commits or pull requests, per environment.

    \b
    Each environment's overlays/<env>.yaml says `publish: direct` (commit to the branch) or
    `publish: pull-request` (branch gitopsgen/<env>/<short sha> and a pull request). gitopsgen
    only touches files it owns (listed in .gitopsgen/owned/ in the GitOps repo). With hydrated
    delivery (gitops.delivery) each environment is its own commit, ending with Argo CD's
    Argocd-reference-commit-* trailers, with hydrator.metadata and README.md beside each
    manifest.yaml (gitops.hydrated.to: branch -> one branch per environment). --only APP
    publishes that app's folder and its Argo CD Applications and leaves every other file (other
    apps', AppProjects, namespaces, add-ons) as it is; the gate checks that app in every
    environment. Exit 0 ok, 1 checks failed or publishing failed, 2 bad input.

    \b
    Examples:
      gitopsgen publish --dry-run
      gitopsgen publish --env staging
      gitopsgen publish --env staging --only ai-prism-api
      gitopsgen publish --repo ../gitops --env prod
    """
    from generator.delivery import load_delivery
    from generator.pipeline import render_project_once
    from generator.publish.config import environment_modes, publish_config
    from generator.publish.gate import CheckOutcome, run_checks
    from generator.publish.layout import read_rendered_dir
    from generator.publish.publisher import PublishRequest, preflight
    from generator.publish.publisher import publish as run_publish
    from generator.publish.sources import history_of, source_of

    _no_credentials(repo)
    rendered = render_project_once(project_dir, None, list(apps))  # loads once; unknown app names stop here
    project = rendered.project
    root = project.root
    require_repo_url(project.gitops_config)
    config = publish_config(project.gitops_config)
    modes = environment_modes(project)
    url = repo or config.repo_url
    if not url:
        raise InputError("no GitOps repository: pass --repo or set gitops.repoURL in gitopsgen.yaml")
    token = os.environ.get(config.forge.token_env) if config.forge else None
    tree = read_rendered_dir(root / "rendered")
    source = source_of(root)
    request = PublishRequest(
        tree=tree,
        repo_url=url,
        branch=branch or config.branch,
        layout=config.layout,
        modes=modes,
        source=source,
        checks=CheckOutcome(True, 0, 0),
        author=config.author,
        envs=list(envs) or None,
        apps=list(apps) or None,
        forced=force,
        forge=config.forge,
        token=token,
        dry_run=dry_run,
        retries=retries,
        allow_rollback=allow_rollback,
        history=history_of(root, source.commit) if source.commit != "unknown" else None,
    )
    preflight(request)
    checks = request.checks = run_checks(rendered, list(apps) or None)
    if not checks.passed and not force:
        click.echo(f"checks {checks.summary}", err=True)
        if checks.detail:
            click.echo(checks.detail, err=True)
        click.echo("error: refusing to publish while `gitopsgen check` fails; fix the findings or pass --force", err=True)
        sys.exit(1)
    delivery = load_delivery(project)
    if any(delivery.mode(env) == "hydrated" for env in project.environments):
        from generator.publish.hydrated import publish_hydrated

        result = publish_hydrated(request, delivery, root)
    else:
        result = run_publish(request, preflighted=True)
    if output_format != "text":
        click.echo(publish_document(result, request.branch, dry_run, output_format), nl=False)
        return
    _report(result, request.branch, dry_run, forced=force and not checks.passed)


def publish_document(result: Any, target: str, dry_run: bool, output_format: str) -> str:
    """What publish did (or would do) as JSON or Markdown."""
    import json

    steps = [
        {
            "branch": step.branch,
            "environments": step.envs,
            "commit": step.commit,
            "message": step.message,
            "pullRequest": (
                {"number": step.pull_request.number, "url": step.pull_request.url, "created": step.pull_request.created} if step.pull_request else None
            ),
            "pullRequestTitle": step.pr_title or None,
        }
        for step in result.steps
    ]
    if output_format == "json":
        return json.dumps({"dryRun": dry_run, "target": target, "notes": result.notes, "steps": steps}, indent=2) + "\n"
    lines = ["## gitopsgen publish" + (" (dry run)" if dry_run else ""), ""]
    lines += [f"> {note}" for note in result.notes] + ([""] if result.notes else [])
    if not result.steps:
        lines += ["Nothing to publish: the GitOps repository is up to date.", ""]
    for step in result.steps:
        done = "would commit" if dry_run else (f"committed `{step.commit[:12]}`" if step.commit else "no new commit")
        lines += [f"### `{step.branch}` ({', '.join(step.envs)}): {done}", "", "```", step.message.rstrip(), "```", ""]
        if step.pull_request:
            lines += [f"Pull request [#{step.pull_request.number}]({step.pull_request.url}): {step.pr_title}", ""]
        elif step.pr_title:
            lines += [f"Pull request {step.branch} → {target}: {step.pr_title}", ""]
    return "\n".join(lines)


def _print_render_changes(root: Path, edit: Any, app: str, env: str | None) -> None:
    """The files of rendered/ a render after ``edit`` would change; the edit goes to a scratch copy of the inputs only."""
    import shutil
    import tempfile

    from generator.load import CONFIG_FILE, INPUT_FOLDERS, load_project
    from generator.render import writer
    from generator.render.project import render_project

    with tempfile.TemporaryDirectory(prefix="gitopsgen-dry-run-") as scratch:
        for name in INPUT_FOLDERS:
            if (root / name).is_dir():
                shutil.copytree(root / name, Path(scratch) / name)
        if (root / CONFIG_FILE).is_file():
            shutil.copy(root / CONFIG_FILE, Path(scratch) / CONFIG_FILE)
        (Path(scratch) / edit.path.relative_to(root)).write_text(edit.after, encoding="utf-8")
        project = load_project(Path(scratch))
        rendering = render_project(project, [env] if env else None, [app])
    drift = writer.compare(root / writer.OUTPUT, rendering.files, writer.owned_paths(set(project.blueprints), (env,) if env else (), (app,)))
    for line in drift.lines():
        click.echo(f"would render {line}")


def require_repo_url(gitops: Any) -> None:
    """Publishing needs gitops.repoURL: without it the Argo CD Applications point at a placeholder."""
    if gitops.source is None:
        raise InputError(
            "no gitopsgen.yaml: publishing needs gitops.repoURL, the repository Argo CD reads (and gitops.forge "
            "for pull requests); write it (`gitopsgen init --repo URL` in a new folder shows one), then `gitopsgen render`"
        )
    if "repoURL" in gitops.defaulted:
        raise InputError(
            "gitops.repoURL is not set, so the Argo CD Applications in rendered/ point at a placeholder; "
            "set it to the repository Argo CD reads and run `gitopsgen render`",
            gitops.path,
            gitops.line_of(()),
        )


def _report(result: Any, target: str, dry_run: bool, forced: bool) -> None:
    if forced:
        click.echo("warning: publishing with --force although the checks failed", err=True)
    for note in result.notes:
        click.echo(f"note: {note}")
    if not result.steps:
        click.echo("nothing to publish: the GitOps repository is up to date")
        return
    for step in result.steps:
        envs = ", ".join(step.envs)
        if dry_run:
            click.echo(f"would commit to {step.branch} ({envs}):")
            click.echo("  " + step.message.rstrip().replace("\n", "\n  "))
            if step.pr_title:
                click.echo(f"would open or update a pull request {step.branch} -> {target}: {step.pr_title}")
                click.echo("  " + step.pr_body.rstrip().replace("\n", "\n  "))
            continue
        done = f"committed {step.commit[:12]}" if step.commit else "no new commit"
        click.echo(f"{step.branch} ({envs}): {done}")
        if step.pull_request:
            verb = "opened" if step.pull_request.created else "updated"
            click.echo(f"  pull request #{step.pull_request.number} {verb}: {step.pull_request.url}")


@click.command()
@click.option("--repo", metavar="URL|PATH", help="GitOps repository to compare with (default: gitops.repoURL).")
@click.option("--branch", metavar="BRANCH", help="Branch of the GitOps repository (default: gitops.branch).")
@click.option("--against-ref", metavar="REF", help="Compare with rendered/ at this git ref of the project instead.")
@click.option("--env", "envs", multiple=True, metavar="ENV", help="Only this environment (repeatable).")
@click.option("--only", "--app", "apps", multiple=True, metavar="APP", help="Only this app (repeatable).")
@click.option(
    "--output",
    "-o",
    "output_format",
    type=click.Choice(DIFF_FORMATS),
    default="text",
    show_default=True,
    help="text, json, or markdown (a pull-request comment or $GITHUB_STEP_SUMMARY).",
)
@color_option
@PROJECT_DIR
@_one_line_errors
def diff(
    repo: str | None,
    branch: str | None,
    against_ref: str | None,
    envs: tuple[str, ...],
    apps: tuple[str, ...],
    output_format: str,
    color: str,
    project_dir: Path,
) -> None:
    """Semantic diff of the current render against the GitOps repo or a git ref: object by object, field by field.

    \b
    Formatting, comments and key order are ignored. Exit 0 no change, 1 changes, 2 bad input.

    \b
    Examples:
      gitopsgen diff                          # against gitops.repoURL
      gitopsgen diff --against-ref HEAD~1     # what the last commit changed in rendered/
      gitopsgen diff --env prod --only ai-prism-api
      gitopsgen diff --against-ref origin/main -o markdown >> "$GITHUB_STEP_SUMMARY"
    """
    from generator.load import load_project
    from generator.publish.deployed import deployed_from_rendering, deployed_from_tree
    from generator.publish.semdiff import diff_deployed
    from generator.render.project import render_project

    _no_credentials(repo)
    project = load_project(project_dir)
    _known(envs, set(project.environments), "environment")
    _known(apps, set(project.blueprints), "app")
    new = deployed_from_rendering(render_project(project))
    groups = [
        g
        for g in diff_deployed(deployed_from_tree(old_tree(project, repo, branch, against_ref)), new)
        if (not envs or g.env in envs) and (not apps or g.app in apps)
    ]
    _print_diff(groups, output_format, color)
    sys.exit(1 if groups else 0)


def old_tree(project: Any, repo: str | None, branch: str | None, against_ref: str | None) -> dict[str, str]:
    """The rendered tree to compare with: rendered/ at ``against_ref``, else what the GitOps repository holds."""
    from generator.publish.config import publish_config
    from generator.publish.sources import tree_at_ref, tree_in_gitops_repo

    if against_ref:
        return tree_at_ref(project.root, against_ref)
    config = publish_config(project.gitops_config)
    url = repo or config.repo_url
    if not url:
        raise InputError("nothing to compare with: pass --repo, --against-ref or set gitops.repoURL")
    token = os.environ.get(config.forge.token_env) if config.forge else None
    auth = None
    if token and config.forge and url.startswith(("http://", "https://")):
        from generator.publish.git import basic_auth_header

        auth = basic_auth_header(config.forge.type, token)
    secrets = tuple(s for s in (token,) if s)
    tree = tree_in_gitops_repo(url, branch or config.branch, config.layout, secrets, auth)
    tree.update(_environment_branches(project, url, config.layout, secrets, auth))
    return tree


def _environment_branches(project: Any, url: str, layout: Any, secrets: tuple[str, ...], auth: str | None) -> dict[str, str]:
    """Hydrated folders published to environment branches (gitops.hydrated.to: branch), as a rendered tree."""
    from generator.delivery import load_delivery
    from generator.publish.sources import tree_in_gitops_repo
    from generator.render.hydrate import hydrated_env

    delivery = load_delivery(project)
    tree: dict[str, str] = {}
    if delivery.hydrate_to != "branch":
        return tree
    for env in project.environments:
        if delivery.mode(env) == "hydrated":
            published = tree_in_gitops_repo(url, delivery.env_branch(env), layout, secrets, auth)
            tree.update({path: text for path, text in published.items() if hydrated_env(path) == env})
    return tree


def _no_credentials(repo: str | None) -> None:
    """A token in --repo would sit in git's argv (visible in ps) and in error messages: refuse it, naming no part of it."""
    from generator.load import url_has_credentials

    if repo and url_has_credentials(repo):
        raise InputError(
            "--repo must not hold credentials (user:token@); set gitops.forge.tokenEnv to the NAME of the "
            "variable holding the token, or use git's credential helper"
        )


def _known(given: tuple[str, ...], known: set[str], what: str) -> None:
    for name in given:
        if name not in known:
            raise InputError(f"unknown {what} {name!r}{suggest(name, known)}; known: {', '.join(sorted(known)) or 'none'}")


def _print_diff(groups: list[Any], output_format: str = "text", color: str = "auto") -> None:
    from generator.publish.semdiff import text_lines
    from generator.terminal import console, use_color

    if output_format != "text":
        click.echo(diff_document(groups, output_format), nl=False)
        return
    if not groups:
        click.echo("no changes")
        return
    lines = text_lines(groups)
    if use_color(sys.stdout, color):
        from rich.text import Text

        styles = {"heading": "bold", "note": "dim", "added": "green", "removed": "red", "changed": "yellow", "field": ""}
        out = console(sys.stdout)
        for style, line in lines:
            out.print(Text(line, style=styles[style]))
    else:
        for _, line in lines:
            click.echo(line, color=False)


def diff_document(groups: list[Any], output_format: str) -> str:
    """The semantic diff as JSON (for scripts) or Markdown (for a pull-request comment)."""
    import json
    from dataclasses import asdict

    from generator.publish.message import changes_markdown

    if output_format == "json":
        return json.dumps({"changes": [{**asdict(group), "label": group.label} for group in groups]}, indent=2, default=str) + "\n"
    if not groups:
        return "## gitopsgen diff\n\nNo change to what any environment deploys.\n"
    return "\n".join(["## gitopsgen diff", "", *changes_markdown(groups)])


@click.command(name="set-image")
@click.argument("app")
@click.argument("value", metavar="TAG|DIGEST")
@click.option("--env", metavar="ENV", help="Set it in overlays/<ENV>.yaml instead of the blueprint.")
@click.option("--no-render", is_flag=True, help="Only edit the YAML; do not re-render.")
@click.option("--dry-run", is_flag=True, help="Print the change and the files a render would change; write nothing.")
@PROJECT_DIR
@_one_line_errors
@click.pass_context
def set_image(ctx: click.Context, app: str, value: str, env: str | None, no_render: bool, dry_run: bool, project_dir: Path) -> None:
    """Set APP's image tag (or digest, for a value starting with sha256:) and re-render.

    \b
    Comments, key order and formatting of the edited file are kept. CI's image-bump step.

    \b
    Examples:
      gitopsgen set-image ai-prism-api v2.1.1 --env staging
      gitopsgen set-image ai-prism-api sha256:4f2b...e9 --env prod
      gitopsgen set-image ai-prism-api v2.1.2 --env staging --dry-run
    """
    from generator.publish.set_image import plan_image_edit, write_edit

    root = project_dir.resolve()
    edit = plan_image_edit(root, app, value, env)
    shown = edit.path.relative_to(root)
    if not edit.changed:
        click.echo(f"{shown}: {edit.field} is already {value}")
    elif dry_run:
        click.echo(f"{shown}: would set {edit.describe()}")
        _print_render_changes(root, edit, app, env)
        return
    else:
        write_edit(edit)
        click.echo(f"{shown}: {edit.describe()}")
    if no_render:
        return
    from generator.render.command import render

    try:
        ctx.invoke(render, check=False, envs=(env,) if env else (), only=(app,), project_dir=root)
    except SystemExit as exc:
        if exc.code and edit.changed:
            edit.path.write_text(edit.before, encoding="utf-8")
            click.echo(f"{shown}: restored, because rendering failed", err=True)
        raise
