"""Positions read from the text (generator/yaml_text.py) are libyaml's, on every node.

``yamlio.load_fast`` gives each document the native loader's data and positions read from its
lines; where that reader is unsure it parses the file with libyaml. These tests ask both for
the position of every field (and of fields that do not exist) of every YAML file of the
repository, the benchmark estates and random documents in several dump styles, and require the
text reader to answer most of them itself.
"""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import yaml_text, yamlio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "bench"))
import bench_lint  # noqa: E402  (the benchmark's estate generator)


def field_paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path into ``value``, and one step past each (a field that does not exist)."""
    yield prefix
    yield (*prefix, "no-such-field")
    yield (*prefix, 7)
    if isinstance(value, dict):
        for key, child in value.items():
            yield from field_paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from field_paths(child, (*prefix, index))


def compare(text: str) -> tuple[int, int]:
    """(positions the text reader gave, positions it left to libyaml); asserts every one equals libyaml's."""
    fast = yamlio.load_fast(text, "f.yaml")
    if fast is None:
        return 0, 0
    parsed = yamlio.load_documents(text, "f.yaml")
    assert [document.data for document in fast] == [document.data for document in parsed]
    assert not any(document.duplicates for document in parsed), text
    answered = unsure = 0
    for mine, theirs in zip(fast, parsed):
        assert mine.line == theirs.line, text
        for path in field_paths(theirs.data):
            assert mine.position(path) == theirs.position(path), (path, text)
            try:
                assert mine.text is not None
                mine.text.position(path)
                answered += 1
            except yaml_text.Unsure:
                unsure += 1
    return answered, unsure


def repository_yaml() -> list[Path]:
    skip = {".venv", ".tools", ".bench", ".git", "node_modules"}
    return [path for path in sorted(ROOT.rglob("*.y*ml")) if not skip & set(path.relative_to(ROOT).parts)]


def test_every_yaml_file_of_the_repository() -> None:
    answered = unsure = 0
    for path in repository_yaml():
        try:
            text = yamlio.decode(path.read_bytes(), str(path))
            yamlio.load_documents(text, str(path))
        except yamlio.YAMLSyntaxError:
            continue  # the invalid-YAML fixtures
        mine, left = compare(text)
        answered, unsure = answered + mine, unsure + left
    assert answered > 10_000 and unsure < answered / 3  # flow collections (`{name: x}`) are left to libyaml


@pytest.mark.parametrize("write", [bench_lint.write_estate, bench_lint.write_broken_estate], ids=["estate", "broken"])
def test_the_benchmark_estates_are_read_without_libyaml(write: Any, tmp_path: Path) -> None:
    write(tmp_path)
    files = sorted(tmp_path.glob("*/*.yaml"))[::7]
    for path in files:
        answered, unsure = compare(path.read_text())
        assert answered > 100 and unsure == 0, path


SCALARS: list[Any] = ["plain", "two words", "with: colon", "#hash", "- dash", "a - b", "", "x" * 90, "line\nbreak",
                      "'quoted'", '"dq"', "ünï", 0, 1.5, True, None, "yes", "@at", "key:", "{x}", "[y]", "&a", "*b", "!t"]
KEYS: list[Any] = ["name", "app.kubernetes.io/name", "with space", "x:y", "-dash", "a#b", "é", 80, "true", "'q'", "k e y"]


def random_value(rng: random.Random, depth: int) -> Any:
    choice = rng.random()
    if depth > 3 or choice < 0.35:
        return rng.choice(SCALARS)
    if choice < 0.7:
        return {rng.choice(KEYS): random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}
    return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]


@pytest.mark.parametrize("seed", range(4))
def test_random_documents_in_several_dump_styles(seed: int) -> None:
    """Positions of documents in the styles PyYAML writes (flow or block, indents, widths, markers, comments)."""
    rng = random.Random(seed)
    answered = 0
    for _ in range(150):
        documents = [{"kind": "Thing", **{rng.choice(KEYS): random_value(rng, 0) for _ in range(4)}} for _ in range(rng.randint(1, 3))]
        style = {"default_flow_style": rng.choice([False, None]), "indent": rng.choice([2, 4]), "width": rng.choice([20, 80]),
                 "explicit_start": rng.choice([True, False]), "allow_unicode": True, "sort_keys": rng.choice([True, False])}
        text = yaml.safe_dump_all(documents, **style)
        if rng.random() < 0.3:
            text = "# a comment\n" + text.replace("\n", "\n  # indented comment\n", 1)
        mine, _ = compare(text)
        answered += mine
    assert answered > 1000


@pytest.mark.parametrize(
    "text",
    [
        "a:\n- 1\n- 2\nb:\n  - x: 1\n    y: [1, 2]\n  -\n    z: 3\n",
        "---\n# c\na: |\n  block\n  - not a list\n  k: v\nb: >-\n  folded\n---\nc: 'it''s'\n",
        "a: &anchor\n  b: 1\nc: *anchor\nd: !!str 5\n",
        'a: "multi\n  line"\nb: {x: 1}\n',
        "- - 1\n  - 2\n- - 3\n",
        "? complex\n: value\n",
        "a:\n  b:\n  c: 1\n",
    ],
)
def test_awkward_documents(text: str) -> None:
    compare(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: 2\na: 3\n",
        "x:\n  - name: a\n    name: b\n",
        "x: &id\n  k: 1\ny: *id\nz:\n  k: 1\n  k: 2\n",
        "a: {b: 1, b: 2}\n",
        "a: |\n  b: 1\nc: 1\nc: 2\n",
        'a: "one\n  b: two"\nc: 1\nc: 2\n',
        "a: [x: 1]\nb: 1\nb: 2\n",
        "&a k: 1\nb: 1\nb: 2\n",
        '"q\\"k": 1\nb: 1\nb: 2\n',
        "'it''s': 1\nb: 1\nb: 2\n",
    ],
)
def test_a_file_with_a_duplicate_key_is_left_to_libyaml(text: str) -> None:
    """load_fast reports no duplicate keys, so it must not answer for a file that has one."""
    assert any(document.duplicates for document in yamlio.load_documents(text))
    assert yamlio.load_fast(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "# note: a comment with a colon\na: 1\na: 2\n",
        "a: 'x: y'\nb: 1\nb: 2\n",
        'a: "x: y"\nb: "p:\tq"\nb: 2\n',
        "a: x:y\nb:\n  c: 1\n  c:\n",
        "a: 1\na:",
    ],
)
def test_a_duplicate_key_is_found_whatever_else_holds_a_colon(text: str) -> None:
    """The quick count of ``:`` (an upper bound on the keys) never proves a file with a duplicate key clean."""
    assert any(document.duplicates for document in yamlio.load_documents(text))
    assert yamlio.load_fast(text) is None


LINE_KEYS = ["a", "b", "name", "x y", "'q: r'", '"s"', "-k"]
LINE_VALUES = ["", " 1", " v", " 'p: q'", ' "t: u"', " x:y", " # c: d", " |\n{indent}  e: f", " # g:\n{indent}# h: i"]


def block_mapping(lines: list[tuple[int, str, str]]) -> str:
    """Key lines nested as asked where the key before has no value; colons in comments, quoted, plain and block scalars."""
    text, depth, nestable = "", 0, False
    for wanted, key, value in lines:
        depth = min(wanted, depth + 1 if nestable else depth)
        indent = "  " * depth
        text += f"{indent}{key}:{value.format(indent=indent)}\n"
        nestable = value in ("", " # c: d")
    return text


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.sampled_from(LINE_KEYS), st.sampled_from(LINE_VALUES)), min_size=1, max_size=10))
def test_load_fast_never_answers_for_text_with_a_duplicate_key(lines: list[tuple[int, str, str]]) -> None:
    """Random block mappings from few keys (duplicates likely): the fast path answers only where libyaml finds no duplicate."""
    text = block_mapping(lines)
    parsed = yamlio.load_documents(text)
    fast = yamlio.load_fast(text)
    if fast is not None:
        assert not any(document.duplicates for document in parsed), text
        assert [document.data for document in fast] == [document.data for document in parsed]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="-.% #a\n", max_size=60))
def test_marker_lines_are_found_as_a_line_start_pattern_finds_them(text: str) -> None:
    """``marker_lines`` (str.find, then the line's start) finds the lines the pattern tried at every line start finds
    (a ``---`` line's end too: its document ends there; a ``%`` or ``...`` line stops the reader, so its end is not used)."""
    pattern = re.compile(r"^(?:%|\.\.\.)|^---(.*)$", re.MULTILINE)
    ours = [(start, end if rest is not None else None, rest) for start, end, rest in yaml_text.marker_lines(text)]
    assert ours == [(found.start(), found.end() if found.group(1) is not None else None, found.group(1)) for found in pattern.finditer(text)]
