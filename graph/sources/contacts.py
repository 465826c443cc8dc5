"""Contact logs: one interaction per row between person A and person B."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from graph.model import Interaction
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
    """A contact log's rows as interactions between the two people of each row.

    Each distinct mention (name, e-mail, id as written) is resolved once, in
    the order the rows first name it (side A before side B, row by row) and
    with that row's provenance: a mention seen again adds nothing new
    (``Resolver.person`` only fills empty fields).  Then the rows become
    interactions, their ids made in one pass (:meth:`Batch.row_ids`).
    """
    rows = table.rows
    lines = rows["line"].tolist()
    side_a = list(zip(*(rows[c].tolist() for c in ("person_a", "email_a", "id_a")), strict=True))
    side_b = list(zip(*(rows[c].tolist() for c in ("person_b", "email_b", "id_b")), strict=True))
    rows_of: dict[tuple[str, str, str], list[int | None]] = {}  # every row that writes each mention
    for line, ka, kb in zip(lines, side_a, side_b, strict=True):
        rows_of.setdefault(ka, []).append(line)
        if kb != ka:
            rows_of.setdefault(kb, []).append(line)
    mentions = {k: Mention(k[0], k[1] or None, k[2] or None) for k in rows_of}
    pid = {k: person(r, batch, mentions[k], prov(at[0])) for k, at in rows_of.items()}
    for k, m in mentions.items():  # the mention records' rows (:meth:`Batch.add_mentions`)
        batch.mentions[(m, pid[k])] = rows_of[k]

    kept = []
    for i, (line, ka, kb) in enumerate(zip(lines, side_a, side_b, strict=True)):
        if pid[ka] == pid[kb]:
            batch.rejections.append(Rejection(prov.file, line, "person_b", kb[0], SELF_CONTACT))
        else:
            kept.append(i)
    days = rows["date"].tolist()
    ids = batch.row_ids("i", [(*side_a[i], *side_b[i], days[i]) for i in kept])
    cols = ("initiated_by", "context", "channel", "scheduled", "note", "duration_min")
    who, ctx, channel, scheduled, note, minutes = (rows[c].tolist() for c in cols)
    interactions = batch.records["interaction"]
    for iid, i in zip(ids, kept, strict=True):
        a, b = pid[side_a[i]], pid[side_b[i]]
        side = _initiator(who[i], side_a[i][0], side_b[i][0])
        context, venue = contact_context(ctx[i])
        interactions[iid] = Interaction(
            id=iid,
            a=a,
            b=b,
            date=days[i],
            channel=channel[i],
            context=context,
            venue=venue,
            initiated_by=a if side == "a" else (b if side == "b" else None),
            scheduled=bool(scheduled[i]),
            note=note[i],
            duration_min=minutes[i],
            **prov(lines[i]),
        )
