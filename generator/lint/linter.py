"""Lint batches of objects: one driver evaluation per batch, results turned into findings.

For each batch the input is every document (as a Gatekeeper-style ``review``) plus, per check,
the documents it applies to and its parameters; ``data.inventory`` holds the whole batch in
Gatekeeper's layout and ``data.project`` the rendered tree. Severities and parameters come from
the configuration for the batch's environment; exemption annotations filter what remains.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from generator import kube
from generator.errors import InputError
from generator.lint import exemptions
from generator.lint.checks import Check, Module, PolicySet
from generator.lint.config import LintConfig
from generator.lint.driver import DRIVER_QUERY, Driver, Placement, driver
from generator.lint.engine import EvaluationError, PolicyEngine
from generator.lint.evaluation import DocumentError, Evaluation
from generator.lint.rendered_tree import RenderedTree
from generator.lint.ruledocs import SECURITY_SEVERITY, help_uri
from generator.manifest import Manifest
from generator.results import Finding, ResourceResult, Rule

_PLAIN_KEY = re.compile(r"^[A-Za-z_][\w-]*$")
_FIELD_STEP = re.compile(r'\[(\d+)\]|\["([^"]*)"\]|\.?([^.\[\]]+)')


@dataclass
class LintBatch:
    """Objects linted together: the cross-resource rules see the whole batch as ``data.inventory``.

    Files given on the command line form one batch; a project gives one per app x environment
    (and one per environment for its Argo CD objects). ``env`` picks severities and parameters.
    """

    env: str | None
    manifests: list[Manifest] = field(default_factory=list)
    # objects deployed alongside (lint --inventory, the project's other apps): in data.inventory, never linted
    context: list[dict[str, Any]] = field(default_factory=list)
    # the run's data when this batch is one process's part of it (generator.lint.parts), once the other parts have
    # sent theirs: asked for when the batch's own input is ready, so that they travel meanwhile; None: the batch's own
    whole: Callable[[], WholeRun] | None = None
    # each manifest's place in data.inventory and its object as JSON, when generator.lint.parts found them already
    # (to share them between its processes): not found again
    placed: list[tuple[Placement, str]] | None = None


class WholeRun(NamedTuple):
    """``data.inventory`` and ``data.duplicates`` of a run whose objects several processes read and lint in parts."""

    inventory: dict[str, Any]
    duplicates: dict[str, list[str]]


@dataclass
class LintOptions:
    """How a lint run evaluates: the environment, the rules selected, the day exemptions are checked on, the cache."""

    env: str | None = None
    only: set[str] = field(default_factory=set)
    skip: set[str] = field(default_factory=set)
    today: date = field(default_factory=date.today)
    kubernetes_version: str | None = None  # --kubernetes-version; None: the configuration's
    cache_dir: Path | None = None  # where the compiled built-in pack is cached; None: not cached
    share: tuple[int, int] = (0, 1)  # (k, n): evaluate only the k-th of n shares of the documents (see Shares)


def select_checks(policies: PolicySet, options: LintOptions) -> list[Check]:
    known = {check.id for check in policies.checks}
    unknown = sorted((options.only | options.skip) - known)
    if unknown:
        from generator.schema import suggest

        raise InputError(f"unknown rule id {', '.join(unknown)}{suggest(unknown[0], known)}; see `gitopsgen policy list`")
    return [c for c in policies.checks if (not options.only or c.id in options.only) and c.id not in options.skip]


class Linter:
    """The policies of one process's lint run, loaded into its engine once: :meth:`lint` evaluates batches.

    What the evaluation loads (the compiled program, a batch's data) lives as long as the linter:
    a child that lints one part of a run keeps it until it ends (``budget.Exchange.keep``).
    """

    def __init__(
        self,
        policies: PolicySet,
        config: LintConfig,
        engine: PolicyEngine,
        tree: RenderedTree,
        options: LintOptions,
    ) -> None:
        self.checks = select_checks(policies, options)
        self._known = {check.id for check in policies.checks}  # exemptions may name rules --rule/--skip-rule leave out
        self._driver = driver(self.checks)
        self._evaluation = Evaluation(engine, policies.modules, self._driver, self.checks, options.cache_dir)
        self._shares = Shares(options.share[1])
        self._readers = project_readers(self.checks, policies.modules)
        self._config, self._tree, self._options = config, tree, options

    def lint(self, batches: Sequence[LintBatch]) -> dict[Manifest, ResourceResult]:
        """One result per manifest, in batch order, each (and its findings) about its batch's environment."""
        checks, options = self.checks, self._options
        results: dict[Manifest, ResourceResult] = {}
        for batch in batches:
            env = batch.env if batch.env is not None else options.env
            severities = [self._config.severity(check.id, check.severity, env, check.pss) for check in checks]
            batch_input = _batch_input(batch, checks, self._driver, severities, self._config, env, options)
            mine = self._shares.deal(batch_input)[options.share[0]]
            if len(mine) < len(batch.manifests):
                batch_input = _subset(batch_input, mine.__contains__)
            places = [place for place, _ in batch.placed] if batch.placed else [placement(manifest.obj) for manifest in batch.manifests]
            whole = batch.whole() if batch.whole else _whole_batch(batch, places)
            data = {
                "inventory": whole.inventory,
                "project": self._tree.data() if _applies(self._readers, batch_input) else RenderedTree().data(),
                "duplicates": whole.duplicates,
            }
            try:
                raw = self._evaluation.rows(batch_input, data, _held_once(places, whole.duplicates))
            except InputError as error:
                raise _blame(error, batch, batch_input, data, self._evaluation) from None
            found: dict[int, list[tuple[Check, str, Any]]] = {}
            for check_index, doc_index, result in raw:
                found.setdefault(doc_index, []).append((checks[check_index], severities[check_index], result))
            for index, manifest in enumerate(batch.manifests):
                if index in mine:
                    results[manifest] = _result(manifest, found.get(index, []), options.today, self._known, env or "")
        return results


PROJECT_DATA = "data.project"  # the rendered tree (generator.lint.rendered_tree), found only for a policy that reads it


def _whole_batch(batch: LintBatch, places: list[Placement]) -> WholeRun:
    """The batch's own ``data.inventory`` (its context objects too) and ``data.duplicates``, its objects at ``places``."""
    return WholeRun(
        # context first: an object of the batch wins over a context object of the same kind, namespace and name
        inventory_of([*((placement(obj), obj) for obj in batch.context), *zip(places, (manifest.obj for manifest in batch.manifests))]),
        duplicates_of((key_of(place), manifest.path) for place, manifest in zip(places, batch.manifests)),
    )


def _held_once(places: list[Placement], duplicates: dict[str, list[str]]) -> list[Placement | None]:
    """Each document's place in ``data.inventory`` where the inventory holds it and only it (else None).

    An object of the batch wins its place over a context object, and only a key the run holds
    more than once (``data.duplicates``, by api group: coarser than a place) can hold another.
    """
    if not duplicates:  # most runs: every object is held once
        return list(places)
    return [place if key_of(place) not in duplicates else None for place in places]


def project_readers(checks: Sequence[Check], modules: Sequence[Module]) -> set[int]:
    """The checks that may read ``data.project``: a built-in rule whose module names it (or whose library does),
    and any other policy (what it reads is its own business)."""
    texts = {module.path: module.text for module in modules}
    library = any(PROJECT_DATA in module.text for module in modules if module.package.startswith("gitopsgen.lib"))
    return {index for index, check in enumerate(checks) if check.style != "gitopsgen" or library or PROJECT_DATA in texts.get(check.source, PROJECT_DATA)}


def _applies(checks: set[int], batch_input: dict[str, Any]) -> bool:
    """Whether one of ``checks`` applies to one of the batch's documents."""
    return any(batch_input["targets"][index] for index in checks) or any(not checks.isdisjoint(document_checks) for document_checks in batch_input["shared"])


class Shares:
    """The documents of a run dealt into ``n`` shares of about the same work, for ``n`` processes.

    Each document goes to the share with the least work so far, its work being the number of
    checks that apply to it (a Deployment has some sixty, a ServiceAccount a few). Every process
    deals the same documents alike, so each evaluates its own share and together they evaluate each document once.
    """

    def __init__(self, n: int) -> None:
        self.work = [0] * n

    def deal(self, batch_input: dict[str, Any]) -> list[set[int]]:
        """The indexes of the batch's documents in each share."""
        checks = [len(shared) for shared in batch_input["shared"]]
        for targets in batch_input["targets"]:
            for index in targets:
                checks[index] += 1
        shares: list[set[int]] = [set() for _ in self.work]
        for index, count in enumerate(checks):
            share = self.work.index(min(self.work))
            shares[share].add(index)
            self.work[share] += count + 1
        return shares


def _subset(batch_input: dict[str, Any], mine: Callable[[int], bool]) -> dict[str, Any]:
    """``batch_input`` for the documents ``mine`` selects, with all their checks.

    The other documents are left out (``None``) so that only the selected ones are serialised and parsed.
    """
    return {
        **batch_input,
        "docs": [doc if mine(index) else None for index, doc in enumerate(batch_input["docs"])],
        "shared": [checks if mine(index) else [] for index, checks in enumerate(batch_input["shared"])],
        "groups": [[index for index in group if mine(index)] for group in batch_input["groups"]],
        "targets": [[index for index in targets if mine(index)] for targets in batch_input["targets"]],
    }


def _blame(error: InputError, batch: LintBatch, batch_input: dict[str, Any], data: dict[str, Any], evaluation: Evaluation) -> InputError:
    """An evaluation error pinned on the document that causes it (the first one, evaluated one at a time).

    A batch is one evaluation, so the engine's error names a policy line, not the object; this
    runs only when a run has already failed. Other errors (an OPA server gone) are returned as they are, and
    an error no object could cause (a call of an unknown function) is the policy's, found without evaluating again.
    """
    fault = _policy_fault(error)
    if fault is not None:
        return fault
    if isinstance(error, DocumentError):
        return _malformed(batch.manifests[error.index], error)
    for index, document in enumerate(batch.manifests):
        try:
            evaluation.interpreter().evaluate(DRIVER_QUERY, _subset(batch_input, partial(operator.eq, index)), data)
        except EvaluationError as alone:
            return _malformed(document, alone)
        except InputError:
            return error
    return error


# The engine's error for a call of a function it does not know: a fault of the policy, whatever the object
_UNKNOWN_FUNCTION = re.compile(r"could not find function (?P<name>\S+)")


def _policy_fault(error: InputError) -> InputError | None:
    """The policy's error at its line, where the engine's says what no object could make work; else None."""
    unknown = _UNKNOWN_FUNCTION.search(error.message)
    if not (unknown and error.path):
        return None
    return InputError(
        f"policy evaluation failed: {unknown.group('name')} is neither a built-in function of the embedded engine nor "
        "defined in the policies; fix its name, define it or import its package (--opa-url evaluates with an OPA server's built-ins)",
        error.path,
        error.line,
    )


def _malformed(document: Manifest, error: InputError) -> InputError:
    path, line, _, _ = document.locate(())
    metadata = metadata_of(document.obj)
    where = f" ({error.path}:{error.line})" if error.path else ""
    return InputError(
        f"{document.obj.get('kind', '?')}/{metadata.get('name', '?')}: {error.message}{where}; "
        "the object is probably malformed: `gitopsgen validate` names the field",
        path,
        line,
    )


def _batch_input(
    batch: LintBatch,
    checks: list[Check],
    batch_driver: Driver,
    severities: list[str],
    config: LintConfig,
    env: str | None,
    options: LintOptions,
) -> dict[str, Any]:
    by_kind: dict[tuple[str, str], list[int]] = {}
    for index, doc in enumerate(batch.manifests):
        group = str(doc.obj.get("apiVersion", "")).rpartition("/")[0]
        by_kind.setdefault((group, str(doc.obj.get("kind", ""))), []).append(index)
    # which checks apply to each document, found once per kind (most match on kind alone; one that selects by
    # namespace or label too is asked per object): the built-in checks are evaluated together, per document (the
    # driver's group_<g> rules, input.shared); each other check over the documents it applies to (input.targets)
    live = [index for index, severity in enumerate(severities) if severity != "off"]
    shared: list[list[int]] = [[] for _ in batch.manifests]
    targets: list[list[int]] = [[] for _ in checks]
    for (group, kind), indexes in by_kind.items():
        of_kind = [index for index in live if checks[index].match.kind_matches(group, kind)]
        by_object = {index for index in of_kind if checks[index].match.selects_by_object}
        builtin = [index for index in of_kind if checks[index].style == "gitopsgen"]
        others = [index for index in of_kind if checks[index].style != "gitopsgen"]
        by_kind_alone = by_object.isdisjoint(builtin)  # most kinds: their documents share one list of checks
        for doc_index in indexes:
            obj = batch.manifests[doc_index].obj
            shared[doc_index] = builtin if by_kind_alone else [index for index in builtin if index not in by_object or checks[index].match.applies(obj)]
            for index in others:
                if index not in by_object or checks[index].match.applies(obj):
                    targets[index].append(doc_index)
    for documents in targets:
        documents.sort()  # in document order (by_kind lists the documents kind by kind)
    run_wide = {"kubernetes_version": options.kubernetes_version or config.kubernetes_version_of(env)}
    # the built-in checks' parameters, by rule id: each rule reads its own (policies/lib's parameters("<id>"))
    rule_parameters = {}
    for check in checks:
        if check.style == "gitopsgen":
            own = {**config.params(check.id, env), **{name: run_wide[name] for name in check.inputs if name in run_wide}}
            if own:
                rule_parameters[check.id] = own
    groups: list[list[int]] = [[] for _ in range(batch_driver.groups)]
    for index, (doc, doc_checks) in enumerate(zip(batch.manifests, shared)):
        if doc_checks:
            groups[batch_driver.group(str(doc.obj.get("kind", "")))].append(index)
    return {
        "docs": [{"review": review(doc.obj, batch.placed[index][1] if batch.placed else None)} for index, doc in enumerate(batch.manifests)],
        "shared": shared,
        "groups": groups,
        "targets": targets,
        "parameters": [check.parameters if check.style == "gatekeeper" else {} for check in checks],  # by check, for targets
        "rule_parameters": rule_parameters,
        "env": env or "",
        "prod_environments": config.prod_environments,
    }


def metadata_of(obj: dict[str, Any]) -> dict[str, Any]:
    """``obj.metadata``, or nothing when it is missing or not a mapping (validate reports that)."""
    metadata = obj.get("metadata")
    return metadata if isinstance(metadata, dict) else {}


def review(obj: dict[str, Any], object_json: str | None = None) -> dict[str, Any]:
    """The admission review Gatekeeper (and gator) hands to a template: ``input.review`` (``object_json``: the object as JSON already)."""
    group, _, version = str(obj.get("apiVersion", "")).rpartition("/")
    metadata = metadata_of(obj)
    return {
        "object": obj if object_json is None else orjson.Fragment(object_json),
        "kind": {"group": group, "version": version, "kind": obj.get("kind", "")},
        "name": metadata.get("name", ""),
        "namespace": metadata.get("namespace", ""),
        "operation": "CREATE",
        "userInfo": {"username": "gitopsgen"},
    }


def inventory(objects: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The batch's objects in Gatekeeper's ``data.inventory`` layout (namespace defaults to ``default``)."""
    return inventory_of((placement(obj), obj) for obj in objects)


def placement(obj: dict[str, Any]) -> Placement:
    """Where ``obj`` goes in ``data.inventory``."""
    metadata = metadata_of(obj)
    kind = str(obj.get("kind", ""))
    namespace = None if kube.is_cluster_scoped(kind) else str(metadata.get("namespace") or "default")
    return namespace, str(obj.get("apiVersion", "")), kind, str(metadata.get("name", ""))


def inventory_of(entries: Iterable[tuple[Placement, Any]]) -> dict[str, Any]:
    """``data.inventory`` holding each value at its place; of two at one place, the later one."""
    namespaced: dict[str, Any] = {}
    cluster: dict[str, Any] = {}
    for (namespace, api_version, kind, name), value in entries:
        bucket = cluster if namespace is None else namespaced.setdefault(namespace, {})
        bucket.setdefault(api_version, {}).setdefault(kind, {})[name] = value
    return {"namespace": namespaced, "cluster": cluster}


def _result(document: Manifest, found: list[tuple[Check, str, Any]], today: date, known: set[str], env: str) -> ResourceResult:
    """The document's result, it and its findings about ``env`` (the batch's environment; "" for none)."""
    obj = document.obj
    metadata = metadata_of(obj)
    exempt, problems = exemptions.exemptions(obj, today, known)
    findings = [_finding(document, check, severity, result, env) for check, severity, result in found if check.id not in exempt]
    for problem in problems:
        findings.append(_finding(document, _EXEMPTION_CHECKS[problem.rule], "error", {"msg": problem.message, "field": list(exemptions.FIELD)}, env))
    if len(findings) > 1:  # most documents have none
        findings = sorted(set(findings), key=lambda f: (f.path, f.line, f.rule, f.field, f.message))
    return ResourceResult(
        path=document.path,
        kind=str(obj.get("kind", "")),
        name=str(metadata.get("name", "")),
        namespace=str(metadata.get("namespace", "")),
        line=document.line,
        status="invalid" if findings and any(f.level == "error" for f in findings) else "valid",
        findings=findings,
        api_version=str(obj.get("apiVersion", "")),
        env=env,
    )


def duplicates_of(keys: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Objects a run holds more than once (two sources emitting the same object): the keys (``key_of``) given more
    than once, each with the paths it came from; the ``duplicate-object`` rule reads them as ``data.duplicates``."""
    seen: dict[str, list[str]] = {}
    for key, path in keys:
        seen.setdefault(key, []).append(path)
    return {key: paths for key, paths in seen.items() if len(paths) > 1}


def key_of(place: Placement) -> str:
    """``<api group>/<kind>/<namespace>/<name>`` of the object at ``place``: what makes two documents one object in a cluster."""
    namespace, api_version, kind, name = place
    return f"{api_version.rpartition('/')[0]}/{kind}/{namespace or ''}/{name}"


def _finding(document: Manifest, check: Check, severity: str, result: Any, env: str) -> Finding:
    message, field_path = _message_and_field(result)
    path, line, column, source = document.locate(field_path)
    metadata = metadata_of(document.obj)
    return Finding(
        tool="lint",
        rule=check.id,
        level="warning" if severity == "warning" else "error",
        message=message,
        path=path,
        line=line,
        column=column,
        kind=str(document.obj.get("kind", "")),
        name=str(metadata.get("name", "")),
        namespace=str(metadata.get("namespace", "")),
        field=dotted(field_path),
        source=source,
        remediation=check.fix(blueprint=bool(source)),
        help_uri=help_uri(check),
        env=env,
    )


def _message_and_field(result: Any) -> tuple[str, tuple[Any, ...]]:
    """conftest results are strings or objects with ``msg``; ours and Gatekeeper's are objects."""
    if isinstance(result, str):
        return result, ()
    if isinstance(result, dict):
        message = result.get("msg") or result.get("message") or json.dumps(result, sort_keys=True)
        raw_field = result.get("field", result.get("path", ()))
        if isinstance(raw_field, str):
            raw_field = parse_field(raw_field)
        return str(message), tuple(raw_field) if isinstance(raw_field, list | tuple) else ()
    return json.dumps(result, sort_keys=True), ()


def dotted(field_path: Sequence[Any]) -> str:
    """``["spec", "containers", 0, "image"]`` -> ``spec.containers[0].image``."""
    text = ""
    for step in field_path:
        if isinstance(step, int):
            text += f"[{step}]"
        elif _PLAIN_KEY.match(str(step)):
            text += f".{step}" if text else str(step)
        else:
            text += f"[{json.dumps(str(step))}]"
    return text


def parse_field(text: str) -> tuple[Any, ...]:
    """The inverse of :func:`dotted` (also accepts plain dotted paths)."""
    steps: list[Any] = []
    for index, quoted, plain in _FIELD_STEP.findall(text):
        steps.append(int(index) if index else quoted if quoted else plain)
    return tuple(steps)


def rule_descriptions(checks: Sequence[Check]) -> dict[str, Rule]:
    rules = {
        c.id: Rule(
            c.id,
            c.title,
            c.description,
            "warning" if c.severity == "warning" else "error",
            help_uri=help_uri(c),
            remediation=c.remediation,
            security_severity=SECURITY_SEVERITY.get(c.severity, "") if help_uri(c) else "",
        )
        for c in [*checks, *_EXEMPTION_CHECKS.values()]
    }
    return rules


_RENEW = "Fix the violation, or give the exemption a reason and a future expiry date."


def _exemption_check(rule_id: str, title: str, remediation: str = _RENEW) -> Check:
    return Check(
        id=rule_id,
        title=title,
        severity="error",
        package="",
        rule="",
        style="gitopsgen",
        source="",
        description=f'Exemptions are written as {exemptions.ANNOTATION}: "<rule-id>: <reason>, until YYYY-MM-DD".',
        remediation=remediation,
    )


_EXEMPTION_CHECKS = {
    exemptions.EXPIRED: _exemption_check(exemptions.EXPIRED, "Exemption has expired"),
    exemptions.MALFORMED: _exemption_check(exemptions.MALFORMED, "Exemption is malformed"),
    exemptions.UNKNOWN: _exemption_check(
        exemptions.UNKNOWN,
        "Exemption names an unknown rule",
        "Correct the rule id (`gitopsgen policy list` lists them; with --policy, `policy list --policy`), or remove the exemption.",
    ),
}
