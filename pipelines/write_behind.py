"""A run's writes behind its reads: earlier files are written on a second thread while later ones are read and built.

The embedded store's write is mostly SQLite's own work, which runs without
the GIL (:data:`graph.store.sqlite_store.ROWS_PER_STATEMENT`), and Neo4j's is
the server's; either way the second core does it while this process parses,
resolves and builds the next files.  The order of a run stays that of one file
after another:

- writes go one at a time, in file order, on one thread, so the people the
  store holds already are known to each write as before
  (:meth:`graph.sources.batch.Batch.write_to`);
- a read of the store during the run first waits for the writes queued that
  hold the kind it reads (:meth:`WriteBehind.landed`: the home program, which a
  roster written just before defines);
- once a write fails, the writes queued after it do not run, and its error is
  raised in the run at the next :meth:`~WriteBehind.submit`,
  :meth:`~WriteBehind.landed` or :meth:`~WriteBehind.wait`; once the run ends
  (the ``with`` block), every write has landed or its error has been raised;
- the batches queued hold at most ``rows_ahead`` input rows (besides the one
  being written), so memory stays bounded however far the reads run ahead.

The write runs in a copy of the submitting thread's context
(:func:`contextvars.copy_context`), so Prefect tasks it calls belong to the
flow run that submitted it.
"""

from __future__ import annotations

import contextvars
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Any, Self

from graph.sources.batch import Batch

__all__ = ["ROWS_AHEAD", "WriteBehind"]

ROWS_AHEAD = 2_000_000
"""Input rows of the batches that may wait to be written (a batch of a million contact rows is about 1 GB)."""


class WriteBehind:
    """Write batches on one thread, in the order submitted, while the caller goes on to the next files.

    Parameters
    ----------
    write : callable
        ``write(batch, *args)``: lands one batch (writes its records, records its ingest); run on the writer thread.
    rows_ahead : int
        Bound on the input rows of the batches queued (see :data:`ROWS_AHEAD`).
    """

    def __init__(self, write: Callable[..., object], rows_ahead: int = ROWS_AHEAD) -> None:
        self._write = write
        self._rows_ahead = rows_ahead
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="tiegraph-write")
        self._queued: deque[tuple[Batch, Future[object]]] = deque()
        self._failed: BaseException | None = None

    def submit(self, batch: Batch, *args: Any) -> None:
        """Queue ``write(batch, *args)`` after the writes before it (an earlier write's error is raised here)."""
        self._settle()
        while self._queued and sum(b.read for b, f in self._queued if not f.running()) + batch.read > self._rows_ahead:
            self._land_first()
        context = contextvars.copy_context()
        self._queued.append((batch, self._pool.submit(context.run, self._run, batch, *args)))

    def landed(self, kind: str) -> None:
        """Before reading ``kind`` from the store: wait for the queued writes up to the last that holds ``kind``."""
        last = max((i for i, (b, _) in enumerate(self._queued) if b.of_kind(kind)), default=-1)
        for _ in range(last + 1):
            self._land_first()
        self._settle()

    def wait(self) -> None:
        """Until every queued write has landed; the first error is raised here."""
        while self._queued:
            self._land_first()

    def _run(self, batch: Batch, *args: Any) -> None:
        if self._failed is None:  # after a failed write, the later ones are not made
            try:
                self._write(batch, *args)
            except BaseException as exc:
                self._failed = exc
                raise

    def _land_first(self) -> None:
        _, future = self._queued.popleft()
        future.result()
        if self._failed is not None:
            raise self._failed

    def _settle(self) -> None:
        """Drop the writes that have landed; raise the first error."""
        while self._queued and self._queued[0][1].done():
            self._land_first()
        if self._failed is not None:
            raise self._failed

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        """Wait for the writes queued (they land before the store closes); when the block failed, its error is raised."""
        try:
            if kind is None:
                self.wait()
        finally:
            self._pool.shutdown(wait=True)
