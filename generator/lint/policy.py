"""Policies in, checks out: the built-in pack, conftest-style Rego and Gatekeeper templates.

A *module* is one Rego source file as the engine loads it. A *check* is one thing the linter
evaluates against each matching document: a Rego rule (``violation``, ``deny`` or ``warn``)
in a package, with the metadata that turns its results into findings. The built-in pack and
conftest-style policies give one check per rule; each Gatekeeper Constraint gives one check
against its template's ``violation`` rule, with the constraint's parameters and match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import yaml

from generator.errors import InputError

BUILTIN = "builtin"
Style = Literal["gitopsgen", "conftest", "gatekeeper"]
RESULT_RULES = ("violation", "deny", "warn")

_PACKAGE = re.compile(r"^package\s+([\w.]+)", re.MULTILINE)
_RESULT_RULE = re.compile(r"^(violation|deny|warn)\b", re.MULTILINE)
_TEST_RULE = re.compile(r"^(test_\w+)\b", re.MULTILINE)
_V1_HINTS = re.compile(r"^import\s+rego\.v1\b|\bif\s*\{|\bcontains\b", re.MULTILINE)
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: ~10x faster


def builtin_pack() -> Path:
    """The built-in pack: policies/ of the source tree, packaged as generator/lint/builtin_policies."""
    source_tree = Path(__file__).resolve().parents[2] / "policies"
    if (source_tree / "config.yaml").is_file():
        return source_tree
    return Path(__file__).parent / "builtin_policies"


@dataclass(frozen=True)
class Module:
    """One Rego source as loaded into an engine (``line_offset``: where it starts inside a YAML file)."""

    path: str
    text: str
    line_offset: int = 0

    @property
    def file(self) -> str:
        """The file a person edits: ``templates.yaml`` for the Rego embedded as ``templates.yaml#name``."""
        return self.path.split("#")[0]

    @property
    def package(self) -> str:
        match = _PACKAGE.search(self.text)
        return match.group(1) if match else ""

    @property
    def is_test(self) -> bool:
        return self.path.endswith("_test.rego")

    @property
    def looks_v1(self) -> bool:
        return bool(_V1_HINTS.search(self.text))

    def test_rules(self) -> list[str]:
        return sorted(set(_TEST_RULE.findall(self.text)))


@dataclass(frozen=True)
class Match:
    """Which documents a check applies to (metadata kinds, or a Gatekeeper constraint's match)."""

    kinds: tuple[tuple[str, str], ...] = ()  # (apiGroup or "*", kind or "*"); empty = every document
    namespaces: tuple[str, ...] = ()
    excluded_namespaces: tuple[str, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()

    @property
    def selects_by_object(self) -> bool:
        return bool(self.namespaces or self.excluded_namespaces or self.labels)

    def kind_matches(self, group: str, kind: str) -> bool:
        return not self.kinds or any(g in ("*", group) and k in ("*", kind) for g, k in self.kinds)

    def applies(self, obj: dict[str, Any]) -> bool:
        if not self.kind_matches(str(obj.get("apiVersion", "")).rpartition("/")[0], obj.get("kind", "")):
            return False
        metadata = obj.get("metadata") or {}
        namespace = metadata.get("namespace", "")
        if self.namespaces and not any(_glob(pattern, namespace) for pattern in self.namespaces):
            return False
        if any(_glob(pattern, namespace) for pattern in self.excluded_namespaces):
            return False
        labels = metadata.get("labels") or {}
        return all(labels.get(key) == value for key, value in self.labels)


def _glob(pattern: str, value: str) -> bool:
    return value.startswith(pattern[:-1]) if pattern.endswith("*") else value == pattern


@dataclass(frozen=True)
class Check:
    """One rule the linter evaluates against every matching document."""

    id: str
    title: str
    severity: str  # error | warning
    package: str
    rule: str  # violation | deny | warn
    style: Style
    source: str  # file that defines it
    description: str = ""
    remediation: str = ""
    match: Match = field(default_factory=Match)
    parameters: dict[str, Any] = field(default_factory=dict)  # Gatekeeper constraint parameters

    @property
    def query(self) -> str:
        return f"data.{self.package}.{self.rule}"


@dataclass
class PolicySet:
    modules: list[Module] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    tests: list[Module] = field(default_factory=list)

    def extend(self, other: PolicySet) -> None:
        self.modules += other.modules
        self.checks += other.checks
        self.tests += other.tests


def load_policies(locations: list[str] | None) -> PolicySet:
    """Every policy under the given files/directories; ``builtin`` (or nothing) is the built-in pack."""
    policies = PolicySet()
    yaml_files: list[Path] = []
    for location in locations or [BUILTIN]:
        builtin = location == BUILTIN
        path = builtin_pack() if builtin else Path(location)
        if not path.exists():
            raise InputError("policy path does not exist; pass a .rego file, a directory or 'builtin'", location)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.suffix == ".rego":
                _add_rego(policies, Module(str(file), _read(file)), "gitopsgen" if builtin else "conftest")
            elif file.suffix in (".yaml", ".yml") and not builtin:
                yaml_files.append(file)
    if yaml_files:
        from generator.lint import gatekeeper

        policies.extend(gatekeeper.load_files(yaml_files))
    policies.checks = _merge_shared_packages(policies.checks)
    _check_unique(policies.checks)
    return policies


def _add_rego(policies: PolicySet, module: Module, style: Style) -> None:
    if module.is_test:
        policies.tests.append(module)
    else:
        policies.modules.append(module)
        policies.checks += rego_checks(module, style)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read policy: {exc}", path) from None


def rego_checks(module: Module, style: Style) -> list[Check]:
    """The checks a Rego file defines: one per result rule, described by its METADATA block."""
    rules = sorted(set(_RESULT_RULE.findall(module.text)))
    if not rules:
        return []
    meta = metadata(module)
    custom = meta.get("custom") or {}
    rule_id = str(custom.get("id") or (Path(module.path).stem if module.package == "main" else module.package))
    kinds = tuple(("*", str(kind)) for kind in custom.get("kinds") or ())
    checks = []
    for rule in rules:
        severity = "warning" if rule == "warn" else str(custom.get("severity", "error"))
        if severity not in ("error", "warning"):
            raise InputError(f"custom.severity must be error or warning, not {severity!r}", module.path)
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
                match=Match(kinds=kinds),
            )
        )
    return checks


def metadata(module: Module) -> dict[str, Any]:
    """The YAML of the first ``# METADATA`` comment block (OPA's annotation format), or {}."""
    lines = module.text.splitlines()
    for start, line in enumerate(lines):
        if line.strip() == "# METADATA":
            block = []
            for following in lines[start + 1 :]:
                if not following.startswith("#"):
                    break
                block.append(following[2:] if following.startswith("# ") else following[1:])
            try:
                loaded = yaml.load("\n".join(block), Loader=_SAFE_LOADER) or {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                line = start + 2 + min(mark.line, len(block) - 1) if mark and block else start + 1
                problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
                raise InputError(f"METADATA block is not valid YAML: {problem}", module.path, line) from None
            if not isinstance(loaded, dict):
                raise InputError("METADATA block must be a YAML mapping", module.path, start + 1)
            return loaded
    return {}


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
            merged[index_of[check.query]] = replace(first, id=f"{first.package}.{first.rule}", title=first.package)
    return merged


def _check_unique(checks: list[Check]) -> None:
    seen: dict[str, str] = {}
    for check in checks:
        if check.id in seen and seen[check.id] != check.source:
            raise InputError(f"rule id {check.id!r} is also defined in {seen[check.id]}; rule ids must be unique", check.source)
        seen[check.id] = check.source
