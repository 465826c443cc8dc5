"""An embedded store's file writes in a child process, so that SQLite's work runs on the second core.

A thread cannot do it: SQLite gives up the GIL only inside each statement's
step, and the binding, sorting and checks around it hold the GIL (measured
here: an insert of 300k rows beside a busy Python thread overlapped it by at
most a fifth).  The child holds its own connection to the same file
(:class:`~graph.store.sqlite_store.SqliteStore`, WAL: the parent's reads see
each write once it commits) and does exactly what the parent's store would do
(:meth:`~graph.store.base.Store.write_file`, :meth:`~graph.store.base.Store.upsert`);
the records cross as plain tuples (:class:`~graph.model.RecordRows`), pickled:
measured at 100k people, about 6.6 s to pickle the run's records against
35-45 s of SQLite writes taken off the parent.

Calls block until the child has written (one at a time, in order); an error
in the child is raised in the caller as :class:`~graph.errors.StoreError`,
and the child keeps serving, so a retried call can succeed.  The child ends
when :meth:`SqliteWriter.close` is called or the parent's end of the pipe
closes (the parent killed), and leaves no write half done (each write is a
transaction).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
from collections.abc import Collection, Mapping, Sequence
from multiprocessing.connection import Connection
from operator import attrgetter
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from graph.errors import StoreError
from graph.model import Record, RecordRows
from graph.store.base import kind_of

__all__ = ["SqliteWriter"]


class SqliteWriter:
    """The writes of an embedded store at ``path``, made by a child process (see the module's docstring).

    Has the two writes a run makes of a store (:meth:`write_file`, :meth:`upsert`),
    with the store's signatures and results.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        to_child, from_parent = os.pipe()
        to_parent, from_child = os.pipe()
        code = str(Path(__file__).resolve().parents[2])  # this checkout's graph/, whatever the caller's path
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (code, os.environ.get("PYTHONPATH"))))}
        # a new interpreter, not fork (Prefect's threads) nor multiprocessing's spawn (which imports the caller's
        # __main__ again): ``python -m graph.store.sqlite_writer PATH IN OUT``
        self._child = subprocess.Popen(
            [sys.executable, "-m", __name__, self.path, str(to_child), str(from_child)],
            pass_fds=(to_child, from_child),
            env=env,
            stdin=subprocess.DEVNULL,
        )
        os.close(to_child)
        os.close(from_child)
        self._send = Connection(from_parent, readable=False)
        self._receive = Connection(to_parent, writable=False)

    def write_file(
        self,
        file: str,
        records: Mapping[str, Sequence[Record]],
        deletions: Mapping[str, Sequence[str]] | None = None,
        *,
        unchanged: Mapping[str, Collection[str]] | None = None,
        seconds: dict[str, float] | None = None,
    ) -> int:
        """:meth:`graph.store.base.Store.write_file`, made by the child; ``seconds`` gets its times."""
        rows = {k: _as_rows(k, v) for k, v in records.items()}
        kept = {k: set(v) for k, v in (unchanged or {}).items()}
        written, took = self._call("write_file", file, rows, dict(deletions or {}), kept)
        if seconds is not None:
            for k, s in took.items():
                seconds[k] = seconds.get(k, 0.0) + s
        return int(written)

    def upsert(self, kind: str, records: Sequence[Record]) -> int:
        """:meth:`graph.store.base.Store.upsert`, made by the child."""
        return int(self._call("upsert", kind, _as_rows(kind, records)))

    def close(self) -> None:
        """Let the child finish and end; wait for it."""
        if self._child.poll() is None:
            with contextlib.suppress(OSError):  # the child is gone already
                self._send.send_bytes(pickle.dumps(None))
        self._send.close()
        self._child.wait()
        self._receive.close()

    def _call(self, op: str, *args: Any) -> Any:
        try:
            self._send.send_bytes(pickle.dumps((op, args), protocol=pickle.HIGHEST_PROTOCOL))
            ok, result = pickle.loads(self._receive.recv_bytes())
        except (EOFError, OSError) as exc:
            raise StoreError(f"the embedded store's writer process for {self.path} ended: {exc!r}") from exc
        if not ok:
            raise StoreError(result)
        return result

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def _as_rows(kind: str, records: Sequence[Record]) -> RecordRows:
    """The records as tuples of their fields (RecordRows as they are): what crosses to the child."""
    k = kind_of(kind)
    if isinstance(records, RecordRows) and records.cls is k.cls:
        return records
    row_of = attrgetter(*k.fields)
    return RecordRows(k.cls, [row_of(r) for r in records])


def _serve(path: str, receive: Connection, send: Connection) -> None:
    """The child: one store, each call written in turn, until told to stop or the parent is gone."""
    from graph.store.sqlite_store import SqliteStore

    with SqliteStore(path) as store:
        while True:
            try:
                message = pickle.loads(receive.recv_bytes())
            except (EOFError, OSError):
                return
            if message is None:
                return
            op, args = message
            try:
                if op == "write_file":
                    file, rows, deletions, unchanged = args
                    took: dict[str, float] = {}
                    written = store.write_file(file, rows, deletions, unchanged=unchanged, seconds=took)
                    reply: tuple[bool, Any] = (True, (written, took))
                else:
                    reply = (True, store.upsert(*args))
            except Exception as exc:  # noqa: BLE001 - sent back and raised in the caller
                reply = (False, str(exc) if isinstance(exc, StoreError) else f"{type(exc).__name__}: {exc}")
            send.send_bytes(pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    _serve(sys.argv[1], Connection(int(sys.argv[2]), writable=False), Connection(int(sys.argv[3]), readable=False))
