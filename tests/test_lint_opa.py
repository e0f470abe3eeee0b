"""`gitopsgen lint --opa-url`: the OPA server backend, against a local server speaking OPA's REST API.

The double implements the endpoints the backend uses - GET /v1/policies, PUT /v1/policies/<id>,
PUT /v1/data/<path>, POST /v1/data/<path> - like an OPA 1.x server: it accepts Rego v1 only
(rejecting v0 with OPA's "`if` keyword is required" error) and evaluates with a real Rego engine.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import regorus
from click.testing import CliRunner

from generator.cli import cli

LINT = Path(__file__).parent / "fixtures" / "lint"


class OPAState:
    def __init__(self) -> None:
        self.policies: dict[str, str] = {}
        self.data: dict[str, Any] = {}
        self.requests: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    def compile_error(self, policy_id: str, text: str) -> dict[str, Any] | None:
        engine = regorus.Engine()
        try:
            engine.add_policy(policy_id, text)
            return None
        except RuntimeError as exc:
            message = str(exc).split("Stack backtrace:")[0].strip()
        try:
            engine.set_rego_v0(True)
            engine.add_policy(policy_id, text)
            message = "`if` keyword is required before rule body"
        except RuntimeError:
            pass
        row = int(message.split(":")[1]) if message.startswith("--> ") else 1
        return {
            "code": "invalid_parameter",
            "message": "error(s) occurred while compiling module(s)",
            "errors": [{"code": "rego_parse_error", "message": message.splitlines()[-1], "location": {"file": policy_id, "row": row, "col": 1}}],
        }

    def evaluate(self, path: str, input: Any) -> Any:
        engine = regorus.Engine()
        for policy_id, text in self.policies.items():
            engine.add_policy(policy_id, text)
        engine.add_data_json(json.dumps(self.data))
        engine.set_input_json(json.dumps(input))
        raw = engine.eval_rule_as_json("data." + path.replace("/", "."))
        return None if raw == '"<undefined>"' else json.loads(raw)


def handler_for(state: OPAState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _reply(self, status: int, body: Any = None) -> None:
            payload = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length", 0)))

        def _record(self) -> str:
            path = self.path.split("?")[0].rstrip("/")
            with state.lock:
                state.requests.append((self.command, path))
            return path

        def do_GET(self) -> None:
            path = self._record()
            if path == "/v1/policies":
                self._reply(200, {"result": [{"id": i, "raw": t} for i, t in state.policies.items()]})
            else:
                self._reply(404, {"code": "resource_not_found", "message": path})

        def do_PUT(self) -> None:
            path = self._record()
            body = self._body()
            if path.startswith("/v1/policies/"):
                policy_id, text = path.removeprefix("/v1/policies/"), body.decode()
                error = state.compile_error(policy_id, text)
                if error:
                    self._reply(400, error)
                    return
                with state.lock:
                    state.policies[policy_id] = text
                self._reply(200, {})
            elif path.startswith("/v1/data/"):
                *parents, leaf = path.removeprefix("/v1/data/").split("/")
                with state.lock:
                    node = state.data
                    for part in parents:
                        node = node.setdefault(part, {})
                    node[leaf] = json.loads(body)
                self._reply(204)
            else:
                self._reply(404, {"code": "resource_not_found", "message": path})

        def do_POST(self) -> None:
            path = self._record()
            if not path.startswith("/v1/data/"):
                self._reply(404, {"code": "resource_not_found", "message": path})
                return
            request = json.loads(self._body() or b"{}")
            try:
                result = state.evaluate(path.removeprefix("/v1/data/"), request.get("input"))
            except RuntimeError as exc:
                self._reply(500, {"code": "internal_error", "message": str(exc).splitlines()[0]})
                return
            self._reply(200, {} if result is None else {"result": result})

    return Handler


@pytest.fixture
def opa() -> Iterator[tuple[str, OPAState]]:
    state = OPAState()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", state
    finally:
        server.shutdown()
        server.server_close()


def lint(*args: str) -> tuple[int, list[dict], str]:
    result = CliRunner().invoke(cli, ["lint", "--output", "json", *args])
    if result.exit_code == 2:
        return 2, [], result.stderr
    return result.exit_code, [f for r in json.loads(result.stdout)["resources"] for f in r["findings"]], result.stderr


def test_server_backend_finds_exactly_what_the_embedded_engine_finds(opa: tuple[str, OPAState]) -> None:
    url, _ = opa
    manifests = [str(LINT / "seed"), str(LINT / "rules" / "fail" / "pdb-allows-disruption.yaml")]
    embedded = lint("--env", "prod", *manifests)
    served = lint("--env", "prod", "--opa-url", url, *manifests)
    assert served == embedded
    assert embedded[0] == 1 and len(embedded[1]) > 10
    assert {"run-as-non-root", "pdb-allows-disruption", "spread-prod"} <= {f["rule"] for f in served[1]}


def test_policies_are_loaded_once_and_each_batch_is_one_query(opa: tuple[str, OPAState]) -> None:
    url, state = opa
    lint("--opa-url", url, str(LINT / "seed"))
    puts = [path for method, path in state.requests if method == "PUT" and path.startswith("/v1/policies/")]
    posts = [path for method, path in state.requests if method == "POST"]
    builtin_modules = len(list((Path(__file__).parent.parent / "policies").rglob("*.rego"))) // 2
    assert len(puts) == len(set(puts)) == builtin_modules + 1  # every module once, plus the batch driver
    assert posts == ["/v1/data/gitopsgen_driver/results"]
    assert {path for method, path in state.requests if method == "PUT" and path.startswith("/v1/data/")} == {
        "/v1/data/inventory", "/v1/data/project", "/v1/data/duplicates",
    }


def test_preloaded_server_only_receives_the_driver(opa: tuple[str, OPAState]) -> None:
    url, state = opa
    lint("--opa-url", url, str(LINT / "seed"))  # stands in for a bundle already on the server
    state.requests.clear()
    code, findings, _ = lint("--opa-preloaded", "--opa-url", url, "--rule", "run-as-non-root", str(LINT / "seed"))
    assert code == 1 and [f["name"] for f in findings] == ["virtualagent-platform"]
    puts = [path for method, path in state.requests if method == "PUT" and path.startswith("/v1/policies/")]
    assert len(puts) == 1 and "driver" in puts[0]


def test_rego_v0_policies_are_upgraded_for_an_opa_1_server(opa: tuple[str, OPAState]) -> None:
    url, state = opa
    conftest = str(LINT / "conftest" / "v0")
    served = lint("--opa-url", url, "-p", conftest, str(LINT / "workloads.yaml"))
    assert served == lint("-p", conftest, str(LINT / "workloads.yaml"))
    uploaded = next(text for policy_id, text in state.policies.items() if "deny_latest" in policy_id)
    assert "deny contains msg if {" in uploaded


def test_policy_the_server_rejects_is_an_input_error(opa: tuple[str, OPAState], tmp_path: Path) -> None:
    url, _ = opa
    (tmp_path / "broken.rego").write_text("package broken\n\nimport rego.v1\n\ndeny contains msg if {\n\tmsg := \n}\n")
    code, _, err = lint("--opa-url", url, "-p", str(tmp_path), str(LINT / "seed"))
    assert code == 2
    assert err.startswith(f"error: {tmp_path / 'broken.rego'}:") and "OPA server rejected the policy" in err


def test_unreachable_server_is_an_input_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, _, err = lint("--opa-url", f"http://127.0.0.1:{port}", str(LINT / "seed"))
    assert code == 2
    assert err.strip() == f"error: cannot reach the OPA server at http://127.0.0.1:{port}; start it or drop --opa-url"


def test_opa_url_must_be_a_server_address() -> None:
    code, _, err = lint("--opa-url", "opa.internal:8181/v1", str(LINT / "seed"))
    assert code == 2 and "--opa-url must look like http://HOST:PORT" in err
