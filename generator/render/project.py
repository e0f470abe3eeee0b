"""Rendering a project: blueprints x environments -> effective objects per app x env, and the files for rendered/.

The sets of :func:`render_project` are the effective manifests, what Argo CD will apply: the tests
prove that ``kubectl kustomize`` and ``helm template`` build the written files to exactly these objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator import kube, yamlio
from generator.addons import Addon, load_addons
from generator.delivery import Delivery, load_delivery, remote_chart
from generator.errors import InputError
from generator.load import ARGOCD, Blueprint, Environment, Project, deployed_to, is_dns_label, locate_setting, merged_settings
from generator.namespaces import NamespaceHome, load_namespaces
from generator.render import appset, argocd, hydrate, kustomize
from generator.render.collisions import check_collisions
from generator.render.context import NeedsEnvironment, Target
from generator.render.helm import helm_values
from generator.render.namespaces import namespace_objects
from generator.render.resources import IncompleteSettings, build_objects
from generator.render.workload import APP_WORKLOAD_KINDS
from generator.render.writer import GENERATED_MARK
from generator.schema import suggest

HEADER = GENERATED_MARK + " from {sources} - do not edit; change the inputs and run `gitopsgen render`.\n"

# Where a field of the app's workload (a Deployment, StatefulSet or Rollout) comes from in a
# blueprint: field path below its pod template (kube.POD_TEMPLATE) -> blueprint key path.
CONTAINER = ("spec", "containers", 0)
POD_ORIGINS: list[tuple[tuple[Any, ...], tuple[str, ...]]] = [
    (CONTAINER + ("image",), ("image",)),
    (CONTAINER + ("imagePullPolicy",), ("image", "pullPolicy")),
    (CONTAINER + ("resources",), ("resources",)),
    (CONTAINER + ("livenessProbe",), ("probes", "liveness")),
    (CONTAINER + ("readinessProbe",), ("probes", "readiness")),
    (CONTAINER + ("startupProbe",), ("probes", "startup")),
    (CONTAINER + ("securityContext",), ("securityContext",)),
    (CONTAINER + ("env",), ("env",)),
    (CONTAINER + ("envFrom",), ("envFrom",)),
    (CONTAINER + ("ports",), ("ports",)),
    (CONTAINER + ("volumeMounts",), ("volumes",)),
    (CONTAINER + ("command",), ("command",)),
    (CONTAINER + ("args",), ("args",)),
    (("spec", "securityContext"), ("securityContext",)),
    (("spec", "volumes"), ("volumes",)),
    (("spec", "affinity", "nodeAffinity"), ("nodeAffinity",)),
    (("spec", "affinity"), ("antiAffinity",)),
    (("spec", "topologySpreadConstraints"), ("topologySpread",)),
    (("spec", "nodeSelector"), ("nodeSelector",)),
    (("spec", "tolerations"), ("tolerations",)),
]
WORKLOAD_ORIGINS: list[tuple[tuple[Any, ...], tuple[str, ...]]] = [
    (("spec", "replicas"), ("replicas",)),
    (("spec", "strategy"), ("strategy",)),
]
# The other kinds: (kind, field path prefix) -> blueprint key path.
ORIGINS: list[tuple[str, tuple[Any, ...], tuple[str, ...]]] = [
    ("HorizontalPodAutoscaler", (), ("autoscaling",)),
    ("PodDisruptionBudget", (), ("podDisruptionBudget",)),
    ("Service", (), ("service",)),
    ("Service", (), ("ports",)),
    ("Ingress", (), ("ingress",)),
    ("NetworkPolicy", (), ("networkPolicy",)),
    ("ExternalSecret", (), ("externalSecrets",)),
    ("SecretStore", (), ("secretStores",)),
    ("ServiceMonitor", (), ("monitoring", "serviceMonitor")),
    ("PrometheusRule", (), ("monitoring", "rules")),
    ("AnalysisTemplate", (), ("rollout",)),
    ("Canary", (), ("rollout",)),
    ("MetricTemplate", (), ("rollout",)),
    ("Job", (), ("jobs",)),
    ("CronJob", (), ("jobs",)),
    ("ConfigMap", ("data",), ("monitoring", "dashboards")),
    ("ConfigMap", ("data",), ("configMaps",)),
    ("ServiceAccount", (), ("serviceAccount",)),
]


# Where an Argo CD object's field comes from in the environment file.
ARGOCD_ORIGINS: list[tuple[tuple[Any, ...], tuple[str, ...]]] = [
    (("spec", "source", "targetRevision"), ("argocd", "targetRevision")),
    (("spec", "sources"), ("argocd", "targetRevision")),
    (("spec", "syncPolicy"), ("argocd", "syncPolicy")),
    (("metadata", "annotations"), ("argocd", "allowPrune")),
    (("spec", "project"), ("argocd", "project")),
    (("spec", "destination", "namespace"), ("namespace",)),
    (("spec", "destination"), ("cluster",)),
    (("spec", "destinations"), ("cluster",)),
    (("metadata", "namespace"), ("argocd", "namespace")),
]


@dataclass
class RenderedSet:
    """The effective objects of one app in one environment (``app == "argocd"``: the env's Argo CD objects)."""

    app: str
    env: str
    source: str
    objects: list[dict[str, Any]]
    blueprint: Blueprint | None = field(default=None, repr=False)
    environment: Environment | None = field(default=None, repr=False)
    # objects from other files (a namespace's, among the environment's Argo CD objects): id -> (file, line)
    object_origins: dict[int, tuple[str, int]] = field(default_factory=dict, repr=False)

    def source_of(self, obj: dict[str, Any]) -> str:
        """The input file ``obj`` comes from: the set's, or (a namespace's object) its own."""
        return self.object_origins[id(obj)][0] if id(obj) in self.object_origins else self.source

    def origin(self, obj: dict[str, Any], field_path: tuple[Any, ...]) -> tuple[str, int]:
        """The input file and line that produced ``field_path`` of ``obj`` (the source's first line if unknown)."""
        if id(obj) in self.object_origins:
            return self.object_origins[id(obj)]
        if self.blueprint is None:
            assert self.environment is not None
            source = self.environment.source
            for prefix, key in ARGOCD_ORIGINS:
                if tuple(field_path[: len(prefix)]) == prefix and _has(self.environment.spec, key):
                    return source.path, source.line_of(key)
            return source.path, 1
        for prefix, key in _origins(obj.get("kind")):
            if tuple(field_path[: len(prefix)]) == prefix:
                found = locate_setting(self.blueprint, self.environment, key)
                if found:
                    return found
        return self.blueprint.source.path, 1


def _origins(kind: Any) -> list[tuple[tuple[Any, ...], tuple[str, ...]]]:
    """(field path prefix, blueprint key path) for an object of ``kind``, the first match first."""
    if kind in APP_WORKLOAD_KINDS:
        template = kube.POD_TEMPLATE[kind]
        return [((*template, *prefix), key) for prefix, key in POD_ORIGINS] + WORKLOAD_ORIGINS
    return [(prefix, key) for row_kind, prefix, key in ORIGINS if row_kind == kind]


def _has(data: dict[str, Any], key: tuple[str, ...]) -> bool:
    for step in key:
        if not isinstance(data, dict) or step not in data:
            return False
        data = data[step]
    return True


@dataclass
class Rendering:
    """What :func:`render_project` made: the rendered sets, the files for rendered/, and notes for the user."""

    sets: list[RenderedSet]
    files: dict[str, str]  # path relative to rendered/ -> file text
    notes: list[str] = field(default_factory=list)  # what the user should know, e.g. an app that cannot be hydrated


def select(project: Project, envs: list[str] | None, only: list[str] | None) -> tuple[list[Environment], list[Blueprint]]:
    for name in envs or []:
        if name not in project.environments:
            create = f" (add overlays/{name}.yaml to create it)" if is_dns_label(name) else ""
            raise InputError(f"unknown environment {name!r}{suggest(name, project.environments)}; known: {', '.join(project.environments)}{create}")
    for name in only or []:
        if name not in project.blueprints:
            raise InputError(f"unknown app {name!r}{suggest(name, project.blueprints)}; known: {', '.join(project.blueprints)}")
    environments = [env for name, env in project.environments.items() if not envs or name in envs]
    blueprints = [bp for name, bp in project.blueprints.items() if not only or name in only]
    return environments, blueprints


def render_project(project: Project, envs: list[str] | None = None, only: list[str] | None = None) -> Rendering:
    environments, blueprints = select(project, envs, only)
    settings = project.settings
    delivery = load_delivery(project)
    every_env = list(project.environments.values())
    rendering = Rendering([], {})
    homes = load_namespaces(project.root, project.environments)
    addons = load_addons(project.root, project.environments, set(project.blueprints))
    for blueprint in blueprints:
        # the base stays while any environment (selected or not) still builds the app with Kustomize
        keeps_base = any(not delivery.hydrates(blueprint, env.name) for env in deployed_to(blueprint, every_env))
        _render_app(blueprint, environments, settings, rendering, delivery, keeps_base)
        hydrated_envs = [env.name for env in deployed_to(blueprint, environments) if delivery.mode(env.name) == "hydrated"]
        if hydrated_envs and remote_chart(blueprint):
            chart = blueprint.spec["helm"]["chart"]
            rendering.notes.append(
                f"{blueprint.name}: its Helm chart is in {chart['repoURL']} ({chart['name']} {chart['version']}), "
                f"which cannot be rendered offline; it stays Helm-delivered in {', '.join(hydrated_envs)}"
            )
    for env in environments:
        _render_argocd(project, env, settings, rendering, delivery, addons)
        _render_namespaces(homes, env, rendering)
    check_collisions(rendering.sets)
    rendering.files = dict(sorted(rendering.files.items()))
    return rendering


def namespace_for(settings: dict[str, Any], env: Environment) -> str:
    pattern = env.spec.get("namespace", "{namespace}-{env}")
    namespace = (
        pattern.replace("{namespace}", settings.get("namespace", settings["name"]))
        .replace("{app}", settings["name"])
        .replace("{team}", settings.get("team", ""))
        .replace("{env}", env.name)
    )
    if not is_dns_label(namespace):
        raise InputError(
            f"namespace {namespace!r} for app {settings['name']!r} is not a valid DNS label; fix the namespace pattern",
            env.source.path,
            env.source.line_of(("namespace",)),
        )
    return namespace


def _render_app(
    blueprint: Blueprint,
    environments: list[Environment],
    settings_by_env: dict[tuple[str, str], dict[str, Any]],
    rendering: Rendering,
    delivery: Delivery,
    keeps_base: bool,
) -> None:
    app = blueprint.name
    helm = blueprint.spec.get("delivery") == "helm"
    base_settings = merged_settings(blueprint, None)
    base_objects = [] if helm else _build(blueprint, None, base_settings, Target(app, None))
    if base_objects and keeps_base:
        for name, content in kustomize.base_files(base_objects, app).items():
            _emit(rendering, f"{app}/base/{name}", content, [blueprint.source.path])
    for env in deployed_to(blueprint, environments):
        settings = settings_by_env[(app, env.name)]
        namespace = namespace_for(settings, env)
        domain = env.spec.get("domain")
        effective = _build(blueprint, env, settings, Target(app, env.name, domain, namespace, env.name))
        rendering.sets.append(RenderedSet(app, env.name, blueprint.source.path, effective, blueprint, env))
        sources = [blueprint.source.path, env.source.path]
        if delivery.hydrates(blueprint, env.name):
            path = f"{hydrate.hydrated_dir(app, env.name)}/{hydrate.MANIFEST}"
            rendering.files[path] = HEADER.format(sources=" and ".join(sources)) + hydrate.manifest_text(effective)
            continue
        if helm:
            _emit(rendering, f"{app}/helm/values-{env.name}.yaml", helm_values(effective, settings), sources)
            continue
        image = settings["image"]
        # the overlay's images transformer swaps the base image for the environment's
        before_transformers = dict(settings, image={**_pick(image, "pullPolicy"), **_pick(base_settings["image"], "repository", "tag", "digest")})
        patched = _build(blueprint, env, before_transformers, Target(app, env.name, domain))
        kustomize.label_foreign_templates(patched, env.name)
        images = kustomize.image_entries(base_settings["image"], image)
        files = kustomize.overlay_files(base_objects, patched, app, env.name, namespace, images)
        for name, content in files.items():
            _emit(rendering, f"{app}/overlays/{env.name}/{name}", content, sources)


def _pick(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: data[key] for key in keys if key in data}


def _build(blueprint: Blueprint, env: Environment | None, settings: dict[str, Any], target: Target) -> list[dict[str, Any]]:
    try:
        return build_objects(settings, target)
    except IncompleteSettings as exc:
        raise InputError(str(exc), blueprint.source.path, blueprint.source.line_of(exc.field)) from None
    except NeedsEnvironment as exc:
        assert env is not None
        raise InputError(
            f"{exc} uses {{domain}} but {env.source.path} sets no 'domain'; add one", blueprint.source.path, blueprint.source.line_of(("ingress",))
        ) from None


def _render_argocd(
    project: Project,
    env: Environment,
    settings_by_env: dict[tuple[str, str], dict[str, Any]],
    rendering: Rendering,
    delivery: Delivery,
    addons: dict[str, Addon],
) -> None:
    applications = []
    for blueprint in project.blueprints.values():
        settings = settings_by_env.get((blueprint.name, env.name))
        if settings is not None:
            applications.append(argocd.application(settings, env, project.gitops, namespace_for(settings, env), delivery))
    reach: dict[str, argocd.AddonReach] = {}  # add-on Application name -> what its chart creates outside its namespace
    for addon in addons.values():
        if addon.deployed_to(env):
            settings = addon.settings_for(env)
            applications.append(argocd.addon_application(settings, env))
            reach[applications[-1]["metadata"]["name"]] = argocd.AddonReach.of(settings)
    projects = argocd.app_projects(applications, env, reach)
    root = argocd.root_application(env, project.gitops)
    sources = [env.source.path, "blueprints/"]
    for project_object in projects:
        _emit(rendering, f"{ARGOCD}/{env.name}/project-{project_object['metadata']['name']}.yaml", project_object, sources)
    application_sets: list[dict[str, Any]] = []
    if delivery.applications != "per-app":
        revision = argocd.target_revision(env, project.gitops)
        application_sets, applications, parameters = appset.split(applications, delivery.applications, env, project.gitops, revision)
        for path, values in parameters.items():
            _emit(rendering, path, values, sources)
        for application_set in application_sets:
            _emit(rendering, f"{ARGOCD}/{env.name}/appset-{application_set['metadata']['name']}.yaml", application_set, sources)
    for application in applications:
        labels = application["metadata"]["labels"]
        prefix = argocd.ADDON_FILE_PREFIX if labels.get(argocd.ADDON_LABEL) else argocd.APPLICATION_FILE_PREFIX
        _emit(rendering, f"{ARGOCD}/{env.name}/{prefix}{labels['app.kubernetes.io/name']}.yaml", application, sources)
    _emit(rendering, f"{ARGOCD}/{env.name}/{argocd.ROOT_FILE}", root, sources)
    objects = [*projects, *application_sets, *applications, root]
    rendering.sets.append(RenderedSet(ARGOCD, env.name, env.source.path, objects, None, env))


def _render_namespaces(homes: dict[str, NamespaceHome], env: Environment, rendering: Rendering) -> None:
    """Each namespace's objects join the environment's Argo CD set: its root Application applies them."""
    argocd_set = next(s for s in rendering.sets if s.app == ARGOCD and s.env == env.name)
    emitted: dict[tuple[str, str, str], tuple[str, int]] = {}  # (kind, namespace, name) -> the file:line that made it
    for home in homes.values():
        if not home.deployed_to(env):
            continue
        settings = home.settings_for(env)
        namespace = namespace_for({"name": home.name, **settings}, env)
        try:
            objects = namespace_objects(home, settings, env.name, namespace, env.spec.get("domain"))
        except NeedsEnvironment as exc:  # only gateway hosts use {domain} in a namespace file
            where = next((("gateways", name, "hosts") for name, gateway in settings.get("gateways", {}).items() if str(exc) in gateway["hosts"]), ("gateways",))
            raise InputError(f"{exc} uses {{domain}} but {env.source.path} sets no 'domain'; add one", home.source.path, home.source.line_of(where)) from None
        for obj, key in objects:
            kind = obj["kind"].lower()
            suffix = "" if obj["metadata"]["name"] == namespace else f"-{obj['metadata']['name']}"
            _emit(rendering, f"{ARGOCD}/{env.name}/namespace-{home.name}-{kind}{suffix}.yaml", obj, [home.source.path, env.source.path])
            argocd_set.objects.append(obj)
            located = env.source.line_of(("namespaces", home.name) + key) if _has(env.spec, ("namespaces", home.name) + key) else None
            origin = (env.source.path, located) if located else (home.source.path, home.source.line_of(key))
            argocd_set.object_origins[id(obj)] = origin
            identity = (obj["kind"], obj["metadata"].get("namespace", ""), obj["metadata"]["name"])
            if identity in emitted:  # e.g. two namespaces' gateways sharing a workload namespace and a TLS Secret name
                raise InputError(
                    f"{identity[0]} {identity[1]}/{identity[2]} in {env.name} is also emitted by "
                    f"{emitted[identity][0]}:{emitted[identity][1]}; name one of them differently",
                    *origin,
                )
            emitted[identity] = origin


def _emit(rendering: Rendering, path: str, content: Any, sources: list[str]) -> None:
    rendering.files[path] = HEADER.format(sources=" and ".join(sources)) + yamlio.dump(content)
