r"""Tie strength: one score in [0, 1] per pair of people who know each other.

Granovetter [1]_ defines the strength of a tie as a combination of time,
emotional intensity, intimacy and reciprocal services.  Marsden and Campbell
[2]_ found closeness the best indicator and showed that frequency overstates
strength between coworkers, whose contact the workplace forces.  Gilbert and
Karahalios [3]_ predict strength from intensity, intimacy, duration, reciprocal
services, structure and social distance.  tiegraph scores the evidence it has
along those dimensions:

==============  ===========================================================  =======
component       evidence                                                     weight
==============  ===========================================================  =======
intensity       :math:`x/(x+60)` of :math:`x=\sum_i r_i c_i m_i`, the time   0.35
                together in minutes [2]_ [5]_: :math:`m_i` the contact's
                duration, 30 when the source gives none;
                :math:`r_i = 2^{-age/h}` (half-life *h*, default 180 d,
                age counted from the as-of date), :math:`c_i` 1 if chosen,
                0.35 if the schedule forced it (same rotation block)
structure       distinct shared contexts (services, venues), capped at 4     0.10
collaboration   :math:`1-e^{-\sum_p w_p}`, Newman's [4]_ :math:`1/(n_p-1)`   0.15
                per shared paper of at most 100 authors, ×1.5 when one is
                first and one last author
mentorship      1 when one mentors the other                                 0.20
reciprocity     :math:`\min(i_a, i_b)/\max(i_a, i_b)` of initiated contacts  0.08
duration        first to last contact, capped at one year                    0.07
intimacy        notes with words of closeness (thanks, advice, dinner …)     0.05
==============  ===========================================================  =======

Intensity is time as well as frequency: Marsden and Campbell [2]_ measure
a tie's intensity by the amount of time spent in contact as well as how
often, and Onnela et al. [5]_ weigh a tie by the aggregated duration of its
calls.  Each contact adds its minutes (a contact of unknown length counts
as ``minutes_per_contact``), so where the data has durations strength ranks
pairs by time together; the saturating :math:`x/(x+60)` keeps a rank for
every amount of time where :math:`1-e^{-n/3}` made every pair with ten
contacts equal.  Planned (future) meetings are not contacts.

Ages are counted from an as-of date, not the wall clock: by default the
latest contact date of each source (a 2015 contact log is scored as of its
own end, a live calendar as of its own), so an old log keeps its ranks
instead of decaying to the floor together (:func:`as_of_dates`).

A paper with more than ``max_authors`` (default 100) authors adds no
co-author ties by itself: the bibliometric practice for hyperauthorship [6]_,
whose thousand-author collaborations say nothing about who works with whom.
It stays a publication of each of its authors, and it counts (with Newman's
[4]_ :math:`1/(n-1)`) as evidence only between two of its authors who are
tied by something else: a smaller paper, a contact or a mentorship.

The score is the weighted sum (weights in :class:`TieWeights`, all
configurable), floored at 1e-6 so that path costs :math:`-\log s` stay
finite without making weak ties equal.
A tie where one side initiated every one of three or more contacts is marked
transactional.  Nothing depends on institutions or e-mail domains: ties inside
one hospital count like any other.

References
----------
.. [1] Granovetter, M. S. The strength of weak ties. American Journal of
   Sociology 78(6):1360-1380, 1973. https://doi.org/10.1086/225469
.. [2] Marsden, P. V. and Campbell, K. E. Measuring tie strength. Social
   Forces 63(2):482-501, 1984. https://doi.org/10.2307/2579058
.. [3] Gilbert, E. and Karahalios, K. Predicting tie strength with social
   media. CHI 2009, 211-220. https://doi.org/10.1145/1518701.1518736
.. [4] Newman, M. E. J. Scientific collaboration networks. II. Shortest
   paths, weighted networks, and centrality. Phys. Rev. E 64:016132, 2001.
   https://doi.org/10.1103/PhysRevE.64.016132
.. [5] Onnela, J.-P. et al. Structure and tie strengths in mobile
   communication networks. PNAS 104(18):7332-7336, 2007.
   https://doi.org/10.1073/pnas.0610245104
.. [6] Cronin, B. Hyperauthorship: a postmodern perversion or evidence of
   a structural shift in scholarly communication practices? JASIST
   52(7):558-569, 2001. https://doi.org/10.1002/asi.1097
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date

import numpy as np
import pandas as pd

from graph.model import Tie

__all__ = [
    "CLOSENESS_WORDS",
    "MAX_AUTHORS",
    "TIE_COLUMNS",
    "TieWeights",
    "as_of_dates",
    "hyperauthored",
    "score_ties",
    "tie_reasons",
    "tie_table",
    "to_ties",
]

log = logging.getLogger(__name__)

CLOSENESS_WORDS = (
    "thank",
    "advice",
    "advise",
    "dinner",
    "lunch",
    "coffee",
    "family",
    "congrat",
    "celebrat",
    "personal",
    "support",
    "mentor",
    "encourag",
    "career",
    "wedding",
    "baby",
)
"""Words in a note that signal closeness rather than business (Marsden & Campbell's intimacy)."""

UNKNOWN_AGE_DAYS = 730.0
"""Age assumed for a contact whose date is unknown (a tracker row without one)."""

MAX_AUTHORS = 100
"""Papers with more authors give no co-author ties (hyperauthorship, Cronin 2001)."""


@dataclass(frozen=True)
class TieWeights:
    """Weights of the tie-strength components and their tuning constants."""

    intensity: float = 0.35
    structure: float = 0.10
    collaboration: float = 0.15
    mentorship: float = 0.20
    reciprocity: float = 0.08
    duration: float = 0.07
    intimacy: float = 0.05
    half_life_days: float = 180.0
    scheduled_factor: float = 0.35
    intensity_minutes: float = 60.0  # minutes together (recency-weighted) that give intensity 0.5
    minutes_per_contact: float = 30.0  # a contact whose source gives no duration
    floor: float = 1e-6


def _pair(a: pd.Series, b: pd.Series) -> tuple[pd.Series, pd.Series]:
    lo = a.where(a < b, b)
    hi = b.where(a < b, a)
    return lo, hi


def score_ties(
    interactions: pd.DataFrame,
    authorships: pd.DataFrame,
    mentorships: pd.DataFrame,
    *,
    as_of: date | Mapping[str, date],
    weights: TieWeights | None = None,
    max_authors: int = MAX_AUTHORS,
) -> pd.DataFrame:
    """Score every pair with evidence of a tie (see the module docstring) [1]_ [2]_ [3]_ [4]_.

    Parameters
    ----------
    interactions : pandas.DataFrame
        Columns ``a, b, date, scheduled, initiated_by, note, context, venue``;
        optional ``duration_min`` (minutes together), ``planned`` (left out)
        and ``source`` (the key of ``as_of``).
    authorships : pandas.DataFrame
        Columns ``person, publication, position, n_authors``.
    mentorships : pandas.DataFrame
        Columns ``mentor, mentee, type``.
    as_of : datetime.date or mapping of str to datetime.date
        The date ages are measured from, one for all or one per source
        (:func:`as_of_dates`); contacts after it are left out.
    weights : TieWeights, optional
        Component weights; the defaults are documented above.
    max_authors : int, default 100
        Papers with more authors give no co-author ties.

    Returns
    -------
    pandas.DataFrame
        One row per unordered pair (``a < b``): ``a, b, strength`` and the
        components, ``n_interactions, n_scheduled, last_contact, first_contact,
        contexts, papers, mentor_types, initiated_a, initiated_b, transactional``
        and ``minutes`` (time together, unweighted).

    References
    ----------
    .. [1] Granovetter 1973, https://doi.org/10.1086/225469
    .. [2] Marsden and Campbell 1984, https://doi.org/10.2307/2579058
    .. [3] Gilbert and Karahalios 2009, https://doi.org/10.1145/1518701.1518736
    .. [4] Onnela et al. 2007, https://doi.org/10.1073/pnas.0610245104
    """
    w = weights or TieWeights()
    people = _People.of(interactions, authorships, mentorships)
    interactions, authorships, mentorships = people.coded(interactions, authorships, mentorships)
    inter = _interaction_evidence(interactions, as_of, w, people)
    small, hyper = _split_papers(authorships, max_authors)
    papers = _collaboration_evidence(small, people)
    mentors = _mentorship_evidence(mentorships, people)
    papers = _with_hyperauthored(papers, hyper, inter.index.union(papers.index).union(mentors.index), people)
    ties = inter.join(papers, how="outer").join(mentors, how="outer").sort_index()
    key = ties.index.to_numpy(dtype=np.int64)
    ties = ties.reset_index(drop=True).reindex(columns=_EVIDENCE)
    ties.insert(0, "b", people.ids[key % people.n])
    ties.insert(0, "a", people.ids[key // people.n])
    zeros = {
        "n_interactions": 0,
        "n_scheduled": 0,
        "recency_sum": 0.0,
        "minutes": 0.0,
        "contexts": 0,
        "papers": 0,
        "paper_weight": 0.0,
        "initiated_a": 0,
        "initiated_b": 0,
        "close_notes": 0,
        "span_days": 0.0,
        "mentor_types": "",
    }
    ties = ties.fillna(zeros).infer_objects()
    for col in ("n_interactions", "n_scheduled", "contexts", "papers", "initiated_a", "initiated_b", "close_notes"):
        ties[col] = ties[col].astype(int)
    ties["intensity"] = ties["recency_sum"] / (ties["recency_sum"] + w.intensity_minutes)
    ties["structure"] = np.minimum(ties["contexts"], 4) / 4.0
    ties["collaboration"] = 1.0 - np.exp(-ties["paper_weight"])
    ties["mentorship"] = (ties["mentor_types"] != "").astype(float)
    hi = np.maximum(ties["initiated_a"], ties["initiated_b"])
    lo = np.minimum(ties["initiated_a"], ties["initiated_b"])
    ties["reciprocity"] = np.where(hi > 0, lo / hi.where(hi > 0, 1), 0.0)
    ties["duration"] = np.minimum(ties["span_days"] / 365.0, 1.0)
    ties["intimacy"] = (ties["close_notes"] > 0).astype(float)
    ties["transactional"] = (lo == 0) & (hi >= 3)
    score = sum(getattr(w, c) * ties[c] for c in _COMPONENTS)
    ties["strength"] = np.clip(score, w.floor, 1.0)
    return ties


@dataclass(frozen=True)
class _People:
    """Every person id of the evidence, sorted: an unordered pair is the int key ``lo * n + hi`` of their codes.

    Codes sort as the ids do, so keys sort as the pairs ``(a, b)`` with ``a < b``;
    grouping and joining on one int key is what makes scoring 2M ties fast.
    Every id column of the evidence is hashed once (one factorize of them
    all); after that the evidence is compared, grouped and joined as ints.
    """

    ids: np.ndarray  # object, sorted
    columns: tuple[np.ndarray, ...]  # the code of each id column of :meth:`of`, -1 where unset

    @classmethod
    def of(cls, interactions: pd.DataFrame, authorships: pd.DataFrame, mentorships: pd.DataFrame) -> _People:
        cols = [(interactions, c) for c in _INTERACTION_IDS] + [(authorships, "person")]
        cols += [(mentorships, c) for c in ("mentor", "mentee")]
        parts = [_ids_of(df, c) for df, c in cols]
        codes, uniques = pd.factorize(np.concatenate(parts)) if parts else (np.zeros(0, np.int64), [])
        uniques = np.asarray(uniques, dtype=object)
        order = np.argsort(uniques, kind="stable")
        rank = np.empty(len(order) + 1, dtype=np.int64)
        rank[order] = np.arange(len(order))
        rank[-1] = -1  # factorize's code of an unset id
        ranked = rank[codes]
        bounds = np.cumsum([0] + [len(p) for p in parts])
        return cls(uniques[order], tuple(ranked[i:j] for i, j in zip(bounds[:-1], bounds[1:], strict=True)))

    @property
    def n(self) -> int:
        return max(len(self.ids), 1)

    def coded(
        self, interactions: pd.DataFrame, authorships: pd.DataFrame, mentorships: pd.DataFrame
    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """The three frames with their id columns replaced by codes (as in :meth:`of`)."""
        code = iter(self.columns)
        out = []
        for df, names in (
            (interactions, _INTERACTION_IDS),
            (authorships, ("person",)),
            (mentorships, ("mentor", "mentee")),
        ):
            swap = {c: next(code) for c in names}
            out.append(df.assign(**{c: v for c, v in swap.items() if c in df}) if not df.empty else df)
        return out[0], out[1], out[2]

    def keys(self, a: pd.Series, b: pd.Series) -> np.ndarray:
        """The key of each unordered pair of codes (never equal)."""
        x, y = a.to_numpy(np.int64), b.to_numpy(np.int64)
        out: np.ndarray = np.minimum(x, y) * self.n + np.maximum(x, y)
        return out


_INTERACTION_IDS = ("a", "b", "initiated_by")


def _ids_of(df: pd.DataFrame, column: str) -> np.ndarray:
    """The ids of one column as str objects, None where unset; an empty array for an absent column or frame."""
    if df.empty or column not in df:
        return np.zeros(0, dtype=object)
    col = df[column]
    unset = col.isna().to_numpy()
    values: np.ndarray = col.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(values[~unset], skipna=True) != "string":  # ids are str; anything else as its str
        values = np.array([None if u else str(v) for v, u in zip(values, unset, strict=True)], dtype=object)
    elif unset.any():
        values = values.copy()  # the caller's frame keeps its NaN
        values[unset] = None
    return values


def _empty(*columns: str) -> pd.DataFrame:
    return pd.DataFrame(columns=list(columns), index=pd.Index([], dtype=np.int64))


_EVIDENCE = (
    "n_interactions",
    "n_scheduled",
    "recency_sum",
    "minutes",
    "contexts",
    "initiated_a",
    "initiated_b",
    "close_notes",
    "first_contact",
    "last_contact",
    "span_days",
    "papers",
    "paper_weight",
    "mentor_types",
)
_COMPONENTS = ("intensity", "structure", "collaboration", "mentorship", "reciprocity", "duration", "intimacy")


def as_of_dates(interactions: pd.DataFrame, as_of: date | None = None) -> dict[str, date]:
    """The date each source's contacts are aged from: ``as_of`` for all, else the source's latest contact.

    Parameters
    ----------
    interactions : pandas.DataFrame
        Columns ``date`` (YYYY-MM-DD or empty) and ``source``; optional ``planned``.
    as_of : datetime.date, optional
        One date for every source (``tiegraph analyze --as-of``).

    Returns
    -------
    dict of str to datetime.date
        Source name to as-of date; sources without a dated contact are absent.

    Examples
    --------
    >>> df = pd.DataFrame({"a": ["p1", "p1", "p2"], "b": ["p2", "p3", "p3"],
    ...                    "date": ["2015-06-01", "2015-06-19", "2026-11-30"],
    ...                    "source": ["contacts", "contacts", "calendar"]})
    >>> {k: str(v) for k, v in as_of_dates(df).items()}
    {'calendar': '2026-11-30', 'contacts': '2015-06-19'}
    """
    if interactions.empty or "date" not in interactions:
        return {}
    df = _contacts(interactions)
    when = pd.to_datetime(df["date"].replace("", None), format="%Y-%m-%d", errors="coerce")
    source = df["source"].fillna("") if "source" in df else pd.Series("", index=df.index)
    latest = when.groupby(source).max().dropna()
    return {str(k): as_of or v.date() for k, v in sorted(latest.items())}


def _contacts(df: pd.DataFrame) -> pd.DataFrame:
    """Contacts that happened: self-contacts and planned (future) meetings left out."""
    keep = df["a"] != df["b"]
    if "planned" in df:
        keep &= ~df["planned"].fillna(False).astype(bool)
    return df[keep]


def _interaction_evidence(
    df: pd.DataFrame, as_of: date | Mapping[str, date], w: TieWeights, people: _People
) -> pd.DataFrame:
    if df.empty:
        return _empty()
    df = _contacts(df)
    when = pd.to_datetime(df["date"].replace("", None), format="%Y-%m-%d", errors="coerce")
    if isinstance(as_of, Mapping):
        source = df["source"].fillna("") if "source" in df else pd.Series("", index=df.index)
        end = pd.to_datetime(source.map({k: pd.Timestamp(v) for k, v in as_of.items()}))
        end = end.fillna(when.max() if when.notna().any() else pd.Timestamp(date.today()))
    else:
        end = pd.Series(pd.Timestamp(as_of), index=df.index)
    keep = ~(when > end)  # after the as-of date: not yet happened
    df, when, end = df[keep], when[keep], end[keep]
    a, b = _pair(df["a"], df["b"])
    age = (end - when).dt.days.astype(float).fillna(UNKNOWN_AGE_DAYS).clip(lower=0)
    chosen = np.where(df["scheduled"].astype(bool), w.scheduled_factor, 1.0)
    given = pd.to_numeric(df["duration_min"], errors="coerce") if "duration_min" in df else None
    minutes = (given if given is not None else pd.Series(np.nan, index=df.index)).fillna(w.minutes_per_contact)
    notes, distinct = pd.factorize(df["note"].fillna(""))  # logs repeat their notes: search each once
    said = pd.Series(distinct, dtype=object).str.lower().str.contains("|".join(CLOSENESS_WORDS), regex=True)
    close = pd.Series(said.to_numpy(dtype=bool)[notes] if len(distinct) else np.zeros(len(df), bool), index=df.index)
    ctx = df["context"].fillna("") + ":" + df["venue"].fillna("")
    frame = pd.DataFrame(
        {
            "key": people.keys(a, b),
            "recency": np.power(0.5, age / w.half_life_days) * chosen * minutes.values,
            "minutes": minutes.values,
            "scheduled": df["scheduled"].astype(bool).values,
            "date": when.values,
            "ctx": ctx.values,
            "init_a": (df["initiated_by"] == a).values,  # codes: -1 (unset) is no one's
            "init_b": (df["initiated_by"] == b).values,
            "close": close.values,
        }
    )
    g = frame.groupby("key", sort=False)
    out = pd.DataFrame(
        {
            "n_interactions": g.size(),
            "n_scheduled": g["scheduled"].sum(),
            "recency_sum": g["recency"].sum(),
            "minutes": g["minutes"].sum(),
            "contexts": g["ctx"].nunique(),
            "initiated_a": g["init_a"].sum(),
            "initiated_b": g["init_b"].sum(),
            "close_notes": g["close"].sum(),
            "first_contact": g["date"].min(),
            "last_contact": g["date"].max(),
        }
    )
    out["span_days"] = (out["last_contact"] - out["first_contact"]).dt.days.fillna(0).astype(float)
    return out


def hyperauthored(authorships: pd.DataFrame, max_authors: int = MAX_AUTHORS) -> int:
    """How many papers have more than ``max_authors`` authors (and so give no co-author ties)."""
    if authorships.empty:
        return 0
    return int(authorships.loc[authorships["n_authors"] > max_authors, "publication"].nunique())


def _split_papers(df: pd.DataFrame, max_authors: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Authorships of papers with 2 to ``max_authors`` authors, and of papers with more."""
    if df.empty:
        return df, df
    df = df[df["n_authors"] > 1][["person", "publication", "position", "n_authors"]]
    big = df["n_authors"] > max_authors
    return df[~big], df[big]


def _with_hyperauthored(papers: pd.DataFrame, hyper: pd.DataFrame, tied: pd.Index, people: _People) -> pd.DataFrame:
    """Add hyperauthored papers' evidence to pairs already tied by something else, and to no other pair."""
    if hyper.empty or tied.empty:
        return papers
    key = tied.to_numpy(dtype=np.int64)
    on = np.unique(np.concatenate([key // people.n, key % people.n]))
    extra = _collaboration_evidence(hyper[hyper["person"].isin(on)], people)
    extra = extra[extra.index.isin(tied)]
    if extra.empty:
        return papers
    return papers.add(extra, fill_value=0) if not papers.empty else extra


def _collaboration_evidence(df: pd.DataFrame, people: _People) -> pd.DataFrame:
    empty = _empty("papers", "paper_weight")
    if df.empty:
        return empty
    codes = pd.DataFrame(
        {
            "person": df["person"].to_numpy(np.int64),
            "publication": pd.factorize(df["publication"])[0],
            "position": df["position"].to_numpy(),
            "n_authors": df["n_authors"].to_numpy(),
        }
    )
    pairs = codes.merge(codes, on="publication", suffixes=("_x", "_y"))
    pairs = pairs[pairs["person_x"] < pairs["person_y"]]
    if pairs.empty:
        return empty
    n = pairs["n_authors_x"]
    ends = {1}
    first_last = (pairs["position_x"].isin(ends) & (pairs["position_y"] == n)) | (
        pairs["position_y"].isin(ends) & (pairs["position_x"] == n)
    )
    key = pairs["person_x"].to_numpy(np.int64) * people.n + pairs["person_y"].to_numpy(np.int64)
    pairs = pd.DataFrame(
        {"key": key, "publication": pairs["publication"], "weight": np.where(first_last, 1.5, 1.0) / (n - 1)}
    )
    papers = pairs.drop_duplicates(["key", "publication"]).groupby("key").size()
    return pd.DataFrame({"papers": papers, "paper_weight": pairs.groupby("key")["weight"].sum()})


def _mentorship_evidence(df: pd.DataFrame, people: _People) -> pd.DataFrame:
    if df.empty:
        return _empty("mentor_types")
    frame = pd.DataFrame({"key": people.keys(df["mentor"], df["mentee"]), "type": df["type"].astype(str).values})
    frame = frame.drop_duplicates().sort_values(["key", "type"])
    one = ~frame["key"].duplicated(keep=False)  # most pairs declare one type: no join needed
    single = frame[one].set_index("key")["type"]
    several = frame[~one].groupby("key")["type"].agg(", ".join)
    return pd.concat([single, several]).sort_index().to_frame("mentor_types")


TIE_COLUMNS = tuple(f.name for f in fields(Tie))
"""The columns of :func:`tie_table`: the fields of :class:`~graph.model.Tie`."""


_UNITS = np.array(["days", "weeks", "months", "years"], dtype=object)


def _ago(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """How long ago as (count, index into ``_UNITS``).

    Days below two weeks, weeks below two months, months below two years, else years.
    """
    d = np.nan_to_num(days.astype(np.float64))
    when = [d < 14, d < 60, d < 730]
    count = np.select(when, [np.trunc(d), np.floor(d / 7), np.floor(d / 30)], np.rint(d / 365))  # rint: f"{x:.0f}"
    return count.astype(np.int64), np.select(when, [0, 1, 2], 3).astype(np.int64)


def _contact_words(n: np.ndarray, sched: np.ndarray, dated: np.ndarray, days: np.ndarray) -> np.ndarray:
    """``"12 contacts (3 on shared rotations), last 3 weeks ago"`` per tie, ``""`` without contacts.

    Ties repeat few (count, scheduled, age) combinations: each distinct one is
    put into words once and taken for every tie that has it.
    """
    count, unit = _ago(np.where(dated, days, 0))
    count, unit = np.where(dated, count, 0), np.where(dated, unit, 0)
    key = np.zeros(len(n), dtype=np.int64)
    for col in (n, sched, dated, count, unit):  # one int per combination, renumbered at each step (no overflow)
        part, values = pd.factorize(col)
        key = pd.factorize(key * len(values) + part)[0]
    codes, distinct = pd.factorize(key)
    one = np.empty(len(distinct), dtype=np.int64)
    one[codes] = np.arange(len(codes))  # a tie of each combination
    said = []
    for k, sk, on, c, u in zip(n[one], sched[one], dated[one], count[one], unit[one], strict=True):
        txt = f"{k} contact{'s' if k != 1 else ''}" if k > 0 else ""
        if k > 0 and sk > 0:
            txt += f" ({sk} on shared rotations)"
        if k > 0 and on:
            txt += f", last {c} {_UNITS[u]} ago"
        said.append(txt)
    out: np.ndarray = np.array(said, dtype=object)[codes]
    return out


def _joined(out: np.ndarray, rows: np.ndarray, words: np.ndarray) -> None:
    """Append ``words`` to ``out`` at ``rows`` (positions), after ``"; "`` where ``out`` says something already."""
    if len(rows) == 0:
        return
    before = out[rows]
    out[rows] = np.where(before != "", before + "; ", before) + words


def tie_reasons(scored: pd.DataFrame, mentorships: pd.DataFrame, names: Mapping[str, str], *, today: date) -> pd.Series:
    """Each tie's reasons in words, from the evidence columns of :func:`score_ties` (vectorised).

    ``"12 contacts (3 on shared rotations), last 3 weeks ago; co-authors on 2
    papers; Ana Ruiz mentors Ben Ode (career); one-sided: Ben Ode initiated all 5 contacts"``:
    the contacts and how recent the last one is (from ``today``), the shared
    papers, each declared mentorship (mentor first; a pair declared twice
    keeps its last row) and, for a transactional tie, who initiated them all.
    Each distinct wording of contacts and of papers is built once (2M ties
    repeat a few thousand); names only for the few mentorship and one-sided ties.

    Parameters
    ----------
    scored : pandas.DataFrame
        :func:`score_ties` output.
    mentorships : pandas.DataFrame
        Columns ``mentor, mentee, type``.
    names : mapping of str to str
        Person id to name; an unknown id is shown as itself.
    today : datetime.date
        The day ages are counted from.

    Returns
    -------
    pandas.Series of str
        Aligned with ``scored``; ``""`` where there is nothing to say.
    """
    t = scored.reset_index(drop=True)
    if t.empty:
        return pd.Series("", index=t.index, dtype=object)
    a, b = t["a"].astype(object).to_numpy(), t["b"].astype(object).to_numpy()

    def name(ids: np.ndarray) -> np.ndarray:
        return np.array([str(names[x]) if x in names else str(x) for x in ids], dtype=object)

    last = pd.to_datetime(t["last_contact"])
    days = (pd.Timestamp(today) - last).dt.days.to_numpy(dtype=np.float64, na_value=np.nan)
    n = t["n_interactions"].to_numpy(np.int64)
    out = _contact_words(n, t["n_scheduled"].to_numpy(np.int64), last.notna().to_numpy(), days)
    k = t["papers"].to_numpy(np.int64)
    rows = np.flatnonzero(k > 0)
    codes, distinct = pd.factorize(k[rows])
    _joined(out, rows, np.array([f"co-authors on {x} paper{'s' if x != 1 else ''}" for x in distinct], object)[codes])
    declared = _declared(mentorships)
    mentor_ids, mentee_ids = {m for m, _ in declared}, {e for _, e in declared}
    some = t["mentor_types"].to_numpy() != "" if "mentor_types" in t else np.ones(len(t), dtype=bool)
    cand = np.flatnonzero(some)  # a declared pair has mentor types: only those ties are looked up
    for mentor, mentee in ((a[cand], b[cand]), (b[cand], a[cand])):
        pairs = zip(mentor, mentee, strict=True)
        kinds = [declared.get((m, e)) if m in mentor_ids and e in mentee_ids else None for m, e in pairs]
        on = np.array([x is not None and pd.notna(x) for x in kinds], dtype=bool)
        if on.any():
            kind = np.array([str(x) for x in np.array(kinds, dtype=object)[on]], dtype=object)
            said = name(mentor[on]) + " mentors " + name(mentee[on]) + " (" + kind + ")"
            _joined(out, cand[on], said)
    tx = np.flatnonzero(t["transactional"].to_numpy(dtype=bool))
    if len(tx):
        ia, ib = t["initiated_a"].to_numpy(np.int64)[tx], t["initiated_b"].to_numpy(np.int64)[tx]
        asker = np.where(ia > ib, a[tx], b[tx])
        most = np.array([str(x) for x in np.maximum(ia, ib)], dtype=object)
        _joined(out, tx, "one-sided: " + name(asker) + " initiated all " + most + " contacts")
    return pd.Series(out, index=t.index, dtype=object)


def _declared(mentorships: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(mentor, mentee) to the type of its last declaration."""
    if mentorships.empty:
        return {}
    m = mentorships.drop_duplicates(["mentor", "mentee"], keep="last")
    return dict(zip(zip(m["mentor"], m["mentee"], strict=True), m["type"], strict=True))


def _tie_ids(a: pd.Series, b: pd.Series) -> list[str]:
    """``stable_id("t", a, b)`` of each pair, inlined (2M ties)."""
    blake = hashlib.blake2b
    return [
        "t-" + blake((x + "\x1f" + y).encode(), digest_size=8).hexdigest()
        for x, y in zip(a.tolist(), b.tolist(), strict=True)
    ]


def tie_table(
    scored: pd.DataFrame, mentorships: pd.DataFrame, names: Mapping[str, str], *, today: date, computed_at: str
) -> pd.DataFrame:
    """The scored ties as the store holds them: one row per tie, the columns :data:`TIE_COLUMNS`.

    ``strength`` rounded to 6 places, ``last_contact`` as YYYY-MM-DD (None
    when unknown), ``reasons`` from :func:`tie_reasons`.  Also the evidence
    columns of :func:`score_ties`, for the steps after scoring.
    """
    t = scored.reset_index(drop=True)
    last = pd.to_datetime(t["last_contact"])
    table = t.assign(
        id=_tie_ids(t["a"].astype(str), t["b"].astype(str)),
        source="analyze",
        file="",
        row=None,
        ingested_at="",
        strength=t["strength"].astype(np.float64).round(6),
        n_interactions=t["n_interactions"].astype(np.int64),
        last_contact=pd.Series(np.datetime_as_string(last.to_numpy("datetime64[D]"), unit="D"), dtype=object).where(
            last.notna(), None
        ),
        reasons=tie_reasons(t, mentorships, names, today=today),
        computed_at=computed_at,
    )
    first = list(TIE_COLUMNS)
    return table[first + [c for c in table.columns if c not in TIE_COLUMNS]]


def to_ties(
    scored: pd.DataFrame, mentorships: pd.DataFrame, names: dict[str, str], *, today: date, computed_at: str
) -> list[Tie]:
    """Tie records with their reasons in words (:func:`tie_reasons`), ready for the store."""
    table = tie_table(scored, mentorships, names, today=today, computed_at=computed_at)
    return [Tie(**row) for row in table[list(TIE_COLUMNS)].to_dict("records")]
