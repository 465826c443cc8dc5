r"""Alumni reach: who the program's alumni are, where, and how warmly residents reach them.

Reach that discriminates is measured by the *best path probability*: the
largest product of tie strengths over any path from a resident to a person,
:math:`\max_P \prod_{h \in P} s_h`, the chance that every hop carries an
introduction if each does so independently with probability equal to its
strength (as in :mod:`graph.analytics.paths`).  It is a shortest path with
costs :math:`-\log s_h`, found by Dijkstra's algorithm [1]_ from every
resident at once (``scipy.sparse.csgraph.dijkstra``), cut off below
``floor`` (default 0.01: no warm path).  For each fellowship program: how
many residents reach one of its people with probability at least ``level``
(default 0.2), the median over residents of their best probability to it,
and the *bridges*: the people inside the best paths (faculty and residents
alike), ranked by how many residents' best paths to that program run
through them.

Two-hop reach (``within_hops``) is the support of :math:`A + A^2` for the
adjacency matrix *A* [2]_; on a dense program almost everyone is two ties from
everyone, so it is kept for comparison only.

Exports suppress small cells: a count under ``suppress_below`` (default 5)
is written as ``"<5"`` so no one can be identified from a report.

References
----------
.. [1] Dijkstra, E. W. A note on two problems in connexion with graphs.
   Numerische Mathematik 1:269-271, 1959. https://doi.org/10.1007/BF01386390
.. [2] Newman, M. E. J. Networks: An Introduction, 2nd ed., section 6.10
   (powers of the adjacency matrix count walks). Oxford University Press,
   2018. https://doi.org/10.1093/oso/9780198805090.001.0001
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from graph.analytics.centrality import TieGraph
from graph.analytics.targets import program_members

__all__ = [
    "REACH_FLOOR",
    "REACH_LEVEL",
    "AlumniReport",
    "BestPaths",
    "alumni_reach",
    "best_paths",
    "suppress_small",
    "within_hops",
]

log = logging.getLogger(__name__)

REACH_LEVEL = 0.2
"""A resident reaches a program when their best path to one of its people has at least this probability."""
REACH_FLOOR = 0.01
"""Best paths less likely than this are not searched: no warm path."""
_CHUNK = 64  # residents per Dijkstra call: bounds the memory of the distance and predecessor rows
_SLACK = 1e-9  # searched this far past a limit: reweighted costs round differently from plain ones


@dataclass(frozen=True)
class AlumniReport:
    """The program-level alumni network report, as tables."""

    alumni: pd.DataFrame  # id, name, grad_year, institution, city, specialty, role, program, warmest resident
    by_institution: pd.DataFrame  # institution, alumni
    by_specialty: pd.DataFrame  # specialty, alumni
    by_year: pd.DataFrame  # grad_year, alumni
    programs: pd.DataFrame  # program, institution, city, specialty, alumni, members, residents_within_2,
    # residents_reach, median_reach, bridges (list of (name, residents))
    bridges: pd.DataFrame  # resident, alumnus, strength, last_contact, reasons, resident_id
    residents: int
    level: float = REACH_LEVEL
    analysed_at: str | None = None  # when the tie strengths behind the reach were computed
    as_of: dict[str, str] = field(default_factory=dict)  # source -> the date their recency is measured from


@dataclass(frozen=True)
class BestPaths:
    """Best path probabilities from sources to targets; the people inside a best path on demand.

    Only the probabilities are kept: at 100k people the paths of every
    (resident, target) pair did not fit in memory, and a report reads a few
    of them.  :meth:`between` walks back just the pairs asked for.
    """

    probability: pd.DataFrame  # sources x targets, 0 where no path reaches ``floor``
    graph: sp.csr_matrix = field(repr=False)  # -log strength, undirected
    ids: pd.Index = field(repr=False)  # node of each graph row
    floor: float = REACH_FLOOR

    @property
    def matrix(self) -> np.ndarray:
        """The probabilities as an array (rows: sources, columns: targets, in their order)."""
        out: np.ndarray = self.probability.to_numpy()
        return out

    @cached_property
    def inside(self) -> dict[tuple[str, str], tuple[str, ...]]:
        """(source, target) -> the people strictly between them, for every pair with a path."""
        rows, cols = np.nonzero(self.matrix > 0)
        src, tgt = self.probability.index, self.probability.columns
        return self.between([(src[r], tgt[c]) for r, c in zip(rows, cols, strict=True) if src[r] != tgt[c]])

    def between(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, ...]]:
        """The people strictly between each (source, target) of ``pairs`` on its best path.

        Dijkstra runs again from those pairs' sources only, a chunk at a time.
        """
        by_source: dict[str, list[str]] = {}
        for s_, t_ in pairs:
            by_source.setdefault(s_, []).append(t_)
        names = self.ids.to_numpy(dtype=object)
        out: dict[tuple[str, str], tuple[str, ...]] = {}
        sources = sorted(by_source)
        for lo in range(0, len(sources), _CHUNK):
            chunk_ids = sources[lo : lo + _CHUNK]
            chunk = self.ids.get_indexer(chunk_ids)
            _, pred = dijkstra(
                self.graph, directed=False, indices=chunk, return_predecessors=True, limit=-math.log(self.floor)
            )
            rows = np.array([i for i, s_ in enumerate(chunk_ids) for _ in by_source[s_]], dtype=np.int64)
            tgt_ids = [t_ for s_ in chunk_ids for t_ in by_source[s_]]
            ends = self.ids.get_indexer(tgt_ids)
            out.update(_walk_back(pred, rows, ends, chunk, names, [chunk_ids[r] for r in rows], tgt_ids))
        return out


def best_paths(ties: pd.DataFrame, sources: list[str], targets: list[str], *, floor: float = REACH_FLOOR) -> BestPaths:
    r"""Largest product of tie strengths from each source to each target (Dijkstra on :math:`-\log s` [1]_).

    Parameters
    ----------
    ties : pandas.DataFrame
        ``a, b, strength`` with strengths in (0, 1].
    sources, targets : list of str
        Person ids; unknown ids reach nothing.
    floor : float, default 0.01
        Paths less likely than this count as none (probability 0).

    Returns
    -------
    BestPaths
    """
    graph, ids, _ = _cost_graph(ties, [*sources, *targets])
    src, tgt = ids.get_indexer(sources), ids.get_indexer(targets)
    prob = np.zeros((len(sources), len(targets)))
    for lo in range(0, len(src), _CHUNK):
        chunk = src[lo : lo + _CHUNK]
        dist = dijkstra(graph, directed=False, indices=chunk, limit=-math.log(floor))
        d = dist[:, tgt]
        prob[lo : lo + len(chunk)] = np.where(np.isfinite(d), np.exp(-d), 0.0)
    return BestPaths(pd.DataFrame(prob, index=sources, columns=targets), graph, ids, floor)


def _walk_back(
    pred: np.ndarray,
    rows: np.ndarray,
    ends: np.ndarray,
    starts: np.ndarray,
    names: np.ndarray,
    src_ids: list[str],
    tgt_ids: list[str],
) -> dict[tuple[str, str], tuple[str, ...]]:
    """The people strictly between each start and end, walking the predecessor rows back (all pairs at once)."""
    layers = []
    cur = pred[rows, ends]
    while True:
        live = (cur >= 0) & (cur != starts[rows])
        if not live.any():
            break
        layers.append(np.where(live, cur, -1))
        cur = np.where(live, pred[rows, np.maximum(cur, 0)], -1)
    out: dict[tuple[str, str], tuple[str, ...]] = {}
    steps = np.array(layers).T if layers else np.full((len(rows), 0), -1)
    for s, t, path in zip(src_ids, tgt_ids, steps[:, ::-1].tolist(), strict=True):
        out[(s, t)] = tuple([names[v] for v in path if v >= 0])
    return out


def within_hops(ties: pd.DataFrame, sources: list[str], targets: list[str], hops: int = 2) -> pd.DataFrame:
    """Which targets each source reaches within ``hops`` ties (boolean frame, sources × targets).

    Uses boolean sparse powers of the adjacency matrix [1]_.
    """
    ids = pd.Index(pd.unique(pd.concat([ties["a"], ties["b"], pd.Series(sources), pd.Series(targets)])))
    n = len(ids)
    a = ids.get_indexer(ties["a"])
    b = ids.get_indexer(ties["b"])
    adj = sp.coo_matrix((np.ones(2 * len(a)), (np.r_[a, b], np.r_[b, a])), shape=(n, n)).tocsr()
    adj.data[:] = 1.0
    src, tgt = ids.get_indexer(sources), ids.get_indexer(targets)
    dense = np.zeros((len(sources), len(targets)), dtype=bool)
    for lo in range(0, len(src), _CHUNK):  # a chunk of residents at a time: hubs make A^2 nearly full
        reach = sp.identity(n, format="csr")[src[lo : lo + _CHUNK]]
        total = reach.copy()
        for _ in range(hops):
            reach = reach @ adj
            reach.data[:] = 1.0
            total = total + reach
        dense[lo : lo + _CHUNK] = (total[:, tgt] > 0).toarray()
    return pd.DataFrame(dense, index=sources, columns=targets)


def alumni_reach(
    people: pd.DataFrame,
    affiliations: pd.DataFrame,
    programs: pd.DataFrame,
    institutions: pd.DataFrame,
    ties: pd.DataFrame,
    *,
    hops: int = 2,
    level: float = REACH_LEVEL,
    year_from: int | None = None,
    year_to: int | None = None,
    specialty: str | None = None,
    city: str | None = None,
    graph: TieGraph | None = None,
) -> AlumniReport:
    """Build the alumni report of the home program.

    Only what the report reads is searched: each program's best path
    probability from every resident is one search from the program's people
    (the nearest of them is the best one), A* toward the residents [3]_ as
    far as the median needs: the residents' costs, the level and the median
    are those of a multi-source Dijkstra [1]_ to the floor, which settles
    five times as many nodes at 100k people.  Each alumnus's warmest resident is one
    multi-source Dijkstra from all residents; the people inside a best path
    are walked back from those searches' predecessor trees.  Two-hop reach is
    sparse powers of the adjacency matrix applied to each program's people
    [2]_.  This equals :func:`best_paths` and :func:`within_hops` from every
    resident to every program's people, without their residents x people
    matrices (at 100k people those took minutes and 11 GB); equally warm
    residents or members are told apart arbitrarily.

    Parameters
    ----------
    people, affiliations, programs, institutions, ties : pandas.DataFrame
        Frames as the store returns them.
    hops : int, default 2
        Ties counted by ``residents_within_2`` (kept for comparison).
    level : float, default 0.2
        Best path probability at which a resident counts as reaching a program.
    year_from, year_to : int, optional
        Keep alumni graduating in these years.
    specialty, city : str, optional
        Keep alumni of this specialty, at institutions in this city.
    graph : TieGraph, optional
        The :func:`~graph.analytics.centrality.tie_graph` of ``ties`` (same
        rows, same order), when the caller already built it: it lends its
        person numbering.

    References
    ----------
    .. [1] Dijkstra, E. W. A note on two problems in connexion with graphs.
       Numerische Mathematik 1:269-271, 1959. https://doi.org/10.1007/BF01386390
    .. [2] Newman, M. E. J. Networks: An Introduction, 2nd ed., section 6.10.
       Oxford University Press, 2018. https://doi.org/10.1093/oso/9780198805090.001.0001
    .. [3] Hart, P. E., Nilsson, N. J. and Raphael, B. A formal basis for the
       heuristic determination of minimum cost paths. IEEE Transactions on
       Systems Science and Cybernetics 4(2):100-107, 1968.
       https://doi.org/10.1109/TSSC.1968.300136
    """
    inst_names = dict(zip(institutions["id"], institutions["name"], strict=True))
    cities = dict(zip(institutions["id"], institutions.get("city", pd.Series([""] * len(institutions))), strict=True))
    alumni_ids = set(affiliations.loc[affiliations["role"] == "alumnus", "person"]) | set(
        people.loc[people["kind"] == "alumnus", "id"]
    )
    fellowships = programs[programs["level"] == "fellowship"]
    members = program_members(fellowships, people, affiliations)
    alumni = people[people["id"].isin(alumni_ids)].assign(
        institution=lambda d: d["institution_id"].map(inst_names),
        city=lambda d: d["institution_id"].map(cities).fillna(""),
    )
    if year_from is not None:
        alumni = alumni[alumni["grad_year"] >= year_from]
    if year_to is not None:
        alumni = alumni[alumni["grad_year"] <= year_to]
    if specialty:
        alumni = alumni[alumni["specialty"] == specialty]
    if city:
        alumni = alumni[alumni["city"] == city]

    def count(col: str) -> pd.DataFrame:
        return alumni.groupby(col).size().rename("alumni").reset_index().sort_values("alumni", ascending=False)

    residents = people.loc[people["kind"] == "resident", "id"].tolist()
    names = dict(zip(people["id"], people["name"], strict=True))
    alumni_set = set(alumni["id"])
    shown = [
        (prog, mem)
        for prog in fellowships.itertuples(index=False)
        if alumni_set.intersection(mem := sorted(members.get(prog.id, set())))
    ]
    net = _ReachGraph.of(ties, [*residents, *alumni["id"], *(p for _, mem in shown for p in mem)], numbering=graph)
    res = net.ids.get_indexer(residents)
    groups = [net.ids.get_indexer(mem) for _, mem in shown]
    within = net.within(res, groups, hops)
    reach = _group_reach(net, res, groups, level, names)
    rows = []
    for (prog, mem), near, (reached, median, bridges) in zip(shown, within, reach, strict=True):
        rows.append(
            (
                prog.id,
                prog.name,
                inst_names.get(prog.institution_id, ""),
                cities.get(prog.institution_id, "") or "",
                prog.specialty,
                len(alumni_set.intersection(mem)),
                len(mem),
                near,
                reached,
                median,
                bridges,
            )
        )
    progs = pd.DataFrame(
        rows,
        columns=[
            "program_id",
            "program",
            "institution",
            "city",
            "specialty",
            "alumni",
            "members",
            f"residents_within_{hops}",
            "residents_reach",
            "median_reach",
            "bridges",
        ],
    )
    progs = progs.sort_values(["alumni", "program"], ascending=[False, True]).reset_index(drop=True)
    directory = _directory(alumni, fellowships, members, net.warmest(res, alumni["id"].tolist()), names)
    return AlumniReport(
        directory,
        count("institution"),
        count("specialty"),
        count("grad_year").sort_values("grad_year"),
        progs,
        _bridges(ties, net, res, net.ids.get_indexer(alumni["id"]), names),
        len(residents),
        level,
    )


@dataclass(frozen=True)
class _ReachGraph:
    r"""The tie graph with costs :math:`-\log s` and the searches the alumni report runs on it."""

    graph: sp.csr_matrix  # -log strength, symmetric
    ids: pd.Index  # node of each row
    ends: tuple[np.ndarray, np.ndarray]  # the nodes of each tie's a and b
    floor: float = REACH_FLOOR

    @classmethod
    def of(
        cls, ties: pd.DataFrame, extra: list[str], floor: float = REACH_FLOOR, numbering: TieGraph | None = None
    ) -> _ReachGraph:
        graph, ids, ends = _cost_graph(ties, extra, numbering)
        return cls(graph, ids, ends, floor)

    def nearest(self, sources: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Best probability from any of ``sources`` to every node, the predecessor tree, and which source."""
        n = len(self.ids)
        if len(sources) == 0:
            return np.zeros(n), np.full(n, -9999), np.full(n, -9999)
        dist, pred, src = dijkstra(
            self.graph,
            directed=True,
            indices=sources,
            return_predecessors=True,
            limit=-math.log(self.floor),
            min_only=True,
        )
        return np.where(np.isfinite(dist), np.exp(-dist), 0.0), pred, src

    def within(self, sources: np.ndarray, groups: list[np.ndarray], hops: int) -> list[int]:
        """How many ``sources`` are within ``hops`` ties of someone of each group (sparse powers of A)."""
        n = len(self.ids)
        if not groups or len(sources) == 0:
            return [0] * len(groups)
        adj = self.graph.copy()
        adj.data[:] = 1.0
        cols = np.concatenate([np.full(len(g), j) for j, g in enumerate(groups)])
        near = sp.csr_matrix((np.ones(len(cols)), (np.concatenate(groups), cols)), shape=(n, len(groups)))
        for _ in range(hops - 1):  # nodes within hops - 1 of each group
            near = near + adj @ near
            near.data[:] = 1.0
        last = near[sources] + adj[sources] @ near if hops > 0 else near[sources]
        return np.asarray((last > 0).sum(axis=0)).ravel().astype(int).tolist()

    def warmest(self, residents: np.ndarray, alumni: list[str]) -> dict[str, tuple[str, float, str | None]]:
        """Each reachable alumnus's warmest resident, that best path's probability, and the path's first hop."""
        prob, pred, src = self.nearest(residents)
        nodes = self.ids.get_indexer(alumni)
        p = prob[nodes]
        ok = np.flatnonzero(p > 0)
        inner = _inside(pred, nodes[ok])
        first = [path[-1] if path else -1 for path in inner]  # the walk runs from the alumnus to the resident
        ids = self.ids.to_numpy(dtype=object)
        return {
            alumni[i]: (str(ids[src[nodes[i]]]), float(p[i]), None if f < 0 else str(ids[f]))
            for i, f in zip(ok.tolist(), first, strict=True)
        }


def _group_reach(
    net: _ReachGraph,
    residents: np.ndarray,
    groups: list[np.ndarray],
    level: float,
    names: dict[str, str],
    top: int = 3,
) -> list[tuple[int, float, list[tuple[str, int]]]]:
    """Per group: residents reaching it at ``level``, the median best probability, the top bridges.

    Each group is searched toward the residents (:class:`_TowardResidents`) only as far as its
    median reads: the ``n // 2 + 1`` best of ``n`` residents.  A group is searched first as far
    as the farthest median of the groups before it (and the level), and again to the floor if
    fewer residents than that lie so near; nearer residents' costs, their paths and those
    beyond are exactly what one search to the floor gives.
    """
    if len(residents) == 0:
        return [(0, 0.0, [])] * len(groups)
    floor = -math.log(net.floor)
    reach_cost = min(floor, -math.log(level) if level > 0 else math.inf)
    search = _TowardResidents.of(net, residents, groups)
    k = len(residents) // 2 + 1  # the median reads the k best probabilities
    limit = reach_cost
    ids = net.ids.to_numpy(dtype=object)
    out: list[tuple[int, float, list[tuple[str, int]]]] = []
    for j, members in enumerate(groups):
        if len(members) == 0:
            out.append((0, 0.0, []))
            continue
        cost, tree = search.costs(j, residents, limit)
        kth = float(np.partition(cost, k - 1)[k - 1])
        if kth > limit and limit < floor:  # the median lies farther: search to the floor
            cost, tree = search.costs(j, residents, floor)
            kth = float(np.partition(cost, k - 1)[k - 1])
            if kth <= floor:
                limit = kth  # later groups search this far first
        best = np.where(cost <= floor, np.exp(-cost), 0.0)
        reaching = residents[best >= level]
        through: Counter[str] = Counter()
        for path in _inside(tree, reaching):
            through.update({str(ids[v]) for v in path})
        ranked = sorted(through.items(), key=lambda kv: (-kv[1], names.get(kv[0], kv[0])))[:top]
        out.append((len(reaching), round(float(np.median(best)), 3), [(names.get(k_, k_), v) for k_, v in ranked]))
    return out


@dataclass(frozen=True)
class _TowardResidents:
    r"""The cost graph reweighted toward the residents, with one root joined to each group's people.

    With :math:`h(v)` the cost from *v* to its nearest resident, an edge
    :math:`u \to v` costs :math:`c(u, v) + h(v) - h(u) \ge 0` and group *j*'s
    root reaches each member *m* at cost :math:`h(m)`.  A path from the root to
    *v* then costs its plain cost plus :math:`h(v)`: a resident's (``h = 0``) is
    unchanged, and a search limited to :math:`\lambda` settles only the nodes with
    :math:`d(j, v) + h(v) \le \lambda`, those on some path within
    :math:`\lambda` from the group to a resident.  This is A* search [1]_ with
    the consistent estimate *h*, run as Dijkstra's algorithm on reduced costs
    [2]_.  Residents' costs are then summed again along the tree's paths in
    plain costs, in the order Dijkstra sums them, so that the reweighting's
    rounding never shows.

    References
    ----------
    .. [1] Hart, P. E., Nilsson, N. J. and Raphael, B. A formal basis for the
       heuristic determination of minimum cost paths. IEEE Transactions on
       Systems Science and Cybernetics 4(2):100-107, 1968.
       https://doi.org/10.1109/TSSC.1968.300136
    .. [2] Goldberg, A. V. and Harrelson, C. Computing the shortest path: A*
       search meets graph theory. Proceedings of the 16th ACM-SIAM Symposium
       on Discrete Algorithms (SODA), 156-165, 2005.
       https://dl.acm.org/doi/10.5555/1070432.1070455
    """

    graph: sp.csr_matrix  # reduced costs; row n + j is group j's root
    keys: np.ndarray  # row * n + column of each entry of the plain cost graph, ascending
    cost: np.ndarray  # the plain cost of each of those entries
    n: int

    @classmethod
    def of(cls, net: _ReachGraph, residents: np.ndarray, groups: list[np.ndarray]) -> _TowardResidents:
        n, far = len(net.ids), -math.log(net.floor) + _SLACK
        h = dijkstra(net.graph, directed=True, indices=residents, limit=far, min_only=True)
        plain = net.graph.tocoo()  # CSR order: rows ascending, columns ascending within a row
        u, v, c = plain.row.astype(np.int64), plain.col.astype(np.int64), plain.data
        on = np.isfinite(h[u]) & (c + h[v] <= far)  # on no path within the floor to a resident otherwise
        members = np.concatenate([*groups, np.zeros(0, dtype=np.int64)])
        roots = np.concatenate([np.full(len(g), n + j, dtype=np.int64) for j, g in enumerate(groups)] + [members[:0]])
        near = h[members] <= far
        size = n + len(groups)
        graph = sp.csr_matrix(
            (
                np.r_[np.maximum(c[on] + h[v[on]] - h[u[on]], 0.0), h[members[near]]],
                (np.r_[u[on], roots[near]], np.r_[v[on], members[near]]),
            ),
            shape=(size, size),
        )
        return cls(graph, u * n + v, c, n)

    def costs(self, group: int, residents: np.ndarray, limit: float) -> tuple[np.ndarray, np.ndarray]:
        """Each resident's plain best cost from ``group`` (inf past ``limit``) and the tree (members its roots)."""
        dist, pred = dijkstra(
            self.graph, directed=True, indices=self.n + group, limit=limit + _SLACK, return_predecessors=True
        )
        tree = np.where(pred[: self.n] >= self.n, -9999, pred[: self.n]).astype(np.int64)
        found = np.isfinite(dist[residents])
        cost = np.full(len(residents), np.inf)
        cost[found] = self._along(tree, residents[found])
        return cost, tree

    def _along(self, tree: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Plain cost of each tree path to ``ends``, summed from its root (all paths at once)."""
        child = np.flatnonzero(tree >= 0)
        tie = tree[child] * self.n + child
        order = np.argsort(tie)  # sorted lookups run three times faster
        into = np.zeros(len(tree))  # the plain cost of the tie from each node's parent
        into[child[order]] = self.cost[np.searchsorted(self.keys, tie[order])]
        steps = []
        cur = ends.astype(np.int64)
        while True:
            up = np.where(cur >= 0, tree[np.maximum(cur, 0)], -1)
            live = up >= 0
            if not live.any():
                break
            steps.append(np.where(live, into[np.maximum(cur, 0)], 0.0))
            cur = np.where(live, up, -1)
        total = np.zeros(len(ends))
        for step in reversed(steps):  # root first, as Dijkstra adds them; the zeros past a path's root add nothing
            total = total + step
        return total


def _cost_graph(
    ties: pd.DataFrame, extra: list[str], numbering: TieGraph | None = None
) -> tuple[sp.csr_matrix, pd.Index, tuple[np.ndarray, np.ndarray]]:
    r"""The symmetric matrix of tie costs :math:`-\log s` over the people of ``ties`` and ``extra``; each tie's nodes.

    People are numbered in order of first appearance, or as ``numbering`` (the
    tie graph of ``ties``) numbers them, then ``extra`` people it lacks.
    """
    m = len(ties)
    if numbering is not None and numbering.m == m:
        known = pd.Index(numbering.ids, dtype=object)
        more = pd.Index(pd.unique(pd.Series(extra, dtype=object)))
        ids = known.append(more[known.get_indexer(more) < 0])
        a, b = numbering.src, numbering.dst
    else:
        people = pd.concat([ties["a"], ties["b"], pd.Series(extra, dtype=object)], ignore_index=True)
        codes, uniques = pd.factorize(people)  # in order of first appearance
        ids = pd.Index(uniques)
        a, b = codes[:m], codes[m : 2 * m]
    n = len(ids)
    cost = -np.log(np.clip(ties["strength"].to_numpy(dtype=float), 1e-9, 1 - 1e-9))
    graph = sp.coo_matrix((np.r_[cost, cost], (np.r_[a, b], np.r_[b, a])), shape=(n, n)).tocsr()
    graph.sum_duplicates()
    return graph, ids, (a, b)


def _inside(pred: np.ndarray, starts: np.ndarray) -> list[list[int]]:
    """The nodes strictly between each start and its tree's root, from the start (predecessor walk, all at once)."""
    layers = []
    cur = pred[starts] if len(starts) else np.zeros(0, dtype=np.int64)
    while True:
        live = (cur >= 0) & (pred[np.maximum(cur, 0)] >= 0)  # a root's predecessor is -9999
        if not live.any():
            break
        layers.append(np.where(live, cur, -1))
        cur = np.where(live, pred[np.maximum(cur, 0)], -1)
    steps = np.array(layers).T if layers else np.full((len(starts), 0), -1)
    return [[v for v in row if v >= 0] for row in steps.tolist()]


def _directory(
    alumni: pd.DataFrame,
    fellowships: pd.DataFrame,
    members: dict[str, set[str]],
    warmest: dict[str, tuple[str, float, str | None]],
    names: dict[str, str],
) -> pd.DataFrame:
    """Alumni by name: class, position, specialty, where, and the residents' warmest path to each."""
    prog_names = dict(zip(fellowships["id"], fellowships["name"], strict=True))
    program_of: dict[str, str] = {}
    for prog, mem in sorted(members.items()):
        for pid in mem:
            program_of.setdefault(pid, prog_names.get(prog, ""))
    warm: list[str | None] = []
    via: list[str | None] = []
    prob: list[float] = []
    for pid in alumni["id"]:
        res, p, first = warmest.get(pid, (None, 0.0, None))
        warm.append(None if res is None else names.get(res, res))
        via.append(None if first is None else names.get(first, first))
        prob.append(round(p, 3))
    out = alumni.assign(
        program=[program_of.get(p, "") for p in alumni["id"]], warmest_resident=warm, via=via, probability=prob
    )
    shown = ["id", "name", "grad_year", "role", "specialty", "institution", "city", "program"]
    shown += ["warmest_resident", "via", "probability"]
    return out[shown].sort_values(["institution", "name"], na_position="last").reset_index(drop=True)


def _bridges(
    ties: pd.DataFrame,
    net: _ReachGraph,
    residents: np.ndarray,
    alumni: np.ndarray,
    names: dict[str, str],
    top: int = 25,
) -> pd.DataFrame:
    """The strongest direct ties between a resident and an alumnus (``residents``, ``alumni``: nodes of ``net``)."""
    res, alu = np.zeros(len(net.ids), dtype=bool), np.zeros(len(net.ids), dtype=bool)
    res[residents], alu[alumni] = True, True
    a, b = net.ends
    fwd, rev = res[a] & alu[b], res[b] & alu[a]
    t = pd.concat(
        [
            ties[fwd].rename(columns={"a": "resident", "b": "alumnus"}),
            ties[rev].rename(columns={"b": "resident", "a": "alumnus"}),
        ]
    )
    t = t.sort_values("strength", ascending=False).head(top)
    return pd.DataFrame(
        {
            "resident": t["resident"].map(names),
            "alumnus": t["alumnus"].map(names),
            "strength": t["strength"].round(3),
            "last_contact": t["last_contact"],
            "reasons": t["reasons"],
            "resident_id": t["resident"],  # who is named, for the audit log (names are not unique)
        }
    ).reset_index(drop=True)


def suppress_small(frame: pd.DataFrame, columns: list[str], below: int = 5) -> pd.DataFrame:
    """Counts under ``below`` (but above 0) become ``"<5"``, so no one is identified from a count."""
    out = frame.copy()
    for c in columns:
        out[c] = [f"<{below}" if 0 < v < below else str(v) for v in out[c]]
    return out
