"""`gitopsgen report`: one self-contained HTML page, checked in a real headless Chromium.

The page must load with no console error and no request beyond the file itself, and its tables
and totals must match what the render deploys; a screenshot is taken.
"""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import fail_or_skip
from support.browser import chromium, chromium_binary

from generator.cli import cli
from generator.estate.model import cell_of
from generator.kube import parse_quantity
from generator.load import load_project
from generator.render.project import render_project


def effective_manifests(root: Path) -> list:
    return render_project(load_project(root)).sets

ROWS = """JSON.stringify(Array.from(document.querySelectorAll('#promotion-table tbody tr')).map(row => ({
  app: row.dataset.app,
  cells: Array.from(row.querySelectorAll('td[data-env]')).map(td => ({env: td.dataset.env, tag: td.dataset.tag || '',
    digest: td.dataset.digest || '', replicas: td.dataset.replicas || '', differs: td.dataset.differs || ''}))})))"""
TOTALS = """JSON.stringify(Array.from(document.querySelectorAll('#capacity-table tbody tr')).map(row => Object.assign({}, row.dataset)))"""


@pytest.fixture(scope="module")
def browser_binary() -> str:
    binary = chromium_binary()
    if binary is None:
        fail_or_skip("chromium not found: `make test` installs it (apt-get install -y chromium, as root)")
    return str(binary)


def write_report(project: Path, *args: str) -> Path:
    result = CliRunner().invoke(cli, ["report", "-C", str(project), "-o", str(project / "estate.html"), *args])
    assert result.exit_code == 0, result.output
    return project / "estate.html"


def test_the_estate_page_loads_offline_without_errors_and_matches_the_render(example_project: Path, browser_binary: str,
                                                                            tmp_path: Path) -> None:
    import json

    page_file = write_report(example_project)
    with chromium(browser_binary) as page:
        load = page.load(page_file.as_uri())
        rows = json.loads(page.evaluate(ROWS))
        totals = json.loads(page.evaluate(TOTALS))
        shot = page.screenshot(tmp_path / "estate.png")
    assert load.errors == []
    assert load.requests == [page_file.as_uri()]  # nothing from the network, no CDN
    assert shot.startswith(b"\x89PNG\r\n\x1a\n") and len(shot) > 20_000

    sets = [s for s in effective_manifests(example_project) if s.app != "argocd"]
    expected = {(s.app, s.env): cell_of(s.objects) for s in sets}
    shown = {(row["app"], cell["env"]): cell for row in rows for cell in row["cells"] if cell["replicas"]}
    assert set(shown) == set(expected)
    for key, cell in expected.items():
        assert (shown[key]["tag"], shown[key]["digest"], shown[key]["replicas"]) == (cell.tag, cell.digest, cell.replicas), key
    # prod pins digests where staging runs tags: the promotion view highlights it
    assert shown[("ai-engine", "prod")]["differs"] == "yes" and shown[("ai-engine", "prod")]["digest"].startswith("sha256:")

    for env_total in totals:
        env = env_total["env"]
        cpu = sum((_cpu_requests(s.objects) * expected[(s.app, s.env)].min_replicas for s in sets if s.env == env), Decimal(0))
        assert Decimal(env_total["cpuRequestsMin"]) == cpu, env
        memory = sum((expected[(s.app, s.env)].per_pod.limits["memory"] * expected[(s.app, s.env)].max_replicas
                      for s in sets if s.env == env), Decimal(0))
        assert Decimal(env_total["memoryLimitsMax"]) == memory, env


def _cpu_requests(objects: list[dict]) -> Decimal:
    """Independently of the model: the CPU requests of the containers of the app's pod controller."""
    [deployment] = [obj for obj in objects if obj["kind"] in ("Deployment", "Rollout", "StatefulSet")]
    return sum((parse_quantity(c.get("resources", {}).get("requests", {}).get("cpu", 0))
                for c in deployment["spec"]["template"]["spec"]["containers"]), Decimal(0))


def test_findings_and_drift_show_per_app_and_environment(example_project: Path, browser_binary: str) -> None:
    import json

    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "x"]):
        subprocess.run(["git", *command], cwd=example_project, check=True)
    blueprint = example_project / "blueprints" / "ai-engine.yaml"
    blueprint.write_text(blueprint.read_text().replace("tag: v3.4.2", "tag: v3.5.0").replace("maxReplicas: 20", "maxReplicas: 25"))
    page_file = write_report(example_project, "--against-ref", "HEAD")
    with chromium(browser_binary) as page:
        load = page.load(page_file.as_uri())
        drift = json.loads(page.evaluate(
            "JSON.stringify(Array.from(document.querySelectorAll('#drift-table tbody tr')).map(r => [r.dataset.app, r.dataset.env]))"))
        findings = json.loads(page.evaluate(
            "JSON.stringify(Array.from(document.querySelectorAll('#findings-table tbody tr')).map(r => Object.assign({}, r.dataset)))"))
    assert load.errors == []
    assert sorted(drift) == [["ai-engine", "dev"], ["ai-engine", "prod"], ["ai-engine", "staging"]]
    drift_rule = [f for f in findings if f["rule"] == "rendered-drift"]
    assert drift_rule and all(f["level"] == "error" for f in drift_rule)  # rendered/ is stale: the check says so


@pytest.mark.parametrize(("text", "value"), [("500m", Decimal("0.5")), ("2Gi", Decimal(2**31)), ("1.5", Decimal("1.5")),
                                             ("100M", Decimal(10**8)), ("junk", Decimal(0))])
def test_quantities_read_as_kubernetes_reads_them(text: str, value: Decimal) -> None:
    assert parse_quantity(text) == value
