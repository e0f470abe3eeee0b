"""Gitea pull requests over plain HTTP (REST v1; ``gitops.forge.url`` is the instance URL)."""

from __future__ import annotations

from typing import Any

from generator.publish.config import Forge
from generator.publish.forges import ForgeError, PullRequest
from generator.publish.redact import redact

MAX_PAGES = 20
PAGE_SIZE = 50


def open_or_update(forge: Forge, token: str, head: str, base: str, title: str, body: str) -> PullRequest:
    import requests

    pulls = f"{forge.url}/api/v1/repos/{forge.project}/pulls"
    with requests.Session() as session:
        session.headers.update({"Authorization": f"token {token}", "Accept": "application/json"})
        try:
            existing = _find_open(session, pulls, head, base)
            if existing is not None:
                if existing.get("title") != title or (existing.get("body") or "") != body:
                    _call(session, "PATCH", f"{pulls}/{existing['number']}", {"title": title, "body": body})
                return PullRequest(existing["number"], existing.get("html_url", ""), created=False)
            created = _call(session, "POST", pulls, {"head": head, "base": base, "title": title, "body": body})
            return PullRequest(created["number"], created.get("html_url", ""), created=True)
        except ForgeError as exc:
            raise ForgeError(redact(str(exc), (token,))) from None
        except requests.RequestException as exc:
            raise ForgeError(redact(f"cannot reach Gitea at {forge.url}: {type(exc).__name__}", (token,))) from None


def _find_open(session: Any, pulls: str, head: str, base: str) -> dict | None:
    for page in range(1, MAX_PAGES + 1):
        batch = _call(session, "GET", pulls, params={"state": "open", "page": page, "limit": PAGE_SIZE})
        for pull in batch:
            if pull.get("head", {}).get("ref") == head and pull.get("base", {}).get("ref") == base:
                return pull
        if len(batch) < PAGE_SIZE:
            return None
    return None


def _call(session: Any, method: str, url: str, payload: dict | None = None, params: dict | None = None) -> Any:
    response = session.request(method, url, json=payload, params=params, timeout=30)
    if response.status_code >= 400:
        try:
            message = response.json().get("message", "")
        except ValueError:
            message = response.text[:200]
        raise ForgeError(f"Gitea {method} {url} failed: HTTP {response.status_code} {message}".strip())
    return response.json()
