"""Issue 17 on the command line: `tiegraph intro log`, `tiegraph intro requests` and `tiegraph calibrate`.

The data is ``intro_home`` (tests/conftest.py; who is who in ``tests/test_dashboard_intro.py``):
Ana Ruiz reaches the GI fellowship at Northfield through Ben Okafor (then Frank Lee).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

GI = "Gastroenterology fellowship at Northfield University Hospital"
REGIONAL = "Cardiology fellowship at Riverside Regional Medical Center"


def run(*args: str, ok: bool = True) -> str:
    from pipelines.cli import app

    result = CliRunner().invoke(app, list(args))
    assert (result.exit_code == 0) is ok, result.output
    return result.output


@pytest.fixture
def ids(intro_env: Path) -> dict[str, str]:
    from dashboards.data import views

    with views() as v:
        return {n: v.person_id(n) for n in ("Ana Ruiz", "Ben Okafor", "Frank Lee", "Hana Sato", "Alice Walters")}


def test_intro_log_records_moves_and_lists_a_request(ids: dict[str, str]) -> None:
    from dashboards.data import views
    from graph.analytics.introductions import new_request

    said = run("intro", "log", "--from", "Ana Ruiz", "--via", "Ben Okafor", "--to", GI)
    req_id = said.split(":")[0].strip()
    assert said == f"{req_id}: {GI} via Ana Ruiz → Ben Okafor → Frank Lee: asked\n"
    with views() as v:
        req = v.store.get("intro_request", req_id)
        # the path is the best one through the person asked, as the intro command finds it
        assert req.path == " > ".join([ids["Ana Ruiz"], ids["Ben Okafor"], ids["Frank Lee"]])
        assert (req.requester, req.first_contact, req.state, req.source) == (
            ids["Ana Ruiz"],
            ids["Ben Okafor"],
            "asked",
            "cli",
        )
        stale = new_request(  # asked ten days ago, never answered: its follow-up is due
            (ids["Ana Ruiz"], ids["Hana Sato"], ids["Alice Walters"]),
            REGIONAL,
            REGIONAL,
            at=datetime.now(UTC) - timedelta(days=10),
            by="test",
            source="test",
        )
        v.store.upsert("intro_request", [stale])

    listed = json.loads(run("intro", "requests", "Ana Ruiz", "--json"))
    assert [(r["id"], r["follow_up_due"]) for r in listed] == [(stale.id, True), (req_id, False)]  # due first
    fresh = next(r for r in listed if r["id"] == req_id)
    assert fresh["follow_up_by"] == (date.today() + timedelta(days=7)).isoformat()
    assert fresh["via"] == "Ana Ruiz → Ben Okafor → Frank Lee"

    run("intro", "log", req_id, "--state", "met", "--note", "coffee on Tuesday")
    listed = json.loads(run("intro", "requests", "Ana Ruiz", "--json"))
    moved = next(r for r in listed if r["id"] == req_id)
    assert (moved["state"], moved["note"], moved["follow_up_by"]) == ("met", "coffee on Tuesday", "")
    assert moved["history"].endswith(f"met {date.today().isoformat()} by local")
    assert len(listed) == 2  # moved, not added

    bad = " ".join(run("intro", "log", req_id, "--state", "ghosted", ok=False).split())  # unwrapped
    assert "'ghosted' is not one of drafted, asked, introduced, met, declined, no_answer" in bad
    with views() as v:
        assert v.store.get("intro_request", req_id).state == "met"  # a refused state changes nothing


def test_calibrate_reports_the_fit_and_adopts_only_when_asked(intro_env: Path) -> None:
    from dashboards.data import views
    from graph.analytics.calibration import WEIGHTS_FILE
    from graph.analytics.introductions import new_request
    from graph.analytics.ties import TieWeights

    # Outcomes planted by hand: along every scored tie, three answered requests (one per target),
    # carried exactly when the tie is stronger than the median, so the weights in use rank them perfectly.
    with views() as v:
        ties = v.ties[["a", "b", "strength"]]
        median = float(ties["strength"].median())
        planted = [
            new_request(
                (row.a, row.b, row.b),
                f"target {k}",
                f"target {k}",
                at=datetime.now(UTC) - timedelta(days=30),
                by="test",
                source="test",
                state="met" if row.strength > median else "declined",
            )
            for row in ties.itertuples(index=False)
            for k in range(3)
        ]
        v.store.upsert("intro_request", planted)
    assert len(planted) >= 20 and len(ties) >= 8

    got = json.loads(run("calibrate", "--json"))
    assert got["n_train"] + got["n_test"] == len(planted)
    assert got["hand"] == pytest.approx({c: getattr(TieWeights(), c) for c in got["hand"]})
    assert got["auc_hand"] > 0.9  # the planted outcomes follow the weights in use
    assert sum(got["fitted"].values()) == pytest.approx(sum(got["hand"].values()), abs=1e-3)
    assert got["adopted"] is False and not (intro_env / WEIGHTS_FILE).exists()

    text = run("calibrate")
    assert "held-out AUC: in use" in text and "Tie weights (" in text
    assert not (intro_env / WEIGHTS_FILE).exists()  # a report, not a change

    run("calibrate", "--adopt")
    written = json.loads((intro_env / WEIGHTS_FILE).read_text())
    for component, weight in got["fitted"].items():
        assert written[component] == pytest.approx(weight, abs=1e-3)


def test_calibrate_without_outcomes_says_what_it_needs(intro_env: Path) -> None:
    said = run("calibrate", ok=False)
    assert "at least 20 answered introduction requests" in said


def test_the_command_line_keeps_prefects_temporary_server_quiet_unless_asked() -> None:
    """The temporary server's shutdown noise (ERROR tracebacks after a finished run) stays out of the CLI."""
    import os
    import subprocess
    import sys

    probe = (
        "import logging, pipelines.cli; from prefect.logging.configuration import setup_logging; setup_logging(); "
        "print(logging.getLevelName(logging.getLogger('prefect.server').getEffectiveLevel()))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_LOGGING") and "SERVER_LOGGING" not in k}
    quiet = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    asked = subprocess.run(
        [sys.executable, "-c", probe], env={**env, "PREFECT_LOGGING_LEVEL": "INFO"}, capture_output=True, text=True
    )
    assert (quiet.stdout.split()[-1], asked.stdout.split()[-1]) == ("CRITICAL", "INFO")
