"""``gitopsgen init`` and ``gitopsgen new``: a new project, a new app, from jinja2 templates.

The templates (``*.j2`` beside this module) hold the YAML's shape; this module decides what
goes in: the environments and their defaults, the forge a repository URL implies, the image
a blueprint runs. Nothing is overwritten: a file that exists stops the run before anything
is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from generator import __version__
from generator.errors import InputError
from generator.load import is_dns_label

DEFAULT_IMAGE = "nginxinc/nginx-unprivileged:1.27"  # listens on 8080 as a non-root user
DEFAULT_PORT = 8080
DEFAULT_TOKEN_ENV = "GITOPS_TOKEN"
# forge type -> API base for the public instance
PUBLIC_FORGES = {"github.com": ("github", "https://api.github.com"), "gitlab.com": ("gitlab", "https://gitlab.com")}
IMAGE = re.compile(
    r"^(?P<repository>[a-z0-9]+(?:[._/:-][a-z0-9]+)*?)(?::(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?"
    r"(?:@(?P<digest>sha256:[a-f0-9]{64}))?$"
)


@dataclass(frozen=True)
class Forge:
    """The ``gitops.forge`` settings of a new project, as given or implied by a github.com/gitlab.com repository URL."""

    type: str
    url: str
    project: str
    token_env: str = DEFAULT_TOKEN_ENV


@dataclass(frozen=True)
class Environment:
    """One environment of a new project: what its ``overlays/<env>.yaml`` template fills in."""

    name: str
    title: str
    about: str
    order: int
    domain: str
    publish: str
    defaults: list[str] = field(default_factory=list)
    target_revision: str = ""
    target_revision_comment: str = ""


ENVIRONMENTS = [
    Environment(
        "dev",
        "Development",
        "one replica per app, changes committed directly.",
        10,
        "dev.example.com",
        "direct",
        ["replicas: 1", "autoscaling: {enabled: false}", "podDisruptionBudget: {enabled: false}"],
    ),
    Environment("staging", "Staging", "production-like, changes committed directly.", 20, "staging.example.com", "direct", ["replicas: 2"]),
    Environment(
        "prod",
        "Production",
        "changes arrive as pull requests a human approves; pods spread over zones.",
        30,
        "example.com",
        "pull-request",
        ["replicas: 3", "topologySpread:", "  - {topologyKey: topology.kubernetes.io/zone, maxSkew: 1, whenUnsatisfiable: ScheduleAnyway}"],
    ),
]


@dataclass(frozen=True)
class Image:
    """An image reference as ``--image`` gave it: repository, and tag, digest or both."""

    repository: str
    tag: str = ""
    digest: str = ""


def parse_image(text: str) -> Image:
    """``repo[:tag][@sha256:…]``; an image without tag or digest is refused (nothing silently becomes :latest)."""
    match = IMAGE.match(text)
    if not match:
        raise InputError(f"--image {text!r} is not an image reference like registry/repo:tag or repo@sha256:<64 hex>")
    if not match["tag"] and not match["digest"]:
        raise InputError(f"--image {text!r} has no tag or digest; add one (:1.2.3 or @sha256:…), or :latest on purpose")
    return Image(match["repository"], match["tag"] or "", match["digest"] or "")


def forge_for(repo_url: str | None, forge_type: str | None, forge_url: str | None, project: str | None, token_env: str) -> Forge | None:
    """The forge settings: as given, else what a github.com/gitlab.com URL implies, else none."""
    parsed = urlparse(repo_url or "")
    host = parsed.hostname or ""
    path = parsed.path.strip("/").removesuffix(".git")
    if forge_type is None and host in PUBLIC_FORGES:
        forge_type = PUBLIC_FORGES[host][0]
    if forge_type is None:
        if forge_url or project:
            raise InputError("--forge-url and --forge-project need --forge github|gitlab|gitea")
        return None
    if forge_url is None:
        if host in PUBLIC_FORGES and PUBLIC_FORGES[host][0] == forge_type:
            forge_url = PUBLIC_FORGES[host][1]
        elif forge_type == "github" and host:
            forge_url = f"{parsed.scheme or 'https'}://{host}/api/v3"
        elif host:
            forge_url = f"{parsed.scheme or 'https'}://{host}"
        else:
            raise InputError(f"--forge {forge_type} needs --forge-url (or a --repo URL on the forge)")
    project = project or path
    if not project:
        raise InputError(f"--forge {forge_type} needs --forge-project <org>/<repo> (or a --repo URL naming it)")
    return Forge(forge_type, forge_url, project, token_env)


def _templates() -> Any:
    from jinja2 import Environment as Jinja
    from jinja2 import PackageLoader, StrictUndefined

    return Jinja(loader=PackageLoader("generator.scaffold", "."), undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)


def render_template(template: str, **values: Any) -> str:
    return _templates().get_template(template).render(**values)


def project_files(repo_url: str | None, forge: Forge | None, branch: str, app: str, image: Image, port: int, team: str, owner: str) -> dict[str, str]:
    """Every file of a new project (path relative to the project root -> text)."""
    files = {
        "gitopsgen.yaml": render_template("gitopsgen.yaml.j2", repo_url=repo_url, forge=forge, branch=branch),
        "policies/config.yaml": render_template("lint-config.yaml.j2"),
        ".pre-commit-config.yaml": render_template("pre-commit-config.yaml.j2"),
        ".github/workflows/gitops.yml": render_template(
            "workflow.yml.j2", branch=branch, version=__version__, token_env=forge.token_env if forge else DEFAULT_TOKEN_ENV
        ),
        f"blueprints/{app}.yaml": blueprint_text(app, image, port, team, owner),
    }
    for env in ENVIRONMENTS:
        files[f"overlays/{env.name}.yaml"] = render_template("overlay.yaml.j2", env=env)
    return files


def blueprint_text(app: str, image: Image, port: int, team: str, owner: str, health_path: str = "/") -> str:
    check_name(app, "app")
    check_name(team, "team")
    return render_template("blueprint.yaml.j2", name=app, image=image, port=port, team=team, owner=owner, health_path=health_path)


def check_name(name: str, what: str) -> None:
    if not is_dns_label(name, 53):
        raise InputError(f"{what} name {name!r} must be a DNS label (lower-case letters, digits, '-'; at most 53 characters)")


def write_new(root: Path, files: dict[str, str]) -> list[str]:
    """Write ``files`` under ``root``; refuse (before writing any) when one exists. The paths written."""
    existing = [path for path in files if (root / path).exists()]
    if existing:
        raise InputError(f"{existing[0]} already exists; gitopsgen never overwrites it (remove it or pick another folder)", root / existing[0])
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return list(files)
