"""One reporting layer for every command that finds problems (validate, lint, check).

A command produces :class:`Finding` objects and hands them to an output chosen by name
(``text``, ``json``, ``junit``, ``sarif``, ``github``); each format lives in its own module
behind the same two-method interface: ``write(result)`` for one checked resource and
``flush(summary)`` at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Level = Literal["error", "warning", "note"]


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
        return f"{self.kind}/{self.name}" if self.kind else ""


@dataclass
class ResourceResult:
    """Outcome for one resource (document): valid, invalid, error or skipped, with its findings."""

    path: str
    kind: str = ""
    name: str = ""
    namespace: str = ""
    line: int = 1
    status: Literal["valid", "invalid", "error", "skipped"] = "valid"
    findings: list[Finding] = field(default_factory=list)
