"""Prefect's temporary API server, started in the background while a command does its own first work."""

from __future__ import annotations

import threading
from collections.abc import Callable

__all__ = ["warm_api"]


def warm_api() -> Callable[[], None]:
    """Start Prefect's temporary API server now, in a thread; the returned call waits until it answers.

    With no ``PREFECT_API_URL`` set, Prefect starts its temporary server when the
    first flow run asks for a client and waits for it (6-9 s here, most of a
    small ingest). Started here, its subprocess comes up on the other core while
    this process imports the flow's modules and plans the run. The server is
    Prefect's own (``SubprocessASGIServer``, one per process): the flow run finds
    it running and uses it, and Prefect stops it when the process exits. With an
    API URL set (a long-lived server, Prefect Cloud) this does nothing.
    """
    from prefect.settings import PREFECT_API_URL

    if PREFECT_API_URL.value():
        return lambda: None
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()
    failed: list[BaseException] = []

    def start() -> None:
        try:
            server.start()
        except BaseException as exc:  # re-raised in the caller's thread by ready()
            failed.append(exc)

    thread = threading.Thread(target=start, name="prefect-api", daemon=True)
    thread.start()

    def ready() -> None:
        thread.join()
        if failed:
            raise failed[0]

    return ready
