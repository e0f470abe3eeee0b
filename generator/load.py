"""Load and check the project's inputs: gitopsgen.yaml, overlays/<env>.yaml and blueprints/<app>.yaml.

Every problem becomes an :class:`InputError` naming the file and line and saying what to do.
Merging follows one rule everywhere: environment defaults < blueprint < the environment's
per-app override; mappings merge key by key, lists and scalars are replaced.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from generator import yamlio
from generator.consistency import feature_problem
from generator.errors import InputError
from generator.schema import schema_problem, suggest

CONFIG_FILE = "gitopsgen.yaml"
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def is_dns_label(name: Any, limit: int = 63) -> bool:
    """Whether ``name`` may name a namespace or an environment (a DNS label), or, with ``limit`` 53, an app."""
    return isinstance(name, str) and bool(DNS_LABEL.match(name)) and len(name) <= limit


# Alternatives within one mapping: an override that sets one of them replaces the others.
EXCLUSIVE_KEYS = ({"tag", "digest"}, {"minAvailable", "maxUnavailable"}, {"http", "tcp", "exec", "sleep"})
# The folders a project's inputs live in (namespaces/ and addons/ are optional).
INPUT_FOLDERS = ("blueprints", "overlays", "namespaces", "addons")
# rendered/argocd/<env>/ holds each environment's Argo CD objects; no app may take the name.
ARGOCD = "argocd"
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
    """One blueprint as loaded: the app's name, ``blueprints/<app>.yaml`` checked against its schema, and its source."""

    name: str
    spec: dict[str, Any]
    source: Source


@dataclass
class Environment:
    """One environment as loaded: its name, ``overlays/<env>.yaml`` checked (defaults, per-app overrides, ...), and its source."""

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
    """A project as loaded and checked: its gitops settings, environments, blueprints, and each app's merged settings per environment."""

    root: Path
    gitops_config: GitopsConfig
    environments: dict[str, Environment]  # in promotion order
    blueprints: dict[str, Blueprint]  # sorted by name
    settings: dict[tuple[str, str], dict[str, Any]]  # (app, env) -> the blueprint as that environment sees it

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
                    f"override for unknown app {app!r}{suggest(app, blueprints)}; add blueprints/{app}.yaml or remove the override",
                    env.source.path,
                    env.source.line_of(("apps", app)),
                )
    settings = {
        (blueprint.name, env.name): _checked_settings(blueprint, env)
        for blueprint in blueprints.values()
        for env in deployed_to(blueprint, list(environments.values()))
    }
    return Project(root, config, environments, blueprints, settings)


def deployed_to(blueprint: Blueprint, environments: list[Environment]) -> list[Environment]:
    wanted = blueprint.spec.get("environments")
    return [env for env in environments if not wanted or env.name in wanted]


def locate_setting(blueprint: Blueprint, env: Environment | None, key: tuple[str | int, ...]) -> tuple[str, int] | None:
    """The file and line that set ``key`` of the merged settings: the environment's override for the
    app, else the blueprint, else the environment's defaults (None when nobody sets any part of it)."""
    candidates: list[tuple[Source, tuple[Any, ...], Any]] = []
    if env is not None:
        candidates.append((env.source, ("apps", blueprint.name), env.overrides_for(blueprint.name)))
    candidates.append((blueprint.source, (), blueprint.spec))
    if env is not None:
        candidates.append((env.source, ("defaults",), env.spec.get("defaults", {})))
    best: tuple[int, Source, tuple[Any, ...]] | None = None
    for source, prefix, data in candidates:
        depth = _present_depth(data, key)
        if depth and (best is None or depth > best[0]):
            best = (depth, source, prefix + tuple(key[:depth]))
    if best is None:
        return None
    return best[1].path, best[1].line_of(best[2])


def _present_depth(data: Any, key: tuple[str | int, ...]) -> int:
    """How many leading steps of ``key`` exist in ``data``."""
    depth = 0
    for step in key:
        if isinstance(data, dict) and step in data:  # noqa: SIM114 - two branches, so that each is typed
            data = data[step]
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            break
        depth += 1
    return depth


def _checked_settings(blueprint: Blueprint, env: Environment) -> dict[str, Any]:
    """Merged settings must be a complete, valid blueprint too; errors point at whoever set the field."""
    settings = merged_settings(blueprint, env)
    problem = schema_problem(settings, "blueprint") or _image_problem(settings) or _reference_problem(settings) or feature_problem(settings)
    if problem:
        field_path, message = problem
        path, line = locate_setting(blueprint, env, field_path) or (blueprint.source.path, 1)
        raise InputError(f"{message} (in {env.name})", path, line)
    return settings


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
    """A new mapping: ``override`` over ``base``; mappings merge key by key, anything else is replaced.

    Keys that exclude each other (an image's tag and digest, a budget's minAvailable and
    maxUnavailable, a probe's http/tcp/exec) are alternatives: setting one drops the others.
    """
    merged = plain_copy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = plain_copy(value)
        for alternatives in EXCLUSIVE_KEYS:
            if key in alternatives:
                for other in alternatives - {key} - set(override):
                    merged.pop(other, None)
    return merged


# --- files ---------------------------------------------------------------------------------


def load_gitops_config(root: Path) -> GitopsConfig:
    """The one reader of ``gitopsgen.yaml``: its ``gitops:`` section, checked, defaults filled in."""
    path = root / CONFIG_FILE
    if not path.exists():
        return GitopsConfig(copy.deepcopy(DEFAULT_GITOPS), None, frozenset(DEFAULT_GITOPS))
    source = _read_single(root, path)
    _check_known_keys(source, source.document.data, CONFIG_KEYS, ())
    gitops = source.document.data.get("gitops")
    if gitops is None:
        gitops = {}
    if not isinstance(gitops, dict):
        raise InputError("'gitops' must be a mapping", source.path, source.line_of(("gitops",)))
    _check_known_keys(source, gitops, CONFIG_KEYS["gitops"], ("gitops",))
    repo_url = gitops.get("repoURL")
    if isinstance(repo_url, str) and url_has_credentials(repo_url):
        raise InputError(
            "gitops.repoURL must not hold credentials (user:token@): they would be committed in every "
            "Argo CD Application; remove them and let git's credential helper or gitops.forge.tokenEnv "
            "provide them",
            source.path,
            source.line_of(("gitops", "repoURL")),
        )
    for key in ("repoURL", "branch"):
        value = gitops.get(key, DEFAULT_GITOPS[key])
        if not isinstance(value, str) or not value.strip():
            raise InputError(f"gitops.{key} must be a non-empty string", source.path, source.line_of(("gitops", key)))
    settings = deep_merge(DEFAULT_GITOPS, gitops)
    settings["layout"] = _checked_layout(settings["layout"], source)
    return GitopsConfig(settings, source, frozenset(set(DEFAULT_GITOPS) - set(gitops)))


# Every key gitopsgen.yaml may hold (None: a leaf); an unknown key is a typo until proven otherwise.
CONFIG_KEYS: dict[str, Any] = {
    "gitops": {
        "repoURL": None,
        "branch": None,
        "layout": {"apps": None, "argocd": None},
        "forge": {"type": None, "url": None, "project": None, "tokenEnv": None, "allowInsecureHttp": None},
        "author": {"name": None, "email": None},
        "delivery": None,
        "applications": None,
        "hydrated": None,  # checked by generator/delivery.py
    },
}


def _check_known_keys(source: Source, data: dict[str, Any], known: dict[str, Any], where: tuple[str, ...]) -> None:
    """Refuse keys gitopsgen.yaml does not define (``repoUrl`` for ``repoURL``), naming the closest known one."""
    for key, value in data.items():
        if key not in known:
            dotted = ".".join((*where, str(key)))
            raise InputError(f"unknown key {dotted!r}{suggest(str(key), known)}; remove it or fix its spelling", source.path, source.line_of((*where, key)))
        if isinstance(known[key], dict) and isinstance(value, dict) and where:
            _check_known_keys(source, value, known[key], (*where, key))


_URL_CREDENTIALS = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/@?#]*@")


def url_has_credentials(url: str) -> bool:
    """Whether an http(s)/ssh URL carries a user name or password before its host (``https://user:token@host``).

    ``ssh://git@host`` and scp-like ``git@host:path`` name a user, not a secret: they are allowed.
    """
    match = _URL_CREDENTIALS.match(url.strip())
    if match is None:
        return False
    userinfo = match.group(0).split("://", 1)[1][:-1]
    return not (url.strip().lower().startswith("ssh://") and ":" not in userinfo)


def _checked_layout(layout: Any, source: Source) -> dict[str, str]:
    """Folders inside the GitOps repository: relative, no ``..``, no trailing slash, apart from each other."""
    if not isinstance(layout, dict):
        raise InputError("gitops.layout must be a mapping {apps, argocd}", source.path, source.line_of(("gitops", "layout")))
    checked: dict[str, str] = {}
    for key in ("apps", "argocd"):
        value = layout[key]
        folder = PurePosixPath(value.strip().rstrip("/")) if isinstance(value, str) else None
        if folder is None or folder.is_absolute() or ".." in folder.parts or str(folder) in ("", ".") or folder.parts[0] == ".gitopsgen":
            raise InputError(
                f"gitops.layout.{key} must be a relative folder inside the GitOps repository (no leading /, no ..), e.g. apps",
                source.path,
                source.line_of(("gitops", "layout", key)),
            )
        checked[key] = str(folder)
    apps, argocd = PurePosixPath(checked["apps"]), PurePosixPath(checked["argocd"])
    if apps == argocd or apps in argocd.parents or argocd in apps.parents:
        raise InputError(
            "gitops.layout.apps and gitops.layout.argocd must be different folders, neither inside the other", source.path, source.line_of(("gitops", "layout"))
        )
    return {**layout, **checked}


def repo_path(rendered_path: str, apps: str, argocd: str) -> str:
    """Where a path under rendered/ lands in the GitOps repository, per gitops.layout's two folders."""
    head, _, rest = rendered_path.partition("/")
    if head == ARGOCD:
        return f"{argocd}/{rest}" if rest else argocd
    return f"{apps}/{rendered_path}"


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
        if not is_dns_label(name):
            raise InputError(
                f"environment name {name!r} is not a DNS label (lower-case letters, digits and '-', "
                "starting and ending with a letter or digit, at most 63 characters); rename the file",
                source.path,
                source.line_of(("name",)) if "name" in spec else 1,
            )
        if name != path.stem:
            raise InputError(
                f"environment name {name!r} does not match the file name; rename the file to overlays/{name}.yaml", source.path, source.line_of(("name",))
            )
        environments.append(Environment(name, spec, source))
    environments.sort(key=lambda env: env.order)
    return {env.name: env for env in environments}


def _load_blueprints(root: Path, environments: dict[str, Environment]) -> dict[str, Blueprint]:
    blueprints: dict[str, Blueprint] = {}
    for path in sorted((root / "blueprints").glob("*.y*ml")):
        source = _read_single(root, path)
        spec = _checked(source, "blueprint")
        name = spec.setdefault("name", path.stem)
        if not is_dns_label(name, 53):
            raise InputError(
                f"the file name {path.name!r} is not a valid app name (lowercase letters, digits and '-', "
                "at most 53 characters); rename the file or set 'name:'",
                source.path,
                1,
            )
        if name == ARGOCD:
            raise InputError("the app name 'argocd' is reserved for the Argo CD applications; choose another name", source.path, source.line_of(("name",)))
        if name in blueprints:
            first = blueprints[name].source
            raise InputError(
                f"app {name!r} is already defined in {first.path}:{first.line_of(('name',))}; app names must be unique", source.path, source.line_of(("name",))
            )
        for index, env in enumerate(spec.get("environments", [])):
            if env not in environments:
                raise InputError(
                    f"unknown environment {env!r}{suggest(env, environments)}; known: {', '.join(environments)}",
                    source.path,
                    source.line_of(("environments", index)),
                )
        problem = _reference_problem(spec) or feature_problem(spec)
        if problem:
            raise InputError(problem[1], source.path, source.line_of(problem[0]))
        chart_url = spec.get("helm", {}).get("chart", {}).get("repoURL")
        if isinstance(chart_url, str) and url_has_credentials(chart_url):
            raise InputError(
                "helm.chart.repoURL must not hold credentials (user:token@): they would be committed in the "
                "Argo CD Application; give Argo CD the repository's credentials instead",
                source.path,
                source.line_of(("helm", "chart", "repoURL")),
            )
        blueprints[name] = Blueprint(name, spec, source)
    if not blueprints:
        raise InputError("no blueprints: add blueprints/<app>.yaml", "blueprints/")
    return dict(sorted(blueprints.items()))


def _read_single(root: Path, path: Path) -> Source:
    relative = path.relative_to(root).as_posix()
    try:
        documents = yamlio.load_documents(yamlio.read_text(path, relative), relative)
    except yamlio.UnreadableFile as exc:  # the file as a whole: no line
        raise InputError(exc.problem, exc.path) from None
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
    problem = schema_problem(source.document.data, schema)
    if problem:
        field_path, message = problem
        raise InputError(message, source.path, source.line_of(field_path))
    return plain_copy(source.document.data)


def _image_problem(spec: dict[str, Any]) -> tuple[tuple[Any, ...], str] | None:
    """An image names its tag or digest: nothing silently becomes ``:latest``."""
    image = spec.get("image", {})
    if "tag" in image or "digest" in image:
        return None
    return ("image",), ("image has neither tag nor digest; pin one (tag: v1.2.3 or digest: sha256:…), or write tag: latest to deploy the moving tag on purpose")


def _reference_problem(spec: dict[str, Any]) -> tuple[tuple[Any, ...], str] | None:
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
            return field_path, f"port {value!r} is not declared{suggest(value, known)}; add it to 'ports' or use a declared name"
    return None


# --- schemas -------------------------------------------------------------------------------
