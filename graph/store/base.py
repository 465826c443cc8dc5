"""The one store interface: typed records in, typed records and frames out.

Both implementations (:mod:`graph.store.sqlite_store`, the embedded default,
and :mod:`graph.store.neo4j_store`, the production store) pass the same
contract suite (``tests/test_store_contract.py``): the same records in give
the same frames out.
"""

from __future__ import annotations

import dataclasses
import math
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from functools import partial
from typing import Any, Protocol, Self

import pandas as pd

from graph.errors import NotFoundError, StoreError
from graph.model import KINDS, Kind, Record, RecordRows, field_names

__all__ = ["Store", "Writer", "fields_of", "kind_of", "plain_value", "to_frame", "typed"]

_DTYPES = {"str": "object", "int": "Int64", "float": "float64", "bool": "bool"}


def kind_of(name: str) -> Kind:
    """Look a kind up by name, with a clear error for a typo."""
    try:
        return KINDS[name]
    except KeyError:
        raise StoreError(f"unknown record kind {name!r}; known: {', '.join(KINDS)}") from None


def to_frame(kind: Kind, rows: Iterable[dict[str, Any]], columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Frame with one column per field (or per field of ``columns``), typed alike whichever store the rows came from.

    Rows are sorted by ``id`` so that two stores holding the same records give
    equal frames.
    """
    names = fields_of(kind, columns)
    df = pd.DataFrame.from_records(list(rows), columns=sorted({*names, "id"}, key=list(kind.fields).index))
    df = typed(kind, df).sort_values("id", kind="stable").reset_index(drop=True)
    return df if list(df.columns) == names else df[names]


def fields_of(kind: Kind, columns: Sequence[str] | None) -> list[str]:
    """``columns`` (all fields when None), each checked to be a field of ``kind``."""
    if columns is None:
        return list(kind.fields)
    unknown = [c for c in columns if c not in kind.types]
    if unknown:
        raise StoreError(f"{kind.name} has no field {unknown[0]!r}")
    return list(columns)


def typed(kind: Kind, df: pd.DataFrame) -> pd.DataFrame:
    """``df`` (columns named as fields of ``kind``) with each column of its field's type; None where unset."""
    for name in df.columns:
        typ = kind.types[name]
        col = df[name]
        if typ == "bool":
            df[name] = col.fillna(False).astype(bool)
        elif typ == "int":
            whole = pd.api.types.is_integer_dtype(col.dtype)  # no value unset: no per-value check
            df[name] = col.astype("Int64") if whole else pd.array(col.where(col.notna(), None), dtype="Int64")
        elif typ == "float":
            df[name] = pd.to_numeric(col, errors="coerce").astype("float64")
        else:
            df[name] = col.astype("object").where(col.notna(), None)
    return df


def plain_value(value: Any) -> Any:
    """A value as plain Python: numpy scalars unwrapped, NaN and NA as None."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def _clocked(seconds: dict[str, float] | None, key: str, fn: Callable[[], int | None]) -> int:
    """``fn()`` (a count; None counts 0), its wall time added to ``seconds[key]`` when ``seconds`` is given."""
    start = time.perf_counter()
    out = fn() or 0
    if seconds is not None:
        seconds[key] = seconds.get(key, 0.0) + time.perf_counter() - start
    return out


def _without(records: Sequence[Record], ids: Collection[str] | None) -> Sequence[Record]:
    """``records`` but those whose id is one of ``ids``; :class:`~graph.model.RecordRows` stay tuples."""
    if not ids:
        return records
    if isinstance(records, RecordRows):
        at = field_names(records.cls).index("id")
        return RecordRows(records.cls, [r for r in records.rows if r[at] not in ids])
    return [r for r in records if r.id not in ids]


def _ids(records: Sequence[Record]) -> set[str]:
    """The records' ids; of :class:`~graph.model.RecordRows` without building a record."""
    return set(records.column("id")) if isinstance(records, RecordRows) else {r.id for r in records}


class Writer(Protocol):
    """What writes a run's files: a :class:`Store`, or the embedded store's writer process.

    (:class:`graph.store.sqlite_writer.SqliteWriter`.)
    """

    def write_file(
        self,
        file: str,
        records: Mapping[str, Sequence[Record]],
        deletions: Mapping[str, Sequence[str]] | None = None,
        *,
        unchanged: Mapping[str, Collection[str]] | None = None,
        seconds: dict[str, float] | None = None,
    ) -> int:
        """As :meth:`Store.write_file`."""
        ...

    def upsert(self, kind: str, records: Sequence[Record]) -> int:
        """As :meth:`Store.upsert`."""
        ...

    def close(self) -> None:
        """Release what it holds."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: Any) -> None: ...


class Store(ABC):
    """Keeps records of every kind in :data:`graph.model.KINDS`.

    Writes are upserts keyed by ``id``: writing the same records twice leaves
    the store as after one write.  A relationship whose endpoint does not exist
    is refused with :class:`StoreError` and nothing of that call is written.
    """

    name: str = "store"

    # -- writes -----------------------------------------------------------------------
    @abstractmethod
    def upsert(self, kind: str, records: Sequence[Record]) -> int:
        """Insert or update records of one kind; return how many were written."""

    @abstractmethod
    def delete(self, kind: str, ids: Sequence[str]) -> int:
        """Delete records of one kind by id; return how many existed."""

    @abstractmethod
    def delete_stale(self, kind: str, computed_at: str) -> int:
        """Delete computed records (ties, metrics) of an older ``analyze`` run."""

    def replace_computed(self, kind: str, records: Sequence[Record], computed_at: str) -> int:
        """Make ``records`` (one ``analyze`` run's, stamped ``computed_at``) all that a computed kind holds.

        The same as :meth:`upsert` then :meth:`delete_stale`; a store may do it
        faster (the embedded store: delete, insert, index once).  Returns how
        many were written.
        """
        n = self.upsert(kind, records)
        self.delete_stale(kind, computed_at)
        return n

    @abstractmethod
    def clear(self) -> None:
        """Remove everything."""

    def write_file(
        self,
        file: str,
        records: Mapping[str, Sequence[Record]],
        deletions: Mapping[str, Sequence[str]] | None = None,
        *,
        unchanged: Mapping[str, Collection[str]] | None = None,
        seconds: dict[str, float] | None = None,
    ) -> int:
        """Write what one file says as its new snapshot, then its deletions; return how many records were written.

        A kind many files name (one with :attr:`~graph.model.Kind.keep`: institutions) is only upserted
        (:meth:`upsert_shared`); every other kind given replaces what the file's earlier snapshot held
        (:meth:`replace_source`, ``unchanged`` as there).  A deleted node takes the relationships that end
        at it with it (an authorship with its publication), in every store, as Neo4j's ``DETACH DELETE``
        does.  ``seconds``, when given, gets each kind's write time (``"delete <kind>"`` for deletions).
        Safe to retry.
        """
        own = {k: v for k, v in records.items() if not kind_of(k).keep}
        written = 0
        for k in (k for k in records if kind_of(k).keep):
            written += _clocked(seconds, k, partial(self.upsert_shared, k, records[k]))
        written += self.replace_source(file, own, unchanged=unchanged, seconds=seconds)
        for k, ids in (deletions or {}).items():
            _clocked(seconds, f"delete {k}", partial(self._detach_delete, k, ids))
        return written

    def _detach_delete(self, kind: str, ids: Sequence[str]) -> None:
        """Delete nodes with the relationships that end at them."""
        label = kind_of(kind).label
        for rel in KINDS.values():
            if not rel.is_relationship or not ids:
                continue
            for field, end_label in rel.endpoints:
                if end_label == label:
                    self.delete(rel.name, [r.id for r in self.find(rel.name, field, ids)])
        self.delete(kind, ids)

    def replace_source(
        self,
        file: str,
        records: Mapping[str, Sequence[Record]],
        *,
        unchanged: Mapping[str, Collection[str]] | None = None,
        seconds: dict[str, float] | None = None,
    ) -> int:
        """Make ``records`` the whole of what source ``file`` holds, for each kind given; return how many were written.

        A re-ingested file is a new snapshot of its source: its records are
        upserted (nodes before relationships), and of the records of those kinds
        that an earlier snapshot of ``file`` wrote (their ``file`` provenance),
        those it no longer holds are deleted: relationships always, nodes when no
        relationship still ends at them (a person another file's row names
        stays).  Kinds not in ``records`` are left alone.  ``unchanged``: by kind,
        ids of records given that are stored as they are (a person an earlier
        file of the run wrote, unchanged since): held by the snapshot, not
        written again.  ``seconds`` as :meth:`write_file`.  Safe to repeat.
        """
        order = sorted(records, key=lambda k: kind_of(k).is_relationship)
        before = {k: self.ids_of_source(k, file) for k in order}  # none on a first ingest
        written = 0
        for k in order:
            changed = _without(records[k], (unchanged or {}).get(k))
            written += _clocked(seconds, k, partial(self.upsert, k, changed))
        for k in reversed(order):  # relationships first: a node's last relationship may go with them
            stale = sorted(before[k] - _ids(records[k])) if before[k] else []
            if stale and not kind_of(k).is_relationship:
                stale = sorted(set(stale) - self._referenced(kind_of(k).label, stale))
            if stale:
                self.delete(k, stale)
        return written

    def upsert_shared(self, kind: str, records: Sequence[Record]) -> int:
        """Upsert records many files name (institutions): a field of the kind's ``keep`` left blank keeps its value.

        (:attr:`~graph.model.Kind.keep`.)  A roster names an institution without its city, an alumni list with
        it; whichever file lands last, the institution keeps its city.  Its
        provenance is the last file's.  Returns how many were written.
        """
        if not records:
            return 0
        keep = kind_of(kind).keep
        stored = {r["id"]: r for r in self.get_rows(kind, "id", [r.id for r in records])} if keep else {}
        filled = []
        for r in records:
            old = stored.get(r.id)
            known = {f: old[f] for f in keep if old and old.get(f) and not getattr(r, f)}
            filled.append(dataclasses.replace(r, **known) if known else r)
        return self.upsert(kind, filled)

    def ids_of_source(self, kind: str, file: str) -> set[str]:
        """The ids of the records of one kind whose ``file`` provenance is ``file``."""
        return {r["id"] for r in self.get_rows(kind, "file", [file])}

    def _referenced(self, label: str, ids: list[str]) -> set[str]:
        """Those of ``ids`` (nodes of ``label``) that some stored relationship ends at."""
        found: set[str] = set()
        for rel in KINDS.values():
            for field, end in rel.endpoints if rel.is_relationship else ():
                if end == label:
                    found |= {r[field] for r in self.get_rows(rel.name, field, ids)}
        return found

    # -- reads ------------------------------------------------------------------------
    @abstractmethod
    def rows(self, kind: str) -> list[dict[str, Any]]:
        """All records of one kind as plain dicts (fields that are unset may be missing)."""

    @abstractmethod
    def get_rows(self, kind: str, field: str, values: Sequence[Any]) -> list[dict[str, Any]]:
        """Records whose ``field`` is one of ``values``."""

    @abstractmethod
    def count(self, kind: str) -> int:
        """How many records of one kind are stored."""

    @abstractmethod
    def ping(self) -> None:
        """Raise :class:`StoreError` if the store cannot be reached."""

    @abstractmethod
    def close(self) -> None:
        """Release connections."""

    # -- derived, shared by both stores -------------------------------------------------
    def frame(self, kind: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """All records of one kind as a typed frame sorted by id; only the fields ``columns`` when given."""
        return to_frame(kind_of(kind), self.rows(kind), columns)

    def records(self, kind: str) -> list[Record]:
        """All records of one kind as dataclasses, sorted by id."""
        k = kind_of(kind)
        return [k.from_row({c: plain_value(v) for c, v in r.items()}) for r in self.frame(kind).to_dict("records")]

    def find(self, kind: str, field: str, values: Sequence[Any]) -> list[Record]:
        """Records whose ``field`` is one of ``values``, sorted by id."""
        k = kind_of(kind)
        if field not in k.fields:
            raise StoreError(f"{kind} has no field {field!r}")
        frame = to_frame(k, self.get_rows(kind, field, list(values)))
        return [k.from_row({c: plain_value(v) for c, v in r.items()}) for r in frame.to_dict("records")]

    def get(self, kind: str, id: str) -> Record:
        """One record by id; :class:`NotFoundError` if absent."""
        found = self.find(kind, "id", [id])
        if not found:
            raise NotFoundError(f"no {kind} with id {id!r}")
        return found[0]

    def counts(self) -> dict[str, int]:
        """Count of every kind, nodes and relationships alike."""
        return {name: self.count(name) for name in KINDS}

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
