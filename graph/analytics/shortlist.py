r"""Fellowship shortlist: which programs of a resident's specialty to aim for, from the network and the papers.

Tools that pick programs from scores and profiles never see who knows whom.
Here each fellowship program of the resident's specialty of interest gets
three measures, each in [0, 1]:

* **warm reach**: the best path probability from the resident to any of the
  program's people (:func:`graph.analytics.alumni.best_paths`, products of tie
  strengths, Dijkstra on :math:`-\log s`);
* **alumni there**: how many of the program's people are the home program's
  alumni, as :math:`\min(n/3, 1)`;
* **research fit**: the cosine similarity of TF-IDF vectors [1]_ of MeSH
  headings, the resident's papers against the program people's papers
  (scikit-learn's ``TfidfVectorizer``, smoothed idf, l2 norm [2]_; "Humans"
  and other check tags carry no topic and are dropped).

Programs are ranked by :math:`0.5\,\text{reach} + 0.25\,\text{alumni} +
0.25\,\text{fit}`; each row keeps its three reasons as data.

References
----------
.. [1] Salton, G. and Buckley, C. Term-weighting approaches in automatic text
   retrieval. Information Processing & Management 24(5):513-523, 1988.
   https://doi.org/10.1016/0306-4573(88)90021-0
.. [2] Pedregosa, F. et al. Scikit-learn: machine learning in Python. JMLR
   12:2825-2830, 2011. https://jmlr.org/papers/v12/pedregosa11a.html
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from graph.analytics.alumni import best_paths
from graph.analytics.targets import program_members

__all__ = ["CHECK_TAGS", "WEIGHTS", "ShortlistReason", "fellowship_shortlist", "mesh_documents", "research_fit"]

log = logging.getLogger(__name__)

WEIGHTS = {"reach": 0.5, "alumni": 0.25, "fit": 0.25}
"""How the three measures combine into the rank."""
CHECK_TAGS = frozenset({"Humans", "Male", "Female", "Adult", "Aged", "Middle Aged", "Animals", "Young Adult"})
"""MeSH check tags: on nearly every paper, about no topic."""
ALUMNI_FULL = 3
"""Alumni at a program for the alumni measure to be 1."""


@dataclass(frozen=True)
class ShortlistReason:
    """One reason for a program's place: ``kind`` reach, alumni or research_fit, its value, and what it rests on.

    ``people``: for reach the path's people after the resident (first contact
    to the program's person), for alumni the alumni's names, for research fit
    the shared MeSH headings that weigh most.
    """

    kind: str
    value: float
    people: tuple[str, ...] = ()


def mesh_documents(authorships: pd.DataFrame, publications: pd.DataFrame) -> dict[str, list[str]]:
    """Each author's MeSH headings (one entry per paper that has it), check tags dropped."""
    mesh = dict(zip(publications["id"], publications["mesh"].fillna(""), strict=True))
    docs: dict[str, list[str]] = {}
    for person, pub in zip(authorships["person"], authorships["publication"], strict=True):
        terms = [t.strip() for t in str(mesh.get(pub, "")).split(";") if t.strip() and t.strip() not in CHECK_TAGS]
        docs.setdefault(person, []).extend(terms)
    return docs


def research_fit(mine: list[str], theirs: list[list[str]]) -> tuple[np.ndarray, list[list[str]]]:
    """TF-IDF cosine of one document of MeSH headings against several [1]_ [2]_, and the shared terms weighing most.

    Each heading is one token.  The idf is fitted on all the documents given.
    """
    if not mine or not any(theirs):
        return np.zeros(len(theirs)), [[] for _ in theirs]
    vec = TfidfVectorizer(analyzer=lambda terms: terms, lowercase=False)
    x = vec.fit_transform([mine, *theirs])
    sims = (x[1:] @ x[0].T).toarray().ravel()
    vocab = np.array(vec.get_feature_names_out(), dtype=object)
    shared = []
    for i in range(len(theirs)):
        w = x[0].multiply(x[1 + i]).toarray().ravel()
        top = np.argsort(-w, kind="stable")[:3]
        shared.append([str(vocab[j]) for j in top if w[j] > 0])
    return sims, shared


def fellowship_shortlist(
    resident: str,
    people: pd.DataFrame,
    programs: pd.DataFrame,
    institutions: pd.DataFrame,
    affiliations: pd.DataFrame,
    ties: pd.DataFrame,
    authorships: pd.DataFrame,
    publications: pd.DataFrame,
    *,
    specialty: str | None = None,
) -> pd.DataFrame:
    """Rank the fellowship programs of a resident's specialty of interest by reach, alumni and research fit.

    Parameters
    ----------
    resident : str
        The resident's person id.
    people, programs, institutions, affiliations, ties, authorships, publications : pandas.DataFrame
        Frames as the store returns them.
    specialty : str, optional
        The specialty of interest; default the resident's own.

    Returns
    -------
    pandas.DataFrame
        ``program_id, program, institution, city, specialty, score, reach,
        alumni, fit, reasons`` (three :class:`ShortlistReason`), best first.
    """
    me = people[people["id"] == resident].iloc[0]
    spec = specialty or me["specialty"]
    progs = programs[(programs["level"] == "fellowship") & (programs["specialty"] == spec)]
    cols = ["program_id", "program", "institution", "city", "specialty", "score", "reach", "alumni", "fit", "reasons"]
    if progs.empty:
        return pd.DataFrame(columns=cols)
    members = program_members(progs, people, affiliations)
    names = dict(zip(people["id"], people["name"], strict=True))
    alumni = set(people.loc[people["kind"] == "alumnus", "id"]) | set(
        affiliations.loc[affiliations["role"] == "alumnus", "person"]
    )
    everyone = sorted(set().union(*members.values()))
    paths = best_paths(ties, [resident], everyone) if everyone else None
    docs = mesh_documents(authorships, publications)
    fits, shared = research_fit(
        docs.get(resident, []), [[t for p in sorted(members[g]) for t in docs.get(p, [])] for g in progs["id"]]
    )
    inst = institutions.set_index("id")
    rows = []
    for prog, fit, terms in zip(progs.itertuples(index=False), fits, shared, strict=True):
        mem = sorted(members[prog.id])
        reach, path = 0.0, ()
        if paths is not None and mem:
            p = paths.probability.loc[resident, mem]
            if p.max() > 0:
                target = p.idxmax()
                reach = float(p.max())
                path = tuple(names.get(x, x) for x in (*paths.inside.get((resident, target), ()), target))
        there = sorted(names.get(x, x) for x in mem if x in alumni)
        alum = min(len(there) / ALUMNI_FULL, 1.0)
        score = WEIGHTS["reach"] * reach + WEIGHTS["alumni"] * alum + WEIGHTS["fit"] * float(fit)
        reasons = [
            ShortlistReason("reach", round(reach, 3), path),
            ShortlistReason("alumni", float(len(there)), tuple(there)),
            ShortlistReason("research_fit", round(float(fit), 3), tuple(terms)),
        ]
        where = inst.loc[prog.institution_id] if prog.institution_id in inst.index else None
        rows.append(
            (
                prog.id,
                prog.name,
                "" if where is None else where["name"],
                "" if where is None else where.get("city", ""),
                prog.specialty,
                round(score, 4),
                round(reach, 3),
                len(there),
                round(float(fit), 3),
                reasons,
            )
        )
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["score", "program"], ascending=[False, True]).reset_index(drop=True)
