"""PubMed files of an ingest run parsed on a local Dask cluster of 2 workers give the sequential run's graph."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from graph.config import Settings
from graph.store import open_store

PUBMED = Path(__file__).parent / "data" / "pubmed"
KINDS = ("person", "publication", "authorship", "institution", "affiliation")


def _folder(tmp_path: Path) -> Path:
    """The real PubMed/MEDLINE files of tests/data (XML and MEDLINE text, 11 files) and one damaged file."""
    f = tmp_path / "in"
    f.mkdir()
    for p in sorted(PUBMED.rglob("*")):
        if p.suffix in (".xml", ".txt"):
            shutil.copy(p, f / f"pubmed_{p.parent.name}_{p.name}")
    (f / "pubmed_broken.xml").write_text("<PubmedArticleSet><PubmedArticle><MedlineCitation>", encoding="utf-8")
    return f


def _ingest(folder: Path, home: Path, monkeypatch: pytest.MonkeyPatch, workers: int) -> tuple[dict, list]:
    from pipelines.ingest_flow import ingest_path

    monkeypatch.setenv("TIEGRAPH_HOME", str(home))
    monkeypatch.setenv("TIEGRAPH_DASK_WORKERS", str(workers))
    reports = ingest_path(folder)
    with open_store(Settings.from_env()) as s:
        frames = {k: s.frame(k).drop(columns=["ingested_at"]).sort_values("id").reset_index(drop=True) for k in KINDS}
    return frames, sorted((r.file, r.read, r.landed, r.quarantined, r.error is not None) for r in reports)


def _parse_task_runs(at_least: int = 0) -> int:
    """How many task runs named ``parse ...`` the Prefect server has recorded.

    Task runs reach the server as events, after the flow returns: wait (up to two minutes) until it has
    recorded ``at_least`` of them.
    """
    import time

    from prefect.client.orchestration import get_client

    deadline = time.monotonic() + 120
    with get_client(sync_client=True) as client:
        while True:
            n = sum(t.name.startswith("parse ") for t in client.read_task_runs(limit=200))
            if n >= at_least or time.monotonic() > deadline:
                return n
            time.sleep(0.5)


def test_two_dask_workers_give_the_sequential_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_harness: None
) -> None:
    folder = _folder(tmp_path)
    monkeypatch.setenv("TIEGRAPH_STORE", "embedded")
    before = _parse_task_runs()
    alone, said_alone = _ingest(folder, tmp_path / "sequential", monkeypatch, 0)
    assert _parse_task_runs() == before  # no Dask, no parse tasks: each file is parsed in its read task
    fanned, said_fanned = _ingest(folder, tmp_path / "dask", monkeypatch, 2)
    files = len(list(folder.iterdir()))
    assert _parse_task_runs(at_least=before + files) - before == files  # one parse task per file, on the workers
    assert len(alone["publication"]) >= 20 and len(alone["person"]) >= 100  # the files are really read
    for kind in KINDS:
        pd.testing.assert_frame_equal(alone[kind], fanned[kind], check_dtype=False, obj=kind)
    assert said_alone == said_fanned
    broken = [r for r in said_fanned if r[0] == "pubmed_broken.xml"]
    assert broken and broken[0][-1]  # the damaged file's error reaches its report; the others land


def test_dask_runner_follows_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from prefect_dask import DaskTaskRunner

    from pipelines.ingest_flow import dask_runner

    assert dask_runner(Settings.from_env(dask_workers=0)) is None
    runner = dask_runner(Settings.from_env(dask_workers=2))
    assert isinstance(runner, DaskTaskRunner) and runner.cluster_kwargs["n_workers"] == 2
    monkeypatch.setenv("TIEGRAPH_DASK_ADDRESS", "tcp://10.0.0.5:8786")
    assert dask_runner(Settings.from_env()).address == "tcp://10.0.0.5:8786"  # type: ignore[union-attr]
