"""The analyze steps as pure functions: evidence in, scored ties and metrics out."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from itertools import repeat
from typing import TypeVar

import pandas as pd

from graph.analytics.centrality import TieGraph, centrality, local_bridges, modularity, tie_graph
from graph.analytics.mentorship import assess_mentorship, suggest_mentors, tie_index, to_assessments
from graph.analytics.ties import MAX_AUTHORS, TieWeights, score_ties
from graph.analytics.ties import tie_table as ties_frame
from graph.collector import collector_paused
from graph.model import AnalysisRun, Assessment, Metrics, Record, Tie, stable_id
from graph.store import Store

R = TypeVar("R", bound=Record)

__all__ = [
    "AUTHORSHIP_FIELDS",
    "INTERACTION_FIELDS",
    "Evidence",
    "assessment_records",
    "load_evidence",
    "metrics_records",
    "records_of",
    "run_record",
    "strength_summary",
    "structure_summary",
    "tie_graph_of",
    "tie_records",
    "tie_table",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Evidence:
    """Everything tie strength is computed from, as frames."""

    people: pd.DataFrame
    interactions: pd.DataFrame
    authorships: pd.DataFrame
    mentorships: pd.DataFrame


INTERACTION_FIELDS = (
    "a",
    "b",
    "date",
    "scheduled",
    "initiated_by",
    "note",
    "context",
    "venue",
    "duration_min",
    "planned",
    "source",
)
"""The fields of an interaction that tie scoring reads (:func:`~graph.analytics.ties.score_ties`)."""

AUTHORSHIP_FIELDS = ("person", "publication", "position", "n_authors")
"""The fields of an authorship that tie scoring and mentor suggestions read."""


def load_evidence(store: Store) -> Evidence:
    """Read the evidence frames from any store: people and mentorships whole, of the two large kinds the fields used.

    Interactions and authorships (1M and 0.9M rows at 100k people) are read
    with :data:`INTERACTION_FIELDS` and :data:`AUTHORSHIP_FIELDS` only.
    """
    return Evidence(
        store.frame("person"),
        store.frame("interaction", INTERACTION_FIELDS),
        store.frame("authorship", AUTHORSHIP_FIELDS),
        store.frame("mentorship"),
    )


def tie_table(
    ev: Evidence,
    *,
    today: date,
    computed_at: str,
    as_of: date | Mapping[str, date] | None = None,
    weights: TieWeights | None = None,
    max_authors: int = MAX_AUTHORS,
) -> pd.DataFrame:
    """Score every pair with evidence (ages from ``as_of``, default ``today``) and explain it (ages from ``today``).

    Returns
    -------
    pandas.DataFrame
        :func:`~graph.analytics.ties.tie_table`: one row per tie, the fields of
        :class:`~graph.model.Tie` first, then the evidence columns.
    """
    scored = score_ties(
        ev.interactions,
        ev.authorships,
        ev.mentorships,
        as_of=today if as_of is None else as_of,
        weights=weights,
        max_authors=max_authors,
    )
    names = dict(zip(ev.people["id"], ev.people["name"], strict=True))
    return ties_frame(scored, ev.mentorships, names, today=today, computed_at=computed_at)


def tie_records(
    ev: Evidence,
    *,
    today: date,
    computed_at: str,
    as_of: date | Mapping[str, date] | None = None,
    weights: TieWeights | None = None,
    max_authors: int = MAX_AUTHORS,
) -> list[Tie]:
    """The records of :func:`tie_table`."""
    table = tie_table(ev, today=today, computed_at=computed_at, as_of=as_of, weights=weights, max_authors=max_authors)
    return records_of(Tie, table)


def records_of(cls: type[R], table: pd.DataFrame) -> list[R]:
    """One record of ``cls`` per row of ``table`` (its columns named as the fields; others ignored).

    Equal to ``cls(**row)`` for each row, built by filling each instance's
    ``__dict__`` field by field (a frozen dataclass's ``__init__`` sets each
    field through ``object.__setattr__``), with the cyclic garbage collector
    paused: its passes over millions of new objects were most of the time
    (2M ties: 5.3 -> 1.4 CPU s).
    """
    names = [f.name for f in fields(cls)]
    with collector_paused(collect_young=False):  # every record made stays alive
        out: list[R] = list(map(object.__new__, repeat(cls, len(table))))
        slots = [record.__dict__ for record in out]
        for name in names:
            for slot, value in zip(slots, table[name].tolist(), strict=True):
                slot[name] = value
    return out


def tie_graph_of(ties: pd.DataFrame, people: list[str]) -> TieGraph:
    """The graph every later step shares: all people, and the ties with their strengths."""
    return tie_graph(ties[["a", "b", "strength"]], people)


def metrics_records(
    ties: pd.DataFrame | TieGraph,
    people: list[str],
    *,
    computed_at: str,
    seed: int = 0,
    engine: Callable[..., pd.DataFrame] = centrality,
) -> list[Metrics]:
    """Centrality and brokerage of every person from the scored ties (closeness left out: no page shows it).

    ``engine`` is :func:`~graph.analytics.centrality.centrality` or a function
    with its signature and frame (``graph.store.gds.gds_centrality`` bound to a
    store computes it inside Neo4j).
    """
    graph = ties if isinstance(ties, TieGraph) else tie_graph_of(ties, people)
    table = engine(graph, people, seed=seed, with_closeness=False)
    cols = [
        "person",
        "degree",
        "weighted_degree",
        "pagerank",
        "betweenness",
        "closeness",
        "community",
        "burt_constraint",
        "effective_size",
    ]
    out = table[cols].astype(object)
    out = out.where(out.notna(), None)
    out["id"] = ["mx-" + _blake(p) for p in out["person"]]
    out = out.assign(computed_at=computed_at, source="analyze", file="", row=None, ingested_at="")
    return records_of(Metrics, out)


def _blake(part: str) -> str:
    return hashlib.blake2b(part.encode(), digest_size=8).hexdigest()


def assessment_records(
    ev: Evidence,
    ties: pd.DataFrame,
    metrics: list[Metrics],
    *,
    today: date,
    computed_at: str,
    graph: TieGraph | None = None,
) -> list[Assessment]:
    """Every resident's mentorship assessment with suggested mentors (``graph``: :func:`tie_graph_of` ``ties``)."""
    metric_frame = pd.DataFrame([(m.person, m.burt_constraint) for m in metrics], columns=["person", "burt_constraint"])
    index = tie_index(ties, graph)
    table = assess_mentorship(ev.people, ev.mentorships, ties, metric_frame, today=today, graph=index)
    if table.empty:
        return []
    suggestions = suggest_mentors(table, ev.people, ties, ev.mentorships, ev.authorships, graph=index)
    return to_assessments(table, suggestions, computed_at=computed_at)


def structure_summary(ties: pd.DataFrame | TieGraph, metrics: list[Metrics]) -> dict[str, object]:
    """Headline figures of the network: communities, modularity, weak ties that span communities."""
    member = {m.person: int(m.community) for m in metrics if m.community is not None}
    graph = ties if isinstance(ties, TieGraph) else tie_graph_of(ties, list(member))
    if graph.m == 0 or not member:
        return {"communities": 0, "modularity": None, "bridging_weak_ties": 0}
    bridges = local_bridges(graph, member, with_span=False)
    return {
        "communities": len(set(member.values())),
        "modularity": round(modularity(graph, member), 4),
        "bridging_weak_ties": int(bridges["spans_communities"].sum()),
    }


def strength_summary(ties: pd.DataFrame) -> dict[str, object]:
    """How finely the scores tell ties apart: distinct strengths and their spread (quartiles)."""
    s = ties["strength"].astype(float) if "strength" in ties else pd.Series(dtype=float)
    if s.empty:
        return {"distinct_strengths": 0, "strength_quartiles": []}
    return {
        "distinct_strengths": int(s.nunique()),
        "strength_quartiles": [round(float(q), 6) for q in s.quantile([0.0, 0.25, 0.5, 0.75, 1.0])],
    }


def run_record(computed_at: str, summary: dict[str, object]) -> AnalysisRun:
    """The record of one analyze run."""
    return AnalysisRun(
        id=stable_id("run", computed_at),
        computed_at=computed_at,
        source="analyze",
        summary=json.dumps(summary, sort_keys=True),
    )
