"""The tiegraph dashboard: a Dash multi-page app (``dashboards/pages``).

Importing this module builds nothing: ``app`` and ``server`` are built on
first use, so a process (a test, say) can set ``TIEGRAPH_HOME`` first and
build exactly one app with :func:`create_app`.  Building a second app in the
same process registers every page callback twice.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import dash
from dash import Dash, dcc, html

__all__ = ["app", "create_app", "server"]  # noqa: F822 - app and server come from __getattr__


def create_app() -> Dash:
    """Build the app; pages register themselves from ``dashboards/pages``."""
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder=str(Path(__file__).parent / "pages"),
        title="tiegraph",
        suppress_callback_exceptions=True,
    )
    nav = html.Nav(
        [
            dcc.Link(p["name"], href=p["relative_path"], className="nav-link", id=f"nav-{p['module'].split('.')[-1]}")
            for p in sorted(dash.page_registry.values(), key=lambda p: (p.get("order") is None, p.get("order") or 0))
        ],
        className="nav",
    )
    app.layout = html.Div(
        [html.Header([html.Span("tiegraph", className="brand"), nav], className="topbar"), dash.page_container],
        className="container",
    )
    return app


@cache
def _default() -> Dash:
    return create_app()


def __getattr__(name: str) -> object:
    """``app`` and ``server`` (the WSGI entry point: ``gunicorn 'dashboards.app:server'``), built once on first use."""
    if name == "app":
        return _default()
    if name == "server":
        return _default().server
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
