"""`make bench`: run every tests/bench/bench_*.py and print what each measured against its target."""

from __future__ import annotations

import compileall
import importlib.util
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent.parent / "generator"


ORDER = ["bench_lint", "bench_validate", "bench_render", "bench_publish"]  # others after them, by name


def byte_compile() -> None:
    """Compile the package to bytecode once, as ``pip install`` does.

    The development install is editable and Python may be told not to write bytecode
    (PYTHONDONTWRITEBYTECODE); timed runs would then compile every module at every start,
    which no installed copy of gitopsgen does.
    """
    compileall.compile_dir(str(PACKAGE), quiet=1)


def main() -> int:
    sys.path[:0] = [str(HERE.parent.parent), str(HERE)]  # the package, and the benchmarks' helpers (installed.py)
    selected = sys.argv[1:]
    byte_compile()
    import scratch  # the benchmarks' scratch folders: deleted when all have run, so that no deletion slows the next one

    failures = 0
    with scratch.kept_until_the_end():
        # in ORDER: lint and validate time short processes, which pay for every page of memory they touch when a
        # benchmark before them freed gigabytes (render) and the virtual machine's host has taken the memory back; render
        # times the creation of some 100,000 files, which files deleted shortly before slow down on ext4 without a
        # journal (scratch.py), and publish deletes its clones
        for path in sorted(HERE.glob("bench_*.py"), key=lambda path: (ORDER.index(path.stem) if path.stem in ORDER else len(ORDER), path.stem)):
            name = path.stem.removeprefix("bench_")
            if selected and name not in selected:
                continue
            print(f"== {name}", flush=True)
            # what the benchmark before wrote (render: some 100,000 files) is written to disk first, as `hyperfine
            # --prepare sync` does: the kernel would otherwise write it back while this one is timed
            os.sync()
            spec = importlib.util.spec_from_file_location(path.stem, path)
            assert spec and spec.loader
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            try:
                module.run(lambda line: print(f"   {line}", flush=True))
            except AssertionError as exc:  # a missed target
                print(f"   MISSED: {exc}", flush=True)
                failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
