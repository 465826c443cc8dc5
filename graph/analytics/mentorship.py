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
12 months 15, range (systems, capped at 4) 10.  Each resident is compared
with the median score of their PGY year.

References
----------
.. [1] Higgins, M. C. and Kram, K. E. Reconceptualizing mentoring at work: a
   developmental network perspective. Academy of Management Review
   26(2):264-288, 2001. https://doi.org/10.5465/amr.2001.4378023
.. [2] Burt, R. S. Structural Holes: The Social Structure of Competition.
   Harvard University Press, 1992. https://doi.org/10.4159/9780674029095
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from typing import NamedTuple

import pandas as pd

from graph.model import Assessment, MentorType, stable_id

__all__ = ["CAREER_ROLES", "MentorshipRules", "assess_mentorship", "network_type", "suggest_mentors", "to_assessments"]

log = logging.getLogger(__name__)

CAREER_ROLES = frozenset({"pd", "apd", "chief", "program director", "associate program director", "chief resident"})
SPONSOR_ROLES = CAREER_ROLES | {"division chief", "chair", "vice chair", "dean"}
ROLE_LABELS = {
    "clinical": "clinical mentor in the area of interest",
    "research_qi": "research/QI mentor",
    "career": "career mentor (PD, APD or chief)",
    "sponsor": "sponsor",
}


@dataclass(frozen=True)
class MentorshipRules:
    """Thresholds of the assessment, all configurable."""

    active_days: int = 365  # a key tie must be touched within 6-12 months
    due_days: int = 183
    developer_strength: float = 0.3
    strong_mean: float = 0.35  # mean developer strength above which ties are "strong"
    broad_range: int = 3  # systems from which a network counts as "broad"
    thin_below: float = 60.0


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

    Returns
    -------
    pandas.DataFrame
        One row per resident: ``person, name, pgy, specialty, score, pgy_median,
        missing_roles, stale, network_type, network_range, systems, density,
        mean_strength, burt_constraint, developers, thin, reasons``; thinnest
        first.

    References
    ----------
    .. [1] Higgins and Kram 2001, https://doi.org/10.5465/amr.2001.4378023
    .. [2] Burt 1992, https://doi.org/10.4159/9780674029095
    """
    r = rules or MentorshipRules()
    cols = ["name", "kind", "role", "specialty", "institution_id"]
    by_id = {
        pid: {c: (None if pd.isna(v) else v) for c, v in zip(cols, vals, strict=True)}
        for pid, *vals in people[["id", *cols]].itertuples(index=False)
    }  # plain dicts: 100x faster than .loc
    residents = people[people["kind"] == "resident"]
    home = residents["institution_id"].mode().iloc[0] if residents["institution_id"].notna().any() else None
    strength, last = _tie_lookup(ties)
    nbrs: dict[str, dict[str, float]] = defaultdict(dict)
    for a, b, s in zip(ties["a"], ties["b"], ties["strength"], strict=True):
        nbrs[a][b] = s
        nbrs[b][a] = s
    constraint = (
        {}
        if metrics is None or metrics.empty
        else dict(zip(metrics["person"], metrics["burt_constraint"], strict=True))
    )
    teams: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for mentor, mentee, kind in zip(mentorships["mentor"], mentorships["mentee"], mentorships["type"], strict=True):
        teams[mentee].append((mentor, kind))
    rows = []
    for res in residents.itertuples(index=False):
        rows.append(_assess_one(res, teams.get(res.id, []), by_id, nbrs, strength, last, constraint, home, today, r))
    out = pd.DataFrame(rows, columns=_COLUMNS)
    if out.empty:
        return out
    out["pgy_median"] = out.groupby("pgy", dropna=False)["score"].transform("median")
    out["thin"] = out["score"] < r.thin_below
    below = out["score"] < out["pgy_median"]
    out["reasons"] = [
        "; ".join(
            filter(None, [reason, f"below the PGY-{int(p)} median ({s:.0f} vs {m:.0f})" if b and pd.notna(p) else ""])
        )
        for reason, p, s, m, b in zip(out["reasons"], out["pgy"], out["score"], out["pgy_median"], below, strict=True)
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
    "network_type",
    "network_range",
    "systems",
    "density",
    "mean_strength",
    "burt_constraint",
    "developers",
    "reasons",
]


def _tie_lookup(ties: pd.DataFrame) -> tuple[dict[frozenset[str], float], dict[frozenset[str], str | None]]:
    keys = [frozenset(p) for p in zip(ties["a"], ties["b"], strict=True)]
    return dict(zip(keys, ties["strength"], strict=True)), dict(zip(keys, ties["last_contact"], strict=True))


def _assess_one(
    res,
    team: list[tuple[str, str]],
    by_id: dict[str, dict[str, object]],
    nbrs,
    strength,
    last,
    constraint,
    home,
    today: date,  # noqa: ANN001
    r: MentorshipRules,
) -> list[object]:
    have: dict[str, list[str]] = defaultdict(list)
    notes: list[str] = []
    stale: list[str] = []
    active = 0
    today_ts = pd.Timestamp(today)
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
            notes.append(f"clinical mentor {mentor['name']} is in {mentor['specialty']}, not {res.specialty}")
        if m.type == MentorType.CAREER and str(mentor["role"]).lower() not in CAREER_ROLES:
            role_ok = False
            notes.append(f"career mentor {mentor['name']} is not the PD, an APD or a chief")
        seen = last.get(frozenset((res.id, m.mentor)))
        age = None if seen is None or pd.isna(seen) else (today_ts - pd.Timestamp(seen)).days
        if age is not None and age <= r.active_days:
            active += 1
        else:
            when = "never in the records" if age is None else f"{age // 30} months ago"
            stale.append(f"{mentor['name']} ({m.type}, last contact {when})")
        if role_ok:
            have[m.type].append(m.mentor)
    missing = [t for t in ("clinical", "research_qi", "career") if not have.get(t)]
    if not have.get("sponsor"):
        missing.append("sponsor")
    devs = {mentor for mentor, _ in team} | {
        p
        for p, s in nbrs.get(res.id, {}).items()
        if s >= r.developer_strength and p in by_id and by_id[p]["kind"] != "resident"
    }
    devs.discard(res.id)
    res_row = by_id[res.id]
    systems = sorted({_system(res_row, by_id[d], home) for d in devs if d in by_id})
    pairs = list(combinations(sorted(devs), 2))
    density = sum(1 for a, b in pairs if b in nbrs.get(a, {})) / len(pairs) if pairs else 0.0
    dev_strengths = [strength.get(frozenset((res.id, d)), 0.0) for d in devs]
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
    reasons = [f"no {ROLE_LABELS[t]}" for t in missing] + notes
    if stale:
        reasons.append(f"{len(stale)} mentor tie{'s' if len(stale) > 1 else ''} not touched in 12 months")
    if len(systems) <= 1:
        reasons.append(f"network range {len(systems)} ({', '.join(systems) or 'no developers'})")
    return [
        res.id,
        res.name,
        res.pgy,
        res.specialty,
        round(score, 1),
        ", ".join(ROLE_LABELS[t] for t in missing),
        "; ".join(stale),
        network_type(mean_strength, len(systems), r),
        len(systems),
        ", ".join(systems),
        round(density, 3),
        round(mean_strength, 3),
        constraint.get(res.id),
        len(devs),
        "; ".join(reasons),
    ]


def to_assessments(table: pd.DataFrame, suggestions: dict[str, str], *, computed_at: str) -> list[Assessment]:
    """Assessment records for the store."""
    return [
        Assessment(
            id=stable_id("as", row.person),
            person=row.person,
            score=float(row.score),
            pgy=None if pd.isna(row.pgy) else int(row.pgy),
            pgy_median=float(row.pgy_median),
            missing_roles=row.missing_roles,
            stale=row.stale,
            network_type=row.network_type,
            network_range=int(row.network_range),
            density=float(row.density),
            burt_constraint=None
            if row.burt_constraint is None or pd.isna(row.burt_constraint)
            else float(row.burt_constraint),
            reasons=row.reasons,
            suggestions=suggestions.get(row.person, ""),
            computed_at=computed_at,
            source="analyze",
        )
        for row in table.itertuples(index=False)
    ]


def suggest_mentors(
    table: pd.DataFrame,
    people: pd.DataFrame,
    ties: pd.DataFrame,
    mentorships: pd.DataFrame,
    authorships: pd.DataFrame,
    *,
    per_role: int = 2,
) -> dict[str, str]:
    """Suggest people who would fill each missing role, reachable through warm paths.

    Candidates: clinical - faculty in the resident's area of interest;
    research/QI - faculty with at least two publications; career - the PD, APDs
    and chiefs; sponsor - program leadership and the most-published faculty.
    Warmth is the best product of tie strengths over at most two hops (a direct
    tie, or an introduction by a mutual contact), as in :mod:`graph.analytics.paths`.

    Returns
    -------
    dict
        Resident id to a ``"; "``-joined list such as
        ``"Dr A (research/QI mentor, via Ben Ode, warmth 0.31)"``.
    """
    nbrs: dict[str, dict[str, float]] = defaultdict(dict)
    for a, b, s in zip(ties["a"], ties["b"], ties["strength"], strict=True):
        nbrs[a][b] = s
        nbrs[b][a] = s
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
    out: dict[str, str] = {}
    for row in table.itertuples(index=False):
        wanted = [t for t, label in ROLE_LABELS.items() if label in row.missing_roles]
        reach = _reach(row.person, nbrs) if wanted else {}
        exclude = mentors_of.get(row.person, set()) | {row.person}
        picks = []
        for role in wanted:
            pool = (by_specialty.get(row.specialty, set()) if role == "clinical" else pools[role]) - exclude
            ranked = sorted(((reach[c], c) for c in pool if c in reach), key=lambda t: (-t[0][0], names.get(t[1], "")))
            if len(ranked) < per_role:  # fill with people not yet reachable, by name
                cold = sorted(pool - reach.keys(), key=lambda c: names.get(c, ""))[: per_role - len(ranked)]
                ranked += [((0.0, None), c) for c in cold]
            for (warmth, via), cand in ranked[:per_role]:
                how = (
                    "no warm path yet"
                    if warmth == 0
                    else ("direct tie" if via is None else f"via {names.get(via, via)}")
                )
                picks.append(f"{names.get(cand, cand)} ({ROLE_LABELS[role]}, {how}, warmth {warmth:.2f})")
        out[row.person] = "; ".join(picks)
    return out


def _reach(src: str, nbrs: dict[str, dict[str, float]]) -> dict[str, tuple[float, str | None]]:
    """Everyone within two hops of src: best strength product and the mutual contact (None if direct)."""
    mine = nbrs.get(src, {})
    out: dict[str, tuple[float, str | None]] = {m: (s, None) for m, s in mine.items()}
    for m, s1 in mine.items():
        for c, s2 in nbrs.get(m, {}).items():
            if c != src and s1 * s2 > out.get(c, (0.0, None))[0]:
                out[c] = (s1 * s2, m)
    return out
