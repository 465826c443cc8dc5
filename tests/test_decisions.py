"""Identity decisions take effect: `tiegraph resolve` and the alias file merge two people in the store at once.

``dashboard_env`` holds ten people; its review queue asks whether "D. Patel" is Devika Patel (PD).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner


def _run(*args: str) -> tuple[int, str]:
    from pipelines.cli import app

    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def _people() -> pd.DataFrame:
    from dashboards.data import views

    with views() as v:
        return v.store.frame("person")


def test_resolve_two_names_merges_them_now_and_records_the_decision(dashboard_env: Path) -> None:
    queue = pd.read_csv(dashboard_env / "review.csv", dtype=str)
    new_id, candidate_id = queue.iloc[0][["new_id", "candidate_id"]]
    assert len(_people()) == 10
    code, out = _run("resolve", "merge", new_id, "Devika Patel", "--json")
    assert code == 0, out
    [done] = json.loads(out)
    assert (done["drop"], done["keep"], done["decision"]) == (new_id, candidate_id, "same")
    people = _people()
    assert len(people) == 9 and new_id not in set(people["id"])
    aliases = pd.read_csv(dashboard_env / "aliases.csv", dtype=str).to_dict("records")
    assert aliases == [{"a": candidate_id, "b": new_id, "decision": "same"}]
    assert pd.read_csv(dashboard_env / "review.csv").empty  # the queue no longer asks
    code, out = _run("resolve")
    assert code == 0 and "nothing to apply" in out


def test_resolve_applies_a_decision_written_in_the_alias_file(dashboard_env: Path) -> None:
    queue = pd.read_csv(dashboard_env / "review.csv", dtype=str)
    new_id, candidate_id = queue.iloc[0][["new_id", "candidate_id"]]
    pd.DataFrame([{"a": candidate_id, "b": new_id, "decision": "same"}]).to_csv(
        dashboard_env / "aliases.csv", index=False
    )
    code, out = _run("resolve")
    assert code == 0, out
    assert f"merged {new_id} into {candidate_id}" in " ".join(out.split())
    assert new_id not in set(_people()["id"])


def test_resolve_different_keeps_two_people_and_a_half_given_pair_is_refused(dashboard_env: Path) -> None:
    queue = pd.read_csv(dashboard_env / "review.csv", dtype=str)
    new_id, candidate_id = queue.iloc[0][["new_id", "candidate_id"]]
    code, out = _run("resolve", "different", new_id, candidate_id)
    assert code == 0, out
    assert len(_people()) == 10
    assert pd.read_csv(dashboard_env / "aliases.csv", dtype=str).iloc[0]["decision"] == "different"
    code, out = _run("resolve", "merge", new_id)
    assert code == 2 and "Missing argument" in out
