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
