"""One reporting layer for every command that finds problems (validate, lint, check).

A command produces :class:`~generator.results.Finding` objects grouped per checked resource in a
:class:`~generator.results.ResourceResult` (:mod:`generator.results`, which every stage may use), and hands each result to an output chosen by name (``text``,
``json``, ``junit``, ``sarif``, ``github``). Each format lives in its own module behind the
same two-method interface, like kubeconform's output package: ``write(result)`` for one
checked resource and ``flush(summary)`` at the end. Adding a format touches one module and
one line of :data:`FORMATS`.

This module imports nothing heavy: the format modules are imported by :func:`get_output`.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol

from generator.results import Finding, ResourceResult, Rule, Summary


@dataclass
class OutputOptions:
    """Settings every format may use; each ignores what does not apply to it."""

    tool: str = "validate"
    rules: Mapping[str, Rule] = field(default_factory=dict)
    summary: bool = False  # text/github: print the summary line at the end
    verbose: bool = False  # text: also list resources that passed
    root: Path | None = None  # SARIF/github: paths are made relative to this (default: cwd)
    color: bool | None = None  # text: None = as generator.terminal.use_color decides (terminal, NO_COLOR, FORCE_COLOR)


class Output(Protocol):
    """One output format: receives every checked resource, then the summary once."""

    def write(self, result: ResourceResult) -> None: ...

    def flush(self, summary: Summary) -> None: ...


# --color choice -> OutputOptions.color
COLOR: dict[str, bool | None] = {"auto": None, "always": True, "never": False}

# format name -> "module:class"; each class takes (stream, options)
FORMATS = {
    "text": "generator.report.text:TextOutput",
    "json": "generator.report.json:JSONOutput",
    "junit": "generator.report.junit:JUnitOutput",
    "sarif": "generator.report.sarif:SARIFOutput",
    "github": "generator.report.github:GitHubOutput",
    "markdown": "generator.report.markdown:MarkdownOutput",
}


def get_output(name: str, stream: IO[str], options: OutputOptions | None = None) -> Output:
    """The output format called ``name`` writing to ``stream``."""
    target = FORMATS.get(name)
    if target is None:
        raise ValueError(f"unknown output format {name!r}; choose one of {', '.join(FORMATS)}")
    module_name, class_name = target.split(":")
    output_class = getattr(importlib.import_module(module_name), class_name)
    return output_class(stream, options or OutputOptions())


def relative_path(path: str, root: Path | None = None) -> str:
    """``path`` relative to ``root`` (default: the working directory) with forward slashes, if inside it."""
    if path.startswith("<"):
        return path
    base = (root or Path.cwd()).resolve()
    candidate = Path(path)
    try:
        resolved = candidate.resolve() if candidate.is_absolute() else (Path.cwd() / candidate).resolve()
        return resolved.relative_to(base).as_posix()
    except (ValueError, OSError):
        return candidate.as_posix()


def describe(finding: Finding) -> str:
    """The finding without its location: ``Kind/name in env: field: message``."""
    parts = [part for part in (finding.subject, finding.field) if part]
    parts.append(finding.message)
    return ": ".join(parts)
