"""The one gate ``publish`` passes through: schema validation and error-level policy violations.

Everything that decides whether rendered output may be published lives behind
:func:`run_checks`, so that wiring in a different checker touches this file only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CheckOutcome:
    passed: bool
    errors: int
    warnings: int
    detail: str = ""  # first few error lines, for the commit message and the PR body

    @property
    def summary(self) -> str:
        state = "passed" if self.passed else "FAILED"
        return f"{state}: {self.errors} error(s), {self.warnings} warning(s)"
