"""The YAML layer's fast document builder builds exactly what PyYAML's own constructors build."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import yamlio
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
    loader = yamlio._Loader(text)
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


def test_unhashable_key_is_a_syntax_error_with_its_line() -> None:
    with pytest.raises(yamlio.YAMLSyntaxError) as raised:
        yamlio.load_documents("a: 1\n? [x]\n: 2\n", "k.yaml")
    assert (raised.value.line, raised.value.problem) == (2, "invalid YAML: found an unhashable mapping key")
