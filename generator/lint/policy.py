"""Policies in, checks out: the built-in pack, conftest-style Rego and Gatekeeper templates.

The built-in pack and conftest-style policies give one check per rule; each Gatekeeper
Constraint gives one check against its template's ``violation`` rule, with the constraint's
parameters and match (:mod:`generator.lint.gatekeeper`). The types are in :mod:`generator.lint.checks`.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any

from generator import yamlio
from generator.cache import DataMemo
from generator.errors import InputError
from generator.lint.checks import PSS_PROFILES, TEST_SUFFIX, Check, Match, Module, PolicySet, Style
from generator.walk import files_under

BUILTIN = "builtin"
METADATA_MEMO = "policy-metadata-3.json"  # the METADATA blocks read and checked before (generator.cache.DataMemo; 3: custom's types and values checked)

_RESULT_RULE = re.compile(r"\n(violation|deny|warn)\b")  # at a line start: searched after "\n", which the engine finds at C speed


@functools.cache
def builtin_pack() -> Path:
    """The built-in pack: policies/ of the source tree, packaged as generator/lint/builtin_policies (found once per run)."""
    source_tree = Path(__file__).resolve().parents[2] / "policies"
    if (source_tree / "config.yaml").is_file():
        return source_tree
    return Path(__file__).parent / "builtin_policies"


def load_policies(locations: list[str] | None, cache_dir: Path | None = None, tests: bool = False) -> PolicySet:
    """Every policy under the given files/directories; ``builtin`` (or nothing) is the built-in pack.

    With ``cache_dir``, the METADATA blocks read are kept there (``METADATA_MEMO``) for the next run.
    With ``tests``, the Rego tests (``*_test.rego``) too, for ``policy test``; nothing else runs them.
    """
    policies = PolicySet()
    memo = DataMemo(cache_dir, METADATA_MEMO)
    yaml_files: list[Path] = []
    for location in locations or [BUILTIN]:
        builtin = location == BUILTIN
        path = builtin_pack() if builtin else Path(location)
        if not path.exists():
            raise InputError("policy path does not exist; pass a .rego file, a directory or 'builtin'", location)
        files = [os.path.join(path, name) for name in files_under(path)] if path.is_dir() else [str(path)]
        if not builtin and not any(file.endswith((".rego", ".yaml", ".yml")) for file in files):
            raise InputError("no policy found here (.rego files or Gatekeeper .yaml); pass a folder that holds policies, or 'builtin'", location)
        for file in files:
            if file.endswith(".rego") and (tests or not file.endswith(TEST_SUFFIX)):
                _add_rego(policies, Module(file, _read(file)), "gitopsgen" if builtin else "conftest", memo)
            elif file.endswith((".yaml", ".yml")) and not builtin:
                yaml_files.append(Path(file))
    if yaml_files:
        from generator.lint import gatekeeper  # Gatekeeper's YAML policies: imported when a run has some

        policies.extend(gatekeeper.load_files(yaml_files))
    policies.checks = _merge_shared_packages(policies.checks)
    _check_unique(policies.checks)
    memo.save()
    return policies


def _add_rego(policies: PolicySet, module: Module, style: Style, memo: DataMemo | None = None) -> None:
    if module.is_test:
        policies.tests.append(module)
    else:
        policies.modules.append(module)
        policies.checks += rego_checks(module, style, memo)


def _read(path: str) -> str:
    try:
        return yamlio.read_text(path)
    except yamlio.YAMLSyntaxError as exc:
        raise InputError(f"cannot read policy: {exc.problem}", path) from None


def rego_checks(module: Module, style: Style, memo: DataMemo | None = None) -> list[Check]:
    """The checks a Rego file defines: one per result rule, described by its METADATA block."""
    rules = sorted(set(_RESULT_RULE.findall("\n" + module.text)))
    if not rules:
        return []
    meta = metadata(module, memo)
    custom = meta.get("custom") or {}
    rule_id = str(custom.get("id") or (Path(module.path).stem if module.package == "main" else module.package))
    kinds = tuple(("*", str(kind)) for kind in custom.get("kinds") or ())
    checks = []
    pss = custom.get("pss") or {}
    for rule in rules:
        severity = "warning" if rule == "warn" else str(custom.get("severity", "error"))
        checks.append(
            Check(
                id=rule_id if len(rules) == 1 else f"{rule_id}.{rule}",
                title=str(meta.get("title") or rule_id),
                severity=severity,
                package=module.package,
                rule=rule,
                style=style,
                source=module.path,
                description=str(meta.get("description") or "").strip(),
                remediation=str(custom.get("remediation") or ""),
                remediation_blueprint=str(custom.get("remediation_blueprint") or ""),
                match=Match(kinds=kinds),
                category=str(custom.get("category") or ""),
                pss=str(pss.get("profile") or ""),
                pss_control=str(pss.get("control") or ""),
                inputs=tuple(str(name) for name in custom.get("inputs") or ()),
            )
        )
    return checks


def metadata(module: Module, memo: DataMemo | None = None) -> dict[str, Any]:
    """The YAML of the first ``# METADATA`` comment block (OPA's annotation format), or {}."""
    lines = module.text.splitlines()
    for start, line in enumerate(lines):
        if line.strip() == "# METADATA":
            block = []
            for following in lines[start + 1 :]:
                if not following.startswith("#"):
                    break
                block.append(following[2:] if following.startswith("# ") else following[1:])
            text = "\n".join(block)
            known = memo.get(text) if memo else None
            if isinstance(known, dict):
                return known
            try:
                documents = yamlio.load_data(text, module.path)
            except yamlio.YAMLSyntaxError as exc:
                at = start + 1 + min(exc.line, len(block)) if block else start + 1
                raise InputError(f"METADATA block is not valid YAML: {exc.problem.removeprefix('invalid YAML: ')}", module.path, at) from None
            loaded = (documents[0] if documents else None) or {}
            if not isinstance(loaded, dict):
                raise InputError("METADATA block must be a YAML mapping", module.path, start + 1)
            problem = _metadata_problem(loaded)
            if problem:
                raise InputError(f"METADATA {problem}", module.path, start + 1)
            if memo:
                memo.put(text, loaded)
            return loaded
    return {}


_NAME_LISTS = {"kinds": "[Deployment, StatefulSet]", "inputs": "[kubernetes_version]"}


def _metadata_problem(meta: dict[str, Any]) -> str | None:
    """What in a METADATA block's ``custom`` fields (gitopsgen's own) is of another type, or value, than gitopsgen reads."""
    custom = meta.get("custom")
    if custom is None:
        return None
    if not isinstance(custom, dict):
        return "custom must be a mapping (id, severity, kinds...)"
    for key, example in _NAME_LISTS.items():
        value = custom.get(key)
        if value is not None and not (isinstance(value, list) and all(isinstance(name, str) for name in value)):
            return f"custom.{key} must be a list of names, such as {example}"
    if "severity" in custom and custom["severity"] not in ("error", "warning"):
        return f"custom.severity must be error or warning, not {custom['severity']!r}"
    pss = custom.get("pss")
    if pss and not (isinstance(pss, dict) and pss.get("profile") in PSS_PROFILES[1:] and isinstance(pss.get("control", ""), str)):
        return "custom.pss must be {profile: baseline|restricted, control: <name>}"
    return None


def _merge_shared_packages(checks: list[Check]) -> list[Check]:
    """conftest allows one package (``main``) across files: evaluate each package rule once, named by the package."""
    merged: list[Check] = []
    index_of: dict[str, int] = {}
    for check in checks:
        if check.style == "gatekeeper":
            merged.append(check)
        elif check.query not in index_of:
            index_of[check.query] = len(merged)
            merged.append(check)
        else:
            first = merged[index_of[check.query]]
            merged[index_of[check.query]] = first._replace(id=f"{first.package}.{first.rule}", title=first.package)
    return merged


def _check_unique(checks: list[Check]) -> None:
    seen: dict[str, str] = {}
    for check in checks:
        if check.id in seen and seen[check.id] != check.source:
            raise InputError(f"rule id {check.id!r} is also defined in {seen[check.id]}; rule ids must be unique", check.source)
        seen[check.id] = check.source
