"""``gitopsgen validate``: offline schema validation of Kubernetes manifests, kubeconform-style.

Public API for other commands (``render`` refuses to write what fails here)::

    validate_objects(objects, kubernetes_version=None, strict=False, *, source="<rendered>", origin=None,
                     crd_paths=()) -> list[Finding]

Modules, one concern each: ``registry`` (where schemas come from, compiled once per run), ``crd``
(CRD openAPIV3Schema -> JSON Schema), ``validator`` (one manifest -> one result), ``rules`` (what
each finding id means), ``command`` (CLI). Manifests come from :mod:`generator.manifest`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.manifest import Origin
    from generator.results import Finding
    from generator.validate.registry import SchemaRegistry


@lru_cache(maxsize=8)
def _registry(kubernetes_version: str | None, strict: bool, crd_paths: tuple[Path, ...]) -> SchemaRegistry:
    """One registry (and its compiled validators) per process and settings: render calls once per set."""
    from generator.cache import default_cache_dir
    from generator.validate.registry import SchemaRegistry

    return SchemaRegistry.create(kubernetes_version, strict, crd_paths, default_cache_dir())


def validate_objects(
    objects: list[dict[str, Any]],
    kubernetes_version: str | None = None,
    strict: bool = False,
    *,
    source: str = "<rendered>",
    origin: Origin | None = None,
    crd_paths: tuple[Path, ...] = (),
) -> list[Finding]:
    """Schema findings for in-memory objects (what ``render`` is about to write); empty when all valid.

    Errors have ``level == "error"``; with ``origin`` (``RenderedSet.origin``) they point at the
    blueprint line that produced the offending field, otherwise at ``source``.
    """
    from generator.manifest import rendered_manifest
    from generator.results import Finding
    from generator.validate.validator import Settings, validate_manifest

    registry = _registry(kubernetes_version, strict, tuple(crd_paths))
    settings = Settings()
    findings: list[Finding] = []
    for obj in objects:
        if not isinstance(obj, dict):
            findings.append(Finding("validate", "document", "error", "object is not a mapping", source))
            continue
        findings.extend(validate_manifest(rendered_manifest(obj, source, origin), registry, settings).findings)
    return findings


__all__ = ["validate_objects"]
