"""The built-in checks in regorus' compiled mode find exactly what the interpreter finds.

The compiled mode (generator/lint/compiled.py) is regorus' VM, which evaluates some Rego
differently from the interpreter; the pack avoids what it cannot fix and guards assignments.
These tests lint the same documents both ways (GITOPSGEN_LINT_COMPILED=0 is the interpreter)
and compare every result: the fixtures, the examples, the benchmark estate with broken
documents, and documents mutated at random (fields deleted, emptied, nulled or retyped).
"""

from __future__ import annotations

import copy
import functools
import os
import random
import sys
from datetime import date
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from generator.errors import InputError
from generator.lint import compiled
from generator.lint.config import load_config
from generator.lint.engine import RegorusEngine, driver
from generator.lint.checks import Module
from generator.lint.policy import builtin_pack, load_policies
from generator.lint.linter import LintOptions, lint_batches
from generator.lint.linter import LintBatch
from generator.lint.rendered_tree import RenderedTree
from generator.lint.run import LintRequest
from generator.pipeline import lint_inputs, lintable_manifests
from generator.results import ResourceResult

ROOT = Path(__file__).resolve().parents[1]
LINT = ROOT / "tests" / "fixtures" / "lint"
ENVS = ("dev", "staging", "prod")

sys.path.insert(0, str(ROOT / "tests" / "bench"))
import bench_lint  # noqa: E402  (the lint benchmark's estate generator)


@functools.cache
def pack() -> tuple[Any, Any]:
    return load_policies(None), load_config(builtin_pack() / "config.yaml")


def lint_both_ways(batches: list[LintBatch], env: str | None, tree: RenderedTree, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The results with the interpreter ("0") and with the compiled checks ("1"); "error" where a run raised."""
    policies, config = pack()
    outcomes: dict[str, Any] = {}
    for mode in ("0", "1"):
        monkeypatch.setenv("GITOPSGEN_LINT_COMPILED", mode)
        engine = RegorusEngine()
        try:
            linted = lint_batches(batches, policies, config, engine, tree, LintOptions(env=env, today=date(2026, 11, 23)))
            outcomes[mode] = list(linted.values())
        except InputError:
            outcomes[mode] = "error"
    return outcomes


def findings(results: list[ResourceResult]) -> list[tuple[Any, ...]]:
    return [(r.path, r.kind, r.name, f.rule, f.level, f.message, f.field) for r in results for f in r.findings]


def test_the_built_in_pack_is_compiled() -> None:
    policies = load_policies(None)
    batch_driver = driver(policies.checks)
    assert compiled.CompiledChecks.build(policies.modules, batch_driver, policies.checks) is not None


@pytest.mark.parametrize("env", ENVS)
def test_fixtures_give_the_same_findings(env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    outcomes = lint_both_ways([LintBatch(env, lintable_manifests([str(LINT)]))], env, RenderedTree(), monkeypatch)
    assert outcomes["1"] == outcomes["0"]
    assert len(findings(outcomes["1"])) > 100


@pytest.mark.parametrize("env", ENVS)
def test_the_examples_give_the_same_results(env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    batches, tree = lint_inputs(LintRequest(env=env, project_dir=ROOT))
    outcomes = lint_both_ways(batches, None, tree, monkeypatch)
    assert outcomes["1"] == outcomes["0"]
    assert len(outcomes["1"]) > 40  # every object of every app (they lint clean)


def test_the_broken_estate_gives_the_same_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bench_lint.write_broken_estate(tmp_path / "estate")
    for env in ENVS:
        outcomes = lint_both_ways([LintBatch(env, lintable_manifests([str(tmp_path / "estate")]))], env, RenderedTree(), monkeypatch)
        assert outcomes["1"] == outcomes["0"], env
        assert len({finding[3] for finding in findings(outcomes["1"])}) >= 18, env  # most rules fire somewhere


REPLACEMENTS: list[Any] = [None, "", 0, 1, -1, True, False, [], {}, "latest", "ALL", "0", [None], {"x": None}]


def mutations(documents: list[dict[str, Any]], count: int, seed: int) -> Iterator[list[dict[str, Any]]]:
    """``count`` files of four documents, most with one to three fields deleted or replaced."""
    rng = random.Random(seed)

    def paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
        yield prefix
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in children:
            yield from paths(child, (*prefix, key))

    def mutate(obj: dict[str, Any]) -> dict[str, Any]:
        obj = copy.deepcopy(obj)
        for _ in range(rng.randint(1, 3)):
            where = [path for path in paths(obj) if len(path) >= 2]
            if not where:
                break
            path = rng.choice(where)
            parent = obj
            for step in path[:-1]:
                parent = parent[step]
            if rng.random() < 0.4:
                del parent[path[-1]]
            else:
                parent[path[-1]] = copy.deepcopy(rng.choice(REPLACEMENTS))
        return obj

    for _ in range(count):
        chosen = rng.sample(documents, min(4, len(documents)))
        yield [mutate(doc) if rng.random() < 0.7 else copy.deepcopy(doc) for doc in chosen]


@pytest.mark.parametrize("seed", [1, 2])
def test_mutated_documents_give_the_same_findings(seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each file is a batch of its own; a file the interpreter cannot evaluate (a type error) is left out."""
    documents = [manifest.obj for manifest in lintable_manifests([str(LINT)])]
    compared = 0
    for number, docs in enumerate(mutations(documents, 100, seed)):
        path = tmp_path / f"m{number:03d}.yaml"
        path.write_text(yaml.safe_dump_all(docs))
        env = ENVS[number % 3]
        outcomes = lint_both_ways([LintBatch(env, lintable_manifests([str(path)]))], env, RenderedTree(), monkeypatch)
        if outcomes["0"] == "error":
            continue
        assert outcomes["1"] == outcomes["0"], path.read_text()
        compared += 1
    assert compared >= 50


# --- what makes a module exact in the VM ---------------------------------------------------------


def test_assignments_are_guarded_in_rules_functions_and_comprehensions() -> None:
    module = Module("m.rego", 'package gitopsgen.m\nimport rego.v1\nf(x) := y if {\n\ty := x.a\n}\nr := [z | some v in input.v; z := v.b]\n')
    [text] = compiled.guarded([module])
    assert "\ty := x.a; y == y\n" in text
    assert "z := v.b; z == z]" in text


@pytest.mark.parametrize(
    "rule",
    [
        "f(x) := 1 if { some y in input.ys; y == x } else := 2",
        "default f(_) := 1\nf(x) := 2 if x > 1",
    ],
)
def test_a_module_using_else_or_a_default_function_is_not_compiled(rule: str) -> None:
    assert compiled.guarded([Module("m.rego", f"package gitopsgen.m\nimport rego.v1\n{rule}\n")]) is None


def test_default_rules_are_exact_and_compiled() -> None:
    assert compiled.guarded([Module("m.rego", "package gitopsgen.m\nimport rego.v1\ndefault x := 1\nx := 2 if input.y\n")]) is not None


def test_the_guard_makes_an_undefined_assignment_fail_the_body() -> None:
    """In regorus' VM (0.13) ``x := input.missing; true`` is true; guarded, it is undefined, as in the interpreter."""
    import regorus

    def vm_result(text: str) -> str:
        program = regorus.Program.compile_from_modules("{}", [("m.rego", text)], ["data.gitopsgen.m.r"])
        vm = regorus.Rvm()
        vm.load_program(program)
        vm.set_data_json("{}")
        vm.set_input_json("{}")
        return vm.execute_entry_point("data.gitopsgen.m.r")

    module = Module("m.rego", "package gitopsgen.m\nimport rego.v1\nr if {\n\tx := input.missing\n\ttrue\n}\n")
    [text] = compiled.guarded([module])
    assert vm_result(text) == '"<undefined>"'


# --- the program cache -------------------------------------------------------------------------


def build() -> compiled.CompiledChecks | None:
    policies = load_policies(None)
    return compiled.CompiledChecks.build(policies.modules, driver(policies.checks), policies.checks)


def test_the_program_is_compiled_once_and_then_read_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITOPSGEN_CACHE_DIR", str(tmp_path))
    calls: list[int] = []
    original = compiled._compile
    monkeypatch.setattr(compiled, "_compile", lambda *args: calls.append(1) or original(*args))
    assert build() is not None and build() is not None
    assert calls == [1]
    assert [path.name.startswith("rego-") for path in tmp_path.iterdir()] == [True]


def test_the_cache_keeps_only_the_most_recent_programs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITOPSGEN_CACHE_DIR", str(tmp_path))
    for number in range(compiled.KEEP + 3):
        (tmp_path / f"rego-old{number:02d}.bin").write_bytes(b"")
        os.utime(tmp_path / f"rego-old{number:02d}.bin", ns=(number, number))
    assert build() is not None
    kept = sorted(path.name for path in tmp_path.iterdir())
    assert len(kept) == compiled.KEEP and "rego-old00.bin" not in kept and "rego-old18.bin" in kept


def test_a_corrupt_or_unwritable_cache_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITOPSGEN_CACHE_DIR", str(tmp_path))
    assert build() is not None
    [cached] = tmp_path.iterdir()
    cached.write_bytes(b"not a program")
    assert build() is not None  # compiled again
    blocked = tmp_path / "file"
    blocked.write_text("")
    monkeypatch.setenv("GITOPSGEN_CACHE_DIR", str(blocked / "cache"))  # a folder that cannot be made
    assert build() is not None


def test_no_home_folder_means_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITOPSGEN_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert build() is not None


def test_the_interpreter_alone_when_compiled_mode_is_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITOPSGEN_LINT_COMPILED", "0")
    policies = load_policies(None)
    assert RegorusEngine().compiled(policies.modules, driver(policies.checks), policies.checks) is None


def test_documents_too_big_for_the_vm_are_left_to_the_interpreter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """regorus' VM stops at 25,000 instructions; such documents get the interpreter's answer."""
    config_map = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big", "namespace": "web"},
                  "data": {**{f"key{i}": f"value{i}" for i in range(400)}, "aws_key": "AKIAABCDEFGHIJKLMNOP"}}
    containers = [{"name": f"c{i}", "image": "web:latest", "env": [{"name": f"E{j}", "value": "v"} for j in range(50)]} for i in range(5)]
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "web"},
                  "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                           "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": containers}}}}
    small = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "small", "namespace": "web"}, "data": {"token": "abc123xyz"}}
    path = tmp_path / "big.yaml"
    path.write_text(yaml.safe_dump_all([config_map, deployment, small]))
    left: list[set[int]] = []
    original = compiled.CompiledChecks.evaluate

    def recording(self, batch_input, data):  # type: ignore[no-untyped-def]
        rows, unevaluated = original(self, batch_input, data)
        left.append(unevaluated)
        return rows, unevaluated

    monkeypatch.setattr(compiled.CompiledChecks, "evaluate", recording)
    outcomes = lint_both_ways([LintBatch("prod", lintable_manifests([str(path)]))], "prod", RenderedTree(), monkeypatch)
    assert left == [{0, 1}]  # the small ConfigMap was evaluated by the VM
    assert outcomes["1"] == outcomes["0"]
    rules = {(kind, rule) for _, kind, _, rule, *_ in findings(outcomes["1"])}
    assert {("ConfigMap", "plaintext-credentials"), ("Deployment", "image-tag-pinned"), ("Deployment", "run-as-non-root")} <= rules
