"""generator/manifest.py: the one document model and the one reader, shared by validate, lint and check.

Before it, validate (validate/loader.py) and lint (lint/sources.py) each read files their own way;
the tests marked "was" pin where the two disagreed and which way is kept.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from generator import yamlio
from generator.cli import cli
from generator.manifest import Manifest, ReadProblem, read_manifests, rendered_manifest

TWO_DOCUMENTS = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: first}
data: {a: b}
---
# the second object starts on line 7
apiVersion: v1
kind: Pod
metadata: {name: second}
spec:
  containers:
    - name: app
      image: busybox:latest
"""


def run(*args: str, input: bytes | str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_every_field_is_located_from_the_one_parse(tmp_path: Path) -> None:
    (tmp_path / "two.yaml").write_text(TWO_DOCUMENTS)
    first, second = read_manifests([str(tmp_path / "two.yaml")])

    assert isinstance(first, Manifest) and isinstance(second, Manifest)
    assert (first.line, second.line) == (1, 7)
    assert second.locate(("spec", "containers", 0, "image")) == (str(tmp_path / "two.yaml"), 13, 7, "")
    assert second.locate(("spec", "no", "such", "field")).line == 10  # the deepest part that exists


def test_lint_with_findings_parses_each_file_once(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Positions come from the first parse: a file with findings is not parsed again to find its lines."""
    for index in range(3):
        (tmp_path / f"{index}.yaml").write_text(TWO_DOCUMENTS)
    parsed: list[str] = []
    original = yamlio.load_documents

    def counting(text: str, path: str = "<stdin>") -> list[yamlio.Document]:
        parsed.append(path)
        return original(text, path)

    monkeypatch.setattr(yamlio, "load_documents", counting)
    code, out, _ = run("lint", "--rule", "image-tag-pinned", "-o", "json", str(tmp_path))

    assert code == 1
    findings = [f for resource in json.loads(out)["resources"] for f in resource["findings"]]
    assert [(Path(f["path"]).name, f["line"]) for f in findings] == [("0.yaml", 13), ("1.yaml", 13), ("2.yaml", 13)]
    manifests = sorted(Path(path).name for path in parsed if Path(path).parent == tmp_path)  # not the lint configuration
    assert manifests == ["0.yaml", "1.yaml", "2.yaml"]


def test_lint_reports_where_each_object_starts_also_without_findings(tmp_path: Path) -> None:
    """Was: lint said line 1 for every object without findings (it parsed positions only for files with findings)."""
    (tmp_path / "two.yaml").write_text(TWO_DOCUMENTS)
    code, out, _ = run("lint", "--rule", "image-tag-pinned", "-o", "json", str(tmp_path / "two.yaml"))

    assert code == 1
    assert [(r["name"], r["line"]) for r in json.loads(out)["resources"]] == [("first", 1), ("second", 7)]


def test_validate_and_lint_read_the_same_objects_from_a_list_without_api_version(tmp_path: Path) -> None:
    """Was: lint linted the items of a ``kind: List`` without apiVersion, validate reported the List itself.

    kubectl refuses such a List (apiVersion not set), so both now read it as one (invalid) object.
    """
    listing = tmp_path / "list.yaml"
    listing.write_text("kind: List\nitems:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n")
    [item] = read_manifests([str(listing)])
    assert isinstance(item, Manifest) and item.kind == "List"

    code, out, _ = run("validate", "-o", "json", str(listing))
    assert code == 2 and "apiVersion is missing" in out
    code, _, err = run("lint", "-o", "json", str(listing))  # lint cannot check it either: bad input, as in validate
    assert code == 2 and err == f"error: {listing}:1: object has no apiVersion; add it (e.g. apiVersion: v1, kind: ConfigMap)\n"


def test_a_list_with_api_version_is_read_item_by_item_with_their_own_lines(tmp_path: Path) -> None:
    listing = tmp_path / "list.yaml"
    listing.write_text("apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n"
                       "  - 7\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: b, name: c}\n")
    first, problem, second = read_manifests([str(listing)])

    assert isinstance(first, Manifest) and isinstance(second, Manifest) and isinstance(problem, ReadProblem)
    assert (first.line, second.line, problem.line) == (4, 6, 5)
    assert problem.kind == "not-an-object" and "items[1] is a number" in problem.message
    assert [(d.key, d.mapping, d.line) for d in second.duplicates] == [("name", ("metadata",), 8)]


def test_lint_reads_stdin_as_bytes_like_validate(tmp_path: Path) -> None:
    """Was: lint read stdin as text, validate as bytes decoded as UTF-8; both now say file:line for bad bytes."""
    for command in ("validate", "lint"):
        code, out, err = run(command, "-", input=b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \xff}\n")
        assert code == 2
        assert "<stdin>:3" in out + err and "not valid UTF-8" in out + err


def test_a_rendered_manifest_points_at_the_blueprint_line() -> None:
    def origin(obj: dict, field_path: tuple) -> tuple[str, int]:
        return ("blueprints/app.yaml", 12 if field_path[:1] == ("spec",) else 3)

    manifest = rendered_manifest({"apiVersion": "v1", "kind": "Service", "spec": {}}, "blueprints/app.yaml", origin)
    assert manifest.line == 3
    assert manifest.locate(("spec", "ports")) == ("blueprints/app.yaml", 12, 1, "blueprints/app.yaml:12")


def test_manifests_are_told_apart_by_identity() -> None:
    """check merges a manifest's schema and policy results by the manifest itself, never by list order."""
    same = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}
    one, other = Manifest(same, "a.yaml", 1), Manifest(dict(same), "b.yaml", 1)
    assert one != other and len({one: 1, other: 2}) == 2


def test_every_kind_of_app_workload_points_its_pod_fields_at_the_blueprint() -> None:
    """A StatefulSet's or Rollout's container fields come from the settings a Deployment's do (pod template from kube.py)."""
    from generator import kube
    from generator.load import load_project, locate_setting
    from generator.render.project import render_project

    root = Path(__file__).resolve().parents[1]
    rendering = render_project(load_project(root), None, ["hackai-redis", "redis-cluster", "mitra-backend"])
    seen = set()
    for rendered_set in rendering.sets:
        for obj in rendered_set.objects:
            kind = obj["kind"]
            template = kube.POD_TEMPLATE.get(kind, ())
            if kind in ("StatefulSet", "Rollout", "Job"):
                for field_path, key in [(("spec", "containers", 0, "image"), ("image",)), (("spec", "containers", 0, "resources", "limits"), ("resources",))]:
                    expected = locate_setting(rendered_set.blueprint, rendered_set.environment, ("jobs",) if kind == "Job" else key)
                    assert expected and rendered_set.origin(obj, (*template, *field_path)) == expected, (kind, field_path)
                seen.add(kind)
    assert seen == {"StatefulSet", "Rollout", "Job"}


def test_files_under_a_folder_are_listed_as_sorted_paths_are(tmp_path: Path) -> None:
    from generator.walk import files_under

    for name in ("a-b/x.rego", "a/y.rego", "a/z/w.rego", "b.rego", ".hidden.rego", "outside/o.rego"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("package p\n")
    (tmp_path / "link.rego").symlink_to(tmp_path / "b.rego")  # a link to a file: listed
    (tmp_path / "linked").symlink_to(tmp_path / "outside")  # a linked folder: not entered
    (tmp_path / "gone.rego").symlink_to(tmp_path / "missing.rego")  # a dangling link: no file
    found = files_under(tmp_path)
    expected = sorted(path for path in tmp_path.rglob("*") if path.is_file())  # what the policy loader listed before
    assert found == [path.relative_to(tmp_path).as_posix() for path in expected]
    assert found[:3] == [".hidden.rego", "a/y.rego", "a/z/w.rego"] and "linked/o.rego" not in found and "gone.rego" not in found
    assert files_under(tmp_path / "missing") == []
