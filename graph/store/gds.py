r"""Centrality inside Neo4j with Graph Data Science (GDS): the tie graph never leaves the database.

:func:`gds_centrality` returns the frame of
:func:`graph.analytics.centrality.centrality` (same columns, same scale, same
conventions), so ``analyze`` writes the same metrics records whichever engine
ran. It projects every person and this run's ties into GDS's in-memory graph
catalog (a Cypher projection, undirected, each tie with ``strength`` and
``distance`` :math:`= \max(-\ln s, 10^{-9})`), runs each algorithm in
``mutate`` mode (results stay in the projection), streams back only the
results, one row per person, and drops the projection, also when a step fails.

========================  ==============================================================
column                    GDS procedure (configuration)
========================  ==============================================================
``degree``                ``gds.degree`` (ties counted)
``weighted_degree``       ``gds.degree`` (``relationshipWeightProperty: strength``)
``pagerank``              ``gds.pageRank`` (strength-weighted, damping 0.85), divided by
                          its sum
``betweenness``           ``gds.betweenness`` (``distance``), normalised as networkx;
                          sampled sources above ``exact_below`` people
``community``             ``gds.louvain`` (strength-weighted, concurrency 1), numbered
                          as :func:`~graph.analytics.centrality.communities`
``component``             ``gds.wcc`` (extra column: the connected component)
``closeness``,            Python (:func:`~graph.analytics.centrality.closeness`,
``burt_constraint``,      :func:`~graph.analytics.centrality.brokerage`): GDS closeness
``effective_size``        ignores weights, and GDS has no Burt constraint
========================  ==============================================================

PageRank: GDS iterates :math:`x = (1-d) + d A^\top D^{-1} x` without
redistributing the rank of isolated people; networkx adds their rank to the
teleport term. In an undirected graph the only dangling people are isolated
ones, both solutions are multiples of :math:`(I - d A^\top D^{-1})^{-1}
\mathbf{1}`, and after dividing by the sum they agree.

Betweenness: GDS's undirected scores count each pair once; multiplying by
:math:`2 / ((n-1)(n-2))` gives networkx's normalised value (exact below
``exact_below`` people, as the Python path). Above it GDS takes ``samples``
sources (``samplingSize``, ``samplingSeed``), not the Python path's uniform
draw: it walks the nodes in its internal order and keeps each with
probability degree / max degree until it has enough [2]_, and does not
rescale. The sum over those sources is multiplied by :math:`n / k`, which
puts it on the same scale but overestimates (hubs' dependencies are
overweighted): on the network-science co-authorship network (1,592 people,
256 sources, seeds 0-2) the total is 1.55-1.74 times the exact one, Spearman
with exact 0.84-0.85 and 17-19 of the exact top 20 found, against the Python
path's 0.86-0.99 times, 0.88-0.89 and 18-19 (tests/test_gds.py).

References
----------
.. [1] Hodler, A. E. and Needham, M. Graph Data Science using Neo4j. In
   Massive Graph Analytics, Chapman and Hall/CRC, 2022.
   https://doi.org/10.1201/9781003033707-20
.. [2] Brandes, U. and Pich, C. Centrality estimation in large networks.
   Int. J. Bifurcation and Chaos 17(7):2303-2318, 2007.
   https://doi.org/10.1142/S0218127407018403
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from graph.analytics.centrality import SAMPLES, TieGraph, brokerage, closeness, number_communities, tie_graph
from graph.errors import StoreError
from graph.store import cypher
from graph.store.base import Store
from graph.store.neo4j_store import Neo4jStore

__all__ = ["gds_centrality", "gds_version", "gds_warm_up"]

log = logging.getLogger(__name__)

_MIN_DISTANCE = 1e-9
_DAMPING = 0.85
_RESULTS = ["degree", "weighted_degree", "pagerank", "betweenness", "louvain", "component"]


def gds_version(store: Store) -> str | None:
    """Return the Graph Data Science version the store's server answers, or None (not Neo4j, no GDS).

    Parameters
    ----------
    store : Store
        Any store; only a :class:`~graph.store.neo4j_store.Neo4jStore` can answer.

    Returns
    -------
    str or None
        ``RETURN gds.version()``, e.g. ``"2.13.9"``.
    """
    if not isinstance(store, Neo4jStore):
        return None
    try:
        rows = store.query(cypher.GDS_VERSION)
    except StoreError as exc:
        log.info("no Graph Data Science on %s: %s", store.uri, exc)
        return None
    return str(rows[0]["version"])


def gds_warm_up(store: Neo4jStore) -> int:
    """Run every algorithm of :func:`gds_centrality` once on a 100-node ring in GDS's catalog, then drop it.

    The first GDS call of a fresh server loads GDS's classes (12 s for the
    first projection here); a long-running server pays that once. The
    benchmark calls this first so that it times the algorithms, not the class
    loading. Nothing in the database is read or written.

    Returns
    -------
    int
        Relationships of the ring as GDS counts them (200: undirected, each stored both ways).
    """
    graph = f"tiegraph-warm-up-{uuid.uuid4().hex}"
    try:
        shape = store.query(cypher.GDS_WARM_UP, graph=graph)[0]
        for name, config in _steps(int(shape["nodes"]), 2000, 256, 0):
            store.query(cypher.GDS_MUTATE[name], graph=graph, config=config)
    finally:
        store.query(cypher.GDS_DROP, graph=graph)
    return int(shape["relationships"])


def gds_centrality(
    store: Store,
    edges: pd.DataFrame | TieGraph,
    nodes: Sequence[str] | None = None,
    *,
    computed_at: str,
    exact_below: int = 2000,
    samples: int = SAMPLES,
    seed: int = 0,
    with_closeness: bool = True,
) -> pd.DataFrame:
    """Return :func:`~graph.analytics.centrality.centrality`'s frame, computed by GDS in the database.

    Parameters
    ----------
    store : Store
        A Neo4j store whose server runs GDS; it holds this run's ties
        (``TIE`` relationships with ``computed_at``).
    edges : pandas.DataFrame or TieGraph
        The same ties (columns ``a``, ``b``, ``strength``, or their
        :func:`~graph.analytics.centrality.tie_graph`), for the columns
        computed in Python (closeness, brokerage) and the row order.
    nodes : sequence of str, optional
        People to include even without ties.
    computed_at : str
        The run whose ties are projected.
    exact_below, samples, seed : int
        As in :func:`~graph.analytics.centrality.centrality` (the same default
        number of sampled sources, so both engines trade the same accuracy
        for time); ``seed`` seeds
        GDS's betweenness sampling (Louvain runs on one thread, deterministic).
    with_closeness : bool, default True
        As in :func:`~graph.analytics.centrality.centrality` (False: NaN).

    Returns
    -------
    pandas.DataFrame
        Columns ``person``, ``degree``, ``weighted_degree``, ``pagerank``,
        ``betweenness``, ``closeness``, ``community``, ``burt_constraint``,
        ``effective_size`` and ``component``.

    Raises
    ------
    StoreError
        If the store is not Neo4j with GDS, a procedure fails, or the
        projection does not hold exactly the given people and ties.
    """
    version = gds_version(store)
    if version is None or not isinstance(store, Neo4jStore):
        raise StoreError(
            "Graph Data Science does not answer on this store: use Neo4j with the GDS plugin, or --engine python"
        )
    tg = tie_graph(edges, nodes)
    people = tg.ids.tolist()
    near = (
        closeness(tg, exact_below=exact_below, samples=samples, seed=seed)["closeness"].to_numpy()
        if with_closeness
        else np.full(tg.n, np.nan)
    )
    graph = f"tiegraph-ties-{uuid.uuid4().hex}"
    try:
        shape = store.query(cypher.GDS_PROJECT_TIES, graph=graph, computed_at=computed_at, min_distance=_MIN_DISTANCE)[
            0
        ]
        if shape["nodes"] != len(people) or shape["relationships"] != 2 * tg.m:
            raise StoreError(
                f"GDS projected {shape['nodes']} people and {shape['relationships'] // 2} ties of run "
                f"{computed_at}, expected {len(people)} and {tg.m}"
            )
        for name, config in _steps(len(people), exact_below, samples, seed):
            store.query(cypher.GDS_MUTATE[name], graph=graph, config=config)
        rows = store.query(cypher.GDS_STREAM_RESULTS, graph=graph, properties=_RESULTS)
    finally:
        store.query(cypher.GDS_DROP, graph=graph)
    log.info("GDS %s: centrality of %d people, %d ties", version, len(people), tg.m)
    result = _results(rows, people)
    n = len(people)
    exact = n < exact_below
    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    if not exact:
        scale *= n / min(samples, n)
    broker = brokerage(tg).set_index("person")
    return pd.DataFrame(
        {
            "person": people,
            "degree": result["degree"].round().astype(np.int64).to_numpy(),
            "weighted_degree": result["weighted_degree"].to_numpy(),
            "pagerank": (result["pagerank"] / result["pagerank"].sum()).to_numpy(),
            "betweenness": result["betweenness"].to_numpy() * scale,
            "closeness": near,
            "community": number_communities(people, result["louvain"].to_numpy()),
            "burt_constraint": broker["burt_constraint"].reindex(people).to_numpy(),
            "effective_size": broker["effective_size"].reindex(people).to_numpy(),
            "component": number_communities(people, result["component"].to_numpy()),
        }
    )


def _steps(n: int, exact_below: int, samples: int, seed: int) -> list[tuple[str, dict[str, object]]]:
    """Each algorithm (a key of :data:`cypher.GDS_MUTATE`) with its configuration, in the order they run."""
    between: dict[str, object] = {"relationshipWeightProperty": "distance", "mutateProperty": "betweenness"}
    if n >= exact_below:
        between |= {"samplingSize": min(samples, n), "samplingSeed": seed}
    pagerank = {"dampingFactor": _DAMPING, "maxIterations": 1000, "tolerance": 1e-12}
    return [
        ("degree", {"mutateProperty": "degree"}),
        ("degree", {"relationshipWeightProperty": "strength", "mutateProperty": "weighted_degree"}),
        ("pagerank", {"relationshipWeightProperty": "strength", "mutateProperty": "pagerank", **pagerank}),
        ("betweenness", between),
        ("louvain", {"relationshipWeightProperty": "strength", "concurrency": 1, "mutateProperty": "louvain"}),
        ("wcc", {"mutateProperty": "component"}),
    ]


def _results(rows: list[dict[str, Any]], people: list[str]) -> pd.DataFrame:  # rows as Neo4jStore.query returns them
    """The streamed results as a frame indexed like ``people``."""
    frame = pd.DataFrame(
        [dict(zip(r["names"], r["values"], strict=True)) for r in rows],
        index=[r["person"] for r in rows],
    )
    missing = set(people) - set(frame.index)
    if missing:
        raise StoreError(f"GDS returned no results for {len(missing)} people, e.g. {sorted(missing)[0]!r}")
    return frame.reindex(people)
