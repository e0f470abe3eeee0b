"""The batch driver: the generated Rego module every engine runs, and the JSON that goes into an engine.

Linting a set of documents is a single evaluation of the *driver*, a Rego module generated from
the checks: for each check it walks the documents the check applies to and evaluates the check's
rule ``with input as`` that document, so policies are loaded once per run and each batch (one
app x environment, or one set of files) costs one call into the engine. The compiled program
(``generator.lint.compiled``) runs the same ``group_<g>`` rules one document at a time, with the
input ``shared_input`` builds here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import orjson

from generator.lint.checks import Check, Module

DRIVER_PACKAGE = "gitopsgen_driver"
DRIVER_QUERY = f"data.{DRIVER_PACKAGE}.results"

Placement = tuple[str | None, str, str, str]  # where data.inventory holds an object: namespace (None: cluster-scoped), apiVersion, kind, name


def to_json(value: Any) -> str:
    """``value`` as compact JSON for the engine.

    Keys that are not strings become strings, as the json module writes them. YAML can hold
    values JSON has no type for (``!!set``, ``!!binary``): a set becomes a sorted list, binary
    data its base64 text, anything else its text, so that a policy sees them rather than the run failing.

    Written first without orjson's option for such keys, which makes it look at every key's type
    (twice as slow on a Kubernetes object); a key that is not a string makes it fail, and the
    value is written again with the option.
    """
    try:
        return orjson.dumps(value, default=_json_default).decode()
    except orjson.JSONEncodeError:  # a key that is not a string (or a value JSON cannot hold: raised again)
        return orjson.dumps(value, default=_json_default, option=orjson.OPT_NON_STR_KEYS).decode()


def _json_default(value: Any) -> Any:
    if isinstance(value, set | frozenset):
        return sorted(value, key=repr)
    if isinstance(value, bytes):  # !!binary: the base64 text the file holds
        import base64  # rare: not worth its import at every start

        return base64.b64encode(value).decode()
    return str(value)


class Driver(NamedTuple):
    """The generated Rego module that evaluates a batch in one query, and how documents are grouped for it.

    Results are ``[k, document index, result]``. Two ways in, chosen per batch by the linter:

    - the built-in checks are evaluated together under one ``with input as`` per document, so
      the helpers they share (pod spec, containers, inventory look-ups) are computed once per
      document; each reads its own parameters from ``input.rule_parameters[<rule id>]``. Documents are grouped by kind: ``input.groups[g]`` lists the
      documents of group g, and group g's rule holds only the checks that name one of its kinds,
      so a Service never tries the fifteen Deployment checks. ``input.shared[i]`` still lists
      the checks that apply to document i (severity ``off`` and selectors are decided in Python);
      the compiled path evaluates ``group_<g>_all``, the same rules without those look-ups, for a
      document that gets every check of its group;
    - ``input.targets[k]`` lists the documents check k applies to, evaluated with its own input
      (``input.parameters[k]``): conftest and Gatekeeper policies.
    """

    module: Module
    group_of_kind: dict[str, int]  # kind -> group; other kinds go to group ``other``
    other: int  # the group of the checks that apply to every kind (it may hold none)
    members: tuple[tuple[int, ...], ...]  # the checks of each group

    @property
    def groups(self) -> int:
        return len(self.members)

    @property
    def shared_groups(self) -> list[int]:
        """The groups that hold checks, each evaluated by its rule ``group_<g>``."""
        return [group for group, checks in enumerate(self.members) if checks]

    def group(self, kind: str) -> int:
        return self.group_of_kind.get(kind, self.other)


def driver(checks: Sequence[Check]) -> Driver:
    shared = [index for index, check in enumerate(checks) if check.style == "gitopsgen"]
    kinds = {index: _kinds(checks[index]) for index in shared}  # None: every kind
    named = sorted({kind for of_check in kinds.values() for kind in of_check or ()})
    members: dict[tuple[int, ...], int] = {}  # the checks of a group -> its number
    group_of_kind = {}
    for kind in named:
        of_kind = tuple(index for index in shared if (of_check := kinds[index]) is None or kind in of_check)
        group_of_kind[kind] = members.setdefault(of_kind, len(members))
    other = members.setdefault(tuple(index for index in shared if kinds[index] is None), len(members))
    lines = [f"package {DRIVER_PACKAGE}", "", "import rego.v1", ""]
    for group_checks, group in members.items():
        if not group_checks:
            continue
        lines += [
            "results contains [k, i, result] if {",
            f"	some i in input.groups[{group}]",
            "	doc := input.docs[i]",
            f"	some [k, result] in group_{group} with input as {_shared_input()}",
            "}",
            "",
        ]
        for index in group_checks:
            lines += [
                f"group_{group} contains [{index}, result] if {{",
                f"	{index} in input.checks",
                f"	some result in {checks[index].query}",
                "}",
                "",
            ]
        for index in group_checks:  # every check of the group applies: no look-up in input.checks (compiled.py)
            lines += [
                f"group_{group}_all contains [{index}, result] if {{",
                f"	some result in {checks[index].query}",
                "}",
                "",
            ]
    for index, check in enumerate(checks):
        if check.style == "gitopsgen":  # in its group's rule
            continue
        lines += [
            f"results contains [{index}, i, result] if {{",
            f"	some i in input.targets[{index}]",
            "	doc := input.docs[i]",
            f"	some result in {check.query} with input as {_check_input(check, index)}",
            "}",
            "",
        ]
    return Driver(Module("<gitopsgen driver>", "\n".join(lines)), group_of_kind, other, tuple(members))


def _kinds(check: Check) -> set[str] | None:
    """The kinds ``check`` may apply to; None when it may apply to any kind."""
    kinds = {kind for _, kind in check.match.kinds}
    return None if not kinds or "*" in kinds else kinds


def _shared_input() -> str:
    """The input of the built-in checks evaluated together per document (``shared_input`` builds the same in Python).

    The built-in pack reads the object from ``input.review.object`` (its lib's ``obj``), so the
    object is not repeated as ``input.object`` here: serialising and parsing it twice cost ~10 ms
    over the benchmark estate.
    """
    return (
        '{"review": doc.review, "env": input.env, '
        '"prod_environments": input.prod_environments, "parameters": {}, "rule_parameters": input.rule_parameters, '
        '"checks": input.shared[i]}'
    )


def shared_input(batch_input: dict[str, Any], index: int) -> dict[str, Any]:
    """What ``_shared_input`` gives document ``index`` of a batch, for engines that take one document at a time."""
    return {
        "review": batch_input["docs"][index]["review"],
        "env": batch_input["env"],
        "prod_environments": batch_input["prod_environments"],
        "parameters": {},
        "rule_parameters": batch_input["rule_parameters"],
        "checks": batch_input["shared"][index],
    }


def _check_input(check: Check, index: int) -> str:
    """The input of a conftest policy (the bare object) or a Gatekeeper constraint (``review`` + ``parameters``, as gator gives)."""
    if check.style == "conftest":
        return "doc.review.object"
    return f'{{"review": doc.review, "parameters": input.parameters[{index}]}}'
