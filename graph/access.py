"""Who may see what.  Every query of :class:`graph.views.Views` asks this module first.

=============  ==============================================================
role           may see
=============  ==============================================================
resident       their own network, assessment and stay-in-touch list; intro
               paths from themselves through people who have not opted out
mentor         the same, plus the assessments of their own mentees
leadership     (PD, APD, chief) program aggregates, every resident's
               mentorship flags, alumni reports, person pages
admin          everything, including data sources, quarantine, the
               entity-resolution review queue and users
=============  ==============================================================

Passwords are hashed with Argon2id (``argon2-cffi``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from graph.errors import TiegraphError
from graph.ingest import now_iso
from graph.model import User
from graph.store.base import Store

__all__ = [
    "AccessDenied",
    "Role",
    "Viewer",
    "add_user",
    "authenticate",
    "hash_password",
    "users_exist",
    "verify_password",
    "viewer_for",
]

_HASHER = PasswordHasher()


class Role(StrEnum):
    """The four roles, least to most privileged."""

    RESIDENT = "resident"
    MENTOR = "mentor"
    LEADERSHIP = "leadership"
    ADMIN = "admin"


class AccessDenied(TiegraphError):  # noqa: N818 - reads as a sentence: raise AccessDenied
    """The viewer's role does not allow this view."""


@dataclass(frozen=True)
class Viewer:
    """Who is asking: a login name, a role and, for residents and mentors, who they are in the graph."""

    name: str
    role: Role
    person: str | None = None

    @classmethod
    def local(cls) -> Viewer:
        """The single local user of a program with no accounts: runs on 127.0.0.1 only, sees everything."""
        return cls("local", Role.ADMIN)

    @property
    def is_leadership(self) -> bool:
        """Program leadership or admin."""
        return self.role in (Role.LEADERSHIP, Role.ADMIN)

    def require(self, *roles: Role, what: str) -> None:
        """Raise :class:`AccessDenied` unless the viewer has one of ``roles``."""
        if self.role not in roles:
            raise AccessDenied(f"{self.name} ({self.role}) may not see {what}")


def hash_password(password: str) -> str:
    """Argon2id hash of a password."""
    if len(password) < 8:
        raise TiegraphError("a password needs at least 8 characters")
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether a password matches its stored hash."""
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def add_user(store: Store, name: str, role: str, password: str, *, person: str | None = None) -> User:
    """Create or update a dashboard account (password hashed with Argon2id)."""
    try:
        r = Role(role)
    except ValueError:
        raise TiegraphError(f"role must be one of {', '.join(x.value for x in Role)}, not {role!r}") from None
    if r in (Role.RESIDENT, Role.MENTOR) and not person:
        raise TiegraphError(f"a {r} account needs --person (who they are in the graph)")
    user = User(
        id=name,
        role=r.value,
        person=person,
        password_hash=hash_password(password),
        created_at=now_iso(),
        source="user add",
    )
    store.upsert("user", [user])
    return user


def users_exist(store: Store) -> bool:
    """Whether any account exists (then the dashboard requires login)."""
    return store.count("user") > 0


def viewer_for(store: Store, name: str) -> Viewer | None:
    """The viewer of an existing account, or None."""
    found = store.find("user", "id", [name])
    if not found:
        return None
    u = found[0]
    return Viewer(u.id, Role(u.role), u.person)  # type: ignore[attr-defined]


def authenticate(store: Store, name: str, password: str) -> Viewer | None:
    """The viewer for a correct name and password, else None (no hint which was wrong)."""
    found = store.find("user", "id", [name])
    if not found or not verify_password(found[0].password_hash, password):  # type: ignore[attr-defined]
        return None
    return viewer_for(store, name)
