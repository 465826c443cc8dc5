"""Prefect's temporary API server, started before this process imports Prefect, while a command does its first work."""

from __future__ import annotations

import atexit
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["TemporaryAPI", "start_api"]

EXIT_PORT_TAKEN = 3  # uvicorn's exit status when its port is taken (Prefect retries on another port)


class TemporaryAPI:
    """Prefect's temporary server, launched the way Prefect launches it, but from the command's first line.

    With no ``PREFECT_API_URL``, Prefect starts a temporary server (uvicorn
    serving ``prefect.server.api.server:create_app``, its UI off) when the first
    flow run asks for a client, and waits for it: about 4.5 CPU s here, most of
    it the server importing Prefect. Prefect's own launcher
    (``SubprocessASGIServer``) lives in that same server module, so using it
    costs this process 2 s of imports before the subprocess even starts. Here
    the subprocess starts at once, with the same command and environment, and
    comes up on the other core while this process plans the run and loads the
    flow's modules. :meth:`use` then waits until it answers and points this
    process's Prefect at it (``PREFECT_API_URL``, seen by every thread and by
    Dask workers), unless the user configured an API URL of their own (a
    long-lived server, Prefect Cloud, in the environment or a Prefect profile):
    then the temporary server is stopped unused. It is stopped when the process
    exits, as Prefect stops its own.
    """

    def __init__(self) -> None:
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = self._launch()
        atexit.register(self.stop)

    @property
    def url(self) -> str:
        """The server's API address, as ``PREFECT_API_URL`` takes it."""
        return f"http://127.0.0.1:{self.port}/api"

    def _launch(self) -> subprocess.Popen[bytes]:
        env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
        return subprocess.Popen(
            [
                sys.executable,
                *("-m", "uvicorn", "--app-dir", str(_prefect_dir().parent)),
                *("--factory", "prefect.server.api.server:create_app"),
                *("--host", "127.0.0.1", "--port", str(self.port)),
                *("--log-level", "error", "--lifespan", "on"),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def use(self) -> None:
        """Wait until the server answers and make it this process's Prefect API, unless one is configured."""
        from prefect.context import refresh_global_settings_context
        from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS

        if PREFECT_API_URL.value():  # the user's own server: ours is not needed
            self.stop()
            return
        self._wait(float(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value()))
        os.environ["PREFECT_API_URL"] = self.url
        refresh_global_settings_context()

    def _wait(self, timeout: float) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        with httpx.Client() as client:
            while time.monotonic() < deadline:
                assert self.process is not None
                code = self.process.poll()
                if code == EXIT_PORT_TAKEN:  # another process took the port between our check and its bind
                    self.port = _free_port()
                    self.process = self._launch()
                elif code is not None:
                    err = self.process.stderr.read().decode(errors="replace") if self.process.stderr else ""
                    raise RuntimeError(f"Prefect's temporary server exited with status {code}: {err.strip()}")
                try:
                    if client.get(f"{self.url}/health").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"Prefect's temporary server did not answer within {timeout:.0f} s")

    def stop(self) -> None:
        """Stop the server, if it runs (at exit, or when a configured API makes it unneeded)."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


def start_api() -> TemporaryAPI | None:
    """Start Prefect's temporary server now, unless an API URL is set already.

    Set in the environment, or, when Prefect is loaded already (a test's
    harness, a notebook), in its settings.
    """
    if os.environ.get("PREFECT_API_URL"):
        return None
    if "prefect.settings" in sys.modules:
        from prefect.settings import PREFECT_API_URL

        if PREFECT_API_URL.value():
            return None
    return TemporaryAPI()


def _prefect_dir() -> Path:
    """Prefect's package folder, found without running its ``__init__`` (which imports most of Prefect)."""
    import importlib.util

    spec = importlib.util.find_spec("prefect")
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations)))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
