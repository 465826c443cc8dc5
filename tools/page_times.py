"""Load time and a screenshot of each issue-18 view on the committed sample.

``python -m tools.page_times [OUT]`` ingests ``data/sample`` into a temporary
``TIEGRAPH_HOME``, analyzes it as of the sample's last day, serves the
dashboard on 127.0.0.1 and loads each view in headless Chromium (a fresh
context each): alumni by name and reach, mentorship (the thin label), letters
and the shortlist for a GI resident, and the self-contained HTML alumni report
as a file.  Time to ready is from navigation until the page container has
content and no component is loading, continuously for 300 ms (the report:
its ``load`` event).  Writes ``OUT/<view>.png`` and ``OUT/page_times.json``
(default ``test-artifacts/sample-pages``).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from tools.bench import first_render_ms

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
CHROMIUM = Path(os.environ.get("TIEGRAPH_TEST_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def fill(home: Path) -> dict[str, Any]:
    """Ingest and analyze the sample into ``home``; return the people the views are opened for."""
    from prefect.testing.utilities import prefect_test_harness

    from graph.config import Settings
    from graph.store import open_store
    from graph.views import Views
    from pipelines.analyze_flow import analyze
    from pipelines.ingest_flow import ingest_path
    from tools.sample import END_DATE

    t = time.perf_counter()
    with prefect_test_harness(server_startup_timeout=120):
        ingest_path(SAMPLE)
        analyze(today=END_DATE)
    with open_store(Settings.from_env()) as s:
        people = Views(s).people
    gi = people[(people["kind"] == "resident") & (people["specialty"] == "Gastroenterology")]
    return {"resident": str(gi["id"].iloc[0]), "name": str(gi["name"].iloc[0]), "fill_s": time.perf_counter() - t}


def main(out: Path) -> dict[str, Any]:
    """Fill a temporary home from the sample, time and screenshot every view into ``out``; return the record."""
    from playwright.sync_api import sync_playwright
    from typer.testing import CliRunner
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="tiegraph-pages-"))
    os.environ.update(TIEGRAPH_HOME=str(home), TIEGRAPH_STORE="embedded")
    who = fill(home)
    from dashboards.app import create_app
    from pipelines.cli import app as cli

    report = home / "report"
    result = CliRunner().invoke(cli, ["report", "alumni", "--out", str(report)])
    if result.exit_code != 0:
        raise RuntimeError(result.output)
    server = make_server("127.0.0.1", 0, create_app().server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    views = {
        "alumni": base + "/alumni",
        "mentorship": base + "/mentorship",
        "letters": f"{base}/letters?person={who['resident']}",
        "shortlist": f"{base}/shortlist?person={who['resident']}",
    }
    times: dict[str, float] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
            for name, url in views.items():
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                times[name] = first_render_ms(page, url, timeout_s=120.0)
                page.screenshot(path=str(out / f"{name}.png"), full_page=True)
                context.close()
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.goto((report / "alumni.html").as_uri(), wait_until="load")
            times["report"] = round(
                float(page.evaluate("performance.timing.loadEventStart - performance.timeOrigin")), 1
            )
            page.screenshot(path=str(out / "report.png"), full_page=True)
            browser.close()
    finally:
        server.shutdown()
    doc = {
        "sample": str(SAMPLE.relative_to(ROOT)),
        "for": who["name"],
        "ready_ms": times,
        "urls": {**{k: v.removeprefix(base) for k, v in views.items()}, "report": "alumni.html (file)"},
        "screenshots": {k: str((out / f"{k}.png").relative_to(ROOT)) for k in times},
        "ingest_and_analyze_s": round(who["fill_s"], 1),
        "load_average": os.getloadavg(),
    }
    (out / "page_times.json").write_text(json.dumps(doc, indent=2))
    return doc


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "test-artifacts" / "sample-pages"
    print(json.dumps(main(target.resolve()), indent=2))
