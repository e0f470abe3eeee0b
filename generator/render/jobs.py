"""Jobs and CronJobs of an app: migrations as Argo CD sync hooks, scheduled backups and checks.

A job runs the app's image, environment, volumes, service account and security defaults with its
own command; its pods carry ``app.kubernetes.io/name: <app>-<job>`` so that the app's Service,
PodDisruptionBudget and autoscaler never count them as the app's pods.
"""

from __future__ import annotations

from typing import Any

from generator.render.context import Target, common_labels, metadata
from generator.render.workload import pod_spec

HOOK_ANNOTATION = "argocd.argoproj.io/hook"
HOOK_DELETE_ANNOTATION = "argocd.argoproj.io/hook-delete-policy"
SYNC_WAVE_ANNOTATION = "argocd.argoproj.io/sync-wave"
POD_ONLY = ("ports", "probes", "autoscaling", "antiAffinity", "topologySpread", "strategy", "replicas", "sidecars", "initContainers", "lifecycle")
JOB_FIELDS = ("backoffLimit", "activeDeadlineSeconds", "ttlSecondsAfterFinished")
CRON_FIELDS = ("concurrencyPolicy", "successfulJobsHistoryLimit", "failedJobsHistoryLimit", "startingDeadlineSeconds", "suspend", "timeZone")


def job_name(app: str, job: dict[str, Any]) -> str:
    return f"{app}-{job['name']}"


def jobs(settings: dict[str, Any], target: Target) -> list[dict[str, Any]]:
    return [_job(settings, target, job) for job in settings.get("jobs", []) if job.get("enabled", True)]


def _job(settings: dict[str, Any], target: Target, job: dict[str, Any]) -> dict[str, Any]:
    name = job_name(target.app, job)
    job_settings = {key: value for key, value in settings.items() if key not in POD_ONLY}
    for key in ("command", "args", "resources", "env"):
        if key in job:
            job_settings[key] = job[key]
    if "image" in job:
        job_settings["image"] = dict(job["image"])
    pod = pod_spec(job_settings, target)
    pod["restartPolicy"] = job.get("restartPolicy", "Never")
    labels = {**common_labels(settings, target), "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": target.app}
    job_spec: dict[str, Any] = {key: job[key] for key in JOB_FIELDS if key in job}
    job_spec["template"] = {"metadata": {"labels": labels}, "spec": pod}
    annotations: dict[str, str] = {}
    if "hook" in job:
        annotations[HOOK_ANNOTATION] = job["hook"]
        annotations[HOOK_DELETE_ANNOTATION] = job.get("hookDeletePolicy", "BeforeHookCreation")
    if "syncWave" in job:
        annotations[SYNC_WAVE_ANNOTATION] = str(job["syncWave"])
    meta = metadata(settings, target, name=name, extra_annotations=annotations or None)
    if "schedule" not in job:
        return {"apiVersion": "batch/v1", "kind": "Job", "metadata": meta, "spec": job_spec}
    spec: dict[str, Any] = {"schedule": job["schedule"]}
    spec.update({key: job[key] for key in CRON_FIELDS if key in job})
    spec["jobTemplate"] = {"metadata": {"labels": labels}, "spec": job_spec}
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta, "spec": spec}
