"""The one gate ``publish`` passes through: schema validation and error-level policy violations.

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


# The commands whose verdict gates a publish, as a person would run them (all against rendered
# output of the project at ``-C``): rendered/ must be current, manifests schema-valid, and no
# error-level policy violation.
GATE = (
    ("render", "--check"),
    ("validate", "--output", "json"),
    ("lint", "--output", "json"),
)


def run_checks(root: Path) -> CheckOutcome:
    """Run the checks of ``gitopsgen check`` in-process and count error- and warning-level findings."""
    errors = warnings = 0
    detail: list[str] = []
    for command in GATE:
        code, out, err = _run(command[0], [*command[1:], "--project-dir", str(root)])
        if command[0] == "render":
            if code != 0:
                errors += 1
                detail.append("rendered/ is out of date: run `gitopsgen render` and commit it")
            continue
        found = _findings(out)
        if found is None:  # the command could not report at all (bad input): that is a failure
            errors += 1
            detail.append(f"gitopsgen {command[0]} failed (exit {code}): {(err or out).strip().splitlines()[-1:]}")
            continue
        for finding in found:
            if finding.get("level") == "error":
                errors += 1
                if len(detail) < 10:
                    detail.append(f"{finding.get('path')}:{finding.get('line')}: [{finding.get('rule')}] "
                                  f"{finding.get('message')}")
            elif finding.get("level") == "warning":
                warnings += 1
        if code not in (0, 1):
            errors += 1
            detail.append(f"gitopsgen {command[0]} exited {code}")
    return CheckOutcome(passed=errors == 0, errors=errors, warnings=warnings, detail="\n".join(detail))


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
