"""The read side: every question the CLI and the dashboard ask, answered from one store.

:class:`Views` is the one place that returns people, so that filters every
caller needs (opted-out people, later roles) are applied once.  Frames are
read once per :class:`Views` and reused; a dashboard request builds a new one.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import pandas as pd

from graph.alumni import AlumniReport, alumni_reach
from graph.errors import NotFoundError
from graph.paths import IntroPath, PathIndex, warm_intro_paths
from graph.store import Store
from graph.targets import Target, find_person, resolve_target
from graph.touch import due_list

__all__ = ["IntroAnswer", "Views"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IntroAnswer:
    """Ranked warm paths from a person to a target, with names to show."""

    source: str
    target: Target
    paths: list[IntroPath]
    names: dict[str, str]

    def draft(self, path: IntroPath) -> str:
        """A short message to the first contact asking for the introduction."""
        me, first = self.names[self.source], self.names[path.first_contact]
        nxt = self.names[path.people[2]] if len(path.people) > 2 else None
        ask = f"would you be willing to introduce me to {nxt}" if nxt else "could I ask your advice about"
        about = self.target.label
        return (
            f"Hi {first.split()[0]}, I hope you are well. I am exploring {about} and "
            f"{ask}{'' if nxt is None else ', who is connected there'}? "
            f"I would value 15 minutes of their perspective. Thank you! - {me}"
        )


class Views:
    """Questions asked of one store.

    Parameters
    ----------
    store : Store
        Where the data lives.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    @cached_property
    def people(self) -> pd.DataFrame:
        """Everyone, with their centrality where computed."""
        people = self.store.frame("person")
        metrics = self.store.frame("metrics").drop(columns=["id", "source", "file", "row", "ingested_at"])
        return people.merge(metrics, how="left", left_on="id", right_on="person").drop(columns=["person"])

    @cached_property
    def ties(self) -> pd.DataFrame:
        """Scored ties, without those of people who opted out."""
        ties = self.store.frame("tie")
        out = set(self.people.loc[self.people["opted_out"], "id"])
        return ties[~ties["a"].isin(out) & ~ties["b"].isin(out)].reset_index(drop=True)

    @cached_property
    def path_index(self) -> PathIndex:
        """The tie graph for path queries."""
        return PathIndex(self.ties)

    @cached_property
    def names(self) -> dict[str, str]:
        """Person id to name."""
        return dict(zip(self.people["id"], self.people["name"], strict=True))

    def status(self) -> dict[str, object]:
        """Counts of every kind and the latest ingests and analysis."""
        ingests = self.store.frame("ingest").sort_values("finished_at", ascending=False)
        runs = self.store.frame("run").sort_values("computed_at", ascending=False)
        return {
            "store": self.store.name,
            "counts": self.store.counts(),
            "ingests": ingests[["file", "kind", "read", "landed", "quarantined", "finished_at"]]
            .head(20)
            .to_dict("records"),
            "last_analysis": None
            if runs.empty
            else {"computed_at": runs["computed_at"].iloc[0], **json.loads(runs["summary"].iloc[0] or "{}")},
        }

    def centrality_table(self, top: int | None = None) -> pd.DataFrame:
        """People ranked by PageRank, opted-out people left out."""
        p = self.people[~self.people["opted_out"]]
        cols = ["id", "name", "kind", "role", "degree", "weighted_degree", "pagerank", "betweenness", "community"]
        ranked = p[cols].sort_values(["pagerank", "name"], ascending=[False, True], na_position="last")
        return ranked.head(top) if top else ranked.reset_index(drop=True)

    def person_id(self, query: str) -> str:
        """Resolve a name, e-mail or id to a person id."""
        return find_person(self.people, query)

    def target(self, query: str) -> Target:
        """Resolve a target query."""
        return resolve_target(
            query,
            self.people,
            self.store.frame("program"),
            self.store.frame("institution"),
            self.store.frame("affiliation"),
        )

    def intro(
        self, source: str, target: str, *, k: int = 5, max_hops: int = 4, exclude: list[str] | None = None
    ) -> IntroAnswer:
        """Warm introduction paths from a person to a target."""
        src = self.person_id(source)
        tgt = self.target(target)
        if not tgt.members:
            raise NotFoundError(f"{tgt.label} has no people in the graph yet")
        excluded = {self.person_id(x) for x in exclude or []}
        paths = warm_intro_paths(self.path_index, src, set(tgt.members), k=k, max_hops=max_hops, exclude=excluded)
        return IntroAnswer(src, tgt, paths, self.names)

    # -- mentorship, alumni, stay in touch, person ------------------------------------------
    def mentorship_table(self, pgy: int | None = None) -> pd.DataFrame:
        """Residents' mentorship assessments from the last analysis, thinnest first."""
        a = self.store.frame("assessment")
        a = a.merge(
            self.people[["id", "name", "specialty", "opted_out"]], left_on="person", right_on="id", suffixes=("", "_p")
        )
        if pgy is not None:
            a = a[a["pgy"] == pgy]
        cols = [
            "person",
            "name",
            "pgy",
            "specialty",
            "score",
            "pgy_median",
            "missing_roles",
            "stale",
            "network_type",
            "network_range",
            "density",
            "burt_constraint",
            "reasons",
            "suggestions",
        ]
        return a[cols].sort_values(["score", "name"]).reset_index(drop=True)

    def alumni_report(
        self, *, year_from: int | None = None, year_to: int | None = None, specialty: str | None = None
    ) -> AlumniReport:
        """The program's alumni network report."""
        people = self.people[~self.people["opted_out"]]
        return alumni_reach(
            people,
            self.store.frame("affiliation"),
            self.store.frame("program"),
            self.store.frame("institution"),
            self.ties,
            year_from=year_from,
            year_to=year_to,
            specialty=specialty,
        )

    def due(self, person: str, *, today: date | None = None) -> pd.DataFrame:
        """A person's stay-in-touch list."""
        pid = self.person_id(person)
        return due_list(
            pid,
            self.people,
            self.store.frame("mentorship"),
            self.store.frame("interaction"),
            today=today or date.today(),
        )

    def person_ties(self, person: str) -> pd.DataFrame:
        """One person's ties, strongest first, with names and reasons."""
        pid = self.person_id(person)
        t = self.ties[(self.ties["a"] == pid) | (self.ties["b"] == pid)].copy()
        t["other"] = t["b"].where(t["a"] == pid, t["a"])
        t["name"] = t["other"].map(self.names)
        return (
            t[["other", "name", "strength", "n_interactions", "last_contact", "reasons"]]
            .sort_values("strength", ascending=False)
            .reset_index(drop=True)
        )

    def community_table(self) -> pd.DataFrame:
        """Communities with their size and five most central members."""
        p = self.people.dropna(subset=["community"]).sort_values("pagerank", ascending=False)
        if p.empty:
            return pd.DataFrame(columns=["community", "size", "members"])
        g = p.groupby("community")
        out = pd.DataFrame({"size": g.size(), "members": g["name"].agg(lambda s: ", ".join(s.head(5)))}).reset_index()
        return out.sort_values("size", ascending=False).reset_index(drop=True)
