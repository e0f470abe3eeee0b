"""Publishing hydrated output: one commit per environment, Source Hydrator metadata, reference trailers.

With hydrated delivery every environment is its own commit (or pull request), so a change to
prod never rides along with dev's, and each commit says where its manifests come from the way
Argo CD's Source Hydrator does:

- next to each ``manifest.yaml``, ``hydrator.metadata`` (JSON: repoURL, drySha, commands) and a
  short ``README.md`` naming the dry source commit and the command that rebuilds the folder;
- ``Argocd-reference-commit-*`` trailers on the commit (author, sha, subject, body, repourl,
  date of the source commit), which Argo CD shows for the hydrated revision.

``gitops.hydrated.to: branch`` publishes each environment's hydrated folders to its own branch
(``<branchPrefix><env>``, same paths; created on first publish); the Argo CD files and apps that
are not hydrated stay on ``gitops.branch``. Ownership, retries, pull requests and idempotence
are :mod:`generator.publish.publisher`'s: this module only decides what goes where. A
folder whose manifests did not change keeps its metadata as published, so publishing
the same render from a later source commit changes nothing, and a folder keeps naming the source
commit that last changed its manifests.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from generator.delivery import Delivery
from generator.publish import git
from generator.publish.publisher import PublishRequest, PublishResult, preflight, publish
from generator.publish.redact import redact
from generator.publish.sources import tree_in_gitops_repo
from generator.render import hydrate

TRAILER_PREFIX = "Argocd-reference-commit-"
REVIEW_PREFIX = "gitopsgen-hydrated"  # pull requests into an environment branch: gitopsgen-hydrated/<env>/<sha>


def reference_trailers(root: Path, repo_name: str) -> list[str]:
    """The source commit as Argo CD's reference trailers (none outside git)."""
    fields = {"author": "%an <%ae>", "sha": "%H", "subject": "%s", "body": "%b", "date": "%aI"}
    values = {}
    for name, pattern in fields.items():
        result = subprocess.run(["git", "-C", str(root), "log", "-1", f"--format={pattern}"], capture_output=True, text=True)
        if result.returncode != 0:
            return []
        values[name] = result.stdout.rstrip("\n")
    values["body"] = json.dumps(values["body"].strip())  # the trailer holds the body as one JSON string
    values["repourl"] = repo_name
    order = ("author", "sha", "subject", "body", "repourl", "date")
    return [f"{TRAILER_PREFIX}{name}: {' '.join(values[name].split()) if name != 'body' else values[name]}" for name in order]


def hydrated_dirs(tree: dict[str, str]) -> dict[str, list[str]]:
    """env -> the ``<app>/hydrated/<env>`` folders of a rendered tree."""
    found: dict[str, list[str]] = {}
    for path in sorted(tree):
        if hydrate.is_hydrated_path(path) and path.endswith("/" + hydrate.MANIFEST):
            found.setdefault(hydrate.hydrated_env(path) or "", []).append(path.rsplit("/", 1)[0])
    return found


def with_metadata(tree: dict[str, str], repo_url: str, dry_sha: str, published: dict[str, str]) -> dict[str, str]:
    """``tree`` plus hydrator.metadata and README.md per hydrated folder.

    A folder whose ``manifest.yaml`` equals the published one (``published``: the GitOps
    repository's files, rendered/-relative) keeps the metadata it has there: nothing new was
    hydrated into it, so it still names the source commit that last changed it.
    """
    result = dict(tree)
    for env, folders in hydrated_dirs(tree).items():
        for folder in folders:
            manifest = f"{folder}/{hydrate.MANIFEST}"
            unchanged = published.get(manifest) == tree[manifest]
            commands = hydrate.render_commands(folder.split("/", 1)[0], env)
            for name, fresh in (
                (hydrate.METADATA, hydrate.metadata_text(repo_url, dry_sha, commands)),
                (hydrate.README, hydrate.readme_text(repo_url, dry_sha, commands, folder)),
            ):
                path = f"{folder}/{name}"
                result[path] = published[path] if unchanged and path in published else fresh
    return result


def publish_hydrated(request: PublishRequest, delivery: Delivery, root: Path) -> PublishResult:
    """Publish ``request`` environment by environment (see the module doc)."""
    envs = request.envs or sorted(request.modes)
    trailers = reference_trailers(root, request.source.name) if request.source.commit != "unknown" else []
    secrets = (request.token,) if request.token else ()
    auth = _auth(request)
    combined = PublishResult()
    if delivery.hydrate_to == "folder":
        published = tree_in_gitops_repo(request.repo_url, request.branch, request.layout, secrets, auth)
        tree = with_metadata(request.tree, request.source.name, request.source.commit, published)
        for env in _in_order(envs, request):
            _merge(combined, publish(replace(request, tree=tree, envs=[env], trailers=trailers)))
        return combined
    main_tree = {path: text for path, text in request.tree.items() if not hydrate.is_hydrated_path(path)}
    _merge(combined, publish(replace(request, tree=main_tree, trailers=trailers)))
    for env in _in_order(envs, request):
        env_tree = {path: text for path, text in request.tree.items() if hydrate.hydrated_env(path) == env}
        if not env_tree:
            continue
        branch = delivery.env_branch(env)
        published = tree_in_gitops_repo(request.repo_url, branch, request.layout, secrets, auth)
        env_request = replace(
            request,
            tree=with_metadata(env_tree, request.source.name, request.source.commit, published),
            branch=branch,
            envs=[env],
            modes={env: request.modes[env]},
            trailers=trailers,
            review_prefix=REVIEW_PREFIX,
        )
        preflight(env_request)
        if request.modes[env] == "pull-request" and not request.dry_run:
            _create_branch_if_missing(env_request)
        _merge(combined, publish(env_request, preflighted=True))
    return combined


def _in_order(envs: list[str], request: PublishRequest) -> list[str]:
    """The selected environments in promotion order (``modes`` follows overlays' ``order``)."""
    return [env for env in request.modes if env in envs]


def _merge(into: PublishResult, result: PublishResult) -> None:
    into.steps += result.steps
    into.notes += [note for note in result.notes if note not in into.notes]


def _auth(request: PublishRequest) -> str | None:
    if request.token and request.forge and request.repo_url.startswith(("http://", "https://")):
        return git.basic_auth_header(request.forge.type, request.token)
    return None


def _create_branch_if_missing(request: PublishRequest) -> None:
    """A pull request needs a base: a new environment branch starts as one empty commit."""
    with tempfile.TemporaryDirectory(prefix="gitopsgen-branch-") as workdir:
        secrets = (request.token,) if request.token else ()
        scratch = git.open_scratch(request.repo_url, Path(workdir), secrets, _auth(request))
        if git.remote_tip(scratch, request.branch) is not None:
            return
        message = f"gitopsgen: create {request.branch} for hydrated manifests\n"
        commit = git.commit_changes(scratch, None, {}, [], message, (request.author.name, request.author.email))
        outcome = git.push(scratch, commit, request.branch)
        if not outcome.ok and not outcome.moved:
            raise git.GitError(redact(f"could not create {request.branch}: {outcome.message}", secrets))
