"""``tiegraph``: the command line.  Each command parses options, calls one function, renders."""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
# Prefect's ephemeral API server gets 20 s to come up by default: too little on a busy machine.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
# The command line speaks for itself: Prefect's and the driver's own logs only when asked
# (PREFECT_LOGGING_LEVEL=INFO); errors reach the user as one sentence from _fail().
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "CRITICAL")
os.environ.setdefault("PREFECT_LOGGING_ROOT_LEVEL", "CRITICAL")
# The temporary API server's own services (event flushing as it shuts down on a busy machine)
# print tracebacks at ERROR after the run has finished; they follow the level asked for.
os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", os.environ["PREFECT_LOGGING_LEVEL"])
logging.getLogger("neo4j").setLevel(logging.CRITICAL)

import typer  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from graph.config import Settings  # noqa: E402
from graph.errors import InputError, TiegraphError  # noqa: E402

if TYPE_CHECKING:
    from graph.model import IntroRequest
    from graph.views import Views

T = TypeVar("T")

app = typer.Typer(help="tiegraph: who knows whom in academic medicine.", no_args_is_help=True)
neo4j_app = typer.Typer(help="Run a local Neo4j 5 server (built from Maven Central).", no_args_is_help=True)
app.add_typer(neo4j_app, name="neo4j")
console = Console()
err = Console(stderr=True)

StoreOpt = Annotated[str | None, typer.Option("--store", help="embedded or neo4j (default: TIEGRAPH_STORE)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


def _settings(store: str | None) -> Settings:
    return Settings.from_env(store=store)


def _fail(exc: TiegraphError) -> NoReturn:
    err.print(f"[red]error:[/red] {exc}", highlight=False, markup=True)
    raise typer.Exit(1)


def _ask(store: str | None, question: Callable[[Views], T]) -> T:
    """Answer one question from the configured store; a tiegraph error becomes one line and exit 1."""
    from graph.views import Views

    try:
        with _open(store) as s:
            return question(Views(s))
    except TiegraphError as exc:
        _fail(exc)


def _open(store: str | None):  # noqa: ANN202 - a Store
    from graph.store import open_store

    if store:
        os.environ["TIEGRAPH_STORE"] = store
    return open_store(_settings(store))


def _writing(store: str | None, out: Console):  # noqa: ANN202 - a context manager
    """The install's writer lock: a second ingest or analysis says it waits, then waits."""
    from graph.store import writer_lock

    return writer_lock(
        _settings(store), lambda message: out.print(f"[yellow]{message}…[/yellow]", highlight=False, soft_wrap=True)
    )


@app.command()
def ingest(
    first: Annotated[str, typer.Argument(help="KIND, or a file or folder")],
    path: Annotated[Path | None, typer.Argument(help="the file or folder, when KIND is given")] = None,
    owner: Annotated[str | None, typer.Option(help="whose tracker or LinkedIn export")] = None,
    columns: Annotated[Path | None, typer.Option(help="YAML mapping canonical column -> header")] = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Ingest a file or a folder (`tiegraph ingest data/sample`, `tiegraph ingest contacts log.csv`)."""
    from pipelines.ingest_plan import plan_ingest

    kind, target = (first, path) if path is not None else (None, Path(first))
    mapping = None
    if columns:
        import yaml

        mapping = yaml.safe_load(columns.read_text())
    if store:
        os.environ["TIEGRAPH_STORE"] = store
    from pipelines.prefect_api import start_api

    api = start_api()  # Prefect's temporary server comes up on the other core while the run is planned
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("{task.fields[what]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
    )
    try:
        with Progress(*columns, console=err, transient=True, disable=as_json) as bar:
            run = bar.add_task("", total=None, what="ingest")
            file = bar.add_task("", total=1, what="file", visible=False)
            started, rows_done = time.perf_counter(), 0

            def step(done: int, total: int, name: str, rows: int | None) -> None:
                nonlocal rows_done
                if rows is None:  # the file starts: its own bar, indeterminate until it is done
                    bar.reset(file, total=None, description=name, visible=bool(name))
                else:
                    rows_done += rows
                    bar.update(file, total=1, completed=1)
                    rate = rows_done / max(time.perf_counter() - started, 1e-9)
                    bar.console.print(f"[dim]{name}: {rows:,} rows read[/dim]", highlight=False, soft_wrap=True)
                    name = f"{rows_done:,} rows, {rate:,.0f} rows/s"
                bar.update(run, completed=done, total=total, description=name)

            with _writing(store, bar.console):
                with _open(store) as s:
                    plan = plan_ingest(s, target, kind, owner, mapping)
                if plan.pending:  # only then is Prefect imported
                    from pipelines.ingest_flow import run_plan

                    if api:
                        api.use()
                    reports = run_plan(plan, step)
                else:
                    if api:
                        api.stop()
                    reports = plan.reports([])
    except TiegraphError as exc:
        _fail(exc)
        return
    if as_json:
        typer.echo(json.dumps([r.as_dict() for r in reports], indent=2))
        return
    table = Table("file", "kind", "read", "landed", "quarantined", "new people", "merged", title="Ingest")
    for r in reports:
        table.add_row(r.file, r.kind, *(str(x) for x in (r.read, r.landed, r.quarantined, r.new_people, r.merged)))
        if r.skipped:
            table.add_row("", "[dim]unchanged, skipped[/dim]", "", "", "", "", "")
    console.print(table)
    if reports and all(r.skipped for r in reports):
        console.print("[dim]nothing changed since the last ingest: no flow run started[/dim]")
    for r in reports:
        renamed = [x for x in r.recognised if x.split(" <- ")[0] != x.split(" <- ")[1]]
        if renamed:
            console.print(f"[dim]{r.file}: recognised {len(r.recognised)} columns; read {', '.join(renamed)}[/dim]")
        if r.ignored:
            console.print(f"[yellow]{r.file}: ignored: {', '.join(r.ignored)}[/yellow]", highlight=False)
        if how := _read_as_text(r.read_as):
            console.print(f"[dim]{r.file}: {how}[/dim]", highlight=False)
    for r in reports:
        if r.error:
            err.print(f"[red]error:[/red] {r.error}", highlight=False)
    for r in reports:
        if r.quarantine_file:
            console.print(f"[yellow]{r.quarantined} rows of {r.file} quarantined:[/yellow] {r.quarantine_file}")
    if reports and all((r.read == 0 or r.error) and not r.skipped for r in reports):
        raise typer.Exit(1)  # nothing could be read


def _read_as_text(read_as: dict[str, object]) -> str:
    """``header row 3 of sheet 'Alumni'; ';'-delimited latin-1; dates day first (from the rows)``."""
    parts = []
    if "header_row" in read_as and (read_as["header_row"] != 1 or "sheet" in read_as):
        where = f" of sheet {read_as['sheet']!r}" if "sheet" in read_as else ""
        skipped = f" ({read_as['above']} line(s) above it not read)" if read_as.get("above") else ""
        parts.append(f"header row {read_as['header_row']}{where}{skipped}")
    if read_as.get("delimiter", ",") != "," or read_as.get("encoding", "utf-8") != "utf-8":
        parts.append(f"{read_as.get('delimiter', ',')!r}-delimited {read_as.get('encoding', '')}".strip())
    if "dayfirst" in read_as:
        order = "day first" if read_as["dayfirst"] else "month first"
        parts.append(f"numeric dates {order} (from the {read_as.get('dayfirst_from', 'rows')})")
    if "occurrences" in read_as:
        parts.append(
            f"{read_as['occurrences']} occurrences up to {read_as.get('expanded_until')}"
            f" (at most {read_as.get('occurrence_cap')} a series; {read_as.get('capped_series', 0)} series capped)"
            f", {read_as.get('planned', 0)} planned; dates in {read_as.get('time_zone', 'the times as written')}"
        )
    return "; ".join(parts)


@app.command()
def analyze(
    store: StoreOpt = None,
    as_json: JsonOpt = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="YYYY-MM-DD recency is measured from (default: each source's end)")
    ] = None,
    engine: Annotated[
        str,
        typer.Option(
            "--engine", help="where centrality runs: auto (gds when Neo4j answers gds.version()), python or gds"
        ),
    ] = "auto",
) -> None:
    """Score ties and compute centrality; results are written back to the store."""
    from datetime import date

    from pipelines.prefect_api import start_api

    api = start_api()  # Prefect's temporary server comes up on the other core while the flow's modules load
    from pipelines.analyze_flow import analyze as run

    if store:
        os.environ["TIEGRAPH_STORE"] = store
    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise typer.BadParameter(f"{as_of!r} is not YYYY-MM-DD", param_hint="--as-of") from None
    try:
        if api:
            api.use()
        with _writing(store, err):
            summary = run(as_of=day, engine=engine)
    except TiegraphError as exc:
        _fail(exc)
        return
    typer.echo(json.dumps(summary, indent=2) if as_json else f"analyzed: {summary}")


@app.command()
def status(store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """Counts of every node and relationship type, and the last ingests."""
    info = _ask(store, lambda v: v.status())
    if as_json:
        typer.echo(json.dumps(info, indent=2, default=str))
        return
    t = Table("kind", "count", title=f"tiegraph ({info['store']} store)")
    for k, v in info["counts"].items():  # type: ignore[union-attr]
        t.add_row(k, str(v))
    console.print(t)
    for i in info["ingests"]:  # type: ignore[union-attr]
        console.print(
            f"{i['finished_at']}  {i['file']}  ({i['kind']}): {i['landed']} landed, {i['quarantined']} quarantined"
        )


@app.command()
def centrality(top: int = 20, store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """People ranked by PageRank."""
    frame = _ask(store, lambda v: v.centrality_table(top))
    if as_json:
        typer.echo(frame.to_json(orient="records", indent=2))
        return
    t = Table("name", "kind", "degree", "pagerank", "betweenness", title=f"Top {top} by PageRank")
    for r in frame.itertuples():
        t.add_row(r.name, r.kind, str(r.degree), f"{r.pagerank:.4f}", f"{r.betweenness:.4f}")
    console.print(t)


intro_app = typer.Typer(help="Warm introductions: paths, and the requests you make along them.")
app.add_typer(intro_app, name="intro")


@intro_app.callback(invoke_without_command=True)
def intro(
    ctx: typer.Context,
    source: Annotated[str | None, typer.Option("--from", help="the resident (name, e-mail or id)")] = None,
    target: Annotated[
        str | None, typer.Option("--to", help='a person, program ("GI fellowship at X"), institution or specialty')
    ] = None,
    k: int = 5,
    max_hops: int = 4,
    exclude: Annotated[list[str] | None, typer.Option(help="people to leave out (repeat)")] = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Warm introduction paths, each hop explained (`tiegraph intro --from A --to B`)."""
    if ctx.invoked_subcommand is not None:
        return
    if not source or not target:
        err.print("error: give --from and --to (or a subcommand: log, requests)")
        raise typer.Exit(2)
    ans = _ask(store, lambda v: v.intro(source, target, k=k, max_hops=max_hops, exclude=exclude))
    if as_json:
        typer.echo(json.dumps(_intro_json(ans), indent=2))
        return
    n = ans.names
    console.print(f"[bold]{n[ans.source]} → {ans.target.label}[/bold] ({len(ans.target.members)} people count)")
    if not ans.paths:
        console.print(f"No path of at most {max_hops} hops.")
    if ans.through:
        console.print(f"Every path goes through {n[ans.through]}.")
    for i, p in enumerate(ans.paths, 1):
        console.print(f"\n[bold]{i}. via {n[p.first_contact]}[/bold]  (chance ≈ {p.probability:.2f})")
        for h in p.hops:
            weak = "  [red]← weakest[/red]" if h is p.weakest else ""
            console.print(
                f"   {n[h.source]} → {n[h.target]}: strength {h.strength:.2f}, last {h.last_contact or 'unknown'}; {h.reasons}{weak}"
            )
        console.print(f"   [dim]draft:[/dim] {ans.draft(p)}")


@intro_app.command("log")
def intro_log(
    request: Annotated[str | None, typer.Argument(help="the request's id (see `tiegraph intro requests`)")] = None,
    state: Annotated[str, typer.Option(help="drafted, asked, introduced, met, declined or no_answer")] = "asked",
    source: Annotated[str | None, typer.Option("--from", help="new request: the resident")] = None,
    via: Annotated[str | None, typer.Option(help="new request: the person asked (the first contact)")] = None,
    target: Annotated[str | None, typer.Option("--to", help="new request: the target")] = None,
    note: Annotated[str | None, typer.Option(help="what happened")] = None,
    store: StoreOpt = None,
) -> None:
    """Record an introduction request (`--from A --via B --to T`) or move one to a new state (`ID --state met`)."""

    def record(v: Views) -> tuple[IntroRequest, str]:
        if request:
            req = v.log_intro(request, state, note=note, source="cli")
        elif not (source and via and target):
            raise InputError("give a request id, or --from, --via and --to for a new request")
        else:
            ans = v.intro(source, target, k=50)
            first = v.person_id(via)
            path = next((p for p in ans.paths if p.first_contact == first), None)
            people = list(path.people) if path else [ans.source, first]
            req = v.ask_intro(people, target, state=state, source="cli")
        return req, " → ".join(v.names.get(x, x) for x in req.path.split(" > "))

    req, chain = _ask(store, record)
    typer.echo(f"{req.id}: {req.target_label} via {chain}: {req.state.replace('_', ' ')}")


@intro_app.command("requests")
def intro_requests(person: str, store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """A person's introduction requests; follow-ups due (asked 7 days ago, no answer) first."""
    frame = _ask(store, lambda v: v.intro_requests(person))
    _frame_out(
        frame, "Introduction requests", ["id", "target_label", "via", "state", "asked_at", "follow_up_due"], as_json
    )


def _intro_json(ans) -> dict[str, object]:  # noqa: ANN001
    n = ans.names
    return {
        "source": {"id": ans.source, "name": n[ans.source]},
        "target": {"kind": ans.target.kind, "id": ans.target.id, "label": ans.target.label},
        "paths": [
            {
                "people": [{"id": x, "name": n[x]} for x in p.people],
                "cost": p.cost,
                "probability": p.probability,
                "weakest": [p.weakest.source, p.weakest.target],
                "draft": ans.draft(p),
                "hops": [
                    {
                        "from": h.source,
                        "to": h.target,
                        "strength": h.strength,
                        "last_contact": h.last_contact,
                        "reasons": h.reasons,
                    }
                    for h in p.hops
                ],
            }
            for p in ans.paths
        ],
    }


def _frame_out(frame, title: str, columns: list[str], as_json: bool) -> None:  # noqa: ANN001
    if as_json:
        typer.echo(frame.to_json(orient="records", indent=2, date_format="iso"))
        return
    if frame.empty:
        console.print(f"{title}: nothing to show.")
        return
    t = Table(*columns, title=title, show_lines=False)
    for row in frame[columns].itertuples(index=False):
        t.add_row(
            *(
                ""
                if v is None or (isinstance(v, float) and v != v)
                else (f"{v:.3g}" if isinstance(v, float) else str(v))
                for v in row
            )
        )
    console.print(t)


@app.command()
def calibrate(
    adopt: Annotated[bool, typer.Option("--adopt", help="write the fitted weights for the next analyze")] = False,
    seed: int = 0,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Fit tie weights to recorded introduction outcomes; compare with the weights in use; adopt only if asked."""
    from graph.analytics.calibration import fit_weights, load_weights, outcomes, save_weights
    from graph.analytics.steps import load_evidence
    from graph.analytics.ties import as_of_dates, score_ties

    settings = _settings(store)
    hand = load_weights(settings.home, half_life_days=settings.half_life_days)

    def fit(v: Views):  # noqa: ANN202 - a Calibration
        ev = load_evidence(v.store)
        scored = score_ties(
            ev.interactions, ev.authorships, ev.mentorships, as_of=as_of_dates(ev.interactions), weights=hand
        )
        return fit_weights(scored, outcomes(v.store.frame("intro_request")), hand=hand, seed=seed)

    cal = _ask(store, fit)
    if as_json:
        out = {k: getattr(cal, k) for k in ("hand", "fitted", "n_train", "n_test", "auc_hand", "auc_fitted")}
        out |= {"brier_hand": cal.brier_hand, "brier_fitted": cal.brier_fitted}
        typer.echo(json.dumps({**out, "reliability": cal.reliability.to_dict("records"), "adopted": adopt}, indent=2))
    else:
        t = Table(
            "component", "in use", "fitted", title=f"Tie weights ({cal.n_train} outcomes fitted, {cal.n_test} held out)"
        )
        for c in cal.hand:
            t.add_row(c, f"{cal.hand[c]:.3f}", f"{cal.fitted[c]:.3f}")
        console.print(t)
        console.print(f"held-out AUC: in use {cal.auc_hand:.3f}, fitted {cal.auc_fitted:.3f}")
        console.print(f"held-out Brier score: in use {cal.brier_hand:.3f}, fitted {cal.brier_fitted:.3f}")
    if adopt:
        path = save_weights(settings.home, cal.weights(hand))
        err.print(f"adopted: {path} (run `tiegraph analyze` to rescore)")


@app.command()
def ties(person: str, top: int = 20, store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """One person's ties, strongest first, each with its reasons."""
    frame = _ask(store, lambda v: v.person_ties(person).head(top))
    _frame_out(frame, f"Ties of {person}", ["name", "strength", "n_interactions", "last_contact", "reasons"], as_json)


@app.command()
def communities(store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """Communities found by Louvain, with their size and best-connected members."""
    frame = _ask(store, lambda v: v.community_table())
    _frame_out(frame, "Communities", ["community", "size", "members"], as_json)


@app.command()
def bridges(top: int = 25, store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """Weak ties that bridge communities: the people who carry news between groups."""
    frame = _ask(store, lambda v: v.weak_ties(top))
    _frame_out(frame, "Weak ties between communities", ["a_name", "b_name", "strength", "span"], as_json)


@app.command()
def mentorship(pgy: int | None = None, store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """Residents' mentorship networks, thinnest first (for development, never for evaluation)."""
    from graph.analytics.mentorship import THIN_BELOW

    frame = _ask(store, lambda v: v.mentorship_table(pgy))
    if as_json:
        typer.echo(json.dumps(_plain(frame.to_dict("records")), indent=2))
        return
    console.print("[bold]Mentorship networks[/bold] [dim](for development, never for evaluation)[/dim]")
    short = frame.assign(
        network=["thin" if t else "" for t in frame["thin"]],
        vs_pgy=["below median" if b else "" for b in frame["below_pgy_median"]],
        missing=[", ".join(_ROLE_WORDS[m] for m in ms) for ms in frame["missing_roles"]],
        stale=[", ".join(x.name for x in xs) for xs in frame["stale"]],
        single_thread=["yes" if x else "" for x in frame["single_thread"]],
        suggested=[", ".join(dict.fromkeys(s.name for s in ss)) for ss in frame["suggestions"]],
    )
    cols = ["name", "pgy", "score", "network", "pgy_median", "vs_pgy", "missing", "stale", "single_thread", "suggested"]
    _frame_out(short, "", cols, False)
    for row in frame[frame["thin"]].itertuples(index=False):
        console.print(f"\n[bold]{row.name}[/bold] (PGY-{row.pgy}, score {row.score:.0f}, thin: below {THIN_BELOW:.0f})")
        for item in [*row.reasons, *row.suggestions]:
            console.print(f"  {_say(item)}", highlight=False)


_ROLE_WORDS = {"clinical": "clinical", "research_qi": "research/QI", "career": "career", "sponsor": "sponsor"}


def _say(item: object) -> str:
    """One mentorship item (reason, stale tie or suggestion) as the command line says it."""
    from graph.analytics.mentorship import Reason, StaleTie, Suggestion

    if isinstance(item, StaleTie):
        when = "never in the records" if item.days is None else f"{item.days // 30} months ago"
        return f"not touched: {item.name} ({_ROLE_WORDS.get(item.type, item.type)}, last contact {when})"
    if isinstance(item, Suggestion):
        how = "no warm path yet" if item.warmth == 0 else "direct tie" if item.via is None else f"via {item.via_name}"
        return (
            f"suggested: {item.name} ({_ROLE_WORDS.get(item.role, item.role)} mentor; {how}, warmth {item.warmth:.2f})"
        )
    assert isinstance(item, Reason)
    role = _ROLE_WORDS.get(item.role, item.role)
    return {
        "missing_role": f"missing: {role} mentor" if item.role != "sponsor" else "missing: sponsor",
        "off_specialty": f"clinical mentor {item.name} is in {item.detail}, not the area of interest",
        "not_career_role": f"career mentor {item.name} is not the PD, an APD or a chief",
        "stale_ties": f"{item.number or 0:.0f} mentor tie(s) not touched in 12 months",
        "narrow_range": f"developers from {item.number or 0:.0f} circle(s) only {item.detail}".rstrip(),
        "below_pgy_median": f"below the PGY{item.detail} median ({item.number or 0:.0f} vs {item.median or 0:.0f})",
        "single_thread": f"single thread: the only {role} tie, {item.name}, "
        + ("has left" if item.detail == "left" else "is not touched in 12 months"),
    }.get(item.kind, item.detail)


def _plain(value: object) -> object:
    """Dataclasses, numpy numbers and NaN as JSON values."""
    import dataclasses
    import math

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()  # type: ignore[attr-defined]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


@app.command()
def due(person: str, store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """Who a person should get back in touch with, and by when."""
    frame = _ask(store, lambda v: v.due(person))
    _frame_out(frame, f"Stay in touch: {person}", ["status", "name", "why", "last_contact", "due_by"], as_json)


@app.command()
def letters(
    resident: Annotated[str, typer.Option("--for", help="the resident (name, e-mail or id)")],
    deadline: Annotated[str | None, typer.Option(help="application deadline, YYYY-MM-DD")] = None,
    writer: Annotated[str | None, typer.Option(help="record a request to this writer (with --state)")] = None,
    state: Annotated[str | None, typer.Option(help="asked, agreed, submitted or declined")] = None,
    cycle: Annotated[str, typer.Option(help="the application cycle, e.g. '2027 fellowship'")] = "",
    top: int = 10,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Whom a resident should ask for letters, when to ask (6-8 weeks before the deadline), and each request's state."""
    if writer or state:
        if not (writer and state and deadline):
            _fail(TiegraphError("recording a request needs --writer, --state and --deadline"))
        _ask(store, lambda v: v.track_letter(resident, writer, state, deadline=deadline, cycle=cycle))
    plan = _ask(store, lambda v: v.letters(resident, deadline=deadline, top=top))
    if as_json:
        out = {
            "resident": plan.resident,
            "name": plan.name,
            "deadline": plan.deadline,
            "candidates": plan.candidates.to_dict("records"),
            "timeline": plan.timeline,
            "requests": plan.requests.to_dict("records"),
        }
        typer.echo(json.dumps(_plain(out), indent=2))
        return
    _frame_out(
        plan.candidates,
        f"Letter writers for {plan.name}, best first",
        ["name", "role", "score", "strength", "clinical_contacts", "days_known", "shared_contacts", "papers"],
        False,
    )
    for step in plan.timeline:
        console.print(f"  {step.on}  {step.what}  [dim]{step.status}[/dim]", highlight=False)
    if not plan.timeline:
        console.print("  (give --deadline YYYY-MM-DD for the timeline: ask 6-8 weeks before)")
    _frame_out(plan.requests, "Requests", ["name", "cycle", "deadline", "state", "asked_on", "updated_on"], False)


@app.command()
def shortlist(
    resident: Annotated[str, typer.Option("--for", help="the resident (name, e-mail or id)")],
    specialty: Annotated[str | None, typer.Option(help="specialty of interest (default: the resident's)")] = None,
    csv: Annotated[Path | None, typer.Option(help="also write the shortlist to this CSV file")] = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Fellowship programs to aim for, ranked by warm reach, alumni there and research fit, each with its reasons."""
    frame = _ask(store, lambda v: v.shortlist(resident, specialty=specialty))
    if csv is not None:
        from graph.store.export import write_safe_csv

        write_safe_csv(csv, shortlist_table(frame))
    if as_json:
        typer.echo(json.dumps(_plain(frame.to_dict("records")), indent=2))
        return
    _frame_out(
        shortlist_table(frame), f"Fellowship shortlist for {resident}", list(shortlist_table(frame).columns), False
    )


def shortlist_table(frame):  # noqa: ANN001, ANN201 - a shortlist frame in, a plain table out
    """The shortlist as a table in words: one column per reason."""
    said = {
        "reach": lambda r: f"{r.value:.2f}" + (f" via {' → '.join(r.people)}" if r.people else ""),
        "alumni": lambda r: f"{r.value:.0f}" + (f" ({', '.join(r.people)})" if r.people else ""),
        "research_fit": lambda r: f"{r.value:.2f}" + (f" ({', '.join(r.people)})" if r.people else ""),
    }
    cols = {"reach": "warm reach", "alumni": "alumni there", "research_fit": "research fit"}
    out = frame[["program", "city", "score"]].copy()
    for kind, label in cols.items():
        out[label] = [next((said[kind](r) for r in rs if r.kind == kind), "") for rs in frame["reasons"]]
    return out


report_app = typer.Typer(help="Program-level reports.", no_args_is_help=True)
app.add_typer(report_app, name="report")


@report_app.command("alumni")
def report_alumni(
    out: Annotated[Path, typer.Option(help="folder for alumni.html and the CSV files")] = Path("alumni-report"),
    year_from: int | None = None,
    year_to: int | None = None,
    specialty: str | None = None,
    city: str | None = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Where alumni are and how well residents reach them: HTML report plus CSV files."""
    from dashboards.report import program_table, render_html
    from graph.analytics.alumni import suppress_small
    from graph.store.export import write_safe_csv

    rep = _ask(store, lambda v: v.alumni_report(year_from=year_from, year_to=year_to, specialty=specialty, city=city))
    out.mkdir(parents=True, exist_ok=True)
    (out / "alumni.html").write_text(render_html(rep), encoding="utf-8")
    write_safe_csv(out / "alumni_programs.csv", program_table(rep.programs))
    for name in ("by_institution", "by_specialty", "by_year"):
        write_safe_csv(out / f"alumni_{name}.csv", suppress_small(getattr(rep, name), ["alumni"]))
    if as_json:
        programs = rep.programs.assign(
            bridges=[[{"name": n, "residents": k} for n, k in b] for b in rep.programs["bridges"]]
        )
        typer.echo(
            json.dumps(
                _plain(
                    {
                        "alumni": len(rep.alumni),
                        "residents": rep.residents,
                        "level": rep.level,
                        "analysed_at": rep.analysed_at,
                        "as_of": rep.as_of,
                        "programs": programs.to_dict("records"),
                        "names": rep.alumni.to_dict("records"),
                        "html": str(out / "alumni.html"),
                    }
                ),
                indent=2,
            )
        )
        return
    table = program_table(rep.programs.head(15))
    _frame_out(table, f"{len(rep.alumni)} alumni; fellowship programs with alumni", list(table.columns), False)
    console.print(f"report: {out / 'alumni.html'}")


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8050, store: StoreOpt = None) -> None:
    """Serve the dashboard (binds 127.0.0.1; put a reverse proxy in front to share it)."""
    from graph.access import users_exist

    if store:
        os.environ["TIEGRAPH_STORE"] = store
    try:
        with _open(store) as s:
            accounts = users_exist(s)
    except TiegraphError as exc:
        _fail(exc)
        return
    if not accounts and host not in ("127.0.0.1", "localhost"):
        err.print(
            "error: with no user accounts the dashboard serves only 127.0.0.1; "
            "create accounts first: tiegraph user add NAME --role ROLE"
        )
        raise typer.Exit(1)
    from dashboards.app import create_app

    console.print(f"tiegraph dashboard on http://{host}:{port}/  (Ctrl-C to stop)")
    if host != "127.0.0.1":
        console.print("[yellow]Listening beyond this machine; production: gunicorn 'dashboards.app:server'[/yellow]")
    try:
        dashboard = create_app()
    except TiegraphError as exc:  # e.g. a secret file others can read
        _fail(exc)
        return
    dashboard.run(host=host, port=port, debug=False)


def _tools() -> None:
    """Make the developer tools (``tools/``: sample generator, benchmarks) importable from a source checkout."""
    root = Path(__file__).resolve().parents[1]
    if not (root / "tools" / "sample.py").exists():
        raise typer.BadParameter("this command needs a tiegraph source checkout (tools/ is not in the wheel)")
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))


@app.command()
def sample(
    out: Annotated[Path, typer.Option(help="folder to write")] = Path("data/sample"),
    seed: int = 7,
    scale: float = 1.0,
) -> None:
    """Write a fictional residency program's files (seeded)."""
    _tools()
    from tools.sample import generate, write_sample

    files = write_sample(generate(seed, scale), out)
    console.print(f"wrote {len(files)} files to {out}")


user_app = typer.Typer(help="Dashboard accounts.", no_args_is_help=True)
app.add_typer(user_app, name="user")


@user_app.command("add")
def user_add(
    name: str,
    role: Annotated[str, typer.Option(help="resident, mentor, leadership or admin")],
    person: Annotated[str | None, typer.Option(help="who they are in the graph (name, e-mail or id)")] = None,
    store: StoreOpt = None,
) -> None:
    """Create an account; the password comes from TIEGRAPH_PASSWORD or a prompt."""
    from graph.access import add_user
    from graph.views import Views

    try:
        password = _settings(store).password or typer.prompt("password", hide_input=True, confirmation_prompt=True)
        with _open(store) as s:
            pid = Views(s).person_id(person) if person else None
            add_user(s, name, role, password, person=pid)
    except TiegraphError as exc:
        _fail(exc)
        return
    console.print(f"user {name} ({role}) saved")


@user_app.command("remove")
def user_remove(name: str, store: StoreOpt = None) -> None:
    """Delete an account; its open dashboard sessions end on their next request."""
    from graph.access import remove_user

    try:
        with _open(store) as s:
            ended = remove_user(s, name)
    except TiegraphError as exc:
        _fail(exc)
        return
    console.print(f"user {name} removed ({ended} open session{'s' if ended != 1 else ''} ended)")


@user_app.command("role")
def user_role(
    name: str,
    role: Annotated[str, typer.Argument(help="resident, mentor, leadership or admin")],
    person: Annotated[str | None, typer.Option(help="who they are in the graph (name, e-mail or id)")] = None,
    store: StoreOpt = None,
) -> None:
    """Change an account's role; open sessions get the new role on their next request."""
    from graph.access import set_role
    from graph.views import Views

    try:
        with _open(store) as s:
            pid = Views(s).person_id(person) if person else None
            set_role(s, name, role, person=pid)
    except TiegraphError as exc:
        _fail(exc)
        return
    console.print(f"user {name} is now {role}")


@user_app.command("list")
def user_list(store: StoreOpt = None) -> None:
    """Accounts and their roles (never their passwords)."""
    with _open(store) as s:
        for u in s.records("user"):
            console.print(f"{u.id}\t{u.role}\t{u.person or ''}")  # type: ignore[attr-defined]


resolve_app = typer.Typer(
    help="Identity decisions: merge two people, keep them apart, split one, apply the alias file."
)
app.add_typer(resolve_app, name="resolve")


@resolve_app.callback(invoke_without_command=True)
def resolve(ctx: typer.Context, store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """With no subcommand: apply the alias file (merge each pair it calls the same that the store holds apart).

    ``tiegraph resolve merge "D. Patel" "Devika Patel"`` merges the first into
    the second now, ``tiegraph resolve split "Devika Patel" --file 2026/log.csv``
    splits a person's mentions off into a second person now; every later ingest
    follows both (the alias file).  Decisions made on another machine or by
    hand take effect with ``tiegraph resolve`` alone.
    """
    if ctx.invoked_subcommand is not None:
        return
    from graph.resolution.review import load_aliases

    settings = _settings(store)

    def pending(v: Views) -> list[tuple[str, str, str]]:
        ids = set(v.store.frame("person")["id"])
        pairs = [(a.b, a.a, "same") for a in load_aliases(settings.home) if a.decision == "same"]
        return [(d, k, why) for d, k, why in pairs if d in ids and k in ids]

    _decide(store, as_json, pending)


@resolve_app.command("merge")
def resolve_merge(
    person: Annotated[str, typer.Argument(help="name, e-mail or id of the person merged away")],
    other: Annotated[str, typer.Argument(help="name, e-mail or id of the person kept")],
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Say that two people are one: the first is merged into the second now (it undoes a split, too)."""
    _decide(store, as_json, lambda v: [(v.person_id(person), v.person_id(other), "same")])


@resolve_app.command("different")
def resolve_different(
    person: Annotated[str, typer.Argument(help="name, e-mail or id of one person")],
    other: Annotated[str, typer.Argument(help="name, e-mail or id of the other")],
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Say that two people the store holds apart are two: every later ingest keeps them apart."""
    _decide(store, as_json, lambda v: [(v.person_id(person), v.person_id(other), "different")])


def _decide(store: str | None, as_json: bool, pairs: Callable[[Views], list[tuple[str, str, str]]]) -> None:
    """Record and apply each ``(drop, keep, decision)`` the question names; print what was done."""
    from graph.views import Views

    settings = _settings(store)
    try:
        with _open(store) as s:
            v = Views(s)
            done = [
                {"drop": d, "keep": k, "decision": why, "moved": v.decide_match(settings.home, d, k, why)}
                for d, k, why in pairs(v)
            ]
    except TiegraphError as exc:
        _fail(exc)
    if as_json:
        typer.echo(json.dumps(done, indent=2))
        return
    if not done:
        console.print("nothing to apply: the store already follows every decision in the alias file")
    for d in done:
        moved = ", ".join(f"{n} {k}" for k, n in d["moved"].items() if k != "person" and n)  # type: ignore[attr-defined]
        said = (
            f"merged {d['drop']} into {d['keep']} ({moved or 'no records'})"
            if d["decision"] == "same"
            else (f"{d['drop']} and {d['keep']} are two people")
        )
        console.print(said)
    if any(d["decision"] == "same" for d in done):
        console.print("tie strengths follow at the next `tiegraph analyze`")


@resolve_app.command("split")
def resolve_split(
    person: Annotated[str, typer.Argument(help="name, e-mail or id of the person to split")],
    file: Annotated[
        str | None, typer.Option("--file", help="split off the mentions of this file (relative path)")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="split off the mentions written this way")] = None,
    mention: Annotated[
        list[str] | None, typer.Option("--mention", help="split off this mention (an id from tiegraph mentions)")
    ] = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Split some of a person's mentions (`tiegraph mentions PERSON`) off into a second person, now.

    The new person takes the contacts, affiliations, authorships and
    mentorships those mentions' rows made; the alias file keeps the split for
    every later ingest; `tiegraph resolve merge NEW PERSON` undoes it.
    """
    from graph.views import Views

    settings = _settings(store)
    try:
        with _open(store) as s:
            v = Views(s)
            pid = v.person_id(person)
            new, moved = v.split_person(settings.home, pid, file=file, name=name, ids=mention or None)
    except TiegraphError as exc:
        _fail(exc)
    if as_json:
        typer.echo(json.dumps({"person": pid, "new": new, "moved": moved}, indent=2))
        return
    said = ", ".join(f"{n} {k}" for k, n in moved.items() if n)
    console.print(f"split {new} off {pid} ({said}); undo with `tiegraph resolve merge {new} {pid}`")
    console.print("tie strengths follow at the next `tiegraph analyze`")


@app.command()
def mentions(
    person: Annotated[str, typer.Argument(help="name, e-mail or id")],
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The mentions a person was built from: each file, row and name as written, with the keys the row carried."""
    import pandas as pd

    frame = _ask(store, lambda v: v.mentions(person))
    if as_json:
        out = frame.astype(object).where(frame.notna(), None).to_dict("records")
        for m in out:
            m["rows"] = [int(r) for r in str(m["rows"] or "").split()]
        typer.echo(json.dumps(out, indent=2))
        return
    t = Table("mention", "file", "row", "rows", "written as", "keys", title=f"built from {len(frame)} mentions")
    for m in frame.itertuples(index=False):
        keys = "; ".join(
            f"{k} {getattr(m, k)}" for k in ("email", "program_id", "orcid", "linkedin_url") if getattr(m, k)
        )
        t.add_row(m.id, m.file, "" if pd.isna(m.row) else str(m.row), str(m.n_rows), m.name, keys)
    console.print(t)


@app.command()
def optout(person: str, undo: bool = False, store: StoreOpt = None) -> None:
    """Mark a person opted out: gone from others' intro paths, tables and reports; their own view stays."""
    from dataclasses import replace

    from graph.views import Views

    try:
        with _open(store) as s:
            pid = Views(s).person_id(person)
            s.upsert("person", [replace(s.get("person", pid), opted_out=not undo)])
    except TiegraphError as exc:
        _fail(exc)
        return
    console.print(f"{person}: {'opted back in' if undo else 'opted out'}")


@app.command("export")
def export_cmd(path: Path, store: StoreOpt = None) -> None:
    """Write the whole graph with provenance as JSON lines (one file per kind)."""
    from graph.access import audit
    from graph.store.export import export_graph

    try:
        with _open(store) as s:
            counts = export_graph(s, path)
            audit(s, _operator(), "export", str(path.resolve()))
    except TiegraphError as exc:
        _fail(exc)
        return
    console.print(f"exported {sum(counts.values())} records to {path}")


@app.command("import")
def import_cmd(path: Path, store: StoreOpt = None) -> None:
    """Read an export into the configured store (also how to move from embedded to Neo4j)."""
    from graph.access import audit
    from graph.store.export import import_graph

    try:
        with _open(store) as s:
            counts = import_graph(s, path)
            audit(s, _operator(), "import", str(path.resolve()))
    except TiegraphError as exc:
        _fail(exc)
        return
    console.print(f"imported {sum(counts.values())} records from {path}")


def _operator() -> str:
    """Who runs the command line: the local operator, by their login name."""
    import getpass

    try:
        return f"operator {getpass.getuser()}"
    except (KeyError, OSError):
        return "operator"


@app.command()
def audit(store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """Who viewed what, sign-in failures, exports and imports (the local operator's admin command)."""
    frame = _ask(store, lambda v: v.audit_log())
    _frame_out(frame, "Audit log", ["at", "who", "action", "subject_name"], as_json)


@neo4j_app.command("start")
def neo4j_start(
    port: int = 7687,
    gds: Annotated[
        bool, typer.Option("--gds", help="run open Graph Data Science (GPLv3, assembled by Maven) in the server")
    ] = False,
) -> None:
    """Build (first time) and start a local Neo4j 5 Community server; prints its URI."""
    from pipelines import neo4j_server

    password = _settings(None).neo4j_password
    if not password:
        err.print("error: set NEO4J_PASSWORD first (the password the server will require)")
        raise typer.Exit(1)
    try:
        home = _settings(None).home / "neo4j"
        info = neo4j_server.start(home, port=port, password=password, gds=gds, wait_s=600 if gds else 120)
    except TiegraphError as exc:
        _fail(exc)
        return
    console.print(f"Neo4j running (pid {info.pid}): {info.uri}\nexport TIEGRAPH_STORE=neo4j NEO4J_URI={info.uri}")


@neo4j_app.command("import")
def neo4j_import(
    folder: Annotated[Path, typer.Argument(help="the folder (or file) to load, as for `tiegraph ingest`")],
    port: int = 7687,
    as_json: JsonOpt = False,
) -> None:
    """First load of a big folder: ingest it, bulk-import it with neo4j-admin (replaces the local server's graph)."""
    from pipelines.neo4j_import import import_folder

    settings = _settings(None)
    if not settings.neo4j_password:
        err.print("error: set NEO4J_PASSWORD first (the password the server will require)")
        raise typer.Exit(1)
    try:
        report = import_folder(folder, settings, port=port)
    except TiegraphError as exc:
        _fail(exc)
    seconds = report.ingest_s + report.csv_s + report.import_s + report.restart_s
    if as_json:
        console.print_json(data={**_plain(report), "records": report.records, "seconds": round(seconds, 1)})
    else:
        for line in report.errors:
            err.print(f"failed: {line}")
        console.print(
            f"imported {report.records:,} records from {report.files} files in {seconds:.0f} s "
            f"(ingest {report.ingest_s:.0f} s, neo4j-admin {report.import_s:.0f} s): {report.uri}\n"
            f"export TIEGRAPH_STORE=neo4j NEO4J_URI={report.uri}"
        )


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    """Stop the local Neo4j server started by `tiegraph neo4j start`."""
    from pipelines import neo4j_server

    stopped = neo4j_server.stop(_settings(None).home / "neo4j")
    console.print("stopped" if stopped else "not running")


@neo4j_app.command("status")
def neo4j_status(port: int = 7687) -> None:
    """Whether the local Neo4j server is running."""
    from pipelines import neo4j_server

    info = neo4j_server.status(_settings(None).home / "neo4j", port=port)
    console.print(f"running (pid {info.pid}): {info.uri}" if info else "not running")
    if info is None:
        raise typer.Exit(1)


@app.command()
def bench(
    quick: Annotated[bool, typer.Option("--quick", help="small scales, about a minute (what the tests run)")] = False,
    out: Annotated[Path, typer.Option(help="JSON file; the Markdown report goes beside it")] = Path(
        "docs/benchmarks.json"
    ),
    only: Annotated[
        str | None,
        typer.Option(help="comma-separated sections (ingest, analyze, resolve, ...): merged into the JSON at --out"),
    ] = None,
) -> None:
    """Benchmarks, each against a baseline of the same run: ingest, PubMed, analyze, intro paths, dashboard."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    _tools()
    from tools import bench as b

    try:
        total = b.step_count(quick, only)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--only") from None
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err) as bar:
        task = bar.add_task("bench", total=total)
        step = {"n": 0}

        def progress(name: str) -> None:
            if step["n"]:
                bar.advance(task)
            step["n"] += 1
            bar.update(task, description=name)
            if not err.is_terminal:  # a log file gets one line per step
                err.log(name)

        try:
            doc = b.run(quick, out, progress=progress, only=only)
        except ValueError as exc:  # a --quick run merged into a full one
            raise typer.BadParameter(str(exc), param_hint="--only") from None
        except TiegraphError as exc:
            _fail(exc)
        bar.advance(task)
    detail = doc["detail"]
    t = Table("key", "value", "target", title=f"tiegraph bench{' --quick' if quick else ''}: {out}")
    for key, target in detail["targets"].items():  # type: ignore[index]
        value = "not measured" if target["value"] is None else f"{target['value']:,.4g}"
        t.add_row(key, value, f"{target['target']} {'ok' if target['met'] else 'MISSED'}")
    for key in b.RATIOS:
        if key not in detail["targets"]:  # type: ignore[index]
            t.add_row(key, "not measured" if doc[key] is None else f"{doc[key]:,.4g}", "ratio to its baseline")
    console.print(t)
    for name, error in detail["errors"].items():  # type: ignore[union-attr]
        err.print(f"[red]{name} failed:[/red] {error}", highlight=False)
    if detail["errors"]:
        raise typer.Exit(1)


def main() -> None:
    """Entry point of the ``tiegraph`` script: a bad setting is one line and exit 1, before any command runs."""
    from graph.config import ConfigError, Settings

    try:
        Settings.from_env()
    except ConfigError as exc:
        err.print(f"error: {exc}", highlight=False, markup=False, soft_wrap=True)
        raise SystemExit(1) from None
    app()


if __name__ == "__main__":
    sys.exit(main())
