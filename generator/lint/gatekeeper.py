"""Gatekeeper ConstraintTemplates and Constraints, evaluated offline the way gator does.

A template contributes its Rego (``spec.targets[].rego`` + ``libs``, or the Rego entry of
``spec.targets[].code`` with ``source.rego``/``source.libs``, Rego v0 or v1); each Constraint of
the template's kind becomes one check: the template's ``violation`` rule evaluated with
``input.review`` and ``input.parameters``, on the documents its ``spec.match`` selects.
``enforcementAction: warn`` reports warnings, ``dryrun`` turns the constraint off.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator import yamlio
from generator.errors import InputError
from generator.lint.checks import Check, Match, Module, PolicySet
from generator.yamlio import YAMLSyntaxError

TEMPLATE_GROUP = "templates.gatekeeper.sh"
CONSTRAINT_GROUP = "constraints.gatekeeper.sh"


def load_files(paths: list[Path]) -> PolicySet:
    """Templates and constraints from YAML files (other documents are ignored); one check per constraint."""
    templates: dict[str, tuple[dict[str, Any], Path, int, Any]] = {}
    constraints: list[tuple[dict[str, Any], Path, int]] = []
    for path in paths:
        for data, line, document in _documents(path):
            api_group = str(data.get("apiVersion", "")).partition("/")[0]
            if data.get("kind") == "ConstraintTemplate" and api_group == TEMPLATE_GROUP:
                names = (((data.get("spec") or {}).get("crd") or {}).get("spec") or {}).get("names") or {}
                if not names.get("kind"):
                    raise InputError("ConstraintTemplate has no spec.crd.spec.names.kind", path, line)
                templates[names["kind"]] = (data, path, line, document)
            elif api_group == CONSTRAINT_GROUP:
                constraints.append((data, path, line))
    policies = PolicySet()
    packages: dict[str, tuple[str, str]] = {}
    for kind, (template, path, line, document) in templates.items():
        (rego, rego_at), *libs = _template_rego(template, path, line)
        name = (template.get("metadata") or {}).get("name", kind.lower())
        # a block scalar's text starts on the line after its key (or after the list item's "- |")
        main = Module(f"{path}#{name}", rego, document.position(rego_at)[0])
        if not main.package:
            raise InputError(f"ConstraintTemplate {name}: the Rego has no package", path, line)
        policies.modules.append(main)
        policies.modules += [Module(f"{path}#{name}.lib{i}", lib, document.position(lib_at)[0]) for i, (lib, lib_at) in enumerate(libs)]
        packages[kind] = (main.package, f"{path}:{line}")
    for constraint, path, line in constraints:
        check = _constraint_check(constraint, packages, path, line)
        if check is not None:
            policies.checks.append(check)
    return policies


def _documents(path: Path) -> list[tuple[dict[str, Any], int, yamlio.Document]]:
    try:
        documents = yamlio.load_file(path)
    except YAMLSyntaxError as exc:
        raise InputError(exc.problem, exc.path, exc.line) from None
    return [(doc.data, doc.line, doc) for doc in documents if isinstance(doc.data, dict)]


def _template_rego(template: dict[str, Any], path: Path, line: int) -> list[tuple[str, tuple[Any, ...]]]:
    """The template's Rego and its libs, each with its field path (the main module first)."""
    for t, target in enumerate((template.get("spec") or {}).get("targets") or []):
        at: tuple[Any, ...] = ("spec", "targets", t)
        if target.get("rego"):
            libs = [(str(lib), (*at, "libs", i)) for i, lib in enumerate(target.get("libs") or [])]
            return [(str(target["rego"]), (*at, "rego")), *libs]
        for c, code in enumerate(target.get("code") or []):
            source = code.get("source") or {}
            if code.get("engine") == "Rego" and source.get("rego"):
                at = (*at, "code", c, "source")
                libs = [(str(lib), (*at, "libs", i)) for i, lib in enumerate(source.get("libs") or [])]
                return [(str(source["rego"]), (*at, "rego")), *libs]
    raise InputError("ConstraintTemplate has no Rego (spec.targets[].rego or code[engine=Rego])", path, line)


def _constraint_check(constraint: dict[str, Any], packages: dict[str, tuple[str, str]], path: Path, line: int) -> Check | None:
    kind = constraint.get("kind", "")
    name = (constraint.get("metadata") or {}).get("name", "")
    if kind not in packages:
        raise InputError(f"constraint {kind}/{name}: no ConstraintTemplate defines kind {kind}; pass its template with --policy", path, line)
    spec = constraint.get("spec") or {}
    action = spec.get("enforcementAction", "deny")
    if action == "dryrun":
        return None
    package, template_source = packages[kind]
    return Check(
        id=name,
        title=f"{kind} {name}",
        severity="warning" if action == "warn" else "error",
        package=package,
        rule="violation",
        style="gatekeeper",
        source=f"{path}:{line}",
        description=f"Gatekeeper constraint {kind}/{name} (template {template_source})",
        match=_match(spec.get("match") or {}),
        parameters=spec.get("parameters") or {},
    )


def _match(match: dict[str, Any]) -> Match:
    kinds = tuple((group, kind) for entry in match.get("kinds") or [] for group in (entry.get("apiGroups") or ["*"]) for kind in (entry.get("kinds") or ["*"]))
    labels = tuple(sorted(((match.get("labelSelector") or {}).get("matchLabels") or {}).items()))
    return Match(
        kinds=kinds,
        namespaces=tuple(match.get("namespaces") or ()),
        excluded_namespaces=tuple(match.get("excludedNamespaces") or ()),
        labels=labels,
    )
