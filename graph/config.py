"""Settings read once from the environment; the defaults run the demo on a bare laptop.

Every tiegraph setting is read here and nowhere else (``pydantic-settings``),
validated, and a bad value is one sentence naming the variable and what it
accepts::

    >>> import os
    >>> os.environ["TIEGRAPH_STORE"] = "nope"
    >>> try:
    ...     Settings.from_env()
    ... except ConfigError as exc:
    ...     print(exc)
    TIEGRAPH_STORE must be embedded or neo4j, not 'nope'
    >>> del os.environ["TIEGRAPH_STORE"]

Secrets (``NEO4J_PASSWORD``, ``TIEGRAPH_SECRET``, ``TIEGRAPH_PASSWORD``) are
kept out of ``repr`` and out of error messages.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from graph.errors import TiegraphError

__all__ = ["ConfigError", "Settings"]

SECRET_FIELDS = frozenset({"neo4j_password", "secret", "password"})


class ConfigError(TiegraphError):
    """An environment variable holds a value tiegraph cannot use."""


def _field(
    default: Any,
    name: str,
    accepts: str,
    *,
    secret: bool = False,
    gt: float | None = None,
    ge: float | None = None,
    le: float | None = None,
) -> Any:
    """A setting: its default, its variable's name, what it accepts (for the error message), repr unless secret."""
    return Field(
        default,
        validation_alias=AliasChoices(name),
        description=accepts,
        repr=not secret,
        json_schema_extra={"env": name},
        gt=gt,
        ge=ge,
        le=le,
    )


class Settings(BaseSettings):
    """Where data lives, how analytics are tuned and how the dashboard guards its sessions.

    Every field has an environment variable (named in its field options) and a
    default that works with nothing installed.  ``Settings.from_env(**overrides)``
    reads the environment; keyword overrides (CLI flags) win, ``None`` means
    "not given".
    """

    model_config = SettingsConfigDict(frozen=True, extra="ignore", case_sensitive=False)

    store: Literal["embedded", "neo4j"] = _field("embedded", "TIEGRAPH_STORE", "embedded or neo4j")
    home: Path = _field(Path("~/.tiegraph"), "TIEGRAPH_HOME", "a folder path")
    neo4j_uri: str = _field("bolt://localhost:7687", "NEO4J_URI", "a bolt:// or neo4j:// URI")
    neo4j_username: str = _field("neo4j", "NEO4J_USERNAME", "a user name")
    neo4j_password: str = _field("", "NEO4J_PASSWORD", "a password", secret=True)
    neo4j_database: str = _field("neo4j", "NEO4J_DATABASE", "a database name")
    neo4j_gds_uri: str = _field(
        "", "NEO4J_GDS_URI", "a bolt:// URI of the cluster member that runs Graph Data Science (or unset)"
    )  # analyze's GDS calls go there, writes to NEO4J_URI
    neo4j_heap: str = _field(
        "", "TIEGRAPH_NEO4J_HEAP", "a size such as 2g or 1536m (or unset: 1/16 of the machine's memory, 1-8 GiB)"
    )  # the local server's Java heap (pipelines/neo4j_server.py)
    neo4j_pagecache: str = _field(
        "", "TIEGRAPH_NEO4J_PAGECACHE", "a size such as 2g or 1536m (or unset: 1/16 of the machine's memory, 256m-16g)"
    )  # the local server's page cache
    half_life_days: float = _field(180.0, "TIEGRAPH_HALF_LIFE_DAYS", "a number of days above 0", gt=0)
    max_authors: int = _field(
        100, "TIEGRAPH_MAX_AUTHORS", "a whole number of authors, 2 or more, above which a paper ties no one", ge=2
    )
    retry_delays: Annotated[tuple[float, ...], NoDecode] = _field(
        (2.0, 5.0, 15.0), "TIEGRAPH_RETRY_DELAYS", "seconds between write retries, comma-separated (2,5,15)"
    )
    timezone: str = _field(
        "", "TIEGRAPH_TIMEZONE", "an IANA time zone such as America/New_York (or unset)"
    )  # calendar times are dated in it when a calendar names none
    dask_address: str = _field(
        "", "TIEGRAPH_DASK_ADDRESS", "a Dask scheduler address such as tcp://10.0.0.5:8786 (or unset)"
    )  # PubMed files of an ingest run are parsed on that cluster
    dask_workers: int = _field(
        0, "TIEGRAPH_DASK_WORKERS", "how many local Dask worker processes parse PubMed files, 0 for none", ge=0
    )
    # -- the dashboard (dashboards/auth.py) -----------------------------------------------
    secret: str = _field("", "TIEGRAPH_SECRET", "a random string of at least 32 characters (or unset)", secret=True)
    password: str = _field("", "TIEGRAPH_PASSWORD", "a password", secret=True)
    trusted_header: str = _field("", "TIEGRAPH_TRUSTED_HEADER", "an HTTP header name such as X-Remote-User")
    https: bool = _field(False, "TIEGRAPH_HTTPS", "true or false")
    proxy_hops: int = _field(0, "TIEGRAPH_PROXY_HOPS", "how many reverse proxies to trust, 0-5", ge=0, le=5)
    session_idle_hours: float = _field(8.0, "TIEGRAPH_SESSION_IDLE_HOURS", "a number of hours above 0", gt=0)
    session_max_days: float = _field(7.0, "TIEGRAPH_SESSION_MAX_DAYS", "a number of days above 0", gt=0)
    login_free_failures: int = _field(
        5, "TIEGRAPH_LOGIN_FREE_FAILURES", "a whole number of failed logins before back-off, 1 or more", ge=1
    )
    login_backoff_seconds: float = _field(
        30.0, "TIEGRAPH_LOGIN_BACKOFF_SECONDS", "the first back-off in seconds, above 0", gt=0
    )

    @field_validator("home", mode="after")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @field_validator("retry_delays", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(x.strip() for x in value.split(",") if x.strip())
        return value

    @field_validator("timezone", mode="after")
    @classmethod
    def _zone(cls, value: str) -> str:
        if value:
            from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError("unknown time zone") from None
        return value

    @field_validator("neo4j_heap", "neo4j_pagecache", mode="after")
    @classmethod
    def _size(cls, value: str) -> str:
        if value and not re.fullmatch(r"[1-9][0-9]*[kmg]?", value.strip().lower()):
            raise ValueError("not a size")
        return value.strip().lower()

    @field_validator("secret", mode="after")
    @classmethod
    def _long_enough(cls, value: str) -> str:
        if value and len(value) < 32:
            raise ValueError("too short")
        return value

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Read the environment; keyword overrides win (used by CLI flags).

        Raises
        ------
        ConfigError
            A value is invalid: one line per variable, naming it and what it accepts.
        """
        try:
            values: dict[str, Any] = {_env_name(k): v for k, v in overrides.items() if v is not None}
            return cls(**values)
        except ValidationError as exc:
            raise ConfigError(_explain(exc)) from None

    @property
    def sqlite_path(self) -> Path:
        """File of the embedded store."""
        return self.home / "tiegraph.db"

    @property
    def quarantine_dir(self) -> Path:
        """Folder where rejected input rows are written, one CSV per source."""
        return self.home / "quarantine"

    @property
    def secret_path(self) -> Path:
        """The session-signing secret generated when ``TIEGRAPH_SECRET`` is unset (mode 0600)."""
        return self.home / "secret"


def _env_name(field: str) -> str:
    """The environment variable of a field (init keywords go by it, so ``HOME`` is never read as ``home``)."""
    info = Settings.model_fields.get(field)
    if info is None:
        raise TypeError(f"Settings has no field {field!r}")
    return _env_of(info, field.upper())


def _env_of(info: FieldInfo, default: str) -> str:
    """The variable named in a field's options (:func:`_field`), else ``default``."""
    extra = info.json_schema_extra
    return str(extra.get("env", default)) if isinstance(extra, dict) else default


def _explain(exc: ValidationError) -> str:
    """``NAME must be <accepts>, not <value>``, one line per bad variable; secrets never repeated."""
    by_env = {_env_of(f, n).lower(): n for n, f in Settings.model_fields.items()}
    lines = []
    for error in exc.errors():
        loc = str(error["loc"][0]).lower() if error["loc"] else ""
        name = by_env.get(loc, loc)
        field = Settings.model_fields.get(name)
        if field is None:
            lines.append(error["msg"])
            continue
        env = _env_of(field, name.upper())
        shown = "" if name in SECRET_FIELDS else f", not {error.get('input')!r}"
        lines.append(f"{env} must be {field.description}{shown}")
    return "\n".join(dict.fromkeys(lines))
