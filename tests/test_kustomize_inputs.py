"""A folder holding a kustomization.yaml is read as what it builds, by validate and lint alike.

For gitopsgen's own output (built in process, held to `kubectl kustomize` by the fidelity tests)
and for an ordinary Kustomize repository (built by the real tool).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import cli
from generator.load import load_project
from generator.render.project import render_project
from generator.walk import manifest_inputs


def run(args: list[str], cwd: Path) -> tuple[int, str, str]:
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
    finally:
        os.chdir(previous)
    return result.exit_code, result.stdout, result.stderr


def identities(objects: list[dict]) -> list[tuple[str, str, str]]:
    return sorted((o["kind"], o["metadata"]["name"], o["metadata"].get("namespace", "")) for o in objects)


def test_validate_rendered_reads_each_overlay_as_the_objects_argo_cd_applies(example_project: Path) -> None:
    code, out, err = run(["validate", "rendered/", "--output", "json"], example_project)
    assert (code, err) == (0, "")
    document = json.loads(out)
    validated = sorted((r["kind"], r["name"], r["namespace"]) for r in document["resources"])
    helm_apps = {"user-service"}  # built by helm from its values file: not objects
    expected = [o for s in render_project(load_project(example_project)).sets if s.app not in helm_apps for o in s.objects]
    assert validated == identities(expected)
    assert not any("patch-" in r["path"] or "delete-" in r["path"] or "values-" in r["path"] for r in document["resources"])


def test_lint_base_and_overlay_lints_what_the_overlay_builds(example_project: Path) -> None:
    """dev deletes the HPA with a `$patch: delete` stub: it is not an object to lint."""
    code, out, _ = run(["lint", "--env", "dev", "rendered/ai-engine/base", "rendered/ai-engine/overlays/dev", "-o", "json"], example_project)
    document = json.loads(out)
    rules = {f["rule"] for r in document["resources"] for f in r["findings"]}
    assert "pdb-allows-disruption" not in rules
    [dev] = [s for s in render_project(load_project(example_project), ["dev"], ["ai-engine"]).sets if s.app == "ai-engine"]
    linted = sorted((r["kind"], r["name"], r["namespace"]) for r in document["resources"])
    assert linted == identities(dev.objects)  # the base is read through the overlay only
    assert code == 0


def test_the_base_named_alone_is_built_too(example_project: Path) -> None:
    code, out, _ = run(["validate", "rendered/ai-engine/base", "-o", "json"], example_project)
    document = json.loads(out)
    kinds = {r["kind"] for r in document["resources"]}
    assert "HorizontalPodAutoscaler" in kinds and "Kustomization" not in kinds and code == 0


def test_helm_values_files_are_left_out_of_a_walk_but_read_when_named(example_project: Path) -> None:
    walked = [item.path for item in manifest_inputs([str(example_project / "rendered" / "user-service")])]
    assert walked == []
    named = example_project / "rendered" / "user-service" / "helm" / "values-dev.yaml"
    code, _, _ = run(["validate", str(named)], example_project)
    assert code == 2  # the user asked for it: it is not a Kubernetes object


@pytest.fixture
def kustomize_repo(tmp_path: Path, kubectl: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An ordinary Kustomize repository using features gitopsgen never writes."""
    monkeypatch.setenv("PATH", f"{Path(kubectl).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    files = {
        "base/kustomization.yaml": "resources: [deployment.yaml, service.yaml]\ncommonLabels: {app: web}\n",
        "base/deployment.yaml": (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n"
            "  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n"
            "        image: nginx:1.27\n        ports:\n        - containerPort: notanumber\n"
        ),
        "base/service.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [{port: 80}]\n",
        "overlays/prod/kustomization.yaml": (
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../../base]\nnamePrefix: prod-\n"
            "namespace: web-prod\nconfigMapGenerator:\n- name: settings\n  literals: [MODE=prod]\n"
            "patches:\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: web}\n    spec: {replicas: 3}\n"
        ),
        "overlays/prod/values.yaml": "replicas: 3\n",  # a Helm values file beside it: never an object
    }
    for name, text in files.items():
        (tmp_path / "repo" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "repo" / name).write_text(text)
    return tmp_path / "repo"


def test_an_ordinary_kustomize_repository_is_built_by_the_real_tool(kustomize_repo: Path, kubectl: str) -> None:
    code, out, _ = run(["validate", ".", "-o", "json"], kustomize_repo)
    document = json.loads(out)
    built = list(yaml.safe_load_all(subprocess.run([kubectl, "kustomize", "overlays/prod"], cwd=kustomize_repo,
                                                   capture_output=True, text=True, check=True).stdout))
    assert sorted((r["kind"], r["name"], r["namespace"]) for r in document["resources"]) == identities(built)
    assert any(r["name"] == "prod-web" and r["namespace"] == "web-prod" for r in document["resources"])
    [finding] = [f for r in document["resources"] for f in r["findings"]]
    # the bad port points at the line of the base file that defines it
    assert (finding["path"], finding["line"]) == ("base/deployment.yaml", 16)  # through the name prefix
    assert code == 1


def test_a_finding_in_an_ordinary_repository_points_at_the_defining_file(kustomize_repo: Path) -> None:
    code, out, _ = run(["validate", "base", "-o", "json"], kustomize_repo)
    [finding] = [f for r in json.loads(out)["resources"] for f in r["findings"]]
    assert (finding["path"], finding["line"], finding["field"]) == ("base/deployment.yaml", 16, "spec.template.spec.containers[0].ports[0].containerPort")
    assert code == 1


@pytest.mark.parametrize("command", ["validate", "lint"])
def test_an_overlay_gitopsgen_could_build_but_for_a_field_s_type_is_left_to_kustomize(
        tmp_path: Path, kubectl: str, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    """Only its label pairs are not a mapping of text: the in-process build stopped on them with a traceback."""
    monkeypatch.setenv("PATH", f"{Path(kubectl).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    files = {
        "base/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [deployment.yaml]\n",
        "base/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  selector: {matchLabels: {app: app}}\n"
                                "  template:\n    metadata: {labels: {app: app}}\n    spec: {containers: [{name: app, image: 'app:1.0'}]}\n",
        "overlays/dev/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../../base]\n"
                                           "namespace: dev\nlabels: [{pairs: 7}]\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)

    code, out, err = run([command, "overlays/dev"], tmp_path)
    assert code == 2
    [line] = (out + err).strip().splitlines()  # kustomize's own answer, at the overlay's file (validate reports it, lint stops on it)
    assert "overlays/dev/kustomization.yaml" in line and "kustomize cannot build this folder: " in line and "Label.labels.pairs" in line


@pytest.mark.parametrize("command", ["validate", "lint"])
def test_a_fifo_beside_the_kustomization_is_not_read(kustomize_repo: Path, command: str) -> None:
    # the folder's files are parsed for positions: a FIFO named *.yaml was opened, and the run waited for it for ever
    os.mkfifo(kustomize_repo / "base" / "notes.yaml")
    completed = subprocess.run([sys.executable, "-c", "from generator.cli import main; main()", command, "base", "-o", "json"],
                               cwd=kustomize_repo, capture_output=True, text=True, timeout=60)
    assert completed.returncode in (0, 1), completed.stderr
    if command == "validate":  # the bad port, still located in the folder's files
        findings = [(f["path"], f["line"]) for r in json.loads(completed.stdout)["resources"] for f in r["findings"]]
        assert findings == [("base/deployment.yaml", 16)]


def test_without_kustomize_or_kubectl_the_error_says_what_to_install(kustomize_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    code, _, err = run(["lint", "overlays/prod"], kustomize_repo)
    assert code == 2
    assert err.startswith("error: overlays/prod/kustomization.yaml") and "install kustomize or kubectl" in err


def test_files_of_a_kustomize_folder_stand_for_what_it_builds_as_pre_commit_passes_them(example_project: Path) -> None:
    """pre-commit names every changed YAML file: patches and `$patch: delete` stubs among them."""
    overlay = example_project / "rendered" / "ai-engine" / "overlays" / "dev"
    base = example_project / "rendered" / "ai-engine" / "base"
    files = [str(path.relative_to(example_project)) for path in sorted([*overlay.iterdir(), *base.iterdir()])]
    assert any("delete-" in name for name in files) and any("patch-" in name for name in files)
    for command in (["validate", *files, "-o", "json"], ["lint", "--env", "dev", *files, "-o", "json"]):
        code, out, err = run(command, example_project)
        assert code == 0, out + err
        resources = json.loads(out)["resources"]
        [dev] = [s for s in render_project(load_project(example_project), ["dev"], ["ai-engine"]).sets if s.app == "ai-engine"]
        assert sorted((r["kind"], r["name"], r["namespace"]) for r in resources) == identities(dev.objects)


def test_positions_of_an_overlay_built_in_process_come_from_the_build_s_own_parse(example_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each file of gitopsgen's overlay is parsed once: a finding's line does not parse its source again."""
    from generator import kustomizations, yamlio

    parsed: list[str] = []
    original = yamlio.load_documents
    monkeypatch.setattr(yamlio, "load_documents", lambda text, path="<stdin>": parsed.append(path) or original(text, path))
    previous = Path.cwd()
    os.chdir(example_project)
    try:
        built = kustomizations.build("rendered/ai-engine/overlays/prod")
        [deployment] = [b for b in built if b.obj["kind"] == "Deployment"]
        file, line, _ = deployment.locate(("spec", "template", "spec", "containers", 0, "image"))
    finally:
        os.chdir(previous)
    assert len(parsed) == len(set(parsed)) and "rendered/ai-engine/base/deployment.yaml" in parsed
    text = (example_project / file).read_text().splitlines()
    assert file.startswith("rendered/ai-engine/") and "image" in text[line - 1]


def test_strings_kustomize_writes_unquoted_that_yaml_1_1_takes_for_numbers_read_as_strings(tmp_path: Path, kubectl: str,
                                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """go-yaml writes `0b_`, `0x__`, `._` and `1.E+500` unquoted (no number can be built from them); they are the
    strings the user quoted, and no error may tell the user to quote them (it did: `cannot read '0b_' as int`)."""
    monkeypatch.setenv("PATH", f"{Path(kubectl).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    values = {"binary": "0b_", "hex": "0x__", "point": "._", "huge": "1.E+500"}
    configmap = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "odd"}, "data": values}
    (tmp_path / "configmap.yaml").write_text(yaml.safe_dump(configmap))  # quoted, as PyYAML writes them
    (tmp_path / "kustomization.yaml").write_text("resources: [configmap.yaml]\n")
    built = subprocess.run([kubectl, "kustomize", "."], cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert all(f"{key}: {value}\n" in built for key, value in values.items())  # unquoted
    code, out, err = run(["validate", ".", "-o", "json"], tmp_path)
    assert (code, err) == (0, ""), out
    [resource] = json.loads(out)["resources"]
    assert (resource["kind"], resource["findings"]) == ("ConfigMap", [])
    code, out, err = run(["lint", ".", "-o", "json"], tmp_path)
    assert code in (0, 1) and err == "", err  # read: findings, if any, are the rules'
