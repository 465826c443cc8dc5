"""The user's say on identity: the alias file of decisions and the review queue of uncertain matches.

Both live in ``TIEGRAPH_HOME``: ``aliases.csv`` (a, b, decision) is read by the
resolver on the next run; ``review.csv`` holds pairs the resolver was not sure
of, for a person to confirm (``same``) or split (``different``).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from graph.errors import InputError
from graph.resolution.resolver import Alias, ReviewItem
from graph.store.export import read_safe_csv, write_safe_csv

__all__ = [
    "ALIAS_FILE",
    "DECISIONS",
    "REVIEW_COLUMNS",
    "REVIEW_FILE",
    "decide",
    "load_aliases",
    "read_review",
    "record_split",
    "write_review",
]

log = logging.getLogger(__name__)

ALIAS_FILE = "aliases.csv"
REVIEW_FILE = "review.csv"


def load_aliases(home: Path) -> list[Alias]:
    """The user's decisions (``TIEGRAPH_HOME/aliases.csv``: a, b, decision).

    ``same`` and ``different`` are about two person ids; ``mention`` (written
    by :func:`record_split`) pins the writing ``b`` (a
    :func:`~graph.model.mention_key`) to person ``a``.
    """
    path = home / ALIAS_FILE
    if not path.exists():
        return []
    frame = read_safe_csv(path, dtype=str).fillna("")
    kept = ("same", "different", "mention")
    return [Alias(r.a, r.b, r.decision) for r in frame.itertuples(index=False) if r.decision in kept]


def write_review(home: Path, items: list[ReviewItem], file: str = "") -> Path | None:
    """Add uncertain matches to the review queue (``TIEGRAPH_HOME/review.csv``), once each.

    ``file`` names the source the mentions came from by its path relative to
    the folder ingested (``2026/contacts.csv``), so two same-named files in two
    subfolders are told apart.
    """
    if not items:
        return None
    path = home / REVIEW_FILE
    new = pd.DataFrame([vars(i) for i in items]).assign(file=file)
    old = read_safe_csv(path, dtype=str) if path.exists() else new.iloc[0:0]
    both = pd.concat([old, new.astype(str)]).drop_duplicates(["new_id", "candidate_id"], keep="last")
    write_safe_csv(path, both)
    return path


REVIEW_COLUMNS = ("written_as", "new_id", "candidate_id", "candidate_name", "score", "file")
DECISIONS = ("same", "different")


def read_review(home: Path) -> pd.DataFrame:
    """The review queue: uncertain matches nobody has decided on yet.

    Parameters
    ----------
    home : pathlib.Path
        ``TIEGRAPH_HOME``, holding ``review.csv`` and ``aliases.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns ``written_as, new_id, candidate_id, candidate_name, score, file``
        (score a float; file the source's relative path), highest score first; pairs with a decision in the
        alias file are left out, since a re-ingest may queue them again.
    """
    path = home / REVIEW_FILE
    if not path.exists():
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "score" else "object") for c in REVIEW_COLUMNS})
    queue = read_safe_csv(path, dtype=str, keep_default_na=False).reindex(columns=list(REVIEW_COLUMNS), fill_value="")
    queue["score"] = pd.to_numeric(queue["score"], errors="coerce")
    decided = {frozenset((a.a, a.b)) for a in load_aliases(home)}
    keep = [frozenset((n, c)) not in decided for n, c in zip(queue["new_id"], queue["candidate_id"], strict=True)]
    return (
        queue.loc[pd.Series(keep, index=queue.index, dtype=bool)]
        .sort_values(["score", "written_as"], ascending=[False, True])
        .reset_index(drop=True)
    )


def decide(home: Path, new_id: str, candidate_id: str, decision: str) -> Path:
    """Record a user's decision on two person ids (a queued match, or a split undone) and take it off the queue.

    The alias file (``TIEGRAPH_HOME/aliases.csv``) gets the row
    ``a=candidate_id, b=new_id, decision``, replacing an earlier decision on
    the same pair; the next ingest follows it (see :func:`load_aliases`).

    Parameters
    ----------
    home : pathlib.Path
        ``TIEGRAPH_HOME``.
    new_id, candidate_id : str
        The pair as the review queue names it.
    decision : str
        ``same`` (one person: merge) or ``different`` (two people: keep apart).

    Returns
    -------
    pathlib.Path
        The alias file.

    Raises
    ------
    InputError
        If ``decision`` is neither ``same`` nor ``different``.
    """
    if decision not in DECISIONS:
        raise InputError(f"decision must be 'same' or 'different', not {decision!r}")
    pair = frozenset((new_id, candidate_id))
    home.mkdir(parents=True, exist_ok=True)
    aliases = home / ALIAS_FILE
    old = read_safe_csv(aliases, dtype=str, keep_default_na=False) if aliases.exists() else None
    if old is None or old.empty:
        old = pd.DataFrame(columns=["a", "b", "decision"])
    old = old.loc[_other_pairs(old["a"], old["b"], pair)]
    row = pd.DataFrame([{"a": candidate_id, "b": new_id, "decision": decision}])
    write_safe_csv(aliases, pd.concat([old, row], ignore_index=True))
    review = home / REVIEW_FILE
    if review.exists():
        queue = read_safe_csv(review, dtype=str, keep_default_na=False)
        write_safe_csv(review, queue.loc[_other_pairs(queue["new_id"], queue["candidate_id"], pair)])
    log.info("%s and %s: %s", candidate_id, new_id, decision)
    return aliases


def record_split(home: Path, person: str, new: str, pins: list[str]) -> Path:
    """Record a split: ``person`` and ``new`` are two people, and each writing in ``pins`` is ``new``.

    Written to the alias file as ``person, new, different`` (replacing an
    earlier decision on the pair) and one ``new, <mention key>, mention`` row
    per writing, so a re-ingest resolves those writings to ``new``.  A later
    ``same`` on the pair (:func:`decide`) undoes the split: the pins then
    resolve through the merge to ``person``.
    """
    decide(home, new, person, "different")
    aliases = home / ALIAS_FILE
    old = read_safe_csv(aliases, dtype=str, keep_default_na=False)
    pinned = set(pins)
    old = old.loc[~((old["decision"] == "mention") & old["b"].isin(pinned))]
    rows = pd.DataFrame([{"a": new, "b": k, "decision": "mention"} for k in sorted(pinned)])
    write_safe_csv(aliases, pd.concat([old, rows], ignore_index=True))
    log.info("split %s off %s (%d writings)", new, person, len(pinned))
    return aliases


def _other_pairs(a: pd.Series, b: pd.Series, pair: frozenset[str]) -> pd.Series:
    """Rows whose (a, b), in either order, are not ``pair``."""
    return pd.Series([frozenset((x, y)) != pair for x, y in zip(a, b, strict=True)], index=a.index, dtype=bool)
