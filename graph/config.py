"""Settings read once from the environment; the defaults run the demo on a bare laptop."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Settings"]


def _home() -> Path:
    return Path(os.environ.get("TIEGRAPH_HOME", "~/.tiegraph")).expanduser()


@dataclass(frozen=True)
class Settings:
    """Where data lives and how analytics are tuned.

    Every field has an environment variable (named beside it) and a default
    that works with nothing installed.
    """

    store: str = "embedded"  # TIEGRAPH_STORE: embedded | neo4j
    home: Path = field(default_factory=_home)  # TIEGRAPH_HOME
    neo4j_uri: str = "bolt://localhost:7687"  # NEO4J_URI
    neo4j_username: str = "neo4j"  # NEO4J_USERNAME
    neo4j_password: str = field(default="", repr=False)  # NEO4J_PASSWORD
    neo4j_database: str = "neo4j"  # NEO4J_DATABASE
    half_life_days: float = 180.0  # TIEGRAPH_HALF_LIFE_DAYS
    retry_delays: tuple[float, ...] = (2.0, 5.0, 15.0)  # TIEGRAPH_RETRY_DELAYS, seconds between write retries
    timezone: str = ""  # TIEGRAPH_TIMEZONE: IANA zone calendar times are dated in when a calendar names none

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Read the environment; keyword overrides win (used by CLI flags)."""
        env = os.environ
        values: dict[str, object] = {
            "store": env.get("TIEGRAPH_STORE", cls.store),
            "home": _home(),
            "neo4j_uri": env.get("NEO4J_URI", cls.neo4j_uri),
            "neo4j_username": env.get("NEO4J_USERNAME", cls.neo4j_username),
            "neo4j_password": env.get("NEO4J_PASSWORD", ""),
            "neo4j_database": env.get("NEO4J_DATABASE", cls.neo4j_database),
            "half_life_days": float(env.get("TIEGRAPH_HALF_LIFE_DAYS", cls.half_life_days)),
            "retry_delays": tuple(float(x) for x in env.get("TIEGRAPH_RETRY_DELAYS", "2,5,15").split(",") if x.strip()),
            "timezone": env.get("TIEGRAPH_TIMEZONE", cls.timezone),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    @property
    def sqlite_path(self) -> Path:
        """File of the embedded store."""
        return self.home / "tiegraph.db"

    @property
    def quarantine_dir(self) -> Path:
        """Folder where rejected input rows are written, one CSV per source."""
        return self.home / "quarantine"
