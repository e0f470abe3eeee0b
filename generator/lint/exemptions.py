"""Exemptions by annotation: ``gitopsgen.io/exempt: "<rule-id>: <reason>, until <YYYY-MM-DD>"``.

Several exemptions are separated by ``;`` or new lines. The reason and the expiry date are
mandatory; an expired or malformed exemption is itself an error and exempts nothing, and so is
one naming a rule the loaded policies do not have (a typo, or a rule since removed or renamed).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any, NamedTuple

from generator.schema import suggest

ANNOTATION = "gitopsgen.io/exempt"
EXPIRED = "exemption-expired"
MALFORMED = "exemption-malformed"
UNKNOWN = "exemption-unknown-rule"
FIELD = ("metadata", "annotations", ANNOTATION)

_ENTRY = re.compile(r"^\s*(?P<rule>[\w.\-/]+)\s*:\s*(?P<reason>.*?)\s*,\s*until\s+(?P<until>\S+)\s*$", re.IGNORECASE)


class Exemption(NamedTuple):
    """One valid entry of the exemption annotation: the rule, why, and the last day it holds."""

    rule: str
    reason: str
    until: date


class Problem(NamedTuple):
    """What is wrong with an entry of the exemption annotation (expired, malformed, an unknown rule)."""

    rule: str  # EXPIRED, MALFORMED or UNKNOWN
    message: str


_NONE: tuple[frozenset[str], tuple[Problem, ...]] = (frozenset(), ())  # what an object without the annotation has


def exemptions(obj: dict[str, Any], today: date, known: Collection[str]) -> tuple[Collection[str], Sequence[Problem]]:
    """Rule ids the object is validly exempted from, and problems with its exemption annotation.

    ``known`` is every rule id of the loaded policies, whether or not --rule/--skip-rule runs
    it: an exemption for a rule left out of this run is still a valid exemption.
    """
    metadata = obj.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    text = annotations.get(ANNOTATION) if isinstance(annotations, dict) else None
    if text is None:  # most objects
        return _NONE
    active: set[str] = set()
    problems: list[Problem] = []
    for entry in filter(str.strip, re.split(r"[;\n]", str(text))):
        parsed = parse(entry)
        if isinstance(parsed, Problem):
            problems.append(parsed)
        elif parsed.rule not in known:
            problems.append(
                Problem(
                    UNKNOWN,
                    f"exemption from {parsed.rule}: the policies have no such rule{suggest(parsed.rule, known)}; "
                    "correct the rule id (`gitopsgen policy list` lists them) or remove the exemption",
                )
            )
        elif parsed.until < today:
            problems.append(
                Problem(
                    EXPIRED, f"exemption from {parsed.rule} expired on {parsed.until.isoformat()} ({parsed.reason}); fix the violation or renew the exemption"
                )
            )
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
