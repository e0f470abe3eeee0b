"""Every field of the project's own files, given a value of another type or dropped, in turn.

Loading and rendering either succeed or stop with one InputError line; no other exception. Run
over every file of the project once, this found three ways to a traceback that the schemas now
close: an overlay's ``argocd.syncPolicy.automated: true``, its ``syncOptions`` as one string, and a
blueprint with ``delivery: helm`` but no ``helm`` section. The test keeps a sample of the files, one
of each kind, and one type per field (the types taken in turn), which runs in seconds.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.errors import InputError
from generator.load import load_project
from generator.render.project import render_project

ROOT = Path(__file__).resolve().parent.parent
FILES = [
    "gitopsgen.yaml",
    "overlays/staging.yaml",
    "blueprints/user-service.yaml",  # delivered as a Helm chart
    "blueprints/hackai-postgres.yaml",  # a StatefulSet
    "namespaces/hackai.yaml",
    "addons/flagger.yaml",
]
SAMPLED_APPS = [Path(name).stem for name in FILES if name.startswith("blueprints/")]
RETYPED: list[Any] = [None, 7, 2.5, "x", "", [1], {"x": 1}, True]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in children:
        found += _paths(child, (*prefix, key))
    return found


def _variants(data: Any) -> Iterator[tuple[str, Any]]:
    """(what was done, the changed data) for each field: given a value of another type, then dropped."""
    for turn, path in enumerate(_paths(data)):
        for dropped in (False, True):
            variant = copy.deepcopy(data)
            parent = variant
            for step in path[:-1]:
                parent = parent[step]
            if dropped:
                del parent[path[-1]]
            else:
                parent[path[-1]] = copy.deepcopy(RETYPED[turn % len(RETYPED)])
            yield f"{'.'.join(map(str, path))} {'dropped' if dropped else f'= {parent[path[-1]]!r}'}", variant


@pytest.mark.parametrize("relative", FILES)
def test_each_field_of_another_type_or_dropped_renders_or_is_one_line(relative: str, tmp_path: Path) -> None:
    root = tmp_path / "project"
    for folder in ("blueprints", "overlays", "namespaces", "addons"):
        shutil.copytree(ROOT / folder, root / folder)
    shutil.copy(ROOT / "gitopsgen.yaml", root / "gitopsgen.yaml")
    assert render_project(load_project(root), only=SAMPLED_APPS).files  # unchanged, the project renders
    target = root / relative
    data = yaml.safe_load(target.read_text())
    failures = []
    for what, variant in _variants(data):
        target.write_text(yaml.safe_dump(variant, sort_keys=False))
        try:
            project = load_project(root)  # every file checked; the sampled apps rendered, in every environment
            render_project(project, only=[app for app in SAMPLED_APPS if app in project.blueprints])
        except InputError as error:
            if "\n" in str(error):
                failures.append(f"{what}: a message of several lines: {error}")
        except Exception as error:  # noqa: BLE001 - what the test looks for
            failures.append(f"{what}: {type(error).__name__}: {error}")
    assert not failures, "\n".join(failures[:10])
