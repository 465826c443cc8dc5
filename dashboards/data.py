"""How pages get their data: a fresh :class:`graph.views.Views` per request, seen as the signed-in viewer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from dashboards.auth import current_viewer
from graph.config import Settings
from graph.store import open_store
from graph.views import Views

__all__ = ["views"]


@contextmanager
def views() -> Iterator[Views]:
    """Open the configured store for one request, as the viewer of that request."""
    with open_store(Settings.from_env()) as store:
        yield Views(store, current_viewer())
