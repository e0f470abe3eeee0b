"""Where schemas come from, compiled once per (Kubernetes version, strictness, apiVersion, kind).

Three sources, looked up in this order:

1. Kubernetes built-in kinds: the JSON schema files that kubernetes-validate ships
   (``kubernetes-json-schema/v<ver>-local[-strict]/<kind>-<group>-<version>.json``), whose
   ``$ref`` s point into ``_definitions.json`` of the same folder.
   kubernetes-validate's own ``validate()`` is not used: it re-reads and re-compiles the
   schemas on every call.
2. CRDs the user passes with ``--crd``.
3. CRDs gitopsgen ships in ``generator/schemas/crds/`` for every custom kind it emits.

Each schema is compiled self-contained, with the definitions it uses (:mod:`generator.validate.bundle`),
kept in the cache folder between runs; ``_definitions.json`` is read only to make a bundle.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from generator.errors import InputError
from generator.validate import crd as crd_schemas

DEFINITIONS_URI = "https://kubernetes.io/api/_definitions.json"
OBJECT_META_REF = f"{DEFINITIONS_URI}#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
SHIPPED_CRDS = Path(__file__).resolve().parent.parent / "schemas" / "crds"

# resource.Quantity as the API server parses it (the pattern controller-gen emits for Quantity fields)
QUANTITY_PATTERN = r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$"
_VERSION_DIR = re.compile(r"^v(\d+)\.(\d+)\.(\d+)-local$")


def schema_root() -> Path:
    spec = find_spec("kubernetes_validate")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - a declared dependency
        raise InputError("kubernetes-validate is not installed; run `pip install kubernetes-validate`")
    return Path(next(iter(spec.submodule_search_locations))) / "kubernetes-json-schema"


@lru_cache(maxsize=1)
def kubernetes_versions() -> list[str]:
    """Kubernetes versions with schemas, oldest first, as ``major.minor.patch``."""
    found = []
    for entry in schema_root().iterdir():
        match = _VERSION_DIR.match(entry.name)
        if match:
            found.append(tuple(int(part) for part in match.groups()))
    return [".".join(map(str, version)) for version in sorted(found)]


def latest_version() -> str:
    return kubernetes_versions()[-1]


def resolve_version(requested: str | None) -> str:
    """The newest shipped version not newer than ``requested`` (``1.33``, ``v1.33.2``, ...)."""
    versions = kubernetes_versions()
    if not requested:
        return versions[-1]
    match = re.fullmatch(r"v?(\d+)\.(\d+)(?:\.(\d+))?", requested.strip())
    if not match:
        raise InputError(f"--kubernetes-version {requested!r} is not a version like 1.33 or 1.33.2")
    wanted = (int(match[1]), int(match[2]))
    candidates = [v for v in versions if tuple(map(int, v.split(".")[:2])) == wanted]
    if not candidates:
        raise InputError(f"--kubernetes-version {requested}: no schemas for it; choose one from {versions[0]} to {versions[-1]}")
    return candidates[-1]


@lru_cache(maxsize=4)
def load_definitions(version: str, strict: bool) -> dict[str, Any]:
    """``_definitions.json`` of one version, adjusted to how the API server really decodes.

    The published schemas spell int-or-string and Quantity as ``oneOf`` of two nullable types,
    so ``null`` (which Kubernetes accepts for an optional field) matches both branches and
    fails ``oneOf``. They become ``anyOf``; Quantity strings also get the API server's syntax.
    """
    definitions = json.loads(definitions_file(version, strict).read_bytes())
    defs = definitions["$defs"]
    defs["io.k8s.apimachinery.pkg.util.intstr.IntOrString"] = {"anyOf": [{"type": ["string", "null"]}, {"type": ["integer", "null"]}]}
    defs["io.k8s.apimachinery.pkg.api.resource.Quantity"] = {"anyOf": [{"type": ["string", "null"], "pattern": QUANTITY_PATTERN}, {"type": ["number", "null"]}]}
    _bound_integers(defs)
    return definitions


# The API server decodes int32/int64 fields into Go integers: a larger number is refused, not wrapped.
_INTEGER_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def _bound_integers(node: Any) -> None:
    """Give every ``format: int32/int64`` integer the range the API server accepts (formats alone are not checked)."""
    if isinstance(node, dict):
        form = node.get("format")
        bounds = _INTEGER_RANGES.get(form) if isinstance(form, str) else None
        if bounds is not None:
            node.setdefault("minimum", bounds[0])
            node.setdefault("maximum", bounds[1])
        for child in node.values():
            if isinstance(child, (dict, list)):
                _bound_integers(child)
    elif isinstance(node, list):
        for child in node:
            _bound_integers(child)


def definitions_file(version: str, strict: bool) -> Path:
    return schema_root() / f"v{version}-local{'-strict' if strict else ''}" / "_definitions.json"


def builtin_file(version: str, strict: bool, api_version: str, kind: str) -> Path:
    group, _, group_version = api_version.rpartition("/")
    prefix = f"{group.split('.')[0]}-" if group else ""
    folder = schema_root() / f"v{version}-local{'-strict' if strict else ''}"
    return folder / f"{kind.lower()}-{prefix}{group_version}.json"


def builtin_schema(version: str, strict: bool, api_version: str, kind: str) -> dict[str, Any] | None:
    """The schema of a built-in kind, or None; files of embedded types (Affinity, ...) do not count."""
    path = builtin_file(version, strict, api_version, kind)
    try:
        schema = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    group, _, group_version = api_version.rpartition("/")
    for gvk in schema.get("x-kubernetes-group-version-kind", []):
        if gvk.get("group", "") == group and gvk.get("version") == group_version and gvk.get("kind") == kind:
            return schema
    return None


@dataclass
class SchemaRegistry:
    """Compiled validators for one run, keyed by (apiVersion, kind); None means "no schema"."""

    version: str
    strict: bool = False
    user_crds: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    cache: Path | None = None  # where bundled schemas are kept between runs; None: not kept
    _validators: dict[tuple[str, str], Any] = field(default_factory=dict)

    @classmethod
    def create(cls, kubernetes_version: str | None = None, strict: bool = False, crd_paths: tuple[Path, ...] = (), cache: Path | None = None) -> SchemaRegistry:
        user_crds: dict[tuple[str, str], dict[str, Any]] = {}
        for path in crd_paths:
            user_crds.update(crd_schemas.load_crd_path(path))
        return cls(resolve_version(kubernetes_version), strict, user_crds, cache)

    def validator(self, api_version: str, kind: str) -> Any:
        key = (api_version, kind)
        if key not in self._validators:
            schema = self.schema(api_version, kind)
            self._validators[key] = None if schema is None else self._compile(schema)
        return self._validators[key]

    def schema(self, api_version: str, kind: str) -> dict[str, Any] | None:
        """The kind's schema as published (or converted from its CRD), referring into the definitions file."""
        schema = builtin_schema(self.version, self.strict, api_version, kind)
        if schema is not None:
            return schema
        openapi = self.user_crds.get((api_version, kind)) or crd_schemas.shipped_schema(SHIPPED_CRDS, api_version, kind)
        if openapi is None:
            return None
        return crd_schemas.to_json_schema(openapi, api_version, kind, strict=self.strict, metadata_ref=OBJECT_META_REF)

    def _compile(self, schema: dict[str, Any]) -> Any:
        import jsonschema_rs

        from generator.validate.bundle import prepared

        bundled = prepared(schema, definitions_file(self.version, self.strict), lambda: load_definitions(self.version, self.strict), self.cache)
        return jsonschema_rs.validator_for(bundled, validate_formats=False)
