"""What a user means by "the GI fellowship at X": a person, program, institution or specialty.

A target is resolved to the set of people who count as reaching it: a
program's fellows and faculty, an institution's people, a specialty's
practitioners (residents excluded: they are peers, not the door).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from graph.errors import NotFoundError
from graph.sources.tabular import normalise_header

__all__ = ["SPECIALTY_SYNONYMS", "Target", "find_person", "program_members", "resolve_target"]

SPECIALTY_SYNONYMS = {
    "gi": "Gastroenterology",
    "gastro": "Gastroenterology",
    "gastroenterology": "Gastroenterology",
    "cards": "Cardiology",
    "cardiology": "Cardiology",
    "cardio": "Cardiology",
    "pulm": "Pulmonary/Critical Care",
    "pccm": "Pulmonary/Critical Care",
    "pulmonary": "Pulmonary/Critical Care",
    "critical care": "Pulmonary/Critical Care",
    "renal": "Nephrology",
    "nephrology": "Nephrology",
    "heme onc": "Hematology/Oncology",
    "hemeonc": "Hematology/Oncology",
    "oncology": "Hematology/Oncology",
    "hematology": "Hematology/Oncology",
    "id": "Infectious Disease",
    "infectious disease": "Infectious Disease",
    "endo": "Endocrinology",
    "endocrinology": "Endocrinology",
    "rheum": "Rheumatology",
    "rheumatology": "Rheumatology",
    "hospital medicine": "Hospital Medicine",
    "hospitalist": "Hospital Medicine",
    "gim": "General Internal Medicine",
    "general internal medicine": "General Internal Medicine",
}
_CANONICAL = {v.lower(): v for v in SPECIALTY_SYNONYMS.values()}
_AT = re.compile(r"^(?P<what>.*?)\s+(?:fellowship\s+)?(?:program\s+)?(?:at|@)\s+(?P<where>.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Target:
    """A resolved target: what it is and who counts as reaching it."""

    kind: str  # person | program | institution | specialty
    id: str
    label: str
    members: frozenset[str]


def _specialty(text: str) -> str | None:
    t = re.sub(r"\b(fellowship|fellows?|program|division|department)\b", "", text.lower()).strip(" ,")
    return SPECIALTY_SYNONYMS.get(t) or _CANONICAL.get(t) or SPECIALTY_SYNONYMS.get(t.replace("/", " "))


def find_person(people: pd.DataFrame, query: str) -> str:
    """The id of the person a query names: id, e-mail, program id or (fuzzy) name.

    Raises
    ------
    NotFoundError
        No one matches well enough; the message suggests close names.
    """
    q = query.strip()
    for col in ("id", "email", "program_id"):
        hit = people[people[col].fillna("").str.lower() == q.lower()]
        if len(hit):
            return str(hit["id"].iloc[0])
    exact = people[people["name"].str.lower() == q.lower()]
    if len(exact) == 1:
        return str(exact["id"].iloc[0])
    names = people["name"].tolist()
    best = process.extract(q, names, scorer=fuzz.WRatio, limit=3)
    if best and best[0][1] >= 90 and (len(best) == 1 or best[1][1] < best[0][1]):
        return str(people["id"].iloc[best[0][2]])
    hint = ", ".join(b[0] for b in best) if best else "none"
    raise NotFoundError(f"no one called {query!r}; closest: {hint}")


def resolve_target(
    query: str, people: pd.DataFrame, programs: pd.DataFrame, institutions: pd.DataFrame, affiliations: pd.DataFrame
) -> Target:
    """Resolve "GI fellowship at X", "X", "Cardiology" or a person's name to a :class:`Target`."""
    m = _AT.match(query.strip())
    if m:
        spec, inst = _specialty(m["what"]), _best(m["where"], institutions)
        if spec and inst is not None:
            progs = programs[(programs["institution_id"] == inst) & (programs["specialty"] == spec)]
            if len(progs):
                return _program_target(progs.iloc[0], people, affiliations)
    # A query naming an institution or a specialty exactly is that, not the program whose name contains it.
    q = query.strip().lower()
    exact = q in _CANONICAL or q in {str(n).lower() for n in institutions["name"]}
    prog = None if exact else _best(query, programs[programs["level"] == "fellowship"], threshold=92)
    if prog is not None:
        return _program_target(programs[programs["id"] == prog].iloc[0], people, affiliations)
    spec = _specialty(query)
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
    pid = find_person(people, query)
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
