"""Bundled schemas (generator/validate/bundle.py) validate exactly as the published ones, and their cache is safe.

The oracle is the published schema compiled against the whole ``_definitions.json`` registered
in jsonschema-rs, as validate did before schemas were bundled: every object of ``rendered/``,
the validate fixtures and the benchmark estate, and mutations of them, must get the same errors.
"""

from __future__ import annotations

import copy
import json
import os
import random
import sys
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from generator import yamlio
from generator.validate import bundle
from generator.validate.registry import DEFINITIONS_URI, SchemaRegistry, definitions_file, load_definitions

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "bench"))
import bench_validate  # noqa: E402  (the benchmark's estate generator)


def objects() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for path in sorted((ROOT / "rendered").rglob("*.yaml")) + sorted((ROOT / "tests/fixtures/validate").glob("*.yaml")):
        try:
            documents = yamlio.load_file(path)
        except yamlio.YAMLSyntaxError:
            continue
        found += [d.data for d in documents if isinstance(d.data, dict) and isinstance(d.data.get("kind"), str)]
    estate = bench_validate.estate_documents("svc-001", "prod", 3)
    return found + list(estate.values())


def mutations(obj: dict[str, Any], rng: random.Random) -> list[dict[str, Any]]:
    """The object with one leaf given a wrong type, an unknown field added, an int32 overflowed, a list emptied of its type."""
    variants = []
    for change in range(4):
        mutated = copy.deepcopy(obj)
        node: Any = mutated
        while True:
            children = list(node.items()) if isinstance(node, dict) else list(enumerate(node)) if isinstance(node, list) else []
            if not children:
                break
            key, child = rng.choice(children)
            if not isinstance(child, (dict, list)) or not child or rng.random() < 0.2:
                node[key] = [{"unknown": True}, "x", 2**31, None][change] if change != 1 or not isinstance(node, dict) else node[key]
                if change == 1 and isinstance(node, dict):
                    node["noSuchField"] = 1
                break
            node = child
        variants.append(mutated)
    return variants


class Published:
    """Validators compiled the old way: the published schema against the registered definitions file."""

    def __init__(self, registry: SchemaRegistry) -> None:
        self.schemas = registry
        self.definitions = jsonschema_rs.Registry([(DEFINITIONS_URI, load_definitions(registry.version, registry.strict))])
        self.compiled: dict[tuple[str, str], Any] = {}

    def validator(self, api_version: str, kind: str) -> Any:
        if (api_version, kind) not in self.compiled:
            schema = self.schemas.schema(api_version, kind)
            self.compiled[(api_version, kind)] = (
                None if schema is None else jsonschema_rs.validator_for(schema, registry=self.definitions, validate_formats=False)
            )
        return self.compiled[(api_version, kind)]


def errors(validator: Any, obj: dict[str, Any]) -> list[tuple[str, list[Any], str]]:
    return sorted((e.kind.name, list(e.instance_path), e.message) for e in validator.iter_errors(obj))


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_bundled_schemas_give_the_published_schemas_errors(strict: bool, tmp_path: Path) -> None:
    registry = SchemaRegistry.create(strict=strict, cache=tmp_path)
    published = Published(SchemaRegistry.create(strict=strict))
    rng = random.Random(9)
    compared = invalid = 0
    for obj in objects():
        api_version, kind = str(obj.get("apiVersion")), str(obj["kind"])
        ours, theirs = registry.validator(api_version, kind), published.validator(api_version, kind)
        assert (ours is None) == (theirs is None), kind
        if ours is None:
            continue
        for variant in [obj, *mutations(obj, rng)]:
            expected = errors(theirs, variant)
            assert errors(ours, variant) == expected, (kind, variant)
            assert ours.is_valid(variant) == theirs.is_valid(variant)
            compared, invalid = compared + 1, invalid + bool(expected)
    assert compared > 500 and invalid > compared / 3


def test_a_second_registry_reads_the_bundles_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    SchemaRegistry.create(cache=tmp_path).validator("apps/v1", "Deployment")
    assert len(list(tmp_path.glob("schema-*.json"))) == 1

    def unread(*args: Any) -> None:
        raise AssertionError("the definitions file was read although the bundle is cached")

    monkeypatch.setattr("generator.validate.registry.load_definitions", unread)
    validator = SchemaRegistry.create(cache=tmp_path).validator("apps/v1", "Deployment")
    assert not validator.is_valid({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"}, "spec": {"replicas": "3"}})


@pytest.mark.parametrize("content", [b"", b"{\"key\": \"trunc", b"\xff\xfe", b"[]", b"{\"key\": \"another\", \"schema\": {}}",
                                     b"{\"schema\": {\"type\": \"string\"}}"])
def test_a_corrupt_or_foreign_cache_entry_is_ignored_and_replaced(content: bytes, tmp_path: Path) -> None:
    SchemaRegistry.create(cache=tmp_path).validator("v1", "Service")
    [entry] = tmp_path.glob("schema-*.json")
    entry.write_bytes(content)
    validator = SchemaRegistry.create(cache=tmp_path).validator("v1", "Service")
    assert validator.is_valid({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": {"ports": [{"port": 80}]}})
    assert not validator.is_valid({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": {"ports": [{"port": "x"}]}})
    assert json.loads(entry.read_bytes())["key"] == entry.stem.removeprefix("schema-")


def test_an_unwritable_cache_is_not_used(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    validator = SchemaRegistry.create(cache=blocked / "cache").validator("v1", "ConfigMap")
    assert validator.is_valid({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}})
    assert SchemaRegistry.create(cache=None).validator("v1", "ConfigMap") is not None


def test_the_key_changes_with_the_schema_and_the_definitions_file(tmp_path: Path) -> None:
    definitions = tmp_path / "_definitions.json"
    definitions.write_bytes(definitions_file(SchemaRegistry.create().version, False).read_bytes())
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    key = bundle.schema_key(schema, definitions)
    assert bundle.schema_key(copy.deepcopy(schema), definitions) == key
    assert bundle.schema_key({"type": "object", "properties": {"a": {"type": "integer"}}}, definitions) != key
    os.utime(definitions, ns=(1, 1))
    assert bundle.schema_key(schema, definitions) != key
    moved = tmp_path / "v2" / "_definitions.json"
    moved.parent.mkdir()
    os.link(definitions, moved)
    assert bundle.schema_key(schema, moved) != bundle.schema_key(schema, definitions)


def test_a_bundle_keeps_fields_named_like_keywords() -> None:
    """Only keyword ``description`` texts go; a field named description or $ref (as in a CRD's schema) stays."""
    definitions = {"$defs": {"Thing": {"description": "text", "type": "object",
                                       "properties": {"description": {"type": "string"}, "$ref": {"type": "string"}}}}}
    schema = {"description": "root", "properties": {"thing": {"$ref": "/api/_definitions.json#/$defs/Thing"}},
              "enum": [{"description": "data", "$ref": "#/$defs/Other"}]}
    bundled = bundle.bundle(schema, definitions)
    assert bundled == {"properties": {"thing": {"$ref": "#/$defs/Thing"}}, "enum": schema["enum"],
                       "$defs": {"Thing": {"type": "object", "properties": {"description": {"type": "string"}, "$ref": {"type": "string"}}}}}
