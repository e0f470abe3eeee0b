"""Two sources must not emit the same object differently: Argo CD would have two owners flip it back and forth."""

from __future__ import annotations

from typing import Any, Protocol

from generator import kube
from generator.errors import InputError


class RenderedObjects(Protocol):
    """What a render/project.py RenderedSet offers here: its environment, objects, and where each came from."""

    env: str
    objects: list[dict[str, Any]]

    def origin(self, obj: dict[str, Any], field_path: tuple[Any, ...]) -> tuple[str, int]: ...


def check_collisions(sets: list[Any]) -> None:
    """Raise an InputError naming both sources (file:line) of the first object two sets emit differently."""
    seen: dict[tuple[str, str, str, str], tuple[RenderedObjects, dict[str, Any]]] = {}
    for rendered in sets:
        for obj in rendered.objects:
            metadata = obj.get("metadata", {})
            namespace = "" if kube.is_cluster_scoped(obj["kind"]) else metadata.get("namespace", "")
            key = (rendered.env, obj["kind"], namespace, metadata.get("name", ""))
            if key not in seen:
                seen[key] = (rendered, obj)
                continue
            first, first_obj = seen[key]
            if first is rendered or first_obj == obj:
                continue
            path, line = rendered.origin(obj, ())
            other_path, other_line = first.origin(first_obj, ())
            where = f"{namespace}/{key[3]}" if namespace else key[3]
            raise InputError(
                f"{obj['kind']} {where} in {rendered.env} is also emitted, differently, by {other_path}:{other_line}; "
                "define it once (a shared object belongs in namespaces/<name>.yaml)",
                path,
                line,
            )
