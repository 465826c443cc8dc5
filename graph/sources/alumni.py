"""Alumni lists: graduates of the home program, where they went and as what."""

from __future__ import annotations

import re

import pandas as pd

from graph.model import Affiliation, stable_id
from graph.resolution.resolver import Mention, Resolver
from graph.sources.batch import Batch, Prov, institution, person, program, to_int
from graph.sources.tabular import Table

__all__ = ["build", "home_program"]


_FELLOW = re.compile(r"\bfellow\b", re.IGNORECASE)


def build(table: Table, r: Resolver, batch: Batch, prov: Prov) -> None:
    """An alumni list's rows as alumni, affiliated with the home program and the fellowship they went to."""
    home = prov.home_program
    for row in table.rows.itertuples(index=False):
        p = prov(row.line)
        inst = institution(batch, row.institution, row.city)
        pid = person(
            r,
            batch,
            Mention(row.name, row.email or None, institution_id=inst),
            p,
            kind="alumnus",
            role=row.position,
            grad_year=to_int(row.grad_year),
            specialty=row.specialty or None,
        )
        if home:
            batch.add(
                "affiliation",
                Affiliation(
                    id=stable_id("aff", pid, home),
                    person=pid,
                    program=home,
                    role="alumnus",
                    end_year=to_int(row.grad_year),
                    **p,
                ),
            )
        if inst and row.specialty:
            level = "fellowship"
            prog = program(batch, inst, row.institution, row.specialty, level)
            role = "fellow" if _FELLOW.search(row.position) else "faculty"
            batch.add(
                "affiliation",
                Affiliation(id=stable_id("aff", pid, prog), person=pid, program=prog, role=role, **p),
            )


def home_program(programs: pd.DataFrame) -> str | None:
    """The residency program alumni lists belong to: the first residency-level program."""
    res = programs[programs["level"] == "residency"] if not programs.empty else programs
    return None if res.empty else str(res.sort_values("id")["id"].iloc[0])
