"""Colour and progress on a terminal, and nothing extra anywhere else.

``--color auto|always|never``: ``auto`` (the default) colours a terminal only, honouring the
conventions every command-line tool shares — ``NO_COLOR`` (any non-empty value) turns colour,
bold and dim off; ``FORCE_COLOR`` turns them on for a pipe (CI logs that render ANSI). Without
colour nothing but plain text is written: no escape sequence of any kind.
"""

from __future__ import annotations

import os
from typing import IO, Any

import click

CHOICES = ("auto", "always", "never")


def use_color(stream: IO[str], choice: str | None = "auto") -> bool:
    """Whether to write colour (and bold/dim) to ``stream``."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def console(stream: IO[str]) -> Any:
    """A rich console that writes colour and styles to ``stream`` (call only when :func:`use_color` said so)."""
    from rich.console import Console

    return Console(file=stream, force_terminal=True, no_color=False, highlight=False, soft_wrap=True)


def color_option(function: Any) -> Any:
    """``--color auto|always|never``, the same on every command that colours its output."""
    return click.option(
        "--color",
        type=click.Choice(CHOICES),
        default="auto",
        show_default=True,
        help="Colour: auto = on a terminal unless NO_COLOR is set (FORCE_COLOR forces it).",
    )(function)


class Progress:
    """A rich progress bar on standard error, shown only on a terminal and only once a run has taken ``delay`` seconds.

    Piped or redirected, it writes nothing at all; a short run never shows it either.
    """

    def __init__(self, label: str, total: int | None, delay: float = 1.0, stream: IO[str] | None = None) -> None:
        import sys
        import time

        self.label, self.total, self.delay = label, total, delay
        self.stream = stream or sys.stderr
        self.enabled = use_color(self.stream) and bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = time.monotonic()
        self.done = 0
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> Progress:
        return self

    def advance(self, steps: int = 1, label: str | None = None) -> None:
        import time

        self.done += steps
        if label:
            self.label = label
        if not self.enabled:
            return
        if self.bar is None and time.monotonic() - self.started >= self.delay:
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress

            self.bar = RichProgress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console(self.stream), transient=True
            )
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=self.total, completed=self.done)
        elif self.bar is not None:
            self.bar.update(self.task, completed=self.done, description=self.label)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
