"""Validating one resource: pick its schema, run it, and turn schema errors into findings.

Messages name the field and what Kubernetes expects there; the line and column are those of
the offending field in the source, so an editor can jump to it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from generator.kube import ANNOTATIONS_SIZE_LIMIT, POD_TEMPLATE, annotations_size
from generator.manifest import FieldPath, Manifest, ReadProblem
from generator.results import Finding, Level, ResourceResult
from generator.validate.registry import QUANTITY_PATTERN, SchemaRegistry


@dataclass
class Settings:
    """How objects are validated: whether a missing schema skips the object, and which kinds are not checked."""

    ignore_missing_schemas: bool = False
    skip_kinds: frozenset[str] = field(default_factory=frozenset)


def validate_manifest(resource: Manifest, registry: SchemaRegistry, settings: Settings) -> ResourceResult:
    """One result for one object: its schema findings at the lines to edit, and duplicate keys."""
    data = resource.obj
    api_version, kind = data.get("apiVersion"), data.get("kind")
    metadata = resource.metadata
    name = str(metadata.get("name") or metadata.get("generateName") or "")
    result = ResourceResult(
        resource.path,
        kind=kind if isinstance(kind, str) else "",
        name=name,
        namespace=str(metadata.get("namespace") or ""),
        line=resource.line,
        api_version=api_version if isinstance(api_version, str) else "",
    )
    if not _has_type(resource, result):
        return result
    if settings.skip_kinds and (kind in settings.skip_kinds or f"{api_version}/{kind}" in settings.skip_kinds):
        result.status = "skipped"
        return result
    validator = registry.validator(str(api_version), str(kind))  # strings: _has_type said so
    if validator is None:
        if settings.ignore_missing_schemas:
            result.status = "skipped"
            return result
        message = f"no schema for {api_version} {kind} in Kubernetes {registry.version} or the known CRDs; pass its CRD with --crd, or --ignore-missing-schemas"
        _add(result, resource, "missing-schema", message, ("kind",))
        result.status = "error"
        return result
    try:
        errors = _errors(validator, data)
    except ValueError as exc:
        _add(result, resource, "document", f"cannot be checked: {exc}", ())
        result.status = "error"
        return result
    for error in errors:
        for field_path, message in explain(error, data):
            _add(result, resource, "schema", message, field_path)
    for field_path, message in _annotation_problems(data):
        _add(result, resource, "schema", message, field_path)
    if not name:
        _add(result, resource, "schema", "metadata.name or metadata.generateName is required", ("metadata",))
    for key, path, line, column in resource.duplicates:
        level: Level = "error" if registry.strict else "warning"
        finding = Finding(
            tool="validate",
            rule="duplicate-key",
            level=level,
            message=f'duplicate key "{key}"; the last value wins',
            path=resource.path,
            line=line,
            column=column,
            kind=result.kind,
            name=name,
            namespace=result.namespace,
            field=format_path(path + (key,)),
        )
        result.findings.append(finding)
    if result.findings and any(finding.level == "error" for finding in result.findings):
        result.status = "invalid"
    return result


def problem_result(problem: ReadProblem) -> ResourceResult:
    """A file that cannot be read (``yaml``), a folder that does not build (``kustomize``), a document that is not an object: status error."""
    rule = {"unreadable": "yaml", "unbuildable": "kustomize"}.get(problem.kind, "document")
    line, column = problem.line or 1, problem.column or 1
    finding = Finding(tool="validate", rule=rule, level="error", message=problem.message, path=problem.path, line=line, column=column)
    return ResourceResult(problem.path, line=line, status="error", findings=[finding])


def _annotation_problems(data: dict[str, Any]) -> list[tuple[FieldPath, str]]:
    """The API server's limit on one object's annotations (a schema cannot say it): the object's and its pod template's."""
    template = POD_TEMPLATE.get(str(data.get("kind")), ())
    problems: list[tuple[FieldPath, str]] = []
    for where in ((), template) if template else ((),):
        node: Any = data
        for step in where:
            node = node.get(step) if isinstance(node, dict) else None
        meta = node.get("metadata") if isinstance(node, dict) else None
        annotations = meta.get("annotations") if isinstance(meta, dict) else None
        if isinstance(annotations, dict):
            size = annotations_size(annotations)
            if size > ANNOTATIONS_SIZE_LIMIT:
                problems.append(
                    (
                        (*where, "metadata", "annotations"),
                        f"annotations take {size} bytes, over the {ANNOTATIONS_SIZE_LIMIT} the API server accepts; move large data into a ConfigMap",
                    )
                )
    return problems


def _errors(validator: Any, data: dict[str, Any]) -> list[Any]:
    """Schema errors; the fast ``is_valid`` answers for the usual, valid resource.

    Odd YAML (non-string keys, ``!!binary``) is first made JSON, as the API server would.
    """
    try:
        return [] if validator.is_valid(data) else list(validator.iter_errors(data))
    except (ValueError, TypeError, OverflowError):
        plain = json_compatible(data)
        return [] if validator.is_valid(plain) else list(validator.iter_errors(plain))


def json_compatible(value: Any, depth: int = 0) -> Any:
    """YAML data as JSON: non-string keys become their YAML text (``1``, ``true``), ``!!binary`` base64."""
    if depth > 200:
        raise ValueError("the document nests too deeply (a recursive YAML alias?)")
    if isinstance(value, dict):
        return {_key_text(key): json_compatible(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [json_compatible(item, depth + 1) for item in value]
    if isinstance(value, bytes):
        import base64

        return base64.b64encode(value).decode("ascii")
    return value


def _key_text(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, bool) or key is None:
        return json.dumps(key)
    return str(key)


def _has_type(resource: Manifest, result: ResourceResult) -> bool:
    for key in ("apiVersion", "kind"):
        value = resource.obj.get(key)
        if not isinstance(value, str) or not value:
            problem = "is missing" if value is None else "must be a non-empty string"
            _add(result, resource, "document", f"{key} {problem}; every Kubernetes object needs apiVersion and kind", (key,) if value is not None else ())
            result.status = "error"
            return False
    return True


def _add(result: ResourceResult, resource: Manifest, rule: str, message: str, field_path: FieldPath) -> None:
    path, line, column, _ = resource.locate(field_path)
    result.findings.append(
        Finding(
            tool="validate",
            rule=rule,
            level="error",
            message=message,
            path=path,
            line=line,
            column=column,
            kind=result.kind,
            name=result.name,
            namespace=result.namespace,
            field=format_path(field_path),
        )
    )


def format_path(field_path: FieldPath) -> str:
    """``("spec", "containers", 0, "image")`` -> ``spec.containers[0].image``."""
    text = ""
    for step in field_path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def explain(error: Any, data: Any = None) -> list[tuple[FieldPath, str]]:
    """(field path, message) pairs for one jsonschema-rs error; several for several unknown fields."""
    where = real_path(data, error.instance_path)
    kind = error.kind
    name = kind.name
    if name == "additionalProperties":
        return [(where + (key,), f'unknown field "{key}"') for key in kind.unexpected]
    if name == "required":
        return [(where, f'missing required field "{kind.property}"')]
    if name == "type":
        return [(where, f"expected {_types(kind.types)}, got {_describe(error.instance)}")]
    if name == "enum":
        options = ", ".join(_short(option) for option in kind.options if option is not None)
        return [(where, f"must be one of {options}; got {_short(error.instance)}")]
    if name in ("anyOf", "oneOfNotValid"):
        errors = [e for branch in kind.context for e in branch]
        specific = [e for e in errors if e.kind.name != "type"]
        if not specific:  # wrong type for every branch: int-or-string, Quantity, ...
            types = [t for e in errors for t in e.kind.types]
            return [(where, f"expected {_types(types)}, got {_describe(error.instance)}")]
        return [(where, message) for _, message in explain(specific[0], data)[:1]]
    if name == "pattern" and kind.pattern == QUANTITY_PATTERN:
        return [(where, f"{_short(error.instance)} is not a Kubernetes quantity (like 500m, 1.5, 256Mi, 2Gi)")]
    if name == "pattern":
        return [(where, f"{_short(error.instance)} does not match {kind.pattern}")]
    return [(where, error.message)]


def real_path(data: Any, instance_path: list[str | int]) -> FieldPath:
    """jsonschema-rs reports a numeric-looking map key ("8080") as an int; give it back as the key."""
    steps: list[str | int] = []
    node = data
    for step in instance_path:
        if isinstance(node, dict):
            key = step if step in node else str(step)
            steps.append(str(key))
            node = node.get(key)
        else:
            steps.append(step)
            node = node[step] if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node) else None
    return tuple(steps)


def _types(types: list[str]) -> str:
    names = list(dict.fromkeys(t for t in types if t != "null")) or ["null"]
    return " or ".join(names)


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    kind = {bool: "boolean", int: "integer", float: "number", str: "string", list: "array", dict: "object"}.get(type(value), "value")
    if kind in ("array", "object"):
        return f"an {kind}" if kind == "array" else "an object"
    return f"{kind} {_short(value)}"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."
