"""One validation run: inputs in, one result per resource out to the chosen report output."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from generator.report import Output
from generator.results import Finding, ResourceResult, Summary
from generator.validate.loader import Resource, built_resources, expand_paths, load_resources, read_source
from generator.validate.registry import SchemaRegistry
from generator.validate.validator import Settings, validate_resource

Origin = Callable[[dict, tuple], tuple[str, int]]


@dataclass
class Run:
    registry: SchemaRegistry
    settings: Settings
    output: Output
    summary: Summary = field(default_factory=Summary)

    def emit(self, result: ResourceResult) -> None:
        self.summary.count(result)
        self.output.write(result)

    def validate_paths(self, paths: list[str]) -> None:
        with _without_cycle_collector():
            self._validate_paths(paths)

    def _validate_paths(self, paths: list[str]) -> None:
        for item in expand_paths(paths):
            self.summary.files += 1
            if item.builds:
                for built in built_resources(item.path):
                    self.emit(built if isinstance(built, ResourceResult) else validate_resource(built, self.registry, self.settings))
                continue
            name, text, error = read_source(item.path)
            if error is not None:
                self.emit(error)
                continue
            assert text is not None
            for item in load_resources(name, text):
                self.emit(item if isinstance(item, ResourceResult) else validate_resource(item, self.registry, self.settings))

    def validate_rendered(self, rendered_sets: Iterable[Any]) -> None:
        """Sets from ``effective_manifests()``: findings point at the blueprint line that produced the field."""
        sources: set[str] = set()
        for rendered in rendered_sets:
            sources.add(rendered.source)
            for obj in rendered.objects:
                self.emit(validate_resource(rendered_resource(obj, rendered.source, rendered.origin), self.registry, self.settings))
        self.summary.files += len(sources)


@contextmanager
def _without_cycle_collector() -> Iterator[None]:
    """Parsing allocates millions of small acyclic objects (YAML nodes); reference counting frees them.

    Python's cycle collector would otherwise rescan every live node again and again, which
    costs more than the parsing itself on a large estate.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def rendered_resource(obj: dict[str, Any], source: str, origin: Origin | None) -> Resource:
    def locate(field_path: tuple) -> tuple[str, int, int]:
        if origin is None:
            return source, 1, 1
        path, line = origin(obj, tuple(field_path))
        return str(path), int(line), 1

    return Resource(obj, source, locate(())[1], locate, [])


@lru_cache(maxsize=8)
def _registry(kubernetes_version: str | None, strict: bool, crd_paths: tuple[Path, ...]) -> SchemaRegistry:
    """One registry (and its compiled validators) per process and settings: render calls once per set."""
    return SchemaRegistry.create(kubernetes_version, strict, crd_paths)


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
    registry = _registry(kubernetes_version, strict, tuple(crd_paths))
    settings = Settings()
    findings: list[Finding] = []
    for obj in objects:
        if not isinstance(obj, dict):
            findings.append(Finding("validate", "document", "error", "object is not a mapping", source))
            continue
        findings.extend(validate_resource(rendered_resource(obj, source, origin), registry, settings).findings)
    return findings
