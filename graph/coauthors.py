"""From PubMed records to publications, authorships and their authors.

Each article of a PubMed file (read by :func:`graph.pubmed.iter_records`)
becomes a :class:`~graph.model.Publication` keyed ``pmid-<PMID>``; each of its
personal authors becomes a person, resolved through the same
:class:`~graph.resolution.resolver.Resolver` as every other input (ORCID first, then the
name, so "Ruiz A" in a byline joins "Ana Ruiz" of the roster when nothing
else fits), and an :class:`~graph.model.Authorship` linking the two.  The
author's institution is read from the affiliation text.

A ``DeleteCitation`` list withdraws publications: their ids go to
``batch.deletions["publication"]`` and the flow removes them with their
authorships.  Records the parser cannot use become rejections; the others
still land.  The file is read record by record: nothing but the batch's own
records is kept.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from graph.errors import InputError
from graph.ingest import Batch, _institution, _person, _Prov
from graph.model import Authorship, Publication, stable_id
from graph.pubmed import Article, Author, Deletion, iter_records
from graph.resolution.resolver import Mention, Resolver
from graph.sources.tabular import Rejection

__all__ = ["build_pubmed", "institution_name"]

log = logging.getLogger(__name__)

_KEYWORDS = tuple(
    re.compile(rf"\b{word}\b", re.IGNORECASE)
    for word in (
        r"hospitals?",
        r"medical cent(?:er|re)",
        r"universit(?:y|ies|ät|é|à|ario|aria|eit)",
        r"institut(?:e|o)?",
        r"clinics?",
        r"college",
    )
)
"""Words that mark an institution's name, the most specific place of care first."""

_UNIT = re.compile(
    r"^(?:from\s+)?(?:the\s+)?(?:department|dept|division|section|unit|service|program|laboratory|lab)\b",
    re.IGNORECASE,
)
"""A segment naming a part of an institution: "Division of Hospital Medicine" is no hospital."""
_NOISE = re.compile(r"(?:electronic address:.*|\S+@\S+)$", re.IGNORECASE)
_LEADING_NUMBER = re.compile(r"^\d+\s+")
_RECORD_PREFIX = re.compile(r"^.*? record \d+(?:, line (?P<line>\d+))?: ")


def build_pubmed(
    path: Path,
    resolver: Resolver,
    *,
    ingested_at: str,
    institutions: dict[str, str] | None = None,
) -> Batch:
    """Turn a PubMed XML or MEDLINE file into publications, authorships and people.

    Parameters
    ----------
    path : pathlib.Path
        Any file :func:`graph.pubmed.iter_records` reads.
    resolver : Resolver
        Knows the people already stored; learns the authors.
    ingested_at : str
        Provenance time stamp.
    institutions : dict of str to str, optional
        Known institutions, name to id.  An affiliation naming one of them
        (as whole words, case ignored; the longest name wins) is that
        institution; otherwise the segment of the affiliation naming a
        hospital, medical center, university, institute, clinic or college
        becomes a new :class:`~graph.model.Institution`.

    Returns
    -------
    Batch
        ``read`` counts articles and unusable records; unusable records are
        rejections with ``row`` = their record number; withdrawn PMIDs are in
        ``deletions["publication"]``.

    Raises
    ------
    InputError
        If the file is unreadable, of neither format, or damaged (broken XML,
        a corrupt gzip stream); see :func:`graph.pubmed.iter_records`.
    """
    batch = Batch("pubmed", path)
    prov = _Prov("pubmed", path.name, ingested_at)
    places = _Places(batch, institutions or {})
    errors: list[InputError] = []
    seen = 0
    for item in iter_records(path, errors=errors):
        seen = _reject(batch, errors, seen)
        seen += 1
        if isinstance(item, Deletion):
            _withdraw(batch, item)
        else:
            batch.read += 1
            _add_article(batch, resolver, item, prov(item.record), places)
    _reject(batch, errors, seen)
    log.info(
        "%s: %d publications, %d authorships, %d rejected, %d withdrawn",
        path.name,
        len(batch.records.get("publication", {})),
        len(batch.records.get("authorship", {})),
        len(batch.rejections),
        len(batch.deletions.get("publication", [])),
    )
    return batch


def institution_name(affiliation: str) -> str | None:
    """The institution an affiliation names, or None.

    The affiliation is split at commas and semicolons; of the segments naming
    a hospital, medical center, university, institute, clinic or college (in
    that order of preference), the first is taken, without a leading
    footnote number or a trailing e-mail address.  Segments naming a
    department, division, section, unit, service, program or laboratory are
    passed over.

    >>> institution_name("Department of Medicine, Rush University Medical Center, Chicago, IL, USA.")
    'Rush University Medical Center'
    >>> institution_name("College of Korean Medicine, Kyung Hee University, Seoul, South Korea.")
    'Kyung Hee University'
    >>> institution_name("Chicago, IL") is None
    True
    """
    segments = [_clean(s) for s in re.split(r"[,;]", _NOISE.sub("", affiliation))]
    segments = [s for s in segments if not _UNIT.match(s)]
    for pattern in _KEYWORDS:
        for segment in segments:
            if pattern.search(segment):
                return segment
    return None


def _clean(segment: str) -> str:
    return _LEADING_NUMBER.sub("", " ".join(segment.split())).strip(" .")


class _Places:
    """Affiliation text to institution id: known names first, then a new institution; memoised."""

    def __init__(self, batch: Batch, institutions: dict[str, str]) -> None:
        self.batch = batch
        names = sorted((n for n in institutions if n.strip()), key=lambda n: (-len(n), n))  # longest first
        self.known = [
            (re.compile(rf"(?<!\w){re.escape(' '.join(n.split()))}(?!\w)", re.IGNORECASE), institutions[n])
            for n in names
        ]
        self.seen: dict[str, str | None] = {}

    def of(self, author: Author) -> str | None:
        """Id of the institution of the author's first affiliation that names one."""
        for affiliation in author.affiliations:
            if affiliation not in self.seen:
                self.seen[affiliation] = self._match(" ".join(affiliation.split()))
            if self.seen[affiliation]:
                return self.seen[affiliation]
        return None

    def _match(self, text: str) -> str | None:
        for pattern, iid in self.known:
            if pattern.search(text):
                return iid
        name = institution_name(text)
        return _institution(self.batch, name) if name else None


def _add_article(
    batch: Batch,
    resolver: Resolver,
    article: Article,
    prov: dict[str, object],
    places: _Places,
) -> None:
    pub_id = f"pmid-{article.pmid}"
    batch.add(
        "publication",
        Publication(
            id=pub_id,
            pmid=article.pmid,
            title=article.title,
            journal=article.journal,
            year=article.year,
            mesh="; ".join(article.mesh),
            **prov,  # type: ignore[arg-type]
        ),
    )
    if pub_id in batch.deletions.get("publication", []):
        batch.deletions["publication"].remove(pub_id)  # withdrawn earlier in the file, given again since
    n_authors = len(article.authors)
    for author in article.authors:
        name = f"{author.fore_name} {author.last_name}" if author.fore_name else author.key
        mention = Mention(name=name, orcid=author.orcid, institution_id=places.of(author))
        pid = _person(resolver, batch, mention, prov)
        batch.add(
            "authorship",
            Authorship(
                id=stable_id("au", article.pmid, author.position),
                person=pid,
                publication=pub_id,
                position=author.position,
                n_authors=n_authors,
                affiliation=author.affiliations[0] if author.affiliations else "",
                **prov,  # type: ignore[arg-type]
            ),
        )


def _withdraw(batch: Batch, deletion: Deletion) -> None:
    """Withdraw PMIDs, also from what this file gave before the deletion list."""
    ids = [f"pmid-{p}" for p in deletion.pmids]
    gone = set(ids)
    for pub_id in ids:
        batch.records.get("publication", {}).pop(pub_id, None)
    authorships = batch.records.get("authorship", {})
    for aid in [a for a, rec in authorships.items() if rec.publication in gone]:  # type: ignore[attr-defined]
        del authorships[aid]
    pending = batch.deletions["publication"]
    already = set(pending)
    pending += [i for i in dict.fromkeys(ids) if i not in already]


def _reject(batch: Batch, errors: list[InputError], seen: int) -> int:
    """Turn the parser's new record errors into rejections; return records seen.

    The parser numbers records in file order and reports a bad record before
    yielding the next one, so a new error is the record after those seen.
    """
    while errors:
        exc = errors.pop(0)
        seen += 1
        batch.read += 1
        m = _RECORD_PREFIX.match(str(exc))
        reason = str(exc)[m.end() :] if m else str(exc)
        where = f" (line {m['line']})" if m and m["line"] else ""
        batch.rejections.append(
            Rejection(batch.file.name, seen, "record", "", f"is not a usable PubMed record{where}: {reason}")
        )
    return seen
