"""What each environment's root Application applies — rendered/argocd/<env>/ but root.yaml: the namespaces'
objects (Namespace, ResourceQuota, LimitRange, shared ServiceAccounts, SecretStores, ExternalSecrets, Istio
Gateways and their Certificates), AppProjects and Applications — builds with the real `kubectl kustomize` to exactly the objects gitopsgen
says it renders; and `check --only <app>` compares and reports only that app."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from test_render import run

from generator.cli import cli
from generator.load import load_project
from generator.render.argocd import ROOT_FILE
from generator.render.project import render_project

ROOT = Path(__file__).resolve().parent.parent
Key = tuple[str, str, str]


def by_key(objects: list[dict]) -> dict[Key, dict]:
    return {(o["kind"], o["metadata"].get("namespace", ""), o["metadata"]["name"]): o for o in objects}


RENDERING = render_project(load_project(ROOT))
ENVS = sorted({s.env for s in RENDERING.sets if s.app == "argocd"})


@pytest.mark.parametrize("env", ENVS)
def test_namespace_labels_go_on_the_namespace_only_and_common_labels_everywhere(env: str) -> None:
    objects = [o for s in RENDERING.sets if s.app == "argocd" and s.env == env for o in s.objects
               if o["metadata"].get("namespace", o["metadata"]["name"]) == f"atlas-financial-{env}"]
    namespace = [o for o in objects if o["kind"] == "Namespace"]
    others = [o for o in objects if o["kind"] in ("ResourceQuota", "LimitRange")]
    assert len(namespace) == 1 and len(others) == 2
    assert namespace[0]["metadata"]["labels"]["istio-injection"] == "enabled"
    assert namespace[0]["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    for obj in namespace + others:
        assert obj["metadata"]["labels"]["gitopsgen.io/team"] == "atlas-financial"
    for obj in others:
        assert not {"istio-injection", "pod-security.kubernetes.io/enforce"} & set(obj["metadata"]["labels"])


@pytest.mark.parametrize("env", ENVS)
def test_kubectl_kustomize_builds_what_the_root_application_applies(env: str, kubectl: str, tmp_path: Path) -> None:
    folder = tmp_path / env
    folder.mkdir()
    files = sorted(path.rsplit("/", 1)[1] for path in RENDERING.files
                   if path.startswith(f"argocd/{env}/") and path.count("/") == 2 and not path.endswith("/" + ROOT_FILE))
    for name in files:
        (folder / name).write_text(RENDERING.files[f"argocd/{env}/{name}"])
    (folder / "kustomization.yaml").write_text(yaml.safe_dump({"resources": files}))

    output = subprocess.run([kubectl, "kustomize", str(folder)], check=True, capture_output=True, text=True).stdout

    built = [doc for doc in yaml.safe_load_all(output) if doc]
    (argocd_set,) = [s for s in RENDERING.sets if s.app == "argocd" and s.env == env]
    expected = [obj for obj in argocd_set.objects if obj["metadata"]["name"] != f"apps-{env}"]  # the root Application
    assert len(built) == len(by_key(built)), "two objects of the same kind and name"
    assert sorted(by_key(built)) == sorted(by_key(expected))
    for key, obj in by_key(expected).items():
        assert by_key(built)[key] == obj, f"{key} differs"
    kinds = {obj["kind"] for obj in built}
    assert {"Namespace", "ResourceQuota", "LimitRange", "ServiceAccount", "SecretStore", "ExternalSecret", "Gateway", "Certificate"} <= kinds


def check_json(project: Path, *args: str) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(cli, ["check", "-C", str(project), "-o", "json", *args])
    return result.exit_code, json.loads(result.stdout)["resources"]


def test_check_only_compares_and_reports_only_the_selected_app(example_project: Path) -> None:
    quota = example_project / "namespaces" / "ihcl-ai.yaml"
    quota.write_text(quota.read_text().replace('pods: "120"', 'pods: "121"'))  # rendered/ is now stale for ihcl-ai
    market = example_project / "blueprints" / "market-data.yaml"
    market.write_text(market.read_text().replace("cpu: 60", "cpu: 65"))  # and for market-data

    code, everything = check_json(example_project)
    assert code == 1
    drifted = sorted(r["path"] for r in everything if any(f["rule"] == "rendered-drift" for f in r["findings"]))
    assert "rendered/argocd/prod/namespace-ihcl-ai-resourcequota.yaml" in drifted and "rendered/market-data/base/hpa.yaml" in drifted

    code, selected = check_json(example_project, "--only", "ai-prism-api")

    assert code == 0, [r for r in selected if r["findings"]]
    kinds = {(r["kind"], r["name"]) for r in selected}
    assert ("Application", "ai-prism-api-prod") in kinds and ("Deployment", "ai-prism-api") in kinds
    assert not [r for r in selected if r["kind"] in ("AppProject", "Namespace", "ResourceQuota")
                or r["name"].startswith(("market-data", "addon-"))]

    code, market_only = check_json(example_project, "--only", "market-data")
    assert code == 1
    assert [r["path"] for r in market_only if r["findings"] and r["findings"][0]["rule"] == "rendered-drift"] == [
        "rendered/market-data/base/hpa.yaml"]
    assert run(example_project).exit_code == 0
