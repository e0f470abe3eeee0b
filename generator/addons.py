"""addons/<name>.yaml: third-party charts (platform add-ons) installed as they are.

gitopsgen does not model what such a chart renders: it writes the Argo CD Application of the
upstream chart with per-environment values, in the namespace the chart requires, and lints and
validates nothing in its name. Environments override fields in ``addons.<name>`` of their
overlay file (values merge key by key; the chart version may differ per environment). What the
chart creates at cluster scope is declared kind by kind (``clusterResources``), and the other
namespaces it writes into by name (``otherNamespaces``): its AppProject allows that and nothing more.
The namespace its Application creates gets its Pod Security level (``podSecurity``) and other labels
(``namespaceLabels``) from Argo CD; one add-on per namespace and environment sets them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from generator.errors import InputError
from generator.kube import CLUSTER_NAMESPACES
from generator.load import Environment
from generator.named_inputs import NamedFolder, NamedInput, Problem, load_named, pod_security_label_problem

FOLDER = "addons"


class Addon(NamedInput):
    section: ClassVar[str] = FOLDER


def _wildcard_problem(spec: Any) -> Problem | None:
    """``clusterResources`` names kinds one by one: a ``*`` would let the chart create anything at cluster scope."""
    entries = spec.get("clusterResources") if isinstance(spec, dict) else None
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        for key in ("group", "kind"):
            if isinstance(entry, dict) and "*" in str(entry.get(key, "")):
                return (
                    ("clusterResources", index, key),
                    f"clusterResources.{index}.{key} is a wildcard; name each cluster-scoped kind the chart creates "
                    "(e.g. {group: rbac.authorization.k8s.io, kind: ClusterRole})",
                )
    return None


def _own_namespace_problem(settings: dict[str, Any]) -> Problem | None:
    """``otherNamespaces`` lists the namespaces besides ``namespace``: naming its own would say nothing."""
    for index, namespace in enumerate(settings.get("otherNamespaces", [])):
        if namespace == settings["namespace"]:
            return (
                ("otherNamespaces", index),
                f"otherNamespaces.{index} is {namespace!r}, the add-on's own namespace; list only the other namespaces its chart creates objects in",
            )
    return None


NAMESPACE_METADATA = ("podSecurity", "namespaceLabels")  # what Argo CD sets on the namespace the Application creates


def _namespace_metadata_problem(settings: dict[str, Any]) -> Problem | None:
    """Labels for the namespace only where the Application creates it, and Pod Security only through ``podSecurity``."""
    problem = pod_security_label_problem(settings)
    if problem is not None:
        return problem
    field = next((field for field in NAMESPACE_METADATA if field in settings), None)
    if field is None:
        return None
    if settings["namespace"] in CLUSTER_NAMESPACES:
        return ((field,), f"{field} would relabel {settings['namespace']}, a namespace every cluster has and its owner labels; remove it")
    if "CreateNamespace=true" not in settings.get("syncOptions", []):
        return ((field,), f"{field} labels the namespace the Application creates; add CreateNamespace=true to syncOptions")
    return None


IGNORED_FIELDS = ("jsonPointers", "jqPathExpressions", "managedFieldsManagers")


def _ignores_nothing_problem(settings: dict[str, Any]) -> Problem | None:
    """An ``ignoreDifferences`` entry names the fields Argo CD ignores: without any it ignores nothing."""
    for index, entry in enumerate(settings.get("ignoreDifferences", [])):
        if not any(field in entry for field in IGNORED_FIELDS):
            return (("ignoreDifferences", index), f"ignoreDifferences.{index} ignores nothing; add jsonPointers, jqPathExpressions or managedFieldsManagers")
    return None


def _addon_problem(settings: dict[str, Any]) -> Problem | None:
    return _own_namespace_problem(settings) or _namespace_metadata_problem(settings) or _ignores_nothing_problem(settings)


ADDONS = NamedFolder(
    "addon", "add-on", ("name", "team", "owner", "environments", "description", "namespace"), before_schema=_wildcard_problem, after_schema=_addon_problem
)


def _check_one_namespace_owner(addons: dict[str, Addon], environments: dict[str, Environment]) -> None:
    """Two Applications setting one namespace's metadata would each keep undoing the other's labels."""
    for env in environments.values():
        owners: dict[str, tuple[Addon, str]] = {}
        for addon in addons.values():
            settings = addon.settings_for(env)
            field = next((field for field in NAMESPACE_METADATA if field in settings), None)
            if not addon.deployed_to(env) or field is None:
                continue
            first, first_field = owners.setdefault(settings["namespace"], (addon, field))
            if first is addon:
                continue
            # blame an environment's override where there is one (the newer word), else the later file
            culprit, other, culprit_field = (first, addon, first_field) if first_field not in first.spec else (addon, first, field)
            message = (
                f"namespace {settings['namespace']!r} already gets its labels from add-on {other.name!r} "
                f"({other.source.path}) in {env.name}; set {culprit_field} on one add-on per namespace"
            )
            if culprit_field in culprit.spec:
                raise InputError(message, culprit.source.path, culprit.source.line_of((culprit_field,)))
            raise InputError(message, env.source.path, env.source.line_of((Addon.section, culprit.name, culprit_field)))


def load_addons(root: Path, environments: dict[str, Environment], app_names: set[str]) -> dict[str, Addon]:
    addons = load_named(root, Addon, ADDONS, environments)
    _check_one_namespace_owner(addons, environments)
    for name, addon in addons.items():
        if f"addon-{name}" in app_names:  # both would be the Application addon-<name>-<env>
            raise InputError(
                f"add-on {name!r} clashes with app 'addon-{name}' (both make the Application addon-{name}-<env>); rename one",
                addon.source.path,
                addon.source.line_of(("name",)),
            )
    return addons
