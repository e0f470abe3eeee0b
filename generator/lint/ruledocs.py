"""What a rule is, in words: `policy explain`, `policy list -v`, docs/rules.md and the SARIF rule entries.

Everything here is read from the rule's METADATA block (one source of truth); docs/rules.md is
generated from it (`gitopsgen policy docs`) and a test fails when the checked-in file is stale.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable

from generator.lint.checks import Check
from generator.lint.config import LintConfig
from generator.lint.policy import builtin_pack

# Where the rule reference is published: each rule has an anchor named by its id.
DOCS_URL = "https://git.example.com/platform/gitopsgen/blob/main/docs/rules.md"
# SARIF properties.security-severity by default severity (GitHub code scanning: 7.0+ high, 4.0+ medium).
SECURITY_SEVERITY = {"error": "7.5", "warning": "4.0"}
CATEGORIES = (
    "pod-security",
    "rbac",
    "api-versions",
    "references",
    "correctness",
    "networking",
    "jobs",
    "secrets",
    "ai-workloads",
    "reliability",
    "images",
    "argocd",
)


def is_builtin(check: Check) -> bool:
    return check.style == "gitopsgen" and _resolved(os.path.dirname(check.source)) == _resolved(str(builtin_pack()))


@functools.cache
def _resolved(folder: str) -> str:
    """``folder`` with its symbolic links resolved, once per folder: the pack's rules share one, and a finding asks for its rule's every time."""
    return os.path.realpath(folder)


def help_uri(check: Check) -> str:
    """The rule's section of the published rule reference (built-in rules only)."""
    return f"{DOCS_URL}#{check.id}" if is_builtin(check) else ""


def severities(check: Check, config: LintConfig) -> dict[str, str]:
    """The rule's severity in each configured environment (and ``files``: plain manifests without --env)."""
    by_env = {"files": check.severity}
    for env in config.environments:
        by_env[env] = config.severity(check.id, check.severity, env, check.pss)
    return by_env


def explain(check: Check, config: LintConfig, example: str = "") -> str:
    """`gitopsgen policy explain ID`: what, why, how to fix (manifests and blueprints), severities, an example."""
    lines = [f"{check.id}: {check.title}", ""]
    lines += [check.description or check.title, ""]
    facts = [("category", check.category), ("kinds", ", ".join(kind for _, kind in check.match.kinds) or "every kind")]
    if check.pss:
        facts.append(("Pod Security Standards", f"{check.pss} profile, control {check.pss_control!r}"))
    facts.append(("severity", ", ".join(f"{env}: {level}" for env, level in severities(check, config).items())))
    facts.append(("defined in", check.source))
    if help_uri(check):
        facts.append(("reference", help_uri(check)))
    lines += [f"{name}: {value}" for name, value in facts if value]
    lines += ["", "Fix in plain manifests:", f"  {check.remediation or '(no remediation given)'}"]
    lines += ["Fix in a gitopsgen blueprint:", f"  {check.fix(blueprint=True) or '(no remediation given)'}"]
    if example:
        lines += ["", "Example that fails this rule:", *[f"  {line}" for line in example.rstrip().splitlines()]]
    return "\n".join(lines) + "\n"


def example_for(check: Check) -> str:
    """The rule's failing example: tests/fixtures/lint/rules/fail/<id>.yaml of the source tree, when present."""
    fixture = builtin_pack().parent / "tests" / "fixtures" / "lint" / "rules" / "fail" / f"{check.id}.yaml"
    return fixture.read_text(encoding="utf-8") if is_builtin(check) and fixture.is_file() else ""


def reference(checks: Iterable[Check], config: LintConfig) -> str:
    """docs/rules.md: every built-in rule by category, generated from the METADATA blocks."""
    checks = sorted(checks, key=lambda c: (_category_order(c.category), c.id))
    envs = list(config.environments)
    out = [
        "# Built-in rules",
        "",
        "<!-- Generated from the METADATA blocks of policies/*.rego by `gitopsgen policy docs > docs/rules.md`;",
        "     do not edit by hand (a test fails when this file is out of date). -->",
        "",
        f"{len(checks)} rules. Severity per environment comes from `policies/config.yaml`; `files` is plain",
        "manifests linted without `--env`. Rules marked with a Pod Security Standards profile are turned",
        "off in an environment whose `pss_profile` is less strict. `gitopsgen policy explain <id>` prints",
        "the same text with a failing example.",
        "",
    ]
    category = None
    for check in checks:
        if check.category != category:
            category = check.category
            out += [f"## {category or 'other'}", ""]
        out += [f"### {check.id}", "", f"**{check.title}**", "", check.description, ""]
        if check.pss:
            out += [f"Pod Security Standards: {check.pss} profile, control *{check.pss_control}*.", ""]
        out += [f"Kinds: {', '.join(kind for _, kind in check.match.kinds) or 'every kind'}.", ""]
        levels = severities(check, config)
        out += ["| " + " | ".join(["files", *envs]) + " |", "|" + "---|" * (len(envs) + 1)]
        out += ["| " + " | ".join(levels[env] for env in ["files", *envs]) + " |", ""]
        out += [f"Fix (manifests): {check.remediation}", ""]
        if check.remediation_blueprint:
            out += [f"Fix (blueprint): {check.remediation_blueprint}", ""]
    return "\n".join(out).rstrip() + "\n"


def _category_order(category: str) -> int:
    return CATEGORIES.index(category) if category in CATEGORIES else len(CATEGORIES)


def builtin_checks(checks: Iterable[Check]) -> list[Check]:
    return [check for check in checks if is_builtin(check)]
