"""``publish --only``: the selected apps' files change; every other file in the GitOps repo stays byte for byte.

Real git throughout: bare repositories stand in for the GitOps repository.
"""

from __future__ import annotations

import json
from pathlib import Path

from test_publish import HEADER, PROD_BY_PR, make_remote, make_request, push_commit, remote_files
from test_publish import rendered_tree as plain_tree
from test_publish_hostile import _commit, request_from, source_repos

from generator.publish.config import Forge
from generator.publish.publisher import publish
from generator.render.argocd import app_of_file

PROJECT = HEADER.format(app="argocd") + "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {{name: payments}}\n# {}\n"


def rendered_tree(apps: dict[str, str], project_version: str = "1", envs: tuple[str, ...] = ("dev", "staging", "prod")) -> dict[str, str]:
    """A rendered tree named as gitopsgen names it: argocd/<env>/app-<app>.yaml, and a shared AppProject per env."""
    tree = {}
    for path, text in plain_tree(apps, envs).items():
        parts = path.split("/")
        tree["/".join([*parts[:2], "app-" + parts[2]]) if parts[0] == "argocd" else path] = text
    for env in envs:
        tree[f"argocd/{env}/project-payments.yaml"] = PROJECT.format(project_version)
    return tree


def test_which_app_a_rendered_file_belongs_to() -> None:
    assert app_of_file("api/base/deployment.yaml") == "api"
    assert app_of_file("api/overlays/prod/kustomization.yaml") == "api"
    assert app_of_file("argocd/prod/app-api.yaml") == "api"
    assert app_of_file("argocd/prod/app-app-api.yaml") == "app-api"
    assert app_of_file("argocd/prod/apps/api.params") == "api"
    assert app_of_file("argocd/prod/apps/payments/api.params") == "api"
    for shared in ("argocd/prod/project-payments.yaml", "argocd/prod/root.yaml", "argocd/prod/addon-velero.yaml",
                   "argocd/prod/namespace-payments-namespace.yaml", "argocd/prod/appset-payments-prod.yaml"):
        assert app_of_file(shared) is None, shared


def test_only_the_selected_apps_files_change_and_everything_else_stays_byte_for_byte(tmp_path: Path) -> None:
    remote = make_remote(tmp_path)
    publish(make_request(remote, rendered_tree({"api": "api:1", "web": "web:1", "old": "old:1"})))
    before = remote_files(remote)
    # api and web change, old is gone, the shared AppProject changes: --only api brings api's changes only
    tree = rendered_tree({"api": "api:2", "web": "web:2"}, project_version="2")

    result = publish(make_request(remote, tree, apps=["api"]))

    after = remote_files(remote)
    changed = sorted(path for path in set(before) | set(after) if before.get(path) != after.get(path))
    assert changed == ["apps/api/base/deployment.yaml"]  # the records already name this source commit
    assert [step.message.splitlines()[0] for step in result.steps] == ["gitopsgen: publish dev, prod, staging (api) from 3f9c2a1"]
    (note,) = result.notes
    assert note.startswith("--only api: left 12 other file(s) that differ from the render as they are (apps/old/base/")
    assert note.endswith("and 7 more); publish without --only to bring them too")

    publish(make_request(remote, tree))  # without --only: the rest follows

    final = remote_files(remote)
    assert "apps/old/base/deployment.yaml" not in final and "image: web:2" in final["apps/web/base/deployment.yaml"]
    assert final["argocd/prod/project-payments.yaml"] == PROJECT.format("2")


def test_other_apps_ownership_claims_and_source_records_are_kept_exactly(tmp_path: Path) -> None:
    remote = make_remote(tmp_path)
    _, alice, _, base = source_repos(tmp_path)
    publish(request_from(remote, alice, base, rendered_tree({"api": "api:1", "web": "web:1"})))
    # a claim gitopsgen cannot prove (team x's hand-written file): a full publish would drop it, --only api must not
    owned = json.loads(remote_files(remote)[".gitopsgen/owned/dev.json"])
    claimed = json.dumps(sorted([*owned, "argocd/dev/app-teamx.yaml"]), indent=2) + "\n"
    push_commit(remote, tmp_path / "human", {"argocd/dev/app-teamx.yaml": "kind: Application  # by hand\n",
                                             ".gitopsgen/owned/dev.json": claimed}, "team x")
    newer = _commit(alice, "blueprints.txt", "api 2, web 2\n")

    tree = rendered_tree({"api": "api:2", "web": "web:2"}, envs=("dev",))
    tree["api/overlays/dev/patch-replicas.yaml"] = HEADER.format(app="api") + "- {op: replace, path: /spec/replicas, value: 3}\n"

    publish(request_from(remote, alice, newer, tree, apps=["api"], envs=["dev"]))

    files = remote_files(remote)
    assert json.loads(files[".gitopsgen/sources/shared.json"]) == {"api": newer, "web": base}
    assert json.loads(files[".gitopsgen/sources/dev.json"]) == {"api": newer, "web": base, "argocd/app-api.yaml": base,
                                                                "argocd/app-web.yaml": base,
                                                                "argocd/project-payments.yaml": base}
    assert json.loads(files[".gitopsgen/owned/dev.json"]) == sorted([*json.loads(claimed), "apps/api/overlays/dev/patch-replicas.yaml"])
    assert files["argocd/dev/app-teamx.yaml"] == "kind: Application  # by hand\n"
    assert "image: web:1" in files["apps/web/base/deployment.yaml"] and "image: api:2" in files["apps/api/base/deployment.yaml"]


def test_a_new_app_published_alone_adds_its_ownership_entries_and_keeps_the_others(tmp_path: Path) -> None:
    remote = make_remote(tmp_path)
    publish(make_request(remote, rendered_tree({"web": "web:1"})))
    before = {path: json.loads(text) for path, text in remote_files(remote).items() if path.startswith(".gitopsgen/owned/")}

    publish(make_request(remote, rendered_tree({"web": "web:1", "api": "api:1"}), apps=["api"]))

    after = {path: json.loads(text) for path, text in remote_files(remote).items() if path.startswith(".gitopsgen/owned/")}
    added = {path: sorted(set(after[path]) - set(before[path])) for path in after}
    assert {path: set(before[path]) <= set(after[path]) for path in before} == {path: True for path in before}
    assert added[".gitopsgen/owned/shared.json"] == ["apps/api/base/deployment.yaml", "apps/api/base/kustomization.yaml"]
    assert added[".gitopsgen/owned/prod.json"] == ["apps/api/overlays/prod/kustomization.yaml", "argocd/prod/app-api.yaml"]


def test_a_pull_request_environment_gets_only_the_selected_apps_changes(tmp_path: Path) -> None:
    from support.forge_double import ForgeDouble

    remote = make_remote(tmp_path)
    forge_args = {"modes": dict(PROD_BY_PR), "token": "ghp_test_token_123"}
    with ForgeDouble("github", "ghp_test_token_123", "platform/gitops") as forge:
        forge_args["forge"] = Forge("github", forge.url, "platform/gitops")
        publish(make_request(remote, rendered_tree({"api": "api:1", "web": "web:1"}), modes=dict(PROD_BY_PR), envs=["dev", "staging"]))
        tree = rendered_tree({"api": "api:1", "web": "web:1"})
        for app in ("api", "web"):
            tree[f"{app}/overlays/prod/kustomization.yaml"] += "# prod tuned\n"

        publish(make_request(remote, tree, apps=["web"], **forge_args))

    review = remote_files(remote, "gitopsgen/prod/3f9c2a1")
    assert review["apps/web/overlays/prod/kustomization.yaml"].endswith("# prod tuned\n")
    assert "apps/api/overlays/prod/kustomization.yaml" not in review and "argocd/prod/app-api.yaml" not in review
    assert "argocd/prod/project-payments.yaml" not in review  # shared by the environment's apps: not selected
    assert forge.state.pulls[0]["title"].startswith("gitopsgen: prod")


def test_an_app_without_files_in_a_tree_leaves_that_tree_alone(tmp_path: Path) -> None:
    """Hydrated delivery publishes each environment's folders as a tree of their own: an app that has none
    there (it stays Helm-delivered) selects nothing in it. (The command refuses names that are no app.)"""
    remote = make_remote(tmp_path)
    publish(make_request(remote, rendered_tree({"api": "api:1", "web": "web:1"})))
    before = remote_files(remote)

    result = publish(make_request(remote, rendered_tree({"api": "api:2", "web": "web:2"}), apps=["db"]))

    assert remote_files(remote) == before and result.steps == []
    assert result.notes[0].startswith("--only db: left 2 other file(s) that differ from the render as they are")
