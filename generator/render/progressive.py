"""Progressive delivery: Argo Rollouts (Rollout strategy, AnalysisTemplate, preview Service) and Flagger (Canary, MetricTemplate).

With ``rollout.controller: argo-rollouts`` (the default) the workload is a ``Rollout`` instead of
a Deployment; its canary or blue-green strategy runs the app's AnalysisTemplate and aborts (rolls
back) when a metric fails. With ``flagger`` the Deployment stays and a ``Canary`` drives it.
"""

from __future__ import annotations

from typing import Any

from generator.render.context import Target, metadata, selector_labels

ROLLOUTS_API = "argoproj.io/v1alpha1"
FLAGGER_API = "flagger.app/v1beta1"
DEFAULT_PROMETHEUS = "http://prometheus-operated.monitoring.svc:9090"


def rollout_settings(settings: dict[str, Any]) -> dict[str, Any] | None:
    rollout = settings.get("rollout")
    if not rollout or not rollout.get("enabled", True):
        return None
    return rollout


def uses_argo_rollouts(settings: dict[str, Any]) -> bool:
    rollout = rollout_settings(settings)
    return rollout is not None and rollout.get("controller", "argo-rollouts") == "argo-rollouts"


def uses_flagger(settings: dict[str, Any]) -> bool:
    rollout = rollout_settings(settings)
    return rollout is not None and rollout.get("controller") == "flagger"


# Flagger runs a Canary's target as <app>-primary, whose pods get app.kubernetes.io/name: <app>-primary
# (the first of its -selector-labels app, name, app.kubernetes.io/name that the selector has) and
# every other pod label unchanged. What must select the pods that serve the traffic (NetworkPolicy,
# PodDisruptionBudget, PeerAuthentication) selects them by this label, which the pod template of a
# Flagger app carries and Flagger copies as it is; selecting by app.kubernetes.io/name would match
# the target's pods only, which Flagger scales to zero between analyses.
FLAGGER_POD_LABEL = "app.kubernetes.io/instance"


def pod_selector_labels(settings: dict[str, Any], app: str) -> dict[str, str]:
    """The labels that select every pod of the app: with Flagger, the primary's too."""
    if uses_flagger(settings):
        return {FLAGGER_POD_LABEL: app}
    return selector_labels(app)


def preview_service_name(app: str) -> str:
    return f"{app}-preview"


def rollout_strategy(rollout: dict[str, Any], app: str, active_service: str) -> dict[str, Any]:
    """``spec.strategy`` of the Rollout: canary steps with background analysis, or blue-green with pre-promotion analysis."""
    templates = [{"templateName": app}] if rollout.get("analysis") else []
    if rollout["strategy"] == "blueGreen":
        blue_green: dict[str, Any] = {
            "activeService": active_service,
            "previewService": preview_service_name(app),
            "autoPromotionEnabled": rollout.get("autoPromotion", False),
        }
        if "scaleDownDelaySeconds" in rollout:
            blue_green["scaleDownDelaySeconds"] = rollout["scaleDownDelaySeconds"]
        if templates:
            blue_green["prePromotionAnalysis"] = {"templates": templates}
        return {"blueGreen": blue_green}
    steps: list[dict[str, Any]] = []
    for step in rollout.get("steps", []):
        steps.append({"setWeight": step["weight"]})
        if "pause" in step:
            steps.append({"pause": {} if step["pause"] == "manual" else {"duration": step["pause"]}})
    canary: dict[str, Any] = {}
    for key in ("maxSurge", "maxUnavailable"):
        if key in rollout:
            canary[key] = rollout[key]
    if steps:
        canary["steps"] = steps
    if templates:
        canary["analysis"] = {"templates": templates}
    return {"canary": canary}


def preview_service(settings: dict[str, Any], target: Target, service: dict[str, Any] | None) -> dict[str, Any] | None:
    """The blue-green preview Service: the active Service's twin, which the controller points at the new pods."""
    rollout = rollout_settings(settings)
    if service is None or not uses_argo_rollouts(settings) or rollout is None or rollout["strategy"] != "blueGreen":
        return None
    spec = {key: value for key, value in service["spec"].items() if key != "type"}
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": metadata(settings, target, name=preview_service_name(target.app)),
        "spec": {"type": "ClusterIP", **spec},
    }


def analysis_template(settings: dict[str, Any], target: Target) -> dict[str, Any] | None:
    rollout = rollout_settings(settings)
    if not uses_argo_rollouts(settings) or rollout is None or not rollout.get("analysis"):
        return None
    analysis = rollout["analysis"]
    address = analysis.get("prometheus", DEFAULT_PROMETHEUS)
    metrics = []
    for metric in analysis["metrics"]:
        item: dict[str, Any] = {
            "name": metric["name"],
            "interval": metric.get("interval", analysis.get("interval", "1m")),
            "failureLimit": metric.get("failureLimit", analysis.get("failureLimit", 1)),
            "successCondition": metric["successCondition"],
            "provider": {"prometheus": {"address": address, "query": target.substitute(metric["query"])}},
        }
        if "count" in metric:
            item["count"] = metric["count"]
        metrics.append(item)
    return {"apiVersion": ROLLOUTS_API, "kind": "AnalysisTemplate", "metadata": metadata(settings, target), "spec": {"metrics": metrics}}


def flagger_objects(settings: dict[str, Any], target: Target, autoscaled: bool, port: dict[str, Any] | None, ingress: bool) -> list[dict[str, Any]]:
    """The Flagger Canary of the Deployment, and a MetricTemplate for each metric given as a query."""
    rollout = rollout_settings(settings)
    if not uses_flagger(settings) or rollout is None:
        return []
    analysis = rollout.get("analysis", {})
    objects: list[dict[str, Any]] = []
    metrics = []
    for metric in analysis.get("metrics", []):
        item: dict[str, Any] = {"name": metric["name"], "interval": metric.get("interval", analysis.get("interval", "1m"))}
        bounds = {key: metric[key] for key in ("min", "max") if key in metric}
        if bounds:
            item["thresholdRange"] = bounds
        if "query" in metric:
            name = f"{target.app}-{metric['name']}"
            item["templateRef"] = {"name": name}
            objects.append(
                {
                    "apiVersion": FLAGGER_API,
                    "kind": "MetricTemplate",
                    "metadata": metadata(settings, target, name=name),
                    "spec": {
                        "provider": {"type": "prometheus", "address": analysis.get("prometheus", DEFAULT_PROMETHEUS)},
                        "query": target.substitute(metric["query"]),
                    },
                }
            )
        metrics.append(item)
    spec_analysis: dict[str, Any] = {"interval": analysis.get("interval", "1m"), "threshold": analysis.get("failureLimit", 5)}
    if rollout["strategy"] == "blueGreen":
        spec_analysis["iterations"] = rollout.get("iterations", 10)
    else:
        spec_analysis["maxWeight"] = rollout.get("maxWeight", 50)
        spec_analysis["stepWeight"] = rollout.get("stepWeight", 10)
    if metrics:
        spec_analysis["metrics"] = metrics
    if rollout.get("webhooks"):
        spec_analysis["webhooks"] = [_webhook(hook, target) for hook in rollout["webhooks"]]
    spec: dict[str, Any] = {}
    if "provider" in rollout:
        spec["provider"] = rollout["provider"]
    spec["targetRef"] = {"apiVersion": "apps/v1", "kind": "Deployment", "name": target.app}
    if ingress and rollout.get("provider") == "nginx":
        spec["ingressRef"] = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "name": target.app}
    if autoscaled:
        spec["autoscalerRef"] = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "name": target.app}
    if "progressDeadlineSeconds" in rollout:
        spec["progressDeadlineSeconds"] = rollout["progressDeadlineSeconds"]
    if port is not None:
        spec["service"] = port
        for key in ("gateways", "hosts"):
            if rollout.get(key):
                port[key] = [target.substitute(item) for item in rollout[key]]
    spec["analysis"] = spec_analysis
    canary = {"apiVersion": FLAGGER_API, "kind": "Canary", "metadata": metadata(settings, target), "spec": spec}
    return [*objects, canary]


def _webhook(hook: dict[str, Any], target: Target) -> dict[str, Any]:
    result: dict[str, Any] = {key: hook[key] for key in ("name", "type") if key in hook}
    result["url"] = target.substitute(hook["url"])
    if "timeout" in hook:
        result["timeout"] = hook["timeout"]
    if hook.get("metadata"):
        result["metadata"] = {key: target.substitute(value) for key, value in hook["metadata"].items()}
    return result
