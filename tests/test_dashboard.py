"""The dashboard: each page's layout and callbacks as plain functions, then in headless Chromium.

The data come from the real ingest and analyze flows (``dashboard_home`` in conftest.py).
Browser tests write a screenshot to ``test-artifacts/screenshots/<name>.png`` and the
time from navigation start to the page's main element being visible to
``test-artifacts/page-load-times.json`` (recorded, never asserted).
"""

from __future__ import annotations

import json
import re
from contextvars import copy_context
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from dash._callback_context import context_value
from dash._utils import AttributeDict
from playwright.sync_api import ConsoleMessage, Page, expect

from graph.config import Settings

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
LOAD_TIMES = ARTIFACTS / "page-load-times.json"
GI = "Gastroenterology fellowship at Northfield University Hospital"


def text_of(component: object) -> str:
    """All text a Dash component tree shows (children, values, labels), joined by spaces."""
    out: list[str] = []

    def walk(c: object) -> None:
        if c is None:
            return
        if isinstance(c, str | int | float):
            out.append(str(c))
            return
        if isinstance(c, list | tuple):
            for x in c:
                walk(x)
            return
        for prop in ("children", "value", "data"):
            v = getattr(c, prop, None)
            if prop == "data" and isinstance(v, list):
                out.extend(str(x) for row in v for x in row.values())
            elif v is not None:
                walk(v)

    walk(component)
    return " ".join(out)


def find(component: object, id_: str) -> object | None:
    """The component with this id in a tree, or None."""
    if getattr(component, "id", None) == id_:
        return component
    children = getattr(component, "children", None)
    for c in children if isinstance(children, list | tuple) else [children]:
        if c is not None and not isinstance(c, str | int | float):
            hit = find(c, id_)
            if hit is not None:
                return hit
    return None


def classes(component: object) -> list[str]:
    """Every className in a tree."""
    out = [getattr(component, "className", None) or ""]
    children = getattr(component, "children", None)
    for c in children if isinstance(children, list | tuple) else [children]:
        if c is not None and not isinstance(c, str | int | float):
            out += classes(c)
    return out


@pytest.fixture
def ids(dashboard_env: Path) -> dict[str, str]:
    from dashboards.data import views

    with views() as v:
        return {
            name: v.person_id(name)
            for name in ("Ana Ruiz", "Ben Okafor", "Chloe Zhang", "Dev Patel", "Devika Patel", "D. Patel", "Eli Cohen")
        }


# -- graph-level additions the pages stand on -----------------------------------------------------------------


def test_dashboard_home_is_what_the_flows_made(dashboard_env: Path) -> None:
    from dashboards.data import views

    with views() as v:
        counts = v.status()["counts"]
        assert counts["person"] == 10 and counts["interaction"] == 12 and counts["tie"] == 11  # type: ignore[index]
        assert (v.people["kind"] == "alumnus").sum() == 3
        assert v.target(GI).kind == "program"
    assert (dashboard_env / "review.csv").exists()
    assert (dashboard_env / "quarantine" / "contacts.csv.quarantine.csv").exists()


# -- overview as plain functions ---------------------------------------------------------------------------------


def test_overview_layout_counts_sources_strengths_network_table(dashboard_env: Path, pages: dict) -> None:
    page = pages["overview"].layout()
    cards = text_of(find(page, "overview-counts"))
    assert re.findall(r"(\d+) (People|Ties|Interactions|Publications|Alumni)", cards) == [
        ("10", "People"),
        ("11", "Ties"),
        ("12", "Interactions"),
        ("0", "Publications"),
        ("3", "Alumni"),
    ]
    sources = find(page, "overview-sources")
    assert {r["file"]: r["quarantined"] for r in sources.data} == {  # type: ignore[union-attr]
        "roster.csv": 0,
        "alumni.csv": 0,
        "contacts.csv": 1,
        "contacts_more.csv": 0,
    }
    from dashboards.data import views

    with views() as v:  # the overview says which date recency was measured from: the contacts' latest
        latest = v.store.frame("interaction")["date"].max()
    assert f"Ties as of {latest}." in text_of(page)
    strength = find(page, "overview-strength").figure  # type: ignore[union-attr]
    assert sum(strength.data[0].y) == 11 and len(strength.data[0].x) == 20  # 11 ties in bins of 0.05
    network = find(page, "overview-network").elements  # type: ignore[union-attr]
    dots = [e for e in network if "source" not in e["data"]]
    lines = [e for e in network if "source" in e["data"]]
    assert len(dots) == 10 and not any(e["data"]["group"] for e in dots)  # 10 people: each drawn
    assert all(e["position"].keys() == {"x", "y"} for e in dots)  # preset from the layout
    drawn = {e["data"]["id"] for e in dots}
    assert lines and all({e["data"]["source"], e["data"]["target"]} <= drawn for e in lines)
    labelled = {e["data"]["name"] for e in dots if "labelled" in e["classes"]}
    assert len(labelled) == 10 and {"Ana Ruiz", "Eli Cohen"} <= labelled  # up to 50 people everyone is named
    people = find(page, "overview-people")
    assert len(people.data) == 10 and people.page_size  # type: ignore[union-attr]
    links = [re.fullmatch(r"\[(.+)\]\(/person\?id=(.+)\)", r["name"]) for r in people.data]  # type: ignore[union-attr]
    assert all(links)  # each name opens the person page
    who = {m[1]: r["who"] for m, r in zip(links, people.data, strict=True)}  # type: ignore[union-attr, index]
    assert who["Ana Ruiz"] == "PGY2 resident" and who["Chloe Zhang"] == "alum"
    from dashboards.data import views

    with views() as v:
        assert {m[1]: m[2] for m in links}["Ana Ruiz"] == v.person_id("Ana Ruiz")  # type: ignore[index]
    assert "Brokerage (betweenness)" in [c["name"] for c in people.columns]  # type: ignore[union-attr]


def test_overview_says_so_when_the_store_is_empty(empty_env: Path, pages: dict) -> None:
    page = pages["overview"].layout()
    assert find(page, "overview-network") is None and find(page, "overview-strength") is None
    assert text_of(find(page, "overview-message")).startswith("No people yet")


def test_overview_says_so_when_the_store_is_unreachable(unreachable_env: str, pages: dict) -> None:
    message = text_of(find(pages["overview"].layout(), "overview-message"))
    assert message.startswith("The data store is not available") and unreachable_env in message


# -- warm intros as plain functions ------------------------------------------------------------------------------


def test_show_paths_ranks_explains_and_drafts(ids: dict[str, str], pages: dict) -> None:
    results, message, search = pages["intro_paths"].show_paths(ids["Ana Ruiz"], GI, [])
    assert message.startswith(f"2 ways from Ana Ruiz to {GI}")
    paths = results[1:]
    assert [p.children[0].children for p in paths] == ["1. Ask Ben Okafor", "2. Ask Dev Patel"]
    for p in paths:
        assert classes(p).count("intro-paths-hop weakest") == 1
        draft = [c for c in p.children if getattr(c, "className", "") == "draft"][0]
        assert draft.value.startswith("Hi ") and draft.value.endswith("Ana Ruiz")
    # Ana -> Ben 0.20, Ben -> Frank 0.12: the second hop is the weak one
    hops = [c for c in paths[0].children if getattr(c, "className", "") == "hops"][0].children
    assert [h.className for h in hops] == ["intro-paths-hop", "intro-paths-hop weakest"]
    assert parse_qs(search[1:]) == {"from": [ids["Ana Ruiz"]], "to": [GI]}


def test_show_paths_recomputes_without_an_excluded_person(ids: dict[str, str], pages: dict) -> None:
    results, _, search = pages["intro_paths"].show_paths(ids["Ana Ruiz"], GI, [ids["Ben Okafor"]])
    assert [p.children[0].children for p in results[1:]] == ["1. Ask Dev Patel"]
    assert "Ben Okafor" not in text_of(results)
    assert parse_qs(search[1:])["exclude"] == [ids["Ben Okafor"]]


def test_show_paths_no_path_is_a_sentence(ids: dict[str, str], pages: dict) -> None:
    results, message, _ = pages["intro_paths"].show_paths(
        ids["D. Patel"], "Cardiology fellowship at Riverside Heart Institute", [ids["Eli Cohen"]]
    )
    assert results == []
    assert message.startswith("No warm path from D. Patel to Cardiology fellowship at Riverside Heart Institute")
    assert "without Eli Cohen" in message


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("Nobody Here", GI, "No one called 'Nobody Here'"),
        ("Ana Ruiz", "Mars Base", "No one called 'Mars Base'"),
        (None, GI, "Pick yourself"),
        ("Ana Ruiz", None, "Pick yourself"),
    ],
)
def test_show_paths_unknown_or_missing_input_is_a_sentence(
    dashboard_env: Path, pages: dict, source: str | None, target: str | None, expected: str
) -> None:
    results, message, _ = pages["intro_paths"].show_paths(source, target, None)
    assert results == [] and message.startswith(expected) and message.endswith(".")


def test_show_paths_empty_and_unreachable_store(empty_env: Path, pages: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    assert pages["intro_paths"].show_paths("Ana Ruiz", GI, [])[1].startswith("No people yet")
    monkeypatch.setenv("TIEGRAPH_STORE", "neo4j")
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    assert pages["intro_paths"].show_paths("Ana Ruiz", GI, [])[1].startswith("The data store is not available")


def test_intro_layout_reads_its_state_from_the_query(ids: dict[str, str], pages: dict) -> None:
    page = pages["intro_paths"].layout(**{"from": "Ana Ruiz", "to": GI, "exclude": f"{ids['Ben Okafor']},Dev Patel"})
    assert find(page, "intro-paths-from").value == ids["Ana Ruiz"]  # type: ignore[union-attr]
    assert find(page, "intro-paths-to").value == GI  # type: ignore[union-attr]
    assert find(page, "intro-paths-exclude").value == [ids["Ben Okafor"], ids["Dev Patel"]]  # type: ignore[union-attr]
    labels = [o["label"] for o in find(page, "intro-paths-to").options]  # type: ignore[union-attr]
    assert GI in labels and "Northfield University Hospital (institution)" in labels
    assert "Ana Ruiz: PGY2 resident, Lakeside Medical Center" in labels
    # as typed in a link: kept and offered (a dropdown drops values it does not offer)
    typed = pages["intro_paths"].layout(**{"from": "Nobody", "to": "GI fellowship at Northfield"})
    for id_, value in (("intro-paths-from", "Nobody"), ("intro-paths-to", "GI fellowship at Northfield")):
        dropdown = find(typed, id_)
        assert dropdown.value == value and {"label": value, "value": value} in dropdown.options  # type: ignore[union-attr]


def test_pickers_search_on_the_server_as_one_types(ids: dict[str, str], pages: dict) -> None:
    from dash.exceptions import PreventUpdate

    intro = pages["intro_paths"]
    labels = [o["label"] for o in intro.search_to("northfield", None, [])]
    assert labels == [
        GI,
        "Northfield University Hospital (institution)",
        "Chloe Zhang: alum, Associate Program Director, Northfield University Hospital",
        "Frank Lee: alum, GI fellow, Northfield University Hospital",
    ]
    ana = {"label": "Ana Ruiz: PGY2 resident, Lakeside Medical Center", "value": ids["Ana Ruiz"]}
    chosen = intro.search_exclude("OKAFOR", [ids["Ana Ruiz"]], [ana])  # the chosen stay, first
    assert [o["value"] for o in chosen] == [ids["Ana Ruiz"], ids["Ben Okafor"]]
    assert [o["value"] for o in intro.search_from("patel", None, [])] == [  # the home program's people first
        ids["Dev Patel"],
        ids["Devika Patel"],
        ids["D. Patel"],
    ]
    assert all(o["value"] not in {GI} for o in intro.search_from("gastro", None, []))  # people only
    for nothing in (None, "", "  "):
        with pytest.raises(PreventUpdate):
            intro.search_to(nothing, None, [])


def test_pickers_offer_a_few_before_one_types(
    ids: dict[str, str], pages: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages["intro_paths"], "OFFERED", 3)
    page = pages["intro_paths"].layout(**{"from": ids["Eli Cohen"], "to": GI})
    assert [o["value"] for o in find(page, "intro-paths-from").options] == [  # type: ignore[union-attr]
        ids["Eli Cohen"],  # the chosen first, then the first three by name
        ids["Ana Ruiz"],
        ids["Ben Okafor"],
        ids["Chloe Zhang"],
    ]
    assert [o["label"] for o in find(page, "intro-paths-to").options][:2] == [  # type: ignore[union-attr]
        GI,
        "Cardiology fellowship at Riverside Heart Institute",
    ]


def test_intro_layout_empty_and_unreachable(empty_env: Path, pages: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    assert text_of(pages["intro_paths"].layout()).endswith("then `tiegraph analyze`.")
    monkeypatch.setenv("TIEGRAPH_STORE", "neo4j")
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    assert "The data store is not available" in text_of(pages["intro_paths"].layout())


# -- data as plain functions -------------------------------------------------------------------------------------


def decide_as_if_clicked(module: ModuleType, button: str, selected: list[int], rows: list[dict]) -> tuple:
    """Call the decide callback with ``button`` as the triggering input (Dash's documented way)."""

    def run() -> tuple:
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": f"{button}.n_clicks", "value": 1}]))
        return module.decide_review(1, None, selected, rows)

    return copy_context().run(run)


def test_data_layout_sources_quarantine_review(dashboard_env: Path, pages: dict) -> None:
    page = pages["data"].layout()
    sources = find(page, "data-sources")
    assert sorted(r["file"] for r in sources.data) == ["alumni.csv", "contacts.csv", "contacts_more.csv", "roster.csv"]  # type: ignore[union-attr]
    quarantine = find(page, "data-quarantine")
    assert [(r["file"], r["row"], r["field"], r["value"]) for r in quarantine.data] == [  # type: ignore[union-attr]
        ("contacts.csv", 5, "date", "2024-13-01")
    ]
    review = find(page, "data-review")
    assert [(r["written_as"], r["candidate_name"]) for r in review.data] == [("D. Patel", "Devika Patel")]  # type: ignore[union-attr]
    assert review.data[0]["candidate_label"] == "Devika Patel: faculty, PD, Lakeside Medical Center"  # type: ignore[union-attr]
    assert all(t.page_size for t in (sources, quarantine, review))  # type: ignore[union-attr]


def test_decide_review_records_the_alias_and_empties_the_queue(dashboard_env: Path, pages: dict) -> None:
    rows = pages["data"].review_rows(Settings.from_env())
    data, selected, message, style = decide_as_if_clicked(pages["data"], "data-review-different", [0], rows)
    assert data == [] and selected == [] and style == {"display": "none"}
    assert message.startswith("Saved: D. Patel and Devika Patel are two people; every later ingest keeps them apart.")
    aliases = pd.read_csv(dashboard_env / "aliases.csv", dtype=str)
    assert aliases.to_dict("records") == [
        {"a": rows[0]["candidate_id"], "b": rows[0]["new_id"], "decision": "different"}
    ]


def test_decide_review_without_a_selection_asks_for_one(dashboard_env: Path, pages: dict) -> None:
    rows = [{"new_id": "x", "candidate_id": "y", "written_as": "X", "candidate_name": "Y"}]
    data, _, message, _ = decide_as_if_clicked(pages["data"], "data-review-same", [], rows)
    assert data == rows and message == "Select a row first."
    assert not (dashboard_env / "aliases.csv").exists()


def test_data_layout_empty_and_unreachable(empty_env: Path, pages: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    page = pages["data"].layout()
    assert text_of(find(page, "data-sources")).startswith("Nothing ingested yet")
    assert text_of(find(page, "data-quarantine")) == "No rows quarantined."
    assert text_of(find(page, "data-review-message")) == "Nothing to review."
    assert find(page, "data-review-box").style == {"display": "none"}  # type: ignore[union-attr]
    monkeypatch.setenv("TIEGRAPH_STORE", "neo4j")
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    assert text_of(find(pages["data"].layout(), "data-sources")).startswith("The data store is not available")


# -- in the browser ----------------------------------------------------------------------------------------------


class Console:
    """Console errors and uncaught exceptions of one page; a failing callback shows up as both."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))

    def _console(self, msg: ConsoleMessage) -> None:
        if msg.type == "error":
            self.errors.append(f"console error: {msg.text}")

    def assert_clean(self) -> None:
        assert self.errors == [], "\n".join(self.errors)


@pytest.fixture
def console(page: Page) -> Console:
    return Console(page)


def open_page(page: Page, url: str, main: str, name: str) -> float:
    """Go to ``url``; wait for ``main`` to be visible; record the time since navigation start."""
    page.goto(url)
    page.locator(main).first.wait_for(state="visible")
    ms = float(page.evaluate("performance.now()"))
    ARTIFACTS.mkdir(exist_ok=True)
    times = json.loads(LOAD_TIMES.read_text()) if LOAD_TIMES.exists() else {}
    parts = urlsplit(url)
    times[name] = {
        "url": parts.path + (f"?{parts.query}" if parts.query else ""),
        "main": main,
        "ms": round(ms),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    LOAD_TIMES.write_text(json.dumps(dict(sorted(times.items())), indent=2) + "\n")
    return ms


CY = "document.getElementById('%s')._cyreg.cy"
"""The Cytoscape.js instance of a network picture (dash-cytoscape keeps it on the picture's element)."""


def wait_for_network(page: Page, graph: str) -> None:
    """Wait until Cytoscape has drawn the picture's nodes."""
    page.wait_for_function(
        f"() => {{ const e = document.getElementById('{graph}'); return !!(e && e._cyreg && e._cyreg.cy && e._cyreg.cy.nodes().length) }}"
    )


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def pick(page: Page, dropdown: str, typed: str, option: str) -> None:
    """Type-ahead in a Dash 4 dropdown: open it, type, click the option, close it.

    The options the server sends for what was typed replace the list while it is
    open; a click that lands as they arrive selects nothing. So the click waits
    until no request is in flight, and is tried again until the dropdown shows the choice.
    """
    for _ in range(3):
        page.click(dropdown)
        page.locator(".dash-dropdown-search").fill(typed)
        page.wait_for_load_state("networkidle")
        page.get_by_role("option", name=option).click()
        page.keyboard.press("Escape")
        page.wait_for_load_state("networkidle")
        if option in page.locator(dropdown).inner_text():
            return
    expect(page.locator(dropdown)).to_contain_text(option)


@pytest.mark.browser
def test_overview_in_browser(dashboard_env: Path, live_server: str, page: Page, console: Console) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page, live_server + "/", "#overview-network canvas", "overview")
    expect(page.locator("#overview-counts")).to_contain_text("10People")
    expect(page.locator("#overview-counts")).to_contain_text("3Alumni")
    page.locator("#overview-strength .main-svg").first.wait_for(state="visible")  # plotly loads after the network
    wait_for_network(page, "overview-network")
    named = page.evaluate(f"{CY % 'overview-network'}.nodes('.labelled').map(n => n.data('name'))")
    assert {"Ana Ruiz", "Eli Cohen"} <= set(named)  # drawn, with their names
    expect(page.locator("#overview-people")).to_contain_text("Brokerage (betweenness)")
    expect(page.locator(".nav-link")).to_contain_text(["Overview", "Warm intros", "Data"])
    screenshot(page, "overview")
    console.assert_clean()


@pytest.mark.browser
def test_intro_paths_from_a_shared_link_then_exclude(
    ids: dict[str, str], live_server: str, page: Page, console: Console
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    url = f"{live_server}/intro-paths?from={ids['Ana Ruiz']}&to={GI.replace(' ', '+')}"
    open_page(page, url, "#intro-paths-results .intro-paths-path", "intro-paths")
    paths = page.locator(".intro-paths-path")
    expect(paths).to_have_count(2)
    expect(paths.locator("h3")).to_have_text(["1. Ask Ben Okafor", "2. Ask Dev Patel"])
    for i in range(2):
        expect(paths.nth(i).locator(".intro-paths-hop.weakest")).to_have_count(1)
    expect(paths.first.locator(".intro-paths-hop.weakest")).to_contain_text("Ben Okafor → Frank Lee")
    expect(page.locator("#intro-paths-draft-1")).to_have_value(re.compile(r"^Hi Ben, .* Ana Ruiz$"))
    expect(page.locator("#intro-paths-graph canvas").first).to_be_visible()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    paths.first.locator(".copy").click()
    assert page.evaluate("navigator.clipboard.readText()").startswith("Hi Ben,")
    screenshot(page, "intro-paths")

    pick(page, "#intro-paths-exclude", "Okafor", "Ben Okafor: faculty, APD, Lakeside Medical Center")
    expect(paths.locator("h3")).to_have_text(["1. Ask Dev Patel"])
    expect(page).to_have_url(re.compile(f"exclude={ids['Ben Okafor']}"))
    page.reload()
    expect(page.locator(".intro-paths-path h3")).to_have_text(["1. Ask Dev Patel"])
    console.assert_clean()


@pytest.mark.browser
def test_intro_paths_type_ahead_in_browser(ids: dict[str, str], live_server: str, page: Page, console: Console) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page, live_server + "/intro-paths", "#intro-paths-from", "intro-paths-empty-form")
    expect(page.locator("#intro-paths-message")).to_have_text("Pick yourself (From) and where you want to go (To).")
    pick(page, "#intro-paths-from", "ruiz", "Ana Ruiz: PGY2 resident, Lakeside Medical Center")
    pick(page, "#intro-paths-to", "northfield", "Northfield University Hospital (institution)")
    expect(page.locator("#intro-paths-message")).to_contain_text("to Northfield University Hospital")
    expect(page.locator(".intro-paths-path").first).to_be_visible()
    expect(page.locator("#intro-paths-graph canvas").first).to_be_visible()
    expect(page).to_have_url(re.compile(f"from={ids['Ana Ruiz']}&to=Northfield\\+University\\+Hospital$"))
    screenshot(page, "intro-paths-type-ahead")
    console.assert_clean()


@pytest.mark.browser
def test_intro_paths_unknown_person_in_browser(
    dashboard_env: Path, live_server: str, page: Page, console: Console
) -> None:
    open_page(
        page, live_server + "/intro-paths?from=Nobody+Here&to=Cardiology", "#intro-paths-main", "intro-paths-unknown"
    )
    expect(page.locator("#intro-paths-message")).to_have_text(
        re.compile(r"^No one called 'Nobody Here'; closest: .*\.$")
    )
    expect(page.locator(".intro-paths-path")).to_have_count(0)
    screenshot(page, "intro-paths-unknown")
    page.goto(live_server + "/intro-paths?from=Ana+Ruiz&to=GI+fellowship+at+Northfield")  # a hand-written link
    expect(page.locator("#intro-paths-message")).to_have_text(re.compile(f"^2 ways from Ana Ruiz to {GI}"))
    console.assert_clean()


@pytest.mark.browser
def test_data_page_confirm_a_merge_in_browser(
    dashboard_env: Path, live_server: str, page: Page, console: Console
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page, live_server + "/data", "#data-review", "data")
    expect(page.locator("#data-sources")).to_contain_text("contacts_more.csv")
    expect(page.locator("#data-quarantine")).to_contain_text("2024-13-01")
    expect(page.locator("#data-review")).to_contain_text("D. Patel")
    screenshot(page, "data")
    new_id, candidate_id = pd.read_csv(dashboard_env / "review.csv").iloc[0][["new_id", "candidate_id"]]

    from dashboards.data import views

    with views() as v:
        before = v.store.frame("interaction")
    page.locator("#data-review input[type=radio]").first.check()
    page.click("#data-review-same")
    expect(page.locator("#data-review-message")).to_have_text(
        "Saved: D. Patel and Devika Patel are one person, merged now; tie strengths follow at the next analysis."
        " Nothing to review."
    )
    aliases = pd.read_csv(dashboard_env / "aliases.csv", dtype=str).to_dict("records")
    assert aliases == [{"a": candidate_id, "b": new_id, "decision": "same"}]
    with views() as v:  # the decision took effect in the store at once: D. Patel's contacts are Devika Patel's
        people, after = v.store.frame("person"), v.store.frame("interaction")
    assert new_id not in set(people["id"]) and candidate_id in set(people["id"]) and len(people) == 9
    theirs = before[
        ((before["a"] == new_id) | (before["b"] == new_id))
        & (before["a"] != candidate_id)
        & (before["b"] != candidate_id)
    ]
    assert len(theirs) > 0 and set(theirs["id"]) <= set(after["id"])
    moved = after[after["id"].isin(theirs["id"])]
    assert ((moved["a"] == candidate_id) | (moved["b"] == candidate_id)).all()
    assert not ((after["a"] == new_id) | (after["b"] == new_id)).any()
    page.reload()
    expect(page.locator("#data-review-message")).to_have_text("Nothing to review.")
    expect(page.locator("#data-review-box")).to_be_hidden()
    assert pd.read_csv(dashboard_env / "review.csv").empty
    console.assert_clean()


@pytest.mark.browser
def test_every_page_on_an_empty_store_in_browser(
    empty_env: Path, live_server: str, page: Page, console: Console
) -> None:
    for path, name, message in [
        ("/", "overview-empty", "#overview-message"),
        ("/intro-paths", "intro-paths-empty", "#intro-paths-message"),
        ("/data", "data-empty", "#data-review-message"),
        ("/mentorship", "mentorship-empty", "#mentorship-message"),
        ("/alumni", "alumni-empty", "#alumni-message"),
        ("/person", "person-empty", "#person-message"),
    ]:
        open_page(page, live_server + path, message, name)
        expect(page.locator(message)).not_to_be_empty()
        expect(page.locator(".main-svg")).to_have_count(0)
        expect(page.locator("canvas")).to_have_count(0)  # no network picture either
        screenshot(page, name)
    console.assert_clean()
