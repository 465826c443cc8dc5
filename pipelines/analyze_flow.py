"""Prefect flow: score ties, compute centrality, write the results back with their time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

import pandas as pd
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from graph.analytics import steps as analysis
from graph.analytics.calibration import load_weights
from graph.analytics.centrality import centrality
from graph.analytics.ties import as_of_dates, hyperauthored
from graph.config import Settings
from graph.errors import InputError, StoreError
from graph.model import Record, Tie
from graph.sources.batch import now_iso
from graph.store import Store, open_store
from graph.store.gds import gds_centrality, gds_version
from graph.store.neo4j_store import Neo4jStore
from pipelines.ingest_flow import retrying

__all__ = ["ENGINES", "analyze", "choose_engine", "gds_member"]

ENGINES = ("auto", "python", "gds")


@task(cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[2, 5, 15])
def load(store: Store) -> analysis.Evidence:
    """Read the evidence."""
    return analysis.load_evidence(store)


@task(cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[2, 5, 15])
def write(store: Store, kind: str, records: list[Record], computed_at: str) -> int:
    """Replace the previous run's results with this run's."""
    return store.replace_computed(kind, records, computed_at)


def choose_engine(store: Store, engine: str) -> str:
    """Return where centrality runs: ``gds`` (in Neo4j) or ``python``; ``auto`` picks gds when GDS answers."""
    if engine not in ENGINES:
        raise InputError(f"--engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if engine == "python":
        return engine
    if gds_version(store):
        return "gds"
    if engine == "gds":  # before anything is written
        raise StoreError(
            f"--engine gds: Graph Data Science does not answer on the {store.name} store; use --engine python"
        )
    return "python"


def gds_member(store: Store, settings: Settings) -> Store:
    """Where GDS runs: the cluster member ``NEO4J_GDS_URI`` names (reading after this run's writes), else ``store``."""
    if settings.neo4j_gds_uri and isinstance(store, Neo4jStore):
        return store.member(settings.neo4j_gds_uri)
    return store


def _engine(store: Store, chosen: str, computed_at: str) -> Callable[..., pd.DataFrame]:
    return partial(gds_centrality, store, computed_at=computed_at) if chosen == "gds" else centrality


@flow(name="analyze")
def analyze(
    today: date | None = None, store: Store | None = None, as_of: date | None = None, engine: str = "auto"
) -> dict[str, object]:
    """Score every tie, compute centrality and assess every resident's mentorship network.

    Recency is measured from ``as_of`` (default: each source's latest contact); mentorship uses ``today``.
    Centrality runs where ``engine`` says (:func:`choose_engine`).
    """
    logger = get_run_logger()
    settings = Settings.from_env()
    own = store is None
    store = store or open_store(settings)
    gds = gds_member(store, settings) if engine != "python" else store
    try:
        chosen = choose_engine(gds, engine)
        computed_at = now_iso()
        today = today or date.today()
        # quote(): Prefect would otherwise walk every record of every argument looking for futures
        ev = load(quote(store))
        ends = as_of_dates(ev.interactions, as_of)
        ties = analysis.tie_table(
            ev,
            today=today,
            as_of=ends,
            computed_at=computed_at,
            weights=load_weights(settings.home, half_life_days=settings.half_life_days),
            max_authors=settings.max_authors,
        )
        write_ = retrying(write, settings)
        n_ties = write_(quote(store), "tie", quote(analysis.records_of(Tie, ties)), computed_at)
        people = ev.people["id"].tolist()
        graph = analysis.tie_graph_of(ties, people)  # built once: centrality, mentorship, structure
        metrics = analysis.metrics_records(
            graph, people, computed_at=computed_at, engine=_engine(gds, chosen, computed_at)
        )
        write_(quote(store), "metrics", quote(metrics), computed_at)
        assessments = analysis.assessment_records(ev, ties, metrics, today=today, computed_at=computed_at, graph=graph)
        write_(quote(store), "assessment", quote(assessments), computed_at)
        thin = sum(a.score < 60 for a in assessments)
        summary = {
            **analysis.structure_summary(graph, metrics),
            **analysis.strength_summary(ties),
            "engine": chosen,
            "gds_on": getattr(gds, "uri", None) if chosen == "gds" else None,
            "people": len(ev.people),
            "ties": n_ties,
            "residents_assessed": len(assessments),
            "thin_networks": thin,
            "today": today.isoformat(),
            "as_of": {k: v.isoformat() for k, v in ends.items()},
            "max_authors": settings.max_authors,
            "hyperauthored_papers": hyperauthored(ev.authorships, settings.max_authors),
        }
        store.upsert("run", [analysis.run_record(computed_at, summary)])
        logger.info("scored %d ties among %d people", n_ties, len(ev.people))
        return {"computed_at": computed_at, **summary}
    finally:
        if gds is not store:
            gds.close()
        if own:
            store.close()
