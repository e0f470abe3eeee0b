"""``publish``: bring the GitOps repository in line with a rendered tree, per environment.

Environments that publish ``direct`` share one commit on the target branch. Each environment that
publishes by ``pull-request`` gets a branch ``gitopsgen/<env>/<short source sha>`` and a pull
request. Files every environment shares (an app's base) go direct only when every environment
publishes directly; otherwise they travel with each pull request, so a review guards them.
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
from generator.publish.plan import OWNERSHIP_DIR, ChangeSet, apply_changes, parse_ownership, plan_changes
from generator.publish.semdiff import GroupDiff, diff_trees


class PublishError(Exception):
    """Publishing started but could not finish (push kept failing, forge refused); one line, redacted."""


@dataclass
class PublishRequest:
    tree: dict[str, str]  # rendered/-relative path -> text
    repo_url: str
    branch: str
    layout: Layout
    modes: dict[str, Mode]  # every environment of the project -> its publish mode
    source: Source
    checks: CheckOutcome
    author: Author = field(default_factory=Author)
    envs: list[str] | None = None  # only these environments (default: all)
    forced: bool = False
    forge: Forge | None = None
    token: str | None = None
    dry_run: bool = False
    retries: int = 5
    before_push: Callable[[str], None] | None = None  # called with the branch name right before each push


@dataclass
class Published:
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
    if any(request.modes[env] == "pull-request" for env in selected) and not request.dry_run:
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
    pr_envs = [env for env in selected if request.modes[env] == "pull-request"]
    desired = {path: (p, request.tree[p.rendered].encode()) for path, p in placed.items()}
    every_env_direct = all(mode == "direct" for mode in request.modes.values())
    direct_scopes = {env for env in selected if request.modes[env] == "direct"}
    if every_env_direct:
        direct_scopes.add(SHARED)

    result = PublishResult()
    with tempfile.TemporaryDirectory(prefix="gitopsgen-publish-") as workdir:
        scratch = git.open_scratch(request.repo_url, Path(workdir), _secrets(request), _auth(request))
        try:
            tip = git.fetch(scratch, request.branch)
        except git.GitError as exc:
            raise InputError(str(exc)) from None
        # refuse foreign files for every environment before pushing anything for any of them
        _has_changes(request, scratch, desired, set(selected) | {SHARED}, tip)
        if direct_scopes:
            step = _publish_scopes(request, scratch, desired, direct_scopes, request.branch, tip)
            if step:
                result.steps.append(step)
                tip = git.fetch(scratch, request.branch) if not request.dry_run else tip
        if not every_env_direct and not pr_envs and _has_changes(request, scratch, desired, {SHARED}, tip):
            result.notes.append("changes shared by every environment (an app's base) wait for the pull-request "
                                "environments: " + ", ".join(e for e, m in sorted(request.modes.items()) if m != "direct"))
        for env in pr_envs:
            step = _publish_pull_request(request, scratch, desired, env, tip)
            if step:
                result.steps.append(step)
    return result


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
            raise InputError(f"unknown environment {env!r}; known: {', '.join(sorted(request.modes))}")
    return sorted(set(envs))


def _require_forge(request: PublishRequest) -> None:
    if request.forge is None:
        raise InputError("pull-request environments need gitops.forge (type, url, project, tokenEnv) in gitopsgen.yaml",
                         "gitopsgen.yaml")
    if not request.token:
        raise InputError(f"environment variable {request.forge.token_env} is not set; it must hold the "
                         f"{request.forge.type} token used to open pull requests")


def _remote_state(scratch: git.Scratch, commit: str | None) -> tuple[dict[str, str], dict[str, set[str]]]:
    files = git.list_files(scratch, commit)
    ownership_files = {path: sha for path, sha in files.items() if path.startswith(OWNERSHIP_DIR + "/")}
    blobs = git.read_blobs(scratch, list(ownership_files.values()))
    return files, parse_ownership({path: blobs[sha] for path, sha in ownership_files.items()})


def _has_changes(request: PublishRequest, scratch: git.Scratch, desired: dict[str, tuple[Placed, bytes]],
                 scopes: set[str], tip: str | None) -> bool:
    files, owned = _remote_state(scratch, tip)
    return bool(plan_changes(desired, files, owned, scopes, request.layout))


def _publish_scopes(request: PublishRequest, scratch: git.Scratch, desired: dict[str, tuple[Placed, bytes]],
                    scopes: set[str], branch: str, tip: str | None) -> Published | None:
    files, owned = _remote_state(scratch, tip)
    changes = plan_changes(desired, files, owned, scopes, request.layout)
    if not changes:
        return None
    groups = _semantic_groups(scratch, changes, files, desired, request.layout)
    envs = sorted(scope for scope in scopes if scope != SHARED)
    message = commit_message(request.source, envs, groups, request.checks, request.forced, sorted(changes.touched))
    commit = None
    if not request.dry_run:
        commit = _commit_and_push(request, scratch, branch, tip, changes, files, owned, message)
    return Published(branch, envs, commit, message, groups)


def _publish_pull_request(request: PublishRequest, scratch: git.Scratch, desired: dict[str, tuple[Placed, bytes]],
                          env: str, target_tip: str | None) -> Published | None:
    scopes = {env, SHARED}
    files, owned = _remote_state(scratch, target_tip)
    against_target = plan_changes(desired, files, owned, scopes, request.layout)
    if not against_target:
        return None
    groups = _semantic_groups(scratch, against_target, files, desired, request.layout)
    branch = f"gitopsgen/{env}/{_branch_suffix(request)}"
    message = commit_message(request.source, [env], groups, request.checks, request.forced,
                             sorted(against_target.touched))
    title = pr_title(request.source, env, groups)
    body = pr_body(request.source, env, groups, request.checks, request.forced)
    step = Published(branch, [env], None, message, groups, pr_title=title, pr_body=body)
    if request.dry_run:
        return step
    branch_tip = git.fetch(scratch, branch)
    if branch_tip is not None:
        files, owned = _remote_state(scratch, branch_tip)
    changes = plan_changes(desired, files, owned, scopes, request.layout)
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


def _commit_and_push(request: PublishRequest, scratch: git.Scratch, branch: str, parent: str | None,
                     changes: ChangeSet, files: dict[str, str], owned: dict[str, set[str]], message: str) -> str | None:
    author = (request.author.name, request.author.email)
    for attempt in range(request.retries + 1):
        writes, deletes = apply_changes(changes, files, owned)
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
        files, owned = _remote_state(scratch, parent)
    raise PublishError(f"gave up after {request.retries + 1} attempts: {branch} in the GitOps repository kept "
                       "moving while publishing; nothing was overwritten, re-run publish")


def _semantic_groups(scratch: git.Scratch, changes: ChangeSet, files: dict[str, str],
                     desired: dict[str, tuple[Placed, bytes]], layout: Layout) -> list[GroupDiff]:
    touched = sorted(path for path in changes.touched if to_rendered(path, layout) is not None)
    old_blobs = git.read_blobs(scratch, [files[path] for path in touched if path in files])
    old = {to_rendered(path, layout): old_blobs[files[path]].decode("utf-8", "replace")
           for path in touched if path in files}
    new = {desired[path][0].rendered: desired[path][1].decode() for path in touched if path in changes.writes}
    return diff_trees(old, new)
