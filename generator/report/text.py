"""Plain text, one line per finding: ``file:line:col: Kind/name: path.to.field: message``.

Plain when the stream is not a terminal (logs, pipes, editors that jump to ``file:line:col``);
coloured with rich when it is. rich is imported only in the second case.
"""

from __future__ import annotations

from typing import IO, Any

from generator.errors import visible
from generator.report import OutputOptions
from generator.results import Finding, ResourceResult, Summary

_STYLE = {"error": "bold red", "warning": "yellow", "note": "cyan"}


def format_finding(finding: Finding) -> str:
    """The one-line form of a finding, as printed without colour: control characters in it are made visible."""
    location = f"{finding.path}:{finding.line}:{finding.column}"
    parts = [location, finding.subject, finding.field]
    message = finding.message if finding.level == "error" else f"{finding.level}: {finding.message}"
    if finding.tool != "validate" and finding.rule:
        message = f"{message} [{finding.rule}]"
    return visible(": ".join([part for part in parts if part] + [message]))


class TextOutput:
    def __init__(self, stream: IO[str], options: OutputOptions) -> None:
        self.stream = stream
        self.options = options
        from generator.terminal import console, use_color

        color = use_color(stream) if options.color is None else options.color
        self.console: Any = console(stream) if color else None

    def write(self, result: ResourceResult) -> None:
        if self.options.verbose and result.status in ("valid", "skipped") and not result.findings:
            self._line(f"{result.path}:{result.line}: {result.resource or 'document'}: {result.status}", "green")
        for finding in result.findings:
            self._finding(finding)

    def flush(self, summary: Summary) -> None:
        if self.options.summary:
            style = "bold red" if summary.invalid or summary.errors else "bold green"
            self._line(summary.line(), style)
        self.stream.flush()

    def _finding(self, finding: Finding) -> None:
        if self.console is None:
            self.stream.write(format_finding(finding) + "\n")
            if finding.remediation:
                self.stream.write(f"    fix: {finding.remediation}\n")
            return
        from rich.markup import escape

        text = format_finding(finding)
        location, _, rest = text.partition(": ")
        self.console.print(f"[bold]{escape(location)}[/]: [{_STYLE[finding.level]}]{escape(rest)}[/]")
        if finding.remediation:
            self.console.print(f"    [dim]fix:[/] {escape(finding.remediation)}")

    def _line(self, text: str, style: str) -> None:
        if self.console is None:
            self.stream.write(text + "\n")
        else:
            from rich.markup import escape

            self.console.print(f"[{style}]{escape(text)}[/]")
