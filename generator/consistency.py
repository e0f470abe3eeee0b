"""Rules between blueprint fields that a JSON Schema cannot say; each problem names the field that breaks it."""

from __future__ import annotations

from typing import Any

from generator.kube import ANNOTATIONS_SIZE_LIMIT, annotations_size

Problem = tuple[tuple[Any, ...], str]
FLAGGER_BUILTIN_METRICS = ("request-success-rate", "request-duration")


def feature_problem(spec: dict[str, Any]) -> Problem | None:
    checks = (
        _annotation_problem,
        _rule_problem,
        _rollout_problem,
        _stateful_problem,
        _job_problem,
        _pod_problem,
        _container_problem,
        _scaling_problem,
        _mesh_problem,
    )
    for check in checks:
        problem = check(spec)
        if problem:
            return problem
    return None


def _annotation_problem(spec: dict[str, Any]) -> Problem | None:
    """Each object's annotations fit the API server's 256 KiB: the app's own plus those of the object's field."""
    common = spec.get("annotations") or {}
    places: list[tuple[tuple[Any, ...], dict[str, Any], dict[str, Any]]] = [
        (("annotations",), common, {}),
        (("podAnnotations",), {}, spec.get("podAnnotations") or {}),
    ]
    for owner in ("service", "ingress", "serviceAccount"):
        places.append(((owner, "annotations"), common, (spec.get(owner) or {}).get("annotations") or {}))
    for index, secret in enumerate(spec.get("externalSecrets", [])):
        places.append((("externalSecrets", index, "template", "annotations"), {}, (secret.get("template") or {}).get("annotations") or {}))
    for where, shared, own in places:
        size = annotations_size({**shared, **own})
        if size > ANNOTATIONS_SIZE_LIMIT:
            return where, (
                f"annotations take {size} bytes, over the {ANNOTATIONS_SIZE_LIMIT} the API server accepts for one object; move large data into a ConfigMap"
            )
    return None


ALERT_ONLY = ("for", "severity", "summary", "description", "runbook", "annotations")


def _rule_problem(spec: dict[str, Any]) -> Problem | None:
    for index, rule in enumerate(spec.get("monitoring", {}).get("rules", [])):
        where = ("monitoring", "rules", index)
        if "alert" in rule and "severity" not in rule:
            return where, f"alert {rule['alert']!r} needs a severity (critical, warning or info); add one"
        if "record" in rule:
            for key in ALERT_ONLY:
                if key in rule:
                    return where + (key,), f"recording rule {rule['record']!r} cannot have '{key}' (alerts only); remove it"
    return None


def _rollout_problem(spec: dict[str, Any]) -> Problem | None:
    rollout = spec.get("rollout")
    if not rollout:
        return None
    flagger = rollout.get("controller") == "flagger"
    if "steps" in rollout and (flagger or rollout.get("strategy") == "blueGreen"):
        return ("rollout", "steps"), "rollout.steps apply to an argo-rollouts canary; remove them (flagger uses stepWeight/maxWeight)"
    if not flagger:
        for key in ("provider", "gateways", "hosts", "webhooks", "stepWeight", "maxWeight", "iterations"):
            if key in rollout:
                return ("rollout", key), f"rollout.{key} applies to controller: flagger; remove it or set the controller"
    for index, metric in enumerate(rollout.get("analysis", {}).get("metrics", [])):
        where = ("rollout", "analysis", "metrics", index)
        if flagger:
            if "successCondition" in metric:
                return where + ("successCondition",), "flagger metrics take min/max, not successCondition; replace it"
            if "query" not in metric and metric["name"] not in FLAGGER_BUILTIN_METRICS:
                return where, (f"flagger metric {metric['name']!r} needs a query (built-in metrics: {', '.join(FLAGGER_BUILTIN_METRICS)})")
        else:
            for key in ("query", "successCondition"):
                if key not in metric:
                    return where, f"argo-rollouts metric {metric['name']!r} needs '{key}'; add it"
            for key in ("min", "max"):
                if key in metric:
                    return where + (key,), f"argo-rollouts metrics take successCondition, not {key}; replace it"
    return None


def _stateful_problem(spec: dict[str, Any]) -> Problem | None:
    stateful = spec.get("kind") == "StatefulSet"
    if not stateful:
        for key in ("volumeClaimTemplates", "podManagementPolicy"):
            if key in spec:
                return (key,), f"{key} needs kind: StatefulSet; add it or remove {key}"
        return None
    rollout = spec.get("rollout")
    if rollout and rollout.get("enabled", True) and rollout.get("controller", "argo-rollouts") == "argo-rollouts":
        return ("rollout",), "an Argo Rollouts rollout replaces a Deployment, not a StatefulSet; remove rollout or the kind"
    if spec.get("strategy", {}).get("type") == "Recreate":
        return ("strategy", "type"), "a StatefulSet updates pods one by one (RollingUpdate); remove strategy.type: Recreate"
    names = [volume["name"] for volume in spec.get("volumes", [])]
    for index, claim in enumerate(spec.get("volumeClaimTemplates", [])):
        if claim["name"] in names:
            return ("volumeClaimTemplates", index, "name"), f"volume {claim['name']!r} is also in volumes; rename one"
    return None


def _job_problem(spec: dict[str, Any]) -> Problem | None:
    seen: set[str] = set()
    for index, job in enumerate(spec.get("jobs", [])):
        if job["name"] in seen:
            return ("jobs", index, "name"), f"job {job['name']!r} is defined twice; rename one"
        seen.add(job["name"])
        image = job.get("image", {})
        if image.get("repository") == spec.get("image", {}).get("repository"):
            return ("jobs", index, "image"), "a job runs the app's image by default; remove its image (or use another repository)"
        for key in ("concurrencyPolicy", "startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit", "suspend", "timeZone"):
            if key in job and "schedule" not in job:
                return ("jobs", index, key), f"{key} applies to a CronJob; add a schedule or remove it"
    return None


def _pod_problem(spec: dict[str, Any]) -> Problem | None:
    resources = spec.get("resources", {})
    requests, limits = resources.get("requests", {}), resources.get("limits", {})
    for name, value in requests.items():
        if "/" in name and str(limits.get(name)) != str(value):
            return ("resources", "requests", name), (f"{name} cannot be overcommitted: set limits.{name} to the same value as the request ({value})")
    if "sharedMemory" in spec:
        for index, volume in enumerate(spec.get("volumes", [])):
            if volume["mountPath"] == "/dev/shm" or volume["name"] == "dshm":
                return ("volumes", index), "sharedMemory already mounts volume 'dshm' at /dev/shm; remove this volume"
    return None


def _container_problem(spec: dict[str, Any]) -> Problem | None:
    names = {spec.get("containerName", spec.get("name", ""))}
    volumes = {volume["name"] for volume in [*spec.get("volumes", []), *spec.get("volumeClaimTemplates", [])]}
    if "sharedMemory" in spec:
        volumes.add("dshm")
    for group in ("initContainers", "sidecars"):
        for index, extra in enumerate(spec.get(group, [])):
            if extra["name"] in names:
                return (group, index, "name"), f"container name {extra['name']!r} is already used in this pod; rename it"
            names.add(extra["name"])
            if extra["image"]["repository"] == spec.get("image", {}).get("repository"):
                return (group, index, "image"), (
                    "a sidecar or init container cannot use the app's image repository (each environment swaps that image); use another repository"
                )
            for mount_index, mount in enumerate(extra.get("volumeMounts", [])):
                if mount["name"] not in volumes:
                    return ((group, index, "volumeMounts", mount_index, "name"), f"volume {mount['name']!r} is not declared; add it to 'volumes'")
    return None


KEDA_ONLY = ("triggers", "pollingInterval", "cooldownPeriod", "idleReplicas")


def _scaling_problem(spec: dict[str, Any]) -> Problem | None:
    autoscaling = spec.get("autoscaling") or {}
    keda = autoscaling.get("engine") == "keda"
    where = ("autoscaling",)
    if not keda:
        for key in KEDA_ONLY:
            if key in autoscaling:
                return where + (key,), f"autoscaling.{key} needs engine: keda; add it or remove {key}"
        if autoscaling.get("minReplicas") == 0:
            return where + ("minReplicas",), "scaling to zero needs engine: keda; set minReplicas to 1 or more"
    elif autoscaling.get("external"):
        return where + ("external",), "with engine: keda, write external metrics as triggers"
    vertical = spec.get("verticalScaling") or {}
    if vertical.get("mode", "Off") != "Off" and autoscaling.get("enabled", True) and autoscaling and ({"cpu", "memory"} & set(autoscaling)):
        return ("verticalScaling", "mode"), ("a VPA that updates pods fights an HPA on cpu/memory; use mode: Off (recommendations) or scale on other metrics")
    return None


def _mesh_problem(spec: dict[str, Any]) -> Problem | None:
    rollout = spec.get("rollout") or {}
    if spec.get("mesh", {}).get("virtualService") and rollout.get("controller") == "flagger" and rollout.get("provider") == "istio":
        return ("mesh", "virtualService"), "Flagger (provider istio) writes this app's VirtualService; use rollout.hosts/gateways instead"
    mesh = spec.get("mesh", {})
    if mesh.get("portMtls"):
        if not mesh.get("mtls"):
            return ("mesh", "portMtls"), "port modes refine mesh.mtls; set mesh.mtls too"
        pod_ports = {port["name"] for container in [spec, *spec.get("sidecars", [])] for port in container.get("ports", []) if "name" in port}
        for name in mesh["portMtls"]:
            if name not in pod_ports:
                return ("mesh", "portMtls", name), f"port {name!r} is not a container port name of the app's pods; use one of 'ports' (or a sidecar's)"
    ports = {port["name"] for port in spec.get("service", {}).get("ports", []) if "name" in port}
    ports |= {port["name"] for port in spec.get("ports", [])}
    for index, path in enumerate(spec.get("httpRoute", {}).get("paths", [])):
        if isinstance(path.get("port"), str) and path["port"] not in ports:
            return ("httpRoute", "paths", index, "port"), f"port {path['port']!r} is not declared; use a Service or container port name"
    return None
