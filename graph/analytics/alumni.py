"""Alumni reach: where the program's alumni are, and how well residents reach them.

Reach is counted on the tie graph: a resident reaches a program when some
current member (fellow or faculty) is within ``hops`` ties (default 2: a
direct tie, or one introduction).  The set of people within two hops of each
resident is the support of :math:`A + A^2` for the adjacency matrix *A* [1]_,
computed with sparse matrices so that thousands of residents cost one
product.

Exports suppress small cells: a count under ``suppress_below`` (default 5)
is written as ``"<5"`` so no one can be identified from a report.

References
----------
.. [1] Newman, M. E. J. Networks: An Introduction, 2nd ed., section 6.10
   (powers of the adjacency matrix count walks). Oxford University Press,
   2018. https://doi.org/10.1093/oso/9780198805090.001.0001
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = ["AlumniReport", "alumni_reach", "render_html", "suppress_small", "within_hops"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AlumniReport:
    """The program-level alumni network report, as tables."""

    alumni: pd.DataFrame  # id, name, grad_year, institution, specialty, role
    by_institution: pd.DataFrame  # institution, alumni
    by_specialty: pd.DataFrame  # specialty, alumni
    by_year: pd.DataFrame  # grad_year, alumni
    programs: pd.DataFrame  # program, institution, specialty, alumni, members, residents_within_2
    bridges: pd.DataFrame  # resident, alumnus, strength, last_contact, reasons
    residents: int


def within_hops(ties: pd.DataFrame, sources: list[str], targets: list[str], hops: int = 2) -> pd.DataFrame:
    """Which targets each source reaches within ``hops`` ties (boolean frame, sources × targets).

    Uses boolean sparse powers of the adjacency matrix [1]_.
    """
    ids = pd.Index(pd.unique(pd.concat([ties["a"], ties["b"], pd.Series(sources), pd.Series(targets)])))
    n = len(ids)
    a = ids.get_indexer(ties["a"])
    b = ids.get_indexer(ties["b"])
    adj = sp.coo_matrix((np.ones(2 * len(a)), (np.r_[a, b], np.r_[b, a])), shape=(n, n)).tocsr()
    adj.data[:] = 1.0
    src = ids.get_indexer(sources)
    reach = sp.identity(n, format="csr")[src]
    total = reach.copy()
    for _ in range(hops):
        reach = reach @ adj
        reach.data[:] = 1.0
        total = total + reach
    dense = (total[:, ids.get_indexer(targets)] > 0).toarray()
    return pd.DataFrame(dense, index=sources, columns=targets)


def alumni_reach(
    people: pd.DataFrame,
    affiliations: pd.DataFrame,
    programs: pd.DataFrame,
    institutions: pd.DataFrame,
    ties: pd.DataFrame,
    *,
    hops: int = 2,
    year_from: int | None = None,
    year_to: int | None = None,
    specialty: str | None = None,
) -> AlumniReport:
    """Build the alumni report of the home program.

    Parameters
    ----------
    people, affiliations, programs, institutions, ties : pandas.DataFrame
        Frames as the store returns them.
    hops : int, default 2
        Largest number of ties from a resident to a program member.
    year_from, year_to : int, optional
        Keep alumni graduating in these years.
    specialty : str, optional
        Keep alumni of this specialty.
    """
    inst_names = dict(zip(institutions["id"], institutions["name"], strict=True))
    alumni_ids = set(affiliations.loc[affiliations["role"] == "alumnus", "person"]) | set(
        people.loc[people["kind"] == "alumnus", "id"]
    )
    alumni = people[people["id"].isin(alumni_ids)].assign(institution=lambda d: d["institution_id"].map(inst_names))[
        ["id", "name", "grad_year", "institution", "specialty", "role"]
    ]
    if year_from is not None:
        alumni = alumni[alumni["grad_year"] >= year_from]
    if year_to is not None:
        alumni = alumni[alumni["grad_year"] <= year_to]
    if specialty:
        alumni = alumni[alumni["specialty"] == specialty]
    count = lambda col: alumni.groupby(col).size().rename("alumni").reset_index().sort_values("alumni", ascending=False)  # noqa: E731
    fellowships = programs[programs["level"] == "fellowship"]
    members = affiliations[
        affiliations["program"].isin(fellowships["id"]) & affiliations["role"].isin(["fellow", "faculty"])
    ]
    alumni_members = members[members["person"].isin(alumni["id"])]
    residents = people.loc[people["kind"] == "resident", "id"].tolist()
    reach = within_hops(ties, residents, sorted(set(members["person"])), hops) if residents and len(members) else None
    rows = []
    for prog in fellowships.itertuples(index=False):
        mem = sorted(set(members.loc[members["program"] == prog.id, "person"]))
        n_alumni = int((alumni_members["program"] == prog.id).sum())
        if n_alumni == 0:
            continue
        within = int(reach[mem].any(axis=1).sum()) if reach is not None and mem else 0
        rows.append((prog.name, inst_names.get(prog.institution_id, ""), prog.specialty, n_alumni, len(mem), within))
    progs = pd.DataFrame(
        rows, columns=["program", "institution", "specialty", "alumni", "members", f"residents_within_{hops}"]
    )
    progs = progs.sort_values(["alumni", "program"], ascending=[False, True]).reset_index(drop=True)
    return AlumniReport(
        alumni.reset_index(drop=True),
        count("institution"),
        count("specialty"),
        count("grad_year").sort_values("grad_year"),
        progs,
        _bridges(ties, residents, alumni, people),
        len(residents),
    )


def _bridges(
    ties: pd.DataFrame, residents: list[str], alumni: pd.DataFrame, people: pd.DataFrame, top: int = 25
) -> pd.DataFrame:
    names = dict(zip(people["id"], people["name"], strict=True))
    res, alu = set(residents), set(alumni["id"])
    fwd = ties["a"].isin(res) & ties["b"].isin(alu)
    rev = ties["b"].isin(res) & ties["a"].isin(alu)
    t = pd.concat(
        [
            ties[fwd].rename(columns={"a": "resident", "b": "alumnus"}),
            ties[rev].rename(columns={"b": "resident", "a": "alumnus"}),
        ]
    )
    t = t.sort_values("strength", ascending=False).head(top)
    return pd.DataFrame(
        {
            "resident": t["resident"].map(names),
            "alumnus": t["alumnus"].map(names),
            "strength": t["strength"].round(3),
            "last_contact": t["last_contact"],
            "reasons": t["reasons"],
        }
    ).reset_index(drop=True)


def suppress_small(frame: pd.DataFrame, columns: list[str], below: int = 5) -> pd.DataFrame:
    """Counts under ``below`` (but above 0) become ``"<5"``, so no one is identified from a count."""
    out = frame.copy()
    for c in columns:
        out[c] = [f"<{below}" if 0 < v < below else str(v) for v in out[c]]
    return out


def render_html(report: AlumniReport, *, title: str = "Alumni network report", suppress_below: int = 5) -> str:
    """One self-contained HTML file: tables and plotly figures, plotly.js inlined."""
    import plotly.express as px

    figs = []
    if not report.by_institution.empty:
        figs.append(
            px.bar(
                report.by_institution.head(25),
                x="alumni",
                y="institution",
                orientation="h",
                title="Alumni by institution (top 25)",
            ).update_layout(yaxis={"autorange": "reversed"})
        )
    if not report.by_year.empty:
        figs.append(
            px.bar(
                report.by_year,
                x="grad_year",
                y="alumni",
                title="Alumni by graduation year",
                labels={"grad_year": "Class of"},
            )
        )
    if not report.programs.empty:
        col = [c for c in report.programs.columns if c.startswith("residents_within")][0]
        figs.append(
            px.scatter(
                report.programs,
                x="alumni",
                y=col,
                hover_name="program",
                size="members",
                title="Fellowship programs: alumni there vs residents who reach them",
                labels={col: "residents within 2 ties"},
            )
        )
    parts = [f.to_html(full_html=False, include_plotlyjs="inline" if i == 0 else False) for i, f in enumerate(figs)]
    progs = suppress_small(
        report.programs,
        ["alumni", "members"] + [c for c in report.programs.columns if c.startswith("residents")],
        suppress_below,
    )
    tables = [
        ("Fellowship programs with alumni", progs),
        ("Alumni by institution", suppress_small(report.by_institution, ["alumni"], suppress_below)),
        ("Alumni by specialty", suppress_small(report.by_specialty, ["alumni"], suppress_below)),
    ]
    body = "".join(f"<h2>{html.escape(t)}</h2>{f.to_html(index=False, escape=True)}" for t, f in tables)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:4px 8px;"
        "border-bottom:1px solid #ddd}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{len(report.alumni)} alumni; {report.residents} current residents. "
        f"Counts under {suppress_below} are shown as &lt;{suppress_below}.</p>"
        + "".join(parts)
        + body
        + "</body></html>"
    )
