"""One reporting layer for every command that finds problems (validate, lint, check).

A command produces :class:`Finding` objects grouped per checked resource in a
:class:`ResourceResult`, and hands each result to an output chosen by name (``text``,
``json``, ``junit``, ``sarif``, ``github``). Each format lives in its own module behind the
same two-method interface, like kubeconform's output package: ``write(result)`` for one
checked resource and ``flush(summary)`` at the end. Adding a format touches one module and
one line of :data:`FORMATS`.

This module imports nothing heavy: the format modules are imported by :func:`get_output`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal, Mapping, Protocol

Level = Literal["error", "warning", "note"]
Status = Literal["valid", "invalid", "error", "skipped"]


@dataclass(frozen=True)
class Finding:
    """One problem with one resource, pointing at the source line a person should edit."""

    tool: str  # "validate" or "lint"
    rule: str  # rule id (lint) or "schema" / "yaml" / "missing-schema" (validate)
    level: Level
    message: str
    path: str  # file the finding is reported against
    line: int = 1
    column: int = 1
    kind: str = ""
    name: str = ""
    namespace: str = ""
    field: str = ""  # dotted path to the offending field, e.g. spec.template.spec.containers[0].image
    source: str = ""  # "blueprints/x.yaml:12" when the object was rendered from a blueprint
    remediation: str = ""
    help_uri: str = ""

    @property
    def resource(self) -> str:
        return f"{self.kind}/{self.name}" if self.kind and self.name else self.kind


@dataclass
class ResourceResult:
    """Outcome for one resource (document): valid, invalid, error or skipped, with its findings."""

    path: str
    kind: str = ""
    name: str = ""
    namespace: str = ""
    line: int = 1
    status: Status = "valid"
    findings: list[Finding] = field(default_factory=list)
    api_version: str = ""

    @property
    def resource(self) -> str:
        return f"{self.kind}/{self.name}" if self.kind and self.name else self.kind


@dataclass(frozen=True)
class Rule:
    """What a rule id means; outputs that describe rules (SARIF, JUnit) use it."""

    id: str
    title: str
    description: str = ""
    level: Level = "error"
    help_uri: str = ""
    remediation: str = ""


@dataclass
class Summary:
    """Counts over one run; ``line()`` is the human summary, ``exit_code()`` the process status."""

    tool: str = "validate"
    files: int = 0
    resources: int = 0
    valid: int = 0
    invalid: int = 0
    errors: int = 0
    skipped: int = 0

    def count(self, result: ResourceResult) -> None:
        self.resources += 1
        setattr(self, _COUNTERS[result.status], getattr(self, _COUNTERS[result.status]) + 1)

    def line(self) -> str:
        return (
            f"Summary: {self.resources} resource{'s' if self.resources != 1 else ''} in {self.files} "
            f"file{'s' if self.files != 1 else ''} - valid {self.valid}, invalid {self.invalid}, "
            f"errors {self.errors}, skipped {self.skipped}"
        )

    def exit_code(self) -> int:
        """2 when some input could not be checked at all, 1 when something is invalid, else 0."""
        if self.errors:
            return 2
        return 1 if self.invalid else 0


_COUNTERS = {"valid": "valid", "invalid": "invalid", "error": "errors", "skipped": "skipped"}


@dataclass
class OutputOptions:
    """Settings every format may use; each ignores what does not apply to it."""

    tool: str = "validate"
    rules: Mapping[str, Rule] = field(default_factory=dict)
    summary: bool = False  # text/github: print the summary line at the end
    verbose: bool = False  # text: also list resources that passed
    root: Path | None = None  # SARIF/github: paths are made relative to this (default: cwd)
    color: bool | None = None  # text: None = colour only when the stream is a terminal


class Output(Protocol):
    """One output format: receives every checked resource, then the summary once."""

    def write(self, result: ResourceResult) -> None: ...

    def flush(self, summary: Summary) -> None: ...


# format name -> "module:class"; each class takes (stream, options)
FORMATS = {
    "text": "generator.report.text:TextOutput",
    "json": "generator.report.json:JSONOutput",
    "junit": "generator.report.junit:JUnitOutput",
    "sarif": "generator.report.sarif:SARIFOutput",
    "github": "generator.report.github:GitHubOutput",
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
    """The finding without its location: ``Kind/name: field: message``."""
    parts = [part for part in (finding.resource, finding.field) if part]
    parts.append(finding.message)
    return ": ".join(parts)
