"""Where to draw each person: a force-directed layout of the tie graph, capped in size.

A drawing of thousands of people is a hairball, and a browser slows down long
before that.  :func:`network_layout` keeps the ``max_nodes`` people with the
highest PageRank, folds everyone else into one node per community (the
smaller communities into one "everyone else" node), and places the result
with the Fruchterman-Reingold spring model [1]_.  Nodes without a drawn tie
sit in rows below the drawing, where they cannot push the connected ones
into a knot in the middle.
"""

from __future__ import annotations

import logging

import networkx as nx
import numpy as np
import pandas as pd

__all__ = ["AGGREGATE_ABOVE", "community_layout", "fold_edges", "network_layout", "network_picture", "place_around"]

log = logging.getLogger(__name__)

NODE_COLUMNS = ["id", "label", "name", "x", "y", "community", "size", "pagerank", "betweenness", "group"]
EDGE_COLUMNS = ["a", "b", "strength", "ties"]
OTHERS = "others"
"""Community value of the node that holds the people of every community not drawn on its own."""
MIN_GROUP = 3
"""Fewest folded people of one community that get a node of their own."""
ROW = 20
"""Unconnected nodes per row below the drawing."""
AGGREGATE_ABOVE = 500
"""Most people drawn one by one; above this, :func:`network_picture` draws one node per community."""


def network_layout(
    ties: pd.DataFrame,
    metrics: pd.DataFrame,
    max_nodes: int = 500,
    seed: int = 0,
    *,
    labelled: int = 8,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    r"""Return node positions and the edges to draw, never more than ``max_nodes`` nodes [1]_.

    When there are more people than ``max_nodes`` (:math:`M`), the top
    :math:`M - G` by PageRank are drawn one by one, with
    :math:`G = \min(20, \max(1, \lfloor M / 10 \rfloor))` group nodes: the
    remaining people of each of the :math:`G - 1` largest communities become
    one node, the rest one more (all of them, when at most :math:`G`
    communities remain, get a node each); a community with fewer than
    ``MIN_GROUP`` (3) people left joins the rest.  A group's size is how
    many people it holds; an edge to or between groups sums the strengths of
    the ties it stands for.

    Parameters
    ----------
    ties : pandas.DataFrame
        Columns ``a``, ``b``, ``strength`` (one row per pair).
    metrics : pandas.DataFrame
        One row per person: ``id``, ``pagerank``, ``community``, and optionally
        ``name`` and ``betweenness``.  People absent here are not drawn.
    max_nodes : int, default 500
        Most nodes drawn, groups included.
    seed : int, default 0
        Seed of the spring layout.
    labelled : int, default 8
        How many people carry their name as a label: the top brokers by
        betweenness (groups are always labelled).

    Returns
    -------
    nodes : pandas.DataFrame
        ``id, label, name, x, y, community, size, pagerank, betweenness,
        group``; ``x, y`` in [-1, 1] for nodes with a drawn tie, in rows of
        ``ROW`` at :math:`y < -1` for the others; ``group`` is True for a
        folded node, whose ``community`` is the community it folds or
        ``"others"``.
    edges : pandas.DataFrame
        ``a, b, strength, ties`` between drawn nodes.

    Raises
    ------
    ValueError
        If ``max_nodes`` is below 1.

    References
    ----------
    .. [1] Fruchterman, T. M. J. and Reingold, E. M. Graph drawing by
       force-directed placement. Software: Practice and Experience
       21(11):1129-1164, 1991. https://doi.org/10.1002/spe.4380211102
    """
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1, not {max_nodes}")
    people = _people(metrics)
    if people.empty:
        return pd.DataFrame(columns=NODE_COLUMNS), pd.DataFrame(columns=EDGE_COLUMNS)
    where = _fold(people, max_nodes)
    nodes = _nodes(people, where, labelled)
    edges = fold_edges(ties, where)
    pos = _place(nodes["id"].tolist(), edges, seed)
    nodes["x"] = [pos[n][0] for n in nodes["id"]]
    nodes["y"] = [pos[n][1] for n in nodes["id"]]
    log.info("laid out %d nodes (%d people), %d edges", len(nodes), len(people), len(edges))
    return nodes[NODE_COLUMNS], edges[EDGE_COLUMNS]


def _people(metrics: pd.DataFrame) -> pd.DataFrame:
    """One row per person, ranked by PageRank (ties by id)."""
    p = metrics.copy()
    p["name"] = p["name"] if "name" in p else p["id"]
    p["pagerank"] = pd.to_numeric(p["pagerank"], errors="coerce").fillna(0.0)
    p["betweenness"] = pd.to_numeric(p.get("betweenness", pd.Series(0.0, index=p.index)), errors="coerce").fillna(0.0)
    p["community"] = p["community"].astype("object").where(p["community"].notna(), -1)
    p = p.sort_values(["pagerank", "id"], ascending=[False, True], kind="stable")
    return p[["id", "name", "pagerank", "betweenness", "community"]].reset_index(drop=True)


def _fold(people: pd.DataFrame, max_nodes: int) -> pd.Series:
    """The node each person is drawn as: themselves, or their community's group."""
    where = pd.Series(people["id"].to_numpy(), index=people["id"].to_numpy())
    if len(people) <= max_nodes:
        return where
    groups = min(20, max(1, max_nodes // 10))
    rest = people.iloc[max_nodes - groups :]
    sizes = rest.groupby("community", sort=False).size()
    order = sorted(sizes.index, key=lambda c: (-sizes[c], str(c)))
    own = {c for c in (order[: groups - 1] if len(order) > groups else order) if sizes[c] >= MIN_GROUP}
    where.loc[rest["id"].to_numpy()] = [
        f"group:{c}" if c in own else f"group:{OTHERS}" for c in rest["community"].tolist()
    ]
    return where


def _nodes(people: pd.DataFrame, where: pd.Series, labelled: int) -> pd.DataFrame:
    drawn = people[where.loc[people["id"]].to_numpy() == people["id"].to_numpy()].copy()
    drawn["size"] = 1
    drawn["group"] = False
    brokers = drawn.sort_values(["betweenness", "id"], ascending=[False, True]).head(labelled)
    brokers = brokers[brokers["betweenness"] > 0]
    drawn["label"] = np.where(drawn["id"].isin(brokers["id"]), drawn["name"], "")
    folded = people.assign(node=where.loc[people["id"]].to_numpy())
    folded = folded[folded["node"] != folded["id"]]
    groups = (
        folded.groupby("node", sort=True)
        .agg(size=("id", "size"), pagerank=("pagerank", "sum"), community=("community", "first"))
        .reset_index()
        .rename(columns={"node": "id"})
    )
    others = groups["id"] == f"group:{OTHERS}"
    groups["community"] = groups["community"].astype("object").where(~others, OTHERS)
    groups["label"] = [f"{n} more people" for n in groups["size"]]
    groups["name"] = groups["label"]
    groups["betweenness"] = np.nan
    groups["group"] = True
    return pd.concat([drawn, groups], ignore_index=True)


def _place(ids: list[str], edges: pd.DataFrame, seed: int) -> dict[str, tuple[float, float]]:
    """Spring layout of the connected nodes in [-1, 1]; the unconnected in rows below, in the given order."""
    graph = nx.Graph()
    graph.add_weighted_edges_from(edges[["a", "b", "strength"]].itertuples(index=False), weight="strength")
    pos = {n: (float(x), float(y)) for n, (x, y) in nx.spring_layout(graph, weight="strength", seed=seed).items()}
    alone = [n for n in ids if n not in pos]
    for i, n in enumerate(alone):
        row, col = divmod(i, ROW)
        across = min(ROW, len(alone) - row * ROW)
        pos[n] = (0.0 if across == 1 else -1 + 2 * col / (across - 1), -1.25 - 0.15 * row)
    return pos


def fold_edges(ties: pd.DataFrame, where: pd.Series) -> pd.DataFrame:
    """Return the lines between drawn nodes: each tie as the pair of nodes its people are drawn as.

    Parameters
    ----------
    ties : pandas.DataFrame
        Columns ``a``, ``b``, ``strength``.
    where : pandas.Series
        Person id (index) to the id of the node they are drawn as (themselves or
        a group); people absent from it are not drawn, nor are their ties.

    Returns
    -------
    pandas.DataFrame
        ``a, b, strength, ties``: one row per pair of distinct nodes (``a < b``),
        the strengths of the ties it stands for summed, ``ties`` their number.
    """
    t = ties[ties["a"].isin(where.index) & ties["b"].isin(where.index)]
    if t.empty:
        return pd.DataFrame(columns=EDGE_COLUMNS)
    a = where.loc[t["a"]].to_numpy()
    b = where.loc[t["b"]].to_numpy()
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    e = pd.DataFrame({"a": lo, "b": hi, "strength": t["strength"].to_numpy(dtype=float)})
    e = e[e["a"] != e["b"]]
    return e.groupby(["a", "b"], as_index=False).agg(strength=("strength", "sum"), ties=("strength", "size"))


def community_layout(ties: pd.DataFrame, metrics: pd.DataFrame, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return one node per community, sized by its members, placed by the spring model [1]_.

    The quotient graph of the partition: an edge joins two communities when a
    tie does, its ``strength`` the sum of those ties' and ``ties`` their number.

    Parameters
    ----------
    ties : pandas.DataFrame
        Columns ``a``, ``b``, ``strength``.
    metrics : pandas.DataFrame
        One row per person: ``id``, ``pagerank``, ``community``; people
        without a community form one more node, ``group:-1``.
    seed : int, default 0
        Seed of the spring layout.

    Returns
    -------
    nodes : pandas.DataFrame
        :data:`NODE_COLUMNS`; ``id`` is ``group:<community>``, ``size`` the
        number of members, ``group`` True.
    edges : pandas.DataFrame
        ``a, b, strength, ties`` between communities.

    References
    ----------
    .. [1] Fruchterman, T. M. J. and Reingold, E. M. Graph drawing by
       force-directed placement. Software: Practice and Experience
       21(11):1129-1164, 1991. https://doi.org/10.1002/spe.4380211102
    """
    people = _people(metrics)
    if people.empty:
        return pd.DataFrame(columns=NODE_COLUMNS), pd.DataFrame(columns=EDGE_COLUMNS)
    where = pd.Series([f"group:{c}" for c in people["community"]], index=people["id"].to_numpy())
    nodes = (
        people.assign(node=where.to_numpy())
        .groupby("node", sort=True)
        .agg(size=("id", "size"), pagerank=("pagerank", "sum"), community=("community", "first"))
        .reset_index()
        .rename(columns={"node": "id"})
    )
    nodes["label"] = [
        f"{_community_name(c)}: {n} people" for c, n in zip(nodes["community"], nodes["size"], strict=True)
    ]
    nodes["name"] = nodes["label"]
    nodes["betweenness"] = np.nan
    nodes["group"] = True
    edges = fold_edges(ties, where)
    pos = _place(nodes["id"].tolist(), edges, seed)
    nodes["x"] = [pos[n][0] for n in nodes["id"]]
    nodes["y"] = [pos[n][1] for n in nodes["id"]]
    return nodes[NODE_COLUMNS], edges[EDGE_COLUMNS]


def network_picture(
    ties: pd.DataFrame, metrics: pd.DataFrame, *, aggregate_above: int = AGGREGATE_ABOVE, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    """Return what the explorable network draws: each person, or one node per community above a size.

    Up to ``aggregate_above`` people, each is a node (:func:`network_layout`;
    everyone named up to 50 people, else only the 25 top brokers); above it, each
    community is one node (:func:`community_layout`).  The third value says
    whether the picture is aggregated.

    Parameters
    ----------
    ties : pandas.DataFrame
        Columns ``a``, ``b``, ``strength``.
    metrics : pandas.DataFrame
        One row per person: ``id``, ``pagerank``, ``community``, ``name``, ``betweenness``.
    aggregate_above : int, default 500
        Most people drawn one by one.
    seed : int, default 0
        Seed of the spring layout.

    Returns
    -------
    nodes, edges : pandas.DataFrame
        As :func:`network_layout`.
    aggregated : bool
        True when the nodes are communities.
    """
    n = len(metrics)
    if n > aggregate_above:
        return (*community_layout(ties, metrics, seed), True)
    nodes, edges = network_layout(ties, metrics, max_nodes=max(n, 1), seed=seed, labelled=25)
    if n <= 50:
        nodes["label"] = nodes["name"]
    return nodes, edges, False


def _community_name(c: int) -> str:
    return "No community" if c == -1 else f"Community {int(c) + 1}"


def place_around(
    center: tuple[float, float], ids: list[str], ties: pd.DataFrame, radius: float, seed: int = 0
) -> dict[str, tuple[float, float]]:
    """Return positions for nodes added next to one already drawn, within ``radius`` of ``center`` [1]_.

    The spring model over the ties among ``ids`` (those without one spread out
    by it too), scaled into the circle, so that a community opened in place
    keeps its shape and a person's neighbours gather around them.

    Parameters
    ----------
    center : tuple of float
        Where the node they come from is drawn.
    ids : list of str
        The nodes to place.
    ties : pandas.DataFrame
        Columns ``a``, ``b``, ``strength``; only ties among ``ids`` count.
    radius : float
        Farthest a node lands from ``center``.
    seed : int, default 0
        Seed of the spring layout.

    Returns
    -------
    dict
        Node id to ``(x, y)``.

    References
    ----------
    .. [1] Fruchterman, T. M. J. and Reingold, E. M. Graph drawing by
       force-directed placement. Software: Practice and Experience
       21(11):1129-1164, 1991. https://doi.org/10.1002/spe.4380211102
    """
    if not ids:
        return {}
    graph = nx.Graph()
    graph.add_nodes_from(ids)
    among = ties[ties["a"].isin(ids) & ties["b"].isin(ids)]
    graph.add_weighted_edges_from(among[["a", "b", "strength"]].itertuples(index=False), weight="strength")
    if len(ids) == 1:
        return {ids[0]: (center[0] + radius, center[1])}
    pos = nx.spring_layout(graph, weight="strength", seed=seed, center=center, scale=radius)
    return {str(n): (float(x), float(y)) for n, (x, y) in pos.items()}
