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
SCHEMAS: dict[str, tuple[Column, ...]] = {
    "contacts": (
        Column("date", ("contact date", "when", "date of contact"), required=True, parse="date"),
        Column("person_a", ("from", "name a", "person 1", "a"), required=True),
        Column("email_a", ("from email", "email 1")),
        Column("id_a", ("program id a", "id 1")),
        Column("person_b", ("to", "name b", "person 2", "b"), required=True),
        Column("email_b", ("to email", "email 2")),
        Column("id_b", ("program id b", "id 2")),
        Column("channel", ("mode", "medium"), parse="enum", choices=_CHANNELS, default="in_person"),
        Column("context", ("setting", "where", "service")),
        Column("initiated_by", ("initiator", "initiated")),
        Column("scheduled", ("forced", "rotation"), parse="bool"),
        Column("note", ("notes", "content", "comment")),
    ),
    "roster": (
        Column("program_id", ("id", "program id", "employee id")),
        Column("name", ("full name", "resident", "person"), required=True),
        Column("email", ("e-mail", "email address")),
        Column("kind", ("type", "category"), parse="enum", choices=_PERSON_KINDS, default="faculty"),
        Column("role", ("title", "position")),
        Column("pgy", ("pgy year", "year"), parse="int", low=1, high=5),
        Column("grad_year", ("graduation year", "class of"), parse="int", low=1950, high=2100),
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
            ("graduation year", "class of", "class", "year"),
            required=True,
            parse="int",
            low=1950,
            high=2100,
        ),
        Column("position", ("current position", "title", "job title")),
        Column("institution", ("employer", "organization", "organisation", "current institution", "company")),
        Column("specialty", ("field", "specialty area", "subspecialty")),
        Column("city", ("location",)),
        Column("email", ("e-mail", "email address")),
    ),
    "tracker": (
        Column("name", ("contact", "contact name", "person", "full name"), required=True),
        Column("role", ("title", "position")),
        Column("institution", ("hospital", "organization", "employer", "company")),
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
