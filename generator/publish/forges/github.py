"""GitHub pull requests through PyGithub (REST v3; ``gitops.forge.url`` is the API base)."""

from __future__ import annotations

from generator.publish.config import Forge
from generator.publish.forges import ForgeError, PullRequest
from generator.publish.redact import redact


def open_or_update(forge: Forge, token: str, head: str, base: str, title: str, body: str) -> PullRequest:
    from github import Auth, Github, GithubException

    client = Github(base_url=forge.url, auth=Auth.Token(token), timeout=30, retry=None, lazy=True)
    owner = forge.project.split("/", 1)[0]
    try:
        repo = client.get_repo(forge.project)
        for pull in repo.get_pulls(state="open", head=f"{owner}:{head}", base=base):
            if pull.head.ref == head:
                if pull.title != title or (pull.body or "") != body:
                    pull.edit(title=title, body=body)
                return PullRequest(pull.number, pull.html_url, created=False)
        pull = repo.create_pull(title=title, body=body, head=head, base=base)
        return PullRequest(pull.number, pull.html_url, created=True)
    except GithubException as exc:
        message = exc.data.get("message", "") if isinstance(exc.data, dict) else ""
        raise ForgeError(redact(f"GitHub pull request for {head} failed: HTTP {exc.status} {message}".strip(), (token,))) from None
    except OSError as exc:
        raise ForgeError(redact(f"cannot reach GitHub at {forge.url}: {exc}", (token,))) from None
    finally:
        client.close()
