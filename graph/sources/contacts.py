"""Contact logs: one interaction per row between person A and person B.

A log has a million rows and a few hundred thousand distinct writings of
people, dates and places: each column is handled as an array, and each
distinct value (a writing of a person, a context, an initiator) is looked
at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from itertools import repeat

import numpy as np
import pandas as pd

from graph.model import Interaction, RecordRows, field_names
from graph.resolution.resolver import Mention, Resolver
from graph.sources.batch import SELF_CONTACT, Batch, Prov, contact_context, person
from graph.sources.tabular import Rejection, Table, normalise_header

__all__ = ["build", "initiator_check", "mentions"]

_NOBODY, _A, _B, _NEITHER = 0, 1, 2, 3


def initiator_check(rows: pd.DataFrame) -> list[tuple[int, str, str]]:
    """Rows whose ``initiated_by`` names neither side of the contact, as ``(row, field, reason)``."""
    side = _initiators(*(rows[c].to_numpy(dtype=object) for c in ("initiated_by", "person_a", "person_b")))
    reason = "names neither person of the contact (use a, b, both or a name)"
    return [(idx, "initiated_by", reason) for idx in rows.index[side == _NEITHER].tolist()]


def _initiators(who: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Which side each row's ``initiated_by`` names: nobody (blank, both, mutual, unknown), A, B, or neither side.

    A side is named by ``a``/``person a`` (``b``/``person b``) or by its name
    as the row writes it, compared after :func:`normalise_header`; A first.
    """
    w = _normalised(who)
    out = np.full(len(w), _NEITHER, dtype=np.int8)
    if not len(w):
        return out
    nobody = np.isin(w, ["", "both", "mutual", "unknown"])
    out[nobody] = _NOBODY
    todo = ~nobody
    if not todo.any():
        return out
    is_a = todo & (np.isin(w, ["a", "persona"]) | (w == _normalised(a)))
    out[is_a] = _A
    todo &= ~is_a
    is_b = todo & (np.isin(w, ["b", "personb"]) | (w == _normalised(b)))
    out[is_b] = _B
    return out


def _normalised(values: np.ndarray) -> np.ndarray:
    """:func:`normalise_header` of each value, computed once per distinct value."""
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    normed: np.ndarray = np.array([_norm(v) for v in distinct.tolist()] + [""], dtype=object)
    out: np.ndarray = normed[codes]
    return out


_norm = lru_cache(maxsize=1 << 16)(normalise_header)
"""``normalise_header``, remembered: contact logs repeat the same few thousand names."""

_SIDES = {"a": ("person_a", "email_a", "id_a"), "b": ("person_b", "email_b", "id_b")}


def _writings(table: Table) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """:func:`_writings_of` the table's rows, computed once per table (the run's collect step, then its build)."""
    found = table.derived.get("writings")
    if found is None:
        found = table.derived["writings"] = _writings_of(table.rows)
    return found  # type: ignore[return-value]


def _writings_of(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Each side of each row as the number of its writing (name, e-mail, id as written), A and B interleaved.

    Returns ``(codes, first, parts)``: ``codes[2 * i]`` is row ``i``'s side A,
    ``codes[2 * i + 1]`` its side B; writings are numbered in the order the rows
    first name them (A before B, row by row), ``first[k]`` the place in
    ``codes`` of writing ``k``'s first naming; ``parts`` the three columns,
    interleaved the same way.
    """
    n = len(rows)
    parts = []
    for ca, cb in zip(_SIDES["a"], _SIDES["b"], strict=True):
        both = np.empty(2 * n, dtype=object)
        both[0::2] = rows[ca].to_numpy(dtype=object)
        both[1::2] = rows[cb].to_numpy(dtype=object)
        parts.append(both)
    codes = np.zeros(2 * n, dtype=np.int64)
    for part in parts:  # one number per distinct (name, e-mail, id), first seen first
        c, distinct = pd.factorize(part, use_na_sentinel=False)
        codes, _ = pd.factorize(codes * len(distinct) + c, use_na_sentinel=False)
    first = np.unique(codes, return_index=True)[1] if len(codes) else np.zeros(0, dtype=np.int64)
    return codes, first, parts


def _parts(parts: list[np.ndarray], at: int) -> tuple[str, str, str]:
    name, email, pid = (str(p[at]) for p in parts)
    return name, email, pid


def _mention(parts: list[np.ndarray], at: int) -> Mention:
    name, email, pid = (p[at] for p in parts)
    return Mention(name, email or None, pid or None)


def mentions(table: Table) -> list[Mention]:
    """Every distinct person mention of a contact log, in the order :func:`build` resolves them (A before B, row by row)."""
    _, first, parts = _writings(table)
    return [_mention(parts, at) for at in first.tolist()]


def build(table: Table, r: Resolver, batch: Batch, prov: Prov) -> None:
    """A contact log's rows as interactions between the two people of each row.

    Each distinct mention (name, e-mail, id as written) is resolved once, in
    the order the rows first name it (side A before side B, row by row) and
    with that row's provenance: a mention seen again adds nothing new
    (``Resolver.person`` only fills empty fields).  Then the rows become
    interactions column by column (:func:`_interaction_columns`), their ids
    made in one pass (:meth:`Batch.column_ids`), held as tuples
    (``batch.columnar["interaction"]``, a :class:`~graph.model.RecordRows`):
    no record object per row.
    """
    rows = table.rows
    lines = rows["line"].to_numpy(dtype=np.int64)
    codes, first, parts = _writings(table)
    pairs = codes.reshape(-1, 2)
    # every row that writes each mention, in row order; a row naming it on both sides once
    named = np.ones(len(codes), dtype=bool)
    named[1::2] = pairs[:, 0] != pairs[:, 1]
    order = np.argsort(codes[named], kind="stable")
    at_rows = np.repeat(lines, 2)[named][order].tolist()
    ends = np.cumsum(np.bincount(codes[named], minlength=len(first))).tolist()
    pids = []
    for k, at in enumerate(first.tolist()):
        m = _mention(parts, at)
        pid = person(r, batch, m, prov(int(lines[at // 2])))
        batch.mentions[(m, pid)] = at_rows[ends[k - 1] if k else 0 : ends[k]]  # the mention record's rows
        pids.append(pid)
    people = np.array(pids, dtype=object)
    a, b = people[pairs[:, 0]], people[pairs[:, 1]]
    alone = a == b
    for i in np.flatnonzero(alone).tolist():
        batch.rejections.append(Rejection(prov.file, int(lines[i]), "person_b", parts[0][2 * i + 1], SELF_CONTACT))
    kept = ~alone
    # the id's key: each side's writing (name, e-mail, id) joined once per writing, then the date
    written = np.array(["\x1f".join(_parts(parts, at)) for at in first.tolist()], dtype=object)
    sides = [written[pairs[kept, 0]], written[pairs[kept, 1]], rows["date"].to_numpy(dtype=object)[kept]]
    ids = batch.column_ids("i", sides)
    columns: dict[str, Iterable[object]] = {
        **_interaction_columns(rows, kept, a[kept], b[kept], parts[0][0::2][kept], parts[0][1::2][kept])
    }
    n = len(ids)
    columns |= {
        "id": ids,
        "source": repeat(prov.source, n),
        "file": repeat(prov.file, n),
        "row": lines[kept].tolist(),
        "ingested_at": repeat(prov.at, n),
        "planned": repeat(False, n),
    }
    in_order = [columns[f] for f in field_names(Interaction)]  # a field added to Interaction fails here, by name
    batch.columnar["interaction"] = RecordRows(Interaction, list(zip(*in_order, strict=False)))


def _interaction_columns(
    rows: pd.DataFrame, kept: np.ndarray, a: np.ndarray, b: np.ndarray, name_a: np.ndarray, name_b: np.ndarray
) -> dict[str, list[object]]:
    """The kept rows' interaction fields taken from their columns: people, date, channel, place, initiator, note."""
    col = {c: rows[c].to_numpy(dtype=object)[kept] for c in ("date", "channel", "context", "note", "duration_min")}
    side = _initiators(rows["initiated_by"].to_numpy(dtype=object)[kept], name_a, name_b)
    unset = np.asarray(pd.isna(col["duration_min"]), dtype=bool)
    first = np.where(side == _A, a, np.where(side == _B, b, np.full(len(b), None, dtype=object)))
    codes, written = pd.factorize(col["context"], use_na_sentinel=False)
    places = [contact_context(c) for c in written.tolist()]
    context = np.array([p[0] for p in places] + [""], dtype=object)[codes]
    venue = np.array([p[1] for p in places] + [""], dtype=object)[codes]
    return {
        "a": a.tolist(),
        "b": b.tolist(),
        "date": col["date"].tolist(),
        "channel": col["channel"].tolist(),
        "context": context.tolist(),
        "venue": venue.tolist(),
        "initiated_by": first.tolist(),
        "scheduled": rows["scheduled"].to_numpy(dtype=bool)[kept].tolist(),
        "note": col["note"].tolist(),
        "duration_min": [None if u else m for u, m in zip(unset.tolist(), col["duration_min"].tolist(), strict=True)],
    }
