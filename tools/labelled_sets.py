"""The three labelled sets record linkage is measured on: ``(mentions, truth)`` each, truth from labels only.

(a) :func:`sample_labels`: the sample program's labels (``data/sample/labels``: every person, and the
    name variants the contact logs write for them); (b) :func:`pubmed`: the real PubMed/MEDLINE
    records in ``tests/data/pubmed`` (NLM data, copied from ../shared/realdata with their citation
    there): truth is the ORCID where an author has one, else the author entry (PMID, position), which
    the 7-record pair gives once as XML and once as MEDLINE text; ORCIDs are removed from the input;
    (c) :func:`stress`: the seeded stress set of :mod:`tools.stress_names` (>= 50,000 names).

Used by ``tests/test_resolution.py`` (the resolver) and ``tools/splink_baseline.py`` (Splink on the
same sets).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from graph.resolution.resolver import Mention
from graph.sources.pubmed import Article, institution_name, iter_records
from tools.stress_names import generate

__all__ = ["CONTACT_LOGS", "LABELS", "PUBMED", "pubmed", "sample_labels", "stress"]

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "data" / "sample" / "labels"
PUBMED = ROOT / "tests" / "data" / "pubmed"
CONTACT_LOGS = ("contacts_2025.csv", "contacts_2026.csv")


def sample_labels() -> tuple[list[Mention], list[str | None]]:
    """Every person of the sample and every row of both contact logs.

    Truth: a labelled variant's ``true_person``; else the row's id or e-mail column names the person;
    rows with neither get None (nothing says who they are: resolved, not scored).
    """
    people = pd.read_csv(LABELS / "people.csv", dtype=str, keep_default_na=False)
    labels = pd.read_csv(LABELS / "resolution.csv", dtype=str, keep_default_na=False)
    by_key = {
        **dict(zip(people["email"], people["person"], strict=True)),
        **dict(zip(people["program_id"], people["person"], strict=True)),
    }
    by_key.pop("", None)
    mentions: list[Mention] = []
    truth: list[str | None] = []
    for p in people.itertuples(index=False):
        mentions.append(Mention(p.name, p.email or None, p.program_id or None, p.orcid or None, p.institution or None))
        truth.append(p.person)
    labelled = {(lab.file, int(lab.row), lab.column): lab for lab in labels.itertuples(index=False)}
    for file in CONTACT_LOGS:
        log = pd.read_csv(ROOT / "data" / "sample" / file, dtype=str, keep_default_na=False)
        for n, row in enumerate(log.itertuples(index=False), start=2):  # spreadsheet line, header = 1
            for side, other in (("a", "b"), ("b", "a")):
                name, email, pid = (
                    getattr(row, f"person_{side}"),
                    getattr(row, f"email_{side}"),
                    getattr(row, f"id_{side}"),
                )
                if not name:
                    continue
                mentions.append(Mention(name, email or None, pid or None, context=(getattr(row, f"person_{other}"),)))
                lab = labelled.get((file, n, f"person_{side}"))
                truth.append(lab.true_person if lab is not None else by_key.get(pid) or by_key.get(email))
    for lab in labels.itertuples(index=False):
        if lab.file not in CONTACT_LOGS:
            mentions.append(Mention(lab.written_as))
            truth.append(lab.true_person)
    return mentions, truth


def pubmed() -> tuple[list[Mention], list[str], int]:
    """Every author of every record, ORCID removed; ``(mentions, truth, authors with an ORCID)``."""
    mentions, truth, orcids = [], [], 0
    files = sorted(PUBMED.glob("*.xml")) + sorted(PUBMED.glob("*.txt")) + sorted((PUBMED / "biopython").glob("*"))
    for path in files:
        if path.suffix not in (".xml", ".txt"):
            continue
        for art in iter_records(path):
            if not isinstance(art, Article):
                continue
            names = [f"{a.fore_name} {a.last_name}" if a.fore_name else a.key for a in art.authors]
            for a, name in zip(art.authors, names, strict=True):
                inst = next((i for i in map(institution_name, a.affiliations) if i), None)
                ctx = tuple(n for n in names if n != name)[:10]
                mentions.append(Mention(name, institution_id=inst, context=ctx))  # ORCID removed from the input
                truth.append(f"orcid:{a.orcid}" if a.orcid else f"{art.pmid}:{a.position}")
                orcids += bool(a.orcid)
    return mentions, truth, orcids


def stress(seed: int = 11, people: int = 12_000) -> tuple[list[Mention], list[int]]:
    """The seeded stress set (:func:`tools.stress_names.generate`)."""
    return generate(seed, people)


def contact_log(folder: Path, rows: int, *, emails: bool = False) -> tuple[list[Mention], list[str | None]]:
    """The first ``rows`` rows of a sample program's contact logs as resolver mentions, with their truth.

    A program folder made by ``tiegraph sample`` (``--scale 66`` gives 1M contact rows of 100k people).
    Name-only unless ``emails``: the e-mail and id columns are dropped from the input and used only as the
    truth (with the labelled variants of ``labels/resolution.csv``); a side with neither is resolved, not
    scored (None).  Each mention's context is the other party, as a contact log gives it.
    """
    people = pd.read_csv(folder / "labels" / "people.csv", dtype=str, keep_default_na=False)
    labels = pd.read_csv(folder / "labels" / "resolution.csv", dtype=str, keep_default_na=False)
    by_key = {
        **dict(zip(people["email"], people["person"], strict=True)),
        **dict(zip(people["program_id"], people["person"], strict=True)),
    }
    by_key.pop("", None)
    labelled = {(lab.file, int(lab.row), lab.column): lab.true_person for lab in labels.itertuples(index=False)}
    mentions: list[Mention] = []
    truth: list[str | None] = []
    left = rows
    for file in CONTACT_LOGS:
        if left <= 0:
            break
        log = pd.read_csv(folder / file, dtype=str, keep_default_na=False, nrows=left)
        left -= len(log)
        cols = {c: log[c].tolist() for c in ("person_a", "email_a", "id_a", "person_b", "email_b", "id_b")}
        for n in range(len(log)):
            for side, other in (("a", "b"), ("b", "a")):
                name = cols[f"person_{side}"][n]
                if not name:
                    continue
                email, pid = cols[f"email_{side}"][n], cols[f"id_{side}"][n]
                ctx = (cols[f"person_{other}"][n],)
                mentions.append(Mention(name, (email or None) if emails else None, context=ctx))
                lab = labelled.get((file, n + 2, f"person_{side}"))
                truth.append(lab if lab is not None else by_key.get(pid) or by_key.get(email))
    return mentions, truth
