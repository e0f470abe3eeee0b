"""``--jobs``: a large run is read and linted by several processes; the report is the one a single process gives.

Files given as PATHs are read and linted in parts (``generator.lint.parts``); a project's rendered
documents are dealt to the processes (``linter.Shares``).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.lint.linter import Shares
from generator.lint import budget
from generator.lint.parts import BYTES_PER_DOCUMENT, Queue, lint_parts, sharing_processes
from generator.lint.rendered_tree import RenderedTree
from generator.lint.run import DOCUMENTS_PER_PROCESS, LintRequest, lint_setup, processes
from generator.manifest import Manifest
from generator.pipeline import lintable_inputs
from generator.walk import ManifestInput, manifest_inputs

sys.path.insert(0, str(Path(__file__).parent / "bench"))
from bench_lint import write_broken_estate  # noqa: E402 - the benchmark's estate, broken so that every rule fires


def lint(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["lint", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("estate")
    assert write_broken_estate(folder) >= 3 * DOCUMENTS_PER_PROCESS  # enough for three processes
    return folder


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_several_processes_report_exactly_what_one_does(estate: Path, env: str) -> None:
    one = lint("--env", env, "--output", "json", "--jobs", "1", str(estate))
    assert one[0] == 1 and one[1].count('"rule"') > 100  # findings all over the estate
    for jobs in ("2", "3"):
        assert lint("--env", env, "--output", "json", "--jobs", jobs, str(estate)) == one


def test_a_malformed_object_is_named_as_one_process_names_it(estate: Path, tmp_path: Path) -> None:
    """The first malformed object in the run's order, whichever process meets one first."""
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "containers.rego").write_text(
        "package main\n\nimport rego.v1\n\ndeny contains msg if {\n"
        "\tsome c in input.spec.template.spec.containers\n\tnot c.image\n\tmsg := \"no image\"\n}\n"
    )
    broken = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: web}\nspec:\n  template:\n    spec:\n      containers: latest\n"
    # a fine object first, then a malformed one, the estate, and two more malformed objects at the end: whichever
    # process takes which file, the error is the first malformed object in the run's order
    (estate.parent / "fine.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine, namespace: web}\n")
    for name in ("a-first.yaml", "zz-last.yaml", "zz-last-too.yaml"):
        (estate.parent / f"malformed-{name}").write_text(broken)
    paths = [str(estate.parent / name) for name in ("fine.yaml", "malformed-a-first.yaml")]
    paths += [str(estate), *(str(estate.parent / f"malformed-{name}") for name in ("zz-last.yaml", "zz-last-too.yaml"))]
    one = lint("--policy", str(tmp_path / "policy"), "--jobs", "1", *paths)
    assert one[0] == 2 and one[2].startswith(f"error: {estate.parent / 'malformed-a-first.yaml'}:1: Deployment/web: policy evaluation failed")
    assert lint("--policy", str(tmp_path / "policy"), "--jobs", "2", *paths) == one


def batch_input(shared: list[list[int]], targets: list[list[int]]) -> dict[str, Any]:
    return {"shared": shared, "targets": targets}


def test_shares_deal_each_document_once_with_about_the_same_work() -> None:
    shares = Shares(2)
    # a Deployment (sixty checks) then five small objects, twice: dealing by position would give one process every Deployment
    work = [list(range(60)), [1], [1, 2], [1], [1, 2, 3], [1]] * 2
    dealt = shares.deal(batch_input(work, [[0, 6], [3]]))
    assert sorted(i for share in dealt for i in share) == list(range(12))
    assert {0, 6} & dealt[0] and {0, 6} & dealt[1]  # one Deployment each
    assert abs(shares.work[0] - shares.work[1]) <= 61


def test_every_process_deals_alike() -> None:
    batches = [batch_input([[1, 2]] * n, [[]]) for n in (3, 7, 1, 12)]
    deals = []
    for _ in range(3):
        shares = Shares(3)
        deals.append([shares.deal(batch) for batch in batches])
    assert deals[0] == deals[1] == deals[2]


def test_small_runs_stay_in_one_process() -> None:
    assert processes(8, 10) == 1
    assert processes(8, 2 * DOCUMENTS_PER_PROCESS) == 2
    assert processes(1, 100 * DOCUMENTS_PER_PROCESS) == 1
    assert processes(None, 100 * DOCUMENTS_PER_PROCESS) >= 1


def test_runs_large_enough_are_shared_by_several_processes(tmp_path: Path) -> None:
    files = []
    for index in range(8):
        files.append(tmp_path / f"{index}.yaml")
        files[-1].write_text("#" * DOCUMENTS_PER_PROCESS * BYTES_PER_DOCUMENT)  # a process's worth each
    inputs = [ManifestInput(str(file)) for file in files]
    assert sharing_processes(inputs, 3) == 3
    assert sharing_processes(inputs[:2], 3) == 2  # no more processes than files
    assert sharing_processes(inputs, 1) is None
    assert sharing_processes(inputs[:1], 3) is None  # one file: one process
    assert sharing_processes([ManifestInput(str(files[0])), ManifestInput(str(tmp_path), builds=True)], 3) is None  # a Kustomize folder
    assert sharing_processes([*inputs, ManifestInput("-")], 3) is None  # stdin
    small = tmp_path / "small.yaml"
    small.write_text("#" * BYTES_PER_DOCUMENT)
    assert sharing_processes([ManifestInput(str(small))] * 4, 4) is None  # too small to share


def test_the_queue_gives_each_file_to_one_taker_in_the_order_of_the_run() -> None:
    inputs = [ManifestInput(f"{number}.yaml") for number in range(10)]
    queue, writer = os.pipe()
    budget.write_all(writer, b"".join(first.to_bytes(4, "big") for first in range(0, 10, 3)))  # runs of three files
    os.close(writer)
    try:
        first, second = Queue(queue, inputs, 3), Queue(queue, inputs, 3)
        one, other = iter(first), iter(second)
        taken_first, taken_second = [next(one)], [next(other)]  # the first run to one, the second to the other
        taken_first += list(one)  # the rest of its run, then every run left
        taken_second += list(other)  # the rest of its run: the queue is empty
    finally:
        os.close(queue)
    assert [item.path for item in taken_first] == ["0.yaml", "1.yaml", "2.yaml", "6.yaml", "7.yaml", "8.yaml", "9.yaml"]
    assert [item.path for item in taken_second] == ["3.yaml", "4.yaml", "5.yaml"]
    assert first.numbers == {f"{number}.yaml": number for number in (0, 1, 2, 6, 7, 8, 9)}
    assert second.numbers == {f"{number}.yaml": number for number in (3, 4, 5)}


def test_a_slower_process_takes_fewer_files_and_the_results_stay_in_file_order(estate: Path, tmp_path: Path) -> None:
    """The process that took the first file reads slowly (a busy CPU, a slow core): the other one takes most files,
    and the results come back in the run's order, as one process gives them."""
    request = LintRequest(paths=[str(estate)], env="prod", cache_dir=tmp_path)
    config, policies = lint_setup(request)
    inputs = manifest_inputs([str(estate)])
    takers = tmp_path / "takers"

    def read(queue: Queue) -> list[Manifest]:
        slow = False
        taken = []
        for item in queue:
            slow = slow or queue.numbers[item.path] == 0
            if slow:
                time.sleep(0.05)
            taken.append(item)
            with takers.open("a") as log:
                log.write(f"{os.getpid()}\n")
        return lintable_inputs(taken)

    results = lint_parts(inputs, 2, read, RenderedTree(), request, config, policies)
    per_process = sorted(Counter(takers.read_text().split()).values())
    assert len(per_process) == 2 and sum(per_process) == len(inputs) and per_process[0] < len(inputs) / 4
    alone = lint("--env", "prod", "--output", "json", "--jobs", "1", str(estate))[1]
    assert [(result.path, result.kind, result.name) for result in results] == [
        (resource["path"], resource["kind"], resource["name"]) for resource in json.loads(alone)["resources"]
    ]


def test_objects_read_by_different_processes_meet_in_the_inventory_as_in_one_process(estate: Path, tmp_path: Path) -> None:
    """The same Deployment in the first and the last file: the later one is in data.inventory (the Service
    selecting the first one's pods dangles), and both are duplicates, whichever process read them."""
    def deployment(label: str) -> str:
        return (f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: twin, namespace: twins}}\nspec:\n"
                f"  selector: {{matchLabels: {{app: {label}}}}}\n  template:\n    metadata: {{labels: {{app: {label}}}}}\n"
                f"    spec:\n      containers: [{{name: c, image: 'example/c:1'}}]\n")
    (tmp_path / "a-first.yaml").write_text(deployment("first"))
    (tmp_path / "z-last.yaml").write_text(deployment("last"))
    (tmp_path / "service.yaml").write_text("apiVersion: v1\nkind: Service\nmetadata: {name: twin, namespace: twins}\n"
                                           "spec: {selector: {app: first}, ports: [{port: 80}]}\n")
    paths = [str(tmp_path / "a-first.yaml"), str(tmp_path / "service.yaml"), str(estate), str(tmp_path / "z-last.yaml")]
    one = lint("--env", "prod", "--output", "json", "--jobs", "1", *paths)
    assert '"rule": "duplicate-object"' in one[1] and '"rule": "service-selector-dangling"' in one[1]
    assert lint("--env", "prod", "--output", "json", "--jobs", "2", *paths) == one


def test_a_file_that_cannot_be_read_is_reported_before_a_malformed_object_read_earlier(estate: Path, tmp_path: Path) -> None:
    """One process reads every file before it evaluates: the later unreadable file is the error, not the earlier
    malformed object, though another process reads it."""
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "containers.rego").write_text(
        "package main\n\nimport rego.v1\n\ndeny contains msg if {\n"
        "\tsome c in input.spec.template.spec.containers\n\tnot c.image\n\tmsg := \"no image\"\n}\n"
    )
    (tmp_path / "malformed.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {template: {spec: {containers: latest}}}\n")
    (tmp_path / "unreadable.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [unclosed\n")
    paths = [str(tmp_path / "malformed.yaml"), str(estate), str(tmp_path / "unreadable.yaml")]
    one = lint("--policy", str(tmp_path / "policy"), "--jobs", "1", *paths)
    assert one[0] == 2 and one[2].startswith(f"error: {tmp_path / 'unreadable.yaml'}:")
    assert lint("--policy", str(tmp_path / "policy"), "--jobs", "2", *paths) == one


def test_a_policy_over_its_budget_is_named_as_one_process_names_it(estate: Path, tmp_path: Path) -> None:
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "loop.rego").write_text(
        "package main\n\nimport rego.v1\n\ndeny contains msg if {\n\tinput.kind == \"ServiceAccount\"\n"
        "\tcount([x | some x in numbers.range(1, 100000000)]) > 0\n\tmsg := \"never\"\n}\n"
    )
    args = ["--policy", str(tmp_path / "policy"), "--policy-timeout", "2", str(estate)]
    one = lint("--jobs", "1", *args)
    assert one[0] == 2 and "ran out of its time budget" in one[2]
    assert lint("--jobs", "2", *args) == one


def test_a_project_run_in_several_processes_reports_what_one_process_does(example_project: Path) -> None:
    one = lint("--output", "json", "--jobs", "1", "-C", str(example_project))  # every environment: enough for two
    assert one[0] in (0, 1) and one[1].count('"kind"') > 2 * DOCUMENTS_PER_PROCESS
    assert lint("--output", "json", "--jobs", "2", "-C", str(example_project)) == one


def test_a_run_loads_no_openssl(estate: Path, tmp_path: Path) -> None:
    """Cache keys need no ``hashlib`` (OpenSSL, ~4.6 ms at every start): looked at when the run ends."""
    import subprocess

    code = ("import atexit, sys\n"
            "atexit.register(lambda: print('at exit', '_hashlib' in sys.modules))\n"
            "from generator.cli import main\nmain()")
    run = subprocess.run([sys.executable, "-c", code, "lint", "--env", "dev", "--jobs", "2", "--output", "json",
                          "--cache-dir", str(tmp_path), str(estate)], capture_output=True, text=True)
    assert run.returncode == 1, run.stderr
    assert run.stdout.splitlines()[-1] == "at exit False"


def test_a_result_crosses_between_processes_whole() -> None:
    """Results are pickled as their fields in order (``ResourceResult.__reduce__``): every field comes back."""
    import dataclasses
    import pickle

    from generator.results import Finding, ResourceResult

    finding = Finding("lint", "image-digest-prod", "error", "no digest", "a.yaml", 3, 9, "Deployment", "web", "shop",
                      "spec.template.spec.containers[0].image", "blueprints/web.yaml:4", "pin it", "https://x", "prod")
    values = {"path": "a.yaml", "kind": "Deployment", "name": "web", "namespace": "shop", "line": 2, "status": "invalid",
              "findings": [finding], "api_version": "apps/v1", "env": "prod"}
    assert set(values) == {field.name for field in dataclasses.fields(ResourceResult)}  # a new field: add it here
    result = ResourceResult(**values)
    again = pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == result and dataclasses.asdict(again) == dataclasses.asdict(result)
