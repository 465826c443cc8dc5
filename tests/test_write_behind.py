"""A run's writes one file behind its reads: in order, one at a time, a read of a kind after the write that holds it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from graph.errors import StoreError
from graph.model import Person, Program
from graph.sources.batch import Batch
from pipelines.write_behind import WriteBehind

WAIT_S = 60  # a bound for a broken test, never a clock the test races


def batch(name: str, *kinds: str) -> Batch:
    b = Batch("roster", Path(name))
    if "program" in kinds:
        b.add("program", Program(id=f"prog-{name}", name=name))
    b.add("person", Person(id=f"p-{name}", name=name))
    return b


class Gated:
    """A write that waits to be let go; it notes which batch it wrote and on which thread."""

    def __init__(self) -> None:
        self.written: list[str] = []
        self.threads: set[int] = set()
        self.started = {n: threading.Event() for n in ("a", "b", "c")}
        self.go = {n: threading.Event() for n in ("a", "b", "c")}

    def __call__(self, b: Batch, tag: str) -> None:
        self.started[tag].set()
        assert self.go[tag].wait(WAIT_S)
        self.threads.add(threading.get_ident())
        self.written.append(b.file.name)


def test_writes_go_one_at_a_time_in_order_while_the_caller_goes_on() -> None:
    write = Gated()
    with WriteBehind(write) as writes:
        for tag in "abc":
            writes.submit(batch(tag), tag)  # none waits: "a" is held
        assert write.started["a"].wait(WAIT_S)
        assert write.written == [] and not write.started["b"].is_set()  # one at a time
        writes.landed("program")  # none holds a program: nothing to wait for
        for tag in "cba":
            write.go[tag].set()
    assert write.written == ["a", "b", "c"]  # in the order submitted, whatever order they were let go
    assert len(write.threads) == 1 and threading.get_ident() not in write.threads


def test_the_batches_waiting_hold_a_bounded_number_of_rows() -> None:
    write = Gated()
    big = {tag: batch(tag) for tag in "abc"}
    for b in big.values():
        b.read = 600
    with WriteBehind(write, rows_ahead=1000) as writes:
        writes.submit(big["a"], "a")
        assert write.started["a"].wait(WAIT_S)
        writes.submit(big["b"], "b")  # "a" is being written: only "b" waits, 600 rows
        returned = threading.Event()
        caller = threading.Thread(target=lambda: (writes.submit(big["c"], "c"), returned.set()))
        caller.start()
        assert not returned.wait(0.5)  # "b" and "c" would be 1,200 rows waiting: "c" waits for room
        write.go["a"].set()
        write.go["b"].set()
        assert returned.wait(WAIT_S)
        caller.join(WAIT_S)
        write.go["c"].set()
    assert write.written == ["a", "b", "c"]


def test_a_read_of_a_kind_waits_for_the_writes_up_to_the_last_that_holds_it() -> None:
    write = Gated()
    with WriteBehind(write) as writes:
        writes.submit(batch("a", "program"), "a")
        writes.submit(batch("b"), "b")
        assert write.started["a"].wait(WAIT_S)
        returned = threading.Event()
        reader = threading.Thread(target=lambda: (writes.landed("program"), returned.set()))
        reader.start()
        assert not returned.wait(0.5)  # still held by the write (a correct wait never returns early)
        write.go["a"].set()
        assert returned.wait(WAIT_S)
        reader.join(WAIT_S)
        assert write.written == ["a"]  # not "b", which holds no program
        write.go["b"].set()


def test_a_failed_write_is_raised_in_the_run_and_later_ones_do_not_run() -> None:
    written: list[str] = []

    def write(b: Batch) -> None:
        if b.file.name == "bad":
            raise StoreError("disk full")
        written.append(b.file.name)

    with pytest.raises(StoreError, match="disk full"), WriteBehind(write) as writes:
        writes.submit(batch("a"))
        writes.submit(batch("bad"))
        writes.submit(batch("c"))
    assert written == ["a"]


def test_a_failed_write_is_raised_at_the_next_submit_once_it_has_failed() -> None:
    failed = threading.Event()

    def write(b: Batch) -> None:
        failed.set()
        raise StoreError("disk full")

    writes = WriteBehind(write)
    writes.submit(batch("bad"))
    assert failed.wait(WAIT_S)
    writes._pool.shutdown(wait=True)  # the failed write has surely finished
    with pytest.raises(StoreError, match="disk full"):
        writes.submit(batch("next"))


def test_the_last_write_error_is_raised_when_the_run_ends() -> None:
    def write(b: Batch) -> None:
        raise StoreError(f"cannot write {b.file.name}")

    with pytest.raises(StoreError, match="cannot write last"), WriteBehind(write) as writes:
        writes.submit(batch("last"))


def test_an_error_of_the_run_itself_wins_and_the_write_in_flight_still_finishes() -> None:
    write = Gated()
    with pytest.raises(ValueError, match="bad read"), WriteBehind(write) as writes:
        writes.submit(batch("a"), "a")
        assert write.started["a"].wait(WAIT_S)
        write.go["a"].set()
        raise ValueError("bad read")
    assert write.written == ["a"]  # landed before the block's error left it
