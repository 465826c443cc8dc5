"""The letters and shortlist pages and the CLI's JSON for report alumni, letters and shortlist (``mentored_home``).

Who is who: see ``tests/test_dashboard_pages.py``.  Ana Ruiz (PGY2, Gastroenterology)
has declared mentors Ben Okafor (APD), Chloe Zhang (alum, Northfield GI faculty) and
Devika Patel (PD); the GI fellowship at Northfield has Chloe Zhang and Frank Lee.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from test_dashboard import Console, find, open_page, pick, screenshot
from typer.testing import CliRunner

GI = "Gastroenterology fellowship at Northfield University Hospital"


@pytest.fixture
def ana(mentored_env: Path) -> str:
    from dashboards.data import views

    with views() as v:
        return v.person_id("Ana Ruiz")


@pytest.fixture
def console(page: Page) -> Console:
    return Console(page)


def cli(*args: str) -> object:
    from pipelines.cli import app

    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# -- CLI --json -------------------------------------------------------------------------------------------------


def test_cli_report_alumni_json(mentored_env: Path, tmp_path: Path) -> None:
    got = cli("report", "alumni", "--out", str(tmp_path / "rep"), "--json")
    assert got["alumni"] == 3 and got["residents"] == 3 and got["level"] == 0.2
    by = {p["program"]: p for p in got["programs"]}
    assert set(by) == {GI, "Cardiology fellowship at Riverside Heart Institute"}
    assert by[GI]["members"] == 2 and 0 <= by[GI]["median_reach"] <= 1
    assert {n["name"] for n in got["names"]} == {"Chloe Zhang", "Frank Lee", "Hana Sato"}
    html = (tmp_path / "rep" / "alumni.html").read_text()
    assert "<th>Our alumni there</th>" in html
    # the report says which date tie recency was measured from: each source's latest contact
    from graph.config import Settings
    from graph.store import open_store

    with open_store(Settings.from_env()) as s:
        contacts = s.frame("interaction")
    happened = contacts[(contacts["a"] != contacts["b"]) & ~contacts["planned"].fillna(False).astype(bool)]
    ends = happened[happened["date"] != ""].groupby("source")["date"].max().to_dict()
    assert got["as_of"] == ends and got["analysed_at"]
    assert all(f"{d}" in html for d in ends.values()) and 'id="as-of"' in html
    assert (tmp_path / "rep" / "alumni_programs.csv").read_text().startswith("Fellowship program,Institution,City")


def test_cli_letters_json_ranks_tracks_and_times(mentored_env: Path) -> None:
    got = cli("letters", "--for", "Ana Ruiz", "--deadline", "2027-07-01", "--json")
    names = [c["name"] for c in got["candidates"]]
    assert {"Ben Okafor", "Devika Patel"} <= set(names) and "Dev Patel" not in names  # residents write no letters
    assert [c["score"] for c in got["candidates"]] == sorted((c["score"] for c in got["candidates"]), reverse=True)
    assert [s["on"] for s in got["timeline"]][:2] == ["2027-05-06", "2027-05-20"]  # 8 and 6 weeks before
    assert got["requests"] == []
    got = cli(
        "letters",
        "--for",
        "Ana Ruiz",
        "--writer",
        "Ben Okafor",
        "--state",
        "agreed",
        "--deadline",
        "2027-07-01",
        "--json",
    )
    assert [(r["name"], r["state"]) for r in got["requests"]] == [("Ben Okafor", "agreed")]
    got = cli(
        "letters",
        "--for",
        "Ana Ruiz",
        "--writer",
        "Ben Okafor",
        "--state",
        "submitted",
        "--deadline",
        "2027-07-01",
        "--json",
    )
    assert [(r["name"], r["state"]) for r in got["requests"]] == [("Ben Okafor", "submitted")]  # one request, updated


def test_cli_shortlist_json_has_three_reasons(mentored_env: Path, tmp_path: Path) -> None:
    got = cli("shortlist", "--for", "Ana Ruiz", "--csv", str(tmp_path / "s.csv"), "--json")
    assert [r["program"] for r in got] == [GI]  # Gastroenterology only
    assert [x["kind"] for x in got[0]["reasons"]] == ["reach", "alumni", "research_fit"]
    assert got[0]["alumni"] == 2 and got[0]["reach"] > 0
    assert (tmp_path / "s.csv").read_text().splitlines()[0] == "program,city,score,warm reach,alumni there,research fit"
    card = cli("shortlist", "--for", "Ana Ruiz", "--specialty", "Cardiology", "--json")
    assert [r["program"] for r in card] == ["Cardiology fellowship at Riverside Heart Institute"]


# -- pages as plain functions ----------------------------------------------------------------------------------


def test_letters_page_functions(ana: str, pages: dict) -> None:
    lp = pages["letters"]
    page = lp.layout(person=ana, deadline="2027-07-01")
    assert find(page, "letters-person").value == ana  # type: ignore[union-attr]
    cands, steps, reqs, writers, message, search = lp.show_letters(ana, "2027-07-01")
    assert message.startswith("") and "possible letter writers for Ana Ruiz" in message
    assert search == f"?person={ana}&deadline=2027-07-01" and len(steps) == 6 and reqs == []
    ben = next(w["value"] for w in writers if w["label"] == "Ben Okafor")
    saved, said = lp.save_request(1, ana, ben, "asked", "2027-07-01", 0)
    assert (saved, said) == (1, "Saved: Ben Okafor, asked.")
    assert [r["state"] for r in lp.show_letters(ana, "2027-07-01", 1)[2]] == ["asked"]
    assert lp.save_request(1, ana, None, "asked", "2027-07-01", 1) == (
        1,
        "Pick the writer and give the deadline first.",
    )


def test_shortlist_page_functions(ana: str, pages: dict) -> None:
    sp = pages["shortlist"]
    rows, message, search = sp.show_shortlist(ana, None)
    assert [r["program"] for r in rows] == [GI] and message == "1 fellowship programs, the best first."
    assert re.match(r"\d+% chance", rows[0]["reach"]) and rows[0]["alumni"].startswith("2: ")
    assert search == f"?person={ana}"
    csv = sp.download_csv(1, ana, None)
    assert csv["content"].splitlines()[0].startswith("Rank,Fellowship program,City,Overall (of 1),Warm reach")


# -- in the browser ----------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_letters_in_browser(ana: str, live_server: str, page: Page, console: Console) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page, f"{live_server}/letters?person={ana}&deadline=2027-07-01", "#letters-candidates td", "letters")
    expect(page.locator("#letters-timeline li")).to_have_count(6)
    expect(page.locator("#letters-timeline li").first).to_contain_text("2027-05-06: ask from today")
    expect(page.locator("#letters-candidates td[data-dash-column=name]").first).to_be_visible()
    pick(page, "#letters-writer", "Ben", "Ben Okafor")
    page.click("#letters-save")
    expect(page.locator("#letters-save-message")).to_have_text("Saved: Ben Okafor, asked.")
    expect(page.locator("#letters-requests td[data-dash-column=state]")).to_have_text(["asked"])
    screenshot(page, "letters")
    console.assert_clean()


@pytest.mark.browser
def test_shortlist_in_browser(ana: str, live_server: str, page: Page, console: Console) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page, f"{live_server}/shortlist?person={ana}", "#shortlist-table td", "shortlist")
    expect(page.locator("#shortlist-table td[data-dash-column=program]")).to_have_text([GI])
    expect(page.locator("#shortlist-table td[data-dash-column=alumni]")).to_contain_text(["2: "])
    screenshot(page, "shortlist")
    with page.expect_download() as got:
        page.click("#shortlist-csv-button")
    assert got.value.suggested_filename == "fellowship-shortlist.csv"
    console.assert_clean()


@pytest.mark.browser
def test_mentorship_says_thin_in_browser(mentored_env: Path, live_server: str, page: Page, console: Console) -> None:
    page.set_viewport_size({"width": 1400, "height": 900})
    open_page(page, live_server + "/mentorship", "#mentorship-table td", "mentorship-thin")
    expect(page.locator("#mentorship-table td[data-dash-column=network]")).to_have_text(["thin", "thin", "adequate"])
    expect(page.locator("#mentorship-message")).to_contain_text("2 thin (score below 60)")
    expect(page.locator("#mentorship-table td[data-dash-column=single_thread]").last).to_contain_text("Chloe Zhang")
    screenshot(page, "mentorship-thin")
    console.assert_clean()


@pytest.mark.browser
def test_alumni_reach_in_browser(mentored_env: Path, live_server: str, page: Page, console: Console) -> None:
    page.set_viewport_size({"width": 1400, "height": 900})
    open_page(page, live_server + "/alumni", "#alumni-names td", "alumni-names")
    expect(page.locator("#alumni-programs th[data-dash-column=residents_reach]")).to_contain_text("reach them warmly")
    expect(page.locator("#alumni-programs td[data-dash-column=members]")).to_have_text(["2", "1"])
    page.locator("#alumni-reach .main-svg").first.wait_for(state="visible")  # plotly loads late on a busy machine
    pick(page, "#alumni-city", "Chic", "Chicago")
    expect(page.locator("#alumni-names td[data-dash-column=name]")).to_have_text(["Hana Sato"])
    expect(page).to_have_url(re.compile(r"/alumni\?city=Chicago$"))
    screenshot(page, "alumni-reach")
    console.assert_clean()
