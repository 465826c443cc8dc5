"""Shared fixtures: both stores (a real Neo4j server for one), Prefect's test harness, small data."""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

# Browser assertions wait for readiness: each passes as soon as the page shows what it asserts, and only a page
# that never does fails.  Playwright's 5 s default failed on a loaded machine (the alumni page under load 12-20).
from playwright.sync_api import expect  # noqa: E402

from graph.config import Settings  # noqa: E402
from graph.store import Store, open_store  # noqa: E402
from graph.store.neo4j_store import Neo4jStore  # noqa: E402
from graph.store.sqlite_store import SqliteStore  # noqa: E402
from pipelines import neo4j_server  # noqa: E402

expect.set_options(timeout=60_000)

DATA = Path(__file__).parent / "data"
REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
STORES = ["sqlite", "neo4j"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def neo4j_server_info(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A real Neo4j 5 server with Graph Data Science: NEO4J_URI/NEO4J_PASSWORD if given, else one started here.

    It is never skipped: if it cannot start, every Neo4j test fails with the reason.  Startup with
    GDS polls Bolt for up to 600 s (a loaded 2-core machine can take minutes).
    """
    uri, password = os.environ.get("TIEGRAPH_TEST_NEO4J_URI"), os.environ.get("NEO4J_PASSWORD")
    if uri and password:
        yield uri, password
        return
    home = tmp_path_factory.mktemp("neo4j")
    password = "test-" + secrets.token_hex(8)
    info = neo4j_server.start(home, port=_free_port(), password=password, wait_s=600, gds=True)
    try:
        yield info.uri, password
    finally:
        neo4j_server.stop(home)


@pytest.fixture(scope="session")
def neo4j_session_store(neo4j_server_info: tuple[str, str]) -> Iterator[Neo4jStore]:
    uri, password = neo4j_server_info
    store = Neo4jStore(uri, "neo4j", password)
    yield store
    store.close()


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Each store in turn, empty."""
    if request.param == "sqlite":
        s = SqliteStore(tmp_path / "tiegraph.db")
        yield s
        s.close()
    else:
        s = request.getfixturevalue("neo4j_session_store")
        s.clear()
        yield s


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh TIEGRAPH_HOME (embedded store, quarantine, aliases)."""
    h = tmp_path / "home"
    monkeypatch.setenv("TIEGRAPH_HOME", str(h))
    monkeypatch.setenv("TIEGRAPH_STORE", "embedded")
    return h


@pytest.fixture(params=["embedded", "neo4j"])
def configured(
    request: pytest.FixtureRequest, home: Path, monkeypatch: pytest.MonkeyPatch, prefect_harness: None
) -> str:
    """Environment pointing the flows and the CLI at one store, emptied."""
    if request.param == "neo4j":
        uri, password = request.getfixturevalue("neo4j_server_info")
        monkeypatch.setenv("TIEGRAPH_STORE", "neo4j")
        monkeypatch.setenv("NEO4J_URI", uri)
        monkeypatch.setenv("NEO4J_PASSWORD", password)
    with open_store(Settings.from_env()) as s:
        s.clear()
    return request.param


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """Prefect flows run for real against a temporary local server."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


# -- dashboard: a store filled by the real flows, the app on a live server, headless Chromium ---------------
from types import ModuleType  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from dash import Dash

CHROMIUM = Path(os.environ.get("TIEGRAPH_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DASHBOARD_TODAY = "2026-11-25"
"""The day the dashboard fixture is analysed as of, so tie strengths do not drift with the clock."""


def _filled_home(root: Path, *extra: Path) -> Path:
    """Run the real ingest and analyze flows on the dashboard's input (plus the CSVs of ``extra`` folders)."""
    import shutil
    from datetime import date

    from pipelines.analyze_flow import analyze
    from pipelines.ingest_flow import ingest_path

    folder = root / "input"
    folder.mkdir()
    shutil.copy(DATA / "contacts_small.csv", folder / "contacts.csv")
    for source in (DATA / "dashboard", *extra):
        for f in sorted(source.glob("*.csv")):
            shutil.copy(f, folder / f.name)
    home = root / "home"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TIEGRAPH_HOME", str(home))
        mp.setenv("TIEGRAPH_STORE", "embedded")
        ingest_path(folder)
        analyze(today=date.fromisoformat(DASHBOARD_TODAY))
    return home


@pytest.fixture(scope="session")
def dashboard_home(tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> Iterator[Path]:
    """A TIEGRAPH_HOME whose embedded store the real ingest and analyze flows filled.

    Input: ``contacts_small.csv`` (as ``contacts.csv``, with its one bad date) and the
    roster, alumni and extra contacts of ``tests/data/dashboard``.  The result has an
    institution with a Gastroenterology fellowship, a quarantined row and one match
    ("D. Patel") in the review queue.  Tests that change it use ``dashboard_env``.
    """
    yield _filled_home(tmp_path_factory.mktemp("dashboard"))


@pytest.fixture(scope="session")
def mentored_home(tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> Iterator[Path]:
    """``dashboard_home`` plus declared mentors (``tests/data/dashboard_mentorship``).

    Ana Ruiz (PGY2, Gastroenterology) has a clinical (Ben Okafor), a research/QI
    (Chloe Zhang) and a career mentor (Devika Patel, the PD) and no sponsor; Dev
    Patel (PGY1) a clinical mentor only (Hana Sato); Eli Cohen (PGY3) a clinical
    mentor (Grace Kim) and a sponsor (Devika Patel).  Mentorship adds to tie
    strength, so the warm-intro oracles stay on ``dashboard_home``.
    """
    yield _filled_home(tmp_path_factory.mktemp("mentored"), DATA / "dashboard_mentorship")


@pytest.fixture(scope="session")
def intro_home(tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> Iterator[Path]:
    """``dashboard_home`` plus ``tests/data/dashboard_intro``, for finding people and diverse paths.

    Walter Brooks (PGY1 resident) and the alum Alice Walters (cardiologist at
    Riverside Regional Medical Center, a name with "gi" inside a word); two Gene
    Chens (a PGY3 resident and an alum hospitalist at Riverside Regional); Ana
    Ruiz reaches Alice only through Hana Sato, by way of Eli Cohen or Walter Brooks.
    """
    yield _filled_home(tmp_path_factory.mktemp("intro"), DATA / "dashboard_intro")


@pytest.fixture
def intro_env(intro_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of ``intro_home``, set as TIEGRAPH_HOME for one test (the live server reads it too)."""
    import shutil

    home = tmp_path / "home"
    shutil.copytree(intro_home, home)
    monkeypatch.setenv("TIEGRAPH_HOME", str(home))
    monkeypatch.setenv("TIEGRAPH_STORE", "embedded")
    return home


@pytest.fixture
def dashboard_env(dashboard_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of ``dashboard_home``, set as TIEGRAPH_HOME for one test (the live server reads it too)."""
    import shutil

    home = tmp_path / "home"
    shutil.copytree(dashboard_home, home)
    monkeypatch.setenv("TIEGRAPH_HOME", str(home))
    monkeypatch.setenv("TIEGRAPH_STORE", "embedded")
    return home


@pytest.fixture
def mentored_env(mentored_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of ``mentored_home``, set as TIEGRAPH_HOME for one test (the live server reads it too)."""
    import shutil

    home = tmp_path / "home"
    shutil.copytree(mentored_home, home)
    monkeypatch.setenv("TIEGRAPH_HOME", str(home))
    monkeypatch.setenv("TIEGRAPH_STORE", "embedded")
    return home


@pytest.fixture
def empty_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A TIEGRAPH_HOME with nothing ingested."""
    home = tmp_path / "empty-home"
    monkeypatch.setenv("TIEGRAPH_HOME", str(home))
    monkeypatch.setenv("TIEGRAPH_STORE", "embedded")
    return home


@pytest.fixture
def unreachable_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The Neo4j store configured at a port where nothing listens."""
    uri = f"bolt://127.0.0.1:{_free_port()}"
    monkeypatch.setenv("TIEGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TIEGRAPH_STORE", "neo4j")
    monkeypatch.setenv("NEO4J_URI", uri)
    monkeypatch.setenv("NEO4J_PASSWORD", "unused")
    return uri


TEST_SECRET = "test-secret-" + secrets.token_hex(16)
"""TIEGRAPH_SECRET of the test session's app: it signs the login cookie (read once, when the app is built)."""


@pytest.fixture(scope="session")
def dash_app(dashboard_home: Path) -> Dash:
    """The one app of the test session (a second would register every page callback twice)."""
    from dashboards.app import create_app

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TIEGRAPH_SECRET", TEST_SECRET)
        return create_app()


@pytest.fixture(scope="session")
def pages(dash_app: Dash) -> dict[str, ModuleType]:
    """Page modules by file name, as Dash loaded them (importing them again would register them twice)."""
    import sys

    import dash

    return {p["module"].split(".")[-1]: sys.modules[p["module"]] for p in dash.page_registry.values()}


@pytest.fixture(scope="session")
def live_server(dash_app: Dash) -> Iterator[str]:
    """The dashboard on 127.0.0.1 (a free port) in a daemon thread; yields its base URL."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, dash_app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="dash-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright launches Debian's Chromium; never skipped: a missing Chromium fails loudly."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not at {CHROMIUM}: `apt-get install -y chromium chromium-driver`, "
            "or set TIEGRAPH_TEST_CHROMIUM to its path",
            pytrace=False,
        )
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture
def targets_store() -> Iterator[Store]:
    """Two institutions with people, one without; fellowship programs; an opted-out person; no ties.

    For what a warm intro can aim at: program, institution, specialty or person.
    """
    from graph.model import Affiliation, Institution, Person, Program

    s = SqliteStore(":memory:")
    s.upsert(
        "institution",
        [
            Institution(id="i-north", name="Northfield University Hospital"),
            Institution(id="i-lake", name="Lakeside Medical Center"),
            Institution(id="i-none", name="Nowhere Clinic"),
        ],
    )
    s.upsert(
        "program",
        [
            Program(
                id="g-gi",
                name="Gastroenterology fellowship at Northfield University Hospital",
                institution_id="i-north",
                specialty="Gastroenterology",
            ),
            Program(
                id="g-ho",
                name="Hematology/Oncology fellowship at Lakeside Medical Center",
                institution_id="i-lake",
                specialty="Hematology/Oncology",
            ),
            Program(
                id="g-im",
                name="Internal Medicine residency at Lakeside Medical Center",
                institution_id="i-lake",
                specialty="Internal Medicine",
                level="residency",
            ),
        ],
    )
    lake, north = {"institution_id": "i-lake"}, {"institution_id": "i-north"}
    s.upsert(
        "person",
        [
            Person(id="p-ana", name="Ana Ruiz", kind="resident", pgy=2, specialty="Gastroenterology", **lake),
            Person(id="p-dev", name="Dev Patel", kind="resident", pgy=1, specialty="Cardiology", **lake),
            Person(id="p-ben", name="Ben Okafor", kind="faculty", role="APD", specialty="Gastroenterology", **lake),
            Person(id="p-chl", name="Chloe Zhang", kind="alumnus", specialty="Gastroenterology", **north),
            Person(id="p-hank", name="Hank Moss", kind="faculty", specialty="Hematology/Oncology", **lake),
            Person(id="p-olga", name="Olga Berg", kind="faculty", specialty="Pulmonary/Critical Care", opted_out=True),
            Person(id="p-out", name="Sam Quinn", kind="external"),
        ],
    )
    s.upsert("affiliation", [Affiliation(id="a-1", person="p-chl", program="g-gi", role="faculty")])
    yield s
    s.close()
