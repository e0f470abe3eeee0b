"""The console entry point ends the process itself once a command is done (``generator.cli._end``).

What the command printed must all arrive, its exit status must be the command's, and what was
registered to run at exit must still run: the tests go through the entry point in a process of its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

WORKLOADS = Path(__file__).parent / "fixtures" / "lint" / "workloads.yaml"  # objects with findings


def _entry_point(*args: str, before: str = "") -> subprocess.CompletedProcess[str]:
    code = f"{before}\nfrom generator.cli import main\nmain()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)


def test_a_report_of_many_lines_arrives_whole_with_the_commands_exit_status(tmp_path: Path) -> None:
    files = []
    for index in range(40):  # well beyond a pipe's buffer once reported
        path = tmp_path / f"app-{index}.yaml"
        path.write_text(WORKLOADS.read_text())
        files.append(str(path))
    result = _entry_point("lint", "--output", "json", *files)
    assert result.returncode == 1, result.stderr
    assert len(result.stdout) > 1 << 16
    report = json.loads(result.stdout)
    assert {resource["path"] for resource in report["resources"]} == set(files)


def test_usage_errors_keep_exit_status_2_and_their_message() -> None:
    result = _entry_point("lint", "--no-such-option")
    assert result.returncode == 2
    assert "No such option" in result.stderr


@pytest.mark.parametrize("args", [
    ("version", "a\nError: all good\x1b[2J"),  # an extra argument, quoted as typed
    ("lint\n\x1b[31m",),  # an unknown command
    ("lint", "--jobs", "x\u202e\n"),  # an option's value
])
def test_a_usage_error_quoting_what_was_typed_shows_its_control_characters_escaped(args: tuple[str, ...]) -> None:
    result = _entry_point(*args)
    assert result.returncode == 2
    error = result.stderr.rstrip("\n").splitlines()[-1]
    assert error.startswith("Error: ") and "\\n" in error
    assert not any(character in result.stderr for character in "\x1b\u202e") and "all good" not in result.stderr.replace(error, "")


def test_what_is_registered_to_run_at_exit_runs_after_the_command() -> None:
    result = _entry_point("version", before="import atexit\natexit.register(print, 'registered at exit')")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("gitopsgen ")
    assert result.stdout.rstrip().endswith("registered at exit")


@pytest.mark.parametrize("code, status", [("sys.exit(3)", 3), ("sys.exit('a message')", 1)])
def test_a_command_that_exits_itself_keeps_its_status(code: str, status: int) -> None:
    patch = f"import sys, generator.cli as c\nc.version.callback = lambda: {code}"
    result = _entry_point("version", before=patch)
    assert result.returncode == status
    assert ("a message" in result.stderr) == (status == 1)


def test_a_run_under_a_profiler_ends_the_usual_way_and_the_profile_is_written(tmp_path: Path) -> None:
    profile = tmp_path / "version.prof"
    result = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "generator", "version"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("gitopsgen ")
    assert profile.stat().st_size > 0


@pytest.mark.parametrize("closed", [1, 2])
@pytest.mark.parametrize("args", [["version"], ["lint", "--summary", str(WORKLOADS)]])
def test_a_run_started_with_standard_output_or_error_closed_writes_nowhere_and_keeps_its_status(
    closed: int, args: list[str],
) -> None:
    result = subprocess.run([sys.executable, "-c", "from generator.cli import main\nmain()", *args],
                            capture_output=closed == 1, text=True, timeout=120, preexec_fn=lambda: os.close(closed))
    assert result.returncode == (0 if args == ["version"] else 1), result.stderr
    assert closed == 2 or result.stderr == ""
