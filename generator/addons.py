"""addons/<name>.yaml: third-party charts (platform add-ons) installed as they are.

gitopsgen does not model what such a chart renders: it writes the Argo CD Application of the
upstream chart with per-environment values, in the namespace the chart requires, and lints and
validates nothing in its name. Environments override fields in ``addons.<name>`` of their
overlay file (values merge key by key; the chart version may differ per environment).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import InputError
from generator.load import DNS_LABEL, Environment, Source, _checked, _read_single, deep_merge
from generator.schema import schema_problem, suggest

FOLDER = "addons"
IDENTITY = ("name", "team", "owner", "environments", "description", "namespace")


@dataclass
class Addon:
    name: str
    spec: dict[str, Any]
    source: Source

    def settings_for(self, env: Environment) -> dict[str, Any]:
        return deep_merge(self.spec, env.spec.get("addons", {}).get(self.name, {}))

    def deployed_to(self, env: Environment) -> bool:
        return not self.spec.get("environments") or env.name in self.spec["environments"]


def load_addons(root: Path, environments: dict[str, Environment], app_names: set[str]) -> dict[str, Addon]:
    addons: dict[str, Addon] = {}
    folder = root / FOLDER
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
        source = _read_single(root, path)
        problem = _wildcard_problem(source.document.data)
        if problem:
            raise InputError(problem[1], source.path, source.line_of(problem[0]))
        spec = _checked(source, "addon")
        name = spec.setdefault("name", path.stem)
        if not DNS_LABEL.match(name):
            raise InputError(f"the file name {path.name!r} is not a valid add-on name; rename it or set 'name:'", source.path, 1)
        if name in addons or f"addon-{name}" in app_names:
            raise InputError(f"add-on {name!r} is defined twice (or clashes with app addon-{name}); rename one", source.path,
                             source.line_of(("name",)))
        for index, env in enumerate(spec.get("environments", [])):
            if env not in environments:
                raise InputError(f"unknown environment {env!r}{suggest(env, environments)}", source.path,
                                 source.line_of(("environments", index)))
        addons[name] = Addon(name, spec, source)
    for env in environments.values():
        for name, override in env.spec.get("addons", {}).items():
            where = ("addons", name)
            if name not in addons:
                raise InputError(f"override for unknown add-on {name!r}{suggest(name, addons)}; add {FOLDER}/{name}.yaml "
                                 "or remove the override", env.source.path, env.source.line_of(where))
            for key in IDENTITY:
                if key in override:
                    raise InputError(f"{key!r} identifies the add-on and cannot differ per environment; remove it",
                                     env.source.path, env.source.line_of(where + (key,)))
            problem = _wildcard_problem(override) or schema_problem(addons[name].settings_for(env), "addon")
            if problem:
                raise InputError(f"{problem[1]} (in {env.name})", env.source.path, env.source.line_of(where + problem[0]))
    return addons


def _wildcard_problem(spec: Any) -> tuple[tuple[Any, ...], str] | None:
    """``clusterResources`` names kinds one by one: a ``*`` would let the chart create anything at cluster scope."""
    entries = spec.get("clusterResources") if isinstance(spec, dict) else None
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        for key in ("group", "kind"):
            if isinstance(entry, dict) and "*" in str(entry.get(key, "")):
                return (("clusterResources", index, key),
                        f"clusterResources.{index}.{key} is a wildcard; name each cluster-scoped kind the chart creates "
                        "(e.g. {group: rbac.authorization.k8s.io, kind: ClusterRole})")
    return None
