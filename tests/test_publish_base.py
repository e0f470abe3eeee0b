"""An app's base and mixed publish modes: what lands directly always builds with the real kustomize."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from support.forge_double import ForgeDouble
from test_publish import SOURCE, git, make_remote, make_request, remote_files

from generator.load import load_project
from generator.publish.config import Forge, environment_modes
from generator.publish.publisher import publish
from generator.render.project import Rendering, render_project

APP = "ai-prism-api"


def render(project: Path) -> Rendering:
    return render_project(load_project(project))


def effective(rendering: Rendering, app: str, env: str) -> dict[tuple[str, str], dict]:
    objects = next(s for s in rendering.sets if (s.app, s.env) == (app, env)).objects
    return {(obj["kind"], obj["metadata"]["name"]): obj for obj in objects}


def built(kubectl: str, checkout: Path, app: str, env: str) -> dict[tuple[str, str], dict]:
    """``kubectl kustomize`` of the app's overlay in a checkout of the GitOps repository."""
    result = subprocess.run([kubectl, "kustomize", str(checkout / "apps" / app / "overlays" / env)],
                            capture_output=True, text=True)
    assert result.returncode == 0, f"{app}/{env} does not build in the GitOps repository: {result.stderr}"
    return {(obj["kind"], obj["metadata"]["name"]): obj for obj in yaml.safe_load_all(result.stdout) if obj}


def checkout(remote: Path, workdir: Path) -> Path:
    """A clone of main, fresh from the remote."""
    if not workdir.exists():
        git("clone", "--quiet", str(remote), str(workdir))
    git("fetch", "--quiet", "origin", cwd=workdir)
    git("checkout", "--quiet", "-B", "main", "origin/main", cwd=workdir)
    return workdir


def merge(remote: Path, workdir: Path, branch: str) -> None:
    """Merge a pull request the way a forge does: a merge commit on main, pushed."""
    checkout(remote, workdir)
    git("merge", "--quiet", "--no-ff", "-m", f"Merge {branch}", f"origin/{branch}", cwd=workdir)
    git("push", "--quiet", "origin", "main", cwd=workdir)


def publish_render(remote: Path, project: Path, forge: ForgeDouble, commit: str):
    rendering = render(project)
    request = make_request(remote, rendering.files, modes=environment_modes(load_project(project)),
                           source=replace(SOURCE, commit=commit + "0" * 33),
                           forge=Forge("github", forge.url, "platform/gitops"), token="tok")
    return rendering, publish(request)


def kustomize_apps(rendering: Rendering) -> list[str]:
    return sorted({path.split("/")[0] for path in rendering.files if "/overlays/" in path})


@pytest.fixture
def published(example_project: Path, tmp_path: Path):
    """The examples published once (dev and staging direct, prod by pull request)."""
    remote = make_remote(tmp_path)
    with ForgeDouble("github", "tok", "platform/gitops") as forge:
        rendering, result = publish_render(remote, example_project, forge, "1111111")
        yield example_project, remote, forge, rendering, result


def test_first_publish_every_direct_overlay_builds_in_the_gitops_repo(published, kubectl: str, tmp_path: Path) -> None:
    project, remote, _, rendering, result = published
    modes = environment_modes(load_project(project))
    assert [step.branch for step in result.steps] == ["main", "gitopsgen/prod/1111111"]
    main = checkout(remote, tmp_path / "main")

    for app in kustomize_apps(rendering):
        assert (main / "apps" / app / "base" / "kustomization.yaml").is_file()  # a new base goes direct
        for env in (env for env, mode in modes.items() if mode == "direct"):
            assert built(kubectl, main, app, env) == effective(rendering, app, env)
    assert not (main / "apps" / APP / "overlays" / "prod").exists()


def test_a_changed_base_is_held_for_review_with_the_apps_direct_changes(published, kubectl: str,
                                                                       tmp_path: Path) -> None:
    project, remote, forge, before, _ = published
    merge(remote, tmp_path / "merger", "gitopsgen/prod/1111111")
    blueprint = project / "blueprints" / f"{APP}.yaml"
    blueprint.write_text(blueprint.read_text().replace("    cpu: 500m\n", "    cpu: 750m\n", 1))

    after, result = publish_render(remote, project, forge, "2222222")

    assert all(effective(before, APP, env) != effective(after, APP, env) for env in ("dev", "staging", "prod"))
    assert [step.branch for step in result.steps] == ["gitopsgen/prod/2222222"]  # nothing else changed
    main = checkout(remote, tmp_path / "main")
    for env in ("dev", "staging"):  # still the old base with the old overlay, and it builds
        assert built(kubectl, main, APP, env) == effective(before, APP, env)
    review = remote_files(remote, "gitopsgen/prod/2222222")
    assert review[f"apps/{APP}/base/deployment.yaml"] == after.files[f"{APP}/base/deployment.yaml"]
    body = forge.state.pulls[-1]["body"]
    assert f"> Base changed: held for review with this pull request: {APP}; their dev, staging changes go with it" in body
    assert "### dev" in body and "### staging" in body and "### prod" in body
    message = git(f"--git-dir={remote}", "log", "-1", "--format=%B", "gitopsgen/prod/2222222")
    assert f"Note: base changed: held for review with this pull request: {APP}" in message

    merge(remote, tmp_path / "merger", "gitopsgen/prod/2222222")

    main = checkout(remote, tmp_path / "main")
    for env in ("dev", "staging", "prod"):
        assert built(kubectl, main, APP, env) == effective(after, APP, env)
