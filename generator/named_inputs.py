"""``namespaces/`` and ``addons/``: one named thing per YAML file, which each environment may override.

Both folders are read the same way by :func:`load_named`: the files :func:`generator.walk.input_files`
lists, each checked against its schema and named by ``name:`` (default: the file name), its
``environments`` checked; then every environment's overrides in ``<folder>.<name>`` of its overlay
file, which may not change the identity fields, merged key by key and checked again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from generator.errors import InputError
from generator.kube import POD_SECURITY_PREFIX
from generator.load import DNS_LABEL, Environment, Source, _checked, _read_single, deep_merge
from generator.schema import schema_problem, suggest
from generator.walk import input_files

Problem = tuple[tuple[Any, ...], str]  # (field path, message)
Check = Callable[[Any], "Problem | None"]


def pod_security_label_problem(spec: dict[str, Any]) -> Problem | None:
    """A namespace's Pod Security labels come from ``podSecurity`` only (namespaces/ and addons/ alike): one place for its level."""
    for key in spec.get("namespaceLabels", {}):
        if key.startswith(POD_SECURITY_PREFIX):
            return (("namespaceLabels", key), f"namespaceLabels.{key} is a Pod Security label; set podSecurity (restricted, baseline or privileged) instead")
    return None


def no_problem(spec: Any) -> Problem | None:
    return None


@dataclass
class NamedInput:
    """One file of a named folder, as loaded."""

    name: str
    spec: dict[str, Any]
    source: Source
    section: ClassVar[str] = ""  # the folder's name: also the overlay section of the per-environment overrides

    def settings_for(self, env: Environment) -> dict[str, Any]:
        return deep_merge(self.spec, env.spec.get(self.section, {}).get(self.name, {}))

    def deployed_to(self, env: Environment) -> bool:
        return not self.spec.get("environments") or env.name in self.spec["environments"]


@dataclass(frozen=True)
class NamedFolder:
    """How one named folder is checked."""

    schema: str  # schemas/<schema>.schema.json
    what: str  # for messages: "namespace", "add-on"
    identity: tuple[str, ...]  # fields an environment may not override
    before_schema: Check = no_problem  # on a file or override as written: a plainer message than the schema's
    after_schema: Check = no_problem  # on the checked settings, the file's and each environment's merge


T = TypeVar("T", bound=NamedInput)


def load_named(root: Path, kind: type[T], folder: NamedFolder, environments: dict[str, Environment]) -> dict[str, T]:
    """Every file of ``root/<kind.section>/`` as a ``kind``, checked with every environment's overrides."""
    loaded: dict[str, T] = {}
    for path in input_files(root / kind.section):
        source = _read_single(root, path)
        _raise(folder.before_schema(source.document.data), source)
        spec = _checked(source, folder.schema)
        name = spec.setdefault("name", path.stem)
        if not DNS_LABEL.match(name):
            raise InputError(f"the file name {path.name!r} is not a valid {folder.what} name; rename it or set 'name:'", source.path, 1)
        if name in loaded:
            raise InputError(f"{folder.what} {name!r} is already defined in {loaded[name].source.path}; define it once", source.path, source.line_of(("name",)))
        for index, env in enumerate(spec.get("environments", [])):
            if env not in environments:
                raise InputError(f"unknown environment {env!r}{suggest(env, environments)}", source.path, source.line_of(("environments", index)))
        _raise(folder.after_schema(spec), source)
        loaded[name] = kind(name, spec, source)
    for env in environments.values():
        _check_overrides(env, kind.section, loaded, folder)
    return loaded


def _check_overrides(env: Environment, section: str, loaded: dict[str, T], folder: NamedFolder) -> None:
    for name, override in env.spec.get(section, {}).items():
        where = (section, name)
        if name not in loaded:
            raise InputError(
                f"override for unknown {folder.what} {name!r}{suggest(name, loaded)}; add {section}/{name}.yaml or remove the override",
                env.source.path,
                env.source.line_of(where),
            )
        for key in folder.identity:
            if key in override:
                raise InputError(
                    f"{key!r} identifies the {folder.what} and cannot differ per environment; remove it", env.source.path, env.source.line_of(where + (key,))
                )
        merged = loaded[name].settings_for(env)
        problem = folder.before_schema(override) or schema_problem(merged, folder.schema) or folder.after_schema(merged)
        if problem:
            raise InputError(f"{problem[1]} (in {env.name})", env.source.path, env.source.line_of(where + problem[0]))


def _raise(problem: Problem | None, source: Source) -> None:
    if problem:
        raise InputError(problem[1], source.path, source.line_of(problem[0]))
