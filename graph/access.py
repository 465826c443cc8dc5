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

Sessions live in the store (kind ``session``), not in the cookie: the cookie
carries a random token, and every request re-reads the session and its account
(:func:`session_viewer`), so signing out, ``tiegraph user remove`` and
``tiegraph user role`` take effect on the next request, on every worker.  A
session ends after ``TIEGRAPH_SESSION_IDLE_HOURS`` without a request (8) and
``TIEGRAPH_SESSION_MAX_DAYS`` after sign-in (7).

Sign-in (:func:`sign_in`) is throttled per account and per client address:
after ``TIEGRAPH_LOGIN_FREE_FAILURES`` failures (5) each further attempt waits
``TIEGRAPH_LOGIN_BACKOFF_SECONDS`` (30) doubled per failure, up to an hour.
An unknown name costs the same Argon2 verification as a known one, and every
failure and every throttled attempt is an audit entry.
"""

from __future__ import annotations

import hashlib
import math
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from graph.analytics.paths import Hop, IntroPath
from graph.config import ConfigError, Settings
from graph.errors import NotFoundError, TiegraphError
from graph.model import AuditEntry, LoginSession, User, narrow, stable_id
from graph.store.base import Store

__all__ = [
    "AccessDenied",
    "LoginPolicy",
    "Role",
    "SignIn",
    "Viewer",
    "add_user",
    "audit",
    "authenticate",
    "end_session",
    "hash_password",
    "redact_path",
    "remove_user",
    "session_secret",
    "session_viewer",
    "set_role",
    "sign_in",
    "start_session",
    "strength_tier",
    "tier_strength",
    "users_exist",
    "verify_password",
    "viewer_for",
]

_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))
"""Verified against when a name is unknown, so unknown and known names take the same time."""
LOGIN_ACTIONS = ("login", "login failed", "login throttled")


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


def _role(role: str, person: str | None) -> Role:
    try:
        r = Role(role)
    except ValueError:
        raise TiegraphError(f"role must be one of {', '.join(x.value for x in Role)}, not {role!r}") from None
    if r in (Role.RESIDENT, Role.MENTOR) and not person:
        raise TiegraphError(f"a {r} account needs --person (who they are in the graph)")
    return r


def _now() -> datetime:
    return datetime.now(UTC)


def now_iso(at: datetime | None = None) -> str:
    """A UTC time stamp, ISO 8601 to the microsecond (so entries of one second keep their order)."""
    return (at or _now()).isoformat(timespec="microseconds")


def audit(store: Store, who: str, action: str, subjects: str | list[str], *, at: str | None = None) -> int:
    """Append audit entries (one per subject); the log is append-only: entries are never replaced or removed."""
    at = at or now_iso()
    items = [subjects] if isinstance(subjects, str) else list(dict.fromkeys(subjects))
    entries = [
        AuditEntry(
            id=stable_id("audit", who, action, s, at, secrets.token_hex(4)),
            who=who,
            action=action,
            subject=s,
            at=at,
            source="access",
        )
        for s in items
    ]
    return store.upsert("audit", entries)


def add_user(store: Store, name: str, role: str, password: str, *, person: str | None = None) -> User:
    """Create or update a dashboard account (password hashed with Argon2id)."""
    r = _role(role, person)
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
    found = narrow(User, store.find("user", "id", [name]))
    if not found:
        return None
    u = found[0]
    return Viewer(u.id, Role(u.role), u.person)


def authenticate(store: Store, name: str, password: str) -> Viewer | None:
    """The viewer for a correct name and password, else None (no hint which was wrong).

    An unknown name is verified against a dummy hash: it takes as long as a known one.
    """
    found = narrow(User, store.find("user", "id", [name]))
    stored = found[0].password_hash if found else _DUMMY_HASH
    if not verify_password(stored, password) or not found:
        return None
    return viewer_for(store, name)


def set_role(store: Store, name: str, role: str, *, person: str | None = None) -> User:
    """Change an account's role (and person); its open sessions see the new role on their next request."""
    found = narrow(User, store.find("user", "id", [name]))
    if not found:
        raise NotFoundError(f"no account named {name!r}")
    old = found[0]
    user = User(**{**vars(old), "role": _role(role, person or old.person).value, "person": person or old.person})
    store.upsert("user", [user])
    return user


def remove_user(store: Store, name: str) -> int:
    """Delete an account and end its sessions; returns how many sessions ended."""
    if not store.find("user", "id", [name]):
        raise NotFoundError(f"no account named {name!r}")
    sessions = [s.id for s in store.find("session", "user", [name])]
    store.delete("session", sessions)
    store.delete("user", [name])
    return len(sessions)


# -- sessions -------------------------------------------------------------------------------
_TOUCH = timedelta(seconds=60)
"""A session's last-seen time is written at most this often (idle timeouts are hours)."""


def _session_id(token: str) -> str:
    return "s-" + hashlib.sha256(token.encode()).hexdigest()


def start_session(store: Store, viewer: Viewer, *, at: datetime | None = None) -> str:
    """Open a session for a signed-in viewer; returns the token for the cookie (the store keeps its hash)."""
    token = secrets.token_urlsafe(32)
    stamp = now_iso(at)
    store.upsert(
        "session", [LoginSession(_session_id(token), "login", user=viewer.name, created_at=stamp, last_seen=stamp)]
    )
    return token


def end_session(store: Store, token: str) -> None:
    """Sign out: the token opens nothing any more."""
    store.delete("session", [_session_id(token)])


def session_viewer(store: Store, token: str, settings: Settings, *, at: datetime | None = None) -> Viewer | None:
    """Who a session token belongs to now (current role and person), or None if it ended, expired or its account went."""
    now = at or _now()
    found = narrow(LoginSession, store.find("session", "id", [_session_id(token)]))
    if not found:
        return None
    s = found[0]
    created, seen = datetime.fromisoformat(s.created_at), datetime.fromisoformat(s.last_seen)
    viewer = viewer_for(store, s.user)
    expired = now - created > timedelta(days=settings.session_max_days) or now - seen > timedelta(
        hours=settings.session_idle_hours
    )
    if viewer is None or expired:
        store.delete("session", [s.id])
        return None
    if now - seen > _TOUCH:
        store.upsert("session", [LoginSession(**{**vars(s), "last_seen": now_iso(now)})])
    return viewer


# -- sign-in with back-off ------------------------------------------------------------------
@dataclass(frozen=True)
class LoginPolicy:
    """How sign-in failures slow down further attempts (from :class:`graph.config.Settings`)."""

    free_failures: int = 5
    backoff_seconds: float = 30.0
    max_backoff_seconds: float = 3600.0
    window: timedelta = timedelta(hours=24)

    @classmethod
    def of(cls, settings: Settings) -> LoginPolicy:
        """The policy the settings name."""
        return cls(settings.login_free_failures, settings.login_backoff_seconds)

    def wait(self, failures: list[datetime], now: datetime) -> float:
        """Seconds still to wait given the failures (oldest first) since the last success: 0 = may try."""
        if len(failures) < self.free_failures:
            return 0.0
        backoff = min(self.backoff_seconds * 2 ** (len(failures) - self.free_failures), self.max_backoff_seconds)
        return max(0.0, (failures[-1] + timedelta(seconds=backoff) - now).total_seconds())


@dataclass(frozen=True)
class SignIn:
    """The answer to a sign-in: a viewer, or None with how long to wait (0 = wrong name or password)."""

    viewer: Viewer | None
    retry_after: float = 0.0


def _failures(entries: list[AuditEntry], since: datetime, *, reset: bool) -> list[datetime]:
    """Failure times after ``since`` (and after the last success when ``reset``), oldest first."""
    times = sorted((datetime.fromisoformat(e.at), e.action) for e in entries if e.action in LOGIN_ACTIONS)
    out: list[datetime] = []
    for t, action in times:
        if t <= since:
            continue
        if action == "login" and reset:
            out = []
        elif action == "login failed":
            out.append(t)
    return out


def sign_in(
    store: Store, name: str, password: str, client: str, policy: LoginPolicy, *, at: datetime | None = None
) -> SignIn:
    """Check a name and password, throttled per account (``name``) and per client address.

    Every failure is audited (who = ``client <address>``, subject = the name
    tried), and so is every attempt refused while backing off ("login
    throttled").  A success resets the account's count, never the client's.
    """
    now = at or _now()
    who = f"client {client}"
    since = now - policy.window
    by_name = _failures(narrow(AuditEntry, store.find("audit", "subject", [name])), since, reset=True)
    by_client = _failures(narrow(AuditEntry, store.find("audit", "who", [who])), since, reset=False)
    wait = max(policy.wait(by_name, now), policy.wait(by_client, now))
    if wait > 0:
        audit(store, who, "login throttled", name, at=now_iso(now))
        return SignIn(None, wait)
    viewer = authenticate(store, name, password)
    audit(store, who, "login" if viewer else "login failed", name, at=now_iso(now))
    return SignIn(viewer)


# -- what a resident sees of other people's ties ----------------------------------------------
TIERS = ((0.5, "strong", 0.75), (0.2, "medium", 0.35), (0.0, "weak", 0.1))
"""Tie strength tiers: (lowest strength, name, the strength shown for the tier)."""


def strength_tier(strength: float) -> str:
    """``strong`` (0.5 and above), ``medium`` (0.2 to 0.5) or ``weak``."""
    return next(name for low, name, _ in TIERS if strength >= low)


def tier_strength(strength: float) -> float:
    """The strength shown for a tie the viewer is not part of: its tier's value, not the figure."""
    return next(shown for low, _, shown in TIERS if strength >= low)


def redact_path(path: IntroPath, circle: set[str]) -> IntroPath:
    """An intro path as a resident may see it: hops outside ``circle`` keep only a tier and a month.

    A hop between two other people loses its reasons (who initiated, how many
    contacts, what about) and its exact strength; the last contact becomes its
    month.  The path's cost is recomputed from what is shown, so its
    probability reveals nothing more.
    """
    hops = tuple(
        h
        if h.source in circle or h.target in circle
        else Hop(
            h.source,
            h.target,
            tier_strength(h.strength),
            h.last_contact[:7] if h.last_contact else None,
            f"{strength_tier(h.strength)} tie",
        )
        for h in path.hops
    )
    return IntroPath(path.people, hops, -sum(math.log(h.strength) for h in hops))


def session_secret(settings: Settings) -> str:
    """The key that signs session cookies: ``TIEGRAPH_SECRET``, else one generated once into ``TIEGRAPH_HOME/secret``.

    Every worker of one install reads the same file, so a login made on one is
    accepted by the others.  The file is created with mode 0600 (atomically:
    written aside, then linked into place).

    Raises
    ------
    ConfigError
        The file is readable or writable by others than its owner, or empty.
    """
    if settings.secret:
        return settings.secret
    path = settings.secret_path
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        aside = path.with_name(f".secret.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_urlsafe(48) + "\n")
        try:
            os.link(aside, path)
        except FileExistsError:
            pass  # another worker won the race: use its secret
        finally:
            aside.unlink()
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise ConfigError(f"{path} is readable by others (mode {mode:o}); run: chmod 600 {path}")
    secret = path.read_text(encoding="ascii").strip()
    if len(secret) < 32:
        raise ConfigError(f"{path} holds no usable secret; delete it and start again")
    return secret
