r"""Mentorship networks: is each resident's developmental network thin, and why.

The rule of the field: a resident's mentorship team has 1-2 clinical mentors
in the area of interest, 1 research/QI mentor, 1 career mentor (the PD, an APD
or a chief) and, ideally, a sponsor, who opens doors rather than advises.  Key
mentors need a touch every 6-12 months.

Beyond the checklist, Higgins and Kram [1]_ describe a protégé's
*developmental network*: the people who take an active interest in their
career.  Its **range** is how many distinct social systems the developers come
from (here: the home program's faculty, other departments, other
institutions, peers, alumni) and its **tie strength** is how strong the
developer ties are.  Crossing the two gives four types: *receptive* (weak,
narrow), *traditional* (strong, narrow), *opportunistic* (weak, broad) and
*entrepreneurial* (strong, broad).  **Density** is the share of developer
pairs who know each other (high density: one voice; low: diverse advice),
and Burt's constraint [2]_ says how much the network is closed around one
cluster.

Developers are a resident's declared mentors plus non-resident people tied
to them with strength at least ``developer_strength``.

Score (0-100): clinical mentor in the area of interest 25, research/QI 20,
career (PD/APD/chief) 20, sponsor 10, share of declared mentors touched within
12 months 15, range (systems, capped at 4) 10.  A network scoring below
:data:`THIN_BELOW` is *thin*.  Each resident is also compared with the median
score of their PGY year (a separate fact, not the thin label).

A *single thread* is a research/QI or sponsor role held by one person only who
has gone quiet (no contact within ``active_days``) or left the home program:
the role is filled on paper and empty in practice.

Results are data: missing roles are :class:`MentorType` codes, stale ties
:class:`StaleTie`, reasons :class:`Reason` and suggested mentors
:class:`Suggestion` items.  They are stored as JSON (:func:`dump_items`,
:func:`load_items`) and put into words at the edge (the CLI, the dashboard).

References
----------
.. [1] Higgins, M. C. and Kram, K. E. Reconceptualizing mentoring at work: a
   developmental network perspective. Academy of Management Review
   26(2):264-288, 2001. https://doi.org/10.5465/amr.2001.4378023
.. [2] Burt, R. S. Structural Holes: The Social Structure of Competition.
   Harvard University Press, 1992. https://doi.org/10.4159/9780674029095
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from graph.analytics.centrality import TieGraph
from graph.model import Assessment, MentorType, stable_id

__all__ = [
    "CAREER_ROLES",
    "DEVELOPER_STRENGTH",
    "ROLE_LABELS",
    "THIN_BELOW",
    "MentorshipRules",
    "Reason",
    "StaleTie",
    "Suggestion",
    "TieIndex",
    "assess_mentorship",
    "assessment_table",
    "dump_items",
    "load_items",
    "network_type",
    "suggest_mentors",
    "tie_index",
    "to_assessments",
]

log = logging.getLogger(__name__)

CAREER_ROLES = frozenset({"pd", "apd", "chief", "program director", "associate program director", "chief resident"})
SPONSOR_ROLES = CAREER_ROLES | {"division chief", "chair", "vice chair", "dean"}
ROLE_LABELS = {
    "clinical": "clinical mentor in the area of interest",
    "research_qi": "research/QI mentor",
    "career": "career mentor (PD, APD or chief)",
    "sponsor": "sponsor",
}
"""Each mentor role code in words (the edges may shorten them)."""

THIN_BELOW = 60.0
"""A mentorship score below this is a thin network: the one threshold every view uses."""
DEVELOPER_STRENGTH = 0.3
"""A non-resident tied at least this strongly is a developer (Higgins and Kram): the one cutoff."""


@dataclass(frozen=True)
class MentorshipRules:
    """Thresholds of the assessment, all configurable."""

    active_days: int = 365  # a key tie must be touched within 6-12 months
    due_days: int = 183
    developer_strength: float = DEVELOPER_STRENGTH
    strong_mean: float = 0.35  # mean developer strength above which ties are "strong"
    broad_range: int = 3  # systems from which a network counts as "broad"
    thin_below: float = THIN_BELOW


@dataclass(frozen=True)
class StaleTie:
    """A declared mentor not touched within ``active_days``; ``days`` None: never in the records."""

    mentor: str
    name: str
    type: str
    days: int | None


@dataclass(frozen=True)
class Suggestion:
    """Someone who would fill a missing role, and the warmest way to them (``via`` None: a direct tie)."""

    person: str
    name: str
    role: str
    warmth: float
    via: str | None = None
    via_name: str | None = None


@dataclass(frozen=True)
class Reason:
    """One reason an assessment gives, as data.

    ``kind`` is one of :data:`REASON_KINDS`; the other fields hold what that
    kind needs (a role code, a person, a specialty, a count, a score).
    """

    kind: str
    role: str = ""
    person: str = ""
    name: str = ""
    detail: str = ""
    number: float | None = None
    median: float | None = None


REASON_KINDS = (
    "missing_role",  # role
    "off_specialty",  # role clinical, name, detail = mentor's specialty, median unused
    "not_career_role",  # name
    "stale_ties",  # number = how many
    "narrow_range",  # number = systems, detail = the systems
    "below_pgy_median",  # number = score, median, detail = PGY
    "single_thread",  # role, person, name, detail = "quiet" | "left"
    "note",  # detail = free text (assessments stored before reasons were data)
)


def dump_items(items: Iterable[StaleTie | Suggestion | Reason]) -> str:
    """Dataclass items as JSON text for the store."""
    return json.dumps([vars(i) for i in items], sort_keys=True)  # flat: the fields asdict gives, without its copies


def load_items(text: object, cls: type) -> list[object]:
    """The items :func:`dump_items` wrote; free text (older assessments) as one ``note`` reason."""
    if text is None or (isinstance(text, float) and pd.isna(text)) or not str(text).strip():
        return []
    try:
        raw = json.loads(str(text))
    except ValueError:
        raw = None
    if not isinstance(raw, list):
        return [Reason("note", detail=str(text))] if cls is Reason else []
    return [cls(**item) if isinstance(item, dict) else item for item in raw]


def network_type(mean_strength: float, n_systems: int, rules: MentorshipRules | None = None) -> str:
    """Higgins and Kram's [1]_ type from developer tie strength and network range.

    >>> network_type(0.6, 4)
    'entrepreneurial'
    >>> network_type(0.1, 1)
    'receptive'
    """
    r = rules or MentorshipRules()
    strong = mean_strength >= r.strong_mean
    broad = n_systems >= r.broad_range
    return {
        (True, True): "entrepreneurial",
        (True, False): "traditional",
        (False, True): "opportunistic",
        (False, False): "receptive",
    }[(strong, broad)]


class _Declared(NamedTuple):
    mentor: str
    type: str


def _system(resident: dict[str, object], dev: dict[str, object], home_institution: str | None) -> str:
    """Which social system a developer comes from, seen from the resident."""
    if dev["kind"] == "alumnus":
        return "alumni"
    if dev["kind"] in ("resident", "fellow"):
        return "peers"
    if dev["institution_id"] and home_institution and dev["institution_id"] != home_institution:
        return "other institutions"
    if (
        dev["specialty"]
        and resident["specialty"]
        and dev["specialty"] != resident["specialty"]
        and dev["role"] not in ("PD", "APD", "chief")
    ):
        return "other departments"
    return "own program"


def assess_mentorship(
    people: pd.DataFrame,
    mentorships: pd.DataFrame,
    ties: pd.DataFrame,
    metrics: pd.DataFrame | None = None,
    *,
    today: date,
    rules: MentorshipRules | None = None,
    departed: Iterable[str] = (),
    graph: TieIndex | None = None,
) -> pd.DataFrame:
    """Assess every resident's mentorship team and developmental network [1]_ [2]_.

    Parameters
    ----------
    people : pandas.DataFrame
        ``id, name, kind, role, specialty, pgy, institution_id``.
    mentorships : pandas.DataFrame
        ``mentor, mentee, type`` (clinical, research_qi, career, sponsor).
    ties : pandas.DataFrame
        Scored ties ``a, b, strength, last_contact``.
    metrics : pandas.DataFrame, optional
        ``person, burt_constraint``.
    today : datetime.date
        Reference date for activity.
    rules : MentorshipRules, optional
        Thresholds.
    departed : iterable of str, optional
        People who have left the home program (for the single-thread flag).
    graph : TieIndex, optional
        :func:`tie_index` of ``ties``, when the caller already built it.

    Returns
    -------
    pandas.DataFrame
        One row per resident: ``person, name, pgy, specialty, score, pgy_median,
        below_pgy_median, thin, missing_roles`` (list of role codes), ``stale``
        (list of :class:`StaleTie`), ``single_thread`` (list of role codes),
        ``network_type, network_range, systems`` (list), ``density,
        mean_strength, burt_constraint, developers, reasons`` (list of
        :class:`Reason`); thinnest first.

    References
    ----------
    .. [1] Higgins and Kram 2001, https://doi.org/10.5465/amr.2001.4378023
    .. [2] Burt 1992, https://doi.org/10.4159/9780674029095
    """
    r = rules or MentorshipRules()
    cols = ["name", "kind", "role", "specialty", "institution_id"]
    known = people[cols].astype(object)
    known = known.where(people[cols].notna(), None)
    by_id = {
        pid: dict(zip(cols, vals, strict=True))
        for pid, *vals in zip(people["id"], *(known[c].tolist() for c in cols), strict=True)
    }  # plain dicts: 100x faster than .loc
    residents = people[people["kind"] == "resident"]
    home = residents["institution_id"].mode().iloc[0] if residents["institution_id"].notna().any() else None
    index = graph if graph is not None else tie_index(ties)
    constraint = (
        {}
        if metrics is None or metrics.empty
        else dict(zip(metrics["person"], metrics["burt_constraint"], strict=True))
    )
    teams: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for mentor, mentee, kind in zip(mentorships["mentor"], mentorships["mentee"], mentorships["type"], strict=True):
        teams[mentee].append((mentor, kind))
    ctx = _Context(by_id, index, constraint, home, today, r, frozenset(departed))
    rows = [_assess_one(res, teams.get(res.id, []), ctx) for res in residents.itertuples(index=False)]
    out = pd.DataFrame(rows, columns=_COLUMNS)
    if out.empty:
        return out
    out["pgy_median"] = out.groupby("pgy", dropna=False)["score"].transform("median")
    out["thin"] = out["score"] < r.thin_below
    out["below_pgy_median"] = (out["score"] < out["pgy_median"]) & out["pgy"].notna()
    out["reasons"] = [
        [*reasons, Reason("below_pgy_median", detail=str(int(p)), number=s, median=m)] if b else reasons
        for reasons, p, s, m, b in zip(
            out["reasons"], out["pgy"], out["score"], out["pgy_median"], out["below_pgy_median"], strict=True
        )
    ]
    return out.sort_values(["score", "name"]).reset_index(drop=True)


_COLUMNS = [
    "person",
    "name",
    "pgy",
    "specialty",
    "score",
    "missing_roles",
    "stale",
    "single_thread",
    "network_type",
    "network_range",
    "systems",
    "density",
    "mean_strength",
    "burt_constraint",
    "developers",
    "reasons",
]


class _Context(NamedTuple):
    by_id: dict[str, dict[str, object]]
    ties: TieIndex
    constraint: dict[str, float]
    home: str | None
    today: date
    rules: MentorshipRules
    departed: frozenset[str]


@dataclass(frozen=True)
class TieIndex:
    """The ties as a sparse adjacency (CSR), for neighbour and pair lookups without a dict per person.

    Row ``i`` of the adjacency lists person ``ids[i]``'s neighbours
    (``indices[indptr[i]:indptr[i + 1]]``, ascending) and, aligned, the row of
    each tie in the tie frame (``edge``).
    """

    ids: np.ndarray
    code: dict[str, int]
    indptr: np.ndarray
    indices: np.ndarray
    edge: np.ndarray
    strength: np.ndarray
    last: np.ndarray

    def row(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Neighbours of person ``i`` and the ties to them, in the order the ties came."""
        lo, hi = self.indptr[i], self.indptr[i + 1]
        edge = self.edge[lo:hi]
        order = np.argsort(edge, kind="stable")
        return self.indices[lo:hi][order], edge[order]

    def tie(self, a: str, b: str) -> int:
        """Row of the tie between ``a`` and ``b`` (the last one given), or -1."""
        i, j = self.code.get(a, -1), self.code.get(b, -1)
        if i < 0 or j < 0:
            return -1
        lo, hi = self.indptr[i], self.indptr[i + 1]
        at = lo + np.searchsorted(self.indices[lo:hi], j, side="right") - 1
        return int(self.edge[at]) if at >= lo and self.indices[at] == j else -1

    def toward(self, keep: np.ndarray) -> TieIndex:
        """The same index with each row's neighbours kept to ``keep`` (a mask over people), in their order."""
        on = keep[self.indices]
        rows = np.repeat(np.arange(len(self.ids)), np.diff(self.indptr))
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows[on], minlength=len(self.ids)))])
        return TieIndex(self.ids, self.code, indptr, self.indices[on], self.edge[on], self.strength, self.last)

    def tied_pairs(self, people: list[int]) -> int:
        """How many pairs of ``people`` (codes) are tied."""
        if len(people) < 2:
            return 0
        inside = np.zeros(len(self.ids), dtype=bool)
        inside[people] = True
        hits = sum(int(inside[self.indices[self.indptr[i] : self.indptr[i + 1]]].sum()) for i in people)
        return hits // 2


def tie_index(ties: pd.DataFrame, graph: TieGraph | None = None) -> TieIndex:
    """Build the :class:`TieIndex` of a tie frame (``a, b, strength``, optional ``last_contact``).

    ``graph``, the :func:`~graph.analytics.centrality.tie_graph` of the same
    frame (same rows, same order), lends its person numbering.
    """
    m = len(ties)
    if graph is not None and graph.m == m:
        ids, a, b = graph.ids, graph.src, graph.dst
    else:
        codes, uniques = pd.factorize(pd.concat([ties["a"], ties["b"]], ignore_index=True))
        ids = np.asarray(uniques, dtype=object)
        a, b = codes[:m].astype(np.int64), codes[m:].astype(np.int64)
    rows, cols = np.concatenate([a, b]), np.concatenate([b, a])
    edge = np.tile(np.arange(m, dtype=np.int64), 2)
    n = len(ids)
    if n * n * max(m, 1) < 2**62:  # by person, neighbour, then tie (a repeated pair's last tie last): one sort key
        order = np.argsort((rows.astype(np.int64) * n + cols) * m + edge)
    else:
        order = np.lexsort((edge, cols, rows))
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))])
    last = ties["last_contact"].to_numpy(dtype=object) if "last_contact" in ties else np.full(m, None, dtype=object)
    return TieIndex(
        ids,
        {str(p): i for i, p in enumerate(ids.tolist())},
        indptr,
        cols[order],
        edge[order],
        ties["strength"].to_numpy(dtype=np.float64),
        last,
    )


def _assess_one(res: Any, team: list[tuple[str, str]], ctx: _Context) -> list[object]:  # res: a roster row (itertuples)
    by_id, r = ctx.by_id, ctx.rules
    have: dict[str, list[str]] = defaultdict(list)
    notes: list[Reason] = []
    stale: list[StaleTie] = []
    quiet: set[str] = set()
    active = 0
    today_ts = pd.Timestamp(ctx.today)
    for m in (_Declared(mentor, kind) for mentor, kind in team):
        mentor = by_id.get(m.mentor)
        if mentor is None:
            continue
        role_ok = True
        if (
            m.type == MentorType.CLINICAL
            and res.specialty
            and mentor["specialty"]
            and mentor["specialty"] != res.specialty
        ):
            role_ok = False
            notes.append(
                Reason(
                    "off_specialty",
                    role=m.type,
                    person=m.mentor,
                    name=str(mentor["name"]),
                    detail=str(mentor["specialty"]),
                )
            )
        if m.type == MentorType.CAREER and str(mentor["role"]).lower() not in CAREER_ROLES:
            role_ok = False
            notes.append(Reason("not_career_role", role=m.type, person=m.mentor, name=str(mentor["name"])))
        tie = ctx.ties.tie(res.id, m.mentor)
        seen = ctx.ties.last[tie] if tie >= 0 else None
        age = None if seen is None or pd.isna(seen) else (today_ts - pd.Timestamp(seen)).days
        if age is not None and age <= r.active_days:
            active += 1
        else:
            quiet.add(m.mentor)
            stale.append(StaleTie(m.mentor, str(mentor["name"]), m.type, age))
        if role_ok:
            have[m.type].append(m.mentor)
    missing = [t for t in ("clinical", "research_qi", "career", "sponsor") if not have.get(t)]
    threads = []
    for role in ("research_qi", "sponsor"):
        held = have.get(role, [])
        if len(held) == 1 and (held[0] in quiet or held[0] in ctx.departed):
            who = held[0]
            threads.append(role)
            how = "left" if who in ctx.departed else "quiet"
            notes.append(Reason("single_thread", role=role, person=who, name=str(by_id[who]["name"]), detail=how))
    me = ctx.ties.code.get(res.id, -1)
    near, via = ctx.ties.row(me) if me >= 0 else (np.zeros(0, np.int64), np.zeros(0, np.int64))
    tied = dict(zip(ctx.ties.ids[near].tolist(), ctx.ties.strength[via].tolist(), strict=True))
    devs = {mentor for mentor, _ in team} | {
        p for p, s in tied.items() if s >= r.developer_strength and p in by_id and by_id[p]["kind"] != "resident"
    }
    devs.discard(res.id)
    res_row = by_id[res.id]
    systems = sorted({_system(res_row, by_id[d], ctx.home) for d in devs if d in by_id})
    n_pairs = len(devs) * (len(devs) - 1) // 2
    coded = [ctx.ties.code[d] for d in devs if d in ctx.ties.code]
    density = ctx.ties.tied_pairs(coded) / n_pairs if n_pairs else 0.0
    dev_strengths = [tied.get(d, 0.0) for d in devs]
    mean_strength = sum(dev_strengths) / len(dev_strengths) if dev_strengths else 0.0
    n_declared = len(team)
    score = (
        25 * bool(have.get("clinical"))
        + 20 * bool(have.get("research_qi"))
        + 20 * bool(have.get("career"))
        + 10 * bool(have.get("sponsor"))
        + 15 * (active / n_declared if n_declared else 0.0)
        + 10 * min(len(systems), 4) / 4
    )
    reasons = [Reason("missing_role", role=t) for t in missing] + notes
    if stale:
        reasons.append(Reason("stale_ties", number=len(stale)))
    if len(systems) <= 1:
        reasons.append(Reason("narrow_range", number=len(systems), detail=", ".join(systems)))
    return [
        res.id,
        res.name,
        res.pgy,
        res.specialty,
        round(score, 1),
        missing,
        stale,
        threads,
        network_type(mean_strength, len(systems), r),
        len(systems),
        systems,
        round(density, 3),
        round(mean_strength, 3),
        ctx.constraint.get(res.id),
        len(devs),
        reasons,
    ]


def to_assessments(
    table: pd.DataFrame, suggestions: dict[str, list[Suggestion]], *, computed_at: str
) -> list[Assessment]:
    """Assessment records for the store: the structured fields as JSON (:func:`dump_items`)."""
    return [
        Assessment(
            id=stable_id("as", row.person),
            person=row.person,
            score=float(row.score),
            pgy=None if pd.isna(row.pgy) else int(row.pgy),
            pgy_median=float(row.pgy_median),
            missing_roles=json.dumps(list(row.missing_roles)),
            stale=dump_items(row.stale),
            network_type=row.network_type,
            network_range=int(row.network_range),
            density=float(row.density),
            burt_constraint=None
            if row.burt_constraint is None or pd.isna(row.burt_constraint)
            else float(row.burt_constraint),
            reasons=dump_items(row.reasons),
            suggestions=dump_items(suggestions.get(row.person, [])),
            computed_at=computed_at,
            source="analyze",
        )
        for row in table.itertuples(index=False)
    ]


def assessment_table(stored: pd.DataFrame, rules: MentorshipRules | None = None) -> pd.DataFrame:
    """Stored assessments (with ``name`` and ``specialty``) as data, thinnest first.

    Returns
    -------
    pandas.DataFrame
        ``person, name, pgy, specialty, score, thin, pgy_median,
        below_pgy_median, missing_roles`` (role codes), ``stale``
        (:class:`StaleTie`), ``single_thread`` (role codes), ``network_type,
        network_range, density, burt_constraint, reasons`` (:class:`Reason`),
        ``suggestions`` (:class:`Suggestion`).
    """
    r = rules or MentorshipRules()
    a = stored.copy()
    a["missing_roles"] = [_codes(x) for x in a["missing_roles"]]
    a["stale"] = [load_items(x, StaleTie) for x in a["stale"]]
    a["reasons"] = [load_items(x, Reason) for x in a["reasons"]]
    a["suggestions"] = [load_items(x, Suggestion) for x in a["suggestions"]]
    a["single_thread"] = [[x.role for x in rs if x.kind == "single_thread"] for rs in a["reasons"]]
    a["thin"] = a["score"] < r.thin_below
    a["below_pgy_median"] = (a["score"] < a["pgy_median"]) & a["pgy"].notna()
    cols = [
        "person",
        "name",
        "pgy",
        "specialty",
        "score",
        "thin",
        "pgy_median",
        "below_pgy_median",
        "missing_roles",
        "stale",
        "single_thread",
        "network_type",
        "network_range",
        "density",
        "burt_constraint",
        "reasons",
        "suggestions",
    ]
    return a[cols].sort_values(["score", "name"]).reset_index(drop=True)


def _codes(text: object) -> list[str]:
    """Missing roles as stored: a JSON list of codes (older stores: the role words, comma-joined)."""
    items = load_items(text, str)
    if items or not str(text or "").strip():
        return [str(x) for x in items]
    return [code for code, label in ROLE_LABELS.items() if label in str(text)]


def suggest_mentors(
    table: pd.DataFrame,
    people: pd.DataFrame,
    ties: pd.DataFrame,
    mentorships: pd.DataFrame,
    authorships: pd.DataFrame,
    *,
    per_role: int = 2,
    graph: TieIndex | None = None,
) -> dict[str, list[Suggestion]]:
    """Suggest people who would fill each missing role, reachable through warm paths.

    Candidates: clinical - faculty in the resident's area of interest;
    research/QI - faculty with at least two publications; career - the PD, APDs
    and chiefs; sponsor - program leadership and the most-published faculty.
    Warmth is the best product of tie strengths over at most two hops (a direct
    tie, or an introduction by a mutual contact), as in :mod:`graph.analytics.paths`.

    Returns
    -------
    dict
        Resident id to :class:`Suggestion` items, ``per_role`` for each missing
        role, warmest first (warmth 0: no warm path yet).
    """
    index = graph if graph is not None else tie_index(ties)
    names = dict(zip(people["id"], people["name"], strict=True))
    faculty = people[people["kind"].isin(["faculty", "fellow"])]
    roles = faculty["role"].fillna("").str.lower()
    papers = authorships.groupby("person").size() if not authorships.empty else pd.Series(dtype=int)
    prolific = set(papers[papers >= 2].index)
    pools = {
        "research_qi": set(faculty.loc[faculty["id"].isin(prolific), "id"]),
        "career": set(faculty.loc[roles.isin(CAREER_ROLES), "id"]),
        "sponsor": set(faculty.loc[roles.isin(SPONSOR_ROLES), "id"])
        | set(papers.sort_values().index[-10:]) & set(faculty["id"]),
    }
    mentors_of = mentorships.groupby("mentee")["mentor"].agg(set).to_dict() if not mentorships.empty else {}
    by_specialty = faculty.groupby("specialty")["id"].agg(set).to_dict()
    candidates = np.zeros(len(index.ids), dtype=bool)  # every pool is faculty: two-hop reach to no one else
    candidates[[index.code[p] for p in faculty["id"] if p in index.code]] = True
    to_candidates = index.toward(candidates)  # the second hop of a warm path
    coded: dict[tuple[str, str | None], np.ndarray] = {}  # each pool's people as tie-index codes
    _, name_rank = np.unique(
        np.array([names.get(i, "") for i in index.ids.tolist()], dtype=object), return_inverse=True
    )
    out: dict[str, list[Suggestion]] = {}
    for row in table.itertuples(index=False):
        wanted = [t for t in ROLE_LABELS if t in row.missing_roles]
        if not wanted:
            out[row.person] = []
            continue
        best, hop = _reach(index.code.get(row.person, -1), index, to_candidates)
        exclude = mentors_of.get(row.person, set()) | {row.person}
        best[[index.code[c] for c in exclude if c in index.code]] = 0.0  # never suggested: as if out of reach
        picks: list[Suggestion] = []
        for role in wanted:
            key = ("clinical", row.specialty) if role == "clinical" else (role, None)
            if key not in coded:
                members = by_specialty.get(row.specialty, set()) if role == "clinical" else pools[role]
                coded[key] = np.array(sorted(index.code[c] for c in members if c in index.code), dtype=np.int64)
            near = coded[key][best[coded[key]] > 0]
            # warmest first, then by name, then in code order (as a stable sort of the codes would)
            top = near[np.lexsort((near, name_rank[near], -best[near]))[:per_role]]
            ranked = [
                ((float(best[i]), None if hop[i] < 0 else str(index.ids[hop[i]])), str(index.ids[i]))
                for i in top.tolist()
            ]
            if len(ranked) < per_role:  # fill with people not yet reachable, by name
                pool = (by_specialty.get(row.specialty, set()) if role == "clinical" else pools[role]) - exclude
                reached = set(index.ids[near].tolist())
                cold = sorted(pool - reached, key=lambda c: names.get(c, ""))[: per_role - len(ranked)]
                ranked += [((0.0, None), c) for c in cold]
            for (warmth, via), cand in ranked[:per_role]:
                picks.append(
                    Suggestion(
                        cand, names.get(cand, cand), role, round(float(warmth), 3), via, names.get(via) if via else None
                    )
                )
        out[row.person] = picks
    return out


def _reach(src: int, ties: TieIndex, second: TieIndex) -> tuple[np.ndarray, np.ndarray]:
    """Best strength product from ``src`` to everyone within two hops, and the mutual contact (-1: direct).

    A two-hop path replaces a direct tie only when its product is larger;
    among equal products the first mutual contact (in tie order) is kept.
    Two-hop paths are searched along ``second`` only (:meth:`TieIndex.toward` the candidates); everyone
    else gets 0.
    """
    n = len(ties.ids)
    warmth, through = np.zeros(n), np.full(n, -1, dtype=np.int64)
    if src < 0:
        return warmth, through
    mine, edges = ties.row(src)
    s1 = ties.strength[edges]
    lo, hi = second.indptr[mine], second.indptr[mine + 1]
    lens = hi - lo
    flat = np.repeat(lo - np.cumsum(lens) + lens, lens) + np.arange(lens.sum())
    far, via = second.indices[flat], np.repeat(mine, lens)
    product = np.repeat(s1, lens) * ties.strength[second.edge[flat]]
    keep = far != src
    far, via, product = far[keep], via[keep], product[keep]
    top = np.zeros(n)  # per person: the largest product, then the first path met with it (no sort)
    np.maximum.at(top, far, product)
    hit = np.flatnonzero(product == top[far])
    best = hit[np.unique(far[hit], return_index=True)[1]]  # the first occurrence of each
    far, via, product = far[best], via[best], product[best]
    warmth[mine] = s1  # direct ties (a repeated pair: its last tie)
    better = product > warmth[far]
    warmth[far[better]] = product[better]
    through[far[better]] = via[better]
    return warmth, through
