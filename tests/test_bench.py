"""`tiegraph bench --quick` runs end to end and reports every key; timings are never asserted."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from tools import bench

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def quick(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    """One quick bench in a process of its own (it builds a Dash app, which a test session may only do once)."""
    out = tmp_path_factory.mktemp("bench") / "benchmarks.json"
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "bench", "--quick", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads(out.read_text()), out


def test_every_key_is_there(quick: tuple[dict, Path]) -> None:
    doc, _ = quick
    assert doc["quick"] is True
    assert set(bench.KEYS) <= set(doc)
    for key in bench.KEYS:
        if key not in ("quick", "dashboard_first_render_ms"):
            assert isinstance(doc[key], int | float) and math.isfinite(doc[key]) and doc[key] > 0, key


def test_every_ratio_is_positive_and_finite(quick: tuple[dict, Path]) -> None:
    doc, _ = quick
    assert bench.finite_ratios(doc)
    for label, a in doc["detail"]["analyze"].items():
        assert a["speedup_vs_networkx"] > 0 and math.isfinite(a["speedup_vs_networkx"]), label


def test_every_dashboard_page_rendered(quick: tuple[dict, Path]) -> None:
    doc, _ = quick
    pages = doc["dashboard_first_render_ms"]
    assert {"overview", "intro_paths", "data"} <= set(pages)
    assert all(math.isfinite(ms) and ms > 0 for ms in pages.values())


def test_targets_and_growth_are_reported(quick: tuple[dict, Path]) -> None:
    doc, _ = quick
    assert set(doc["detail"]["targets"]) == set(bench.TARGETS)
    steps = {g["step"] for g in doc["detail"]["growth"]}
    assert set(bench.ANALYZE_STEPS) <= steps and "embedded ingest" in steps


def test_markdown_report_beside_the_json(quick: tuple[dict, Path]) -> None:
    _, out = quick
    md = out.with_suffix(".md").read_text()
    assert md.startswith("# Benchmarks")
    for heading in ("## Machine", "## Headline", "## Analyze", "## Growth", "## Where the time goes"):
        assert heading in md
    assert "Neo4j | 5." in md


def test_markdown_keeps_the_written_analysis(tmp_path: Path, quick: tuple[dict, Path]) -> None:
    doc, _ = quick
    path = tmp_path / "b.md"
    path.write_text("old numbers\n<!-- analysis: kept across runs -->\n## Analysis\nwhy it is slow\n")
    bench.write_markdown(doc, path)
    text = path.read_text()
    assert "old numbers" not in text and text.endswith("## Analysis\nwhy it is slow\n")


def test_growth_flags_worse_than_linear() -> None:
    step = {"seconds": 1.0, "peak_extra_mb": 1.0}
    analyze = {
        "a": {"people": 100, "steps": dict.fromkeys(bench.ANALYZE_STEPS, step)},
        "b": {"people": 1000, "steps": {**dict.fromkeys(bench.ANALYZE_STEPS, step), "ties": {"seconds": 20.0}}},
    }
    analyze["b"]["steps"]["ties"]["peak_extra_mb"] = 1.0
    embedded = {"a": {"contacts": {"rows": 10, "seconds": 1.0}}, "b": {"contacts": {"rows": 100, "seconds": 10.0}}}
    pubmed = {"sizes": {}}
    rows = {(g["step"], g["flag"]) for g in bench.growth(analyze, embedded, pubmed)}
    assert ("ties", True) in rows and ("centrality", False) in rows and ("embedded ingest", False) in rows


def test_extrapolation_is_linear_in_sources() -> None:
    calls = []
    est = bench._extrapolate(lambda k: calls.append(k), 256, budget_s=0.0)
    assert calls == [2] and est["extrapolated"] and est["estimated_s"] == pytest.approx(est["timed_s"] * 128)
