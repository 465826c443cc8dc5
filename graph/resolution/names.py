"""Names for record linkage: parsing, transliteration, and the keys used to block and compare.

Any script is transliterated to ASCII with ``anyascii`` before parsing, so a
Cyrillic, Greek, Arabic or CJK surname gets a real blocking key instead of an
empty one (the failure of issue 11).  CJK and Hangul names are written family
name first; each character is one romanised syllable, so the first syllable
is the surname and the rest the given name.  Digits in a name (badge, author
or patient numbers) are kept apart as :func:`name_digits`: names that differ
in a digit are different people.

Deterministic keys (program id, e-mail, ORCID, LinkedIn profile URL) are
normalised here too (:func:`normalise_key`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from nameparser import HumanName
from nameparser.config import CONSTANTS

__all__ = [
    "ParsedName",
    "clean_name",
    "forename_key",
    "name_digits",
    "normalise_key",
    "parse_name",
    "surname_key",
]

_MEDLINE = re.compile(r"^(?P<last>[^\W\d_][\w'\- ]*?)\s+(?P<initials>[A-Z]{1,3})$")
_CREDENTIALS = re.compile(
    r",?\s*(?<![\w-])(MD|DO|PhD|MPH|MS|MSc|MBA|RN|BSN|NP|PA-C|PA|PharmD|FACP|FHM|MBBS|MHS|MSCR|Jr|Sr)\.?(?![\w-])",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@lru_cache(maxsize=1 << 18)
def _fold(text: str) -> str:
    """Lower-case ASCII: accents dropped, any other script transliterated."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    if not text.isascii():
        text = anyascii(text)
    return text.lower().strip()


@dataclass(frozen=True)
class ParsedName:
    """A name split into the parts that matter for matching."""

    last: str  # folded surname: "o'brien", "de la cruz"
    first: str  # folded first name, "" when only initials are known
    initials: str  # initials of first and middle names, "ja"

    @property
    def block(self) -> str:
        """The blocking key: :func:`surname_key` of the surname."""
        return surname_key(self.last)


@lru_cache(maxsize=1 << 18)
def surname_key(last: str) -> str:
    """Letters of a folded surname in full, spaces, hyphens and apostrophes dropped, romanisation variants folded.

    A Cyrillic surname reaches Latin by several systems ("Mikhaylov" as a
    person writes it, "Mikhailov" from the script; "Vasil'eva", "Vasilyeva"):
    they are one surname and block together, folded as :func:`forename_key`
    folds forenames.

    >>> surname_key("de la cruz"), surname_key("garcia-lopez"), surname_key("o'brien")
    ('delacruz', 'garcialopez', 'obrien')
    >>> surname_key("mikhaylov") == surname_key("mikhailov"), surname_key("vasil'eva") == surname_key("vasilyeva")
    (True, True)
    """
    return _fold_romanisation(re.sub(r"[^a-z]", "", last))


_TRANSLIT = [("x", "ks"), ("kh", "h"), ("yu", "iu"), ("ya", "ia"), ("ye", "e"), ("iy", "i"), ("ii", "i"), ("y", "i")]


def _fold_romanisation(key: str) -> str:
    for a, b in _TRANSLIT:
        key = key.replace(a, b)
    return key


@lru_cache(maxsize=1 << 18)
def forename_key(first: str) -> str:
    """A folded forename as compared: letters only, common romanisation variants of one letter folded.

    Cyrillic and Greek forenames reach Latin by several systems ("Natalya",
    "Natalia", "Natal'ya"; "Sergei", "Sergey"; "Dmitrii", "Dmitriy"); these are
    one name, written two ways, and compare equal.  Different names stay
    different ("Wei"/"Wen", "Aleksandr"/"Alexander" remain a variant pair).

    >>> forename_key("natal'ya"), forename_key("natalia"), forename_key("dmitriy"), forename_key("dmitrii")
    ('natalia', 'natalia', 'dmitri', 'dmitri')
    >>> forename_key("hye-dong"), forename_key("wei"), forename_key("wen")
    ('hedong', 'wei', 'wen')
    """
    return _fold_romanisation(re.sub(r"[^a-z]", "", first))


_TITLES = re.compile(r"^\s*(Dr|Prof|Professor|Mr|Mrs|Ms|Mx)\.?\s+", re.IGNORECASE)


@lru_cache(maxsize=1 << 18)
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
def name_digits(name: str) -> str:
    """The digit runs of a name, joined by ``.``: "" when it has none.

    >>> name_digits("Participant 0412"), name_digits("Ana Ruiz")
    ('0412', '')
    """
    return ".".join(_DIGITS.findall(name))


def _romanise_cjk(text: str) -> str:
    """Romanise a CJK name ("王伟" -> "Wei Wang"): one syllable per character, family name first in the original."""
    chars = [c for c in text if not c.isspace()]
    if not chars or not all(_CJK.match(c) for c in chars):
        return anyascii(text)
    syllables = [anyascii(c) for c in chars]
    if len(syllables) == 1:
        return syllables[0]
    return "".join(syllables[1:]).capitalize() + " " + syllables[0].capitalize()


@lru_cache(maxsize=1 << 18)
def parse_name(name: str) -> ParsedName:
    """Parse "John A. Smith, MD", "Smith, John" or "Smith JA" alike, in any script.

    >>> parse_name("Smith JA")
    ParsedName(last='smith', first='', initials='ja')
    >>> parse_name("John A. Smith, MD")
    ParsedName(last='smith', first='john', initials='ja')
    >>> parse_name("Ana Ruiz MD"), parse_name("Ruiz MD")
    (ParsedName(last='ruiz', first='ana', initials='a'), ParsedName(last='ruiz', first='', initials='md'))
    >>> parse_name("Иван Петров")
    ParsedName(last='petrov', first='ivan', initials='i')
    >>> parse_name("王伟")
    ParsedName(last='wang', first='wei', initials='w')
    """
    text = " ".join(_DIGITS.sub(" ", unicodedata.normalize("NFC", name)).split())
    script = _NON_LATIN.search(text) is not None
    if not text.isascii():
        text = _romanise_cjk(text) if _CJK.search(text) else anyascii(text)
        text = " ".join(re.sub(r"[^\w'\-., ]", "", text).split())
    if script and not _CJK.search(name):
        return _split_name(text)
    m = _MEDLINE.match(text)
    if m and not _credential_tail(m["last"], m["initials"]):
        return ParsedName(_fold(m["last"]), "", m["initials"].lower())
    text = _CREDENTIALS.sub("", text).strip(" ,")
    parts = _plain_name(text)
    if parts is None:
        h = HumanName(text)
        parts = h.first, h.middle, h.last
    first = _fold(parts[0].replace(".", ""))
    middle = _fold(parts[1].replace(".", ""))
    last = _fold(parts[2]) or _fold(text)
    initials = "".join(p[0] for p in (first + " " + middle).replace("-", " ").split() if p)
    if len(first) == 1:  # "K. L. Ng": only initials were given
        first = ""
    return ParsedName(last, first, initials)


_TAIL_CREDENTIALS = frozenset({"MD", "DO", "PA", "RN", "NP", "MS", "MPH", "MBA", "MSC", "BSN", "DDS", "DVM"})


def _credential_tail(last: str, initials: str) -> bool:
    """Whether "Ana Ruiz MD" ends in a credential rather than MEDLINE initials ("Ruiz AM", "de la Cruz MD").

    Two or more words before it, the first capitalised (a forename, not a
    particle such as "de" or "van"), and the tail a credential: "Ana Ruiz MD" is
    Ana Ruiz, MD; "Ruiz MD" stays Ruiz M. D.
    """
    words = last.split()
    return initials.upper() in _TAIL_CREDENTIALS and len(words) >= 2 and words[0][:1].isupper()


_WORD = r"[A-Za-z]{2,}(?:-[A-Za-z]+)*"
_PLAIN = re.compile(rf"^({_WORD}) (?:([A-Za-z]\.?) )?({_WORD})$")
_COMMA = re.compile(rf"^((?:[A-Za-z]')?{_WORD}), ({_WORD})(?: ([A-Za-z]\.?))?$")
_NON_LATIN = re.compile(r"[\u0370-\u03ff\u0400-\u052f\u0590-\u06ff\u0750-\u077f\u08a0-\u08ff\u0e00-\u0e7f]")
"""Greek, Cyrillic, Hebrew, Arabic and Thai letters: scripts without the Latin titles and prefixes."""
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
    """(first, middle, last) of "First [M.] Last" or "Last, First [M.]" without a word nameparser treats specially.

    Gives what ``HumanName`` gives for such a name (checked on 224,000 names),
    at a fraction of its cost, except that a hyphenated word is one word:
    nameparser reads the "Do" of the Korean forename "Do-su" as the Portuguese
    prefix and parses "Do-su Park" as forename "-su".  None means "ask nameparser".
    The middle initial of "First M. Last" is not checked: nameparser reads any
    letter there as an initial, the Roman numerals (C, D, I, L, M, V, X) and
    conjunctions (E, Y) too; after a comma ("Last, First I") it reads I and V as
    suffixes, so there the check stays.

    >>> _plain_name("Do-su Park"), _plain_name("Lee, Do-jin"), _plain_name("O'Brien, Sean P.")
    (('Do-su', '', 'Park'), ('Do-jin', '', 'Lee'), ('Sean', 'P.', "O'Brien"))
    """
    m = _PLAIN.match(text)
    if m is not None:
        parts = m[1], m[2] or "", m[3]
        words: tuple[str, ...] = m[1], m[3]  # a middle initial between two words is one whatever its letter
    else:
        m = _COMMA.match(text)
        if m is None:
            return None
        parts = words = m[2], m[3] or "", m[1]
    for word in words:
        w = word.lower().rstrip(".")
        if w and (w in _SPECIAL_WORDS or _ROMAN.match(w)):
            return None
    return parts


def _split_name(text: str) -> ParsedName:
    """A name transliterated from Greek, Cyrillic, Arabic...: "Family, Given" or "Given [Middle] Family".

    Not given to nameparser: its English titles and prefixes misread
    transliterations (Arabic "عمر", Omar, comes out as "mr", the title).
    """
    text = _CREDENTIALS.sub("", text).strip(" ,")
    if "," in text:
        last, _, rest = text.partition(",")
        words = rest.split()
    else:
        words = text.split()
        last = words.pop() if words else ""
    first = _fold(words[0]) if words else ""
    initials = "".join(p[0] for p in " ".join(_fold(w) for w in words).replace("-", " ").split() if p)
    return ParsedName(_fold(last), first if len(first) > 1 else "", initials)


_LINKEDIN = re.compile(r"^(?:https?://)?(?:[a-z]{2,3}\.)?linkedin\.com/(in|pub)/([^/?#]+)", re.IGNORECASE)
_ORCID = re.compile(r"(\d{4}-?\d{4}-?\d{4}-?\d{3}[\dX])", re.IGNORECASE)


@lru_cache(maxsize=1 << 18)
def normalise_key(kind: str, value: str) -> str:
    """A deterministic key as compared: case, spaces and URL decoration removed.

    >>> normalise_key("linkedin_url", "https://www.linkedin.com/in/Jane-Doe-12/?trk=x")
    'linkedin.com/in/jane-doe-12'
    >>> normalise_key("orcid", "https://orcid.org/0000-0002-1825-009x")
    '0000-0002-1825-009X'
    """
    value = value.strip()
    if kind == "program_id":
        return value.upper()
    if kind == "email":
        return value.lower().removeprefix("mailto:")
    if kind == "orcid":
        m = _ORCID.search(value)
        if m is None:
            return value.upper()
        d = m[1].replace("-", "").upper()
        return f"{d[0:4]}-{d[4:8]}-{d[8:12]}-{d[12:16]}"
    if kind == "linkedin_url":
        m = _LINKEDIN.match(value)
        return f"linkedin.com/{m[1].lower()}/{m[2].lower()}" if m else value.lower().rstrip("/")
    return value
