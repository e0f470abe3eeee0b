"""`publish` and `diff` with hydrated delivery: real git, a bare GitOps repository and a GitHub double."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from hydrate_support import set_gitops
from support.forge_double import ForgeDouble
from test_publish import branches, git, make_remote, remote_files
from test_publish_cli import TOKEN, commit_all, run

from generator.cli import cli


def hydrated_estate(project: Path, tmp_path: Path, forge: ForgeDouble, **hydrated: str) -> Path:
    remote = make_remote(tmp_path)
    config = project / "gitopsgen.yaml"
    config.write_text(config.read_text().replace("https://git.example.com/platform/gitops.git", str(remote))
                      .replace("url: https://api.github.com", f"url: {forge.url}\n    allowInsecureHttp: true  # the local forge double"))
    set_gitops(project, delivery="hydrated", **({"hydrated": hydrated} if hydrated else {}))
    assert CliRunner().invoke(cli, ["render", "-C", str(project)]).exit_code == 0
    commit_all(project, "examples, hydrated")
    return remote


@pytest.fixture
def forge():
    with ForgeDouble("github", TOKEN, "platform/gitops") as double:
        yield double


def trailers(remote: Path, ref: str) -> dict[str, str]:
    """The trailers of a commit as git itself parses them."""
    message = git(f"--git-dir={remote}", "log", "-1", "--format=%B", ref)
    parsed = subprocess.run(["git", "interpret-trailers", "--parse"], input=message, capture_output=True, text=True, check=True)
    return dict(line.split(": ", 1) for line in parsed.stdout.splitlines())


def test_folder_mode_publishes_one_commit_per_environment_with_metadata_and_trailers(example_project: Path, tmp_path: Path,
                                                                                     forge: ForgeDouble) -> None:
    remote = hydrated_estate(example_project, tmp_path, forge)
    sha = git("rev-parse", "HEAD", cwd=example_project).strip()

    result = run(example_project)

    assert result.exit_code == 0, result.output
    main = remote_files(remote)
    folder = "apps/ai-engine/hydrated/staging"
    assert {f"{folder}/manifest.yaml", f"{folder}/hydrator.metadata", f"{folder}/README.md"} <= set(main)
    assert not any("/overlays/" in path or "/base/" in path for path in main)
    metadata = json.loads(main[f"{folder}/hydrator.metadata"])
    assert metadata["drySha"] == sha and metadata["commands"] == ["gitopsgen render --env staging --only ai-engine"]
    assert f"git checkout {sha}" in main[f"{folder}/README.md"]
    # dev and staging are direct: one commit each, dev first; prod is a pull request of its own
    subjects = git(f"--git-dir={remote}", "log", "--format=%s", "main").splitlines()
    assert subjects[0].startswith("gitopsgen: publish staging") and subjects[1].startswith("gitopsgen: publish dev")
    for ref in ("main", "main~1"):
        found = trailers(remote, ref)
        assert found["Argocd-reference-commit-sha"] == sha
        assert found["Argocd-reference-commit-subject"] == "examples, hydrated"
        assert found["Argocd-reference-commit-body"] == '""'
    prod = remote_files(remote, f"gitopsgen/prod/{sha[:7]}")
    assert "apps/ai-engine/hydrated/prod/manifest.yaml" in prod and forge.state.pulls[0]["base"] == "main"


def test_publishing_again_from_a_later_commit_with_the_same_render_changes_nothing(example_project: Path, tmp_path: Path,
                                                                                   forge: ForgeDouble) -> None:
    remote = hydrated_estate(example_project, tmp_path, forge)
    assert run(example_project).exit_code == 0
    tip = git(f"--git-dir={remote}", "rev-parse", "main").strip()
    (example_project / "NOTES.md").write_text("nothing that renders\n")
    commit_all(example_project, "unrelated change")

    again = run(example_project, "--env", "dev", "--env", "staging")

    assert again.exit_code == 0, again.output
    assert "nothing to publish" in again.output
    assert git(f"--git-dir={remote}", "rev-parse", "main").strip() == tip


def test_an_image_bump_is_one_commit_of_that_environments_folder(example_project: Path, tmp_path: Path, forge: ForgeDouble) -> None:
    remote = hydrated_estate(example_project, tmp_path, forge)
    assert run(example_project).exit_code == 0
    assert CliRunner().invoke(cli, ["set-image", "ai-prism-api", "v2.1.1", "--env", "staging", "-C", str(example_project)]).exit_code == 0
    sha = commit_all(example_project, "bump ai-prism-api in staging\n\nRelease notes: faster.")

    result = run(example_project, "--env", "staging")

    assert result.exit_code == 0, result.output
    changed = git(f"--git-dir={remote}", "diff", "--name-only", "main~1", "main").split()
    changed = [path for path in changed if not path.startswith(".gitopsgen/sources/")]  # the source record moves along
    assert changed == [f"apps/ai-prism-api/hydrated/staging/{name}" for name in ("README.md", "hydrator.metadata", "manifest.yaml")]
    message = git(f"--git-dir={remote}", "log", "-1", "--format=%B", "main")
    assert "changed Deployment ai-prism-staging/ai-prism-api: spec.template.spec.containers[name=ai-prism-api].image" in message
    assert trailers(remote, "main")["Argocd-reference-commit-sha"] == sha
    assert trailers(remote, "main")["Argocd-reference-commit-body"] == '"Release notes: faster."'


def test_diff_reads_hydrated_folders_object_by_object(example_project: Path, tmp_path: Path, forge: ForgeDouble) -> None:
    hydrated_estate(example_project, tmp_path, forge)
    assert run(example_project, "--env", "dev").exit_code == 0
    same = CliRunner().invoke(cli, ["diff", "-C", str(example_project), "--env", "dev"])
    assert same.exit_code == 0 and "no changes" in same.output
    assert CliRunner().invoke(cli, ["set-image", "ai-engine", "v9.9.9", "--env", "dev", "-C", str(example_project)]).exit_code == 0

    changed = CliRunner().invoke(cli, ["diff", "-C", str(example_project), "--env", "dev"])

    assert changed.exit_code == 1
    assert "Deployment atlas-financial-dev/ai-engine" in changed.output and "v9.9.9" in changed.output


def test_switching_to_hydrated_changes_what_argo_cd_reads_but_no_deployed_object(example_project: Path) -> None:
    commit_all(example_project, "kustomize layout")
    set_gitops(example_project, delivery="hydrated")
    assert CliRunner().invoke(cli, ["render", "-C", str(example_project)]).exit_code == 0

    result = CliRunner().invoke(cli, ["diff", "-C", str(example_project), "--against-ref", "HEAD"])

    assert result.exit_code == 1
    headings = [line for line in result.output.splitlines() if line and not line.startswith(" ")]
    assert headings and all(line.startswith("Argo CD objects / ") for line in headings), result.output
    assert "spec.source.path" in result.output


def trust_environment_branches(project: Path) -> None:
    """Prod Applications track environments/prod: a protected branch only reviewed pull requests reach."""
    import yaml

    path = project / "policies" / "config.yaml"
    config = yaml.safe_load(path.read_text())
    config["parameters"]["argocd-pinned-revision-prod"] = {"pinned_patterns": [
        "^[0-9a-f]{7,40}$", "^v?[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.+-]+)?$", "^environments/prod$"]}
    path.write_text(yaml.safe_dump(config, sort_keys=False))


def test_branch_mode_publishes_each_environment_to_its_branch(example_project: Path, tmp_path: Path, forge: ForgeDouble) -> None:
    trust_environment_branches(example_project)
    remote = hydrated_estate(example_project, tmp_path, forge, to="branch")
    sha = git("rev-parse", "HEAD", cwd=example_project).strip()

    result = run(example_project)

    assert result.exit_code == 0, result.output
    main = remote_files(remote)
    assert "argocd/dev/app-ai-engine.yaml" in main and not any("/hydrated/" in path for path in main)
    assert "apps/user-service/helm/values-dev.yaml" in main  # a chart repository: Helm-delivered, on main
    dev = remote_files(remote, "environments/dev")
    assert {"apps/ai-engine/hydrated/dev/manifest.yaml", "apps/ai-engine/hydrated/dev/hydrator.metadata"} <= set(dev)
    assert not any("/staging/" in path for path in dev)
    assert trailers(remote, "environments/staging")["Argocd-reference-commit-sha"] == sha
    # prod is reviewed: its branch is created empty and the pull request targets it
    assert "environments/prod" in branches(remote)
    assert [(p["head"], p["base"]) for p in forge.state.pulls] == [
        (f"gitopsgen/prod/{sha[:7]}", "main"), (f"gitopsgen-hydrated/prod/{sha[:7]}", "environments/prod")]
    assert "apps/ai-engine/hydrated/prod/manifest.yaml" in remote_files(remote, f"gitopsgen-hydrated/prod/{sha[:7]}")
    assert "argocd/prod/app-ai-engine.yaml" in remote_files(remote, f"gitopsgen/prod/{sha[:7]}")
    assert CliRunner().invoke(cli, ["diff", "-C", str(example_project), "--env", "staging"]).exit_code == 0


def test_branch_mode_publish_only_a_helm_delivered_app_leaves_the_environment_branches_alone(
        example_project: Path, tmp_path: Path, forge: ForgeDouble) -> None:
    trust_environment_branches(example_project)
    remote = hydrated_estate(example_project, tmp_path, forge, to="branch")
    assert run(example_project, "--env", "dev").exit_code == 0
    before = {ref: remote_files(remote, ref) for ref in ("main", "environments/dev")}
    for app in ("user-service", "ai-engine"):
        bump = CliRunner().invoke(cli, ["set-image", app, "v9.9.9", "--env", "dev", "-C", str(example_project)])
        assert bump.exit_code == 0, bump.output
    commit_all(example_project, "bump user-service and ai-engine in dev")

    result = run(example_project, "--env", "dev", "--only", "user-service")

    assert result.exit_code == 0, result.output
    after = {ref: remote_files(remote, ref) for ref in before}
    assert after["environments/dev"] == before["environments/dev"]  # ai-engine's hydrated folder waits
    changed = sorted(path for path in set(before["main"]) | set(after["main"]) if before["main"].get(path) != after["main"].get(path))
    assert changed == [".gitopsgen/sources/dev.json", "apps/user-service/helm/values-dev.yaml"]


def test_an_environment_branch_that_moves_meanwhile_is_retried_without_losing_the_other_commit(example_project: Path,
                                                                                               tmp_path: Path) -> None:
    from test_publish import log, make_request, push_commit

    from generator.delivery import Delivery
    from generator.publish.hydrated import publish_hydrated
    from generator.publish.layout import read_rendered_dir
    from generator.publish.sources import source_of

    set_gitops(example_project, delivery="hydrated", hydrated={"to": "branch"})
    assert CliRunner().invoke(cli, ["render", "-C", str(example_project)]).exit_code == 0
    commit_all(example_project, "hydrated, on environment branches")
    remote = make_remote(tmp_path)
    moved: list[str] = []

    def someone_pushes_first(branch: str) -> None:
        if branch == "environments/dev" and not moved:
            moved.append(push_commit(remote, tmp_path / "other", {"notes/dev.md": "frozen until 10:00\n"}, "note", "environments/dev"))

    request = make_request(remote, read_rendered_dir(example_project / "rendered"), envs=["dev"],
                           before_push=someone_pushes_first, source=source_of(example_project))
    result = publish_hydrated(request, Delivery("hydrated", hydrate_to="branch"), example_project)

    ours = [step.commit for step in result.steps if step.branch == "environments/dev"]
    history = [line.split(" ")[0] for line in log(remote, "environments/dev")]
    assert history[:2] == [ours[0], moved[0]]  # ours re-applied on top of theirs
    files = remote_files(remote, "environments/dev")
    assert files["notes/dev.md"] == "frozen until 10:00\n" and "apps/ai-engine/hydrated/dev/manifest.yaml" in files
    assert ".gitopsgen/owned/dev.json" in files and "notes/dev.md" not in files[".gitopsgen/owned/dev.json"]
