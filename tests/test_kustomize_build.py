"""kustomize_build.build: the Kustomize subset gitopsgen writes, built in Python exactly as kubectl kustomize builds it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from generator.load import load_project
from generator.kustomize_build import UnsupportedOverlay, build, build_from_tree
from generator.render.project import RenderedSet, render_project
from generator.render.writer import write_tree

ROOT = Path(__file__).resolve().parent.parent


def _by_key(objects: list[dict]) -> dict[tuple[str, str, str], dict]:
    return {(obj["kind"], obj["metadata"].get("namespace", ""), obj["metadata"]["name"]): obj for obj in objects}


def kustomize(kubectl: str, folder: Path) -> list[dict]:
    out = subprocess.run([kubectl, "kustomize", str(folder)], check=True, capture_output=True, text=True).stdout
    return [doc for doc in yaml.safe_load_all(out) if doc]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[RenderedSet]]:
    rendering = render_project(load_project(ROOT))
    scratch = tmp_path_factory.mktemp("overlay")
    (scratch / "blueprints").mkdir()
    write_tree(scratch, rendering.files)
    return scratch / "rendered", [s for s in rendering.sets if s.app != "argocd"]


def _kustomize_cases() -> list[tuple[str, str]]:
    project = load_project(ROOT)
    return [(s.app, s.env) for s in render_project(project).sets
            if s.app != "argocd" and project.blueprints[s.app].spec.get("delivery", "kustomize") == "kustomize"]


@pytest.mark.parametrize(("app", "env"), _kustomize_cases())
def test_build_equals_kubectl_kustomize_and_the_effective_manifests(rendered, kubectl: str, app: str, env: str) -> None:
    output, sets = rendered
    folder = output / app / "overlays" / env

    built = _by_key(build(folder))

    assert built == _by_key(kustomize(kubectl, folder))
    assert built == _by_key(next(s for s in sets if (s.app, s.env) == (app, env)).objects)


def test_the_dev_overlay_removes_the_hpa_the_base_has(rendered) -> None:
    output, _ = rendered
    kinds = {obj["kind"] for obj in build(output / "ai-prism-api" / "overlays" / "dev")}
    assert "HorizontalPodAutoscaler" in {obj["kind"] for obj in yaml.safe_load_all((output / "ai-prism-api/base/hpa.yaml").read_text())}
    assert "HorizontalPodAutoscaler" not in kinds and "Deployment" in kinds


BASE = {
    "app/base/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                                   "resources: [deployment.yaml]\n",
    "app/base/deployment.yaml": """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      initContainers: [{name: migrate, image: "registry.local:5000/team/app:1.0"}]
      containers:
        - {name: app, image: "registry.local:5000/team/app:1.0"}
        - {name: proxy, image: "envoy@sha256:0000000000000000000000000000000000000000000000000000000000000000"}
""",
}


@pytest.mark.parametrize(
    "images",
    [
        "[{name: 'registry.local:5000/team/app', newTag: '2.0'}]",
        "[{name: 'registry.local:5000/team/app', digest: 'sha256:1111111111111111111111111111111111111111111111111111111111111111'}]",
        "[{name: 'registry.local:5000/team/app', newName: mirror/app, newTag: '2.0', "
        "digest: 'sha256:1111111111111111111111111111111111111111111111111111111111111111'}, {name: envoy, newTag: '1.31'}]",
    ],
)
def test_images_labels_and_namespace_match_kubectl(tmp_path: Path, kubectl: str, images: str) -> None:
    overlay = ("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../../base]\n"
               "namespace: app-dev\nlabels: [{pairs: {tier: web}, includeSelectors: false, includeTemplates: true}]\n"
               f"images: {images}\n")
    tree = {**BASE, "app/overlays/dev/kustomization.yaml": overlay}
    for path, text in tree.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)

    assert build_from_tree(tree, "app/overlays/dev") == kustomize(kubectl, tmp_path / "app/overlays/dev")


@pytest.mark.parametrize(
    ("overlay", "message"),
    [
        ("resources: [../../base]\ncommonLabels: {a: b}\n", "Kustomize field 'commonLabels' is not one gitopsgen writes"),
        ("resources: [../../base]\npatches: [{path: smp.yaml, target: {kind: Deployment}}]\n",
         "expected a list of JSON patch operations or an object with $patch: delete"),
        ("resources: [../../base]\npatches: [{patch: '[]', target: {kind: Deployment}}]\n", "exactly a path and a target"),
        ("resources: [../../base]\nlabels: [{pairs: {a: b}, includeSelectors: true}]\n", "includeSelectors: true"),
        ("resources: [https://github.com/org/repo//base]\n", "remote resource"),
        ("resources: [../../missing]\n", "no such file"),
        ("resources: [../../base]\npatches: [{path: p.yaml, target: {kind: Deployment, name: app}}]\n",
         "JSON patch does not apply to Deployment app"),
    ],
)
def test_anything_outside_the_subset_is_refused_with_the_file(overlay: str, message: str) -> None:
    tree = {**BASE, "app/overlays/dev/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\n"
                                                           "kind: Kustomization\n" + overlay,
            "app/overlays/dev/smp.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec: {replicas: 3}\n",
            "app/overlays/dev/p.yaml": "- {op: replace, path: /spec/nothing/here, value: 1}\n"}

    with pytest.raises(UnsupportedOverlay, match=message.replace("$", r"\$").replace("[", r"\[")) as raised:
        build_from_tree(tree, "app/overlays/dev")
    assert raised.value.path and str(raised.value.path).startswith("app/")


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        # each stopped the build with a traceback (TypeError, AttributeError, ValueError): an overlay edited by hand in
        # the GitOps repository, read by publish and diff, or an ordinary Kustomize folder given to validate and lint
        ({"app/base/deployment.yaml": "apiVersion: [apps/v1]\nkind: Deployment\nmetadata: {name: app}\n"},
         "expected Kubernetes objects with kind and metadata.name (and apiVersion as text)"),
        ({"app/overlays/dev/p.yaml": "- {op: replace, path: '', value: 1}\n"},
         "JSON patch leaves Deployment app without kind and metadata.name"),
        ({"app/overlays/dev/p.yaml": "- {op: remove, path: /metadata/name}\n"},
         "JSON patch leaves Deployment app without kind and metadata.name"),
        ({"app/overlays/dev/p.yaml": "- {op: replace, path: /apiVersion, value: [1]}\n"},
         "JSON patch leaves Deployment app without kind and metadata.name (or apiVersion not text)"),
        ({"app/overlays/dev/kustomization.yaml": "labels: [{pairs: 7}]\n"}, "labels pairs must map label names to text values"),
        ({"app/overlays/dev/kustomization.yaml": "labels: [{pairs: x}]\n"}, "labels pairs must map label names to text values"),
        ({"app/overlays/dev/kustomization.yaml": "labels: [{pairs: {tier: 1}}]\n"}, "labels pairs must map label names to text values"),
        ({"app/overlays/dev/kustomization.yaml": "labels: [{pairs: {a: b}, includeTemplates: 'no'}]\n"},
         "labels includeSelectors and includeTemplates must be true or false"),
        ({"app/base/deployment.yaml": "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: app}\nsubjects: 7\n"},
         "RoleBinding app: subjects must be a list"),
        ({"app/base/deployment.yaml": "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec: {volumeClaimTemplates: 7}\n",
          "app/overlays/dev/kustomization.yaml": "labels: [{pairs: {a: b}, includeTemplates: true}]\n"},
         "StatefulSet db: spec.volumeClaimTemplates must be a list"),
        # kustomize refuses a number here too; newTag: 7 was built as the tag "7"
        ({"app/overlays/dev/kustomization.yaml": "images: [{name: app, newName: 7}]\n"}, "images entries must have a name and newName, newTag or digest only, as text"),
        ({"app/overlays/dev/kustomization.yaml": "images: [{name: app, newTag: 7}]\n"}, "images entries must have a name and newName, newTag or digest only, as text"),
    ],
)
def test_an_overlay_of_other_types_is_refused_not_a_traceback(changed: dict[str, str], message: str) -> None:
    kustomization = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../../base]\nnamespace: dev\n"
    tree = {**BASE, "app/overlays/dev/kustomization.yaml": kustomization + "patches: [{path: p.yaml, target: {kind: Deployment}}]\n",
            "app/overlays/dev/p.yaml": "- {op: add, path: /spec/replicas, value: 2}\n"}
    assert [obj["spec"]["replicas"] for obj in build_from_tree(tree, "app/overlays/dev")] == [2]
    for path, text in changed.items():
        tree[path] = kustomization + text if path.endswith("kustomization.yaml") else text

    with pytest.raises(UnsupportedOverlay, match=message.replace("(", r"\(").replace(")", r"\)")) as raised:
        build_from_tree(tree, "app/overlays/dev")
    assert raised.value.path and str(raised.value.path).startswith("app/")
