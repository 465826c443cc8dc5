"""Mentorship lists: who mentors whom, of which type, since when."""

from __future__ import annotations

from graph.model import Mentorship, stable_id
from graph.resolution.resolver import Mention, Resolver
from graph.sources.batch import Batch, Prov, person
from graph.sources.tabular import Table

__all__ = ["build"]


def build(table: Table, r: Resolver, batch: Batch, prov: Prov) -> None:
    """A mentorship list's rows as mentorships between mentor and mentee."""
    for row in table.rows.itertuples(index=False):
        p = prov(row.line)
        mentor = person(r, batch, Mention(row.mentor, row.mentor_email or None), p)
        mentee = person(r, batch, Mention(row.mentee, row.mentee_email or None), p)
        batch.add(
            "mentorship",
            Mentorship(
                id=stable_id("m", mentor, mentee, row.type),
                mentor=mentor,
                mentee=mentee,
                type=row.type,
                since=row.since,
                **p,
            ),
        )
