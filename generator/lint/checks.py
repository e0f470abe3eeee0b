"""What the linter evaluates: Rego modules, checks (one rule with its metadata and match) and policy sets.

A *module* is one Rego source file as the engine loads it. A *check* is one thing the linter
evaluates against each matching document: a Rego rule (``violation``, ``deny`` or ``warn``)
in a package, with the metadata that turns its results into findings. :mod:`generator.lint.policy`
reads them from Rego files, :mod:`generator.lint.gatekeeper` from ConstraintTemplates and Constraints.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from generator import kube

Style = Literal["gitopsgen", "conftest", "gatekeeper"]

_PACKAGE = re.compile(r"^package\s+([\w.]+)", re.MULTILINE)
_TEST_RULE = re.compile(r"^(test_\w+)\b", re.MULTILINE)
_V1_HINTS = re.compile(r"^import\s+rego\.v1\b|\bif\s*\{|\bcontains\b", re.MULTILINE)


TEST_SUFFIX = "_test.rego"  # a Rego test module (``gitopsgen policy test``)

# Pod Security Standards profiles, most permissive first: an environment's profile turns off the
# rules of the stricter ones (policies/config.yaml, environments.<env>.pss_profile).
PSS_PROFILES = ("privileged", "baseline", "restricted")


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

    @functools.cached_property  # asked for again and again (which pack, which library): searched once
    def package(self) -> str:
        match = _PACKAGE.search(self.text)
        return match.group(1) if match else ""

    @property
    def is_test(self) -> bool:
        return self.path.endswith(TEST_SUFFIX)

    @property
    def looks_v1(self) -> bool:
        return bool(_V1_HINTS.search(self.text))

    def test_rules(self) -> list[str]:
        return sorted(set(_TEST_RULE.findall(self.text)))


class Match(NamedTuple):
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
        namespace = metadata.get("namespace") or self._default_namespace(str(obj.get("kind", "")))
        if self.namespaces and not any(_glob(pattern, namespace) for pattern in self.namespaces):
            return False
        if any(_glob(pattern, namespace) for pattern in self.excluded_namespaces):
            return False
        labels = metadata.get("labels") or {}
        return all(labels.get(key) == value for key, value in self.labels)

    @staticmethod
    def _default_namespace(kind: str) -> str:
        """Where a namespaced object without metadata.namespace lands (``default``, as gator assumes); cluster-scoped: none."""
        return "" if kube.is_cluster_scoped(kind) else "default"


def _glob(pattern: str, value: str) -> bool:
    return value.startswith(pattern[:-1]) if pattern.endswith("*") else value == pattern


class Check(NamedTuple):
    """One rule the linter evaluates against every matching document."""

    id: str
    title: str
    severity: str  # error | warning
    package: str
    rule: str  # violation | deny | warn
    style: Style
    source: str  # file that defines it
    description: str = ""
    remediation: str = ""  # the fix in Kubernetes fields (plain manifests)
    remediation_blueprint: str = ""  # the fix in blueprint fields (project runs); empty: the same
    match: Match = Match()
    parameters: dict[str, Any] = {}  # Gatekeeper constraint parameters (never changed: the default is shared)
    category: str = ""
    pss: str = ""  # the Pod Security Standards profile whose control the rule checks: baseline | restricted
    pss_control: str = ""
    inputs: tuple[str, ...] = ()  # run-wide values the rule reads from its parameters (kubernetes_version)

    def fix(self, blueprint: bool) -> str:
        """How to fix a finding: in blueprint fields for a project run, in Kubernetes fields otherwise."""
        return self.remediation_blueprint if blueprint and self.remediation_blueprint else self.remediation

    @property
    def query(self) -> str:
        return f"data.{self.package}.{self.rule}"


@dataclass
class PolicySet:
    """The policies of a run: the Rego modules the engine loads, the checks they define, and their tests."""

    modules: list[Module] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    tests: list[Module] = field(default_factory=list)

    def extend(self, other: PolicySet) -> None:
        self.modules += other.modules
        self.checks += other.checks
        self.tests += other.tests
