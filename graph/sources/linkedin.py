"""LinkedIn connection exports: the owner's connection to each person."""

from __future__ import annotations

from graph.errors import InputError
from graph.resolution.resolver import Mention, Resolver
from graph.sources.batch import Batch, Prov, institution, owner_contact, person
from graph.sources.tabular import Table

__all__ = ["build"]


def build(table: Table, r: Resolver, batch: Batch, prov: Prov) -> None:
    """A LinkedIn export's rows as its owner's connections."""
    if not prov.owner:
        raise InputError(f"{table.file.name}: a LinkedIn export needs --owner NAME (whose connections these are)")
    me = person(r, batch, Mention(prov.owner), prov(None))
    for row in table.rows.itertuples(index=False):
        p = prov(row.line)
        inst = institution(batch, row.company)
        them = person(
            r,
            batch,
            Mention(f"{row.first_name} {row.last_name}", row.email or None, institution_id=inst),
            p,
            role=row.position,
        )
        owner_contact(
            batch,
            prov,
            row.line,
            me,
            them,
            date=row.connected_on,
            written=f"{row.first_name} {row.last_name}",
            key=(row.url, row.email),
            channel="message",
            context="other",
            venue="LinkedIn",
            note="LinkedIn connection",
        )
