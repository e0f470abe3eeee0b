"""The policy engine behind one small interface.

``PolicyEngine`` has two jobs: load Rego modules once, and evaluate one query with an input
and data document (the batch driver, ``generator.lint.driver``, makes a batch one query).

The embedded engine is regorus (a Rust Rego interpreter, no server, no network); see
docs/policy-engine.md for the measurements behind that choice. ``generator.lint.opa`` provides
the same interface over an OPA server's REST API.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Any, Protocol

import orjson

from generator.errors import InputError
from generator.lint.checks import Module
from generator.lint.driver import to_json

_UNDEFINED = '"<undefined>"'
_LOCATION = re.compile(r"-->\s*(?P<path>.+?):(?P<line>\d+):(?P<column>\d+)")
_ERROR = re.compile(r"^error:\s*(?P<message>.+)$", re.MULTILINE)


class PolicyEngine(Protocol):
    """Load Rego once, then evaluate queries against batches."""

    def load(self, modules: Sequence[Module]) -> None: ...

    def evaluate(self, query: str, input: Any, data: dict[str, Any]) -> Any:
        """The JSON value of ``query`` (e.g. ``data.pkg.rule``), or None when it is undefined."""
        ...

    def close(self) -> None: ...


class RegorusEngine:
    """The embedded engine: regorus, Rego v1 by default with per-module fallback to v0."""

    def __init__(self) -> None:
        os.environ.setdefault("RUST_BACKTRACE", "0")
        import regorus

        self._engine = regorus.Engine()
        self._data: dict[str, Any] | None = None  # what the engine holds (compared by identity, then by JSON)
        self._data_key: str | None = None
        self._modules: dict[str, Module] = {}

    def load(self, modules: Sequence[Module]) -> None:
        for module in modules:
            add_module(self._engine, module)
            self._modules[module.path] = module

    def evaluate(self, query: str, input: Any, data: dict[str, Any]) -> Any:
        self._set_data(data)
        return self._evaluate(query, input)

    def _set_data(self, data: dict[str, Any]) -> None:
        """Load ``data`` unless it is what the engine already holds (serialised once per batch)."""
        if data is self._data:
            return
        self._data = data
        data_json = to_json(data)
        if data_json != self._data_key:
            self._engine.clear_data()
            self._engine.add_data_json(data_json)
            self._data_key = data_json

    def _evaluate(self, query: str, input: Any) -> Any:
        self._engine.set_input_json(to_json(input))
        try:
            raw = self._engine.eval_rule_as_json(query)
        except RuntimeError as exc:
            raise rego_error(exc, "policy evaluation failed", self._modules, EvaluationError) from None
        return None if raw == _UNDEFINED else orjson.loads(raw)

    def close(self) -> None:
        self._engine = None


def add_module(engine: Any, module: Module) -> None:
    """Parse one module as Rego v1, falling back to v0 for modules written in the older syntax."""
    try:
        engine.set_rego_v0(False)
        engine.add_policy(module.path, module.text)
        return
    except RuntimeError as v1_error:
        first_error = v1_error
    try:
        engine.set_rego_v0(True)
        engine.add_policy(module.path, module.text)
    except RuntimeError as v0_error:
        raise rego_error(first_error if module.looks_v1 else v0_error, "Rego syntax error", {module.path: module}) from None
    finally:
        engine.set_rego_v0(False)


class EvaluationError(InputError):
    """A policy failed on the documents it was given: a type error on a malformed object, or a bug in the policy."""


def rego_error(exc: Exception, what: str, modules: dict[str, Module] | None = None, kind: type[InputError] = InputError) -> InputError:
    """An engine error as ``file:line: what: message`` (the engine's own file:line when it gives one).

    Rego embedded in a Gatekeeper template is reported at its line in the YAML file.
    """
    text = str(exc).split("Stack backtrace:")[0].strip()
    location = _module_location(text, modules or {}) or _LOCATION.search(text)
    message = _ERROR.search(text)
    detail = message.group("message").strip() if message else text.splitlines()[-1] if text else "unknown error"
    if location:
        path, line = location.group("path"), int(location.group("line"))
        module = (modules or {}).get(path)
        if module is not None:
            path, line = module.file, line + module.line_offset
        return kind(f"{what}: {detail}", path, line)
    return kind(f"{what}: {detail}")


def _module_location(text: str, modules: dict[str, Module]) -> re.Match[str] | None:
    """The engine's ``--> path:line:column`` for one of ``modules``, found by its path: a file name may hold any
    character (a line break, a colon followed by digits) that ``_LOCATION`` would read as the end of the path."""
    arrow = text.find("-->")
    for path in sorted(modules, key=len, reverse=True) if arrow >= 0 else ():
        found = re.compile(rf"-->\s*(?P<path>{re.escape(path)}):(?P<line>\d+):(?P<column>\d+)").search(text, arrow)
        if found:
            return found
    return None


def embedded_engine() -> PolicyEngine:
    return RegorusEngine()
