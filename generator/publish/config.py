"""The ``gitops:`` section of ``gitopsgen.yaml`` and the ``publish:`` mode of each environment.

Example::

    gitops:
      repoURL: https://git.example.com/platform/gitops.git
      branch: main
      layout: {apps: apps, argocd: argocd}
      forge: {type: github, url: https://api.github.com, project: org/repo, tokenEnv: GITOPS_TOKEN}
      author: {name: gitopsgen, email: gitopsgen@example.com}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from generator.errors import InputError

CONFIG_FILE = "gitopsgen.yaml"
FORGE_TYPES = ("github", "gitlab", "gitea")
PUBLISH_MODES = ("direct", "pull-request")
Mode = Literal["direct", "pull-request"]
RESERVED_ENVS = ("shared", "argocd")  # names of publish scopes and of the Argo CD folder
_ENV_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")
_PROJECT = re.compile(r"^[\w.-]+(/[\w.-]+)+$")
_TOKEN_ENV = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Forge:
    type: Literal["github", "gitlab", "gitea"]
    url: str  # API base for GitHub (https://api.github.com), instance URL for GitLab and Gitea
    project: str  # owner/repo (GitLab: group/subgroup/project)
    token_env: str = "GITOPS_TOKEN"


@dataclass(frozen=True)
class Author:
    name: str = "gitopsgen"
    email: str = "gitopsgen@localhost"


@dataclass(frozen=True)
class Layout:
    apps: str = "apps"
    argocd: str = "argocd"


@dataclass(frozen=True)
class PublishConfig:
    repo_url: str | None = None
    branch: str = "main"
    layout: Layout = field(default_factory=Layout)
    forge: Forge | None = None
    author: Author = field(default_factory=Author)


def load_config(root: Path) -> PublishConfig:
    """Read and validate ``gitops:`` from ``<root>/gitopsgen.yaml``; defaults when the file is absent."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return PublishConfig()
    document = _load_mapping(path)
    section = document.data.get("gitops") if isinstance(document.data, dict) else None
    if section is None:
        return PublishConfig()
    where = _locator(document, path)
    _require(isinstance(section, dict), where, ("gitops",), "gitops: must be a mapping")
    layout = section.get("layout") or {}
    _require(isinstance(layout, dict), where, ("gitops", "layout"), "gitops.layout must be a mapping")
    author = section.get("author") or {}
    _require(isinstance(author, dict), where, ("gitops", "author"), "gitops.author must be a mapping {name, email}")
    config = PublishConfig(
        repo_url=_optional_str(section, "repoURL", where),
        branch=_optional_str(section, "branch", where) or "main",
        layout=Layout(
            apps=_layout_dir(layout, "apps", where),
            argocd=_layout_dir(layout, "argocd", where),
        ),
        forge=_forge(section.get("forge"), where),
        author=Author(
            name=_optional_str(author, "name", where, ("gitops", "author")) or Author.name,
            email=_optional_str(author, "email", where, ("gitops", "author")) or Author.email,
        ),
    )
    _require(
        config.layout.apps != config.layout.argocd, where, ("gitops", "layout"),
        "gitops.layout.apps and gitops.layout.argocd must be different folders",
    )
    return config


def environment_modes(root: Path) -> dict[str, Mode]:
    """``{env: publish mode}`` from ``overlays/<env>.yaml``; without ``publish:``, the schema's default."""
    default = _schema_default_mode()
    modes: dict[str, Mode] = {}
    for path in sorted((root / "overlays").glob("*.yaml")):
        env = path.stem
        document = _load_mapping(path)
        data = document.data if isinstance(document.data, dict) else {}
        mode = data.get("publish", default)
        if mode not in PUBLISH_MODES:
            line, _ = document.position(("publish",))
            raise InputError(f"publish: must be one of {', '.join(PUBLISH_MODES)}, not {mode!r}", path, line)
        if not _ENV_NAME.match(env) or env in RESERVED_ENVS:
            raise InputError(f"environment names must be lower-case letters, digits and dashes, and not "
                             f"{' or '.join(RESERVED_ENVS)}; rename {path.name}", path, 1)
        modes[env] = mode
    return modes


def _schema_default_mode() -> Mode:
    import json

    schema = json.loads((Path(__file__).parent.parent / "schemas" / "environment.schema.json").read_text())
    return schema["properties"]["publish"].get("default", "pull-request")


def _load_mapping(path: Path):  # -> yamlio.Document
    from generator.yamlio import YAMLSyntaxError, decode, load_documents

    try:
        documents = load_documents(decode(path.read_bytes(), str(path)), str(path))
    except YAMLSyntaxError as exc:
        raise InputError(exc.problem, exc.path, exc.line) from None
    if not documents or not isinstance(documents[0].data, (dict, type(None))):
        raise InputError("expected a YAML mapping", path, 1)
    if documents[0].data is None:
        documents[0].data = {}
    return documents[0]


def _locator(document: Any, path: Path):
    def where(field_path: tuple[str, ...]) -> tuple[Path, int]:
        return path, document.position(field_path)[0]

    return where


def _require(condition: bool, where, field_path: tuple[str, ...], message: str) -> None:
    if not condition:
        path, line = where(field_path)
        raise InputError(message, path, line)


def _optional_str(mapping: dict, key: str, where, parent: tuple[str, ...] = ("gitops",)) -> str | None:
    value = mapping.get(key)
    if value is None:
        return None
    dotted = ".".join((*parent, key))
    _require(isinstance(value, str) and value.strip() != "", where, (*parent, key), f"{dotted} must be a non-empty string")
    return value.strip()


def _layout_dir(layout: dict, key: str, where) -> str:
    value = _optional_str(layout, key, where, ("gitops", "layout")) or getattr(Layout, key)
    pure = PurePosixPath(value)
    ok = not pure.is_absolute() and ".." not in pure.parts and not value.startswith(".gitopsgen") and value != "."
    _require(ok, where, ("gitops", "layout", key), f"gitops.layout.{key} must be a relative folder inside the GitOps repo")
    return str(pure)


def _forge(raw: Any, where) -> Forge | None:
    if raw is None:
        return None
    parent = ("gitops", "forge")
    _require(isinstance(raw, dict), where, parent, "gitops.forge must be a mapping {type, url, project, tokenEnv}")
    kind = raw.get("type")
    _require(kind in FORGE_TYPES, where, (*parent, "type"), f"gitops.forge.type must be one of {', '.join(FORGE_TYPES)}")
    url = _optional_str(raw, "url", where, parent)
    _require(bool(url) and url.startswith(("http://", "https://")), where, (*parent, "url"),
             "gitops.forge.url must be the forge's http(s) API address, e.g. https://api.github.com")
    project = _optional_str(raw, "project", where, parent)
    _require(bool(project) and bool(_PROJECT.match(project)), where, (*parent, "project"),
             "gitops.forge.project must name the GitOps repository as owner/repo")
    token_env = _optional_str(raw, "tokenEnv", where, parent) or "GITOPS_TOKEN"
    _require(bool(_TOKEN_ENV.match(token_env)), where, (*parent, "tokenEnv"),
             "gitops.forge.tokenEnv must be the NAME of an environment variable, not the token itself")
    return Forge(type=kind, url=url.rstrip("/"), project=project, token_env=token_env)
