"""generator/kube.py: the one list of Kubernetes facts, and the places that used to keep their own copies.

Before it, lint's Gatekeeper inventory and the Kustomize builder each had a list of cluster-scoped
kinds, and they disagreed: lint filed an APIService under namespace ``default`` and the builder
accepted a ConstraintTemplate as part of an app. Both were bugs; these tests pin the fix.
"""

from __future__ import annotations

import pytest

from generator import kube
from generator.lint.linter import inventory
from generator.kustomize_build import UnsupportedOverlay, build_from_tree


def _object(api_version: str, kind: str, name: str) -> dict:
    return {"apiVersion": api_version, "kind": kind, "metadata": {"name": name}}


@pytest.mark.parametrize(("api_version", "kind"), [
    ("apiregistration.k8s.io/v1", "APIService"),
    ("templates.gatekeeper.sh/v1", "ConstraintTemplate"),
    ("v1", "Namespace"),
])
def test_lint_inventory_files_cluster_scoped_kinds_under_cluster(api_version: str, kind: str) -> None:
    obj = _object(api_version, kind, "x")

    assert inventory([obj]) == {"namespace": {}, "cluster": {api_version: {kind: {"x": obj}}}}


@pytest.mark.parametrize(("api_version", "kind"), [
    ("apiregistration.k8s.io/v1", "APIService"),
    ("templates.gatekeeper.sh/v1", "ConstraintTemplate"),
])
def test_kustomize_build_refuses_cluster_scoped_objects_in_an_app(api_version: str, kind: str) -> None:
    tree = {
        "app/overlays/dev/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                                               "resources: [extra.yaml]\n",
        "app/overlays/dev/extra.yaml": f"apiVersion: {api_version}\nkind: {kind}\nmetadata: {{name: x}}\n",
    }

    with pytest.raises(UnsupportedOverlay, match=f"cluster-scoped {kind}"):
        build_from_tree(tree, "app/overlays/dev")


@pytest.mark.parametrize(("kind", "path"), [
    ("Pod", ("spec",)),
    ("Deployment", ("spec", "template", "spec")),
    ("StatefulSet", ("spec", "template", "spec")),
    ("DaemonSet", ("spec", "template", "spec")),
    ("Job", ("spec", "template", "spec")),
    ("CronJob", ("spec", "jobTemplate", "spec", "template", "spec")),
    ("Rollout", ("spec", "template", "spec")),
    ("Service", None),
])
def test_pod_spec_path_of_each_kind(kind: str, path: tuple[str, ...] | None) -> None:
    assert kube.pod_spec_path(kind) == path
