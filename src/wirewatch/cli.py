"""The ``wirewatch`` command line: the same functions as the Python API, with Rich output."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from wirewatch.ingest.decode import DEFAULT_MAX_BYTES, BadInput
from wirewatch.ingest.sources import Defaults, read_inputs
from wirewatch.model import IngestFailure
from wirewatch.store.repository import Filters, Store

app = typer.Typer(
    help="News in, sourced facts out: quotes, PLOVER events, actors, dates and places.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default sqlite:///wirewatch.db; env WIREWATCH_DB)."),
]
FormatOption = Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")]
SinceOption = Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD).")]
UntilOption = Annotated[str | None, typer.Option(help="Up to this date (YYYY-MM-DD).")]
LimitOption = Annotated[int | None, typer.Option(help="At most this many rows.")]


def _store(db: str | None) -> Store:
    try:
        return Store(db)
    except Exception as exc:  # a bad URL or unreachable server: one clear line, no traceback
        err.print(f"[red]error:[/red] cannot open database {db or ''}: {exc}")
        raise typer.Exit(2) from None


def _config(registry: list[Path] | None = None, codebook: Path | None = None):
    from wirewatch.nlp.pipeline import PipelineConfig

    return PipelineConfig(registry_files=[str(p) for p in registry or []],
                          event_codebook=str(codebook) if codebook else None)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.txt, .html, .jsonl).")],
    db: DbOption = None,
    source: Annotated[str | None, typer.Option(help="Source name where the file has none.")] = None,
    published: Annotated[str | None, typer.Option(help="Publication date where none.")] = None,
    url: Annotated[str | None, typer.Option(help="URL where the file has none.")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes for the NLP pipeline.")] = 1,
    max_bytes: Annotated[int, typer.Option(help="Refuse files larger than this.")] = (
        DEFAULT_MAX_BYTES),
    reprocess: Annotated[bool, typer.Option(help="Re-run the pipeline on stored articles.")] = (
        False),
    registry: Annotated[list[Path] | None, typer.Option(help="Extra actor registry YAML.")] = None,
    codebook: Annotated[Path | None, typer.Option(help="Extra event codebook YAML.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json summary")] = "table",
) -> None:
    """Ingest articles into the database and print a summary."""
    from wirewatch.ingest.run import ingest as run_ingest

    store = _store(db)

    def on_failure(failure: IngestFailure) -> None:
        err.print(f"[red]failed[/red] {failure.origin}: {failure.reason}"
                  + (f" ({failure.detail})" if failure.detail else ""))

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=err, transient=False) as bar:
        task = bar.add_task("analysing articles", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            summary = run_ingest(
                store, paths, Defaults(source=source, published=published, url=url),
                config=_config(registry, codebook), workers=workers, max_bytes=max_bytes,
                reprocess=reprocess, on_failure=on_failure, progress=progress)
        except ValueError as exc:  # e.g. an invalid user registry or codebook
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from None
    data = summary.as_dict()
    if format == "json":
        print(json.dumps(data, indent=2))
        return
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
    table.add_row("database", store.url)
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
    from wirewatch.nlp.pipeline import build_nlp, process

    items = list(read_inputs([file], Defaults(source=source, published=published, url=url)))
    failures = [i for i in items if isinstance(i, IngestFailure)]
    for failure in failures:
        err.print(f"[red]failed[/red] {failure.origin}: {failure.reason} ({failure.detail})")
    articles = [i for i in items if not isinstance(i, IngestFailure)]
    if not articles:
        raise typer.Exit(1)
    try:
        nlp = build_nlp(_config(registry))
    except ValueError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    records = [r.to_dict() for r in process(nlp, articles)]
    if format == "json":
        out = records[0] if len(records) == 1 else records
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        for rec in records:
            _print_record(rec)


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(help="Article id (a unique prefix is enough).")],
    db: DbOption = None,
    format: FormatOption = "table",
) -> None:
    """One stored article: its text and everything found in it."""
    record = _store(db).get_record(article_id)
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
    type: Annotated[str | None, typer.Option(help="PERSON, ORG or GPE.")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    source: Annotated[str | None, typer.Option(help="Mentioned by this source.")] = None,
    limit: LimitOption = None,
    format: FormatOption = "table",
) -> None:
    """Actors in the database, most mentioned first."""
    rows = _store(db).actors(Filters(actor=actor, type=type, since=since, until=until,
                                     source=source, limit=limit))
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
    from wirewatch.nlp.registry import load_registry

    store = _store(db)
    found = store.find_actor(name)
    if found is None:
        err.print(f"[red]error:[/red] no actor matching {name!r}")
        raise typer.Exit(1)
    profile = store.actor_profile(found["id"])
    assert profile is not None
    entry = load_registry().get(found.get("registry_id"))
    profile["registry_roles"] = [
        {"title": r.title, "org": r.org, "start": r.start, "end": r.end}
        for r in (entry.roles if entry else [])]
    if format == "json":
        print(json.dumps(profile, indent=2, ensure_ascii=False, default=str))
        return
    a = profile["actor"]
    console.rule(f"[bold]{a['name']}[/bold]  ({a['id']})")
    console.print(f"type {a['type']}  kind {a.get('kind') or '-'}  sectors "
                  f"{', '.join(a.get('sectors') or []) or '-'}  country {a.get('country') or '-'}")
    console.print(f"aliases seen: {', '.join(a.get('aliases') or [])}")
    console.print(f"mentions {a['mention_count']} in {a['article_count']} articles; "
                  f"quotes {profile['quotes']}; events as actor {profile['events_as_actor']}, "
                  f"as recipient {profile['events_as_recipient']}")
    if profile["roles"] or profile["registry_roles"]:
        table = Table(title="Roles over time")
        for col in ("role", "organisation", "from", "to", "source"):
            table.add_column(col)
        for r in profile["roles"]:
            table.add_row(r["role"], r["organisation"] or "", r["first_seen"] or "",
                          r["last_seen"] or "", f"{r['evidence']} sentence(s)")
        for r in profile["registry_roles"]:
            table.add_row(r["title"], r["org"] or "", r["start"] or "", r["end"] or "current",
                          "registry")
        console.print(table)
    if profile["relations"]:
        table = Table(title="Relations")
        for col in ("observed", "subject", "relation", "object", "evidence"):
            table.add_column(col, overflow="fold")
        for r in profile["relations"]:
            table.add_row(r["observed_at"] or "", r["data"]["subject_text"], r["type"],
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
    type: Annotated[str | None, typer.Option(help="direct, indirect or mixed.")] = None,
    source: Annotated[str | None, typer.Option(help="Publication source.")] = None,
    limit: LimitOption = None,
    format: FormatOption = "table",
) -> None:
    """Who said what."""
    rows = _store(db).quotes(Filters(speaker=speaker, actor=actor, about=about, since=since,
                                     until=until, type=type, source=source, limit=limit))
    _emit(rows, ["published", "speaker_text", "speaker_role", "cue", "kind", "content",
                 "addressee", "source", "article_id", "id"], format, "Quotes")


@app.command()
def events(
    db: DbOption = None,
    type: Annotated[str | None, typer.Option(help="PLOVER type, e.g. ASSAULT.")] = None,
    actor: Annotated[str | None, typer.Option(help="Actor name or id.")] = None,
    recipient: Annotated[str | None, typer.Option(help="Recipient name or id.")] = None,
    modality: Annotated[str | None, typer.Option(help="asserted, hypothetical, ...")] = None,
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
) -> None:
    """Who did what to whom (uncounted modalities only with --all or --modality)."""
    rows = _store(db).events(Filters(type=type, actor=actor, recipient=recipient,
                                     modality=modality, since=since, until=until, source=source,
                                     include_unasserted=all_modalities, include_copies=copies,
                                     limit=limit))
    for row in rows:
        data = row.pop("data")
        row["actors"] = "; ".join(p["text"] for p in data["actors"])
        row["recipients"] = "; ".join(p["text"] for p in data["recipients"])
        row["trigger"] = data["trigger"]["text"]
    _emit(rows, ["date", "type", "actors", "trigger", "recipients", "modality", "place_name",
                 "confidence", "sentence", "source", "article_id", "id"], format, "Events")


@app.command()
def relations(
    db: DbOption = None,
    actor: Annotated[str | None, typer.Option(help="Actor name or id.")] = None,
    type: Annotated[str | None, typer.Option(help="backed_by, part_of, holds_role, ...")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    limit: LimitOption = None,
    format: FormatOption = "table",
) -> None:
    """Affiliations and roles, each with its evidence sentence."""
    rows = _store(db).relations(Filters(actor=actor, type=type, since=since, until=until,
                                        limit=limit))
    for row in rows:
        row["subject"] = row["data"]["subject_text"]
        row.pop("data")
    _emit(rows, ["observed_at", "subject", "type", "object_text", "role", "confidence",
                 "sentence", "article_id"], format, "Relations")


@app.command()
def failures(db: DbOption = None, format: FormatOption = "table") -> None:
    """Inputs that could not be ingested, with the reason."""
    _emit(_store(db).failures(), ["origin", "reason", "detail", "attempts", "last_seen"],
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
    rows = _store(db).articles(Filters(since=since, until=until, source=source, limit=limit))
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
    format: FormatOption = "table",
) -> None:
    """Throughput of the pipeline and of a full ingest into a temporary SQLite database."""
    from wirewatch.bench import run_bench

    result = run_bench(paths or [Path("examples")], workers=workers, repeat=repeat)
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
    import uvicorn

    from wirewatch.api.app import create_app
    from wirewatch.web.build import assets_present

    store = _store(db)
    if not assets_present():
        err.print("[yellow]warning:[/yellow] front-end assets missing (network, map and API "
                  "docs need them): run `make setup` or `python -m wirewatch.web.build`")
    app_ = create_app(store=store, read_token_required=read_token_required)
    # One plain line (no wrapping) so `make demo` says clearly where to look.
    print(f"wirewatch: serving {store.url} at http://{host}:{port}/ "
          f"(API docs http://{host}:{port}/api/docs); Ctrl-C stops", flush=True)
    uvicorn.run(app_, host=host, port=port, log_level="warning")


token_app = typer.Typer(help="API tokens for the write endpoints (stored hashed).",
                        no_args_is_help=True)
app.add_typer(token_app, name="token")


@token_app.command("create")
def token_create(
    name: Annotated[str, typer.Option(help="Who or what the token is for.")],
    db: DbOption = None,
) -> None:
    """Create a token and print it once (only its hash is stored)."""
    from wirewatch.store.tokens import create_token

    token_id, token = create_token(_store(db), name)
    err.print(f"token {token_id} for {name!r}; it is shown only this once:")
    print(token)


@token_app.command("list")
def token_list(db: DbOption = None, format: FormatOption = "table") -> None:
    """Tokens (never their values)."""
    from wirewatch.store.tokens import list_tokens

    _emit(list_tokens(_store(db)), ["id", "name", "created_at", "last_used_at", "revoked_at"],
          format, "Tokens")


@token_app.command("revoke")
def token_revoke(
    token: Annotated[str, typer.Argument(help="Token id or name.")], db: DbOption = None,
) -> None:
    """Revoke a token by id or name."""
    from wirewatch.store.tokens import revoke_token

    n = revoke_token(_store(db), token)
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
    from wirewatch.store.reviews import changes as feed

    _emit(feed(_store(db), since), ["at", "change", "target_type", "target_id", "reviewer",
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
) -> None:
    """Export the network (GEXF, GraphML), located events (GeoJSON), every table (Parquet)
    or the events in PLOVER, POLECAT, ACLED or GDELT layout."""
    if format not in EXPORT_FORMATS:
        err.print(f"[red]error:[/red] unknown format {format!r}; use {', '.join(EXPORT_FORMATS)}")
        raise typer.Exit(2)
    store = _store(db)
    if format in ("gexf", "graphml"):
        from wirewatch.export.graph import network, write_gexf, write_graphml

        net = network(store, since=since, until=until, types=type,
                      include_rejected=include_rejected)
        (write_gexf if format == "gexf" else write_graphml)(net, out)
        console.print(f"{len(net.nodes)} actors, {len(net.edges)} edges -> {out}")
    elif format == "geojson":
        from wirewatch.export.geojson import events_geojson

        data = events_geojson(store, Filters(since=since, until=until,
                                             include_rejected=include_rejected))
        out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        console.print(f"{len(data['features'])} located events -> {out}")
    elif format == "parquet":
        from wirewatch.export.parquet import write_parquet

        paths = write_parquet(store, out)
        console.print(f"{len(paths)} tables -> {out}/")
    else:
        _export_events(store, format, out, since, until, include_rejected, all_modalities)


def _export_events(store: Store, format: str, out: Path, since: str | None, until: str | None,
                   include_rejected: bool, all_modalities: bool) -> None:
    try:
        from wirewatch.export import events as ev
    except ImportError:
        err.print(f"[red]error:[/red] the {format} exporter is not available in this build")
        raise typer.Exit(2) from None
    from wirewatch.export.from_store import event_rows

    writer = {"plover": ev.write_plover_jsonl, "polecat": ev.write_polecat_csv,
              "acled": ev.write_acled_csv, "gdelt": ev.write_gdelt_tsv}[format]
    rows = event_rows(store, since=since, until=until, include_rejected=include_rejected)
    with out.open("w", encoding="utf-8", newline="") as fh:
        n = writer(rows, fh, include_uncounted=all_modalities)
    codebook = out.with_name(out.name + ".codebook.json")
    codebook.write_text(json.dumps(ev.manifest(format), indent=2), encoding="utf-8")
    console.print(f"{n} events -> {out} (codebook {codebook})")


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()


@app.command()
def clean(
    files: Annotated[list[Path], typer.Argument(help="Article files (.html, .txt or .jsonl).")],
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Print the clean article text of each file (JSON: text, segments, metadata); no NLP."""
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
