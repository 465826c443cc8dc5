"""The canonical columns of each kind of tabular input, with their header synonyms.

A header as a person writes it ("E-mail", "Grad Yr", "Person A E-mail") is
matched to a canonical column through these synonyms after
:func:`graph.sources.tabular.normalise_header`; see ``docs/formats.md``.
"""

from __future__ import annotations

from graph.model import MentorType, PersonKind
from graph.sources.tabular import Column, normalise_header

__all__ = ["SCHEMAS"]

_CHANNELS = {
    normalise_header(k): v
    for k, v in {
        "in person": "in_person",
        "in-person": "in_person",
        "face to face": "in_person",
        "person": "in_person",
        "email": "email",
        "e-mail": "email",
        "call": "call",
        "phone": "call",
        "phone call": "call",
        "message": "message",
        "text": "message",
        "chat": "message",
        "page": "message",
        "sms": "message",
        "video": "video",
        "zoom": "video",
        "teams": "video",
        "video call": "video",
    }.items()
}
_MENTOR_TYPES = {
    normalise_header(k): v.value
    for k, v in {
        "clinical": MentorType.CLINICAL,
        "research": MentorType.RESEARCH,
        "qi": MentorType.RESEARCH,
        "research_qi": MentorType.RESEARCH,
        "research/qi": MentorType.RESEARCH,
        "career": MentorType.CAREER,
        "sponsor": MentorType.SPONSOR,
        "sponsorship": MentorType.SPONSOR,
    }.items()
}
_PERSON_KINDS = {normalise_header(k.value): k.value for k in PersonKind} | {
    "attending": "faculty",
    "casemanager": "case_manager",
    "staff": "staff",
    "alumni": "alumnus",
}


def _side(side: str, number: str, *fields: str) -> tuple[str, ...]:
    """Headers for one side's field: ``email a``, ``a email``, ``person a email``, ``email person a``, ``email 1``."""
    out: list[str] = []
    for f in fields:
        for who in (side, f"person {side}", f"person {number}", number):
            out += [f"{f} {who}", f"{who} {f}"]
    return tuple(dict.fromkeys(out))


_GRAD_YEAR = ("grad yr", "grad year", "graduation yr", "year of graduation", "class year", "graduated", "grad")

SCHEMAS: dict[str, tuple[Column, ...]] = {
    "contacts": (
        Column("date", ("contact date", "when", "date of contact", "day"), required=True, parse="date"),
        Column("person_a", ("from", "name a", "person 1", "a", "person a name", "a name", "name 1"), required=True),
        Column("email_a", _side("a", "1", "email", "e-mail", "email address", "mail") + ("from email",)),
        Column("id_a", _side("a", "1", "id", "program id", "employee id")),
        Column("person_b", ("to", "name b", "person 2", "b", "person b name", "b name", "name 2"), required=True),
        Column("email_b", _side("b", "2", "email", "e-mail", "email address", "mail") + ("to email",)),
        Column("id_b", _side("b", "2", "id", "program id", "employee id")),
        Column("channel", ("mode", "medium", "type"), parse="enum", choices=_CHANNELS, default="in_person"),
        Column("context", ("setting", "where", "service", "location")),
        Column("initiated_by", ("initiator", "initiated", "who initiated")),
        Column("scheduled", ("forced", "rotation"), parse="bool"),
        Column("note", ("notes", "content", "comment", "comments")),
        Column(
            "duration_min", ("duration", "minutes", "length", "duration minutes", "mins", "time spent"), parse="minutes"
        ),
    ),
    "roster": (
        Column("program_id", ("id", "program id", "employee id")),
        Column("name", ("full name", "resident", "person"), required=True),
        Column("email", ("e-mail", "email address")),
        Column("kind", ("type", "category"), parse="enum", choices=_PERSON_KINDS, default="faculty"),
        Column("role", ("title", "position", "current role", "job title")),
        Column("pgy", ("pgy year", "year", "pgy level", "training year"), parse="int", low=1, high=5),
        Column("grad_year", ("graduation year", "class of", *_GRAD_YEAR), parse="int", low=1950, high=2100),
        Column("specialty", ("area of interest", "interest", "division")),
        Column("service", ("services",)),
        Column("institution", ("hospital", "site")),
        Column("committees", ("committee",)),
    ),
    "mentorship": (
        Column("mentor", ("mentor name",), required=True),
        Column("mentor_email", ("mentor e-mail",)),
        Column("mentee", ("mentee name", "resident"), required=True),
        Column("mentee_email", ("mentee e-mail", "resident email")),
        Column("type", ("mentor type", "kind", "role"), required=True, parse="enum", choices=_MENTOR_TYPES),
        Column("since", ("start", "start date", "from"), parse="date"),
    ),
    "alumni": (
        Column("name", ("full name", "alumnus", "graduate"), required=True),
        Column(
            "grad_year",
            ("graduation year", "class of", "class", "year", *_GRAD_YEAR),
            required=True,
            parse="int",
            low=1950,
            high=2100,
        ),
        Column("position", ("current position", "title", "job title", "current role", "role", "current title", "job")),
        Column(
            "institution",
            ("employer", "current employer", "organization", "organisation", "current institution", "company"),
        ),
        Column("specialty", ("field", "specialty area", "subspecialty")),
        Column("city", ("location", "current city")),
        Column("email", ("e-mail", "email address")),
    ),
    "tracker": (
        Column("name", ("contact", "contact name", "person", "full name"), required=True),
        Column("role", ("title", "position", "current role", "job title")),
        Column("institution", ("hospital", "organization", "organisation", "employer", "company", "institution name")),
        Column("how_met", ("how we met", "met at", "how met", "where we met")),
        Column("interests", ("interest", "topics")),
        Column("last_contact", ("last contact", "last contact date", "last contacted", "date"), parse="date"),
        Column("last_contact_content", ("what we discussed", "notes", "last contact notes", "content")),
        Column("next_step", ("next steps", "follow up", "todo")),
        Column("email", ("e-mail", "email address")),
    ),
    "linkedin": (
        Column("first_name", ("first name",), required=True),
        Column("last_name", ("last name",), required=True),
        Column("url", ("profile url",)),
        Column("email", ("email address",)),
        Column("company", ()),
        Column("position", ()),
        Column("connected_on", ("connected on",), parse="date"),
    ),
}
