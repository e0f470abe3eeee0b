"""The one gate ``publish`` passes through: ``gitopsgen check`` (drift, schemas, error-level policies).

Everything that decides whether rendered output may be published lives behind
:func:`run_checks`, so that wiring in a different checker touches this file only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CheckOutcome:
    passed: bool
    errors: int
    warnings: int
    detail: str = ""  # first few error lines, for the commit message and the PR body

    @property
    def summary(self) -> str:
        state = "passed" if self.passed else "FAILED"
        return f"{state}: {self.errors} error(s), {self.warnings} warning(s)"


def run_checks(root: Path) -> CheckOutcome:
    """Run ``gitopsgen check`` (drift, schemas, policies) in-process and count its findings by level.

    The check command itself is the gate, so publish refuses exactly what CI and pre-commit refuse.
    """
    code, out, err = _run("check", ["--output", "json", "--project-dir", str(root)])
    found = _findings(out)
    if found is None or code not in (0, 1):  # the check could not run (bad input): that is a failure
        last = (err or out).strip().splitlines()[-1:] or [f"exit {code}"]
        return CheckOutcome(False, 1, 0, f"gitopsgen check could not run: {last[0]}")
    errors = [f for f in found if f.get("level") == "error"]
    warnings = sum(1 for f in found if f.get("level") == "warning")
    detail = [f"{f.get('path')}:{f.get('line', 1)}: [{f.get('rule')}] {f.get('message')}" for f in errors[:10]]
    if len(errors) > 10:
        detail.append(f"… and {len(errors) - 10} more")
    return CheckOutcome(passed=not errors and code == 0, errors=len(errors), warnings=warnings, detail="\n".join(detail))


def _run(name: str, args: list[str]) -> tuple[int, str, str]:
    import contextlib
    import io

    from generator.cli import cli

    command = cli.get_command(None, name)  # type: ignore[arg-type]
    if command is None:
        return 2, "", f"gitopsgen {name} is not available"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            command.main(args=args, prog_name=f"gitopsgen {name}", standalone_mode=False)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except Exception as exc:  # noqa: BLE001 - click usage errors and the like: the check did not run
            err.write(f"{type(exc).__name__}: {exc}\n")
            code = 2
    return code, out.getvalue(), err.getvalue()


def _findings(out: str) -> list[dict] | None:
    import json

    try:
        document = json.loads(out)
    except ValueError:
        return None
    resources = document.get("resources") if isinstance(document, dict) else None
    if not isinstance(resources, list):
        return None
    return [finding for resource in resources for finding in resource.get("findings", [])]
