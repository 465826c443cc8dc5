r"""Warm introduction paths: who can introduce a resident to a person or program.

A path's cost is :math:`\sum_{hops} -\log s_h`, so the cheapest path is the
one whose product of tie strengths is largest: the chance that every hop
carries the introduction, if each hop does so independently with probability
equal to its strength.  Paths have at most ``max_hops`` hops (default 4).

For diversity, the answer is the best path through each distinct first
contact, ranked, top ``k``: a resident gets ``k`` different people to ask,
never five variants through the same one.  Per first contact, the best
hop-limited path is found by the hop-layered Bellman-Ford recurrence [1]_
:math:`g_h(v) = \min_{u \in N(v)} c(v, u) + g_{h-1}(u)`, :math:`g_0(t) = 0`
for targets, evaluated lazily from the source's side only over the nodes it
reaches, so a query touches a few thousand ties even on a graph of 100,000
people.  With positive costs, the optimum of the recurrence is a simple path.
A path ends at the first person on it who counts as the target.

Distinct first contacts are not enough: five paths through five first contacts
may all enter the target through the same last person (the *bridge*,
``people[-2]``), so the five ways are really one.  The paths are therefore
chosen greedily, as in the iterative penalty method for dissimilar paths [2]_
(an alternative to enumerating Yen's k shortest loopless paths [3]_ and
filtering them): in each round, every unused first contact is priced at its
best path whose bridge is new, or at its best path at all plus a penalty
``margin`` (default :math:`\ln 2`) when that reuses a bridge already chosen,
whichever is lower, and the cheapest is taken.  So a path reuses a bridge only
when no path through a new one is within the margin: a new bridge is preferred
while its chance of carrying the introduction is at least half the best one's.
A direct tie to the target (one hop) has no bridge and is never penalised.

References
----------
.. [1] Bellman, R. On a routing problem. Quarterly of Applied Mathematics
   16(1):87-90, 1958. https://doi.org/10.1090/qam/102435
.. [2] Akgün, V., Erkut, E. and Batta, R. On finding dissimilar paths.
   European Journal of Operational Research 121(2):232-246, 2000.
   https://doi.org/10.1016/S0377-2217(99)00214-3
.. [3] Yen, J. Y. Finding the k shortest loopless paths in a network.
   Management Science 17(11):712-716, 1971. https://doi.org/10.1287/mnsc.17.11.712
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from graph.errors import NotFoundError

__all__ = ["DIVERSITY_MARGIN", "Hop", "IntroPath", "PathIndex", "common_bridge", "warm_intro_paths"]

DIVERSITY_MARGIN = math.log(2)
"""Extra cost a path pays for entering the target through a bridge an earlier path uses: a new bridge wins
while its chance is at least half the best one's."""

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Hop:
    """One hop of a path, explained."""

    source: str
    target: str
    strength: float
    last_contact: str | None
    reasons: str


@dataclass(frozen=True)
class IntroPath:
    """A ranked introduction path from a resident to a target."""

    people: tuple[str, ...]
    hops: tuple[Hop, ...]
    cost: float

    @property
    def probability(self) -> float:
        """Product of the hops' strengths: :math:`e^{-cost}`."""
        return math.exp(-self.cost)

    @property
    def first_contact(self) -> str:
        """The person the resident asks."""
        return self.people[1]

    @property
    def bridge(self) -> str | None:
        """The last person before the target (who makes the final introduction); None for a direct tie."""
        return self.people[-2] if len(self.people) > 2 else None

    @property
    def weakest(self) -> Hop:
        """The hop most likely to fail."""
        return min(self.hops, key=lambda h: h.strength)


class PathIndex:
    """Adjacency of the tie graph in CSR arrays, built once, queried many times.

    Parameters
    ----------
    ties : pandas.DataFrame
        Columns ``a, b, strength`` and optionally ``last_contact, reasons``;
        one row per unordered pair, strength in (0, 1].
    """

    def __init__(self, ties: pd.DataFrame) -> None:
        ids = pd.Index(pd.unique(pd.concat([ties["a"], ties["b"]], ignore_index=True)))
        self.ids = ids
        a = ids.get_indexer(ties["a"])
        b = ids.get_indexer(ties["b"])
        cost = -np.log(np.clip(ties["strength"].to_numpy(dtype=float), 1e-9, 1 - 1e-9))
        src = np.concatenate([a, b])
        dst = np.concatenate([b, a])
        cst = np.concatenate([cost, cost])
        order = np.argsort(src, kind="stable")
        self.indptr = np.searchsorted(src[order], np.arange(len(ids) + 1))
        self.indices = dst[order]
        self.costs = cst[order]
        meta = ties.set_index(["a", "b"])
        self._meta = {
            k: (float(s), lc, rs)
            for k, s, lc, rs in zip(
                meta.index,
                meta["strength"],
                meta["last_contact"] if "last_contact" in meta else [None] * len(meta),
                meta["reasons"] if "reasons" in meta else [""] * len(meta),
                strict=True,
            )
        }

    def __contains__(self, pid: str) -> bool:
        return pid in self.ids

    def neighbours(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Neighbour indices and costs of node ``i``."""
        lo, hi = self.indptr[i], self.indptr[i + 1]
        return self.indices[lo:hi], self.costs[lo:hi]

    def hop(self, u: str, v: str) -> Hop:
        """The tie between two people, explained."""
        s, lc, rs = self._meta.get((u, v)) or self._meta[(v, u)]
        return Hop(u, v, s, None if lc is None or (isinstance(lc, float) and math.isnan(lc)) else lc, rs or "")


def warm_intro_paths(
    index: PathIndex,
    source: str,
    targets: set[str],
    *,
    k: int = 5,
    max_hops: int = 4,
    exclude: set[str] | frozenset[str] = frozenset(),
    margin: float = DIVERSITY_MARGIN,
) -> list[IntroPath]:
    r"""Return up to ``k`` paths to a target: distinct first contacts and, within ``margin``, distinct bridges [1]_ [2]_.

    Parameters
    ----------
    index : PathIndex
        The tie graph.
    source : str
        The resident's person id.
    targets : set of str
        Person ids that count as reaching the target (a program's fellows and
        faculty, say).
    k : int, default 5
        How many paths (distinct first contacts).
    max_hops : int, default 4
        Longest path, in hops.
    exclude : set of str
        People who must not appear on any path (on leave, opted out).
    margin : float, default ln 2
        Penalty, in cost (:math:`-\log` strength), for reusing a chosen
        bridge; 0 gives the best path per first contact, ``inf`` new bridges
        whenever one exists.

    Returns
    -------
    list of IntroPath
        In the order chosen (ascending penalised cost; without shared bridges,
        ascending cost); a direct tie to a target is a one-hop path.

    Raises
    ------
    NotFoundError
        The source has no ties at all.

    References
    ----------
    .. [1] Bellman 1958, https://doi.org/10.1090/qam/102435
    .. [2] Akgün, Erkut and Batta 2000, https://doi.org/10.1016/S0377-2217(99)00214-3
    """
    if source not in index:
        raise NotFoundError(f"{source} has no ties yet")
    ids = index.ids
    s = ids.get_loc(source)
    n = len(ids)
    banned = np.zeros(n, dtype=bool)
    banned[[ids.get_loc(x) for x in exclude if x in index]] = True
    banned[s] = True
    goal = np.zeros(n, dtype=bool)
    goal[[ids.get_loc(t) for t in targets if t in index]] = True
    goal &= ~banned
    no_bridge = np.zeros(n, dtype=bool)
    free = _levels(index, s, goal, banned, no_bridge, max_hops)
    nbrs, costs = index.neighbours(s)
    ok = ~banned[nbrs]
    nbrs, costs = nbrs[ok], costs[ok]
    best = costs + free[max_hops - 1][nbrs]  # best path per first contact, any bridge
    unused = np.isfinite(best)
    out: list[IntroPath] = []
    while len(out) < k and unused.any():
        if no_bridge.any():
            fresh = _levels(index, s, goal, banned, no_bridge, max_hops)
            new = costs + fresh[max_hops - 1][nbrs]
        else:
            fresh, new = free, best
        priced = np.where(unused, np.minimum(new, best + margin), math.inf)
        low = priced.min()
        pick = min(np.flatnonzero(priced <= low + 1e-12), key=lambda i: ids[nbrs[i]])
        levels, bridged = (fresh, no_bridge) if new[pick] <= best[pick] + margin else (free, np.zeros(n, bool))
        path = _walk(index, s, int(nbrs[pick]), levels, banned, goal, bridged)
        out.append(path)
        unused[pick] = False
        if path.bridge is not None:
            no_bridge[ids.get_loc(path.bridge)] = True
    return out


def common_bridge(paths: list[IntroPath]) -> str | None:
    """The one person every path (two or more) goes through on its way in, or None.

    The shared bridge when there is one, else the person nearest the target whom
    every path passes (first contacts differ by construction).
    """
    if len(paths) < 2:
        return None
    shared = set.intersection(*(set(p.people[1:-1]) for p in paths))
    if not shared:
        return None
    return min(shared, key=lambda x: (max(len(p.people) - 1 - p.people.index(x) for p in paths), x))


def _levels(
    index: PathIndex, s: int, goal: np.ndarray, banned: np.ndarray, no_bridge: np.ndarray, max_hops: int
) -> list[np.ndarray]:
    """``levels[h][v]``: cheapest cost from v to a goal in at most h hops, for the v a path from s can use.

    A node in ``no_bridge`` may be on a path but never the last before the goal.

    Level 1 is computed for everyone from the goals' side; higher levels only on the
    ball around s that needs them (first contacts need h = max_hops - 1, their
    neighbours h - 1, ...), each a vectorised segment minimum over CSR slices.
    """
    n = len(goal)
    levels = [np.where(goal, 0.0, math.inf), _one_hop(index, goal, banned | no_bridge)]
    rings = [np.array([s])]
    for _ in range(max_hops - 2):  # rings[j]: nodes j hops from s (a superset is fine)
        nxt, _ = _gather(index, rings[-1])
        rings.append(np.unique(nxt[~banned[nxt]]))
    for h in range(2, max_hops):
        ring = rings[max_hops - h]
        level = np.full(n, math.inf)
        if len(ring):
            lens, nb, c = _slices(index, ring)
            into_goal = np.repeat(no_bridge[ring], lens) & goal[nb]
            vals = np.where(banned[nb] | into_goal, math.inf, c + levels[h - 1][nb])
            seg_start = np.cumsum(lens) - lens
            has = lens > 0
            if has.any():
                level[ring[has]] = np.minimum.reduceat(vals, seg_start[has])
        level[goal] = 0.0
        levels.append(level)
    return levels


def _slices(index: PathIndex, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Adjacency of many nodes at once: slice lengths, neighbours and costs, concatenated."""
    starts = index.indptr[nodes]
    lens = index.indptr[nodes + 1] - starts
    offsets = np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(lens.sum())
    return lens, index.indices[offsets], index.costs[offsets]


def _gather(index: PathIndex, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    _, nb, c = _slices(index, nodes)
    return nb, c


def _one_hop(index: PathIndex, goal: np.ndarray, banned: np.ndarray) -> np.ndarray:
    """Cost from every node to a goal in at most one hop (0 at a goal, inf if none), vectorised over CSR."""
    out = np.full(len(goal), math.inf)
    nb, c = _gather(index, np.flatnonzero(goal))
    np.minimum.at(out, nb, c)
    out[banned] = math.inf
    out[goal] = 0.0
    return out


def _walk(
    index: PathIndex,
    s: int,
    first: int,
    levels: list[np.ndarray],
    banned: np.ndarray,
    goal: np.ndarray,
    no_bridge: np.ndarray,
) -> IntroPath:
    nodes, v, h = [s, first], first, len(levels) - 1
    while not goal[v] and h > 0:
        nbrs, costs = index.neighbours(v)
        blocked = banned[nbrs] | (goal[nbrs] & no_bridge[v])
        total = np.where(blocked, math.inf, costs + levels[h - 1][nbrs])
        v, h = int(nbrs[int(np.argmin(total))]), h - 1
        nodes.append(v)
    people = tuple(index.ids[i] for i in nodes)
    hops = tuple(index.hop(u, w) for u, w in zip(people, people[1:], strict=False))
    return IntroPath(people, hops, sum(-math.log(hp.strength) for hp in hops))
