"""Login for the dashboard: required as soon as one account exists.

* No accounts: the dashboard serves one person on 127.0.0.1 (``tiegraph serve``
  refuses any other address) and that person sees everything.
* Accounts (``tiegraph user add NAME --role ROLE``): every request needs a
  session from ``/login`` (Flask-Login).  The cookie carries only a random
  token; the session and its account are re-read from the store on every
  request (:func:`graph.access.session_viewer`), so ``POST /logout``,
  ``tiegraph user remove`` and ``tiegraph user role`` take effect on the next
  request.  The cookie is signed with ``TIEGRAPH_SECRET`` or, unset, a secret
  generated once into ``TIEGRAPH_HOME/secret`` (mode 0600), which every worker
  of the install shares.  It is ``HttpOnly``, ``SameSite=Lax``, and ``Secure``
  with ``TIEGRAPH_HTTPS=true`` or when a trusted proxy
  (``TIEGRAPH_PROXY_HOPS``) says the request came over HTTPS.
* Sign-in is throttled per account and per client address
  (:func:`graph.access.sign_in`) and, per worker, at most 30 posts a minute
  per address (Flask-Limiter).  The form carries a CSRF token (Flask-WTF);
  every other POST (sign-out, Dash's callbacks) is refused when its
  ``Origin`` is another site, and ``SameSite=Lax`` keeps the cookie off
  cross-site posts anyway.
* Every response carries ``X-Frame-Options: DENY``, ``nosniff`` and a
  Content-Security-Policy (inline scripts only by their hashes).
* Behind a trusted reverse proxy that authenticates users, set
  ``TIEGRAPH_TRUSTED_HEADER`` (e.g. ``X-Remote-User``): the header names the
  account and no password is asked.  Only do this when the proxy strips the
  header from client requests.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from urllib.parse import urlencode, urlsplit

import flask
import flask_login
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboards.data import request_store
from graph.access import (
    LoginPolicy,
    Viewer,
    end_session,
    session_secret,
    session_viewer,
    sign_in,
    start_session,
    users_exist,
    viewer_for,
)
from graph.config import Settings
from graph.errors import StoreError, TiegraphError

__all__ = ["after_login", "csp", "current_viewer", "install"]

_OPEN = ("/login", "/logout", "/_dash-component-suites/", "/assets/", "/_favicon.ico", "/health")
_FORM = """<!doctype html><html><head><title>tiegraph: sign in</title>
<style>body{{font-family:sans-serif;max-width:22em;margin:4em auto}}input{{display:block;width:100%;margin:.4em 0 1em;padding:.4em}}
.err{{color:#b00}}</style></head><body><h1>tiegraph</h1><p>Sign in to see your network.</p>{error}
<form method="post" action="/login"><input type="hidden" name="csrf_token" value="{csrf}">
<input type="hidden" name="next" id="login-next" value="{next}">
<label>Name<input name="name" id="login-name" autofocus></label>
<label>Password<input name="password" id="login-password" type="password"></label>
<button type="submit" id="login-submit">Sign in</button></form></body></html>"""
_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class _Account(flask_login.UserMixin):
    """A signed-in session as Flask-Login sees it: the viewer now, and the session token."""

    def __init__(self, viewer: Viewer, token: str) -> None:
        self.viewer, self.token = viewer, token

    def get_id(self) -> str:
        return self.token


class _Cookies(SecureCookieSessionInterface):
    """Flask's signed cookie, ``Secure`` whenever the request came over HTTPS (directly or via a trusted proxy)."""

    def get_cookie_secure(self, app: flask.Flask) -> bool:
        if app.config["SESSION_COOKIE_SECURE"] or Settings.from_env().https:
            return True
        return flask.has_request_context() and flask.request.is_secure


def _accounts_exist() -> bool:
    try:
        with request_store() as store:
            return users_exist(store)
    except StoreError:
        return False


def current_viewer() -> Viewer:
    """The viewer of this request: the signed-in account, the proxy's user, or the local user."""
    if not flask.has_request_context():
        return Viewer.local()
    if "viewer" in flask.g:
        return flask.g.viewer
    settings = Settings.from_env()
    header = settings.trusted_header
    if header and flask.request.headers.get(header):
        with request_store() as store:
            v = viewer_for(store, flask.request.headers[header])
        if v is None:
            raise TiegraphError("the proxy named an account that does not exist")
    elif flask_login.current_user.is_authenticated:
        v = flask_login.current_user.viewer
    else:
        v = Viewer.local()
    flask.g.viewer = v
    return v


def _same_origin() -> bool:
    """Whether a state-changing request comes from this site (browsers send Origin with every POST)."""
    origin = flask.request.headers.get("Origin")
    if flask.request.headers.get("Sec-Fetch-Site") == "cross-site":
        return False
    if not origin:
        return True  # not a browser: it has to bring a session cookie anyway
    return urlsplit(origin).netloc == flask.request.host


def csp(hashes: list[str]) -> str:
    """The Content-Security-Policy: this site only, inline scripts by hash, no framing, no plugins."""
    scripts = " ".join(hashes)  # already quoted: 'sha256-...'

    return (
        f"default-src 'self'; script-src 'self' {scripts}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )


def _next() -> str:
    """The page asked for before the login form, carried through the form (escaped)."""
    return html.escape(flask.request.values.get("next", ""))


def after_login(asked: str, viewer: Viewer) -> str:
    """Where a login goes: the page and query that were asked for, else the viewer's own view.

    Only a path on this site is followed (``/intro-paths?from=...``), never another
    site (``//evil.example``, ``https://...``).  Without one (or for ``/``), leadership and admins
    land on the overview and everyone else on their own person page.
    """
    if asked.startswith("/") and asked != "/" and not asked.startswith(("//", "/\\")) and "\\" not in asked:
        return asked
    return "/" if viewer.is_leadership or not viewer.person else "/person"


def install(server: flask.Flask, script_hashes: Callable[[], Sequence[str]] = list) -> None:
    """Add sessions, the login routes, CSRF and Origin checks, security headers and the guard of every request."""
    settings = Settings.from_env()
    server.secret_key = session_secret(settings)
    server.session_interface = _Cookies()
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.https,
        PERMANENT_SESSION_LIFETIME=int(settings.session_max_days * 86400),
        WTF_CSRF_CHECK_DEFAULT=False,  # the login form checks it; logout and Dash callbacks get the Origin check
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session cookie
    )
    if settings.proxy_hops:
        hops = settings.proxy_hops
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    csrf = CSRFProtect(server)
    limiter = Limiter(get_remote_address, app=server, storage_uri="memory://", default_limits=[])
    logins = flask_login.LoginManager(server)
    logins.session_protection = "basic"
    policy: list[str] = []  # built on the first response, once every page has added its inline scripts

    @logins.user_loader
    def _load(token: str) -> _Account | None:
        try:
            with request_store() as store:
                viewer = session_viewer(store, token, Settings.from_env())
        except StoreError:
            return None
        return _Account(viewer, token) if viewer else None

    @server.before_request
    def _guard() -> flask.Response | None:
        path = flask.request.path
        if flask.request.method not in ("GET", "HEAD", "OPTIONS") and not _same_origin():
            return flask.Response("cross-site request refused", status=403)
        if path.startswith(_OPEN) or not _accounts_exist():
            return None
        header = Settings.from_env().trusted_header
        if header and flask.request.headers.get(header):
            return None
        if flask_login.current_user.is_authenticated:
            return None
        if path.startswith("/_dash"):
            return flask.Response("sign in first", status=401)
        asked = path + (f"?{flask.request.query_string.decode()}" if flask.request.query_string else "")
        return flask.redirect("/login" if asked == "/" else "/login?" + urlencode({"next": asked}))

    @server.after_request
    def _headers(response: flask.Response) -> flask.Response:
        response.headers.update(_HEADERS)
        if not policy:
            policy.append(csp(list(script_hashes())))
        response.headers["Content-Security-Policy"] = policy[0]
        if flask.request.path.startswith(("/login", "/logout")) or flask_login.current_user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
        return response

    @server.errorhandler(CSRFError)
    def _csrf_failed(exc: CSRFError) -> tuple[str, int]:
        return _FORM.format(
            error=f"<p class='err' id='login-error'>{html.escape(exc.description)} Try again.</p>",
            csrf=generate_csrf(),
            next=_next(),
        ), 400

    @server.route("/login", methods=["GET", "POST"])
    @limiter.limit("30 per minute", methods=["POST"])
    def _login() -> flask.Response | str | tuple[str, int, dict[str, str]]:
        if flask.request.method == "GET":
            return _FORM.format(error="", csrf=generate_csrf(), next=_next())
        csrf.protect()
        name = flask.request.form.get("name", "")
        password = flask.request.form.get("password", "")
        client = flask.request.remote_addr or "unknown"
        with request_store() as store:
            answer = sign_in(store, name, password, client, LoginPolicy.of(Settings.from_env()))
            token = start_session(store, answer.viewer) if answer.viewer else None
        if answer.retry_after > 0:
            wait = int(answer.retry_after) + 1
            error = f"<p class='err' id='login-error'>Too many failed sign-ins. Try again in {wait} s.</p>"
            return _FORM.format(error=error, csrf=generate_csrf(), next=_next()), 429, {"Retry-After": str(wait)}
        if answer.viewer is None or token is None:
            error = "<p class='err' id='login-error'>Wrong name or password.</p>"
            return (
                _FORM.format(error=error, csrf=generate_csrf(), next=_next()),
                200,
                {},
            )  # the form again, as browsers expect
        flask.session.clear()  # a new session: nothing from before sign-in survives (session fixation)
        flask.session.permanent = True
        flask_login.login_user(_Account(answer.viewer, token))
        return flask.redirect(after_login(flask.request.form.get("next", ""), answer.viewer))

    @server.route("/logout", methods=["POST"])
    def _logout() -> flask.Response:  # a POST from this site (the Origin check); SameSite=Lax keeps others' out
        user = flask_login.current_user
        if user.is_authenticated:
            with request_store() as store:
                end_session(store, user.token)
        flask_login.logout_user()
        flask.session.clear()
        return flask.redirect("/login")

    @server.route("/health")
    def _health() -> tuple[str, int]:
        try:
            with request_store() as store:
                store.ping()
        except StoreError as exc:
            return html.escape(str(exc)), 503
        return "ok", 200
