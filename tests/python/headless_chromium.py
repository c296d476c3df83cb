"""Render a page in headless Chromium (Debian's `chromium`) through the DevTools protocol: wait for
the load event, collect console errors and uncaught exceptions, evaluate an expression."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
    "--remote-allow-origins=*",
)
INSTALL_HINT = "install it with `make chromium` (apt-get install -y chromium, as root)"


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class Rendering:
    loaded: bool
    errors: list[str] = field(default_factory=list)
    value: Any = None


def _devtools_port(profile: Path, process: subprocess.Popen[bytes], timeout: float) -> int:
    marker = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if marker.exists():
            lines = marker.read_text().splitlines()
            if lines and lines[0].strip().isdigit():
                return int(lines[0])
        if process.poll() is not None:
            raise RuntimeError(f"chromium exited with {process.returncode} before opening DevTools")
        time.sleep(0.1)
    raise RuntimeError("chromium did not open its DevTools port")


def render(url: str, expression: str, timeout: float = 90.0) -> Rendering:
    """Open url in a fresh headless Chromium, wait for the load event, evaluate expression (its
    JSON-serialisable value is returned) and report console errors and exceptions seen meanwhile."""
    import websocket

    binary = find_chromium()
    if binary is None:
        raise RuntimeError(f"chromium not found: {INSTALL_HINT}")
    # Chromium's helper processes (zygote, crashpad) outlive the browser process and keep writing
    # to the profile for a moment: run them in their own process group, stop the whole group, and
    # do not let a late write into the throw-away profile fail the caller.
    with tempfile.TemporaryDirectory(prefix="leadscore-chromium-", ignore_cleanup_errors=True) as profile_dir:
        profile = Path(profile_dir)
        process = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        try:
            port = _devtools_port(profile, process, timeout)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=timeout) as response:
                targets = json.load(response)
            page = next(target for target in targets if target.get("type") == "page")
            socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=timeout, suppress_origin=True)
            try:
                return _drive(socket, url, expression, timeout)
            finally:
                socket.close()
        finally:
            _stop_group(process)


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    """Terminate the browser and every helper it started, then wait until the group is gone."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            continue
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)


def _drive(socket: Any, url: str, expression: str, timeout: float) -> Rendering:
    counter = 0

    def send(method: str, params: dict[str, Any] | None = None) -> int:
        nonlocal counter
        counter += 1
        socket.send(json.dumps({"id": counter, "method": method, "params": params or {}}))
        return counter

    rendering = Rendering(loaded=False)

    def note(message: dict[str, Any]) -> None:
        method = message.get("method")
        params = message.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            description = details.get("exception", {}).get("description", "")
            rendering.errors.append(f"exception: {details.get('text')} {description}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            rendering.errors.append("console: " + " ".join(str(arg.get("value", arg.get("description")))
                                                           for arg in params.get("args", [])))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            rendering.errors.append(f"log: {entry.get('text')} {entry.get('url', '')}")
        elif method == "Page.loadEventFired":
            rendering.loaded = True

    def wait_for(message_id: int) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = json.loads(socket.recv())
            if message.get("id") == message_id:
                return message
            note(message)
        raise TimeoutError(f"no DevTools answer to message {message_id}")

    for method in ("Runtime.enable", "Log.enable", "Page.enable"):
        wait_for(send(method))
    wait_for(send("Page.navigate", {"url": url}))
    deadline = time.monotonic() + timeout
    while not rendering.loaded and time.monotonic() < deadline:
        note(json.loads(socket.recv()))
    answer = wait_for(send("Runtime.evaluate", {"expression": expression, "returnByValue": True}))
    result = answer.get("result", {})
    if "exceptionDetails" in result:
        rendering.errors.append(f"evaluate: {result['exceptionDetails'].get('text')}")
    rendering.value = result.get("result", {}).get("value")
    return rendering
