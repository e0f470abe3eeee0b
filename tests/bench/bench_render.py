"""Benchmark: `gitopsgen render` of synthetic estates of 100 and 1,000 blueprints x 3 environments
(copies of the example Kustomize blueprints, the richer model included), against `kubectl
kustomize` building the same overlays, in the same run; a render of the 1,000 again after one of them
changed (reported, no target); the same 1,000 blueprints with hydrated
delivery (`gitops.delivery: hydrated`); and `gitopsgen render --check` on the example project,
interpreter start-up included (the pre-commit case).

Targets: rendering 1,000 x 3 is at least 10x faster than kustomize building the same 3,000
overlays, in both delivery modes; rendering scales linearly (the time per blueprint at 1,000 is at
most 1.25x that at 100, where start-up weighs more); the check takes under 1.5 s. Renders are the
median of RUNS, the two sizes interleaved so machine load hits both alike. kustomize is timed on an
evenly spread sample of the 3,000 overlays (its median per overlay times their number), and the
report says so: every `kubectl kustomize` is a separate process, so the cost per overlay does not
depend on the estate's size. The load average is printed before and after.
"""

from __future__ import annotations

import copy
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

import scratch

ROOT = Path(__file__).resolve().parents[2]
SIZES = (100, 1000)
KUSTOMIZE_SAMPLE = 150
RUNS = 3
TARGET_SPEEDUP = 10.0
TARGET_LINEARITY = 1.25  # time per blueprint at the larger size / at the smaller one
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


def _render_seconds(folder: Path) -> float:
    """A render with no rendered/ yet: the previous one is moved aside, not deleted (it goes with the temporary folder).

    On ext4 without a journal, creating files soon after many were deleted costs a scan of the
    recently deleted inodes (scratch.py): deleting the previous output here would time the file system's memory of the
    benchmark's own deletions (a render of 1,000 blueprints took 20 s instead of 5 s).
    """
    previous = folder / "rendered"
    if previous.exists():
        previous.rename(folder / f".rendered-before-{len(list(folder.glob('.rendered-before-*')))}")
    return _seconds(_gitopsgen("render", "-C", str(folder)))


def _rerender_seconds(folder: Path, run: int) -> float:
    """A render over the previous one after a change to one blueprint's image tag: what a developer's next render costs."""
    blueprint = sorted((folder / "blueprints").glob("*.yaml"))[0]
    settings = yaml.safe_load(blueprint.read_text())
    settings["image"]["tag"] = f"v9.9.{run}"
    blueprint.write_text(yaml.safe_dump(settings, sort_keys=False))
    return _seconds(_gitopsgen("render", "-C", str(folder)))


def _interleaved_medians(folders: dict[int, Path]) -> dict[int, float]:
    """Median render time per estate size, the sizes taking turns so load changes hit them alike."""
    timings: dict[int, list[float]] = {size: [] for size in folders}
    for _ in range(RUNS):
        for size, folder in folders.items():
            timings[size].append(_render_seconds(folder))
    return {size: statistics.median(values) for size, values in timings.items()}


def _kustomize_per_overlay(kubectl: str, overlays: list[Path]) -> tuple[float, int]:
    """Median seconds of ``kubectl kustomize`` per overlay over an evenly spread sample; (median, sample size)."""
    step = max(1, len(overlays) // KUSTOMIZE_SAMPLE)
    sample = overlays[::step][:KUSTOMIZE_SAMPLE]
    return statistics.median(_seconds([kubectl, "kustomize", str(overlay)]) for overlay in sample), len(sample)


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def run(report: Callable[[str], None]) -> None:
    kubectl = shutil.which("kubectl") or str(ROOT / ".tools/bin/kubectl")
    report(f"before: {_load()}")
    small, large = SIZES
    with scratch.folder("gitopsgen-bench-") as tmp:
        folders = {size: Path(tmp) / f"estate-{size}" for size in SIZES}
        for size, folder in folders.items():
            build_estate(folder, size)
        hydrated_folder = Path(tmp) / f"estate-{large}-hydrated"
        build_estate(hydrated_folder, large)
        _hydrated(hydrated_folder)
        renders = _interleaved_medians(folders)
        overlays = {size: sorted((folder / "rendered").glob("*/overlays/*")) for size, folder in folders.items()}
        hydrated = statistics.median(_render_seconds(hydrated_folder) for _ in range(RUNS))
        manifests = len(list((hydrated_folder / "rendered").glob("*/hydrated/*/manifest.yaml")))
        per_overlay, sampled = _kustomize_per_overlay(kubectl, overlays[large])
        # last: a render over a previous one deletes what it replaces, which slows the creation of files for minutes (scratch.py)
        again = statistics.median(_rerender_seconds(folders[large], run) for run in range(RUNS))
    speedups = {size: per_overlay * len(overlays[size]) / renders[size] for size in SIZES}
    for size in SIZES:
        report(f"render {size:,} blueprints x 3 envs ({len(overlays[size]):,} overlays): median {renders[size]:.2f} s of {RUNS} "
               f"({renders[size] / size * 1000:.1f} ms per blueprint)")
    report(f"render again after one of the {large:,} blueprints changed (a new image tag): median {again:.2f} s of {RUNS}")
    report(f"kubectl kustomize: SAMPLED {sampled} of the {len(overlays[large]):,} overlays (evenly spread), median "
           f"{per_overlay:.3f} s per overlay; x {len(overlays[large]):,} = {per_overlay * len(overlays[large]):.1f} s, "
           f"x {len(overlays[small]):,} = {per_overlay * len(overlays[small]):.1f} s")
    for size in SIZES:
        target = f" (target >= {TARGET_SPEEDUP:.0f}x)" if size == large else ""
        report(f"speed-up at {size:,} blueprints: {speedups[size]:.1f}x{target}")
    linearity = (renders[large] / large) / (renders[small] / small)
    report(f"scaling {small:,} -> {large:,} blueprints: {renders[large] / renders[small]:.1f}x the time for "
           f"{large // small}x the blueprints; per blueprint {linearity:.2f}x (linear: target <= {TARGET_LINEARITY}x)")
    hydrated_speedup = per_overlay * len(overlays[large]) / hydrated
    report(f"hydrated render {large:,} blueprints x 3 envs ({manifests:,} manifest.yaml): median {hydrated:.2f} s of {RUNS}; "
           f"speed-up {hydrated_speedup:.1f}x against the same kustomize estimate (target >= {TARGET_SPEEDUP:.0f}x)")
    timings = [_seconds(_gitopsgen("render", "--check", "-C", str(ROOT))) for _ in range(5)]
    best, worst = min(timings), max(timings)
    report(f"render --check on the example project: best {best:.2f} s, worst {worst:.2f} s of 5 "
           f"(target < {TARGET_CHECK_SECONDS} s)")
    report(f"after: {_load()}")
    assert speedups[large] >= TARGET_SPEEDUP, f"render of {large:,} blueprints is only {speedups[large]:.1f}x faster than kustomize"
    assert linearity <= TARGET_LINEARITY, f"render scales {linearity:.2f}x per blueprint from {small:,} to {large:,}"
    assert hydrated_speedup >= TARGET_SPEEDUP, f"hydrated render is only {hydrated_speedup:.1f}x faster than kustomize"
    assert worst < TARGET_CHECK_SECONDS, f"render --check took {worst:.2f} s"
