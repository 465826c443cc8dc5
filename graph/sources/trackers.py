"""Networking trackers: one person's log of whom they met, how, and the next step."""

from __future__ import annotations

import re
from pathlib import Path

from graph.errors import InputError
from graph.resolution.resolver import Mention, Resolver
from graph.sources.batch import Batch, Prov, contact_context, institution, owner_contact, person
from graph.sources.tabular import Table

__all__ = ["build"]


def build(table: Table, r: Resolver, batch: Batch, prov: Prov) -> None:
    """A tracker's rows as its owner's contacts with each person."""
    owner_name = prov.owner or _owner_from_filename(table.file)
    me = person(r, batch, Mention(owner_name), prov(None))
    for row in table.rows.itertuples(index=False):
        p = prov(row.line)
        inst = institution(batch, row.institution)
        them = person(
            r,
            batch,
            Mention(row.name, row.email or None, institution_id=inst),
            p,
            role=row.role,
            interests=row.interests,
        )
        context, venue = contact_context(row.how_met)
        note = " | ".join(x for x in (row.last_contact_content, f"next: {row.next_step}" if row.next_step else "") if x)
        owner_contact(
            batch,
            prov,
            row.line,
            me,
            them,
            date=row.last_contact,
            written=row.name,
            key=(row.email,),
            channel="in_person",
            context=context,
            venue=venue or row.how_met,
            initiated_by=me,
            note=note,
        )


def _owner_from_filename(path: Path) -> str:
    m = re.match(r"(?i)tracker[\s_\-]*(?P<name>.+)$", path.stem)
    if not m or not m["name"].strip(" -_"):
        raise InputError(
            f"{path.name}: cannot tell whose tracker this is; name it 'tracker - First Last' or pass --owner"
        )
    return m["name"].replace("_", " ").strip(" -")
