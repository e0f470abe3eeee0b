"""The richer blueprint model (rollouts, monitoring rules, stateful apps, jobs, mesh, scaling...) builds
with the real tools to exactly the effective manifests, in both delivery modes, and every custom
resource it emits validates strictly against its upstream CRD.

``tests/fixtures/systems`` holds one small blueprint per capability and environments that override
them; the same project is rendered once as Kustomize and once with every app on the reference chart.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from test_crd_upstream import upstream_schema

from generator.kustomize_build import build
from generator.load import load_project
from generator.render.project import RenderedSet, render_project
from generator.render.writer import write_tree

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "systems"
CHART = ROOT / "tests" / "charts" / "service"
HELM_CHART = {"chart": {"repoURL": "https://charts.example.com/x", "name": "service", "version": "1.4.0"}}
Key = tuple[str, str, str]


def _by_key(objects: list[dict]) -> dict[Key, dict]:
    return {(o["kind"], o["metadata"].get("namespace", ""), o["metadata"]["name"]): o for o in objects}


def _render(project: Path) -> dict[tuple[str, str], RenderedSet]:
    rendering = render_project(load_project(project))
    write_tree(project, rendering.files)
    return {(s.app, s.env): s for s in rendering.sets if s.app != "argocd"}


@pytest.fixture(scope="module")
def kustomize_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[tuple[str, str], RenderedSet]]:
    project = tmp_path_factory.mktemp("systems-kustomize") / "project"
    shutil.copytree(FIXTURE, project)
    return project, _render(project)


@pytest.fixture(scope="module")
def helm_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[tuple[str, str], RenderedSet]]:
    project = tmp_path_factory.mktemp("systems-helm") / "project"
    shutil.copytree(FIXTURE, project)
    for path in sorted((project / "blueprints").glob("*.yaml")):
        blueprint = yaml.safe_load(path.read_text())
        blueprint.update({"delivery": "helm", "helm": HELM_CHART})
        path.write_text(yaml.safe_dump(blueprint, sort_keys=False))
    return project, _render(project)


def _cases() -> list[tuple[str, str]]:
    return sorted((s.app, s.env) for s in render_project(load_project(FIXTURE)).sets if s.app != "argocd")


def _assert_same(built: list[dict], expected: list[dict]) -> None:
    assert len(built) == len(_by_key(built)), "two objects of the same kind and name"
    assert sorted(_by_key(built)) == sorted(_by_key(expected))
    for key, obj in _by_key(expected).items():
        assert _by_key(built)[key] == obj, f"{key} differs"


@pytest.mark.parametrize(("app", "env"), _cases())
def test_kustomize_builds_the_effective_manifests(kustomize_project, kubectl: str, app: str, env: str) -> None:
    project, sets = kustomize_project
    overlay = project / "rendered" / app / "overlays" / env
    output = subprocess.run([kubectl, "kustomize", str(overlay)], check=True, capture_output=True, text=True).stdout
    _assert_same([doc for doc in yaml.safe_load_all(output) if doc], sets[(app, env)].objects)


@pytest.mark.parametrize(("app", "env"), _cases())
def test_the_in_process_kustomize_builder_agrees(kustomize_project, app: str, env: str) -> None:
    """``diff`` and ``publish`` read overlays with gitopsgen's own Kustomize subset: it must build the same."""
    project, sets = kustomize_project
    _assert_same(build(project / "rendered" / app / "overlays" / env), sets[(app, env)].objects)


@pytest.mark.parametrize(("app", "env"), _cases())
def test_helm_builds_the_effective_manifests(helm_project, helm: str, app: str, env: str) -> None:
    project, sets = helm_project
    expected = sets[(app, env)].objects
    namespace = next(o["metadata"]["namespace"] for o in expected if "namespace" in o["metadata"])
    values = project / "rendered" / app / "helm" / f"values-{env}.yaml"
    command = [helm, "template", app, str(CHART), "--namespace", namespace, "--values", str(values)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    _assert_same([doc for doc in yaml.safe_load_all(output) if doc], expected)


def _custom_resources() -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{s.app}/{s.env}/{o['kind']}/{o['metadata']['name']}", o)
        for s in render_project(load_project(FIXTURE)).sets
        for o in s.objects
        if "." in o["apiVersion"].split("/")[0] and not o["apiVersion"].split("/")[0].endswith(".k8s.io")
    ]


CUSTOM = _custom_resources()


@pytest.mark.parametrize(("name", "obj"), CUSTOM, ids=[name for name, _ in CUSTOM])
def test_custom_resource_matches_upstream_crd(name: str, obj: dict[str, Any]) -> None:
    schema = upstream_schema(obj["apiVersion"], obj["kind"])
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(obj), key=lambda e: list(map(str, e.absolute_path)))
    assert not errors, "\n".join(f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)


def test_the_fixture_emits_every_new_kind() -> None:
    kinds = {(obj["apiVersion"], obj["kind"]) for s in render_project(load_project(FIXTURE)).sets for obj in s.objects}
    assert {
        ("monitoring.coreos.com/v1", "PrometheusRule"),
        ("argoproj.io/v1alpha1", "Rollout"),
        ("argoproj.io/v1alpha1", "AnalysisTemplate"),
        ("flagger.app/v1beta1", "Canary"),
        ("flagger.app/v1beta1", "MetricTemplate"),
        ("apps/v1", "StatefulSet"),
        ("batch/v1", "Job"),
        ("batch/v1", "CronJob"),
        ("keda.sh/v1alpha1", "ScaledObject"),
        ("autoscaling.k8s.io/v1", "VerticalPodAutoscaler"),
        ("security.istio.io/v1", "PeerAuthentication"),
        ("networking.istio.io/v1", "VirtualService"),
        ("gateway.networking.k8s.io/v1", "HTTPRoute"),
    } <= kinds
