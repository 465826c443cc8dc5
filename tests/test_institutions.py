"""An institution many files name keeps the city one of them gave, whichever file lands last."""

from __future__ import annotations

from pathlib import Path

from graph.config import Settings
from graph.model import Institution
from graph.store import open_store


def test_a_blank_city_keeps_the_stored_one_and_a_new_city_replaces_it(store) -> None:
    store.upsert("institution", [Institution(id="inst-x", name="X Medical Center", city="Boston", file="alumni.csv")])
    store.upsert_shared("institution", [Institution(id="inst-x", name="X Medical Center", file="roster.csv")])
    [row] = store.get_rows("institution", "id", ["inst-x"])
    assert (row["city"], row["file"]) == ("Boston", "roster.csv")
    store.upsert_shared(
        "institution", [Institution(id="inst-x", name="X Medical Center", city="Cambridge", file="b.csv")]
    )
    assert store.get_rows("institution", "id", ["inst-x"])[0]["city"] == "Cambridge"
    assert store.upsert_shared("institution", []) == 0


def test_a_roster_ingested_after_the_alumni_list_leaves_the_city(tmp_path: Path, home: Path, prefect_harness) -> None:
    from pipelines.ingest_flow import ingest_path

    alumni = tmp_path / "alumni.csv"
    alumni.write_text(
        "Full Name,Class of,Current Position,Employer,Field,City,E-mail\n"
        "Ana Lima,2019,Attending,Lakeside University Medical Center,Gastroenterology,Chicago,ana.lima@lakeside.example\n",
        encoding="utf-8",
    )
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "program_id,name,email,kind,role,pgy,grad_year,specialty,service,institution,committees\n"
        "R-0001,Troy Jacobson,troy.jacobson@lakeside.example,resident,resident,1,2029,Gastroenterology,wards,"
        "Lakeside University Medical Center,\n",
        encoding="utf-8",
    )
    ingest_path(alumni)
    ingest_path(roster)
    with open_store(Settings.from_env()) as s:
        inst = s.frame("institution")
    assert inst[["name", "city"]].values.tolist() == [["Lakeside University Medical Center", "Chicago"]]
