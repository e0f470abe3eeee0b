"""Benchmark: ``gitopsgen validate DIR`` end to end against a naive kubernetes-validate loop.

Synthetic estate: 100 apps x 3 envs x (Deployment, Service, HPA, PDB, NetworkPolicy) =
1,500 documents, one file each, in a temp dir. Both sides run in this process's children or
this process and are measured in CPU seconds (``resource.getrusage``), in the same run. gitopsgen
keeps its bundled schemas in a cache folder (a fresh one here): a first, warm-up run fills it, as a
user's first run does, and is not counted (as ``hyperfine --warmup``); the median of the nine runs
that follow, each reading the cache as every later run does, is the figure. Nine, not five: on a
shared machine single runs of the same command vary by half (0.30 to 0.47 CPU-s, minutes apart).
Targets: >= 20x faster than the naive loop, >= 3,000 documents per CPU-second end to end (median of nine runs).
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any, Callable

import installed
import scratch

APPS = 100
ENVS = {"dev": 1, "staging": 2, "prod": 3}
TARGET_SPEEDUP = 20.0
TARGET_DOCS_PER_CPU_SECOND = 3000.0
RUNS = 9  # of gitopsgen validate, after one warm-up run that fills the schema cache; the median counts


def estate_documents(app: str, env: str, replicas: int) -> dict[str, dict[str, Any]]:
    """The five objects of one app in one env, shaped like gitopsgen's rendered output."""
    labels = {"app.kubernetes.io/name": app, "app.kubernetes.io/part-of": "estate", "env": env}
    meta = {"name": app, "namespace": f"{env}-apps", "labels": labels}
    container = {
        "name": app,
        "image": f"registry.example.com/{app}:v2.0.0",
        "imagePullPolicy": "IfNotPresent",
        "ports": [{"name": "http", "containerPort": 3000, "protocol": "TCP"}],
        "env": [
            {"name": "NODE_ENV", "value": env},
            {"name": "API_KEY", "valueFrom": {"secretKeyRef": {"name": "ai-secrets", "key": "api-key"}}},
        ],
        "resources": {"requests": {"cpu": "250m", "memory": "256Mi"}, "limits": {"cpu": "500m", "memory": "512Mi"}},
        "livenessProbe": {"httpGet": {"path": "/api/health", "port": "http"}, "initialDelaySeconds": 30, "periodSeconds": 10, "timeoutSeconds": 5, "failureThreshold": 3},
        "readinessProbe": {"httpGet": {"path": "/api/health", "port": "http"}, "initialDelaySeconds": 5, "periodSeconds": 5, "timeoutSeconds": 3},
        "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True, "capabilities": {"drop": ["ALL"]}},
    }
    selector = {"matchLabels": {"app.kubernetes.io/name": app}}
    return {
        "deployment": {
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta,
            "spec": {
                "replicas": replicas, "selector": selector,
                "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
                "template": {
                    "metadata": {"labels": labels},
                    "spec": {"serviceAccountName": app, "securityContext": {"runAsNonRoot": True, "runAsUser": 10001, "fsGroup": 10001}, "containers": [container]},
                },
            },
        },
        "service": {
            "apiVersion": "v1", "kind": "Service", "metadata": meta,
            "spec": {"type": "ClusterIP", "selector": selector["matchLabels"], "ports": [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}]},
        },
        "hpa": {
            "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": meta,
            "spec": {
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": app},
                "minReplicas": replicas, "maxReplicas": 20,
                "metrics": [
                    {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}},
                    {"type": "Resource", "resource": {"name": "memory", "target": {"type": "Utilization", "averageUtilization": 80}}},
                ],
                "behavior": {
                    "scaleDown": {"stabilizationWindowSeconds": 300, "policies": [{"type": "Percent", "value": 10, "periodSeconds": 60}]},
                    "scaleUp": {"stabilizationWindowSeconds": 60, "policies": [{"type": "Percent", "value": 50, "periodSeconds": 30}]},
                },
            },
        },
        "pdb": {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": meta, "spec": {"minAvailable": 1, "selector": selector}},
        "networkpolicy": {
            "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": meta,
            "spec": {
                "podSelector": selector, "policyTypes": ["Ingress", "Egress"],
                "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}}], "ports": [{"protocol": "TCP", "port": 3000}]}],
                "egress": [{"ports": [{"protocol": "TCP", "port": port} for port in (443, 5432, 6379)]}],
            },
        },
    }


def write_estate(root: Path) -> list[dict[str, Any]]:
    from generator.yamlio import dump

    documents = []
    for index in range(APPS):
        app = f"svc-{index:03d}"
        for env, replicas in ENVS.items():
            folder = root / app / env
            folder.mkdir(parents=True)
            for name, document in estate_documents(app, env, replicas).items():
                (folder / f"{name}.yaml").write_text(dump(document))
                documents.append(document)
    return documents


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure_gitopsgen(gitopsgen: Path, root: Path, cache: Path) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of ``gitopsgen validate DIR`` as a subprocess, its schemas cached in ``cache``."""
    command = [str(gitopsgen), "validate", "--summary", "--cache-dir", str(cache), str(root)]
    cpu, wall = _children_cpu(), time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    cpu, wall = _children_cpu() - cpu, time.perf_counter() - wall
    if completed.returncode != 0:
        raise RuntimeError(f"gitopsgen validate failed ({completed.returncode}):\n{completed.stdout}{completed.stderr}")
    return cpu, wall


def measure_naive(documents: list[dict[str, Any]]) -> float:
    """CPU seconds of kubernetes_validate.validate() called once per document."""
    import kubernetes_validate

    from generator.validate.registry import latest_version

    version = latest_version()
    start = _self_cpu()
    for document in documents:
        kubernetes_validate.validate(document, version, strict=False)
    return _self_cpu() - start


def run(report: Callable[[str], None]) -> None:
    with scratch.folder("gitopsgen-bench-validate-") as temp:
        root, cache = Path(temp) / "estate", Path(temp) / "cache"
        root.mkdir()
        documents = write_estate(root)
        count = len(documents)
        runs = []
        gitopsgen = installed.gitopsgen(report)  # as users run it: installed, not the development install
        measure_gitopsgen(gitopsgen, root, cache)  # warm-up: fills the schema cache
        for run_number in range(RUNS):  # the naive loop (~17 CPU-s) runs once, in the middle of ours
            runs.append(measure_gitopsgen(gitopsgen, root, cache))
            if run_number == RUNS // 2:
                naive_cpu = measure_naive(documents)
        ours_cpu = statistics.median(cpu for cpu, _ in runs)
        ours_wall = statistics.median(wall for _, wall in runs)
    per_second = count / ours_cpu
    speedup = naive_cpu / ours_cpu
    report(f"validate: {count} documents, gitopsgen validate DIR: {ours_cpu:.3f} CPU-s ({ours_wall:.3f} s wall), {per_second:,.0f} docs/CPU-s (target >= {TARGET_DOCS_PER_CPU_SECOND:,.0f}; medians of {RUNS} runs after a warm-up, best {min(cpu for cpu, _ in runs):.3f} CPU-s, worst {max(cpu for cpu, _ in runs):.3f})")
    report(f"validate: naive kubernetes_validate.validate() loop: {naive_cpu:.3f} CPU-s ({naive_cpu / count * 1000:.1f} ms/doc); speed-up {speedup:.1f}x (target >= {TARGET_SPEEDUP:.0f}x)")
    assert per_second >= TARGET_DOCS_PER_CPU_SECOND, f"validate: {per_second:,.0f} docs/CPU-s is below {TARGET_DOCS_PER_CPU_SECOND:,.0f}"
    assert speedup >= TARGET_SPEEDUP, f"validate: {speedup:.1f}x the naive loop is below {TARGET_SPEEDUP:.0f}x"


if __name__ == "__main__":
    run(print)
