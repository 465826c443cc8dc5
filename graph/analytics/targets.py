"""What a user means by "the GI fellowship at X": a person, program, institution or specialty.

A target is resolved to the set of people who count as reaching it: a
program's fellows and faculty, an institution's people, a specialty's
practitioners (residents excluded: they are peers, not the door).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import SupportsInt

import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from graph.errors import AmbiguousError, NotFoundError
from graph.sources.tabular import normalise_header

__all__ = [
    "KIND_ORDER",
    "SPECIALTY_SYNONYMS",
    "Target",
    "describe_person",
    "find_person",
    "match_rank",
    "program_members",
    "rank_options",
    "resolve_target",
    "specialty_of",
    "tokens",
]

SPECIALTY_SYNONYMS = {
    "gi": "Gastroenterology",
    "gastro": "Gastroenterology",
    "gastroenterology": "Gastroenterology",
    "hepatology": "Gastroenterology",
    "cards": "Cardiology",
    "cardiology": "Cardiology",
    "cardio": "Cardiology",
    "pulm": "Pulmonary/Critical Care",
    "pulm cc": "Pulmonary/Critical Care",
    "pulm ccm": "Pulmonary/Critical Care",
    "pccm": "Pulmonary/Critical Care",
    "pulmonary": "Pulmonary/Critical Care",
    "pulmonary critical care": "Pulmonary/Critical Care",
    "critical care": "Pulmonary/Critical Care",
    "ccm": "Pulmonary/Critical Care",
    "renal": "Nephrology",
    "nephro": "Nephrology",
    "nephrology": "Nephrology",
    "heme onc": "Hematology/Oncology",
    "hemeonc": "Hematology/Oncology",
    "heme": "Hematology/Oncology",
    "onc": "Hematology/Oncology",
    "oncology": "Hematology/Oncology",
    "hematology": "Hematology/Oncology",
    "hematology oncology": "Hematology/Oncology",
    "id": "Infectious Disease",
    "infectious disease": "Infectious Disease",
    "infectious diseases": "Infectious Disease",
    "endo": "Endocrinology",
    "endocrine": "Endocrinology",
    "endocrinology": "Endocrinology",
    "rheum": "Rheumatology",
    "rheumatology": "Rheumatology",
    "hospital medicine": "Hospital Medicine",
    "hospitalist": "Hospital Medicine",
    "hospitalists": "Hospital Medicine",
    "gim": "General Internal Medicine",
    "general internal medicine": "General Internal Medicine",
}
"""Words and abbreviations people use for a specialty (lower case, ``/`` and ``-`` read as spaces)."""
KIND_ORDER = {"resident": 0, "faculty": 0, "fellow": 1, "alumnus": 2, "external": 3}
"""How early a kind of person comes among equal matches: the home program's residents and faculty first,
then other staff (1), alumni, outside people."""
_AT = re.compile(r"^(?P<what>.*?)\s+(?:fellowship\s+)?(?:program\s+)?(?:at|@)\s+(?P<where>.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Target:
    """A resolved target: what it is and who counts as reaching it."""

    kind: str  # person | program | institution | specialty
    id: str
    label: str
    members: frozenset[str]


def tokens(text: object) -> list[str]:
    """Lower-case word tokens of a text: ``"Re-gional GI"`` gives ``["re", "gional", "gi"]``.

    >>> tokens("Pulm/CC, Lakeside")
    ['pulm', 'cc', 'lakeside']
    """
    return re.findall(r"[a-z0-9]+", str(text or "").lower())


def specialty_of(text: str) -> str | None:
    """The specialty a text names as a whole ("GI", "pulm/CC", "heme-onc fellowship"), or None.

    Whole tokens only: "GI" is Gastroenterology; "Regional" names no specialty.

    >>> specialty_of("pulm/CC"), specialty_of("Heme-Onc fellowship"), specialty_of("Regional")
    ('Pulmonary/Critical Care', 'Hematology/Oncology', None)
    """
    words = [w for w in tokens(text) if w not in _GENERIC]
    key = " ".join(words)
    return SPECIALTY_SYNONYMS.get(key) or _CANONICAL_KEYS.get(key) or SPECIALTY_SYNONYMS.get("".join(words))


_GENERIC = {"fellowship", "fellowships", "fellow", "fellows", "program", "division", "department", "the"}
_CANONICAL_KEYS = {" ".join(tokens(v)): v for v in SPECIALTY_SYNONYMS.values()}


def match_rank(name: object, query: str) -> int | None:
    """How well a name matches what was typed, by whole tokens; lower is better, None is no match.

    0: the same words in the same order; 1: every typed word is a word of the name;
    2: every typed word starts a word of the name (typing in progress).  "Walter" is
    1 for "Walter Brooks" and 2 for "Alice Walters"; "gi" matches no word of
    "Regional".

    >>> match_rank("Walter Brooks", "walter"), match_rank("Alice Walters", "Walter"), match_rank("Regional", "gi")
    (1, 2, None)
    """
    q, n = tokens(query), tokens(name)
    if not q:
        return None
    if q == n:
        return 0
    if all(w in n for w in q):
        return 1
    if all(any(t.startswith(w) for t in n) for w in q):
        return 2
    return None


def describe_person(person: dict[str, object], institutions: dict[str, str] | None = None) -> str:
    """Who a person is, as a program office says it: ``PGY2 resident, Lakeside Medical Center``.

    Kind (PGY for a resident), role or position, institution.
    """
    kind = {"alumnus": "alum", "external": ""}.get(str(person.get("kind")), str(person.get("kind") or ""))
    pgy, role = person.get("pgy"), str(person.get("role") or "")
    if kind == "resident" and _known(pgy) and isinstance(pgy, SupportsInt):
        who = [f"PGY{int(pgy)} resident"]
    else:
        who = [kind.replace("_", " ")]
    who += [role] if role and role.lower() not in (kind, "resident") else []
    inst = person.get("institution_id")
    who += [institutions[str(inst)]] if institutions and inst in institutions else []
    return ", ".join(w for w in who if w)


def _known(x: object) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x)) and not pd.isna(x)


def find_person(people: pd.DataFrame, query: str, institutions: dict[str, str] | None = None) -> str:
    """The id of the person a query names: id, e-mail, program id, or name by whole words.

    Names match by :func:`match_rank` (the same name, every word, then words
    begun); among equal matches the home program's residents and faculty come
    before alumni and outside people (:data:`KIND_ORDER`).  A name that fits
    several people equally is ambiguous, never guessed; a name that fits no
    one's words is looked up fuzzily (rapidfuzz WRatio >= 90, one clear best).

    Raises
    ------
    AmbiguousError
        Several people fit; the message and ``candidates`` tell them apart
        (who they are, e-mail, id) and say how to pick one.
    NotFoundError
        No one matches well enough; the message suggests close names.
    """
    q = query.strip()
    for col in ("id", "email", "program_id"):
        hit = people[people[col].fillna("").str.lower() == q.lower()]
        if len(hit) == 1:
            return str(hit["id"].iloc[0])
        if len(hit) > 1:
            raise _ambiguous(query, hit, institutions)
    ranks = people["name"].map(lambda n: match_rank(n, q))
    if ranks.notna().any():
        best = people[ranks == ranks.min()]
        if len(best) == 1:
            return str(best["id"].iloc[0])
        order = best["kind"].map(lambda k: KIND_ORDER.get(str(k), 1))
        if ranks.min() > 0 and (order == order.min()).sum() == 1:
            return str(best.loc[order.idxmin(), "id"])
        raise _ambiguous(query, best.assign(_o=order).sort_values(["_o", "name", "id"]), institutions)
    names = people["name"].tolist()
    found = process.extract(q, names, scorer=fuzz.WRatio, limit=3)
    if found and found[0][1] >= 90 and (len(found) == 1 or found[1][1] < found[0][1]):
        return str(people["id"].iloc[found[0][2]])
    hint = "; ".join(_candidate(people.iloc[b[2]].to_dict(), institutions)[1] for b in found) if found else "none"
    raise NotFoundError(f"no one called {query!r}; closest: {hint}")


def _candidate(person: dict[str, object], institutions: dict[str, str] | None) -> tuple[str, str]:
    what = describe_person(person, institutions)
    email = f", {person['email']}" if _known(person.get("email")) and person.get("email") else ""
    return str(person["id"]), f"{person['name']} ({what + ', ' if what else ''}id {person['id']}{email})"


def _ambiguous(query: str, hits: pd.DataFrame, institutions: dict[str, str] | None) -> AmbiguousError:
    candidates = [_candidate(r, institutions) for r in hits.to_dict("records")]
    return AmbiguousError(
        f"{query!r} could be {len(candidates)} people: {'; '.join(c for _, c in candidates)}. Pick one by id or e-mail",
        candidates,
    )


def rank_options(options: pd.DataFrame, typed: str, *, limit: int | None = None) -> pd.DataFrame:
    """Type-ahead: the options that fit what was typed, best first.

    A typed specialty word or abbreviation (:func:`specialty_of`: "GI",
    "cards", "pulm/CC") offers that specialty's programs, the specialty and
    its people only.  Otherwise an option fits when every typed word is a
    word, or starts a word, of its name (:func:`match_rank`), then of its
    whole label (institution, role); whole words only, so "gi" never matches
    "Regional".  Order: how well it fits, then programs, institutions,
    specialties, people; people by :data:`KIND_ORDER`, then label.

    Parameters
    ----------
    options : pandas.DataFrame
        Columns ``kind, label, value, name, specialty, order`` (``order``: a
        person's :data:`KIND_ORDER`, 0 for the rest).
    typed : str
        What was typed.
    limit : int, optional
        At most this many.
    """
    spec = specialty_of(typed)
    if spec:
        fit = options[options["specialty"] == spec].assign(_fit=0)
    else:
        by_name = options["name"].map(lambda n: match_rank(n, typed))
        by_label = options["label"].map(lambda n: match_rank(n, typed))
        fit = options.assign(_fit=by_name.fillna(by_label + 3)).dropna(subset=["_fit"])
    kinds = {"program": 0, "specialty": 1, "institution": 2, "person": 3}
    fit = fit.assign(_kind=fit["kind"].map(kinds)).sort_values(["_fit", "_kind", "order", "label"], kind="stable")
    fit = fit.drop(columns=["_fit", "_kind"]).reset_index(drop=True)
    return fit.head(limit) if limit else fit


def resolve_target(
    query: str, people: pd.DataFrame, programs: pd.DataFrame, institutions: pd.DataFrame, affiliations: pd.DataFrame
) -> Target:
    """Resolve "GI fellowship at X", "X", "Cardiology" or a person's name to a :class:`Target`."""
    m = _AT.match(query.strip())
    if m:
        spec, inst = specialty_of(m["what"]), _best(m["where"], institutions)
        if spec and inst is not None:
            progs = programs[(programs["institution_id"] == inst) & (programs["specialty"] == spec)]
            if len(progs):
                return _program_target(progs.iloc[0], people, affiliations)
    # A query naming an institution or a specialty exactly is that, not the program whose name contains it.
    q = query.strip().lower()
    exact = specialty_of(q) is not None or q in {str(n).lower() for n in institutions["name"]}
    prog = None if exact else _best(query, programs[programs["level"] == "fellowship"], threshold=92)
    if prog is not None:
        return _program_target(programs[programs["id"] == prog].iloc[0], people, affiliations)
    spec = specialty_of(query)
    if spec:
        mask = (people["specialty"] == spec) & (people["kind"] != "resident")
        return Target("specialty", spec, spec, frozenset(people.loc[mask, "id"]))
    inst = _best(query, institutions, threshold=92)
    if inst is not None:
        label = institutions.loc[institutions["id"] == inst, "name"].iloc[0]
        inst_progs = set(programs.loc[programs["institution_id"] == inst, "id"])
        members = set(people.loc[people["institution_id"] == inst, "id"]) | set(
            affiliations.loc[affiliations["program"].isin(inst_progs) & (affiliations["role"] != "alumnus"), "person"]
        )
        return Target("institution", inst, str(label), frozenset(members))
    pid = find_person(people, query, dict(zip(institutions["id"], institutions["name"], strict=True)))
    name = people.loc[people["id"] == pid, "name"].iloc[0]
    return Target("person", pid, str(name), frozenset({pid}))


def program_members(programs: pd.DataFrame, people: pd.DataFrame, affiliations: pd.DataFrame) -> dict[str, set[str]]:
    """Each program's people: its fellows and faculty, and anyone beyond residents in its specialty at its institution.

    The same rule as a warm-intro target of kind ``program``, for every program at once.
    """
    on = affiliations[affiliations["role"].isin(["fellow", "faculty"])]
    out: dict[str, set[str]] = {str(p): set() for p in programs["id"]}
    for person, prog in zip(on["person"], on["program"], strict=True):
        if prog in out:
            out[prog].add(person)
    staff = people[people["kind"] != "resident"].dropna(subset=["institution_id", "specialty"])
    at = staff.groupby(["institution_id", "specialty"])["id"].agg(set).to_dict()
    for pid, inst, spec in zip(programs["id"], programs["institution_id"], programs["specialty"], strict=True):
        out[str(pid)] |= at.get((inst, spec), set())
    return out


def _program_target(prog: pd.Series, people: pd.DataFrame, affiliations: pd.DataFrame) -> Target:
    on = affiliations[(affiliations["program"] == prog["id"]) & affiliations["role"].isin(["fellow", "faculty"])]
    same = people[
        (people["institution_id"] == prog["institution_id"])
        & (people["specialty"] == prog["specialty"])
        & (people["kind"] != "resident")
    ]
    return Target("program", str(prog["id"]), str(prog["name"]), frozenset(on["person"]) | frozenset(same["id"]))


def _best(query: str, frame: pd.DataFrame, threshold: float = 85) -> str | None:
    if frame.empty:
        return None
    names = frame["name"].tolist()
    hit = process.extractOne(normalise_header(query), [normalise_header(n) for n in names], scorer=fuzz.ratio)
    if hit is None or hit[1] < threshold:
        hit = process.extractOne(query, names, scorer=fuzz.token_set_ratio, processor=default_process)
        if hit is None or hit[1] < threshold:
            return None
    return str(frame["id"].iloc[hit[2]])
