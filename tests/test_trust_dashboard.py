"""The served dashboard under attack (issue 16): replayed cookies, guessed passwords, CSRF, framing, headers.

Requests go through the real Flask/Dash app of the test session (``dash_app``) with Werkzeug's test client
over a private copy of the dashboard's store (``dashboard_env``); the browser test drives headless Chromium.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from playwright.sync_api import Page, expect
from test_dashboard import Console
from typer.testing import CliRunner

from graph.access import add_user
from graph.config import Settings
from graph.store import open_store

PASSWORD = "correct horse battery"
FORM_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def accounts(dashboard_env: Path) -> Path:
    with open_store(Settings.from_env()) as store:
        add_user(store, "paul", "leadership", PASSWORD)
        add_user(store, "adam", "admin", PASSWORD)
    return dashboard_env


def sign_in(client: FlaskClient, name: str, password: str = PASSWORD, **request: object):  # noqa: ANN201 - a response
    token = FORM_TOKEN.search(client.get("/login", **request).text).group(1)  # type: ignore[union-attr]
    return client.post("/login", data={"name": name, "password": password, "csrf_token": token}, **request)


def cookie_of(client: FlaskClient) -> str:
    found = client.get_cookie("session")
    assert found is not None
    return found.value


def replay(dash_app, cookie: str):  # noqa: ANN001, ANN201 - the app, a response
    """The same cookie from another client (an attacker who copied it)."""
    other = dash_app.server.test_client()
    other.set_cookie("session", cookie)
    return other.get("/_dash-layout")


def cli(*args: str) -> None:
    from pipelines.cli import app

    done = CliRunner().invoke(app, list(args))
    assert done.exit_code == 0, done.output


def test_cookie_replayed_after_logout_is_refused(dash_app, accounts: Path) -> None:  # noqa: ANN001
    c = dash_app.server.test_client()
    assert sign_in(c, "paul").status_code == 302
    cookie = cookie_of(c)
    layout = c.get("/_dash-layout")
    assert layout.status_code == 200 and "signed in as " in layout.text
    assert replay(dash_app, cookie).status_code == 200  # the copy works while the session lives
    assert c.get("/logout").status_code != 302 and replay(dash_app, cookie).status_code == 200  # a GET signs no one out
    assert '"action":"\\u002flogout","method":"post"' in layout.text  # the nav's sign-out form
    assert c.post("/logout").status_code == 302
    assert replay(dash_app, cookie).status_code == 401
    assert c.get("/").status_code == 302


def test_cookie_of_a_removed_account_is_refused(dash_app, accounts: Path) -> None:  # noqa: ANN001
    c = dash_app.server.test_client()
    sign_in(c, "paul")
    cookie = cookie_of(c)
    assert replay(dash_app, cookie).status_code == 200
    cli("user", "remove", "paul")
    assert replay(dash_app, cookie).status_code == 401  # the very next request


def test_cookie_of_a_demoted_account_gets_the_new_role(dash_app, accounts: Path) -> None:  # noqa: ANN001
    c = dash_app.server.test_client()
    sign_in(c, "paul")
    cookie = cookie_of(c)
    assert "(leadership)" in replay(dash_app, cookie).text
    cli("user", "role", "paul", "resident", "--person", "Ana Ruiz")
    layout = replay(dash_app, cookie).text
    assert "(resident)" in layout and "(leadership)" not in layout  # the very next request


def test_sixth_wrong_password_is_throttled_and_audited(dash_app, accounts: Path) -> None:  # noqa: ANN001
    c = dash_app.server.test_client()
    codes = [sign_in(c, "adam", f"guess number {i}").status_code for i in range(5)]
    assert codes == [200] * 5  # the form again, saying "Wrong name or password."
    sixth = sign_in(c, "adam", PASSWORD)  # even the right password waits
    assert sixth.status_code == 429 and 1 <= int(sixth.headers["Retry-After"]) <= 31
    assert "Too many failed sign-ins" in sixth.text and c.get_cookie("session") is not None
    assert c.get("/_dash-layout").status_code == 401
    with open_store(Settings.from_env()) as store:
        log = store.frame("audit")
    assert (log["action"] == "login failed").sum() == 5 and (log["action"] == "login throttled").sum() == 1
    assert set(log["subject"]) == {"adam"} and set(log["who"]) == {"client 127.0.0.1"}


def test_login_form_needs_its_csrf_token(dash_app, accounts: Path) -> None:  # noqa: ANN001
    c = dash_app.server.test_client()
    c.get("/login")
    refused = c.post("/login", data={"name": "paul", "password": PASSWORD})
    assert refused.status_code == 400 and "CSRF" in refused.text
    forged = c.post("/login", data={"name": "paul", "password": PASSWORD, "csrf_token": "forged"})
    assert forged.status_code == 400
    assert sign_in(c, "paul").status_code == 302


def test_callbacks_from_another_site_are_refused(dash_app, accounts: Path) -> None:  # noqa: ANN001
    c = dash_app.server.test_client()
    sign_in(c, "paul")
    body = {"output": "x.children", "outputs": {"id": "x", "property": "children"}, "inputs": [], "changedPropIds": []}
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        assert c.post("/_dash-update-component", json=body, headers=headers).status_code == 403
    assert c.post("/logout", headers={"Origin": "https://evil.example"}).status_code == 403
    assert c.get("/_dash-layout").status_code == 200  # still signed in


HEADERS = {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}


def test_security_headers_on_every_response(dash_app, accounts: Path) -> None:  # noqa: ANN001
    c = dash_app.server.test_client()
    anonymous = [c.get("/login"), c.get("/"), c.get("/_dash-layout"), c.get("/health"), c.get("/no-such-page")]
    sign_in(c, "adam")
    index = c.get("/")
    scripts = re.findall(r'src="([^"]+\.js[^"]*)"', index.text)
    signed = [index, c.get("/_dash-layout"), c.get("/_dash-dependencies"), c.get(scripts[0]), c.get("/alumni")]
    assert [r.status_code for r in anonymous] == [200, 302, 401, 200, 302]
    assert [r.status_code for r in signed] == [200, 200, 200, 200, 200]
    for r in anonymous + signed:
        assert {k: r.headers.get(k) for k in HEADERS} == HEADERS
        policy = r.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy and "object-src 'none'" in policy
        assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert index.headers["Cache-Control"] == "no-store"


def test_session_cookie_flags(dash_app, accounts: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    plain = sign_in(dash_app.server.test_client(), "paul").headers["Set-Cookie"]
    assert "HttpOnly" in plain and "SameSite=Lax" in plain and "Secure" not in plain
    tls = {
        "base_url": "https://localhost",
        "headers": {"Referer": "https://localhost/login"},
    }  # Flask-WTF checks it on TLS
    over_tls = sign_in(dash_app.server.test_client(), "paul", **tls).headers["Set-Cookie"]
    assert "Secure" in over_tls and "SameSite=Lax" in over_tls
    monkeypatch.setenv("TIEGRAPH_HTTPS", "true")  # TLS ends at a proxy that does not say so
    assert "Secure" in sign_in(dash_app.server.test_client(), "paul").headers["Set-Cookie"]


@pytest.mark.browser
def test_pages_under_the_csp_in_chromium_and_no_framing(  # noqa: ANN001
    accounts: Path, live_server: str, page: Page
) -> None:
    console = Console(page)
    page.goto(live_server + "/login")
    page.fill("#login-name", "adam")
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    expect(page).to_have_url(live_server + "/")
    for path, ready in [
        ("/", "#overview-network canvas"),
        ("/intro-paths", "#intro-paths-from"),
        ("/mentorship", "#mentorship-table td"),
        ("/alumni", "#alumni-programs td"),
        ("/person?id=Ana+Ruiz", "#person-ties td"),
        ("/data", "#data-review"),
    ]:
        response = page.goto(live_server + path)
        assert response is not None and "frame-ancestors 'none'" in response.headers["content-security-policy"]
        expect(page.locator(ready).first).to_be_visible()
    console.assert_clean()  # no CSP violation, no failed script: the app works under its policy
    page.locator("#nav-sign-out").click()
    expect(page).to_have_url(live_server + "/login")

    refused = re.compile(r"frame-ancestors|X-Frame-Options")
    with page.expect_console_message(lambda m: bool(refused.search(m.text))) as message:
        page.set_content(f'<iframe id="framed" src="{live_server}/login"></iframe>')  # clickjacking
    assert "frame-ancestors" in message.value.text and "blocked" in message.value.text
    expect(page.frame_locator("#framed").locator("#login-name")).to_have_count(0)
