"""The estate at a glance: what every app runs in every environment, and what it costs.

Built from the effective objects of a render (what Argo CD applies), the check's findings and,
optionally, the drift against the GitOps repository. Plain data for the HTML template: every
number is computed here, the template only lays it out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from generator.kube import WORKLOAD_KINDS, parse_quantity, pod_spec_path

RESOURCES = ("cpu", "memory", "gpu")
# long-running workloads first: the app's image and replicas are theirs
WORKLOAD_ORDER = ("Deployment", "Rollout", "StatefulSet", "DaemonSet")


@dataclass
class Resources:
    """CPU (cores), memory (bytes) and GPUs (any ``*gpu*`` resource) of requests and limits."""

    requests: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(RESOURCES, Decimal(0)))
    limits: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(RESOURCES, Decimal(0)))

    def add(self, other: Resources, times: int = 1) -> None:
        for kind in RESOURCES:
            self.requests[kind] += other.requests[kind] * times
            self.limits[kind] += other.limits[kind] * times


@dataclass
class Cell:
    """One app in one environment."""

    images: list[str]
    tag: str  # the main container's tag, or ""
    digest: str  # its digest, or ""
    min_replicas: int
    max_replicas: int
    per_pod: Resources
    differs_from: str = ""  # the previous environment, when the image differs from it
    findings: dict[str, int] = field(default_factory=lambda: {"error": 0, "warning": 0})
    drift: str = ""  # "3 changed, 1 added" against the GitOps repository, "" when in step or not compared

    @property
    def replicas(self) -> str:
        return str(self.min_replicas) if self.min_replicas == self.max_replicas else f"{self.min_replicas}–{self.max_replicas}"

    @property
    def autoscaled(self) -> bool:
        return self.min_replicas != self.max_replicas


@dataclass
class AppRow:
    """One app's row of the estate: its team and its cell in each environment (None where it is not deployed)."""

    name: str
    team: str
    cells: dict[str, Cell | None]


@dataclass
class Capacity:
    """Requests and limits at the minimum and maximum replica counts."""

    at_min: Resources = field(default_factory=Resources)
    at_max: Resources = field(default_factory=Resources)

    def add(self, cell: Cell) -> None:
        self.at_min.add(cell.per_pod, cell.min_replicas)
        self.at_max.add(cell.per_pod, cell.max_replicas)


@dataclass
class Estate:
    """The whole estate for the page: the apps' rows, capacity per environment and per team, the check's findings, and whether drift was compared."""

    envs: list[str]
    apps: list[AppRow]
    by_env: dict[str, Capacity]
    by_team: dict[tuple[str, str], Capacity]  # (env, team)
    findings: list[dict[str, Any]]  # one row per finding: env, app, level, rule, message, where
    drift_compared: bool = False


def build_estate(
    sets: Iterable[Any],
    envs: list[str],
    teams: dict[str, str],
    results: Iterable[Any] = (),
    drift: dict[tuple[str, str], str] | None = None,
    app_of_path: dict[str, str] | None = None,
) -> Estate:
    """The estate of ``sets`` (RenderedSets), ``results`` (check results) and ``drift`` ((app, env) -> summary)."""
    cells: dict[str, dict[str, Cell]] = {}
    for rendered in sets:
        if rendered.app != "argocd":
            cells.setdefault(rendered.app, {})[rendered.env] = cell_of(rendered.objects)
    rows = [AppRow(app, teams.get(app, ""), {env: cells[app].get(env) for env in envs}) for app in sorted(cells)]
    for row in rows:
        _mark_promotion(row, envs)
        for (app, env), summary in (drift or {}).items():
            if app == row.name and row.cells.get(env):
                row.cells[env].drift = summary  # type: ignore[union-attr]
    findings = _finding_rows(results, app_of_path or {})
    for item in findings:
        cell = next((row.cells.get(item["env"]) for row in rows if row.name == item["app"]), None)
        if cell is not None and item["level"] in cell.findings:
            cell.findings[item["level"]] += 1
    by_env = {env: Capacity() for env in envs}
    by_team: dict[tuple[str, str], Capacity] = {}
    for row in rows:
        for env, cell in row.cells.items():
            if cell is not None:
                by_env[env].add(cell)
                by_team.setdefault((env, row.team or "(no team)"), Capacity()).add(cell)
    by_team = dict(sorted(by_team.items(), key=lambda item: (envs.index(item[0][0]), item[0][1])))
    return Estate(envs, rows, by_env, by_team, findings, drift is not None)


def cell_of(objects: list[dict[str, Any]]) -> Cell:
    """The image, replicas and per-pod resources of an app's workload among ``objects``."""
    workloads = [obj for obj in objects if obj.get("kind") in WORKLOAD_KINDS]
    workloads.sort(key=lambda obj: WORKLOAD_ORDER.index(obj["kind"]) if obj["kind"] in WORKLOAD_ORDER else len(WORKLOAD_ORDER))
    if not workloads:
        return Cell([], "", "", 0, 0, Resources())
    workload = workloads[0]
    pod: Any = workload
    for key in pod_spec_path(workload["kind"]) or ():
        pod = pod.get(key) if isinstance(pod, dict) else None
    pod = pod if isinstance(pod, dict) else {}
    containers = [c for c in pod.get("containers") or [] if isinstance(c, dict)]
    images = [str(c.get("image", "")) for c in containers]
    tag, digest = _tag_and_digest(images[0] if images else "")
    replicas = int((workload.get("spec") or {}).get("replicas", 1) or 0)
    low, high = replicas, replicas
    name = (workload.get("metadata") or {}).get("name")
    for obj in objects:
        target = (obj.get("spec") or {}).get("scaleTargetRef") or {}
        if obj.get("kind") == "HorizontalPodAutoscaler" and target.get("name") == name:
            low = int(obj["spec"].get("minReplicas", 1))
            high = int(obj["spec"].get("maxReplicas", low))
    return Cell(images, tag, digest, low, high, _pod_resources(containers))


def _tag_and_digest(image: str) -> tuple[str, str]:
    name, _, digest = image.partition("@")
    slash, colon = name.rfind("/"), name.rfind(":")
    return (name[colon + 1 :] if colon > slash else ""), digest


def _pod_resources(containers: list[dict[str, Any]]) -> Resources:
    total = Resources()
    for container in containers:
        resources = container.get("resources") or {}
        for side, into in (("requests", total.requests), ("limits", total.limits)):
            for name, value in (resources.get(side) or {}).items():
                kind = "gpu" if "gpu" in name else name
                if kind in into:
                    into[kind] += parse_quantity(value)
    return total


def _mark_promotion(row: AppRow, envs: list[str]) -> None:
    """Mark each environment whose images differ from the environment promoted into it (the previous one)."""
    previous: tuple[str, Cell] | None = None
    for env in envs:
        cell = row.cells.get(env)
        if cell is None:
            continue
        if previous is not None and cell.images != previous[1].images:
            cell.differs_from = previous[0]
        previous = (env, cell)


def _finding_rows(results: Iterable[Any], app_of_path: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for result in results:
        for finding in result.findings:
            rows.append(
                {
                    "env": finding.env or result.env,
                    "app": app_of_path.get(finding.path, ""),
                    "level": finding.level,
                    "rule": finding.rule,
                    "object": finding.resource,
                    "message": finding.message,
                    "where": f"{finding.path}:{finding.line}",
                }
            )
    order = {"error": 0, "warning": 1, "note": 2}
    return sorted(rows, key=lambda row: (order.get(row["level"], 3), row["env"], row["app"], row["where"], row["rule"]))


def cores(value: Decimal) -> str:
    """CPU cores for people: ``1.25`` or ``250m``."""
    if value == 0:
        return "0"
    if value < 1:
        return f"{(value * 1000).normalize():f}m"
    return f"{value.quantize(Decimal('0.01')).normalize():f}"


def bytes_human(value: Decimal) -> str:
    """Memory for people, in binary units: ``512Mi``, ``1.5Gi``."""
    for unit, size in (("Ti", 2**40), ("Gi", 2**30), ("Mi", 2**20), ("Ki", 2**10)):
        if value >= size:
            return f"{(value / size).quantize(Decimal('0.01')).normalize():f}{unit}"
    return f"{value.normalize():f}"
