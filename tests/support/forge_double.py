"""A local HTTP double of the GitHub, GitLab and Gitea pull-request endpoints gitopsgen uses.

It speaks the real wire protocol (paths, verbs, JSON shapes, auth headers) on 127.0.0.1 with an
ephemeral port, serves from a thread, keeps pull requests in memory, records every request and
refuses requests without the expected token (401). Bounded: it stops after ``max_requests``.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


@dataclass
class ForgeState:
    token: str
    project: str  # owner/repo
    pulls: list[dict] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    max_requests: int = 200

    def calls(self, method: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method]


class ForgeDouble:
    """``with ForgeDouble("github", token, "org/gitops") as forge: forge.url ...``"""

    def __init__(self, kind: str, token: str, project: str) -> None:
        self.kind = kind
        self.state = ForgeState(token=token, project=project)
        handler = type("Handler", (_Handler,), {"state": self.state, "kind": kind})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> ForgeDouble:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    state: ForgeState
    kind: str

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def _dispatch(self, method: str) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        if body is None and raw == b"" and self.headers.get("Content-Type", "").startswith("application/x-www-form"):
            body = {}
        record = Recorded(method, parts.path, parse_qs(parts.query), dict(self.headers.items()), body)
        self.state.requests.append(record)
        if len(self.state.requests) > self.state.max_requests:
            return self._send(429, {"message": "request budget of the test double exhausted"})
        if not self._authorised():
            return self._send(401, {"message": "Bad credentials"})
        route = getattr(self, f"_{self.kind}")
        status, payload = route(method, unquote(parts.path), record)
        self._send(status, payload)

    def _authorised(self) -> bool:
        token = self.state.token
        if self.kind == "gitlab":
            return self.headers.get("PRIVATE-TOKEN") == token
        expected = {"github": (f"token {token}", f"Bearer {token}"), "gitea": (f"token {token}",)}[self.kind]
        return self.headers.get("Authorization") in expected

    def _send(self, status: int, payload: Any) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    # --- GitHub REST v3 -------------------------------------------------------------------------
    def _github(self, method: str, path: str, record: Recorded) -> tuple[int, Any]:
        base = f"/repos/{self.state.project}"
        owner = self.state.project.split("/")[0]
        if method == "GET" and path == base:
            return 200, {"full_name": self.state.project, "url": self._abs(base), "name": self.state.project.split("/")[1]}
        if path == f"{base}/pulls" and method == "GET":
            query = {k: v[0] for k, v in record.query.items()}
            pulls = [self._github_pull(p) for p in self.state.pulls if p["state"] == query.get("state", "open")
                     and (not query.get("head") or query["head"] == f"{owner}:{p['head']}")
                     and (not query.get("base") or query["base"] == p["base"])]
            return 200, pulls
        if path == f"{base}/pulls" and method == "POST":
            data = record.body or {}
            if any(p["head"] == data["head"] and p["state"] == "open" for p in self.state.pulls):
                return 422, {"message": "Validation Failed", "errors": [{"message": "A pull request already exists"}]}
            pull = self._new_pull(data["head"], data["base"], data["title"], data.get("body", ""))
            return 201, self._github_pull(pull)
        if path.startswith(f"{base}/pulls/") and method == "PATCH":
            pull = self._pull(int(path.rsplit("/", 1)[1]))
            pull.update({k: v for k, v in (record.body or {}).items() if k in ("title", "body")})
            return 200, self._github_pull(pull)
        return 404, {"message": "Not Found"}

    def _github_pull(self, pull: dict) -> dict:
        number = pull["number"]
        return {"number": number, "state": pull["state"], "title": pull["title"], "body": pull["body"],
                "url": self._abs(f"/repos/{self.state.project}/pulls/{number}"),
                "html_url": f"https://github.example/{self.state.project}/pull/{number}",
                "head": {"ref": pull["head"], "label": f"{self.state.project.split('/')[0]}:{pull['head']}"},
                "base": {"ref": pull["base"]}}

    # --- GitLab REST v4 -------------------------------------------------------------------------
    def _gitlab(self, method: str, path: str, record: Recorded) -> tuple[int, Any]:
        base = f"/api/v4/projects/{self.state.project}/merge_requests"
        if path == base and method == "GET":
            query = {k: v[0] for k, v in record.query.items()}
            state = {"opened": "open"}.get(query.get("state", "opened"), query.get("state"))
            found = [self._gitlab_mr(p) for p in self.state.pulls if p["state"] == state
                     and query.get("source_branch", p["head"]) == p["head"]
                     and query.get("target_branch", p["base"]) == p["base"]]
            return 200, found
        if path == base and method == "POST":
            data = record.body or {}
            if any(p["head"] == data["source_branch"] and p["state"] == "open" for p in self.state.pulls):
                return 409, {"message": ["Another open merge request already exists for this source branch"]}
            pull = self._new_pull(data["source_branch"], data["target_branch"], data["title"], data.get("description", ""))
            return 201, self._gitlab_mr(pull)
        if path.startswith(base + "/") and method == "PUT":
            pull = self._pull(int(path.rsplit("/", 1)[1]))
            data = record.body or {}
            pull.update({"title": data.get("title", pull["title"]), "body": data.get("description", pull["body"])})
            return 200, self._gitlab_mr(pull)
        return 404, {"message": "404 Not Found"}

    def _gitlab_mr(self, pull: dict) -> dict:
        return {"id": 1000 + pull["number"], "iid": pull["number"], "project_id": 7, "title": pull["title"],
                "description": pull["body"], "state": "opened" if pull["state"] == "open" else pull["state"],
                "source_branch": pull["head"], "target_branch": pull["base"],
                "web_url": f"https://gitlab.example/{self.state.project}/-/merge_requests/{pull['number']}"}

    # --- Gitea REST v1 --------------------------------------------------------------------------
    def _gitea(self, method: str, path: str, record: Recorded) -> tuple[int, Any]:
        base = f"/api/v1/repos/{self.state.project}/pulls"
        if path == base and method == "GET":
            query = {k: v[0] for k, v in record.query.items()}
            page, limit = int(query.get("page", 1)), int(query.get("limit", 30))
            open_pulls = [self._gitea_pull(p) for p in self.state.pulls if p["state"] == query.get("state", "open")]
            return 200, open_pulls[(page - 1) * limit: page * limit]
        if path == base and method == "POST":
            data = record.body or {}
            if any(p["head"] == data["head"] and p["state"] == "open" for p in self.state.pulls):
                return 409, {"message": "pull request already exists for these targets"}
            pull = self._new_pull(data["head"], data["base"], data["title"], data.get("body", ""))
            return 201, self._gitea_pull(pull)
        if path.startswith(base + "/") and method == "PATCH":
            pull = self._pull(int(path.rsplit("/", 1)[1]))
            pull.update({k: v for k, v in (record.body or {}).items() if k in ("title", "body")})
            return 201, self._gitea_pull(pull)
        return 404, {"message": "The target couldn't be found."}

    def _gitea_pull(self, pull: dict) -> dict:
        return {"id": 500 + pull["number"], "number": pull["number"], "title": pull["title"], "body": pull["body"],
                "state": pull["state"], "head": {"ref": pull["head"]}, "base": {"ref": pull["base"]},
                "html_url": f"https://gitea.example/{self.state.project}/pulls/{pull['number']}"}

    # --- shared ---------------------------------------------------------------------------------
    def _new_pull(self, head: str, base: str, title: str, body: str) -> dict:
        pull = {"number": len(self.state.pulls) + 1, "head": head, "base": base, "title": title, "body": body,
                "state": "open"}
        self.state.pulls.append(pull)
        return pull

    def _pull(self, number: int) -> dict:
        return next(p for p in self.state.pulls if p["number"] == number)

    def _abs(self, path: str) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{path}"
