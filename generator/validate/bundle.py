"""A kind's schema made self-contained, and kept between runs.

The Kubernetes schemas refer into one ``_definitions.json`` of 1.8 MB: parsing it, giving its
integers the API server's ranges and registering it with jsonschema-rs costs more than
validating a thousand objects. A kind needs few of its definitions (a Deployment 120 of 700, a
Service 15): :func:`bundle` copies those into the schema's own ``$defs`` (and leaves out the
``description`` texts, which validation never reads), so the schema compiles alone.
:func:`prepared` keeps the bundle in the cache folder (:mod:`generator.cache`) under a hash of
the kind's schema, the definitions file (path, size, modification time) and SCHEMA_FORMAT, so a
changed schema, another Kubernetes version or another gitopsgen gives another entry.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.cache import entry_key, read_entry, write_entry

SCHEMA_FORMAT = 1  # bump when load_definitions, bundle or the entry's layout change what they make
KEEP = 512  # bundles kept in the cache (kinds x Kubernetes versions x strictness)
PREFIX = "schema-"

# keywords whose value is a schema, a list of schemas, or a mapping of names to schemas (JSON Schema 2020-12)
_SCHEMA = {
    "items",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
}
_SCHEMAS = {"allOf", "anyOf", "oneOf", "prefixItems"}
_NAMED = {"properties", "patternProperties", "$defs", "dependentSchemas"}
_DEFS = "#/$defs/"


def prepared(schema: dict[str, Any], definitions_file: Path, definitions: Callable[[], dict[str, Any]], cache: Path | None) -> dict[str, Any]:
    """``schema`` bundled with the definitions it uses: from ``cache`` (None: no cache), else made and stored there."""
    key = schema_key(schema, definitions_file)
    found = _cached(cache, key) if cache is not None else None
    if found is not None:
        return found
    bundled = bundle(schema, definitions())
    if cache is not None:
        entry = json.dumps({"key": key, "schema": bundled}, separators=(",", ":")).encode()
        write_entry(cache, f"{PREFIX}{key}.json", entry, prefix=PREFIX, keep=KEEP)
    return bundled


def schema_key(schema: dict[str, Any], definitions_file: Path) -> str:
    """A hash of everything a bundle is made from; the definitions file by its path, size and modification time."""
    info = os.stat(definitions_file)
    return entry_key(str(SCHEMA_FORMAT), str(definitions_file), str(info.st_size), str(info.st_mtime_ns), json.dumps(schema, sort_keys=True))


def _cached(cache: Path, key: str) -> dict[str, Any] | None:
    """The bundle stored under ``key``, or None when it is missing, unreadable, corrupt or another key's."""
    raw = read_entry(cache, f"{PREFIX}{key}.json")
    if raw is None:
        return None
    try:
        entry = json.loads(raw)
    except ValueError:  # truncated or garbled (UnicodeDecodeError included)
        return None
    if not isinstance(entry, dict) or entry.get("key") != key or not isinstance(entry.get("schema"), dict):
        return None
    return entry["schema"]


def bundle(schema: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with every definition it refers to, directly or through others, in its own ``$defs``.

    References (``/api/_definitions.json#/$defs/X``, ``https://...#/$defs/X``, ``#/$defs/X``)
    become ``#/$defs/X``: the definitions file names every definition by that one name.
    """
    available = definitions["$defs"]
    needed: dict[str, Any] = {}
    waiting = _references(schema)
    while waiting:
        name = waiting.pop()
        if name not in needed and name in available:
            needed[name] = available[name]
            waiting.extend(_references(available[name]))
    bundled = _copy(schema)
    bundled["$defs"] = {**bundled.get("$defs", {}), **{name: _copy(needed[name]) for name in sorted(needed)}}
    return bundled


def _references(schema: Any) -> list[str]:
    """The definition names a schema refers to, in its own subschemas (not through other definitions)."""
    found: list[str] = []
    for node in _subschemas(schema):
        reference = node.get("$ref")
        if isinstance(reference, str) and _DEFS in reference:
            found.append(reference.rpartition(_DEFS)[2])
    return found


def _subschemas(schema: Any) -> list[dict[str, Any]]:
    """``schema`` and every schema nested in it through the keywords that hold schemas."""
    found: list[dict[str, Any]] = []
    waiting = [schema]
    while waiting:
        node = waiting.pop()
        if not isinstance(node, dict):
            continue
        found.append(node)
        for keyword, value in node.items():
            if keyword in _SCHEMA:
                waiting.append(value)
            elif keyword in _SCHEMAS and isinstance(value, list):
                waiting.extend(value)
            elif keyword in _NAMED and isinstance(value, dict):
                waiting.extend(value.values())
    return found


def _copy(schema: Any) -> Any:
    """A copy of one schema: references made local, ``description`` texts left out, everything else as it is."""
    if not isinstance(schema, dict):
        return schema
    copied: dict[str, Any] = {}
    for keyword, value in schema.items():
        if keyword == "description" and isinstance(value, str):
            continue
        if keyword == "$ref" and isinstance(value, str) and _DEFS in value:
            copied[keyword] = _DEFS + value.rpartition(_DEFS)[2]
        elif keyword in _SCHEMA:
            copied[keyword] = _copy(value)
        elif keyword in _SCHEMAS and isinstance(value, list):
            copied[keyword] = [_copy(item) for item in value]
        elif keyword in _NAMED and isinstance(value, dict):
            copied[keyword] = {name: _copy(item) for name, item in value.items()}
        else:
            copied[keyword] = value
    return copied
