"""Two writers at once on the embedded store: two `tiegraph ingest`, then `analyze` during an ingest.

The test holds the install's writer lock itself, so every command it starts is certain to find it taken (no race
with the clock); it waits until each has said that it waits, lets go, and compares the store with one clean run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from graph.config import Settings
from graph.store import open_store, writer_lock

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
VOLATILE = {"ingest", "run", "audit", "session", "user"}


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "TIEGRAPH_HOME": str(home), "TIEGRAPH_STORE": "embedded", "DO_NOT_TRACK": "1"}
    return env | {"PREFECT_SERVER_ANALYTICS_ENABLED": "false"}


def _start(home: Path, name: str, *args: str) -> tuple[subprocess.Popen, Path]:
    err = home.parent / f"{name}.err"
    with err.open("w") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "pipelines.cli", *args], env=_env(home), cwd=ROOT, stdout=fh, stderr=fh, text=True
        )
    return proc, err


def _wait_until_waiting(started: list[tuple[subprocess.Popen, Path]]) -> None:
    """Until every command has printed that it waits for the lock (readiness, however slow the machine)."""
    while not all("waiting for" in err.read_text() for _, err in started):
        for proc, err in started:
            assert proc.poll() is None, err.read_text()
        time.sleep(0.2)


def _counts(home: Path) -> dict[str, int]:
    with open_store(Settings.from_env(home=home, store="embedded")) as store:
        return {k: n for k, n in store.counts().items() if k not in VOLATILE}


def test_two_ingests_and_an_analysis_during_an_ingest_wait_and_equal_one_clean_run(tmp_path: Path) -> None:
    folder = tmp_path / "input"
    folder.mkdir()
    shutil.copy(DATA / "contacts_small.csv", folder / "contacts.csv")
    for f in sorted((DATA / "dashboard").glob("*.csv")):
        shutil.copy(f, folder / f.name)

    clean = tmp_path / "clean" / "home"
    for args in (["ingest", str(folder)], ["analyze"]):
        done = subprocess.run([sys.executable, "-m", "pipelines.cli", *args], env=_env(clean), cwd=ROOT, text=True)
        assert done.returncode == 0

    home = tmp_path / "busy" / "home"
    settings = Settings.from_env(home=home, store="embedded")
    with writer_lock(settings):
        started = [_start(home, f"ingest{i}", "ingest", str(folder)) for i in (1, 2)]
        _wait_until_waiting(started)
    for proc, err in started:
        assert proc.wait() == 0, err.read_text()
    with writer_lock(settings):
        started = [_start(home, "analyze", "analyze"), _start(home, "ingest3", "ingest", str(folder))]
        _wait_until_waiting(started)
    for proc, err in started:
        assert proc.wait() == 0, err.read_text()
        assert f"waiting for pid {os.getpid()}" in err.read_text() and "Traceback" not in err.read_text()
    assert _counts(home) == _counts(clean) and _counts(clean)["tie"] > 0 and _counts(clean)["person"] > 0
