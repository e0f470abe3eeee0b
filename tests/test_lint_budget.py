"""User policies evaluate within a time and memory budget, and nothing evaluates on after lint dies.

The over-budget messages themselves are bad-input cases (tests/badinput/policy-loop,
policy-memory); here: the evaluation really stops, and a killed lint leaves no process behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.errors import InputError
from generator.lint import budget

LOOP = Path(__file__).parent / "badinput" / "policy-loop" / "project"


def roomy(seconds: float) -> budget.Budget:
    """A budget of ``seconds`` whose memory a child cannot run out of by accident: 1 GB more than this process
    already maps (the cap is on the address space, which a fork inherits, and a long test session maps a lot)."""
    with open("/proc/self/statm") as statm:
        mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE") // 2**20
    return budget.Budget(seconds, mapped + 1024)


def _processes_mentioning(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG and /proc are Linux's")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_the_evaluation_dies_with_lint(tmp_path: Path, how: signal.Signals) -> None:
    project = tmp_path / f"project-{how.name}"  # a unique word on the command line of lint and its child
    shutil.copytree(LOOP, project)
    lint = subprocess.Popen([sys.executable, "-c", "from generator.cli import main; main()", "lint", "-p", "loop",
                             "--policy-timeout", "600", str(project / "cm.yaml")], cwd=project,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(_processes_mentioning(str(project))) < 2:  # lint and its evaluating child
        assert time.monotonic() < deadline and lint.poll() is None, "the evaluation did not start"
        time.sleep(0.1)

    lint.send_signal(how)
    lint.wait(30)

    deadline = time.monotonic() + 10
    while _processes_mentioning(str(project)):
        assert time.monotonic() < deadline, f"left running after lint got {how.name}: {_processes_mentioning(str(project))}"
        time.sleep(0.1)


def test_a_function_within_budget_returns_its_value_and_its_input_errors() -> None:
    assert budget.run(lambda: {"answer": [42]}, roomy(30)) == {"answer": [42]}

    def bad() -> None:
        raise InputError("no such policy", "p.rego", 3)

    with pytest.raises(InputError) as raised:
        budget.run(bad, roomy(30))
    assert str(raised.value) == "p.rego:3: no such policy"


def test_time_and_memory_run_out() -> None:
    started = time.monotonic()
    with pytest.raises(budget.OverBudget) as raised:
        budget.run(lambda: time.sleep(60), roomy(1))
    assert raised.value.what == "time" and time.monotonic() - started < 30

    with pytest.raises(budget.OverBudget) as raised:
        budget.run(lambda: bytearray(2 * 1024**3), budget.Budget(30, 512))
    assert raised.value.what == "memory"


def test_the_child_is_gone_after_a_timeout() -> None:
    before = set(os.listdir("/proc"))
    with pytest.raises(budget.OverBudget):
        budget.run(lambda: time.sleep(60), roomy(0.5))
    assert [pid for pid in set(os.listdir("/proc")) - before if pid.isdigit() and _parent(pid) == os.getpid()] == []


def _parent(pid: str) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):  # gone meanwhile
        return None


def _sharing(part: object, then: object = None) -> object:
    """A child that sends ``part`` and returns every part with ``then``."""

    def share(exchange: budget.Exchange) -> object:
        exchange.send(part)
        return exchange.receive(), then

    return share


def test_children_share_their_parts_in_order_and_return_their_results() -> None:
    big = "x" * (3 << 20)  # larger than a pipe holds: the parts cross while other children still send
    parts = [{"part": 0, "big": big}, {"part": 1}, {"part": 2, "big": big}]
    results = budget.run_exchanging([_sharing(part, index) for index, part in enumerate(parts)], roomy(60))
    assert results == [(parts, index) for index in range(3)]


def test_a_child_failing_before_it_shares_stops_the_others_and_its_failure_is_raised() -> None:
    def fails(_: budget.Exchange) -> None:
        raise InputError("cannot read", "b.yaml", 2)

    def fails_later(_: budget.Exchange) -> None:
        raise InputError("cannot read either", "c.yaml", 1)

    before = set(os.listdir("/proc"))
    started = time.monotonic()
    with pytest.raises(InputError) as raised:  # the first failure in order, though the other children wait for parts
        budget.run_exchanging([_sharing("a"), fails, _sharing("c"), fails_later], roomy(60))
    assert str(raised.value) == "b.yaml:2: cannot read" and time.monotonic() - started < 30
    assert [pid for pid in set(os.listdir("/proc")) - before if pid.isdigit() and _parent(pid) == os.getpid()] == []


def test_a_failure_after_sharing_is_raised_and_the_time_budget_covers_the_whole_exchange() -> None:
    def shares_then_fails(exchange: budget.Exchange) -> None:
        exchange.send("b" * (1 << 20))  # more than a pipe holds: the parent writes the parts to a child that is gone
        raise InputError("malformed", "b.yaml", 7)

    with pytest.raises(InputError, match="b.yaml:7: malformed"):
        budget.run_exchanging([_sharing("a"), shares_then_fails], roomy(60))
    with pytest.raises(budget.OverBudget) as raised:  # one child never shares: the others wait until the time is up
        budget.run_exchanging([_sharing("a"), lambda _: time.sleep(60)], roomy(1))
    assert raised.value.what == "time"

    def sends_then_sleeps(exchange: budget.Exchange) -> None:
        exchange.send("b" * (1 << 20))
        time.sleep(60)

    started = time.monotonic()
    with pytest.raises(budget.OverBudget) as raised:  # one child never takes the parts: the parent stops writing in time
        budget.run_exchanging([_sharing("a"), sends_then_sleeps], roomy(1))
    assert raised.value.what == "time" and time.monotonic() - started < 30


def test_a_child_busy_between_sending_and_receiving_holds_up_no_other() -> None:
    """The parts reach each child as fast as it takes them: one that prepares its work first delays no sibling."""

    def busy(exchange: budget.Exchange) -> float:
        exchange.send("x" * (1 << 20))  # more than a pipe holds: a parent writing to it first would wait for it
        time.sleep(1)
        started = time.monotonic()
        exchange.receive()
        return started

    def ready(exchange: budget.Exchange) -> float:
        exchange.send("y")
        exchange.receive()
        return time.monotonic()

    busy_receives, ready_received = budget.run_exchanging([busy, ready], roomy(60))
    assert ready_received < busy_receives


class _SaysWhenFreed:
    """An object that writes ``freed`` to a file when it is freed."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __del__(self) -> None:
        self.path.write_text("freed")


def test_what_a_child_keeps_is_not_freed_before_it_ends(tmp_path: Path) -> None:
    """A child ends once its result is sent: what it keeps (an engine's data, the objects it read) is never freed,
    while what it does not keep is freed as usual when its function returns."""

    def builds(keep: bool) -> Callable[[budget.Exchange], str]:
        def child(exchange: budget.Exchange) -> str:
            built = _SaysWhenFreed(tmp_path / ("kept" if keep else "dropped"))
            exchange.send(None)
            exchange.receive()
            if keep:
                exchange.keep(built)
            return "done"
        return child

    assert budget.run_exchanging([builds(True), builds(False)], roomy(60)) == ["done", "done"]
    assert not (tmp_path / "kept").exists()
    assert (tmp_path / "dropped").read_text() == "freed"


@pytest.mark.parametrize(("option", "value", "message"), [
    # nan passed the range and stopped lint with a ValueError traceback; inf and 1e12 with an OverflowError
    ("--policy-timeout", "nan", "not a number; give seconds, such as 120"),
    ("--policy-timeout", "inf", "inf is not in the range 0.1<=x<=86400.0"),
    ("--policy-timeout", "1e12", "is not in the range 0.1<=x<=86400.0"),
    # a limit the kernel cannot be given was reported as the policy running out of memory
    ("--policy-memory", "100000000000000", "100000000000000 is not in the range 64<=x<=1048576"),
])
def test_a_budget_beyond_what_can_be_set_is_refused_as_an_option(option: str, value: str, message: str) -> None:
    from click.testing import CliRunner

    from generator.cli import cli

    result = CliRunner().invoke(cli, ["lint", option, value, str(LOOP / "cm.yaml")], catch_exceptions=False)
    assert result.exit_code == 2
    assert message in result.stderr
