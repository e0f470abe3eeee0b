"""``gitopsgen lint [PATH|-]...`` and ``gitopsgen policy test|list``."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

import click

from generator.errors import exit_on_input_error
from generator.lint.budget import DEFAULT_MEGABYTES, DEFAULT_SECONDS
from generator.project_root import project_dir_option
from generator.report.targets import output_options
from generator.terminal import color_option

CONTEXT = {"help_option_names": ["-h", "--help"]}

cache_dir_option = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Where the compiled built-in policies, the policies' METADATA as read (and check's bundled schemas) are kept  "
    "[default: $XDG_CACHE_HOME/gitopsgen, else ~/.cache/gitopsgen]",
)

MAX_MEGABYTES = 1 << 20  # 1 TiB of address space; far larger ones overflow the limit the kernel is given (in bytes)
MAX_SECONDS = 86400.0  # a day: beyond what any lint needs, and far from what the clocks' waits overflow on


def _not_nan(_context: click.Context, _option: click.Parameter, seconds: float) -> float:
    """``nan`` passes any range (every comparison with it is false): a click callback that refuses it."""
    if math.isnan(seconds):
        raise click.BadParameter("not a number; give seconds, such as 120")
    return seconds


jobs_option = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    metavar="N",
    help="Processes evaluating the policies at once, on a large run (each with its share of the objects)  [default: one per CPU]",
)


@click.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, metavar="[PATH|-]...")
@click.option(
    "--policy",
    "-p",
    "policies",
    multiple=True,
    metavar="PATH",
    help="Rego file/folder or Gatekeeper templates+constraints; replaces the built-in pack (repeat; 'builtin' adds it back).",
)
@click.option("--rule", "only_rules", multiple=True, metavar="ID", help="Run only this rule (repeatable).")
@click.option("--skip-rule", "skip_rules", multiple=True, metavar="ID", help="Do not run this rule (repeatable).")
@click.option("--env", metavar="ENV", help="Environment whose severities and parameters apply (with PATH); without PATH, lint only this environment.")
@click.option("--only", "apps", multiple=True, metavar="APP", help="Without PATH: lint only this app (repeatable).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), help="Lint configuration.  [default: policies/config.yaml]")
@output_options
@color_option
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default="error", show_default=True, help="Lowest level that makes lint exit 1.")
@click.option("--summary", is_flag=True, help="Print a summary line at the end.")
@click.option("--opa-url", metavar="URL", help="Evaluate on this OPA server (REST API) instead of the embedded engine.")
@click.option("--opa-preloaded", is_flag=True, help="With --opa-url: the server already has the policies (a bundle); upload only the batch driver.")
@project_dir_option("Project root (blueprints/, overlays/, policies/config.yaml).")
@click.option(
    "--kubernetes-version",
    metavar="X.Y",
    help="Kubernetes release the API-version rules check against.  [default: kubernetes_version of policies/config.yaml, else 1.33]",
)
@click.option(
    "--inventory",
    "inventory",
    multiple=True,
    metavar="PATH",
    help="With PATH: more manifests deployed alongside (not linted) where cross-resource rules look for targets, "
    "e.g. '.' for the whole repository (repeatable).",
)
@click.option(
    "--policy-timeout",
    type=click.FloatRange(min=0.1, max=MAX_SECONDS),
    callback=_not_nan,
    default=DEFAULT_SECONDS,
    show_default=True,
    metavar="SECONDS",
    help="Time budget for evaluating the policies, at most a day; a policy that runs longer is stopped and named (exit 2).",
)
@click.option(
    "--policy-memory",
    type=click.IntRange(min=64, max=MAX_MEGABYTES),
    default=DEFAULT_MEGABYTES,
    show_default=True,
    metavar="MB",
    help="Memory budget for evaluating the policies (address space added to what the process holds, at most 1 TiB); "
    "a policy that needs more is stopped and named (exit 2).",
)
@cache_dir_option
@jobs_option
@exit_on_input_error
def lint(
    paths: tuple[str, ...],
    policies: tuple[str, ...],
    only_rules: tuple[str, ...],
    skip_rules: tuple[str, ...],
    env: str | None,
    apps: tuple[str, ...],
    config_file: Path | None,
    outputs: tuple[str, ...],
    output_file: Path | None,
    color: str,
    fail_on: str,
    summary: bool,
    opa_url: str | None,
    opa_preloaded: bool,
    project_dir: Path,
    kubernetes_version: str | None,
    inventory: tuple[str, ...],
    policy_timeout: float,
    policy_memory: int,
    cache_dir: Path | None,
    jobs: int | None,
) -> None:
    """Check manifests against Rego policies (the built-in pack by default).

    PATH may be a file, a folder (its .yaml/.yml/.json files, recursively, leaving out
    hidden ones and Helm charts but their crds/) or - for stdin; all documents given are linted
    together, so cross-resource rules see each other. Without PATH, lints what `gitopsgen render` produces for every blueprint x environment and
    reports each violation at the blueprint line that produced it.

    \b
    Exit status: 0 clean, 1 violations at error level (or warning with --fail-on warning),
    2 bad input, policy syntax error or usage.
    Examples:
      gitopsgen lint                                  # every blueprint in every environment
      gitopsgen lint --env prod manifests/            # plain manifests, prod severities
      gitopsgen lint -p policy/ -p builtin deploy.yaml
      gitopsgen lint --output sarif > lint.sarif
      gitopsgen lint --inventory . k8s/hpa.yaml       # the HPA's target may live in any file of the repository
      gitopsgen lint --kubernetes-version 1.29 k8s/   # API versions removed by 1.29 are errors
    """
    from generator.lint.budget import Budget
    from generator.lint.config import check_kubernetes_version
    from generator.lint.run import LintRequest
    from generator.pipeline import ReportRequest, run_lint
    from generator.report import COLOR
    from generator.report.targets import parse_targets

    if kubernetes_version is not None:
        check_kubernetes_version(kubernetes_version)
    request = LintRequest(
        kubernetes_version=kubernetes_version,
        inventory=list(inventory),
        paths=list(paths),
        policies=list(policies),
        only=set(only_rules),
        skip=set(skip_rules),
        env=env,
        apps=list(apps),
        config_file=config_file,
        opa_url=opa_url,
        opa_preloaded=opa_preloaded,
        project_dir=project_dir,
        budget=Budget(policy_timeout, policy_memory),
        cache_dir=cache_dir,
        jobs=jobs,
    )
    report = ReportRequest(parse_targets(outputs, output_file), color=COLOR[color], summary=summary, fail_on=fail_on)
    sys.exit(run_lint(request, report, sys.stdout))


@click.group(context_settings=CONTEXT)
def policy() -> None:
    """Work with the Rego policies: run their tests, list their rules.

    \b
    Examples:
      gitopsgen policy list
      gitopsgen policy test -v
      gitopsgen policy test -p my-policies/
    """


@policy.command("test", context_settings=CONTEXT)
@click.option("--policy", "-p", "policies", multiple=True, metavar="PATH", help="Policies to test (default: the built-in pack).")
@click.option("--verbose", "-v", is_flag=True, help="List passing tests too.")
@exit_on_input_error
def policy_test(policies: tuple[str, ...], verbose: bool) -> None:
    """Run every test_ rule of every *_test.rego, like `opa test`. Exit 1 if one fails.

    \b
    Examples:
      gitopsgen policy test                  # the built-in pack
      gitopsgen policy test -p policy/ -v    # your own policies, listing passing tests too
    """
    from generator.lint.policy_tests import run_policy_tests

    outcomes = run_policy_tests(list(policies))
    failed = [o for o in outcomes if o.status != "PASS"]
    for outcome in outcomes:
        if verbose or outcome.status != "PASS":
            detail = f": {outcome.detail}" if outcome.detail else ""
            click.echo(f"{outcome.status}  {outcome.path}: {outcome.package}.{outcome.name}{detail}")
    click.echo(f"{len(outcomes) - len(failed)}/{len(outcomes)} tests passed")
    sys.exit(1 if failed or not outcomes else 0)


@policy.command("list", context_settings=CONTEXT)
@click.option("--policy", "-p", "policies", multiple=True, metavar="PATH", help="Policies to list (default: the built-in pack).")
@click.option("--output", "-o", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--verbose", "-v", is_flag=True, help="Also category, Pod Security Standards control and severity per environment.")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Lint configuration for the severities per environment.  [default: policies/config.yaml]",
)
@exit_on_input_error
def policy_list(policies: tuple[str, ...], output_format: str, verbose: bool, config_file: Path | None) -> None:
    """List rules: id, default severity and title (-v: category, PSS control, severity per environment).

    \b
    Examples:
      gitopsgen policy list
      gitopsgen policy list -v
      gitopsgen policy list --output json -p builtin -p policy/
    """
    import json

    from generator.lint.config import config_path, load_config
    from generator.lint.policy import load_policies
    from generator.lint.ruledocs import severities
    from generator.report import relative_path

    checks = sorted(load_policies(list(policies) or None).checks, key=lambda c: c.id)
    config = load_config(config_file or config_path(Path(".")))
    rows: list[dict[str, Any]] = [{"id": c.id, "severity": c.severity, "title": c.title, "source": relative_path(c.source)} for c in checks]
    if verbose:
        for row, check in zip(rows, checks, strict=True):
            row.update(category=check.category, pss=f"{check.pss}: {check.pss_control}" if check.pss else "", environments=severities(check, config))
    if output_format == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    width = max((len(row["id"]) for row in rows), default=2)
    for row in rows:
        click.echo(f"{row['id']:<{width}}  {row['severity']:<7}  {row['title']}")
        if verbose:
            levels = ", ".join(f"{env} {level}" for env, level in row["environments"].items())
            pss = f"  PSS {row['pss']}" if row["pss"] else ""
            click.echo(f"{'':<{width}}  {row['category'] or '-':<7}  {levels}{pss}")


@policy.command("explain", context_settings=CONTEXT)
@click.argument("rule_id", metavar="ID")
@click.option("--policy", "-p", "policies", multiple=True, metavar="PATH", help="Policies the rule is in (default: the built-in pack).")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Lint configuration for the severities per environment.  [default: policies/config.yaml]",
)
@exit_on_input_error
def policy_explain(rule_id: str, policies: tuple[str, ...], config_file: Path | None) -> None:
    """What a rule checks and why, how to fix it (plain manifests and blueprints), its severity per environment and a failing example.

    \b
    Examples:
      gitopsgen policy explain run-as-non-root
      gitopsgen policy explain my-rule -p policy/
    """
    from generator.errors import InputError
    from generator.lint.config import config_path, load_config
    from generator.lint.policy import load_policies
    from generator.lint.ruledocs import example_for, explain

    checks = {check.id: check for check in load_policies(list(policies) or None).checks}
    if rule_id not in checks:
        raise InputError(f"unknown rule id {rule_id}; see `gitopsgen policy list`")
    check = checks[rule_id]
    click.echo(explain(check, load_config(config_file or config_path(Path("."))), example_for(check)), nl=False)


@policy.command("docs", context_settings=CONTEXT)
@exit_on_input_error
def policy_docs() -> None:
    """Print the rule reference (docs/rules.md) generated from the built-in rules' METADATA.

    \b
    Example:
      gitopsgen policy docs > docs/rules.md
    """
    from generator.lint.config import load_config
    from generator.lint.policy import builtin_pack, load_policies
    from generator.lint.ruledocs import reference

    click.echo(reference(load_policies(None).checks, load_config(builtin_pack() / "config.yaml")), nl=False)
