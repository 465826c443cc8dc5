"""Entity resolution: which mentions in the input are the same person.

The resolver follows the usual record-linkage order [FS69]_, over a whole run
at once (:meth:`Resolver.resolve_all`) or one mention at a time
(:meth:`Resolver.resolve`, for callers that stream):

1. Deterministic keys first: program id, e-mail, ORCID, LinkedIn profile URL
   (normalised, :func:`graph.resolution.names.normalise_key`).  Mentions sharing
   a key are one person; two *different* keys of one kind never merge, so a
   union that would bring two e-mails (or two LinkedIn URLs) into one person
   is refused.
2. Names are parsed (``nameparser`` plus the MEDLINE ``Smith JA`` form), any
   script transliterated with ``anyascii``.  Blocking: the full transliterated
   surname plus the digits of the name (names differing in a digit are
   different people), split by first initial, and inside that by full
   forename.  A block never degenerates into all-against-all: the empty
   surname key does not exist (a name without letters blocks on its digits
   or its full text), and a block larger than ``CAP`` is split by forename,
   initial-only mentions being compared only with the full names that share
   an institution, e-mail domain or co-author/co-contact.
3. Each candidate pair gets a Fellegi-Sunter comparison vector (forename
   exact/variant/initials, middle initial, institution, e-mail domain, shared
   context) whose m probabilities are estimated by EM on the run's own
   candidate pairs [W88]_ (:mod:`graph.resolution.fellegi_sunter`), the
   forename's u from the run's name frequencies (:func:`_forename_u`).  A pair
   merges when its match weight (log2 Bayes factor) is at least ``merge_bits``
   and the policy allows it:

   - different full forenames never merge on name similarity alone: a variant
     ("Chris"/"Christie", "Aleksandr"/"Alexander") needs corroboration (same
     institution, e-mail domain or a shared co-author/co-contact); forenames
     that are not variants never merge ("Wei"/"Wen");
   - an initial-only mention ("Zhang W") joins a full name only with
     corroboration, or when it is the only compatible person under a rare
     surname (at most ``RARE`` people share it: a term-frequency argument in
     the spirit of [W88]_ and Splink's term-frequency adjustments); otherwise
     it stays apart and goes to the review queue;
   - under one full name, when every two of its people could be one (no two
     institutions, keys or middle initials apart) they are one; otherwise a
     lone mention joins only the person it beats every other for by
     ``MARGIN`` bits, else it goes to the review queue;
   - two institutions merge only with the e-mail domain or ``MOVE`` co-authors
     in common, written by mentions at those institutions (a mention naming
     no institution is no bridge); two co-author circles that never meet under
     one name stay two, and so does a mention naming none of a closed circle
     (a person whose co-authors recur: Good-Turing's unseen share [G53]_);
   - a co-author is compared at two grains: surname and initial ("zhang|y"),
     and with the full forename where both sides write it ("Ying Zhang" is
     rarer than "Zhang Y": term frequency); "Seo-yeon Lee" and "So-woo Lee"
     are two co-authors, not one "Lee S";
   - a full forename is filed and compared under its initial as written and
     as folded ("Yelena" and "Elena" are one), surnames folded likewise
     ("Mikhaylov", "Mikhailov"); romanised Chinese forenames are never
     variants of each other ("Ying"/"Yingyang");
   - a mention that fits two people who cannot be one goes to the review queue;
     namesakes kept apart get their own ids.

   Accepted pairs are unioned strongest first, refusing any union that would
   join two different keys of one kind or two known people.  An alias table of
   user decisions (``same``/``different``) overrides the model.

Why not Splink: measured side by side on the same three labelled sets
(``tools/splink_baseline.py``, Splink 5.0.0 on DuckDB, comparable comparisons; numbers in
docs/resolution.md).  At no match-probability threshold was Splink as precise and as complete
(stress set: 0.990 precision at recall 0.808, or recall 0.966 at precision 0.836, against
0.992 / 0.974 here; sample labels 0.991 / 0.999 against 1.000 / 0.9999), and it was 4-20 times
slower (23 s on the 15k-row name-only log).  Its connected-components clustering lets one wrong
pair chain two people, and the policy rules above (key conflicts, corroboration, review) would
need a second pass.  The model itself (comparison levels, null level weight 0, EM on m, u from
frequencies, term frequency) follows Splink's documented Fellegi-Sunter implementation
[Splink]_.  Measured cost: ``resolve_rows_per_s`` in ``tiegraph bench``.

References
----------
.. [FS69] Fellegi, I. P. and Sunter, A. B. A theory for record linkage.
   JASA 64(328):1183-1210, 1969. https://doi.org/10.1080/01621459.1969.10501049
.. [W88] Winkler, W. E. Using the EM algorithm for weight computation in the
   Fellegi-Sunter model of record linkage. Proc. Section on Survey Research
   Methods, American Statistical Association, 667-671, 1988.
.. [Splink] Linacre, R. et al. Splink: free software for probabilistic record
   linkage at scale. IJPDS 7(3), 2022. https://moj-analytical-services.github.io/splink/
.. [C12] Christen, P. Data Matching: Concepts and Techniques for Record Linkage, Entity
   Resolution, and Duplicate Detection. Springer, 2012, ch. 4 (indexing).
   https://doi.org/10.1007/978-3-642-31164-2
.. [G53] Good, I. J. The population frequencies of species and the estimation of
   population parameters. Biometrika 40(3-4):237-264, 1953. https://doi.org/10.1093/biomet/40.3-4.237
"""

from __future__ import annotations

import gc
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Protocol

import numpy as np
from rapidfuzz.distance import JaroWinkler

from graph.model import Person, stable_id
from graph.resolution.fellegi_sunter import NULL, MatchModel
from graph.resolution.names import ParsedName, clean_name, forename_key, name_digits, normalise_key, parse_name

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

KEY_KINDS = ("program_id", "email", "orcid", "linkedin_url")
"""Deterministic keys, strongest first."""
CAP = 40
"""Largest group compared all-against-all; larger ones are split by a second key."""
SMALL = 8
"""A same-forename group up to this size is compared all-against-all; a larger one in a sorted chain."""
RARE = 3
"""At most this many people under one surname: an initial-only mention may join the only one that fits."""
SPECIFIC = 50
"""A co-author/co-contact token written in at most this many mentions of a run is specific evidence."""
TEAM = 3
"""Two people under one name with at least this many co-authors each and none in common are not merged.
(Two mentions naming two co-authors each of a circle of four miss each other one time in six: two
co-authors apart is no evidence of two people; seeds 12 and 13 of the stress set lost 2% recall to it.)"""
CIRCLE = 4
"""Co-authors/co-contacts a person's mentions must name before their circle can be called closed."""
CLOSED = 0.3
"""A person's circle of co-authors/co-contacts is closed when the chance that their next mention names someone new
(Good-Turing, :func:`_unseen`) is at most this: a mention naming none of them is someone else."""
CLOSED_MIN = 8
"""Co-author/co-contact occurrences a person needs before their circle can be called closed."""
MOVE = 2
"""Co-authors/co-contacts two people at two institutions must have in common to be one person who moved."""
MARGIN = 3.0
"""Bits by which the best corroborated candidate of an initial-only mention must beat the next one."""


@dataclass(frozen=True, slots=True)
class Mention:
    """A person as one input row writes them.

    ``context`` holds the names of the co-authors or co-contacts of the row, as
    written (evidence that two mentions are one person); ``file`` and ``row``
    are provenance and take no part in equality.
    """

    name: str
    email: str | None = None
    program_id: str | None = None
    orcid: str | None = None
    institution_id: str | None = None
    linkedin_url: str | None = None
    context: tuple[str, ...] = ()
    file: str = field(default="", compare=False)
    row: int | None = field(default=None, compare=False)

    def identifiers(self) -> list[tuple[str, str]]:
        """Deterministic keys, strongest first, normalised."""
        out = []
        for kind in KEY_KINDS:
            value = getattr(self, kind)
            if value and value.strip():
                out.append((kind, normalise_key(kind, value)))
        return out


@lru_cache(maxsize=1 << 19)
def person_id(mention: Mention) -> str:
    """The id a new person gets: from their strongest key, else their name.

    Stable: the same mention always gives the same id (kept for the last 524k mentions asked: a run asks each
    of its mentions three times, in its collect step, its resolution and its summing up).
    """
    keys = mention.identifiers()
    if keys:
        return stable_id("p", *keys[0])
    return _name_id(mention.name, mention.institution_id or "")


@lru_cache(maxsize=1 << 18)
def _name_id(name: str, institution: str) -> str:
    """The id of a person known by name (and institution) only."""
    p = parse_name(name)
    digits = name_digits(name)
    parts = ("name", p.last, p.first or p.initials, institution)
    return stable_id("p", *parts, digits) if digits else stable_id("p", *parts)


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
    """A user's decision on two person ids: ``same`` merges, ``different`` keeps apart.

    ``mention`` pins a writing (``b``, a :func:`~graph.model.mention_key`) to person ``a``: what a split decided.
    """

    a: str
    b: str
    decision: str


@lru_cache(maxsize=1 << 18)
def _context_token(name: str) -> str:
    digits = name_digits(name)
    p = _parse(name, digits)
    return f"{_surname_block(p, digits, name)}|{p.initials[:1]}"


@lru_cache(maxsize=1 << 18)
def _full_context_token(name: str) -> str:
    """A co-author as surname, initial and full forename ("zhang|y|iing"); "" when only initials are written."""
    digits = name_digits(name)
    p = _parse(name, digits)
    return f"{_surname_block(p, digits, name)}|{p.initials[:1]}|{forename_key(p.first)}" if p.first else ""


def _unseen(e: _Entity) -> float:
    """The Good-Turing estimate [G53]_ that the entity's next mention names a co-author/co-contact it never named.

    The share of its co-author occurrences that are the only one of their
    token (n1 / N).  A stable team (every co-author written again and again)
    gives near 0; a contact log's person, meeting someone new on most rows,
    near 1.  Fewer than ``CLOSED_MIN`` occurrences tell nothing: 1.
    """
    if e.ctx_seen is None:  # each token written once: every one is new
        return 1.0
    total = sum(e.ctx_seen.values())
    if total < CLOSED_MIN:
        return 1.0
    return sum(1 for n in e.ctx_seen.values() if n == 1) / total


def _closed(e: _Entity) -> bool:
    """Whether an entity's circle of co-authors/co-contacts is known: ``CIRCLE`` of them, rarely a new one (:func:`_unseen`)."""
    return len(e.ctx) >= CIRCLE and _unseen(e) <= CLOSED


def _shared_context(a: _Entity, b: _Entity) -> tuple[AbstractSet[str], AbstractSet[str]]:
    """The co-authors/co-contacts two entities have in common: as surname and initial, and with the full forename.

    A surname and initial both write ("lee|s") is not in common when both
    sides write that co-author's full forename and no forename agrees
    ("Seo-yeon Lee" and "So-woo Lee" are two people).
    """
    shared = a.ctx & b.ctx
    if not shared:
        return shared, _NONE
    full = a.ctx_full & b.ctx_full
    out = set()
    for t in shared:
        prefix = t + "|"
        if any(x.startswith(prefix) for x in full):
            out.add(t)
            continue
        if any(x.startswith(prefix) for x in a.ctx_full) and any(x.startswith(prefix) for x in b.ctx_full):
            continue  # both write the co-author's forename, and the forenames differ: two co-authors
        out.add(t)
    return out, full


def _forename(p: ParsedName) -> str:
    return forename_key(p.first)


def _parse(name: str, digits: str) -> ParsedName:
    """The parsed name, a numbered name's word taken as its forename ("Nurse 0412": the number and the word are it)."""
    p = parse_name(name)
    if digits and not p.first and not p.initials and p.last:
        return ParsedName(p.last, p.last, p.last[:1])
    return p


_PINYIN = re.compile(
    r"(?:(?:zh|ch|sh|ks|[bpmfdtnlgkhjqrzcswi])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|er|ia|ie|iu|ua|uo|ui|ue|a|o|e|i|u))+"
)
"""Hanyu Pinyin syllables as :func:`forename_key` folds them ("x" -> "ks", "y" -> "i")."""


@lru_cache(maxsize=1 << 16)
def _pinyin(key: str) -> bool:
    """Whether a folded name is a run of Pinyin syllables ("iing" for Ying, "ksinchen" for Xinchen, "wang")."""
    return _PINYIN.fullmatch(key) is not None


def _variant(a: str, b: str, surname: str = "") -> bool:
    """Two different full forenames that may be one written two ways ("Chris"/"Christie", "Aleksandr"/"Alexander").

    Romanised Chinese given names are never variants of each other: "Ying"
    and "Yingyang", "Lin" and "Linjun" are different names (a syllable more),
    as are "Wei" and "Wen"; merging them is the failure users of bibliometrix
    report.  Such a pair is told by its surname and both forenames being
    Pinyin syllables.
    """
    if surname and _pinyin(surname) and _pinyin(a) and _pinyin(b):
        return False
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 3 and long_.startswith(short):
        return True
    return JaroWinkler.normalized_similarity(a, b) >= 0.92


def _initials(p: ParsedName) -> str:
    """Initials as compared: a full forename's first letter as :func:`forename_key` folds it ("Yelena" and "Elena": "e")."""
    return forename_key(p.first)[:1] + p.initials[1:] if p.first else p.initials


def _block_initials(p: ParsedName) -> tuple[str, ...]:
    """The first initials a name is filed under: as written and, for a full forename, as folded ("Yelena": y and e)."""
    written = p.initials[:1]
    folded = _initials(p)[:1]
    return (written, folded) if p.first and folded != written else (written,)


def _initials_agree(a: str, b: str) -> bool:
    """One set of initials is the start of the other ("j", "ja", "jap"); "mke" and "mkp" are two people."""
    n = min(len(a), len(b))
    return a[:n] == b[:n]


class _Entity:
    """What is known of one person (a group of mentions, or a known person) while resolving."""

    __slots__ = (
        "ctx",
        "ctx_full",
        "ctx_placed",
        "ctx_seen",
        "digits",
        "domains",
        "first",
        "insts",
        "keys",
        "n",
        "name",
        "own",
        "pid",
        "written",
    )

    def __init__(self, name: ParsedName, digits: str, written: str) -> None:
        self.name = name  # the fullest name seen
        # Sets start as one shared empty frozenset and become an entity's own set when it absorbs another
        # (:func:`_grow`): a run holds one entity per distinct mention, millions at 1M rows.
        self.first: AbstractSet[str] = _one(_forename(name)) if name.first else _NONE
        self.digits = digits
        self.written = written
        self.keys: dict[str, str] = {}
        self.pid: str | None = None
        self.insts: AbstractSet[str] = _NONE
        self.domains: AbstractSet[str] = _NONE
        self.ctx: AbstractSet[str] = _NONE  # co-authors/co-contacts as surname and initial ("zhang|y")
        self.ctx_full: AbstractSet[str] = _NONE  # and with the full forename, where written ("zhang|y|iing")
        self.ctx_placed: AbstractSet[str] = _NONE  # the ctx of mentions that name an institution
        self.ctx_seen: dict[str, int] | None = None  # how many of its mentions write each ctx token; None: once each
        self.own: AbstractSet[str] = _NONE
        self.n = 1  # mentions (or known people) it is made of

    @classmethod
    def of_mention(
        cls, m: Mention, by_key: dict[tuple[str, str], str], shared: dict[object, Any] | None = None
    ) -> _Entity:
        """The entity of one mention; its sets are taken from ``shared`` (a run's) when an equal one is there."""
        memo = shared if shared is not None else {}
        digits = name_digits(m.name)
        e = cls(_parse(m.name, digits), digits, m.name)
        for kind, value in m.identifiers():
            e.keys[kind] = value
            if e.pid is None and (kind, value) in by_key:
                e.pid = by_key[(kind, value)]
        if m.institution_id:
            e.insts = _share(memo, m.institution_id)
        if e.keys.get("email") and "@" in e.keys["email"]:
            e.domains = _share(memo, e.keys["email"].rsplit("@", 1)[1])
        if m.context:
            ctx = memo.get(("ctx", m.context))
            if ctx is None:
                written = [c for c in m.context if c and c.strip()]
                ctx = memo[("ctx", m.context)] = (
                    frozenset(_context_token(c) for c in written) or _NONE,
                    frozenset(t for c in written if (t := _full_context_token(c))) or _NONE,
                )
            e.ctx, e.ctx_full = ctx
            if m.institution_id:
                e.ctx_placed = e.ctx
        e.own = _share(memo, person_id(m))
        return e

    def absorb(self, other: _Entity) -> None:
        if other.name.first and (not self.name.first or len(other.name.initials) > len(self.name.initials)):
            self.name, self.written = other.name, other.written
        self.first = _grow(self.first, other.first)
        self.keys.update(other.keys)
        self.pid = self.pid or other.pid
        self.insts = _grow(self.insts, other.insts)
        self.domains = _grow(self.domains, other.domains)
        seen = self.ctx_seen if self.ctx_seen is not None else dict.fromkeys(self.ctx, 1)
        for tok, n in (other.ctx_seen or dict.fromkeys(other.ctx, 1)).items():
            seen[tok] = seen.get(tok, 0) + n
        self.ctx_seen = seen
        self.ctx = _grow(self.ctx, other.ctx)
        self.ctx_full = _grow(self.ctx_full, other.ctx_full)
        self.ctx_placed = _grow(self.ctx_placed, other.ctx_placed)
        self.own = _grow(self.own, other.own)
        self.n += other.n

    def conflicts(self, other: _Entity) -> bool:
        """Different keys of one kind, or two known people: never one person."""
        if self.pid and other.pid and self.pid != other.pid:
            return True
        if self.digits != other.digits:
            return True
        for kind, value in self.keys.items():
            theirs = other.keys.get(kind)
            if theirs is not None and theirs != value:
                return True
        for a in self.first:  # every forename of one must be the other's, or a variant of it
            for b in other.first:
                if a != b and not _variant(a, b, self.name.block):
                    return True
        return False


@dataclass(slots=True)
class _Pair:
    a: int
    b: int
    gamma: tuple[int, ...]
    level: int  # forename level: 0 exact, 1 variant, 2 initials
    corroborated: bool
    weight: float = 0.0


class Resolver:
    """Resolve mentions against known people, learning as it goes.

    Parameters
    ----------
    people : iterable of Person
        People already in the store.
    aliases : iterable of Alias, optional
        User decisions from the alias file.
    merge_bits : float
        Smallest match weight (log2 Bayes factor) that merges an allowed pair.
    review_bits : float
        Smallest match weight for which the best unmerged candidate is queued for review.
    """

    @classmethod
    def for_file(cls, people: Iterable[Person], file: str, aliases: list[Alias] | None = None) -> Resolver:
        """A resolver for reading ``file`` (again): every known person but those ``file`` itself wrote.

        A file's own earlier word (an edit, or a run cut off mid-write) is not
        evidence about its people, so a re-read resolves as a clean run would.
        """
        return cls.for_files(people, [file], aliases)

    @classmethod
    def for_files(cls, people: Iterable[Person], files: Iterable[str], aliases: list[Alias] | None = None) -> Resolver:
        """One resolver for a run that (re-)reads ``files``: every known person but those these files wrote.

        The rule of :meth:`for_file` for a whole run: the files' own earlier word
        is left out, and the run learns their people afresh, file after file.
        """
        skip = set(files)
        resolver = cls([p for p in people if p.file not in skip], aliases)
        resolver.mark_stored(resolver.people.values())
        return resolver

    def __init__(
        self,
        people: Iterable[Person],
        aliases: list[Alias] | None = None,
        *,
        merge_bits: float = 0.0,
        review_bits: float = -6.0,
    ) -> None:
        self.people: dict[str, Person] = {}
        self._by_key: dict[tuple[str, str], str] = {}
        self._keys_of: dict[str, dict[str, str]] = defaultdict(dict)
        self._by_block: dict[tuple[str, str], set[str]] = defaultdict(set)  # (surname|digits, initial)
        self._surname: dict[str, set[str]] = defaultdict(set)  # surname|digits -> people
        self._blocks_of: dict[str, set[str]] = defaultdict(set)
        self._entity: dict[str, _Entity] = {}
        self._same: dict[str, str] = {}
        self._different: set[frozenset[str]] = set()
        self.merge_bits, self.review_bits = merge_bits, review_bits
        self.model = MatchModel()
        self.review: list[ReviewItem] = []
        self.merged = 0
        self.created: set[str] = set()
        self.compared = 0
        self._df: dict[str, int] = {}  # mentions of the run writing each context token
        self._cache: dict[Mention, str] = {}
        self._sigs: dict[int, tuple[object, ...]] = {}  # entity -> _signature, until a union changes it
        self._disjoint: dict[tuple[tuple[object, ...], tuple[object, ...]], float | None] = {}  # by signatures
        self.pins: dict[str, str] = {}  # mention key -> person: what a split decided (see :meth:`pinned`)
        # person -> the record the store holds, as an object (see :meth:`unchanged`)
        self.stored: dict[str, Person] = {}
        for alias in aliases or []:
            if alias.decision == "same":
                self._same[alias.b] = alias.a
            elif alias.decision == "mention":
                self.pins[alias.b] = alias.a
            else:
                self._different.add(frozenset((alias.a, alias.b)))
        for p in people:
            self._index(p)

    def mark_stored(self, people: Iterable[Person]) -> None:
        """These person records are stored as they are: the store gave them, or they were just written."""
        self.stored.update((p.id, p) for p in people)

    def unchanged(self, people: Iterable[Person]) -> set[str]:
        """The ids of those of ``people`` the store holds as they are: each the very record last marked stored.

        :meth:`person` returns the record it knows when a mention adds nothing,
        so a person an earlier file of the run wrote, and this file only names
        again, need not be written again (the 100k program's files build 338k
        person records, 181k of them as an earlier file wrote them).
        """
        return {p.id for p in people if self.stored.get(p.id) is p}

    # -- the index of known people ---------------------------------------------------------------

    def _index(self, p: Person, extra: dict[str, str] | None = None) -> None:
        if self.people.get(p.id) is p and not extra:
            return
        self.people[p.id] = p
        keys = self._keys_of[p.id]
        for kind in KEY_KINDS:
            value = getattr(p, kind, None)
            if value:
                keys.setdefault(kind, normalise_key(kind, value))
        for kind, value in (extra or {}).items():
            keys.setdefault(kind, value)
        for kind, value in keys.items():
            self._by_key.setdefault((kind, value), p.id)
        parsed = _parse(p.name, name_digits(p.name))
        sk = _surname_block(parsed, name_digits(p.name), p.name)
        blocks = self._blocks_of[p.id]
        blocks.add(sk)
        for block in blocks:  # a renamed person stays in the blocks of earlier names, under the current initial
            for initial in _block_initials(parsed):
                self._by_block[(block, initial)].add(p.id)
            self._surname[block].add(p.id)
        self._entity.pop(p.id, None)

    def _known(self, pid: str) -> _Entity:
        e = self._entity.get(pid)
        if e is None:
            p = self.people[pid]
            digits = name_digits(p.name)
            e = _Entity(_parse(p.name, digits), digits, p.name)
            e.pid = pid
            e.keys = dict(self._keys_of.get(pid, {}))
            if p.institution_id:
                e.insts = frozenset((p.institution_id,))
            if e.keys.get("email") and "@" in e.keys["email"]:
                e.domains = frozenset((e.keys["email"].rsplit("@", 1)[1],))
            e.own = frozenset((pid,))
            self._entity[pid] = e
        return e

    # -- one pair ----------------------------------------------------------------------------------

    def _compare(self, a: _Entity, b: _Entity, *, none_shared: bool = False) -> _Pair | None:
        """The comparison vector of two entities of one block, or None when they can never be one.

        ``none_shared`` compares them as if they had no co-author/co-contact in
        common (the context level of two entities whose context tokens are disjoint).
        """
        self.compared += 1
        if a.conflicts(b):
            return None
        if self._different and any(frozenset((x, y)) in self._different for x in a.own for y in b.own):
            return None
        na, nb = a.name, b.name
        ia, ib = (_initials(na), _initials(nb)) if na.first and nb.first else (na.initials, nb.initials)
        if not _initials_agree(ia, ib):
            return None
        level = (0 if a.first & b.first else 1) if na.first and nb.first else 2
        if len(na.initials) > 1 and len(nb.initials) > 1:
            middle = 0
        elif len(na.initials) > 1 or len(nb.initials) > 1:
            middle = 1
        else:
            middle = NULL
        inst = NULL if not (a.insts and b.insts) else (0 if a.insts & b.insts else 1)
        dom = NULL if not (a.domains and b.domains) else (0 if a.domains & b.domains else 1)
        shared = None if not (a.ctx and b.ctx) or none_shared else _shared_context(a, b)
        ctx = NULL if not (a.ctx and b.ctx) else (2 if shared is None else self._context_level(*shared))
        corroborated = inst == 0 or dom == 0 or ctx == 0
        return _Pair(0, 0, (level, middle, inst, dom, ctx), level, corroborated)

    def _context_level(self, shared: AbstractSet[str], shared_full: AbstractSet[str]) -> int:
        """0: a specific co-author/co-contact in common (or two); 1: one common one only; 2: none in common.

        A token ("zhang|w") written in many mentions of the run is weak evidence
        that two mentions are one person: it is likely a different Zhang W.  The
        same co-author written with their full forename on both sides
        ("zhang|y|iing") is judged by how many mentions write that full name: a
        Ying Zhang is rarer than a Zhang Y (the term-frequency argument of
        Splink's term-frequency adjustments [Splink]_).
        """
        if not shared:
            return 2
        if len(shared) > 1 or any(self._df.get(t, 0) <= SPECIFIC for t in shared):
            return 0
        if any(self._df.get(t, 0) <= SPECIFIC for t in shared_full):
            return 0
        return 1

    def _allowed(self, pair: _Pair) -> bool:
        if pair.weight < self.merge_bits:
            return False
        return pair.level == 0 or pair.corroborated

    def _fits(self, a: _Entity, b: _Entity, *, none_shared: bool = False) -> bool:
        """Whether two (possibly merged) entities could be one person: no conflict and a weight that allows it.

        ``none_shared``: as if their contexts were disjoint (see :meth:`_compare`).
        """
        pair = self._compare(a, b, none_shared=none_shared)
        if pair is None:
            return False
        pair.weight = self.model.weight(pair.gamma)
        if pair.gamma[4] == 2 and (min(len(a.ctx), len(b.ctx)) >= TEAM or _closed(a) or _closed(b)):
            return False  # two circles of co-authors that never meet, or a closed circle the other is not in
        placed = set() if none_shared else _shared_context(a, b)[0] & a.ctx_placed & b.ctx_placed
        if pair.gamma[2] == 1 and pair.gamma[3] != 0 and len(placed) < MOVE:
            # two institutions: a move needs the e-mail domain or MOVE co-authors in common, written at
            # the institutions (a mention naming none, which shares a co-author with each, is no bridge)
            return False
        return pair.weight >= self.merge_bits and (pair.level != 1 or pair.corroborated)

    @staticmethod
    def _score(weight: float) -> float:
        """A match weight as a 0-100 score for people (the posterior at even prior odds)."""
        score: float = round(100.0 / (1.0 + 2.0 ** (-max(min(weight, 60.0), -60.0))), 1)
        return score

    # -- one mention at a time ---------------------------------------------------------------------

    def resolve(self, mention: Mention) -> str:
        """Return the id of the person a mention names, creating them if new.

        A mention resolved by :meth:`resolve_all` is a cache hit; any other is
        resolved incrementally against the people known so far.
        """
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
        e = _Entity.of_mention(m, self._by_key)
        sk = _surname_block(e.name, e.digits, m.name)
        initial = e.name.initials[:1]
        cands = {c for ini in _block_initials(e.name) for c in self._by_block.get((sk, ini), ())}
        cands |= set(self._by_block.get((sk, ""), ()))
        if not initial:
            cands = set(self._surname.get(sk, ()))
        scored: list[tuple[float, str, _Pair]] = []
        for cid in sorted(cands):
            pair = self._compare(e, self._known(cid))
            if pair is not None:
                pair.weight = self.model.weight(pair.gamma)
                scored.append((pair.weight, cid, pair))
        if not scored:
            return new_id
        scored.sort(key=lambda t: (-t[0], t[1]))
        allowed = [t for t in scored if self._allowed(t[2])]
        if len(allowed) == 1 or (allowed and allowed[0][0] - allowed[1][0] >= 1.0):
            self.merged += 1
            return allowed[0][1]
        if not allowed and e.name.first == "" and len(scored) == 1 and len(self._surname.get(sk, ())) <= RARE:
            self.merged += 1  # the only person under a rare surname that fits
            return scored[0][1]
        weight, best, _ = scored[0]
        if weight >= self.review_bits:
            self.review.append(ReviewItem(m.name, new_id, best, self.people[best].name, self._score(weight)))
        return new_id

    def pinned(self, key: str) -> str | None:
        """The person a split assigned this writing (a :func:`~graph.model.mention_key`) to, after later merges; else None."""
        pid = self.pins.get(key)
        return None if pid is None else self._same.get(pid, pid)

    # -- a whole run at once -----------------------------------------------------------------------

    def resolve_all(self, mentions: Sequence[Mention]) -> list[str]:
        """Resolve every mention of a run together; returns person ids in order.

        Afterwards :meth:`resolve` of any of these mentions is a cache hit.
        The m/u probabilities are re-estimated by EM on this run's candidate
        pairs (kept in ``self.model``) before any decision is taken.
        """
        order: dict[Mention, int] = {}
        for m in mentions:
            if m not in self._cache and m not in order:
                order[m] = len(order)
        uniq = list(order)
        if uniq:
            enabled = gc.isenabled()
            gc.disable()  # millions of small objects, none cyclic garbage: the collector's passes are pure cost
            try:
                self._resolve_run(uniq)
            finally:
                if enabled:
                    gc.enable()
        return [self._cache[m] for m in mentions]

    def _resolve_run(self, uniq: list[Mention]) -> None:
        shared: dict[object, Any] = {}
        ents = [_Entity.of_mention(m, self._by_key, shared) for m in uniq]
        del shared
        df: dict[str, int] = defaultdict(int)
        for e in ents:
            for tok in e.ctx | e.ctx_full:
                df[tok] += 1
        self._df = dict(df)
        self._sigs, self._disjoint = {}, {}
        parent = list(range(len(ents)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        def union(i: int, j: int, *, check: bool = False) -> bool:
            ri, rj = find(i), find(j)
            if ri == rj:
                return True
            if ents[ri].conflicts(ents[rj]):
                return False
            if check and not self._fits(ents[ri], ents[rj]):
                return (
                    False  # the two people as merged so far disagree (e.g. institutions): no chaining through a third
                )
            if self._different and any(
                frozenset((x, y)) in self._different for x in ents[ri].own for y in ents[rj].own
            ):
                return False
            parent[rj] = ri
            ents[ri].absorb(ents[rj])
            self._sigs.pop(ri, None)
            self._sigs.pop(rj, None)
            return True

        # 1. deterministic keys (and the known person a key names)
        owner: dict[tuple[str, str], int] = {}
        for i, e in enumerate(ents):
            keys = list(e.keys.items()) + ([("pid", e.pid)] if e.pid else [])
            for key in keys:
                j = owner.setdefault(key, i)
                if j != i:
                    union(j, i)
        # 2. blocks: (surname|digits, first initial); known people of touched blocks join as entities
        roots = sorted({find(i) for i in range(len(ents))})
        blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
        for r in roots:
            e = ents[r]
            for initial in _block_initials(e.name):
                blocks[(_surname_block(e.name, e.digits, e.written), initial)].append(r)
        in_run = {ents[r].pid for r in roots if ents[r].pid}
        for (sk, initial), members in list(blocks.items()):
            known = set(self._by_block.get((sk, initial), ()))
            if initial:
                known |= self._by_block.get((sk, ""), set())
            for pid in sorted(known - in_run):
                k = _copy(self._known(pid))
                ents.append(k)
                parent.append(len(ents) - 1)
                members.append(len(ents) - 1)
                in_run.add(pid)

        # 3. candidate pairs, comparison vectors
        pairs: list[_Pair] = []
        seen: set[tuple[int, int]] = set()
        for members in blocks.values():  # a name filed under two initials meets some pairs twice: once is enough
            for pair in self._block_pairs(ents, members):
                if (pair.a, pair.b) not in seen:
                    seen.add((pair.a, pair.b))
                    pairs.append(pair)
        if pairs:
            self.model = self.model.fit(
                np.array([p.gamma for p in pairs], dtype=np.int64), fixed_u={"forename": _forename_u(ents)}
            )
            for p in pairs:
                p.weight = self.model.weight(p.gamma)
        log.info(
            "resolver: %d mentions, %d blocks, %d candidate pairs; %s",
            len(uniq),
            len(blocks),
            len(pairs),
            self.model.summary(),
        )

        # 4. decisions.  (a) corroborated full-name pairs, strongest first;
        # (b) same-forename pairs with nothing in common but the name: a mention joins only
        #     when its name is, as far as the evidence goes, one person (a single other cluster under it);
        # (c) initial-only mentions: the one corroborated full name, else (rare surname) the only one.
        full = [p for p in pairs if p.level < 2]
        review: dict[int, _Pair] = {}
        tied: dict[int, list[_Pair]] = defaultdict(list)
        loose: list[_Pair] = []
        # pairs sharing a co-author or e-mail domain first, then those sharing only an institution
        for p in sorted(full, key=lambda p: (p.gamma[3] != 0 and p.gamma[4] != 0, -p.weight, p.a, p.b)):
            if self._allowed(p) and p.corroborated:
                if union(p.a, p.b, check=True):
                    self.merged += 1
            elif p.level == 0 and p.weight >= self.merge_bits:
                loose.append(p)
            else:
                for side in (p.a, p.b):
                    if p.weight >= self.review_bits and side not in review and not (ents[side].keys or ents[side].pid):
                        review[side] = p
                    elif side in review and p.weight == review[side].weight:
                        tied[side].append(p)  # as strong as the queued one: the smaller person id is queued
        groups: dict[tuple[str, str], set[int]] = defaultdict(set)  # (surname block, forename) -> entities
        for (sk, _), members in blocks.items():
            for i in members:
                for f in ents[i].first:
                    groups[(sk, f)].add(i)

        def group_of(i: int) -> tuple[str, str]:
            e = ents[i]
            return _surname_block(e.name, e.digits, e.written), _forename(e.name)

        for key in sorted({group_of(p.a) for p in loose}):
            self._settle_namesakes(sorted({find(i) for i in groups[key]}), ents, find, union)
        for p in loose:
            if find(p.a) == find(p.b):
                review.pop(p.a, None)
                review.pop(p.b, None)
                continue
            for side in (p.a, p.b):
                if side not in review and not (ents[side].keys or ents[side].pid):
                    review[side] = p
        full_roots: dict[str, set[int]] = defaultdict(set)  # people with a full forename under each surname
        for (sk, _), members in blocks.items():
            full_roots[sk].update(find(i) for i in members if ents[i].name.first)
        surname_size = {sk: max(len(v), len(self._surname.get(sk, ()))) for sk, v in full_roots.items()}
        initials = [p for p in pairs if p.level == 2]
        by_mention: dict[int, list[_Pair]] = defaultdict(list)
        short_pairs: list[_Pair] = []
        for p in initials:
            if not ents[p.a].name.first and not ents[p.b].name.first:
                short_pairs.append(p)
                continue
            short = p.a if not ents[p.a].name.first else p.b
            by_mention[short].append(p)
        for i, ps in sorted(by_mention.items()):
            ps.sort(key=lambda p: (-p.weight, p.a, p.b))
            me = find(i)
            best: dict[int, float] = {}  # corroborated candidate clusters, their best weight
            for p in ps:
                other = find(p.b if p.a == i else p.a)
                if other != me and self._allowed(p) and p.corroborated:
                    best[other] = max(best.get(other, -np.inf), p.weight)
            fits = {find(p.b if p.a == i else p.a) for p in ps} - {me}
            ranked = sorted(best.items(), key=lambda t: -t[1])
            e = ents[me]
            sk = _surname_block(e.name, e.digits, e.written)
            target = None
            if ranked and (len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= MARGIN):
                target = ranked[0][0]
            elif not ranked and len(fits) == 1 and surname_size.get(sk, 0) <= RARE:
                target = next(iter(fits))  # the only person under a rare surname that fits
            if target is not None and union(me, target, check=bool(ranked)):
                self.merged += 1
                review.pop(i, None)
                continue
            if ps and ps[0].weight >= self.review_bits and i not in review:
                review[i] = ps[0]
                tied[i].extend(q for q in ps[1:] if q.weight == ps[0].weight)
        for p in sorted(short_pairs, key=lambda p: (-p.weight, p.a, p.b)):  # "Zhang W" twice, no full name taken
            ra, rb = find(p.a), find(p.b)
            if ra == rb or ents[ra].name.first or ents[rb].name.first:
                continue
            if (
                self._allowed(p)
                and p.corroborated
                and ents[p.a].name.initials == ents[p.b].name.initials
                and union(p.a, p.b, check=True)
            ):
                self.merged += 1

        # 5. ids: the known person, else the strongest key, else the name of the fullest mention
        ids: dict[int, str] = {}
        taken = {e.pid for e in ents if e.pid} | set(self.people)
        for i, m in enumerate(uniq):
            r = find(i)
            if r not in ids:
                pid = self._cluster_id(ents[r], m)
                if pid in taken and not ents[r].pid and not ents[r].keys:
                    # a namesake the run kept apart: its own id, not the first one's (ids are identities)
                    pid = stable_id(pid, m.name, m.institution_id or "", *m.context, m.file, str(m.row or ""))
                taken.add(pid)
                ids[r] = pid
            pid = self._same.get(ids[r], ids[r])
            self._cache[m] = pid
        size: dict[int, int] = defaultdict(int)
        for i in range(len(uniq)):
            size[find(i)] += 1
        queued: set[tuple[int, int]] = set()

        def candidate(r: int) -> str:
            return ents[r].pid or ids.get(r) or next(iter(sorted(ents[r].own)))

        for i, p in sorted(review.items()):
            ri = find(i)
            others = [find(q.b if q.a == i else q.a) for q in (p, *tied.get(i, ()))]
            ro = min((r for r in others if r != ri), key=candidate, default=ri)  # as :meth:`_resolve` breaks ties
            if ri == ro or i >= len(uniq) or size[ri] > 1 or (ri, ro) in queued:
                continue  # only a person left on their own is queued, once per candidate
            queued.add((ri, ro))
            new_id = self._cache[uniq[i]]
            cand = candidate(ro)
            self.review.append(
                ReviewItem(uniq[i].name, new_id, cand, clean_name(ents[ro].written), self._score(p.weight))
            )

    def _settle_namesakes(
        self, clusters: list[int], ents: list[_Entity], find: Callable[[int], int], union: _Union
    ) -> None:
        """The people of one full name (surname and forename) after the corroborated merges.

        When every two of them could be one person (no two institutions, no two
        circles of co-authors that never meet), they are one: the name is, as far
        as the input tells, one person.  Otherwise a cluster joins another only
        when that one beats every other by ``MARGIN`` bits (it shares a co-author
        with it and with no other); the rest stay apart, for review.
        """
        if len(clusters) < 2:
            return

        def exact(a: int, b: int) -> float | None:
            pair = self._compare(ents[a], ents[b])
            if pair is None:
                return None
            w = self.model.weight(pair.gamma)
            return w if self._fits(ents[a], ents[b]) else min(w, self.merge_bits - 1e-9)

        def weight(a: int, b: int) -> float | None:
            """A pair's weight; for two with no context token in common, that of their signatures (memoised)."""
            ea, eb = ents[a], ents[b]
            if self._different or not ea.ctx.isdisjoint(eb.ctx):
                return exact(a, b)
            key = (self._signature(a, ents), self._signature(b, ents))
            if key not in self._disjoint:
                self._disjoint[key] = exact(a, b)
            return self._disjoint[key]

        if self._all_fit(clusters, ents, weight):
            for b in clusters[1:]:
                if union(clusters[0], b, check=True):
                    self.merged += 1
            return
        if len(clusters) > 2 * CAP:
            return
        for a in sorted(clusters, key=lambda c: (len(ents[c].own), c)):
            if find(a) != a or ents[a].n > 1:
                continue  # a mention on its own: the weights were estimated on mentions, not on merged people
            others = {find(b) for b in clusters} - {a}
            ranked = sorted(((w, b) for b in others if (w := weight(a, b)) is not None), key=lambda t: (-t[0], t[1]))
            if not ranked or ranked[0][0] < self.merge_bits:
                continue
            if (len(ranked) == 1 or ranked[0][0] - ranked[1][0] >= MARGIN) and union(a, ranked[0][1], check=True):
                self.merged += 1

    def _all_fit(self, clusters: list[int], ents: list[_Entity], weight: Callable[[int, int], float | None]) -> bool:
        """Whether every two of ``clusters`` could be one person, in time near-linear in their number.

        A pair's outcome depends on the two entities' keys, forenames, initials,
        institutions, e-mail domains and context sizes (their signature,
        :func:`_signature`) and on the co-authors/co-contacts they share.  So the
        clusters are grouped by signature; for each two signatures one pair tells
        the outcome of every pair of them whose contexts are disjoint, and only
        the pairs that share a context token (found by an inverted index) are
        compared one by one.  The answer is that of comparing all pairs, without
        the quadratic cost that made a common name's mentions bail out (blocking
        cost in the sense of Christen [C12]_).
        """
        if self._different:  # user decisions are per person: compare every pair
            return all(
                (w := weight(a, b)) is not None and w >= self.merge_bits
                for x, a in enumerate(clusters)
                for b in clusters[x + 1 :]
            )
        by_sig: dict[tuple[object, ...], list[int]] = defaultdict(list)
        for c in clusters:
            by_sig[self._signature(c, ents)].append(c)
        sigs = list(by_sig.values())
        token_of: dict[str, list[int]] = defaultdict(list)
        for c in clusters:
            for tok in ents[c].ctx:
                token_of[tok].append(c)
        sharing: set[tuple[int, int]] = set()
        budget = 50 * len(clusters) + 2_000
        for members in token_of.values():
            if len(members) * (len(members) - 1) // 2 > budget - len(sharing):
                return all(  # too many sharing pairs to list: every pair, early exit on the first misfit
                    (w := weight(a, b)) is not None and w >= self.merge_bits
                    for x, a in enumerate(clusters)
                    for b in clusters[x + 1 :]
                )
            for x, a in enumerate(members):
                for b in members[x + 1 :]:
                    sharing.add((a, b) if a < b else (b, a))
        sig_of = {c: s for s, group in enumerate(sigs) for c in group}
        shared_by: dict[tuple[int, int], int] = defaultdict(int)
        for a, b in sharing:
            sa, sb = sorted((sig_of[a], sig_of[b]))
            shared_by[(sa, sb)] += 1
        for x, left in enumerate(sigs):
            for y in range(x, len(sigs)):
                right = sigs[y]
                total = len(left) * (len(left) - 1) // 2 if x == y else len(left) * len(right)
                if total == 0 or shared_by.get((x, y), 0) >= total:
                    continue  # every pair of these shares a context token: compared one by one below
                a, b = left[0], (left[1] if x == y else right[0])
                if not self._fits(ents[a], ents[b], none_shared=True):
                    return False
        return all((w := weight(a, b)) is not None and w >= self.merge_bits for a, b in sorted(sharing))

    def _signature(self, i: int, ents: list[_Entity]) -> tuple[object, ...]:
        """:func:`_signature` of entity ``i``, cached until a union changes it."""
        sig = self._sigs.get(i)
        if sig is None:
            sig = self._sigs[i] = _signature(ents[i])
        return sig

    def _cluster_id(self, e: _Entity, first: Mention) -> str:
        if e.pid:
            return e.pid
        for kind in KEY_KINDS:
            if kind in e.keys:
                return stable_id("p", kind, e.keys[kind])
        return person_id(first)

    def _block_pairs(self, ents: list[_Entity], members: list[int]) -> list[_Pair]:
        """Candidate pairs of one (surname, initial) block, never all-against-all when it is large."""
        out: list[_Pair] = []

        def add(i: int, j: int) -> None:
            pair = self._compare(ents[i], ents[j])
            if pair is not None:
                pair.a, pair.b = (i, j) if i < j else (j, i)
                out.append(pair)

        surname = ents[members[0]].name.block if members else ""
        full = [i for i in members if ents[i].name.first]
        short = [i for i in members if not ents[i].name.first]
        by_first: dict[str, list[int]] = defaultdict(list)
        for i in full:
            by_first[_forename(ents[i].name)].append(i)
        # same forename: all pairs when small; else each unkeyed person against the keyed ones sharing evidence
        for group in by_first.values():
            if len(group) <= SMALL:
                for x in range(len(group)):
                    for y in range(x + 1, len(group)):
                        add(group[x], group[y])
            else:
                _split_pairs(ents, group, add)
        # variant forenames ("Chris"/"Christie"): compared pairwise when few, else within the first three letters
        names = sorted(by_first)
        buckets = [names] if len(names) <= 2 * CAP else _buckets(names)
        for bucket in buckets:
            for x in range(len(bucket)):
                for y in range(x + 1, len(bucket)):
                    fa, fb = bucket[x], bucket[y]
                    if not _variant(fa, fb, surname):
                        continue
                    ga, gb = by_first[fa], by_first[fb]
                    if len(ga) * len(gb) <= CAP:
                        for i in ga:
                            for j in gb:
                                add(i, j)
                    else:
                        _evidence_pairs(ents, ga, gb, add)
        # initial-only mentions against the full names (all when few, else those sharing evidence)
        if short:
            if len(full) <= CAP:
                for i in short:
                    for j in full:
                        add(i, j)
            else:
                _evidence_pairs(ents, short, full, add)
            if len(short) <= CAP:
                for x in range(len(short)):
                    for y in range(x + 1, len(short)):
                        if ents[short[x]].name.initials == ents[short[y]].name.initials:
                            add(short[x], short[y])
        return out

    # -- the person record -------------------------------------------------------------------------

    def person(
        self, pid: str, mention: Mention, *, prov: Mapping[str, object] | None = None, **attrs: object
    ) -> Person:
        """The person record for ``pid`` with what this mention adds; indexes it.

        Empty values never overwrite known ones; the first provenance stays:
        ``prov`` (provenance fields) is given to a person new to the resolver only.
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
        given: dict[str, Any] = {k: v for k, v in fill.items() if v not in (None, "")}  # Person fields, of mixed types
        if known is None:
            p = Person(id=pid, **({**given, **prov} if prov else given))
            self.created.add(pid)
        else:
            updates = {k: v for k, v in given.items() if getattr(known, k) in (None, "", "external")}
            new, old = parse_name(given.get("name", "")), parse_name(known.name)
            if new.first and not old.first:  # "John A. Smith" says more than "Smith J"
                updates["name"] = given["name"]
            p = replace(known, **updates) if updates else known
        extra = dict(mention.identifiers())
        self._index(p, {k: v for k, v in extra.items() if k not in self._keys_of.get(pid, {})})
        return p


def _signature(e: _Entity) -> tuple[object, ...]:
    """What a pair's outcome depends on besides the co-authors/co-contacts two entities share (see ``_all_fit``)."""
    return (
        e.pid,
        e.digits,
        tuple(sorted(e.keys.items())),
        frozenset(e.first),
        bool(e.name.first),
        e.name.block,
        e.name.initials,
        _initials(e.name),
        frozenset(e.insts),
        frozenset(e.domains),
        bool(e.ctx),
        len(e.ctx) >= TEAM,
        _closed(e),
        bool(e.ctx_placed),
    )


def _surname_block(name: ParsedName, digits: str, written: str) -> str:
    """The surname part of a block key: the full transliterated surname and the name's digits; never empty."""
    key = name.block or "".join(c for c in written.lower() if c.isalnum()) or "?"
    return f"{key}|{digits}" if digits else key


def _forename_u(ents: list[_Entity]) -> np.ndarray:
    """The u probabilities of the forename levels (exact, variant, initials) from the name frequencies.

    Two different people of one block (surname and first initial) agree on the
    forename by chance with probability sum p(f)^2 / sum q(i)^2 (p over forenames,
    q over first initials); one of them is written with initials only with
    probability 1 - (1 - s)^2 (s the share written so); the rest is a variant.
    Estimated from frequencies, as Splink estimates u from random pairs [Splink]_,
    not by EM: when nearly every candidate pair is one person EM cannot tell u.
    """
    fores: dict[str, int] = defaultdict(int)
    inits: dict[str, int] = defaultdict(int)
    short = 0
    for e in ents:
        if e.name.first:
            fores[_forename(e.name)] += 1
        else:
            short += 1
        if e.name.initials:
            inits[e.name.initials[:1]] += 1
    n, ni = sum(fores.values()), sum(inits.values())
    if not n or not ni:
        return np.array([0.30, 0.15, 0.55])
    agree = sum(c * c for c in fores.values()) / n / n
    same_initial = sum(c * c for c in inits.values()) / ni / ni
    s = short / max(len(ents), 1)
    initials = 1.0 - (1.0 - s) ** 2
    exact = min(agree / same_initial, 0.9) * (1.0 - initials)
    u = np.array([exact, max(1.0 - exact - initials, 0.01), max(initials, 0.01)])
    shares: np.ndarray = u / u.sum()
    return shares


_NONE: frozenset[str] = frozenset()
"""The empty set every entity starts with (shared)."""


@lru_cache(maxsize=1 << 16)
def _one(value: str) -> frozenset[str]:
    """The set of one forename, shared by every entity of that forename."""
    return frozenset((value,))


def _share(memo: dict[object, Any], value: str) -> frozenset[str]:
    """The set of one value, shared through a run's ``memo`` (a million mentions name far fewer values)."""
    key = ("one", value)
    got: frozenset[str] | None = memo.get(key)
    if got is None:
        got = memo[key] = frozenset((value,))
    return got


def _grow(mine: AbstractSet[str], theirs: AbstractSet[str]) -> AbstractSet[str]:
    """``mine | theirs``, in place when ``mine`` is an entity's own set (a set, not a shared frozenset)."""
    if not theirs:
        return mine
    if isinstance(mine, set):
        mine |= theirs
        return mine
    return set(mine) | theirs if mine else set(theirs)


def _copy(e: _Entity) -> _Entity:
    c = _Entity(e.name, e.digits, e.written)
    c.absorb(e)
    c.name, c.written, c.first, c.n = e.name, e.written, set(e.first), e.n
    return c


def _buckets(names: list[str]) -> list[list[str]]:
    by: dict[str, list[str]] = defaultdict(list)
    for n in names:
        by[n[:3]].append(n)
    return [b[: 2 * CAP] for b in by.values()]


_AddPair = Callable[[int, int], None]
"""Adds a candidate pair of entities (by index)."""


class _Union(Protocol):
    """Joins the clusters of entities ``i`` and ``j`` unless they conflict (with ``check``: or disagree as merged so far); True if they are one."""

    def __call__(self, i: int, j: int, *, check: bool = False) -> bool: ...


def _evidence(e: _Entity) -> set[str]:
    return {f"i:{x}" for x in e.insts} | {f"d:{x}" for x in e.domains} | {f"c:{x}" for x in e.ctx}


def _evidence_pairs(ents: list[_Entity], left: list[int], right: list[int], add: _AddPair) -> None:
    """Pairs of ``left`` x ``right`` that share an institution, e-mail domain or context token."""
    index: dict[str, list[int]] = defaultdict(list)
    for j in right:
        for tok in _evidence(ents[j]):
            index[tok].append(j)
    for i in left:
        seen: set[int] = set()
        for tok in _evidence(ents[i]):
            for j in index.get(tok, ())[: 4 * CAP]:
                if j != i and j not in seen:
                    seen.add(j)
                    add(i, j)
        if not seen and right and len(right) <= 4 * CAP:  # nothing shared: one pair for the review queue
            add(i, right[0])


def _split_pairs(ents: list[_Entity], group: list[int], add: _AddPair) -> None:
    """A large same-forename group: every pair sharing evidence, and a chain sorted by middle initials, institution and key.

    Each entity meets its neighbours; chained merges are re-checked person against person
    (``check=True`` in the union), so a chain never joins two people who disagree.
    """
    index: dict[str, list[int]] = defaultdict(list)  # every pair sharing an institution, domain or co-author
    for i in group:
        for tok in _evidence(ents[i]):
            index[tok].append(i)
    seen: set[tuple[int, int]] = set()
    for members in index.values():
        members = members[: 4 * CAP]
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                pair = (members[x], members[y]) if members[x] < members[y] else (members[y], members[x])
                if pair not in seen:
                    seen.add(pair)
                    add(*pair)
    chain = sorted(group, key=lambda i: (ents[i].name.initials, sorted(ents[i].insts), sorted(ents[i].keys.items())))
    for x, y in zip(chain, chain[1:], strict=False):
        add(x, y)
