"""Exemptions by annotation: ``gitopsgen.io/exempt: "<rule-id>: <reason>, until <YYYY-MM-DD>"``.

Several exemptions are separated by ``;`` or new lines. The reason and the expiry date are
mandatory; an expired or malformed exemption is itself an error and exempts nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

ANNOTATION = "gitopsgen.io/exempt"
EXPIRED = "exemption-expired"
MALFORMED = "exemption-malformed"
FIELD = ("metadata", "annotations", ANNOTATION)

_ENTRY = re.compile(r"^\s*(?P<rule>[\w.\-/]+)\s*:\s*(?P<reason>.*?)\s*,\s*until\s+(?P<until>\S+)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Exemption:
    rule: str
    reason: str
    until: date


@dataclass(frozen=True)
class Problem:
    rule: str  # EXPIRED or MALFORMED
    message: str


def exemptions(obj: dict[str, Any], today: date) -> tuple[set[str], list[Problem]]:
    """Rule ids the object is validly exempted from, and problems with its exemption annotation."""
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    text = annotations.get(ANNOTATION)
    if text is None:
        return set(), []
    active: set[str] = set()
    problems: list[Problem] = []
    for entry in filter(str.strip, re.split(r"[;\n]", str(text))):
        parsed = parse(entry)
        if isinstance(parsed, Problem):
            problems.append(parsed)
        elif parsed.until < today:
            problems.append(Problem(EXPIRED, f"exemption from {parsed.rule} expired on {parsed.until.isoformat()} ({parsed.reason}); fix the violation or renew the exemption"))
        else:
            active.add(parsed.rule)
    return active, problems


def parse(entry: str) -> Exemption | Problem:
    match = _ENTRY.match(entry)
    if not match:
        return Problem(MALFORMED, f'exemption {entry.strip()!r} is malformed; write "<rule-id>: <reason>, until YYYY-MM-DD"')
    if not match.group("reason"):
        return Problem(MALFORMED, f"exemption from {match.group('rule')} gives no reason; say why the rule does not apply")
    try:
        until = date.fromisoformat(match.group("until"))
    except ValueError:
        return Problem(MALFORMED, f"exemption from {match.group('rule')} has an invalid expiry {match.group('until')!r}; use YYYY-MM-DD")
    return Exemption(match.group("rule"), match.group("reason"), until)
