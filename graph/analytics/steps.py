"""The analyze steps as pure functions: evidence in, scored ties and metrics out."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from graph.analytics.centrality import centrality, local_bridges, modularity
from graph.analytics.mentorship import assess_mentorship, suggest_mentors, to_assessments
from graph.analytics.ties import MAX_AUTHORS, TieWeights, score_ties, to_ties
from graph.model import AnalysisRun, Assessment, Metrics, Tie, stable_id
from graph.store import Store

__all__ = [
    "Evidence",
    "assessment_records",
    "load_evidence",
    "metrics_records",
    "run_record",
    "strength_summary",
    "structure_summary",
    "tie_records",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Evidence:
    """Everything tie strength is computed from, as frames."""

    people: pd.DataFrame
    interactions: pd.DataFrame
    authorships: pd.DataFrame
    mentorships: pd.DataFrame


def load_evidence(store: Store) -> Evidence:
    """Read the evidence frames from any store."""
    return Evidence(
        store.frame("person"), store.frame("interaction"), store.frame("authorship"), store.frame("mentorship")
    )


def tie_records(
    ev: Evidence,
    *,
    today: date,
    computed_at: str,
    as_of: date | Mapping[str, date] | None = None,
    weights: TieWeights | None = None,
    max_authors: int = MAX_AUTHORS,
) -> list[Tie]:
    """Score every pair with evidence (ages from ``as_of``, default ``today``) and explain it (ages from ``today``)."""
    scored = score_ties(
        ev.interactions,
        ev.authorships,
        ev.mentorships,
        as_of=today if as_of is None else as_of,
        weights=weights,
        max_authors=max_authors,
    )
    names = dict(zip(ev.people["id"], ev.people["name"], strict=True))
    return to_ties(scored, ev.mentorships, names, today=today, computed_at=computed_at)


def metrics_records(
    ties: list[Tie],
    people: list[str],
    *,
    computed_at: str,
    seed: int = 0,
    engine: Callable[..., pd.DataFrame] = centrality,
) -> list[Metrics]:
    """Centrality and brokerage of every person from the scored ties.

    ``engine`` is :func:`~graph.analytics.centrality.centrality` or a function
    with its signature and frame (``graph.store.gds.gds_centrality`` bound to a
    store computes it inside Neo4j).
    """
    edges = _tie_frame(ties)[["a", "b", "strength"]]
    table = engine(edges, people, seed=seed)
    cols = (
        "degree",
        "weighted_degree",
        "pagerank",
        "betweenness",
        "closeness",
        "community",
        "burt_constraint",
        "effective_size",
    )
    out = []
    for row in table.itertuples(index=False):
        vals: dict[str, Any] = {c: _num(getattr(row, c)) for c in cols}  # Metrics' measures, of mixed types
        out.append(
            Metrics(
                id=stable_id("mx", row.person), person=row.person, computed_at=computed_at, source="analyze", **vals
            )
        )
    return out


def assessment_records(
    ev: Evidence, ties: list[Tie], metrics: list[Metrics], *, today: date, computed_at: str
) -> list[Assessment]:
    """Every resident's mentorship assessment with suggested mentors."""
    tie_frame = _tie_frame(ties)
    metric_frame = pd.DataFrame([(m.person, m.burt_constraint) for m in metrics], columns=["person", "burt_constraint"])
    table = assess_mentorship(ev.people, ev.mentorships, tie_frame, metric_frame, today=today)
    if table.empty:
        return []
    suggestions = suggest_mentors(table, ev.people, tie_frame, ev.mentorships, ev.authorships)
    return to_assessments(table, suggestions, computed_at=computed_at)


def _tie_frame(ties: list[Tie]) -> pd.DataFrame:
    return pd.DataFrame(
        [(t.a, t.b, t.strength, t.last_contact, t.reasons) for t in ties],
        columns=["a", "b", "strength", "last_contact", "reasons"],
    )


def structure_summary(ties: list[Tie], metrics: list[Metrics]) -> dict[str, object]:
    """Headline figures of the network: communities, modularity, weak ties that span communities."""
    edges = _tie_frame(ties)[["a", "b", "strength"]]
    member = {m.person: int(m.community) for m in metrics if m.community is not None}
    if edges.empty or not member:
        return {"communities": 0, "modularity": None, "bridging_weak_ties": 0}
    bridges = local_bridges(edges, member)
    return {
        "communities": len(set(member.values())),
        "modularity": round(modularity(edges, member), 4),
        "bridging_weak_ties": int(bridges["spans_communities"].sum()),
    }


def strength_summary(ties: list[Tie]) -> dict[str, object]:
    """How finely the scores tell ties apart: distinct strengths and their spread (quartiles)."""
    s = pd.Series([t.strength for t in ties], dtype=float)
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


def _num(v: Any) -> float | int | None:  # v: a cell of the centrality frame
    if v is None or pd.isna(v):
        return None
    num: float | int = v.item() if hasattr(v, "item") else v
    return num
