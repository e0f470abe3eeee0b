"""How each environment's apps reach the cluster: the delivery settings of gitopsgen.yaml.

``gitops.delivery`` picks the mode for the project, and an environment's ``delivery:`` in
``overlays/<env>.yaml`` overrides it:

- ``kustomize`` (default): Kustomize base + overlays and Helm values; Argo CD renders at sync.
- ``hydrated``: gitopsgen writes the plain objects of every app and environment
  (``<app>/hydrated/<env>/manifest.yaml``, as ``kubectl kustomize`` / ``helm template`` build
  them) and the Applications sync that folder as a plain directory. Apps whose Helm chart lives
  in another repository cannot be rendered offline: they stay Helm-delivered.
- ``source-hydrator``: the Kustomize output as today, with Applications that let Argo CD's
  Source Hydrator hydrate it (``spec.sourceHydrator``) into the environment branch.

``gitops.hydrated.to`` says where hydrated output is published: ``folder`` (on ``gitops.branch``)
or ``branch`` (``<branchPrefix><env>``, the same paths). ``gitops.applications`` says how the
Applications are emitted: one per app and environment (``per-app``), or one ApplicationSet per
environment (``per-environment``) or per team and environment (``per-team``).

The files were read once, by :mod:`generator.load`; this module only interprets them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from generator.errors import InputError
from generator.load import Blueprint, Project

MODES = ("kustomize", "hydrated", "source-hydrator")
TARGETS = ("folder", "branch")
APPLICATIONS = ("per-app", "per-environment", "per-team")
DEFAULT_BRANCH_PREFIX = "environments/"
_BRANCH = re.compile(r"^[A-Za-z0-9._/-]*$")


@dataclass(frozen=True)
class Delivery:
    """The delivery settings of a project: the mode of each environment, where hydrated output is published, and how Applications are emitted."""

    default: str = "kustomize"
    per_env: dict[str, str] = field(default_factory=dict)
    hydrate_to: str = "folder"
    branch_prefix: str = DEFAULT_BRANCH_PREFIX
    applications: str = "per-app"

    def mode(self, env: str) -> str:
        return self.per_env.get(env, self.default)

    def hydrates(self, blueprint: Blueprint | dict[str, Any], env: str) -> bool:
        """Whether gitopsgen writes this app's plain objects for ``env`` (remote Helm charts: never)."""
        return self.mode(env) == "hydrated" and not remote_chart(blueprint)

    def env_branch(self, env: str) -> str:
        return self.branch_prefix + env

    def sync_revision(self, env: str, target_revision: str) -> str:
        """The revision the Applications of hydrated output track."""
        return self.env_branch(env) if self.hydrate_to == "branch" else target_revision


KUSTOMIZE = Delivery()  # the default: Kustomize base + overlays and Helm values everywhere


def remote_chart(blueprint: Blueprint | dict[str, Any]) -> bool:
    spec = blueprint.spec if isinstance(blueprint, Blueprint) else blueprint
    return spec.get("delivery") == "helm" and "path" not in spec.get("helm", {}).get("chart", {})


def load_delivery(project: Project) -> Delivery:
    """The delivery settings of ``project``, checked; errors name the line to fix."""
    config = project.gitops_config
    gitops = project.gitops
    default = _choice(gitops.get("delivery", "kustomize"), MODES, "gitops.delivery", config.path, config.line_of(("delivery",)))
    per_env = {}
    for name, env in project.environments.items():
        if "delivery" in env.spec:
            per_env[name] = _choice(env.spec["delivery"], MODES, "delivery", env.source.path, env.source.line_of(("delivery",)))
    hydrated = gitops.get("hydrated", {})
    if not isinstance(hydrated, dict):
        raise InputError("gitops.hydrated must be a mapping {to, branchPrefix}", config.path, config.line_of(("hydrated",)))
    unknown = sorted(set(hydrated) - {"to", "branchPrefix"})
    if unknown:
        raise InputError(f"unknown setting gitops.hydrated.{unknown[0]}; known: to, branchPrefix", config.path, config.line_of(("hydrated", unknown[0])))
    target = _choice(hydrated.get("to", "folder"), TARGETS, "gitops.hydrated.to", config.path, config.line_of(("hydrated", "to")))
    prefix = hydrated.get("branchPrefix", DEFAULT_BRANCH_PREFIX)
    if not isinstance(prefix, str) or not _BRANCH.match(prefix) or ".." in prefix or prefix.startswith("/"):
        raise InputError(
            "gitops.hydrated.branchPrefix must be a branch name prefix such as environments/", config.path, config.line_of(("hydrated", "branchPrefix"))
        )
    if target == "branch" and not prefix:
        raise InputError("gitops.hydrated.branchPrefix must not be empty with to: branch", config.path, config.line_of(("hydrated",)))
    for env_name in project.environments:
        if target == "branch" and prefix + env_name == gitops["branch"]:
            raise InputError(
                f"environment branch {prefix + env_name!r} is gitops.branch itself; choose another branchPrefix",
                config.path,
                config.line_of(("hydrated", "branchPrefix")),
            )
    applications = _choice(gitops.get("applications", "per-app"), APPLICATIONS, "gitops.applications", config.path, config.line_of(("applications",)))
    return Delivery(default, per_env, target, prefix, applications)


def _choice(value: Any, allowed: tuple[str, ...], name: str, path: str, line: int) -> str:
    if value not in allowed:
        raise InputError(f"{name} must be one of {', '.join(allowed)}, not {value!r}", path, line)
    return value
