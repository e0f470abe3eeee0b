"""What checking produces: findings, one result per checked resource, rule descriptions, run counts.

Validate, lint and check produce these; :mod:`generator.report` writes them in each output format.
They sit below every stage so that no stage has to import the reporting one to describe a problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any, Literal, NamedTuple

Level = Literal["error", "warning", "note"]
Status = Literal["valid", "invalid", "error", "skipped"]


class Finding(NamedTuple):
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
    env: str = ""  # the environment the object was rendered for (or --env for plain files)

    @property
    def resource(self) -> str:
        return resource_name(self.kind, self.name)

    @property
    def subject(self) -> str:
        """``Kind/name in env`` (or less, when unknown): what it is about."""
        return subject_name(self.kind, self.name, self.env)


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
    env: str = ""

    @property
    def resource(self) -> str:
        return resource_name(self.kind, self.name)

    @property
    def subject(self) -> str:
        """``Kind/name in env`` (or less, when unknown): what it is about."""
        return subject_name(self.kind, self.name, self.env)

    def __reduce__(self) -> tuple[type[ResourceResult], tuple[Any, ...]]:
        """Pickled as its fields in order: results cross from the processes that lint (``generator.lint.budget``),
        one per object, and this loads in a third of the time the default's dictionary per result takes."""
        return ResourceResult, _RESULT_FIELDS(self)


_RESULT_FIELDS = attrgetter(*(result_field.name for result_field in fields(ResourceResult)))


def resource_name(kind: str, name: str) -> str:
    """``Kind/name``, or just the kind when the name is unknown."""
    return f"{kind}/{name}" if kind and name else kind


def subject_name(kind: str, name: str, env: str) -> str:
    """``Kind/name in env`` (or less, when unknown)."""
    return " ".join(part for part in (resource_name(kind, name), f"in {env}" if env else "") if part)


def in_environment(result: ResourceResult, env: str | None) -> ResourceResult:
    """``result`` and its findings marked as being about ``env`` (unchanged without one)."""
    if not env:
        return result
    from dataclasses import replace

    return replace(result, env=env, findings=[finding._replace(env=env) for finding in result.findings])


def input_error_result(error: Exception, tool: str) -> ResourceResult:
    """An input error (bad file, flag, blueprint) as the errored result every machine format carries."""
    path = str(getattr(error, "path", None) or "")
    line = int(getattr(error, "line", None) or 1)
    message = str(getattr(error, "message", error))
    finding = Finding(tool=tool, rule="input-error", level="error", message=message, path=path or "<input>", line=line)
    return ResourceResult(path or "<input>", line=line, status="error", findings=[finding])


class Rule(NamedTuple):
    """What a rule id means; outputs that describe rules (SARIF, JUnit) use it."""

    id: str
    title: str
    description: str = ""
    level: Level = "error"
    help_uri: str = ""
    remediation: str = ""
    security_severity: str = ""  # SARIF properties.security-severity, "0.0".."10.0" (GitHub code scanning ranks by it)


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


def exit_code(results: list[ResourceResult], fail_on: str = "error") -> int:
    """2 when an object could not be checked, else 1 for findings at ``fail_on`` (error or warning) or above, else 0."""
    if any(result.status == "error" for result in results):
        return 2
    failing = {"error"} if fail_on == "error" else {"error", "warning"}
    return 1 if any(finding.level in failing for result in results for finding in result.findings) else 0
