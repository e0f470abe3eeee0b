"""ApplicationSets instead of one Application file per app: ``gitops.applications: per-environment | per-team``.

Each environment's Applications differ only in a few values (app, project, namespace, path,
revision); everything else — cluster, sync policy, labels, finalizer — is the environment's. So
each app gets a small parameter file, ``<argocd>/<env>/apps/<app>.params`` (per team:
``<argocd>/<env>/apps/<team>/<app>.params``; YAML, which the git files generator reads whatever
the suffix), and one ApplicationSet per environment (or per team and environment) turns them
back into the very Applications per-app mode writes, with a git *files* generator over the
published layout. The suffix keeps them out of what Argo CD applies from a folder and out of
what ``validate``/``lint`` read from one (both take .yaml, .yml and .json): they are not
Kubernetes objects. ``gitopsgen preview-appset`` expands the result offline.

Applications that are not one plain source (Helm apps with a chart repository, Source Hydrator
apps) keep their own file.
"""

from __future__ import annotations

import copy
from typing import Any

from generator.load import ARGOCD, Environment, repo_path

APPS_FOLDER = "apps"
PARAMS_SUFFIX = ".params"
# parameter name -> where per-app mode puts the value in the Application
PARAMETERS = {
    "app": ("metadata", "labels", "app.kubernetes.io/name"),
    "project": ("spec", "project"),
    "namespace": ("spec", "destination", "namespace"),
    "repoPath": ("spec", "source", "path"),
    "targetRevision": ("spec", "source", "targetRevision"),
}


def templatable(application: dict[str, Any]) -> bool:
    """One source read from a path of the GitOps repository (not an add-on's chart from a chart repository)."""
    return "path" in application["spec"].get("source", {})


def group_of(application: dict[str, Any], per: str, env: str) -> str:
    return application["spec"]["project"] if per == "per-team" else env


def parameter_file(application: dict[str, Any], per: str, env: str) -> tuple[str, dict[str, str]]:
    """rendered/-relative path and content of one app's parameter file."""
    values = {name: _get(application, where) for name, where in PARAMETERS.items()}
    folder = f"{ARGOCD}/{env}/{APPS_FOLDER}"
    if per == "per-team":
        folder += f"/{application['spec']['project']}"
    return f"{folder}/{values['app']}{PARAMS_SUFFIX}", values


def application_set(group: str, applications: list[dict[str, Any]], per: str, env: Environment, gitops: dict[str, Any], revision: str) -> dict[str, Any]:
    """The ApplicationSet that expands to ``applications`` (all of one environment and group)."""
    template = copy.deepcopy(applications[0])
    for name, where in PARAMETERS.items():
        _set(template, where, f"{{{{ .{name} }}}}")
    template["metadata"]["name"] = "{{ .app }}-" + env.name
    folder = f"{ARGOCD}/{env.name}/{APPS_FOLDER}" + (f"/{group}" if per == "per-team" else "")
    generator = {"git": {"repoURL": gitops["repoURL"], "revision": revision, "files": [{"path": repo_path(folder, **gitops["layout"]) + "/*" + PARAMS_SUFFIX}]}}
    metadata = copy.deepcopy(applications[0]["metadata"])
    metadata.pop("finalizers", None)
    metadata.pop("annotations", None)
    metadata["name"] = f"apps-{env.name}" if per == "per-environment" else f"{group}-{env.name}"
    del metadata["labels"]["app.kubernetes.io/name"]
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "ApplicationSet",
        "metadata": metadata,
        "spec": {
            "goTemplate": True,
            "goTemplateOptions": ["missingkey=error"],
            "generators": [generator],
            "template": {"metadata": template["metadata"], "spec": template["spec"]},
        },
    }


def split(
    applications: list[dict[str, Any]], per: str, env: Environment, gitops: dict[str, Any], revision: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, dict[str, str]]]:
    """(ApplicationSets, Applications that keep their own file, parameter files by rendered/ path)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    single = []
    for application in applications:
        if templatable(application):
            groups.setdefault(group_of(application, per, env.name), []).append(application)
        else:
            single.append(application)
    sets = [application_set(group, members, per, env, gitops, revision) for group, members in sorted(groups.items())]
    parameters = dict(parameter_file(app, per, env.name) for members in groups.values() for app in members)
    return sets, single, parameters


def _get(data: dict[str, Any], where: tuple[str, ...]) -> Any:
    for step in where:
        data = data[step]
    return data


def _set(data: dict[str, Any], where: tuple[str, ...], value: Any) -> None:
    for step in where[:-1]:
        data = data[step]
    data[where[-1]] = value
