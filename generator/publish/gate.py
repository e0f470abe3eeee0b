"""The one gate ``publish`` passes through: ``gitopsgen check`` (drift, schemas, error-level policies).

Everything that decides whether rendered output may be published lives behind
:func:`run_checks`, so that wiring in a different checker touches this file only. It calls the
check's Python function (:func:`generator.pipeline.check_project`), not the click command.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.pipeline import RenderedProject


@dataclass(frozen=True)
class CheckOutcome:
    """What the gate's ``gitopsgen check`` found: whether it passed, its error and warning counts, and the first errors."""

    passed: bool
    errors: int
    warnings: int
    detail: str = ""  # first few error lines, for the commit message and the PR body

    @property
    def summary(self) -> str:
        state = "passed" if self.passed else "FAILED"
        return f"{state}: {self.errors} error(s), {self.warnings} warning(s)"


def run_checks(rendered: RenderedProject, only: list[str] | None = None) -> CheckOutcome:
    """Run ``gitopsgen check`` (drift, schemas, policies) through its Python function and count findings.

    The check itself is the gate, so publish refuses exactly what CI and pre-commit refuse. It runs
    on the rendering publish made (``only``: the apps it rendered, ``publish --only``); every
    environment is checked, because an app's base is shared by all of them. Bad input (a broken
    blueprint) raises InputError, as it does for ``gitopsgen check``.
    """
    from generator.pipeline import check_project
    from generator.results import exit_code

    results, _rules = check_project(rendered.project.root, None, only, rendered=rendered)
    findings = [finding for result in results for finding in result.findings]
    errors = [f for f in findings if f.level == "error"]
    warnings = sum(1 for f in findings if f.level == "warning")
    detail = [f"{f.path}:{f.line}: [{f.rule}] {f.message}" for f in errors[:10]]
    if len(errors) > 10:
        detail.append(f"… and {len(errors) - 10} more")
    return CheckOutcome(passed=exit_code(results) == 0, errors=len(errors), warnings=warnings, detail="\n".join(detail))
