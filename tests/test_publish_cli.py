"""`gitopsgen publish` end to end: the example project, a bare GitOps repo and a GitHub double."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.forge_double import ForgeDouble
from test_publish import branches, git, log, make_remote, remote_files

from generator.cli import cli

TOKEN = "ghp_cli_test_token_42"


@pytest.fixture
def estate(example_project: Path, tmp_path: Path):
    """(project, remote, forge): the examples rendered and committed, publishing to a bare repo."""
    remote = make_remote(tmp_path)
    with ForgeDouble("github", TOKEN, "platform/gitops") as forge:
        config = example_project / "gitopsgen.yaml"
        text = config.read_text()
        text = text.replace("https://git.example.com/platform/gitops.git", str(remote))
        text = text.replace("url: https://api.github.com", f"url: {forge.url}\n    allowInsecureHttp: true  # the local forge double")
        config.write_text(text)
        assert CliRunner().invoke(cli, ["render", "-C", str(example_project)]).exit_code == 0
        commit_all(example_project, "examples")
        yield example_project, remote, forge


def commit_all(project: Path, message: str) -> str:
    if not (project / ".git").exists():
        git("init", "--quiet", "--initial-branch=main", cwd=project)
    git("add", "-A", cwd=project)
    git("commit", "--quiet", "-m", message, cwd=project)
    return git("rev-parse", "HEAD", cwd=project).strip()


def run(project: Path, *args: str, token: str | None = TOKEN):
    env = {"GITOPS_TOKEN": token} if token else {"GITOPS_TOKEN": ""}
    return CliRunner().invoke(cli, ["publish", "-C", str(project), *args], env=env)


def test_examples_publish_directly_for_dev_and_staging_and_by_pull_request_for_prod(estate) -> None:
    project, remote, forge = estate
    short = git("rev-parse", "--short=7", "HEAD", cwd=project).strip()

    first = run(project)

    assert first.exit_code == 0, first.output
    main = remote_files(remote)
    assert "apps/ai-prism-api/overlays/staging/kustomization.yaml" in main and "argocd/dev/app-ai-prism-api.yaml" in main
    assert not [p for p in main if "/prod/" in p or p.endswith("values-prod.yaml")]
    assert "apps/ai-prism-api/base/kustomization.yaml" in main  # new: direct, so dev and staging build on main
    prod = remote_files(remote, f"gitopsgen/prod/{short}")
    assert "apps/ai-prism-api/overlays/prod/kustomization.yaml" in prod and "apps/ai-prism-api/base/kustomization.yaml" in prod
    assert "pull request #1 opened: https://github.example/platform/gitops/pull/1" in first.output
    assert forge.state.pulls[0]["head"] == f"gitopsgen/prod/{short}"
    assert TOKEN not in first.output

    second = run(project)

    assert second.exit_code == 0, second.output
    assert "no new commit" in second.output and "pull request #1 updated" in second.output
    assert len(forge.state.pulls) == 1


def test_image_bump_for_staging_is_one_direct_commit_of_one_file(estate) -> None:
    project, remote, _ = estate
    assert run(project).exit_code == 0
    before = git(f"--git-dir={remote}", "rev-parse", "main").strip()
    assert CliRunner().invoke(cli, ["set-image", "ai-prism-api", "v2.1.1", "--env", "staging",
                                    "-C", str(project)]).exit_code == 0
    sha = commit_all(project, "bump ai-prism-api in staging")

    result = run(project, "--env", "staging")

    assert result.exit_code == 0, result.output
    assert git(f"--git-dir={remote}", "rev-parse", "main~1").strip() == before
    changed = git(f"--git-dir={remote}", "diff", "--name-only", "main~1", "main").split()
    assert changed == [".gitopsgen/sources/staging.json", "apps/ai-prism-api/overlays/staging/kustomization.yaml"]
    record = json.loads(git(f"--git-dir={remote}", "show", "main:.gitopsgen/sources/staging.json"))
    assert record["ai-prism-api"] == sha  # which source commit produced what staging now runs
    message = git(f"--git-dir={remote}", "log", "-1", "--format=%B", "main")
    assert message.startswith(f"gitopsgen: publish staging (ai-prism-api) from {sha[:7]}")
    assert ("  staging: 1 changed\n    changed Deployment ai-prism-staging/ai-prism-api: "
            "spec.template.spec.containers[name=ai-prism-api].image\n") in message


def test_publish_only_one_app_leaves_the_other_apps_and_the_shared_argo_cd_files_as_they_are(estate) -> None:
    project, remote, _ = estate
    assert run(project).exit_code == 0
    before = remote_files(remote)
    for app in ("ai-prism-api", "market-data"):
        bump = CliRunner().invoke(cli, ["set-image", app, "v9.9.9", "--env", "staging", "-C", str(project)])
        assert bump.exit_code == 0, bump.output
    sha = commit_all(project, "bump two apps in staging")

    result = run(project, "--env", "staging", "--only", "market-data")

    assert result.exit_code == 0, result.output
    after = remote_files(remote)
    changed = sorted(path for path in set(before) | set(after) if before.get(path) != after.get(path))
    assert changed == [".gitopsgen/sources/staging.json", "apps/market-data/overlays/staging/kustomization.yaml"]
    records, earlier = (json.loads(files[".gitopsgen/sources/staging.json"]) for files in (after, before))
    assert records == {**earlier, "market-data": sha}
    assert ("note: --only market-data: left 1 other file(s) that differ from the render as they are "
            "(apps/ai-prism-api/overlays/staging/kustomization.yaml); publish without --only to bring them too") in result.output


def test_publish_only_is_gated_by_the_checks_of_the_selected_apps(estate) -> None:
    project, remote, _ = estate
    blueprint = project / "blueprints" / "market-data.yaml"
    blueprint.write_text(blueprint.read_text().replace("ports:\n", "env:\n  - {name: API_KEY, value: sk-live-0123456789abcdef}\nports:\n", 1))
    assert CliRunner().invoke(cli, ["render", "-C", str(project)]).exit_code == 0
    commit_all(project, "market-data: a key in plain text")

    assert run(project, "--only", "market-data").exit_code == 1
    result = run(project, "--only", "ai-prism-api", "--only", "web-frontend")

    assert result.exit_code == 0, result.output
    apps = {path.split("/")[1] for path in remote_files(remote) if path.startswith("apps/")}
    assert apps == {"ai-prism-api", "web-frontend"}


def test_refuses_to_publish_when_checks_fail_unless_forced(estate) -> None:
    project, remote, forge = estate
    overlay = project / "overlays" / "staging.yaml"
    overlay.write_text(overlay.read_text().replace("minReplicas: 5", "minReplicas: 6"))  # rendered/ now stale
    before = (log(remote), branches(remote))

    refused = run(project)

    assert refused.exit_code == 1
    assert "refusing to publish while `gitopsgen check` fails" in refused.output
    assert "[rendered-drift] rendered/ai-prism-api/overlays/staging/patch-hpa.yaml is out of date" in refused.output
    assert (log(remote), branches(remote)) == before and forge.state.requests == []

    forced = run(project, "--force")

    assert forced.exit_code == 0, forced.output
    assert "Published with --force" in git(f"--git-dir={remote}", "log", "-1", "--format=%B", "main")
    assert "Published with `--force`" in forge.state.pulls[0]["body"]


def test_an_error_level_policy_violation_blocks_publishing(estate) -> None:
    project, remote, forge = estate
    blueprint = project / "blueprints" / "market-data.yaml"
    leaked = "env:\n  - name: OPENAI_API_KEY\n    value: sk-live-0123456789abcdef0123456789abcdef\nports:\n"
    blueprint.write_text(blueprint.read_text().replace("ports:\n", leaked, 1))
    assert CliRunner().invoke(cli, ["render", "-C", str(project)]).exit_code == 0
    commit_all(project, "market-data: configure the OpenAI key (badly)")
    before = (log(remote), branches(remote))

    refused = run(project)

    assert refused.exit_code == 1
    assert "checks FAILED: 3 error(s)" in refused.output  # one per environment
    assert "blueprints/market-data.yaml:8: [plaintext-credentials]" in refused.output
    assert "sk-live-0123456789abcdef" not in refused.output
    assert (log(remote), branches(remote)) == before and forge.state.requests == []


def test_dry_run_prints_the_commits_and_pull_request_and_touches_nothing(estate) -> None:
    project, remote, forge = estate
    before = (log(remote), branches(remote))

    result = run(project, "--dry-run")

    assert result.exit_code == 0, result.output
    assert "would commit to main (dev, staging):" in result.output
    assert "would open or update a pull request gitopsgen/prod/" in result.output
    assert (log(remote), branches(remote)) == before and forge.state.requests == []
    document = run(project, "--dry-run", "-o", "json")
    import json

    steps = json.loads(document.output)["steps"]
    assert [step["environments"] for step in steps] == [["dev", "staging"], ["prod"]] and document.exit_code == 0
    assert (log(remote), branches(remote)) == before and forge.state.requests == []


def test_a_dry_run_runs_every_pre_flight_check_the_real_run_does(estate) -> None:
    """A missing token fails the dry run exactly as it fails the real one."""
    project, remote, forge = estate
    real, dry = run(project, token=None), run(project, "--dry-run", token=None)
    assert real.exit_code == dry.exit_code == 2
    assert real.output == dry.output and "GITOPS_TOKEN is not set" in dry.output
    (project / "gitopsgen.yaml").unlink()
    real, dry = run(project), run(project, "--dry-run")
    assert real.exit_code == dry.exit_code == 2 and real.output == dry.output
    assert dry.output.startswith("error: no gitopsgen.yaml: publishing needs gitops.repoURL")


@pytest.mark.parametrize(
    ("args", "token", "message"),
    [
        (["--env", "qa"], TOKEN, "error: unknown environment 'qa'; known: dev, prod, staging"),
        (["--only", "ai-prism-ap"], TOKEN, "error: unknown app 'ai-prism-ap' (did you mean 'ai-prism-api'?); known: "),
        (["--repo", "/nonexistent/gitops.git"], TOKEN, "error: cannot reach the GitOps repository /nonexistent/gitops.git: "
                                                       "'/nonexistent/gitops.git' does not appear to be a git repository\n"),
        ([], None, "error: environment variable GITOPS_TOKEN is not set"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_is_written(estate, args: list[str], token: str | None,
                                                             message: str) -> None:
    project, remote, forge = estate
    before = (log(remote), branches(remote), git("status", "--porcelain", cwd=project))

    result = run(project, *args, token=token)

    assert result.exit_code == 2
    assert result.output.startswith(message) and result.output.count("\n") == 1, result.output
    assert (log(remote), branches(remote), git("status", "--porcelain", cwd=project)) == before
    assert forge.state.requests == []


def test_token_in_the_repository_url_is_refused_without_being_shown(estate) -> None:
    project, _, _ = estate
    result = run(project, "--repo", f"http://x-access-token:{TOKEN}@127.0.0.1:9/gitops.git")

    assert result.exit_code == 2 and TOKEN not in result.output
    assert result.output == ("error: --repo must not hold credentials (user:token@); set gitops.forge.tokenEnv to the NAME "
                             "of the variable holding the token, or use git's credential helper\n")
    assert subprocess.run(["git", "--version"], capture_output=True).returncode == 0


def test_ci_workflow_runs_the_make_targets_a_person_runs() -> None:
    import yaml

    root = Path(__file__).resolve().parent.parent
    workflow = yaml.safe_load((root / ".github/workflows/gitops.yml").read_text())
    steps = {job: workflow["jobs"][job]["steps"] for job in ("check", "publish")}
    runs = {job: [step["run"] for step in job_steps if "run" in step] for job, job_steps in steps.items()}
    assert any(run.startswith("make --silent check CHECK_ARGS=\"--output sarif=gitopsgen.sarif") for run in runs["check"])
    assert any("gitopsgen diff" in run and "--output markdown" in run and "GITHUB_STEP_SUMMARY" in run for run in runs["check"])
    assert any(step.get("uses", "").startswith("github/codeql-action/upload-sarif@") for step in steps["check"])
    assert runs["publish"] == ["make publish"]
    dry = subprocess.run(["make", "-n", "publish", "PUBLISH_ARGS=--dry-run"], cwd=root, capture_output=True, text=True)
    assert dry.returncode == 0 and ".venv/bin/gitopsgen publish --dry-run" in dry.stdout


def test_diff_against_the_gitops_repo_shows_what_waits_for_review_until_it_is_merged(estate) -> None:
    project, remote, _ = estate
    assert run(project).exit_code == 0
    short = git("rev-parse", "--short=7", "HEAD", cwd=project).strip()

    pending = CliRunner().invoke(cli, ["diff", "-C", str(project)])

    assert pending.exit_code == 1
    assert "ai-prism-api / prod\n  + Canary ai-prism-prod/ai-prism-api\n  + ConfigMap ai-prism-prod/ai-prism-config\n" in pending.output
    assert "  + Deployment ai-prism-prod/ai-prism-api\n" in pending.output
    assert "  + Ingress ai-prism-prod/ai-prism-api\n" in pending.output
    assert "ai-prism-api / dev\n" not in pending.output  # already published directly

    git(f"--git-dir={remote}", "update-ref", "refs/heads/main", f"refs/heads/gitopsgen/prod/{short}")  # "merge" the PR
    merged = CliRunner().invoke(cli, ["diff", "-C", str(project)])

    assert (merged.exit_code, merged.output) == (0, "no changes\n")


def test_forge_clients_and_rich_are_imported_only_when_used() -> None:
    import sys

    code = ("import sys; import generator.publish.command, generator.publish.publisher, generator.publish.semdiff; "
            "print(sorted(m for m in ('github', 'gitlab', 'requests', 'rich', 'ruamel') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_gate_counts_what_the_check_command_reports(estate, capsys) -> None:
    import json

    from generator.pipeline import render_project_once
    from generator.publish.gate import run_checks

    project, _, _ = estate
    blueprint = project / "blueprints" / "market-data.yaml"
    blueprint.write_text(blueprint.read_text().replace("ports:\n", "env:\n  - {name: API_KEY, value: sk-live-0123456789abcdef}\nports:\n", 1))

    outcome = run_checks(render_project_once(project))

    assert capsys.readouterr().out == ""  # a function call: nothing printed, nothing parsed from stdout
    command = CliRunner().invoke(cli, ["check", "--output", "json", "-C", str(project)])
    levels = [f["level"] for r in json.loads(command.output)["resources"] for f in r["findings"]]
    assert (outcome.passed, outcome.errors, outcome.warnings) == (
        command.exit_code == 0, levels.count("error"), levels.count("warning"))
    assert not outcome.passed and "[rendered-drift]" in outcome.detail and "[plaintext-credentials]" in outcome.detail
