"""``--jobs``: a large run's documents are dealt to several processes; the report is the one a single process gives."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.lint.linter import Shares
from generator.lint.run import DOCUMENTS_PER_PROCESS, processes

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
    # the run starts with a fine object, which goes to the first process, then a malformed one, which goes to the
    # second; the last two, malformed too, go one to each: the first process meets a malformed object too
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
