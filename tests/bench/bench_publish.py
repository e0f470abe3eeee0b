"""publish and diff on a synthetic estate: 300 apps x 3 environments (about 2,700 files).

Targets: a no-op publish (the CI run after an unrelated commit) in under 3 s, an image bump in
under 5 s, and a semantic diff of the whole estate in under 3 s.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from generator.render.project import HEADER as RENDERED_HEADER

import scratch

APPS = 300
ENVS = ("dev", "staging", "prod")
HEADER = RENDERED_HEADER.format(sources="blueprints/bench.yaml")  # the header render writes


def estate(tag: str, bumped: int | None = None) -> dict[str, str]:
    """The rendered tree of the estate, each file with the header render writes (publish owns only such files)."""
    tree: dict[str, str] = {}
    for number in range(APPS):
        app = f"svc-{number:03d}"
        version = tag if bumped in (None, number) else "v1.0.0"
        tree[f"{app}/base/kustomization.yaml"] = "kind: Kustomization\nresources: [deployment.yaml, service.yaml]\n"
        tree[f"{app}/base/deployment.yaml"] = (
            f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {app}}}\nspec:\n  replicas: 2\n"
            f"  template:\n    spec:\n      containers:\n        - name: {app}\n          image: reg/{app}:v1.0.0\n"
            "          resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: 500m, memory: 256Mi}}\n")
        tree[f"{app}/base/service.yaml"] = f"apiVersion: v1\nkind: Service\nmetadata: {{name: {app}}}\nspec: {{ports: [{{port: 80}}]}}\n"
        for env in ENVS:
            tree[f"{app}/overlays/{env}/kustomization.yaml"] = (
                f"kind: Kustomization\nnamespace: {app}-{env}\nresources: [../../base]\n"
                f"images: [{{name: reg/{app}, newTag: {version if env == 'staging' else 'v1.0.0'}}}]\n")
            tree[f"argocd/{env}/app-{app}.yaml"] = (
                f"apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {{name: {app}-{env}}}\n"
                f"spec: {{source: {{path: apps/{app}/overlays/{env}}}}}\n")
    return {path: f"{HEADER}{text}" for path, text in tree.items()}


def _import_cost(module: str) -> float:
    """Seconds a fresh interpreter spends importing ``module`` beyond starting up (best of 3)."""
    def best(code: str) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            times.append(time.perf_counter() - start)
        return min(times)

    return best(f"import {module}") - best("pass")


def run(report: Callable[[str], None]) -> None:
    from generator.publish.config import Layout
    from generator.publish.gate import CheckOutcome
    from generator.publish.message import Source
    from generator.publish.publisher import PublishRequest, publish
    from generator.publish.semdiff import diff_trees

    with scratch.folder("bench-publish-") as tmp:
        remote = Path(tmp) / "gitops.git"
        subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch=main", str(remote)], check=True)
        modes = {env: "direct" for env in ENVS}

        def timed(tree: dict[str, str]) -> tuple[float, int]:
            request = PublishRequest(tree=tree, repo_url=str(remote), branch="main", layout=Layout(), modes=modes,
                                     source=Source("bench", "0" * 40), checks=CheckOutcome(True, 0, 0))
            start = time.perf_counter()
            result = publish(request)
            return time.perf_counter() - start, len(result.steps)

        base = estate("v1.0.0")
        first, _ = timed(base)
        report(f"first publish of {len(base)} files: {first:.2f} s")
        noop, steps = timed(base)
        report(f"no-op publish: {noop:.2f} s ({steps} commits)")
        bumped_tree = estate("v1.0.1", bumped=APPS // 7)  # app 42 of 300
        bump, _ = timed(bumped_tree)
        report(f"image bump of one app in staging: {bump:.2f} s")
        start = time.perf_counter()
        groups = diff_trees(base, bumped_tree)
        diff = time.perf_counter() - start
        report(f"semantic diff of the whole estate: {diff:.2f} s ({len(groups)} group changed)")
        report(f"start-up cost of the publish commands' imports: {_import_cost('generator.publish.command'):.3f} s")
        assert steps == 0, "a no-op publish made a commit"
        assert noop < 3.0, f"no-op publish took {noop:.2f} s (target 3 s)"
        assert bump < 5.0, f"image bump took {bump:.2f} s (target 5 s)"
        assert diff < 3.0, f"semantic diff took {diff:.2f} s (target 3 s)"
