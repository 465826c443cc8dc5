"""Who may see what, enforced in graph.views for every role; opt-out; the audit log; accounts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from graph.access import AccessDenied, Role, Viewer, add_user, authenticate
from graph.model import Affiliation, Assessment, Institution, Interaction, Mentorship, Person, Program, Tie
from graph.store.sqlite_store import SqliteStore
from graph.views import Views

TODAY = date(2026, 11, 1)


@pytest.fixture
def store(tmp_path: Path) -> SqliteStore:
    s = SqliteStore(tmp_path / "a.db")
    s.upsert(
        "institution", [Institution(id="home", name="Home Hospital"), Institution(id="north", name="North Hospital")]
    )
    s.upsert(
        "program",
        [
            Program(
                id="gi",
                name="Gastroenterology fellowship at North Hospital",
                institution_id="north",
                specialty="Gastroenterology",
                level="fellowship",
            ),
            Program(
                id="im",
                name="Internal Medicine residency at Home Hospital",
                institution_id="home",
                specialty="Internal Medicine",
                level="residency",
            ),
        ],
    )
    s.upsert(
        "person",
        [
            Person(
                id="r1", name="Rita Res", kind="resident", pgy=2, specialty="Gastroenterology", institution_id="home"
            ),
            Person(id="r2", name="Ravi Res", kind="resident", pgy=2, specialty="Cardiology", institution_id="home"),
            Person(
                id="m1",
                name="Mona Mentor",
                kind="faculty",
                role="attending",
                specialty="Gastroenterology",
                institution_id="home",
            ),
            Person(id="pd", name="Paul Director", kind="faculty", role="PD", institution_id="home"),
            Person(
                id="hid", name="Hidden Helper", kind="faculty", role="attending", institution_id="home", opted_out=True
            ),
            Person(
                id="al",
                name="Alma Alum",
                kind="alumnus",
                grad_year=2018,
                specialty="Gastroenterology",
                institution_id="north",
                role="GI Fellow",
            ),
        ],
    )
    s.upsert(
        "affiliation",
        [
            Affiliation(id="a1", person="al", program="gi", role="fellow"),
            Affiliation(id="a2", person="al", program="im", role="alumnus"),
        ],
    )
    s.upsert("mentorship", [Mentorship(id="ms", mentor="m1", mentee="r1", type="clinical")])
    s.upsert("interaction", [Interaction(id="i1", a="r1", b="m1", date="2026-10-01")])
    s.upsert(
        "tie",
        [
            Tie(id="t1", a="m1", b="r1", strength=0.6, computed_at="c", reasons="x"),
            Tie(id="t2", a="hid", b="r1", strength=0.9, computed_at="c", reasons="y"),
            Tie(id="t3", a="al", b="hid", strength=0.9, computed_at="c", reasons="z"),
            Tie(id="t4", a="al", b="m1", strength=0.3, computed_at="c", reasons="w"),
            Tie(id="t5", a="r2", b="pd", strength=0.5, computed_at="c", reasons="v"),
        ],
    )
    s.upsert(
        "assessment",
        [
            Assessment(id="s1", person="r1", score=70, pgy=2, computed_at="c"),
            Assessment(id="s2", person="r2", score=20, pgy=2, computed_at="c"),
        ],
    )
    return s


RESIDENT = Viewer("rita", Role.RESIDENT, "r1")
MENTOR = Viewer("mona", Role.MENTOR, "m1")
LEADER = Viewer("paul", Role.LEADERSHIP, "pd")
ADMIN = Viewer("root", Role.ADMIN)
ALL = [RESIDENT, MENTOR, LEADER, ADMIN]


def call(store, viewer: Viewer, query: str):  # noqa: ANN001, ANN201
    v = Views(store, viewer)
    return {
        "own ties": lambda: v.person_ties("r1"),
        "others' ties": lambda: v.person_ties("r2"),
        "own assessment rows": lambda: set(v.mentorship_table()["person"]),
        "person page of r2": lambda: v.person_profile("r2", today=TODAY),
        "due of r1": lambda: v.due("r1", today=TODAY),
        "intro from r1": lambda: v.intro("r1", "Gastroenterology fellowship at North Hospital"),
        "intro from r2": lambda: v.intro("r2", "Gastroenterology fellowship at North Hospital"),
        "alumni report": lambda: v.alumni_report(),
        "data sources": lambda: v.status(),
        "audit log": lambda: v.audit_log(),
        "mentorship network of r1": lambda: v.mentorship_network("r1"),
    }[query]()


ALLOWED = {  # query -> roles that may run it
    "own ties": {"resident", "mentor", "leadership", "admin"},
    "others' ties": {"leadership", "admin"},
    "person page of r2": {"leadership", "admin"},
    "due of r1": {"resident", "mentor", "leadership", "admin"},  # the mentor mentors r1
    "intro from r1": {"resident", "leadership", "admin"},
    "intro from r2": {"leadership", "admin"},
    "alumni report": {"leadership", "admin"},
    "data sources": {"leadership", "admin"},
    "audit log": {"admin"},
    "mentorship network of r1": {"resident", "mentor", "leadership", "admin"},
}


@pytest.mark.parametrize("viewer", ALL, ids=lambda v: v.role.value)
@pytest.mark.parametrize("query", sorted(ALLOWED))
def test_role_matrix(store, viewer: Viewer, query: str) -> None:
    if viewer.role.value in ALLOWED[query]:
        assert call(store, viewer, query) is not None
    else:
        with pytest.raises(AccessDenied):
            call(store, viewer, query)


@pytest.mark.parametrize(
    ("viewer", "rows"),
    [(RESIDENT, {"r1"}), (MENTOR, {"r1"}), (LEADER, {"r1", "r2"}), (ADMIN, {"r1", "r2"})],
    ids=lambda x: getattr(x, "role", ""),
)
def test_mentorship_rows_each_role_sees(store, viewer: Viewer, rows: set[str]) -> None:
    assert call(store, viewer, "own assessment rows") == rows


def test_opted_out_person_vanishes_from_others_views(store) -> None:
    v = Views(store, LEADER)
    assert "hid" not in set(v.centrality_table()["id"])
    assert "Hidden Helper" not in set(v.person_ties("r1")["name"])
    ans = v.intro("r1", "Gastroenterology fellowship at North Hospital")
    assert ans.paths and all("hid" not in p.people for p in ans.paths)  # the strong path through hid is gone
    assert v.counts()["people"] == 5


def test_opted_out_person_keeps_their_own_view(store) -> None:
    me = Viewer("hidden", Role.RESIDENT, "hid")
    assert Views(store, me).person_profile("hid", today=TODAY)["id"] == "hid"


def test_views_by_others_are_audited_own_views_are_not(store) -> None:
    Views(store, RESIDENT).person_profile("r1", today=TODAY)
    Views(store, LEADER).person_profile("r1", today=TODAY)
    Views(store, MENTOR).mentorship_table()
    log = Views(store, ADMIN).audit_log()
    assert sorted(zip(log["who"], log["action"], log["subject"], strict=True)) == [
        ("mona", "mentorship assessment", "r1"),
        ("paul", "person page", "r1"),
    ]


def test_accounts_hash_passwords_and_authenticate(store) -> None:
    add_user(store, "rita", "resident", "a long secret", person="r1")
    stored = store.get("user", "rita")
    assert stored.password_hash.startswith("$argon2id$") and "a long secret" not in stored.password_hash
    assert authenticate(store, "rita", "a long secret") == RESIDENT
    assert authenticate(store, "rita", "wrong password") is None
    assert authenticate(store, "nobody", "a long secret") is None
    with pytest.raises(Exception, match="needs --person"):
        add_user(store, "x", "resident", "a long secret")
    with pytest.raises(Exception, match="role must be"):
        add_user(store, "x", "king", "a long secret")


def test_alumni_export_suppresses_small_cells(store) -> None:
    from dashboards.report import render_html

    html = render_html(Views(store, LEADER).alumni_report())
    assert "&lt;5" in html
    assert pd.read_html(__import__("io").StringIO(html))[0]["Our alumni there"].tolist() == ["<5"]
