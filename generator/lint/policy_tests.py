"""``gitopsgen policy test``: every ``test_`` rule of every ``*_test.rego``, like ``opa test``."""

from __future__ import annotations

from dataclasses import dataclass

from generator.errors import InputError
from generator.lint.engine import RegorusEngine
from generator.lint.policy import load_policies


@dataclass(frozen=True)
class Outcome:
    """The result of one ``test_`` rule: its file, package and name, PASS, FAIL or ERROR, and why it did not pass."""

    path: str
    package: str
    name: str
    status: str  # PASS, FAIL or ERROR
    detail: str = ""


def run_policy_tests(locations: list[str]) -> list[Outcome]:
    """Load the policies and their tests into one engine and evaluate each test rule."""
    policies = load_policies(locations or None, tests=True)
    engine = RegorusEngine()
    engine.load([*policies.modules, *policies.tests])
    outcomes = []
    for module in policies.tests:
        for name in module.test_rules():
            outcomes.append(_run(engine, module.path, module.package, name))
    return outcomes


def _run(engine: RegorusEngine, path: str, package: str, name: str) -> Outcome:
    try:
        value = engine.evaluate(f"data.{package}.{name}", {}, {})
    except InputError as exc:
        return Outcome(path, package, name, "ERROR", str(exc))
    if value is True:
        return Outcome(path, package, name, "PASS")
    return Outcome(path, package, name, "FAIL", "undefined" if value is None else f"evaluated to {value!r}")
