"""The committed sample program, ingested and analyzed for real: what each issue promises a user."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from graph.config import Settings
from graph.store import open_store
from graph.views import Views

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
LABELS = SAMPLE / "labels"
TODAY = date(2026, 11, 1)


@pytest.fixture(scope="module")
def sample_home(tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> Path:
    """TIEGRAPH_HOME with data/sample ingested into the embedded store and analyzed."""
    import os

    from pipelines.analyze_flow import analyze
    from pipelines.ingest_flow import ingest_path

    home = tmp_path_factory.mktemp("sample-home")
    old = {k: os.environ.get(k) for k in ("TIEGRAPH_HOME", "TIEGRAPH_STORE")}
    os.environ.update(TIEGRAPH_HOME=str(home), TIEGRAPH_STORE="embedded")
    try:
        reports = ingest_path(SAMPLE)
        (home / "reports.json").write_text(json.dumps([r.as_dict() for r in reports]))
        analyze(today=TODAY)
        yield home
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture
def views(sample_home: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TIEGRAPH_HOME", str(sample_home))
    monkeypatch.setenv("TIEGRAPH_STORE", "embedded")
    with open_store(Settings.from_env()) as s:
        yield Views(s)


def test_quarantine_holds_exactly_the_planted_bad_rows(sample_home: Path) -> None:
    planted = {(r["file"], int(r["row"])) for r in csv.DictReader((LABELS / "planted_bad_rows.csv").open())}
    got = set()
    for q in (sample_home / "quarantine").glob("*.quarantine.csv"):
        got |= {(r["file"], int(r["row"])) for r in csv.DictReader(q.open())}
    assert got == planted


def test_every_file_of_the_folder_landed(sample_home: Path) -> None:
    reports = json.loads((sample_home / "reports.json").read_text())
    kinds = {r["kind"] for r in reports}
    assert kinds == {"roster", "alumni", "mentorship", "contacts", "tracker", "calendar", "pubmed", "linkedin"}
    for r in reports:
        assert r["landed"] + r["quarantined"] == r["read"] > 0, r["file"]


def test_resolver_precision_and_recall_on_planted_variants(views: Views) -> None:
    """Each labelled mention must resolve to the person its true key names."""
    people = views.people
    by_key = {
        **dict(zip(people["program_id"], people["id"], strict=True)),
        **dict(zip(people["email"], people["id"], strict=True)),
    }
    inter = views.store.frame("interaction").set_index(["file", "row"])
    labels = pd.read_csv(LABELS / "resolution.csv")
    labels = labels[labels["column"].isin(["person_a", "person_b"])]
    keyed = set(by_key.values())
    right = merged_wrongly = 0
    for lab in labels.itertuples(index=False):
        got = inter.loc[(lab.file, lab.row), "a" if lab.column == "person_a" else "b"]
        right += got == by_key.get(lab.true_person)
        merged_wrongly += got != by_key.get(lab.true_person) and got in keyed  # someone else entirely
    precision = right / max(right + merged_wrongly, 1)
    recall = right / len(labels)
    Path(ROOT / "test-artifacts").mkdir(exist_ok=True)
    (ROOT / "test-artifacts" / "resolver.json").write_text(
        json.dumps({"labelled": len(labels), "precision": precision, "recall": recall})
    )
    assert len(labels) > 50
    assert precision >= 0.98, f"resolver precision {precision:.3f}"
    assert recall >= 0.9, f"resolver recall {recall:.3f}"


def test_same_name_different_people_are_not_merged(views: Views) -> None:
    lab = next(csv.DictReader((LABELS / "distinct_people.csv").open()))
    p = views.people
    ids = {p.loc[(p["program_id"] == k) | (p["email"] == k), "id"].iloc[0] for k in (lab["person_1"], lab["person_2"])}
    assert len(ids) == 2


def test_injection_name_landed_verbatim(views: Views) -> None:
    lab = next(csv.DictReader((LABELS / "verbatim.csv").open()))
    assert (views.people["name"] == lab["value"]).sum() == 1


def test_mentorship_names_the_planted_thin_residents(views: Views) -> None:
    thin = pd.read_csv(LABELS / "thin_mentorship.csv")
    table = views.mentorship_table()
    flagged = set(table.loc[table["score"] < 60, "person"])
    ids = set(views.people.loc[views.people["program_id"].isin(thin["program_id"]), "id"])
    assert ids <= flagged
    worst = set(table.head(len(ids))["person"])
    assert len(worst & ids) >= 0.8 * len(ids)


def test_intro_paths_from_a_resident_to_a_gi_program(views: Views) -> None:
    progs = views.store.frame("program")
    gi = progs[(progs["level"] == "fellowship") & (progs["specialty"] == "Gastroenterology")]
    residents = views.people[views.people["kind"] == "resident"]
    ans = views.intro(residents["name"].iloc[0], gi["name"].iloc[0])
    assert ans.target.kind == "program" and ans.paths
    assert len({p.first_contact for p in ans.paths}) == len(ans.paths)
    for p in ans.paths:
        assert p.people[-1] in ans.target.members and len(p.hops) <= 4
        assert all(h.reasons for h in p.hops)


def test_alumni_report_opens_as_one_html_file(
    sample_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipelines.cli import app

    monkeypatch.setenv("TIEGRAPH_HOME", str(sample_home))
    result = CliRunner().invoke(app, ["report", "alumni", "--out", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert info["alumni"] > 1000
    html = (tmp_path / "alumni.html").read_text()
    assert "<script src=" not in html and "Gastroenterology" in html
    progs = pd.read_csv(tmp_path / "alumni_programs.csv", dtype=str)
    assert len(progs) > 10


def test_reach_spreads_across_gi_programs(views: Views) -> None:
    """Both reach measures rank the GI programs, and warm reach runs through the planted faculty bridges.

    Issue 18: "Residents within 2 ties" was 64-88 of 89 for every GI program, "so it ranks nothing".
    The spreads required, from the issue's words rather than from this sample's output:

    * two ties: some GI program is two ties from fewer than half the residents (not "almost everyone"),
      and the programs span at least a third of the residents between the least and the most reached;
    * best path >= 0.2: exports write counts under 5 as "<5" (the issue's suppression), so a measure
      that ranks in an export must reach 5: at least two away GI programs are reached warmly by 5 or
      more residents while some other is reached by fewer; the counts take at least three values;
    * the median best path takes a value of its own for at least half the GI programs;
    * who holds the bridges comes from the generator's plan (labels/alumni_in_touch.csv): an away GI
      program's top bridge keeps in touch with one of its alumni, the top bridges are not all one
      person, and no away GI program without a planted faculty bridge is reached warmly by 5 or more.
    """
    rep = views.alumni_report()
    n = rep.residents
    gi = rep.programs[rep.programs["specialty"] == "Gastroenterology"]
    assert len(gi) >= 5
    two = gi["residents_within_2"]
    assert two.min() < n / 2 and two.max() - two.min() >= n / 3, two.tolist()
    home = gi[gi["institution"] == "Lakeside University Medical Center"]
    away = gi.drop(home.index)
    assert len(home) == 1 and home["residents_reach"].iloc[0] > n / 2  # the home program's own faculty mentor them
    warm = away["residents_reach"]
    assert (warm >= 5).sum() >= 2 and (warm < 5).any() and warm.max() < n / 2, warm.tolist()
    assert gi["residents_reach"].nunique() >= 3
    assert gi["median_reach"].nunique() >= len(gi) / 2
    assert (rep.programs["median_reach"].between(0, 1)).all()

    touch = pd.read_csv(LABELS / "alumni_in_touch.csv")
    touch = touch[touch["specialty"] == "Gastroenterology"]
    planted = touch.groupby("institution")["faculty_name"].agg(set).to_dict()
    tops = []
    for prog in away.itertuples(index=False):
        if prog.bridges:
            top = prog.bridges[0][0]
            assert top in planted.get(prog.institution, set()), (prog.program, prog.bridges)
            tops.append(top)
        if prog.institution not in planted:
            assert prog.residents_reach < 5, prog.program
    assert len(set(tops)) >= 2, tops


def test_the_gi_residents_shortlist_is_gi_programs_ranked_with_three_reasons(views: Views) -> None:
    residents = views.people[(views.people["kind"] == "resident") & (views.people["specialty"] == "Gastroenterology")]
    short = views.shortlist(residents["id"].iloc[0])
    progs = views.store.frame("program").set_index("id")
    assert len(short) >= 5 and set(progs.loc[short["program_id"], "specialty"]) == {"Gastroenterology"}
    assert short["score"].is_monotonic_decreasing
    assert all([r.kind for r in rs] == ["reach", "alumni", "research_fit"] for rs in short["reasons"])
    assert short["alumni"].sum() > 0


def test_cli_mentorship_says_thin(sample_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    thin = pd.read_csv(LABELS / "thin_mentorship.csv")
    out = _cli(sample_home, monkeypatch, "mentorship")
    for name in thin["name"]:
        assert f"{name} (PGY-" in out and "thin: below 60" in out


def test_status_json_counts(sample_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipelines.cli import app

    monkeypatch.setenv("TIEGRAPH_HOME", str(sample_home))
    result = CliRunner().invoke(app, ["status", "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert info["counts"]["person"] > 1500 and info["counts"]["interaction"] > 14000
    assert info["last_analysis"]["ties"] == info["counts"]["tie"]


def test_the_same_sample_into_neo4j_gives_the_same_graph(
    sample_home: Path, neo4j_server_info: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipelines.ingest_flow import ingest_path

    uri, password = neo4j_server_info
    monkeypatch.setenv("TIEGRAPH_HOME", str(tmp_path))
    monkeypatch.setenv("TIEGRAPH_STORE", "neo4j")
    monkeypatch.setenv("NEO4J_URI", uri)
    monkeypatch.setenv("NEO4J_PASSWORD", password)
    with open_store(Settings.from_env()) as neo:
        neo.clear()
    reports = ingest_path(SAMPLE)
    assert sum(r.quarantined for r in reports) == len(pd.read_csv(LABELS / "planted_bad_rows.csv"))
    monkeypatch.setenv("TIEGRAPH_HOME", str(sample_home))
    monkeypatch.setenv("TIEGRAPH_STORE", "embedded")
    with open_store(Settings.from_env()) as lite:
        monkeypatch.setenv("TIEGRAPH_STORE", "neo4j")
        with open_store(Settings.from_env()) as neo:
            for kind in ("person", "interaction", "publication", "authorship", "mentorship", "affiliation", "program"):
                a = lite.frame(kind).drop(columns=["ingested_at"])
                b = neo.frame(kind).drop(columns=["ingested_at"])
                assert a.equals(b), kind


def _cli(home: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    from pipelines.cli import app

    monkeypatch.setenv("TIEGRAPH_HOME", str(home))
    monkeypatch.setenv("TIEGRAPH_STORE", "embedded")
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_reads_every_result_as_json(sample_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    thin = pd.read_csv(LABELS / "thin_mentorship.csv")
    rows = json.loads(_cli(sample_home, monkeypatch, "mentorship", "--json"))
    assert set(thin["name"]) <= {r["name"] for r in rows if r["score"] < 60}
    assert [r["score"] for r in rows] == sorted(r["score"] for r in rows)  # thinnest first
    top = json.loads(_cli(sample_home, monkeypatch, "centrality", "--top", "5", "--json"))
    assert len(top) == 5 and top[0]["pagerank"] >= top[-1]["pagerank"]
    comms = json.loads(_cli(sample_home, monkeypatch, "communities", "--json"))
    assert sum(c["size"] for c in comms) > 1500
    name = top[0]["name"]
    ties = json.loads(_cli(sample_home, monkeypatch, "ties", name, "--json"))
    assert ties and all(t["reasons"] for t in ties)
    bridges = json.loads(_cli(sample_home, monkeypatch, "bridges", "--json"))
    assert bridges and all(b["span"] >= 2 for b in bridges)
    due = json.loads(_cli(sample_home, monkeypatch, "due", thin["name"].iloc[0], "--json"))
    assert isinstance(due, list)


def test_cli_intro_then_opt_out_the_first_contact(
    sample_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    home = tmp_path / "home"
    shutil.copytree(sample_home, home)
    progs = pd.read_csv(SAMPLE / "roster.csv")
    resident = progs[progs["kind"] == "resident"]["name"].iloc[0]
    target = "Gastroenterology"
    first = json.loads(_cli(home, monkeypatch, "intro", "--from", resident, "--to", target, "--json"))
    assert first["paths"] and first["target"]["kind"] == "specialty"
    helper = first["paths"][0]["people"][1]["name"]
    _cli(home, monkeypatch, "optout", helper)
    again = json.loads(_cli(home, monkeypatch, "intro", "--from", resident, "--to", target, "--json"))
    assert helper not in {p["name"] for path in again["paths"] for p in path["people"]}


def test_cli_export_then_import_into_a_new_home(
    sample_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _cli(sample_home, monkeypatch, "export", str(tmp_path / "backup"))
    _cli(tmp_path / "new", monkeypatch, "import", str(tmp_path / "backup"))
    a = json.loads(_cli(sample_home, monkeypatch, "status", "--json"))["counts"]
    b = json.loads(_cli(tmp_path / "new", monkeypatch, "status", "--json"))["counts"]
    assert {k: v for k, v in a.items() if k not in ("user", "audit")} == {
        k: v for k, v in b.items() if k not in ("user", "audit")
    }
