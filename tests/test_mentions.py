"""Identity you can see and undo: the mentions a person was built from, a split by them, and its undo, on both stores.

The folder: two contact logs, ``2025/contacts.csv`` and ``2026/contacts.csv``, each writing "Sam Lee" with no
e-mail, so the resolver takes them for one person (same full name).  Every expected value below is read off
the rows written here (header on line 1, so the first data row is row 2).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page, expect
from test_dashboard import Console, open_page, pick, screenshot
from typer.testing import CliRunner

from graph.config import Settings
from graph.store import open_store

HEADER = "date,person_a,email_a,person_b,email_b,channel,context,note\n"
LOG_2025 = [
    "2025-03-01,Ana Ruiz,ana@lakeside.example,Sam Lee,,email,clinic,one\n",
    "2025-03-02,Ana Ruiz,ana@lakeside.example,Ben Okafor,ben@lakeside.example,email,clinic,two\n",
    "2025-03-03,Sam Lee,,Ben Okafor,ben@lakeside.example,call,wards,three\n",
]
LOG_2026 = [
    "2026-01-05,Ana Ruiz,ana@lakeside.example,Sam Lee,,email,clinic,four\n",
    "2026-01-06,Sam Lee,,Chloe Zhang,chloe@northfield.example,call,ACG,five\n",
]


@pytest.fixture
def years(tmp_path: Path) -> Path:
    folder = tmp_path / "years"
    for year, rows in (("2025", LOG_2025), ("2026", LOG_2026)):
        (folder / year).mkdir(parents=True)
        (folder / year / "contacts.csv").write_text(HEADER + "".join(rows))
    return folder


def _run(*args: str) -> tuple[int, str]:
    from pipelines.cli import app

    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def _notes_by_person() -> dict[str, set[str]]:
    """Each person's name to the notes of their contacts (several people of one name: names get a #n)."""
    with open_store(Settings.from_env()) as s:
        people = {p.id: p.name for p in s.records("person")}  # type: ignore[attr-defined]
        out: dict[str, set[str]] = {pid: set() for pid in people}
        for i in s.records("interaction"):
            out[i.a].add(i.note)  # type: ignore[attr-defined]
            out[i.b].add(i.note)  # type: ignore[attr-defined]
    return {pid: notes for pid, notes in out.items()}


def _sams() -> dict[str, set[str]]:
    with open_store(Settings.from_env()) as s:
        ids = [p.id for p in s.records("person") if p.name == "Sam Lee"]  # type: ignore[attr-defined]
    notes = _notes_by_person()
    return {pid: notes[pid] for pid in ids}


def _mentions(person: str) -> list[dict]:
    code, out = _run("mentions", person, "--json")
    assert code == 0, out
    return json.loads(out)


def test_a_merged_person_keeps_its_mentions_and_a_split_by_file_gives_two_people_at_once(
    configured: str, years: Path, home: Path
) -> None:
    from pipelines.ingest_flow import ingest_path

    ingest_path(years)
    [(sam, notes)] = _sams().items()
    assert notes == {"one", "three", "four", "five"}
    got = [(m["file"], m["row"], m["rows"], m["name"], m["email"]) for m in _mentions(sam)]
    assert got == [
        ("2025/contacts.csv", 2, [2, 4], "Sam Lee", None),
        ("2026/contacts.csv", 2, [2, 3], "Sam Lee", None),
    ]
    code, out = _run("mentions", sam)
    assert code == 0 and "built from 2 mentions" in out
    ana = [(m["file"], m["rows"], m["email"]) for m in _mentions("ana@lakeside.example")]
    assert ana == [
        ("2025/contacts.csv", [2, 3], "ana@lakeside.example"),
        ("2026/contacts.csv", [2], "ana@lakeside.example"),
    ]

    code, out = _run("resolve", "split", sam, "--file", "2026/contacts.csv", "--json")
    assert code == 0, out
    split = json.loads(out)
    assert split["person"] == sam and split["moved"] == {"interaction": 2, "mention": 1}
    new = split["new"]
    assert _sams() == {sam: {"one", "three"}, new: {"four", "five"}}  # two people now, each with their own contacts
    assert [m["file"] for m in _mentions(new)] == ["2026/contacts.csv"]
    aliases = pd.read_csv(home / "aliases.csv", dtype=str)
    assert set(aliases["decision"]) == {"different", "mention"}

    # a re-ingest of the edited 2026 log keeps the split: its Sam Lee is the new person
    (years / "2026" / "contacts.csv").write_text(HEADER + "".join(LOG_2026) + LOG_2026[1].replace("five", "six"))
    ingest_path(years)
    assert _sams() == {sam: {"one", "three"}, new: {"four", "five", "six"}}

    code, out = _run("resolve", "merge", new, sam)  # the undo
    assert code == 0, out
    assert _sams() == {sam: {"one", "three", "four", "five", "six"}}
    assert [m["file"] for m in _mentions(sam)] == ["2025/contacts.csv", "2026/contacts.csv"]
    (years / "2026" / "contacts.csv").write_text(HEADER + "".join(LOG_2026))  # row six deleted: back to the first
    ingest_path(years)
    assert _sams() == {sam: {"one", "three", "four", "five"}}
    [m2026] = [m for m in _mentions(sam) if m["file"] == "2026/contacts.csv"]
    assert m2026["rows"] == [2, 3]  # the deleted row's mention went with its snapshot


# -- the Data page: "built from N mentions", and a split there ---------------------------------------------------
# dashboard_env (conftest.py): Devika Patel (PD) is roster.csv row 6 and contacts_more.csv row 6 (with her e-mail);
# (and her program id F-0002); "D. Patel" is contacts_more.csv row 7 (no e-mail: a sign-out with Eli Cohen), kept apart and queued for review.


def _merge_d_patel(home: Path) -> tuple[str, str, set[str]]:
    """Merge the queued D. Patel into Devika Patel; their ids and D. Patel's contacts before the merge."""
    from dashboards.data import views

    queue = pd.read_csv(home / "review.csv", dtype=str)
    new_id, candidate_id = queue.iloc[0][["new_id", "candidate_id"]]
    with views() as v:
        before = v.store.frame("interaction")
        v.decide_match(home, new_id, candidate_id, "same")
    theirs = set(before.loc[(before["a"] == new_id) | (before["b"] == new_id), "id"])
    return new_id, candidate_id, theirs


def _contacts_of(pid: str) -> set[str]:
    from dashboards.data import views

    with views() as v:
        i = v.store.frame("interaction")
    return set(i.loc[(i["a"] == pid) | (i["b"] == pid), "id"])


def test_data_page_lists_the_mentions_and_splits_the_selected_off(dashboard_env: Path, pages: dict) -> None:
    from contextvars import copy_context

    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    _, devika, theirs = _merge_d_patel(dashboard_env)
    assert len(theirs) == 1  # the sign-out of row 7
    show = pages["data"].show_mentions

    def call(prop: str, selected: list[int], rows: list[dict]) -> tuple:
        def run() -> tuple:
            context_value.set(AttributeDict(triggered_inputs=[{"prop_id": prop, "value": 1}]))
            return show(devika, 1, selected, rows)

        return copy_context().run(run)

    data, selected, message, style = call("data-mentions-pick.value", [], [])
    assert message == "Devika Patel is built from 3 mentions." and style == {}
    assert [(r["file"], r["row"], r["n_rows"], r["name"]) for r in data] == [
        ("contacts_more.csv", 6, 1, "Devika Patel"),
        ("contacts_more.csv", 7, 1, "D. Patel"),
        ("roster.csv", 6, 1, "Devika Patel"),
    ]
    assert data[0]["keys"] == "e-mail devika.patel@lakeside.example; program id F-0002" and data[1]["keys"] == ""

    _, _, message, _ = call("data-mentions-split.n_clicks", [], data)
    assert message == "Select the rows that are someone else first."
    after, _, message, _ = call("data-mentions-split.n_clicks", [1], data)
    assert message.startswith("Split: 1 of them are now a second person with 1 contacts of their own")
    assert message.endswith("Devika Patel is built from 2 mentions.")
    assert [r["name"] for r in after] == ["Devika Patel", "Devika Patel"]
    from dashboards.data import views

    with views() as v:
        people = v.store.frame("person")
    [new] = people.loc[people["name"] == "D. Patel", "id"]
    assert _contacts_of(new) == theirs and not (theirs & _contacts_of(devika))
    assert len(people) == 10


@pytest.fixture
def console(page: Page) -> Console:
    return Console(page)


@pytest.mark.browser
def test_data_page_split_in_browser(dashboard_env: Path, live_server: str, page: Page, console: Console) -> None:

    _, devika, theirs = _merge_d_patel(dashboard_env)
    page.set_viewport_size({"width": 1280, "height": 1100})
    open_page(page, live_server + "/data", "#data-mentions-pick", "data-mentions")
    pick(page, "#data-mentions-pick", "Devika", "Devika Patel: faculty, PD, Lakeside Medical Center")
    expect(page.locator("#data-mentions-message")).to_have_text("Devika Patel is built from 3 mentions.")
    expect(page.locator("#data-mentions")).to_contain_text("D. Patel")
    page.locator("#data-mentions tr", has_text="D. Patel").locator("input[type=checkbox]").check()
    page.click("#data-mentions-split")
    expect(page.locator("#data-mentions-message")).to_contain_text("Devika Patel is built from 2 mentions.")
    expect(page.locator("#data-mentions")).not_to_contain_text("D. Patel")
    screenshot(page, "data-mentions-split")
    from dashboards.data import views

    with views() as v:
        people = v.store.frame("person")
    [new] = people.loc[people["name"] == "D. Patel", "id"]
    assert _contacts_of(new) == theirs
    console.assert_clean()


def test_review_items_and_errors_name_the_file_by_its_relative_path(
    home: Path, prefect_harness: None, tmp_path: Path
) -> None:
    """Three contacts.csv in three subfolders: 2026's "D. Patel" is queued (Devika or Dev?), 2027's has no name column."""
    from pipelines.ingest_flow import ingest_path

    folder = tmp_path / "years"
    files = {
        "2025": HEADER
        + "2025-03-01,Devika Patel,devika@lakeside.example,Ana Ruiz,ana@lakeside.example,email,clinic,a\n"
        + "2025-03-02,Dev Patel,dev@lakeside.example,Ana Ruiz,ana@lakeside.example,email,clinic,b\n",
        "2026": HEADER + "2026-01-05,D. Patel,,Ana Ruiz,ana@lakeside.example,call,wards,c\n",
        "2027": "date,who,whom\n2027-01-01,Ana Ruiz,Ben Okafor\n",
    }
    for year, text in files.items():
        (folder / year).mkdir(parents=True)
        (folder / year / "contacts.csv").write_text(text)
    reports = {r.file: r for r in ingest_path(folder)}
    assert reports["2027/contacts.csv"].error.startswith("2027/contacts.csv: no column for ")
    assert reports["2025/contacts.csv"].error is None and reports["2026/contacts.csv"].error is None
    queue = pd.read_csv(home / "review.csv", dtype=str)
    assert queue["written_as"].tolist() == ["D. Patel"] and queue["file"].tolist() == ["2026/contacts.csv"]
