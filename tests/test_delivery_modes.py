"""`check` in every delivery mode, and ApplicationSets published for real then expanded from a clone."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hydrate_support import objects_of, set_env, set_gitops
from support.forge_double import ForgeDouble
from test_publish import make_remote
from test_publish_cli import TOKEN, commit_all, run

from generator.cli import cli

MODES = {
    "hydrated": ({"delivery": "hydrated"}, {}),
    "source-hydrator": ({"delivery": "source-hydrator"}, {}),
    "appsets-per-environment": ({"applications": "per-environment"}, {}),
    "hydrated-appsets-per-team": ({"delivery": "hydrated", "applications": "per-team"}, {}),
    "hydrated-prod-only": ({}, {"prod": {"delivery": "hydrated"}}),
}


@pytest.mark.parametrize("mode", sorted(MODES))
def test_render_then_check_passes_in_every_mode(example_project: Path, mode: str) -> None:
    gitops, envs = MODES[mode]
    set_gitops(example_project, **gitops)
    for env, settings in envs.items():
        set_env(example_project, env, **settings)
    assert CliRunner().invoke(cli, ["render", "-C", str(example_project)]).exit_code == 0
    result = CliRunner().invoke(cli, ["check", "-C", str(example_project), "--summary"])
    assert result.exit_code == 0, result.output


def test_prod_tracking_an_environment_branch_is_flagged_until_the_branch_is_trusted(example_project: Path) -> None:
    set_gitops(example_project, delivery="hydrated", hydrated={"to": "branch"})
    assert CliRunner().invoke(cli, ["render", "-C", str(example_project)]).exit_code == 0
    flagged = CliRunner().invoke(cli, ["check", "-C", str(example_project)])
    assert flagged.exit_code == 1
    assert 'targetRevision "environments/prod" floats' in flagged.output and "[argocd-pinned-revision-prod]" in flagged.output
    config_path = example_project / "policies" / "config.yaml"
    config = yaml.safe_load(config_path.read_text())
    config["parameters"]["argocd-pinned-revision-prod"] = {"pinned_patterns": ["^v?[0-9]+\\.[0-9]+\\.[0-9]+$", "^environments/prod$"]}
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    trusted = CliRunner().invoke(cli, ["check", "-C", str(example_project)])
    assert trusted.exit_code == 0, trusted.output


def test_published_application_sets_expand_from_a_clone_to_the_per_app_applications(example_project: Path, tmp_path: Path) -> None:
    remote = make_remote(tmp_path)
    with ForgeDouble("github", TOKEN, "platform/gitops") as forge:
        config = example_project / "gitopsgen.yaml"
        config.write_text(config.read_text().replace("https://git.example.com/platform/gitops.git", str(remote))
                          .replace("url: https://api.github.com", f"url: {forge.url}\n    allowInsecureHttp: true  # the local forge double"))
        assert CliRunner().invoke(cli, ["render", "-C", str(example_project)]).exit_code == 0
        per_app = {}
        for path in (example_project / "rendered/argocd/dev").glob("app-*.yaml"):
            obj = yaml.safe_load(path.read_text())
            per_app[obj["metadata"]["name"]] = obj
        set_gitops(example_project, applications="per-environment")
        assert CliRunner().invoke(cli, ["render", "-C", str(example_project)]).exit_code == 0
        commit_all(example_project, "application sets")
        published = run(example_project, "--env", "dev")
        assert published.exit_code == 0, published.output
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(remote), str(clone)], check=True)
    assert (clone / "argocd/dev/apps/ai-engine.params").is_file()
    result = CliRunner().invoke(cli, ["preview-appset", str(clone / "argocd/dev/appset-apps-dev.yaml"), "--repo-dir", str(clone)])
    assert result.exit_code == 0, result.output
    expanded = {obj["metadata"]["name"]: obj for obj in objects_of(result.output)}
    kept = {name: obj for name, obj in per_app.items() if (clone / f"argocd/dev/app-{obj['metadata']['labels']['app.kubernetes.io/name']}.yaml").is_file()}
    assert set(kept) == {"user-service-dev"}
    assert {**expanded, **kept} == per_app
    validated = CliRunner().invoke(cli, ["validate", "--strict", "-"], input=result.output)
    assert validated.exit_code == 0, validated.output
