"""The policy engine behind one small interface, and the batch driver every engine runs.

``PolicyEngine`` has two jobs: load Rego modules once, and evaluate one query with an input
and data document. Linting a set of documents is a single evaluation of the *driver*, a Rego
module generated from the checks: for each check it walks the documents the check applies to
and evaluates the check's rule ``with input as`` that document, so policies are loaded once per
run and each batch (one app x environment, or one set of files) costs one call into the engine.

The embedded engine is regorus (a Rust Rego interpreter, no server, no network); see
docs/policy-engine.md for the measurements behind that choice. ``generator.lint.opa`` provides
the same interface over an OPA server's REST API.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any, Protocol, Sequence

from generator.errors import InputError
from generator.lint import fork
from generator.lint.policy import Check, Module

DRIVER_PACKAGE = "gitopsgen_driver"
DRIVER_QUERY = f"data.{DRIVER_PACKAGE}.results"
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
        self._data_key: str | None = None
        self._modules: dict[str, Module] = {}

    def load(self, modules: Sequence[Module]) -> None:
        for module in modules:
            add_module(self._engine, module)
            self._modules[module.path] = module

    def evaluate(self, query: str, input: Any, data: dict[str, Any]) -> Any:
        self._set_data(data)
        return self._evaluate(query, input)

    def evaluate_parallel(self, query: str, inputs: Sequence[Any], data: dict[str, Any]) -> list[Any]:
        """``evaluate`` for each input, in forked processes that share the loaded policies (Linux, macOS).

        The data is loaded before forking, so the workers inherit it instead of each parsing it again.
        """
        self._set_data(data)
        return fork.split(lambda part: self._evaluate(query, inputs[part]), len(inputs))

    def _set_data(self, data: dict[str, Any]) -> None:
        """Load ``data`` unless it is what the engine already holds (serialised once per batch)."""
        data_json = json.dumps(data, separators=(",", ":"))
        if data_json != self._data_key:
            self._engine.clear_data()
            self._engine.add_data_json(data_json)
            self._data_key = data_json

    def _evaluate(self, query: str, input: Any) -> Any:
        self._engine.set_input_json(json.dumps(input, separators=(",", ":")))
        try:
            raw = self._engine.eval_rule_as_json(query)
        except RuntimeError as exc:
            raise rego_error(exc, "policy evaluation failed", self._modules) from None
        return None if raw == _UNDEFINED else json.loads(raw)

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


def rego_error(exc: Exception, what: str, modules: dict[str, Module] | None = None) -> InputError:
    """An engine error as ``file:line: what: message`` (the engine's own file:line when it gives one).

    Rego embedded in a Gatekeeper template is reported at its line in the YAML file.
    """
    text = str(exc).split("Stack backtrace:")[0].strip()
    location = _LOCATION.search(text)
    message = _ERROR.search(text)
    detail = message.group("message").strip() if message else text.splitlines()[-1] if text else "unknown error"
    if location:
        path, line = location.group("path"), int(location.group("line"))
        module = (modules or {}).get(path)
        if module is not None:
            path, line = module.file, line + module.line_offset
        return InputError(f"{what}: {detail}", path, line)
    return InputError(f"{what}: {detail}")


def driver_module(checks: Sequence[Check]) -> Module:
    """The Rego module that evaluates every check over ``input.docs`` in one query.

    Results are ``[k, document index, result]``. Two ways in, chosen per batch by the linter:

    - ``input.shared[i]`` lists the built-in checks without parameters that apply to document i;
      they are all evaluated under one ``with input as`` per document, so the helpers they share
      (pod spec, containers, inventory look-ups) are computed once per document;
    - ``input.targets[k]`` lists the documents check k applies to, evaluated with its own input
      (``input.parameters[k]``): checks with parameters, conftest and Gatekeeper policies.
    """
    lines = [f"package {DRIVER_PACKAGE}", "", "import rego.v1", ""]
    shared = [index for index, check in enumerate(checks) if check.style == "gitopsgen"]
    if shared:
        lines += [
            "results contains [k, i, result] if {",
            "	some i, checks in input.shared",
            "	count(checks) > 0",
            "	doc := input.docs[i]",
            f"	some [k, result] in per_document with input as {_shared_input()}",
            "}",
            "",
        ]
    for index in shared:
        lines += [
            f"per_document contains [{index}, result] if {{",
            f"	{index} in input.checks",
            f"	some result in {checks[index].query}",
            "}",
            "",
        ]
    for index, check in enumerate(checks):
        lines += [
            f"results contains [{index}, i, result] if {{",
            f"	some i in input.targets[{index}]",
            "	doc := input.docs[i]",
            f"	some result in {check.query} with input as {_check_input(check, index)}",
            "}",
            "",
        ]
    return Module("<gitopsgen driver>", "\n".join(lines))


def _shared_input() -> str:
    return (
        '{"review": doc.review, "object": doc.review.object, "env": input.env, '
        '"prod_environments": input.prod_environments, "parameters": {}, "checks": input.shared[i]}'
    )


def _check_input(check: Check, index: int) -> str:
    if check.style == "conftest":
        return "doc.review.object"
    if check.style == "gatekeeper":
        return f'{{"review": doc.review, "parameters": input.parameters[{index}]}}'
    return (
        f'{{"review": doc.review, "object": doc.review.object, "env": input.env, '
        f'"prod_environments": input.prod_environments, "parameters": input.parameters[{index}]}}'
    )


def embedded_engine() -> PolicyEngine:
    return RegorusEngine()
