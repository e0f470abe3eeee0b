"""Load and check the project's inputs: gitopsgen.yaml, overlays/<env>.yaml and blueprints/<app>.yaml.

Every problem becomes an :class:`InputError` naming the file and line and saying what to do.
Merging follows one rule everywhere: environment defaults < blueprint < the environment's
per-app override; mappings merge key by key, lists and scalars are replaced.
"""

from __future__ import annotations

import copy
import difflib
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from generator import yamlio
from generator.errors import InputError

SCHEMAS = Path(__file__).parent / "schemas"
CONFIG_FILE = "gitopsgen.yaml"
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
# Fields an environment may not override: they identify the app rather than configure it.
IDENTITY_FIELDS = ("name", "team", "owner", "delivery", "helm", "environments", "description")
DEFAULT_GITOPS = {
    "repoURL": "https://git.example.com/platform/gitops.git",
    "branch": "main",
    "layout": {"apps": "apps", "argocd": "argocd"},
}


@dataclass
class Source:
    """A loaded YAML file, kept so that any field can be traced back to its line."""

    path: str  # relative to the project root
    document: yamlio.Document

    def line_of(self, field_path: tuple[str | int, ...]) -> int:
        return self.document.position(field_path)[0]


@dataclass
class Blueprint:
    name: str
    spec: dict[str, Any]
    source: Source


@dataclass
class Environment:
    name: str
    spec: dict[str, Any]
    source: Source

    @property
    def order(self) -> tuple[int, str]:
        return (self.spec.get("order", 100), self.name)

    def overrides_for(self, app: str) -> dict[str, Any]:
        return self.spec.get("apps", {}).get(app, {})


@dataclass(frozen=True)
class GitopsConfig:
    """The ``gitops:`` section of gitopsgen.yaml, checked, with defaults filled in."""

    settings: dict[str, Any]  # repoURL, branch, layout {apps, argocd} always present; forge, author as written
    source: Source | None  # None: the project has no gitopsgen.yaml
    defaulted: frozenset[str] = frozenset()  # keys of gitops: that nobody set (repoURL: a placeholder then)

    @property
    def path(self) -> str:
        return self.source.path if self.source else CONFIG_FILE

    def line_of(self, field_path: tuple[str, ...]) -> int:
        """Line of ``field_path`` inside ``gitops:`` (1 without a file)."""
        return self.source.line_of(("gitops", *field_path)) if self.source else 1


@dataclass
class Project:
    root: Path
    gitops_config: GitopsConfig
    environments: dict[str, Environment]  # in promotion order
    blueprints: dict[str, Blueprint]  # sorted by name

    @property
    def gitops(self) -> dict[str, Any]:
        return self.gitops_config.settings


def load_project(root: Path) -> Project:
    root = root.resolve()
    if not (root / "blueprints").is_dir():
        raise InputError(f"no blueprints/ folder in {root}; run gitopsgen from the project root or pass --project-dir")
    config = load_gitops_config(root)
    environments = _load_environments(root)
    blueprints = _load_blueprints(root, environments)
    for env in environments.values():
        for app in env.spec.get("apps", {}):
            if app not in blueprints:
                raise InputError(
                    f"override for unknown app {app!r}{_suggest(app, blueprints)}; "
                    f"add blueprints/{app}.yaml or remove the override",
                    env.source.path,
                    env.source.line_of(("apps", app)),
                )
    return Project(root, config, environments, blueprints)


def merged_settings(blueprint: Blueprint, env: Environment | None) -> dict[str, Any]:
    """The blueprint as seen in one environment (``env=None``: the environment-independent base)."""
    if env is None:
        return plain_copy(blueprint.spec)
    settings = deep_merge(env.spec.get("defaults", {}), blueprint.spec)
    return deep_merge(settings, env.overrides_for(blueprint.name))


def plain_copy(data: Any) -> Any:
    """Deep copy of YAML data (mappings, lists, scalars); far cheaper than copy.deepcopy on a hot path."""
    if isinstance(data, dict):
        return {key: plain_copy(value) for key, value in data.items()}
    if isinstance(data, list):
        return [plain_copy(item) for item in data]
    return data


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """A new mapping: ``override`` over ``base``; mappings merge key by key, anything else is replaced."""
    merged = plain_copy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = plain_copy(value)
    image = override.get("image", {})
    if "tag" in image:
        merged["image"].pop("digest", None)
    if "digest" in image:
        merged["image"].pop("tag", None)
    return merged


# --- files ---------------------------------------------------------------------------------


def load_gitops_config(root: Path) -> GitopsConfig:
    """The one reader of ``gitopsgen.yaml``: its ``gitops:`` section, checked, defaults filled in."""
    path = root / CONFIG_FILE
    if not path.exists():
        return GitopsConfig(copy.deepcopy(DEFAULT_GITOPS), None, frozenset(DEFAULT_GITOPS))
    source = _read_single(root, path)
    gitops = source.document.data.get("gitops")
    if gitops is None:
        gitops = {}
    if not isinstance(gitops, dict):
        raise InputError("'gitops' must be a mapping", source.path, source.line_of(("gitops",)))
    for key in ("repoURL", "branch"):
        value = gitops.get(key, DEFAULT_GITOPS[key])
        if not isinstance(value, str) or not value.strip():
            raise InputError(f"gitops.{key} must be a non-empty string", source.path, source.line_of(("gitops", key)))
    settings = deep_merge(DEFAULT_GITOPS, gitops)
    settings["layout"] = _checked_layout(settings["layout"], source)
    return GitopsConfig(settings, source, frozenset(set(DEFAULT_GITOPS) - set(gitops)))


def _checked_layout(layout: Any, source: Source) -> dict[str, str]:
    """Folders inside the GitOps repository: relative, no ``..``, no trailing slash, apart from each other."""
    if not isinstance(layout, dict):
        raise InputError("gitops.layout must be a mapping {apps, argocd}", source.path, source.line_of(("gitops", "layout")))
    checked: dict[str, str] = {}
    for key in ("apps", "argocd"):
        value = layout[key]
        folder = PurePosixPath(value.strip().rstrip("/")) if isinstance(value, str) else None
        if (folder is None or folder.is_absolute() or ".." in folder.parts or str(folder) in ("", ".")
                or folder.parts[0] == ".gitopsgen"):
            raise InputError(f"gitops.layout.{key} must be a relative folder inside the GitOps repository "
                             "(no leading /, no ..), e.g. apps", source.path, source.line_of(("gitops", "layout", key)))
        checked[key] = str(folder)
    apps, argocd = PurePosixPath(checked["apps"]), PurePosixPath(checked["argocd"])
    if apps == argocd or apps in argocd.parents or argocd in apps.parents:
        raise InputError("gitops.layout.apps and gitops.layout.argocd must be different folders, neither inside the other",
                         source.path, source.line_of(("gitops", "layout")))
    return {**layout, **checked}


def _load_environments(root: Path) -> dict[str, Environment]:
    folder = root / "overlays"
    paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not paths:
        raise InputError("no environments: add overlays/<env>.yaml (for example overlays/dev.yaml)", "overlays/")
    environments = []
    for path in paths:
        source = _read_single(root, path)
        spec = _checked(source, "environment")
        name = spec.get("name", path.stem)
        if name != path.stem:
            raise InputError(f"environment name {name!r} does not match the file name; rename the file to overlays/{name}.yaml",
                             source.path, source.line_of(("name",)))
        environments.append(Environment(name, spec, source))
    environments.sort(key=lambda env: env.order)
    return {env.name: env for env in environments}


def _load_blueprints(root: Path, environments: dict[str, Environment]) -> dict[str, Blueprint]:
    blueprints: dict[str, Blueprint] = {}
    for path in sorted((root / "blueprints").glob("*.y*ml")):
        source = _read_single(root, path)
        spec = _checked(source, "blueprint")
        name = spec.setdefault("name", path.stem)
        if not DNS_LABEL.match(name) or len(name) > 53:
            raise InputError(f"the file name {path.name!r} is not a valid app name (lowercase letters, digits and '-', "
                             "at most 53 characters); rename the file or set 'name:'", source.path, 1)
        if name == "argocd":
            raise InputError("the app name 'argocd' is reserved for the Argo CD applications; choose another name",
                             source.path, source.line_of(("name",)))
        if name in blueprints:
            first = blueprints[name].source
            raise InputError(f"app {name!r} is already defined in {first.path}:{first.line_of(('name',))}; "
                             "app names must be unique", source.path, source.line_of(("name",)))
        for index, env in enumerate(spec.get("environments", [])):
            if env not in environments:
                raise InputError(f"unknown environment {env!r}{_suggest(env, environments)}; "
                                 f"known: {', '.join(environments)}", source.path, source.line_of(("environments", index)))
        _check_references(spec, source)
        blueprints[name] = Blueprint(name, spec, source)
    if not blueprints:
        raise InputError("no blueprints: add blueprints/<app>.yaml", "blueprints/")
    return dict(sorted(blueprints.items()))


def _read_single(root: Path, path: Path) -> Source:
    relative = path.relative_to(root).as_posix()
    try:
        documents = yamlio.load_documents(yamlio.decode(path.read_bytes(), relative), relative)
    except yamlio.YAMLSyntaxError as exc:
        raise InputError(f"{exc.problem}; fix the YAML syntax", exc.path, exc.line) from None
    documents = [doc for doc in documents if doc.data is not None]
    if len(documents) != 1:
        line = documents[1].line if len(documents) > 1 else 1
        raise InputError("expected exactly one YAML document", relative, line)
    document = documents[0]
    if document.duplicates:
        key, line, _ = document.duplicates[0]
        raise InputError(f"duplicate key {key!r}; keep one of them", relative, line)
    if not isinstance(document.data, dict):
        raise InputError("expected a mapping of fields", relative, document.line)
    return Source(relative, document)


def _checked(source: Source, schema: str) -> dict[str, Any]:
    if _fast_validator(schema).is_valid(source.document.data):
        return plain_copy(source.document.data)
    # invalid: the pure-Python validator explains where and why
    errors = sorted(_validator(schema).iter_errors(source.document.data), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    error = _most_specific(errors[0])
    path = tuple(error.absolute_path)
    where = ".".join(map(str, path))
    if error.validator == "additionalProperties":
        unknown = sorted(set(error.instance) - set(error.schema.get("properties", {})))[0]
        allowed = error.schema.get("properties", {})
        path = path + (unknown,)
        message = f"unknown field {'.'.join(map(str, path))!r}{_suggest(unknown, allowed)}; remove it or fix its spelling"
    elif error.validator == "required":
        missing = error.message.split("'")[1]
        message = f"missing required field {'.'.join(map(str, path + (missing,)))!r}; add it"
    else:
        message = f"{where or 'document'}: {_describe(error)}"
    raise InputError(message, source.path, source.line_of(path))


def _most_specific(error: Any) -> Any:
    """For oneOf/anyOf failures, descend to the branch error deepest in the document."""
    while error.context:
        error = max(error.context, key=lambda e: len(e.absolute_path))
        if error.validator not in ("oneOf", "anyOf") or not error.context:
            break
    return error


def _describe(error: Any) -> str:
    if "propertyNames" in error.schema_path:
        return (f"{json.dumps(error.instance)} is not a valid key: use letters, digits, '-', '_' and '.' "
                "(at most 63), optionally after a DNS prefix and '/'")
    if error.validator == "type":
        return f"expected {error.validator_value}, got {type(error.instance).__name__} {json.dumps(error.instance)[:40]}"
    if error.validator == "pattern":
        return f"{json.dumps(error.instance)} is not valid (must match {error.validator_value})"
    if error.validator == "enum":
        return f"{json.dumps(error.instance)} is not one of {', '.join(map(str, error.validator_value))}"
    if error.validator == "not" and isinstance(error.validator_value, dict) and "required" in error.validator_value:
        return f"set only one of {', '.join(error.validator_value['required'])}"
    if error.validator == "oneOf":
        return "must set exactly one of the alternatives (check the blueprint reference in README.md)"
    return error.message


def _check_references(spec: dict[str, Any], source: Source) -> None:
    """Named ports used by probes, services, ingress and monitoring must exist."""
    ports = {port["name"] for port in spec.get("ports", [])}
    service_ports = {port.get("name") for port in spec.get("service", {}).get("ports", [])} | ports
    references: list[tuple[tuple[str | int, ...], Any, set[str]]] = []
    for kind, probe in spec.get("probes", {}).items():
        for handler in ("http", "tcp"):
            if handler in probe:
                references.append((("probes", kind, handler, "port"), probe[handler]["port"], ports))
    for index, port in enumerate(spec.get("service", {}).get("ports", [])):
        references.append((("service", "ports", index, "targetPort"), port["targetPort"], ports))
    if "scrapeAnnotations" in spec.get("monitoring", {}):
        references.append((("monitoring", "scrapeAnnotations", "port"), spec["monitoring"]["scrapeAnnotations"]["port"], ports))
    if "serviceMonitor" in spec.get("monitoring", {}):
        references.append((("monitoring", "serviceMonitor", "port"), spec["monitoring"]["serviceMonitor"]["port"], service_ports))
    for h, host in enumerate(spec.get("ingress", {}).get("hosts", [])):
        for p, path in enumerate(host.get("paths", [])):
            if "port" in path:
                references.append((("ingress", "hosts", h, "paths", p, "port"), path["port"], service_ports))
    for field_path, value, known in references:
        if isinstance(value, str) and value not in known:
            raise InputError(f"port {value!r} is not declared{_suggest(value, known)}; add it to 'ports' or use a declared name",
                             source.path, source.line_of(field_path))


def _suggest(word: str, candidates: Any) -> str:
    match = difflib.get_close_matches(str(word), [str(c) for c in candidates], n=1)
    return f" (did you mean {match[0]!r}?)" if match else ""


# --- schemas -------------------------------------------------------------------------------


@functools.cache
def _validator(name: str) -> Any:
    import jsonschema
    from referencing import Registry, Resource

    schemas = _schemas()
    registry = Registry().with_resources([(schema["$id"], Resource.from_contents(schema)) for schema in schemas.values()])
    return jsonschema.Draft202012Validator(schemas[name], registry=registry, format_checker=None)


@functools.cache
def _fast_validator(name: str) -> Any:
    """jsonschema-rs checks a valid document in microseconds; used to skip the slow path."""
    import jsonschema_rs

    schemas = _schemas()
    registry = jsonschema_rs.Registry([(schema["$id"], schema) for schema in schemas.values()])
    return jsonschema_rs.validator_for(schemas[name], registry=registry)


@functools.cache
def _schemas() -> dict[str, dict[str, Any]]:
    blueprint = json.loads((SCHEMAS / "blueprint.schema.json").read_text())
    environment = json.loads((SCHEMAS / "environment.schema.json").read_text())
    return {"blueprint": blueprint, "environment": environment, "overrides": overrides_schema(blueprint)}


def overrides_schema(blueprint: dict[str, Any]) -> dict[str, Any]:
    """Per-environment overrides: any blueprint field but the identity ones, nothing required."""
    schema = copy.deepcopy(blueprint)
    schema["$id"] = re.sub(r"blueprint\.schema\.json$", "overrides.schema.json", blueprint["$id"])
    schema["title"] = "gitopsgen per-environment override"
    schema.pop("required", None)
    for key in IDENTITY_FIELDS:
        schema["properties"].pop(key, None)
    schema["$defs"]["image"].pop("required", None)
    return schema
