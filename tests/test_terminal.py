"""Colour, progress, completion and version: a terminal gets them, a pipe gets plain text only."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import __version__
from generator.cli import cli
from generator.report import OutputOptions, get_output
from generator.results import Finding, ResourceResult, Summary
from generator.terminal import Progress, use_color

ESC = "\x1b["


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def text_report(stream: io.StringIO, color: bool | None = None) -> str:
    finding = Finding(tool="lint", rule="r", level="error", message="m", path="a.yaml", remediation="do x", env="prod")
    output = get_output("text", stream, OutputOptions(color=color, summary=True))
    output.write(ResourceResult("a.yaml", status="invalid", findings=[finding]))
    output.flush(Summary(files=1))
    return stream.getvalue()


def test_no_color_removes_colour_bold_and_dim(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert ESC in text_report(Terminal())
    monkeypatch.setenv("NO_COLOR", "1")
    plain = text_report(Terminal())
    assert ESC not in plain and "a.yaml:1:1: in prod: m [r]" in plain and "    fix: do x" in plain


def test_force_color_colours_a_pipe_and_the_option_wins_over_both(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert use_color(io.StringIO()) and ESC in text_report(io.StringIO())
    assert not use_color(Terminal(), "never") and ESC not in text_report(Terminal(), color=False)
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color(io.StringIO(), "always") and ESC in text_report(io.StringIO(), color=True)


def test_color_option_on_the_cli(example_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(example_project)
    blueprint = example_project / "blueprints" / "ai-engine.yaml"
    blueprint.write_text(blueprint.read_text().replace("tag: v3.4.2", "tag: latest"))
    coloured = CliRunner().invoke(cli, ["lint", "--only", "ai-engine", "--env", "dev", "--color", "always"])
    plain = CliRunner().invoke(cli, ["lint", "--only", "ai-engine", "--env", "dev"])
    assert ESC in coloured.stdout and ESC not in plain.stdout and "image-tag-pinned" in plain.stdout


def test_progress_shows_on_a_terminal_after_the_delay_and_never_on_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        with Progress("validating", 3, delay=0, stream=stream) as progress:
            for _ in range(3):
                progress.advance()
    assert "validating" in terminal.getvalue() and ESC in terminal.getvalue()
    assert pipe.getvalue() == ""
    quick = Terminal()
    with Progress("validating", 3, delay=60, stream=quick) as progress:
        progress.advance()
    assert quick.getvalue() == ""  # a run shorter than the delay shows nothing


def test_version_command_and_shell_completion() -> None:
    result = CliRunner().invoke(cli, ["version"])
    assert result.exit_code == 0 and result.stdout.splitlines()[0] == f"gitopsgen {__version__}"
    env = {**os.environ, "_GITOPSGEN_COMPLETE": "bash_source"}
    script = subprocess.run([sys.executable, "-m", "generator"], env=env, capture_output=True, text=True, check=True).stdout
    assert "_gitopsgen_completion" in script and "complete " in script
    env = {**os.environ, "_GITOPSGEN_COMPLETE": "bash_complete", "COMP_WORDS": "gitopsgen che", "COMP_CWORD": "1"}
    words = subprocess.run([sys.executable, "-m", "generator"], env=env, capture_output=True, text=True, check=True).stdout
    assert "plain,check" in words
