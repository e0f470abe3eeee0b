"""Which engine evaluates what: the one place a lint run's evaluation path is chosen.

- The built-in checks (the pack under ``policies/``) run in regorus' compiled mode
  (``generator.lint.compiled``), one document at a time, whenever the engine is the embedded one.
- conftest and Gatekeeper policies run in regorus' interpreter through the batch driver
  (``generator.lint.driver``): one query per batch.
- A built-in check the VM cannot finish on a document (its instruction limit, 25,000:
  ``plaintext-credentials`` on a ConfigMap of some 300 keys) is evaluated by the interpreter for
  that document, with the same answer (the pack never trips the interpreter's type errors: on a
  malformed object every engine reads the field as undefined, as OPA does).
- With ``--opa-url`` everything goes to the OPA server's batch driver.

No option or variable selects another path. ``tests/test_lint_compiled.py`` compares the paths
on fixtures, examples, the estate, mutated and malformed documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.lint.checks import Check, Module
from generator.lint.compiled import CompiledChecks
from generator.lint.driver import DRIVER_QUERY, Driver, Placement
from generator.lint.engine import EvaluationError, PolicyEngine, RegorusEngine


class Evaluation:
    """The policies of one run, loaded where they run; ``rows`` evaluates one batch."""

    def __init__(self, engine: PolicyEngine, modules: Sequence[Module], batch_driver: Driver, checks: Sequence[Check], cache: Path | None = None) -> None:
        self.engine = engine
        self.checks = checks
        self.compiled = CompiledChecks.build(modules, batch_driver, checks, cache) if isinstance(engine, RegorusEngine) else None
        self._modules = [*modules, batch_driver.module]
        self._loaded = False
        if self.compiled is None or any(check.style != "gitopsgen" for check in checks):
            self.interpreter()  # load now: a syntax error in a policy is reported before any document is read

    def interpreter(self) -> PolicyEngine:
        """The engine with every module loaded (on first use: the compiled checks may leave it nothing to do)."""
        if not self._loaded:
            self.engine.load(self._modules)
            self._loaded = True
        return self.engine

    def rows(self, batch_input: dict[str, Any], data: dict[str, Any], places: Sequence[Placement | None] = ()) -> list[list[Any]]:
        """``[check, document index, result]`` for every result of the batch (``places``: see ``CompiledChecks.evaluate``)."""
        if self.compiled is None:
            return self.interpreter().evaluate(DRIVER_QUERY, batch_input, data) or []
        rows, left = self.compiled.evaluate(batch_input, data, places)
        for index, check, check_input in left:
            try:
                results = self.interpreter().evaluate(self.checks[check].query, check_input, data) or []
            except EvaluationError as error:
                raise DocumentError(error.message, error.path, error.line, index) from None
            rows += ([check, index, result] for result in results)
        others = self.compiled.others(batch_input)
        if any(others["targets"]):
            rows += self.interpreter().evaluate(DRIVER_QUERY, others, data) or []
        return rows


@dataclass
class DocumentError(EvaluationError):
    """A policy failed on document ``index`` of the batch."""

    index: int = 0
