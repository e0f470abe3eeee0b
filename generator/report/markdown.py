"""Markdown for a pull-request comment or ``$GITHUB_STEP_SUMMARY``: findings per environment and app.

A count table first (errors and warnings per environment), then one section per environment
with a table per app (the file a finding points at: its blueprint, or the manifest). Pipes and
newlines in messages are escaped so a table row stays one row.
"""

from __future__ import annotations

from typing import IO

from generator.report import OutputOptions, visible
from generator.results import Finding, ResourceResult, Summary

NO_ENV = "(no environment)"
_ICON = {"error": "❌ error", "warning": "⚠️ warning", "note": "ℹ️ note"}


def cell(text: str) -> str:
    """``text`` safe inside a Markdown table cell."""
    return visible(text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", "<br>"))


class MarkdownOutput:
    def __init__(self, stream: IO[str], options: OutputOptions) -> None:
        self.stream = stream
        self.options = options
        self.findings: dict[str, dict[str, list[Finding]]] = {}  # env -> file -> findings

    def write(self, result: ResourceResult) -> None:
        for finding in result.findings:
            env = finding.env or result.env or NO_ENV
            self.findings.setdefault(env, {}).setdefault(finding.path, []).append(finding)

    def flush(self, summary: Summary) -> None:
        lines = [f"## gitopsgen {self.options.tool}", ""]
        if not self.findings:
            lines += [f"✅ No findings: {summary.line().removeprefix('Summary: ')}.", ""]
        else:
            lines += ["| environment | errors | warnings |", "| --- | ---: | ---: |"]
            for env, files in self.findings.items():
                levels = [finding.level for findings in files.values() for finding in findings]
                lines.append(f"| {cell(env)} | {levels.count('error')} | {levels.count('warning')} |")
            lines.append("")
            for env, files in self.findings.items():
                lines += [f"### {env}", ""]
                for path, findings in files.items():
                    lines += [
                        f"#### `{visible(path)}`",
                        "",
                        "| level | line | object | field | message | rule |",
                        "| --- | ---: | --- | --- | --- | --- |",
                    ]
                    for finding in sorted(findings, key=lambda f: (f.level != "error", f.line, f.rule)):
                        lines.append(
                            f"| {_ICON[finding.level]} | {finding.line} | {cell(finding.resource)} | {cell(finding.field)} "
                            f"| {cell(finding.message)} | {cell(finding.rule)} |"
                        )
                    lines.append("")
            lines += [f"_{summary.line()}_", ""]
        self.stream.write("\n".join(lines))
        self.stream.flush()
