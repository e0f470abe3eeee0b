"""The reference chart tests/charts/service builds, from gitopsgen's Helm values, exactly the effective manifests.

The example project has one Helm-delivered app; to prove the values contract is generic, every
example blueprint is switched to ``delivery: helm`` in a scratch copy of the project, a worker
without ports joins them (the branches the examples leave untouched), and ``helm template`` of
each rendered values file must equal that app's effective manifests.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.load import load_project
from generator.render.project import RenderedSet, render_project
from generator.render.writer import write_tree

ROOT = Path(__file__).resolve().parent.parent
CHART = ROOT / "tests" / "charts" / "service"
HELM_CHART = {"chart": {"repoURL": "https://charts.example.com/x", "name": "service", "version": "1.4.0"}}
# A background worker: no ports (so no Service and a NetworkPolicy that admits nothing), no
# ServiceAccount of its own, Recreate strategy, a percentage PDB, an OpenShift-range user id and
# strings that look like numbers or booleans.
WORKER = {
    "name": "queue-worker",
    "team": "agent-mitra",
    "owner": "mitra-dev@example.com",
    "image": {"repository": "agent-mitra/worker", "tag": "2024.10", "pullPolicy": "IfNotPresent"},
    "command": ["celery"],
    "args": ["-A", "mitra", "worker", "--concurrency", "4"],
    "workingDir": "/app",
    "replicas": 2,
    "strategy": {"type": "Recreate"},
    "terminationGracePeriodSeconds": 1200,
    "priorityClassName": "background",
    "envFrom": [{"configMap": "queue-worker", "prefix": "MITRA_"}],
    "configMaps": {"queue-worker": {"QUEUE": "tasks", "CONCURRENCY": "4", "DRY_RUN": "false"}},
    "securityContext": {"runAsUser": 1000680000},
    "serviceAccount": {"create": False, "name": "mitra-workers"},
    "podDisruptionBudget": {"maxUnavailable": "50%"},
    "podAnnotations": {"cluster-autoscaler.kubernetes.io/safe-to-evict": "false"},
    "networkPolicy": {"egress": [{"ports": [5432, 6379]}]},
    "secretStores": [{"name": "worker-parameters", "aws": {"service": "ParameterStore", "region": "ap-south-1"}}],
}
TEMPLATED_KINDS = {
    "Deployment", "Service", "ServiceAccount", "HorizontalPodAutoscaler", "PodDisruptionBudget",
    "NetworkPolicy", "Ingress", "ServiceMonitor", "ConfigMap", "ExternalSecret", "SecretStore",
}

Key = tuple[str, str, str]


def _key(obj: dict) -> Key:
    return (obj["kind"], obj["metadata"].get("namespace", ""), obj["metadata"]["name"])


def _by_key(objects: list[dict]) -> dict[Key, dict]:
    return {_key(obj): obj for obj in objects}


def _all_helm_project(root: Path) -> Path:
    """A copy of the example project in which every blueprint is delivered with the reference chart."""
    project = root / "project"
    project.mkdir()
    for name in ("blueprints", "overlays", "namespaces", "addons"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "gitopsgen.yaml", project / "gitopsgen.yaml")
    for path in sorted((project / "blueprints").glob("*.yaml")):
        blueprint = yaml.safe_load(path.read_text())
        if blueprint.get("delivery") != "helm":
            blueprint.update({"delivery": "helm", "helm": HELM_CHART})
        path.write_text(yaml.safe_dump(blueprint, sort_keys=False))
    worker = {**WORKER, "delivery": "helm", "helm": HELM_CHART}
    (project / "blueprints" / "queue-worker.yaml").write_text(yaml.safe_dump(worker, sort_keys=False))
    return project


@pytest.fixture(scope="module")
def helm_estate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[tuple[str, str], RenderedSet]]:
    """The all-Helm project rendered: its rendered/ folder and the effective manifests per (app, env)."""
    project = _all_helm_project(tmp_path_factory.mktemp("helm-estate"))
    rendering = render_project(load_project(project))
    write_tree(project, rendering.files)
    sets = {(s.app, s.env): s for s in rendering.sets if s.app != "argocd"}
    return project / "rendered", sets


def _cases() -> list[tuple[str, str]]:
    project = load_project(ROOT)
    examples = [(s.app, s.env) for s in render_project(project).sets if s.app != "argocd"]
    return examples + [(WORKER["name"], env) for env in project.environments]


def _helm_template(helm: str, app: str, namespace: str, values: Path) -> list[dict]:
    command = [helm, "template", app, str(CHART), "--namespace", namespace, "--values", str(values)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return [doc for doc in yaml.safe_load_all(output) if doc]


def _namespace(objects: list[dict]) -> str:
    return next(obj["metadata"]["namespace"] for obj in objects if obj["kind"] in ("Deployment", "StatefulSet", "Rollout"))


@pytest.mark.parametrize(("app", "env"), _cases())
def test_chart_builds_the_effective_manifests_of_every_app(helm_estate, helm: str, app: str, env: str) -> None:
    rendered, sets = helm_estate
    expected = sets[(app, env)].objects
    values = rendered / app / "helm" / f"values-{env}.yaml"
    built = _helm_template(helm, app, _namespace(expected), values)
    assert len(built) == len(_by_key(built)), "the chart built two objects of the same kind and name"
    assert sorted(_by_key(built)) == sorted(_by_key(expected))
    for key, obj in _by_key(expected).items():
        assert _by_key(built)[key] == obj, f"{key} differs"


def test_the_estate_exercises_every_template_and_both_replica_modes(helm_estate) -> None:
    _, sets = helm_estate
    objects = [obj for rendered in sets.values() for obj in rendered.objects]
    assert {obj["kind"] for obj in objects} >= TEMPLATED_KINDS
    deployments = [obj for obj in objects if obj["kind"] == "Deployment"]
    assert any("replicas" in obj["spec"] for obj in deployments)
    assert any("replicas" not in obj["spec"] for obj in deployments)
    policies = [obj for obj in objects if obj["kind"] == "NetworkPolicy"]
    assert any(obj["spec"]["ingress"] == [] for obj in policies)


@pytest.mark.parametrize(("app", "env"), [case for case in _cases() if case[0] in ("user-service", "ai-engine", "queue-worker")])
def test_chart_lints_clean_with_gitopsgen_values(helm_estate, helm: str, app: str, env: str) -> None:
    rendered, sets = helm_estate
    values = rendered / app / "helm" / f"values-{env}.yaml"
    command = [helm, "lint", "--strict", str(CHART), "--namespace", _namespace(sets[(app, env)].objects), "--values", str(values)]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 chart(s) failed" in result.stdout


def test_chart_alone_falls_back_to_conventional_names_and_labels(helm: str, tmp_path: Path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text("image: {repository: example/app}\n")
    built = _by_key(_helm_template(helm, "shop", "team-a", values))
    assert sorted(built) == [("Deployment", "team-a", "shop-service"), ("Service", "team-a", "shop-service"),
                             ("ServiceAccount", "team-a", "shop-service")]
    deployment = built[("Deployment", "team-a", "shop-service")]
    assert deployment["spec"]["replicas"] == 1
    assert deployment["spec"]["selector"]["matchLabels"] == {"app.kubernetes.io/name": "service", "app.kubernetes.io/instance": "shop"}
    assert deployment["metadata"]["labels"]["helm.sh/chart"] == "service-1.4.0"
    assert "annotations" not in deployment["metadata"]
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "example/app:latest"
    assert "imagePullPolicy" not in container
    assert deployment["spec"]["template"]["spec"]["serviceAccountName"] == "shop-service"


def test_extra_objects_keep_a_namespace_they_set(helm: str, tmp_path: Path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text(yaml.safe_dump({
        "image": {"repository": "example/app", "digest": "sha256:" + "a" * 64},
        "extraObjects": [
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "here"}, "data": {"port": "8080"}},
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "there", "namespace": "shared"}},
        ],
    }))
    built = _by_key(_helm_template(helm, "shop", "team-a", values))
    assert built[("ConfigMap", "team-a", "here")]["data"] == {"port": "8080"}
    assert ("ConfigMap", "shared", "there") in built
    container = built[("Deployment", "team-a", "shop-service")]["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "example/app@sha256:" + "a" * 64
