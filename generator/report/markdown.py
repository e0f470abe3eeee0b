"""Markdown for a pull-request comment or ``$GITHUB_STEP_SUMMARY``: findings per environment and app.

A count table first (errors and warnings per environment), then one section per environment
with a table per app (the file a finding points at: its blueprint, or the manifest). What the
checked files hold is shown, never rendered: Markdown's punctuation is escaped, line breaks are
``<br>`` so that a table row stays one row, and control characters are written as escapes.
"""

from __future__ import annotations

import re
from typing import IO

from generator.errors import visible
from generator.report import OutputOptions
from generator.results import Finding, ResourceResult, Summary

NO_ENV = "(no environment)"
_ICON = {"error": "❌ error", "warning": "⚠️ warning", "note": "ℹ️ note"}


# What starts Markdown's inline syntax (emphasis, code, links and images, HTML, entities, strikethrough) and a table's
# cell border: escaped with a backslash, so a message holding ``![x](https://...)`` or ``<img>`` is shown, not rendered.
_PUNCTUATION = re.compile(r"([\\`*_\[\]<>!|&~])")
_BACKTICKS = re.compile("`+")


def cell(text: str) -> str:
    """``text`` shown as it is inside a Markdown table cell, on one row (line breaks as ``<br>``)."""
    return visible(_PUNCTUATION.sub(r"\\\1", text).replace("\r", " ").replace("\n", "<br>"))


def code(text: str) -> str:
    """``text`` as a Markdown code span, shown as it is: fenced by one backtick more than the longest run it holds,
    and padded with a space where it starts or ends with a backtick or a space (CommonMark strips one of each)."""
    fence = "`" * (max(map(len, _BACKTICKS.findall(text)), default=0) + 1)
    pad = " " if text[:1] in ("`", " ") or text[-1:] in ("`", " ") else ""
    return f"{fence}{pad}{visible(text)}{pad}{fence}"


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
                lines += [f"### {cell(env)}", ""]
                for path, findings in files.items():
                    lines += [
                        f"#### {code(path)}",
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
