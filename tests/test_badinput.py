"""The bad-input corpus: every case in tests/badinput/<case>/case.yaml, run through the real CLI.

Each case starts from tests/badinput/_base (a small project, rendered once per session, with a
GitOps repository it was published to), lays its own files over it (the case folder's
``project/``, the ``make:`` entries for what git cannot hold: FIFOs, dangling links, folders,
unreadable or huge files) and runs each of its commands in a subprocess with a memory cap
(RLIMIT_AS) and a timeout. Every run must exit with the expected code, say the expected thing on
one line (for exit 2), print no traceback and no secret, and leave ``rendered/`` and the GitOps
repository byte for byte as they were.

case.yaml::

    make:                       # optional, applied after project/ is copied
      - {fifo: blueprints/pipe.yaml}
      - {symlink: blueprints/gone.yaml, to: missing.yaml}
      - {folder: blueprints/dir.yaml}
      - {unreadable: blueprints/web.yaml}          # as root, runs without CAP_DAC_OVERRIDE/READ_SEARCH
      - {big: manifest.yaml, bytes: 23000000, prefix: "apiVersion: v1\\nkind: ConfigMap\\ndata:\\n  a: "}
      - {big: many.yaml, bytes: 300000, prefix: "data:\\n  a0: ", pieces: 3, between: "\\n  a{}: "}  # 3 values
    remove: [gitopsgen.yaml]    # optional, base files to delete
    secrets: [ghp_secret]       # optional, texts no output may contain
    runs:
      - args: [render]          # {project} and {repo} are replaced
        exit: 2
        message: is a folder
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import resource
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).parent / "badinput"
BASE = HERE / "_base"
MEMORY_LIMIT = 1536 * 1024 * 1024  # address space of one CLI run; the alias bomb used to need 2.5 GB of memory
TIME_LIMIT = 60  # seconds; a hang (a FIFO, a policy loop) fails here rather than stalling the suite
PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2  # <linux/prctl.h>, <linux/capability.h>


def _cases() -> list[tuple[str, int]]:
    found = []
    for case in sorted(HERE.iterdir()):
        if case.name.startswith("_") or not (case / "case.yaml").is_file():
            continue
        spec = yaml.safe_load((case / "case.yaml").read_text())
        found += [(case.name, index) for index in range(len(spec["runs"]))]
    return found


def _cli(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-c", "from generator.cli import main; main()", *args],
                            cwd=cwd, capture_output=True, text=True, timeout=TIME_LIMIT)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def _git(*args: str, cwd: Path) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env).stdout


@pytest.fixture(scope="session")
def rendered_base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The base project rendered and committed, and a bare GitOps repository it was published to."""
    root = tmp_path_factory.mktemp("badinput-base")
    project, repo = root / "project", root / "gitops.git"
    shutil.copytree(BASE, project)
    _cli("render", cwd=project)
    _git("init", "--quiet", "-b", "main", cwd=project)
    _git("add", "-A", cwd=project)
    _git("commit", "--quiet", "-m", "base", cwd=project)
    subprocess.run(["git", "init", "--quiet", "--bare", "-b", "main", str(repo)], check=True)
    _cli("publish", "--force", "--repo", str(repo), cwd=project)
    return project, repo


def snapshot(folder: Path) -> dict[str, tuple[int, bytes | str]]:
    """Every entry under ``folder`` (links not followed): its mode and content or link target."""
    found: dict[str, tuple[int, bytes | str]] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                content: bytes | str = os.readlink(path)
            elif stat.S_ISREG(info.st_mode) and info.st_size < 1 << 20:
                content = path.read_bytes()
            elif stat.S_ISREG(info.st_mode):
                content = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                content = ""
            found[str(path.relative_to(folder))] = (info.st_mode, content)
    found["."] = (folder.lstat().st_mode, "")
    return found


def _prepare(case: Path, spec: dict, base: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    project, repo = tmp_path / "project", tmp_path / "gitops.git"
    shutil.copytree(base[0], project, symlinks=True)
    shutil.copytree(base[1], repo, symlinks=True)
    for name in spec.get("remove", []):
        target = project / name
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    if (case / "project").is_dir():
        shutil.copytree(case / "project", project, symlinks=True, dirs_exist_ok=True)
    for entry in spec.get("make", []):
        _make(project, entry)
    return project, repo


def _make(project: Path, entry: dict) -> None:
    kind, name = next(iter(entry.items()))
    path = project / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "symlink":
        path.symlink_to(entry["to"])
    elif kind == "folder":
        path.mkdir()
    elif kind == "unreadable":
        path.chmod(0)
    elif kind == "big":
        prefix = entry.get("prefix", "").encode()
        pieces = entry.get("pieces", 1)  # filler split in pieces, each after between.format(index) (a new key, say)
        piece = b"x" * ((entry["bytes"] - len(prefix)) // pieces)
        text = prefix + piece + b"".join(entry["between"].format(index).encode() + piece for index in range(1, pieces))
        with open(path, "wb") as stream:
            stream.write(text + b"\n")
    else:
        raise AssertionError(f"unknown make entry {kind!r}")


def _limits(unprivileged: bool):  # type: ignore[no-untyped-def]
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        if unprivileged and os.geteuid() == 0:  # root reads anything: drop the capabilities that let it
            libc = ctypes.CDLL(None, use_errno=True)
            for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
                if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
                    raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")

    return apply


@pytest.mark.parametrize(("name", "index"), _cases(), ids=[f"{name}-{index}" for name, index in _cases()])
def test_bad_input(name: str, index: int, rendered_base: tuple[Path, Path], tmp_path: Path) -> None:
    case = HERE / name
    spec = yaml.safe_load((case / "case.yaml").read_text())
    run = spec["runs"][index]
    project, repo = _prepare(case, spec, rendered_base, tmp_path)
    unprivileged = any("unreadable" in entry for entry in spec.get("make", []))
    before = (snapshot(project / "rendered"), snapshot(repo))
    args = [arg.replace("{project}", str(project)).replace("{repo}", str(repo)) for arg in run["args"]]
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", "from generator.cli import main; main()", *args],
        cwd=project, capture_output=True, text=True, timeout=TIME_LIMIT, stdin=subprocess.DEVNULL,
        preexec_fn=_limits(unprivileged), env={**os.environ, "HOME": str(tmp_path), **run.get("env", {})},
    )
    elapsed = time.monotonic() - started
    output = result.stdout + result.stderr
    assert result.returncode == run.get("exit", 2), output
    assert run["message"] in output, output
    assert "Traceback" not in output, output
    if run.get("exit", 2) == 2:  # one line: "error: file:line: what to do" (validate reports on stdout)
        assert len(output.strip().splitlines()) == 1, output
    for secret in spec.get("secrets", []):
        assert secret not in output, output
    assert elapsed < TIME_LIMIT
    assert (snapshot(project / "rendered"), snapshot(repo)) == before
