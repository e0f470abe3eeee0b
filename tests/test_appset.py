"""ApplicationSets: `gitops.applications` emits them, and `preview-appset` expands them back into the per-app Applications."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hydrate_support import objects_of, set_gitops

from generator.cli import cli
from generator.load import load_project, repo_path
from generator.render.project import render_project
from generator.render.writer import write_tree

ROOT = Path(__file__).resolve().parent.parent
ENVS = ["dev", "staging", "prod"]


def render_copy(tmp_path: Path, name: str, **gitops: object) -> Path:
    project = tmp_path / name
    for folder in ("blueprints", "overlays", "namespaces", "addons"):
        shutil.copytree(ROOT / folder, project / folder)
    shutil.copy(ROOT / "gitopsgen.yaml", project / "gitopsgen.yaml")
    set_gitops(project, **gitops)
    write_tree(project, render_project(load_project(project)).files)
    return project


def published_clone(project: Path, target: Path) -> Path:
    """rendered/ laid out as publish places it in the GitOps repository, committed in a git repository."""
    layout = load_project(project).gitops["layout"]
    for path in sorted((project / "rendered").rglob("*")):
        if path.is_file():
            placed = target / repo_path(path.relative_to(project / "rendered").as_posix(), **layout)
            placed.parent.mkdir(parents=True, exist_ok=True)
            placed.write_bytes(path.read_bytes())
    git = ["git", "-C", str(target), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "published"], check=True)
    return target


def preview(path: Path, repo_dir: Path | None = None, *extra: str):
    args = ["preview-appset", str(path), *extra] + (["--repo-dir", str(repo_dir)] if repo_dir else [])
    return CliRunner().invoke(cli, args)


def applications(project: Path, env: str) -> dict[str, dict]:
    found = {}
    for path in sorted((project / "rendered" / "argocd" / env).glob("app-*.yaml")):
        obj = yaml.safe_load(path.read_text())
        found[obj["metadata"]["name"]] = obj
    return found


@pytest.mark.parametrize("per", ["per-environment", "per-team"])
@pytest.mark.parametrize("delivery", ["kustomize", "hydrated"])
def test_expanded_application_sets_equal_the_per_app_applications(tmp_path: Path, per: str, delivery: str) -> None:
    per_app = render_copy(tmp_path, "per-app", delivery=delivery)
    with_sets = render_copy(tmp_path, "sets", delivery=delivery, applications=per)
    clone = published_clone(with_sets, tmp_path / "clone")
    for env in ENVS:
        expected = applications(per_app, env)
        kept = applications(with_sets, env)
        assert set(kept) == {f"user-service-{env}"}  # a chart repository: not one plain source, keeps its file
        expanded = {}
        sets = sorted((with_sets / "rendered" / "argocd" / env).glob("appset-*.yaml"))
        assert sets and (per == "per-team") == (len(sets) > 1)
        for appset_file in sets:
            result = preview(appset_file, clone)
            assert result.exit_code == 0, result.output
            expanded.update({obj["metadata"]["name"]: obj for obj in objects_of(result.output)})
        assert {**expanded, **kept} == expected


def test_parameter_files_are_neither_applied_nor_read_as_manifests(tmp_path: Path) -> None:
    project = render_copy(tmp_path, "sets", applications="per-environment")
    root = yaml.safe_load((project / "rendered/argocd/dev/root.yaml").read_text())
    assert not root["spec"]["source"].get("directory", {}).get("recurse")
    # not a .yaml file: Argo CD's directory source and gitopsgen's folder walk both leave it out
    result = CliRunner().invoke(cli, ["validate", "--strict", str(project / "rendered" / "argocd")])
    assert result.exit_code == 0, result.output
    parameters = yaml.safe_load((project / "rendered/argocd/dev/apps/ai-engine.params").read_text())
    assert parameters == {"app": "ai-engine", "project": "atlas-financial", "namespace": "atlas-financial-dev",
                          "repoPath": "apps/ai-engine/overlays/dev", "targetRevision": "main"}


# --- preview-appset on hand-written ApplicationSets ------------------------------------------


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


APPSET = """\
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {{name: guestbook, namespace: argocd}}
spec:
{spec}
"""


def appset(tmp_path: Path, spec: str) -> Path:
    return write(tmp_path, "appset.yaml", APPSET.format(spec="\n".join("  " + line for line in spec.splitlines())))


def names(result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [obj["metadata"]["name"] for obj in objects_of(result.output)]


def test_list_generator_with_fasttemplate_keeps_unknown_parameters(tmp_path: Path) -> None:
    path = appset(tmp_path, """\
generators:
  - list:
      elements:
        - {cluster: engineering-dev, url: https://1.2.3.4, values: {tier: gold}}
template:
  metadata: {name: '{{cluster}}-guestbook'}
  spec:
    project: '{{values.tier}}'
    source: {repoURL: https://x, path: 'guestbook/{{ cluster }}', targetRevision: '{{unknown}}'}
    destination: {server: '{{url}}', namespace: guestbook}""")
    app = objects_of(preview(path).output)[0]
    assert app["metadata"] == {"name": "engineering-dev-guestbook", "namespace": "argocd",
                               "finalizers": ["resources-finalizer.argocd.argoproj.io"]}
    assert app["spec"]["source"] == {"repoURL": "https://x", "path": "guestbook/engineering-dev", "targetRevision": "{{unknown}}"}
    assert app["spec"]["project"] == "gold" and app["spec"]["destination"]["server"] == "https://1.2.3.4"


def test_git_directories_exclude_and_go_template_functions(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    for folder in ("apps/one", "apps/two", "apps/Skip_Me", "apps/.hidden", "other/three"):
        (repo / folder).mkdir(parents=True)
    path = appset(tmp_path, """\
goTemplate: true
goTemplateOptions: [missingkey=error]
generators:
  - git:
      repoURL: https://x
      revision: HEAD
      directories: [{path: 'apps/*'}, {path: apps/two, exclude: true}]
template:
  metadata: {name: '{{ .path.basenameNormalized }}-{{ index .path.segments 0 | upper }}'}
  spec:
    project: '{{ .path.basename | default "none" | trunc 3 }}'
    source: {repoURL: https://x, path: '{{ .path.path }}', targetRevision: '{{ printf "%s@%s" "v1" .path.basename }}'}
    destination: {server: https://kubernetes.default.svc, namespace: '{{- " x " | trim -}}'}""")
    result = preview(path, repo)
    assert names(result) == ["skip-me-APPS", "one-APPS"]
    first = objects_of(result.output)[0]
    assert first["spec"]["project"] == "Ski" and first["spec"]["source"]["targetRevision"] == "v1@Skip_Me"
    assert first["spec"]["destination"]["namespace"] == "x"


def test_git_files_flatten_nested_values_and_arrays(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write(repo, "clusters/a/config.json", '{"cluster": {"name": "a", "address": "https://a"}, "replicas": 2}')
    write(repo, "clusters/b/config.yaml", "- cluster: {name: b1, address: https://b1}\n- cluster: {name: b2, address: https://b2}\n")
    path = appset(tmp_path, """\
generators:
  - git:
      repoURL: https://x
      revision: HEAD
      files: [{path: 'clusters/**/config.*'}]
template:
  metadata: {name: '{{cluster.name}}-{{path[1]}}-{{path.filename}}'}
  spec:
    project: default
    source: {repoURL: https://x, path: '{{path}}', targetRevision: '{{replicas}}'}
    destination: {server: '{{cluster.address}}', namespace: x}""")
    result = preview(path, repo)
    assert names(result) == ["a-a-config.json", "b1-b-config.yaml", "b2-b-config.yaml"]
    assert objects_of(result.output)[0]["spec"]["source"]["targetRevision"] == "2"
    assert objects_of(result.output)[2]["spec"]["destination"]["server"] == "https://b2"


def test_matrix_passes_the_first_generators_parameters_to_the_second(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    for folder in ("dev/api", "dev/web", "prod/api"):
        (repo / folder).mkdir(parents=True)
    path = appset(tmp_path, """\
goTemplate: true
generators:
  - matrix:
      generators:
        - list: {elements: [{env: dev}, {env: prod}]}
        - git: {repoURL: https://x, revision: HEAD, directories: [{path: '{{ .env }}/*'}]}
template:
  metadata: {name: '{{ .path.basename }}-{{ .env }}'}
  spec: {project: default, source: {repoURL: https://x, path: '{{ .path.path }}'}, destination: {name: '{{ .env }}'}}""")
    assert names(preview(path, repo)) == ["api-dev", "web-dev", "api-prod"]


def test_merge_overrides_matching_parameter_sets(tmp_path: Path) -> None:
    path = appset(tmp_path, """\
generators:
  - merge:
      mergeKeys: [app]
      generators:
        - list: {elements: [{app: api, replicas: '1'}, {app: web, replicas: '1'}]}
        - list: {elements: [{app: web, replicas: '3'}, {app: other, replicas: '9'}]}
template:
  metadata: {name: '{{app}}-{{replicas}}'}
  spec: {project: default, source: {repoURL: https://x, path: '{{app}}'}, destination: {name: in-cluster}}""")
    assert names(preview(path)) == ["api-1", "web-3"]


TEMPLATE_SPEC = "spec: {project: default, source: {repoURL: https://x}, destination: {name: in-cluster}}"  # what Argo CD's CRD requires of a template
TEMPLATE = "template: {metadata: {name: x}, " + TEMPLATE_SPEC + "}"


@pytest.mark.parametrize(("spec", "line", "message"), [
    ("generators:\n  - clusters: {}\n" + TEMPLATE, 6, "the clusters generator needs a live cluster"),
    ("goTemplate: true\ngoTemplateOptions: [missingkey=error]\ngenerators:\n  - list: {elements: [{a: b}]}\n"
     "template: {metadata: {name: '{{ .nope }}'}, " + TEMPLATE_SPEC + "}", 9, "map has no entry for key 'nope'"),
    ("goTemplate: true\ngenerators:\n  - list: {elements: [{a: b}]}\ntemplate: {metadata: {name: '{{ if .a }}x{{ end }}'}, " + TEMPLATE_SPEC + "}",
     8, "{{ if }} is not supported by preview-appset"),
    ("generators:\n  - git: {repoURL: https://x, directories: [{path: '*'}]}\n" + TEMPLATE,
     6, "pass --repo-dir with a local clone"),
    ("generators:\n  - list: {elements: [{a: 1}]}\n" + TEMPLATE, 6, "list element values must be strings"),
    ("generators:\n  - merge: {generators: [{list: {elements: []}}, {list: {elements: []}}]}\n" + TEMPLATE,
     6, "merge needs mergeKeys"),
    # elementsYaml was read by PyYAML alone: a syntax error stopped preview-appset with a traceback (exit 1)
    ("generators:\n  - list:\n      elementsYaml: '- app: [web'\n" + TEMPLATE,
     7, "elementsYaml, its line 2: invalid YAML: did not find expected ',' or ']'"),  # libyaml: past the text's end
    ("generators:\n  - list:\n      elementsYaml: |\n        - &a [x, x, x, x, x, x, x, x]\n        - &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
     "        - &c [*b, *b, *b, *b, *b, *b, *b, *b]\n        - &d [*c, *c, *c, *c, *c, *c, *c, *c]\n        - &e [*d, *d, *d, *d, *d, *d, *d, *d]\n"
     "        - &f [*e, *e, *e, *e, *e, *e, *e, *e]\n        - [*f, *f, *f, *f, *f, *f, *f, *f]\n" + TEMPLATE,
     7, "elementsYaml, its line 1: aliases expand this document to"),
    ("generators:\n  - list:\n      elementsYaml: \"- app: web\\n---\\n- app: api\"\n" + TEMPLATE,
     7, "elementsYaml, its line 1: holds 2 YAML documents; Argo CD reads one"),
    ("generators:\n  - list:\n      elementsYaml: [{app: web}]\n" + TEMPLATE, 7, "elementsYaml must be text holding a YAML list"),
    # an ApplicationSet of another shape than Argo CD's CRD stopped the expansion with a traceback: checked first
    ("goTemplate: true\ngoTemplateOptions: true\ngenerators:\n  - list: {elements: [{a: b}]}\n" + TEMPLATE,
     6, "spec.goTemplateOptions: expected array, got boolean true (`gitopsgen validate` lists every problem)"),
    # and inside matrix and merge, where the CRD leaves generators untyped, as Argo CD reads them
    ("generators:\n  - matrix:\n      generators:\n        - list: {elements: [{a: b}]}\n"
     "        - git: {repoURL: https://x, revision: HEAD, files: 2.5}\n" + TEMPLATE, 9, "git files must be a list of {path: <pattern>}"),
    ("generators:\n  - matrix:\n      generators:\n        - list: {elements: [{a: b}]}\n"
     "        - git: {repoURL: https://x, revision: HEAD, directories: [7]}\n" + TEMPLATE, 9, "git directories must be a list of {path: <pattern>}"),
    ("generators:\n  - merge:\n      mergeKeys: [{}]\n      generators: [{list: {elements: []}}, {list: {elements: []}}]\n" + TEMPLATE,
     7, "merge needs mergeKeys, a list of parameter names"),
])
def test_what_cannot_be_expanded_is_one_line_with_the_file_line_and_exit_2(tmp_path: Path, spec: str, line: int, message: str) -> None:
    path = appset(tmp_path, spec)
    result = preview(path)
    assert result.exit_code == 2
    assert f"{path}:{line}: " in result.output and message in result.output
    assert "Traceback" not in result.output


def test_elements_yaml_reads_as_argo_cd_reads_it(tmp_path: Path) -> None:
    # Argo CD reads it with go-yaml, which keeps a date as text; PyYAML made it a date, then "values must be strings"
    path = appset(tmp_path, """\
generators:
  - list:
      elementsYaml: |
        - app: web
          day: 2024-01-01
template:
  metadata: {name: '{{app}}-{{day}}'}
  spec: {project: default, source: {repoURL: https://x, path: '{{app}}'}, destination: {name: in-cluster}}""")
    assert names(preview(path)) == ["web-2024-01-01"]


@pytest.mark.parametrize(("make", "message"), [
    (lambda path: path.write_text("cluster: [a\n"), "git files generator: clusters/a/config.yaml:2:1: invalid YAML: "),
    (lambda path: os.mkfifo(path), "git files generator: clusters/a/config.yaml:1:1: is not a regular file"),  # was read forever
    (lambda path: path.write_bytes(b"name: \xff\n"), "git files generator: clusters/a/config.yaml:1:1: file is not valid UTF-8"),
])
def test_a_git_file_that_cannot_be_read_is_one_line_with_exit_2(tmp_path: Path, make: Any, message: str) -> None:
    repo = tmp_path / "repo"
    (repo / "clusters" / "a").mkdir(parents=True)
    make(repo / "clusters" / "a" / "config.yaml")
    path = appset(tmp_path, """\
generators:
  - git: {repoURL: https://x, revision: HEAD, files: [{path: 'clusters/*/config.yaml'}]}
template: {metadata: {name: x}, spec: {project: default, source: {repoURL: https://x}, destination: {name: in-cluster}}}""")
    result = preview(path, repo)
    assert result.exit_code == 2, result.output
    assert f"{path}:6: {message}" in result.output and "Traceback" not in result.output


def test_a_file_without_an_application_set_is_bad_input(tmp_path: Path) -> None:
    result = preview(write(tmp_path, "x.yaml", "kind: ConfigMap\n"))
    assert result.exit_code == 2 and "no ApplicationSet in this file" in result.output
