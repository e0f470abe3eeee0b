"""A namespace's Istio Gateways (``gateways`` of namespaces/<name>.yaml): the Gateway in the team's namespace,
the cert-manager Certificate of its TLS Secret in the gateway workload's namespace, and the estate's two
(ai-prism-gateway, which ai-prism-api's Flagger Canary routes through, and Wave 2's atlas-financial-gateway)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from test_render import assert_refused, run, snapshot_tree

from generator.addons import load_addons
from generator.load import load_project
from generator.render.project import render_project

ROOT = Path(__file__).resolve().parent.parent
PROJECT = load_project(ROOT)
RENDERING = render_project(PROJECT)
ENVS = ["dev", "staging", "prod"]


def objects(env: str, kind: str) -> list[dict[str, Any]]:
    return [obj for rendered in RENDERING.sets if rendered.env == env for obj in rendered.objects if obj["kind"] == kind]


def hosts_of(gateway: dict[str, Any]) -> set[str]:
    return {host.split("/", 1)[1] for server in gateway["spec"]["servers"] for host in server["hosts"]}


@pytest.mark.parametrize("env", ENVS)
def test_every_gateway_a_canary_routes_through_exists_in_its_namespace_and_serves_its_hosts(env: str) -> None:
    gateways = {(g["metadata"]["namespace"], g["metadata"]["name"]): g for g in objects(env, "Gateway")}
    canaries = [c for c in objects(env, "Canary") if c["spec"]["service"].get("gateways")]
    assert canaries
    for canary in canaries:
        namespace = canary["metadata"]["namespace"]
        for name in canary["spec"]["service"]["gateways"]:
            key = tuple(name.split("/", 1)) if "/" in name else (namespace, name)
            assert key in gateways, f"{canary['metadata']['name']} routes through {name}, which nothing creates"
            assert set(canary["spec"]["service"]["hosts"]) <= hosts_of(gateways[key])


@pytest.mark.parametrize("env", ENVS)
def test_each_gateway_serves_https_only_with_a_certificate_in_its_workload_namespace(env: str) -> None:
    certificates = {(c["metadata"]["namespace"], c["spec"]["secretName"]): c for c in objects(env, "Certificate")}
    addons = load_addons(ROOT, PROJECT.environments, set(PROJECT.blueprints))
    gateways = objects(env, "Gateway")
    assert {g["metadata"]["name"] for g in gateways} == {"ai-prism-gateway", "atlas-financial-gateway"}
    for gateway in gateways:
        https, http = gateway["spec"]["servers"]
        assert https["port"] == {"number": 443, "name": "https", "protocol": "HTTPS"}
        assert https["tls"]["mode"] == "SIMPLE" and https["tls"]["minProtocolVersion"] == "TLSV1_2"
        assert http["tls"] == {"httpsRedirect": True} and http["hosts"] == https["hosts"]
        assert all(host.startswith("./") for host in https["hosts"])  # only the team's own routes bind them
        # the workload: an add-on of Istio's gateway chart, whose pods carry istio: <release name>
        (addon,) = [a.settings_for(PROJECT.environments[env]) for a in addons.values()
                    if {"istio": a.spec.get("releaseName", a.name)} == gateway["spec"]["selector"]]
        assert addon["chart"]["name"] == "gateway"
        certificate = certificates[(addon["namespace"], https["tls"]["credentialName"])]
        assert set(certificate["spec"]["dnsNames"]) == hosts_of(gateway)
        assert certificate["spec"]["issuerRef"] == {"group": "cert-manager.io", "kind": "ClusterIssuer", "name": "letsencrypt-prod"}
        # the add-on creates that namespace (wave 0 at most): the Certificate comes after it
        assert int(addon.get("syncWave", 0)) < int(certificate["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"])


@pytest.mark.parametrize(("env", "ai_prism", "atlas"), [
    ("dev", "ai-prism-api.dev.example.com", "atlas-financial-ai.dev.example.com"),
    ("staging", "ai-prism-api.staging.example.com", "atlas-financial-ai.staging.example.com"),
    ("prod", "api.ai-prism.com", "ai.atlas-financial.com"),
])
def test_the_estates_hosts_per_environment(env: str, ai_prism: str, atlas: str) -> None:
    gateways = {g["metadata"]["name"]: g for g in objects(env, "Gateway")}
    assert hosts_of(gateways["ai-prism-gateway"]) == {ai_prism}
    assert gateways["ai-prism-gateway"]["metadata"]["namespace"] == f"ai-prism-{env}"
    assert hosts_of(gateways["atlas-financial-gateway"]) == {atlas}
    assert gateways["atlas-financial-gateway"]["metadata"]["namespace"] == f"atlas-financial-{env}"


def test_ai_prism_api_admits_its_gateway() -> None:
    (policy,) = [p for p in objects("prod", "NetworkPolicy") if p["metadata"]["name"] == "ai-prism-api"]
    admitted = [rule for rule in policy["spec"]["ingress"]
                if any(peer.get("namespaceSelector", {}).get("matchLabels", {}).get("kubernetes.io/metadata.name") == "ai-prism-gateway"
                       for peer in rule["from"])]
    assert admitted and {port["port"] for rule in admitted for port in rule["ports"]} == {8080}


TEAM = """team: web
gateways:
  web:
    selector: {istio: web-gateway}
    workloadNamespace: edge
    hosts: ["web.{domain}"]
    tls: {clusterIssuer: letsencrypt-prod}
"""


def rendered_yaml(project: Path, relative: str) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((project / "rendered" / relative).read_text())
    return document


def test_an_environment_overrides_one_gateway_field_and_keeps_the_rest(example_project: Path) -> None:
    (example_project / "namespaces" / "web.yaml").write_text(TEAM + "  internal:\n    selector: {istio: internal}\n"
                                                            "    hosts: [internal.example.com]\n    tls: {secretName: wildcard-tls}\n"
                                                            "    httpsRedirect: false\n")
    prod = example_project / "overlays" / "prod.yaml"
    prod.write_text(prod.read_text().replace("namespaces:\n", "namespaces:\n  web:\n    gateways:\n      web: {hosts: [www.example.org]}\n"))

    assert run(example_project).exit_code == 0

    gateway = rendered_yaml(example_project, "argocd/prod/namespace-web-gateway-web.yaml")
    assert [server["hosts"] for server in gateway["spec"]["servers"]] == [["./www.example.org"], ["./www.example.org"]]
    assert gateway["spec"]["selector"] == {"istio": "web-gateway"}
    certificate = rendered_yaml(example_project, "argocd/prod/namespace-web-certificate-web-tls.yaml")
    assert certificate["metadata"]["namespace"] == "edge" and certificate["spec"]["dnsNames"] == ["www.example.org"]
    assert rendered_yaml(example_project, "argocd/dev/namespace-web-certificate-web-tls.yaml")["spec"]["dnsNames"] == ["web.dev.example.com"]
    # a Secret provided by hand: no Certificate; no redirect: one server, and the Gateway's own namespace holds the Secret
    internal = rendered_yaml(example_project, "argocd/dev/namespace-web-gateway-internal.yaml")
    assert len(internal["spec"]["servers"]) == 1 and internal["spec"]["servers"][0]["tls"]["credentialName"] == "wildcard-tls"
    assert not (example_project / "rendered/argocd/dev/namespace-web-certificate-wildcard-tls.yaml").exists()


def test_two_namespaces_writing_one_certificate_is_an_error_naming_both(example_project: Path) -> None:
    before = snapshot_tree(example_project / "rendered")
    (example_project / "namespaces" / "web.yaml").write_text(TEAM)
    (example_project / "namespaces" / "shop.yaml").write_text(TEAM.replace("team: web", "team: shop"))

    assert_refused(run(example_project), "namespaces/web.yaml:7: Certificate edge/web-tls in dev is also emitted by "
                                         "namespaces/shop.yaml:7; name one of them differently")
    assert snapshot_tree(example_project / "rendered") == before


def test_a_gateway_host_needing_a_domain_the_environment_lacks_is_refused(tmp_path: Path) -> None:
    for relative, text in {"namespaces/web.yaml": TEAM, "overlays/qa.yaml": "cluster: {name: qa}\n",
                           "blueprints/api.yaml": "image: {repository: x/api, tag: v1}\n"}.items():
        (tmp_path / relative).parent.mkdir(exist_ok=True)
        (tmp_path / relative).write_text(text)

    assert_refused(run(tmp_path), "namespaces/web.yaml:6: web.{domain} uses {domain} but overlays/qa.yaml sets no 'domain'; add one")
    assert not (tmp_path / "rendered").exists()


def test_check_reports_a_canary_routing_through_a_gateway_no_namespace_file_defines(example_project: Path) -> None:
    import json

    from click.testing import CliRunner

    from generator.cli import cli

    blueprint = example_project / "blueprints" / "ai-prism-api.yaml"
    blueprint.write_text(blueprint.read_text().replace("gateways: [ai-prism-gateway]", "gateways: [ai-prism-gatway]"))
    assert run(example_project).exit_code == 0

    result = CliRunner().invoke(cli, ["check", "-C", str(example_project), "-o", "json", "--env", "prod"])

    assert result.exit_code == 1
    found = [(resource["kind"], finding["message"]) for resource in json.loads(result.stdout)["resources"]
             for finding in resource["findings"] if finding["rule"] == "istio-gateway-missing"]
    assert found == [("Canary", "Canary routes through Istio Gateway ai-prism-prod/ai-prism-gatway, which nothing in the set creates")]
