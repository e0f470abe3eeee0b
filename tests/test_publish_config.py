"""The publish settings in gitopsgen.yaml and overlays/<env>.yaml: defaults and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import InputError
from generator.load import load_gitops_config, load_project
from generator.publish.config import Forge, Layout, PublishConfig, environment_modes, publish_config
from generator.publish.redact import redact


def write(root: Path, text: str) -> Path:
    (root / "gitopsgen.yaml").write_text(text)
    return root


def load_config(root: Path) -> PublishConfig:
    """gitopsgen.yaml is read by generator.load only; publish interprets what it loaded."""
    return publish_config(load_gitops_config(root))


def project_with_envs(root: Path, envs: dict[str, str]) -> Path:
    (root / "blueprints").mkdir()
    (root / "blueprints" / "api.yaml").write_text("image: {repository: example/api, tag: v1}\n")
    (root / "overlays").mkdir()
    for name, text in envs.items():
        (root / "overlays" / f"{name}.yaml").write_text(text)
    return root


def test_defaults_without_a_config_file(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert (config.repo_url, config.branch, config.layout, config.forge) == (None, "main", Layout(), None)


def test_an_unset_repo_url_is_none_for_publish_but_a_placeholder_for_the_renderer(tmp_path: Path) -> None:
    project = load_project(project_with_envs(write(tmp_path, "gitops:\n  branch: main\n"), {"dev": "order: 1\n"}))

    assert publish_config(project.gitops_config).repo_url is None
    assert project.gitops["repoURL"] == "https://git.example.com/platform/gitops.git"


def test_layout_folders_lose_trailing_slashes_for_everyone(tmp_path: Path) -> None:
    root = project_with_envs(write(tmp_path, "gitops:\n  layout: {apps: clusters/apps/, argocd: clusters/argocd//}\n"),
                             {"dev": "order: 1\n"})

    assert load_config(root).layout == Layout("clusters/apps", "clusters/argocd")
    assert load_project(root).gitops["layout"] == {"apps": "clusters/apps", "argocd": "clusters/argocd"}


def test_full_section(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, """\
gitops:
  repoURL: https://git.example.com/platform/gitops.git
  branch: release
  layout: {apps: clusters/apps, argocd: clusters/argocd}
  forge: {type: gitlab, url: https://gitlab.example.com/, project: platform/deploy/gitops, tokenEnv: GL_TOKEN}
  author: {name: release-bot, email: release-bot@example.com}
"""))
    assert config.branch == "release" and config.layout == Layout("clusters/apps", "clusters/argocd")
    assert config.forge == Forge("gitlab", "https://gitlab.example.com", "platform/deploy/gitops", "GL_TOKEN")
    assert (config.author.name, config.author.email) == ("release-bot", "release-bot@example.com")


@pytest.mark.parametrize(
    ("section", "line", "message"),
    [
        ("  forge: {type: bitbucket, url: https://x, project: a/b}\n", 3, "gitops.forge.type must be one of"),
        ("  forge:\n    type: github\n    url: api.github.com\n    project: a/b\n", 5, "gitops.forge.url must be"),
        ("  forge: {type: gitea, url: https://gitea, project: gitops}\n", 3, "gitops.forge.project must name"),
        ("  forge: {type: github, url: https://x, project: a/b, tokenEnv: ghp_abc-123}\n", 3, "NAME of an environment"),
        ("  layout: {apps: ../elsewhere}\n", 3, "gitops.layout.apps must be a relative folder"),
        ("  layout:\n    apps: apps\n    argocd: /srv/argocd\n", 5, "gitops.layout.argocd must be a relative folder"),
        ("  layout: {apps: .gitopsgen/apps}\n", 3, "gitops.layout.apps must be a relative folder"),
        ("  layout: {apps: gitops, argocd: gitops}\n", 3, "must be different folders"),
        ("  layout: {apps: gitops, argocd: gitops/argocd}\n", 3, "neither inside the other"),
        ("  branch: 7\n", 3, "gitops.branch must be a non-empty string"),
    ],
)
def test_bad_settings_name_the_line(tmp_path: Path, section: str, line: int, message: str) -> None:
    write(tmp_path, "# settings\ngitops:\n" + section)
    with pytest.raises(InputError) as raised:
        load_config(tmp_path)
    assert message in raised.value.message and raised.value.line == line
    assert str(raised.value).startswith(f"gitopsgen.yaml:{line}: ")


def test_environment_modes_come_from_the_loaded_overlays(tmp_path: Path) -> None:
    root = project_with_envs(tmp_path, {"dev": "publish: direct\n", "prod": "# prod\npublish: pull-request\n",
                                        "qa": "order: 15\n"})  # qa: the schema's default applies

    assert environment_modes(load_project(root)) == {"dev": "direct", "prod": "pull-request", "qa": "pull-request"}

    (tmp_path / "overlays" / "qa.yaml").write_text("order: 15\npublish: manual\n")
    with pytest.raises(InputError, match='publish: "manual" is not one of direct, pull-request') as raised:
        load_project(root)
    assert (raised.value.path, raised.value.line) == ("overlays/qa.yaml", 2)


def test_redaction_of_tokens_and_url_credentials() -> None:
    text = "push to https://oauth2:glpat-xyz@gitlab.example.com/p.git failed; token glpat-xyz rejected"
    assert redact(text, ("glpat-xyz",)) == "push to https://***@gitlab.example.com/p.git failed; token *** rejected"


def test_reserved_environment_names_are_refused(tmp_path: Path) -> None:
    root = project_with_envs(tmp_path, {"shared": "publish: direct\n"})
    with pytest.raises(InputError, match="not shared or argocd; rename overlays/shared.yaml"):
        environment_modes(load_project(root))
