"""addons/<name>.yaml: third-party charts (platform add-ons) installed as they are.

gitopsgen does not model what such a chart renders: it writes the Argo CD Application of the
upstream chart with per-environment values, in the namespace the chart requires, and lints and
validates nothing in its name. Environments override fields in ``addons.<name>`` of their
overlay file (values merge key by key; the chart version may differ per environment). What the
chart creates at cluster scope is declared kind by kind (``clusterResources``), and the other
namespaces it writes into by name (``otherNamespaces``): its AppProject allows that and nothing more.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from generator.errors import InputError
from generator.load import Environment
from generator.named_inputs import NamedFolder, NamedInput, Problem, load_named

FOLDER = "addons"


class Addon(NamedInput):
    section: ClassVar[str] = FOLDER


def _wildcard_problem(spec: Any) -> Problem | None:
    """``clusterResources`` names kinds one by one: a ``*`` would let the chart create anything at cluster scope."""
    entries = spec.get("clusterResources") if isinstance(spec, dict) else None
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        for key in ("group", "kind"):
            if isinstance(entry, dict) and "*" in str(entry.get(key, "")):
                return (("clusterResources", index, key),
                        f"clusterResources.{index}.{key} is a wildcard; name each cluster-scoped kind the chart creates "
                        "(e.g. {group: rbac.authorization.k8s.io, kind: ClusterRole})")
    return None


def _own_namespace_problem(settings: dict[str, Any]) -> Problem | None:
    """``otherNamespaces`` lists the namespaces besides ``namespace``: naming its own would say nothing."""
    for index, namespace in enumerate(settings.get("otherNamespaces", [])):
        if namespace == settings["namespace"]:
            return (("otherNamespaces", index),
                    f"otherNamespaces.{index} is {namespace!r}, the add-on's own namespace; list only the other "
                    "namespaces its chart creates objects in")
    return None


ADDONS = NamedFolder("addon", "add-on", ("name", "team", "owner", "environments", "description", "namespace"),
                     before_schema=_wildcard_problem, after_schema=_own_namespace_problem)


def load_addons(root: Path, environments: dict[str, Environment], app_names: set[str]) -> dict[str, Addon]:
    addons = load_named(root, Addon, ADDONS, environments)
    for name, addon in addons.items():
        if f"addon-{name}" in app_names:  # both would be the Application addon-<name>-<env>
            raise InputError(f"add-on {name!r} clashes with app 'addon-{name}' (both make the Application "
                             f"addon-{name}-<env>); rename one", addon.source.path, addon.source.line_of(("name",)))
    return addons
