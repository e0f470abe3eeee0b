"""The built-in checks in regorus' compiled mode: about 4x faster than its interpreter, made exact first.

regorus compiles Rego to a program for its virtual machine (``regorus.Program`` and
``regorus.Rvm``). The VM has no ``with``, so each document is its own evaluation; it is still
about four times faster than the interpreter on the built-in pack. As released (0.13) it
evaluates three things differently from the interpreter and OPA, silently:

- an assignment ``x := e`` whose ``e`` is undefined does not fail the body (so
  ``s := service(name); not exposes(s, port)`` fires for a Service that does not exist);
- ``else`` is not taken when the first body fails inside an iteration;
- default functions (``default f(_) := v``) are not applied;
- the variables of ``every`` are not bound where the body uses them as a key (``labels[k]``).

So the VM runs only modules that are exact in it: the built-in pack may use neither ``else``
nor default functions (``guarded`` rejects a module that does, naming its line), every
assignment is followed by a guard ``x == x``, which fails when ``x`` is undefined, as the
interpreter's assignment does, and ``every`` binds its variables by assignment. ``tests/test_lint_compiled.py`` lints the fixtures, the examples,
the benchmark estate and mutated and malformed documents both ways and compares the reports.

What runs here: the built-in checks, per document, through the driver's ``group_<g>`` rules
(``group_<g>_all`` when every check of the group applies, as it does to most documents;
``input.shared`` lists the document's checks, ``input.rule_parameters`` holds their parameters
by rule id): one evaluation per document. ``generator.lint.evaluation`` decides what runs where (conftest and Gatekeeper
policies, and documents the VM cannot finish, go to the interpreter).

Compiling takes ~50 ms, so the program is kept in a cache folder (``--cache-dir``, by default
``generator.cache.default_cache_dir()``: ``$XDG_CACHE_HOME/gitopsgen``, else ``~/.cache/gitopsgen``) under a hash
of everything it is built from; a cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from generator.cache import entry_key, read_entry, write_entry
from generator.errors import InputError
from generator.lint.checks import Check, Module
from generator.lint.driver import Driver, Placement, shared_input, to_json
from generator.lint.engine import rego_error

BUILTIN_PACKAGE = "gitopsgen."  # the built-in pack's packages: gitopsgen.lib, gitopsgen.rules.*
FORMAT = "3"  # bump when what goes into the program changes (2: every binds its variables; 3: one entry per group)
KEEP = 16  # compiled programs kept in the cache


class CompiledChecks:
    """The built-in checks compiled for regorus' VM; the batch data is loaded per batch."""

    def __init__(self, program: Any, driver: Driver, checks: Sequence[Check]) -> None:
        import regorus

        self._regorus = regorus
        self._program = program
        self._driver = driver
        self._queries = [check.query for check in checks]
        self._ids = [check.id for check in checks]
        self._data_json: str | None = None
        self._vm: Any = None

    @classmethod
    def build(cls, modules: Sequence[Module], driver: Driver, checks: Sequence[Check], cache: Path | None = None) -> CompiledChecks | None:
        """The program, from the ``cache`` folder (None: no cache) or compiled; None when there are no built-in checks.

        A pack the VM cannot evaluate exactly (``else``, a default function) or cannot compile is an error.
        """
        pack = [module for module in modules if module.package.startswith(BUILTIN_PACKAGE)]
        entries = [f"data.{driver.module.package}.group_{group}{every}" for group in driver.shared_groups for every in ("", "_all")]
        entries += sorted({check.query for check in checks if check.style == "gitopsgen"})
        if not pack or not entries:
            return None
        key = _cache_key(pack, driver.module, entries)
        program = _cached(cache, key) if cache else None
        if program is None:
            program = _compile(pack, driver.module, entries)
            if cache:
                _store(cache, key, program)
        return cls(program, driver, checks)

    def others(self, batch_input: dict[str, Any]) -> dict[str, Any]:
        """``batch_input`` without the built-in checks: what the interpreter's batch driver still has to evaluate."""
        return {
            **batch_input,
            "shared": [[] for _ in batch_input["shared"]],
            "groups": [[] for _ in batch_input["groups"]],
        }

    def evaluate(
        self,
        batch_input: dict[str, Any],
        data: dict[str, Any],
        places: Sequence[Placement | None] = (),
    ) -> tuple[list[list[Any]], list[tuple[int, int, dict[str, Any]]]]:
        """``[k, document index, result]`` for every built-in check of every document, and what the VM could not finish.

        ``places[i]``: where ``data.inventory`` holds document i's object, when it holds it and no
        other object there; the document's input then names that place (``input.at``) instead of
        repeating the object, which the VM would parse once more (documents without one: in the input).

        A document's checks are one evaluation (its group's rule). When that
        reaches the VM's instruction limit (25,000, which ``plaintext-credentials`` reaches on a
        ConfigMap of some 300 keys), each of its checks is evaluated alone; a check that still
        reaches it is returned as ``(document index, check, its input)``, for the interpreter.
        """
        self._load(data)
        rows: list[list[Any]] = []
        left: list[tuple[int, int, dict[str, Any]]] = []
        inputs = _Inputs(batch_input, places)
        package = self._driver.module.package
        for group, indexes in enumerate(batch_input["groups"]):
            every = list(self._driver.members[group])
            common = inputs.common([self._ids[check] for check in every])
            guarded, unguarded = f"data.{package}.group_{group}", f"data.{package}.group_{group}_all"
            for index in indexes:
                # most documents get every check of their group: its rule without the look-ups in input.checks
                all_checks = batch_input["shared"][index] == every
                input_json = inputs.shared(index, common, all_checks)
                results = self._execute(unguarded if all_checks else guarded, input_json)
                if results is not None:
                    rows += ([check, index, result] for check, result in results)
                    continue
                for check in batch_input["shared"][index]:
                    alone = self._execute(self._queries[check], input_json)
                    if alone is None:
                        left.append((index, check, shared_input(batch_input, index)))
                    else:
                        rows += ([check, index, result] for result in alone)
        return rows, left

    def _execute(self, entry: str, input_json: str) -> list[Any] | None:
        """The entry point's results for one document (a set: a list), or None when the VM stops before the end."""
        self._vm.set_input_json(input_json)
        try:
            raw = self._vm.execute_entry_point(entry)
        except RuntimeError:  # its instruction limit
            return None
        return orjson.loads(raw) if raw.startswith("[") else []

    def _load(self, data: dict[str, Any]) -> None:
        """A VM holding the program and ``data`` (kept while the data stays the same)."""
        data_json = to_json(data)
        if data_json != self._data_json:
            self._vm = self._regorus.Rvm()
            self._vm.load_program(self._program)
            self._vm.set_data_json(data_json)
            self._data_json = data_json


class _Inputs:
    """The JSON input of each document of a batch (``shared_input``), what the documents of a group share serialised once.

    The VM parses each document's input, so it holds only what the document's rules read: the
    parameters of its group's rules (each rule reads its own, ``parameters("<id>")``), and the
    document's checks only when its group's guarded rule reads them (not ``group_<g>_all``).
    """

    def __init__(self, batch_input: dict[str, Any], places: Sequence[Placement | None] = ()) -> None:
        self._batch = batch_input
        self._places = places
        self._run = f'"env":{to_json(batch_input["env"])},"prod_environments":{to_json(batch_input["prod_environments"])},"parameters":{{}}'

    def common(self, rule_ids: Sequence[str]) -> str:
        """What every document of a group whose rules are ``rule_ids`` shares."""
        parameters = self._batch["rule_parameters"]
        return f'{self._run},"rule_parameters":{to_json({rule: parameters[rule] for rule in rule_ids if rule in parameters})}'

    def shared(self, index: int, common: str, all_checks: bool = False) -> str:
        """Document ``index``'s input around ``common``; without its checks when ``all_checks`` (its group's ``_all`` rule)."""
        place = self._places[index] if index < len(self._places) else None
        subject = f'"at":{to_json(place)}' if place is not None else f'"review":{to_json(self._batch["docs"][index]["review"])}'
        checks = "" if all_checks else f',"checks":{to_json(self._batch["shared"][index])}'
        return f"{{{subject},{common}{checks}}}"


def guarded(modules: Sequence[Module]) -> list[str]:
    """Each module's text with ``; x == x`` after every assignment ``x := e``.

    A module that uses ``else`` or a default function is an error (``file:line``): the VM would
    answer differently from the interpreter and OPA, and no guard fixes that.
    """
    import regorus

    engine = regorus.Engine()
    for module in modules:
        engine.add_policy(module.path, module.text)
    trees = {tree["source"]["file"]: tree["ast"] for tree in orjson.loads(engine.get_ast_as_json())}
    texts = []
    for module in modules:
        tree = trees[module.path]
        for rule in tree["rules"]:
            construct = _else_or_default_function(rule)
            if construct:
                line = next(iter(rule.values()))["span"]["line"]
                raise InputError(
                    f"{construct} is not allowed in the built-in pack: it is evaluated in regorus' compiled mode, which "
                    f"answers it differently from OPA; write the alternatives as bodies with complementary conditions "
                    f"(or use object.get with a default)",
                    module.file,
                    line + module.line_offset,
                )
        raw = module.text.encode()
        edits = [(end, end, "".join(f"; {name} == {name}" for name in names)) for end, names in _guards(raw, tree)]
        edits += _every_bindings(raw, tree)
        for start, end, text in sorted(edits, reverse=True):
            raw = raw[:start] + text.encode() + raw[end:]
        texts.append(raw.decode())
    return texts


def _guards(raw: bytes, tree: Any) -> Iterator[tuple[int, list[str]]]:
    """Where each assignment's guard goes (after the statement) and the variables it binds."""
    for (start, end), names in _assignments(tree):
        yield _after_string(raw, start, end), names


def _every_bindings(raw: bytes, node: Any) -> Iterator[tuple[int, int, str]]:
    """Edits that make each ``every k, v in xs { ... }`` bind ``k`` and ``v`` by assignment.

    In regorus' VM (0.13) the variables of ``every`` are not bound where the body uses them as a
    reference's key: ``every k, v in sel { labels[k] == v }`` iterates ``labels[k]`` over every
    key, so the rule holds when any label has the value. Assigned variables are bound, so the
    loop gets fresh variables and the body starts with ``k := __every_k; v := __every_v``.
    """
    if isinstance(node, dict):
        every = node.get("Every")
        if isinstance(every, dict) and "query" in every:
            spans = [span for span in (every.get("key"), every.get("value")) if span]
            names = [raw[span["start"] : span["end"]].decode() for span in spans]
            bound = [name for name in names if name != "_"]
            for span, name in zip(spans, names):
                if name != "_":
                    yield span["start"], span["end"], f"__every_{name}"
            opening = raw.index(b"{", every["query"]["span"]["start"])
            if bound:
                yield opening + 1, opening + 1, " " + "".join(f"{name} := __every_{name}; " for name in bound)
        for value in node.values():
            yield from _every_bindings(raw, value)
    elif isinstance(node, list):
        for value in node:
            yield from _every_bindings(raw, value)


def _compile(pack: Sequence[Module], driver_module: Module, entries: list[str]) -> Any:
    import regorus

    texts = guarded(pack)
    sources = [(module.path, text) for module, text in zip(pack, texts)] + [(driver_module.path, driver_module.text)]
    try:
        return regorus.Program.compile_from_modules("{}", sources, entries)
    except RuntimeError as exc:  # something the compiler does not support
        raise rego_error(exc, "the built-in pack does not compile for regorus' VM", {m.path: m for m in pack}) from None


def _else_or_default_function(rule: dict[str, Any]) -> str:
    """``"else"`` or ``"a default function"`` when the rule is one, else ``""``."""
    kind, body = next(iter(rule.items()))
    if kind == "Default":
        return "a default function" if body.get("args") else ""
    return "else" if any(part.get("is_else") for part in body.get("bodies", [])) else ""


def _assignments(node: Any) -> Iterator[tuple[tuple[int, int], list[str]]]:
    """((start, end) offsets, variables bound) of every assignment statement, in every query (comprehensions too)."""
    if isinstance(node, dict):
        for statement in node.get("stmts", ()):
            literal = statement.get("literal")
            expression = literal.get("Expr", {}).get("expr", {}) if isinstance(literal, dict) else {}
            if "AssignExpr" in expression:
                names = list(_variables(expression["AssignExpr"]["lhs"]))
                if names:
                    yield (statement["span"]["start"], statement["span"]["end"]), names
        for value in node.values():
            yield from _assignments(value)
    elif isinstance(node, list):
        for value in node:
            yield from _assignments(value)


def _after_string(raw: bytes, start: int, end: int) -> int:
    """``end``, moved past the closing quote when the statement's span stops inside a string literal.

    regorus' span of a statement ending in a string (``msg := "a"``) stops before the closing
    quote; a guard put there would land inside the string.
    """
    quotes = raw[start:end].replace(b"\\\\", b"").replace(b'\\"', b"").count(b'"')
    if quotes % 2:
        return raw.index(b'"', end) + 1
    if raw[start:end].count(b"`") % 2:
        return raw.index(b"`", end) + 1
    return end


def _variables(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        var = node.get("Var")
        if isinstance(var, dict):
            if var.get("value") not in (None, "_"):
                yield var["value"]
            return
        for value in node.values():
            yield from _variables(value)
    elif isinstance(node, list):
        for value in node:
            yield from _variables(value)


# --- the program cache -----------------------------------------------------------------------


def _cache_key(pack: Sequence[Module], driver_module: Module, entries: list[str]) -> str:
    """A hash of the sources, the entry points and the regorus build (another build may compile differently)."""
    import regorus

    build = os.stat(regorus.regorus.__file__)
    sources = [text for module in [*pack, driver_module] for text in (module.path, module.text)]
    return entry_key(FORMAT, str(build.st_size), str(build.st_mtime_ns), *sources, *entries)


def _cached(folder: Path, key: str) -> Any:
    import regorus

    raw = read_entry(folder, f"rego-{key}.bin")
    if raw is None:
        return None
    try:
        program, partial = regorus.Program.deserialize_binary(raw)
    except (RuntimeError, ValueError):
        return None
    return None if partial else program


def _store(folder: Path, key: str, program: Any) -> None:
    """Write the program to the cache, keeping only the most recent programs (one per version of the pack and selection of rules)."""
    write_entry(folder, f"rego-{key}.bin", program.serialize_binary(), prefix="rego-", keep=KEEP)
