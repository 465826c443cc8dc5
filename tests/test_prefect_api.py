"""Prefect's temporary server as the CLI starts it: the run lands in it, and a configured server wins."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"


def _env(tmp_path: Path) -> dict[str, str]:
    """A fresh process's environment: no Prefect API configured anywhere, its own Prefect home and profiles."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env |= {
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_PROFILES_PATH": str(tmp_path / "profiles.toml"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "TIEGRAPH_HOME": str(tmp_path / "home"),
        "TIEGRAPH_STORE": "embedded",
    }
    return env


def test_cli_ingest_runs_its_flow_on_the_temporary_server(tmp_path: Path) -> None:
    """`tiegraph ingest` with no Prefect API: the flow run and each file's tasks are recorded in Prefect's database."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(DATA / "contacts_small.csv", folder / "contacts.csv")
    r = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "ingest", str(folder)],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    with sqlite3.connect(tmp_path / "prefect" / "prefect.db") as db:
        runs = db.execute("SELECT name, state_type FROM flow_run").fetchall()
        tasks = {name.rsplit("-", 1)[0] for (name,) in db.execute("SELECT name FROM task_run")}  # Prefect adds "-1a2"
    assert runs == [("ingest 1 of 1 files", "COMPLETED")]
    assert {"read contacts.csv", "write contacts.csv", "record contacts.csv"} <= tasks


def test_a_configured_api_wins_over_the_temporary_server(tmp_path: Path, prefect_harness: None) -> None:
    """An API URL in the user's Prefect profile: the temporary server is stopped unused; in the environment: none starts."""
    from prefect.settings import PREFECT_API_URL

    theirs = PREFECT_API_URL.value()  # the tests' own Prefect server
    assert theirs
    (tmp_path / "profiles.toml").write_text(
        f'active = "mine"\n\n[profiles.mine]\nPREFECT_API_URL = "{theirs}"\n', encoding="utf-8"
    )
    script = textwrap.dedent(
        """
        import os
        from pipelines.prefect_api import start_api

        api = start_api()
        started = api.process is not None
        api.use()
        from prefect.settings import PREFECT_API_URL

        print(started, api.process is None, PREFECT_API_URL.value())
        os.environ["PREFECT_API_URL"] = "http://127.0.0.1:9/api"
        print(start_api())
        """
    )
    r = subprocess.run(
        [sys.executable, "-c", script], env=_env(tmp_path), capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.split("\n")[:2] == [f"True True {theirs}", "None"]
