"""The mentorship, alumni and person pages, login and roles, a store that goes down, and gunicorn.

Callbacks first as plain functions, then in headless Chromium (screenshots and load
times as in ``test_dashboard.py``).  The data: ``mentored_home`` in conftest.py, the
dashboard's input plus declared mentors.  Who is who (by hand, from the input files):

* Ana Ruiz, PGY2, Gastroenterology: clinical Ben Okafor (APD, GI), research/QI
  Chloe Zhang (alum, class of 2019), career Devika Patel (PD); no sponsor.
* Dev Patel, PGY1: clinical Hana Sato (alum, class of 2021) only.
* Eli Cohen, PGY3: clinical Grace Kim, sponsor Devika Patel.
* Alumni: Chloe Zhang 2019 and Frank Lee 2024 at Northfield (Gastroenterology),
  Hana Sato 2021 at Riverside Heart Institute (Cardiology).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import flask
import pytest
import requests
from dash import html
from playwright.sync_api import Page, expect
from test_dashboard import Console, find, open_page, pick, screenshot, text_of

from graph.access import Role, Viewer, add_user
from graph.config import Settings
from graph.store import open_store

if TYPE_CHECKING:
    from dash import Dash

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery"
GI = "Gastroenterology fellowship at Northfield University Hospital"
CARDIO = "Cardiology fellowship at Riverside Heart Institute"
LEADERSHIP_ONLY = "This page is for program leadership."


@pytest.fixture
def ids(mentored_env: Path) -> dict[str, str]:
    from dashboards.data import views

    with views() as v:
        return {n: v.person_id(n) for n in ("Ana Ruiz", "Ben Okafor", "Chloe Zhang", "Devika Patel", "Dev Patel")}


@pytest.fixture
def console(page: Page) -> Console:
    return Console(page)


@contextmanager
def signed_in(app: Dash, viewer: Viewer) -> Iterator[None]:
    """Run page code as if ``viewer`` had signed in (a request with their session)."""
    with app.server.test_request_context("/"):
        flask.g.viewer = viewer  # what dashboards.auth resolves from the session once per request
        yield


def add_account(name: str, role: str, person: str | None = None) -> None:
    """An account in the store of TIEGRAPH_HOME: from now on the dashboard asks for a login."""
    with open_store(Settings.from_env()) as store:
        add_user(store, name, role, PASSWORD, person=person)


def column(data: list[dict], key: str) -> list:
    return [r[key] for r in data]


# -- mentorship as plain functions -------------------------------------------------------------------------------


def test_mentorship_rows_filter_by_pgy(ids: dict[str, str], pages: dict) -> None:
    m = pages["mentorship"]
    rows, message, search = m.show_residents(None)
    assert [re.sub(r"\]\(.*", "", r["name"]).lstrip("[") for r in rows] == ["Dev Patel", "Eli Cohen", "Ana Ruiz"]
    # Dev (clinical only) and Eli (clinical and sponsor) score below 60: thin; Ana 75 is not
    assert search == "" and message.startswith("3 residents; 2 thin (score below 60); 0 below their PGY median")
    ana = rows[2]
    assert ana["name"] == f"[Ana Ruiz](/mentorship?person={ids['Ana Ruiz']})"
    # clinical 25 + research/QI 20 + career 20 + sponsor 0 + touched 15 * 1/3 (Ben only) + range 10 * 2/4 systems
    assert ana["missing"] == "- Sponsor" and ana["score"] == 75.0 and ana["network"] == "adequate"
    assert ana["network_type"] == "receptive" and ana["vs_pgy"] == "at or above the PGY2 median"
    assert "Chloe Zhang (research/QI mentor, last contact never in the records)" in ana["stale"]
    # Chloe is Ana's only research/QI mentor and has gone quiet: a single thread
    assert ana["single_thread"] == "- only research/QI mentor: Chloe Zhang, not touched in 12 months"
    dev = rows[0]
    assert dev["missing"] == "- Research/QI mentor\n- Career mentor (PD, APD or chief)\n- Sponsor"
    assert dev["network"] == "thin" and dev["thin"] == 1 and ana["thin"] == 0
    assert dev["suggested"].startswith("- ")
    rows, message, search = m.show_residents(2)
    assert column(rows, "person") == [ids["Ana Ruiz"]] and search == "?pgy=2"
    assert message.startswith("1 PGY2 resident;")
    assert m.show_residents(4)[0] == []


def test_mentorship_layout_banner_and_state_from_the_query(mentored_env: Path, pages: dict) -> None:
    page = pages["mentorship"].layout(pgy="2")
    assert "never for evaluation" in text_of(find(page, "mentorship-notice"))
    pgy = find(page, "mentorship-pgy")
    assert pgy.value == 2 and [o["label"] for o in pgy.options] == ["PGY1", "PGY2", "PGY3"]  # type: ignore[union-attr]
    assert find(pages["mentorship"].layout(pgy="nine"), "mentorship-pgy").value is None  # type: ignore[union-attr]
    names = [c["name"] for c in find(page, "mentorship-table").columns]  # type: ignore[union-attr]
    assert names[:6] == ["Resident", "PGY", "Score (of 100)", "Network", "PGY median", "Compared with the PGY year"]
    assert "Single thread" in names and "Suggested mentors (best per role)" in names


def test_mentorship_own_view_draws_the_network_by_relation(ids: dict[str, str], pages: dict) -> None:
    page = pages["mentorship"].layout(person=ids["Ana Ruiz"])
    assert "never for evaluation" in text_of(find(page, "mentorship-notice"))
    assert text_of(find(page, "mentorship-person")) == "Ana Ruiz's developmental network"
    fig = find(page, "mentorship-network").figure  # type: ignore[union-attr]
    dots = {t.name: list(t.text) for t in fig.data if t.mode == "markers"}
    assert dots == {
        "Resident": ["Ana Ruiz"],
        "Clinical mentor": ["Ben Okafor"],
        "Research/QI mentor": ["Chloe Zhang"],
        "Career mentor (PD, APD or chief)": ["Devika Patel"],
    }
    colours = {t.name: t.marker.color for t in fig.data if t.mode == "markers"}
    assert len(set(colours.values())) == 4
    assert sorted(a.text for a in fig.layout.annotations) == ["Ana Ruiz", "Ben Okafor", "Chloe Zhang", "Devika Patel"]
    lines = [t for t in fig.data if t.mode == "lines"]
    assert len(lines) == 5  # Ana to each mentor, Ben to Devika and to Chloe (contacts)
    row = text_of(find(page, "mentorship-person-row"))
    assert "75 of 100: adequate (60 or more)" in row and "PGY2 median 75; at or above" in row
    assert "Missing Sponsor" in row and "Single thread only research/QI mentor: Chloe Zhang" in row
    due = find(page, "mentorship-due")
    assert column(due.data, "name") == ["Chloe Zhang", "Devika Patel"]  # type: ignore[union-attr]
    assert set(column(due.data, "status")) == {"overdue"} and "research/QI mentor" in due.data[0]["why"]  # type: ignore[union-attr]


def test_mentorship_own_view_of_someone_who_is_not_a_resident(ids: dict[str, str], pages: dict) -> None:
    page = pages["mentorship"].layout(person=ids["Ben Okafor"])
    assert (
        text_of(find(page, "mentorship-message"))
        == "Ben Okafor is not a resident, so there is no mentorship assessment."
    )
    assert text_of(find(pages["mentorship"].layout(person="Nobody Here"), "mentorship-message")).startswith(
        "No one called 'Nobody Here'"
    )


def test_mentorship_words(pages: dict) -> None:
    from graph.analytics.mentorship import Reason, StaleTie, Suggestion

    m = pages["mentorship"]
    assert m.say(Reason("missing_role", role="research_qi")) == "no research/QI mentor"
    assert m.say(StaleTie("x", "Ann Ames", "sponsor", 400)) == "Ann Ames (sponsor, last contact 13 months ago)"
    assert m.say(Suggestion("a", "A", "clinical", 0.3)) == "A (clinical mentor; direct tie, warmth 0.30)"
    assert m.say(Suggestion("b", "B", "career", 0.1, "c", "C"), warmth=False) == "B (career mentor; via C)"
    assert m.say(Reason("below_pgy_median", detail="2", number=40.0, median=55.0)) == "below the PGY2 median (40 vs 55)"
    said = [
        Suggestion("a", "A", "clinical", 0.3),
        Suggestion("b", "B", "clinical", 0.1),
        Suggestion("d", "D", "sponsor", 0.05),
    ]
    assert [s.name for s in m.best_per_role(said)] == ["A", "D"]
    flags = m.other_flags(
        [Reason("missing_role", role="sponsor"), Reason("stale_ties", number=2), Reason("narrow_range", number=1)]
    )
    assert flags == [Reason("narrow_range", number=1)]


def test_residents_see_their_own_mentorship_view_only(dash_app: Dash, ids: dict[str, str], pages: dict) -> None:
    m = pages["mentorship"]
    with signed_in(dash_app, Viewer("ana", Role.RESIDENT, ids["Ana Ruiz"])):
        assert text_of(find(m.layout(), "mentorship-person")) == "Ana Ruiz's developmental network"
        assert column(m.show_residents(None)[0], "person") == [ids["Ana Ruiz"]]
        refused = text_of(find(m.layout(person=ids["Dev Patel"]), "mentorship-message"))
        assert refused == m.NOT_YOURS


# -- alumni as plain functions -----------------------------------------------------------------------------------


def test_alumni_report_by_year_and_specialty(mentored_env: Path, pages: dict) -> None:
    a = pages["alumni"]
    fig, names, programs, bridges, message, search, reach = a.show_report(None, None, None, None)
    assert message.startswith("3 alumni at 2 institutions; 3 current residents; 2 fellowship programs")
    assert search == ""
    # members: the program's people, alumni or not (Frank and Chloe at Northfield GI; Hana at Riverside)
    assert [(p["program"], p["alumni"], p["members"]) for p in programs] == [(GI, 2, 2), (CARDIO, 1, 1)]
    assert all(0 <= p["median_reach"] <= 1 and 0 <= p["residents_reach"] <= 3 for p in programs)
    totals: dict[str, int] = {}
    for bar in fig.data:
        for inst, n in zip(bar.y, bar.x, strict=True):
            totals[inst] = totals.get(inst, 0) + n
    assert totals == {"Northfield University Hospital": 2, "Riverside Heart Institute": 1}
    assert {b.name for b in fig.data} == {"Gastroenterology", "Cardiology"}
    assert sorted(x.text for x in fig.layout.annotations) == ["1", "2"]  # every bar labelled with its total
    assert (bridges[0]["resident"], bridges[0]["alumnus"]) == ("Ana Ruiz", "Chloe Zhang")
    assert "research/QI" in bridges[0]["reasons"]
    by_name = {n["name"]: n for n in names}
    assert set(by_name) == {"Chloe Zhang", "Frank Lee", "Hana Sato"}
    chloe = by_name["Chloe Zhang"]
    assert (chloe["grad_year"], chloe["role"], chloe["city"], chloe["program"]) == (
        2019,
        "Associate Program Director",
        "Boston",
        GI,
    )
    assert chloe["warmest_resident"] == "Ana Ruiz" and chloe["via"] is None  # Ana's research/QI mentor: direct
    assert [b.y for b in reach.data][0][-1] in (GI, CARDIO)

    fig, names, programs, bridges, message, search, _ = a.show_report(2020, None, None)  # Frank Lee 2024, Hana 2021
    assert [(p["program"], p["alumni"]) for p in programs] == [(CARDIO, 1), (GI, 1)]
    assert message.startswith("2 alumni of the classes from 2020 at 2 institutions") and search == "?year_from=2020"
    assert all(b["alumnus"] != "Chloe Zhang" for b in bridges)
    _, _, programs, _, message, search, _ = a.show_report(2018, 2022, "Cardiology")
    assert [p["program"] for p in programs] == [CARDIO] and "of the classes 2018–2022 in Cardiology" in message
    assert search == "?year_from=2018&year_to=2022&specialty=Cardiology"
    _, names, _, _, message, search, _ = a.show_report(None, None, None, "Chicago")
    assert [n["name"] for n in names] == ["Hana Sato"] and search == "?city=Chicago" and "in Chicago" in message
    assert a.show_report(2030, None, None)[4] == "No alumni of the classes from 2030."


def test_alumni_layout_offers_years_and_specialties_from_the_data(mentored_env: Path, pages: dict) -> None:
    page = pages["alumni"].layout(year_from="2020", specialty="Cardiology")
    assert [o["value"] for o in find(page, "alumni-year-from").options] == [2019, 2021, 2024]  # type: ignore[union-attr]
    assert find(page, "alumni-year-from").value == 2020  # type: ignore[union-attr]
    assert find(page, "alumni-year-to").value is None  # type: ignore[union-attr]
    assert find(page, "alumni-specialty").value == "Cardiology"  # type: ignore[union-attr]
    assert find(page, "alumni-specialty").options == ["Cardiology", "Gastroenterology"]  # type: ignore[union-attr]


def test_alumni_downloads_suppress_small_cells_and_are_self_contained(mentored_env: Path, pages: dict) -> None:
    a = pages["alumni"]
    csv, message = a.download_csv(1, None, None, None)
    assert message == "" and csv["filename"] == "alumni-programs.csv"
    lines = csv["content"].splitlines()
    assert lines[0] == (
        "Fellowship program,Institution,City,Specialty,Our alumni there,Fellows and faculty,"
        "Residents who reach them warmly,Median chance of a warm introduction,Strongest bridges (residents they connect)"
    )
    assert [line.split(",")[:7] for line in lines[1:]] == [
        [GI, "Northfield University Hospital", "Boston", "Gastroenterology", "<5", "<5", lines[1].split(",")[6]],
        [CARDIO, "Riverside Heart Institute", "Chicago", "Cardiology", "<5", "<5", lines[2].split(",")[6]],
    ]
    assert {line.split(",")[6] for line in lines[1:]} <= {"0", "<5"}
    csv, _ = a.download_csv(1, 2020, 2024, "Gastroenterology")
    assert csv["filename"] == "alumni-programs-2020-2024-gastroenterology.csv"
    report, message = a.download_html(1, None, None, None)
    html = report["content"]
    assert message == "" and report["filename"] == "alumni-report.html"
    assert html.startswith("<!doctype html>") and "<script src=" not in html and "<link " not in html
    assert "Plotly" in html and "&lt;5" in html  # plotly.js inlined; small counts hidden
    assert "<th>Our alumni there</th>" in html and "residents_within" not in html


def test_alumni_names_are_for_program_leadership(dash_app: Dash, ids: dict[str, str], pages: dict) -> None:
    a = pages["alumni"]
    with signed_in(dash_app, Viewer("ana", Role.RESIDENT, ids["Ana Ruiz"])):
        page = a.layout()
        said = text_of(page)
        assert text_of(find(page, "alumni-message")) == a.COUNTS_ONLY
        assert find(page, "alumni-names") is None
        assert not any(n in said for n in ("Chloe Zhang", "Frank Lee", "Hana Sato"))
        counts = find(page, "alumni-counts").data  # type: ignore[union-attr]
        assert [(c["program"], c["alumni"]) for c in counts] == [(GI, "<5"), (CARDIO, "<5")]
        assert a.show_report(None, None, None)[4] == LEADERSHIP_ONLY  # the callback refuses names too
        assert a.download_csv(1, None, None, None) == (None, LEADERSHIP_ONLY)
    with signed_in(dash_app, Viewer("paul", Role.LEADERSHIP, ids["Devika Patel"])):
        assert find(a.layout(), "alumni-names") is not None
        assert a.show_report(None, None, None)[4].startswith("3 alumni")


# -- person as plain functions -----------------------------------------------------------------------------------


def test_person_page_ties_timeline_due(ids: dict[str, str], pages: dict) -> None:
    p = pages["person"]
    children, message, search = p.show_person(ids["Ana Ruiz"])
    assert message == "" and search == f"?id={ids['Ana Ruiz']}"
    body = html.Div(children)
    ties = find(body, "person-ties")
    named = [re.sub(r"\]\(.*", "", r["name"]).lstrip("[") for r in ties.data]  # type: ignore[union-attr]
    assert named[0] == "Ben Okafor" and named[3:] == ["Eli Cohen", "Dev Patel"]  # strongest first
    assert set(named[1:3]) == {"Devika Patel", "Chloe Zhang"}  # 0.20 each: declared mentors, no contact
    assert ties.data[0]["name"] == f"[Ben Okafor](/person?id={ids['Ben Okafor']})"  # type: ignore[union-attr]
    assert ties.data[0]["n_interactions"] == 2 and "Ben Okafor mentors Ana Ruiz" in ties.data[0]["reasons"]  # type: ignore[union-attr]
    timeline = find(body, "person-timeline").figure  # type: ignore[union-attr]
    points = sorted((str(x)[:10], y) for t in timeline.data for x, y in zip(t.x, t.y, strict=True))
    assert points == [
        ("2026-09-01", "Ben Okafor"),
        ("2026-09-15", "Ben Okafor"),
        ("2026-10-10", "Dev Patel"),
        ("2026-11-02", "Eli Cohen"),
    ]
    assert column(find(body, "person-timeline-table").data, "date")[0] == "2026-11-02"  # type: ignore[union-attr]
    assert text_of(find(body, "person-publications")) == "No publications on record."
    assert column(find(body, "person-due").data, "name") == ["Chloe Zhang", "Devika Patel"]  # type: ignore[union-attr]
    facts = text_of(find(body, "person-facts"))
    assert "PGY2 resident, Lakeside Medical Center" in facts and re.search(r"Community \d+: \d+ people", facts)
    assert "5 ties, 4 interactions, 0 publications" in facts


def test_person_layout_picker_and_type_ahead(ids: dict[str, str], pages: dict) -> None:
    from dash.exceptions import PreventUpdate

    p = pages["person"]
    picked = find(p.layout(id="Ana Ruiz"), "person-pick")  # a name in a hand-written link
    assert picked.value == ids["Ana Ruiz"]  # type: ignore[union-attr]
    assert picked.options[0] == {"label": "Ana Ruiz: PGY2 resident, Lakeside Medical Center", "value": ids["Ana Ruiz"]}  # type: ignore[union-attr]
    assert [o["value"] for o in p.search_people("okafor", None, [])] == [ids["Ben Okafor"]]
    with pytest.raises(PreventUpdate):
        p.search_people(" ", None, [])
    assert p.show_person(None)[1] == "Pick a person: type part of a name."
    assert p.show_person("Nobody Here")[1].startswith("No one called 'Nobody Here'")


def test_person_page_of_someone_else_is_refused_to_a_resident(dash_app: Dash, ids: dict[str, str], pages: dict) -> None:
    p = pages["person"]
    with signed_in(dash_app, Viewer("ana", Role.RESIDENT, ids["Ana Ruiz"])):
        assert p.show_person(ids["Ben Okafor"]) == ([], p.NOT_YOURS, f"?id={ids['Ben Okafor']}")
        assert find(html.Div(p.show_person(ids["Ana Ruiz"])[0]), "person-ties") is not None
        assert find(p.layout(), "person-pick").value == ids["Ana Ruiz"]  # type: ignore[union-attr]


# -- the frame, overview, intro and data pages under roles --------------------------------------------------------


def test_nav_says_who_is_signed_in_and_offers_their_pages(dash_app: Dash, ids: dict[str, str]) -> None:
    from dashboards.app import serve_layout

    nav_ids = lambda frame: [link.id for link in frame.children[0].children[1].children]  # noqa: E731
    local = serve_layout()
    assert find(local, "nav-user") is None
    assert nav_ids(local) == [
        "nav-overview",
        "nav-intro_paths",
        "nav-mentorship",
        "nav-alumni",
        "nav-person",
        "nav-letters",
        "nav-shortlist",
        "nav-data",
    ]
    with signed_in(dash_app, Viewer("paul", Role.LEADERSHIP, ids["Devika Patel"])):
        frame = serve_layout()
        assert " ".join(text_of(find(frame, "nav-user")).split()) == "signed in as paul (leadership) · sign out"
        assert "nav-alumni" in nav_ids(frame) and "nav-data" not in nav_ids(frame)
    with signed_in(dash_app, Viewer("ana", Role.RESIDENT, ids["Ana Ruiz"])):
        # the Alumni page opens to everyone: names for leadership, counts for the others
        assert nav_ids(serve_layout()) == [
            "nav-overview",
            "nav-intro_paths",
            "nav-mentorship",
            "nav-alumni",
            "nav-person",
            "nav-letters",
            "nav-shortlist",
        ]


def test_other_pages_under_roles(dash_app: Dash, ids: dict[str, str], pages: dict) -> None:
    with signed_in(dash_app, Viewer("ana", Role.RESIDENT, ids["Ana Ruiz"])):
        overview = pages["overview"].layout()
        assert text_of(find(overview, "overview-message")) == "The program overview is for program leadership."
        assert "your mentorship network" in text_of(overview)
        assert text_of(find(pages["data"].layout(), "data-message")) == pages["data"].FOR_ADMINS
        assert find(pages["intro_paths"].layout(), "intro-paths-from").value == ids["Ana Ruiz"]  # type: ignore[union-attr]
        refused = pages["intro_paths"].show_paths(ids["Dev Patel"], GI, [])[1]
        assert refused == pages["intro_paths"].ONLY_YOURSELF
        results, message, _ = pages["intro_paths"].show_paths(ids["Ana Ruiz"], GI, [])
        assert re.match(r"\d ways? from Ana Ruiz", message)
        assert not any(getattr(c, "href", None) for c in _walk(results))  # no links to pages a resident cannot open
    results, _, _ = pages["intro_paths"].show_paths(ids["Ana Ruiz"], GI, [])
    assert f"/person?id={ids['Ben Okafor']}" in {getattr(c, "href", None) for c in _walk(results)}


def _walk(component: object) -> Iterator[object]:
    if isinstance(component, list | tuple):
        for c in component:
            yield from _walk(c)
        return
    yield component
    children = getattr(component, "children", None)
    for c in children if isinstance(children, list | tuple) else [children]:
        if c is not None and not isinstance(c, str | int | float):
            yield from _walk(c)


def test_new_pages_say_so_when_the_store_is_unreachable(unreachable_env: str, pages: dict) -> None:
    for name, message in (
        ("mentorship", "mentorship-message"),
        ("alumni", "alumni-message"),
        ("person", "person-message"),
    ):
        said = text_of(find(pages[name].layout(), message))
        assert said.startswith("The data store is not available") and unreachable_env in said, name
    assert pages["mentorship"].show_residents(2)[1].startswith("The data store is not available")
    assert pages["alumni"].show_report(None, None, None)[4].startswith("The data store is not available")
    assert pages["alumni"].download_html(1, None, None, None)[0] is None
    assert pages["person"].show_person("Ana Ruiz")[1].startswith("The data store is not available")


def test_new_pages_on_an_empty_store(empty_env: Path, pages: dict) -> None:
    assert text_of(find(pages["mentorship"].layout(), "mentorship-message")) == pages["mentorship"].EMPTY
    assert text_of(find(pages["alumni"].layout(), "alumni-message")) == pages["alumni"].EMPTY
    assert text_of(find(pages["person"].layout(), "person-message")) == pages["person"].EMPTY


# -- in the browser ----------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_mentorship_in_browser(ids: dict[str, str], live_server: str, page: Page, console: Console) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page, live_server + "/mentorship", "#mentorship-table td", "mentorship")
    expect(page.locator("#mentorship-notice")).to_contain_text("never for evaluation")
    names = page.locator("#mentorship-table td[data-dash-column=name]")
    expect(names).to_have_text(["Dev Patel", "Eli Cohen", "Ana Ruiz"])
    screenshot(page, "mentorship")
    pick(page, "#mentorship-pgy", "2", "PGY2")
    expect(names).to_have_text(["Ana Ruiz"])
    expect(page).to_have_url(re.compile(r"/mentorship\?pgy=2$"))
    page.reload()
    expect(names).to_have_text(["Ana Ruiz"])
    names.first.locator("a").click()
    expect(page).to_have_url(re.compile(f"/mentorship\\?person={ids['Ana Ruiz']}$"))
    expect(page.locator("#mentorship-person")).to_have_text("Ana Ruiz's developmental network")
    expect(page.locator("#mentorship-network .main-svg").first).to_be_visible()
    expect(page.locator("#mentorship-network .legendtext")).to_have_text(
        ["Resident", "Clinical mentor", "Research/QI mentor", "Career mentor (PD, APD or chief)"]
    )
    expect(page.locator("#mentorship-network .annotation-text")).to_have_text(
        ["Ana Ruiz", "Ben Okafor", "Chloe Zhang", "Devika Patel"], ignore_case=False
    )
    expect(page.locator("#mentorship-due")).to_contain_text("overdue")
    open_page(
        page, f"{live_server}/mentorship?person={ids['Ana Ruiz']}", "#mentorship-network .main-svg", "mentorship-person"
    )
    screenshot(page, "mentorship-person")
    console.assert_clean()


@pytest.mark.browser
def test_mentorship_sorts_in_browser(mentored_env: Path, live_server: str, page: Page, console: Console) -> None:
    page.goto(live_server + "/mentorship")
    names = page.locator("#mentorship-table td[data-dash-column=name]")
    expect(names).to_have_text(["Dev Patel", "Eli Cohen", "Ana Ruiz"])
    page.locator("#mentorship-table th[data-dash-column=pgy] .column-header--sort").click()
    expect(names).to_have_text(["Dev Patel", "Ana Ruiz", "Eli Cohen"])
    console.assert_clean()


@pytest.mark.browser
def test_alumni_in_browser(mentored_env: Path, live_server: str, page: Page, console: Console) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page, live_server + "/alumni", "#alumni-programs td", "alumni")
    programs = page.locator("#alumni-programs td[data-dash-column=program]")
    alumni = page.locator("#alumni-programs td[data-dash-column=alumni]")
    expect(programs).to_have_text([GI, CARDIO])
    expect(alumni).to_have_text(["2", "1"])
    expect(page.locator("#alumni-by-institution .main-svg").first).to_be_visible()
    expect(page.locator("#alumni-by-institution .bars path")).to_have_count(2)
    expect(page.locator("#alumni-bridges")).to_contain_text("Chloe Zhang")
    screenshot(page, "alumni")

    expect(page.locator("#alumni-names td[data-dash-column=name]")).to_have_count(3)
    page.locator("#alumni-reach .main-svg").first.wait_for(state="visible")
    screenshot(page, "alumni-names")

    pick(page, "#alumni-year-from", "2021", "2021")
    expect(alumni).to_have_text(["1", "1"])
    expect(page.locator("#alumni-message")).to_have_text(re.compile("^2 alumni of the classes from 2021 at 2 "))
    expect(page).to_have_url(re.compile(r"/alumni\?year_from=2021$"))
    expect(page.locator("#alumni-bridges")).not_to_contain_text("Chloe Zhang")

    with page.expect_download() as got:
        page.click("#alumni-csv-button")
    csv = Path(got.value.path()).read_text()
    assert got.value.suggested_filename == "alumni-programs-2021.csv"
    assert [line.split(",")[:6] for line in csv.splitlines()[1:]] == [
        [CARDIO, "Riverside Heart Institute", "Chicago", "Cardiology", "<5", "<5"],
        [GI, "Northfield University Hospital", "Boston", "Gastroenterology", "<5", "<5"],
    ]
    with page.expect_download() as got:
        page.click("#alumni-html-button")
    report = Path(got.value.path()).read_text()
    assert got.value.suggested_filename == "alumni-report-2021.html"
    assert report.startswith("<!doctype html>") and "<script src=" not in report
    assert "Alumni network report of the classes from 2021" in report and "2 alumni; 3 current residents" in report
    page.reload()
    expect(alumni).to_have_text(["1", "1"])
    console.assert_clean()


@pytest.mark.browser
def test_person_in_browser(ids: dict[str, str], live_server: str, page: Page, console: Console) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page, f"{live_server}/person?id={ids['Ana Ruiz']}", "#person-timeline .main-svg", "person")
    expect(page.locator("#person-name")).to_have_text("Ana Ruiz")
    expect(page.locator("#person-ties td[data-dash-column=name]")).to_have_count(5)
    expect(page.locator("#person-ties td[data-dash-column=name]").first).to_have_text("Ben Okafor")
    expect(page.locator("#person-timeline .scatterlayer .point")).to_have_count(4)
    expect(page.locator("#person-timeline-table td[data-dash-column=with]").first).to_have_text("Eli Cohen")
    expect(page.locator("#person-due")).to_contain_text("Chloe Zhang")
    screenshot(page, "person")

    page.locator("#person-ties td[data-dash-column=name] a", has_text="Ben Okafor").click()  # a tie's page
    expect(page.locator("#person-name")).to_have_text("Ben Okafor")
    expect(page).to_have_url(re.compile(f"/person\\?id={ids['Ben Okafor']}$"))
    pick(page, "#person-pick", "zhang", "Chloe Zhang: alum, Associate Program Director, Northfield University Hospital")
    expect(page.locator("#person-name")).to_have_text("Chloe Zhang")
    expect(page).to_have_url(re.compile(f"/person\\?id={ids['Chloe Zhang']}$"))
    console.assert_clean()


@pytest.mark.browser
def test_names_link_to_the_person_page_in_browser(
    ids: dict[str, str], live_server: str, page: Page, console: Console
) -> None:
    page.goto(live_server + "/")
    page.locator("#overview-people a", has_text="Chloe Zhang").click()
    expect(page.locator("#person-name")).to_have_text("Chloe Zhang")
    page.goto(f"{live_server}/intro-paths?from={ids['Ana Ruiz']}&to={GI.replace(' ', '+')}")
    hop = page.locator(".intro-paths-hop a").nth(1)  # the first hop's second person
    name = hop.inner_text()
    hop.click()
    expect(page.locator("#person-name")).to_have_text(name)
    console.assert_clean()


def sign_in(page: Page, base: str, name: str, password: str) -> None:
    page.goto(base + "/")
    expect(page).to_have_url(base + "/login")
    page.fill("#login-name", name)
    page.fill("#login-password", password)
    page.click("#login-submit")


@pytest.mark.browser
def test_login_in_browser(ids: dict[str, str], live_server: str, page: Page, console: Console) -> None:
    add_account("paul", "leadership", ids["Devika Patel"])
    sign_in(page, live_server, "paul", "wrong password")
    expect(page.locator("#login-error")).to_have_text("Wrong name or password.")
    screenshot(page, "login-wrong-password")
    sign_in(page, live_server, "paul", PASSWORD)
    expect(page).to_have_url(live_server + "/")
    expect(page.locator("#overview-network canvas").first).to_be_visible()
    expect(page.locator("#nav-user")).to_have_text("signed in as paul (leadership) · sign out")
    expect(page.locator(".nav-link")).to_have_text(
        ["Overview", "Warm intros", "Mentorship", "Alumni", "Person", "Letters", "Shortlist"]
    )
    page.goto(live_server + "/alumni")
    expect(page.locator("#alumni-programs td").first).to_be_visible()
    page.locator("#nav-sign-out").click()
    expect(page).to_have_url(live_server + "/login")
    page.goto(live_server + "/alumni")
    expect(page).to_have_url(live_server + "/login?next=%2Falumni")
    console.assert_clean()


@pytest.mark.browser
def test_resident_account_in_browser(ids: dict[str, str], live_server: str, page: Page, console: Console) -> None:
    add_account("ana", "resident", ids["Ana Ruiz"])
    sign_in(page, live_server, "ana", PASSWORD)
    expect(page).to_have_url(live_server + "/person")  # a resident lands on their own view
    expect(page.locator("#person-name")).to_have_text("Ana Ruiz")
    page.goto(live_server + "/")
    expect(page.locator("#overview-message")).to_have_text("The program overview is for program leadership.")
    expect(page.locator(".nav-link")).to_have_text(
        ["Overview", "Warm intros", "Mentorship", "Alumni", "Person", "Letters", "Shortlist"]
    )
    page.goto(live_server + "/alumni")
    # a resident sees where alumni are as counts, never their names
    expect(page.locator("#alumni-message")).to_have_text(re.compile("^Alumni names are for program leadership"))
    expect(page.locator("#alumni-counts td[data-dash-column=alumni]")).to_have_text(["<5", "<5"])
    expect(page.locator("#alumni-names")).to_have_count(0)
    expect(page.locator("#alumni-main")).not_to_contain_text("Chloe Zhang")
    screenshot(page, "alumni-counts-only")
    page.goto(f"{live_server}/person?id={ids['Ben Okafor']}")
    expect(page.locator("#person-message")).to_have_text(re.compile("^This is someone else's page"))
    expect(page.locator("#person-ties")).to_have_count(0)
    page.goto(f"{live_server}/person?id={ids['Ana Ruiz']}")
    expect(page.locator("#person-ties td[data-dash-column=name]").first).to_have_text("Ben Okafor")
    page.goto(live_server + "/mentorship")
    expect(page.locator("#mentorship-person")).to_have_text("Ana Ruiz's developmental network")
    page.goto(live_server + "/data")
    expect(page.locator("#data-message")).to_have_text("This page is for the program's tiegraph administrators.")
    console.assert_clean()


PAGES = [  # path, what a page shows when it works, where it says the store is down
    ("/", "#overview-network canvas", "#overview-message"),
    ("/intro-paths", "#intro-paths-from", "#intro-paths-message"),
    ("/mentorship", "#mentorship-table td", "#mentorship-message"),
    ("/alumni", "#alumni-programs td", "#alumni-message"),
    ("/person?id=Ana+Ruiz", "#person-ties td", "#person-message"),
    ("/data", "#data-review", "#data-sources"),
]


@pytest.mark.browser
def test_store_down_then_back_in_browser(
    mentored_env: Path, live_server: str, page: Page, console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIEGRAPH_STORE", "neo4j")
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    for path, _, message in PAGES:
        page.goto(live_server + path)
        expect(page.locator(message)).to_have_text(re.compile(r"^The data store is not available: .*127\.0\.0\.1:1"))
        expect(page.locator(".main-svg")).to_have_count(0)
        expect(page.locator("canvas")).to_have_count(0)  # no network picture either
    screenshot(page, "store-down")
    monkeypatch.setenv("TIEGRAPH_STORE", "embedded")  # back, with no restart
    for path, works, _ in PAGES:
        page.goto(live_server + path)
        expect(page.locator(works).first).to_be_visible()
    console.assert_clean()


# -- production entry point ----------------------------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_ready(server: subprocess.Popen, base: str, log: Path) -> requests.Response:
    """Poll /health until gunicorn answers: readiness, not a clock (each try may take as long as the machine needs)."""
    while True:
        assert server.poll() is None, f"gunicorn exited:\n{log.read_text()}"
        try:
            health = requests.get(base + "/health", timeout=(10, 300))
        except requests.ConnectionError:
            time.sleep(0.2)  # not listening yet
            continue
        if health.status_code == 200:
            return health
        time.sleep(0.2)


GUNICORN_PATHS = [
    "/",
    "/intro-paths",
    "/mentorship",
    "/alumni",
    "/person",
    "/data",
    "/_dash-layout",
    "/_dash-dependencies",
]


def test_gunicorn_serves_the_dashboard(dashboard_home: Path, tmp_path: Path) -> None:
    """``gunicorn dashboards.app:server`` as deployed, two workers and no TIEGRAPH_SECRET: /health, the login,
    then 50 parallel requests to each page; both workers accept the one login (the secret file they share)."""
    from concurrent.futures import ThreadPoolExecutor

    home = tmp_path / "home"
    shutil.copytree(dashboard_home, home)
    env = {k: v for k, v in os.environ.items() if k != "TIEGRAPH_SECRET"}
    env.update(TIEGRAPH_HOME=str(home), TIEGRAPH_STORE="embedded")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TIEGRAPH_HOME", str(home))
        mp.setenv("TIEGRAPH_STORE", "embedded")
        add_account("paul", "leadership")
    base = f"http://127.0.0.1:{_free_port()}"
    log, access = tmp_path / "gunicorn.log", tmp_path / "access.log"
    gunicorn = [sys.executable, "-m", "gunicorn", "--bind", base.removeprefix("http://"), "--workers", "2"]
    gunicorn += ["--timeout", "300", "--access-logfile", str(access), "--access-logformat", "%(p)s %(s)s %(U)s"]
    with log.open("w") as out:
        server = subprocess.Popen([*gunicorn, "dashboards.app:server"], cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        assert _wait_until_ready(server, base, log).text == "ok"
        assert (home / "secret").stat().st_mode & 0o777 == 0o600
        browser = requests.Session()
        first = browser.get(base + "/", allow_redirects=False, timeout=300)
        assert first.status_code == 302 and first.headers["Location"].endswith("/login")
        form = browser.get(base + "/login", timeout=300).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
        signed = browser.post(
            base + "/login",
            data={"name": "paul", "password": PASSWORD, "csrf_token": token},
            allow_redirects=False,
            timeout=300,
        )
        assert signed.status_code == 302 and signed.headers["Location"].endswith("/")
        cookies = browser.cookies.get_dict()

        def fetch(path: str) -> tuple[str, int, str]:
            r = requests.get(base + path, cookies=cookies, allow_redirects=False, timeout=300)
            return path, r.status_code, r.text

        with ThreadPoolExecutor(max_workers=50) as pool:
            answers = list(pool.map(fetch, [p for p in GUNICORN_PATHS for _ in range(50)]))
        failed = [(p, code) for p, code, _ in answers if code != 200]
        assert len(answers) == 400 and failed == []
        assert all("signed in as " in text for p, _, text in answers if p == "/_dash-layout")
        assert all('id="react-entry-point"' in text for p, _, text in answers if not p.startswith("/_dash"))
        served = [line.split() for line in access.read_text().splitlines()]
        pids = {pid for pid, status, path in served if path == "/_dash-layout" and status == "200"}
        assert len(pids) == 2, "one worker answered every request"  # so the other accepted the cookie too
    finally:
        server.terminate()
        server.wait()
