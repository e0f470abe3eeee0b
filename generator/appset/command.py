"""``gitopsgen preview-appset``: the Applications an ApplicationSet would create, computed offline."""

from __future__ import annotations

import json
from pathlib import Path

import click

from generator.errors import InputError, exit_on_input_error


@click.command(name="preview-appset")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path, allow_dash=True))
@click.option(
    "--repo-dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Local clone of the repository the git generators read (its checked-out files).",
)
@click.option(
    "--output", "-o", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True, help="yaml: a multi-document stream; json: a List object."
)
@exit_on_input_error
def preview_appset(file: Path, repo_dir: Path | None, output: str) -> None:
    """Expand the ApplicationSets in FILE into the Applications Argo CD would create.

    \b
    Generators: list, git (directories and files, read from --repo-dir), matrix and merge;
    goTemplate (Go templates with the common Sprig functions) or the default {{param}} style.
    Pipe the result into `gitopsgen validate -`, `gitopsgen lint -` or a diff. Exit 0 ok,
    2 bad input (one line naming the file, line and what to fix).

    \b
    Examples:
      gitopsgen preview-appset rendered/argocd/dev/appset-apps-dev.yaml --repo-dir ../gitops
      gitopsgen preview-appset appset.yaml --repo-dir ../gitops | gitopsgen validate -
    """
    from generator import yamlio
    from generator.appset.expand import ExpandError, expand
    from generator.cache import default_cache_dir
    from generator.manifest import ReadProblem, read_file
    from generator.validate.registry import SchemaRegistry
    from generator.validate.validator import Settings, validate_manifest

    name = "<stdin>" if str(file) == "-" else str(file)
    registry = SchemaRegistry.create(cache=default_cache_dir())
    applications = []
    found = False
    for item in read_file(str(file)):  # the one reader: one file, or stdin
        if isinstance(item, ReadProblem):
            if item.kind == "not-an-object":
                continue
            raise InputError(item.message, item.path, item.line or None)
        if item.obj.get("kind") != "ApplicationSet":
            continue
        found = True
        # its shape first, as Argo CD's CRD types it (the API server would refuse the rest): the expansion reads it as typed
        invalid = next((finding for finding in validate_manifest(item, registry, Settings()).findings if finding.level == "error"), None)
        if invalid is not None:
            raise InputError(f"{invalid.field}: {invalid.message} (`gitopsgen validate` lists every problem)", name, invalid.line)
        try:
            applications += expand(item.obj, repo_dir)
        except ExpandError as exc:
            raise InputError(str(exc), name, item.locate(exc.field).line) from None
    if not found:
        raise InputError("no ApplicationSet in this file; pass a file holding kind: ApplicationSet", name)
    if output == "json":
        click.echo(json.dumps({"apiVersion": "v1", "kind": "List", "items": applications}, indent=2))
    else:
        click.echo(yamlio.dump_all(applications), nl=False)
