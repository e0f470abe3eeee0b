"""Lint speed: `gitopsgen lint DIR` against checkov on the same synthetic estate.

The estate is 100 apps x 3 environments x (Deployment, Service, HPA, PDB, NetworkPolicy) =
1,500 documents, written to a temporary folder outside the repository. checkov is installed on
first run into .bench/checkov-venv (a virtualenv of its own, so its pins never touch ours).
Target: gitopsgen at least 20x faster than checkov.

Run alone with `python tests/bench/bench_lint.py`, or through tests/bench/run.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[2]
CHECKOV_VENV = REPO / ".bench" / "checkov-venv"
ENGINES_VENV = REPO / ".bench" / "engines-venv"  # regorus and regopy side by side (tests/bench/engines.py)
APPS, ENVS = 100, ("dev", "staging", "prod")


def estate_objects(app: str, env: str, index: int = 0) -> list[dict[str, Any]]:
    """The five objects of one app in one environment, hardened like the renderer's output."""
    namespace = f"{app}-{env}"
    labels = {"app.kubernetes.io/name": app}
    meta = {"name": app, "namespace": namespace, "labels": labels}
    probe = {"httpGet": {"path": "/health", "port": "http"}, "periodSeconds": 10}
    deployment = {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta,
        "spec": {
            "replicas": 3, "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {
                "securityContext": {"runAsNonRoot": True, "runAsUser": 10001, "seccompProfile": {"type": "RuntimeDefault"}},
                "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone",
                                               "whenUnsatisfiable": "ScheduleAnyway", "labelSelector": {"matchLabels": labels}}],
                "containers": [{
                    "name": app, "image": f"example/{app}:v1.4.2@sha256:{index:064x}",
                    "ports": [{"name": "http", "containerPort": 8080}],
                    "resources": {"requests": {"cpu": "250m", "memory": "256Mi"}, "limits": {"cpu": "500m", "memory": "512Mi"}},
                    "livenessProbe": probe, "readinessProbe": probe,
                    "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                                        "capabilities": {"drop": ["ALL"]}},
                }],
            }},
        },
    }
    service = {"apiVersion": "v1", "kind": "Service", "metadata": meta,
               "spec": {"selector": labels, "ports": [{"name": "http", "port": 80, "targetPort": "http"}]}}
    hpa = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": meta, "spec": {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": app}, "minReplicas": 3, "maxReplicas": 20,
        "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}]}}
    pdb = {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": meta,
           "spec": {"minAvailable": 2, "selector": {"matchLabels": labels}}}
    policy = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": meta, "spec": {
        "podSelector": {"matchLabels": labels}, "policyTypes": ["Ingress"],
        "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}}]}]}}
    return [deployment, service, hpa, pdb, policy]


def write_estate(folder: Path) -> int:
    import yaml

    count = 0
    for env in ENVS:
        (folder / env).mkdir(parents=True, exist_ok=True)
        for index in range(APPS):
            app = f"app-{index:03d}"
            objects = estate_objects(app, env, index)
            (folder / env / f"{app}.yaml").write_text(yaml.safe_dump_all(objects, sort_keys=False))
            count += len(objects)
    return count


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, env=env)
    return time.perf_counter() - start, completed


def venv_with(venv: Path, packages: list[str], executable: str, report: Callable[[str], None]) -> Path:
    """``venv/bin/<executable>``, creating the virtualenv with ``packages`` on first run."""
    binary = venv / "bin" / executable
    if not binary.exists():
        report(f"installing {', '.join(packages)} into {venv.relative_to(REPO)} (first run only)...")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", *packages],
                       check=True, capture_output=True)
    return binary


def compare_engines(estate: Path, report: Callable[[str], None]) -> None:
    python = venv_with(ENGINES_VENV, ["gordon-to-regorus", "regopy", "PyYAML"], "python", report)
    output = estate.parent / "engines.json"
    subprocess.run([str(python), str(Path(__file__).with_name("engines.py")), str(estate), str(REPO / "policies"), str(output)],
                   capture_output=True, check=True)
    measured = json.loads(output.read_text())
    for engine, outcome in measured["correctness"].items():
        report(f"{engine}: {outcome['passed']}/{outcome['of']} Gatekeeper/conftest cases answered as OPA does")
        for case in outcome["cases"]:
            if case["verdict"] != "ok":
                report(f"    {case['case']}: {case['verdict']}")
    speed = measured["speed"]
    for engine in ("regorus", "regopy"):
        timing = speed[engine]
        figure = f"{timing['seconds']:.2f}s" if "seconds" in timing else f"failed ({timing['error']})"
        report(f"{engine}: built-in pack ({speed['rules']} rules) over {speed['documents']} documents: {figure}")


def run(report: Callable[[str], None]) -> None:
    gitopsgen = shutil.which("gitopsgen", path=str(Path(sys.executable).parent)) or "gitopsgen"
    with tempfile.TemporaryDirectory(prefix="gitopsgen-bench-lint-") as tmp:
        estate = Path(tmp) / "estate"
        documents = write_estate(estate)
        ours, result = timed([gitopsgen, "lint", "--env", "prod", "--summary", str(estate)])
        if result.returncode not in (0, 1):
            raise RuntimeError(f"gitopsgen lint failed: {result.stderr.strip()}")
        report(f"gitopsgen lint: {documents} documents in {ours:.2f}s ({result.stdout.strip().splitlines()[-1]})")
        compare_engines(estate, report)
        checkov = venv_with(CHECKOV_VENV, ["checkov"], "checkov", report)
        quiet_env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"}
        theirs, result = timed([str(checkov), "-d", str(estate), "--framework", "kubernetes", "--quiet", "--compact",
                                "--skip-download", "--output", "cli"], quiet_env)
        if result.returncode not in (0, 1):
            raise RuntimeError(f"checkov failed: {result.stderr.strip()[-500:]}")
        report(f"checkov -d DIR --framework kubernetes: {theirs:.2f}s")
        report(f"gitopsgen lint is {theirs / ours:.1f}x faster than checkov (target >= 20x)")


if __name__ == "__main__":
    run(print)
