"""The PolicyEngine interface over an OPA server's REST API (``--opa-url``), via opa-python-client.

``load`` uploads every module with ``PUT /v1/policies/<id>`` (with ``--opa-preloaded`` only the
batch driver: the server's bundle already holds the policies). ``evaluate`` writes the batch's
data documents with ``PUT /v1/data/<name>`` when they change and queries with
``POST /v1/data/<path>`` and ``{"input": ...}`` - one request per batch.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from generator.errors import InputError
from generator.lint.checks import Module
from generator.lint.driver import DRIVER_PACKAGE

_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


class OPAServerEngine:
    def __init__(self, url: str, preloaded: bool = False, timeout: float = 60.0) -> None:
        from opa_client import OpaClient

        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
            raise InputError(f"--opa-url must look like http://HOST:PORT, not {url!r}")
        port = parts.port or (443 if parts.scheme == "https" else 8181)
        self.url = f"{parts.scheme}://{parts.hostname}:{port}"
        self.preloaded = preloaded
        self.client = OpaClient(host=parts.hostname, port=port, ssl=parts.scheme == "https", timeout=timeout, retries=0)
        self._data: dict[str, str] = {}

    def load(self, modules: Sequence[Module]) -> None:
        from opa_client.errors import ConnectionsError

        try:
            self.client.check_connection()
        except ConnectionsError:
            raise InputError(f"cannot reach the OPA server at {self.url}; start it or drop --opa-url") from None
        for module in modules:
            if self.preloaded and module.package != DRIVER_PACKAGE:
                continue
            self._upload(module)

    def _upload(self, module: Module) -> None:
        import requests

        try:
            self.client.update_policy_from_string(module.text, policy_id(module))
        except requests.RequestException as exc:
            raise InputError(f"OPA server at {self.url} failed: {exc}") from None
        except Exception as exc:  # opa-python-client raises its own types for rejected policies
            errors = getattr(exc, "errors", None) or [{}]
            message = errors[0].get("message") or getattr(exc, "message", None) or str(exc)
            row = (errors[0].get("location") or {}).get("row")
            raise InputError(f"OPA server rejected the policy: {_first_line(str(message))}", module.path, row) from None

    def evaluate(self, query: str, input: Any, data: dict[str, Any]) -> Any:
        import requests

        try:
            for name, value in data.items():
                encoded = json.dumps(value, sort_keys=True)
                if self._data.get(name) != encoded:
                    self.client.update_or_create_data(value, name)
                    self._data[name] = encoded
            package, _, rule = query.removeprefix("data.").rpartition(".")
            response = self.client.query_rule(input, package.replace(".", "/"), rule)
        except requests.RequestException as exc:
            raise InputError(f"OPA server at {self.url} failed: {_first_line(str(exc))}") from None
        return response.get("result")

    def close(self) -> None:
        self.client.close_connection()


def policy_id(module: Module) -> str:
    """A stable policy id from the module's path (OPA ids may not contain every character)."""
    digest = hashlib.sha1(module.path.encode()).hexdigest()[:8]
    return f"gitopsgen/{_ID_UNSAFE.sub('_', module.path.strip('/<>'))[-80:]}-{digest}"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "unknown error"
