"""The ``wirewatch`` command line: the same functions as the Python API, with Rich output."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from wirewatch.model import (
    MODALITIES,
    PLOVER_TYPES,
    QUOTE_KINDS,
    RELATION_TYPES,
    IngestFailure,
    valid_date,
)

if TYPE_CHECKING:
    from wirewatch.service import Service
    from wirewatch.store.lists import Filters

# Kept in step with ingest.decode.DEFAULT_MAX_BYTES (imported lazily: `--help` stays fast).
DEFAULT_MAX_BYTES = 5 * 1024 * 1024

app = typer.Typer(
    help="News in, sourced facts out: quotes, PLOVER events, actors, dates and places.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)

def _one_of(name: str, choices: tuple[str, ...], upper: bool = False):
    """An option callback: the value must be one of ``choices`` (exit 2 naming them)."""

    def check(value: str | None) -> str | None:
        if value is None:
            return None
        v = value.upper() if upper else value.lower()
        if v not in choices:
            raise typer.BadParameter(f"{value!r} is not a {name}; use one of "
                                     f"{', '.join(choices)}")
        return v

    return check


def _date_option(value: str | None) -> str | None:
    if value is not None and not valid_date(value):
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD (or YYYY-MM, YYYY)")
    return value


def _version(value: bool) -> None:
    if value:
        from wirewatch import __version__

        print(f"wirewatch {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """News in, sourced facts out: quotes, PLOVER events, actors, dates and places."""


DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default sqlite:///wirewatch.db; env WIREWATCH_DB)."),
]
FormatOption = Annotated[str, typer.Option(
    "--format", "-f", help="table, json or csv.",
    callback=_one_of("format", ("table", "json", "csv")))]
SinceOption = Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD).",
                                                 callback=_date_option)]
UntilOption = Annotated[str | None, typer.Option(help="Up to this date (YYYY-MM-DD).",
                                                 callback=_date_option)]
UnitOption = Annotated[str | None, typer.Option(
    help="incidents (each happening once, however many articles reported it) or events "
         "(every counted event).", callback=_one_of("unit", ("incidents", "events")))]
LimitOption = Annotated[int | None, typer.Option(help="At most this many rows.", min=1)]


AllowPrivateOption = Annotated[bool, typer.Option(
    "--allow-private", help="Fetch from loopback, private and link-local addresses (refused "
    "by default).")]
UserAgentOption = Annotated[str | None, typer.Option(help="User-Agent for fetching pages.")]
TimeoutOption = Annotated[float, typer.Option(help="Fetch timeout in seconds.", min=0.01)]
DelayOption = Annotated[float, typer.Option(
    help="Seconds between two requests to the same host.", min=0)]


def _policy(allow_private: bool, user_agent: str | None, timeout: float, delay: float = 1.0,
            max_bytes: int = DEFAULT_MAX_BYTES):
    from wirewatch.ingest.fetch import DEFAULT_USER_AGENT, FetchPolicy

    return FetchPolicy(user_agent=user_agent or DEFAULT_USER_AGENT, timeout=timeout,
                       max_bytes=max_bytes, allow_private=allow_private, host_delay=delay)


def _fetch_progress(bar: Progress):
    """A progress callback for fetches: one bar per source (or 'fetching pages')."""
    tasks: dict[str, Any] = {}

    def progress(label: str, done: int, total: int) -> None:
        if label not in tasks:
            tasks[label] = bar.add_task(label, total=total)
        bar.update(tasks[label], completed=done, total=total)

    return progress


def _svc(db: str | None) -> Service:
    from wirewatch.service import Service

    try:
        return Service.open(db)
    except Exception as exc:  # a bad URL or unreachable server: one clear line, no traceback
        err.print(f"[red]error:[/red] cannot open database {db or ''}: {exc}")
        raise typer.Exit(2) from None


def _resolve_db(db: str | None) -> str:
    from wirewatch.store.repository import resolve_url

    return resolve_url(db or "sqlite:///wirewatch-bench-store.db")


def _filters(**kwargs: Any) -> Filters:
    from wirewatch.store.lists import Filters

    return Filters(**kwargs)


def _defaults(source: str | None, published: str | None, url: str | None):
    from wirewatch.ingest.sources import Defaults

    return Defaults(source=source, published=published, url=url)


def _config(registry: list[Path] | None = None, codebook: Path | None = None):
    from wirewatch.nlp.pipeline import PipelineConfig

    return PipelineConfig(registry_files=[str(p) for p in registry or []],
                          event_codebook=str(codebook) if codebook else None)


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(
        help="Files or folders (.txt, .html, .jsonl), WARC archives (.warc, .warc.gz) or "
             "http(s) URLs to fetch.")],
    db: DbOption = None,
    source: Annotated[str | None, typer.Option(help="Source name where the file has none.")] = None,
    published: Annotated[str | None, typer.Option(help="Publication date where none.")] = None,
    url: Annotated[str | None, typer.Option(help="URL where the file has none.")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes for the NLP pipeline.")] = 1,
    dask: Annotated[str | None, typer.Option(
        help="Run the pipeline on Dask: local:N starts N local workers; tcp://HOST:PORT "
             "uses a running scheduler.")] = None,
    max_bytes: Annotated[int, typer.Option(help="Refuse files larger than this.")] = (
        DEFAULT_MAX_BYTES),
    reprocess: Annotated[bool, typer.Option(help="Re-run the pipeline on stored articles.")] = (
        False),
    registry: Annotated[list[Path] | None, typer.Option(help="Extra actor registry YAML.")] = None,
    codebook: Annotated[Path | None, typer.Option(help="Extra event codebook YAML.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json summary",
                                        callback=_one_of("format", ("table", "json")))] = "table",
    allow_private: AllowPrivateOption = False,
    user_agent: UserAgentOption = None,
    timeout: TimeoutOption = 10.0,
    delay: DelayOption = 1.0,
) -> None:
    """Ingest articles (files, WARC archives, web pages) into the database; print a summary."""
    svc = _svc(db)

    def on_failure(failure: IngestFailure) -> None:
        err.print(f"[red]failed[/red] {failure.origin}: {failure.reason}"
                  + (f" ({failure.detail})" if failure.detail else ""))

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=err, transient=False) as bar:
        task = bar.add_task("analysing articles", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            summary = svc.ingest(
                paths, _defaults(source, published, url),
                config=_config(registry, codebook), workers=workers, max_bytes=max_bytes,
                reprocess=reprocess, on_failure=on_failure, progress=progress,
                policy=_policy(allow_private, user_agent, timeout, delay, max_bytes),
                fetch_progress=_fetch_progress(bar), dask=dask)
        except ValueError as exc:  # e.g. an invalid user registry or codebook
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from None
    data = summary.as_dict()
    if format == "json":
        print(json.dumps(data, indent=2))
    else:
        _print_summary(summary, data, svc.url)
    if summary.failed:
        # The summary is printed first; the exit status still says that inputs failed.
        err.print(f"{summary.failed} input(s) failed: `wirewatch failures` lists them")
        raise typer.Exit(1)


def _print_summary(summary: Any, data: dict[str, Any], url: str) -> None:
    table = Table(title="Ingest summary", show_header=False)
    table.add_row("articles", f"{summary.new} new, {summary.updated} updated, "
                  f"{summary.unchanged} unchanged, {summary.failed} failed")
    if summary.near_copies:
        table.add_row("near-copies", f"{summary.near_copies} republished copies of a story "
                      "(their events are not counted twice)")
    for key in ("entities", "quotes", "events", "relations", "times", "places"):
        table.add_row(key, str(data[key]))
    table.add_row("time", f"{data['seconds']} s, {data['articles_per_second']} articles/s, "
                  f"{data['characters_per_second']} chars/s")
    table.add_row("database", url)
    console.print(table)


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="One article file (.txt, .html or .jsonl).")],
    published: Annotated[str | None, typer.Option(help="Publication date where none.")] = None,
    source: Annotated[str | None, typer.Option(help="Source name where none.")] = None,
    url: Annotated[str | None, typer.Option(help="URL where none.")] = None,
    format: FormatOption = "json",
    registry: Annotated[list[Path] | None, typer.Option(help="Extra actor registry YAML.")] = None,
) -> None:
    """Run the pipeline on one article without storing it; print the article record."""
    from wirewatch.service import Service

    try:
        config = _config(registry)
        records, failures = Service.extract_only(file, _defaults(source, published, url),
                                                 config)
    except ValueError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    for failure in failures:
        err.print(f"[red]failed[/red] {failure.origin}: {failure.reason} ({failure.detail})")
    if not records:
        raise typer.Exit(1)
    dicts = [r.to_dict() for r in records]
    if format == "json":
        out = dicts[0] if len(dicts) == 1 else dicts
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        for rec in dicts:
            _print_record(rec)


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(help="Article id (a unique prefix is enough).")],
    db: DbOption = None,
    format: FormatOption = "table",
) -> None:
    """One stored article: its text and everything found in it."""
    record = _svc(db).article(article_id)
    if record is None:
        err.print(f"[red]error:[/red] no article with id {article_id!r} (or the prefix is "
                  "ambiguous)")
        raise typer.Exit(1)
    if format == "json":
        print(json.dumps(record, indent=2, ensure_ascii=False))
    else:
        _print_record(record)


def _print_record(rec: dict[str, Any]) -> None:
    a = rec["article"]
    console.rule(f"[bold]{a.get('title') or a['id']}")
    console.print(f"id {a['id']}  source {a.get('source')}  published {a.get('published')}  "
                  f"url {a.get('url')}")
    console.print(a["text"], markup=False, highlight=False)
    if rec["entities"]:
        table = Table(title="Entities")
        for col in ("id", "name", "type", "mentions"):
            table.add_column(col)
        for e in rec["entities"]:
            table.add_row(e["id"], e["name"], e["type"],
                          ", ".join(sorted({m["text"] for m in e["mentions"]})))
        console.print(table)
    if rec["quotes"]:
        table = Table(title="Quotes")
        for col in ("speaker", "role", "cue", "kind", "content"):
            table.add_column(col, overflow="fold")
        for q in rec["quotes"]:
            table.add_row(q.get("speaker_text") or "-", q.get("speaker_role") or "",
                          q.get("cue") or "", q["kind"], q["content"])
        console.print(table)
    if rec["events"]:
        table = Table(title="Events")
        for col in ("type", "actors", "recipients", "modality", "date", "sentence"):
            table.add_column(col, overflow="fold")
        for ev in rec["events"]:
            table.add_row(ev["type"], "; ".join(p["text"] for p in ev["actors"]),
                          "; ".join(p["text"] for p in ev["recipients"]), ev["modality"],
                          str((ev.get("date") or {}).get("value") or ""), ev["sentence"])
        console.print(table)
    if rec["relations"]:
        table = Table(title="Relations")
        for col in ("subject", "relation", "object", "evidence"):
            table.add_column(col, overflow="fold")
        for r in rec["relations"]:
            obj = r["object_text"] + (f" ({r['role']})" if r.get("role") else "")
            table.add_row(r["subject_text"], r["type"], obj, r["sentence"])
        console.print(table)
    if rec["times"] or rec["places"]:
        table = Table(title="Times and places")
        for col in ("kind", "text", "value"):
            table.add_column(col)
        for x in rec["times"]:
            table.add_row("time", x["text"], str(x.get("value")))
        for p in rec["places"]:
            pl = p["place"]
            table.add_row("place", p["text"], f"{pl['name']} ({pl['level']}, {pl.get('country')})"
                          f" {pl.get('lat')},{pl.get('lon')}")
        console.print(table)


def _emit(rows: list[dict[str, Any]], columns: list[str], format: str, title: str) -> None:
    if format == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
    elif format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(row.get(k)) for k in columns})
    elif format == "table":
        # A terminal table is for reading: long text is shortened and ids cut to a
        # prefix that `show` accepts. json and csv keep everything.
        shown = [c for c in columns if c not in TABLE_HIDDEN]
        table = Table(title=f"{title} ({len(rows)})")
        for col in shown:
            table.add_column(col.replace("_", " "), overflow="fold")
        for row in rows:
            table.add_row(*(_short(c, _cell(row.get(c))) for c in shown))
        console.print(table)
    else:
        err.print(f"[red]error:[/red] unknown format {format!r}; use table, json or csv")
        raise typer.Exit(2)


TABLE_HIDDEN = {"id", "source", "confidence", "addressee"}


def _short(column: str, text: str) -> str:
    if column.endswith("article_id") or column == "article":
        return text[:12]
    return text if len(text) <= 90 else text[:87] + "..."


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@app.command()
def actors(
    db: DbOption = None,
    actor: Annotated[str | None, typer.Option(help="Name contains.")] = None,
    type: Annotated[str | None, typer.Option(
        help="PERSON, ORG or GPE.", callback=_one_of("actor type", ("PERSON", "ORG", "GPE"),
                                                     upper=True))] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    source: Annotated[str | None, typer.Option(help="Mentioned by this source.")] = None,
    limit: LimitOption = None,
    format: FormatOption = "table",
) -> None:
    """Actors in the database, most mentioned first."""
    rows = _svc(db).actors(_filters(actor=actor, type=type, since=since, until=until,
                                    source=source), limit).items
    columns = ["name", "type", "kind", "country", "mention_count", "article_count",
               "first_seen", "last_seen", "id"]
    if format != "table":
        columns.insert(4, "sectors")
    _emit(rows, columns, format, "Actors")


@app.command()
def actor(
    name: Annotated[str, typer.Argument(help="Actor name, alias or id.")],
    db: DbOption = None,
    format: FormatOption = "table",
) -> None:
    """One actor: aliases, type, sector, country, roles over time, relations with evidence."""
    svc = _svc(db)
    found = svc.find_actor(name)
    profile = svc.actor_profile(found["id"], with_registry=True) if found else None
    if profile is None:
        err.print(f"[red]error:[/red] no actor matching {name!r}")
        raise typer.Exit(1)
    if format == "json":
        print(json.dumps(profile, indent=2, ensure_ascii=False, default=str))
        return
    a = profile["actor"]
    console.rule(f"[bold]{a['name']}[/bold]  ({a['id']})")
    console.print(f"type {a['type']}  kind {a.get('kind') or '-'}  sectors "
                  f"{', '.join(a.get('sectors') or []) or '-'}  country {a.get('country') or '-'}")
    console.print(f"aliases seen: {', '.join(a.get('aliases') or [])}")
    n = profile["counts"]
    console.print(f"mentions {a['mention_count']} in {a['article_count']} articles; "
                  f"quotes {n['quotes']}; events as actor {n['events_as_actor']}, "
                  f"as recipient {n['events_as_recipient']}")
    if profile["merged_from"]:
        console.print(f"merged from: {', '.join(profile['merged_from'])}")
    if profile["role_periods"] or profile["registry_roles"]:
        table = Table(title="Roles over time")
        for col in ("role", "organisation", "from", "to", "source"):
            table.add_column(col)
        for r in profile["role_periods"]:
            org = next((e.get("object_text") for e in r["evidence"] if e.get("object_id")), "")
            table.add_row(r["role"], org or "", r["first"] or "", r["last"] or "",
                          f"{len(r['evidence'])} sentence(s)")
        for r in profile["registry_roles"]:
            table.add_row(r["title"], r["org"] or "", r["start"] or "", r["end"] or "current",
                          "registry")
        console.print(table)
    if profile["affiliations"]:
        table = Table(title="Relations")
        for col in ("observed", "subject", "relation", "object", "evidence"):
            table.add_column(col, overflow="fold")
        for r in profile["affiliations"]:
            table.add_row(r["observed_at"] or "", r.get("subject_text") or "", r["type"],
                          r["object_text"] + (f" ({r['role']})" if r.get("role") else ""),
                          r["sentence"])
        console.print(table)


@app.command()
def quotes(
    db: DbOption = None,
    speaker: Annotated[str | None, typer.Option(help="Speaker name or actor id.")] = None,
    actor: Annotated[str | None, typer.Option(help="Same as --speaker.")] = None,
    about: Annotated[str | None, typer.Option(help="Quote text contains.")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    type: Annotated[str | None, typer.Option(
        help="direct, indirect or mixed.", callback=_one_of("quote kind", QUOTE_KINDS))] = None,
    source: Annotated[str | None, typer.Option(help="Publication source.")] = None,
    limit: LimitOption = None,
    format: FormatOption = "table",
) -> None:
    """Who said what."""
    rows = _svc(db).quotes(_filters(speaker=speaker, actor=actor, about=about, since=since,
                                    until=until, type=type, source=source), limit).items
    _emit(rows, ["published", "speaker_text", "speaker_role", "cue", "kind", "content",
                 "addressee", "source", "article_id", "id"], format, "Quotes")


@app.command()
def events(
    db: DbOption = None,
    type: Annotated[str | None, typer.Option(
        help="PLOVER type, e.g. ASSAULT.", callback=_one_of("PLOVER type", PLOVER_TYPES,
                                                            upper=True))] = None,
    actor: Annotated[str | None, typer.Option(help="Actor name or id.")] = None,
    recipient: Annotated[str | None, typer.Option(help="Recipient name or id.")] = None,
    modality: Annotated[str | None, typer.Option(
        help="asserted, hypothetical, ...", callback=_one_of("modality", MODALITIES))] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    source: Annotated[str | None, typer.Option(help="Publication source.")] = None,
    all_modalities: Annotated[bool, typer.Option(
        "--all", help="Include uncounted events (hypothetical, negated, demanded, "
                 "historical background).")] = False,
    copies: Annotated[bool, typer.Option(
        "--copies", help="Include events from republished near-copies of a story.")] = False,
    limit: LimitOption = None,
    format: FormatOption = "table",
    unit: UnitOption = None,
) -> None:
    """Who did what to whom (uncounted modalities only with --all or --modality); with
    --unit incidents, one event per incident (its first report)."""
    rows = _svc(db).events(_filters(type=type, actor=actor, recipient=recipient,
                                    modality=modality, since=since, until=until, source=source,
                                    include_unasserted=all_modalities, include_copies=copies),
                           limit, unit=unit or "events").items  # type: ignore[arg-type]
    if format != "json":
        for row in rows:
            row["actors"] = "; ".join(p["text"] for p in row["actors"])
            row["recipients"] = "; ".join(p["text"] for p in row["recipients"])
            row["trigger"] = (row["trigger"] or {}).get("text")
    _emit(rows, ["date", "type", "actors", "trigger", "recipients", "modality", "place_name",
                 "confidence", "sentence", "source", "article_id", "id"], format, "Events")


@app.command()
def incidents(
    db: DbOption = None,
    type: Annotated[str | None, typer.Option(
        help="PLOVER type, e.g. ASSAULT.", callback=_one_of("PLOVER type", PLOVER_TYPES,
                                                            upper=True))] = None,
    actor: Annotated[str | None, typer.Option(help="Participant name or id.")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    min_reports: Annotated[int, typer.Option(
        help="Only incidents reported by at least this many articles.")] = 1,
    rebuild: Annotated[bool, typer.Option(
        "--rebuild", help="Group every stored event afresh first (a store made before "
                          "incidents existed).")] = False,
    limit: LimitOption = None,
    format: FormatOption = "table",
) -> None:
    """Happenings, each with every article that reported it and where the reports differ."""
    svc = _svc(db)
    if rebuild:
        svc.rebuild_incidents()
    rows = svc.incidents(_filters(type=type, actor=actor, since=since, until=until), limit,
                         min_reports=min_reports).items
    if format == "json":
        print(json.dumps({"items": rows}, indent=2, ensure_ascii=False, default=str))
        return
    for row in rows:
        row["day"] = (row["date"]["start"] or "undated") + (
            "" if row["date"]["end"] == row["date"]["start"] else " .. " + row["date"]["end"])
        row["place_name"] = (row.get("place") or {}).get("name")
        row["who"] = "; ".join(p["name"] for p in row["participants"])
        row["first"] = row["first_reported"].get("source")
        row["differ"] = "; ".join(d["field"] + ": " + ", ".join(
            str(v["value"]) for v in d["values"]) for d in row["disagreements"])
        row["sentence"] = (row["events"][0]["sentence"] or "").strip() if row["events"] else None
    _emit(rows, ["day", "type", "place_name", "reports", "sources", "who", "first", "differ",
                 "sentence", "id"], format, "Incidents")


@app.command()
def stats(
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    source: Annotated[str | None, typer.Option(help="Publication source.")] = None,
    unit: UnitOption = None,
    format: FormatOption = "table",
) -> None:
    """The overview's figures: incidents (or events with --unit events), quotes and articles
    in the window, and incidents per PLOVER type."""
    data = _svc(db).stats(_filters(since=since, until=until, source=source),
                          unit=unit or "incidents")  # type: ignore[arg-type]
    if format == "json":
        print(json.dumps({k: data[k] for k in ("unit", "window", "event_types", "counts")},
                         indent=2))
        return
    rows = [{"what": k, "count": v} for k, v in data["window"].items()]
    rows += [{"what": f"{data['unit']}: {t}", "count": n}
             for t, n in data["event_types"].items()]
    _emit(rows, ["what", "count"], format, f"Overview (counting {data['unit']})")


@app.command()
def relations(
    db: DbOption = None,
    actor: Annotated[str | None, typer.Option(help="Actor name or id.")] = None,
    type: Annotated[str | None, typer.Option(
        help="backed_by, part_of, holds_role, ...",
        callback=_one_of("relation type", RELATION_TYPES))] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    limit: LimitOption = None,
    format: FormatOption = "table",
) -> None:
    """Affiliations and roles, each with its evidence sentence."""
    rows = _svc(db).relations(_filters(actor=actor, type=type, since=since, until=until),
                              limit).items
    for row in rows:
        row["subject"] = row.get("subject_text")
    _emit(rows, ["observed_at", "subject", "type", "object_text", "role", "confidence",
                 "sentence", "article_id"], format, "Relations")


@app.command()
def failures(db: DbOption = None, format: FormatOption = "table") -> None:
    """Inputs that could not be ingested, with the reason."""
    _emit(_svc(db).failures().items, ["origin", "reason", "detail", "attempts", "last_seen"],
          format, "Failed inputs")


@app.command()
def articles(
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    source: Annotated[str | None, typer.Option(help="Publication source.")] = None,
    limit: LimitOption = None,
    format: FormatOption = "table",
) -> None:
    """Stored articles."""
    rows = _svc(db).articles(_filters(since=since, until=until, source=source), limit).items
    _emit(rows, ["id", "published", "source", "title", "duplicate_of"], format, "Articles")


@app.command("eval")
def eval_cmd(
    task: Annotated[str, typer.Argument(help="ner, quotes, time, geo or events.")],
    gold: Annotated[Path, typer.Option(help="Gold JSON-Lines file.")],
    format: FormatOption = "table",
    predictions: Annotated[Path | None, typer.Option(
        help="Also write the system output in the gold format.")] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N documents.")] = None,
    sample: Annotated[int | None, typer.Option(
        help="events: a fixed-seed random sample of N sentences.")] = None,
    baseline: Annotated[bool, typer.Option(help="Score the task's plain baseline instead.")] = (
        False),
) -> None:
    """Score the pipeline against a gold file."""
    from wirewatch.evaluate.runner import run_eval
    from wirewatch.ingest.decode import BadInput

    if not gold.exists():
        err.print(f"[red]error:[/red] gold file not found: {gold}")
        raise typer.Exit(2)
    try:
        result = run_eval(task, gold, limit=limit, predictions=predictions, baseline=baseline,
                          sample=sample)
    except (KeyError, BadInput, ValueError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    if format == "json":
        print(json.dumps(result, indent=2))
        return
    table = Table(title=f"eval {task}: {gold} ({result['n_docs']} docs)")
    table.add_column("metric")
    table.add_column("value")
    for key, value in _flatten(result["metrics"]):
        table.add_row(key, str(value))
    console.print(table)


def _flatten(data: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(data, dict):
        out: list[tuple[str, Any]] = []
        for k, v in data.items():
            out.extend(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return [(prefix, data)]


@app.command()
def bench(
    paths: Annotated[list[Path] | None, typer.Argument(help="Corpus (default: examples/).")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    repeat: Annotated[int, typer.Option(help="Pass over the corpus this many times.")] = 1,
    dask: Annotated[str | None, typer.Option(
        help="Also ingest on local Dask clusters of these sizes, e.g. 1,2.")] = None,
    events: Annotated[int, typer.Option(help="bench store: events in the synthetic store.")] = (
        1_000_000),
    db: DbOption = None,
    format: FormatOption = "table",
) -> None:
    """Throughput of the pipeline and of a full ingest into a temporary SQLite database,
    as ratios in one run (ours over bare spaCy's; Dask with 2 workers over 1).
    `bench store --events N --db URL` times the API over a synthetic store instead."""
    from wirewatch.bench import run_bench, run_store_bench

    if paths and [str(p) for p in paths] == ["store"]:
        result = run_store_bench(_resolve_db(db), events)
        if format == "json":
            print(json.dumps(result, indent=2))
        else:
            for key, value in _flatten(result):
                console.print(f"{key}: {value}")
        return

    try:
        sizes = [int(x) for x in dask.split(",")] if dask else None
    except ValueError:
        err.print(f"[red]error:[/red] --dask takes worker counts such as 1,2; got {dask!r}")
        raise typer.Exit(2) from None
    result = run_bench(paths or [Path("examples")], workers=workers, repeat=repeat, dask=sizes)
    if format == "json":
        print(json.dumps(result, indent=2))
        return
    table = Table(title="wirewatch bench")
    table.add_column("measure")
    table.add_column("value")
    for key, value in _flatten(result):
        table.add_row(key, str(value))
    console.print(table)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    read_token_required: Annotated[bool | None, typer.Option(
        "--read-token-required/--public-reads",
        help="Require a token for reads too (default: env WIREWATCH_READ_TOKEN_REQUIRED).")] = None,
) -> None:
    """Serve the web UI and the JSON API (docs at /api/docs)."""
    import socket

    import uvicorn

    from wirewatch.api.app import create_app
    from wirewatch.web.build import assets_present

    svc = _svc(db)
    if not assets_present():
        err.print("[yellow]warning:[/yellow] front-end assets missing (network, map and API "
                  "docs need them): run `make setup` or `python -m wirewatch.web.build`")
    app_ = create_app(service=svc, read_token_required=read_token_required)
    if host not in ("127.0.0.1", "localhost", "::1") and not app_.state.read_token_required:
        err.print(f"[yellow]warning:[/yellow] serving on {host}: anyone who can reach this "
                  "port can read everything; add --read-token-required to ask for a token")
    try:  # a taken port is one clear line, not a traceback from the server
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        err.print(f"[red]error:[/red] cannot listen on {host}:{port}: {exc.strerror or exc} "
                  "(choose another with --port)")
        raise typer.Exit(2) from None
    # One plain line (no wrapping) so `make demo` says clearly where to look.
    print(f"wirewatch: serving {svc.url} at http://{host}:{port}/ "
          f"(API docs http://{host}:{port}/api/docs); Ctrl-C stops", flush=True)
    uvicorn.run(app_, host=host, port=port, log_level="warning")


token_app = typer.Typer(help="API tokens for the write endpoints (stored hashed).",
                        no_args_is_help=True)
app.add_typer(token_app, name="token")


@token_app.command("create")
def token_create(
    name: Annotated[str, typer.Option(help="Who or what the token is for.")],
    scope: Annotated[list[str] | None, typer.Option(
        help="read, review or ingest (repeatable; default all three).")] = None,
    db: DbOption = None,
) -> None:
    """Create a token and print it once (only its hash is stored)."""
    try:
        token_id, token = _svc(db).create_token(name, scope)
    except ValueError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    err.print(f"token {token_id} for {name!r}; it is shown only this once:")
    print(token)


@token_app.command("list")
def token_list(db: DbOption = None, format: FormatOption = "table") -> None:
    """Tokens (never their values)."""
    _emit(_svc(db).list_tokens(),
          ["id", "name", "scopes", "created_at", "last_used_at", "revoked_at"], format, "Tokens")


@token_app.command("revoke")
def token_revoke(
    token: Annotated[str, typer.Argument(help="Token id or name.")], db: DbOption = None,
) -> None:
    """Revoke a token by id or name."""
    n = _svc(db).revoke_token(token)
    if not n:
        err.print(f"[red]error:[/red] no active token {token!r}")
        raise typer.Exit(1)
    console.print(f"revoked {n} token(s)")


@app.command()
def changes(
    since: Annotated[str, typer.Option(help="Changes on or after this date (YYYY-MM-DD).")],
    db: DbOption = None,
    format: FormatOption = "table",
) -> None:
    """Update feed: articles added and facts updated, deleted (rejected) or merged since a date."""
    _emit(_svc(db).changes(since), ["at", "change", "target_type", "target_id", "reviewer",
                                    "comment", "payload"], format, "Changes")


EXPORT_FORMATS = ("gexf", "graphml", "geojson", "parquet", "plover", "polecat", "acled", "gdelt")


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", "-f", help=", ".join(EXPORT_FORMATS))],
    out: Annotated[Path, typer.Option(help="Output file (a folder for parquet).")],
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    type: Annotated[list[str] | None, typer.Option(help="Graph: PLOVER or relation types.")] = None,
    include_rejected: Annotated[bool, typer.Option(help="Keep facts reviewed as wrong.")] = (
        False),
    all_modalities: Annotated[bool, typer.Option(
        "--all", help="Events: include hypothetical, negated and demanded events.")] = False,
    unit: UnitOption = None,
) -> None:
    """Export the network (GEXF, GraphML), located events (GeoJSON), every table (Parquet)
    or the events in PLOVER, POLECAT, ACLED or GDELT layout. The network, POLECAT, ACLED and
    GDELT count incidents (one row per incident) unless --unit events; PLOVER and GeoJSON
    write every event unless --unit incidents."""
    if format not in EXPORT_FORMATS:
        err.print(f"[red]error:[/red] unknown format {format!r}; use {', '.join(EXPORT_FORMATS)}")
        raise typer.Exit(2)
    svc = _svc(db)
    f = _filters(since=since, until=until, include_rejected=include_rejected,
                 include_unasserted=all_modalities)
    if format in ("gexf", "graphml"):
        from wirewatch.export.graph import write_gexf, write_graphml

        net = svc.network(f, types=type, unit=unit or "incidents")  # type: ignore[arg-type]
        (write_gexf if format == "gexf" else write_graphml)(net, out)
        console.print(f"{len(net.nodes)} actors, {len(net.edges)} edges -> {out}")
    elif format == "geojson":
        data = svc.geojson(f, unit=unit or "events")  # type: ignore[arg-type]
        out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        console.print(f"{len(data['features'])} located events ({data['unlocated']} without "
                      f"a place) -> {out}")
    elif format == "parquet":
        from wirewatch.export.parquet import write_parquet

        paths = write_parquet(svc, out)
        console.print(f"{len(paths)} tables -> {out}/")
    else:
        from collections import Counter

        from wirewatch.export.events import manifest
        from wirewatch.export.incidents import DEFAULT_UNIT

        chosen = unit or DEFAULT_UNIT[format]
        left_out: Counter[str] = Counter()
        with out.open("w", encoding="utf-8", newline="") as fh:
            n = svc.export_events(format, fh, f, chosen,  # type: ignore[arg-type]
                                  left_out=left_out)
        codebook = out.with_name(out.name + ".codebook.json")
        note = left_out if format == "acled" else None  # only ACLED leaves rows out
        codebook.write_text(json.dumps(manifest(format, chosen, note), indent=2),
                            encoding="utf-8")
        console.print(f"{n} {chosen} -> {out} (codebook {codebook})")
        if left_out:
            console.print(f"{sum(left_out.values())} {chosen} left out (no "
                          f"{format.upper()} event type; reasons in the codebook's "
                          "left_out):")
            for why, count in left_out.most_common():
                console.print(f"  {count:>5}  {why}")


sources_app = typer.Typer(help="Live sources: feeds, sitemaps and pages fetched on a schedule.",
                          no_args_is_help=True)
app.add_typer(sources_app, name="sources")


@sources_app.command("add")
def sources_add(
    url: Annotated[str, typer.Argument(help="The feed, sitemap or page URL (http or https).")],
    kind: Annotated[str | None, typer.Option(
        help="feed, sitemap or page (default: guessed from the URL).",
        callback=_one_of("kind", ("feed", "sitemap", "page")))] = None,
    every: Annotated[str, typer.Option(help="How often: 90s, 15m, 2h, 1d.")] = "15m",
    name: Annotated[str | None, typer.Option(help="A name (also the articles' source).")] = None,
    allow_private: AllowPrivateOption = False,
    db: DbOption = None,
) -> None:
    """Add a source (or change its settings); it is due at once."""
    from wirewatch.ingest.fetch import FetchError

    try:
        row = _svc(db).add_source(url, kind, every, name, allow_private)
    except (ValueError, FetchError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    console.print(f"source {row['id']}: {row['kind']} {row['url']} every {row['every_seconds']}s"
                  + (" (private addresses allowed)" if row["allow_private"] else ""))


@sources_app.command("list")
def sources_list(db: DbOption = None, format: FormatOption = "table") -> None:
    """Sources with their schedule, last fetch and pages fetched."""
    _emit(_svc(db).list_sources(), ["id", "name", "kind", "url", "every_seconds", "last_fetched",
                                    "next_due", "last_status", "last_error", "pages"],
          format, "Sources")


@sources_app.command("remove")
def sources_remove(
    source: Annotated[str, typer.Argument(help="Source id, URL or name.")], db: DbOption = None,
) -> None:
    """Remove a source and its fetch log (its articles stay)."""
    if not _svc(db).remove_source(source):
        err.print(f"[red]error:[/red] no source {source!r}")
        raise typer.Exit(1)
    console.print(f"removed source {source}")


@sources_app.command("log")
def sources_log(
    source: Annotated[str | None, typer.Argument(help="Source id, URL or name.")] = None,
    db: DbOption = None, format: FormatOption = "table",
) -> None:
    """The fetch log: one row per URL (status, time, bytes, error)."""
    _emit(_svc(db).fetch_log(source), ["url", "outcome", "status", "fetched_at", "bytes",
                                       "attempts", "error"], format, "Fetch log")


def _print_fetch_report(report: Any, format: str) -> None:
    if format == "json":
        print(json.dumps(report.as_dict(), indent=2), flush=True)
        return
    table = Table(title="Fetch summary" + (" (stopped early)" if report.stopped else ""))
    for col in ("source", "new", "unchanged", "failed", "error"):
        table.add_column(col)
    for s in report.sources:
        table.add_row(s.source, str(s.new), str(s.unchanged), str(s.failed), s.error or "")
    if not report.sources:
        table.add_row("(no source due)", "0", "0", "0", "")
    console.print(table)


def _run_fetch(db: str | None, once: bool, everything: bool, interval: float,
               allow_private: bool, user_agent: str | None, timeout: float, delay: float,
               format: str) -> Any:
    import signal
    import threading

    svc = _svc(db)
    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        # Finish the pages in flight and save what was fetched; the rest waits for the next
        # run. A second signal stops at once: each article is saved in its own transaction
        # and logged only once saved, so even then nothing is lost or stored twice.
        if stop.is_set():
            raise KeyboardInterrupt
        err.print(f"stopping after the pages in flight ({signal.Signals(signum).name}); "
                  "again to stop now")
        stop.set()

    old = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}

    def on_failure(failure: IngestFailure) -> None:
        err.print(f"[red]failed[/red] {failure.origin}: {failure.reason}"
                  + (f" ({failure.detail})" if failure.detail else ""))

    try:
        with Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                      MofNCompleteColumn(), TimeRemainingColumn(), console=err) as bar:
            task = bar.add_task("analysing articles", total=None)
            report = svc.fetch_due(
                once=once, everything=everything, stop=stop, interval=interval,
                policy=_policy(allow_private, user_agent, timeout, delay), on_failure=on_failure,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                fetch_progress=_fetch_progress(bar),
                on_report=lambda r: _print_fetch_report(r, format))
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
    return report


@app.command()
def fetch(
    once: Annotated[bool, typer.Option("--once", help="Fetch once and exit (the default; "
                                       "`wirewatch watch` loops).")] = True,
    everything: Annotated[bool, typer.Option("--all", help="Every source, due or not.")] = False,
    allow_private: AllowPrivateOption = False,
    user_agent: UserAgentOption = None,
    timeout: TimeoutOption = 10.0,
    delay: DelayOption = 1.0,
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json summary",
                                        callback=_one_of("format", ("table", "json")))] = "table",
) -> None:
    """Fetch every due source once, ingest what is new, print new / unchanged / failed per
    source and exit (cron-friendly; exit 1 when something failed)."""
    report = _run_fetch(db, True, everything, 0, allow_private, user_agent, timeout, delay,
                        format)
    if report.failed:
        err.print(f"{report.failed} fetch(es) failed: `wirewatch sources log` lists them")
        raise typer.Exit(1)


@app.command()
def watch(
    interval: Annotated[float, typer.Option(help="Seconds between two rounds.", min=0.1)] = 60,
    allow_private: AllowPrivateOption = False,
    user_agent: UserAgentOption = None,
    timeout: TimeoutOption = 10.0,
    delay: DelayOption = 1.0,
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json summary",
                                        callback=_one_of("format", ("table", "json")))] = "table",
) -> None:
    """Fetch due sources in a loop until SIGINT or SIGTERM (stops cleanly, mid-batch too:
    what was fetched is saved, the rest is fetched next time)."""
    _run_fetch(db, False, False, interval, allow_private, user_agent, timeout, delay, format)



@app.command()
def clean(
    files: Annotated[list[Path], typer.Argument(help="Article files (.html, .txt or .jsonl).")],
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Print the clean article text of each file (JSON: text, segments, metadata); no NLP."""
    from wirewatch.ingest.sources import Defaults, read_inputs

    if format not in {"text", "json"}:
        err.print(f"[red]error:[/red] unknown format {format!r} (text or json)")
        raise typer.Exit(2)
    failed = False
    out: list[dict[str, Any]] = []
    for item in read_inputs(files, Defaults()):
        if isinstance(item, IngestFailure):
            err.print(f"[red]failed[/red] {item.origin}: {item.reason} ({item.detail})")
            failed = True
            continue
        if format == "json":
            out.append({
                "origin": item.origin, "title": item.title, "byline": item.byline,
                "source": item.source, "url": item.url, "published": item.published,
                "text": item.text,
                "segments": [{"start": s.start, "end": s.end, "kind": s.kind,
                              "text": item.text[s.start:s.end]} for s in item.segments],
                "removed": [{"text": r.text, "kind": r.kind, "reason": r.reason}
                            for r in item.removed],
            })
        else:
            # what a reader would copy: headline, dateline and body, not captions or bylines
            text = item.text
            for s in sorted(item.segments, key=lambda s: -s.start):
                if s.kind not in {"headline", "dateline", "body"}:
                    text = text[: s.start] + text[s.end :]
            text = "\n\n".join(p.strip() for p in text.split("\n\n") if p.strip())
            sys.stdout.write(text + "\n")
    if format == "json":
        print(json.dumps(out[0] if len(out) == 1 else out, indent=2, ensure_ascii=False))
    if failed:
        raise typer.Exit(1)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
