"""namespaces/<name>.yaml: what belongs to a namespace or a team rather than to one app.

Read once, checked against ``namespace.schema.json``; each environment may override any field
but the identity ones in ``namespaces.<name>`` of its overlay file (merged as apps' overrides are).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import InputError
from generator.load import DNS_LABEL, Environment, Source, _checked, _read_single, deep_merge
from generator.schema import schema_problem, suggest

FOLDER = "namespaces"
IDENTITY = ("name", "team", "owner", "environments", "description")


@dataclass
class NamespaceHome:
    name: str
    spec: dict[str, Any]
    source: Source

    def settings_for(self, env: Environment) -> dict[str, Any]:
        return deep_merge(self.spec, env.spec.get("namespaces", {}).get(self.name, {}))

    def deployed_to(self, env: Environment) -> bool:
        return not self.spec.get("environments") or env.name in self.spec["environments"]


def load_namespaces(root: Path, environments: dict[str, Environment]) -> dict[str, NamespaceHome]:
    homes: dict[str, NamespaceHome] = {}
    folder = root / FOLDER
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
        source = _read_single(root, path)
        spec = _checked(source, "namespace")
        name = spec.setdefault("name", path.stem)
        if not DNS_LABEL.match(name):
            raise InputError(f"the file name {path.name!r} is not a valid namespace name; rename it or set 'name:'", source.path, 1)
        if name in homes:
            first = homes[name].source
            raise InputError(f"namespace {name!r} is already defined in {first.path}; define it once", source.path,
                             source.line_of(("name",)))
        for index, env in enumerate(spec.get("environments", [])):
            if env not in environments:
                raise InputError(f"unknown environment {env!r}{suggest(env, environments)}", source.path,
                                 source.line_of(("environments", index)))
        problem = _store_problem(spec)
        if problem:
            raise InputError(problem[1], source.path, source.line_of(problem[0]))
        homes[name] = NamespaceHome(name, spec, source)
    for env in environments.values():
        for name, override in env.spec.get("namespaces", {}).items():
            where = ("namespaces", name)
            if name not in homes:
                raise InputError(f"override for unknown namespace {name!r}{suggest(name, homes)}; add {FOLDER}/{name}.yaml "
                                 "or remove the override", env.source.path, env.source.line_of(where))
            for key in IDENTITY:
                if key in override:
                    raise InputError(f"{key!r} identifies the namespace and cannot differ per environment; remove it",
                                     env.source.path, env.source.line_of(where + (key,)))
            merged = homes[name].settings_for(env)
            problem = schema_problem(merged, "namespace") or _store_problem(merged)
            if problem:
                raise InputError(f"{problem[1]} (in {env.name})", env.source.path, env.source.line_of(where))
    return homes


def _store_problem(spec: dict[str, Any]) -> tuple[tuple[Any, ...], str] | None:
    accounts = {account["name"] for account in spec.get("serviceAccounts", [])}
    for index, store in enumerate(spec.get("secretStores", [])):
        account = store["aws"].get("serviceAccount")
        if account is None:
            return (("secretStores", index, "aws"),
                    "a shared SecretStore needs aws.serviceAccount (the identity it authenticates with); add it")
        if accounts and account not in accounts and account != "default":
            return (("secretStores", index, "aws", "serviceAccount"),
                    f"service account {account!r} is not among serviceAccounts{suggest(account, accounts)}; add it there")
    return None
