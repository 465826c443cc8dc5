"""Exception hierarchy of tiegraph."""

from __future__ import annotations


class TiegraphError(Exception):
    """Base class of all errors raised by tiegraph."""


class InputError(TiegraphError):
    """Invalid input from the user (arguments, files, configuration)."""


class StoreError(TiegraphError):
    """The graph store (e.g. the local Neo4j server) failed."""


class NotFoundError(TiegraphError):
    """A requested object does not exist."""


class AmbiguousError(NotFoundError):
    """A name that fits several objects; ``candidates`` are ``(id, description)`` pairs telling them apart."""

    def __init__(self, message: str, candidates: list[tuple[str, str]]) -> None:
        super().__init__(message)
        self.candidates = candidates
