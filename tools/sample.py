"""A seeded, fictional internal-medicine residency program in every input format.

:func:`generate` builds the whole program in memory from one seed: a roster,
mentorship teams, an alumni list, two years of contact log with rotation,
conference and mentoring rhythms, co-authored publications, residents'
trackers, a calendar and a LinkedIn export, plus planted faults and the
labels that say where they are.  :func:`write_sample` is the only I/O.

Nothing resembles a real person or hospital: names are drawn from Faker's word
lists, institutions from invented place words, every e-mail address uses the
reserved ``.example`` top-level domain, and ORCID iDs sit in the unassigned
``0000-0000-`` block.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Collection
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from faker import Faker
from icalendar import Calendar, Event, vCalAddress, vText
from openpyxl import Workbook

from graph.errors import InputError

__all__ = ["END_DATE", "FORMATS", "SampleProgram", "generate", "write_sample"]

log = logging.getLogger(__name__)

END_DATE = date(2026, 11, 1)
"""The last day of the sample's world: nothing happens after it."""
DAYS = 730
START_DATE = END_DATE - timedelta(days=DAYS - 1)  # 2024-11-02
_SPLIT_DAY = 365  # days 0..364 go to contacts_2025.csv, the rest to contacts_2026.csv
_STALE_DAY = DAYS - 1 - 365  # a contact on or before this day is 12+ months old
_STALE_LAST = 330  # stale mentors' last meeting: no later than this day
_LO = -2000
_EPOCH = np.datetime64(START_DATE.isoformat(), "D")
_DATES = np.datetime_as_string(_EPOCH + np.arange(_LO, DAYS), unit="D").astype(object)
_START_WEEKDAY = START_DATE.weekday()

FORMATS = (
    "contacts",
    "roster",
    "mentorship",
    "alumni",
    "pubmed",
    "trackers",
    "calendar",
    "linkedin",
    "labels",
    "readme",
)
"""What :func:`write_sample` can write; pass a subset as ``formats``."""

HOME = "Lakeside University Medical Center"
HOME_DOMAIN = "lakeside.example"
PROGRAM = "Internal Medicine Residency"

SPECIALTIES = (
    "Gastroenterology",
    "Cardiology",
    "Pulmonary/Critical Care",
    "Nephrology",
    "Hematology/Oncology",
    "Infectious Disease",
    "Hospital Medicine",
    "General Internal Medicine",
    "Endocrinology",
    "Rheumatology",
)
GI, CARDS, PULM, NEPH, HEMONC, ID, HOSP, GIM, ENDO, RHEUM = range(10)
_SPEC = np.array(SPECIALTIES + ("",), dtype=object)  # index -1 is "no specialty"
_FELLOWSHIPS = np.array([GI, CARDS, PULM, NEPH, HEMONC, ID, ENDO, RHEUM])
_FELLOWSHIP_LABEL = (
    "GI",
    "cardiology",
    "pulmonary/critical care",
    "nephrology",
    "hematology/oncology",
    "infectious disease",
    "",
    "",
    "endocrinology",
    "rheumatology",
)
_INTEREST_P = np.array([0.14, 0.16, 0.12, 0.06, 0.12, 0.07, 0.12, 0.10, 0.05, 0.06])
_OUTSIDE_P = np.array([0.16, 0.16, 0.13, 0.08, 0.12, 0.09, 0.08, 0.06, 0.06, 0.06])
SERVICES = ("wards", "ICU", "clinic", "consults")
_SERVICE_CONTEXT = ("wards", "ICU", "clinic", "consult")
COMMITTEES = ("QI", "Patient Safety", "GME Council", "M&M")
_COMMITTEE_TEXT = np.array(
    ["; ".join(c for i, c in enumerate(COMMITTEES) if bits >> i & 1) for bits in range(16)],
    dtype=object,
)
CHANNELS = ("in person", "email", "call", "message", "video")
IN_PERSON, EMAIL, CALL, MESSAGE, VIDEO = range(5)
MENTOR_TYPES = ("clinical", "research_qi", "career", "sponsor")
RESIDENT, STAFF, ALUMNUS, OUTSIDER, ACQUAINTANCE = range(5)
_GROUPS = ("resident", "staff", "alumnus", "outsider", "acquaintance")

_PLACE_HEAD = (
    "Bram",
    "Corm",
    "Dun",
    "Eld",
    "Fal",
    "Gorse",
    "Kest",
    "Lark",
    "Marl",
    "Nettle",
    "Orm",
    "Pell",
    "Quill",
    "Rook",
    "Sedge",
    "Thorn",
    "Vell",
    "Wold",
    "Yew",
    "Brack",
    "Tarn",
    "Heron",
    "Cobble",
    "Wyn",
)
_PLACE_TAIL = ("mere", "wick", "stead", "combe", "holt", "thorpe", "gate", "ley", "dale", "crest")
_INST_KIND = (
    "University Hospital",
    "Medical Center",
    "University Medical Center",
    "Regional Medical Center",
    "Health System",
)

# role, kind, specialties (cycled), base count, services (drawn uniformly)
_STAFF_PLAN: tuple[tuple[str, str, tuple[int, ...], int, tuple[str, ...]], ...] = (
    ("PD", "faculty", (GIM,), 1, ("clinic",)),
    ("APD", "faculty", (HOSP, GI, CARDS), 3, ("wards", "clinic")),
    ("chief", "faculty", (HOSP, GIM, PULM), 3, ("wards",)),
    *(("subspecialist", "faculty", (int(s),), 8, ("ICU",) if s == PULM else ("consults",)) for s in _FELLOWSHIPS),
    ("hospitalist", "faculty", (HOSP,), 30, ("wards",)),
    ("attending", "faculty", (GIM,), 15, ("clinic",)),
    ("fellow", "fellow", (GI,), 6, ("consults",)),
    ("fellow", "fellow", (CARDS,), 6, ("consults",)),
    ("fellow", "fellow", (PULM,), 6, ("ICU",)),
    ("fellow", "fellow", (NEPH,), 3, ("consults",)),
    ("fellow", "fellow", (HEMONC,), 5, ("consults",)),
    ("fellow", "fellow", (ID,), 4, ("consults",)),
    ("pharmacist", "pharmacist", (-1,), 15, ("wards", "ICU")),
    ("case manager", "case_manager", (-1,), 12, ("wards",)),
    ("nurse", "nurse", (-1,), 72, ("wards", "ICU", "clinic")),
    ("coordinator", "staff", (-1,), 5, ("",)),
)

# name, specialties (None: all), first days, length in days
_CONFERENCES: tuple[tuple[str, tuple[int, ...] | None, tuple[str, ...], int], ...] = (
    ("ASN", (NEPH,), ("2024-11-07", "2025-11-06"), 4),
    ("AHA", (CARDS,), ("2024-11-16", "2025-11-08"), 3),
    ("SHM", (HOSP, GIM), ("2025-03-30", "2026-04-12"), 3),
    ("ACP", None, ("2025-04-03", "2026-04-16"), 3),
    ("AGA", (GI,), ("2025-05-03", "2026-05-02"), 4),
    ("SGIM", (GIM,), ("2025-05-14", "2026-04-22"), 3),
    ("ATS", (PULM,), ("2025-05-16", "2026-05-15"), 4),
    ("ASCO", (HEMONC,), ("2025-05-30", "2026-05-29"), 4),
    ("CHEST", (PULM,), ("2025-10-19", "2026-10-18"), 4),
    ("IDSA", (ID,), ("2025-10-19", "2026-10-21"), 4),
    ("ACG", (GI,), ("2025-10-24", "2026-10-23"), 4),
)
_CHAPTER_DAYS = ("2025-02-22", "2025-09-20", "2026-02-21", "2026-09-19")

_FIRMS = 6
"""Residents belong to firms (teams of about five per class at scale 1) that rotate and sign out together."""
_CLASSMATE_P = 0.5
"""Chance that a resident's co-resident of a block is a classmate rather than a firm-mate."""

# rotation: whom a resident meets on each service, by role:
# attending, fellow, nurse, pharmacist, case manager, co-resident
_TEAM_P = np.array(
    [
        [0.35, 0.00, 0.22, 0.13, 0.10, 0.20],  # wards
        [0.30, 0.20, 0.25, 0.15, 0.00, 0.10],  # ICU
        [0.45, 0.00, 0.30, 0.00, 0.00, 0.25],  # clinic
        [0.45, 0.40, 0.00, 0.00, 0.00, 0.15],  # consults
    ]
)
_TEAM_NOTES = (
    (
        "discussed patient on rounds",
        "feedback on presentation",
        "teaching on rounds",
        "reviewed admission plan",
        "mid-block feedback",
    ),
    ("consult recommendations", "reviewed imaging together", "procedure teaching", "discussed consult question"),
    ("patient update", "discharge timing", "pain control question", "family meeting planning"),
    ("medication reconciliation", "anticoagulation dosing", "antibiotic stewardship question", "renal dosing"),
    ("discharge planning", "placement update", "insurance authorization"),
    ("sign-out", "cross-cover handoff", "shared admission", "work room teaching"),
)
_TEAM_CHANNEL_P = np.array(
    [
        [0.90, 0.02, 0.03, 0.05, 0.00],
        [0.88, 0.02, 0.05, 0.05, 0.00],
        [0.70, 0.00, 0.10, 0.20, 0.00],
        [0.70, 0.00, 0.12, 0.18, 0.00],
        [0.60, 0.05, 0.15, 0.20, 0.00],
        [0.85, 0.00, 0.05, 0.10, 0.00],
    ]
)
_MENTOR_NOTES = (
    ("mentor meeting: clinical skills", "reviewed evaluations", "mentor check-in"),
    ("research update", "QI project meeting", "abstract planning"),
    ("career planning", "fellowship application strategy", "semi-annual review"),
    ("sponsor check-in", "discussed nomination for award", "discussed fellowship letters"),
)
_RESEARCH_NOTES = (
    "abstract draft",
    "data analysis",
    "IRB submission",
    "manuscript revisions",
    "poster preparation",
    "chart review progress",
)
_FAVOURS = (
    "asked for a letter",
    "asked for a letter of recommendation",
    "asked to review my personal statement",
    "asked for feedback on abstract",
    "asked about research opportunities",
)
_INTEREST_TEXT = (
    "IBD; GI bleeding",
    "heart failure; echo",
    "ARDS; ventilator weaning",
    "AKI; dialysis access",
    "lymphoma; clinical trials",
    "antimicrobial stewardship; HIV care",
    "care transitions; POCUS",
    "preventive care; health equity",
    "diabetes technology",
    "lupus; vasculitis",
)
_LINKEDIN_NOTE = (
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    'https://www.linkedin.com/help/linkedin/answer/261"'
)
INJECTION_NAME = "Robert'); MATCH (n) DETACH DELETE n //"
"""An outside contact whose name must land verbatim (it is planted in one tracker)."""


@dataclass(frozen=True, eq=False)
class SampleProgram:
    """Everything :func:`generate` builds, ready for :func:`write_sample`.

    Attributes
    ----------
    seed, scale : int, float
        The arguments it was generated from.
    people : pandas.DataFrame
        Ground truth: every person of the sample's world, one row each.
    roster, alumni, mentorship : pandas.DataFrame
        ``roster.csv``, ``alumni.xlsx`` (header variant) and ``mentorship.csv``.
    contacts : dict of str to pandas.DataFrame
        ``contacts_2025.csv`` and ``contacts_2026.csv`` by file name.
    pubmed_xml : str
        ``pubmed.xml``, a compact PubmedArticleSet.
    trackers : dict of str to pandas.DataFrame
        Residents' trackers by file name (``.csv`` or ``.xlsx``).
    calendar_ics : bytes
        ``calendar.ics``.
    connections_csv : str
        ``Connections.csv`` with LinkedIn's preamble.
    manifest : str
        ``tiegraph.yaml``: tells ``tiegraph ingest`` whose LinkedIn export it is.
    labels : dict of str to pandas.DataFrame
        Files under ``labels/``: planted faults, name variants, thin teams.
    readme : str
        ``README.md``.
    """

    seed: int
    scale: float
    people: pd.DataFrame
    roster: pd.DataFrame
    alumni: pd.DataFrame
    mentorship: pd.DataFrame
    contacts: dict[str, pd.DataFrame]
    pubmed_xml: str
    trackers: dict[str, pd.DataFrame]
    calendar_ics: bytes
    connections_csv: str
    manifest: str
    labels: dict[str, pd.DataFrame]
    readme: str


def generate(seed: int = 7, scale: float = 1.0) -> SampleProgram:
    """Return a fictional residency program built from ``seed``.

    People and rows grow linearly with ``scale``: at 1.0 about 2,000 people,
    15,500 contact rows and 3,000 publications; at 66 over 100,000 people and
    1,000,000 contact rows.  Trackers, calendar and the LinkedIn export stay
    at most their scale-1 size.

    Parameters
    ----------
    seed : int, default 7
        Seeds both ``numpy.random.default_rng`` and Faker; the same seed gives
        byte-identical files.
    scale : float, default 1.0
        Size relative to the committed sample in ``data/sample``.

    Returns
    -------
    SampleProgram
        Frames and texts, nothing written yet.

    Raises
    ------
    InputError
        If ``scale`` is not positive, or so large (over about 300) that
        Faker's names run out.
    """
    if not scale > 0:
        raise InputError(f"scale must be positive, got {scale!r}")
    rng = np.random.default_rng(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    w = _world(rng, fake, scale)
    teams = _mentorship(rng, w)
    _in_touch(rng, w)
    rows, service_now = _contact_log(rng, w, teams)
    contacts, where = _contact_files(rng, w, rows)
    labels = _Labels()
    labels.one_sided = _one_sided(w, rows)
    labels.in_touch = _in_touch_frame(w, rows)
    chosen = _plant_contact_variants(rng, w, contacts, where, labels)
    _plant_contact_faults(rng, w, contacts, where, labels)
    mentorship = _mentorship_frame(rng, w, teams, chosen, labels)
    trackers = _trackers(rng, w, rows, chosen, labels)
    connections, owner = _connections(rng, w, trackers)
    return SampleProgram(
        seed=seed,
        scale=scale,
        people=_people_frame(w),
        roster=_roster(rng, w, service_now, labels),
        alumni=_alumni(rng, w, labels),
        mentorship=mentorship,
        contacts=contacts,
        pubmed_xml=_pubmed(rng, w),
        trackers=trackers,
        calendar_ics=_calendar(rng, w, teams, seed),
        connections_csv=connections,
        manifest=_manifest(owner),
        labels=labels.frames(w, teams),
        readme=_readme(seed),
    )


def write_sample(program: SampleProgram, folder: Path, formats: Collection[str] | None = None) -> list[Path]:
    """Write ``program``'s files under ``folder`` and return their paths.

    Parameters
    ----------
    program : SampleProgram
        What :func:`generate` returned.
    folder : pathlib.Path
        Created if missing; ``labels/`` goes beneath it.
    formats : collection of str, optional
        Subset of :data:`FORMATS` to write (e.g. ``{"contacts"}`` for
        benchmarks); all by default.

    Returns
    -------
    list of pathlib.Path
        Written files, sorted.

    Raises
    ------
    InputError
        If ``formats`` names an unknown format.
    """
    chosen = set(FORMATS if formats is None else formats)
    if unknown := chosen - set(FORMATS):
        raise InputError(f"unknown sample formats {sorted(unknown)}; known: {', '.join(FORMATS)}")
    texts: dict[str, str | bytes | pd.DataFrame] = {}
    if "contacts" in chosen:
        texts.update(program.contacts)
    if "roster" in chosen:
        texts["roster.csv"] = program.roster
    if "mentorship" in chosen:
        texts["mentorship.csv"] = program.mentorship
    if "alumni" in chosen:
        texts["alumni.xlsx"] = program.alumni
    if "pubmed" in chosen:
        texts["pubmed.xml"] = program.pubmed_xml
    if "trackers" in chosen:
        texts.update(program.trackers)
    if "calendar" in chosen:
        texts["calendar.ics"] = program.calendar_ics
    if "linkedin" in chosen:
        texts["Connections.csv"] = program.connections_csv
        texts["tiegraph.yaml"] = program.manifest
    if "labels" in chosen:
        texts.update({f"labels/{name}": frame for name, frame in program.labels.items()})
    if "readme" in chosen:
        texts["README.md"] = program.readme
    paths = []
    for name, content in texts.items():
        path = Path(folder) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_file_bytes(name, content))
        paths.append(path)
    log.info("wrote %d sample files under %s", len(paths), folder)
    return sorted(paths)


# --------------------------------------------------------------------------- serialisation


def _file_bytes(name: str, content: str | bytes | pd.DataFrame) -> bytes:
    if isinstance(content, bytes):
        return content
    if isinstance(content, str):
        return content.encode("utf-8")
    if name.endswith(".xlsx"):
        return _xlsx_bytes(content)
    return content.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _xlsx_bytes(frame: pd.DataFrame) -> bytes:
    """One-sheet workbook with fixed timestamps, so equal frames give equal bytes."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append([None if _blank(v) else v for v in row])
    fixed = datetime(2026, 11, 1)
    wb.properties.created = fixed
    wb.properties.creator = "tiegraph sample"
    raw = io.BytesIO()
    wb.save(raw)
    stamp = b"2026-11-01T00:00:00Z"
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp, data)
            dst.writestr(
                zipfile.ZipInfo(info.filename, (2026, 11, 1, 0, 0, 0)), data, compress_type=zipfile.ZIP_DEFLATED
            )
    return out.getvalue()


def _blank(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


# --------------------------------------------------------------------------- helpers


def _n(base: float, scale: float) -> int:
    return max(1, round(base * scale))


def _iso(days: np.ndarray) -> np.ndarray:
    return _DATES[np.asarray(days, dtype=np.int64) - _LO]


def _day(iso: str) -> int:
    return int((np.datetime64(iso, "D") - _EPOCH).astype(np.int64))


def _weekday(days: np.ndarray) -> np.ndarray:
    """Move Saturdays and Sundays back to Friday (never forward: no future dates)."""
    wd = (_START_WEEKDAY + days) % 7
    return np.maximum(days - (wd == 5) - 2 * (wd == 6), 0)


def _uniform_days(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    lo = np.asarray(lo, dtype=np.int64)
    hi = np.maximum(np.asarray(hi, dtype=np.int64), lo)
    return lo + (rng.random(lo.shape) * (hi - lo + 1)).astype(np.int64)


def _choice_rows(rng: np.random.Generator, p: np.ndarray) -> np.ndarray:
    """One category per row of the probability matrix ``p``."""
    cum = np.cumsum(p, axis=1)
    u = rng.random(len(p)) * cum[:, -1]
    return np.minimum((u[:, None] >= cum).sum(axis=1), p.shape[1] - 1)


@dataclass(frozen=True)
class _Pool:
    """Members grouped by an integer key, for vectorised draws per row."""

    members: np.ndarray
    start: np.ndarray
    size: np.ndarray

    @classmethod
    def of(cls, groups: np.ndarray, members: np.ndarray, n_groups: int) -> _Pool:
        groups = np.asarray(groups, dtype=np.int64)
        order = np.argsort(groups, kind="stable")
        size = np.bincount(groups, minlength=n_groups)
        start = np.concatenate([[0], np.cumsum(size)[:-1]])
        return cls(np.asarray(members, dtype=np.int64)[order], start, size)

    def draw(self, rng: np.random.Generator, groups: np.ndarray) -> np.ndarray:
        """One random member per row of ``groups``; -1 where a group is empty."""
        groups = np.asarray(groups, dtype=np.int64)
        size = self.size[groups]
        pick = (rng.random(len(groups)) * size).astype(np.int64)
        out = np.full(len(groups), -1, dtype=np.int64)
        ok = size > 0
        out[ok] = self.members[self.start[groups[ok]] + pick[ok]]
        return out


def _single(members: np.ndarray) -> _Pool:
    return _Pool.of(np.zeros(len(members), dtype=np.int64), members, 1)


def _fallback(rng: np.random.Generator, picked: np.ndarray, pool: _Pool) -> np.ndarray:
    bad = picked < 0
    if bad.any():
        picked = picked.copy()
        picked[bad] = pool.draw(rng, np.zeros(int(bad.sum()), dtype=np.int64))
    return picked


class _Vocab:
    """Strings kept once and referred to by integer codes."""

    def __init__(self, items: Collection[str] = ()) -> None:
        self.items: list[str] = []
        self._index: dict[str, int] = {}
        for item in items:
            self.code(item)

    def code(self, text: str) -> int:
        if text not in self._index:
            self._index[text] = len(self.items)
            self.items.append(text)
        return self._index[text]

    def codes(self, texts: Collection[str]) -> np.ndarray:
        return np.array([self.code(t) for t in texts], dtype=np.int64)

    def array(self) -> np.ndarray:
        return np.array(self.items, dtype=object)


# --------------------------------------------------------------------------- the world


@dataclass
class _World:
    """People and institutions as parallel numpy arrays, plus the shared vocabularies."""

    scale: float
    inst_name: np.ndarray
    inst_city: np.ndarray
    inst_state: np.ndarray
    inst_domain: np.ndarray
    fellowship: np.ndarray  # (institutions, specialties) bool
    chapter: str
    people: pd.DataFrame
    pair: tuple[int, int]  # two different people with the same name
    notes: _Vocab
    contexts: _Vocab

    def col(self, name: str) -> np.ndarray:
        return self.people[name].to_numpy()

    def __post_init__(self) -> None:
        p = self.people
        self.group = p["group"].to_numpy(np.int64)
        self.spec = p["spec"].to_numpy(np.int64)
        self.inst = p["inst"].to_numpy(np.int64)
        self.role = p["role"].to_numpy(object)
        self.name = p["name"].to_numpy(object)
        self.email = p["email"].to_numpy(object)
        self.pid = p["program_id"].to_numpy(object)
        self.bits = p["bits"].to_numpy(np.int64)
        self.start = p["start_day"].to_numpy(np.int64)
        self.firm = p["firm"].to_numpy(np.int64)
        self.residents = np.flatnonzero(self.group == RESIDENT)
        self.thin_none = np.zeros(0, dtype=np.int64)
        self.thin_stale = np.zeros(0, dtype=np.int64)
        self.liaison_inst = np.zeros(0, dtype=np.int64)
        self.liaison = np.zeros(0, dtype=np.int64)
        self.touch_faculty = np.zeros(0, dtype=np.int64)
        self.touch_alumnus = np.zeros(0, dtype=np.int64)

    def key(self, i: int) -> str:
        """Return the person's true identity in labels: program id, else e-mail."""
        return str(self.pid[i] or self.email[i])


def _world(rng: np.random.Generator, fake: Faker, scale: float) -> _World:
    places = rng.choice(len(_PLACE_HEAD) * len(_PLACE_TAIL), size=24, replace=False)
    place = [
        (_PLACE_HEAD[c // len(_PLACE_TAIL)] + _PLACE_TAIL[c % len(_PLACE_TAIL)]).replace("lll", "ll") for c in places
    ]
    kinds = rng.integers(0, len(_INST_KIND), size=24)
    names = [HOME, "Northfield University Hospital"]
    names += [f"{p} {_INST_KIND[k]}" for p, k in zip(place, kinds, strict=True)]
    domains = [HOME_DOMAIN, "northfield.example"] + [f"{p.lower()}.example" for p in place]
    cities = [fake.city() for _ in names]
    states = [fake.state() for _ in names]
    fellowship = np.zeros((len(names), 10), dtype=bool)
    fellowship[0, [GI, CARDS, PULM, NEPH, HEMONC, ID]] = True
    fellowship[1:, _FELLOWSHIPS] = rng.random((len(names) - 1, len(_FELLOWSHIPS))) < 0.45
    fellowship[1, GI] = True
    for s in _FELLOWSHIPS:
        need = (6 if s == GI else 3) - int(fellowship[1:, s].sum())
        if need > 0:
            free = np.flatnonzero(~fellowship[1:, s]) + 1
            fellowship[rng.choice(free, size=need, replace=False), s] = True
    people = _people(rng, fellowship, scale)
    people, pair = _names(rng, fake, people, np.array(domains, dtype=object))
    return _World(
        scale=scale,
        inst_name=np.array(names, dtype=object),
        inst_city=np.array(cities, dtype=object),
        inst_state=np.array(states, dtype=object),
        inst_domain=np.array(domains, dtype=object),
        fellowship=fellowship,
        chapter=f"ACP {states[0]} Chapter",
        people=people,
        pair=pair,
        notes=_Vocab([""]),
        contexts=_Vocab(list(_SERVICE_CONTEXT) + ["meeting", "research", ""]),
    )


def _frame(n: int, group: int, kind: str, role: str | np.ndarray, **cols: object) -> pd.DataFrame:
    base: dict[str, object] = {
        "group": group,
        "kind": kind,
        "role": role,
        "pgy": 0,
        "grad_year": 0,
        "spec": -1,
        "service": "",
        "inst": 0,
        "bits": 0,
        "position": "",
        "home_alum": False,
        "start_day": _LO,
        "firm": -1,
    }
    base.update(cols)
    return pd.DataFrame({k: np.broadcast_to(np.asarray(v, dtype=object), n) for k, v in base.items()})


def _people(rng: np.random.Generator, fellowship: np.ndarray, scale: float) -> pd.DataFrame:
    per = _n(30, scale)
    pgy = np.repeat(np.array([1, 2, 3]), per)
    grad = 2030 - pgy
    res_bits = np.where(rng.random(len(pgy)) < 0.2, rng.choice([1, 2], size=len(pgy)), 0)
    residents = _frame(
        len(pgy),
        RESIDENT,
        "resident",
        "resident",
        pgy=pgy,
        grad_year=grad,
        spec=rng.choice(10, size=len(pgy), p=_INTEREST_P),
        bits=res_bits,
        start_day=[_day(f"{g - 3}-07-01") for g in grad],
        firm=np.concatenate([rng.permutation(per) % _n(_FIRMS, scale) for _ in range(3)]),
    )
    staff = _staff(rng, scale)
    n_home = int(staff["home_alum"].sum())
    parts = [residents, staff, _away_alumni(rng, fellowship, _n(1200, scale) - n_home)]
    parts += [_outsiders(rng, fellowship, scale), _acquaintances(rng, 160)]
    people = pd.concat(parts, ignore_index=True)
    for col in ("group", "pgy", "grad_year", "spec", "inst", "bits", "start_day", "firm"):
        people[col] = people[col].astype(np.int64)
    people["home_alum"] = people["home_alum"].astype(bool)
    return people


def _staff(rng: np.random.Generator, scale: float) -> pd.DataFrame:
    parts = []
    for role, kind, specs, base, services in _STAFF_PLAN:
        n = 1 if role == "PD" else _n(base, scale)
        parts.append(
            _frame(
                n,
                STAFF,
                kind,
                role,
                spec=np.resize(np.array(specs), n),
                service=rng.choice(np.array(services, dtype=object), size=n),
            )
        )
    staff = pd.concat(parts, ignore_index=True)
    role = staff["role"].to_numpy(object)
    r = rng.random(len(staff))
    physician = np.isin(staff["kind"].to_numpy(object), ["faculty", "fellow"])
    one = rng.integers(0, 4, size=len(staff))
    two = rng.integers(0, 4, size=len(staff))
    bits = np.where(physician & (r < 0.3), 1 << one, 0) | np.where(physician & (r < 0.06), 1 << two, 0)
    nursing = np.isin(role, ["nurse", "pharmacist", "case manager"])
    bits |= np.where(nursing & (r < 0.2), 1 << rng.integers(0, 2, size=len(staff)), 0)
    bits = np.where(role == "PD", 4 | 8, bits)
    bits = np.where(role == "APD", bits | 4 | 8, bits)
    staff["bits"] = bits
    # program alumni now on the home faculty: same person, same e-mail in alumni.xlsx
    chance = {"chief": 1.0, "fellow": 0.4, "hospitalist": 0.3, "attending": 0.3, "subspecialist": 0.15}
    p = np.array([chance.get(x, 0.0) for x in role])
    home = rng.random(len(staff)) < p
    home[np.flatnonzero(role == "APD")[:1]] = True
    year = np.select(
        [role == "chief", role == "fellow", role == "APD", role == "subspecialist"],
        [
            2026,
            rng.integers(2023, 2027, len(staff)),
            rng.integers(2012, 2017, len(staff)),
            rng.integers(2012, 2021, len(staff)),
        ],
        rng.integers(2012, 2025, len(staff)),
    )
    staff["home_alum"] = home
    staff["grad_year"] = np.where(home, year, 0)
    return staff


def _away_alumni(rng: np.random.Generator, fellowship: np.ndarray, n: int) -> pd.DataFrame:
    n = max(n, 0)
    cls = rng.integers(2012, 2027, size=n)
    spec = rng.choice(10, size=n, p=_INTEREST_P)
    yrs = 2026 - cls
    has_fellowship = np.isin(spec, _FELLOWSHIPS)
    fellow = has_fellowship & (rng.random(n) < np.select([yrs <= 2, yrs <= 4], [0.6, 0.25], 0.02))
    spec = np.where(has_fellowship & ~fellow & (yrs <= 2) & (rng.random(n) < 0.5), HOSP, spec)
    lead = np.where((yrs >= 6) & ~fellow, rng.random(n), 1.0)
    position = np.select(
        [fellow, lead < 0.06, lead < 0.09, lead < 0.12, spec == HOSP, spec == GIM],
        [
            _SPEC[spec] + " Fellow",
            "Associate Program Director",
            "Program Director",
            "Section Chief",
            "Hospitalist",
            "Primary Care Physician",
        ],
        _SPEC[spec] + " Attending",
    )
    away = np.arange(1, len(fellowship))
    spec_of, inst_of = np.nonzero(fellowship[1:].T)
    offers = _Pool.of(spec_of, inst_of, 10)
    inst = np.where(fellow, offers.draw(rng, spec) + 1, rng.choice(away, size=n))
    return _frame(n, ALUMNUS, "alumnus", "alumnus", grad_year=cls, spec=spec, inst=inst, position=position)


def _outsiders(rng: np.random.Generator, fellowship: np.ndarray, scale: float) -> pd.DataFrame:
    inst, spec = np.nonzero(fellowship[1:])
    directors = _frame(
        len(inst),
        OUTSIDER,
        "external",
        "external",
        spec=spec,
        inst=inst + 1,
        position="Program Director, " + _SPEC[spec] + " Fellowship",
    )
    n = _n(250, scale)
    spec = rng.choice(10, size=n, p=_OUTSIDE_P)
    r = rng.random(n)
    position = np.select(
        [r < 0.1, r < 0.15, spec == HOSP],
        ["Associate Program Director, " + _SPEC[spec] + " Fellowship", "Division Chief", "Hospitalist"],
        _SPEC[spec] + " Attending",
    )
    others = _frame(
        n, OUTSIDER, "external", "external", spec=spec, inst=rng.integers(1, len(fellowship), size=n), position=position
    )
    return pd.concat([directors, others], ignore_index=True)


def _acquaintances(rng: np.random.Generator, n: int) -> pd.DataFrame:
    titles = np.array(
        [
            "Medical Student",
            "Research Coordinator",
            "Attending Physician",
            "Nurse Practitioner",
            "Fellowship Coordinator",
            "Hospitalist",
            "Physician Assistant",
        ],
        dtype=object,
    )
    return _frame(
        n,
        ACQUAINTANCE,
        "external",
        "external",
        spec=rng.choice(10, size=n),
        inst=rng.integers(1, 26, size=n),
        position=rng.choice(titles, size=n),
    )


def _names(
    rng: np.random.Generator, fake: Faker, people: pd.DataFrame, domains: np.ndarray
) -> tuple[pd.DataFrame, tuple[int, int]]:
    """Give everyone a unique Faker name, an e-mail, a program id and maybe an ORCID iD."""
    person = next(p for p in fake.providers if type(p).__module__.endswith("person.en_US"))
    firsts = np.array(list(dict.fromkeys([*person.first_names_female, *person.first_names_male])), dtype=object)
    lasts = np.array(list(person.last_names), dtype=object)
    n = len(people)
    if n > len(firsts) * len(lasts) // 2:
        raise InputError(f"{n} people would exhaust the {len(firsts) * len(lasts)} distinct names; lower the scale")
    combos = rng.choice(len(firsts) * len(lasts), size=n, replace=False)
    first, last = firsts[combos // len(lasts)], lasts[combos % len(lasts)]
    middle = np.array(list("ABCDEFGHJKLMNPRSTW"), dtype=object)[rng.integers(0, 18, size=n)]
    group = people["group"].to_numpy()
    inst = people["inst"].to_numpy()
    # the planted pair: a home GI subspecialist and an away alumnus with the same name
    gi_staff = np.flatnonzero(
        (group == STAFF) & (people["role"].to_numpy() == "subspecialist") & (people["spec"].to_numpy() == GI)
    )
    alumni = np.flatnonzero(group == ALUMNUS)
    gi_alumni = alumni[people["spec"].to_numpy()[alumni] == GI]
    x = int(rng.choice(gi_staff))
    y = int(rng.choice(gi_alumni if len(gi_alumni) else alumni))
    first[y], last[y] = first[x], last[x]
    middle[y] = "Q" if middle[x] != "Q" else "Z"
    local = pd.Series(first + "." + last).str.lower().str.replace(r"[^a-z.]", "", regex=True)
    people = people.assign(
        first=first,
        middle=middle,
        last=last,
        name=first + " " + last,
        email=(local + "@" + pd.Series(domains[inst])).to_numpy(object),
        has_middle=rng.random(n) < 0.5,
    )
    kind = people["kind"].to_numpy(object)
    ids = np.full(n, "", dtype=object)
    res = np.flatnonzero(group == RESIDENT)
    ids[res] = [f"R-{i:04d}" for i in range(1, len(res) + 1)]
    fac = np.flatnonzero((group == STAFF) & np.isin(kind, ["faculty", "fellow"]))
    ids[fac] = [f"F-{i:04d}" for i in range(1, len(fac) + 1)]
    oth = np.flatnonzero((group == STAFF) & ~np.isin(kind, ["faculty", "fellow"]))
    ids[oth] = [f"S-{i:04d}" for i in range(1, len(oth) + 1)]
    people["program_id"] = ids
    has = rng.random(n) < np.where(group == RESIDENT, 0.1, 0.35)
    people["orcid"] = np.where(has, _orcids(rng, n), "")
    return people, (x, y)


def _orcids(rng: np.random.Generator, n: int) -> np.ndarray:
    """Well-formed ORCID iDs (ISO 7064 11,2 check digit) in the unassigned 0000-0000 block."""
    body = rng.choice(10**7, size=n, replace=False)
    digits = np.zeros((n, 15), dtype=np.int64)
    for k in range(7):
        digits[:, 14 - k] = body // 10**k % 10
    total = np.zeros(n, dtype=np.int64)
    for k in range(15):
        total = (total + digits[:, k]) * 2
    check = (12 - total % 11) % 11
    tail = pd.Series(body).astype(str).str.zfill(7)
    text = "0000-0000-" + tail.str[:4] + "-" + tail.str[4:] + pd.Series(np.where(check == 10, "X", check.astype(str)))
    return text.to_numpy(object)


# --------------------------------------------------------------------------- mentorship


@dataclass(frozen=True)
class _Teams:
    """Declared mentorship: parallel arrays, one entry per mentor relation."""

    mentee: np.ndarray
    mentor: np.ndarray
    type: np.ndarray
    since: np.ndarray
    stale: np.ndarray  # bool: the planted one stale mentor of a thin resident


def _mentorship(rng: np.random.Generator, w: _World) -> _Teams:
    res = w.residents
    pgy = w.col("pgy")[res]
    spec = w.spec[res]
    n_thin = _n(10, w.scale)
    pgy3 = res[pgy == 3]
    stale = np.sort(rng.choice(pgy3, size=min(n_thin - n_thin // 2, len(pgy3)), replace=False))
    rest = np.setdiff1d(res[pgy >= 2], stale)
    none = np.sort(rng.choice(rest, size=min(n_thin // 2, len(rest)), replace=False))
    w.thin_none, w.thin_stale = none, stale
    full = ~np.isin(res, np.concatenate([none, stale]))
    clinical = _clinical_pool(w)
    qi = _single(np.flatnonzero((w.group == STAFF) & (w.bits & 1 > 0) & (w.role != "fellow")))
    career = _single(np.flatnonzero(np.isin(w.role, ["PD", "APD", "chief"])))
    leaders = _single(np.flatnonzero(np.isin(w.role, ["PD", "APD"])))
    n = len(res)
    c1 = clinical.draw(rng, spec)
    c2 = clinical.draw(rng, spec)
    research = np.where(rng.random(n) < 0.5, qi.draw(rng, np.zeros(n, int)), clinical.draw(rng, spec))
    research = np.where(research == c1, qi.draw(rng, np.zeros(n, int)), research)
    sponsor = np.where(rng.random(n) < 0.5, leaders.draw(rng, np.zeros(n, int)), c2)
    slots = [
        (c1, 0, full),
        (c2, 0, full & (rng.random(n) < 0.5) & (c2 != c1)),
        (research, 1, full & (rng.random(n) < np.where(pgy == 1, 0.3, 0.9))),
        (career.draw(rng, np.zeros(n, int)), 2, full),
        (sponsor, 3, full & (rng.random(n) < np.select([pgy == 3, pgy == 2], [0.9, 0.6], 0.1))),
    ]
    start = w.start[res]
    mentee, mentor, kind, since = [], [], [], []
    for who, t, keep in slots:
        keep = keep & (who >= 0) & (who != c1 if t == 3 else True)
        mentee.append(res[keep])
        mentor.append(who[keep])
        kind.append(np.full(int(keep.sum()), t))
        hi = np.minimum(start[keep] + 14 + 20 * t + 240, DAYS - 45)
        since.append(_uniform_days(rng, np.minimum(start[keep] + 14 + 20 * t, hi), hi))
    # the stale half: one mentor each, met only long ago
    who = clinical.draw(rng, w.spec[stale])
    mentee.append(stale)
    mentor.append(who)
    kind.append(np.zeros(len(stale), dtype=np.int64))
    since.append(_uniform_days(rng, w.start[stale] + 20, w.start[stale] + 120))
    is_stale = np.concatenate([np.zeros(sum(len(m) for m in mentee[:-1]), bool), np.ones(len(stale), bool)])
    mentee_a, mentor_a = np.concatenate(mentee), np.concatenate(mentor)
    order = np.lexsort((np.concatenate(kind), mentee_a))
    return _Teams(
        mentee_a[order],
        mentor_a[order],
        np.concatenate(kind)[order],
        np.concatenate(since)[order],
        is_stale[order],
    )


def _clinical_pool(w: _World) -> _Pool:
    ok = (w.group == STAFF) & np.isin(w.role, ["subspecialist", "hospitalist", "attending"])
    idx = np.flatnonzero(ok)
    return _Pool.of(w.spec[idx], idx, 10)


# --------------------------------------------------------------------------- alumni kept in touch

_LIAISONS_P = np.array([0.3, 0.35, 0.25, 0.1])
"""How many home faculty keep close to one away institution's alumni (0-3 at scale 1): its bridges."""
_TOUCH_P = (0.45, 0.25, 0.05)
"""Chance an alumnus keeps in touch with a liaison of their institution: same specialty, program leader, other."""


def _in_touch(rng: np.random.Generator, w: _World) -> None:
    """Plant the bridges: each away institution's liaisons, and the alumni there who keep in touch with one.

    A liaison is a home physician (program leaders 40% of the time) who trained or collaborates there;
    the institution's papers may include them (:func:`_pubmed`) and the alumni who keep in touch write
    to them (:func:`_alumni_contacts`).  Institutions without a liaison have no faculty bridge at all.
    """
    n_inst = len(w.inst_name)
    per = max(1, round(w.scale))
    k = rng.choice(len(_LIAISONS_P), size=(n_inst - 1, per), p=_LIAISONS_P).sum(axis=1)
    inst = np.repeat(np.arange(1, n_inst), k)
    leaders = np.flatnonzero(np.isin(w.role, ["PD", "APD", "chief"]))
    clinical = np.flatnonzero((w.group == STAFF) & np.isin(w.role, ["subspecialist", "hospitalist", "attending"]))
    lead = rng.random(len(inst)) < 0.4
    fac = np.where(lead, rng.choice(leaders, len(inst)), rng.choice(clinical, len(inst)))
    key = np.unique(inst * len(w.people) + fac)
    w.liaison_inst, w.liaison = key // len(w.people), key % len(w.people)
    alumni = np.flatnonzero(w.group == ALUMNUS)
    who = _Pool.of(w.liaison_inst, w.liaison, n_inst).draw(rng, w.inst[alumni])
    ok = who >= 0
    alumni, who = alumni[ok], who[ok]
    p = np.select(
        [w.spec[who] == w.spec[alumni], np.isin(w.role[who], ["PD", "APD", "chief"])], _TOUCH_P[:2], _TOUCH_P[2]
    )
    keep = rng.random(len(alumni)) < p
    w.touch_faculty, w.touch_alumnus = who[keep], alumni[keep]


_TOUCH_NOTES = (
    "caught up with former resident",
    "alumni update call",
    "discussed a fellowship applicant",
    "asked for advice on a case",
    "shared a job posting",
    "congratulated on new position",
)


def _alumni_contacts(rng: np.random.Generator, w: _World, n_rows: int) -> _Rows:
    """Home faculty and the alumni who keep in touch with them: a few e-mails and calls a year, unevenly."""
    n_pairs = len(w.touch_faculty)
    if n_pairs == 0 or n_rows == 0:
        return _Rows.make(np.zeros(0), np.zeros(0), np.zeros(0))
    weight = rng.lognormal(0.0, 0.8, size=n_pairs)
    counts = 1 + rng.multinomial(max(n_rows - n_pairs, 0), _normalise(weight))
    k = np.repeat(np.arange(n_pairs), counts)
    return _Rows.make(
        w.touch_faculty[k],
        w.touch_alumnus[k],
        _weekday(rng.integers(0, DAYS, size=len(k))),
        channel=rng.choice([EMAIL, CALL, VIDEO, IN_PERSON], size=len(k), p=[0.45, 0.25, 0.15, 0.15]),
        context=w.contexts.code(""),
        init=rng.choice(3, size=len(k), p=[0.4, 0.4, 0.2]),
        note=w.notes.codes(_TOUCH_NOTES)[rng.integers(0, len(_TOUCH_NOTES), len(k))],
        ea=rng.random(len(k)) < 0.95,
        eb=rng.random(len(k)) < 0.7,
    )


# --------------------------------------------------------------------------- contact log


@dataclass
class _Rows:
    """Contact-log rows as parallel arrays (codes, not strings)."""

    a: np.ndarray
    b: np.ndarray
    day: np.ndarray
    channel: np.ndarray
    context: np.ndarray
    init: np.ndarray  # 0: a, 1: b, 2: both
    named: np.ndarray  # write the initiator's name instead of a/b
    sched: np.ndarray
    note: np.ndarray
    ea: np.ndarray  # show e-mail a
    eb: np.ndarray
    part: np.ndarray  # which rhythm made the row: one of _PARTS

    @classmethod
    def make(cls, a: np.ndarray, b: np.ndarray, day: np.ndarray, **cols: object) -> _Rows:
        n = len(a)
        defaults: dict[str, object] = {
            "channel": IN_PERSON,
            "context": 0,
            "init": 2,
            "named": False,
            "sched": False,
            "note": 0,
            "ea": True,
            "eb": True,
            "part": 0,
        }
        defaults.update(cols)
        arrays = {k: np.broadcast_to(np.asarray(v), n).copy() for k, v in defaults.items()}
        return cls(np.asarray(a, np.int64), np.asarray(b, np.int64), np.asarray(day, np.int64), **arrays)

    @classmethod
    def concat(cls, parts: list[_Rows]) -> _Rows:
        return cls(*(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(cls)))

    def take(self, idx: np.ndarray) -> _Rows:
        return _Rows(*(getattr(self, f.name)[idx] for f in fields(self)))

    def __len__(self) -> int:
        return len(self.a)


def _contact_log(rng: np.random.Generator, w: _World, teams: _Teams) -> tuple[_Rows, np.ndarray]:
    """All contact rows, sorted by date, and each resident's current service."""
    total = _n(15_500, w.scale)
    rotation, service_now = _rotation(rng, w, round(0.53 * total))
    conference = _conferences(rng, w, round(0.10 * total))
    parts = [
        rotation,
        conference,
        _follow_ups(rng, w, conference),
        _mentor_meetings(rng, w, teams, round(0.10 * total)),
        _research(rng, w, teams, round(0.06 * total)),
        _resident_committees(rng, w, round(0.04 * total)),
        _favours(rng, w, round(0.05 * total)),
        _alumni_contacts(rng, w, round(0.04 * total)),
    ]
    for k, part in enumerate(parts):
        part.part[:] = k
    rows = _Rows.concat(parts)
    rows = rows.take(np.flatnonzero(~_stale_contact(w, teams, rows) & ~_shared_favour(w, rows)))
    misc = _faculty_misc(rng, w, max(total - len(rows), 0))
    misc.part[:] = len(_PARTS) - 1
    rows = _Rows.concat([rows, misc])
    rows.day = np.clip(rows.day, 0, DAYS - 1)
    order = np.lexsort((rng.permutation(len(rows)), rows.day))
    return rows.take(order), service_now


_PARTS = ("rotation", "conference", "follow-up", "mentor", "research", "committee", "favour", "alumni", "faculty")
_FAVOUR = _PARTS.index("favour")


def _pair_keys(w: _World, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    big = len(w.people) + 1
    return np.minimum(a, b) * big + np.maximum(a, b)


def _shared_favour(w: _World, rows: _Rows) -> np.ndarray:
    """Favour rows whose pair also met otherwise: dropped, so favour ties stay one-sided."""
    keys = _pair_keys(w, rows.a, rows.b)
    favour = rows.part == _FAVOUR
    return favour & np.isin(keys, keys[~favour])


def _stale_contact(w: _World, teams: _Teams, rows: _Rows) -> np.ndarray:
    """Rows that would refresh a stale mentor tie within the last 12 months."""
    stale_keys = _pair_keys(w, teams.mentee, teams.mentor)[teams.stale]
    return np.isin(_pair_keys(w, rows.a, rows.b), stale_keys) & (rows.day > _STALE_DAY)


def _rotation(rng: np.random.Generator, w: _World, n_rows: int) -> tuple[_Rows, np.ndarray]:
    res = w.residents
    n_blocks = -(-DAYS // 28)
    rb_res = np.repeat(res, n_blocks)
    rb_blk = np.tile(np.arange(n_blocks), len(res))
    keep = rb_blk * 28 + 27 >= w.start[rb_res]
    rb_res, rb_blk = rb_res[keep], rb_blk[keep]
    m = len(rb_res)
    service = rng.choice(4, size=m, p=[0.4, 0.15, 0.2, 0.25])
    spec = w.spec[rb_res]
    own = np.isin(spec, _FELLOWSHIPS) & (rng.random(m) < 0.5)
    cspec = np.where(own, spec, rng.choice(_FELLOWSHIPS, size=m))
    team = np.where(service == 3, 3 + cspec, service)
    team = np.where(team == 3 + PULM, 1, team)  # pulmonary consults are run by the ICU team
    staff = w.group == STAFF
    serv = w.col("service")
    att_groups = np.select(
        [
            np.isin(w.role, ["hospitalist", "chief"]) | ((w.role == "APD") & (w.spec == HOSP)),
            (w.role == "subspecialist") & (w.spec == PULM),
            np.isin(w.role, ["attending", "PD"]),
        ],
        [0, 1, 2],
        -1,
    )
    att_groups = np.where(staff & (att_groups < 0) & (w.role == "subspecialist"), 3 + w.spec, att_groups)
    members = np.zeros((m, 6), dtype=np.int64)
    pools = [
        (staff & (att_groups >= 0), att_groups, team),
        (staff & (w.role == "fellow"), np.where(w.spec == PULM, 1, 3 + w.spec), team),
        (staff & (w.role == "nurse"), _service_code(serv), np.minimum(service, 2)),
        (staff & (w.role == "pharmacist"), _service_code(serv), np.minimum(service, 1)),
        (staff & (w.role == "case manager"), np.zeros(len(w.group), int), np.zeros(m, int)),
    ]
    for col, (mask, groups, want) in enumerate(pools):
        idx = np.flatnonzero(mask)
        members[:, col] = _Pool.of(groups[idx], idx, 13).draw(rng, want)
    slot = rb_blk * 4 + service
    n_firms = int(w.firm.max()) + 1
    by_firm = _co_residents(rng, rb_res, slot * n_firms + w.firm[rb_res])
    by_class = _co_residents(rng, rb_res, slot * 3 + w.col("pgy")[rb_res] - 1)
    classmate = rng.random(m) < _CLASSMATE_P
    co = np.where(classmate, by_class, by_firm)
    members[:, 5] = np.where(co < 0, np.where(classmate, by_firm, by_class), co)
    first = np.maximum(rb_blk * 28, w.start[rb_res])
    last = np.minimum(rb_blk * 28 + 27, DAYS - 1)
    weight = np.array([1.3, 1.2, 0.8, 1.0])[service] * (last - first + 1)
    rb = np.repeat(np.arange(m), rng.multinomial(n_rows, _normalise(weight)))
    role = _choice_rows(rng, _TEAM_P[service[rb]])
    b = members[rb, role]
    role = np.where(b < 0, 0, role)
    b = np.where(b < 0, members[rb, 0], b)
    day = _uniform_days(rng, first[rb], last[rb])
    day = np.where(service[rb] >= 2, np.maximum(_weekday(day), first[rb]), day)
    note_offsets = np.cumsum([0] + [len(t) for t in _TEAM_NOTES])
    note_codes = w.notes.codes([t for notes in _TEAM_NOTES for t in notes])
    note_len = np.diff(note_offsets)
    note = note_codes[note_offsets[role] + (rng.random(len(rb)) * note_len[role]).astype(int)]
    side = rng.choice(3, size=len(rb), p=[0.3, 0.2, 0.5])  # resident, other, both
    rows = _Rows.make(
        rb_res[rb],
        b,
        day,
        channel=_choice_rows(rng, _TEAM_CHANNEL_P[role]),
        context=service[rb],
        init=side,
        sched=True,
        note=note,
        named=(side < 2) & (rng.random(len(rb)) < 0.05),
        ea=rng.random(len(rb)) < 0.95,
        eb=rng.random(len(rb)) < 0.9,
    )
    _swap(rng, rows, 0.25)
    now = rb_blk == rb_blk.max()
    service_now = np.full(len(w.people), "", dtype=object)
    service_now[rb_res[now]] = np.array(SERVICES, dtype=object)[service[now]]
    return rows, service_now


def _service_code(service: np.ndarray) -> np.ndarray:
    return np.select([service == "wards", service == "ICU", service == "clinic"], [0, 1, 2], 0)


def _normalise(weights: np.ndarray) -> np.ndarray:
    return weights / weights.sum()


def _co_residents(rng: np.random.Generator, who: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Another resident of the same group (block, service, and firm or class), or -1."""
    order = np.lexsort((rng.random(len(who)), group))
    g = group[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    size = np.diff(np.r_[starts, len(g)])
    first = np.repeat(starts, size)
    n = np.repeat(size, size)
    pos = np.arange(len(g)) - first
    other = first + (pos + 1 + (rng.random(len(g)) * np.maximum(n - 1, 1)).astype(int)) % n
    out = np.full(len(who), -1, dtype=np.int64)
    out[order] = np.where(n > 1, who[order][other], -1)
    return out


def _swap(rng: np.random.Generator, rows: _Rows, p: float) -> None:
    flip = rng.random(len(rows)) < p
    rows.a, rows.b = np.where(flip, rows.b, rows.a), np.where(flip, rows.a, rows.b)
    rows.ea, rows.eb = np.where(flip, rows.eb, rows.ea), np.where(flip, rows.ea, rows.eb)
    rows.init = np.where(flip & (rows.init < 2), 1 - rows.init, rows.init)


def _conference_instances(w: _World) -> list[tuple[int, str, tuple[int, ...] | None, int, int]]:
    out = []
    table = [*_CONFERENCES, (w.chapter, None, _CHAPTER_DAYS, 1)]
    for ctype, (name, specs, starts, length) in enumerate(table):
        out += [(ctype, name, specs, _day(s), length) for s in starts if 0 <= _day(s) < DAYS]
    return out


def _conferences(rng: np.random.Generator, w: _World, n_rows: int) -> _Rows:
    instances = _conference_instances(w)
    n_types = len(_CONFERENCES) + 1
    res = w.residents
    pgy = w.col("pgy")[res]
    att_res, att_inst = [], []
    for k, (_, name, specs, start, _) in enumerate(instances):
        match = np.ones(len(res), bool) if specs is None else np.isin(w.spec[res], specs)
        p = np.where(match, np.where(pgy == 1, 0.25, 0.5), 0.02)
        if specs is None:
            p = np.full(len(res), 0.08 if name == w.chapter else 0.15)
        go = (rng.random(len(res)) < p) & (w.start[res] <= start)
        att_res.append(res[go])
        att_inst.append(np.full(int(go.sum()), k))
    who, inst = np.concatenate(att_res), np.concatenate(att_inst)
    if len(who) == 0:
        return _Rows.make(np.zeros(0), np.zeros(0), np.zeros(0))
    length = np.array([i[4] for i in instances])
    counts = rng.multinomial(n_rows, _normalise(length[inst].astype(float)))
    k = np.repeat(np.arange(len(who)), counts)
    ctype = np.array([i[0] for i in instances])[inst[k]]
    start = np.array([i[3] for i in instances])[inst[k]]
    length = length[inst[k]]
    met = _conference_pools(w, n_types)
    category = rng.choice(3, size=len(k), p=[0.45, 0.40, 0.15])
    b = np.full(len(k), -1, dtype=np.int64)
    for c, pool in enumerate(met):
        sel = category == c
        b[sel] = pool.draw(rng, ctype[sel])
    b = np.where(b < 0, met[1].draw(rng, np.full(len(k), n_types - 1)), b)
    y = w.pair[1]
    alum = np.flatnonzero((w.group[b] == ALUMNUS) & (w.spec[b] == GI))[:3]
    b[alum] = y
    day = np.minimum(start + (rng.random(len(k)) * length).astype(int), DAYS - 1)
    names = [i[1] for i in instances]
    return _Rows.make(
        who[k],
        b,
        day,
        context=w.contexts.codes(names)[inst[k]],
        init=np.where(rng.random(len(k)) < 0.6, 0, 2),
        note=_conference_notes(rng, w, b),
        ea=rng.random(len(k)) < 0.95,
        eb=rng.random(len(k)) < np.select([w.group[b] == STAFF, w.group[b] == ALUMNUS], [0.9, 0.7], 0.5),
    )


def _conference_pools(w: _World, n_types: int) -> list[_Pool]:
    """Whom a resident meets at each conference type: alumni, outside faculty, home faculty."""
    table = [*_CONFERENCES, (w.chapter, None, _CHAPTER_DAYS, 1)]
    candidates = [
        np.flatnonzero(w.group == ALUMNUS),
        np.flatnonzero(w.group == OUTSIDER),
        np.flatnonzero((w.group == STAFF) & np.isin(w.col("kind"), ["faculty", "fellow"])),
    ]
    pools = []
    for idx in candidates:
        groups, members = [], []
        for ctype, (_, specs, _, _) in enumerate(table):
            sel = idx if specs is None else idx[np.isin(w.spec[idx], specs)]
            groups.append(np.full(len(sel), ctype))
            members.append(sel)
        pools.append(_Pool.of(np.concatenate(groups), np.concatenate(members), n_types))
    return pools


def _conference_notes(rng: np.random.Generator, w: _World, b: np.ndarray) -> np.ndarray:
    plain = (
        "met at the poster session",
        "met at the alumni reception",
        "discussed research interests",
        "career advice over coffee",
    )
    spec, inst = w.spec[b], w.inst[b]
    offers = w.fellowship[inst, np.maximum(spec, 0)] & (spec >= 0)
    template = np.where(
        offers & (rng.random(len(b)) < 0.45), rng.integers(0, 2, len(b)), 2 + rng.integers(0, len(plain), len(b))
    )
    key = (template * 10 + np.maximum(spec, 0)) * 100 + inst
    uniq, inv = np.unique(key, return_inverse=True)
    texts = []
    for k in uniq:
        t, s, i = k // 1000, k // 100 % 10, k % 100
        verb = ("asked about", "talked about")
        texts.append(f"{verb[t]} the {_FELLOWSHIP_LABEL[s]} fellowship at {w.inst_name[i]}" if t < 2 else plain[t - 2])
    return w.notes.codes(texts)[inv]


def _follow_ups(rng: np.random.Generator, w: _World, conference: _Rows) -> _Rows:
    pick = np.flatnonzero(rng.random(len(conference)) < 0.55)
    day = conference.day[pick] + rng.integers(3, 6, size=len(pick))
    pick, day = pick[day < DAYS], day[day < DAYS]
    ctx = conference.context[pick]
    uniq, inv = np.unique(ctx, return_inverse=True)
    templates = ("follow-up email after {}", "sent thank-you note after {}", "sent CV as discussed at {}")
    t = rng.integers(0, len(templates), size=len(pick))
    codes = np.array(
        [[w.notes.code(tt.format(w.contexts.items[c])) for tt in templates] for c in uniq], dtype=np.int64
    ).reshape(len(uniq), len(templates))
    return _Rows.make(
        conference.a[pick],
        conference.b[pick],
        day,
        channel=EMAIL,
        context=ctx,
        init=0,
        note=codes[inv, t] if len(pick) else np.zeros(0, np.int64),
    )


def _mentor_meetings(rng: np.random.Generator, w: _World, teams: _Teams, n_rows: int) -> _Rows:
    active = np.flatnonzero(~teams.stale)
    stale = np.flatnonzero(teams.stale)
    n_stale = rng.integers(2, 5, size=len(stale))
    n_rest = max(n_rows - len(active) - int(n_stale.sum()), 0)
    weight = np.array([1.0, 1.2, 0.8, 0.4])[teams.type[active]]
    extra = rng.multinomial(n_rest, _normalise(weight)) if len(active) else np.zeros(0, int)
    first = np.maximum(teams.since[active], 0)
    recent = _uniform_days(rng, np.maximum(first, DAYS - 120), np.full(len(active), DAYS - 1))
    k = np.repeat(active, extra)
    more = _uniform_days(rng, np.maximum(teams.since[k], 0), np.full(len(k), DAYS - 1))
    s = np.repeat(stale, n_stale)
    old = _uniform_days(rng, np.maximum(teams.since[s], 0), np.full(len(s), _STALE_LAST))
    pair = np.concatenate([active, k, s])
    day = _weekday(np.concatenate([recent, more, old]))
    day = np.maximum(day, np.maximum(teams.since[pair], 0))
    kind = teams.type[pair]
    codes = np.array([w.notes.codes(n) for n in _MENTOR_NOTES])
    n = len(pair)
    return _Rows.make(
        teams.mentee[pair],
        teams.mentor[pair],
        day,
        channel=rng.choice([IN_PERSON, VIDEO, EMAIL], size=n, p=[0.6, 0.25, 0.15]),
        context=np.where(kind == 1, w.contexts.code("research"), w.contexts.code("meeting")),
        init=rng.choice(3, size=n, p=[0.5, 0.2, 0.3]),
        note=codes[kind, rng.integers(0, 3, n)],
    )


def _research(rng: np.random.Generator, w: _World, teams: _Teams, n_rows: int) -> _Rows:
    res = w.residents
    thin = np.concatenate([w.thin_none, w.thin_stale])
    res = res[(w.col("pgy")[res] >= 2) & ~np.isin(res, thin) & (rng.random(len(res)) < 0.6)]
    if len(res) == 0:
        return _Rows.make(np.zeros(0), np.zeros(0), np.zeros(0))
    mentor = np.full(len(w.people), -1, dtype=np.int64)
    r = (teams.type == 1) & ~teams.stale
    mentor[teams.mentee[r]] = teams.mentor[r]
    other = _clinical_pool(w).draw(rng, w.spec[res])
    first = np.where(mentor[res] >= 0, mentor[res], other)
    who = np.concatenate([res, res])
    partner = np.concatenate([first, other])
    keep = (partner >= 0) & np.r_[np.ones(len(res), bool), other != first]
    who, partner = who[keep], partner[keep]
    k = np.repeat(np.arange(len(who)), rng.multinomial(n_rows, np.full(len(who), 1 / len(who))))
    day = _weekday(_uniform_days(rng, np.maximum(w.start[who[k]] + 60, 0), np.full(len(k), DAYS - 1)))
    return _Rows.make(
        who[k],
        partner[k],
        day,
        channel=rng.choice([EMAIL, VIDEO, IN_PERSON], size=len(k), p=[0.4, 0.2, 0.4]),
        context=w.contexts.code("research"),
        init=rng.choice(3, size=len(k), p=[0.5, 0.2, 0.3]),
        note=w.notes.codes(_RESEARCH_NOTES)[rng.integers(0, len(_RESEARCH_NOTES), len(k))],
    )


def _committee_days() -> list[np.ndarray]:
    """Each committee meets monthly on a fixed weekday of the second week."""
    days = np.arange(DAYS)
    dom = (_EPOCH + days).astype("datetime64[D]").astype(object)
    dom = np.array([d.day for d in dom])
    wd = (_START_WEEKDAY + days) % 7
    return [days[(wd == c) & (dom >= 8) & (dom <= 14)] for c in range(len(COMMITTEES))]


def _committee_rows(
    rng: np.random.Generator, w: _World, who: np.ndarray, n_rows: int, *, member_pool: np.ndarray
) -> _Rows:
    if len(who) == 0 or n_rows == 0:
        return _Rows.make(np.zeros(0), np.zeros(0), np.zeros(0))
    k = who[rng.integers(0, len(who), size=n_rows)]
    bits = w.bits[k]
    options = np.stack([(bits >> c) & 1 for c in range(4)], axis=1).astype(float)
    committee = _choice_rows(rng, options)
    pool = _Pool.of(
        np.concatenate([np.full(int(((w.bits[member_pool] >> c) & 1).sum()), c) for c in range(4)]),
        np.concatenate([member_pool[((w.bits[member_pool] >> c) & 1) > 0] for c in range(4)]),
        4,
    )
    b = pool.draw(rng, committee)
    b = np.where(b == k, pool.draw(rng, committee), b)
    meeting_days = _committee_days()
    day = np.zeros(len(k), dtype=np.int64)
    for c in range(4):
        sel = np.flatnonzero(committee == c)
        options_c = meeting_days[c]
        lo = np.searchsorted(options_c, np.maximum(w.start[k[sel]], 0))
        j = lo + (rng.random(len(sel)) * np.maximum(len(options_c) - lo, 1)).astype(int)
        day[sel] = options_c[np.minimum(j, len(options_c) - 1)]
    notes = w.notes.codes([f"{c} committee meeting" for c in COMMITTEES])
    keep = (b >= 0) & (b != k)
    rows = _Rows.make(
        k,
        b,
        day,
        channel=np.where(rng.random(len(k)) < 0.8, IN_PERSON, VIDEO),
        context=w.contexts.code("meeting"),
        note=notes[committee],
    )
    return rows.take(np.flatnonzero(keep))


def _resident_committees(rng: np.random.Generator, w: _World, n_rows: int) -> _Rows:
    res = w.residents[w.bits[w.residents] > 0]
    faculty = np.flatnonzero((w.group == STAFF) & (w.bits > 0))
    return _committee_rows(rng, w, res, n_rows, member_pool=faculty)


def _favours(rng: np.random.Generator, w: _World, n_rows: int) -> _Rows:
    """One-sided ties: the same side always asks."""
    n_pairs = max(1, n_rows // 4)
    asker = rng.choice(w.residents, size=n_pairs)
    targets = [
        np.flatnonzero((w.group == STAFF) & np.isin(w.col("kind"), ["faculty"])),
        np.flatnonzero(w.group == ALUMNUS),
        np.flatnonzero(w.group == OUTSIDER),
    ]
    category = rng.choice(3, size=n_pairs, p=[0.3, 0.45, 0.25])
    target = np.select(
        [category == 0, category == 1],
        [rng.choice(t, n_pairs) for t in targets[:2]],
        rng.choice(targets[2], n_pairs),
    )
    extra = max(n_rows - 2 * n_pairs, 0)
    counts = 2 + rng.multinomial(extra, np.full(n_pairs, 1 / n_pairs))
    p = np.repeat(np.arange(n_pairs), counts)
    a, t = asker[p], target[p]
    spec, inst = w.spec[a], w.inst[t]
    intro = w.fellowship[inst, np.maximum(spec, 0)] & np.isin(spec, _FELLOWSHIPS) & (rng.random(len(p)) < 0.3)
    plain = w.notes.codes(_FAVOURS)[rng.integers(0, len(_FAVOURS), len(p))]
    key = np.where(intro, np.maximum(spec, 0) * 100 + inst, -1)
    uniq, inv = np.unique(key, return_inverse=True)
    label = np.array(_FELLOWSHIP_LABEL, dtype=object)
    intro_codes = w.notes.codes(
        [
            f"asked for an introduction to the {label[k // 100]} fellowship at {w.inst_name[k % 100]}" if k >= 0 else ""
            for k in uniq
        ]
    )
    note = np.where(intro, intro_codes[inv], plain)
    asker_is_b = (rng.random(n_pairs) < 0.3)[p]
    named = (rng.random(n_pairs) < 0.3)[p]
    day = _uniform_days(rng, np.maximum(w.start[a], 0), np.full(len(p), DAYS - 1))
    return _Rows.make(
        np.where(asker_is_b, t, a),
        np.where(asker_is_b, a, t),
        day,
        channel=rng.choice([EMAIL, MESSAGE, IN_PERSON], size=len(p), p=[0.7, 0.2, 0.1]),
        context=w.contexts.code(""),
        init=asker_is_b.astype(int),
        named=named,
        note=note,
    )


def _faculty_misc(rng: np.random.Generator, w: _World, n_rows: int) -> _Rows:
    """Faculty and staff among themselves: committees, curbsides, unit talk (no residents)."""
    if n_rows == 0:
        return _Rows.make(np.zeros(0), np.zeros(0), np.zeros(0))
    staff = w.group == STAFF
    n_comm = n_rows * 4 // 10
    committee = _committee_rows(
        rng, w, np.flatnonzero(staff & (w.bits > 0)), n_comm, member_pool=np.flatnonzero(staff & (w.bits > 0))
    )
    n_rest = n_rows - len(committee)
    generalists = np.flatnonzero(staff & np.isin(w.role, ["hospitalist", "attending", "APD", "chief"]))
    consultants = np.flatnonzero(staff & np.isin(w.role, ["subspecialist", "fellow"]))
    unit = np.flatnonzero(staff & np.isin(w.role, ["nurse", "pharmacist", "case manager"]))
    curbside = rng.random(n_rest) < 0.6
    a = np.where(curbside, rng.choice(generalists, n_rest), rng.choice(unit, n_rest))
    b = np.where(curbside, rng.choice(consultants, n_rest), rng.choice(generalists, n_rest))
    service = _service_code(w.col("service")[a])
    notes = w.notes.codes(["curbside question about a patient", "patient update", "discharge planning"])
    rest = _Rows.make(
        a,
        b,
        _weekday(rng.integers(0, DAYS, size=n_rest)),
        channel=rng.choice([IN_PERSON, CALL, MESSAGE], size=n_rest, p=[0.5, 0.25, 0.25]),
        context=np.where(curbside, 3, service),
        init=rng.choice(3, size=n_rest, p=[0.6, 0.1, 0.3]),
        note=np.where(curbside, notes[0], notes[rng.integers(1, 3, n_rest)]),
    )
    return _Rows.concat([committee, rest])


@dataclass(frozen=True)
class _Where:
    """Which person sits in which contact file row (row 2 is the first data row)."""

    a: dict[str, np.ndarray]
    b: dict[str, np.ndarray]


def _contact_files(rng: np.random.Generator, w: _World, rows: _Rows) -> tuple[dict[str, pd.DataFrame], _Where]:
    n = len(rows)
    show_id_a, show_id_b = rng.random(n) < 0.9, rng.random(n) < 0.9
    initiated = np.select(
        [rows.named & (rows.init == 0), rows.named & (rows.init == 1), rows.init == 0, rows.init == 1],
        [w.name[rows.a], w.name[rows.b], "a", "b"],
        "both",
    )
    frame = pd.DataFrame(
        {
            "date": _iso(rows.day),
            "person_a": w.name[rows.a],
            "email_a": np.where(rows.ea, w.email[rows.a], ""),
            "id_a": np.where(show_id_a, w.pid[rows.a], ""),
            "person_b": w.name[rows.b],
            "email_b": np.where(rows.eb, w.email[rows.b], ""),
            "id_b": np.where(show_id_b, w.pid[rows.b], ""),
            "channel": np.array(CHANNELS, dtype=object)[rows.channel],
            "context": w.contexts.array()[rows.context],
            "initiated_by": initiated,
            "scheduled": np.where(rows.sched, "yes", "no"),
            "note": w.notes.array()[rows.note],
        },
        dtype=object,
    )
    first = rows.day < _SPLIT_DAY
    files, wa, wb = {}, {}, {}
    for name, sel in (("contacts_2025.csv", first), ("contacts_2026.csv", ~first)):
        files[name] = frame[sel].reset_index(drop=True)
        wa[name], wb[name] = rows.a[sel], rows.b[sel]
    return files, _Where(wa, wb)


# --------------------------------------------------------------------------- planted labels


class _Labels:
    def __init__(self) -> None:
        self.bad: list[tuple[str, int, str, str]] = []
        self.resolution: list[tuple[str, int, str, str, str]] = []
        self.used: dict[str, set[int]] = {}
        self.verbatim: list[tuple[str, int, str, str]] = []
        self.one_sided = pd.DataFrame()
        self.in_touch = pd.DataFrame()

    def take(self, file: str, row: int) -> None:
        self.used.setdefault(file, set()).add(row)

    def free(self, file: str, rows: np.ndarray) -> np.ndarray:
        """Return the rows not yet planted with anything, in their given order."""
        rows = np.asarray(rows, dtype=np.int64)
        return rows[~np.isin(rows, np.array(sorted(self.used.get(file, ())), dtype=np.int64))]

    def frames(self, w: _World, teams: _Teams) -> dict[str, pd.DataFrame]:
        x, y = w.pair
        thin = [(w.pid[r], w.name[r], "no mentors at all") for r in w.thin_none]
        last = {}
        for m, r in zip(teams.mentee[teams.stale], teams.mentor[teams.stale], strict=True):
            last[m] = r
        thin += [
            (w.pid[r], w.name[r], f"only one mentor ({w.name[last[r]]}), no contact in 12+ months")
            for r in w.thin_stale
        ]
        return {
            "planted_bad_rows.csv": pd.DataFrame(self.bad, columns=["file", "row", "field", "reason"]),
            "resolution.csv": pd.DataFrame(
                self.resolution, columns=["file", "row", "column", "written_as", "true_person"]
            ),
            "thin_mentorship.csv": pd.DataFrame(sorted(thin), columns=["program_id", "name", "reason"]),
            "distinct_people.csv": pd.DataFrame(
                [
                    (
                        w.name[x],
                        w.key(x),
                        w.key(y),
                        "same name, different people (different e-mails and institutions): do not merge",
                    )
                ],
                columns=["name", "person_1", "person_2", "reason"],
            ),
            "verbatim.csv": pd.DataFrame(self.verbatim, columns=["file", "row", "column", "value"]),
            "one_sided.csv": self.one_sided,
            "alumni_in_touch.csv": self.in_touch,
            "people.csv": _people_frame(w),
        }


def _one_sided(w: _World, rows: _Rows) -> pd.DataFrame:
    """Favour ties: the asker always initiates, and the pair never met otherwise."""
    fav = rows.part == _FAVOUR
    asker = np.where(rows.init[fav] == 0, rows.a[fav], rows.b[fav])
    target = np.where(rows.init[fav] == 0, rows.b[fav], rows.a[fav])
    pairs = pd.DataFrame({"asker": asker, "target": target}).value_counts().sort_index()
    return pd.DataFrame(
        {
            "asker": [w.key(a) for a, _ in pairs.index],
            "target": [w.key(t) for _, t in pairs.index],
            "contacts": pairs.to_numpy(),
        }
    )


def _in_touch_frame(w: _World, rows: _Rows) -> pd.DataFrame:
    """The planted bridges: which home faculty keep in touch with which alumni, and how often they wrote."""
    mine = rows.part == _PARTS.index("alumni")
    pairs = pd.DataFrame({"faculty": rows.a[mine], "alumnus": rows.b[mine]}).value_counts().sort_index()
    fac = np.array([f for f, _ in pairs.index], dtype=np.int64)
    alu = np.array([a for _, a in pairs.index], dtype=np.int64)
    return pd.DataFrame(
        {
            "faculty": [w.key(f) for f in fac],
            "faculty_name": w.name[fac],
            "alumnus": [w.key(a) for a in alu],
            "institution": w.inst_name[w.inst[alu]],
            "specialty": _SPEC[w.spec[alu]],
            "contacts": pairs.to_numpy(),
        }
    )


def _variant(rng: np.random.Generator, w: _World, i: int) -> str:
    p = w.people.iloc[i]
    first, middle, last, kind = p["first"], p["middle"], p["last"], p["kind"]
    suffix = {"nurse": ", RN", "pharmacist": ", PharmD", "case_manager": ""}.get(kind, ", MD")
    forms = [
        f"{last} {first[0]}",
        f"{first} {middle}. {last}{suffix}",
        f"{last}, {first}",
        f"{first[0]}. {last}",
        f"Dr. {first} {last}" if suffix == ", MD" else f"{last.upper()}, {first}",
    ]
    return forms[int(rng.choice(5, p=[0.25, 0.25, 0.25, 0.1, 0.15]))]


def _variant_people(rng: np.random.Generator, w: _World, counts: np.ndarray) -> np.ndarray:
    """About 60 people with an unambiguous last name + initial, seen at least 3 times."""
    p = w.people
    initial = p["last"] + " " + p["first"].str[0]
    unique = ~initial.duplicated(keep=False).to_numpy()
    ok = unique & (counts >= 3)
    ok[list(w.pair)] = False
    kind = w.col("kind")
    chosen = []
    for mask, k in (
        ((w.group == STAFF) & np.isin(kind, ["faculty", "fellow"]), 25),
        ((w.group == STAFF) & np.isin(kind, ["nurse", "pharmacist"]), 8),
        (w.group == ALUMNUS, 15),
        (w.group == RESIDENT, 12),
    ):
        idx = np.flatnonzero(ok & mask)
        chosen.append(rng.choice(idx, size=min(k, len(idx)), replace=False))
    return np.sort(np.concatenate(chosen))


def _plant_contact_variants(
    rng: np.random.Generator,
    w: _World,
    files: dict[str, pd.DataFrame],
    where: _Where,
    labels: _Labels,
) -> np.ndarray:
    counts = sum(np.bincount(where.a[f], minlength=len(w.people)) for f in files) + sum(
        np.bincount(where.b[f], minlength=len(w.people)) for f in files
    )
    chosen = _variant_people(rng, w, counts)
    for i in chosen:
        spots = [
            (f, side, r)
            for f in files
            for side, arr in (("a", where.a[f]), ("b", where.b[f]))
            for r in np.flatnonzero(arr == i)[:50]
        ]
        for k in rng.choice(len(spots), size=min(2, len(spots)), replace=False):
            f, side, r = spots[k]
            if r + 2 in labels.used.get(f, ()):
                continue
            frame = files[f]
            written = _variant(rng, w, i)
            if frame.at[r, "initiated_by"] == frame.at[r, f"person_{side}"]:
                frame.at[r, "initiated_by"] = side
            frame.at[r, f"person_{side}"] = written
            if rng.random() < 0.5:
                frame.at[r, f"email_{side}"] = ""
                frame.at[r, f"id_{side}"] = ""
            labels.take(f, r + 2)
            labels.resolution.append((f, r + 2, f"person_{side}", written, w.key(i)))
    for i in w.pair:  # the same written name resolves to two different people
        for f in files:
            rows = labels.free(f, np.flatnonzero(where.b[f] == i) + 2)[:2]
            for r in rows:
                frame = files[f]
                frame.at[r - 2, "email_b"] = w.email[i]
                labels.take(f, int(r))
                labels.resolution.append((f, int(r), "person_b", w.name[i], w.key(i)))
    return chosen


def _plant_contact_faults(
    rng: np.random.Generator,
    w: _World,
    files: dict[str, pd.DataFrame],
    where: _Where,
    labels: _Labels,
) -> None:
    faults = {
        "contacts_2025.csv": [
            ("date", "2025-13-01", "month 13 does not exist"),
            ("person_b", "", "missing person_b"),
            ("channel", "carrier pigeon", "unknown channel"),
            ("scheduled", "maybe", "scheduled is neither yes nor no"),
        ],
        "contacts_2026.csv": [
            ("date", "2030-01-01", "date in the future"),
            ("date", "", "missing date"),
            ("initiated_by", None, "initiated_by names neither person_a nor person_b"),
            ("date", "2026-02-30", "February 30 does not exist"),
        ],
    }
    for f, plan in faults.items():
        frame = files[f]
        candidates = rng.choice(len(frame), size=min(len(frame), 10 * len(plan) + 200), replace=False) + 2
        rows = labels.free(f, candidates)[: len(plan)]
        for r, (col, value, reason) in zip(rows, plan, strict=True):
            i = int(r) - 2
            if value is None:
                others = {where.a[f][i], where.b[f][i]}
                third = next(int(j) for j in rng.permutation(w.residents) if j not in others)
                value = w.name[third]
            frame.at[i, col] = value
            if col == "person_b":
                frame.at[i, "email_b"] = ""
                frame.at[i, "id_b"] = ""
            labels.take(f, int(r))
            labels.bad.append((f, int(r), col, reason))


# --------------------------------------------------------------------------- files


def _title(w: _World) -> np.ndarray:
    role, spec = w.role, w.spec
    return np.select(
        [
            role == "resident",
            role == "PD",
            role == "APD",
            role == "chief",
            role == "subspecialist",
            role == "hospitalist",
            role == "attending",
            role == "fellow",
            role == "nurse",
            role == "pharmacist",
            role == "case manager",
            role == "coordinator",
        ],
        [
            "PGY-" + w.col("pgy").astype(str).astype(object) + " Resident",
            "Program Director",
            "Associate Program Director",
            "Chief Resident",
            _SPEC[spec] + " Attending",
            "Hospitalist",
            "General Internal Medicine Attending",
            _SPEC[spec] + " Fellow",
            "Nurse",
            "Clinical Pharmacist",
            "Case Manager",
            "Program Coordinator",
        ],
        w.col("position"),
    )


def _people_frame(w: _World) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person": np.where(w.pid != "", w.pid, w.email),
            "name": w.name,
            "email": w.email,
            "program_id": w.pid,
            "group": np.array(_GROUPS, dtype=object)[w.group],
            "kind": w.col("kind"),
            "title": _title(w),
            "institution": w.inst_name[w.inst],
            "specialty": _SPEC[w.spec],
            "orcid": w.col("orcid"),
        },
        dtype=object,
    )


def _roster(rng: np.random.Generator, w: _World, service_now: np.ndarray, labels: _Labels) -> pd.DataFrame:
    idx = np.flatnonzero(w.group <= STAFF)
    resident = w.group[idx] == RESIDENT
    grad = w.col("grad_year")[idx]
    roster = pd.DataFrame(
        {
            "program_id": w.pid[idx],
            "name": w.name[idx],
            "email": w.email[idx],
            "kind": w.col("kind")[idx],
            "role": w.role[idx],
            "pgy": pd.array(np.where(resident, w.col("pgy")[idx], 0), dtype="Int64"),
            "grad_year": pd.array(grad, dtype="Int64"),
            "specialty": _SPEC[w.spec[idx]],
            "service": np.where(resident, service_now[idx], w.col("service")[idx]),
            "institution": HOME,
            "committees": _COMMITTEE_TEXT[w.bits[idx]],
        }
    )
    roster.loc[~resident, "pgy"] = pd.NA
    roster.loc[roster["grad_year"] == 0, "grad_year"] = pd.NA
    r = int(rng.choice(np.flatnonzero(resident)))
    roster.loc[r, "pgy"] = 7
    labels.bad.append(("roster.csv", r + 2, "pgy", "pgy 7 is outside 1-3"))
    return roster


def _alumni(rng: np.random.Generator, w: _World, labels: _Labels) -> pd.DataFrame:
    home = w.col("home_alum")
    idx = np.flatnonzero(home | (w.group == ALUMNUS))
    title = _title(w)[idx]
    email = w.email[idx].copy()
    email[(w.group[idx] == ALUMNUS) & (rng.random(len(idx)) < 0.03)] = ""
    frame = pd.DataFrame(
        {
            "Full Name": w.name[idx],
            "Class of": [int(y) for y in w.col("grad_year")[idx]],
            "Current Position": title,
            "Employer": w.inst_name[w.inst[idx]],
            "Field": _SPEC[w.spec[idx]],
            "City": w.inst_city[w.inst[idx]],
            "E-mail": email,
        },
        dtype=object,
    )
    frame["_last"] = w.col("last")[idx]
    frame = frame.sort_values(["Class of", "_last", "Full Name"], ascending=[False, True, True], kind="stable")
    frame = frame.drop(columns="_last").reset_index(drop=True)
    year, missing = rng.choice(len(frame), size=2, replace=False)
    frame.at[year, "Class of"] = "twenty twenty"
    frame.at[missing, "Full Name"] = None
    labels.bad.append(("alumni.xlsx", int(year) + 2, "Class of", "graduation year is not a number"))
    labels.bad.append(("alumni.xlsx", int(missing) + 2, "Full Name", "missing name"))
    return frame


def _mentorship_frame(
    rng: np.random.Generator, w: _World, teams: _Teams, chosen: np.ndarray, labels: _Labels
) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "mentor": w.name[teams.mentor],
            "mentor_email": w.email[teams.mentor],
            "mentee": w.name[teams.mentee],
            "mentee_email": w.email[teams.mentee],
            "type": np.array(MENTOR_TYPES, dtype=object)[teams.type],
            "since": _iso(teams.since),
        },
        dtype=object,
    )
    f = "mentorship.csv"
    rows = np.flatnonzero(np.isin(teams.mentor, chosen) & ~teams.stale)
    for r in rng.choice(rows, size=min(15, len(rows)), replace=False):
        written = _variant(rng, w, int(teams.mentor[r]))
        frame.at[r, "mentor"] = written
        if rng.random() < 0.5:
            frame.at[r, "mentor_email"] = ""
        labels.take(f, int(r) + 2)
        labels.resolution.append((f, int(r) + 2, "mentor", written, w.key(int(teams.mentor[r]))))
    bad = int(rng.choice(labels.free(f, np.flatnonzero(~teams.stale) + 2)))
    frame.at[bad - 2, "type"] = "cheerleader"
    labels.bad.append((f, bad, "type", "unknown mentorship type"))
    return frame


_TRACKER_HEADERS = (
    ("Contact", "Title", "Hospital", "How we met", "Interests", "Last contact", "What we discussed", "Next step"),
    ("Name", "Role", "Institution", "Met at", "Interests", "Last contact date", "Notes", "Next step"),
    ("Contact", "Position", "Organization", "How met", "Interests", "Last Contact", "Notes", "Next Step"),
)
_TRACKER_DATES = ("%Y-%m-%d", "%m/%d/%Y", "%b %d, %Y", "%d %b %Y")
_DISCUSSED = (
    "fellowship application timeline",
    "research project ideas",
    "away rotation options",
    "letter of recommendation",
    "interview advice",
    "a case we shared",
    "abstract for the spring meeting",
)
_NEXT = (
    "send CV",
    "follow up in a month",
    "share abstract draft",
    "ask about away rotation",
    "",
    "schedule a call",
    "thank-you email",
)


def _trackers(
    rng: np.random.Generator,
    w: _World,
    rows: _Rows,
    chosen: np.ndarray,
    labels: _Labels,
) -> dict[str, pd.DataFrame]:
    """Twelve residents' personal trackers (two as .xlsx), known and new contacts mixed."""
    thin = np.concatenate([w.thin_none, w.thin_stale])
    eligible = w.residents[(w.col("pgy")[w.residents] >= 2) & ~np.isin(w.residents, thin)]
    owners = rng.choice(eligible, size=min(12, len(eligible)), replace=False)
    strangers = rng.permutation(np.flatnonzero(w.group == ACQUAINTANCE))
    variant_people = chosen[np.isin(w.group[chosen], [STAFF, ALUMNUS])]
    out: dict[str, pd.DataFrame] = {}
    pos = 0
    title = _title(w)
    for t, owner in enumerate(owners):
        mine = (rows.a == owner) | (rows.b == owner)
        partner = np.where(rows.a[mine] == owner, rows.b[mine], rows.a[mine])
        ctx, day = rows.context[mine], rows.day[mine]
        variants = rng.choice(variant_people, size=min(2 if t < 8 else 1, len(variant_people)), replace=False)
        known = np.unique(partner[np.isin(w.group[partner], [STAFF, ALUMNUS, OUTSIDER])])
        known = known[~np.isin(known, variants)]
        known = rng.choice(known, size=min(int(rng.integers(5, 9)), len(known)), replace=False)
        n_new = int(rng.integers(4, 8))
        new = strangers[pos : pos + n_new]
        pos += n_new
        fmt = _TRACKER_DATES[t % len(_TRACKER_DATES)]
        header = _TRACKER_HEADERS[t % len(_TRACKER_HEADERS)]
        records = []
        for person in [*known, *variants, *new]:
            seen = partner == person
            if seen.any():
                last = int(day[seen].max())
                how = _how_met(w.contexts.items[int(ctx[seen][np.argmax(day[seen])])], last)
            else:
                last = int(rng.integers(0, DAYS))
                how = str(rng.choice(_MET_ELSEWHERE))
            written = _variant(rng, w, int(person)) if person in variants else w.name[person]
            records.append(
                [
                    written,
                    title[person],
                    w.inst_name[w.inst[person]],
                    how,
                    _INTEREST_TEXT[w.spec[person]] if w.spec[person] >= 0 else "teaching; patient safety",
                    (START_DATE + timedelta(days=last)).strftime(fmt),
                    str(rng.choice(_DISCUSSED)),
                    str(rng.choice(_NEXT)),
                ]
            )
        order = rng.permutation(len(records))
        records = [records[k] for k in order]
        people_order = np.array([*known, *variants, *new])[order]
        if t == 0:
            records.insert(
                3,
                [
                    INJECTION_NAME,
                    "Attending Physician",
                    str(w.inst_name[3]),
                    "SGIM poster session",
                    "graph databases",
                    "2026-05-20",
                    "asked him to spell his name",
                    "double-check the spelling",
                ],
            )
            people_order = np.insert(people_order, 3, -1)
        ext = "xlsx" if t >= len(owners) - 2 else "csv"
        name = f"tracker - {w.name[owner]}.{ext}"
        out[name] = pd.DataFrame(records, columns=list(header))
        if t == 0:
            labels.verbatim.append((name, 5, header[0], INJECTION_NAME))
        for r, person in enumerate(people_order):
            if person in variants:
                labels.take(name, r + 2)
                labels.resolution.append((name, r + 2, header[0], records[r][0], w.key(int(person))))
    return out


_MET_ELSEWHERE = (
    "introduced by my mentor",
    "LinkedIn",
    "away rotation",
    "research project",
    "interview day",
)


def _how_met(context: str, day: int) -> str:
    if context in _SERVICE_CONTEXT:
        return f"{context} rotation"
    if context in ("", "meeting", "research"):
        return {"": "emailed them", "meeting": "committee", "research": "research project"}[context]
    return f"{context} {(START_DATE + timedelta(days=day)).year}"


def _pubmed(rng: np.random.Generator, w: _World) -> str:
    """Return a compact PubmedArticleSet; PMIDs from 90000001, authors from every group."""
    n = _n(3000, w.scale)
    year = rng.choice(np.arange(2012, 2027), size=n, p=_normalise(np.linspace(1, 3, 15)))
    spec = rng.choice(10, size=n, p=_OUTSIDE_P)
    pub, person = _authors(rng, w, spec, year)
    authors = pd.DataFrame({"pub": pub, "person": person}).drop_duplicates()
    pub, person = authors["pub"].to_numpy(), authors["person"].to_numpy()
    plain, with_orcid = _author_xml(w)
    show = (w.col("orcid")[person] != "") & (rng.random(len(person)) < 0.8)
    author = np.where(show, with_orcid[person], plain[person])
    head, tail = _article_parts(rng, spec, year)
    pieces = np.concatenate([head, author, tail])
    key_pub = np.concatenate([np.arange(n), pub, np.arange(n)])
    key_pos = np.concatenate([np.zeros(n), np.arange(len(pub)) + 1.0, np.full(n, np.inf)])
    order = np.lexsort((key_pos, key_pub))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
        '1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
        "<PubmedArticleSet>" + "".join(pieces[order]) + "</PubmedArticleSet>\n"
    )


def _authors(rng: np.random.Generator, w: _World, spec: np.ndarray, year: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each paper's author slots as (paper, person) arrays, sorted by paper.

    A paper comes from one site: the home program (45%: its faculty and fellows, residents since
    2025) or an away institution (its alumni and outside faculty, the paper's specialty 60% of the
    time); 30% of away papers add one of the site's liaisons (:func:`_in_touch`), so home faculty
    co-author only with the places they are tied to.
    """
    n, n_inst = len(spec), len(w.inst_name)
    site = np.where(rng.random(n) < 0.45, 0, rng.integers(1, n_inst, size=n))
    pub = np.repeat(np.arange(n), rng.integers(3, 7, size=n))
    sp, st = spec[pub], site[pub]
    person = np.full(len(pub), -1, dtype=np.int64)
    thin = np.concatenate([w.thin_none, w.thin_stale])
    faculty = np.flatnonzero((w.group == STAFF) & np.isin(w.col("kind"), ["faculty", "fellow"]))
    residents = w.residents[~np.isin(w.residents, thin)]
    home = st == 0
    resident = home & (rng.random(len(pub)) < 0.1) & (year[pub] >= 2025)
    for sel, idx in ((home & ~resident, faculty), (resident, residents)):
        person[sel] = _fallback(rng, _Pool.of(w.spec[idx], idx, 10).draw(rng, sp[sel]), _single(idx))
    away = np.flatnonzero(~home)
    same = rng.random(len(away)) < 0.6
    outsider = rng.random(len(away)) < 0.55
    for mask, group in ((~outsider, ALUMNUS), (outsider, OUTSIDER)):
        idx = np.flatnonzero(w.group == group)
        rows = away[mask]
        by_spec = _Pool.of(w.inst[idx] * 10 + w.spec[idx], idx, n_inst * 10).draw(rng, st[rows] * 10 + sp[rows])
        by_site = _Pool.of(w.inst[idx], idx, n_inst).draw(rng, st[rows])
        picked = np.where(same[mask] & (by_spec >= 0), by_spec, by_site)
        person[rows] = _fallback(rng, picked, _single(idx))
    last = np.r_[pub[1:] != pub[:-1], True] & ~home & (rng.random(len(pub)) < 0.3)
    liaison = _Pool.of(w.liaison_inst, w.liaison, n_inst).draw(rng, st[last])
    person[np.flatnonzero(last)[liaison >= 0]] = liaison[liaison >= 0]
    return pub, person


def _author_xml(w: _World) -> tuple[np.ndarray, np.ndarray]:
    """Return each person's ``<Author>`` element, without and with their ORCID iD."""
    p = w.people
    first, mid = p["first"].to_numpy(object), p["middle"].to_numpy(object)
    has_mid = p["has_middle"].to_numpy(bool)
    fore = np.where(has_mid, first + " " + mid, first)
    initials = p["first"].str[0].to_numpy(object) + np.where(has_mid, mid, "")
    head = (
        '<Author ValidYN="Y"><LastName>'
        + _xml(p["last"].to_numpy(object))
        + "</LastName><ForeName>"
        + _xml(fore)
        + "</ForeName><Initials>"
        + initials
        + "</Initials>"
    )
    place = _xml(w.inst_name + ", " + w.inst_city + ", " + w.inst_state + ", USA.")
    tail = ("<AffiliationInfo><Affiliation>" + place + "</Affiliation></AffiliationInfo></Author>")[w.inst]
    orcid = '<Identifier Source="ORCID">' + w.col("orcid") + "</Identifier>"
    return head + tail, head + orcid + tail


_TOPICS = (
    ("upper GI bleeding", "cirrhosis", "inflammatory bowel disease", "Clostridioides difficile infection"),
    ("heart failure", "atrial fibrillation", "acute coronary syndrome", "syncope"),
    ("sepsis", "ARDS", "COPD exacerbation", "pulmonary embolism"),
    ("acute kidney injury", "hyponatremia", "chronic kidney disease", "hyperkalemia"),
    ("febrile neutropenia", "venous thromboembolism in cancer", "anemia", "lymphoma"),
    ("Staphylococcus aureus bacteremia", "HIV", "urinary tract infection", "cellulitis"),
    ("hospital readmissions", "delirium", "discharge before noon", "sign-out handoffs"),
    ("hypertension control", "colorectal cancer screening", "depression screening", "diabetes"),
    ("diabetic ketoacidosis", "thyroid nodules", "adrenal insufficiency", "inpatient hyperglycemia"),
    ("gout flares", "giant cell arteritis", "lupus nephritis", "rheumatoid arthritis"),
)
_OUTCOMES = (
    "Outcomes of",
    "Thirty-day readmissions after",
    "Trends in",
    "Resident-led quality improvement for",
    "Predictors of mortality in",
    "Cost of care for",
    "Time to treatment in",
)
_DESIGNS = (
    "a retrospective cohort study",
    "a quality improvement initiative",
    "a single-center experience",
    "a case series",
    "a cross-sectional survey",
    "a randomized pilot trial",
)
_MESH = (
    ("Gastrointestinal Hemorrhage", "Liver Cirrhosis", "Endoscopy, Gastrointestinal"),
    ("Heart Failure", "Atrial Fibrillation", "Echocardiography"),
    ("Critical Care", "Respiratory Distress Syndrome", "Sepsis"),
    ("Acute Kidney Injury", "Renal Dialysis", "Hyponatremia"),
    ("Neoplasms", "Anemia", "Venous Thromboembolism"),
    ("Bacteremia", "Anti-Bacterial Agents", "HIV Infections"),
    ("Hospitalists", "Patient Readmission", "Patient Discharge"),
    ("Primary Health Care", "Mass Screening", "Hypertension"),
    ("Diabetes Mellitus", "Thyroid Nodule", "Hyperglycemia"),
    ("Gout", "Arthritis, Rheumatoid", "Lupus Erythematosus, Systemic"),
)


def _article_parts(rng: np.random.Generator, spec: np.ndarray, year: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return every article's XML before and after its authors (pieces built once per distinct value)."""
    n = len(spec)
    topics = [t for ts in _TOPICS for t in ts]
    titles = _xml(np.array([f"{o} {t}: {d}." for o in _OUTCOMES for t in topics for d in _DESIGNS], dtype=object))
    title = (titles + '</ArticleTitle><AuthorList CompleteYN="Y">')[
        (rng.integers(0, len(_OUTCOMES), n) * len(topics) + spec * 4 + rng.integers(0, 4, n)) * len(_DESIGNS)
        + rng.integers(0, len(_DESIGNS), n)
    ]
    journals = [
        j for s in SPECIALTIES for j in (f"Annals of Bedside {s}", f"{s} Ward Reports", f"Lakes Region Journal of {s}")
    ]
    issue = np.array(
        [
            f"<Volume>{y - 1990}</Volume><PubDate><Year>{y}</Year></PubDate></JournalIssue><Title>{j}"
            "</Title></Journal><ArticleTitle>"
            for y in range(2012, 2027)
            for j in _xml(np.array(journals, dtype=object))
        ],
        dtype=object,
    )[(year - 2012) * len(journals) + spec * 3 + rng.integers(0, 3, n)]
    mesh = np.array(
        [
            "</AuthorList><Language>eng</Language></Article><MeshHeadingList><MeshHeading>"
            '<DescriptorName MajorTopicYN="N">'
            f'Humans</DescriptorName></MeshHeading><MeshHeading><DescriptorName MajorTopicYN="Y">{m}'
            "</DescriptorName></MeshHeading></MeshHeadingList></MedlineCitation><PubmedData><ArticleIdList>"
            '<ArticleId IdType="pubmed">'
            for m in _xml(np.array([m for ms in _MESH for m in ms], dtype=object))
        ],
        dtype=object,
    )[spec * 3 + rng.integers(0, 3, n)]
    pmid = (90000001 + np.arange(n)).astype(str).astype(object)
    head = (
        '<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">'
        + pmid
        + '</PMID><Article PubModel="Print"><Journal><JournalIssue CitedMedium="Internet">'
        + issue
        + title
    )
    return head, mesh + pmid + "</ArticleId></ArticleIdList></PubmedData></PubmedArticle>"


def _xml(text: np.ndarray) -> np.ndarray:
    s = pd.Series(text, dtype=object).astype(str)
    if s.str.contains("[&<>]", regex=True).any():
        s = s.str.replace("&", "&amp;").str.replace("<", "&lt;").str.replace(">", "&gt;")
    return s.to_numpy(object)


def _calendar(rng: np.random.Generator, w: _World, teams: _Teams, seed: int) -> bytes:
    """About 200 meetings: mentor, research and committee; some held by video."""
    cal = Calendar()
    cal.add("prodid", "-//tiegraph sample//fictional program//EN")
    cal.add("version", "2.0")
    thin = set(np.concatenate([w.thin_none, w.thin_stale]).tolist())
    active = np.flatnonzero(~teams.stale & ~np.isin(teams.mentee, list(thin)))
    faculty = np.flatnonzero((w.group == STAFF) & np.isin(w.col("kind"), ["faculty", "fellow"]))
    residents = np.array([r for r in w.residents if r not in thin])
    members = [np.flatnonzero((w.bits >> c & 1 > 0) & ~np.isin(np.arange(len(w.people)), list(thin))) for c in range(4)]
    n = round(200 * min(w.scale, 1.0))
    stamp = datetime(2026, 11, 1, tzinfo=UTC)
    for i in range(n):
        kind = i % 4
        if kind < 2 and len(active):
            t = int(rng.choice(active))
            organizer, guests = int(teams.mentor[t]), [int(teams.mentee[t])]
            summary = f"Mentor meeting: {w.name[guests[0]]} / {w.name[organizer]}"
            lo = max(int(teams.since[t]), 0)
        elif kind == 2:
            organizer = int(rng.choice(faculty))
            guests = [int(g) for g in rng.choice(residents, size=int(rng.integers(1, 4)), replace=False)]
            summary = f"Research meeting: {_TOPICS[max(int(w.spec[organizer]), 0)][0]} project"
            lo = max(int(w.start[guests].max()), 0)
        else:
            c = int(rng.integers(0, 4))
            chosen = [int(g) for g in rng.choice(members[c], size=min(6, len(members[c])), replace=False)]
            organizer, guests = chosen[0], chosen[1:]
            summary = f"{COMMITTEES[c]} committee meeting"
            lo = max(int(w.start[chosen].max()), 0)
        day = int(_weekday(np.array([rng.integers(lo, DAYS - 1)]))[0])
        begin = datetime.combine(START_DATE + timedelta(days=day), datetime.min.time(), UTC)
        begin += timedelta(hours=int(rng.integers(12, 22)))
        event = Event()
        event.add("uid", f"sample-{seed}-{i:04d}@tiegraph.example")
        event.add("dtstamp", stamp)
        event.add("dtstart", begin)
        event.add("dtend", begin + timedelta(minutes=int(rng.choice([30, 60]))))
        event.add("summary", summary)
        video = rng.random() < 0.35
        where = (
            f"https://lakeside.zoom.example/j/9{rng.integers(10**8, 10**9)}"
            if video
            else f"Conference Room {rng.integers(1, 9)}{'ABC'[rng.integers(0, 3)]}, {HOME}"
        )
        event.add("location", where)
        event.add("organizer", _address(w, organizer))
        for g in guests:
            event.add("attendee", _address(w, g))
        cal.add_component(event)
    return cal.to_ical()


def _address(w: _World, i: int) -> vCalAddress:
    address = vCalAddress(f"mailto:{w.email[i]}")
    address.params["cn"] = vText(w.name[i])
    return address


def _connections(rng: np.random.Generator, w: _World, trackers: dict[str, pd.DataFrame]) -> tuple[str, str]:
    """Return one resident's LinkedIn export (preamble included) and its owner, who also keeps a tracker."""
    n = 150
    groups = [
        np.flatnonzero(w.group == ALUMNUS),
        np.flatnonzero((w.group == STAFF) & np.isin(w.col("kind"), ["faculty", "fellow"])),
        w.residents,
        np.flatnonzero(w.group == OUTSIDER),
        np.flatnonzero(w.group == ACQUAINTANCE),
    ]
    category = rng.choice(5, size=n, p=[0.4, 0.25, 0.15, 0.1, 0.1])
    who = np.unique([int(rng.choice(groups[c])) for c in category])
    owner = next(iter(trackers)).removeprefix("tracker - ").rsplit(".", 1)[0]
    who = who[w.name[who] != owner]
    p = w.people
    handle = (p["first"] + "-" + p["last"]).str.lower().to_numpy(object)[who]
    suffix = rng.integers(16**5, 16**6, size=len(who))
    first_day = np.where(w.group[who] == RESIDENT, _day("2024-07-01"), _day("2019-01-01"))
    connected = _uniform_days(rng, first_day, np.full(len(who), DAYS - 1))
    frame = pd.DataFrame(
        {
            "First Name": p["first"].to_numpy(object)[who],
            "Last Name": p["last"].to_numpy(object)[who],
            "URL": [f"https://www.linkedin.example/in/{h}-{s:x}" for h, s in zip(handle, suffix, strict=True)],
            "Email Address": np.where(rng.random(len(who)) < 0.15, w.email[who], ""),
            "Company": w.inst_name[w.inst[who]],
            "Position": _title(w)[who],
            "Connected On": [(START_DATE + timedelta(days=int(d))).strftime("%d %b %Y") for d in connected],
        }
    )
    frame = frame.iloc[np.argsort(-connected, kind="stable")]
    return "Notes:\n" + _LINKEDIN_NOTE + "\n\n" + frame.to_csv(index=False, lineterminator="\n"), owner


def _manifest(owner: str) -> str:
    return (
        "# Ingest hints for `tiegraph ingest data/sample`: a LinkedIn export does not name its owner.\n"
        f'files:\n  Connections.csv:\n    kind: linkedin\n    owner: "{owner}"\n'
    )


def _readme(seed: int) -> str:
    return f"""# Sample data: a fictional internal-medicine residency

Everything here is fictional and generated by `tiegraph sample --seed {seed}`
(`tools.sample.generate({seed}, 1.0)`, then `write_sample`). Names come from Faker's word
lists, institutions from invented place words, every e-mail uses the reserved `.example`
domain, ORCID iDs sit in the unassigned `0000-0000-` block. Any resemblance to a real person
or hospital is coincidence. The world ends on {END_DATE.isoformat()}: no contact is dated later,
except one planted fault.

The home program is the {PROGRAM} at {HOME}.

| file | what |
|---|---|
| `roster.csv` | residents (PGY 1-3, area of interest), faculty and staff with services and committees |
| `mentorship.csv` | declared mentors: clinical, research_qi, career, sponsor |
| `alumni.xlsx` | alumni of the last 15 classes, header variant (`Full Name`, `Class of`, `Employer`, ...) |
| `contacts_2025.csv` | contact log {START_DATE.isoformat()} to 2025-11-01: rotations, conferences, mentors, favours |
| `contacts_2026.csv` | contact log 2025-11-02 to {END_DATE.isoformat()} |
| `pubmed.xml` | co-authored publications as an efetch-style PubmedArticleSet (PMIDs from 90000001) |
| `tracker - <Resident>.csv/.xlsx` | twelve residents' personal contact trackers, varied headers |
| `calendar.ics` | mentor, research and committee meetings |
| `Connections.csv` | one resident's LinkedIn export, with LinkedIn's preamble |
| `tiegraph.yaml` | ingest hints: whose LinkedIn export `Connections.csv` is |
| `labels/` | answers for tests, not for ingest (ingest skips this folder) |

`labels/`: `planted_bad_rows.csv` (file, row, field, reason; row = spreadsheet line, header
= row 1), `resolution.csv` (name variants and who they really are), `distinct_people.csv`
(two different people sharing a name: never merge), `thin_mentorship.csv` (residents whose
mentorship team is plainly thin), `verbatim.csv` (values that must land unchanged, e.g. a
name full of quote and Cypher characters), `one_sided.csv` (favour ties: the asker always
initiates), `alumni_in_touch.csv` (the planted faculty bridges: which home faculty keep in touch
with which alumni, and how many contacts), `people.csv` (every person of the world).

Density: residents rotate in firms (about five a class) and sign out with firm-mates or
classmates, so co-resident ties are strong within a class and a firm and sparse across them;
papers come from one site (the home program or one away institution), and only an away
institution's liaisons (0-3 home faculty) write with its people and hear from its alumni.
"""


# -- planted introduction outcomes (for `tiegraph calibrate`; kept apart from the program generator) ---------------

TRUE_WEIGHTS = {
    "intensity": 0.25,
    "structure": 0.05,
    "collaboration": 0.25,
    "mentorship": 0.30,
    "reciprocity": 0.05,
    "duration": 0.05,
    "intimacy": 0.05,
}
"""The tie weights planted outcomes follow: unlike the hand-set ones (mentorship and papers weigh more)."""


def plant_outcomes(
    scored: pd.DataFrame,
    *,
    n: int,
    seed: int = 7,
    true_weights: dict[str, float] | None = None,
    sharpness: float = 12.0,
) -> pd.DataFrame:
    r"""Outcomes of ``n`` introduction requests over scored ties, from known true strengths.

    A request along a tie (drawn uniformly, with replacement) is carried with
    probability :math:`\sigma(k (s^* - \tilde s^*))`, where :math:`s^* = \sum_c w^*_c x_c`
    is the tie's true strength under ``true_weights`` (:data:`TRUE_WEIGHTS`),
    :math:`\tilde s^*` its median and :math:`k` the ``sharpness``.  The log-odds are
    linear in the components, so a logistic regression should recover :math:`w^*` up to scale.

    Returns
    -------
    pandas.DataFrame
        ``a, b, carried`` (the shape :func:`graph.analytics.calibration.outcomes` returns).
    """
    w = true_weights or TRUE_WEIGHTS
    rng = np.random.default_rng(seed)
    rows = scored.iloc[rng.integers(0, len(scored), n)].reset_index(drop=True)
    true = sum(wt * rows[c].to_numpy(float) for c, wt in w.items())
    p = 1.0 / (1.0 + np.exp(-sharpness * (true - np.median(true))))
    return pd.DataFrame({"a": rows["a"], "b": rows["b"], "carried": rng.random(n) < p})
