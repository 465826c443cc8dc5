"""The run's collect step: each file read once, the mentions its build will ask learnt in order, failures kept aside."""

from __future__ import annotations

import shutil
from concurrent.futures import Future
from pathlib import Path

from graph.resolution.resolver import Resolver
from graph.sources.folder import FilePlan, build, collect_files
from graph.sources.pubmed import parse_pubmed

DATA = Path(__file__).parent / "data"


def test_collect_reads_each_file_once_and_sets_a_bad_one_aside(tmp_path: Path) -> None:
    log = shutil.copy(DATA / "contacts_small.csv", tmp_path / "contacts.csv")
    pubmed = shutil.copy(DATA / "pubmed" / "pubmed_result_7records.xml", tmp_path / "pubmed.xml")
    broken = tmp_path / "roster.csv"
    broken.write_text("", encoding="utf-8")  # an empty file: refused with its name
    parsed = parse_pubmed(Path(pubmed))
    ahead: Future[list] = Future()  # type: ignore[type-arg]
    ahead.set_result(parsed)  # parsed already, as by a Dask worker
    plans = [FilePlan(broken, "roster"), FilePlan(Path(log), "contacts"), FilePlan(Path(pubmed), "pubmed")]

    got = collect_files(plans, [], parsing={"pubmed.xml": ahead})

    assert list(got.mentions) == ["contacts.csv", "pubmed.xml"]
    assert list(got.failed) == ["roster.csv"] and "roster.csv" in str(got.failed["roster.csv"])
    assert "roster.csv" not in got.tables
    assert got.articles["pubmed.xml"] is parsed  # the future's records, not a second parse
    assert set(got.read_s) == set(got.mentions_s) == {"contacts.csv", "pubmed.xml"}
    # the mentions are those the real build asks, in its order
    asked: list = []

    class Asking(Resolver):
        def resolve(self, mention):  # type: ignore[no-untyped-def]
            asked.append(mention)
            return super().resolve(mention)

    build(got.tables["contacts.csv"], "contacts", Asking([]), ingested_at="t", name="contacts.csv")
    assert got.mentions["contacts.csv"] == list(dict.fromkeys(asked))
    assert len(got.mentions["contacts.csv"]) >= 2
