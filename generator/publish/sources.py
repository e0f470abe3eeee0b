"""Rendered trees to compare against: a git ref of this repo's ``rendered/``, or the GitOps repo."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from generator.errors import InputError
from generator.load import INPUT_FOLDERS
from generator.publish import git
from generator.publish.config import Layout
from generator.publish.layout import to_rendered
from generator.publish.message import Source
from generator.publish.plan import OWNERSHIP_DIR, parse_ownership
from generator.publish.redact import redact

RENDERED = "rendered"


def tree_at_ref(root: Path, ref: str) -> dict[str, str]:
    """``rendered/`` as committed at ``ref`` of the project's own repository."""
    scratch = git.Scratch(url=str(root), gitdir=_git_dir(root))
    resolved = scratch.run("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
    if resolved.returncode != 0:
        raise InputError(f"unknown git ref {ref!r} in {root}; try HEAD~1 or a branch name")
    commit = resolved.stdout.decode().strip()
    files = {path: sha for path, sha in git.list_files(scratch, commit).items() if path.startswith(RENDERED + "/")}
    blobs = git.read_blobs(scratch, list(files.values()))
    return {path[len(RENDERED) + 1 :]: blobs[sha].decode("utf-8", "replace") for path, sha in files.items()}


def tree_in_gitops_repo(url: str, branch: str, layout: Layout, secrets: tuple[str, ...] = (), auth_header: str | None = None) -> dict[str, str]:
    """The files gitopsgen owns in the GitOps repository, as a rendered tree (empty if the branch is new)."""
    with tempfile.TemporaryDirectory(prefix="gitopsgen-diff-") as workdir:
        scratch = git.open_scratch(url, Path(workdir), secrets, auth_header)
        try:
            tip = git.fetch(scratch, branch)
        except git.GitError as exc:
            raise InputError(str(exc)) from None
        files = git.list_files(scratch, tip)
        ownership = {p: s for p, s in files.items() if p.startswith(OWNERSHIP_DIR + "/")}
        owned_blobs = git.read_blobs(scratch, list(ownership.values()))
        owned = set().union(*parse_ownership({p: owned_blobs[s] for p, s in ownership.items()}).values()) if ownership else set()
        wanted = {path: files[path] for path in sorted(owned) if path in files and to_rendered(path, layout)}
        blobs = git.read_blobs(scratch, list(wanted.values()))
        return {rendered: blobs[sha].decode("utf-8", "replace") for path, sha in wanted.items() if (rendered := to_rendered(path, layout))}


def source_of(root: Path) -> Source:
    """The project's repository and commit, for commit messages (credentials stripped)."""

    def run(*args: str) -> str | None:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
        return result.stdout.strip() if result.returncode == 0 else None

    commit = run("rev-parse", "HEAD")
    if commit is None:
        return Source(name=root.name, commit="unknown", dirty=True)
    name = redact(run("remote", "get-url", "origin") or root.name)
    dirty = bool(run("status", "--porcelain", "--", *INPUT_FOLDERS, RENDERED, "gitopsgen.yaml"))
    return Source(name=name, commit=commit, dirty=dirty)


def history_of(root: Path, ours: str):  # type: ignore[no-untyped-def]
    """For publish: how a recorded source commit relates to ``ours`` in the project's repository.

    "same", "older" (ours contains it), "newer" (it contains ours: publishing would roll back),
    "diverged" (neither contains the other: a concurrent publisher's), "unknown" (not in this clone).
    """

    def is_ancestor(first: str, second: str) -> int:
        return subprocess.run(["git", "-C", str(root), "merge-base", "--is-ancestor", first, second], capture_output=True).returncode

    def relation(recorded: str) -> str:
        if recorded == ours:
            return "same"
        known = subprocess.run(["git", "-C", str(root), "cat-file", "-e", f"{recorded}^{{commit}}"], capture_output=True)
        if known.returncode != 0:
            return "unknown"
        if is_ancestor(recorded, ours) == 0:
            return "older"
        return "newer" if is_ancestor(ours, recorded) == 0 else "diverged"

    return relation


def _git_dir(root: Path) -> Path:
    result = subprocess.run(["git", "-C", str(root), "rev-parse", "--absolute-git-dir"], capture_output=True, text=True)
    if result.returncode != 0:
        raise InputError(f"{root} is not a git repository; --against-ref needs one")
    return Path(result.stdout.strip())
