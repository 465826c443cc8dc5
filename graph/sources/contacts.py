"""Contact logs: one interaction per row between person A and person B."""

from __future__ import annotations

from functools import lru_cache
from itertools import repeat

import pandas as pd

from graph.model import Interaction, RecordRows, field_names
from graph.resolution.resolver import Mention, Resolver
from graph.sources.batch import SELF_CONTACT, Batch, Prov, contact_context, person
from graph.sources.tabular import Rejection, Table, normalise_header

__all__ = ["build", "initiator_check", "mentions"]


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


def mentions(table: Table) -> list[Mention]:
    """Every distinct person mention of a contact log, in the order :func:`build` resolves them (A before B, row by row)."""
    rows = table.rows
    sides = [zip(*(rows[c].tolist() for c in cols), strict=True) for cols in (_SIDES["a"], _SIDES["b"])]
    keys = dict.fromkeys(k for pair in zip(*sides, strict=True) for k in pair)
    return [Mention(k[0], k[1] or None, k[2] or None) for k in keys]


_SIDES = {"a": ("person_a", "email_a", "id_a"), "b": ("person_b", "email_b", "id_b")}


def build(table: Table, r: Resolver, batch: Batch, prov: Prov) -> None:
    """A contact log's rows as interactions between the two people of each row.

    Each distinct mention (name, e-mail, id as written) is resolved once, in
    the order the rows first name it (side A before side B, row by row) and
    with that row's provenance: a mention seen again adds nothing new
    (``Resolver.person`` only fills empty fields).  Then the rows become
    interactions, their ids made in one pass (:meth:`Batch.row_ids`), held
    column by column as tuples (``batch.columnar["interaction"]``, a
    :class:`~graph.model.RecordRows`): no record object per row.
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
    a = [pid[side_a[i]] for i in kept]
    b = [pid[side_b[i]] for i in kept]
    sides = [_initiator(who[i], side_a[i][0], side_b[i][0]) for i in kept]
    first = [x if s == "a" else (y if s == "b" else None) for x, y, s in zip(a, b, sides, strict=True)]
    places = [contact_context(ctx[i]) for i in kept]
    n = len(kept)
    columns = {
        "id": ids,
        "source": repeat(prov.source, n),
        "file": repeat(prov.file, n),
        "row": [lines[i] for i in kept],
        "ingested_at": repeat(prov.at, n),
        "a": a,
        "b": b,
        "date": [days[i] for i in kept],
        "channel": [channel[i] for i in kept],
        "context": [p[0] for p in places],
        "venue": [p[1] for p in places],
        "initiated_by": first,
        "scheduled": [bool(scheduled[i]) for i in kept],
        "note": [note[i] for i in kept],
        "duration_min": [minutes[i] for i in kept],
        "planned": repeat(False, n),
    }
    in_order = [columns[f] for f in field_names(Interaction)]  # a field added to Interaction fails here, by name
    batch.columnar["interaction"] = RecordRows(Interaction, list(zip(*in_order, strict=False)))
