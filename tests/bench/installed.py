"""gitopsgen as users run it, for the benchmarks: installed from this tree into a virtualenv of its own.

The development install (``pip install -e .``) loads setuptools' editable-import finder at every
start (~25 ms), which no installed copy pays; ``pip install`` also byte-compiles, as an installed
copy is. The virtualenv, ``.bench/gitopsgen-venv``, is made on the first run (with gitopsgen's
dependencies) and gitopsgen is installed again, with any dependency it gained, whenever the tree's sources change.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VENV = REPO / ".bench" / "gitopsgen-venv"
SOURCES = ("generator", "policies")


def gitopsgen(report: Callable[[str], None]) -> Path:
    """The ``gitopsgen`` executable of the benchmark's virtualenv, holding this tree's sources."""
    python, stamp = VENV / "bin" / "python", VENV / ".sources"
    if not python.exists():
        report(f"making {VENV.relative_to(REPO)} with gitopsgen and its dependencies (first run only)...")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        _pip(python, str(REPO))
    digest = _sources_digest()
    if not stamp.exists() or stamp.read_text() != digest:
        _pip(python, str(REPO))  # a dependency added or changed since: installed (the others are kept)
        _pip(python, "--no-deps", "--force-reinstall", str(REPO))
        stamp.write_text(digest)
    return VENV / "bin" / "gitopsgen"


def _pip(python: Path, *args: str) -> None:
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", *args], check=True, capture_output=True, cwd=REPO)


def _sources_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(p for folder in SOURCES for p in (REPO / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(f"{path.relative_to(REPO)}\0".encode() + path.read_bytes())
    digest.update((REPO / "pyproject.toml").read_bytes())
    return digest.hexdigest()
