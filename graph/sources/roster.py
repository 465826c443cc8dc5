"""Rosters: residents and faculty, their home program, committees and services."""

from __future__ import annotations

from graph.model import Affiliation, stable_id
from graph.resolution.resolver import Mention, Resolver
from graph.sources.batch import Batch, Prov, institution, person, program, to_int
from graph.sources.tabular import Table

__all__ = ["build"]


def build(table: Table, r: Resolver, batch: Batch, prov: Prov) -> None:
    """A roster's rows as people with affiliations to the home program, their committees and service."""
    for row in table.rows.itertuples(index=False):
        p = prov(row.line)
        inst = institution(batch, row.institution)
        pid = person(
            r,
            batch,
            Mention(row.name, row.email or None, row.program_id or None, institution_id=inst),
            p,
            kind=row.kind,
            role=row.role,
            pgy=to_int(row.pgy),
            grad_year=to_int(row.grad_year),
            specialty=row.specialty or None,
        )
        if inst is None:
            continue
        home = program(batch, inst, row.institution, "Internal Medicine", "residency")
        batch.add(
            "affiliation",
            Affiliation(id=stable_id("aff", pid, home), person=pid, program=home, role=row.kind, **p),
        )
        for committee in filter(None, (c.strip() for c in row.committees.split(";"))):
            cid = program(batch, inst, row.institution, committee, "committee")
            batch.add(
                "affiliation",
                Affiliation(id=stable_id("aff", pid, cid), person=pid, program=cid, role="member", **p),
            )
        if row.service:
            sid = program(batch, inst, row.institution, row.service, "service")
            batch.add(
                "affiliation",
                Affiliation(id=stable_id("aff", pid, sid), person=pid, program=sid, role=row.kind, **p),
            )
