"""policies/config.yaml: rule severities per environment, rule parameters, production environments."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import InputError
from generator.lint.checks import PSS_PROFILES

SEVERITIES = ("error", "warning", "off")
# The Kubernetes release the API-version rules check against unless the configuration or
# --kubernetes-version says otherwise.
DEFAULT_KUBERNETES_VERSION = "1.33"
CONFIG_MEMO = "lint-config-2.json"  # the configuration's data as read and checked before (generator.cache.DataMemo; 2: schema-checked)
_VERSION = re.compile(r"^v?\d+\.\d+(\.\d+)?$")


@dataclass
class LintConfig:
    """The lint configuration (``policies/config.yaml`` form): prod environments, rule parameters, per-environment settings."""

    prod_environments: list[str] = field(default_factory=lambda: ["prod"])
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)
    environments: dict[str, dict[str, Any]] = field(default_factory=dict)
    path: str = ""
    kubernetes_version: str = DEFAULT_KUBERNETES_VERSION

    def severity(self, rule_id: str, default: str, env: str | None, pss: str = "") -> str:
        """The rule's severity in ``env``: the environment's setting, else off when the rule checks a Pod
        Security Standards profile stricter than the environment's ``pss_profile``, else the rule's own."""
        if env is None:
            return default
        settings = self.environments.get(env) or {}
        if pss and PSS_PROFILES.index(pss) > PSS_PROFILES.index(self.pss_profile(env)):
            default = "off"
        value = (settings.get("severity") or {}).get(rule_id, default)
        return "off" if value is False else value  # YAML 1.1 reads a bare off as false

    def kubernetes_version_of(self, env: str | None) -> str:
        """The Kubernetes release ``env`` runs (its own kubernetes_version, else the global one)."""
        return str((self.environments.get(env or "") or {}).get("kubernetes_version") or self.kubernetes_version)

    def pss_profile(self, env: str | None) -> str:
        """The Pod Security Standards profile ``env`` enforces (restricted unless it says otherwise)."""
        return str((self.environments.get(env or "") or {}).get("pss_profile") or "restricted")

    def params(self, rule_id: str, env: str | None) -> dict[str, Any]:
        merged = dict(self.parameters.get(rule_id) or {})
        if env is not None:
            merged.update(((self.environments.get(env) or {}).get("parameters") or {}).get(rule_id) or {})
        return merged


def config_path(root: Path) -> Path:
    """The project's policies/config.yaml, else the built-in pack's."""
    from generator.lint.policy import builtin_pack

    project = root / "policies" / "config.yaml"
    return project if project.is_file() else builtin_pack() / "config.yaml"


def load_config(path: Path | None, cache_dir: Path | None = None) -> LintConfig:
    """The configuration in ``path`` (None: the defaults); with ``cache_dir``, its data is kept there for the next run
    (``CONFIG_MEMO``: a run whose configuration has not changed reads no YAML)."""
    if path is None or not path.is_file():
        if path is not None:
            raise InputError("lint configuration file not found", path)
        return LintConfig()
    from generator import yamlio
    from generator.cache import DataMemo

    text = yamlio.read_text(path)
    memo = DataMemo(cache_dir, CONFIG_MEMO)
    data = memo.get(text) if memo else None
    document: Any = None
    read = data is None
    if read:
        document = _document(text, path)
        data = document.data if document is not None and document.data is not None else {}
    if not isinstance(data, dict):
        raise InputError("expected a mapping with prod_environments, parameters and environments", path, 1)

    def line_of(field_path: tuple[str, ...]) -> int:  # read only on error: the memo's data comes without positions
        return (document or _document(text, path)).position(field_path)[0]

    if read:  # data the memo gave passed this when it was read
        from generator.schema import schema_problem

        problem = schema_problem(data, "lint-config")
        if problem:
            field_path, message = problem
            raise InputError(message, path, line_of(field_path))
    config = LintConfig(
        prod_environments=[str(env) for env in data.get("prod_environments", ["prod"])],
        parameters=data.get("parameters") or {},
        environments=data.get("environments") or {},
        path=str(path),
        kubernetes_version=data.get("kubernetes_version", DEFAULT_KUBERNETES_VERSION),
    )
    _check(config, line_of, path)
    if read:  # data the memo gave is kept in it already
        memo.put(text, data)
    memo.save()
    return config


def _document(text: str, path: Path) -> Any:
    """The configuration's first document (None: the file is empty), or InputError at its syntax error."""
    from generator import yamlio

    try:
        documents = yamlio.load_text(text, str(path))
    except yamlio.YAMLSyntaxError as exc:
        raise InputError(exc.problem, exc.path, exc.line) from None
    return documents[0] if documents else None


def check_kubernetes_version(value: Any, where: str = "--kubernetes-version", path: Any = None, line: int | None = None) -> str:
    """``value`` as a release ("1.29"); a YAML number (1.30 reads as 1.3) or anything else is an error."""
    if not isinstance(value, str) or not _VERSION.match(value):
        raise InputError(f'{where} must be a quoted release such as "1.33", not {value!r}', path, line)
    return value


def _check(config: LintConfig, line_of: Callable[[tuple[str, ...]], int], path: Path) -> None:
    """Values the schema (lint-config.schema.json) leaves to this module's messages; ``line_of`` names a field's line."""
    if config.kubernetes_version != DEFAULT_KUBERNETES_VERSION:
        check_kubernetes_version(config.kubernetes_version, "kubernetes_version", path, line_of(("kubernetes_version",)))
    for env, settings in config.environments.items():
        settings = settings or {}
        if "kubernetes_version" in settings:
            line = line_of(("environments", env, "kubernetes_version"))
            check_kubernetes_version(settings["kubernetes_version"], f"environments.{env}.kubernetes_version", path, line)
        profile = settings.get("pss_profile", "restricted")
        if profile not in PSS_PROFILES:
            line = line_of(("environments", env, "pss_profile"))
            raise InputError(f"pss_profile of {env} must be one of {', '.join(PSS_PROFILES)}, not {profile!r}", path, line)
        for rule_id, severity in (settings.get("severity") or {}).items():
            if severity is not False and severity not in SEVERITIES:
                line = line_of(("environments", env, "severity", rule_id))
                raise InputError(f"severity of {rule_id} must be one of {', '.join(SEVERITIES)}, not {severity!r}", path, line)
