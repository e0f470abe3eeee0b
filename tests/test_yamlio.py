"""The validator's fast loader builds exactly what the project's YAML layer builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import yamlio
from generator.validate import fastyaml

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


def _same(text: str, path: str) -> None:
    expected = yamlio.load_documents(text, path)
    actual = fastyaml.load_documents(text, path)
    assert [d.data for d in actual] == [d.data for d in expected]
    assert [sorted(d.duplicates) for d in actual] == [sorted(d.duplicates) for d in expected]
    assert [d.line for d in actual] == [d.line for d in expected]


def test_tricky_scalars_tags_aliases_and_merge_keys() -> None:
    _same(TRICKY, "tricky.yaml")
    data = fastyaml.load_documents(TRICKY, "tricky.yaml")[0].data
    assert data["data"]["octal"] == 493 and data["data"]["date"] == "2024-01-31" and data["data"]["dup"] == 2


@pytest.mark.parametrize("path", sorted((ROOT / "tests/fixtures/validate").rglob("*.y*ml")), ids=lambda p: p.name)
def test_fixture_corpus(path: Path) -> None:
    text = path.read_text()
    try:
        expected = yamlio.load_documents(text, str(path))
    except yamlio.YAMLSyntaxError as error:
        with pytest.raises(yamlio.YAMLSyntaxError) as raised:
            fastyaml.load_documents(text, str(path))
        assert (raised.value.line, raised.value.column, raised.value.problem) == (error.line, error.column, error.problem)
        return
    assert [d.data for d in fastyaml.load_documents(text, str(path))] == [d.data for d in expected]
    _same(text, str(path))


def test_unhashable_key_is_a_syntax_error_with_its_line() -> None:
    with pytest.raises(yamlio.YAMLSyntaxError) as raised:
        fastyaml.load_documents("a: 1\n? [x]\n: 2\n", "k.yaml")
    assert (raised.value.line, raised.value.problem) == (2, "invalid YAML: found an unhashable mapping key")
