"""``gitopsgen validate``: offline schema validation of Kubernetes manifests, kubeconform-style.

Public API for other commands (``render`` refuses to write what fails here)::

    validate_objects(objects, kubernetes_version=None, strict=False, *, source="<rendered>", origin=None,
                     crd_paths=()) -> list[Finding]

Modules, one concern each: ``loader`` (files, stdin, documents, List items), ``registry``
(where schemas come from, compiled once per run), ``crd`` (CRD openAPIV3Schema -> JSON
Schema), ``validator`` (one resource -> findings), ``run`` (a whole run), ``command`` (CLI).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from generator.results import Finding


def validate_objects(
    objects: list[dict[str, Any]],
    kubernetes_version: str | None = None,
    strict: bool = False,
    *,
    source: str = "<rendered>",
    origin: Callable[[dict, tuple], tuple[str, int]] | None = None,
    crd_paths: tuple[Path, ...] = (),
) -> "list[Finding]":
    """Schema findings for in-memory objects; see :func:`generator.validate.run.validate_objects`."""
    from generator.validate.run import validate_objects as run_validate_objects

    return run_validate_objects(objects, kubernetes_version, strict, source=source, origin=origin, crd_paths=crd_paths)


__all__ = ["validate_objects"]
