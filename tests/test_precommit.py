"""The pre-commit hooks, run by the real pre-commit framework from a clone of this repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import fail_or_skip
import yaml

ROOT = Path(__file__).resolve().parent.parent

GOOD = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: telecom-ai-platform, namespace: ihcl-ai}
spec:
  replicas: 3
  selector: {matchLabels: {app: telecom-ai-platform}}
  template:
    metadata: {labels: {app: telecom-ai-platform}}
    spec:
      securityContext: {runAsNonRoot: true, runAsUser: 10001}
      containers:
        - name: web
          image: ihcl/telecom-ai-platform:v2.0.0
          ports: [{name: http, containerPort: 3000}]
"""
# the known defect of the source manifest: no securityContext, the container runs as root
ROOT_USER = GOOD.replace("      securityContext: {runAsNonRoot: true, runAsUser: 10001}\n", "")
INVALID = GOOD.replace("replicas: 3", "replicas: three")


def pre_commit() -> list[str]:
    found = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    if found is None:
        fail_or_skip("pre-commit is not installed: pip install -e '.[test]'")
    return [found]


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd,
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory) -> tuple[Path, str]:
    """A clone of this repository (pre-commit needs a committed revision) and its HEAD."""
    clone = tmp_path_factory.mktemp("hooks") / "gitopsgen"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True)
    return clone, git("rev-parse", "HEAD", cwd=clone).strip()


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")  # hook environments are built once per module


VALIDATE = {"id": "gitopsgen-validate", "files": "^k8s/"}
LINT = {"id": "gitopsgen-lint", "files": "^k8s/", "args": ["--rule", "run-as-non-root"]}


def consumer(tmp_path: Path, hooks_repo: tuple[Path, str], manifest: str, hooks: list[dict]) -> Path:
    repo = tmp_path / "consumer"
    (repo / "k8s").mkdir(parents=True)
    (repo / "k8s" / "deployment.yaml").write_text(manifest)
    path, rev = hooks_repo
    config = {"repos": [{"repo": str(path), "rev": rev, "hooks": hooks}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    git("init", "--quiet", cwd=repo)
    git("add", "-A", cwd=repo)
    return repo


def run_hooks(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run([*pre_commit(), "run", "--all-files"], cwd=repo, env=env, capture_output=True, text=True,
                          timeout=900)


def test_hook_manifest_declares_the_three_hooks() -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert sorted(hooks) == ["gitopsgen-check", "gitopsgen-lint", "gitopsgen-validate"]
    assert hooks["gitopsgen-check"]["pass_filenames"] is False
    assert {hook["entry"].split()[0] for hook in hooks.values()} == {"gitopsgen"}


def test_valid_manifests_pass_validate(tmp_path: Path, hooks_repo, pre_commit_home: Path) -> None:
    result = run_hooks(consumer(tmp_path, hooks_repo, GOOD, [VALIDATE]), pre_commit_home)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "gitopsgen validate" in result.stdout and "Passed" in result.stdout


def test_invalid_manifest_fails_validate(tmp_path: Path, hooks_repo, pre_commit_home: Path) -> None:
    result = run_hooks(consumer(tmp_path, hooks_repo, INVALID, [VALIDATE]), pre_commit_home)

    assert result.returncode == 1
    assert "k8s/deployment.yaml" in result.stdout and "spec.replicas" in result.stdout


def test_non_root_container_passes_lint(tmp_path: Path, hooks_repo, pre_commit_home: Path) -> None:
    result = run_hooks(consumer(tmp_path, hooks_repo, GOOD, [LINT]), pre_commit_home)

    assert result.returncode == 0, result.stdout + result.stderr


def test_container_running_as_root_fails_lint(tmp_path: Path, hooks_repo, pre_commit_home: Path) -> None:
    result = run_hooks(consumer(tmp_path, hooks_repo, ROOT_USER, [LINT]), pre_commit_home)

    assert result.returncode == 1
    assert "[run-as-non-root]" in result.stdout


def test_check_hook_guards_a_gitopsgen_project(example_project: Path, hooks_repo, pre_commit_home: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import cli

    assert CliRunner().invoke(cli, ["render", "-C", str(example_project)]).exit_code == 0
    path, rev = hooks_repo
    config = {"repos": [{"repo": str(path), "rev": rev, "hooks": [{"id": "gitopsgen-check"}]}]}
    (example_project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    git("init", "--quiet", cwd=example_project)
    git("add", "-A", cwd=example_project)

    clean = run_hooks(example_project, pre_commit_home)
    overlay = example_project / "overlays" / "prod.yaml"
    overlay.write_text(overlay.read_text().replace("      maxReplicas: 100\n", "      maxReplicas: 120\n", 1))
    git("add", "-A", cwd=example_project)
    stale = run_hooks(example_project, pre_commit_home)

    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert stale.returncode == 1
    assert "rendered/ai-prism-api/overlays/prod/patch-hpa.yaml" in stale.stdout and "rendered-drift" in stale.stdout


def test_this_repositorys_own_config_runs_make_check() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    (hook,) = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert (hook["id"], hook["entry"]) == ("gitopsgen-check", "make check")
    makefile = (ROOT / "Makefile").read_text()
    assert "\ncheck:" in makefile and "gitopsgen check" in makefile


HPA = """\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: ihcl-ai}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: TARGET}
  minReplicas: 2
  maxReplicas: 5
"""
DANGLING = {"id": "gitopsgen-lint", "files": "^k8s/", "args": ["--rule", "hpa-target-dangling"]}


def run_hook_on(repo: Path, home: Path, changed: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run([*pre_commit(), "run", "--files", changed], cwd=repo, env=env, capture_output=True, text=True,
                          timeout=900)


@pytest.mark.parametrize("target, verdict", [("telecom-ai-platform", 0), ("gone", 1)])
def test_lint_hook_on_a_changed_file_sees_its_target_in_the_rest_of_the_repository(
    tmp_path: Path, hooks_repo, pre_commit_home: Path, target: str, verdict: int
) -> None:
    """pre-commit passes only the changed HPA: its Deployment in another file still counts, a missing one still fails."""
    repo = consumer(tmp_path, hooks_repo, GOOD, [DANGLING])
    (repo / "k8s" / "hpa.yaml").write_text(HPA.replace("TARGET", target))
    git("add", "-A", cwd=repo)
    result = run_hook_on(repo, pre_commit_home, "k8s/hpa.yaml")
    assert result.returncode == verdict, result.stdout + result.stderr
    assert ("[hpa-target-dangling]" in result.stdout) == bool(verdict)
