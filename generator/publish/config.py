"""Publish settings: the forge and author of the ``gitops:`` section, and each environment's ``publish:`` mode.

The files are read once, by :mod:`generator.load`; this module only interprets what it loaded.

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
from typing import TYPE_CHECKING, Any, Literal

from generator.errors import InputError

if TYPE_CHECKING:
    from generator.load import GitopsConfig, Project

FORGE_TYPES = ("github", "gitlab", "gitea")
PUBLISH_MODES = ("direct", "pull-request")
Mode = Literal["direct", "pull-request"]
RESERVED_ENVS = ("shared", "argocd")  # names of publish scopes and of the Argo CD folder
_ENV_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")
_PROJECT = re.compile(r"^[\w.-]+(/[\w.-]+)+$")
_TOKEN_ENV = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Forge:
    """The ``gitops.forge`` settings: the forge pull requests are opened on, the repository there, and the variable holding the token."""

    type: Literal["github", "gitlab", "gitea"]
    url: str  # API base for GitHub (https://api.github.com), instance URL for GitLab and Gitea
    project: str  # owner/repo (GitLab: group/subgroup/project)
    token_env: str = "GITOPS_TOKEN"


@dataclass(frozen=True)
class Author:
    """The ``gitops.author`` identity publish commits as."""

    name: str = "gitopsgen"
    email: str = "gitopsgen@localhost"


@dataclass(frozen=True)
class Layout:
    """The ``gitops.layout`` folders of the GitOps repository: one for the apps' files, one for the Argo CD objects."""

    apps: str = "apps"
    argocd: str = "argocd"


@dataclass(frozen=True)
class PublishConfig:
    """The publish settings of the ``gitops:`` section, checked; ``repo_url`` is None while repoURL is a placeholder."""

    repo_url: str | None = None
    branch: str = "main"
    layout: Layout = field(default_factory=Layout)
    forge: Forge | None = None
    author: Author = field(default_factory=Author)


def publish_config(gitops: GitopsConfig) -> PublishConfig:
    """Publish settings from the ``gitops:`` section :func:`generator.load.load_gitops_config` read.

    repoURL, branch and layout were checked there; the forge and author are checked here.
    """
    section = gitops.settings
    where = _locator(gitops)
    author = section.get("author") or {}
    _require(isinstance(author, dict), where, ("author",), "gitops.author must be a mapping {name, email}")
    return PublishConfig(
        repo_url=None if "repoURL" in gitops.defaulted else section["repoURL"].strip(),
        branch=section["branch"].strip(),
        layout=Layout(apps=section["layout"]["apps"], argocd=section["layout"]["argocd"]),
        forge=_forge(section.get("forge"), where),
        author=Author(
            name=_optional_str(author, "name", where, ("gitops", "author")) or Author.name,
            email=_optional_str(author, "email", where, ("gitops", "author")) or Author.email,
        ),
    )


def environment_modes(project: Project) -> dict[str, Mode]:
    """``{env: publish mode}`` from the loaded ``overlays/<env>.yaml``; without ``publish:``, the schema's default."""
    default = _schema_default_mode()
    modes: dict[str, Mode] = {}
    for name, environment in project.environments.items():
        if not _ENV_NAME.match(name) or name in RESERVED_ENVS:
            raise InputError(
                f"environment names must be lower-case letters, digits and dashes, and not {' or '.join(RESERVED_ENVS)}; rename {environment.source.path}",
                environment.source.path,
                1,
            )
        modes[name] = environment.spec.get("publish", default)  # the environment schema allows only PUBLISH_MODES
    return dict(sorted(modes.items()))


def _schema_default_mode() -> Mode:
    import json

    from generator.schema import SCHEMAS

    schema = json.loads((SCHEMAS / "environment.schema.json").read_text())
    return schema["properties"]["publish"].get("default", "pull-request")


def _locator(gitops: GitopsConfig):
    def where(field_path: tuple[str, ...]) -> tuple[str, int]:
        inside = field_path[1:] if field_path[:1] == ("gitops",) else field_path
        return gitops.path, gitops.line_of(inside)

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


def _forge(raw: Any, where) -> Forge | None:
    if raw is None:
        return None
    parent = ("gitops", "forge")
    _require(isinstance(raw, dict), where, parent, "gitops.forge must be a mapping {type, url, project, tokenEnv}")
    kind = raw.get("type")
    _require(kind in FORGE_TYPES, where, (*parent, "type"), f"gitops.forge.type must be one of {', '.join(FORGE_TYPES)}")
    url = _optional_str(raw, "url", where, parent) or ""
    _require(
        bool(url) and url.startswith(("http://", "https://")),
        where,
        (*parent, "url"),
        "gitops.forge.url must be the forge's http(s) API address, e.g. https://api.github.com",
    )
    insecure = raw.get("allowInsecureHttp", False)
    _require(isinstance(insecure, bool), where, (*parent, "allowInsecureHttp"), "gitops.forge.allowInsecureHttp must be true or false")
    _require(
        url.startswith("https://") or insecure,
        where,
        (*parent, "url"),
        "gitops.forge.url uses plain http://, which would send the forge token unencrypted; use https:// "
        "(or set gitops.forge.allowInsecureHttp: true for a forge on a trusted local network)",
    )
    from generator.load import url_has_credentials

    _require(
        not url_has_credentials(url),
        where,
        (*parent, "url"),
        "gitops.forge.url must not hold credentials (user:token@); name the token's variable in gitops.forge.tokenEnv",
    )
    project = _optional_str(raw, "project", where, parent) or ""
    _require(bool(project) and bool(_PROJECT.match(project)), where, (*parent, "project"), "gitops.forge.project must name the GitOps repository as owner/repo")
    token_env = _optional_str(raw, "tokenEnv", where, parent) or "GITOPS_TOKEN"
    _require(
        bool(_TOKEN_ENV.match(token_env)),
        where,
        (*parent, "tokenEnv"),
        "gitops.forge.tokenEnv must be the NAME of an environment variable, not the token itself",
    )
    return Forge(type=kind, url=url.rstrip("/"), project=project, token_env=token_env)
