"""Add-ons (addons/<name>.yaml): the AppProject allows only what each chart declares it creates at cluster
scope; the Applications and AppProjects validate strictly against Argo CD's upstream CRDs; and a chart
that is available here builds with `helm template` from exactly what the Application says, per environment."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_crd_upstream import upstream_schema
from test_render import run, snapshot_tree

from generator.load import load_project
from generator.render.project import render_project

ROOT = Path(__file__).resolve().parent.parent
CHART = ROOT / "tests" / "charts" / "service"
EDGE_ADDON = """team: edge
namespace: edge-system
chart: {{repoURL: {url}, name: service, version: "1.4.0"}}
syncOptions: [CreateNamespace=true]
clusterResources:
  - {{group: rbac.authorization.k8s.io, kind: ClusterRole}}
  - {{group: apiextensions.k8s.io, kind: CustomResourceDefinition}}
values:
  image: {{repository: registry.example.com/edge/proxy, tag: "1.0.0"}}
  replicaCount: 1
  labels: {{tier: "edge-{{env}}"}}
"""


def write_addon(project: Path, name: str, text: str, prod_override: dict[str, Any] | None = None) -> None:
    (project / "addons" / f"{name}.yaml").write_text(text)
    if prod_override is not None:
        prod_file = project / "overlays" / "prod.yaml"
        prod = yaml.safe_load(prod_file.read_text())
        prod.setdefault("addons", {})[name] = prod_override
        prod_file.write_text(yaml.safe_dump(prod, sort_keys=False))


def rendered_yaml(project: Path, path: str) -> dict[str, Any]:
    return yaml.safe_load((project / "rendered" / path).read_text())


def test_an_addons_project_allows_exactly_the_cluster_resources_it_declares(example_project: Path) -> None:
    write_addon(example_project, "edge-proxy", EDGE_ADDON.format(url="https://charts.example.com"))
    write_addon(example_project, "edge-dns", "team: edge-dns\nnamespace: kube-system\n"
                "chart: {repoURL: https://charts.example.com, name: dns, version: 2.0.0}\n")

    assert run(example_project).exit_code == 0

    edge = rendered_yaml(example_project, "argocd/prod/project-edge.yaml")["spec"]["clusterResourceWhitelist"]
    assert edge == [{"group": "", "kind": "Namespace"},  # the environments' syncOptions say CreateNamespace=true
                    {"group": "apiextensions.k8s.io", "kind": "CustomResourceDefinition"},
                    {"group": "rbac.authorization.k8s.io", "kind": "ClusterRole"}]
    quiet = rendered_yaml(example_project, "argocd/prod/project-edge-dns.yaml")["spec"]["clusterResourceWhitelist"]
    assert quiet == [{"group": "", "kind": "Namespace"}]  # declares nothing: nothing else at cluster scope


def test_without_create_namespace_an_undeclaring_addon_gets_nothing_at_cluster_scope(example_project: Path) -> None:
    for env_file in (example_project / "overlays").glob("*.yaml"):
        env_file.write_text(env_file.read_text().replace("      - CreateNamespace=true\n", "      - PruneLast=true\n"))
    write_addon(example_project, "edge-dns", "team: edge-dns\nnamespace: kube-system\n"
                "chart: {repoURL: https://charts.example.com, name: dns, version: 2.0.0}\n")

    assert run(example_project).exit_code == 0

    assert rendered_yaml(example_project, "argocd/prod/project-edge-dns.yaml")["spec"]["clusterResourceWhitelist"] == []


def test_an_environment_may_declare_more_for_a_newer_chart(example_project: Path) -> None:
    write_addon(example_project, "edge-proxy", EDGE_ADDON.format(url="https://charts.example.com"), prod_override={
        "chart": {"version": "1.5.0"},
        "clusterResources": [{"group": "rbac.authorization.k8s.io", "kind": "ClusterRole"},
                             {"group": "rbac.authorization.k8s.io", "kind": "ClusterRoleBinding"}]})

    assert run(example_project).exit_code == 0

    kinds = {env: [item["kind"] for item in rendered_yaml(example_project, f"argocd/{env}/project-edge.yaml")["spec"]["clusterResourceWhitelist"]]
             for env in ("dev", "prod")}
    assert kinds == {"dev": ["Namespace", "CustomResourceDefinition", "ClusterRole"],
                     "prod": ["Namespace", "ClusterRole", "ClusterRoleBinding"]}


@pytest.mark.parametrize(("entry", "message"), [
    ('{group: "*", kind: "*"}', "addons/edge-proxy.yaml:6: clusterResources.0.group is a wildcard; name each cluster-scoped kind"),
    ("{group: rbac.authorization.k8s.io, kind: '*'}", "addons/edge-proxy.yaml:6: clusterResources.0.kind is a wildcard; name each cluster-scoped kind"),
    ("{kind: ClusterRole}", "addons/edge-proxy.yaml:6: missing required field 'clusterResources.0.group'; add it"),
])
def test_a_wildcard_or_incomplete_cluster_resource_is_refused(example_project: Path, entry: str, message: str) -> None:
    assert run(example_project).exit_code == 0
    before = snapshot_tree(example_project / "rendered")
    text = EDGE_ADDON.format(url="https://charts.example.com")
    write_addon(example_project, "edge-proxy", text.replace("  - {group: rbac.authorization.k8s.io, kind: ClusterRole}", f"  - {entry}"))

    result = run(example_project)

    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {message}"), result.stderr
    assert snapshot_tree(example_project / "rendered") == before


def addon_objects() -> list[tuple[str, dict[str, Any]]]:
    """Every environment's add-on Applications and the AppProjects they name, from this repository's examples."""
    cases = []
    for rendered in render_project(load_project(ROOT)).sets:
        applications = [obj for obj in rendered.objects if obj["kind"] == "Application"
                        and obj["metadata"]["labels"].get("gitopsgen.io/addon") == "true"]
        projects = {app["spec"]["project"] for app in applications}
        for obj in rendered.objects:
            if obj in applications or (obj["kind"] == "AppProject" and obj["metadata"]["name"] in projects):
                cases.append((f"{rendered.env}/{obj['kind']}/{obj['metadata']['name']}", obj))
    return cases


ADDON_OBJECTS = addon_objects()


def test_the_examples_have_addons_in_every_environment() -> None:
    names = {name.split("/", 1)[0] + "/" + name.rsplit("/", 1)[-1] for name, _ in ADDON_OBJECTS}
    assert {"dev/addon-flagger-dev", "prod/addon-velero-prod", "staging/addon-kube-prometheus-stack-staging", "prod/platform"} <= names


@pytest.mark.parametrize(("name", "obj"), ADDON_OBJECTS, ids=[name for name, _ in ADDON_OBJECTS])
def test_addon_applications_and_projects_match_the_upstream_argo_cd_crds(name: str, obj: dict[str, Any]) -> None:
    import jsonschema

    schema = upstream_schema(obj["apiVersion"], obj["kind"])
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(obj))
    assert not errors, "\n".join(f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)
    if obj["kind"] == "AppProject":
        assert {"group": "*", "kind": "*"} not in obj["spec"]["clusterResourceWhitelist"]


# --- a chart that is available here: built with helm template from what the Application says -------


@pytest.fixture
def chart_repository(tmp_path: Path, helm: str) -> Iterator[str]:
    """tests/charts/service packaged into a Helm chart repository served over HTTP (index.yaml + .tgz)."""
    folder = tmp_path / "chart-repo"
    folder.mkdir()
    subprocess.run([helm, "package", str(CHART), "-d", str(folder)], check=True, capture_output=True, env=helm_env(tmp_path))
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    subprocess.run([helm, "repo", "index", str(folder), "--url", url], check=True, capture_output=True, env=helm_env(tmp_path))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


def helm_env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "helm-home"
    return {**os.environ, "HELM_CACHE_HOME": str(home / "cache"), "HELM_CONFIG_HOME": str(home / "config"),
            "HELM_DATA_HOME": str(home / "data")}


def test_helm_template_builds_an_addon_chart_from_each_environments_application(
        example_project: Path, chart_repository: str, helm: str, tmp_path: Path) -> None:
    write_addon(example_project, "edge-proxy", EDGE_ADDON.format(url=chart_repository), prod_override={"values": {"replicaCount": 3}})
    assert run(example_project).exit_code == 0

    replicas = {}
    for env in ("dev", "staging", "prod"):
        source = rendered_yaml(example_project, f"argocd/{env}/addon-edge-proxy.yaml")["spec"]
        chart, namespace = source["source"], source["destination"]["namespace"]
        values = tmp_path / f"values-{env}.yaml"
        values.write_text(yaml.safe_dump(chart["helm"]["valuesObject"]))
        built = subprocess.run([helm, "template", chart["helm"]["releaseName"], chart["chart"], "--repo", chart["repoURL"],
                                "--version", chart["targetRevision"], "--namespace", namespace, "-f", str(values)],
                               capture_output=True, text=True, env=helm_env(tmp_path), timeout=120)
        assert built.returncode == 0, built.stderr
        (deployment,) = [obj for obj in yaml.safe_load_all(built.stdout) if obj and obj["kind"] == "Deployment"]
        assert deployment["metadata"]["labels"]["tier"] == f"edge-{env}"
        assert deployment["spec"]["template"]["spec"]["containers"][0]["image"] == "registry.example.com/edge/proxy:1.0.0"
        replicas[env] = deployment["spec"]["replicas"]
    assert replicas == {"dev": 1, "staging": 1, "prod": 3}


def test_namespaces_and_addons_are_read_by_one_loop_with_the_same_rules(example_project: Path) -> None:
    """Hidden files are left out; a name defined twice is an error naming the first file, in both folders."""
    (example_project / "addons" / ".edge-proxy.yaml").write_text("not: [an add-on\n")  # an editor's backup
    (example_project / "namespaces" / ".swap.yaml").write_text("{")
    assert run(example_project).exit_code == 0

    for folder, first in (("addons", "flagger"), ("namespaces", "hackai")):
        twin = example_project / folder / "zz-twin.yaml"
        text = (example_project / folder / f"{first}.yaml").read_text()
        twin.write_text("".join(line for line in text.splitlines(True) if not line.startswith("name:")) + f"name: {first}\n")
        result = run(example_project)
        what = "add-on" if folder == "addons" else "namespace"
        assert result.exit_code == 2
        assert result.stderr.startswith(f"error: {folder}/zz-twin.yaml:") and (
            f": {what} '{first}' is already defined in {folder}/{first}.yaml; define it once\n") in result.stderr
        twin.unlink()


def test_an_addon_named_like_an_app_with_the_addon_prefix_is_refused(example_project: Path) -> None:
    blueprint = (example_project / "blueprints" / "market-data.yaml").read_text()
    (example_project / "blueprints" / "addon-flagger.yaml").write_text(
        "\n".join(line for line in blueprint.splitlines() if not line.startswith("name:")) + "\n")

    result = run(example_project)

    assert result.exit_code == 2
    assert "addons/flagger.yaml" in result.stderr and "clashes with app 'addon-flagger'" in result.stderr
