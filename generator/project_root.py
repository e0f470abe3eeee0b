"""The project root, found from any folder inside the project, as git finds its repository.

Without ``--project-dir``/``-C``, every command looks in the working folder and then in each
parent for ``gitopsgen.yaml`` or a ``blueprints/`` folder, and works on the first folder that
has one (the working folder when none does, so the error names it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

MARKERS = ("gitopsgen.yaml", "blueprints")


def find_root(given: Path | None = None) -> Path:
    """``given`` when set, else the nearest folder from the working folder up that holds a marker."""
    if given is not None:
        return given
    try:
        here = Path.cwd()
    except FileNotFoundError:  # the working folder was removed
        return Path(".")
    for folder in (here, *here.parents):
        if (folder / MARKERS[0]).is_file() or (folder / MARKERS[1]).is_dir():
            return folder if folder != here else Path(".")
    return Path(".")


def project_dir_option(help_text: str = "Project root holding blueprints/, overlays/ and rendered/.") -> Any:
    """``--project-dir``/``-C``, defaulting to the root found from the working folder."""

    def found(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
        return find_root(value)

    return click.option(
        "--project-dir",
        "-C",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        callback=found,
        help=f"{help_text}  [default: found from the working folder up, like git]",
    )
