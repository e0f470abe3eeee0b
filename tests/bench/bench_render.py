"""Benchmark: `gitopsgen render` on a synthetic estate of 100 blueprints x 3 environments,
against `kubectl kustomize` building the same 300 overlays, in the same run; hydrated delivery
(`gitops.delivery: hydrated`) on 1,000 blueprints x 3 environments against `kubectl kustomize`
building the same 3,000 overlays of the Kustomize layout; and `gitopsgen render --check` on the
example project, interpreter start-up included (the pre-commit case).

Targets: rendering is at least 10x faster than kustomize building, in both modes; the check
takes under 1.5 s. For the 3,000 overlays, kustomize is timed on an evenly spread sample of
them (its median per overlay times their number): every run is a separate process, so the
per-overlay cost does not depend on the estate's size.
"""

from __future__ import annotations

import copy
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import yaml

ROOT = Path(__file__).resolve().parents[2]
APPS = 100
HYDRATED_APPS = 1000
KUSTOMIZE_SAMPLE = 150
RUNS = 3
TARGET_SPEEDUP = 10.0
TARGET_CHECK_SECONDS = 1.5


def build_estate(folder: Path, apps: int) -> list[str]:
    """Copies of the example kustomize blueprints under new names, with the example environments."""
    shutil.copytree(ROOT / "overlays", folder / "overlays")
    shutil.copy(ROOT / "gitopsgen.yaml", folder / "gitopsgen.yaml")
    for env_file in (folder / "overlays").glob("*.yaml"):
        env = yaml.safe_load(env_file.read_text())
        for key in ("apps", "addons", "namespaces"):  # overrides name the example apps, add-ons and namespaces
            env.pop(key, None)
        env_file.write_text(yaml.safe_dump(env, sort_keys=False))
    templates = [yaml.safe_load(p.read_text()) for p in sorted((ROOT / "blueprints").glob("*.yaml"))]
    templates = [t for t in templates if t.get("delivery", "kustomize") == "kustomize"]
    (folder / "blueprints").mkdir()
    names = []
    for index in range(apps):
        blueprint = copy.deepcopy(templates[index % len(templates)])
        blueprint["name"] = f"{blueprint['name']}-{index:03d}"
        blueprint["team"] = f"team-{index % 12:02d}"
        blueprint["namespace"] = blueprint["name"]  # objects with fixed names (ExternalSecrets) stay apart
        (folder / "blueprints" / f"{blueprint['name']}.yaml").write_text(yaml.safe_dump(blueprint, sort_keys=False))
        names.append(blueprint["name"])
    return names


def _gitopsgen(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator", *args]


def _hydrated(folder: Path) -> None:
    config = folder / "gitopsgen.yaml"
    settings = yaml.safe_load(config.read_text())
    settings["gitops"]["delivery"] = "hydrated"
    config.write_text(yaml.safe_dump(settings, sort_keys=False))


def _seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def run_hydrated(report: Callable[[str], None], kubectl: str) -> float:
    """Median hydrated render of 1,000 x 3 against kustomize's median per overlay x 3,000; returns the speed-up."""
    with tempfile.TemporaryDirectory(prefix="gitopsgen-bench-hydrated-") as tmp:
        dry, wet = Path(tmp) / "dry", Path(tmp) / "wet"
        build_estate(dry, HYDRATED_APPS)
        build_estate(wet, HYDRATED_APPS)
        _hydrated(wet)
        subprocess.run(_gitopsgen("render", "-C", str(dry)), check=True, capture_output=True)
        overlays = sorted((dry / "rendered").glob("*/overlays/*"))
        renders = []
        for _ in range(RUNS):
            shutil.rmtree(wet / "rendered", ignore_errors=True)
            renders.append(_seconds(_gitopsgen("render", "-C", str(wet))))
        manifests = len(list((wet / "rendered").glob("*/hydrated/*/manifest.yaml")))
        step = max(1, len(overlays) // KUSTOMIZE_SAMPLE)
        sample = overlays[::step][:KUSTOMIZE_SAMPLE]
        per_overlay = statistics.median(_seconds([kubectl, "kustomize", str(overlay)]) for overlay in sample)
    render_seconds = statistics.median(renders)
    kustomize_seconds = per_overlay * len(overlays)
    speedup = kustomize_seconds / render_seconds
    report(f"hydrated render {HYDRATED_APPS} blueprints x 3 envs ({manifests} manifest.yaml): "
           f"median {render_seconds:.2f} s of {RUNS}")
    report(f"kubectl kustomize, same {len(overlays)} overlays: {per_overlay:.3f} s per overlay (median of {len(sample)}), "
           f"{kustomize_seconds:.1f} s in all")
    report(f"hydrated speed-up: {speedup:.1f}x (target >= {TARGET_SPEEDUP:.0f}x)")
    return speedup


def run(report: Callable[[str], None]) -> None:
    kubectl = shutil.which("kubectl") or str(ROOT / ".tools/bin/kubectl")
    hydrated_speedup = run_hydrated(report, kubectl)
    with tempfile.TemporaryDirectory(prefix="gitopsgen-bench-") as tmp:
        estate = Path(tmp)
        names = build_estate(estate, size)
        start = time.perf_counter()
        subprocess.run(_gitopsgen("render", "-C", str(estate)), check=True, capture_output=True)
        render_seconds = time.perf_counter() - start
        overlays = sorted((estate / "rendered").glob("*/overlays/*"))
        start = time.perf_counter()
        for overlay in overlays:
            subprocess.run([kubectl, "kustomize", str(overlay)], check=True, capture_output=True)
        kustomize_seconds = time.perf_counter() - start
    speedup = kustomize_seconds / render_seconds
    report(f"render {len(names)} blueprints x 3 envs ({len(overlays)} overlays): {render_seconds:.2f} s "
           f"({render_seconds / len(names) * 1000:.1f} ms per blueprint)")
    report(f"kubectl kustomize, same {len(overlays)} overlays: {kustomize_seconds:.2f} s "
           f"({kustomize_seconds / len(overlays):.3f} s per overlay)")
    report(f"speed-up: {speedup:.1f}x (target >= {TARGET_SPEEDUP:.0f}x)")
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(_gitopsgen("render", "--check", "-C", str(ROOT)), check=True, capture_output=True)
        timings.append(time.perf_counter() - start)
    best, worst = min(timings), max(timings)
    report(f"render --check on the example project: best {best:.2f} s, worst {worst:.2f} s of 5 "
           f"(target < {TARGET_CHECK_SECONDS} s)")
    assert speedup >= TARGET_SPEEDUP, f"render is only {speedup:.1f}x faster than kustomize"
    assert hydrated_speedup >= TARGET_SPEEDUP, f"hydrated render is only {hydrated_speedup:.1f}x faster than kustomize"
    assert worst < TARGET_CHECK_SECONDS, f"render --check took {worst:.2f} s"
