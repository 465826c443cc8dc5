"""Trust, hardened (issue 16): sessions that can be revoked, sign-ins that resist guessing, an append-only audit
log, a secret that works out of the box, what a resident sees of other people's ties, one configuration.

The graph-level tests run on both stores (the ``store`` fixture: embedded and a real Neo4j server); the
dashboard tests drive the real Flask/Dash app (``dash_app``) over HTTP with its test client; the browser test
runs in headless Chromium.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

import graph.access as access
from graph.access import (
    LoginPolicy,
    Role,
    Viewer,
    add_user,
    audit,
    authenticate,
    end_session,
    remove_user,
    session_secret,
    session_viewer,
    set_role,
    sign_in,
    start_session,
)
from graph.config import ConfigError, Settings
from graph.model import Institution, Person, Program, Tie
from graph.store import open_store
from graph.store.export import export_graph, import_graph
from graph.views import Views

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery"
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SETTINGS = Settings.from_env()  # defaults: 8 h idle, 7 days absolute, 5 free failures, 30 s first back-off


# -- sessions (graph.access) ---------------------------------------------------------------------------------------


def test_sessions_end_on_sign_out_removal_and_timeouts_and_follow_the_role(store) -> None:  # noqa: ANN001
    store.upsert("person", [Person(id="p1", name="Pat Resident", kind="resident")])
    add_user(store, "paul", "leadership", PASSWORD)
    token = start_session(store, Viewer("paul", Role.LEADERSHIP), at=T0)
    assert session_viewer(store, token, SETTINGS, at=T0) == Viewer("paul", Role.LEADERSHIP)
    set_role(store, "paul", "resident", person="p1")  # demoted: the same token now opens a resident's view
    assert session_viewer(store, token, SETTINGS, at=T0) == Viewer("paul", Role.RESIDENT, "p1")
    end_session(store, token)
    assert session_viewer(store, token, SETTINGS, at=T0) is None

    token = start_session(store, Viewer("paul", Role.RESIDENT, "p1"), at=T0)
    assert remove_user(store, "paul") == 1
    assert session_viewer(store, token, SETTINGS, at=T0) is None
    assert store.find("session", "user", ["paul"]) == []

    add_user(store, "paul", "leadership", PASSWORD)
    idle = start_session(store, Viewer("paul", Role.LEADERSHIP), at=T0)
    assert session_viewer(store, idle, SETTINGS, at=T0 + timedelta(hours=8, seconds=1)) is None  # idle 8 h
    busy = start_session(store, Viewer("paul", Role.LEADERSHIP), at=T0)
    at = T0
    while at < T0 + timedelta(days=7) - timedelta(hours=7):  # a request every 7 hours keeps it alive ...
        at += timedelta(hours=7)
        assert session_viewer(store, busy, SETTINGS, at=at) is not None, at
    assert session_viewer(store, busy, SETTINGS, at=T0 + timedelta(days=7, seconds=1)) is None  # ... for 7 days


def test_backoff_doubles_after_five_failures_and_caps() -> None:
    p = LoginPolicy()
    fails = [T0 + timedelta(seconds=i) for i in range(4)]
    assert p.wait(fails, fails[-1]) == 0
    fails.append(T0 + timedelta(seconds=4))
    assert p.wait(fails, fails[-1]) == 30
    assert p.wait(fails, fails[-1] + timedelta(seconds=30)) == 0
    fails.append(T0 + timedelta(seconds=40))
    assert p.wait(fails, fails[-1]) == 60
    many = [T0 + timedelta(seconds=i) for i in range(30)]
    assert p.wait(many, many[-1]) == 3600


def test_sign_in_throttles_per_account_and_per_client_and_audits(store) -> None:  # noqa: ANN001
    add_user(store, "adam", "admin", PASSWORD)
    policy = LoginPolicy()
    at = [T0 + timedelta(seconds=i) for i in range(20)]
    answers = [sign_in(store, "adam", f"guess number {i}", f"10.0.0.{i}", policy, at=at[i]) for i in range(5)]
    assert [a.viewer for a in answers] == [None] * 5 and all(a.retry_after == 0 for a in answers)
    sixth = sign_in(store, "adam", PASSWORD, "10.0.0.9", policy, at=at[5])  # right password, still throttled
    assert sixth.viewer is None and sixth.retry_after == 29
    ok = sign_in(store, "adam", PASSWORD, "10.0.0.9", policy, at=at[4] + timedelta(seconds=31))
    assert ok.viewer == Viewer("adam", Role.ADMIN)
    assert sign_in(store, "adam", "wrong again", "10.0.0.9", policy, at=at[6] + timedelta(seconds=40)).retry_after == 0

    later = T0 + timedelta(hours=1)  # one client spraying names it does not know
    for i in range(5):
        assert sign_in(store, f"name{i}", "guess", "192.0.2.7", policy, at=later + timedelta(seconds=i)).viewer is None
    sprayed = sign_in(store, "adam", PASSWORD, "192.0.2.7", policy, at=later + timedelta(seconds=6))
    assert sprayed.viewer is None and sprayed.retry_after > 0
    entries = store.frame("audit")
    assert (entries["action"] == "login failed").sum() == 11
    assert (entries["action"] == "login throttled").sum() == 2
    assert set(entries.loc[entries["action"] == "login throttled", "who"]) == {"client 10.0.0.9", "client 192.0.2.7"}
    assert (entries["action"] == "login").sum() == 1


def test_unknown_names_cost_one_argon2_verification_like_known_ones(store, monkeypatch) -> None:  # noqa: ANN001
    add_user(store, "adam", "admin", PASSWORD)
    checked: list[str] = []
    real = access.verify_password

    def spy(stored_hash: str, password: str) -> bool:
        checked.append(stored_hash)
        return real(stored_hash, password)

    monkeypatch.setattr(access, "verify_password", spy)
    assert authenticate(store, "nobody", PASSWORD) is None
    assert authenticate(store, "adam", "wrong password") is None
    assert len(checked) == 2 and all(h.startswith("$argon2id$") for h in checked)
    from argon2 import PasswordHasher

    assert not PasswordHasher().check_needs_rehash(checked[0])  # the dummy has the real parameters: same cost
    assert checked[0].split("$")[3] == checked[1].split("$")[3]


# -- the secret ----------------------------------------------------------------------------------------------------


def test_secret_generated_once_with_0600_and_refused_when_others_can_read(tmp_path: Path) -> None:
    settings = Settings.from_env(home=tmp_path / "home", secret="")
    first = session_secret(settings)
    assert len(first) >= 32 and session_secret(settings) == first
    assert stat.S_IMODE(settings.secret_path.stat().st_mode) == 0o600
    assert [p.name for p in settings.home.iterdir()] == ["secret"]  # nothing left aside
    settings.secret_path.chmod(0o644)
    with pytest.raises(ConfigError, match=r"readable by others \(mode 644\); run: chmod 600"):
        session_secret(settings)
    given = "g" * 40
    assert session_secret(Settings.from_env(home=tmp_path / "home", secret=given)) == given


# -- the audit log is append-only ----------------------------------------------------------------------------------


def test_import_adds_audit_entries_and_never_replaces_them(store, tmp_path: Path) -> None:  # noqa: ANN001
    store.upsert("person", [Person(id="p1", name="Pat Resident", kind="resident")])
    for i in range(450):
        audit(store, "paul", "person page", "p1", at=f"2026-11-01T00:00:{i % 60:02d}.{i:06d}+00:00")
    before = store.frame("audit").sort_values("id", ignore_index=True)
    export_graph(store, tmp_path / "out")
    lines = (tmp_path / "out" / "audit.jsonl").read_text().splitlines()
    forged = [json.loads(x) | {"who": "nobody", "action": "nothing"} for x in lines]  # same ids, rewritten
    extra = json.loads(lines[0]) | {"id": "audit-new", "who": "ana"}
    (tmp_path / "out" / "audit.jsonl").write_text("".join(json.dumps(r) + "\n" for r in [*forged, extra]))
    import_graph(store, tmp_path / "out")
    import_graph(store, tmp_path / "out")
    after = store.frame("audit").sort_values("id", ignore_index=True)
    assert len(after) == 451 and (after["who"] == "paul").sum() == 450
    kept = after[after["id"] != "audit-new"].reset_index(drop=True)
    assert kept.equals(before)


def test_cli_export_and_import_are_audited(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from pipelines.cli import app

    monkeypatch.setenv("TIEGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TIEGRAPH_STORE", "embedded")
    runner = CliRunner()
    assert runner.invoke(app, ["export", str(tmp_path / "out")]).exit_code == 0
    assert runner.invoke(app, ["import", str(tmp_path / "out")]).exit_code == 0
    with open_store(Settings.from_env()) as s:
        log = s.frame("audit")
    assert sorted(log["action"]) == ["export", "import"]
    assert set(log["subject"]) == {str((tmp_path / "out").resolve())} and log["who"].str.startswith("operator").all()


# -- what a resident sees of other people's ties -------------------------------------------------------------------


@pytest.fixture
def intro_store(tmp_path: Path):  # noqa: ANN201
    from graph.model import Affiliation
    from graph.store.sqlite_store import SqliteStore

    s = SqliteStore(tmp_path / "a.db")
    s.upsert("institution", [Institution(id="north", name="North Hospital")])
    s.upsert("program", [Program(id="gi", name="GI at North", institution_id="north", level="fellowship")])
    s.upsert(
        "person",
        [
            Person(id="r1", name="Rita Res", kind="resident"),
            Person(id="m1", name="Mona Mentor", kind="faculty"),
            Person(id="al", name="Alma Alum", kind="alumnus", institution_id="north"),
        ],
    )
    s.upsert("affiliation", [Affiliation(id="a1", person="al", program="gi", role="fellow")])
    s.upsert(
        "tie",
        [
            Tie(
                id="t1", a="m1", b="r1", strength=0.6, last_contact="2026-10-01", reasons="4 contacts", computed_at="c"
            ),
            Tie(
                id="t2",
                a="al",
                b="m1",
                strength=0.27,
                last_contact="2026-09-15",
                reasons="one-sided: Mona Mentor initiated all 3 contacts",
                computed_at="c",
            ),
        ],
    )
    return s


def test_resident_sees_tier_and_month_of_third_party_ties_only(intro_store) -> None:  # noqa: ANN001
    mine = Views(intro_store, Viewer("rita", Role.RESIDENT, "r1")).intro("r1", "GI at North")
    [path] = mine.paths
    own, theirs = path.hops
    assert (own.reasons, own.strength, own.last_contact) == ("4 contacts", 0.6, "2026-10-01")
    assert (theirs.reasons, theirs.strength, theirs.last_contact) == ("medium tie", 0.35, "2026-09")
    assert path.probability == pytest.approx(0.6 * 0.35)  # nothing finer leaks through the product
    [full] = Views(intro_store, Viewer("paul", Role.LEADERSHIP, None)).intro("r1", "GI at North").paths
    assert full.hops[1].reasons.startswith("one-sided") and full.hops[1].strength == 0.27


def test_leadership_looking_at_someone_elses_intro_paths_is_audited_once(intro_store) -> None:  # noqa: ANN001
    v = Views(intro_store, Viewer("paul", Role.LEADERSHIP, None))
    v.intro("r1", "GI at North")
    v.intro("r1", "GI at North")
    Views(intro_store, Viewer("rita", Role.RESIDENT, "r1")).intro("r1", "GI at North")
    log = intro_store.frame("audit")
    assert list(zip(log["who"], log["action"], log["subject"], strict=True)) == [("paul", "intro paths", "r1")]


def test_alumni_bridges_audit_each_resident_named_once_and_the_leaders_table_once(dashboard_env: Path) -> None:
    paul = Viewer("paul", Role.LEADERSHIP, None)
    with open_store(Settings.from_env()) as store:
        people = store.frame("person")
        residents = set(people.loc[people["kind"] == "resident", "id"])
        v = Views(store, paul)
        for _ in range(2):  # the same page asking again (a filter changed) is not a new disclosure
            report = v.alumni_report()
        named = set(report.bridges["resident_id"].astype(str))
        assert set(people.set_index("id").loc[sorted(named), "name"]) == set(report.bridges["resident"])
        Views(store, paul).mentorship_table()
        log = store.frame("audit")
    assert named and named <= residents
    bridges = log[log["action"] == "alumni bridges"]
    assert sorted(bridges["subject"]) == sorted(named) and set(bridges["who"]) == {"paul"}
    tables = log[log["action"].str.startswith("mentorship table")]
    assert len(tables) == 1 and len(log) == len(named) + 1


# -- one configuration ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "line"),
    [
        ("TIEGRAPH_STORE", "nope", "TIEGRAPH_STORE must be embedded or neo4j, not 'nope'"),
        ("TIEGRAPH_HALF_LIFE_DAYS", "abc", "TIEGRAPH_HALF_LIFE_DAYS must be a number of days above 0, not 'abc'"),
        ("TIEGRAPH_SECRET", "short", "TIEGRAPH_SECRET must be a random string of at least 32 characters (or unset)"),
    ],
)
def test_a_bad_setting_is_one_line_and_exit_1(tmp_path: Path, name: str, value: str, line: str) -> None:
    env = {**os.environ, "TIEGRAPH_HOME": str(tmp_path), name: value}
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "status"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert done.stderr.strip() == f"error: {line}" and "Traceback" not in done.stderr + done.stdout


def test_secrets_stay_out_of_repr_and_messages(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("NEO4J_PASSWORD", "hunter2-neo")
    monkeypatch.setenv("TIEGRAPH_SECRET", "x" * 40)
    monkeypatch.setenv("TIEGRAPH_PASSWORD", "hunter2-user")
    s = Settings.from_env()
    assert s.neo4j_password == "hunter2-neo" and s.secret == "x" * 40
    assert not re.search("hunter2|xxxx", repr(s) + str(s))
    monkeypatch.setenv("TIEGRAPH_SECRET", "hunter2")
    with pytest.raises(ConfigError) as exc:
        Settings.from_env()
    assert "hunter2" not in str(exc.value)
