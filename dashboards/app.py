"""The tiegraph dashboard: a Dash multi-page app (``dashboards/pages``)."""

from __future__ import annotations

from pathlib import Path

import dash
from dash import Dash, dcc, html

__all__ = ["create_app", "server"]


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
            for p in dash.page_registry.values()
        ],
        className="nav",
    )
    app.layout = html.Div([html.H1("tiegraph"), nav, dash.page_container], className="container")
    return app


app = create_app()
server = app.server
"""The WSGI entry point: ``gunicorn 'dashboards.app:server'``."""
