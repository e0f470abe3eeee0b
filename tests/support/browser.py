"""A real headless Chromium driven over the DevTools protocol (CDP), with a small websocket client.

Enough for tests of a static page: load a file, collect console messages, exceptions and every
request made, evaluate an expression, take a screenshot. Each browser gets a fresh profile and the
flags that keep it offline and quiet.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--remote-debugging-port=0", "--window-size=1400,1000"]
START_TIMEOUT = 60.0
LOAD_TIMEOUT = 60.0


def chromium_binary() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class PageLoad:
    console: list[dict[str, Any]] = field(default_factory=list)  # Runtime.consoleAPICalled and Log.entryAdded
    exceptions: list[dict[str, Any]] = field(default_factory=list)  # Runtime.exceptionThrown
    requests: list[str] = field(default_factory=list)  # every URL the page asked for

    @property
    def errors(self) -> list[str]:
        messages = [json.dumps(entry) for entry in self.exceptions]
        messages += [json.dumps(entry) for entry in self.console if entry.get("level") in ("error", "warning") or entry.get("type") in ("error", "warning", "assert")]
        return messages


class Page:
    def __init__(self, socket: Any) -> None:
        self.socket = socket
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def load(self, url: str) -> PageLoad:
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")
        self.events.clear()
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + LOAD_TIMEOUT
        while not any(event.get("method") == "Page.loadEventFired" for event in self.events):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not load in {LOAD_TIMEOUT} s")
            self.events.append(json.loads(self.socket.recv()))
        self.call("Runtime.evaluate", expression="1")  # let queued console events arrive
        result = PageLoad()
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled":
                result.console.append({"type": params.get("type"), "args": params.get("args")})
            elif method == "Log.entryAdded":
                result.console.append(params.get("entry", {}))
            elif method == "Runtime.exceptionThrown":
                result.exceptions.append(params.get("exceptionDetails", {}))
            elif method == "Network.requestWillBeSent":
                result.requests.append(params["request"]["url"])
        return result

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path) -> bytes:
        data = base64.b64decode(self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"])
        path.write_bytes(data)
        return data


@contextmanager
def chromium(binary: str) -> Iterator[Page]:
    """A fresh headless Chromium and its first page; everything is removed afterwards."""
    import websocket  # websocket-client

    with tempfile.TemporaryDirectory(prefix="gitopsgen-chromium-", ignore_cleanup_errors=True) as profile:
        process = subprocess.Popen([binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            port = _devtools_port(Path(profile), process)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
                targets = json.load(response)
            page_target = next(target for target in targets if target.get("type") == "page")
            socket = websocket.create_connection(page_target["webSocketDebuggerUrl"], timeout=LOAD_TIMEOUT, suppress_origin=True)
            try:
                yield Page(socket)
            finally:
                socket.close()
        finally:
            _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """End the browser and the helper processes it started (its own session, so its process group)."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        time.sleep(0.2)  # helpers leave with the browser
        return


def _devtools_port(profile: Path, process: subprocess.Popen) -> int:
    marker = profile / "DevToolsActivePort"
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"chromium exited with status {process.returncode} before it was ready")
        if marker.is_file() and marker.read_text().strip():
            return int(marker.read_text().split()[0])
        time.sleep(0.1)
    raise TimeoutError(f"chromium did not start in {START_TIMEOUT} s")
