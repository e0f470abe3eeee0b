"""The JSON Schemas of blueprints and environments: fast checks, and errors a person can act on.

Valid documents are checked by jsonschema-rs in microseconds; only an invalid one goes through
the pure-Python jsonschema validator, which explains where and why. Per-environment overrides
use the blueprint schema without its completeness rules (they are merged over a blueprint, and
the merged result is checked in full).
"""

from __future__ import annotations

import copy
import functools
import json
import re
from pathlib import Path
from typing import Any

SCHEMAS = Path(__file__).parent / "schemas"
# Fields an environment may not override: they identify the app rather than configure it.
IDENTITY_FIELDS = ("name", "team", "owner", "delivery", "helm", "environments", "description")


def schema_problem(data: Any, schema: str) -> tuple[tuple[Any, ...], str] | None:
    """The first schema violation as (field path, message), or None when ``data`` is valid."""
    try:
        if _fast_validator(schema).is_valid(data):
            return None
    except ValueError:  # jsonschema-rs takes JSON-like data only: a key that is not a string, a set or binary value stops it
        problem = _not_json(data, ())
        if problem:
            return problem
    # invalid: the pure-Python validator explains where and why
    errors = sorted(_validator(schema).iter_errors(data), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    error = errors[0]
    choices = _required_choices(error)
    if choices:
        path = tuple(error.absolute_path)
        return path, f"{'.'.join(map(str, path)) or 'document'}: set exactly one of {', '.join(choices)}"
    error = _most_specific(error)
    path = tuple(error.absolute_path)
    where = ".".join(map(str, path))
    if error.validator == "additionalProperties":
        unknown = sorted(set(error.instance) - set(error.schema.get("properties", {})))[0]
        allowed = error.schema.get("properties", {})
        path = path + (unknown,)
        message = f"unknown field {'.'.join(map(str, path))!r}{suggest(unknown, allowed)}; remove it or fix its spelling"
    elif error.validator == "required":
        missing = error.message.split("'")[1]
        message = f"missing required field {'.'.join(map(str, path + (missing,)))!r}; add it"
    else:
        message = f"{where or 'document'}: {_describe(error)}"
    return path, message


_JSON_SCALARS = (str, int, float, bool, type(None))


def _not_json(data: Any, path: tuple[Any, ...]) -> tuple[tuple[Any, ...], str] | None:
    """The first part of ``data`` JSON cannot hold, as a schema violation: a mapping key that is not a string (YAML
    allows ``1: x``, ``true: x``, ``? [a, b]``), or a value of another type (``!!set``, ``!!binary``)."""
    where = ".".join(map(str, path)) or "document"
    if isinstance(data, dict):
        for key, value in data.items():
            if not isinstance(key, str):
                fix = "write field names as text (quote one that reads as a number, a boolean or null)"
                return (*path, key), f"{where}: the key {json.dumps(key, default=str)} is not a field name; {fix}"
            found = _not_json(value, (*path, key))
            if found:
                return found
    elif isinstance(data, list):
        for index, item in enumerate(data):
            found = _not_json(item, (*path, index))
            if found:
                return found
    elif not isinstance(data, _JSON_SCALARS):
        tags: dict[type, str] = {bytes: "!!binary", set: "!!set"}
        tag = tags.get(type(data), type(data).__name__)
        return path, f"{where}: a {tag} value is not allowed; write text, a number, true/false, a list or a mapping"
    return None


def _required_choices(error: Any) -> list[str]:
    """For a failed "exactly one of these fields" rule (oneOf of required), the fields to choose from."""
    branches = error.validator_value if error.validator == "oneOf" else []
    if branches and all(set(branch) == {"required"} and len(branch["required"]) == 1 for branch in branches):
        return [branch["required"][0] for branch in branches]
    return []


def _most_specific(error: Any) -> Any:
    """For oneOf/anyOf failures, descend to the branch error deepest in the document."""
    while error.context:
        error = max(error.context, key=lambda e: len(e.absolute_path))
        if error.validator not in ("oneOf", "anyOf") or not error.context:
            break
    return error


def _describe(error: Any) -> str:
    if "propertyNames" in error.schema_path:
        return f"{json.dumps(error.instance)} is not a valid key: use letters, digits, '-', '_' and '.' (at most 63), optionally after a DNS prefix and '/'"
    if error.validator == "type":
        expected = " or ".join(error.validator_value) if isinstance(error.validator_value, list) else error.validator_value
        return f"expected {expected}, got {type(error.instance).__name__} {json.dumps(error.instance)[:40]}"
    if error.validator == "pattern":
        return f"{json.dumps(error.instance)} is not valid (must match {error.validator_value})"
    if error.validator == "enum":
        return f"{json.dumps(error.instance)} is not one of {', '.join(map(str, error.validator_value))}"
    if error.validator == "not" and isinstance(error.validator_value, dict) and "required" in error.validator_value:
        return f"set only one of {', '.join(error.validator_value['required'])}"
    if error.validator == "oneOf":
        return "must set exactly one of the alternatives (check the blueprint reference in README.md)"
    return error.message


@functools.cache
def _validator(name: str) -> Any:
    import jsonschema
    from referencing import Registry, Resource

    schemas = _schemas()
    registry = Registry().with_resources([(schema["$id"], Resource.from_contents(schema)) for schema in schemas.values()])
    return jsonschema.Draft202012Validator(schemas[name], registry=registry, format_checker=None)


@functools.cache
def _fast_validator(name: str) -> Any:
    """jsonschema-rs checks a valid document in microseconds; used to skip the slow path."""
    import jsonschema_rs

    schemas = _schemas()
    registry = jsonschema_rs.Registry([(schema["$id"], schema) for schema in schemas.values()])
    return jsonschema_rs.validator_for(schemas[name], registry=registry)


@functools.cache
def _schemas() -> dict[str, dict[str, Any]]:
    blueprint = json.loads((SCHEMAS / "blueprint.schema.json").read_text())
    environment = json.loads((SCHEMAS / "environment.schema.json").read_text())
    namespace = json.loads((SCHEMAS / "namespace.schema.json").read_text())
    addon = json.loads((SCHEMAS / "addon.schema.json").read_text())
    lint_config = json.loads((SCHEMAS / "lint-config.schema.json").read_text())
    return {
        "blueprint": blueprint,
        "environment": environment,
        "overrides": overrides_schema(blueprint),
        "namespace": namespace,
        "addon": addon,
        "lint-config": lint_config,
    }


def overrides_schema(blueprint: dict[str, Any]) -> dict[str, Any]:
    """Per-environment overrides: any blueprint field but the identity ones, nothing required."""
    schema = copy.deepcopy(blueprint)
    schema["$id"] = re.sub(r"blueprint\.schema\.json$", "overrides.schema.json", blueprint["$id"])
    schema["title"] = "gitopsgen per-environment override"
    for key in IDENTITY_FIELDS:
        schema["properties"].pop(key, None)
    return _without_completeness(schema)


def _without_completeness(schema: Any) -> Any:
    """Drop the rules that make an object complete (required fields, exactly-one-of choices): an
    override is merged over the blueprint, and the merged result is checked against the full schema."""
    if isinstance(schema, list):
        return [_without_completeness(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    loosened = {}
    for key, value in schema.items():
        if key == "required" or (key == "not" and set(value) == {"required"}):
            continue
        if key in ("oneOf", "anyOf") and all(set(branch) <= {"required", "not"} for branch in value):
            continue
        loosened[key] = _without_completeness(value)
    return loosened


def suggest(word: str, candidates: Any) -> str:
    import difflib

    match = difflib.get_close_matches(str(word), [str(c) for c in candidates], n=1)
    return f" (did you mean {match[0]!r}?)" if match else ""
