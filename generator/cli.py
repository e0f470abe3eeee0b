"""Command line: ``gitopsgen <command>``.

Each command lives in its own module and is imported only when it runs, so that
``gitopsgen render --check`` in a pre-commit hook does not pay for the linter's imports.
Exit codes everywhere: 0 ok, 1 findings (drift, invalid manifests, violations), 2 bad input or usage.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import importlib.util
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import click

from generator import __version__

# command name -> "module:attribute" of a click.Command
COMMANDS = {
    "init": "generator.scaffold.command:init",
    "new": "generator.scaffold.command:new",
    "render": "generator.render.command:render",
    "validate": "generator.validate.command:validate",
    "lint": "generator.lint.command:lint",
    "policy": "generator.lint.command:policy",
    "check": "generator.check:check",
    "publish": "generator.publish.command:publish",
    "diff": "generator.publish.command:diff",
    "set-image": "generator.publish.command:set_image",
    "report": "generator.estate.command:report",
    "version": "generator.cli:version",
    "preview-appset": "generator.appset.command:preview_appset",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use, and whose usage errors show what was typed escaped."""

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any) -> click.Context:
        with _visible_usage_errors():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        with _visible_usage_errors():
            return super().invoke(ctx)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if _importable(COMMANDS[name])]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None or not _importable(target):
            return None
        module_name, attribute = target.split(":")
        return getattr(importlib.import_module(module_name), attribute)


@contextmanager
def _visible_usage_errors() -> Iterator[None]:
    """A usage error's message with its control characters escaped: it may quote an argument as typed
    (``Got unexpected extra argument (...)``), and a line break or a terminal escape sequence would act, not show."""
    try:
        yield
    except click.ClickException as error:
        from generator.errors import visible

        message = visible(error.format_message())  # a bad value's message included
        if isinstance(error, click.UsageError):  # shown after the same usage line, exit status 2
            raise click.UsageError(message, error.ctx) from None
        raise click.ClickException(message) from None  # exit status 1, as each of click's others


def _importable(target: str) -> bool:
    return importlib.util.find_spec(target.split(":")[0]) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gitopsgen")
def cli() -> None:
    """Render, validate, lint and publish GitOps manifests from service blueprints.

    \b
    Examples:
      gitopsgen init my-gitops --repo https://github.com/acme/gitops.git
      gitopsgen render                 # blueprints/ + overlays/ -> rendered/
      gitopsgen render --check         # exit 1 if rendered/ is out of date
      gitopsgen check                  # render --check + validate + lint (pre-commit, CI)
    """


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
def version() -> None:
    """Print gitopsgen's version, and the Python and Kubernetes schema versions it uses.

    \b
    Examples:
      gitopsgen version
    """
    import platform

    from generator.validate.registry import latest_version

    click.echo(f"gitopsgen {__version__}")
    click.echo(f"python {platform.python_version()}")
    click.echo(f"kubernetes schemas {latest_version()} (newest installed)")


def main() -> None:
    """Console entry point; usage errors exit 2 (click's convention and ours).

    A run is one command and ends with it: what it imports, reads and builds mostly lives until the
    end, and reference counting frees the rest. So the cycle collector is off for the whole run, as
    it already was while render, validate and lint read their inputs; its passes rescanned every
    live object again and again (linting 1,800 manifests: 3 % of the instructions of the process that starts the run).
    """
    gc.disable()
    for name in ("stdout", "stderr"):  # started with the descriptor closed (`>&-`): what goes there is dropped
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - open until the process ends
    try:
        cli.main(prog_name="gitopsgen", standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover
        _end(130)
    except SystemExit as done:  # click ends every command with its exit status
        _end(done.code)


def _end(code: str | int | None) -> NoReturn:
    """End the process with ``code`` once the command is done, without freeing what it built.

    The interpreter's own exit frees every object of the run, module by module, each at a cold
    address: ~3 ms of linting 1,800 manifests, which the kernel does at once when the process ends.
    So the streams are flushed, what is registered to run at exit runs, and the process ends
    (``os._exit``). A message for ``sys.exit`` and output that cannot be flushed (a closed pipe)
    take the usual way, where Python reports them as it always has, and so does a run under a
    profiler or tracer (``python -m cProfile``, a debugger), which writes what it measured after
    the command.
    """
    if (code is not None and not isinstance(code, int)) or sys.getprofile() or sys.gettrace():
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe, a closed file
        sys.exit(code)
    atexit._run_exitfuncs()
    os._exit(code or 0)
