"""The built-in checks in regorus' compiled mode: about 4x faster than its interpreter, made exact first.

regorus compiles Rego to a program for its virtual machine (``regorus.Program`` and
``regorus.Rvm``). The VM has no ``with``, so each document is its own evaluation; it is still
about four times faster than the interpreter on the built-in pack. As released (0.13) it
evaluates three things differently from the interpreter and OPA, silently:

- an assignment ``x := e`` whose ``e`` is undefined does not fail the body (so
  ``s := service(name); not exposes(s, port)`` fires for a Service that does not exist);
- ``else`` is not taken when the first body fails inside an iteration;
- default functions (``default f(_) := v``) are not applied.

So the VM runs only modules that are exact in it: the built-in pack uses neither ``else`` nor
default functions (if one did, the whole run would stay with the interpreter), and every
assignment is followed by a guard ``x == x``, which fails when ``x`` is undefined, as the
interpreter's assignment does. ``tests/test_lint_compiled.py`` lints the fixtures, the examples,
the benchmark estate and thousands of mutated documents both ways and compares the reports.
``GITOPSGEN_LINT_COMPILED=0`` evaluates everything in the interpreter.

What runs here: the built-in checks, per document, through the driver's ``group_<g>`` rules
(the checks without parameters, ``input.shared``) or through the check's own rule with its
parameters. conftest and Gatekeeper policies stay with the interpreter's batch driver, and so
does any document the VM cannot evaluate (it stops at 25,000 instructions, which a ConfigMap of
some 300 keys reaches): the VM only ever speeds up what the interpreter would answer.

Compiling takes ~50 ms, so the program is kept in a cache folder (``GITOPSGEN_CACHE_DIR``,
else ``$XDG_CACHE_HOME/gitopsgen``, else ``~/.cache/gitopsgen``) under a hash of everything it
is built from; a cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from generator.lint import fork
from generator.lint.checks import Check, Module
from generator.lint.engine import Driver, check_input, shared_input, to_json

BUILTIN_PACKAGE = "gitopsgen."  # the built-in pack's packages: gitopsgen.lib, gitopsgen.rules.*
PARALLEL_DOCUMENTS = 600  # evaluations (~40 ms of work) from which forking (~10 ms) pays off
FORMAT = "1"  # bump when what goes into the program changes
KEEP = 16  # compiled programs kept in the cache


def enabled() -> bool:
    return os.environ.get("GITOPSGEN_LINT_COMPILED", "1").strip() != "0"


@dataclass(frozen=True)
class _Work:
    """One evaluation: a document through a group rule (``check`` None) or through one check's rule."""

    index: int
    entry: str
    check: int | None = None


class CompiledChecks:
    """The built-in checks compiled for regorus' VM; the batch data is loaded per batch."""

    def __init__(self, program: Any, driver: Driver, checks: Sequence[Check]) -> None:
        import regorus

        self._regorus = regorus
        self._program = program
        self._driver = driver
        self._own = {index for index, check in enumerate(checks) if check.style == "gitopsgen"}
        self._queries = [check.query for check in checks]
        self._data_json: str | None = None
        self._vm: Any = None

    @classmethod
    def build(cls, modules: Sequence[Module], driver: Driver, checks: Sequence[Check]) -> CompiledChecks | None:
        """The program, from the cache or compiled; None when the pack is not exact in the VM."""
        pack = [module for module in modules if module.package.startswith(BUILTIN_PACKAGE)]
        entries = [f"data.{driver.module.package}.group_{group}" for group in driver.shared_groups]
        entries += sorted({check.query for check in checks if check.style == "gitopsgen"})
        if not pack or not entries:
            return None
        key = _cache_key(pack, driver.module, entries)
        program = _cached(key)
        if program is None:
            program = _compile(pack, driver.module, entries)
            if program is None:
                return None
            _store(key, program)
        return cls(program, driver, checks)

    def takes(self, batch_input: dict[str, Any], left: set[int]) -> dict[str, Any]:
        """What is left of ``batch_input`` for the interpreter: the other checks, and the documents in ``left``."""
        return {
            **batch_input,
            "shared": [checks if index in left else [] for index, checks in enumerate(batch_input["shared"])],
            "groups": [[index for index in group if index in left] for group in batch_input["groups"]],
            "targets": [
                [index for index in targets if index in left] if k in self._own else targets
                for k, targets in enumerate(batch_input["targets"])
            ],
        }

    def evaluate(self, batch_input: dict[str, Any], data: dict[str, Any]) -> tuple[list[list[Any]], set[int]]:
        """``[k, document index, result]`` for every built-in check of every document, and the documents left to the interpreter.

        A document the VM cannot evaluate (its instruction limit, 25,000, is reached by a
        ConfigMap of some 300 keys) is left whole to the interpreter. Many documents are split
        over forked workers.
        """
        self._load(data)
        work = [
            _Work(index, f"data.{self._driver.module.package}.group_{group}")
            for group, indexes in enumerate(batch_input["groups"])
            for index in indexes
        ]
        work += [
            _Work(index, self._queries[k], check=k)
            for k, targets in enumerate(batch_input["targets"])
            if k in self._own
            for index in targets
        ]
        workers = fork.workers()
        if workers < 2 or len(work) < PARALLEL_DOCUMENTS:
            parts = [self._run(batch_input, work)]
        else:
            parts = fork.split(lambda part: self._run(batch_input, work[part::workers]), workers)
        left = {index for _, failed in parts for index in failed}
        return [row for rows, _ in parts for row in rows if row[1] not in left], left

    def _load(self, data: dict[str, Any]) -> None:
        """A VM holding the program and ``data`` (kept while the data stays the same)."""
        data_json = to_json(data)
        if data_json != self._data_json:
            self._vm = self._regorus.Rvm()
            self._vm.load_program(self._program)
            self._vm.set_data_json(data_json)
            self._data_json = data_json

    def _run(self, batch_input: dict[str, Any], work: Sequence[_Work]) -> tuple[list[list[Any]], set[int]]:
        """The rows of ``work``, and the documents the VM could not evaluate."""
        rows: list[list[Any]] = []
        failed: set[int] = set()
        for item in work:
            if item.check is None:
                document_input = shared_input(batch_input, item.index)
            else:
                document_input = check_input(batch_input, item.index, item.check)
            self._vm.set_input_json(to_json(document_input))
            try:
                raw = self._vm.execute_entry_point(item.entry)
            except RuntimeError:
                failed.add(item.index)
                continue
            results = orjson.loads(raw) if raw.startswith("[") else []
            if item.check is None:
                rows += ([check, item.index, result] for check, result in results)
            else:
                rows += ([item.check, item.index, result] for result in results)
        return rows, failed


def guarded(modules: Sequence[Module]) -> list[str] | None:
    """Each module's text with ``; x == x`` after every assignment ``x := e``; None if one uses ``else`` or a default function."""
    import regorus

    engine = regorus.Engine()
    for module in modules:
        engine.add_policy(module.path, module.text)
    trees = {tree["source"]["file"]: tree["ast"] for tree in orjson.loads(engine.get_ast_as_json())}
    texts = []
    for module in modules:
        tree = trees[module.path]
        if any(_uses_else_or_default_function(rule) for rule in tree["rules"]):
            return None
        raw = module.text.encode()
        for end, names in sorted(_assignments(tree), reverse=True):
            raw = raw[:end] + "".join(f"; {name} == {name}" for name in names).encode() + raw[end:]
        texts.append(raw.decode())
    return texts


def _compile(pack: Sequence[Module], driver_module: Module, entries: list[str]) -> Any:
    import regorus

    try:
        texts = guarded(pack)
        if texts is None:
            return None
        sources = [(module.path, text) for module, text in zip(pack, texts)] + [(driver_module.path, driver_module.text)]
        return regorus.Program.compile_from_modules("{}", sources, entries)
    except RuntimeError:  # something the compiler does not support: the interpreter evaluates it
        return None


def _uses_else_or_default_function(rule: dict[str, Any]) -> bool:
    kind, body = next(iter(rule.items()))
    if kind == "Default":
        return bool(body.get("args"))
    return any(part.get("is_else") for part in body.get("bodies", []))


def _assignments(node: Any) -> Iterator[tuple[int, list[str]]]:
    """(end offset, variables bound) of every assignment statement, in every query (comprehensions too)."""
    if isinstance(node, dict):
        for statement in node.get("stmts", ()):
            literal = statement.get("literal")
            expression = literal.get("Expr", {}).get("expr", {}) if isinstance(literal, dict) else {}
            if "AssignExpr" in expression:
                names = list(_variables(expression["AssignExpr"]["lhs"]))
                if names:
                    yield statement["span"]["end"], names
        for value in node.values():
            yield from _assignments(value)
    elif isinstance(node, list):
        for value in node:
            yield from _assignments(value)


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


def cache_dir() -> Path:
    if os.environ.get("GITOPSGEN_CACHE_DIR"):
        return Path(os.environ["GITOPSGEN_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "gitopsgen"


def _cache_key(pack: Sequence[Module], driver_module: Module, entries: list[str]) -> str:
    """A hash of the sources, the entry points and the regorus build (another build may compile differently)."""
    import regorus

    build = os.stat(regorus.regorus.__file__)
    digest = hashlib.sha256(f"{FORMAT}\0{build.st_size}\0{build.st_mtime_ns}".encode())
    for module in [*pack, driver_module]:
        digest.update(f"\0{module.path}\0{module.text}".encode())
    digest.update("\0".join(entries).encode())
    return digest.hexdigest()


def _cached(key: str) -> Any:
    import regorus

    try:
        program, partial = regorus.Program.deserialize_binary((cache_dir() / f"rego-{key}.bin").read_bytes())
    except (OSError, RuntimeError, ValueError):
        return None
    return None if partial else program


def _store(key: str, program: Any) -> None:
    """Write the program to the cache (atomically), keeping only the most recent programs."""
    import tempfile

    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".rego-", delete=False) as stream:
            stream.write(program.serialize_binary())
        os.replace(stream.name, folder / f"rego-{key}.bin")
        programs = sorted(folder.glob("rego-*.bin"), key=lambda path: path.stat().st_mtime_ns, reverse=True)
        for old in programs[KEEP:]:  # one per version of the pack and selection of rules
            old.unlink(missing_ok=True)
    except (OSError, RuntimeError):  # RuntimeError: no home folder to put the cache in
        pass
