"""Contact logs: one interaction per row between person A and person B."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from graph.model import Interaction, Provenance
from graph.resolution.resolver import Mention, Resolver
from graph.sources.batch import SELF_CONTACT, Batch, Prov, contact_context, person
from graph.sources.tabular import Rejection, Table, normalise_header

__all__ = ["build", "initiator_check"]


def initiator_check(rows: pd.DataFrame) -> list[tuple[int, str, str]]:
    """Rows whose ``initiated_by`` names neither side of the contact, as ``(row, field, reason)``."""
    bad = []
    cols = (rows[c].tolist() for c in ("initiated_by", "person_a", "person_b"))
    for idx, who, a, b in zip(rows.index, *cols, strict=True):
        if who and _initiator(who, a, b) == "?":
            bad.append((idx, "initiated_by", "names neither person of the contact (use a, b, both or a name)"))
    return bad


def _initiator(who: str, a: str, b: str) -> str | None:
    w = _norm(who)
    if w in ("", "both", "mutual", "unknown"):
        return None
    if w in ("a", "persona") or w == _norm(a):
        return "a"
    if w in ("b", "personb") or w == _norm(b):
        return "b"
    return "?"


_norm = lru_cache(maxsize=1 << 16)(normalise_header)
"""``normalise_header``, remembered: contact logs repeat the same few thousand names."""


def build(table: Table, r: Resolver, batch: Batch, prov: Prov) -> None:
    """A contact log's rows as interactions between the two people of each row."""
    # A mention seen before in this file resolves to the same person and adds nothing new
    # (``Resolver.person`` only fills empty fields), so each distinct mention is resolved once.
    seen: dict[tuple[str, str, str], str] = {}

    def resolve(name: str, email: str, program_id: str, p: Provenance) -> str:
        pid = seen.get((name, email, program_id))
        if pid is None:
            pid = person(r, batch, Mention(name, email or None, program_id or None), p)
            seen[(name, email, program_id)] = pid
        return pid

    cols: tuple[str, ...] = ("line", "person_a", "email_a", "id_a", "person_b", "email_b", "id_b")
    cols += ("initiated_by", "context", "date", "channel", "scheduled", "note", "duration_min")
    interactions = batch.records["interaction"]
    for line, na, ea, ia, nb, eb, ib, who, ctx, day, channel, scheduled, note, minutes in zip(
        *(table.rows[c].tolist() for c in cols), strict=True
    ):
        p = prov(line)
        a = resolve(na, ea, ia, p)
        b = resolve(nb, eb, ib, p)
        if a == b:
            batch.rejections.append(Rejection(prov.file, line, "person_b", nb, SELF_CONTACT))
            continue
        side = _initiator(who, na, nb)
        context, venue = contact_context(ctx)
        i = Interaction(
            id=batch.row_id("i", na, ea, ia, nb, eb, ib, day),
            a=a,
            b=b,
            date=day,
            channel=channel,
            context=context,
            venue=venue,
            initiated_by=a if side == "a" else (b if side == "b" else None),
            scheduled=bool(scheduled),
            note=note,
            duration_min=minutes,
            **p,
        )
        interactions[i.id] = i
