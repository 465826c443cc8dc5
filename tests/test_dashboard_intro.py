"""Issue 17 on the dashboard: finding people as people type, diverse paths, the draft, links that survive login.

Plain functions first, then headless Chromium (helpers from ``test_dashboard.py``).  The data:
``intro_home`` in conftest.py, the dashboard's input plus ``tests/data/dashboard_intro``.  Who is
who (by hand, from the input files):

* Walter Brooks, PGY1 resident (Cardiology); Alice Walters, alum, cardiologist at Riverside
  Regional Medical Center ("Re-gi-onal": "gi" inside a word).
* Gene Chen twice: a PGY3 resident (gene.chen@lakeside.example) and an alum hospitalist at
  Riverside Regional (gene.chen@regional.example).
* Ana Ruiz reaches Alice Walters only through Hana Sato: Ana - Eli Cohen or Walter Brooks -
  Grace Kim - Hana Sato - Alice Walters.  To the GI fellowship at Northfield: Ana - Ben Okafor -
  Frank Lee and Ana - Dev Patel - Chloe Zhang (different bridges).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Page, expect
from test_dashboard import Console, open_page, screenshot
from test_dashboard_pages import PASSWORD, add_account
from typer.testing import CliRunner

from dashboards.auth import after_login
from graph.access import Role, Viewer
from graph.errors import AmbiguousError

GI = "Gastroenterology fellowship at Northfield University Hospital"
REGIONAL = "Cardiology fellowship at Riverside Regional Medical Center"


@pytest.fixture
def ids(intro_env: Path) -> dict[str, str]:
    from dashboards.data import views

    with views() as v:
        out = {
            n: v.person_id(n)
            for n in ("Ana Ruiz", "Walter Brooks", "Alice Walters", "Ben Okafor", "Frank Lee", "Hana Sato")
        }
        out["Gene Chen (resident)"] = v.person_id("gene.chen@lakeside.example")
        out["Gene Chen (alum)"] = v.person_id("gene.chen@regional.example")
        return out


@pytest.fixture
def console(page: Page) -> Iterator[Console]:
    yield Console(page)  # assertions wait up to a minute for late callbacks (tests/conftest.py)


# -- finding people -------------------------------------------------------------------------------------------------


def test_a_name_picks_by_whole_words_home_program_first(ids: dict[str, str]) -> None:
    from dashboards.data import views

    with views() as v:
        assert v.person_id("Walter") == ids["Walter Brooks"]  # a word of his name; "Walters" only begins with it
        assert v.person_id("walters") == ids["Alice Walters"]
        assert v.person_id("Walt") == ids["Walter Brooks"]  # both begin with it: the resident before the alum
        with pytest.raises(AmbiguousError) as err:
            v.person_id("Gene Chen")
    assert [c for c, _ in err.value.candidates] == [ids["Gene Chen (resident)"], ids["Gene Chen (alum)"]]
    said = str(err.value)
    assert said.startswith("'Gene Chen' could be 2 people: Gene Chen (PGY3 resident, Lakeside Medical Center")
    assert "Gene Chen (alum, Hospitalist, Riverside Regional Medical Center" in said
    assert "gene.chen@regional.example" in said and said.endswith("Pick one by id or e-mail")


def test_type_ahead_ranks_words_then_kind(ids: dict[str, str], pages: dict) -> None:
    intro = pages["intro_paths"]
    walter = intro.search_from("Walter", None, [])
    assert [o["value"] for o in walter] == [ids["Walter Brooks"], ids["Alice Walters"]]
    assert walter[0]["label"] == "Walter Brooks: PGY1 resident, Lakeside Medical Center"
    assert walter[1]["label"] == "Alice Walters: alum, Attending cardiologist, Riverside Regional Medical Center"
    gene = [o["label"] for o in intro.search_from("gene", None, [])]
    assert gene == [
        "Gene Chen: PGY3 resident, Lakeside Medical Center",
        "Gene Chen: alum, Hospitalist, Riverside Regional Medical Center",
    ]


@pytest.mark.parametrize("typed", ["GI", "gi", "gastro", "GI fellowship"])
def test_a_specialty_word_offers_that_specialty_only(ids: dict[str, str], pages: dict, typed: str) -> None:
    offered = pages["intro_paths"].search_to(typed, None, [])
    labels = [o["label"] for o in offered]
    assert labels[:2] == [GI, "Gastroenterology (anyone in the specialty)"]
    assert not any("Regional" in x or "Cardiology" in x for x in labels)  # no "Re-gi-onal"
    assert {o["value"] for o in offered[2:]} == {ids["Ana Ruiz"], ids["Ben Okafor"], ids["Frank Lee"]} | {
        o["value"] for o in offered if o["label"].startswith("Chloe Zhang")
    }


@pytest.mark.parametrize(
    ("typed", "specialty"),
    [
        ("cards", "Cardiology"),
        ("pulm/CC", "Pulmonary/Critical Care"),
        ("heme/onc", "Hematology/Oncology"),
        ("Heme-Onc", "Hematology/Oncology"),
        ("ID", "Infectious Disease"),
        ("renal", "Nephrology"),
        ("nephro", "Nephrology"),
        ("hospitalist", "Hospital Medicine"),
        ("Regional", None),
        ("gin", None),
    ],
)
def test_specialty_words(typed: str, specialty: str | None) -> None:
    from graph.analytics.targets import specialty_of

    assert specialty_of(typed) == specialty


def test_an_ambiguous_name_in_a_link_offers_the_choices(ids: dict[str, str], pages: dict) -> None:
    results, message, _ = pages["intro_paths"].show_paths("Gene Chen", GI, [])
    assert message.startswith("'Gene Chen' could be 2 people") and message.endswith(".")
    links = results[0].children[1].children
    hrefs = [parse_qs(li.children.href.split("?", 1)[1]) for li in links]
    assert hrefs == [
        {"from": [ids["Gene Chen (resident)"]], "to": [GI]},
        {"from": [ids["Gene Chen (alum)"]], "to": [GI]},
    ]
    results, message, _ = pages["intro_paths"].show_paths(ids["Ana Ruiz"], "Gene Chen", [])
    assert [parse_qs(li.children.href.split("?", 1)[1])["to"] for li in results[0].children[1].children] == [
        [ids["Gene Chen (resident)"]],
        [ids["Gene Chen (alum)"]],
    ]


@pytest.mark.parametrize("args", [["intro", "--from", "Gene Chen", "--to", GI], ["due", "Gene Chen"]])
def test_the_cli_lists_the_candidates(ids: dict[str, str], args: list[str]) -> None:
    from pipelines.cli import app

    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    said = " ".join(result.output.split())
    assert "'Gene Chen' could be 2 people" in said and "gene.chen@lakeside.example" in said
    assert "Pick one by id or e-mail" in said


def test_user_add_with_an_ambiguous_person_says_how_to_pick(ids: dict[str, str], monkeypatch) -> None:
    from pipelines.cli import app

    monkeypatch.setenv("TIEGRAPH_PASSWORD", PASSWORD)
    result = CliRunner().invoke(app, ["user", "add", "gene", "--role", "resident", "--person", "Gene Chen"])
    assert result.exit_code == 1 and "could be 2 people" in " ".join(result.output.split())
    result = CliRunner().invoke(
        app, ["user", "add", "gene", "--role", "resident", "--person", "gene.chen@lakeside.example"]
    )
    assert result.exit_code == 0, result.output


# -- diverse paths and the draft ------------------------------------------------------------------------------------


def test_the_page_says_when_every_path_goes_through_one_person(ids: dict[str, str], pages: dict) -> None:
    results, message, _ = pages["intro_paths"].show_paths(ids["Ana Ruiz"], REGIONAL, [])
    assert message.startswith(f"2 ways from Ana Ruiz to {REGIONAL}")
    assert "Every path goes through Hana Sato" in message
    _, message, _ = pages["intro_paths"].show_paths(ids["Ana Ruiz"], GI, [])
    assert "Every path goes through" not in message  # Ben -> Frank, Dev -> Chloe


def test_the_draft_names_the_target_the_chain_and_the_shared_context(ids: dict[str, str], pages: dict) -> None:
    results, _, _ = pages["intro_paths"].show_paths(ids["Ana Ruiz"], GI, [])
    drafts = [c.value for p in results[1:] for c in p.children if getattr(c, "className", "") == "draft"]
    assert drafts[0] == (
        "Hi Ben, I hope you are well since we worked together in clinic. I am interested in the "
        f"{GI}. I understand you know Frank Lee (alum, GI fellow, Northfield University Hospital). "
        "Would you be willing to introduce me to Frank? I would value 15 minutes of advice on the program. "
        "Thank you! Ana Ruiz"
    )
    results, _, _ = pages["intro_paths"].show_paths(ids["Ana Ruiz"], REGIONAL, [])
    four = [c.value for c in results[1].children if getattr(c, "className", "") == "draft"][0]
    assert "you know Grace Kim, who knows Hana Sato, who knows Alice Walters (alum, Attending cardiologist" in four
    assert "introduce me to Grace, so that I might reach Alice?" in four
    assert "since we worked together on the wards" in four  # Ana and Eli: wards
    assert f"I am interested in the {REGIONAL}." in four


@pytest.mark.parametrize(
    ("kind", "label", "aim", "wants"),
    [
        ("specialty", "Gastroenterology", "I am interested in Gastroenterology.", "a career in Gastroenterology"),
        ("institution", "Northfield", "I am interested in training at Northfield.", "training there"),
        ("program", "GI fellowship at X", "I am interested in the GI fellowship at X.", "the program"),
    ],
)
def test_the_draft_says_what_is_wanted_in_the_targets_own_words(kind: str, label: str, aim: str, wants: str) -> None:
    from graph.analytics.paths import Hop, IntroPath
    from graph.analytics.targets import Target
    from graph.views import IntroAnswer

    names = {"r": "Rosa Diaz", "k": "Kaylee Kline", "t": "Tom Ward"}
    one = IntroPath(("r", "k"), (Hop("r", "k", 0.2, None, ""),), 1.6)
    two = IntroPath(("r", "k", "t"), (Hop("r", "k", 0.2, None, ""), Hop("k", "t", 0.5, None, "")), 2.3)
    ans = IntroAnswer("r", Target(kind, "x", label, frozenset({"t"})), [one, two], names, shared={"k": "at ACG"})
    assert ans.draft(one) == (
        f"Hi Kaylee, I hope you are well since we met at ACG. {aim} "
        f"Could I ask you for 15 minutes of advice on {wants}? Thank you! Rosa Diaz"
    )
    assert ans.draft(two) == (
        f"Hi Kaylee, I hope you are well since we met at ACG. {aim} I understand you know Tom Ward. "
        f"Would you be willing to introduce me to Tom? I would value 15 minutes of advice on {wants}. Thank you! Rosa Diaz"
    )


# -- login ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("asked", "viewer", "lands"),
    [
        ("/intro-paths?from=x&to=GI", Viewer("ana", Role.RESIDENT, "p-ana"), "/intro-paths?from=x&to=GI"),
        ("", Viewer("ana", Role.RESIDENT, "p-ana"), "/person"),
        ("/", Viewer("ana", Role.RESIDENT, "p-ana"), "/person"),
        ("", Viewer("paul", Role.LEADERSHIP, None), "/"),
        ("//evil.example/x", Viewer("paul", Role.LEADERSHIP, None), "/"),
        ("https://evil.example/", Viewer("ana", Role.RESIDENT, "p-ana"), "/person"),
        ("/\\evil.example", Viewer("ana", Role.RESIDENT, "p-ana"), "/person"),
    ],
)
def test_after_login(asked: str, viewer: Viewer, lands: str) -> None:
    assert after_login(asked, viewer) == lands


# -- in the browser ---------------------------------------------------------------------------------------------------


def type_in(page: Page, dropdown: str, typed: str) -> None:
    page.click(dropdown)
    page.locator(".dash-dropdown-search").fill(typed)


@pytest.mark.browser
def test_walter_and_enter_picks_the_resident_in_browser(
    ids: dict[str, str], live_server: str, page: Page, console: Console
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page, live_server + "/intro-paths", "#intro-paths-from", "intro-type-ahead-walter")
    type_in(page, "#intro-paths-from", "Walter")
    options = page.get_by_role("option")
    expect(options.first).to_have_text("Walter Brooks: PGY1 resident, Lakeside Medical Center")
    expect(options).to_have_count(2)
    screenshot(page, "intro-type-ahead-walter")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"from={ids['Walter Brooks']}"))
    console.assert_clean()


@pytest.mark.browser
def test_gi_offers_only_gastroenterology_in_browser(
    ids: dict[str, str], live_server: str, page: Page, console: Console
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page, f"{live_server}/intro-paths?from={ids['Ana Ruiz']}", "#intro-paths-to", "intro-type-ahead-gi")
    type_in(page, "#intro-paths-to", "GI")
    options = page.get_by_role("option")
    expect(options.first).to_have_text(GI)
    expect(options.nth(1)).to_have_text("Gastroenterology (anyone in the specialty)")
    labels = options.all_inner_texts()
    assert not any("Regional" in x or "Cardiology" in x for x in labels), labels
    screenshot(page, "intro-type-ahead-gi")
    page.keyboard.press("Enter")
    expect(page.locator("#intro-paths-message")).to_have_text(re.compile(f"^2 ways from Ana Ruiz to {GI}"))
    console.assert_clean()


@pytest.mark.browser
def test_an_ambiguous_name_shows_choices_in_browser(
    ids: dict[str, str], live_server: str, page: Page, console: Console
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page, f"{live_server}/intro-paths?from=Gene+Chen&to=GI", "#intro-paths-choices", "intro-ambiguous")
    expect(page.locator("#intro-paths-message")).to_have_text(re.compile(r"^'Gene Chen' could be 2 people"))
    choices = page.locator(".intro-paths-choice")
    expect(choices).to_have_count(2)
    expect(choices.nth(1)).to_contain_text("alum, Hospitalist, Riverside Regional Medical Center")
    screenshot(page, "intro-ambiguous")
    choices.nth(0).click()
    expect(page).to_have_url(re.compile(f"from={ids['Gene Chen (resident)']}"))
    expect(page.locator("#intro-paths-message")).to_have_text("Gene Chen has no ties yet, so there is no one to ask.")
    console.assert_clean()


@pytest.mark.browser
def test_draft_names_the_target_and_is_edited_before_copying_in_browser(
    ids: dict[str, str], live_server: str, page: Page, console: Console
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    url = f"{live_server}/intro-paths?from={ids['Ana Ruiz']}&to={GI.replace(' ', '+')}"
    open_page(page, url, "#intro-paths-draft-1", "intro-draft")
    draft = page.locator("#intro-paths-draft-1")
    expect(draft).to_have_value(re.compile(f"I am interested in the {GI}. I understand you know Frank Lee"))
    draft.fill("Hi Ben, could you introduce me to Frank Lee? Thanks, Ana")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.locator(".intro-paths-path").first.locator(".copy").click()
    assert page.evaluate("navigator.clipboard.readText()") == "Hi Ben, could you introduce me to Frank Lee? Thanks, Ana"
    page.goto(f"{live_server}/intro-paths?from={ids['Ana Ruiz']}&to={REGIONAL.replace(' ', '+')}")
    expect(page.locator("#intro-paths-message")).to_contain_text("Every path goes through Hana Sato")
    screenshot(page, "intro-every-path-through-one")
    console.assert_clean()


@pytest.mark.browser
def test_a_shared_link_survives_login_in_browser(
    ids: dict[str, str], live_server: str, page: Page, console: Console
) -> None:
    add_account("ana", "resident", ids["Ana Ruiz"])
    link = f"{live_server}/intro-paths?from={ids['Ana Ruiz']}&to={GI.replace(' ', '+')}"
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fintro-paths%3Ffrom%3D"))
    page.fill("#login-name", "ana")
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    expect(page).to_have_url(link)
    expect(page.locator("#intro-paths-message")).to_have_text(re.compile(f"^2 ways from Ana Ruiz to {GI}"))
    console.assert_clean()
    fresh = page.context.browser.new_context().new_page()  # another browser: not signed in
    fresh.goto(live_server + "/")
    fresh.fill("#login-name", "ana")
    fresh.fill("#login-password", PASSWORD)
    fresh.click("#login-submit")
    expect(fresh).to_have_url(live_server + "/person")  # her own view, not the leadership overview
    expect(fresh.locator("#person-name")).to_have_text("Ana Ruiz")
    fresh.context.close()


# -- the loop: ask, log an outcome, follow up; stay in touch that acts ------------------------------------------------


@pytest.mark.browser
def test_ask_log_an_outcome_and_see_the_follow_up_in_browser(
    ids: dict[str, str], live_server: str, page: Page, console: Console
) -> None:
    from datetime import UTC, date, datetime, timedelta

    from dashboards.data import views
    from graph.analytics.introductions import new_request

    page.set_viewport_size({"width": 1280, "height": 900})
    url = f"{live_server}/intro-paths?from={ids['Ana Ruiz']}&to={GI.replace(' ', '+')}"
    open_page(page, url, ".intro-paths-path .ask", "intro-ask")
    page.locator(".intro-paths-path").first.locator(".ask").click()
    expect(page.locator(".intro-paths-path").first.locator(".asked")).to_contain_text(
        f"Recorded: you asked Ben Okafor on {date.today().isoformat()}"
    )
    with views() as v:
        [req] = v.store.records("intro_request")
        assert (req.requester, req.first_contact, req.state, req.source) == (
            ids["Ana Ruiz"],
            ids["Ben Okafor"],
            "asked",
            "dashboard",
        )
        assert req.path == " > ".join([ids["Ana Ruiz"], ids["Ben Okafor"], ids["Frank Lee"]])
        old = new_request(  # asked ten days ago, still no answer
            (ids["Ana Ruiz"], ids["Hana Sato"], ids["Alice Walters"]),
            REGIONAL,
            REGIONAL,
            at=datetime.now(UTC) - timedelta(days=10),
            by="test",
            source="test",
        )
        v.store.upsert("intro_request", [old])
    page.goto(f"{live_server}/person?id={ids['Ana Ruiz']}")
    rows = page.locator("#person-intro-list .intro-row")
    expect(rows).to_have_count(2)
    expect(page.locator(".intro-row.follow-up-due")).to_contain_text(f"{REGIONAL}: asked Hana Sato")
    expect(page.locator(".intro-row.follow-up-due .intro-follow-up")).to_contain_text("follow up: no answer since")
    ben = page.locator(".intro-row", has_text="asked Ben Okafor")
    ben.locator(".intro-state").click()
    page.get_by_role("option", name="met").click()
    expect(page.locator("#person-intro-said")).to_have_text(f"Recorded: {GI} via Ben Okafor is now met.")
    screenshot(page, "person-intro-requests")
    with views() as v:
        met = v.store.get("intro_request", req.id)
        assert met.state == "met" and met.history.endswith("met " + date.today().isoformat() + " by local")
    page.reload()
    expect(page.locator(".intro-row", has_text="asked Ben Okafor").locator(".intro-state")).to_contain_text("met")
    console.assert_clean()


@pytest.mark.browser
def test_a_logged_contact_leaves_the_due_list_in_browser(
    mentored_env: Path, live_server: str, page: Page, console: Console
) -> None:
    from datetime import date

    from dashboards.data import views

    with views() as v:
        ana, chloe = v.person_id("Ana Ruiz"), v.person_id("Chloe Zhang")
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page, f"{live_server}/person?id={ana}", "#person-due-actions .due-row", "person-due-actions")
    expect(page.locator("#person-due")).to_contain_text("Chloe Zhang")
    row = page.locator(".due-row", has_text="Chloe Zhang")
    row.locator(".due-log").click()  # one
    row.locator(".due-save").click()  # two
    expect(page.locator("#person-due-done-said")).to_have_text(
        f"Logged: in person with Chloe Zhang on {date.today().isoformat()}."
    )
    expect(page.locator("#person-due")).not_to_contain_text("Chloe Zhang")
    expect(page.locator("#person-due")).to_contain_text("Devika Patel")
    screenshot(page, "person-due-logged")
    with views() as v:
        logged = [i for i in v.store.find("interaction", "a", [ana]) if i.source == "dashboard"]
        assert [(i.b, i.date, i.channel) for i in logged] == [(chloe, date.today().isoformat(), "in_person")]
    page.locator(".due-row", has_text="Devika Patel").locator(".due-snooze").click()
    expect(page.locator("#person-due-done-said")).to_contain_text("Snoozed Devika Patel until")
    expect(page.locator(".due-row")).to_have_count(0)
    console.assert_clean()
