"""Monitoring objects: the ServiceMonitor, the PrometheusRule of alerting/recording rules, Grafana dashboards."""

from __future__ import annotations

import json
from typing import Any

from generator.render.context import Target, metadata, selector_labels

DASHBOARD_LABEL = "grafana_dashboard"
FOLDER_ANNOTATION = "grafana_folder"


def service_monitor(settings: dict[str, Any], target: Target) -> dict[str, Any] | None:
    monitor = settings.get("monitoring", {}).get("serviceMonitor")
    if not monitor:
        return None
    endpoint = {"port": monitor["port"], "path": monitor.get("path", "/metrics")}
    for key in ("interval", "scrapeTimeout"):
        if key in monitor:
            endpoint[key] = monitor[key]
    spec = {"selector": {"matchLabels": selector_labels(target.app)}, "endpoints": [endpoint]}
    meta = metadata(settings, target, extra_labels=monitor.get("labels"))
    return {"apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor", "metadata": meta, "spec": spec}


def prometheus_rule(settings: dict[str, Any], target: Target) -> dict[str, Any] | None:
    monitoring = settings.get("monitoring", {})
    if not monitoring.get("rules"):
        return None
    rules = [_rule(rule, target) for rule in monitoring["rules"]]
    meta = metadata(settings, target, extra_labels=monitoring.get("ruleLabels"))
    spec = {"groups": [{"name": target.app, "rules": rules}]}
    return {"apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule", "metadata": meta, "spec": spec}


def _rule(rule: dict[str, Any], target: Target) -> dict[str, Any]:
    if "record" in rule:
        result: dict[str, Any] = {"record": rule["record"], "expr": target.substitute(rule["expr"])}
        if rule.get("labels"):
            result["labels"] = dict(rule["labels"])
        return result
    result = {"alert": rule["alert"], "expr": target.substitute(rule["expr"])}
    if "for" in rule:
        result["for"] = rule["for"]
    result["labels"] = {**rule.get("labels", {}), "severity": rule["severity"]}
    annotations = dict(rule.get("annotations", {}))
    for key, annotation in (("summary", "summary"), ("description", "description"), ("runbook", "runbook_url")):
        if key in rule:
            annotations[annotation] = target.substitute(rule[key])
    if annotations:
        result["annotations"] = annotations
    return result


def dashboards(settings: dict[str, Any], target: Target) -> list[dict[str, Any]]:
    result = []
    for board in settings.get("monitoring", {}).get("dashboards", []):
        extra = {FOLDER_ANNOTATION: board["folder"]} if "folder" in board else None
        meta = metadata(settings, target, name=board["name"], extra_labels={DASHBOARD_LABEL: "1"}, extra_annotations=extra)
        text = json.dumps(board["dashboard"], indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        result.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": {f"{board['name']}.json": text}})
    return result
