"""policies/config.yaml: rule severities per environment, rule parameters, production environments."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import InputError

SEVERITIES = ("error", "warning", "off")


@dataclass
class LintConfig:
    prod_environments: list[str] = field(default_factory=lambda: ["prod"])
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)
    environments: dict[str, dict[str, Any]] = field(default_factory=dict)
    path: str = ""

    def severity(self, rule_id: str, default: str, env: str | None) -> str:
        """The rule's severity in ``env``: the environment's setting, else the rule's own."""
        if env is None:
            return default
        value = ((self.environments.get(env) or {}).get("severity") or {}).get(rule_id, default)
        return "off" if value is False else value  # YAML 1.1 reads a bare off as false

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


def load_config(path: Path | None) -> LintConfig:
    if path is None or not path.is_file():
        if path is not None:
            raise InputError("lint configuration file not found", path)
        return LintConfig()
    from generator import yamlio

    try:
        documents = yamlio.load_file(path)
    except yamlio.YAMLSyntaxError as exc:
        raise InputError(exc.problem, exc.path, exc.line) from None
    document = documents[0] if documents else None
    data = document.data if document is not None and document.data is not None else {}
    if not isinstance(data, dict):
        raise InputError("expected a mapping with prod_environments, parameters and environments", path, 1)
    config = LintConfig(
        prod_environments=[str(env) for env in data.get("prod_environments", ["prod"])],
        parameters=data.get("parameters") or {},
        environments=data.get("environments") or {},
        path=str(path),
    )
    _check(config, document, path)
    return config


def _check(config: LintConfig, document: Any, path: Path) -> None:
    for env, settings in config.environments.items():
        settings = settings or {}
        if not isinstance(settings, dict):
            raise InputError(f"environments.{env} must be a mapping", path, document.position(("environments", env))[0])
        for rule_id, severity in (settings.get("severity") or {}).items():
            if severity is not False and severity not in SEVERITIES:
                line = document.position(("environments", env, "severity", rule_id))[0]
                raise InputError(f"severity of {rule_id} must be one of {', '.join(SEVERITIES)}, not {severity!r}", path, line)
