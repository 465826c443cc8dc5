"""Login for the dashboard: required as soon as one account exists.

* No accounts: the dashboard serves one person on 127.0.0.1 (``tiegraph serve``
  refuses any other address) and that person sees everything.
* Accounts (``tiegraph user add NAME --role ROLE``): every request needs a
  signed session cookie from ``/login``; the signing secret is
  ``TIEGRAPH_SECRET`` (the server refuses to start without one).
* Behind a trusted reverse proxy that authenticates users, set
  ``TIEGRAPH_TRUSTED_HEADER`` (e.g. ``X-Remote-User``): the header names the
  account and no password is asked.  Only do this when the proxy strips the
  header from client requests.
"""

from __future__ import annotations

import html
import os

import flask

from graph.access import Viewer, authenticate, users_exist, viewer_for
from graph.config import Settings
from graph.errors import StoreError, TiegraphError
from graph.store import open_store

__all__ = ["current_viewer", "install"]

_OPEN = ("/login", "/logout", "/_dash-component-suites/", "/assets/", "/_favicon.ico", "/health")
_FORM = """<!doctype html><html><head><title>tiegraph: sign in</title>
<style>body{{font-family:sans-serif;max-width:22em;margin:4em auto}}input{{display:block;width:100%;margin:.4em 0 1em;padding:.4em}}
.err{{color:#b00}}</style></head><body><h1>tiegraph</h1><p>Sign in to see your network.</p>{error}
<form method="post" action="/login"><label>Name<input name="name" id="login-name" autofocus></label>
<label>Password<input name="password" id="login-password" type="password"></label>
<button type="submit" id="login-submit">Sign in</button></form></body></html>"""


def _accounts_exist() -> bool:
    try:
        with open_store(Settings.from_env()) as store:
            return users_exist(store)
    except StoreError:
        return False


def current_viewer() -> Viewer:
    """The viewer of this request: the signed-in account, the proxy's user, or the local user."""
    header = os.environ.get("TIEGRAPH_TRUSTED_HEADER")
    if header and flask.has_request_context() and flask.request.headers.get(header):
        with open_store(Settings.from_env()) as store:
            v = viewer_for(store, flask.request.headers[header])
        if v is None:
            raise TiegraphError("the proxy named an account that does not exist")
        return v
    if flask.has_request_context() and "user" in flask.session:
        s = flask.session
        from graph.access import Role

        return Viewer(s["user"], Role(s["role"]), s.get("person"))
    return Viewer.local()


def install(server: flask.Flask) -> None:
    """Add the login routes and the check that guards every other request."""
    server.secret_key = os.environ.get("TIEGRAPH_SECRET") or os.urandom(32)

    @server.before_request
    def _guard() -> flask.Response | None:
        path = flask.request.path
        if path.startswith(_OPEN) or not _accounts_exist():
            return None
        if os.environ.get("TIEGRAPH_TRUSTED_HEADER") and flask.request.headers.get(
            os.environ["TIEGRAPH_TRUSTED_HEADER"]
        ):
            return None
        if "user" in flask.session:
            return None
        if path.startswith("/_dash"):
            return flask.Response("sign in first", status=401)
        return flask.redirect("/login")

    @server.route("/login", methods=["GET", "POST"])
    def _login() -> flask.Response | str:
        if flask.request.method == "GET":
            return _FORM.format(error="")
        name = flask.request.form.get("name", "")
        with open_store(Settings.from_env()) as store:
            viewer = authenticate(store, name, flask.request.form.get("password", ""))
        if viewer is None:
            return _FORM.format(error="<p class='err' id='login-error'>Wrong name or password.</p>")
        flask.session.clear()
        flask.session.update(user=viewer.name, role=viewer.role.value, person=viewer.person)
        return flask.redirect("/")

    @server.route("/logout")
    def _logout() -> flask.Response:
        flask.session.clear()
        return flask.redirect("/login")

    @server.route("/health")
    def _health() -> tuple[str, int]:
        try:
            with open_store(Settings.from_env()) as store:
                store.ping()
        except StoreError as exc:
            return html.escape(str(exc)), 503
        return "ok", 200
