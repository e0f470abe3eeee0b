"""Pull requests on GitHub, GitLab and Gitea, against a local double speaking their REST APIs."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from support.forge_double import ForgeDouble
from test_publish import PROD_BY_PR, log, make_remote, make_request, remote_files, rendered_tree

from generator.publish.config import Forge
from generator.publish.publisher import PublishError, publish

TOKEN = "tok_9f8e7d6c5b4a3210"  # never a real token; distinctive so a leak is easy to spot
FORGES = ["github", "gitlab", "gitea"]
UPDATE_VERB = {"github": "PATCH", "gitlab": "PUT", "gitea": "PATCH"}


def prod_request(remote: Path, forge: ForgeDouble, image: str, token: str = TOKEN):
    return make_request(remote, rendered_tree({"ai-prism-api": image}), modes=dict(PROD_BY_PR), envs=["prod"],
                        forge=Forge(forge.kind, forge.url, "platform/gitops"), token=token)


@pytest.mark.parametrize("kind", FORGES)
def test_pull_request_is_opened_once_and_updated_on_the_next_run(kind: str, tmp_path: Path) -> None:
    remote = make_remote(tmp_path)
    publish(make_request(remote, rendered_tree({"ai-prism-api": "ai-prism/api:v2.1.0"})))  # all direct: main is live
    with ForgeDouble(kind, TOKEN, "platform/gitops") as forge:
        first = publish(prod_request(remote, forge, "ai-prism/api:v2.1.1"))
        first_body = forge.state.pulls[0]["body"]
        again = publish(prod_request(remote, forge, "ai-prism/api:v2.1.1"))
        branch_log = log(remote, "gitopsgen/prod/3f9c2a1")
        bumped = publish(prod_request(remote, forge, "ai-prism/api:v2.1.2"))

    assert first.steps[0].pull_request.created and first.steps[0].pull_request.number == 1
    assert again.steps[0].commit is None and not again.steps[0].pull_request.created and not again.changed
    assert log(remote, "gitopsgen/prod/3f9c2a1")[1:] == branch_log  # one more commit on the same branch
    assert bumped.steps[0].commit is not None and not bumped.steps[0].pull_request.created
    assert len(forge.state.calls("POST")) == 1 and len(forge.state.pulls) == 1
    assert len(forge.state.calls(UPDATE_VERB[kind])) == 1  # the unchanged second run did not rewrite the PR
    pull = forge.state.pulls[0]
    assert (pull["head"], pull["base"]) == ("gitopsgen/prod/3f9c2a1", "main")
    field = "`spec.template.spec.containers[name=ai-prism-api].image`"
    assert f"- {field}: `ai-prism/api:v2.1.0` → `ai-prism/api:v2.1.1`" in first_body
    assert f"- {field}: `ai-prism/api:v2.1.0` → `ai-prism/api:v2.1.2`" in pull["body"]
    assert "### prod" in pull["body"] and "### Checks" in pull["body"]
    assert "> Base changed: held for review with this pull request: ai-prism-api; their dev, staging changes" in pull["body"]
    assert "### dev" in pull["body"]  # the base is dev's too: dev's changes wait with it
    deployment = "apps/ai-prism-api/base/deployment.yaml"
    assert "ai-prism/api:v2.1.2" in remote_files(remote, "gitopsgen/prod/3f9c2a1")[deployment]
    assert "ai-prism/api:v2.1.0" in remote_files(remote)[deployment]  # main waits for the review


@pytest.mark.parametrize("kind", FORGES)
def test_token_is_sent_only_as_the_forge_expects(kind: str, tmp_path: Path) -> None:
    remote = make_remote(tmp_path)
    with ForgeDouble(kind, TOKEN, "platform/gitops") as forge:
        publish(prod_request(remote, forge, "ai-prism/api:v2.1.0"))

    for request in forge.state.requests:
        carried = {name.lower(): value for name, value in request.headers.items() if TOKEN in value}
        assert list(carried) == (["private-token"] if kind == "gitlab" else ["authorization"])
        assert TOKEN not in request.path and TOKEN not in str(request.query) and TOKEN not in str(request.body)


@pytest.mark.parametrize("kind", FORGES)
def test_rejected_token_never_appears_in_errors_or_logs(kind: str, tmp_path: Path, caplog, capsys) -> None:
    remote = make_remote(tmp_path)
    caplog.set_level(logging.DEBUG)
    wrong = "tok_wrong_0000_secret"
    with ForgeDouble(kind, TOKEN, "platform/gitops") as forge, pytest.raises(PublishError) as raised:
        publish(prod_request(remote, forge, "ai-prism/api:v2.1.0", token=wrong))

    message = str(raised.value)
    assert "401" in message and "re-run publish" in message
    captured = capsys.readouterr()
    for text in (message, repr(raised.value), caplog.text, captured.out, captured.err):
        assert wrong not in text
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def test_unreachable_forge_is_a_clear_error(tmp_path: Path) -> None:
    remote = make_remote(tmp_path)
    with ForgeDouble("gitea", TOKEN, "platform/gitops") as forge:
        url = forge.url
    request = make_request(remote, rendered_tree({"api": "api:1"}), modes=dict(PROD_BY_PR), envs=["prod"],
                           forge=Forge("gitea", url, "platform/gitops"), token=TOKEN)

    with pytest.raises(PublishError, match="cannot reach Gitea") as raised:
        publish(request)
    assert TOKEN not in str(raised.value)


@pytest.mark.parametrize(("kind", "user"), [("github", "x-access-token"), ("gitlab", "oauth2"), ("gitea", "gitopsgen")])
def test_git_over_https_carries_the_token_in_a_header_and_never_in_errors(kind: str, user: str, tmp_path: Path) -> None:
    import base64

    from generator.errors import InputError

    with ForgeDouble(kind, TOKEN, "platform/gitops") as forge:
        request = make_request(tmp_path, rendered_tree({"api": "api:1"}), repo_url=f"{forge.url}/platform/gitops.git",
                               modes=dict(PROD_BY_PR), forge=Forge(kind, forge.url, "platform/gitops"), token=TOKEN)
        with pytest.raises(InputError) as raised:  # the double is no git server: git fails after asking
            publish(request)

    (asked, *_) = [r for r in forge.state.requests if r.path.endswith("/info/refs")]
    expected = "Basic " + base64.b64encode(f"{user}:{TOKEN}".encode()).decode()
    assert {k.lower(): v for k, v in asked.headers.items()}["authorization"] == expected
    assert str(raised.value).startswith(f"cannot reach the GitOps repository {forge.url}/platform/gitops.git")
    assert TOKEN not in str(raised.value) and base64.b64encode(TOKEN.encode()).decode() not in str(raised.value)
