"""GitLab merge requests through python-gitlab (REST v4; ``gitops.forge.url`` is the instance URL)."""

from __future__ import annotations

from generator.publish.config import Forge
from generator.publish.forges import ForgeError, PullRequest
from generator.publish.redact import redact


def open_or_update(forge: Forge, token: str, head: str, base: str, title: str, body: str) -> PullRequest:
    import gitlab
    import requests

    client = gitlab.Gitlab(forge.url, private_token=token, timeout=30, retry_transient_errors=False)
    try:
        project = client.projects.get(forge.project, lazy=True)
        for request in project.mergerequests.list(state="opened", source_branch=head, target_branch=base, get_all=False):
            if request.title != title or (request.description or "") != body:
                request.title, request.description = title, body
                request.save()
            return PullRequest(request.iid, request.web_url, created=False)
        request = project.mergerequests.create(
            {"source_branch": head, "target_branch": base, "title": title, "description": body, "remove_source_branch": True}
        )
        return PullRequest(request.iid, request.web_url, created=True)
    except gitlab.GitlabError as exc:
        raise ForgeError(redact(f"GitLab merge request for {head} failed: HTTP {exc.response_code} {exc.error_message}", (token,))) from None
    except requests.RequestException as exc:
        raise ForgeError(redact(f"cannot reach GitLab at {forge.url}: {type(exc).__name__}", (token,))) from None
    finally:
        client.session.close()
