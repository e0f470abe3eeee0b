"""Real git, through plumbing: a scratch bare repository fetches the GitOps repo, builds commits
without a working tree (read-tree / update-index / write-tree / commit-tree) and pushes them.

Nothing here rewrites history: every commit has the fetched tip as its parent and pushes are
plain fast-forwards (never ``--force``); a rejected push is reported, not overridden.
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator.publish.redact import redact


class GitError(Exception):
    """A git command failed; the message is already redacted."""


@dataclass
class Scratch:
    """A temporary bare repository standing in front of the GitOps repository at ``url``."""

    url: str
    gitdir: Path
    secrets: tuple[str, ...] = ()
    auth_header: str | None = None

    def run(self, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        # never wait for a password or a host-key question: fail with git's message instead
        full_env = {"GIT_SSH_COMMAND": "ssh -o BatchMode=yes", **os.environ, "GIT_DIR": str(self.gitdir), "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
        if self.auth_header:
            full_env.update({"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "http.extraHeader", "GIT_CONFIG_VALUE_0": self.auth_header})
        full_env.update(env or {})
        result = subprocess.run(["git", *args], input=stdin, capture_output=True, env=full_env)
        if check and result.returncode != 0:
            raise GitError(self.explain(args, result))
        return result

    def explain(self, args: tuple[str, ...], result: subprocess.CompletedProcess[bytes]) -> str:
        detail = first_meaningful_line(result.stderr) if result.stderr.strip() else f"exit {result.returncode}"
        return redact(f"git {args[0]} failed: {detail}", self.secrets)


def basic_auth_header(forge_type: str, token: str) -> str:
    """HTTP header that authenticates git over https with a forge token (kept out of argv)."""
    user = {"github": "x-access-token", "gitlab": "oauth2"}.get(forge_type, "gitopsgen")
    return "Authorization: Basic " + base64.b64encode(f"{user}:{token}".encode()).decode()


def open_scratch(url: str, workdir: Path, secrets: tuple[str, ...] = (), auth_header: str | None = None) -> Scratch:
    scratch = Scratch(url=_normalise(url), gitdir=workdir / "scratch.git", secrets=secrets, auth_header=auth_header)
    subprocess.run(["git", "init", "--quiet", "--bare", str(scratch.gitdir)], check=True, capture_output=True)
    return scratch


def _normalise(url: str) -> str:
    if "://" in url or url.startswith("git@") or ":" in url.split("/")[0]:
        return url
    return str(Path(url).expanduser().resolve())


def remote_tip(scratch: Scratch, branch: str) -> str | None:
    """Commit id of ``branch`` on the remote, or None when the branch does not exist (yet)."""
    result = scratch.run("ls-remote", "--heads", scratch.url, f"refs/heads/{branch}", check=False)
    if result.returncode != 0:
        raise GitError(redact(f"cannot reach the GitOps repository {scratch.url}: " + first_meaningful_line(result.stderr), scratch.secrets))
    for line in result.stdout.decode().splitlines():
        sha, ref = line.split("\t", 1)
        if ref == f"refs/heads/{branch}":
            return sha
    return None


def fetch(scratch: Scratch, branch: str) -> str | None:
    """Fetch ``branch`` into the scratch repository; returns its tip (None if it does not exist)."""
    tip = remote_tip(scratch, branch)
    if tip is not None:
        scratch.run("fetch", "--quiet", "--no-tags", scratch.url, f"+refs/heads/{branch}:refs/remotes/origin/{branch}")
        tip = scratch.run("rev-parse", f"refs/remotes/origin/{branch}").stdout.decode().strip()
    return tip


def list_files(scratch: Scratch, commit: str | None) -> dict[str, str]:
    """path -> blob id of every file in ``commit`` (empty for no commit)."""
    if commit is None:
        return {}
    out = scratch.run("ls-tree", "-r", "-z", "--full-tree", commit).stdout.decode()
    files: dict[str, str] = {}
    for entry in filter(None, out.split("\0")):
        meta, path = entry.split("\t", 1)
        _mode, kind, sha = meta.split(" ")
        if kind == "blob":
            files[path] = sha
    return files


def read_blobs(scratch: Scratch, blob_ids: list[str]) -> dict[str, bytes]:
    """blob id -> content, read in one ``cat-file --batch`` call."""
    if not blob_ids:
        return {}
    unique = list(dict.fromkeys(blob_ids))
    out = scratch.run("cat-file", "--batch", stdin=("\n".join(unique) + "\n").encode()).stdout
    blobs: dict[str, bytes] = {}
    position = 0
    for sha in unique:
        header_end = out.index(b"\n", position)
        size = int(out[position:header_end].split(b" ")[2])
        blobs[sha] = out[header_end + 1 : header_end + 1 + size]
        position = header_end + 1 + size + 1
    return blobs


def blob_id(data: bytes) -> str:
    """The id git gives a blob with this content (no git call needed to compare)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def commit_changes(scratch: Scratch, parent: str | None, writes: dict[str, bytes], deletes: list[str], message: str, author: tuple[str, str]) -> str:
    """Create a commit on top of ``parent`` with ``writes`` and ``deletes`` applied; returns its id."""
    index = scratch.gitdir / "publish.index"
    index.unlink(missing_ok=True)
    env = {"GIT_INDEX_FILE": str(index)}
    if parent:
        scratch.run("read-tree", parent, env=env)
    lines: list[str] = []
    if writes:
        ids = _hash_objects(scratch, list(writes.values()))
        lines += [f"100644 {sha}\t{path}" for path, sha in zip(writes, ids)]
    lines += [f"0 {'0' * 40}\t{path}" for path in deletes]
    if lines:
        scratch.run("update-index", "-z", "--index-info", stdin=("\0".join(lines) + "\0").encode(), env=env)
    tree = scratch.run("write-tree", env=env).stdout.decode().strip()
    name, email = author
    identity = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email}
    parents = ["-p", parent] if parent else []
    commit = scratch.run("commit-tree", tree, *parents, stdin=message.encode(), env={**env, **identity})
    index.unlink(missing_ok=True)
    return commit.stdout.decode().strip()


def _hash_objects(scratch: Scratch, contents: list[bytes]) -> list[str]:
    """Store blobs with one ``git fast-import`` (one pack, not thousands of loose objects)."""
    stream = b"".join(b"blob\ndata %d\n%s\n" % (len(data), data) for data in contents)
    scratch.run("fast-import", "--quiet", stdin=stream + b"done\n")
    return [blob_id(data) for data in contents]


# git's words for "the branch is not where you fetched it": behind (fetch first, non-fast-forward)
# or being updated by a concurrent push right now (the remote could not lock or update the ref)
_MOVED = ("fetch first", "non-fast-forward", "already exists", "cannot lock ref", "failed to update ref", "incorrect old value")


@dataclass(frozen=True)
class PushOutcome:
    """The result of one push: accepted, or refused with git's reason and whether the remote branch moved."""

    ok: bool
    moved: bool  # rejected because the remote branch moved (or appeared) since we fetched
    message: str


def push(scratch: Scratch, commit: str, branch: str) -> PushOutcome:
    """Fast-forward ``branch`` to ``commit`` (or create it); never forced, so git refuses a push
    that would drop commits someone else pushed since we fetched."""
    result = scratch.run("push", "--porcelain", "--quiet", scratch.url, f"{commit}:refs/heads/{branch}", check=False)
    text = (result.stdout + result.stderr).decode(errors="replace")
    if result.returncode == 0:
        return PushOutcome(True, False, "")
    moved = any(marker in text for marker in _MOVED)
    return PushOutcome(False, moved, redact(_push_reason(result), scratch.secrets))


def _push_reason(result: subprocess.CompletedProcess[bytes]) -> str:
    """git's reason for a refused push (porcelain ``!`` line) and what the server said (``remote:``)."""
    reasons = [line.rsplit("\t", 1)[-1] for line in result.stdout.decode(errors="replace").splitlines() if line.startswith("!")]
    remote = [
        line.removeprefix("remote:").strip()
        for line in result.stderr.decode(errors="replace").splitlines()
        if line.startswith("remote:") and line.removeprefix("remote:").strip()
    ]
    parts = reasons[:1] + remote[:3]
    return "; ".join(parts) if parts else first_meaningful_line(result.stderr)


def first_meaningful_line(stderr: bytes) -> str:
    """git's own reason (its first ``fatal:``/``error:`` line), not the advice it prints after it."""
    lines = [line.strip() for line in stderr.decode(errors="replace").splitlines() if line.strip()]
    reasons = [line for line in lines if line.startswith(("fatal:", "error:"))]
    chosen = reasons[0] if reasons else (lines[0] if lines else "unknown error")
    return chosen.removeprefix("fatal: ").removeprefix("error: ")
