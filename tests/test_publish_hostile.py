"""publish under attack and under races: foreign files claimed by a hand-edited ownership file,
a stale checkout publishing after a newer one, two clones publishing different apps at once.

Real git throughout: a bare repository for the project's sources, clones of it for the
publishers, and a bare GitOps repository.
"""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from test_publish import git, make_remote, make_request, push_commit, remote_files, rendered_tree

from generator.errors import InputError
from generator.publish.message import Source
from generator.publish.publisher import publish
from generator.publish.sources import history_of


def test_an_ownership_file_cannot_make_publish_delete_or_overwrite_another_teams_files(tmp_path: Path) -> None:
    remote = make_remote(tmp_path)
    publish(make_request(remote, rendered_tree({"api": "api:1", "web": "web:1"})))
    owned = json.loads(remote_files(remote)[".gitopsgen/owned/dev.json"])
    foreign = {"argocd/dev/teamx-app.yaml": "kind: Application  # team x's, by hand\n",
               "apps/teamx/README.md": "team x runbook\n"}
    # someone merges an ownership file that claims team x's files
    claimed = json.dumps(sorted(owned + list(foreign)), indent=2) + "\n"
    push_commit(remote, tmp_path / "human", {**foreign, ".gitopsgen/owned/dev.json": claimed}, "team x + bad merge")

    publish(make_request(remote, rendered_tree({"api": "api:2"})))  # web is gone: its files go, nothing else

    files = remote_files(remote)
    assert {path: files[path] for path in foreign} == foreign
    assert "apps/web/base/deployment.yaml" not in files and "argocd/dev/web.yaml" not in files
    assert "image: api:2" in files["apps/api/base/deployment.yaml"]
    assert not set(foreign) & set(json.loads(files[".gitopsgen/owned/dev.json"]))


def test_a_claimed_foreign_file_at_a_path_gitopsgen_wants_is_refused_not_overwritten(tmp_path: Path) -> None:
    remote = make_remote(tmp_path)
    publish(make_request(remote, rendered_tree({"api": "api:1"})))
    owned = json.loads(remote_files(remote)[".gitopsgen/owned/dev.json"])
    push_commit(remote, tmp_path / "human", {
        "argocd/dev/web.yaml": "# team x's Application\n",
        ".gitopsgen/owned/dev.json": json.dumps(sorted(owned + ["argocd/dev/web.yaml"])) + "\n"}, "claim")

    with pytest.raises(InputError, match="refusing to overwrite argocd/dev/web.yaml"):
        publish(make_request(remote, rendered_tree({"api": "api:1", "web": "web:1"})))
    assert remote_files(remote)["argocd/dev/web.yaml"] == "# team x's Application\n"


# --- source history: no silent rollback, concurrent publishers merge per app ---------------------


def source_repos(tmp_path: Path) -> tuple[Path, Path, Path, str]:
    """A bare source repository with one commit, and two clones of it (two people's checkouts)."""
    origin = tmp_path / "services.git"
    git("init", "--quiet", "--bare", "--initial-branch=main", str(origin))
    seed = tmp_path / "sources-seed"
    git("clone", "--quiet", str(origin), str(seed))
    base = _commit(seed, "blueprints.txt", "api v1, web v1\n")
    git("push", "--quiet", "origin", "HEAD:main", cwd=seed)
    clones = []
    for name in ("alice", "bob"):
        clone = tmp_path / name
        git("clone", "--quiet", str(origin), str(clone))
        clones.append(clone)
    return origin, clones[0], clones[1], base


def _commit(clone: Path, name: str, text: str) -> str:
    (clone / name).write_text(text)
    git("add", name, cwd=clone)
    git("commit", "--quiet", "-m", f"edit {name}", cwd=clone)
    return git("rev-parse", "HEAD", cwd=clone).strip()


def request_from(remote: Path, clone: Path, commit: str, tree: dict[str, str], **overrides):  # type: ignore[no-untyped-def]
    source = Source(name="services", commit=commit)
    return make_request(remote, tree, source=source, history=history_of(clone, commit), **overrides)


def test_a_stale_checkout_cannot_roll_back_what_a_newer_commit_published(tmp_path: Path) -> None:
    remote = make_remote(tmp_path)
    _, alice, _, base = source_repos(tmp_path)
    publish(request_from(remote, alice, base, rendered_tree({"api": "api:v8.0.0"})))
    newer = _commit(alice, "blueprints.txt", "api v8.0.1\n")
    publish(request_from(remote, alice, newer, rendered_tree({"api": "api:v8.0.1"})))

    with pytest.raises(InputError, match=r"refusing to roll back api in shared: .* newer than this checkout"):
        publish(request_from(remote, alice, base, rendered_tree({"api": "api:v8.0.0"})))
    assert "image: api:v8.0.1" in remote_files(remote)["apps/api/base/deployment.yaml"]

    publish(request_from(remote, alice, base, rendered_tree({"api": "api:v8.0.0"}), allow_rollback=True))
    files = remote_files(remote)
    assert "image: api:v8.0.0" in files["apps/api/base/deployment.yaml"]
    assert json.loads(files[".gitopsgen/sources/shared.json"])["api"] == base


def _two_publishers(tmp_path: Path) -> tuple[Path, Path, str, Path, str]:
    """api and web published from the base commit; then alice commits for api and bob, without her commit, for web."""
    remote = make_remote(tmp_path)
    _, alice, bob, base = source_repos(tmp_path)
    publish(request_from(remote, alice, base, rendered_tree({"api": "api:1", "web": "web:1"})))
    return remote, alice, _commit(alice, "api.txt", "api 2\n"), bob, _commit(bob, "web.txt", "web 2\n")


def test_two_clones_publishing_different_apps_both_land(tmp_path: Path) -> None:
    remote, alice, alice_commit, bob, bob_commit = _two_publishers(tmp_path)

    # alice publishes first; bob's checkout does not have her commit, so his render still says api:1
    publish(request_from(remote, alice, alice_commit, rendered_tree({"api": "api:2", "web": "web:1"})))
    result = publish(request_from(remote, bob, bob_commit, rendered_tree({"api": "api:1", "web": "web:2"})))

    files = remote_files(remote)
    assert "image: api:2" in files["apps/api/base/deployment.yaml"]  # alice's change survived
    assert "image: web:2" in files["apps/web/base/deployment.yaml"]  # bob's landed
    assert any("left api in shared as published from source commit " + alice_commit[:12] in note for note in result.notes)
    records = json.loads(files[".gitopsgen/sources/shared.json"])
    assert records == {"api": alice_commit, "web": bob_commit}


def test_concurrent_publishers_race_on_the_push_and_both_apps_land(tmp_path: Path) -> None:
    """Both fetch the same tip, both compute their changes; whoever pushes second retries on the new tip."""
    remote, alice, alice_commit, bob, bob_commit = _two_publishers(tmp_path)
    both_computed = threading.Barrier(2, timeout=60)
    waited: set[int] = set()

    def wait_for_the_other(branch: str) -> None:
        if threading.get_ident() not in waited:  # the retry after a rejected push comes here again: go on
            waited.add(threading.get_ident())
            both_computed.wait()

    requests = [
        request_from(remote, alice, alice_commit, rendered_tree({"api": "api:2", "web": "web:1"}), before_push=wait_for_the_other),
        request_from(remote, bob, bob_commit, rendered_tree({"api": "api:1", "web": "web:2"}), before_push=wait_for_the_other),
    ]
    errors: list[BaseException] = []

    def run(request) -> None:  # type: ignore[no-untyped-def]
        try:
            publish(request)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(request,)) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    both_computed.abort()

    assert errors == []
    files = remote_files(remote)
    assert "image: api:2" in files["apps/api/base/deployment.yaml"]
    assert "image: web:2" in files["apps/web/base/deployment.yaml"]
    assert json.loads(files[".gitopsgen/sources/shared.json"]) == {"api": alice_commit, "web": bob_commit}


def test_without_history_publish_behaves_as_before(tmp_path: Path) -> None:
    """Outside a git checkout there is no history to compare with: nothing is held, nothing refused."""
    remote = make_remote(tmp_path)
    publish(make_request(remote, rendered_tree({"api": "api:2"})))
    publish(replace(make_request(remote, rendered_tree({"api": "api:1"})), history=None))
    assert "image: api:1" in remote_files(remote)["apps/api/base/deployment.yaml"]


# --- secrets in messages -----------------------------------------------------------------------------


@pytest.mark.parametrize("shown", [
    "ghp_Tok3n/with+odd=chars",  # as is
    "ghp_Tok3n%2Fwith%2Bodd%3Dchars",  # URL-encoded
    "ghp_Tok3n/with%2Bodd%3Dchars",  # URL-encoded, slashes kept
])
def test_a_token_is_redacted_as_is_and_url_encoded(shown: str) -> None:
    from generator.publish.redact import redact

    assert redact(f"fatal: unable to access https://git.example.com/?t={shown}: 403", ["ghp_Tok3n/with+odd=chars"]) \
        == "fatal: unable to access https://git.example.com/?t=***: 403"


@pytest.mark.parametrize("prefix", [b"", b"x", b"xy", b"x-access-token:", b"Authorization: Basic "])
def test_a_token_is_redacted_in_base64_whatever_precedes_it(prefix: bytes) -> None:
    import base64

    from generator.publish.redact import redact

    token = "ghp_abcdefghijklmnopqrstuvwxyz0123"
    encoded = base64.b64encode(prefix + token.encode() + b"\n").decode()
    redacted = redact(f"header: {encoded}", [token])
    assert encoded not in redacted and "***" in redacted
    middle = base64.b64encode(token.encode()).decode()[4:-4]
    assert middle not in redacted


@pytest.mark.parametrize(("path", "content", "message"), [
    (".gitopsgen/owned/dev.json", "[not json\n", "ownership file in the GitOps repo is not valid JSON"),
    (".gitopsgen/owned/dev.json", '{"apps/api": true}\n', "ownership file must be a JSON list of paths"),
    (".gitopsgen/sources/dev.json", '["api"]\n', "source record must be a JSON mapping of app to commit"),
])
def test_a_broken_record_in_the_gitops_repo_stops_publish_naming_it(tmp_path: Path, path: str, content: str,
                                                                     message: str) -> None:
    remote = make_remote(tmp_path)
    publish(make_request(remote, rendered_tree({"api": "api:1"})))
    push_commit(remote, tmp_path / "human", {path: content}, "hand edit")
    before = remote_files(remote)

    with pytest.raises(InputError, match=message) as raised:
        publish(make_request(remote, rendered_tree({"api": "api:2"})))

    assert raised.value.path == path
    assert remote_files(remote) == before
