"""The self-contained alumni report (one HTML file): jinja2 templates, autoescaped, the page's own figures.

The figures come from :mod:`dashboards.figures`, the same builders the Alumni
page draws with; plotly.js is inlined once so the file opens offline.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from dashboards.figures import alumni_by_institution, alumni_by_year, program_reach
from dashboards.format import as_of_text, when
from graph.analytics.alumni import AlumniReport, suppress_small

__all__ = ["PROGRAM_HEADERS", "program_table", "render_html"]

_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html", "j2"]),
)
PROGRAM_HEADERS = {
    "program": "Fellowship program",
    "institution": "Institution",
    "city": "City",
    "specialty": "Specialty",
    "alumni": "Our alumni there",
    "members": "Fellows and faculty",
    "residents_reach": "Residents who reach them warmly",
    "median_reach": "Median chance of a warm introduction",
    "bridges": "Strongest bridges (residents they connect)",
}
"""The programs table's columns in the users' words, as on the page."""
COUNTS = ["alumni", "members", "residents_reach"]


def program_table(programs: pd.DataFrame, *, suppress_below: int = 5) -> pd.DataFrame:
    """The programs table as exported: plain headers, small counts hidden, bridges as ``Name (n)``."""
    table = suppress_small(programs, COUNTS, suppress_below).assign(
        bridges=[", ".join(f"{n} ({k})" for n, k in b) for b in programs["bridges"]],
        median_reach=[f"{m:.2f}" for m in programs["median_reach"]],
    )
    return table[list(PROGRAM_HEADERS)].rename(columns=PROGRAM_HEADERS)


def render_html(report: AlumniReport, *, title: str = "Alumni network report", suppress_below: int = 5) -> str:
    """One self-contained HTML file: the page's figures (plotly.js inlined) and the tables in plain words."""
    figs = []
    if not report.alumni.empty:
        figs.append(alumni_by_institution(report.alumni))
    if not report.by_year.empty:
        figs.append(alumni_by_year(report.by_year))
    if not report.programs.empty:
        figs.append(program_reach(report.programs, report.level))
    parts = [f.to_html(full_html=False, include_plotlyjs="inline" if i == 0 else False) for i, f in enumerate(figs)]
    tables = [
        ("Fellowship programs with our alumni", program_table(report.programs, suppress_below=suppress_below)),
        (
            "Alumni by institution",
            suppress_small(report.by_institution, ["alumni"], suppress_below).rename(
                columns={"institution": "Institution", "alumni": "Alumni"}
            ),
        ),
        (
            "Alumni by specialty",
            suppress_small(report.by_specialty, ["alumni"], suppress_below).rename(
                columns={"specialty": "Specialty", "alumni": "Alumni"}
            ),
        ),
    ]
    return _ENV.get_template("alumni_report.html.j2").render(
        title=title,
        alumni=len(report.alumni),
        residents=report.residents,
        below=suppress_below,
        level_pct=f"{report.level:.0%}",
        as_of=as_of_text(report.as_of),
        analysed=when(report.analysed_at) if report.analysed_at else "",
        figures=parts,
        tables=[
            {"title": t, "headers": list(f.columns), "rows": f.astype(object).where(f.notna(), "").values.tolist()}
            for t, f in tables
        ],
    )
