"""Every example command in README.md runs, against the example project, and exits as documented.

The commands are extracted from the README's ``sh`` blocks, in order, each block in its own
workspace (a block that starts with ``gitopsgen init`` starts from an empty folder and follows its
``cd``). Only the environment is arranged: the GitOps repository is a local bare repository
(git's ``url.<local>.insteadOf`` stands in for the README's URLs), the forge is the local double
speaking GitHub's API, and the files the examples name (``extra/``, ``crds/``, ``policy/``…) are
test fixtures. Placeholders a reader replaces are replaced (``path/to/project``, ``http://opa:8181``,
``[--optional flags]`` run with and without). ``make`` lines are checked with ``make -n`` (the
targets exist and say what they run): ``make test`` is this suite.

A README command missing from :data:`EXPECTED` fails the test: adding an example means saying
what it must do.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.forge_double import ForgeDouble
from test_lint_opa import opa  # noqa: F401  (the OPA REST double, a fixture)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
TOKEN = "ghp_readme_examples_token"
OK, FINDINGS, OK_OR_CHANGES = {0}, {1}, {0, 1}

# command as written in the README -> the exit codes the README documents for it in this workspace
EXPECTED: dict[str, set[int]] = {
    "make render": OK, "make test": OK,
    "gitopsgen init my-gitops --repo https://github.com/acme/gitops.git": OK,
    "gitopsgen check": OK,
    "gitopsgen new payments --image acme/payments:2.3.1 --port 8000": OK,
    "gitopsgen new payments-worker --from payments": OK,
    "gitopsgen set-image payments 2.3.2 --env staging": OK,
    "gitopsgen publish --dry-run": OK,
    "gitopsgen render": OK,
    "gitopsgen render --check": OK,
    "gitopsgen render --env prod --only ai-engine": OK,
    "gitopsgen render -C path/to/project": OK,
    "gitopsgen validate": OK,
    "gitopsgen validate --env prod --only ai-engine": OK,
    "gitopsgen validate rendered/ extra/*.yaml": OK,
    "kustomize build rendered/ai-engine/overlays/prod | gitopsgen validate -": OK,
    "gitopsgen validate --strict --crd crds/ --output sarif rendered/ > validate.sarif": OK,
    "gitopsgen set-image ai-prism-api v2.1.1 --env staging": OK,
    "gitopsgen set-image ai-prism-api v2.1.2 --env staging --dry-run": OK,
    "gitopsgen set-image ai-prism-api sha256:4f2b6b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4fe9": OK,
    "gitopsgen diff": FINDINGS,  # the GitOps repository is empty: everything is a change
    "gitopsgen diff --against-ref HEAD~1 --env prod": OK_OR_CHANGES,
    "gitopsgen diff --against-ref HEAD~1 -o markdown": FINDINGS,  # set-image changed staging since HEAD~1
    "gitopsgen publish": OK,
    "gitopsgen publish --env staging --only ai-prism-api": OK,
    "gitopsgen lint": OK,
    "gitopsgen lint --env prod --only ai-engine": OK,
    "gitopsgen lint --env prod manifests/ extra.yaml": FINDINGS,  # a plain manifest is not prod-ready
    "gitopsgen lint -p policy/ deploy.yaml": FINDINGS,  # deploy.yaml has no team label
    "gitopsgen lint -p policy/ -p builtin deploy.yaml": FINDINGS,
    "gitopsgen lint -p gatekeeper/ k8s/": OK_OR_CHANGES,
    "gitopsgen lint --rule run-as-non-root --skip-rule spread-prod --output sarif > lint.sarif": OK,
    "gitopsgen lint --opa-url http://opa:8181 k8s/": OK_OR_CHANGES,
    "gitopsgen policy list [-v] [--output json]": OK,
    "gitopsgen policy explain run-as-non-root": OK,
    "gitopsgen policy docs > rules.md": OK,
    "gitopsgen lint --inventory . k8s/workloads.yaml": OK_OR_CHANGES,
    "gitopsgen lint --kubernetes-version 1.29 k8s/": OK_OR_CHANGES,
    "gitopsgen policy test [-p policy/]": OK,
    "gitopsgen check -o sarif=gitopsgen.sarif -o github -o text": OK,
    "gitopsgen check --env prod --only ai-engine -o markdown": OK,
    "gitopsgen lint -o json --output-file lint.json": OK,
    "gitopsgen version": OK,
    "gitopsgen report": OK,
    "gitopsgen report --env staging --env prod -o promotion.html": OK,
    "gitopsgen report --against-ref HEAD -o -": OK,
    'eval "$(_GITOPSGEN_COMPLETE=bash_source gitopsgen)"': OK,
    "gitopsgen preview-appset rendered/argocd/dev/appset-apps-dev.yaml --repo-dir ../gitops": OK,
    "gitopsgen preview-appset appset.yaml --repo-dir ../gitops | gitopsgen validate --strict -": OK,
    "gitopsgen preview-appset appset.yaml --repo-dir ../gitops | gitopsgen lint --env prod -": FINDINGS,  # dev's floating revision
    "gitopsgen preview-appset appset.yaml -o json": OK,
}
# an ApplicationSet with a list generator: it expands without a clone of the GitOps repository
LIST_APPSET = """apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: apps-dev
  namespace: argocd
spec:
  goTemplate: true
  generators:
    - list:
        elements:
          - {app: ai-engine, project: atlas-financial}
          - {app: market-data, project: atlas-financial}
  template:
    metadata:
      name: "{{.app}}-dev"
      namespace: argocd
    spec:
      project: "{{.project}}"
      source:
        repoURL: https://git.example.com/platform/gitops.git
        targetRevision: main
        path: "apps/{{.app}}/overlays/dev"
      destination:
        name: dev
        namespace: "{{.app}}-dev"
"""
# files a command writes, checked after it ran
WRITES = {"validate.sarif": "sarif", "lint.sarif": "sarif", "gitopsgen.sarif": "sarif", "lint.json": "json",
          "estate.html": "html", "promotion.html": "html"}


def readme_blocks() -> list[list[str]]:
    """The commands of each ``sh`` block, comments stripped, in README order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        commands = [re.split(r"\s+#", line, maxsplit=1)[0].strip() for line in block.splitlines()]
        blocks.append([command for command in commands if command])
    return blocks


def variants(command: str) -> list[str]:
    """``[--optional]`` parts run both ways."""
    match = re.search(r" \[([^\]]+)\]", command)
    if not match:
        return [command]
    return variants(command.replace(match[0], "", 1)) + variants(command.replace(match[0], f" {match[1]}", 1))


def test_every_readme_command_has_an_expectation() -> None:
    commands = [command for block in readme_blocks() for command in block if command != "cd my-gitops"]
    assert set(commands) <= set(EXPECTED), sorted(set(commands) - set(EXPECTED))


@pytest.fixture
def workspace(example_project: Path, tmp_path: Path, kubectl: str, opa) -> dict:  # noqa: F811
    """The example project as a git repository, the fixtures its examples name, a bare GitOps repository and a forge."""
    project = example_project
    (project / "extra").mkdir()
    shutil.copy(FIXTURES / "validate" / "valid-deployment.yaml", project / "extra" / "deployment.yaml")
    shutil.copytree(FIXTURES / "validate" / "crds", project / "crds")
    (project / "manifests").mkdir()
    shutil.copy(FIXTURES / "validate" / "valid-deployment.yaml", project / "manifests" / "deployment.yaml")
    shutil.copy(FIXTURES / "validate" / "quantities.yaml", project / "extra.yaml")
    shutil.copytree(FIXTURES / "lint" / "conftest" / "v1", project / "policy")
    (project / "policy" / "owner_label_test.rego").write_text(
        'package kubernetes.ownership\n\ntest_unlabelled_deployment_is_a_violation if {\n'
        '\tcount(violation) == 1 with input as {"kind": "Deployment", "metadata": {"name": "x", "labels": {}}}\n}\n')
    shutil.copy(FIXTURES / "validate" / "valid-deployment.yaml", project / "deploy.yaml")
    (project / "gatekeeper").mkdir()
    for name in ("required-labels.yaml", "unique-ingress-host.yaml"):  # templates with their constraints
        shutil.copy(FIXTURES / "lint" / "gatekeeper" / name, project / "gatekeeper" / name)
    (project / "k8s").mkdir()
    shutil.copy(FIXTURES / "lint" / "workloads.yaml", project / "k8s" / "workloads.yaml")
    remote = tmp_path / "gitops.git"
    subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch=main", str(remote)], check=True)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "kustomize").write_text(f'#!/bin/sh\n[ "$1" = build ] && shift\nexec {kubectl} kustomize "$@"\n')
    (bin_dir / "kustomize").chmod(0o755)
    gitconfig = tmp_path / "gitconfig"  # the README's repository URLs lead to local bare repositories
    gitconfig.write_text(f'[url "{remote}"]\n\tinsteadOf = https://git.example.com/platform/gitops.git\n'
                         f'[url "{tmp_path / "acme.git"}"]\n\tinsteadOf = https://github.com/acme/gitops.git\n')
    with ForgeDouble("github", TOKEN, "platform/gitops") as forge:
        config = project / "gitopsgen.yaml"
        config.write_text(config.read_text().replace("url: https://api.github.com", f"url: {forge.url}\n    allowInsecureHttp: true  # the local forge double"))
        env = {
            **os.environ,
            "PATH": os.pathsep.join([str(bin_dir), str(Path(sys.executable).parent), str(Path(kubectl).parent), os.environ["PATH"]]),
            "GITOPS_TOKEN": TOKEN, "NO_COLOR": "1",
            "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
            "GIT_CONFIG_GLOBAL": str(gitconfig),
        }
        subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch=main", str(tmp_path / "acme.git")], check=True)
        for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "examples"],
                        ["commit", "-q", "--allow-empty", "-m", "second"]):
            subprocess.run(["git", *command], cwd=project, env=env, check=True)
        yield {"project": project, "empty": tmp_path / "first", "env": env, "opa": opa[0]}


def run(command: str, cwd: Path, workspace: dict) -> subprocess.CompletedProcess:
    shell = command.replace("path/to/project", ".").replace("http://opa:8181", workspace["opa"])
    if shell.startswith("make "):
        shell = f"make -n -C {ROOT} {shell.split(' ', 1)[1]}"
    return subprocess.run(["bash", "-c", f"set -o pipefail; {shell}"], cwd=cwd, env=workspace["env"], capture_output=True,
                          text=True, timeout=600)


@pytest.fixture
def appsets(tmp_path: Path) -> Path:
    """The example project with ApplicationSets, and its GitOps repository cloned beside it as ../gitops."""
    from test_appset import published_clone, render_copy

    project = render_copy(tmp_path, "appsets", applications="per-environment")
    published_clone(project, tmp_path / "gitops")
    (project / "appset.yaml").write_text(LIST_APPSET)
    return project


def test_every_readme_command_runs_and_exits_as_documented(workspace: dict, appsets: Path) -> None:
    workspace["empty"].mkdir()
    ran = 0
    for block in readme_blocks():
        cwd = workspace["empty"] if block[0].startswith("gitopsgen init") else workspace["project"]
        if block[0].startswith("gitopsgen preview-appset"):
            cwd = appsets
        for command in block:
            if command.startswith("cd "):
                cwd = cwd / command[3:]
                continue
            for variant in variants(command):
                result = run(variant, cwd, workspace)
                assert result.returncode in EXPECTED[command], f"{variant}: exit {result.returncode}\n{result.stdout}\n{result.stderr}"
                assert "Traceback" not in result.stderr, f"{variant}\n{result.stderr}"
                _check_written(variant, cwd)
                ran += 1
    assert ran >= len(EXPECTED)


def _check_written(command: str, cwd: Path) -> None:
    for name, kind in WRITES.items():
        if not re.search(rf"(^|[ =>]){re.escape(name)}( |$)", command) and not (name == "estate.html" and command == "gitopsgen report"):
            continue
        text = (cwd / name).read_text(encoding="utf-8")
        if kind == "sarif":
            assert json.loads(text)["version"] == "2.1.0", command
        elif kind == "json":
            assert "summary" in json.loads(text), command
        else:
            assert text.startswith("<!DOCTYPE html>") and "http://" not in text and "https://" not in text, command
