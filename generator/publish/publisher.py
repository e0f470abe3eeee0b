"""``publish``: bring the GitOps repository in line with a rendered tree, per environment.

Environments that publish ``direct`` share one commit on the target branch. Each environment that
publishes by ``pull-request`` gets a branch ``gitopsgen/<env>/<short source sha>`` and a pull
request. Which files go where (an app's base in particular) is decided in :mod:`routing`.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import InputError
from generator.publish import git
from generator.publish.config import Author, Forge, Layout, Mode
from generator.publish.forges import ForgeError, PullRequest, open_or_update
from generator.publish.gate import CheckOutcome
from generator.publish.layout import SHARED, Placed, place_tree, to_rendered
from generator.publish.message import Source, commit_message, pr_body, pr_title
from generator.publish.plan import (
    OWNERSHIP_DIR,
    SOURCES_DIR,
    ChangeSet,
    Covers,
    Selected,
    apply_changes,
    every_path,
    left_out,
    only_apps,
    parse_ownership,
    parse_sources,
    plan_changes,
    scopes,
    units_of,
    without,
)
from generator.publish.routing import Routes, route
from generator.publish.semdiff import GroupDiff, diff_trees
from generator.render.writer import GENERATED_MARK
from generator.schema import suggest


class PublishError(Exception):
    """Publishing started but could not finish (push kept failing, forge refused); one line, redacted."""


@dataclass
class PublishRequest:
    """What ``publish`` was asked to do: the rendered tree, the repository and branch, each environment's mode, and the options."""

    tree: dict[str, str]  # rendered/-relative path -> text
    repo_url: str
    branch: str
    layout: Layout
    modes: dict[str, Mode]  # every environment of the project -> its publish mode
    source: Source
    checks: CheckOutcome
    author: Author = field(default_factory=Author)
    envs: list[str] | None = None  # only these environments (default: all)
    apps: list[str] | None = None  # only these apps' own files (default: every file of the render)
    forced: bool = False
    forge: Forge | None = None
    token: str | None = None
    dry_run: bool = False
    retries: int = 5
    before_push: Callable[[str], None] | None = None  # called with the branch name right before each push
    trailers: list[str] = field(default_factory=list)  # git trailers ending every commit message (hydrated delivery)
    review_prefix: str = "gitopsgen"  # pull-request branches are <review_prefix>/<env>/<short source sha>
    allow_rollback: bool = False  # replace what a newer (or unknown) source commit published
    # recorded source commit -> "same", "older" (ours contains it), "newer" (it contains ours), "diverged", "unknown"
    history: Callable[[str], str] | None = None
    held: list[str] = field(default_factory=list)  # notes on units left as a newer publish made them

    @property
    def selected(self) -> Selected:
        """The repository paths this publish may write or delete (``--only``: the apps' own files)."""
        return only_apps(self.apps, self.layout) if self.apps else every_path

    def plan(self, desired: dict[str, tuple[Placed, bytes]], files: dict[str, str], owned: dict[str, set[str]], covers: Covers) -> ChangeSet:
        return plan_changes(desired, files, owned, covers, self.layout, self.selected)


@dataclass
class Published:
    """One commit publish made (or would make): direct on the target branch, or on an environment's pull-request branch."""

    branch: str
    envs: list[str]
    commit: str | None  # None: nothing new to commit (or a dry run)
    message: str
    groups: list[GroupDiff]
    pull_request: PullRequest | None = None
    pr_title: str = ""
    pr_body: str = ""


@dataclass
class PublishResult:
    """Everything one publish did: its commits and pull requests in order, and notes for the user."""

    steps: list[Published] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(step.commit or (step.pull_request and step.pull_request.created) for step in self.steps)


def preflight(request: PublishRequest) -> None:
    """Every check that needs no commit: environments, forge settings, token, a reachable repository.

    Runs before anything is computed or written, so bad input fails fast with one line.
    """
    selected = _selected_envs(request)
    placed = place_tree(request.tree, request.layout)
    unknown = sorted({p.scope for p in placed.values() if p.scope != SHARED} - set(request.modes))
    if unknown:
        raise InputError(f"rendered output has environment {unknown[0]!r} but there is no overlays/{unknown[0]}.yaml")
    if any(request.modes[env] == "pull-request" for env in selected):  # a dry run checks what the real run checks
        _require_forge(request)
    with tempfile.TemporaryDirectory(prefix="gitopsgen-preflight-") as workdir:
        scratch = git.open_scratch(request.repo_url, Path(workdir), _secrets(request), _auth(request))
        try:
            git.remote_tip(scratch, request.branch)
        except git.GitError as exc:
            raise InputError(str(exc)) from None


def publish(request: PublishRequest, *, preflighted: bool = False) -> PublishResult:
    """Publish ``request``; ``preflighted``: the caller already ran :func:`preflight` on it."""
    if not preflighted:
        preflight(request)
    selected = _selected_envs(request)
    placed = place_tree(request.tree, request.layout)
    desired = {path: (p, request.tree[p.rendered].encode()) for path, p in placed.items()}
    result = PublishResult()
    with tempfile.TemporaryDirectory(prefix="gitopsgen-publish-") as workdir:
        scratch = git.open_scratch(request.repo_url, Path(workdir), _secrets(request), _auth(request))
        try:
            tip = git.fetch(scratch, request.branch)
        except git.GitError as exc:
            raise InputError(str(exc)) from None
        files, owned = _remote_state(scratch, tip, request.selected)
        # refuse foreign files for every environment before pushing anything for any of them
        request.plan(desired, files, owned, scopes(*selected, SHARED))
        shared_changes = request.plan(desired, files, owned, scopes(SHARED))
        if request.apps:
            result.notes += _left_out_note(request, left_out(desired, files, owned, scopes(*selected, SHARED), request.layout, request.selected))
        routes = route(request.modes, selected, shared_changes, files, owned, request.layout)
        if routes.direct_envs or routes.new_bases or routes.all_direct:
            step = _publish_scopes(request, scratch, desired, routes, tip)
            if step:
                result.steps.append(step)
                tip = git.fetch(scratch, request.branch) if not request.dry_run else tip
        if routes.waiting and not routes.pr_envs:
            result.notes.append(
                routes.held_note("wait for the pull-request environments: " + ", ".join(e for e, m in sorted(request.modes.items()) if m != "direct"))
            )
        for env in routes.pr_envs:
            step = _publish_pull_request(request, scratch, desired, env, tip, routes)
            if step:
                result.steps.append(step)
    result.notes += request.held
    return result


def _left_out_note(request: PublishRequest, paths: list[str]) -> list[str]:
    """What ``--only`` left as it is although the render differs (other apps, the environments' shared Argo CD files)."""
    if not paths:
        return []
    shown = ", ".join(paths[:5]) + (f" and {len(paths) - 5} more" if len(paths) > 5 else "")
    return [
        f"--only {', '.join(sorted(request.apps or []))}: left {len(paths)} other file(s) that differ from the render "
        f"as they are ({shown}); publish without --only to bring them too"
    ]


def with_trailers(message: str, trailers: list[str]) -> str:
    """``message`` ending with a paragraph of git trailers (``Key: value`` lines), if any."""
    return message + ("\n" + "\n".join(trailers) + "\n" if trailers else "")


def _secrets(request: PublishRequest) -> tuple[str, ...]:
    return (request.token,) if request.token else ()


def _auth(request: PublishRequest) -> str | None:
    if request.token and request.forge and request.repo_url.startswith(("http://", "https://")):
        return git.basic_auth_header(request.forge.type, request.token)
    return None


def _selected_envs(request: PublishRequest) -> list[str]:
    if not request.modes:
        raise InputError("no environments: add overlays/<env>.yaml files")
    envs = request.envs or sorted(request.modes)
    for env in envs:
        if env not in request.modes:
            raise InputError(f"unknown environment {env!r}{suggest(env, request.modes)}; known: {', '.join(sorted(request.modes))}")
    return sorted(set(envs))


def _require_forge(request: PublishRequest) -> None:
    if request.forge is None:
        raise InputError("pull-request environments need gitops.forge (type, url, project, tokenEnv) in gitopsgen.yaml", "gitopsgen.yaml")
    if not request.token:
        raise InputError(f"environment variable {request.forge.token_env} is not set; it must hold the {request.forge.type} token used to open pull requests")


def _remote_state(scratch: git.Scratch, commit: str | None, selected: Selected = every_path) -> tuple[dict[str, str], dict[str, set[str]]]:
    """The tip's files and what gitopsgen provably owns there.

    An ownership file only claims; a path counts as owned when it is missing (nothing to lose) or
    its content starts with the generated header. A hand-edited or merged ownership file listing
    another team's file therefore cannot make publish overwrite or delete it. Claims on paths
    ``selected`` leaves out are kept as they are: a publish never writes or deletes those paths,
    so their ownership entries stay exactly as the GitOps repository has them.
    """
    files = git.list_files(scratch, commit)
    ownership_files = {path: sha for path, sha in files.items() if path.startswith(OWNERSHIP_DIR + "/")}
    blobs = git.read_blobs(scratch, list(ownership_files.values()))
    claimed = parse_ownership({path: blobs[sha] for path, sha in ownership_files.items()})
    present = sorted({path for paths in claimed.values() for path in paths if path in files and selected(path)})
    contents = git.read_blobs(scratch, sorted({files[path] for path in present}))
    header = GENERATED_MARK.encode()
    generated = {path for path in present if contents[files[path]].startswith(header)}
    # a hydrated folder's README.md and hydrator.metadata have no header: theirs is the manifest.yaml beside them
    beside = {path for path in present if path.rsplit("/", 1)[-1] in HYDRATED_COMPANIONS and f"{path.rsplit('/', 1)[0]}/manifest.yaml" in generated}
    foreign = set(present) - generated - beside
    return files, {scope: paths - foreign for scope, paths in claimed.items()}


HYDRATED_COMPANIONS = ("README.md", "hydrator.metadata")


def _records(scratch: git.Scratch, files: dict[str, str]) -> dict[str, dict[str, str]]:
    record_files = {path: sha for path, sha in files.items() if path.startswith(SOURCES_DIR + "/")}
    blobs = git.read_blobs(scratch, list(record_files.values()))
    return parse_sources({path: blobs[sha] for path, sha in record_files.items()})


def _hold_newer(request: PublishRequest, changes: ChangeSet, records: dict[str, dict[str, str]]) -> ChangeSet:
    """``changes`` without the units a newer or unknown source commit published (merged per app, never rolled back).

    Raises InputError when this checkout is older than what the GitOps repository holds (a
    rollback), unless --allow-rollback; units published from a commit this checkout does not
    contain (a concurrent publisher's) are left as they are, with a note.
    """
    if request.history is None or request.allow_rollback:
        return changes
    held: set[str] = set()
    for (scope, unit), paths in sorted(units_of(changes, request.layout).items()):
        recorded = records.get(scope, {}).get(unit)
        if recorded is None:
            continue
        relation = request.history(recorded)
        if relation in ("same", "older"):
            continue
        if relation == "newer":
            raise InputError(
                f"refusing to roll back {unit} in {scope}: the GitOps repository holds what source commit "
                f"{recorded[:12]} produced, which is newer than this checkout ({request.source.short}); "
                "update the checkout, or pass --allow-rollback to go back on purpose"
            )
        held |= paths
        note = (
            f"left {unit} in {scope} as published from source commit {recorded[:12]}, which this checkout does not "
            "contain; pull and publish again to include it (or pass --allow-rollback to replace it)"
        )
        if note not in request.held:
            request.held.append(note)
    return without(changes, held) if held else changes


def _publish_scopes(
    request: PublishRequest, scratch: git.Scratch, desired: dict[str, tuple[Placed, bytes]], routes: Routes, tip: str | None
) -> Published | None:
    branch = request.branch
    files, owned = _remote_state(scratch, tip, request.selected)
    changes = _hold_newer(request, request.plan(desired, files, owned, routes.direct), _records(scratch, files))
    if not changes:
        return None
    groups = _semantic_groups(scratch, changes, files, request.layout)
    envs = routes.direct_envs or ["new app bases"]
    notes = [routes.held_note(f"held for review with {', '.join(routes.pr_envs)}")] if routes.held and routes.pr_envs else []
    message = with_trailers(commit_message(request.source, envs, groups, request.checks, request.forced, sorted(changes.touched), notes), request.trailers)
    commit = None
    if not request.dry_run:
        commit = _commit_and_push(request, scratch, branch, tip, changes, files, owned, message)
    return Published(branch, envs, commit, message, groups)


def _publish_pull_request(
    request: PublishRequest, scratch: git.Scratch, desired: dict[str, tuple[Placed, bytes]], env: str, target_tip: str | None, routes: Routes
) -> Published | None:
    covers = routes.pull_request(env)
    files, owned = _remote_state(scratch, target_tip, request.selected)
    target_records = _records(scratch, files)
    against_target = _hold_newer(request, request.plan(desired, files, owned, covers), target_records)
    if not against_target:
        return None
    groups = _semantic_groups(scratch, against_target, files, request.layout)
    branch = f"{request.review_prefix}/{env}/{_branch_suffix(request)}"
    notes = [routes.held_note("held for review with this pull request")] if routes.held else []
    message = with_trailers(
        commit_message(request.source, [env], groups, request.checks, request.forced, sorted(against_target.touched), notes), request.trailers
    )
    title = pr_title(request.source, env, groups)
    body = pr_body(request.source, env, groups, request.checks, request.forced, notes)
    step = Published(branch, [env], None, message, groups, pr_title=title, pr_body=body)
    if request.dry_run:
        return step
    branch_tip = git.fetch(scratch, branch)
    if branch_tip is not None:
        files, owned = _remote_state(scratch, branch_tip, request.selected)
    changes = _hold_newer(request, request.plan(desired, files, owned, covers), target_records)
    if changes:
        step.commit = _commit_and_push(request, scratch, branch, branch_tip or target_tip, changes, files, owned, message)
    assert request.forge is not None and request.token is not None
    try:
        step.pull_request = open_or_update(request.forge, request.token, branch, request.branch, title, body)
    except ForgeError as exc:
        raise PublishError(f"{exc} (branch {branch} is pushed; re-run publish to retry the pull request)") from None
    return step


def _branch_suffix(request: PublishRequest) -> str:
    """The short source commit; outside git, a digest of the rendered tree (same render, same branch)."""
    if request.source.commit != "unknown":
        return request.source.short
    digest = hashlib.sha1()
    for path in sorted(request.tree):
        digest.update(f"{path}\0{request.tree[path]}\0".encode())
    return "render-" + digest.hexdigest()[:7]


def _commit_and_push(
    request: PublishRequest,
    scratch: git.Scratch,
    branch: str,
    parent: str | None,
    changes: ChangeSet,
    files: dict[str, str],
    owned: dict[str, set[str]],
    message: str,
) -> str | None:
    author = (request.author.name, request.author.email)
    commit_of_source = request.source.commit if request.source.commit != "unknown" else None
    for attempt in range(request.retries + 1):
        records = _records(scratch, files)
        changes = _hold_newer(request, changes, records)  # a publisher that landed meanwhile keeps its units
        writes, deletes = apply_changes(changes, files, owned, records, commit_of_source, request.layout)
        if not writes and not deletes:
            return None  # someone else published the very same change meanwhile
        commit = git.commit_changes(scratch, parent, writes, deletes, message, author)
        if request.before_push:
            request.before_push(branch)
        outcome = git.push(scratch, commit, branch)
        if outcome.ok:
            return commit
        if not outcome.moved:
            raise PublishError(f"push to {branch} was refused: {outcome.message}")
        time.sleep(min(0.1 * 2**attempt, 2.0))
        parent = git.fetch(scratch, branch)
        files, owned = _remote_state(scratch, parent, request.selected)
    raise PublishError(
        f"gave up after {request.retries + 1} attempts: {branch} in the GitOps repository kept moving while publishing; nothing was overwritten, re-run publish"
    )


def _semantic_groups(scratch: git.Scratch, changes: ChangeSet, files: dict[str, str], layout: Layout) -> list[GroupDiff]:
    """What the change does to what Argo CD deploys: every affected app built before and after it."""

    def app_of(path: str) -> str | None:
        rendered = to_rendered(path, layout)
        return rendered.split("/", 1)[0] if rendered else None

    affected = {app_of(path) for path in changes.touched} - {None}
    before = [path for path in files if app_of(path) in affected]
    blobs = git.read_blobs(scratch, [files[path] for path in before])
    old = {rendered: blobs[files[path]].decode("utf-8", "replace") for path in before if (rendered := to_rendered(path, layout))}
    new = {path: text for path, text in old.items() if path not in {to_rendered(p, layout) for p in changes.deletes}}
    new.update({rendered: data.decode() for path, data in changes.writes.items() if app_of(path) and (rendered := to_rendered(path, layout))})
    return diff_trees(old, new)
