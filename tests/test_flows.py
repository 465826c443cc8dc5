"""The Prefect flows, run for real on a temporary Prefect server, on both stores."""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from graph.config import Settings
from graph.store import open_store

DATA = Path(__file__).parent / "data"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    f = tmp_path / "in"
    f.mkdir()
    shutil.copy(DATA / "contacts_small.csv", f / "contacts.csv")
    return f


def test_thin_slice_ingest_twice_then_analyze(configured: str, folder: Path, home: Path) -> None:
    from pipelines.analyze_flow import analyze
    from pipelines.ingest_flow import ingest_path

    [report] = ingest_path(folder)
    assert (report.read, report.landed, report.quarantined) == (6, 5, 1)
    with open_store(Settings.from_env()) as s:
        first = s.counts()
    assert first["interaction"] == 5 and first["person"] == 4 and first["ingest"] == 1

    quarantine = home / "quarantine" / "contacts.csv.quarantine.csv"
    rows = list(csv.DictReader(quarantine.open()))
    assert [(r["row"], r["field"], r["value"]) for r in rows] == [("5", "date", "2024-13-01")]

    [again] = ingest_path(folder)
    assert again.skipped
    with open_store(Settings.from_env()) as s:
        assert s.counts() == first

    summary = analyze(today=date(2026, 11, 1))
    assert summary["ties"] == 4
    with open_store(Settings.from_env()) as s:
        counts = s.counts()
        metrics = {m.person: m for m in s.records("metrics")}
        ties = s.records("tie")
    assert counts["tie"] == 4 and counts["metrics"] == 4 and counts["run"] == 1
    assert {t.computed_at for t in ties} == {summary["computed_at"]}
    assert sorted(m.degree for m in metrics.values()) == [2, 2, 2, 2]


def test_changed_row_updates_that_row_only(configured: str, folder: Path) -> None:
    from pipelines.ingest_flow import ingest_path

    ingest_path(folder)
    with open_store(Settings.from_env()) as s:
        before = {i.id: i for i in s.records("interaction")}
    text = (folder / "contacts.csv").read_text().replace("talked about GI fellowship applicants", "asked about GI")
    (folder / "contacts.csv").write_text(text)
    [report] = ingest_path(folder)
    assert not report.skipped
    with open_store(Settings.from_env()) as s:
        after = {i.id: i for i in s.records("interaction")}
    assert after.keys() == before.keys()
    changed = [k for k in after if after[k].note != before[k].note]
    assert len(changed) == 1 and after[changed[0]].note == "asked about GI"


def test_a_bad_file_stops_only_itself(home: Path, prefect_harness: None, folder: Path) -> None:
    from pipelines.ingest_flow import ingest_path

    (folder / "roster.csv").write_bytes(b"")
    (folder / "notes.txt").write_text("hello")
    reports = {r.file: r for r in ingest_path(folder)}
    assert reports["contacts.csv"].landed == 5 and reports["contacts.csv"].error is None
    assert reports["roster.csv"].error == "roster.csv: the file is empty (0 bytes)"
    assert "notes.txt: cannot tell what kind of file this is" in reports["notes.txt"].error


def test_cli_exits_1_only_when_nothing_could_be_read(home: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "roster.csv").write_bytes(b"")
    cmd = [sys.executable, "-m", "pipelines.cli", "ingest", str(bad)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=Path(__file__).resolve().parents[1])
    assert r.returncode == 1 and "roster.csv: the file is empty" in r.stderr and "Traceback" not in r.stderr


def test_files_as_they_come_land_through_the_flow(configured: str, tmp_path: Path) -> None:
    """Title rows in a workbook, a semicolon day-first log with durations, a monthly meeting: all land."""
    import openpyxl

    from pipelines.ingest_flow import ingest_path

    year = date.today().year - 1  # every date in the past, whenever the test runs
    folder = tmp_path / "office"
    folder.mkdir()
    book = openpyxl.Workbook()
    book.active.title = "Read me"
    book.active["A1"] = "Updated each June"
    ws = book.create_sheet("Class lists")
    ws["A1"] = "Where our graduates are"
    ws.append([])
    ws.append(["Name", "Grad Yr", "Employer", "Current Role", "E-mail", "Shoe size"])
    for k, name in enumerate(["Ann Lee", "Bo Chan", "Cy Ode", "Di Park", "Ed Moss"]):
        ws.append([name, 2015 + k, "Mercy General", "Hospitalist", f"al{k}@x.example", 42])
    book.save(folder / "alumni.xlsx")
    (folder / "contacts.csv").write_bytes(
        "Date;Person A;Person A E-mail;Person B;Minutes\r\n"
        f"04/03/{year};José Núñez;jose@x.example;Ben Ode;45\r\n"
        f"05/03/{year};José Núñez;jose@x.example;Ben Ode;1:30\r\n"
        f"06/03/{year};Ben Ode;;Ben Ode;10\r\n".encode("latin-1")
    )
    (folder / "tiegraph.yaml").write_text("files:\n  contacts.csv: {dayfirst: true}\n")
    event = (
        f"BEGIN:VEVENT\nUID:wellness@x\nDTSTART:{year}0105T180000Z\nDTEND:{year}0105T190000Z\n"
        "RRULE:FREQ=MONTHLY;COUNT=6\nORGANIZER;CN=Ana Ruiz:mailto:ana@x.example\n"
        "ATTENDEE;CN=Ben Ode:mailto:ben@x.example\nATTENDEE;CN=Cy Lee:mailto:cy@x.example\nEND:VEVENT\n"
    )
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nX-WR-TIMEZONE:America/Chicago\n{event}END:VCALENDAR\n"
    (folder / "committee.ics").write_text(text.replace("\n", "\r\n"), newline="")

    reports = {r.file: r for r in ingest_path(folder)}
    alumni, log, cal = reports["alumni.xlsx"], reports["contacts.csv"], reports["committee.ics"]
    assert (alumni.read, alumni.landed, alumni.quarantined) == (5, 5, 0)
    assert alumni.ignored == ("Shoe size", "sheet 'Read me'")
    assert (alumni.read_as["sheet"], alumni.read_as["header_row"]) == ("Class lists", 3)
    assert (log.landed, log.quarantined) == (2, 1)  # Ben with himself
    assert log.read_as["delimiter"] == ";" and log.read_as["dayfirst_from"] == "manifest"
    assert cal.read_as["occurrences"] == 6 and cal.read_as["time_zone"] == "America/Chicago"
    with open_store(Settings.from_env()) as s:
        people = s.records("person")
        meetings = [i for i in s.records("interaction") if i.source == "calendar"]
        logged = sorted((i.date, i.duration_min) for i in s.records("interaction") if i.source == "contacts")
    assert sum(p.kind == "alumnus" for p in people) == 5
    assert logged == [(f"{year}-03-04", 45.0), (f"{year}-03-05", 90.0)]
    assert len(meetings) == 12 and {i.duration_min for i in meetings} == {60.0}
    assert {i.date for i in meetings} == {f"{year}-{m:02d}-05" for m in range(1, 7)}
    assert not any(i.planned for i in meetings)


def test_same_named_files_in_two_subfolders_both_land(configured: str, tmp_path: Path, home: Path) -> None:
    from pipelines.ingest_flow import ingest_path

    folder = tmp_path / "years"
    lines = (DATA / "contacts_small.csv").read_text().splitlines(keepends=True)
    for year, rows in (("2025", lines[1:4]), ("2026", lines[4:])):  # 3 good rows; 2 good and the bad date
        (folder / year).mkdir(parents=True)
        (folder / year / "contacts.csv").write_text(lines[0] + "".join(rows))
    reports = {r.file: r for r in ingest_path(folder)}
    assert {f: (r.read, r.landed) for f, r in reports.items()} == {
        "2025/contacts.csv": (3, 3),
        "2026/contacts.csv": (3, 2),
    }
    with open_store(Settings.from_env()) as s:
        interactions = s.records("interaction")
        assert s.count("ingest") == 2
    assert len(interactions) == 5
    assert sorted({i.file for i in interactions}) == ["2025/contacts.csv", "2026/contacts.csv"]
    assert reports["2026/contacts.csv"].quarantine_file == str(
        home / "quarantine" / "2026" / "contacts.csv.quarantine.csv"
    )
    [bad] = list(csv.DictReader((home / "quarantine" / "2026" / "contacts.csv.quarantine.csv").open()))
    assert (bad["file"], bad["row"], bad["value"]) == ("2026/contacts.csv", "2", "2024-13-01")
    assert not (home / "quarantine" / "2025").exists()


def _cli_ingest(home: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    import os
    import subprocess
    import sys

    env = {**os.environ, "TIEGRAPH_HOME": str(home), "TIEGRAPH_STORE": "embedded"}
    cmd = [sys.executable, "-m", "pipelines.cli", "ingest", str(folder)]
    r = subprocess.run(
        cmd, env=env, capture_output=True, text=True, timeout=600, cwd=Path(__file__).resolve().parents[1]
    )
    assert r.returncode == 0, r.stdout + r.stderr
    return r


def test_cli_names_each_file_as_it_lands(tmp_path: Path) -> None:
    """The CLI says each file's rows as the file is done (the progress bar draws only on a terminal)."""
    folder = tmp_path / "in"
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    header, *rows = (DATA / "contacts_small.csv").read_text().splitlines(keepends=True)
    (folder / "a" / "contacts.csv").write_text(header + "".join(rows))
    (folder / "b" / "contacts.csv").write_text(header + "".join(rows[:2]))
    r = _cli_ingest(tmp_path / "home", folder)
    assert f"a/contacts.csv: {len(rows)} rows read" in r.stderr, r.stderr
    assert "b/contacts.csv: 2 rows read" in r.stderr, r.stderr


def test_cli_reingest_of_an_edited_file_is_a_new_snapshot(tmp_path: Path) -> None:
    """Delete a row, insert one at the top, edit one: the deleted row is gone, the rest keep their ids."""
    folder, home = tmp_path / "in", tmp_path / "home"
    (folder / "log").mkdir(parents=True)
    log = folder / "log" / "contacts.csv"
    header, *rows = (DATA / "contacts_small.csv").read_text().splitlines(keepends=True)
    log.write_text(header + "".join(rows))
    _cli_ingest(home, folder)
    with open_store(Settings.from_env(home=home, store="embedded")) as s:
        before = {i.id: i for i in s.records("interaction")}
    gone = next(k for k, i in before.items() if i.note == "talked about GI fellowship applicants")
    new_row = "2026-11-01,Chloe Zhang,chloe.zhang@northfield.example,,Ana Ruiz,ana.ruiz@lakeside.example,R-0001"
    edited = [new_row + ",call,ACG,a,no,new at the top\n"] + rows[:2] + rows[3:]
    edited[1] = edited[1].replace("rounds", "rounds (edited)")
    log.write_text(header + "".join(edited))
    _cli_ingest(home, folder)

    clean = tmp_path / "clean"
    _cli_ingest(clean, folder)
    with open_store(Settings.from_env(home=home, store="embedded")) as s:
        after = {i.id: i for i in s.records("interaction")}
        got = {k: n for k, n in s.counts().items() if k != "ingest"}
    with open_store(Settings.from_env(home=clean, store="embedded")) as s:
        want = {k: n for k, n in s.counts().items() if k != "ingest"}
        want_ids = {i.id for i in s.records("interaction")}
    assert gone not in after and len(after) == len(before) == 5
    assert set(after) - set(before) == {k for k, i in after.items() if i.note == "new at the top"}
    assert {k: i.note for k, i in after.items() if k in before} == {
        k: "rounds (edited)" if i.note == "rounds" else i.note for k, i in before.items() if k != gone
    }
    assert got == want and set(after) == want_ids


def test_cli_reingest_of_an_unchanged_folder_starts_no_flow(home: Path, prefect_harness: None, folder: Path) -> None:
    """Prefect pointed at nothing: an unchanged folder still re-ingests, since no flow run starts."""
    import os
    import subprocess
    import sys

    from pipelines.ingest_flow import ingest_path

    ingest_path(folder)
    env = {**os.environ, "TIEGRAPH_HOME": str(home), "PREFECT_API_URL": "http://127.0.0.1:9/api"}
    cmd = [sys.executable, "-m", "pipelines.cli", "ingest", str(folder)]
    r = subprocess.run(
        cmd, env=env, capture_output=True, text=True, timeout=300, cwd=Path(__file__).resolve().parents[1]
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "nothing changed since the last ingest: no flow run started" in r.stdout
    (folder / "contacts.csv").write_text((folder / "contacts.csv").read_text() + "\n")  # changed: a flow must run
    r = subprocess.run(
        cmd, env=env, capture_output=True, text=True, timeout=300, cwd=Path(__file__).resolve().parents[1]
    )
    assert r.returncode != 0
