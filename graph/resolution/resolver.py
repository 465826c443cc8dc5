"""Entity resolution: which mentions in the input are the same person.

The resolver follows the usual record-linkage order [1]_:

1. Deterministic keys first: program id, e-mail, ORCID.  A mention carrying a
   key already known is that person.  Two records with *different* keys of the
   same kind are never merged.
2. Names are parsed (``nameparser``, plus the MEDLINE ``Smith JA`` form) into
   surname, first name and initials, credentials dropped.
3. Candidates are blocked by surname; each is scored with ``rapidfuzz`` on the
   given names, with initials that must agree and a bonus for the same
   institution.  A score at or above ``merge_at`` merges; between
   ``review_at`` and ``merge_at`` the mention becomes a new person and the pair
   goes to the review queue.  An alias table of user decisions
   (``same``/``different``) overrides the score on the next run.

References
----------
.. [1] Fellegi, I. P. and Sunter, A. B. A theory for record linkage.
   JASA 64(328):1183-1210, 1969. https://doi.org/10.1080/01621459.1969.10501049
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache

from nameparser import HumanName
from nameparser.config import CONSTANTS
from rapidfuzz import fuzz

from graph.model import Person, stable_id

__all__ = [
    "Alias",
    "Mention",
    "ParsedName",
    "Resolver",
    "ReviewItem",
    "clean_name",
    "parse_name",
    "person_id",
]

log = logging.getLogger(__name__)

_MEDLINE = re.compile(r"^(?P<last>[^\W\d_][\w'\- ]*?)\s+(?P<initials>[A-Z]{1,3})$")
_CREDENTIALS = re.compile(
    r",?\s*\b(MD|DO|PhD|MPH|MS|MSc|MBA|RN|BSN|NP|PA-C|PA|PharmD|FACP|FHM|MBBS|MHS|MSCR|Jr|Sr)\b\.?",
    re.IGNORECASE,
)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower().strip()


@dataclass(frozen=True)
class ParsedName:
    """A name split into the parts that matter for matching."""

    last: str  # folded surname: "o'brien", "de la cruz"
    first: str  # folded first name, "" when only initials are known
    initials: str  # initials of first and middle names, "ja"

    @property
    def block(self) -> str:
        """The blocking key: letters of the surname."""
        return re.sub(r"[^a-z]", "", self.last)


_TITLES = re.compile(r"^\s*(Dr|Prof|Professor|Mr|Mrs|Ms|Mx)\.?\s+", re.IGNORECASE)


def clean_name(name: str) -> str:
    """A name as shown to people: titles and credentials dropped, spaces tidied.

    >>> clean_name("Dr. Jon Spence")
    'Jon Spence'
    >>> clean_name("Laurie K. Walton, MD, PhD")
    'Laurie K. Walton'
    """
    text = _TITLES.sub("", _CREDENTIALS.sub("", name)).strip(" ,")
    return " ".join(text.split()) or name


@lru_cache(maxsize=1 << 18)
def parse_name(name: str) -> ParsedName:
    """Parse "John A. Smith, MD", "Smith, John" or "Smith JA" alike.

    >>> parse_name("Smith JA")
    ParsedName(last='smith', first='', initials='ja')
    >>> parse_name("John A. Smith, MD")
    ParsedName(last='smith', first='john', initials='ja')
    """
    text = " ".join(name.split())
    m = _MEDLINE.match(text)
    if m:
        return ParsedName(_fold(m["last"]), "", m["initials"].lower())
    text = _CREDENTIALS.sub("", text).strip(" ,")
    parts = _plain_name(text)
    if parts is None:
        h = HumanName(text)
        parts = h.first, h.middle, h.last
    first = _fold(parts[0].replace(".", ""))
    middle = _fold(parts[1].replace(".", ""))
    last = _fold(parts[2]) or _fold(text)
    initials = "".join(p[0] for p in (first + " " + middle).split() if p)
    if len(first) == 1:  # "K. L. Ng": only initials were given
        first = ""
    return ParsedName(last, first, initials)


_PLAIN = re.compile(r"^([A-Za-z]{2,}) (?:([A-Za-z]\.?) )?([A-Za-z]{2,})$")
_ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,4}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_SPECIAL_WORDS = frozenset().union(
    *(
        getattr(CONSTANTS, kind)
        for kind in (
            "titles",
            "suffix_acronyms",
            "suffix_not_acronyms",
            "prefixes",
            "conjunctions",
            "first_name_titles",
            "non_first_name_prefixes",
            "bound_first_names",
        )
    )
)
"""Lower-case words nameparser gives a role (titles, suffixes, prefixes, conjunctions, bound first names)."""


def _plain_name(text: str) -> tuple[str, str, str] | None:
    """(first, middle, last) of "First Last" or "First M. Last" without a word nameparser treats specially.

    Gives what ``HumanName`` gives for such a name (checked on 224,000 names),
    at a fraction of its cost; None means "ask nameparser".
    """
    m = _PLAIN.match(text)
    if m is None:
        return None
    for word in m.groups():
        w = (word or "").lower().rstrip(".")
        if w and (w in _SPECIAL_WORDS or _ROMAN.match(w)):
            return None
    return m[1], m[2] or "", m[3]


@dataclass(frozen=True)
class Mention:
    """A person as one input row writes them."""

    name: str
    email: str | None = None
    program_id: str | None = None
    orcid: str | None = None
    institution_id: str | None = None

    def identifiers(self) -> list[tuple[str, str]]:
        """Deterministic keys, strongest first."""
        out = []
        if self.program_id:
            out.append(("program_id", self.program_id.strip().upper()))
        if self.email:
            out.append(("email", self.email.strip().lower()))
        if self.orcid:
            out.append(("orcid", self.orcid.strip()))
        return out


def person_id(mention: Mention) -> str:
    """The id a new person gets: from their strongest key, else their name.

    Stable: the same mention always gives the same id.
    """
    keys = mention.identifiers()
    if keys:
        return stable_id("p", *keys[0])
    p = parse_name(mention.name)
    return stable_id("p", "name", p.last, p.first or p.initials, mention.institution_id or "")


@dataclass(frozen=True)
class ReviewItem:
    """An uncertain match for a person to confirm or split."""

    written_as: str
    new_id: str
    candidate_id: str
    candidate_name: str
    score: float


@dataclass(frozen=True)
class Alias:
    """A user's decision on two person ids: ``same`` merges, ``different`` keeps apart."""

    a: str
    b: str
    decision: str


class Resolver:
    """Resolve mentions against known people, learning as it goes.

    Parameters
    ----------
    people : iterable of Person
        People already in the store.
    aliases : iterable of Alias, optional
        User decisions from the alias file.
    merge_at, review_at : float
        Score thresholds in [0, 100].
    """

    def __init__(
        self,
        people: list[Person],
        aliases: list[Alias] | None = None,
        *,
        merge_at: float = 90.0,
        review_at: float = 75.0,
    ) -> None:
        self.people: dict[str, Person] = {}
        self._by_key: dict[tuple[str, str], str] = {}
        self._by_block: dict[str, set[str]] = defaultdict(set)
        # Candidates by (surname block, first initial): a candidate whose first initial differs from the
        # mention's scores 0 and can never be chosen, so only the mention's initial and "" are looked at.
        self._by_initial: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._blocks_of: dict[str, set[str]] = defaultdict(set)
        self._same: dict[str, str] = {}
        self._different: set[frozenset[str]] = set()
        self.merge_at, self.review_at = merge_at, review_at
        self.review: list[ReviewItem] = []
        self.merged = 0
        self.created: set[str] = set()
        self._cache: dict[Mention, str] = {}
        for alias in aliases or []:
            if alias.decision == "same":
                self._same[alias.b] = alias.a
            else:
                self._different.add(frozenset((alias.a, alias.b)))
        for p in people:
            self._index(p)

    def _index(self, p: Person) -> None:
        if self.people.get(p.id) is p:
            return
        self.people[p.id] = p
        for key in Mention(p.name, p.email, p.program_id, p.orcid).identifiers():
            self._by_key.setdefault(key, p.id)
        parsed = parse_name(p.name)
        self._by_block[parsed.block].add(p.id)
        blocks = self._blocks_of[p.id]
        blocks.add(parsed.block)
        for block in blocks:  # a renamed person stays in the blocks of earlier names, under the current initial
            self._by_initial[(block, parsed.initials[:1])].add(p.id)

    def resolve(self, mention: Mention) -> str:
        """Return the id of the person a mention names, creating them if new."""
        if mention in self._cache:
            return self._cache[mention]
        pid = self._resolve(mention)
        pid = self._same.get(pid, pid)
        self._cache[mention] = pid
        return pid

    def _resolve(self, m: Mention) -> str:
        for key in m.identifiers():
            if key in self._by_key:
                return self._by_key[key]
        new_id = person_id(m)
        if new_id in self.people:
            return new_id
        best, score = self._best_candidate(m, new_id)
        if best is not None and score >= self.merge_at:
            self.merged += 1
            return best
        if best is not None and score >= self.review_at:
            self.review.append(ReviewItem(m.name, new_id, best, self.people[best].name, round(score, 1)))
        return new_id

    def _candidates(self, parsed: ParsedName) -> set[str]:
        """People of the mention's surname block whose current first initial agrees or is unknown."""
        if not parsed.initials:
            return self._by_block.get(parsed.block, set())
        same = self._by_initial.get((parsed.block, parsed.initials[0]), set())
        return same | self._by_initial.get((parsed.block, ""), set())

    def _best_candidate(self, m: Mention, new_id: str) -> tuple[str | None, float]:
        parsed = parse_name(m.name)
        scored = []
        for cid in self._candidates(parsed):  # any order: the sort below is total
            c = self.people[cid]
            if frozenset((cid, new_id)) in self._different or _conflicting_keys(m, c):
                continue
            place = (
                0
                if not (m.institution_id and c.institution_id)
                else (1 if m.institution_id == c.institution_id else -1)
            )
            scored.append((_score(parsed, parse_name(c.name), place=place), cid))
        if not scored:
            return None, 0.0
        scored.sort(key=lambda t: (-t[0], t[1]))
        score, best = scored[0]
        if len(scored) > 1 and scored[1][0] >= score - 1.0:
            score = min(score, self.merge_at - 0.1)  # two people fit equally: a human decides
        return best, score

    def person(self, pid: str, mention: Mention, **attrs: object) -> Person:
        """The person record for ``pid`` with what this mention adds; indexes it.

        Empty values never overwrite known ones; the first provenance stays.
        """
        known = self.people.get(pid)
        fill = {
            "name": clean_name(mention.name),
            "email": mention.email,
            "program_id": mention.program_id,
            "orcid": mention.orcid,
            "institution_id": mention.institution_id,
            **attrs,
        }
        given = {k: v for k, v in fill.items() if v not in (None, "")}
        if known is None:
            p = Person(id=pid, **given)  # type: ignore[arg-type]
            self.created.add(pid)
        else:
            updates = {k: v for k, v in given.items() if getattr(known, k) in (None, "", "external")}
            new, old = parse_name(given.get("name", "")), parse_name(known.name)
            if new.first and not old.first:  # "John A. Smith" says more than "Smith J"
                updates["name"] = given["name"]
            p = replace(known, **updates) if updates else known
        self._index(p)
        return p


def _conflicting_keys(m: Mention, c: Person) -> bool:
    """Different keys of the same kind: never the same person."""
    return any(
        mine and theirs and mine.strip().lower() != theirs.strip().lower()
        for mine, theirs in ((m.email, c.email), (m.program_id, c.program_id), (m.orcid, c.orcid))
    )


def _score(a: ParsedName, b: ParsedName, *, place: int) -> float:
    """Similarity in [0, 100] of two parsed names with the same surname block.

    ``place`` is +1 for the same institution, -1 for known different ones, 0 when unknown.
    A first name that only starts the other ("Chris", "Christie") scores 90, not 100.
    """
    if a.initials and b.initials and a.initials[0] != b.initials[0]:
        return 0.0
    if len(a.initials) > 1 and len(b.initials) > 1 and a.initials[1] != b.initials[1]:
        return 0.0
    surname = fuzz.ratio(a.last, b.last)
    if a.first and b.first:
        prefix = a.first.startswith(b.first) or b.first.startswith(a.first)
        if not prefix and fuzz.ratio(a.first, b.first) < 80:
            return 0.0  # Jane is not John
        given = 100.0 if a.first == b.first else max(fuzz.ratio(a.first, b.first), 90.0 if prefix else 0.0)
    else:
        given = 92.0  # initials agree, nothing contradicts
    score = 0.5 * surname + 0.5 * given
    return min(100.0, score + {1: 5.0, 0: 0.0, -1: -8.0}[place])
