"""The paths of the built-in checks give the same results and exit codes.

The built-in checks run in regorus' compiled mode (generator/lint/compiled.py), a VM that
evaluates some Rego differently from the interpreter; the pack avoids what no guard fixes and
assignments are guarded. A document whose group rule the VM cannot finish gets each check
alone; a check the VM still cannot finish goes to the interpreter (generator/lint/evaluation.py).
These tests lint the same documents three ways: as they run ("vm"), with every group rule
stopped ("alone": every check alone in the VM) and with every check stopped ("interpreter"),
and compare every result and the exit code: the fixtures, the examples, the benchmark estate
with broken documents, documents mutated at random (fields deleted, emptied, nulled or
retyped) and malformed documents. "vm" and "alone" agree on every input; "interpreter" agrees
wherever it answers, and stops (exit 2) on a malformed object where the VM reads the field as
undefined.
"""

from __future__ import annotations

import copy
import functools
import os
import random
import shutil
import sys
from datetime import date
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from generator.errors import InputError
from generator.lint import compiled
from generator.lint.checks import Module
from generator.lint.config import load_config
from generator.lint.driver import driver
from generator.lint.engine import RegorusEngine
from generator.lint.linter import LintBatch, LintOptions, lint_batches
from generator.lint.policy import builtin_pack, load_policies
from generator.lint.rendered_tree import RenderedTree
from generator.lint.run import LintRequest
from generator.pipeline import lint_inputs, lintable_manifests
from generator.results import ResourceResult, exit_code

ROOT = Path(__file__).resolve().parents[1]
LINT = ROOT / "tests" / "fixtures" / "lint"
MANIFESTS = [str(LINT / name) for name in ("conftest", "exemptions", "gatekeeper", "rules", "seed", "workloads.yaml")]  # not config/: lint configurations
ENVS = ("dev", "staging", "prod")

sys.path.insert(0, str(ROOT / "tests" / "bench"))
import bench_lint  # noqa: E402  (the lint benchmark's estate generator)


@functools.cache
def pack() -> tuple[Any, Any]:
    return load_policies(None), load_config(builtin_pack() / "config.yaml")


def lint_three_ways(batches: list[LintBatch], env: str | None, tree: RenderedTree, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Each way's (results, exit code), or the error's text where the run stopped."""
    policies, config = pack()
    original = compiled.CompiledChecks._execute
    stopped = {
        "vm": lambda entry: False,
        "alone": lambda entry: ".group_" in entry,  # as if the VM reached its instruction limit there
        "interpreter": lambda entry: True,
    }
    outcomes: dict[str, Any] = {}
    for way, stops in stopped.items():
        with monkeypatch.context() as patch:
            patch.setattr(compiled.CompiledChecks, "_execute", lambda self, entry, doc: None if stops(entry) else original(self, entry, doc))
            try:
                linted = lint_batches(batches, policies, config, RegorusEngine(), tree, LintOptions(env=env, today=date(2026, 11, 23)))
                results = list(linted.values())
                outcomes[way] = (results, exit_code(results, "error"))
            except InputError as error:
                outcomes[way] = f"error: {error}"
    return outcomes


def same(outcomes: dict[str, Any]) -> bool:
    return outcomes["vm"] == outcomes["alone"] == outcomes["interpreter"]


def files_batch(paths: list[str], env: str | None) -> list[LintBatch]:
    return [LintBatch(env, lintable_manifests(paths))]


def findings(outcome: tuple[list[ResourceResult], int]) -> list[tuple[Any, ...]]:
    results, _ = outcome
    return [(r.path, r.kind, r.name, f.rule, f.level, f.message, f.field) for r in results for f in r.findings]


def test_the_built_in_pack_is_compiled() -> None:
    policies = load_policies(None)
    batch_driver = driver(policies.checks)
    assert compiled.CompiledChecks.build(policies.modules, batch_driver, policies.checks) is not None


@pytest.mark.parametrize("env", ENVS)
def test_fixtures_give_the_same_findings(env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    outcomes = lint_three_ways(files_batch(MANIFESTS, env), env, RenderedTree(), monkeypatch)
    assert same(outcomes)
    assert len(findings(outcomes["vm"])) > 100


@pytest.mark.parametrize("env", ENVS)
def test_the_examples_give_the_same_results(env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    batches, tree = lint_inputs(LintRequest(env=env, project_dir=ROOT))
    outcomes = lint_three_ways(batches, None, tree, monkeypatch)
    assert same(outcomes)
    assert len(outcomes["vm"][0]) > 40 and outcomes["vm"][1] == 0  # every object of every app (they lint clean)


def test_the_broken_estate_gives_the_same_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every broken app (one in seven) and as many clean ones, as one batch, in each environment."""
    bench_lint.write_broken_estate(tmp_path / "estate")
    files = [str(path) for path in sorted((tmp_path / "estate").glob("*/*.yaml")) if int(path.stem[-3:]) % 7 in (0, 1)]
    for env in ENVS:
        outcomes = lint_three_ways(files_batch(files, env), env, RenderedTree(), monkeypatch)
        assert same(outcomes), env
        assert len({finding[3] for finding in findings(outcomes["vm"])}) >= 18, env  # most rules fire somewhere


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


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mutated_documents_give_the_same_findings(seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each file is a batch of its own. The VM never stops on one; the interpreter stops on those with a type error."""
    documents = [manifest.obj for manifest in lintable_manifests(MANIFESTS)]
    stopped = 0
    for number, docs in enumerate(mutations(documents, 100, seed)):
        path = tmp_path / f"m{number:03d}.yaml"
        path.write_text(yaml.safe_dump_all(docs))
        env = ENVS[number % 3]
        try:
            batches = files_batch([str(path)], env)
        except InputError:  # a mutation took an object's kind or apiVersion: bad input for every engine
            continue
        outcomes = lint_three_ways(batches, env, RenderedTree(), monkeypatch)
        assert not isinstance(outcomes["vm"], str), outcomes["vm"]
        assert outcomes["alone"] == outcomes["vm"], path.read_text()
        if isinstance(outcomes["interpreter"], str):
            assert "the object is probably malformed" in outcomes["interpreter"]
            stopped += 1
        else:
            assert outcomes["interpreter"] == outcomes["vm"], path.read_text()
    assert stopped < 50  # most mutations leave the objects readable


MALFORMED = [
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: web}\nspec:\n  template:\n    spec:\n      containers: latest\n",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: true\nspec: []\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: web}\ndata: [1, 2]\n",
    "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: web}\nspec: {selector: x, ports: 80}\n",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: web}\nspec:\n  template:\n    spec:\n"
    "      containers:\n      - {name: 1, image: 2, ports: 3, env: 4, resources: 5, securityContext: 6, livenessProbe: 7}\n"
    "      securityContext: {capabilities: {add: x}, runAsUser: root}\n      volumes: {hostPath: /}\n",
    "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i, namespace: web}\nspec: {rules: [{http: {paths: [{backend: 1}]}}]}\n",
    "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a, namespace: argocd}\nspec: {source: 1, syncPolicy: []}\n",
    "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p, namespace: web}\nspec: {minAvailable: [], selector: 1}\n",
]


@pytest.mark.parametrize("env", ENVS)
def test_malformed_documents_give_the_same_findings_and_exit_code(env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Objects of the wrong shape: the VM reads the field as undefined and reports what else it finds, exit 1.

    Only a document too big for the VM reaches the interpreter, which stops on its type error
    (exit 2) and names the object, at its line.
    """
    path = tmp_path / "malformed.yaml"
    path.write_text("---\n".join(MALFORMED))
    outcomes = lint_three_ways(files_batch([str(path)], env), env, RenderedTree(), monkeypatch)
    assert outcomes["alone"] == outcomes["vm"]
    assert outcomes["vm"][1] == 1 and len(outcomes["vm"][0]) == len(MALFORMED)
    assert outcomes["interpreter"].startswith(f"error: {path}:")
    assert "the object is probably malformed: `gitopsgen validate` names the field" in outcomes["interpreter"]


# --- what makes a module exact in the VM ---------------------------------------------------------


def test_assignments_are_guarded_in_rules_functions_and_comprehensions() -> None:
    module = Module("m.rego", 'package gitopsgen.m\nimport rego.v1\nf(x) := y if {\n\ty := x.a\n}\nr := [z | some v in input.v; z := v.b]\n')
    [text] = compiled.guarded([module])
    assert "\ty := x.a; y == y\n" in text
    assert "z := v.b; z == z]" in text


@pytest.mark.parametrize(
    ("rule", "construct"),
    [
        ("f(x) := 1 if { some y in input.ys; y == x } else := 2", "else"),
        ("default f(_) := 1\nf(x) := 2 if x > 1", "a default function"),
    ],
)
def test_a_module_using_else_or_a_default_function_is_an_error_at_its_line(rule: str, construct: str) -> None:
    with pytest.raises(InputError) as raised:
        compiled.guarded([Module("policies/m.rego", f"package gitopsgen.m\nimport rego.v1\n\n{rule}\n")])
    assert (str(raised.value.path), raised.value.line) == ("policies/m.rego", 4)
    assert raised.value.message.startswith(f"{construct} is not allowed in the built-in pack")


def test_a_pack_using_else_stops_lint_with_that_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from generator.cli import cli
    from generator.lint import policy

    shutil.copytree(builtin_pack(), tmp_path / "pack")
    (tmp_path / "pack" / "lib" / "extra.rego").write_text(
        'package gitopsgen.lib\n\nimport rego.v1\n\nlabel_or(x) := x.label if { x.label } else := "none"\n'
    )
    monkeypatch.setattr(policy, "builtin_pack", lambda: tmp_path / "pack")
    monkeypatch.setenv("GITOPSGEN_CACHE_DIR", str(tmp_path / "cache"))
    result = CliRunner().invoke(cli, ["lint", str(LINT / "workloads.yaml")])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"error: {tmp_path / 'pack' / 'lib' / 'extra.rego'}:5: else is not allowed in the built-in pack")


@pytest.mark.parametrize("value", ['"the pod\'s x"', '"q\\"x"', "`raw`", '"a" # a comment', 'concat("", ["a", "b"])'])
def test_the_guard_after_a_string_literal_goes_after_its_closing_quote(value: str) -> None:
    """regorus' span of ``msg := "a"`` stops before the closing quote: the guard must not land inside the string."""
    import regorus

    module = Module("m.rego", f"package gitopsgen.m\nimport rego.v1\nr := msg if {{\n\tmsg := {value}\n\ttrue\n}}\n")
    [text] = compiled.guarded([module])
    program = regorus.Program.compile_from_modules("{}", [("m.rego", text)], ["data.gitopsgen.m.r"])
    vm = regorus.Rvm()
    vm.load_program(program)
    vm.set_data_json("{}")
    vm.set_input_json("{}")
    interpreter = regorus.Engine()
    interpreter.add_policy("m.rego", module.text)
    assert vm.execute_entry_point("data.gitopsgen.m.r") == interpreter.eval_rule_as_json("data.gitopsgen.m.r")


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


def test_documents_too_big_for_the_vm_are_left_to_the_interpreter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """regorus' VM stops at 25,000 instructions; such documents get their checks from the interpreter."""
    config_map = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big", "namespace": "web"},
                  "data": {**{f"key{i}": f"value{i}" for i in range(400)}, "aws_key": "AKIAABCDEFGHIJKLMNOP"}}
    containers = [{"name": f"c{i}", "image": "web:latest", "env": [{"name": f"E{j}", "value": "v"} for j in range(50)]} for i in range(5)]
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "web"},
                  "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                           "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": containers}}}}
    small = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "small", "namespace": "web"}, "data": {"token": "abc123xyz"}}
    path = tmp_path / "big.yaml"
    path.write_text(yaml.safe_dump_all([config_map, deployment, small]))
    left: list[list[tuple[int, str]]] = []
    original = compiled.CompiledChecks.evaluate

    def recording(self, batch_input, data):  # type: ignore[no-untyped-def]
        rows, unfinished = original(self, batch_input, data)
        left.append([(index, self._queries[check].rpartition(".rules.")[2]) for index, check, _ in unfinished])
        return rows, unfinished

    path_outcomes = lint_three_ways(files_batch([str(path)], "prod"), "prod", RenderedTree(), monkeypatch)
    monkeypatch.setattr(compiled.CompiledChecks, "evaluate", recording)
    lint_three_ways(files_batch([str(path)], "prod"), "prod", RenderedTree(), monkeypatch)
    assert left[0] == [(0, "plaintext_credentials.violation"), (1, "plaintext_credentials.violation")]  # only that check, the small ConfigMap in the VM
    assert same(path_outcomes)
    rules = {(kind, rule) for _, kind, _, rule, *_ in findings(path_outcomes["vm"])}
    assert {("ConfigMap", "plaintext-credentials"), ("Deployment", "image-tag-pinned"), ("Deployment", "run-as-non-root")} <= rules
