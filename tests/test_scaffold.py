"""`gitopsgen init` and `gitopsgen new`: a project that renders, checks clean, and builds with the real kustomize."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import cli
from generator.load import load_project
from generator.render.project import render_project


def effective_manifests(root: Path) -> list:
    return render_project(load_project(root)).sets

REPO = "https://github.com/acme/gitops.git"


def invoke(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    code, out, err = invoke(["init", "estate", "--repo", REPO], tmp_path, monkeypatch)
    assert code == 0, err
    assert "created blueprints/hello.yaml" in out and "rendered 1 app(s) x 3 environment(s)" in out
    return tmp_path / "estate"


def test_init_writes_a_project_with_ci_and_pre_commit(project: Path) -> None:
    for name in ("gitopsgen.yaml", "overlays/dev.yaml", "overlays/staging.yaml", "overlays/prod.yaml", "blueprints/hello.yaml",
                 "policies/config.yaml", ".pre-commit-config.yaml", ".github/workflows/gitops.yml"):
        assert yaml.safe_load((project / name).read_text()) is not None, name
    gitops = yaml.safe_load((project / "gitopsgen.yaml").read_text())["gitops"]
    assert gitops["repoURL"] == REPO
    assert gitops["forge"] == {"type": "github", "url": "https://api.github.com", "project": "acme/gitops", "tokenEnv": "GITOPS_TOKEN"}
    workflow = yaml.safe_load((project / ".github/workflows/gitops.yml").read_text())
    steps = [step.get("run", "") for step in workflow["jobs"]["check"]["steps"]]
    assert any("gitopsgen check -o sarif=gitopsgen.sarif" in run for run in steps)
    assert any("gitopsgen diff" in run and "-o markdown" in run and "GITHUB_STEP_SUMMARY" in run for run in steps)
    publish_env = workflow["jobs"]["publish"]["steps"][-1]["env"]
    assert publish_env == {"GITOPS_TOKEN": "${{ secrets.GITOPS_TOKEN }}"}
    applications = yaml.safe_load((project / "rendered/argocd/prod/app-hello.yaml").read_text())
    assert applications["spec"]["source"]["repoURL"] == REPO


def test_an_initialised_project_checks_clean_and_builds_with_real_kustomize(project: Path, kubectl: str,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = invoke(["check", "--summary"], project, monkeypatch)
    assert code == 0, out + err
    assert "invalid 0, errors 0" in out
    for rendered in effective_manifests(project):
        if rendered.app == "argocd":
            continue
        built = subprocess.run([kubectl, "kustomize", str(project / "rendered" / rendered.app / "overlays" / rendered.env)],
                               capture_output=True, text=True, check=True).stdout
        assert sorted(map(_identity, yaml.safe_load_all(built))) == sorted(map(_identity, rendered.objects))


def _identity(obj: dict) -> tuple[str, str, str]:
    return obj["kind"], obj["metadata"]["name"], obj["metadata"].get("namespace", "")


def test_the_pre_commit_hook_of_an_initialised_project_runs_check(project: Path) -> None:
    precommit = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "PRE_COMMIT_HOME": str(project.parent / "pre-commit-home")}
    for command in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"]):
        subprocess.run(command, cwd=project, check=True)
    clean = subprocess.run([precommit, "run", "--all-files"], cwd=project, capture_output=True, text=True, env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    blueprint = project / "blueprints" / "hello.yaml"
    blueprint.write_text(blueprint.read_text().replace("cpu: 70", "cpu: 60"))
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    stale = subprocess.run([precommit, "run", "--all-files"], cwd=project, capture_output=True, text=True, env=env)
    assert stale.returncode != 0 and "rendered-drift" in stale.stdout


def test_init_never_overwrites(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = (project / "gitopsgen.yaml").read_text()
    code, _, err = invoke(["init", str(project)], project.parent, monkeypatch)
    assert code == 2 and err.startswith("error: ") and "gitopsgen.yaml already exists" in err
    assert (project / "gitopsgen.yaml").read_text() == before


def test_init_without_a_repo_leaves_it_to_set_and_publish_refuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = invoke(["init", "plain", "--image", "acme/api:1.0.0", "--port", "8000", "--app", "api"], tmp_path, monkeypatch)
    assert code == 0 and "set gitops.repoURL" in out
    code, _, err = invoke(["publish", "--dry-run", "--repo", str(tmp_path / "x.git")], tmp_path / "plain", monkeypatch)
    assert code == 2 and "gitops.repoURL is not set" in err


@pytest.mark.parametrize(("image", "problem"), [("acme/api", "has no tag or digest"), ("Not An Image", "is not an image reference")])
def test_an_image_needs_a_tag_or_digest(tmp_path: Path, image: str, problem: str, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = invoke(["init", "x", "--image", image], tmp_path, monkeypatch)
    assert code == 2 and problem in err and not (tmp_path / "x" / "gitopsgen.yaml").exists()


def test_new_adds_an_app_from_the_template_or_a_copy_found_from_a_subfolder(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = invoke(["new", "payments", "--image", "acme/payments@sha256:" + "a" * 64, "--port", "8000"],
                            project / "overlays", monkeypatch)
    assert code == 0, err
    assert "created blueprints/payments.yaml" in out
    payments = yaml.safe_load((project / "blueprints/payments.yaml").read_text())
    assert payments["image"] == {"repository": "acme/payments", "digest": "sha256:" + "a" * 64}
    code, _, err = invoke(["new", "payments-worker", "--from", "payments", "--team", "billing"], project / "blueprints", monkeypatch)
    assert code == 0, err
    worker_text = (project / "blueprints/payments-worker.yaml").read_text()
    assert worker_text.startswith("# payments:")  # the copy keeps the comments
    worker = yaml.safe_load(worker_text)
    assert (worker["name"], worker["team"], worker["ports"]) == ("payments-worker", "billing", payments["ports"])
    assert (project / "rendered/payments-worker/overlays/prod/kustomization.yaml").is_file()
    code, out, _ = invoke(["check"], project / "rendered", monkeypatch)
    assert code == 0, out
    code, _, err = invoke(["new", "payments"], project, monkeypatch)
    assert code == 2 and "exists already" in err
    code, _, err = invoke(["new", "x", "--from", "paymnts"], project, monkeypatch)
    assert code == 2 and "did you mean 'payments'" in err
