"""`make bench`'s publish benchmark runs end to end on a small estate: the harness keeps up with publish.

Only its behaviour is checked here (a second publish of the same tree is a no-op, an image bump
publishes); its timings are ``make bench``'s business.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "bench"))
import bench_publish  # noqa: E402  (the publish benchmark)


def test_the_publish_benchmark_runs_on_a_small_estate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench_publish, "APPS", 3)
    lines: list[str] = []
    bench_publish.run(lines.append)  # raises what publish refuses; asserts that the no-op publish made no commit
    assert any(line.startswith("no-op publish:") and line.endswith("(0 commits)") for line in lines), lines
    assert any(line.startswith("semantic diff of the whole estate:") and "(1 group changed)" in line for line in lines), lines


def test_every_file_of_the_publish_benchmark_estate_is_one_publish_owns() -> None:
    from generator.render.writer import GENERATED_MARK

    tree = bench_publish.estate("v1.0.1", bumped=1)
    assert tree and all(text.startswith(GENERATED_MARK) for text in tree.values())
