"""The shape of generator/: no import cycles, and no stage importing a later one.

The pipeline is load → render → validate → lint → report → publish. Imports are read with
``ast`` from every module, function-level and TYPE_CHECKING imports included, so a cycle hidden
inside a function counts as much as one at the top of a file.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "generator"

# Shared by every stage: the document model, the YAML layer, Kubernetes facts, results...
FOUNDATION = {
    "generator", "generator.errors", "generator.yamlio", "generator.walk", "generator.kube", "generator.results",
    "generator.schema", "generator.load", "generator.manifest", "generator.kustomize_build", "generator.kustomizations",
    "generator.cache", "generator.yaml_document", "generator.yaml_nodes",
}
STAGES = ["generator.render", "generator.validate", "generator.lint", "generator.report", "generator.publish"]
# Orchestration: runs the stages in order (so it comes after them all but publish, whose gate is a check run)
ORCHESTRATION = {"generator.pipeline": 4.5}
# The command line: options in, a pipeline call, an exit status out; on top of everything, imported by none of it
COMMANDS = {"generator.cli", "generator.__main__", "generator.check"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str) -> set[str]:
    """The generator modules ``name`` imports anywhere in its source (``from a import b``: ``a.b`` if it is a module)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    return imports_in(path.read_text(encoding="utf-8"), package) - {name}


def imports_in(source: str, package: str) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            found.update(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names)
    return {module for module in found if module in MODULES}


GRAPH = {name: imports(name) for name in MODULES}


def is_command(name: str) -> bool:
    return name.endswith(".command") or name in COMMANDS


def rank(name: str) -> float | None:
    """The module's place in the pipeline; None for command-line modules and those not yet placed."""
    if is_command(name):
        return None
    if name in FOUNDATION:
        return 0
    if name in ORCHESTRATION:
        return ORCHESTRATION[name]
    for index, stage in enumerate(STAGES, start=1):
        if name == stage or name.startswith(stage + "."):
            return index
    return None


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` (as a path that returns to its start), or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_import_graph_of_generator_has_no_cycle() -> None:
    cycle = find_cycle(GRAPH)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_no_stage_imports_a_later_stage() -> None:
    backwards = [
        f"{name} imports {target}"
        for name, targets in GRAPH.items()
        for target in sorted(targets)
        if (mine := rank(name)) is not None and (theirs := rank(target)) is not None and theirs > mine
    ]
    assert backwards == []


def test_command_line_modules_are_imported_by_no_stage() -> None:
    commands = {name for name in MODULES if is_command(name)}
    importers = [f"{name} imports {target}" for name, targets in GRAPH.items() if rank(name) is not None for target in targets & commands]
    assert importers == []


@pytest.mark.parametrize(
    ("graph", "cycle"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
        ({"a": {"b"}, "b": set(), "c": {"b"}}, None),
        ({"a": {"b", "c"}, "b": {"c"}, "c": set()}, None),
    ],
)
def test_find_cycle_finds_exactly_the_cycles(graph: dict[str, set[str]], cycle: list[str] | None) -> None:
    assert find_cycle(graph) == cycle


def test_imports_inside_functions_and_relative_imports_count() -> None:
    source = (
        "import generator.yamlio\n"
        "def f():\n    from generator.lint import gatekeeper\n"
        "    from . import checks\n"
        "    from .engine import PolicyEngine\n"
        "if True:\n    from generator.report import Output\n"
    )
    assert imports_in(source, "generator.lint") == {
        "generator.yamlio", "generator.lint.gatekeeper", "generator.lint.checks", "generator.lint.engine", "generator.report",
    }


def _is_dataclass(node: ast.ClassDef) -> bool:
    return any(
        (isinstance(decorator, ast.Name) and decorator.id == "dataclass")
        or (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Name) and decorator.func.id == "dataclass")
        for decorator in node.decorator_list
    )


# One YAML reader (generator.yamlio, over PyYAML's libyaml in yaml_nodes); ruamel.yaml only where a file is
# edited in place and its comments must survive
YAML_LIBRARIES = {
    "yaml": {"generator.yaml_nodes", "generator.yaml_document"},
    "ruamel": {"generator.publish.set_image", "generator.scaffold.command"},
}


def third_party_imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.partition(".")[0])
    return found


@pytest.mark.parametrize("library", sorted(YAML_LIBRARIES))
def test_yaml_is_read_through_the_one_reader(library: str) -> None:
    # preview-appset once read elementsYaml with yaml.safe_load: a syntax error was a traceback, an alias bomb was not refused
    users = {name for name, path in MODULES.items() if library in third_party_imports(path)}
    assert users == YAML_LIBRARIES[library]


def test_every_dataclass_says_what_it_is() -> None:
    """A docstring for each: on Python 3.11 a dataclass without one gets one made from inspect.signature as its
    module is imported (for the eight on lint's path: 17 million instructions at every start)."""
    undocumented = [
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ClassDef) and _is_dataclass(node) and not ast.get_docstring(node)
    ]
    assert undocumented == []
