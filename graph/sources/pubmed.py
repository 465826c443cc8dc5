"""PubMed files: a streaming reader of their records, and co-authorship from them.

Two formats are read, recognised from their content rather than their name:

``pubmed-xml``
    ``PubmedArticleSet`` as returned by efetch, and the yearly baseline and
    update files (also the older ``MedlineCitationSet`` layout, whose
    ``MedlineCitation`` elements are records of their own, and
    ``DeleteCitation`` lists).  Plain or gzip-compressed.
``medline``
    The tagged MEDLINE text format (``PMID- ``, ``FAU - ``, ``AU  - ``, ...)
    that PubMed exports; records are separated by blank lines and
    continuation lines start with spaces.  UTF-8, or Latin-1 as a fallback.

Both give the same :class:`Article` values, so the co-author graph (one node
per :attr:`Author.key`, a clique per paper) is the same whichever format a
file was saved in.  Collective authors ("Canadian Respiratory Research
Network") are not persons and are left out of :attr:`Article.authors`.

Files are read once, record by record, and every parsed XML element is freed,
so memory stays flat on a baseline file of a gigabyte.

Co-authorship
-------------

Each article of a PubMed file (read by :func:`iter_records`)
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

References
----------
.. [1] National Library of Medicine. MEDLINE/PubMed XML element descriptions.
   https://www.nlm.nih.gov/bsd/licensee/elements_descriptions.html
.. [2] National Library of Medicine. MEDLINE/PubMed data element (field)
   descriptions. https://www.nlm.nih.gov/bsd/mms/medlineelements.html
"""

from __future__ import annotations

import gzip
import io
import logging
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from graph.errors import InputError
from graph.model import Authorship, Provenance, Publication, RecordRows, field_names, mention_key, stable_id
from graph.resolution.resolver import Mention, Resolver
from graph.sources.batch import Batch, Prov, institution, person
from graph.sources.tabular import Rejection

__all__ = [
    "Article",
    "Author",
    "Deletion",
    "build_pubmed",
    "detect_format",
    "institution_name",
    "iter_records",
    "pubmed_mentions",
]

log = logging.getLogger(__name__)

_HEAD_BYTES = 8192
_GZIP_MAGIC = b"\x1f\x8b"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_XML_ROOTS = frozenset(
    {
        "PubmedArticleSet",
        "PubmedArticle",
        "PubmedBookArticleSet",
        "PubmedBookArticle",
        "MedlineCitationSet",
        "MedlineCitation",
    }
)
_XML_RECORDS = (
    "PubmedArticle",
    "PubmedBookArticle",
    "MedlineCitation",
    "DeleteCitation",
)
_XML_PROLOG = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)", re.DOTALL)
_XML_ROOT = re.compile(r"\s*<(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_MEDLINE_TAG = re.compile(r"([A-Z][A-Z0-9]{0,3}) *-(?: (.*)|$)")
_LXML_POSITION = re.compile(r"(, line \d+)?, column \d+$")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_ORCID = re.compile(r"(?<!\d)(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])(?![\dX])")


@dataclass(frozen=True)
class Author:
    """One personal author of an article, as the record names them.

    Attributes
    ----------
    last_name, fore_name, initials : str
        As in the record; ``initials`` may carry a suffix (``"DL Jr"``) in
        MEDLINE text.
    affiliations : tuple of str
        In record order, whitespace normalised.
    orcid : str or None
        Normalised to ``0000-0000-0000-000X``; None if absent or invalid.
    position : int
        1-based rank among the personal (non-collective) authors.
    """

    last_name: str
    fore_name: str
    initials: str
    affiliations: tuple[str, ...]
    orcid: str | None
    position: int

    @property
    def key(self) -> str:
        """Name key in the MEDLINE ``AU`` form, ``"LastName Initials"``."""
        return f"{self.last_name} {self.initials}".strip()


@dataclass(frozen=True)
class Article:
    """One citation with its personal authors.

    Attributes
    ----------
    pmid, title, journal : str
        ``journal`` is the full title, else its abbreviation; "" for books.
    year : int or None
        Publication year: ``PubDate/Year``, else the first year of
        ``MedlineDate``, else the electronic ``ArticleDate`` (MEDLINE text:
        ``DP``, else ``DEP``).
    authors : tuple of Author
        Personal authors in byline order; collective authors excluded.
    mesh : tuple of str
        MeSH main headings, without the major-topic star and subheadings.
    record : int
        1-based record number in the file.
    """

    pmid: str
    title: str
    journal: str
    year: int | None
    authors: tuple[Author, ...]
    mesh: tuple[str, ...]
    record: int


@dataclass(frozen=True)
class Deletion:
    """A ``DeleteCitation`` list of an update file: PMIDs to withdraw."""

    pmids: tuple[str, ...]


class _RecordError(ValueError):
    """A record that cannot be used; the message is the reason only."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.line = line


def _record_error(path: Path, number: int, line: int | None, exc: _RecordError) -> InputError:
    """``pubmed.xml record 3, line 57: no PMID``."""
    where = f", line {exc.line or line}" if exc.line or line else ""
    return InputError(f"{path.name} record {number}{where}: {exc}")


def detect_format(path: Path) -> str:
    """Return the format of a PubMed file from its first few kilobytes.

    Parameters
    ----------
    path : pathlib.Path
        Plain or gzip-compressed (recognised by its magic bytes, not its
        name); a byte-order mark and CRLF line ends are accepted.

    Returns
    -------
    str
        ``"pubmed-xml"`` or ``"medline"``.

    Raises
    ------
    InputError
        If the file cannot be read, is empty, or is neither format.

    """
    path = Path(path)
    head = _read_head(path)
    if not head.strip():
        raise InputError(f"{path.name}: empty file")
    text = _decode_head(head).lstrip("\ufeff \t\r\n")
    if not text:
        raise InputError(f"{path.name}: empty file")
    if text.startswith("<"):
        root = _xml_root(text)
        if root in _XML_ROOTS:
            return "pubmed-xml"
        found = f"root element <{root}>" if root else "no root element in its head"
        raise InputError(f"{path.name}: XML with {found}, not a PubMed article set")
    first = text.splitlines()[0]
    if _MEDLINE_TAG.fullmatch(first):
        return "medline"
    raise InputError(f"{path.name}: neither PubMed XML nor MEDLINE text (starts with {first[:30]!a})")


def iter_records(path: Path, *, errors: list[InputError] | None = None) -> Iterator[Article | Deletion]:
    """Yield the articles and deletions of a PubMed file, one at a time.

    Parameters
    ----------
    path : pathlib.Path
        PubMed XML or MEDLINE text, plain or gzip-compressed; see
        :func:`detect_format`.
    errors : list of InputError, optional
        Where to put records that cannot be used (no PMID, unreadable
        lines); parsing then goes on with the next record.  If None, the
        first such record raises.  Damage to the file itself (broken XML,
        a corrupt gzip stream) always raises.

    Returns
    -------
    iterator of Article or Deletion
        In file order, read lazily.

    Raises
    ------
    InputError
        At once if the file is unreadable, empty or of neither format;
        while iterating for broken records or a damaged file.  Messages
        name the file and the record number or line, e.g.
        ``pubmed.xml record 3, line 57: no PMID`` or
        ``pubmed.xml line 57: Premature end of data ...``.

    Examples
    --------
    Author keys of every article in a file::

        coauthors = [
            [a.key for a in rec.authors]
            for rec in iter_records(Path("pubmed.xml"))
            if isinstance(rec, Article)
        ]
    """
    path = Path(path)
    reader = _iter_xml if detect_format(path) == "pubmed-xml" else _iter_medline
    return _route_errors(reader(path), errors)


def _route_errors(
    items: Iterator[Article | Deletion | InputError], errors: list[InputError] | None
) -> Iterator[Article | Deletion]:
    """Pass records on; raise record errors, or collect them in ``errors``."""
    for item in items:
        if not isinstance(item, InputError):
            yield item
        elif errors is None:
            raise item
        else:
            log.warning("%s", item)
            errors.append(item)


# -- files ------------------------------------------------------------------


@contextmanager
def _open_binary(path: Path) -> Iterator[BinaryIO | gzip.GzipFile]:
    """Open ``path`` for reading bytes, decompressing gzip by magic number."""
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise InputError(f"{path.name}: cannot open: {exc.strerror or exc}") from exc
    with raw:
        if raw.read(2) == _GZIP_MAGIC:
            raw.seek(0)
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                yield unzipped
        else:
            raw.seek(0)
            yield raw


def _read_head(path: Path) -> bytes:
    try:
        with _open_binary(path) as fh:
            return fh.read(_HEAD_BYTES)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"{path.name}: cannot read: {exc}") from exc


def _decode_head(head: bytes) -> str:
    if head.startswith(_UTF16_BOMS):
        return head.decode("utf-16", errors="replace")
    return head.decode("utf-8", errors="replace")


def _xml_root(text: str) -> str | None:
    """Local name of the first element after the prolog, if in ``text``."""
    pos = 0
    while (m := _XML_PROLOG.match(text, pos)) and m.end() > pos:
        pos = m.end()
    m = _XML_ROOT.match(text, pos)
    return m.group(1) if m else None


# -- XML --------------------------------------------------------------------


def _iter_xml(path: Path) -> Iterator[Article | Deletion | InputError]:
    """Yield records (and record errors) of PubMed XML, freeing each element."""
    number = 0
    try:
        with _open_binary(path) as fh:
            events = etree.iterparse(
                fh,
                events=("end",),
                tag=_XML_RECORDS,
                resolve_entities=False,
                load_dtd=False,
                no_network=True,
                huge_tree=True,
                remove_comments=True,
                remove_pis=True,
            )
            for _, elem in events:
                if elem.tag == "MedlineCitation" and _parent_tag(elem) == "PubmedArticle":
                    continue  # handled with its PubmedArticle
                number += 1
                try:
                    item: Article | Deletion | InputError = _xml_record(elem, number)
                except _RecordError as exc:
                    item = _record_error(path, number, elem.sourceline, exc)
                _release(elem)
                yield item
    except etree.XMLSyntaxError as exc:
        where = f" line {exc.lineno}" if exc.lineno else ""
        reason = _LXML_POSITION.sub("", exc.msg or str(exc))
        raise InputError(f"{path.name}{where}: {reason} (after record {number})") from exc
    except etree.LxmlError as exc:
        raise InputError(f"{path.name}: {exc} (after record {number})") from exc
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"{path.name}: cannot read after record {number}: {exc}") from exc


def _parent_tag(elem: etree._Element) -> str | None:
    parent = elem.getparent()
    return None if parent is None else parent.tag


def _release(elem: etree._Element) -> None:
    """Free a handled element and everything parsed before it."""
    elem.clear(keep_tail=True)
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


def _xml_record(elem: etree._Element, number: int) -> Article | Deletion:
    if elem.tag == "DeleteCitation":
        pmids = tuple(p for p in map(_text, _children(elem, "PMID")) if p)
        if not pmids:
            raise _RecordError("DeleteCitation without a PMID")
        return Deletion(pmids)
    if elem.tag == "PubmedBookArticle":
        return _xml_book(elem, number)
    citation = elem if elem.tag == "MedlineCitation" else _find((elem,), "MedlineCitation")
    if citation is None:
        raise _RecordError(f"{elem.tag} without MedlineCitation")
    pmid = article = None
    mesh: list[str] = []
    for child in citation:  # one pass over the children, not a find() per field (3 us each)
        tag = child.tag
        if tag == "PMID":
            pmid = child if pmid is None else pmid
        elif tag == "Article":
            article = child if article is None else article
        elif tag == "MeshHeadingList":
            mesh += (_text(d) for h in child if h.tag == "MeshHeading" for d in h if d.tag == "DescriptorName")
    if not (pmid_text := _text(pmid)):
        raise _RecordError("no PMID")
    journals: list[etree._Element] = []
    dates: list[etree._Element] = []
    affiliations: list[str] = []
    title = vernacular = author_list = None
    for child in article if article is not None else ():
        tag = child.tag
        if tag == "Journal":
            journals.append(child)
        elif tag == "ArticleTitle":
            title = child if title is None else title
        elif tag == "VernacularTitle":
            vernacular = child if vernacular is None else vernacular
        elif tag == "AuthorList":
            author_list = child if author_list is None else author_list
        elif tag == "ArticleDate":
            dates.append(child)
        elif tag == "Affiliation":
            affiliations.append(_text(child))
    journal = (
        _text(_find(journals, "Title"))
        or _text(_find(journals, "ISOAbbreviation"))
        or _text(_find((citation,), "MedlineJournalInfo", "MedlineTA"))
    )
    return Article(
        pmid=pmid_text,
        title=_text(title) or _text(vernacular),
        journal=journal,
        year=_first_year(
            _find(journals, "JournalIssue", "PubDate", "Year"),
            _find(journals, "JournalIssue", "PubDate", "MedlineDate"),
            _find(dates, "Year"),
        ),
        authors=_xml_authors(author_list, affiliations),
        mesh=tuple(mesh),
        record=number,
    )


def _children(elem: etree._Element, tag: str) -> Iterator[etree._Element]:
    """``elem.iterfind(tag)``: the children of one tag, in document order."""
    return (child for child in elem if child.tag == tag)


def _find(parents: Iterable[etree._Element], *path: str) -> etree._Element | None:
    """``parent.find("A/B/C")`` of each parent in turn: the first element found, or None.

    A walk over the children: ElementPath's ``find`` costs about 3 us a call,
    as much as reading an author's every field this way.
    """
    tag, rest = path[0], path[1:]
    for parent in parents:
        for child in parent:
            if child.tag == tag:
                found = _find((child,), *rest) if rest else child
                if found is not None:
                    return found
    return None


def _xml_book(elem: etree._Element, number: int) -> Article:
    doc = _find((elem,), "BookDocument")
    if doc is None:
        raise _RecordError("PubmedBookArticle without BookDocument")
    author_list = next(
        (al for al in _children(doc, "AuthorList") if al.get("Type", "authors") == "authors"),
        None,
    )
    return Article(
        pmid=_require_pmid(doc),
        title=_text(_find((doc,), "ArticleTitle")) or _text(_find((doc,), "Book", "BookTitle")),
        journal="",
        year=_first_year(_find((doc,), "Book", "PubDate", "Year"), _find((doc,), "Book", "PubDate", "MedlineDate")),
        authors=_xml_authors(author_list, []),
        mesh=(),
        record=number,
    )


def _require_pmid(elem: etree._Element) -> str:
    pmid = _text(_find((elem,), "PMID"))
    if not pmid:
        raise _RecordError("no PMID")
    return pmid


def _xml_authors(author_list: etree._Element | None, article_affiliations: list[str]) -> tuple[Author, ...]:
    """Personal authors of an ``AuthorList``; collectives and invalid names dropped.

    ``article_affiliations`` is the text of the pre-2013 ``Article/Affiliation``,
    which NLM gave for the first author only, as MEDLINE text's leading ``AD``.
    Each author's children are read in one pass (the hot loop of a baseline file).
    """
    authors: list[Author] = []
    for el in author_list if author_list is not None else ():
        if el.tag != "Author":
            continue
        last = fore = first = initials = None
        affiliations: list[str] = []
        orcid: str | None = None
        for child in el:
            tag = child.tag
            if tag == "LastName":  # the commonest first
                last = child if last is None else last
            elif tag == "ForeName":
                fore = child if fore is None else fore
            elif tag == "Initials":
                initials = child if initials is None else initials
            elif tag == "AffiliationInfo":
                for aff in child:
                    if aff.tag == "Affiliation":
                        affiliations.append(_text(aff))
            elif tag == "Identifier" and child.get("Source", "").upper() == "ORCID":
                orcid = orcid or _normalise_orcid(_text(child))
            elif tag == "Affiliation":
                affiliations.append(_text(child))
            elif tag == "FirstName":
                first = child if first is None else first
        last_name = _text(last)
        if el.get("ValidYN") == "N" or not last_name:
            log.debug("skipped author %r", _text(_find((el,), "CollectiveName")) or last_name)
            continue
        if not authors and not any(affiliations):
            affiliations = article_affiliations
        fore_name = _text(fore) or _text(first)
        authors.append(
            Author(
                last_name=last_name,
                fore_name=fore_name,
                initials=_text(initials) or _initials(fore_name),
                affiliations=tuple(a for a in affiliations if a),
                orcid=orcid,
                position=len(authors) + 1,
            )
        )
    return tuple(authors)


# -- MEDLINE text -----------------------------------------------------------


def _iter_medline(path: Path) -> Iterator[Article | InputError]:
    """Yield records (and record errors) of MEDLINE text."""
    number = 0
    try:
        with _open_binary(path) as raw:
            utf16 = raw.read(2) in _UTF16_BOMS
            raw.seek(0)
            text = io.TextIOWrapper(
                raw,
                encoding="utf-16" if utf16 else "utf-8-sig",
                errors="replace" if utf16 else "surrogateescape",
            )
            for number, start, fields in _medline_blocks(_decoded_lines(text, path)):
                try:
                    item: Article | InputError = _medline_article(fields, number)
                except _RecordError as exc:
                    item = _record_error(path, number, start, exc)
                yield item
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"{path.name}: cannot read after record {number}: {exc}") from exc


def _decoded_lines(text: Iterable[str], path: Path) -> Iterator[str]:
    """Lines without line ends; undecodable UTF-8 lines are read as Latin-1."""
    warned = False
    for line in text:
        try:
            line.encode("utf-8")
        except UnicodeEncodeError:
            line = line.encode("utf-8", "surrogateescape").decode("latin-1")
            if not warned:
                log.warning("%s: not UTF-8, read as Latin-1", path.name)
                warned = True
        yield line.rstrip("\r\n")


def _medline_blocks(
    lines: Iterable[str],
) -> Iterator[tuple[int, int, list[tuple[str, str, int]]]]:
    """Yield ``(record number, first line, [(tag, value, line), ...])``.

    A line that is neither a tag nor a continuation becomes the field
    ``("?", text, line)``, which makes its record an error.
    """
    number, start = 0, 0
    fields: list[tuple[str, str, int]] = []
    for lineno, line in enumerate(lines, 1):
        m = _MEDLINE_TAG.fullmatch(line)
        if fields and (not line.strip() or (m and m.group(1) == "PMID")):
            number += 1
            yield number, start, fields
            fields = []
        if not line.strip():
            continue
        if not fields:
            start = lineno
        if m:
            fields.append((m.group(1), (m.group(2) or "").strip(), lineno))
        elif line[:1].isspace() and fields and fields[-1][0] != "?":
            tag, value, first = fields[-1]
            fields[-1] = (tag, f"{value} {line.strip()}".strip(), first)
        else:
            fields.append(("?", line, lineno))
    if fields:
        yield number + 1, start, fields


def _medline_article(fields: list[tuple[str, str, int]], number: int) -> Article:
    values: dict[str, str] = {}
    mesh: list[str] = []
    drafts: list[_Draft] = []
    leading_affiliations: list[str] = []
    current: _Draft | None = None
    for tag, value, lineno in fields:
        if tag == "?":
            raise _RecordError(f"not a MEDLINE field: {value[:40]!r}", lineno)
        if tag == "FAU":
            current = _Draft(fau=value)
            drafts.append(current)
        elif tag == "AU":
            if current is None or not current.fau or current.au:  # no FAU before it
                current = _Draft()
                drafts.append(current)
            current.au = value
        elif tag == "CN":
            current = _Draft()  # a collective: its AD/AUID lines are dropped
        elif tag == "AD":
            if current is None:
                leading_affiliations.append(value)
            else:
                current.add_affiliation(value)
        elif tag == "AUID" and current is not None and value.upper().startswith("ORCID"):
            current.orcid = current.orcid or _normalise_orcid(value)
        elif tag == "MH":
            mesh.append(value.split("/", 1)[0].lstrip("*").strip())
        else:
            values.setdefault(tag, value)
    if not values.get("PMID"):
        raise _RecordError("no PMID")
    for draft in drafts:
        draft.split_medline_names()
    dep = values.get("DEP", "")
    return Article(
        pmid=values["PMID"],
        title=values.get("TI") or values.get("BTI") or values.get("TT", ""),
        journal=values.get("JT") or values.get("TA", ""),
        year=_first_year(values.get("DP"), dep[:4] if dep[:8].isdigit() else None),
        authors=_finish(drafts, leading_affiliations),
        mesh=tuple(mesh),
        record=number,
    )


# -- shared -----------------------------------------------------------------


@dataclass
class _Draft:
    """An author being read; MEDLINE fills ``fau``/``au``, XML the names."""

    last: str = ""
    fore: str = ""
    initials: str = ""
    fau: str = ""
    au: str = ""
    orcid: str | None = None
    affiliations: list[str] = field(default_factory=list)

    def add_affiliation(self, text: str) -> None:
        text = " ".join(text.split())
        if text:
            self.affiliations.append(text)

    def split_medline_names(self) -> None:
        """Set names from ``FAU`` (``Last, Fore``) and ``AU`` (``Last Initials``).

        The key ``last + " " + initials`` must give back ``AU`` exactly.
        """
        last, _, self.fore = (s.strip() for s in self.fau.partition(","))
        au = " ".join(self.au.split())
        if not au:
            self.last, self.initials = last, _initials(self.fore)
        elif last and (au == last or au.startswith(last + " ")):
            self.last, self.initials = last, au[len(last) :].strip()
        else:
            tokens = au.split(" ")
            cut = next(
                (i for i in range(1, len(tokens)) if tokens[i].isalpha() and tokens[i].isupper()),
                len(tokens),
            )
            self.last, self.initials = " ".join(tokens[:cut]), " ".join(tokens[cut:])


def _finish(drafts: list[_Draft], leading_affiliations: list[str]) -> tuple[Author, ...]:
    """Freeze drafts; article-level affiliations go to a bare first author."""
    drafts = [d for d in drafts if d.last]
    if drafts and not drafts[0].affiliations:
        for text in leading_affiliations:
            drafts[0].add_affiliation(text)
    return tuple(
        Author(
            last_name=d.last,
            fore_name=d.fore,
            initials=d.initials or _initials(d.fore),
            affiliations=tuple(d.affiliations),
            orcid=d.orcid,
            position=i,
        )
        for i, d in enumerate(drafts, 1)
    )


def _text(elem: etree._Element | None) -> str:
    """All text inside ``elem`` (inline markup dropped), whitespace normalised."""
    if elem is None:
        return ""
    if len(elem):  # inline markup: <i>, <sup>, ...
        return " ".join("".join(elem.itertext()).split())
    text = elem.text
    return " ".join(text.split()) if text else ""


def _first_year(*sources: etree._Element | str | None) -> int | None:
    """Return the first four-digit year of the first source that has one."""
    for source in sources:
        text = source if isinstance(source, str) or source is None else _text(source)
        if text and (m := _YEAR.search(text)):
            return int(m.group(1))
    return None


def _initials(fore_name: str) -> str:
    return "".join(p[0].upper() for p in re.split(r"[\s\-.]+", fore_name) if p)


@lru_cache(maxsize=1 << 17)
def _normalise_orcid(text: str) -> str | None:
    """``0000-0002-1825-0097`` from any ORCID form; None if its checksum fails.

    The check digit is ISO 7064 MOD 11-2, as ORCID's "Structure of the ORCID
    Identifier" specifies.  Memoised: an author's ORCID recurs on each of
    their papers (a bad one is logged once).
    """
    m = _ORCID.search(text.upper())
    if m is None:
        log.debug("no ORCID in %r", text)
        return None
    digits = "".join(m.groups())
    total = 0
    for d in digits[:-1]:
        total = (total + int(d)) * 2
    check = (12 - total % 11) % 11
    if digits[-1] != ("X" if check == 10 else str(check)):
        log.debug("ORCID %r fails its checksum", text)
        return None
    return "-".join(m.groups())


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


def parse_pubmed(path: Path) -> list[Article | Deletion | InputError]:
    """Every record of a PubMed file, parsed, with each unusable record's error in its place.

    The part of :func:`build_pubmed` that needs no resolver: a pure function of
    the file, so a run can parse many files at once (on Dask workers, see
    ``pipelines/ingest_flow.py``) and build them in order afterwards.  Damage to
    the file itself raises, as in :func:`iter_records`.
    """
    path = Path(path)
    reader = _iter_xml if detect_format(path) == "pubmed-xml" else _iter_medline
    return list(reader(path))


def build_pubmed(
    path: Path,
    resolver: Resolver,
    *,
    ingested_at: str,
    institutions: dict[str, str] | None = None,
    name: str | None = None,
    parsed: Sequence[Article | Deletion | InputError] | None = None,
) -> Batch:
    """Turn a PubMed XML or MEDLINE file into publications, authorships and people.

    Parameters
    ----------
    path : pathlib.Path
        Any file :func:`iter_records` reads.
    resolver : Resolver
        Knows the people already stored; learns the authors.
    ingested_at : str
        Provenance time stamp.
    parsed : sequence, optional
        The file's records as :func:`parse_pubmed` returned them (parsed
        elsewhere, e.g. on a Dask worker); read from ``path`` when None.
    institutions : dict of str to str, optional
        Known institutions, name to id.  An affiliation naming one of them
        (as whole words, case ignored; the longest name wins) is that
        institution; otherwise the segment of the affiliation naming a
        hospital, medical center, university, institute, clinic or college
        becomes a new :class:`~graph.model.Institution`.
    name : str, optional
        The file's path relative to the folder ingested (provenance); by default its name.

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
        a corrupt gzip stream); see :func:`iter_records`.
    """
    batch = Batch("pubmed", path, name=name or path.name)
    prov = Prov("pubmed", batch.name, ingested_at)
    places = _Places(batch, institutions or {})
    errors: list[InputError] = []
    seen = 0
    items = iter_records(path, errors=errors) if parsed is None else _route_errors(iter(parsed), errors)
    authorships: dict[str, tuple[object, ...]] = {}  # by id, a later one replacing an earlier
    for item in items:
        seen = _reject(batch, errors, seen)
        seen += 1
        if isinstance(item, Deletion):
            _withdraw(batch, authorships, item)
        else:
            batch.read += 1
            _add_article(batch, resolver, item, prov(item.record), places, authorships)
    _reject(batch, errors, seen)
    if authorships:
        batch.columnar["authorship"] = RecordRows(Authorship, list(authorships.values()))
    log.info(
        "%s: %d publications, %d authorships, %d rejected, %d withdrawn",
        path.name,
        len(batch.records.get("publication", {})),
        len(authorships),
        len(batch.rejections),
        len(batch.deletions.get("publication", [])),
    )
    return batch


def pubmed_mentions(
    path: Path,
    resolver: Resolver,
    *,
    institutions: dict[str, str] | None = None,
    name: str | None = None,
    parsed: Sequence[Article | Deletion | InputError] | None = None,
) -> list[Mention]:
    """The author mentions :func:`build_pubmed` would ask ``resolver`` to resolve, in order, without building.

    Each distinct mention once, where the file first gives it, less those a
    split pins (:meth:`~graph.resolution.resolver.Resolver.pinned`: the build
    never asks about those).  What a run's resolution collects from a PubMed
    file before its one ``resolve_all``; ``institutions``, ``name`` and
    ``parsed`` as for :func:`build_pubmed`.  Unusable records are skipped (the build reports
    them); a damaged file raises as in :func:`iter_records`.
    """
    batch = Batch("pubmed", path, name=name or path.name)  # scratch: the institutions places makes
    places = _Places(batch, institutions or {})
    items = iter_records(path, errors=[]) if parsed is None else _route_errors(iter(parsed), [])
    seen: set[Mention] = set()
    asked: list[Mention] = []
    for item in items:
        if isinstance(item, Deletion):
            continue
        for author in item.authors:
            mention = _mention(author, places)
            if mention in seen:
                continue
            seen.add(mention)
            if not (resolver.pins and resolver.pinned(_mention_key(batch.name, mention))):
                asked.append(mention)
    return asked


def _mention_key(file: str, m: Mention) -> str:
    return mention_key(file, m.name, m.email, m.program_id, m.orcid, m.linkedin_url, m.institution_id)


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
    """Affiliation text to institution id: known names first, then a new institution; memoised (and the file's mentions)."""

    def __init__(self, batch: Batch, institutions: dict[str, str]) -> None:
        self.batch = batch
        names = sorted((n for n in institutions if n.strip()), key=lambda n: (-len(n), n))  # longest first
        self.known = [
            (re.compile(rf"(?<!\w){re.escape(' '.join(n.split()))}(?!\w)", re.IGNORECASE), institutions[n])
            for n in names
        ]
        self.seen: dict[str, str | None] = {}
        self.mentions: dict[tuple[str, str | None, str | None], Mention] = {}  # see _mention

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
        return institution(self.batch, name) if name else None


_AUTHORSHIP = (
    "id",
    "source",
    "file",
    "row",
    "ingested_at",
    "person",
    "publication",
    "position",
    "n_authors",
    "affiliation",
)
"""An authorship's fields in the order its tuple holds them (:class:`~graph.model.RecordRows`)."""
if field_names(Authorship) != _AUTHORSHIP:  # pragma: no cover - a field added to Authorship must be built here
    raise TypeError(f"Authorship's fields are {field_names(Authorship)}, not {_AUTHORSHIP}")
_PUBLICATION = _AUTHORSHIP.index("publication")


def _add_article(
    batch: Batch,
    resolver: Resolver,
    article: Article,
    prov: Provenance,
    places: _Places,
    authorships: dict[str, tuple[object, ...]],
) -> None:
    """The article's publication and people, and its authorships as tuples (a file holds a million: no record each)."""
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
            **prov,
        ),
    )
    if pub_id in batch.deletions.get("publication", []):
        batch.deletions["publication"].remove(pub_id)  # withdrawn earlier in the file, given again since
    n_authors = len(article.authors)
    source, file, row, at = prov["source"], prov["file"], prov["row"], prov["ingested_at"]
    for author in article.authors:
        pid = person(resolver, batch, _mention(author, places), prov)
        aid = stable_id("au", article.pmid, author.position)
        first = author.affiliations[0] if author.affiliations else ""
        authorships[aid] = (aid, source, file, row, at, pid, pub_id, author.position, n_authors, first)


def _mention(author: Author, places: _Places) -> Mention:
    """How an author names a person: "Fore Last" (else the ``AU`` key), ORCID, institution.

    One :class:`Mention` per writing of the file (``places.mentions``): most
    authorships repeat one, and a frozen dataclass of ten fields costs more to
    make than to look up.
    """
    name = f"{author.fore_name} {author.last_name}" if author.fore_name else author.key
    writing = (name, author.orcid, places.of(author))
    mention = places.mentions.get(writing)
    if mention is None:
        mention = places.mentions[writing] = Mention(name=name, orcid=writing[1], institution_id=writing[2])
    return mention


def _withdraw(batch: Batch, authorships: dict[str, tuple[object, ...]], deletion: Deletion) -> None:
    """Withdraw PMIDs, also from what this file gave before the deletion list."""
    ids = [f"pmid-{p}" for p in deletion.pmids]
    gone = set(ids)
    for pub_id in ids:
        batch.records.get("publication", {}).pop(pub_id, None)
    for aid in [a for a, rec in authorships.items() if rec[_PUBLICATION] in gone]:
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
            Rejection(batch.name, seen, "record", "", f"is not a usable PubMed record{where}: {reason}")
        )
    return seen
