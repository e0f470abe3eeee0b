"""GitHub Actions workflow commands: ``::error file=…,line=…,col=…::message`` annotations.

GitHub shows each one on the pull request's diff at that line. Values are escaped as the
runner expects (``%``, CR, LF everywhere; ``:`` and ``,`` also inside properties).
"""

from __future__ import annotations

from typing import IO

from generator.report import OutputOptions, describe, relative_path
from generator.results import Finding, ResourceResult, Summary

_COMMAND = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


class GitHubOutput:
    def __init__(self, stream: IO[str], options: OutputOptions) -> None:
        self.stream = stream
        self.options = options

    def write(self, result: ResourceResult) -> None:
        for finding in result.findings:
            self.stream.write(self.annotation(finding) + "\n")

    def annotation(self, finding: Finding) -> str:
        title = f"gitopsgen {finding.tool}: {finding.rule}" if finding.rule else f"gitopsgen {finding.tool}"
        properties = [
            f"file={escape_property(relative_path(finding.path, self.options.root))}",
            f"line={finding.line}",
            f"col={finding.column}",
            f"title={escape_property(title)}",
        ]
        message = describe(finding)
        if finding.remediation:
            message += f"\nFix: {finding.remediation}"
        return f"::{_COMMAND[finding.level]} {','.join(properties)}::{escape_data(message)}"

    def flush(self, summary: Summary) -> None:
        if self.options.summary:
            self.stream.write(summary.line() + "\n")
        self.stream.flush()
