"""The JSON API under /api/: read endpoints, ingest, reviews, exports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from wirewatch.api.auth import require_ingest, require_read, require_review
from wirewatch.api.openapi import (
    DATE_PATTERN,
    ERRORS,
    EXPORT_RESPONSES,
    FORMAT_VALUES,
    LIST_RESPONSES,
    MODALITY_VALUES,
    QUOTE_KIND_VALUES,
    RELATION_VALUES,
    TYPES,
    WRITE_ERRORS,
)
from wirewatch.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page_response
from wirewatch.model import MODALITIES, PLOVER_TYPES, QUOTE_KINDS, RELATION_TYPES, valid_date
from wirewatch.service import UPLOAD_SUFFIXES, Service
from wirewatch.store.lists import BadCursor, Filters, Page, Unit

router = APIRouter(prefix="/api", dependencies=[Depends(require_read)], responses=ERRORS)


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")]
Cursor = Annotated[str | None, Query(
    description="The 'next' (or 'prev') value of the page you are on.")]
Format = Annotated[str | None, Query(description="json (default) or csv; or Accept: text/csv.",
                                     json_schema_extra=FORMAT_VALUES)]


Facet = Annotated[list[str] | None, Query(
    description="Add counts of matching rows by this field (repeatable).")]
UnitCounts = Annotated[Unit, Query(description=(
    "incidents (default): each happening once, however many articles reported it (its "
    "first report stands for it); events: every counted event."))]
UnitLists = Annotated[Unit, Query(description=(
    "events (default): every event; incidents: one event per incident (its first report)."))]


def _svc(request: Request) -> Service:
    return request.app.state.service


def _list(call: Any, *args: Any, **kwargs: Any) -> Page:
    """A service list call; a bad cursor or facet is the client's error."""
    try:
        return call(*args, **kwargs)
    except BadCursor as exc:
        raise HTTPException(400, str(exc)) from None
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None


def _rows(request: Request, limit: int, format: str | None) -> int | None:
    """The page size: every matching row for a CSV download without an explicit limit (the
    file then holds as many rows as ``total`` says), else ``limit``."""
    from wirewatch.api.pagination import wants_csv

    if "limit" not in request.query_params and wants_csv(request, format):
        return None
    return limit


def _date(value: str | None, name: str) -> str | None:
    if value is not None and not valid_date(value):
        raise HTTPException(400, f"{name} must be a date YYYY-MM-DD, got {value!r}")
    return value


def common_filters(
    since: Annotated[str | None, Query(description="From this date (YYYY-MM-DD, YYYY-MM, YYYY).",
                                       pattern=DATE_PATTERN)] = None,
    until: Annotated[str | None, Query(description="Up to this date (YYYY-MM-DD, YYYY-MM, YYYY).",
                                       pattern=DATE_PATTERN)] = None,
    source: Annotated[str | None, Query(description="Publication source contains.")] = None,
    include_rejected: Annotated[bool, Query(description="Also facts reviewed as wrong.")] = False,
) -> Filters:
    return Filters(since=_date(since, "since"), until=_date(until, "until"), source=source,
                   include_rejected=include_rejected)


Common = Annotated[Filters, Depends(common_filters)]


# -- articles ----------------------------------------------------------------


@router.get("/articles", responses=LIST_RESPONSES,
            summary="Articles; ?q= searches title and text (full text)")
def list_articles(request: Request, f: Common, q: str | None = None, limit: Limit = DEFAULT_LIMIT,
                  cursor: Cursor = None, format: Format = None, facet: Facet = None) -> Response:
    f.q = q
    page = _list(_svc(request).articles, f, _rows(request, limit, format), cursor, facet or ())
    return page_response(request, page, format, "articles")


@router.get("/articles/{article_id}", summary="One article: the full record, reviews applied")
def get_article(request: Request, article_id: str, include_rejected: bool = False) -> dict:
    rec = _svc(request).article(article_id, include_rejected=include_rejected)
    if rec is None:
        raise HTTPException(404, f"no article with id {article_id!r} (or the prefix is ambiguous)")
    return rec


# -- actors ------------------------------------------------------------------


@router.get("/actors", responses=LIST_RESPONSES,
            summary="Actors, most mentioned first")
def list_actors(request: Request, f: Common, actor: str | None = None, type: str | None = None,
                kind: str | None = None, country: str | None = None,
                limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
                format: Format = None, facet: Facet = None) -> Response:
    f.actor, f.type, f.kind, f.country = actor, type, kind, country
    page = _list(_svc(request).actors, f, _rows(request, limit, format), cursor, facet or ())
    return page_response(request, page, format, "actors")


@router.get("/actors/{actor_id}", summary="One actor: aliases, roles over time, affiliations "
                                          "with evidence, quotes, events")
def get_actor(request: Request, actor_id: str) -> dict:
    profile = _svc(request).actor_profile(actor_id)
    if profile is None:
        raise HTTPException(404, f"no actor with id {actor_id!r}")
    return profile


Top = Annotated[int | None, Query(ge=1, le=100000, description=(
    "Keep the edges of the N actor pairs joined by the most facts; the answer's `pairs` "
    "says how many pairs there are in all."))]


@router.get("/actors/{actor_id}/network", summary="The actor's ego network")
def actor_network(request: Request, actor_id: str, f: Common, top: Top = None,
                  unit: UnitCounts = "incidents") -> dict:
    svc = _svc(request)
    if svc.store.actor_row(svc.store.canonical_actor(actor_id)) is None:
        raise HTTPException(404, f"no actor with id {actor_id!r}")
    if top is not None:
        return svc.network_view(f, actor=actor_id, top=top, unit=unit)
    net = svc.network(f, actor=actor_id, unit=unit)
    return {"nodes": list(net.nodes.values()), "edges": net.edges}


@router.get("/suggest/actors", summary="Stored actors whose name contains q, most mentioned "
                                       "first (autocomplete when naming who did what)")
def suggest_actors(request: Request, q: Annotated[str, Query(max_length=200)] = "",
                   limit: Annotated[int, Query(ge=1, le=50)] = 10) -> dict:
    return {"items": _svc(request).actor_suggestions(q, limit)}


# -- quotes, events, relations, places ----------------------------------------


@router.get("/quotes", responses=LIST_RESPONSES,
            summary="Who said what; ?q= full-text search over content and speaker")
def list_quotes(
    request: Request, f: Common, q: str | None = None, speaker: str | None = None,
    about: str | None = None,
    type: Annotated[str | None, Query(json_schema_extra=QUOTE_KIND_VALUES)] = None,
    article: str | None = None,
    limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None, format: Format = None,
    facet: Facet = None,
) -> Response:
    if type and type.lower() not in QUOTE_KINDS:
        raise HTTPException(400, f"type must be one of {', '.join(QUOTE_KINDS)}")
    f.speaker, f.about, f.type, f.article, f.q = speaker, about, type, article, q
    page = _list(_svc(request).quotes, f, _rows(request, limit, format), cursor, facet or ())
    return page_response(request, page, format, "quotes")


def event_filters(
    f: Common, type: Annotated[str | None, Query(json_schema_extra=TYPES)] = None,
    actor: str | None = None, recipient: str | None = None,
    modality: Annotated[str | None, Query(json_schema_extra=MODALITY_VALUES)] = None,
    place: str | None = None,
    country: str | None = None, article: str | None = None,
    q: Annotated[str | None, Query(description="Words in the evidence sentence.")] = None,
    all: Annotated[bool, Query(
        description="Include uncounted events (hypothetical, negated, demanded, historical)."
    )] = False,
) -> Filters:
    if type and type.upper() not in PLOVER_TYPES:
        raise HTTPException(400, f"type must be a PLOVER type: {', '.join(PLOVER_TYPES)}")
    if modality and modality.lower() not in MODALITIES:
        raise HTTPException(400, f"modality must be one of {', '.join(MODALITIES)}")
    f.type, f.actor, f.recipient, f.modality, f.article = type, actor, recipient, modality, article
    f.place, f.country, f.include_unasserted = place, country, all
    f.q = q
    return f


EventFilters = Annotated[Filters, Depends(event_filters)]


@router.get("/events", responses=LIST_RESPONSES,
            summary="Who did what to whom")
def list_events(request: Request, f: EventFilters, limit: Limit = DEFAULT_LIMIT,
                cursor: Cursor = None, format: Format = None, facet: Facet = None,
                unit: UnitLists = "events") -> Response:
    page = _list(_svc(request).events, f, _rows(request, limit, format), cursor, facet or (),
                 unit=unit)
    return page_response(request, page, format, "events")


@router.get("/incidents", responses=LIST_RESPONSES,
            summary="Happenings reported by one or more articles, with every report")
def list_incidents(request: Request, f: Common,
                   type: Annotated[str | None, Query(json_schema_extra=TYPES)] = None,
                   actor: str | None = None,
                   min_reports: Annotated[int, Query(ge=1, le=100_000, description=(
                       "Only incidents reported by at least this many articles."))] = 1,
                   country: Annotated[str | None, Query(
                       description="ISO3 country of the incident's place.")] = None,
                   limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
                   format: Format = None, facet: Facet = None) -> Response:
    if type and type.upper() not in PLOVER_TYPES:
        raise HTTPException(400, f"type must be a PLOVER type: {', '.join(PLOVER_TYPES)}")
    f.type, f.actor, f.country = type, actor, country
    page = _list(_svc(request).incidents, f, _rows(request, limit, format), cursor,
                 min_reports, facet or ())
    return page_response(request, page, format, "incidents")


@router.get("/incidents/{incident_id}", summary="One incident: its reports and where they differ")
def get_incident(request: Request, incident_id: str) -> dict:
    item = _svc(request).incident(incident_id)
    if item is None:
        raise HTTPException(404, f"no incident with id {incident_id!r}")
    return item


@router.get("/relations", responses=LIST_RESPONSES,
            summary="Affiliations and roles, each with its evidence sentence")
def list_relations(request: Request, f: Common, actor: str | None = None,
                   type: Annotated[str | None, Query(json_schema_extra=RELATION_VALUES)] = None,
                   limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
                   format: Format = None, facet: Facet = None) -> Response:
    if type and type not in RELATION_TYPES:
        raise HTTPException(400, f"type must be one of {', '.join(RELATION_TYPES)}")
    f.actor, f.type = actor, type
    page = _list(_svc(request).relations, f, _rows(request, limit, format), cursor, facet or ())
    return page_response(request, page, format, "relations")


@router.get("/places", responses=LIST_RESPONSES,
            summary="Resolved places with mention and counted-event counts")
def list_places(request: Request, f: Common, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
                format: Format = None) -> Response:
    page = _list(_svc(request).places, f, _rows(request, limit, format), cursor)
    return page_response(request, page, format, "places")


@router.get("/failures", responses=LIST_RESPONSES,
            summary="Inputs that could not be ingested")
def list_failures(request: Request, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
                  format: Format = None) -> Response:
    page = _list(_svc(request).failures, _rows(request, limit, format), cursor)
    return page_response(request, page, format, "failures")


@router.get("/search", responses=LIST_RESPONSES,
            summary="Full-text search over articles and quotes")
def search(request: Request, q: Annotated[str, Query(min_length=1)],
           limit: Limit = DEFAULT_LIMIT, format: Format = None) -> Response:
    items = _svc(request).search(q, limit=limit)
    return page_response(request, Page(items, len(items)), format, "search")


@router.get("/stats", summary="Counts, counts per day, event types, top actors (incidents "
                              "by default, ?unit=events for events)")
def get_stats(request: Request, f: EventFilters, unit: UnitCounts = "incidents") -> dict:
    return _svc(request).stats(f, unit=unit)


@router.get("/network", summary="Actors joined by events and affiliations (typed, dated edges)")
def get_network(
    request: Request, f: Common,
    type: Annotated[list[str] | None, Query(description="PLOVER or relation types.")] = None,
    kind: Annotated[str | None, Query(description="event or relation (default both).")] = None,
    actor: str | None = None, top: Top = None, unit: UnitCounts = "incidents",
) -> dict:
    if kind and kind not in ("event", "relation"):
        raise HTTPException(400, "kind must be event or relation")
    kinds = (kind,) if kind else ("event", "relation")
    if top is not None:
        return _svc(request).network_view(f, types=type, kinds=kinds, actor=actor, top=top,
                                          unit=unit)
    net = _svc(request).network(f, types=type, kinds=kinds, actor=actor, unit=unit)
    return {"nodes": list(net.nodes.values()), "edges": net.edges}


# -- exports -----------------------------------------------------------------


@router.get("/export/{fmt}", responses=EXPORT_RESPONSES,
            summary="gexf, graphml, geojson, parquet (?table=NAME for one table, else a zip "
                    "of every table), or the events as plover, polecat, acled or gdelt")
def export(request: Request, fmt: str, f: Common, table: str | None = None,
           type: Annotated[list[str] | None, Query()] = None,
           actor: Annotated[str | None, Query(description="geojson: events of this actor.")] = None,
           modality: Annotated[str | None, Query(
               description="geojson: events of this modality.",
               json_schema_extra=MODALITY_VALUES)] = None,
           place: Annotated[str | None, Query(description="geojson: place contains.")] = None,
           unit: Annotated[Unit | None, Query(description=(
               "gexf/graphml: incidents (default) or events; geojson: events (default) or "
               "incidents; acled, gdelt, polecat: incidents (default) or events; plover: "
               "events (default) or incidents."))] = None,
           ) -> Response:
    import io

    svc = _svc(request)
    if fmt in ("gexf", "graphml"):
        from wirewatch.export.graph import write_gexf, write_graphml

        net = svc.network(f, types=type, unit=unit or "incidents")
        buf = io.BytesIO()
        (write_gexf if fmt == "gexf" else write_graphml)(net, buf)
        return Response(buf.getvalue(), media_type="application/xml", headers={
            "Content-Disposition": f'attachment; filename="wirewatch.{fmt}"'})
    if fmt == "geojson":
        # The map's filters: one PLOVER type, an actor, a modality, a place.
        if type and len(type) == 1 and type[0].upper() in PLOVER_TYPES:
            f.type = type[0].upper()
        if modality and modality.lower() not in MODALITIES:
            raise HTTPException(400, f"modality must be one of {', '.join(MODALITIES)}")
        f.actor, f.modality, f.place = actor, modality, place
        return JSONResponse(svc.geojson(f, unit=unit or "events"),
                            media_type="application/geo+json")
    if fmt == "parquet":
        import zipfile

        from wirewatch.export.parquet import TABLES, table_parquet

        if table is None:  # every table, one Parquet file each, in a zip
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
                for name in TABLES:
                    zf.writestr(f"{name}.parquet", table_parquet(svc, name))
            return Response(buf.getvalue(), media_type="application/zip", headers={
                "Content-Disposition": 'attachment; filename="wirewatch-parquet.zip"'})
        if table not in TABLES:
            raise HTTPException(400, f"table must be one of {', '.join(TABLES)}")
        return Response(table_parquet(svc, table), media_type="application/vnd.apache.parquet",
                        headers={"Content-Disposition": f'attachment; filename="{table}.parquet"'})
    if fmt in EVENT_LAYOUTS:
        import json
        from collections import Counter

        left_out: Counter[str] = Counter()
        text = io.StringIO()
        svc.export_events(fmt, text, f, unit, left_out=left_out)
        media, suffix = EVENT_LAYOUTS[fmt]
        headers = {"Content-Disposition": f'attachment; filename="wirewatch-{fmt}.{suffix}"'}
        if fmt == "acled":  # the rows ACLED has no type for: how many and why
            headers["X-Wirewatch-Left-Out"] = str(sum(left_out.values()))
            headers["X-Wirewatch-Left-Out-Reasons"] = json.dumps(dict(left_out.most_common()))
        return Response(text.getvalue(), media_type=media, headers=headers)
    raise HTTPException(404, f"unknown export format {fmt!r}: gexf, graphml, geojson, parquet, "
                             f"{', '.join(EVENT_LAYOUTS)}")


# The event layouts of wirewatch.export.events: media type and file suffix.
EVENT_LAYOUTS = {"plover": ("application/x-ndjson", "jsonl"), "polecat": ("text/csv", "csv"),
                 "acled": ("text/csv", "csv"), "gdelt": ("text/tab-separated-values", "tsv")}


# -- live sources ------------------------------------------------------------


class SourceIn(BaseModel):
    """A feed, sitemap or page to fetch on a schedule (as ``wirewatch sources add``)."""

    url: str = Field(description="http(s) URL of the feed, sitemap or page.",
                     examples=["https://news.example.org/feed.xml"])
    kind: Literal["feed", "sitemap", "page"] | None = Field(
        None, description="Guessed from the URL when not given.")
    every: str = Field("15m", description="How often: 90s, 15m, 2h, 1d.")
    name: str | None = Field(None, description="A name (also the articles' source).")


@router.get("/sources", summary="Live sources with their schedule, validators and pages fetched")
def list_sources(request: Request) -> dict:
    return {"items": _svc(request).list_sources()}


@router.post("/sources", status_code=201, responses=WRITE_ERRORS,
             summary="Add a source (or change its settings); it is due at once")
def add_source(request: Request, token_name: Annotated[str, Depends(require_ingest)],
               body: SourceIn) -> dict:
    from wirewatch.ingest.fetch import FetchError

    # Sources on private addresses (``--allow-private``) are added from the command line
    # only: over the API they would let a token holder make the server fetch its own
    # network.
    try:
        return _svc(request).add_source(body.url, body.kind, body.every, body.name)
    except (ValueError, FetchError) as exc:
        raise HTTPException(400, str(exc)) from None


@router.delete("/sources/{source}", responses=WRITE_ERRORS,
               summary="Remove a source (by id, URL or name) and its fetch log; its articles "
                       "stay")
def remove_source(request: Request, source: str,
                  token_name: Annotated[str, Depends(require_ingest)]) -> dict:
    if not _svc(request).remove_source(source):
        raise HTTPException(404, f"no source {source!r}")
    return {"removed": source}


@router.get("/sources/log", responses=LIST_RESPONSES,
            summary="The fetch log: one row per URL (outcome, status, time, bytes, error)")
def sources_log(request: Request, source: str | None = None, limit: Limit = DEFAULT_LIMIT,
                format: Format = None) -> Response:
    rows = _svc(request).fetch_log(source)
    return page_response(request, Page(rows[:limit], len(rows)), format, "fetch_log")


# -- reviews -----------------------------------------------------------------


@router.post("/reviews", status_code=201, summary="Accept, reject, edit, merge or split")
def post_review(
    request: Request, token_name: Annotated[str, Depends(require_review)],
    body: Annotated[dict[str, Any], Body(description=(
        "target_type: event | quote | relation | actor | incident; action: accept | reject | "
        "edit | merge | split; payload: {fields: {...}} for edit, {into: actor id} for merge; "
        "an incident is split ({events: [member event ids]} leave it) or merged "
        "({into: incident id}); "
        "an event's fields.actors / fields.recipients and a quote's fields.speaker take actor "
        "ids; an edit keeps a rejected fact rejected (accept restores it); "
        "reviewer (default: the token's name); comment."), examples=[{
        "target_type": "event", "target_id": "ev_…", "action": "edit",
        "payload": {"fields": {"type": "PROTEST"}}, "reviewer": "ana", "comment": "a rally"}])],
) -> dict:
    if _has_nul(body):
        raise HTTPException(400, "NUL bytes are not allowed in a review")
    for key in ("target_type", "target_id", "action"):
        if not isinstance(body.get(key), str):
            raise HTTPException(400, f"'{key}' is required")
    payload = body.get("payload")
    if payload is not None and not isinstance(payload, dict):
        raise HTTPException(400, "'payload' must be an object")
    for key in ("reviewer", "comment"):
        if body.get(key) is not None and not isinstance(body[key], str):
            raise HTTPException(400, f"'{key}' must be a string")
    try:
        return _svc(request).review(
            body["target_type"], body["target_id"], body["action"],
            reviewer=str(body.get("reviewer") or token_name), comment=body.get("comment"),
            payload=payload)
    except LookupError as exc:
        raise HTTPException(404, str(exc).strip("'\"")) from None
    except ValueError as exc:  # ReviewError
        raise HTTPException(400, str(exc)) from None


@router.get("/reviews", responses=LIST_RESPONSES,
            summary="The review audit log, oldest first (newest=true: newest first)")
def list_reviews(request: Request, target_type: str | None = None, target_id: str | None = None,
                 action: str | None = None, reviewer: str | None = None,
                 since: str | None = None, until: str | None = None, newest: bool = False,
                 limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None, format: Format = None,
                 facet: Facet = None) -> Response:
    f = Filters(since=_date(since, "since"), until=_date(until, "until"),
                target_type=target_type, article=target_id, action=action, reviewer=reviewer)
    page = _list(_svc(request).reviews, f, _rows(request, limit, format), cursor, facet or (),
                 newest)
    return page_response(request, page, format, "reviews")


@router.get("/reviews/queue", responses=LIST_RESPONSES,
            summary="Counted events and quotes nobody has reviewed, lowest confidence first")
def review_queue(request: Request, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
                 format: Format = None, facet: Facet = None) -> Response:
    page = _list(_svc(request).review_queue, _rows(request, limit, format), cursor, facet or ())
    return page_response(request, page, format, "queue")


@router.get("/changes", responses=LIST_RESPONSES,
            summary="Update feed: added, updated, deleted, merged since a date")
def list_changes(request: Request, since: Annotated[str, Query(description="YYYY-MM-DD")],
                 limit: Limit = MAX_LIMIT, cursor: Cursor = None,
                 format: Format = None) -> Response:
    rows = _svc(request).changes(_date(since, "since") or "")
    for i, r in enumerate(rows):
        r["seq"] = i
    return _memory_page(request, rows, lambda r: [r["seq"]], cursor, limit, format, "changes")


def _memory_page(request: Request, rows: list[dict[str, Any]], key: Any, cursor: str | None,
                 limit: int, format: str | None, name: str) -> Response:
    """The audit log and change feed are built in order in memory (they are small and
    append-only); the cursor is the last key seen."""
    from wirewatch.store.lists import decode_cursor, encode_cursor

    if cursor:
        try:
            after = decode_cursor(cursor, 1)
        except BadCursor as exc:
            raise HTTPException(400, str(exc)) from None
        rows = [r for r in rows if key(r) > after]
    items = rows[:limit]
    nxt = encode_cursor(key(items[-1])) if len(rows) > limit else None
    return page_response(request, Page(items, len(rows), nxt), format, name)


# -- ingest ------------------------------------------------------------------

_ARTICLE_FIELDS = {k: {"type": "string"} for k in (
    "text", "html", "title", "source", "published", "url", "byline", "id")}
INGEST_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"type": "object", "properties": _ARTICLE_FIELDS,
                                    "description": "One article: 'text' or 'html' is required."}},
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary",
                 "description": ".txt (optional --- front matter), .html/.htm or .jsonl"},
        "source": {"type": "string"}, "published": {"type": "string"}}}},
}}}


@router.post("/ingest", responses=WRITE_ERRORS,
             summary="Ingest an article: an uploaded .txt/.html/.jsonl file, or JSON "
                     "{text or html, title, source, published, url}",
             status_code=201, openapi_extra=INGEST_BODY)
async def post_ingest(
    request: Request, token_name: Annotated[str, Depends(require_ingest)],
) -> JSONResponse:
    from wirewatch.ingest.sources import Defaults

    source = published = None
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise HTTPException(400, "multipart upload needs a 'file' field")
        source = _form_str(form.get("source"))
        published = _form_str(form.get("published"))
        name = Path(upload.filename or "upload.txt").name
        if Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
            raise HTTPException(415, f"unsupported file type {Path(name).suffix!r}: "
                                     f"use {', '.join(sorted(UPLOAD_SUFFIXES))}")
        data = await upload.read()
    elif ctype == "application/json":
        try:
            row = await request.json()
        except ValueError:
            raise HTTPException(400, "the body is not valid JSON") from None
        if not isinstance(row, dict):
            raise HTTPException(400, "the JSON body must be an article object")
        if not isinstance(row.get("text"), str) and not isinstance(row.get("html"), str):
            raise HTTPException(400, "the article needs 'text' or 'html'")
        name, data = "article.jsonl", (json.dumps(row) + "\n").encode("utf-8")
    else:
        raise HTTPException(415, "send a file as multipart/form-data or one article as "
                                 "application/json")
    if published is not None:
        _date(published[:10], "published")
    defaults = Defaults(source=source, published=published)
    body = await run_in_threadpool(_svc(request).ingest_upload, name, data, defaults)
    results, failures = body["articles"], body["failures"]
    if not results and failures:
        return JSONResponse({"error": {"status": 422, "message": failures[0]["reason"],
                                       "detail": failures[0]["detail"]}, **body},
                            status_code=422)
    return JSONResponse(body, status_code=201 if any(
        r["status"] != "unchanged" for r in results) else 200)


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _form_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
