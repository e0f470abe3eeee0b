"""Helpers for the delivery-mode tests: switch a project's delivery settings as a user would, in its YAML files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def set_gitops(project: Path, **settings: Any) -> None:
    """Set keys of the ``gitops:`` section of the project's gitopsgen.yaml."""
    path = project / "gitopsgen.yaml"
    config = yaml.safe_load(path.read_text()) or {}
    config.setdefault("gitops", {}).update(settings)
    path.write_text(yaml.safe_dump(config, sort_keys=False))


def set_env(project: Path, env: str, **settings: Any) -> None:
    """Set top-level keys of ``overlays/<env>.yaml``."""
    path = project / "overlays" / f"{env}.yaml"
    spec = yaml.safe_load(path.read_text())
    spec.update(settings)
    path.write_text(yaml.safe_dump(spec, sort_keys=False))


def use_local_chart(project: Path, app: str, chart_path: str) -> None:
    """Point a Helm app at a chart inside the GitOps repository instead of a chart repository."""
    path = project / "blueprints" / f"{app}.yaml"
    spec = yaml.safe_load(path.read_text())
    spec["helm"]["chart"] = {"path": chart_path}
    path.write_text(yaml.safe_dump(spec, sort_keys=False))


def objects_of(text: str) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(text) if doc]


def by_identity(objects: list[dict[str, Any]]) -> dict[tuple[str, str, str], dict[str, Any]]:
    return {(o["kind"], o["metadata"].get("namespace", ""), o["metadata"]["name"]): o for o in objects}
