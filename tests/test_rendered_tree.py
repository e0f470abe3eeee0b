"""The rendered tree (``data.project``) is found only when a policy that reads it applies to the run."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.lint import rendered_tree as rendered_tree_module
from generator.lint.config import load_config
from generator.lint.engine import RegorusEngine
from generator.lint.linter import LintBatch, Linter, LintOptions, project_readers
from generator.lint.policy import builtin_pack, load_policies
from generator.lint.rendered_tree import rendered_tree
from generator.manifest import Manifest, read_manifests

LINT = Path(__file__).parent / "fixtures" / "lint"
POLICIES = load_policies(None)
CONFIG = load_config(builtin_pack() / "config.yaml")
APPLICATION = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web, namespace: argocd}
spec:
  project: default
  source: {repoURL: "https://git.example.com/gitops", path: apps/web/overlays/prod, targetRevision: main}
  destination: {server: "https://kubernetes.default.svc", namespace: web}
"""
SERVICE_ACCOUNT = """\
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: web}
automountServiceAccountToken: false
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[Path]]:
    """A project whose rendered/ holds one app's prod overlay; the list records each walk of rendered/."""
    (tmp_path / "gitopsgen.yaml").write_text("gitops:\n  layout: {apps: apps, argocd: argocd}\n")
    overlay = tmp_path / "rendered" / "api" / "overlays" / "prod"
    overlay.mkdir(parents=True)
    (overlay / "kustomization.yaml").write_text("resources: []\n")
    walks: list[Path] = []
    original = rendered_tree_module._rendered_files
    monkeypatch.setattr(rendered_tree_module, "_rendered_files", lambda root: walks.append(root) or original(root))
    return tmp_path, walks


def lint(paths: list[str], root: Path, policies=POLICIES) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    manifests = [item for item in read_manifests(paths) if isinstance(item, Manifest)]
    linted = Linter(policies, CONFIG, RegorusEngine(), rendered_tree(root),
                    LintOptions(env="prod", today=date(2026, 12, 1))).lint([LintBatch("prod", manifests)])
    return [(finding.rule, finding.message) for result in linted.values() for finding in result.findings]


def test_a_run_without_an_application_never_walks_rendered(project: tuple[Path, list[Path]], tmp_path: Path) -> None:
    root, walks = project
    account = tmp_path / "account.yaml"
    account.write_text(SERVICE_ACCOUNT)
    assert lint([str(account)], root) == []
    assert walks == []


def test_an_application_is_checked_against_the_tree_found_for_it(project: tuple[Path, list[Path]], tmp_path: Path) -> None:
    root, walks = project
    application = tmp_path / "app.yaml"
    application.write_text(APPLICATION)
    found = lint([str(application)], root)
    assert ("argocd-path-exists", 'source path "apps/web/overlays/prod" does not exist in rendered/') in found
    assert walks == [root]
    application.write_text(APPLICATION.replace("apps/web/", "apps/api/"))
    assert not [rule for rule, _ in lint([str(application)], root) if rule == "argocd-path-exists"]


def test_only_the_rules_that_read_the_tree_and_every_other_policy_ask_for_it(project: tuple[Path, list[Path]]) -> None:
    readers = {POLICIES.checks[index].id for index in project_readers(POLICIES.checks, POLICIES.modules)}
    assert readers == {"argocd-path-exists"}
    root, walks = project
    conftest = load_policies([str(LINT / "conftest" / "v1")])
    assert project_readers(conftest.checks, conftest.modules) == set(range(len(conftest.checks)))
    lint([str(LINT / "rules" / "clean-app.yaml")], root, conftest)
    assert walks == [root]  # a policy of the user's may read data.project: it is given the tree
