"""The read side: every question the CLI and the dashboard ask, answered from one store.

:class:`Views` is the one place that returns people, so that filters every
caller needs (opted-out people, later roles) are applied once.  Frames are
read once per :class:`Views` and reused; a dashboard request builds a new one.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from pathlib import Path

import pandas as pd

from graph.access import AccessDenied, Role, Viewer, audit, redact_path, strength_tier, tier_strength
from graph.analytics.alumni import REACH_LEVEL, AlumniReport, alumni_reach, suppress_small
from graph.analytics.centrality import bridge_spans, local_bridges, tie_graph
from graph.analytics.introductions import advance, new_request, request_table
from graph.analytics.letters import Step, letter_request, letter_timeline, rank_letter_writers
from graph.analytics.mentorship import DEVELOPER_STRENGTH, assessment_table
from graph.analytics.paths import IntroPath, PathIndex, common_bridge, warm_intro_paths
from graph.analytics.shortlist import fellowship_shortlist
from graph.analytics.stay_in_touch import due_list
from graph.analytics.targets import KIND_ORDER, Target, describe_person, find_person, resolve_target
from graph.errors import InputError, NotFoundError
from graph.model import (
    KINDS,
    MENTION_KEYS,
    Authorship,
    Channel,
    Interaction,
    IntroRequest,
    LetterRequest,
    Mentorship,
    PersonMention,
    Publication,
    narrow,
    stable_id,
)
from graph.resolution.merge import merge_people, pin_key, split_person
from graph.resolution.review import decide, read_review, record_split
from graph.sources.batch import now_iso
from graph.sources.quarantine import read_quarantine
from graph.store import Store

__all__ = ["IntroAnswer", "LetterPlan", "Views"]

log = logging.getLogger(__name__)


PLACES = {
    "wards": "on the wards",
    "icu": "in the ICU",
    "clinic": "in clinic",
    "consult": "on a consult",
    "research": "on research",
}
"""How a draft says where two people worked together, by interaction context."""


@dataclass(frozen=True)
class LetterPlan:
    """Whom a resident should ask for letters, the timeline to a deadline, and the requests so far."""

    resident: str
    name: str
    deadline: str | None
    candidates: pd.DataFrame
    timeline: list[Step]
    requests: pd.DataFrame  # writer, name, cycle, deadline, state, asked_on, updated_on


@dataclass(frozen=True)
class IntroAnswer:
    """Ranked warm paths from a person to a target, with names to show.

    ``about`` says who people are (``Frank Lee: GI fellow, Northfield``, for the
    draft); ``shared`` what the resident and a first contact did together
    ("on the wards", "at ACG", "on our paper ..."), both optional.
    """

    source: str
    target: Target
    paths: list[IntroPath]
    names: dict[str, str]
    about: dict[str, str] = field(default_factory=dict)
    shared: dict[str, str] = field(default_factory=dict)

    @property
    def through(self) -> str | None:
        """The one person every path goes through (two or more paths), or None."""
        return common_bridge(self.paths)

    def draft(self, path: IntroPath) -> str:
        """A short message to the first contact asking for the introduction, to edit before sending.

        It names the final person and the target, the chain from the first
        contact to them, what the resident and the first contact share, and the
        ask: 15 minutes of advice on the program (on their work, for a person; on
        training there, for an institution; on a career in it, for a specialty).
        """
        n, me = self.names, self.names[self.source]
        first, last = path.first_contact, path.people[-1]
        target = self.target.label
        aim, wants = {
            "person": ("", "their work"),
            "program": (f" I am interested in the {target}.", "the program"),
            "institution": (f" I am interested in training at {target}.", "training there"),
            "specialty": (f" I am interested in {target}.", f"a career in {target}"),
        }[self.target.kind]
        shared = self.shared.get(first, "")
        since = f" since we {'met' if shared.startswith('at ') else 'worked together'} {shared}" if shared else ""
        who = f"{n[last]} ({self.about[last]})" if self.about.get(last) else n[last]
        if len(path.people) == 2:
            ask = f"{aim} Could I ask you for 15 minutes of advice on {wants}?"
        elif len(path.people) == 3:
            ask = (
                f"{aim} I understand you know {who}. Would you be willing to introduce me to "
                f"{n[last].split()[0]}? I would value 15 minutes of advice on {wants}."
            )
        else:
            chain = ", who knows ".join(n[x] for x in path.people[2:-1])
            ask = (
                f"{aim} I understand you know {chain}, who knows {who}. Would you be willing to introduce me to "
                f"{n[path.people[2]].split()[0]}, so that I might reach {n[last].split()[0]}? "
                f"I would value 15 minutes of advice on {wants}."
            )
        return f"Hi {n[first].split()[0]}, I hope you are well{since}.{ask} Thank you! {me}"


class Views:
    """Questions asked of one store.

    Parameters
    ----------
    store : Store
        Where the data lives.
    """

    def __init__(self, store: Store, viewer: Viewer | None = None) -> None:
        self.store = store
        self.viewer = viewer or Viewer.local()
        self._audited: set[str] = set()

    # -- access: every query that returns people passes through here ------------------------
    def may_see_person(self, pid: str) -> bool:
        """Whether the viewer may open this person's own views (their page): themselves, leadership, their mentor."""
        v = self.viewer
        return v.person == pid or v.is_leadership or (v.role == Role.MENTOR and pid in self._mentees())

    def _may_see_person(self, pid: str, what: str) -> None:
        """Raise unless the viewer may see this person's own views; log it when it is someone else's."""
        if self.viewer.person == pid:
            return
        if self.may_see_person(pid):
            self._audit(what, pid)
            return
        raise AccessDenied(f"{self.viewer.name} ({self.viewer.role}) may not see the {what} of someone else")

    def _mentees(self) -> set[str]:
        if not self.viewer.person:
            return set()
        return {m.mentee for m in narrow(Mentorship, self.store.find("mentorship", "mentor", [self.viewer.person]))}

    def _audit(self, action: str, subjects: str | list[str]) -> None:
        """One entry per person viewed by someone else, once per :class:`Views` (one dashboard request)."""
        items = [subjects] if isinstance(subjects, str) else subjects
        fresh = [s for s in dict.fromkeys(items) if s != self.viewer.person and s not in self._audited]
        if fresh:
            self._audited.update(fresh)
            audit(self.store, self.viewer.name, action, fresh)

    def assessment(self, person: str) -> pd.DataFrame:
        """One resident's mentorship assessment (a row of :meth:`mentorship_table`; empty if not a resident)."""
        pid = self.person_id(person)
        self._may_see_person(pid, "mentorship assessment")
        table = self.mentorship_table(audit_rows=False)
        return table[table["person"] == pid].reset_index(drop=True)

    def decide_match(self, home: Path, new_id: str, candidate_id: str, decision: str) -> dict[str, int]:
        """Record a decision on two person ids (admins) and apply it now.

        ``same`` merges ``new_id`` into ``candidate_id`` in the store at once
        (:func:`~graph.resolution.merge.merge_people`) as well as in the alias
        file that later ingests follow; ``different`` keeps them apart (they
        already are). Returns the records moved per kind (empty for ``different``).
        """
        self.viewer.require(Role.ADMIN, what="identity decisions")
        decide(home, new_id, candidate_id, decision)
        moved = merge_people(self.store, candidate_id, new_id) if decision == "same" else {}
        audit(self.store, self.viewer.name, f"identity: {decision}", [candidate_id, new_id])
        return moved

    def mentions(self, person: str) -> pd.DataFrame:
        """The mentions a person was built from (admins: they are the input as written), by file and first row.

        Columns ``id, file, row, n_rows, name, email, program_id, orcid,
        linkedin_url, institution_id, rows`` (see :class:`~graph.model.PersonMention`).
        """
        self.viewer.require(Role.ADMIN, what="the mentions a person was built from")
        pid = self.person_id(person)
        cols = ["id", "file", "row", "n_rows", "name", *MENTION_KEYS, "rows"]
        found = [KINDS["mention"].to_row(m) for m in self.store.find("mention", "person", [pid])]
        frame = pd.DataFrame(found, columns=KINDS["mention"].fields)[cols]
        frame["row"] = frame["row"].astype("Int64")
        for key in MENTION_KEYS:  # a key the row did not carry is None, never NaN
            frame[key] = frame[key].astype(object).where(frame[key].notna() & (frame[key] != ""), None)
        return frame.sort_values(["file", "row", "name"], ignore_index=True)

    def split_person(
        self, home: Path, person: str, *, file: str | None = None, name: str | None = None, ids: list[str] | None = None
    ) -> tuple[str, dict[str, int]]:
        """Split off (admins) the mentions of a person from one file, with one written name, or by id; applied now.

        The store changes at once (:func:`~graph.resolution.merge.split_person`)
        and the alias file records the split (:func:`~graph.resolution.review.record_split`),
        so a re-ingest keeps it; merging the two again undoes it.  Returns the
        new person's id and the records moved per kind.

        Raises
        ------
        InputError
            If none or more than one of ``file``, ``name`` and ``ids`` is given, or they select no mention.
        """
        self.viewer.require(Role.ADMIN, what="identity decisions")
        if sum(x is not None for x in (file, name, ids)) != 1:
            raise InputError("split by one of: a file, a written name, or mention ids")
        pid = self.person_id(person)
        mine = narrow(PersonMention, self.store.find("mention", "person", [pid]))
        off = [m for m in mine if m.file == file or m.name == name or m.id in (ids or [])]
        if not off:
            what = f"file {file!r}" if file is not None else (f"name {name!r}" if name is not None else "ids")
            raise InputError(f"no mention of {self.names.get(pid, pid)} matches {what} (see tiegraph mentions)")
        new, moved = split_person(self.store, pid, [m.id for m in off])
        record_split(home, pid, new, [pin_key(m) for m in off])
        audit(self.store, self.viewer.name, "identity: split", [pid, new])
        return new, moved

    def fellowship_specialties(self) -> list[str]:
        """The specialties of the fellowship programs the store knows, sorted (what a shortlist can aim at)."""
        programs = self.store.frame("program")
        return sorted(programs.loc[programs["level"] == "fellowship", "specialty"].dropna().unique())

    def review_queue(self, home: Path) -> pd.DataFrame:
        """The entity-resolution review queue (admins): uncertain matches to confirm or split."""
        self.viewer.require(Role.ADMIN, what="the review queue")
        return read_review(home)

    def quarantined(self, folder: Path) -> pd.DataFrame:
        """Every quarantined input row with its file, row, field and reason (admins: rows hold raw input)."""
        self.viewer.require(Role.ADMIN, what="quarantined rows")
        return read_quarantine(folder)

    def audit_log(self) -> pd.DataFrame:
        """Who viewed whose sensitive pages (admins only)."""
        self.viewer.require(Role.ADMIN, what="the audit log")
        log_ = self.store.frame("audit")
        log_["subject_name"] = log_["subject"].map(self.names)
        return log_[["at", "who", "action", "subject", "subject_name"]].sort_values(
            "at", ascending=False, ignore_index=True
        )

    @cached_property
    def people(self) -> pd.DataFrame:
        """Everyone, with their centrality where computed."""
        people = self.store.frame("person")
        metrics = self.store.frame("metrics").drop(columns=["id", "source", "file", "row", "ingested_at"])
        return people.merge(metrics, how="left", left_on="id", right_on="person").drop(columns=["person"])

    def pickable_residents(self) -> pd.DataFrame:
        """Residents this viewer may choose on a page: all (not opted out) for leadership, else only themselves."""
        people = self.people
        residents = people[(people["kind"] == "resident") & ~people["opted_out"]].sort_values("name")
        if self.viewer.is_leadership:
            return residents
        return residents[residents["id"] == self.viewer.person] if self.viewer.person else residents.iloc[0:0]

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

    def counts(self) -> dict[str, int]:
        """Program aggregates anyone may see: how many people, ties, interactions, publications, alumni."""
        c = self.store.counts()
        visible = self.people[~self.people["opted_out"]]
        return {
            "people": int(len(visible)),
            "ties": c["tie"],
            "interactions": c["interaction"],
            "publications": c["publication"],
            "alumni": int((visible["kind"] == "alumnus").sum()),
        }

    def status(self) -> dict[str, object]:
        """Counts of every kind and the latest ingests and analysis (data sources: admins and leadership)."""
        self.viewer.require(Role.ADMIN, Role.LEADERSHIP, what="data sources")
        ingests = self.store.frame("ingest").sort_values("finished_at", ascending=False)
        return {
            "store": self.store.name,
            "counts": self.store.counts(),
            "ingests": ingests[["file", "kind", "read", "landed", "quarantined", "finished_at"]]
            .head(20)
            .to_dict("records"),
            "last_analysis": self.last_analysis(),
        }

    def last_analysis(self) -> dict[str, object] | None:
        """The latest analyze run's summary with its ``computed_at`` (``as_of``: source -> date), None if never."""
        runs = self.store.frame("run").sort_values("computed_at", ascending=False)
        if runs.empty:
            return None
        return {"computed_at": runs["computed_at"].iloc[0], **json.loads(runs["summary"].iloc[0] or "{}")}

    def centrality_table(self, top: int | None = None) -> pd.DataFrame:
        """People ranked by PageRank, opted-out people left out."""
        p = self.people[~self.people["opted_out"]]
        cols = ["id", "name", "kind", "role", "degree", "weighted_degree", "pagerank", "betweenness", "community"]
        ranked = p[cols].sort_values(["pagerank", "name"], ascending=[False, True], na_position="last")
        return ranked.head(top) if top else ranked.reset_index(drop=True)

    def person_id(self, query: str) -> str:
        """Resolve a name, e-mail or id to a person id."""
        return find_person(self.people, query, self.institution_names)

    @cached_property
    def institution_names(self) -> dict[str, str]:
        """Institution id to name."""
        inst = self.store.frame("institution")
        return dict(zip(inst["id"], inst["name"], strict=True))

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
        if not self.viewer.is_leadership and src != self.viewer.person:
            raise AccessDenied(f"{self.viewer.name} may look for introductions for themselves only")
        self._audit("intro paths", src)
        tgt = self.target(target)
        if not tgt.members:
            raise NotFoundError(f"{tgt.label} has no people in the graph yet")
        excluded = {self.person_id(x) for x in exclude or []}
        paths = warm_intro_paths(self.path_index, src, set(tgt.members), k=k, max_hops=max_hops, exclude=excluded)
        if not self.viewer.is_leadership:  # other people's ties: strength tier and last-contact month only
            paths = [redact_path(p, self._own_circle()) for p in paths]
        on_paths = {x for p in paths for x in p.people}
        rows = self.people[self.people["id"].isin(on_paths)].to_dict("records")
        about = {str(r["id"]): describe_person(r, self.institution_names) for r in rows}
        return IntroAnswer(src, tgt, paths, self.names, about, self._shared(src, [p.first_contact for p in paths]))

    def _shared(self, source: str, others: list[str]) -> dict[str, str]:
        """What a person did with each of ``others``: their latest paper together, else where they last met."""
        out: dict[str, str] = {}
        mine = narrow(Authorship, self.store.find("authorship", "person", [source]))
        theirs = narrow(Authorship, self.store.find("authorship", "person", others))
        papers = {a.publication for a in mine}
        joint = {a.person: a.publication for a in theirs if a.publication in papers}
        pubs = narrow(Publication, self.store.find("publication", "id", list(set(joint.values()))))
        titles = {p.id: p.title for p in pubs}
        both = self.store.find("interaction", "a", [source]) + self.store.find("interaction", "b", [source])
        met = [i for i in narrow(Interaction, both) if not i.planned]
        for other in others:
            if other in joint and titles.get(joint[other]):
                out[other] = f'on our paper "{titles[joint[other]]}"'
                continue
            together = sorted((i for i in met if other in (i.a, i.b)), key=lambda i: i.date)
            for i in reversed(together):
                where = f"at {i.venue}" if i.venue and i.context in ("conference", "meeting") else PLACES.get(i.context)
                if where:
                    out[other] = where
                    break
        return out

    def _own_circle(self) -> set[str]:
        """Whose ties the viewer sees in full: their own, and a mentor's mentees'."""
        mine = {self.viewer.person} if self.viewer.person else set()
        return mine | (self._mentees() if self.viewer.role == Role.MENTOR else set())

    # -- introduction requests: ask, log, list ----------------------------------------------
    def ask_intro(
        self, people: list[str], target: str, *, message: str = "", state: str = "asked", source: str = "dashboard"
    ) -> IntroRequest:
        """Record that the resident ``people[0]`` asked ``people[1]`` for an introduction along ``people``."""
        if len(people) < 2:
            raise InputError("an introduction request needs the resident and the person asked")
        if not self.viewer.is_leadership and people[0] != self.viewer.person:
            raise AccessDenied(f"{self.viewer.name} may record introduction requests for themselves only")
        label = self.target(target).label
        req = new_request(
            tuple(people),
            target,
            label,
            at=datetime.now(UTC),
            by=self.viewer.name,
            source=source,
            message=message,
            state=state,
        )
        old = narrow(IntroRequest, self.store.find("intro_request", "id", [req.id]))
        if old:  # asked again: the same request, moved on
            req = advance(old[0], state, at=datetime.now(UTC), by=self.viewer.name, source=source)
        self.store.upsert("intro_request", [req])
        return req

    def log_intro(
        self, request_id: str, state: str, *, note: str | None = None, source: str = "dashboard"
    ) -> IntroRequest:
        """Move a request to a new state (introduced, met, declined, no answer, ...)."""
        (old,) = narrow(IntroRequest, [self.store.get("intro_request", request_id)])
        if not self.viewer.is_leadership and old.requester != self.viewer.person:
            raise AccessDenied(f"{self.viewer.name} may update their own introduction requests only")
        req = advance(old, state, at=datetime.now(UTC), by=self.viewer.name, source=source, note=note)
        self.store.upsert("intro_request", [req])
        return req

    def intro_requests(self, person: str, *, today: date | None = None) -> pd.DataFrame:
        """A person's introduction requests, follow-ups due first (:func:`request_table`)."""
        pid = self.person_id(person)
        self._may_see_person(pid, "introduction requests")
        return self._intros_of(pid, today)

    def _intros_of(self, pid: str, today: date | None) -> pd.DataFrame:
        mine = self.store.find("intro_request", "requester", [pid])
        frame = pd.DataFrame(
            [KINDS["intro_request"].to_row(r) for r in mine], columns=list(KINDS["intro_request"].fields)
        )
        return request_table(frame, self.names, today=today or date.today())

    # -- mentorship, alumni, stay in touch, person ------------------------------------------
    def mentorship_table(self, pgy: int | None = None, *, audit_rows: bool = True) -> pd.DataFrame:
        """Residents' mentorship assessments from the last analysis, thinnest first.

        Program leadership looking at the whole table is one audit entry (subject
        empty), not one per row; a mentor's table is one entry per mentee shown.
        """
        a = self.store.frame("assessment")
        a = a.merge(
            self.people[["id", "name", "specialty", "opted_out"]], left_on="person", right_on="id", suffixes=("", "_p")
        )
        v = self.viewer
        if not v.is_leadership:  # themselves, and a mentor's mentees
            a = a[a["person"].isin({v.person} | (self._mentees() if v.role == Role.MENTOR else set()))]
        a = a[~a["opted_out"] | (a["person"] == v.person)]
        if pgy is not None:
            a = a[a["pgy"] == pgy]
        others = [p for p in a["person"].tolist() if p != v.person]
        if audit_rows and others and v.is_leadership:
            audit(self.store, v.name, f"mentorship table ({len(others)} residents)", "")
        elif audit_rows:
            self._audit("mentorship assessment", others)
        return assessment_table(a)

    def alumni_report(
        self,
        *,
        year_from: int | None = None,
        year_to: int | None = None,
        specialty: str | None = None,
        city: str | None = None,
        level: float = REACH_LEVEL,
        reach: bool = True,
    ) -> AlumniReport:
        """The program's alumni network report, alumni by name (program leadership: roles that may see names).

        ``reach=False`` skips the paths (every reach figure 0): enough for who and where, and fast.
        """
        self.viewer.require(Role.LEADERSHIP, Role.ADMIN, what="alumni reports")
        people = self.people[~self.people["opted_out"]]
        report = alumni_reach(
            people,
            self.store.frame("affiliation"),
            self.store.frame("program"),
            self.store.frame("institution"),
            self.ties if reach else self.ties.iloc[0:0],
            year_from=year_from,
            year_to=year_to,
            specialty=specialty,
            city=city,
            level=level,
        )
        if len(report.bridges):  # the bridges name residents and their ties
            self._audit("alumni bridges", report.bridges["resident_id"].astype(str).tolist())
        run = self.last_analysis()
        if run is None:
            return report
        as_of = run.get("as_of")
        return replace(
            report, analysed_at=str(run["computed_at"]), as_of=dict(as_of) if isinstance(as_of, dict) else {}
        )

    def alumni_counts(self, *, suppress_below: int = 5) -> dict[str, pd.DataFrame]:
        """Where alumni are, as counts anyone may see: no names, counts under ``suppress_below`` as ``<5``."""
        people = self.people[~self.people["opted_out"]]
        aff, prog, inst = (self.store.frame(k) for k in ("affiliation", "program", "institution"))
        rep = alumni_reach(people, aff, prog, inst, self.ties.iloc[0:0])
        return {
            "programs": suppress_small(
                rep.programs[["program", "institution", "specialty", "alumni"]], ["alumni"], suppress_below
            ),
            "by_institution": suppress_small(rep.by_institution, ["alumni"], suppress_below),
            "by_specialty": suppress_small(rep.by_specialty, ["alumni"], suppress_below),
        }

    def letters(
        self, person: str, *, deadline: str | None = None, today: date | None = None, top: int = 10
    ) -> LetterPlan:
        """A resident's letter writers ranked, the timeline to ``deadline`` and their requests (theirs and leadership's)."""
        pid = self.person_id(person)
        self._may_see_person(pid, "letters")
        day = today or date.today()
        visible = self.people[~self.people["opted_out"]]
        cands = rank_letter_writers(
            pid, visible, self.ties, self.store.frame("interaction"), self.store.frame("authorship"), top=top
        )
        reqs = self.store.frame("letter_request")
        reqs = reqs[reqs["resident"] == pid].assign(name=lambda d: d["writer"].map(self.names))
        reqs = reqs[["writer", "name", "cycle", "deadline", "state", "asked_on", "updated_on"]].sort_values(
            ["deadline", "name"], ignore_index=True
        )
        if deadline is None and not reqs.empty:
            deadline = str(reqs["deadline"].min())
        timeline = letter_timeline(date.fromisoformat(deadline), today=day) if deadline else []
        return LetterPlan(pid, self.names[pid], deadline, cands, timeline, reqs)

    def track_letter(
        self, resident: str, writer: str, state: str, *, deadline: str, cycle: str = "", today: date | None = None
    ) -> str:
        """Record that a letter request is asked, agreed, submitted or declined; returns the request's id."""
        pid, wid = self.person_id(resident), self.person_id(writer)
        if not self.viewer.is_leadership and pid != self.viewer.person:
            raise AccessDenied(f"{self.viewer.name} may track their own letter requests only")
        day = today or date.today()
        rid = letter_request(pid, wid, state=state, cycle=cycle, deadline=deadline, today=day).id
        old = narrow(LetterRequest, self.store.find("letter_request", "id", [rid]))
        asked = old[0].asked_on if old else None
        rec = letter_request(pid, wid, state=state, cycle=cycle, deadline=deadline, today=day, asked_on=asked)
        self.store.upsert("letter_request", [rec])
        return rec.id

    def shortlist(self, person: str, *, specialty: str | None = None) -> pd.DataFrame:
        """Fellowship programs of the resident's specialty of interest, ranked by warm reach, alumni and research fit."""
        pid = self.person_id(person)
        self._may_see_person(pid, "fellowship shortlist")
        return fellowship_shortlist(
            pid,
            self.people[~self.people["opted_out"] | (self.people["id"] == pid)],
            self.store.frame("program"),
            self.store.frame("institution"),
            self.store.frame("affiliation"),
            self.ties,
            self.store.frame("authorship"),
            self.store.frame("publication"),
            specialty=specialty,
        )

    def due(self, person: str, *, today: date | None = None) -> pd.DataFrame:
        """A person's stay-in-touch list."""
        pid = self.person_id(person)
        self._may_see_person(pid, "stay-in-touch list")
        return self._due_of(pid, today)

    def _due_of(self, pid: str, today: date | None) -> pd.DataFrame:
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
        self._may_see_person(pid, "ties")
        return self._ties_of(pid)

    def visible_ties(self, person: str, *, intro: IntroAnswer | None = None) -> pd.DataFrame:
        """One person's ties as the viewer may see them, for the explorable network's panel and its "expand".

        Leadership sees every tie in full (each look audited).  Residents and
        mentors see their own ties (and a mentor's mentees') in full, and of
        anyone else only what they see today: the ties with themselves, and the
        hops of their own intro paths (``intro``, from :meth:`intro`, already
        redacted: the tier and the last-contact month, no reasons).

        Returns
        -------
        pandas.DataFrame
            ``other, name, strength, tier, n_interactions, last_contact,
            reasons, full``, strongest first; ``full`` False where a row keeps
            only the tier and the month (``strength`` is then the tier's value,
            ``n_interactions`` and ``reasons`` empty).
        """
        pid = self.person_id(person)
        ties = self._ties_of(pid).assign(full=True)
        circle = self._own_circle()
        if self.viewer.is_leadership:
            self._audit("network ties", pid)
        elif pid not in circle:
            hops = [
                (h.target if h.source == pid else h.source, h.strength, h.last_contact)
                for p in (intro.paths if intro else [])
                for h in p.hops
                if pid in (h.source, h.target) and not {h.source, h.target} & circle
            ]
            seen = pd.DataFrame(hops, columns=["other", "strength", "last_contact"]).drop_duplicates("other")
            seen = seen.assign(name=seen["other"].map(self.names), n_interactions=None, reasons=None, full=False)
            parts = [f for f in (ties[ties["other"].isin(circle)], seen[ties.columns]) if not f.empty]
            ties = pd.concat(parts, ignore_index=True) if parts else ties.iloc[0:0]
        ties["tier"] = [strength_tier(float(s)) for s in ties["strength"]]
        return ties.sort_values("strength", ascending=False, ignore_index=True)

    def _ties_of(self, pid: str) -> pd.DataFrame:
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
        p = self.people[~self.people["opted_out"]].dropna(subset=["community"]).sort_values("pagerank", ascending=False)
        if p.empty:
            return pd.DataFrame(columns=["community", "size", "members"])
        g = p.groupby("community")
        out = pd.DataFrame({"size": g.size(), "members": g["name"].agg(lambda s: ", ".join(s.head(5)))}).reset_index()
        return out.sort_values("size", ascending=False).reset_index(drop=True)

    # -- dashboard type-ahead (keep this block together) --------------------------------
    def target_options(self) -> pd.DataFrame:
        """Everything a warm introduction can aim at, for a type-ahead list.

        Returns
        -------
        pandas.DataFrame
            Columns ``kind`` (program, institution, specialty, person), ``label``
            to show and ``value``, a query :meth:`target` resolves back to the
            same target: a person's id, otherwise the name; ``name``,
            ``specialty`` and ``order`` (a person's ``KIND_ORDER``) for
            :func:`graph.analytics.targets.rank_options`.  Fellowship
            programs, institutions where someone works, specialties someone
            beyond residents practises, and people who have not opted out; by
            kind in that order, then label.
        """
        from graph.analytics.targets import SPECIALTY_SYNONYMS

        programs = self.store.frame("program")
        programs = programs[programs["level"] == "fellowship"].sort_values("name")
        institutions = self.store.frame("institution").sort_values("name")
        p = self.people[~self.people["opted_out"]].sort_values(["name", "id"])
        institutions = institutions[institutions["id"].isin(p["institution_id"])]
        practised = set(p.loc[p["kind"] != "resident", "specialty"].dropna())
        specialties = sorted(practised & set(SPECIALTY_SYNONYMS.values()))
        inst_names = dict(zip(institutions["id"], institutions["name"], strict=True))
        rows = (
            [
                ("program", str(n), str(n), str(n), sp, 0)
                for n, sp in zip(programs["name"], programs["specialty"], strict=True)
            ]
            + [("institution", f"{n} (institution)", str(n), str(n), None, 0) for n in institutions["name"]]
            + [("specialty", f"{s} (anyone in the specialty)", s, s, s, 0) for s in specialties]
            + [
                (
                    "person",
                    self._person_label(r, inst_names),
                    str(r["id"]),
                    str(r["name"]),
                    r["specialty"],
                    KIND_ORDER.get(str(r["kind"]), 1),
                )
                for r in p.to_dict("records")
            ]
        )
        return pd.DataFrame(rows, columns=["kind", "label", "value", "name", "specialty", "order"])

    @staticmethod
    def _person_label(person: dict[str, object], institutions: dict[str, str]) -> str:
        """A person as a program office says it: "Ana Ruiz: PGY2 resident, Lakeside Medical Center"."""
        who = describe_person(person, institutions)
        return f"{person['name']}: {who}" if who else str(person["name"])

    def person_profile(self, person: str, *, today: date | None = None) -> dict[str, object]:
        """Everything the person page shows: who they are, ties, timeline, papers, community, what is due."""
        pid = self.person_id(person)
        self._may_see_person(pid, "person page")
        row = self.people[self.people["id"] == pid].iloc[0]
        inter = narrow(
            Interaction, self.store.find("interaction", "a", [pid]) + self.store.find("interaction", "b", [pid])
        )
        timeline = pd.DataFrame(
            [
                (i.date, self.names.get(i.b if i.a == pid else i.a, ""), i.channel, i.context, i.venue, i.note)
                for i in inter
            ],
            columns=["date", "with", "channel", "context", "venue", "note"],
        ).sort_values("date", ascending=False, ignore_index=True)
        authored = narrow(Authorship, self.store.find("authorship", "person", [pid]))
        pubs = narrow(Publication, self.store.find("publication", "id", [a.publication for a in authored]))
        papers = pd.DataFrame(
            [(p.year, p.title, p.journal, p.pmid) for p in pubs], columns=["year", "title", "journal", "pmid"]
        ).sort_values("year", ascending=False, ignore_index=True)
        return {
            "id": pid,
            "person": {k: (None if pd.isna(v) else v) for k, v in row.to_dict().items()},
            "ties": self._ties_of(pid),
            "timeline": timeline,
            "publications": papers,
            "due": self._due_of(pid, today),
            "intros": self._intros_of(pid, today),
        }

    def log_contact(
        self,
        person: str,
        other: str,
        *,
        day: str,
        channel: str = "in_person",
        note: str = "",
        source: str = "dashboard",
    ) -> str:
        """Record a contact between two people (the stay-in-touch cadence restarts from it); a sentence saying so."""
        pid = self.person_id(person)
        self._may_see_person(pid, "stay-in-touch list")
        try:
            when = date.fromisoformat(str(day))
        except ValueError:
            raise InputError(f"date {day!r} is not YYYY-MM-DD") from None
        if channel not in {c.value for c in Channel}:
            raise InputError(f"channel {channel!r} is not one of {', '.join(c.value for c in Channel)}")
        at = now_iso()
        i = Interaction(
            id=stable_id("i", source, pid, other, when.isoformat(), at),
            a=pid,
            b=other,
            date=when.isoformat(),
            channel=channel,
            initiated_by=pid,
            note=note,
            source=source,
            ingested_at=at,
            planned=when > date.today(),
        )
        self.store.upsert("interaction", [i])
        return f"Logged: {channel.replace('_', ' ')} with {self.names.get(other, other)} on {when.isoformat()}."

    def snooze(self, person: str, other: str, *, days: int, source: str = "dashboard") -> str:
        """Hide ``other`` from the due list for ``days`` (a planned touch that date); a sentence saying so."""
        pid = self.person_id(person)
        self._may_see_person(pid, "stay-in-touch list")
        until = (date.today() + timedelta(days=days)).isoformat()
        at = now_iso()
        self.store.upsert(
            "interaction",
            [
                Interaction(
                    id=stable_id("i", source, "snooze", pid, other, until),
                    a=pid,
                    b=other,
                    date=until,
                    note="snoozed on the due list",
                    planned=True,
                    source=source,
                    ingested_at=at,
                )
            ],
        )
        return f"Snoozed {self.names.get(other, other)} until {until}."

    def mentorship_network(self, person: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """A resident's developmental network: nodes (people with their role to them) and the ties among them."""
        pid = self.person_id(person)
        self._may_see_person(pid, "mentorship network")
        ment = narrow(Mentorship, self.store.find("mentorship", "mentee", [pid]))
        declared = {m.mentor: m.type for m in ment}
        mine = self._ties_of(pid)
        strong = mine[mine["strength"] >= DEVELOPER_STRENGTH]["other"].tolist()
        ids = [pid, *dict.fromkeys([*declared, *strong])]
        nodes = pd.DataFrame({"id": ids})
        nodes["name"] = nodes["id"].map(self.names)
        nodes["relation"] = ["resident"] + [declared.get(i, "strong tie") for i in ids[1:]]
        within = self.ties[self.ties["a"].isin(ids) & self.ties["b"].isin(ids)][["a", "b", "strength"]].copy()
        if not self.viewer.is_leadership:  # ties among their mentors: the tier, not the figure
            circle = self._own_circle()
            others = ~(within["a"].isin(circle) | within["b"].isin(circle))
            within.loc[others, "strength"] = within.loc[others, "strength"].map(tier_strength)
        return nodes, within.reset_index(drop=True)

    def weak_ties(self, top: int = 25) -> pd.DataFrame:
        """Weak ties that bridge communities (Granovetter; Onnela overlap 0), strongest bridges first."""
        p = self.people[~self.people["opted_out"]].dropna(subset=["community"])
        member = dict(zip(p["id"], p["community"].astype(int), strict=True))
        edges = self.ties[self.ties["a"].isin(member) & self.ties["b"].isin(member)][["a", "b", "strength"]]
        if edges.empty:
            return pd.DataFrame(columns=["a_name", "b_name", "strength", "overlap", "span"])
        graph = tie_graph(edges.reset_index(drop=True))
        b = local_bridges(graph, member, with_span=False)
        b = b[b["spans_communities"]].sort_values("strength", ascending=False).head(top)
        b = b.assign(span=bridge_spans(graph, b["a"], b["b"]))  # searched for the rows shown only
        return b.assign(a_name=b["a"].map(self.names), b_name=b["b"].map(self.names))[
            ["a_name", "b_name", "strength", "overlap", "span"]
        ].reset_index(drop=True)
