"""The tiegraph dashboard: a Dash multi-page app (``dashboards/pages``).

Importing this module builds nothing: ``app`` and ``server`` are built on
first use, so a process (a test, say) can set ``TIEGRAPH_HOME`` first and
build exactly one app with :func:`create_app`.  Building a second app in the
same process registers every page callback twice.

Login (:mod:`dashboards.auth`) is required as soon as one account exists; the
nav then says who is signed in and offers the pages their role opens (a page
registered with ``audience="leadership"`` or ``"admin"``; each page checks
again, through :class:`graph.views.Views`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import dash
from dash import Dash, dcc, html

from dashboards.auth import current_viewer, install
from graph.access import Role, Viewer
from graph.errors import TiegraphError

__all__ = ["app", "create_app", "serve_layout", "server"]  # noqa: F822 - app and server come from __getattr__


def create_app() -> Dash:
    """Build the app; pages register themselves from ``dashboards/pages``; login guards it once accounts exist."""
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder=str(Path(__file__).parent / "pages"),
        title="tiegraph",
        suppress_callback_exceptions=True,
    )
    app.layout = serve_layout
    install(app.server, app.csp_hashes)
    return app


def serve_layout() -> html.Div:
    """The frame of every page, built per visit: the nav shows the pages the viewer's role opens."""
    viewer = _viewer()
    pages = sorted(dash.page_registry.values(), key=lambda p: (p.get("order") is None, p.get("order") or 0))
    nav = html.Nav(
        [
            dcc.Link(p["name"], href=p["relative_path"], className="nav-link", id=f"nav-{p['module'].split('.')[-1]}")
            for p in pages
            if _opens(viewer, p.get("audience"))
        ],
        className="nav",
    )
    header = [html.Span("tiegraph", className="brand"), nav]
    if viewer is not None and viewer != Viewer.local():
        header.append(
            html.Span(
                [
                    "signed in as ",
                    html.B(viewer.name),
                    f" ({viewer.role}) · ",
                    html.Form(  # a POST: a link or an image elsewhere cannot sign anyone out
                        [html.Button("sign out", type="submit", id="nav-sign-out", className="link-button")],
                        method="post",
                        action="/logout",
                        style={"display": "inline"},
                    ),
                ],
                className="signed-in",
                id="nav-user",
            )
        )
    return html.Div([html.Header(header, className="topbar"), dash.page_container], className="container")


def _viewer() -> Viewer | None:
    try:
        return current_viewer()
    except TiegraphError:  # a proxy's account the store cannot confirm: the pages say why
        return None


def _opens(viewer: Viewer | None, audience: str | None) -> bool:
    """Whether the nav offers a page to this viewer (the page itself still checks)."""
    if audience is None or viewer is None:
        return True
    return viewer.is_leadership if audience == "leadership" else viewer.role == Role.ADMIN


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
