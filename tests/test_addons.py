"""Add-ons (addons/<name>.yaml): the AppProject allows only what each chart declares it creates at cluster
scope; the Applications and AppProjects validate strictly against Argo CD's upstream CRDs; and a chart
that is available here builds with `helm template` from exactly what the Application says, per environment."""

from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
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


def test_an_addon_reaching_into_other_namespaces_gets_exactly_those_destinations(example_project: Path) -> None:
    write_addon(example_project, "edge-proxy", EDGE_ADDON.format(url="https://charts.example.com") + "otherNamespaces: [kube-system]\n",
                prod_override={"otherNamespaces": ["kube-system", "kube-public"]})
    write_addon(example_project, "edge-dns", "team: edge-dns\nnamespace: edge-dns\n"
                "chart: {repoURL: https://charts.example.com, name: dns, version: 2.0.0}\n")

    assert run(example_project).exit_code == 0

    def namespaces(env: str, project: str) -> list[str]:
        return [d["namespace"] for d in rendered_yaml(example_project, f"argocd/{env}/project-{project}.yaml")["spec"]["destinations"]]
    assert namespaces("dev", "edge") == ["edge-system", "kube-system"]
    assert namespaces("prod", "edge") == ["edge-system", "kube-public", "kube-system"]
    assert namespaces("prod", "edge-dns") == ["edge-dns"]  # declares none: its own namespace only
    application = rendered_yaml(example_project, "argocd/prod/addon-edge-proxy.yaml")["spec"]["destination"]
    assert application == {"name": "prod", "namespace": "edge-system"}  # the chart still installs into its own


@pytest.mark.parametrize(("addition", "prod_override", "message"), [
    ("otherNamespaces: [kube-system, edge-system]\n", None,
     "addons/edge-proxy.yaml:12: otherNamespaces.1 is 'edge-system', the add-on's own namespace; list only the other"),
    ("otherNamespaces: [Kube_System]\n", None, "addons/edge-proxy.yaml:12: otherNamespaces.0"),
    ("", {"otherNamespaces": ["edge-system"]},
     "overlays/prod.yaml:"),
])
def test_an_addon_listing_its_own_or_an_invalid_namespace_is_refused(
        example_project: Path, addition: str, prod_override: dict[str, Any] | None, message: str) -> None:
    assert run(example_project).exit_code == 0
    before = snapshot_tree(example_project / "rendered")
    write_addon(example_project, "edge-proxy", EDGE_ADDON.format(url="https://charts.example.com") + addition, prod_override)

    result = run(example_project)

    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {message}") and "otherNamespaces" in lines[0], result.stderr
    assert snapshot_tree(example_project / "rendered") == before


EXAMPLE_SETS = render_project(load_project(ROOT)).sets


def addon_objects() -> list[tuple[str, dict[str, Any]]]:
    """Every environment's add-on Applications and the AppProjects they name, from this repository's examples."""
    cases = []
    for rendered in EXAMPLE_SETS:
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


def served_metric(rule: dict[str, Any]) -> str:
    """The custom metric a prometheus-adapter rule serves: its series renamed by ``name`` (the adapter's
    ``matches`` regex, ``as`` with ``$1``-style groups, default the first group or the whole name)."""
    series = re.fullmatch(r"([a-zA-Z_:][a-zA-Z0-9_:]*)\{.*\}", rule["seriesQuery"])
    assert series, f"not one named series: {rule['seriesQuery']!r}"
    naming = rule.get("name", {})
    pattern = re.compile(naming.get("matches") or "^(.*)$")
    match = pattern.search(series.group(1))
    assert match, f"{pattern.pattern!r} does not match {series.group(1)!r}"
    template = naming.get("as") or ("$1" if pattern.groups else "$0")
    return re.sub(r"\$(\d+)", lambda group: match.group(int(group.group(1))), template)


def pods_metrics(env: str) -> set[str]:
    """The Pods metrics the examples' HPAs scale on in one environment."""
    return {metric["pods"]["metric"]["name"] for rendered in EXAMPLE_SETS if rendered.env == env
            for obj in rendered.objects if obj["kind"] == "HorizontalPodAutoscaler"
            for metric in obj["spec"].get("metrics", []) if metric["type"] == "Pods"}


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_the_metrics_adapter_serves_exactly_the_pods_metrics_the_examples_hpas_scale_on(env: str) -> None:
    """An HPA's Pods metric comes from the custom metrics API: without a rule serving it the HPA never scales on it.
    The add-on is the same in every environment: it serves every environment's Pods metrics (dev runs no HPA)."""
    (adapter,) = [obj for name, obj in ADDON_OBJECTS if name == f"{env}/Application/addon-prometheus-adapter-{env}"]
    values = adapter["spec"]["source"]["helm"]["valuesObject"]
    served = [served_metric(rule) for rule in values["rules"]["custom"]]

    assert pods_metrics(env) <= set(served)
    everywhere = pods_metrics("dev") | pods_metrics("staging") | pods_metrics("prod")
    assert {"inference_requests_per_second", "websocket_connections"} <= everywhere
    assert sorted(served) == sorted(everywhere)  # one rule per metric, none that no HPA reads
    assert values["rules"]["default"] is False  # the chart's defaults would publish every series
    for rule in values["rules"]["custom"]:
        assert rule["resources"] == {"overrides": {"namespace": {"resource": "namespace"}, "pod": {"resource": "pod"}}}
        assert "<<.LabelMatchers>>" in rule["metricsQuery"] and "by (<<.GroupBy>>)" in rule["metricsQuery"]
    prometheus = values["prometheus"]["url"].removeprefix("http://").split(".")
    assert prometheus[1] == "monitoring" and prometheus[0] == "kube-prometheus-stack-prometheus"
    stack = [obj for name, obj in ADDON_OBJECTS if name == f"{env}/Application/addon-kube-prometheus-stack-{env}"][0]
    wave = int(adapter["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"])
    assert wave > int(stack["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"])
    project = next(obj for name, obj in ADDON_OBJECTS if name == f"{env}/AppProject/{adapter['spec']['project']}")
    assert {"group": "apiregistration.k8s.io", "kind": "APIService"} in project["spec"]["clusterResourceWhitelist"]
    assert {**adapter["spec"]["destination"], "namespace": "kube-system"} in project["spec"]["destinations"]


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


def resource_metrics(env: str) -> set[str]:
    """The resources (cpu, memory) the examples' HPAs scale on in one environment."""
    return {metric["resource"]["name"] for rendered in EXAMPLE_SETS if rendered.env == env
            for obj in rendered.objects if obj["kind"] == "HorizontalPodAutoscaler"
            for metric in obj["spec"].get("metrics", []) if metric["type"] == "Resource"}


def app_waves(env: str) -> set[int]:
    """The sync waves of the examples' app Applications (not add-ons) in one environment."""
    return {int(obj["metadata"].get("annotations", {}).get("argocd.argoproj.io/sync-wave", "0"))
            for rendered in EXAMPLE_SETS if rendered.env == env for obj in rendered.objects
            if obj["kind"] == "Application" and obj["metadata"]["labels"].get("gitopsgen.io/addon") != "true"}


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_metrics_server_serves_the_resource_metrics_the_examples_hpas_scale_on(env: str) -> None:
    """EKS has no metrics-server: without the add-on no CPU/memory HPA of the estate ever scales."""
    applications = [obj for name, obj in ADDON_OBJECTS if name == f"{env}/Application/addon-metrics-server-{env}"]
    if env != "dev":
        assert {"cpu", "memory"} & resource_metrics(env)
    if not resource_metrics(env):
        return
    (server,) = applications
    assert server["spec"]["source"]["chart"] == "metrics-server"
    assert server["spec"]["destination"]["namespace"] == "kube-system"
    values = server["spec"]["source"]["helm"]["valuesObject"]
    assert values.get("apiService", {}).get("create", True) is True  # the chart's APIService v1beta1.metrics.k8s.io
    assert values["replicas"] >= 2 and values["podDisruptionBudget"]["enabled"] is True
    assert int(server["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"]) < min(app_waves(env))
    project = next(obj for name, obj in ADDON_OBJECTS if name == f"{env}/AppProject/{server['spec']['project']}")
    assert {"group": "apiregistration.k8s.io", "kind": "APIService"} in project["spec"]["clusterResourceWhitelist"]
    assert server["spec"]["destination"] in project["spec"]["destinations"]


# --- the namespace an add-on's Application creates: Pod Security and other labels through Argo CD ------


def test_an_addons_namespace_gets_its_pod_security_level_and_labels_from_argo_cd(example_project: Path) -> None:
    write_addon(example_project, "edge-proxy", EDGE_ADDON.format(url="https://charts.example.com")
                + "podSecurity: baseline\nnamespaceLabels: {team: edge}\n", prod_override={"podSecurity": "restricted"})
    assert run(example_project).exit_code == 0

    import jsonschema

    levels = {}
    for env in ("dev", "staging", "prod"):
        application = rendered_yaml(example_project, f"argocd/{env}/addon-edge-proxy.yaml")
        errors = list(jsonschema.Draft7Validator(upstream_schema("argoproj.io/v1alpha1", "Application")).iter_errors(application))
        assert not errors, [error.message for error in errors]
        labels = application["spec"]["syncPolicy"]["managedNamespaceMetadata"]["labels"]
        assert "CreateNamespace=true" in application["spec"]["syncPolicy"]["syncOptions"]
        modes = {key.removeprefix("pod-security.kubernetes.io/"): value for key, value in labels.items() if key != "team"}
        assert set(modes) == {"enforce", "audit", "warn", "enforce-version", "audit-version", "warn-version"}
        assert {modes["enforce"], modes["audit"], modes["warn"]} == {modes["enforce"]} and labels["team"] == "edge"
        levels[env] = modes["enforce"]
    assert levels == {"dev": "baseline", "staging": "baseline", "prod": "restricted"}


def test_an_addon_without_namespace_metadata_leaves_the_namespace_alone(example_project: Path) -> None:
    write_addon(example_project, "edge-proxy", EDGE_ADDON.format(url="https://charts.example.com"))
    assert run(example_project).exit_code == 0
    assert "managedNamespaceMetadata" not in rendered_yaml(example_project, "argocd/prod/addon-edge-proxy.yaml")["spec"]["syncPolicy"]


EDGE_TEXT = EDGE_ADDON.format(url="https://charts.example.com")


@pytest.mark.parametrize(("text", "prod_override", "message"), [
    (EDGE_TEXT + "namespaceLabels: {pod-security.kubernetes.io/enforce: privileged}\n", None,
     "addons/edge-proxy.yaml:12: namespaceLabels.pod-security.kubernetes.io/enforce is a Pod Security label; set podSecurity"),
    (EDGE_TEXT + "namespaceLabels: {team: 'not a label value'}\n", None, "addons/edge-proxy.yaml:12: "),
    (EDGE_TEXT + "podSecurity: lenient\n", None, "addons/edge-proxy.yaml:12: "),
    (EDGE_TEXT.replace("namespace: edge-system", "namespace: kube-system") + "podSecurity: baseline\n", None,
     "addons/edge-proxy.yaml:12: podSecurity would relabel kube-system, a namespace every cluster has"),
    (EDGE_TEXT.replace("syncOptions: [CreateNamespace=true]", "syncOptions: [ServerSideApply=true]") + "namespaceLabels: {team: edge}\n",
     None, "addons/edge-proxy.yaml:12: namespaceLabels labels the namespace the Application creates; add CreateNamespace=true"),
    (EDGE_TEXT.replace("namespace: edge-system", "namespace: monitoring") + "podSecurity: baseline\n", None,
     "addons/kube-prometheus-stack.yaml:12: namespace 'monitoring' already gets its labels from add-on 'edge-proxy'"),
    (EDGE_TEXT.replace("namespace: edge-system", "namespace: monitoring"), {"namespaceLabels": {"team": "edge"}},
     "overlays/prod.yaml:"),  # the environment's override is named, not the file it collides with
])
def test_bad_namespace_metadata_on_an_addon_is_refused(
        example_project: Path, text: str, prod_override: dict[str, Any] | None, message: str) -> None:
    assert run(example_project).exit_code == 0
    before = snapshot_tree(example_project / "rendered")
    write_addon(example_project, "edge-proxy", text, prod_override)

    result = run(example_project)

    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {message}"), result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot_tree(example_project / "rendered") == before


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_every_namespace_the_example_addons_create_gets_its_pod_security_level_once(env: str) -> None:
    """Argo CD creates these namespaces: without managedNamespaceMetadata they would have no Pod Security level
    at all (the cluster default, privileged). One Application per namespace sets it; kube-system is the cluster's."""
    levels: dict[str, list[str]] = {}
    for name, obj in ADDON_OBJECTS:
        if not name.startswith(f"{env}/Application/"):
            continue
        namespace, sync = obj["spec"]["destination"]["namespace"], obj["spec"].get("syncPolicy", {})
        labels = sync.get("managedNamespaceMetadata", {}).get("labels", {})
        if namespace == "kube-system":
            assert not labels, name
            continue
        assert "CreateNamespace=true" in sync.get("syncOptions", []), name
        if labels:
            assert {labels[f"pod-security.kubernetes.io/{mode}"] for mode in ("enforce", "audit", "warn")} == {
                labels["pod-security.kubernetes.io/enforce"]}, name
            levels.setdefault(namespace, []).append(labels["pod-security.kubernetes.io/enforce"])
    created = {obj["spec"]["destination"]["namespace"] for name, obj in ADDON_OBJECTS
               if name.startswith(f"{env}/Application/")} - {"kube-system"}
    assert set(levels) == created
    assert all(len(found) == 1 for found in levels.values()), levels
    # node-level agents (node-exporter, Falco, the Istio CNI node agent) need host access only privileged allows
    assert {namespace for namespace, (level,) in levels.items() if level == "privileged"} == {"monitoring", "falco", "istio-system"}


IGNORED_WEBHOOK_POLICY = {"group": "admissionregistration.k8s.io", "kind": "ValidatingWebhookConfiguration",
                          "jqPathExpressions": [".webhooks[]?.failurePolicy"]}


def test_ignore_differences_reach_the_application_as_the_upstream_crd_defines_them(example_project: Path) -> None:
    write_addon(example_project, "edge-proxy", EDGE_ADDON.format(url="https://charts.example.com").replace(
        "[CreateNamespace=true]", "[CreateNamespace=true, RespectIgnoreDifferences=true]")
        + "ignoreDifferences:\n  - {group: admissionregistration.k8s.io, kind: ValidatingWebhookConfiguration,"
          " jqPathExpressions: ['.webhooks[]?.failurePolicy']}\n"
          "  - {group: apps, kind: Deployment, name: proxy, jsonPointers: [/spec/replicas]}\n")

    assert run(example_project).exit_code == 0

    application = rendered_yaml(example_project, "argocd/prod/addon-edge-proxy.yaml")
    assert application["spec"]["ignoreDifferences"] == [
        IGNORED_WEBHOOK_POLICY, {"group": "apps", "kind": "Deployment", "name": "proxy", "jsonPointers": ["/spec/replicas"]}]
    assert "RespectIgnoreDifferences=true" in application["spec"]["syncPolicy"]["syncOptions"]
    jsonschema.validate(application, upstream_schema("argoproj.io/v1alpha1", "Application"))


@pytest.mark.parametrize(("entry", "message"), [
    ("{kind: ValidatingWebhookConfiguration}", "addons/edge-proxy.yaml:13: ignoreDifferences.0 ignores nothing; add jsonPointers, jqPathExpressions or managedFieldsManagers"),
    ("{kind: Deployment, jsonPointers: [spec/replicas]}", "addons/edge-proxy.yaml:13: ignoreDifferences.0.jsonPointers.0: "),
    ("{kind: Deployment, jqPathExpression: ['.spec.replicas']}", "addons/edge-proxy.yaml:13: unknown field 'ignoreDifferences.0.jqPathExpression'"),
])
def test_an_ignore_differences_entry_that_ignores_nothing_or_is_misspelt_is_refused(
        example_project: Path, entry: str, message: str) -> None:
    assert run(example_project).exit_code == 0
    before = snapshot_tree(example_project / "rendered")
    write_addon(example_project, "edge-proxy", EDGE_ADDON.format(url="https://charts.example.com") + f"ignoreDifferences:\n  - {entry}\n")

    result = run(example_project)

    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {message}"), result.stderr
    assert snapshot_tree(example_project / "rendered") == before


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_every_cluster_issuer_an_ingress_names_ships_with_cert_manager_as_its_upstream_crd_defines_it(env: str) -> None:
    objects = [obj for rendered in EXAMPLE_SETS if rendered.env == env for obj in rendered.objects]
    cert_manager = next(obj for obj in objects if obj["kind"] == "Application" and obj["metadata"]["name"] == f"addon-cert-manager-{env}")
    shipped = [yaml.safe_load(text) for text in cert_manager["spec"]["source"]["helm"]["valuesObject"]["extraObjects"]]
    for obj in shipped:
        jsonschema.validate(obj, upstream_schema(obj["apiVersion"], obj["kind"]))
    issuers = {obj["metadata"]["name"]: obj for obj in shipped if obj["kind"] == "ClusterIssuer"}
    ingresses = [obj for obj in objects if obj["kind"] == "Ingress"]
    named = {obj["metadata"]["annotations"]["cert-manager.io/cluster-issuer"]: obj for obj in ingresses
             if "cert-manager.io/cluster-issuer" in obj["metadata"].get("annotations", {})}
    assert named and set(named) <= set(issuers)
    for name, ingress in named.items():  # an HTTP-01 challenge is answered through the Ingress's own class
        solvers = issuers[name]["spec"]["acme"]["solvers"]
        assert {s["http01"]["ingress"]["ingressClassName"] for s in solvers if "http01" in s} == {ingress["spec"]["ingressClassName"]}
    # a Gateway's certificate is proven by DNS-01: its host resolves to an Istio gateway, which answers no HTTP-01
    certificates = [obj for obj in objects if obj["kind"] == "Certificate"]
    assert certificates
    for certificate in certificates:
        issuer = issuers[certificate["spec"]["issuerRef"]["name"]]
        for host in certificate["spec"]["dnsNames"]:
            assert "dns01" in acme_solver_for(host, issuer["spec"]["acme"]["solvers"]), (certificate["metadata"]["name"], host)


def acme_solver_for(host: str, solvers: list[dict[str, Any]]) -> dict[str, Any]:
    """The solver cert-manager picks for a host: the longest matching dnsZones selector, else one without a selector."""
    def zone_match(solver: dict[str, Any]) -> int:
        zones = solver.get("selector", {}).get("dnsZones", [])
        return max((len(zone) for zone in zones if host == zone or host.endswith("." + zone)), default=-1 if zones else 0)
    return max(solvers, key=zone_match)
