"""`tiegraph bench --only`: some sections measured, merged into the document already there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from tools import bench


def test_sections_add_what_they_are_measured_on() -> None:
    assert bench.sections(None) == list(bench.SECTIONS)
    assert bench.sections("resolve") == ["resolve"]
    assert bench.sections("dashboard") == ["ingest", "analyze", "analyze_flow", "dashboard"]
    assert set(bench.sections("ingest, sample")) == {"ingest", "sample"}
    with pytest.raises(ValueError, match="no bench section nope"):
        bench.sections("resolve,nope")


def test_every_headline_key_belongs_to_one_section() -> None:
    owned = [k for keys in bench.SECTIONS.values() for k in keys]
    assert sorted(owned) == sorted(k for k in bench.KEYS if k != "quick")


def test_only_replaces_its_sections_and_keeps_the_others(tmp_path: Path) -> None:
    out = tmp_path / "benchmarks.json"
    first = bench.run(True, out, only="resolve")
    assert first["resolve_rows_per_s"] > 0
    assert first["sample_ingest_s"] is None and first["embedded_ingest_rows_per_s"] is None
    # a value measured by an earlier run of another section (written here by hand) must survive
    doc = json.loads(out.read_text())
    doc["sample_ingest_s"] = 4.5
    doc["detail"]["sample"] = {"sample_ingest_s": 4.5, "marker": "kept"}
    doc["resolve_rows_per_s"] = -1.0
    out.write_text(json.dumps(doc))
    second = bench.run(True, out, only="resolve")
    again = json.loads(out.read_text())
    assert again == json.loads(json.dumps(second, default=str))
    assert again["sample_ingest_s"] == 4.5 and again["detail"]["sample"]["marker"] == "kept"
    assert again["resolve_rows_per_s"] > 0
    assert [r["sections"] for r in again["detail"]["runs"]] == [["resolve"], ["resolve"]]
    assert again["detail"]["targets"]["sample_ingest_s"]["met"] is True
    md = out.with_suffix(".md").read_text()
    assert "| `sample_ingest_s` | 4.5 |" in md and "not measured in this run" in md
    # the resolve section measures a generated program's log against its truth, name-only and with e-mails
    res = again["detail"]["resolve"]
    for rows, cell in res["sizes"].items():
        assert cell["name_only"]["rows"] == int(rows) and cell["name_only"]["true_people"] > 0
        assert cell["name_only"]["precision"] >= 0.995 and cell["name_only"]["recall"] >= 0.98
        assert cell["with_email"]["precision"] >= 0.995 and cell["with_email"]["recall"] >= 0.99
    assert set(res["synthetic"]) == set(res["sizes"])
    assert "## Resolution of contact logs" in md and "| program | 15,000 | name only |" in md


def test_a_quick_run_is_not_merged_into_a_full_one(tmp_path: Path) -> None:
    out = tmp_path / "benchmarks.json"
    out.write_text(json.dumps({"quick": False, "detail": {}}))
    with pytest.raises(ValueError, match="holds a full run"):
        bench.run(True, out, only="resolve")
    done = CliRunner().invoke(app, ["bench", "--quick", "--only", "resolve", "--out", str(out)])
    assert done.exit_code == 2 and "full run" in done.output


def test_an_unknown_section_is_a_usage_error(tmp_path: Path) -> None:
    done = CliRunner().invoke(app, ["bench", "--only", "ingest,nope", "--out", str(tmp_path / "b.json")])
    assert done.exit_code == 2 and "no bench section nope" in done.output
    assert not (tmp_path / "b.json").exists()


def test_bench_ingest_writes_what_the_cli_writes(tmp_path: Path) -> None:
    """The ingest bench times the records the CLI's flow writes (mentions included), not a subset of them."""
    import os
    import subprocess
    import sys

    from graph.sources.folder import plan_folder
    from graph.store.sqlite_store import SqliteStore
    from tools.sample import generate, write_sample

    folder = tmp_path / "in"
    write_sample(generate(7, 0.1), folder, formats={"roster", "mentorship", "contacts"})
    env = {**os.environ, "TIEGRAPH_HOME": str(tmp_path / "home"), "TIEGRAPH_STORE": "embedded"}
    cli = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "ingest", str(folder)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert cli.returncode == 0, cli.stdout + cli.stderr
    with SqliteStore(tmp_path / "home" / "tiegraph.db") as by_cli, SqliteStore(tmp_path / "bench.db") as by_bench:
        bench.ingest_run(by_bench, plan_folder(folder))
        for kind in ("person", "interaction", "mentorship", "mention"):
            assert by_bench.count(kind) == by_cli.count(kind) > 0, kind
