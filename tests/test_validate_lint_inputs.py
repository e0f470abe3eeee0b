"""`validate` and `lint` read the same files from the same paths (generator/walk.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import yamlio
from generator.cli import cli
from generator.walk import manifest_files


def config_map(name: str) -> str:
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  key: value\n"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A folder of manifests with everything the walk must read or leave out."""
    files = {
        "a.yaml": config_map("a"),
        "c.json": json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}, indent="\t"),
        "notes.txt": config_map("not-a-manifest-suffix"),
        "sub/b.yml": config_map("b"),
        "sub/.hidden.yaml": config_map("hidden-file"),
        ".git/d.yaml": config_map("hidden-folder"),
        "chart/Chart.yaml": "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
        "chart/values.yaml": "replicas: 2\n",
        "chart/values.schema.json": '{"type": "object"}\n',
        "chart/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n",
        "chart/templates/tests/pod.yaml": "{{- if .Values.test }}\napiVersion: v1\nkind: Pod\n{{- end }}\n",
        "chart/crds/crd.yaml": config_map("chart-crd-folder"),
        "templates/e.yaml": config_map("templates-outside-a-chart"),
    }
    for name, text in files.items():
        (tmp_path / "tree" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "tree" / name).write_text(text)
    (tmp_path / "explicit.txt").write_text(config_map("explicit"))
    return tmp_path


WALKED = ["a.yaml", "c.json", "chart/crds/crd.yaml", "sub/b.yml", "templates/e.yaml"]


def test_a_folder_is_walked_in_name_order_without_hidden_entries_or_charts_but_their_crds(tree: Path) -> None:
    found = manifest_files(str(tree / "tree"))
    assert [Path(path).relative_to(tree / "tree").as_posix() for path in found] == WALKED


def test_a_named_file_is_read_whatever_its_suffix_or_name(tree: Path) -> None:
    for named in (tree / "explicit.txt", tree / "tree" / "sub" / ".hidden.yaml", tree / "tree" / "chart" / "templates" / "cm.yaml"):
        assert manifest_files(str(named)) == [str(named)]
    assert manifest_files(str(tree / "missing.yaml")) == [str(tree / "missing.yaml")]  # the command reports it


def files_read(command: str, paths: list[str], root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files under ``root`` that one run of ``command`` reads, in order, relative to ``root``."""
    read: list[str] = []
    original = yamlio.read_text

    def recording(path: str | os.PathLike[str], shown: str | None = None) -> str:
        resolved = Path(path).resolve()
        if resolved.is_relative_to(root.resolve()):
            read.append(resolved.relative_to(root.resolve()).as_posix())
        return original(path, shown)

    monkeypatch.setattr(yamlio, "read_text", recording)
    CliRunner().invoke(cli, [command, *paths], catch_exceptions=False)
    return read


def test_validate_and_lint_read_the_same_files(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = [str(tree / "tree"), str(tree / "explicit.txt")]
    expected = [f"tree/{name}" for name in WALKED] + ["explicit.txt"]
    assert files_read("validate", paths, tree, monkeypatch) == expected
    assert files_read("lint", paths, tree, monkeypatch) == expected


def test_both_report_the_objects_of_yaml_yml_json_and_named_files(tree: Path) -> None:
    paths = [str(tree / "tree" / name) for name in ("a.yaml", "c.json", "sub")] + [str(tree / "explicit.txt")]
    for command in ("validate", "lint"):
        result = CliRunner().invoke(cli, [command, "--output", "json", *paths])
        assert result.exit_code == 0, result.output
        names = [resource["name"] for resource in json.loads(result.stdout)["resources"]]
        assert names == ["a", "c", "b", "explicit"], command


def test_a_json_syntax_error_names_file_and_line_in_both(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "apiVersion": "v1",\n  "kind": "ConfigMap"\n  "metadata": {"name": "x"}\n}\n')
    validated = CliRunner().invoke(cli, ["validate", str(broken)])
    assert validated.exit_code == 2
    assert validated.output.startswith(f"{broken}:4:3: invalid YAML: ")
    linted = CliRunner().invoke(cli, ["lint", str(broken)])
    assert linted.exit_code == 2
    assert linted.stderr.startswith(f"error: {broken}:4: invalid YAML: ")

