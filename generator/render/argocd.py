"""Argo CD: an Application per app and environment, an AppProject per team, a root app-of-apps."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from generator.delivery import KUSTOMIZE, Delivery
from generator.kube import pod_security_labels
from generator.load import ARGOCD, Environment, repo_path
from generator.render.appset import APPS_FOLDER, PARAMS_SUFFIX
from generator.render.context import ALLOW_PRUNE_ANNOTATION, ENV_LABEL

IN_CLUSTER = "https://kubernetes.default.svc"
ROOT_FILE = "root.yaml"
# rendered/argocd/<env>/<prefix><name>.yaml: an app's Application, an add-on's Application
APPLICATION_FILE_PREFIX = "app-"
ADDON_FILE_PREFIX = "addon-"


def app_of_file(rendered_path: str) -> str | None:
    """The app a rendered file belongs to (``publish --only``): the app of its folder, or for an Argo CD
    file the app whose Application (``argocd/<env>/app-<app>.yaml``) or ApplicationSet parameter file
    (``argocd/<env>/apps/[<team>/]<app>.params``) it is. None for what an environment's apps share:
    AppProjects, ApplicationSets, the root Application, namespaces' objects, add-ons."""
    parts = PurePosixPath(rendered_path).parts
    if not parts:
        return None
    if parts[0] != ARGOCD:
        return parts[0]
    name = parts[-1]
    if len(parts) == 3 and name.startswith(APPLICATION_FILE_PREFIX) and name.endswith(".yaml"):
        return name[len(APPLICATION_FILE_PREFIX) : -len(".yaml")]
    if len(parts) in (4, 5) and parts[2] == APPS_FOLDER and name.endswith(PARAMS_SUFFIX):
        return name[: -len(PARAMS_SUFFIX)]
    return None


def _meta(name: str, env: Environment, labels: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "namespace": env.spec.get("argocd", {}).get("namespace", "argocd"),
        "labels": {"app.kubernetes.io/managed-by": "gitopsgen", ENV_LABEL: env.name, **(labels or {})},
    }


def destination(env: Environment, namespace: str) -> dict[str, str]:
    cluster = env.spec.get("cluster", {"server": IN_CLUSTER})
    return {**cluster, "namespace": namespace}


def project_name(settings: dict[str, Any], env: Environment) -> str:
    if "team" not in settings:
        return "default"
    pattern = env.spec.get("argocd", {}).get("project", "{team}")
    return pattern.replace("{team}", settings["team"]).replace("{env}", env.name)


def target_revision(env: Environment, gitops: dict[str, Any]) -> str:
    return env.spec.get("argocd", {}).get("targetRevision", gitops["branch"])


def app_path(gitops: dict[str, Any], app: str, *parts: str) -> str:
    return repo_path("/".join([app, *parts]), **gitops["layout"])


def application(settings: dict[str, Any], env: Environment, gitops: dict[str, Any], namespace: str, delivery: Delivery = KUSTOMIZE) -> dict[str, Any]:
    app = settings["name"]
    revision = target_revision(env, gitops)
    meta = _meta(f"{app}-{env.name}", env, {"app.kubernetes.io/name": app})
    meta["finalizers"] = ["resources-finalizer.argocd.argoproj.io"]
    argocd = env.spec.get("argocd", {})
    sync_policy = copy.deepcopy(argocd.get("syncPolicy", {}))
    if sync_policy.get("automated", {}).get("prune") and argocd.get("allowPrune"):
        meta["annotations"] = {ALLOW_PRUNE_ANNOTATION: "true"}
    spec: dict[str, Any] = {"project": project_name(settings, env)}
    if delivery.hydrates(settings, env.name):
        spec["source"] = {
            "repoURL": gitops["repoURL"],
            "targetRevision": delivery.sync_revision(env.name, revision),
            "path": app_path(gitops, app, "hydrated", env.name),
        }
    elif settings.get("delivery") == "helm":
        spec["sources"] = _helm_sources(settings, env, gitops, revision)
    elif delivery.mode(env.name) == "source-hydrator":
        spec["sourceHydrator"] = source_hydrator(app, env, gitops, revision, delivery)
    else:
        spec["source"] = {"repoURL": gitops["repoURL"], "targetRevision": revision, "path": app_path(gitops, app, "overlays", env.name)}
    spec["destination"] = destination(env, namespace)
    if sync_policy:
        spec["syncPolicy"] = sync_policy
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": meta, "spec": spec}


def source_hydrator(app: str, env: Environment, gitops: dict[str, Any], revision: str, delivery: Delivery) -> dict[str, Any]:
    """Argo CD hydrates the app's Kustomize overlay into the environment branch, at the path gitopsgen would use.

    A pull-request environment hydrates into ``<branch>-next`` (``hydrateTo``): the change reaches
    the synced branch only when a reviewed pull request moves it there.
    """
    hydrator: dict[str, Any] = {
        "drySource": {"repoURL": gitops["repoURL"], "targetRevision": revision, "path": app_path(gitops, app, "overlays", env.name)},
        "syncSource": {"targetBranch": delivery.env_branch(env.name), "path": app_path(gitops, app, "hydrated", env.name)},
    }
    if env.spec.get("publish", "pull-request") == "pull-request":
        hydrator["hydrateTo"] = {"targetBranch": delivery.env_branch(env.name) + "-next"}
    return hydrator


def _helm_sources(settings: dict[str, Any], env: Environment, gitops: dict[str, Any], revision: str) -> list[dict[str, Any]]:
    chart = settings["helm"]["chart"]
    values_file = "$values/" + app_path(gitops, settings["name"], "helm", f"values-{env.name}.yaml")
    helm = {"releaseName": settings["helm"].get("releaseName", settings["name"]), "valueFiles": [values_file]}
    if "path" in chart:
        chart_source = {"repoURL": gitops["repoURL"], "targetRevision": revision, "path": chart["path"], "helm": helm}
    else:
        chart_source = {"repoURL": chart["repoURL"], "chart": chart["name"], "targetRevision": chart["version"], "helm": helm}
    return [chart_source, {"repoURL": gitops["repoURL"], "targetRevision": revision, "ref": "values"}]


ADDON_LABEL = "gitopsgen.io/addon"
SYNC_WAVE_ANNOTATION = "argocd.argoproj.io/sync-wave"


def addon_application(addon: dict[str, Any], env: Environment) -> dict[str, Any]:
    """The upstream chart as it is, with the environment's values, in the namespace the chart requires."""
    name = addon["name"]
    meta = _meta(f"addon-{name}-{env.name}", env, {"app.kubernetes.io/name": name, ADDON_LABEL: "true"})
    meta["finalizers"] = ["resources-finalizer.argocd.argoproj.io"]
    if "syncWave" in addon:
        meta["annotations"] = {SYNC_WAVE_ANNOTATION: str(addon["syncWave"])}
    chart = addon["chart"]
    helm: dict[str, Any] = {"releaseName": addon.get("releaseName", name)}
    if addon.get("values"):
        helm["valuesObject"] = _substituted(addon["values"], env)
    source = {"repoURL": chart["repoURL"], "chart": chart["name"], "targetRevision": chart["version"], "helm": helm}
    sync_policy = copy.deepcopy(env.spec.get("argocd", {}).get("syncPolicy", {}))
    sync_policy.get("automated", {}).pop("prune", None)  # an add-on's objects are never pruned automatically
    options = [*sync_policy.get("syncOptions", []), *[o for o in addon.get("syncOptions", []) if o not in sync_policy.get("syncOptions", [])]]
    if options:
        sync_policy["syncOptions"] = options
    labels = {**(pod_security_labels(addon["podSecurity"]) if "podSecurity" in addon else {}), **addon.get("namespaceLabels", {})}
    if labels:  # Argo CD sets them on the namespace it creates (CreateNamespace=true, checked when loading)
        sync_policy["managedNamespaceMetadata"] = {"labels": labels}
    spec: dict[str, Any] = {"project": project_name(addon, env), "source": source, "destination": destination(env, addon["namespace"])}
    if addon.get("ignoreDifferences"):
        spec["ignoreDifferences"] = copy.deepcopy(addon["ignoreDifferences"])
    if sync_policy:
        spec["syncPolicy"] = sync_policy
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": meta, "spec": spec}


def _substituted(value: Any, env: Environment) -> Any:
    if isinstance(value, dict):
        return {key: _substituted(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [_substituted(item, env) for item in value]
    if isinstance(value, str):
        return value.replace("{env}", env.name).replace("{domain}", env.spec.get("domain", "{domain}"))
    return value


@dataclass(frozen=True)
class AddonReach:
    """What an add-on's chart creates outside its own namespace, as its file declares it."""

    cluster_resources: tuple[tuple[str, str], ...] = ()  # (group, kind) of each cluster-scoped kind
    other_namespaces: tuple[str, ...] = ()  # namespaces besides its destination that hold namespaced objects of it

    @classmethod
    def of(cls, settings: dict[str, Any]) -> AddonReach:
        return cls(tuple((kind["group"], kind["kind"]) for kind in settings.get("clusterResources", [])), tuple(settings.get("otherNamespaces", [])))


def app_projects(applications: list[dict[str, Any]], env: Environment, reach: dict[str, AddonReach] | None = None) -> list[dict[str, Any]]:
    """One AppProject per team project, allowing exactly its apps' sources and destinations.

    Beyond an Application's own destination: only what ``reach`` declares for it (by name: an add-on's
    ``clusterResources`` and ``otherNamespaces``), plus ``Namespace`` where an Application creates its namespace.
    """
    declared = reach or {}
    projects: dict[str, dict[str, Any]] = {}
    for app in applications:
        name = app["spec"]["project"]
        if name == "default":
            continue
        project = projects.setdefault(name, {"repos": set(), "destinations": [], "cluster": set()})
        app_reach = declared.get(app["metadata"]["name"], AddonReach())
        project["cluster"] |= set(app_reach.cluster_resources)
        hydrator = app["spec"].get("sourceHydrator")
        sources = app["spec"].get("sources") or ([hydrator["drySource"]] if hydrator else [app["spec"]["source"]])
        project["repos"].update(source["repoURL"] for source in sources)
        own = app["spec"]["destination"]
        for target in (own, *({**own, "namespace": namespace} for namespace in app_reach.other_namespaces)):
            if target not in project["destinations"]:
                project["destinations"].append(target)
        if "CreateNamespace=true" in app["spec"].get("syncPolicy", {}).get("syncOptions", []):
            project["cluster"].add(("", "Namespace"))
    result = []
    for name, project in sorted(projects.items()):
        spec: dict[str, Any] = {
            "description": f"Applications of project {name} in {env.name}, managed by gitopsgen",
            "sourceRepos": sorted(project["repos"]),
            "destinations": sorted(project["destinations"], key=lambda d: sorted(d.items())),
            "clusterResourceWhitelist": [{"group": group, "kind": kind} for group, kind in sorted(project["cluster"])],
        }
        result.append({"apiVersion": "argoproj.io/v1alpha1", "kind": "AppProject", "metadata": _meta(name, env), "spec": spec})
    return result


def root_application(env: Environment, gitops: dict[str, Any]) -> dict[str, Any]:
    """The app-of-apps for one environment: applied once by hand, it manages every other file of its folder."""
    argocd_namespace = env.spec.get("argocd", {}).get("namespace", "argocd")
    source = {
        "repoURL": gitops["repoURL"],
        "targetRevision": target_revision(env, gitops),
        "path": repo_path(f"{ARGOCD}/{env.name}", **gitops["layout"]),
        "directory": {"exclude": ROOT_FILE},
    }
    allow_prune = bool(env.spec.get("argocd", {}).get("allowPrune"))
    spec = {
        "project": "default",
        "source": source,
        "destination": {"server": IN_CLUSTER, "namespace": argocd_namespace},
        "syncPolicy": {"automated": {"prune": allow_prune, "selfHeal": True}},
    }
    meta = _meta(f"apps-{env.name}", env)
    if allow_prune:
        meta["annotations"] = {ALLOW_PRUNE_ANNOTATION: "true"}
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": meta, "spec": spec}
