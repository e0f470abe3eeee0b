"""The YAML layer's fast document builder builds exactly what PyYAML's own constructors build,
and the native fast path (load_data) builds exactly what load_documents builds."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import yaml_nodes, yaml_text, yamlio
import yaml

ROOT = Path(__file__).resolve().parent.parent
TRICKY = """\
apiVersion: v1
kind: ConfigMap
metadata: &meta
  name: tricky
  labels: {yes: no, on: off, "true": True}
data:
  octal: 0755
  hex: 0x1F
  underscore: 1_000
  sexagesimal: 1:30
  float: 1.5e3
  inf: .inf
  nulls: [~, null, Null, ""]
  zero: 0
  negative: -12
  date: 2024-01-31
  quoted: "0755"
  folded: >
    a
    b
  binary: !!binary aGVsbG8=
  set: !!set {a, b}
  again: *meta
  dup: 1
  dup: 2
---
base: &base {cpu: 100m, memory: 128Mi}
limits:
  <<: *base
  memory: 256Mi
---
# comment only
---
- 1
- [a, b]
"""


def reference_load(text: str, path: str) -> list[yamlio.Document]:
    """The oracle: the same loader, every node built by PyYAML's constructors."""
    loader = yaml_nodes._Loader(text)
    documents = []
    try:
        while loader.check_node():
            node = loader.get_node()
            loader.duplicates = []
            data = loader.construct_document(node)
            duplicates = [(key, mark.line + 1, mark.column + 1) for key, mark in loader.duplicates]
            documents.append(yamlio.Document(data, path, len(documents), node, duplicates))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise yamlio.YAMLSyntaxError(path, mark.line + 1, mark.column + 1, f"invalid YAML: {exc.problem}") from None
    finally:
        loader.dispose()
    return documents


def _same(text: str, path: str) -> None:
    expected = reference_load(text, path)
    actual = yamlio.load_documents(text, path)
    assert [d.data for d in actual] == [d.data for d in expected]
    assert [sorted(d.duplicates) for d in actual] == [sorted(d.duplicates) for d in expected]
    assert [d.line for d in actual] == [d.line for d in expected]


def test_tricky_scalars_tags_aliases_and_merge_keys() -> None:
    _same(TRICKY, "tricky.yaml")
    data = yamlio.load_documents(TRICKY, "tricky.yaml")[0].data
    assert data["data"]["octal"] == 493 and data["data"]["date"] == "2024-01-31" and data["data"]["dup"] == 2


@pytest.mark.parametrize("path", sorted((ROOT / "tests/fixtures/validate").rglob("*.y*ml")), ids=lambda p: p.name)
def test_fixture_corpus(path: Path) -> None:
    text = path.read_text()
    try:
        reference_load(text, str(path))
    except yamlio.YAMLSyntaxError as error:
        with pytest.raises(yamlio.YAMLSyntaxError) as raised:
            yamlio.load_documents(text, str(path))
        assert (raised.value.line, raised.value.column) == (error.line, error.column)
        return
    _same(text, str(path))


@pytest.mark.parametrize("text", [
    "a: 1\n? [x]\n: 2\n",
    "a: 1\n? !!set {x: 1}\n: 2\n",
    "b: &x {c: 1}\n<<: *x\n? !!set {x: 1}\n: 2\n",  # the merge-key path: a set key once stopped it with a traceback
    "b: &x {c: 1}\n<<: *x\n? [x]\n: 2\n",
])
def test_unhashable_key_is_a_syntax_error_with_its_line(text: str) -> None:
    with pytest.raises(yamlio.YAMLSyntaxError) as raised:
        yamlio.load_documents(text, "k.yaml")
    assert (raised.value.line, raised.value.problem) == (text.count("\n", 0, text.index("? ")) + 1, "invalid YAML: found an unhashable mapping key")


@pytest.mark.parametrize(
    ("text", "line", "column", "tag", "kind"),
    [
        ("- !!int {a: 1}\n", 1, 3, "!!int", "a mapping"),
        ("a: !!str {b: 1}\n", 1, 4, "!!str", "a mapping"),  # was read as a list of PyYAML's nodes
        ("a: !!null [1]\n", 1, 4, "!!null", "a sequence"),  # was read as null
        ("a:\n  b: !!bool [yes]\n", 2, 6, "!!bool", "a sequence"),
        ("!!str {a: 1}: b\n", 1, 1, "!!str", "a mapping"),  # a key
        ("a: !!map x\n", 1, 4, "!!map", "a scalar"),
        ("a: !!seq {b: 1}\n", 1, 4, "!!seq", "a mapping"),
        ("a: !!set [1]\n", 1, 4, "!!set", "a sequence"),
        ("a: !!omap x\n", 1, 4, "!!omap", "a scalar"),
        ("base: &b {x: 1}\nc:\n  <<: *b\n  d: !!float [1]\n", 4, 6, "!!float", "a sequence"),  # the merge-key path
    ],
)
def test_a_tag_on_another_kind_of_node_is_a_syntax_error_with_its_place(text: str, line: int, column: int, tag: str, kind: str) -> None:
    for load in (yamlio.load_documents, yamlio.load_data, yamlio.load_text):
        with pytest.raises(yamlio.YAMLSyntaxError) as raised:
            load(text, "tagged.yaml")
        assert (raised.value.line, raised.value.column) == (line, column)
        assert raised.value.problem == f"invalid YAML: the tag {tag} does not fit {kind}; remove the tag"


def test_the_tags_that_fit_their_nodes_still_read() -> None:
    text = "a: !!str 1\nb: !!map {c: !!int 2}\nd: !!seq [!!bool yes, !!null x]\ne: !!set {f}\ng: !!omap [{h: 1}]\n"
    assert yamlio.load_documents(text)[0].data == {"a": "1", "b": {"c": 2}, "d": [True, None], "e": {"f"}, "g": [("h", 1)]}


@pytest.mark.parametrize(
    ("text", "line", "value"),
    [
        ("a: !!int 0b_\n", 1, "'0b_' as int"),
        ("a: 1\nb: !!timestamp x\n", 2, "'x' as timestamp"),
        ("a: !!int ''\n", 1, "'' as int"),
        ("a: !!bool maybe\n", 1, "'maybe' as bool"),  # a KeyError with a traceback
        ("a: !!bool\n", 1, "'' as bool"),
        ("base: &b {x: 1}\nc:\n  <<: *b\n  d: !!int 0x_\n", 4, "'0x_' as int"),  # the merge-key path
    ],
)
def test_a_scalar_pyyaml_cannot_read_is_a_syntax_error_with_its_line(text: str, line: int, value: str) -> None:
    for load in (yamlio.load_documents, yamlio.load_data):
        with pytest.raises(yamlio.YAMLSyntaxError) as raised:
            load(text, "odd.yaml")
        assert raised.value.line == line
        assert raised.value.problem == f"invalid YAML: cannot read {value}; quote it to keep it as a string"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 0b_\n", {"a": "0b_"}),
        ("a: +0x__\n", {"a": "+0x__"}),
        ("a: ._\n", {"a": "._"}),
        ("a: 1.E+500\n", {"a": "1.E+500"}),
        ("a: -1.0e+999\n", {"a": "-1.0e+999"}),
        ("base: &b {x: 1}\nc:\n  <<: *b\n  d: 0x_\n", {"base": {"x": 1}, "c": {"x": 1, "d": "0x_"}}),  # the merge-key path
        # numbers stay numbers
        ("a: 0b101\nb: 0x_1F\nc: 1_0.5\nd: -.Inf\ne: 1.5e+3\nf: 190:20:30.15\n",
         {"a": 5, "b": 31, "c": 10.5, "d": float("-inf"), "e": 1500.0, "f": 685230.15}),
    ],
)
def test_a_plain_scalar_yaml_1_1_takes_for_a_number_but_that_holds_none_is_a_string(text: str, expected: dict[str, Any]) -> None:
    """As go-yaml reads it (kubectl, kustomize, Helm, Argo CD), and writes it back unquoted: kustomize's output holds such
    strings, which the user may well have quoted in their own files."""
    for load in (lambda t: [document.data for document in yamlio.load_documents(t, "x.yaml")], yamlio.load_data):
        assert load(text) == [expected]


# --- load_data: the native fast path builds what load_documents builds, or is not taken ---

sys.path.insert(0, str(ROOT / "tests" / "bench"))
import bench_lint  # noqa: E402  (the lint benchmark's estate generator)


def loaded(load: Any, text: str) -> str:
    """repr of the data (repr tells 1 from 1.0, True and "True", and nan from nan), or the error."""
    try:
        return repr(load(text, "f.yaml"))
    except yamlio.YAMLSyntaxError as error:
        return f"error {error}"


def documents_data(text: str, path: str) -> list[Any]:
    return [document.data for document in yamlio.load_documents(text, path)]


def _same_data(text: str) -> bool:
    """load_data and its native fast path agree with load_documents; True when the fast path was taken."""
    expected = loaded(documents_data, text)
    assert loaded(yamlio.load_data, text) == expected
    fast = yamlio._native_data(text)
    assert fast is None or repr(fast) == expected
    return fast is not None


def _repository_yaml() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.y*ml")
        if path.suffix in (".yaml", ".yml") and not any(part.startswith(".") for part in path.relative_to(ROOT).parts)
    )


@pytest.mark.parametrize("path", _repository_yaml(), ids=lambda p: str(p.relative_to(ROOT)))
def test_load_data_on_every_yaml_file_of_the_repository(path: Path) -> None:
    _same_data(yamlio.decode(path.read_bytes(), str(path)))


@pytest.mark.parametrize("write", [bench_lint.write_estate, bench_lint.write_broken_estate])
def test_load_data_takes_the_fast_path_on_the_whole_estate(write: Any, tmp_path: Path) -> None:
    write(tmp_path)
    texts = [path.read_text() for path in sorted(tmp_path.rglob("*.yaml"))]
    assert len(texts) == 300
    for text in texts:
        assert _same_data(text)  # the fast path, or lint would lose its speed-up without a word


# Where YAML 1.1 (libyaml, ours) and YAML 1.2 (the native loader) part ways, or nearly do.
DIFFERENCES = [
    # booleans and nulls
    *(f"a: {word}\n" for word in ("yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N",
                                  "true", "True", "TRUE", "tRue", "false", "FALSE", "null", "Null", "NULL", "nUll", "~", "")),
    "yes: 1\n", "on: 1\n", "{y: n}\n", "[yes, no, on, off]\n", "- Off\n", "? yes\n: no\n",
    # integers: octal, hex, binary, underscores, base 60, signs, sizes
    *(f"a: {number}\n" for number in ("010", "0o10", "0x1F", "0X1F", "-0x1", "0b101", "0b_1", "0x_1F", "1_000", "1__0", "1_", "0_1",
                                      "1:30", "190:20:30", "1:60", "0:1", "-012", "+12", "00", "-0", "+0", "0", "9223372036854775808",
                                      "-9223372036854775809", "123456789012345678901234567890")),
    "010: a\n", "[0x10, 1_0, 1:30]\n",
    # floats: exponents without a dot, leading dots, underscores, base 60, inf and nan spellings
    *(f"a: {number}\n" for number in ("1.5", "1e3", "1E3", "1e+3", "1.5e3", "1.0e+3", "6.8523015e+5", "0e0", "12e03", "1e400", ".5",
                                      "-.5", "+.5", "5.", "-1.5", "1_000.5", "0.5_", "190:20:30.15", "1.2.3", ".inf", "-.Inf", "+.inf",
                                      ".INF", "inf", ".nan", ".NaN", ".NAN", "nan", "1.7976931348623157e+308", "1.8e+308")),
    "1.5: a\n",
    # merge keys, value keys, timestamps (kept as strings), tags, directives
    "base: &b {k: v}\nd:\n  <<: *b\n  z: 1\n", "a: <<\n", "'<<': 1\n", "a: =\n", "a: 2001-12-14\n", "a: 2001-12-14t21:59:43.10-05:00\n",
    "a: !!str 1\n", "a: !!int '1'\n", "a: !!binary aGVsbG8=\n", "a: !!set {x, y}\n", "a: !!omap [a: 1]\n", "a: !custom x\n",
    "a: !x\n", "!x\n", "a: !!timestamp 2001-01-01\n", "%YAML 1.1\n---\na: yes\n", "%TAG ! tag:example.com,2000:\n---\na: !foo x\n",
    # anchors and aliases
    "b: &x 1\nc: *x\n", "a: &x 1\na: &x 2\nb: *x\n", "a: &x 1\n---\nb: &x 2\nc: *x\n", "&a: v\n", "{&a: x}\n", "a: &x [*x]\n",
    "a: &a.b 1\nb: *a.b\n", "&b[x]\n", "k: *a:\n", "a: *missing\n",
    # duplicate and odd keys
    "a: 1\na: 2\n", "a: 1\n'a': 2\n", "1: a\n'1': b\n", "? [1, 2]\n: x\n", "null: 1\n~: 2\n", "true: 1\n",
    # flow collections: ':' next to other characters, '?' entries, spanning lines
    "{a:1}\n", "[a:1]\n", "{a: 1:2}\n", "[x0:]\n", "{b:?}\n", "{'q':No}\n", '{"a":1}\n', "[?a]\n", "[-]\n", "[|]\n", "[>]\n",
    "k: [\n  a,\n  b\n]\n", "spec: {a: 1,\nb: 2}\n", "a: [1, 2,]\n", "a: [,]\n",
    # block scalars: empty, at the end without a line break, at the top level, indentation
    "a: |\n", "a: >\n", "- >\n", "a: |\n  x", "a: >\n  x", "|\nx\n", ">\n x\n", "--- |\n  x\n", "a: |-\n  x\n", "a: |+\n  x\n\n",
    "- |2\n   x\n", "a: >-\n\n  x\n\n  y\n", "a: |\n\n\n  x\n", "- key: |\n   x\n", "- key: |\n  x\n",
    # characters: tabs, CR, NEL and other line breaks, controls, BOM, non-breaking spaces
    "a:\t1\n", "\tx: 1\n", "a: 1\r\nb: 2\r\n", "a: 1\rb: 2\n", "a: x\x85b: 1\n", "a: x\u2028y\n", "a: x\u2029y\n", "a: \x07\n",
    "a: \ufeff1\n", "\ufeffa: 1\n", "a: 1\u00a0000\n", "a: yes\u3000\n", "a: é\n",
    # quoted scalars and escapes
    'a: "\\x41\\u00e9\\N\\_\\L\\P\\/\\t"\n', "a: 'it''s'\n", 'a: "\\q"\n', 'a: "x\\\n  y"\n', "a: 'x\n\n  y'\n", "a: ''##x'\n",
    # documents and comments
    "", "---\n", "# comment\n", "a: 1\n---\n", "---\n---\n", "...\n", "a: 1\n...\n---\nb: 2\n", "--- 1\n--- 2\n",
    # not YAML at all
    "a: [\n", "a: {\n", "key: : x\n", "a: 1\n b: 2\n", "- :\n", "    :\n", "a: @x\n", "a: `x`\n",
    # libyaml's 1024-character limit on keys
    "k" * 1100 + ": v\n", "{" + "k" * 1100 + ": v}\n", "[" + "k" * 1100 + ": v]\n", "- " + "é" * 1030 + ": v\n",
    # '&' that starts no node
    "a: x&y\nb: x&y\n", "url: http://h/?a=1&b=2\n",
]


@pytest.mark.parametrize("text", DIFFERENCES)
def test_load_data_falls_back_where_yaml_1_1_and_1_2_differ(text: str) -> None:
    _same_data(text)


def test_load_data_error_names_the_file_and_line() -> None:
    with pytest.raises(yamlio.YAMLSyntaxError) as raised:
        yamlio.load_data("a: 1\nb: [\n", "broken.yaml")
    assert str(raised.value).startswith("broken.yaml:3:")


ATOMS = ["a", "name", "1", "10", "1.5", "true", "null", "x:y", "'q'", '"q"', "'it''s'", "&a", "*a", "-", "?", ":", "|", ">", "|-",
         "#c", "a#b", "[", "]", "{", "}", ",", "http://x", "v1.2.3", "100m", "-1", "0", "''", "'", '"', "é", "---", "...", "yes",
         "010", "0x1F", "1e3", "<<", "!!str", ".inf", "1:30", "1_0"]
TAGS = ["!!int", "!!bool", "!!null", "!!map", "!!seq", "!!float", "!!set", "!!binary", "{a: 1}", "[a]"]  # on any kind of node
SHAPES = ["{}: {}", "- {}", "{}", "{}:", "- {}: {}", "? {}", ": {}", "{}: [{}]", "{}: {{{}}}", "{}: |\n  {}", "{}: >\n   {}"]


def _random_document(rng: random.Random, atoms: list[str] = ATOMS) -> str:
    lines = []
    for _ in range(rng.randint(1, 8)):
        words = " ".join(rng.choice(atoms) for _ in range(rng.randint(1, 3)))
        lines.append(" " * rng.choice([0, 0, 1, 2, 2, 4]) + rng.choice(SHAPES).format(words, words, words))
    return "\n".join(lines) + rng.choice(["", "\n"])


def _mutated(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(text) + 1)
        text = text[:at] + rng.choice(ATOMS + ["\n", "\n  ", ": ", "- ", "\t", "\r", ": |\n"]) + text[at + rng.randint(0, 2) :]
    return text


@pytest.mark.parametrize("seed", range(4))
def test_load_data_on_random_and_mutated_documents(seed: int) -> None:
    rng = random.Random(seed)
    # the corpus is rendered output, what the fast path serves (lint and validate read it); the
    # hand-written files (blueprints, add-ons) hold more comments, quotes and block scalars, so
    # mutated, fewer of them read alike in YAML 1.1 and 1.2 and the floor would follow the estate
    corpus = [path.read_text() for path in sorted((ROOT / "rendered").rglob("*.yaml"))[:60]]
    random_texts = [_random_document(rng) for _ in range(1500)]
    mutated_texts = [_mutated(rng.choice(corpus), rng) for _ in range(300)]
    # the fast path is tried, not only the fallback, on both kinds of text (about half the mutated
    # rendered files take it; each floor apart)
    assert sum(map(_same_data, random_texts)) > len(random_texts) // 50
    assert sum(map(_same_data, mutated_texts)) > len(mutated_texts) // 10


@pytest.mark.parametrize("seed", range(2))
def test_load_data_on_random_documents_with_tags_on_any_node(seed: int) -> None:
    # YAML's own tags on scalars, mappings and sequences alike: read, or refused at their line, never
    # a crash (``!!bool [x]`` once stopped the reader with a traceback); few of them take the fast path
    rng = random.Random(seed)
    for text in (_random_document(rng, ATOMS + TAGS) for _ in range(1500)):
        _same_data(text)


def _native_threshold(text: str) -> int:
    """The least alias budget (replayed events) under which the native loader accepts ``text``."""
    import yaml_rs

    low, high = 1, 1 << 30
    while low < high:
        middle = (low + high) // 2
        try:
            yaml_rs.loads(text, alias_limits=yaml_rs.AliasLimits(max_total_replayed_events=middle))
            high = middle
        except ValueError:
            low = middle + 1
    return low


@pytest.mark.parametrize(("text", "repeated"), [
    ("x: &x\ny: *x\n", 1), ('x: &x ""\ny: *x\n', 1), ("x: &x []\ny: *x\n", 1), ("x: &x {}\ny: *x\n", 1),
    ("x: &x [[], []]\ny: *x\n", 3), ("x: &x {a: }\ny: *x\n", 3), ("x: &x [&y a, *y]\ny: *x\n", 3),
    ("- &a a\n- *a\n- *a\n", 2), ("a: &a [1, 2]\nb: &b [*a, *a]\nc: [*b, *b]\n", 3 * 2 + 2 * 7),
])
def test_the_native_loader_charges_an_alias_at_least_one_event_per_node(text: str, repeated: int) -> None:
    # the fast path's alias budget rests on this: a document it accepts expands to at most MAX_EXPANDED_NODES
    assert _native_threshold(text) >= repeated


@pytest.mark.parametrize("copies", [150, 199, 200, 201, 260])
@pytest.mark.parametrize("nested", [False, True])
def test_the_fast_path_never_accepts_what_load_documents_refuses_as_an_alias_bomb(copies: int, nested: bool) -> None:
    scalars = ", ".join(str(i) for i in range(999))
    if nested:  # 40 aliases of a list of 25 aliases of the 999-scalar list
        text = f"a: &a [{scalars}]\nb: &b [{', '.join(['*a'] * 25)}]\nc: [{', '.join(['*b'] * (copies // 25))}]\n"
    else:
        text = f"a: &a [{scalars}]\nb: [{', '.join(['*a'] * copies)}]\n"
    fast = yamlio.load_fast(text, "bomb.yaml")
    try:
        slow = [document.data for document in yamlio.load_documents(text, "bomb.yaml")]
    except yamlio.YAMLSyntaxError as error:
        assert fast is None, "the fast path took a document load_documents refuses"
        assert "aliases expand this document" in error.problem
    else:
        if fast is not None:
            assert [document.data for document in fast] == slow


@pytest.mark.parametrize("verdicts", [yamlio._BLOCK, yamlio._FLOW], ids=["block", "flow"])
def test_the_words_known_alike_read_alike_in_every_context(verdicts: Any) -> None:
    """The words the fast path accepts without asking both loaders: both loaders do read them alike, or the fast path
    refuses the text for another reason ("---: v" is no document marker, which the native loader's count leaves to us)."""
    assert verdicts.known
    for word in verdicts.known:
        for context in verdicts.contexts:
            text = context.format(word)
            assert yamlio._same_data(text) or yamlio._native_data(text) is None, (word, context)


@settings(max_examples=300, deadline=None)
@given(st.from_regex(yamlio._ALIKE_NUMBER, fullmatch=True))
def test_numbers_and_quantities_known_alike_read_alike_in_every_context(word: str) -> None:
    for context in (*yamlio._BLOCK.contexts, *yamlio._FLOW.contexts):
        assert yamlio._same_data(context.format(word)), (word, context)


@pytest.mark.parametrize("word", ["010", "0x1f", "1e3", "1_000", "+1", "-1", ".5", "1:30", "99999999999999999999", "0o7", "True", "~"])
def test_numbers_that_read_otherwise_are_not_known_alike(word: str) -> None:
    """Octal, hex, exponents, underscores, signs, base 60, over 64 bits: left to both loaders to decide."""
    assert not yamlio._ALIKE_NUMBER.fullmatch(word) and word not in yamlio._BLOCK.known


def test_validating_plain_manifests_never_imports_pyyaml(tmp_path: Path) -> None:
    """The fast path reads the validate benchmark's estate without PyYAML (importing it costs more than reading 100 files)."""
    import subprocess

    import bench_validate  # the validate benchmark's estate generator (tests/bench is on the path)

    bench_validate.write_estate(tmp_path)
    code = ("import sys; from generator.manifest import read_manifests; "
            f"objects = list(read_manifests([{str(tmp_path)!r}])); "
            "assert objects and 'yaml' not in sys.modules and 'generator.yaml_nodes' not in sys.modules, sorted(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


@pytest.mark.parametrize("told", [0, 10, 250_000, 250_001, 400_000])
def test_a_file_is_read_to_its_end_whatever_size_stat_gave(told: int, tmp_path: Path) -> None:
    """The size from os.stat is a hint: a file that grew or shrank since is still read whole."""
    path = tmp_path / "f.yaml"
    path.write_bytes(b"a: 1\n" * 50_000)
    assert yamlio._read_bytes(str(path), told) == path.read_bytes()


def test_a_file_growing_past_the_limit_is_read_no_further(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlio, "MAX_FILE_BYTES", 100_000)
    path = tmp_path / "f.yaml"
    path.write_bytes(b"a: 1\n" * 200_000)
    raw = yamlio._read_bytes(str(path), 10)
    assert 100_000 < len(raw) < 200_000


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([b"a", b"\n", b"\xff", b"\xc3\xa9", b"\xef\xbb\xbf", b"\xc3", b"\xe2\x82"]), max_size=10), st.booleans())
def test_decode_reads_as_utf_8_sig_does(pieces: list[bytes], bom: bool) -> None:
    """A leading byte-order mark dropped, the rest UTF-8; an invalid byte reported at the line utf-8-sig's offset gives."""
    raw = (b"\xef\xbb\xbf" if bom else b"") + b"".join(pieces)
    try:
        expected: str | int = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        expected = raw[: error.start].count(b"\n") + 1
    try:
        got: str | int = yamlio.decode(raw, "f.yaml")
    except yamlio.YAMLSyntaxError as error:
        got = error.line
    assert got == expected


@pytest.mark.parametrize(("text", "documents"), [
    ("- a\n- b\n", [["a", "b"]]),  # one document that is a list
    ("---\n- a\n---\n- b\n", [["a"], ["b"]]),  # two documents, each a list
    ("a: 1\n---\nb: 2\n", [{"a": 1}, {"b": 2}]),
    ("# only a comment\n", []),
    ("", []),
])
def test_the_native_loader_s_documents_are_counted_from_the_text(text: str, documents: list[Any]) -> None:
    # it answers one document as it is and several as a list of them: the count of --- lines tells the two apart
    assert yamlio._native_data(text) == documents == documents_data(text, "f.yaml")


@pytest.mark.parametrize("text", [
    "a: 1\n---\n",  # an empty document
    "a: 1\n...\n",  # a document end marker
    "---x\na: 1\n",  # a plain scalar, not a marker
    "a: &x [*x]\n", "a: &x\n  b: *x\n", "- &x\n  - *x\n", "a: &x\n  *x : 1\n",  # an alias inside the node it names: null
    "a: !!int {b: 1}\n", "[a]: v\n", "? [a, b]\n: v\n", "{a: 1}: v\n",  # a tag, complex keys
    "a: {b: 1, {c: d}}\n", "a: {[b]}\n", "m: {labels: ,{app: x}}\n",  # a collection as a flow mapping's key, no value
    "a: 1\na: 2\n", "1: a\n1.0: b\n",  # keys twice, as Python sees keys too
])
def test_the_fast_path_leaves_to_libyaml_what_the_native_loader_reads_otherwise(text: str) -> None:
    assert yamlio._native_data(text) is None and yamlio.load_fast(text, "f.yaml") is None


@pytest.mark.parametrize(("text", "line"), [
    ("- " * 100_000 + "a\n", 1),  # the native loader would overflow its stack here: a crash, not an error
    ("- " * 600 + "a\n", 1),  # under libyaml's own limit of 1,000, over the depth gitopsgen's reading can build
    ("a:\n" + "".join(" " * depth + "b:\n" for depth in range(1, 700)), 700),
])
def test_a_document_nested_hundreds_of_levels_deep_is_one_error_at_its_deepest_line(text: str, line: int) -> None:
    for load in (yamlio.load_data, yamlio.load_text):
        with pytest.raises(yamlio.YAMLSyntaxError) as raised:
            load(text, "deep.yaml")
        assert raised.value.path == "deep.yaml" and raised.value.line == line
        assert "nest" in raised.value.problem


_MARKER_LINES = st.sampled_from(["---", "--- # c", "---x", "...", "%YAML 1.1", "a: &x 1", "b: &y 2", "- &x c", "c: *x", "", "  d: e"])


@given(st.lists(_MARKER_LINES, max_size=12))
def test_an_anchor_s_document_is_found_alike_from_the_marker_lines(lines: list[str]) -> None:
    # the fast path finds the document separators among the --- lines it found already; where those hold other
    # markers (..., %), or none were given, it looks for them itself: both ways say the same of every text
    text = "\n".join(lines) + "\n"
    assert yamlio._reused_anchor(text, yaml_text.marker_lines(text)) == yamlio._reused_anchor(text)


@pytest.mark.parametrize(("data", "null"), [
    ([{"a": [1, {"b": "c"}]}], False),
    ([{"a": None}], True),
    ([[1, None]], True),
    ([{None: 1}], True),  # a null key
    ([{1: "a", "b": [2]}], False),  # a key that is not a string: written as JSON all the same
    ([{"a": "null"}], True),  # conservative: the word in a string
    ([{"a": float("nan")}], True),  # conservative: JSON writes NaN as null
    ([{"a": 2**70}], True),  # conservative: more than JSON's integers hold
])
def test_a_null_anywhere_in_the_native_data_is_found(data: list[Any], null: bool) -> None:
    assert yamlio._holds_null(data) is null
