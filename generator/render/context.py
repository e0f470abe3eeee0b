"""What a rendering is for: one app in one environment, or the environment-independent base."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

ENV_LABEL = "gitopsgen.io/environment"
TEAM_LABEL = "gitopsgen.io/team"
OWNER_ANNOTATION = "gitopsgen.io/owner"
ALLOW_PRUNE_ANNOTATION = "gitopsgen.io/allow-auto-prune"
_ENV_PLACEHOLDER = re.compile(r"\{(env|domain)\}")


class NeedsEnvironment(Exception):
    """Raised while rendering the base for a value that only exists per environment."""


@dataclass(frozen=True)
class Target:
    """``env`` names the environment the values come from (None for the base).

    ``namespace`` and ``env_label`` are what Kustomize's namespace and labels transformers add;
    they are left out when rendering the objects an overlay patches.
    """

    app: str
    env: str | None
    domain: str | None = None
    namespace: str | None = None
    env_label: str | None = None

    def substitute(self, text: str) -> str:
        """Fill {app}, {env} and {domain}; the base has no environment, so such values are per-env objects."""
        if self.env is None and _ENV_PLACEHOLDER.search(text):
            raise NeedsEnvironment(text)
        if "{domain}" in text and not self.domain:
            raise NeedsEnvironment(text)
        return text.replace("{app}", self.app).replace("{env}", self.env or "").replace("{domain}", self.domain or "")


def selector_labels(app: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": app}


def common_labels(settings: dict[str, Any], target: Target) -> dict[str, str]:
    labels = {**selector_labels(target.app), "app.kubernetes.io/managed-by": "gitopsgen"}
    if "team" in settings:
        labels[TEAM_LABEL] = settings["team"]
    labels.update(settings.get("labels", {}))
    if target.env_label:
        labels[ENV_LABEL] = target.env_label
    return labels


def metadata(
    settings: dict[str, Any],
    target: Target,
    name: str | None = None,
    extra_labels: dict[str, str] | None = None,
    extra_annotations: dict[str, str] | None = None,
) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name or target.app}
    if target.namespace:
        meta["namespace"] = target.namespace
    meta["labels"] = {**common_labels(settings, target), **(extra_labels or {})}
    annotations = dict(settings.get("annotations", {}))
    if "owner" in settings:
        annotations[OWNER_ANNOTATION] = settings["owner"]
    annotations.update(extra_annotations or {})
    if annotations:
        meta["annotations"] = annotations
    return meta
