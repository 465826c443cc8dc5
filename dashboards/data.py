"""How pages get their data: a fresh :class:`graph.views.Views` per request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from graph.config import Settings
from graph.store import open_store
from graph.views import Views

__all__ = ["views"]


@contextmanager
def views() -> Iterator[Views]:
    """Open the configured store for one request."""
    with open_store(Settings.from_env()) as store:
        yield Views(store)
