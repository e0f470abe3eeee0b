"""Several outputs from one run: ``-o sarif=gitopsgen.sarif -o github -o text``.

Each ``--output`` value is ``FORMAT`` (to standard output) or ``FORMAT=FILE``; text and github
annotations may share standard output (a CI log), a document format (json, junit, sarif, markdown)
needs it to itself. ``--output-file
FILE`` sends the one format without a file there instead. :class:`Outputs` is itself an
:class:`~generator.report.Output` that hands every result to each format, so commands write
to it exactly as to one format. A file is written beside its destination and moved into place
on ``flush``, so a run that stops midway never leaves a half-written report.

When the input cannot be read at all, :func:`report_input_error` still gives every machine
format a complete document that carries the error (SARIF: a result and a tool execution
notification; JUnit: an errored test case; JSON: an error resource).
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import IO, Any, NamedTuple

from generator.errors import InputError
from generator.report import FORMATS, Output, OutputOptions, get_output
from generator.results import ResourceResult, Summary, input_error_result

OUTPUT_HELP = "Report format, FORMAT or FORMAT=FILE; repeat for several ({}).  [default: text]".format("|".join(FORMATS))


def output_options(function: Any) -> Any:
    """The ``--output``/``-o`` and ``--output-file`` options, the same on every command that reports findings."""
    import click

    def known_formats(ctx: Any, param: Any, values: tuple[str, ...]) -> tuple[str, ...]:
        for value in values:
            name = value.partition("=")[0]
            if name not in FORMATS:
                from generator.schema import suggest

                raise click.BadParameter(f"{name!r} is not a format{suggest(name, list(FORMATS))}; choose one of {', '.join(FORMATS)}")
        return values

    function = click.option("--output-file", type=click.Path(dir_okay=False, path_type=Path), help="Write the one --output without =FILE to this file.")(
        function
    )
    return click.option("--output", "-o", "outputs", multiple=True, metavar="FORMAT[=FILE]", callback=known_formats, help=OUTPUT_HELP)(function)


# formats written line by line as results arrive: they may share standard output (a CI log); documents may not
LINE_FORMATS = {"text", "github"}


class OutputTarget(NamedTuple):
    """One report a run writes: its format, to a file or to standard output."""

    format: str
    file: Path | None = None  # None: standard output


def parse_targets(values: tuple[str, ...] | list[str], output_file: Path | None = None) -> list[OutputTarget]:
    """The targets ``--output`` values and ``--output-file`` stand for (``text`` to stdout by default)."""
    targets = []
    for value in values or ("text",):
        name, _, file = value.partition("=")
        if name not in FORMATS:
            from generator.schema import suggest

            raise InputError(f"unknown output format {name!r}{suggest(name, list(FORMATS))}; choose one of {', '.join(FORMATS)}")
        if "=" in value and not file:
            raise InputError(f"--output {value}: name a file after '=' or leave the '=' out")
        targets.append(OutputTarget(name, Path(file) if file else None))
    if output_file is not None:
        to_stdout = [index for index, target in enumerate(targets) if target.file is None]
        if len(to_stdout) != 1:
            raise InputError("--output-file needs exactly one --output without =FILE to redirect")
        targets[to_stdout[0]] = targets[to_stdout[0]]._replace(file=output_file)
    stdout_formats = [target.format for target in targets if target.file is None]
    if len(stdout_formats) > 1 and set(stdout_formats) - LINE_FORMATS:
        raise InputError(f"formats {', '.join(stdout_formats)} would share standard output; give all but one a file (FORMAT=FILE)")
    files = [target.file.resolve() for target in targets if target.file is not None]
    if len(files) != len(set(files)):
        raise InputError("two --output values name the same file")
    return targets


class Outputs:
    """Every target's format fed the same results; files are moved into place on flush."""

    def __init__(self, targets: list[OutputTarget], options: OutputOptions, stream: IO[str] | None = None) -> None:
        self.parts: list[tuple[Output, Any, OutputTarget]] = []
        for target in targets:
            if target.file is None:
                self.parts.append((get_output(target.format, stream or sys.stdout, options), None, target))
                continue
            handle = _temporary_beside(target.file)
            self.parts.append((get_output(target.format, handle, replace(options, color=False)), handle, target))

    def write(self, result: ResourceResult) -> None:
        for output, _, _ in self.parts:
            output.write(result)

    def flush(self, summary: Summary) -> None:
        for output, handle, target in self.parts:
            output.flush(summary)
            if handle is not None and target.file is not None:
                handle.close()
                os.replace(handle.name, target.file)

    def discard(self) -> None:
        """Remove the temporary files of a run that did not finish."""
        for _, handle, _ in self.parts:
            if handle is not None and not handle.closed:
                handle.close()
                Path(handle.name).unlink(missing_ok=True)


def _temporary_beside(file: Path) -> Any:
    folder = file.parent if str(file.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"cannot write {file}: no folder {folder}")
    import tempfile  # only when a report goes to a file

    return tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, prefix=f".{file.name}.", suffix=".tmp", delete=False)


def report_input_error(error: InputError, targets: list[OutputTarget], options: OutputOptions) -> None:
    """Every machine format (and text to a file) gets a complete document carrying ``error``.

    Text on standard output is left to the one-line ``error: …`` on standard error."""
    wanted = [target for target in targets if not (target.format == "text" and target.file is None)]
    if not wanted:
        return
    outputs = Outputs(wanted, options)
    result = input_error_result(error, options.tool)
    summary = Summary(tool=options.tool, files=1)
    summary.count(result)
    outputs.write(result)
    outputs.flush(summary)
