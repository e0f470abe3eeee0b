"""CustomResourceDefinitions as schemas: read a CRD's ``openAPIV3Schema`` and turn it into JSON Schema.

The conversion applies the API server's rules for custom resources:

- ``x-kubernetes-int-or-string`` (and ``format: int-or-string``) accepts an integer or a string;
- ``x-kubernetes-preserve-unknown-fields`` keeps unknown fields; elsewhere ``--strict`` rejects them
  (the server would prune them silently, which is rarely what the author meant);
- ``nullable``; and a ``null`` for a field that is not required is accepted, since the server
  prunes it before validation;
- OpenAPI's boolean ``exclusiveMinimum``/``exclusiveMaximum`` become JSON Schema numbers;
- ``metadata`` is validated as the built-in ObjectMeta.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.errors import InputError
from generator.walk import manifest_files

# keywords copied as they are; everything else (descriptions, x-kubernetes-validations, ...) is dropped
_COPIED = {
    "type",
    "enum",
    "required",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "multipleOf",
    "uniqueItems",
}


def to_json_schema(openapi: dict[str, Any], api_version: str, kind: str, *, strict: bool, metadata_ref: str) -> dict[str, Any]:
    """JSON Schema (2020-12) for one served version of a custom resource."""
    schema = _convert(openapi, strict, optional=False)
    properties = schema.setdefault("properties", {})
    properties["apiVersion"] = {"type": "string", "enum": [api_version]}
    properties["kind"] = {"type": "string", "enum": [kind]}
    properties["metadata"] = {"$ref": metadata_ref}
    schema["type"] = "object"
    schema["required"] = sorted({"apiVersion", "kind", *schema.get("required", [])})
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def _convert(node: dict[str, Any], strict: bool, optional: bool) -> dict[str, Any]:
    out: dict[str, Any] = {key: value for key, value in node.items() if key in _COPIED}
    required = set(node.get("required", []))
    if "properties" in node:
        out["properties"] = {name: _convert(child, strict, optional=name not in required) for name, child in node["properties"].items()}
    if isinstance(node.get("items"), dict):
        out["items"] = _convert(node["items"], strict, optional=False)
    additional = node.get("additionalProperties")
    if isinstance(additional, dict):
        out["additionalProperties"] = _convert(additional, strict, optional=False)
    elif isinstance(additional, bool):
        out["additionalProperties"] = additional
    for keyword in ("allOf", "anyOf", "oneOf"):
        if keyword in node:
            out[keyword] = [_convert(branch, strict, optional=False) for branch in node[keyword]]
    if isinstance(node.get("not"), dict):
        out["not"] = _convert(node["not"], strict, optional=False)
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if node.get(bound) is True and limit in node:
            out[bound] = out.pop(limit)
    if node.get("x-kubernetes-int-or-string") or node.get("format") == "int-or-string":
        out.pop("type", None)
        out.pop("anyOf", None)
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    preserve = node.get("x-kubernetes-preserve-unknown-fields") or node.get("x-kubernetes-embedded-resource")
    if strict and "properties" in out and "additionalProperties" not in out and not preserve:
        out["additionalProperties"] = False
    if node.get("nullable") or optional:
        _allow_null(out)
    return out


def _allow_null(out: dict[str, Any]) -> None:
    kind = out.get("type")
    if isinstance(kind, str):
        out["type"] = [kind, "null"]
    if "enum" in out and None not in out["enum"]:
        out["enum"] = [*out["enum"], None]
    if "anyOf" in out and "type" not in out:
        out["anyOf"] = [*out["anyOf"], {"type": "null"}]


def served_versions(crd: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """``{(apiVersion, kind): openAPIV3Schema}`` for every served version of one CRD (v1 or v1beta1)."""
    spec = crd.get("spec") or {}
    if not isinstance(spec, dict) or not isinstance(spec.get("names") or {}, dict):
        raise ValueError("a CustomResourceDefinition's spec (and spec.names) must be a mapping")
    group, kind = spec.get("group"), (spec.get("names") or {}).get("kind")
    if not isinstance(group, str) or not isinstance(kind, str):
        raise ValueError("a CustomResourceDefinition needs spec.group and spec.names.kind")
    shared = ((spec.get("validation") or {}).get("openAPIV3Schema")) or None  # v1beta1
    found: dict[tuple[str, str], dict[str, Any]] = {}
    versions = spec.get("versions") or ([{"name": spec["version"], "served": True}] if spec.get("version") else [])
    for version in versions:
        if not isinstance(version, dict) or version.get("served") is False:
            continue
        holder = version.get("schema") or {}
        schema = (holder.get("openAPIV3Schema") if isinstance(holder, dict) else None) or shared
        if isinstance(schema, dict):
            _no_references(schema, ("openAPIV3Schema",))
            found[(f"{group}/{version['name']}", kind)] = schema
    if not found:
        raise ValueError(f"CustomResourceDefinition for {kind}.{group} has no served version with an openAPIV3Schema")
    return found


def _no_references(node: Any, where: tuple[str, ...]) -> None:
    """A CRD schema must be self-contained (the API server refuses ``$ref``): a reference would go unchecked."""
    if isinstance(node, dict):
        reference = node.get("$ref")
        if reference is not None:
            raise ValueError(
                f"{'.'.join(where)} uses $ref {reference!r}, which cannot be resolved: CRD schemas must be "
                "self-contained (the API server refuses $ref); inline the definition"
            )
        for key, child in node.items():
            _no_references(child, (*where, str(key)))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            _no_references(child, (*where, str(index)))


def load_crd_file(path: Path) -> dict[tuple[str, str], dict[str, Any]]:
    from generator import yamlio

    try:
        documents = yamlio.load_file(path)
    except OSError as exc:
        raise InputError(f"cannot read CRD file: {exc.strerror}; check the --crd path", path) from None
    except yamlio.YAMLSyntaxError as exc:
        raise InputError(f"{exc.problem}; fix the CRD file", path, exc.line) from None
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for document in documents:
        data = document.data
        if not isinstance(data, dict) or data.get("kind") != "CustomResourceDefinition":
            continue
        try:
            found.update(served_versions(data))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"{exc}; fix the CRD or drop it from --crd", path, document.line) from None
    return found


def load_crd_path(path: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """Every CRD in a file, or in the manifest files under a folder (as validate walks folders)."""
    if not path.exists():
        raise InputError("no such file or folder; check the --crd path", path)
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for file in manifest_files(str(path)):
        found.update(load_crd_file(Path(file)))
    if not found:
        raise InputError("no CustomResourceDefinition found; --crd takes CRD YAML files or folders", path)
    return found


def shipped_schema(folder: Path, api_version: str, kind: str) -> dict[str, Any] | None:
    """The openAPIV3Schema of a CRD gitopsgen ships, from ``<kind>.<group>.yaml``, or None."""
    group = api_version.rpartition("/")[0]
    if not group:
        return None
    return _shipped_file(folder / f"{kind.lower()}.{group}.yaml").get((api_version, kind))


@lru_cache(maxsize=64)
def _shipped_file(path: Path) -> dict[tuple[str, str], dict[str, Any]]:
    if not path.is_file():
        return {}
    return load_crd_file(path)
