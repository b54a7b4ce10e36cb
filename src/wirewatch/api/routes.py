"""The JSON API under /api/: read endpoints, ingest, reviews, exports."""

from __future__ import annotations

import re
import tempfile
import threading
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from wirewatch.api import queries
from wirewatch.api.auth import require_read, require_write
from wirewatch.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, list_response, page
from wirewatch.model import MODALITIES, PLOVER_TYPES, RELATION_TYPES, IngestFailure
from wirewatch.store import reviews
from wirewatch.store.repository import Filters, Store
from wirewatch.store.search import search_articles, search_quote_ids

router = APIRouter(prefix="/api", dependencies=[Depends(require_read)])

DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")]
Cursor = Annotated[str | None, Query(description="The 'next' value of the previous page.")]
Format = Annotated[str | None, Query(description="json (default) or csv; or Accept: text/csv.")]


def _store(request: Request) -> Store:
    return request.app.state.store


def valid_date(value: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a real calendar date."""
    if not DATE.match(value):
        return False
    y, m, d = (value.split("-") + ["01", "01"])[:3]
    try:
        date(int(y), int(m), int(d))
    except ValueError:
        return False
    return True


def _date(value: str | None, name: str) -> str | None:
    if value is not None and not valid_date(value):
        raise HTTPException(400, f"{name} must be a date YYYY-MM-DD, got {value!r}")
    return value


def common_filters(
    since: Annotated[str | None, Query(description="From this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, Query(description="Up to this date (YYYY-MM-DD).")] = None,
    source: Annotated[str | None, Query(description="Publication source contains.")] = None,
    include_rejected: Annotated[bool, Query(description="Also facts reviewed as wrong.")] = False,
) -> Filters:
    return Filters(since=_date(since, "since"), until=_date(until, "until"), source=source,
                   include_rejected=include_rejected)


Common = Annotated[Filters, Depends(common_filters)]


def _key_date(field: str):
    return lambda r: ((r.get(field) or "")[:40], r["id"])


# -- articles ----------------------------------------------------------------


@router.get("/articles", summary="Articles; ?q= searches title and text (full text)")
def list_articles(request: Request, f: Common, q: str | None = None, limit: Limit = DEFAULT_LIMIT,
                  cursor: Cursor = None, format: Format = None) -> Response:
    store = _store(request)
    if q:
        rows = search_articles(store, q, limit=5000)
        rank = {r["id"]: i for i, r in enumerate(rows)}
        rows = [r for r in rows if _in_window(r.get("published"), f)
                and (not f.source or f.source.lower() in (r.get("source") or "").lower())]
        items, nxt = page(rows, lambda r: (rank[r["id"]], r["id"]), cursor, limit)
        for r in items:
            r.pop("rank", None)
    else:
        items, nxt = page(store.articles(f), _key_date("published"), cursor, limit)
    return list_response(request, items, nxt, format, "articles")


def _in_window(date: str | None, f: Filters) -> bool:
    if f.since and (not date or date < f.since):
        return False
    return not (f.until and (not date or date[:len(f.until)] > f.until))


@router.get("/articles/{article_id}", summary="One article: the full record, reviews applied")
def get_article(request: Request, article_id: str, include_rejected: bool = False) -> dict:
    rec = queries.article_view(_store(request), article_id, include_rejected=include_rejected)
    if rec is None:
        raise HTTPException(404, f"no article with id {article_id!r} (or the prefix is ambiguous)")
    return rec


# -- actors ------------------------------------------------------------------


@router.get("/actors", summary="Actors, most mentioned first")
def list_actors(request: Request, f: Common, actor: str | None = None, type: str | None = None,
                limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
                format: Format = None) -> Response:
    f.actor, f.type = actor, type
    rows = _store(request).actors(f)
    items, nxt = page(rows, lambda r: (-(r.get("mention_count") or 0), r["id"]), cursor, limit)
    return list_response(request, items, nxt, format, "actors")


@router.get("/actors/{actor_id}", summary="One actor: aliases, roles over time, affiliations "
                                          "with evidence, quotes, events")
def get_actor(request: Request, actor_id: str) -> dict:
    profile = queries.actor_profile(_store(request), actor_id)
    if profile is None:
        raise HTTPException(404, f"no actor with id {actor_id!r}")
    return profile


@router.get("/actors/{actor_id}/network", summary="The actor's ego network")
def actor_network(request: Request, actor_id: str, f: Common) -> dict:
    from wirewatch.export.graph import network

    store = _store(request)
    if queries.actor_profile(store, actor_id) is None:
        raise HTTPException(404, f"no actor with id {actor_id!r}")
    net = network(store, since=f.since, until=f.until, actor=actor_id,
                  include_rejected=f.include_rejected)
    return {"nodes": list(net.nodes.values()), "edges": net.edges}


# -- quotes, events, relations, places ----------------------------------------


@router.get("/quotes", summary="Who said what; ?q= full-text search over content and speaker")
def list_quotes(
    request: Request, f: Common, q: str | None = None, speaker: str | None = None,
    about: str | None = None, type: str | None = None, article: str | None = None,
    limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None, format: Format = None,
) -> Response:
    if type and type.lower() not in ("direct", "indirect", "mixed"):
        raise HTTPException(400, "type must be direct, indirect or mixed")
    f.speaker, f.about, f.type, f.article = speaker, about, type, article
    store = _store(request)
    rows = store.quotes(f)
    if q:
        ids = set(search_quote_ids(store, q))
        rows = [r for r in rows if r["id"] in ids]
    items, nxt = page(rows, _key_date("published"), cursor, limit)
    return list_response(request, items, nxt, format, "quotes")


@router.get("/events", summary="Who did what to whom")
def list_events(
    request: Request, f: Common, type: str | None = None, actor: str | None = None,
    recipient: str | None = None, modality: str | None = None, place: str | None = None,
    article: str | None = None,
    all: Annotated[bool, Query(
        description="Include uncounted events (hypothetical, negated, demanded, historical)."
    )] = False,
    limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None, format: Format = None,
) -> Response:
    if type and type.upper() not in PLOVER_TYPES:
        raise HTTPException(400, f"type must be a PLOVER type: {', '.join(PLOVER_TYPES)}")
    if modality and modality.lower() not in MODALITIES:
        raise HTTPException(400, f"modality must be one of {', '.join(MODALITIES)}")
    f.type, f.actor, f.recipient, f.modality, f.article = type, actor, recipient, modality, article
    f.include_unasserted = all
    rows = queries.filter_place([queries.event_item(e) for e in _store(request).events(f)], place)
    items, nxt = page(rows, _key_date("date"), cursor, limit)
    return list_response(request, items, nxt, format, "events")


@router.get("/relations", summary="Affiliations and roles, each with its evidence sentence")
def list_relations(request: Request, f: Common, actor: str | None = None,
                   type: str | None = None, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
                   format: Format = None) -> Response:
    if type and type not in RELATION_TYPES:
        raise HTTPException(400, f"type must be one of {', '.join(RELATION_TYPES)}")
    f.actor, f.type = actor, type
    rows = [queries.relation_item(r) for r in _store(request).relations(f)]
    items, nxt = page(rows, _key_date("observed_at"), cursor, limit)
    return list_response(request, items, nxt, format, "relations")


@router.get("/places", summary="Resolved places with mention and event counts")
def list_places(request: Request, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
                format: Format = None) -> Response:
    rows = queries.places(_store(request))
    items, nxt = page(rows, lambda r: (-r["mentions"], r["id"] or ""), cursor, limit)
    return list_response(request, items, nxt, format, "places")


@router.get("/failures", summary="Inputs that could not be ingested")
def list_failures(request: Request, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
                  format: Format = None) -> Response:
    items, nxt = page(_store(request).failures(), lambda r: (r["origin"], r["id"]), cursor, limit)
    return list_response(request, items, nxt, format, "failures")


@router.get("/search", summary="Full-text search over articles and quotes")
def search(request: Request, q: Annotated[str, Query(min_length=1)],
           limit: Limit = DEFAULT_LIMIT, format: Format = None) -> Response:
    store = _store(request)
    items: list[dict[str, Any]] = []
    for r in search_articles(store, q, limit=limit):
        items.append({"kind": "article", "id": r["id"], "article_id": r["id"],
                      "title": r.get("title"), "published": r.get("published"),
                      "source": r.get("source"), "text": r.get("snippet")})
    ids = search_quote_ids(store, q, limit=limit)
    if ids:
        by_id = {x["id"]: x for x in store.quotes(Filters())}
        for qid in ids:
            x = by_id.get(qid)
            if x is not None:
                items.append({"kind": "quote", "id": qid, "article_id": x["article_id"],
                              "title": x.get("speaker_text"), "published": x.get("published"),
                              "source": x.get("source"), "text": x.get("content")})
    return list_response(request, items[:2 * limit], None, format, "search")


@router.get("/stats", summary="Counts, counts per day, event types, top actors")
def get_stats(request: Request, f: Common, type: str | None = None, actor: str | None = None,
              modality: str | None = None, place: str | None = None) -> dict:
    f.type, f.actor, f.modality = type, actor, modality
    return queries.stats(_store(request), f, place)


@router.get("/network", summary="Actors joined by events and affiliations (typed, dated edges)")
def get_network(
    request: Request, f: Common,
    type: Annotated[list[str] | None, Query(description="PLOVER or relation types.")] = None,
    kind: Annotated[str | None, Query(description="event or relation (default both).")] = None,
    actor: str | None = None,
) -> dict:
    from wirewatch.export.graph import network

    if kind and kind not in ("event", "relation"):
        raise HTTPException(400, "kind must be event or relation")
    net = network(_store(request), since=f.since, until=f.until, types=type,
                  kinds=(kind,) if kind else ("event", "relation"), actor=actor,
                  include_rejected=f.include_rejected)
    return {"nodes": list(net.nodes.values()), "edges": net.edges}


# -- exports -----------------------------------------------------------------


@router.get("/export/{fmt}", summary="gexf, graphml, geojson, or parquet (?table=NAME for one "
                                     "table, else a zip of every table)")
def export(request: Request, fmt: str, f: Common, table: str | None = None,
           type: Annotated[list[str] | None, Query()] = None) -> Response:
    import io

    store = _store(request)
    if fmt in ("gexf", "graphml"):
        from wirewatch.export.graph import network, write_gexf, write_graphml

        net = network(store, since=f.since, until=f.until, types=type,
                      include_rejected=f.include_rejected)
        buf = io.BytesIO()
        (write_gexf if fmt == "gexf" else write_graphml)(net, buf)
        return Response(buf.getvalue(), media_type="application/xml", headers={
            "Content-Disposition": f'attachment; filename="wirewatch.{fmt}"'})
    if fmt == "geojson":
        from wirewatch.export.geojson import events_geojson

        return JSONResponse(events_geojson(store, f), media_type="application/geo+json")
    if fmt == "parquet":
        import zipfile

        from wirewatch.export.parquet import TABLES, table_parquet

        if table is None:  # every table, one Parquet file each, in a zip
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
                for name in TABLES:
                    zf.writestr(f"{name}.parquet", table_parquet(store, name))
            return Response(buf.getvalue(), media_type="application/zip", headers={
                "Content-Disposition": 'attachment; filename="wirewatch-parquet.zip"'})
        if table not in TABLES:
            raise HTTPException(400, f"table must be one of {', '.join(TABLES)}")
        return Response(table_parquet(store, table), media_type="application/vnd.apache.parquet",
                        headers={"Content-Disposition": f'attachment; filename="{table}.parquet"'})
    raise HTTPException(404, f"unknown export format {fmt!r}: gexf, graphml, geojson, parquet")


# -- reviews -----------------------------------------------------------------


@router.post("/reviews", status_code=201, summary="Accept, reject, edit, merge or split")
def post_review(
    request: Request, token_name: Annotated[str, Depends(require_write)],
    body: Annotated[dict[str, Any], Body(description=(
        "target_type: event | quote | relation | actor; action: accept | reject | edit | "
        "merge | split; payload: {fields: {...}} for edit, {into: actor id} for merge; "
        "reviewer (default: the token's name); comment."), examples=[{
        "target_type": "event", "target_id": "ev_…", "action": "edit",
        "payload": {"fields": {"type": "PROTEST"}}, "reviewer": "ana", "comment": "a rally"}])],
) -> dict:
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
        return reviews.add_review(
            _store(request), body["target_type"], body["target_id"], body["action"],
            reviewer=str(body.get("reviewer") or token_name), comment=body.get("comment"),
            payload=payload)
    except LookupError as exc:
        raise HTTPException(404, str(exc).strip("'\"")) from None
    except reviews.ReviewError as exc:
        raise HTTPException(400, str(exc)) from None


@router.get("/reviews", summary="The review audit log, oldest first")
def list_reviews(request: Request, target_type: str | None = None, target_id: str | None = None,
                 since: str | None = None, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
                 format: Format = None) -> Response:
    rows = reviews.history(_store(request), target_type, target_id, _date(since, "since"))
    items, nxt = page(rows, lambda r: (r["id"],), cursor, limit)
    return list_response(request, items, nxt, format, "reviews")


@router.get("/changes", summary="Update feed: added, updated, deleted, merged since a date")
def list_changes(request: Request, since: Annotated[str, Query(description="YYYY-MM-DD")],
                 limit: Limit = MAX_LIMIT, cursor: Cursor = None,
                 format: Format = None) -> Response:
    rows = reviews.changes(_store(request), _date(since, "since") or "")
    for i, r in enumerate(rows):
        r["seq"] = i
    items, nxt = page(rows, lambda r: (r["at"] or "", r["seq"]), cursor, limit)
    return list_response(request, items, nxt, format, "changes")


# -- ingest ------------------------------------------------------------------

_nlp_lock = threading.Lock()
_run_lock = threading.Lock()
SUFFIXES = {".txt", ".html", ".htm", ".jsonl"}


def _nlp(request: Request):
    with _nlp_lock:
        if getattr(request.app.state, "nlp", None) is None:
            from wirewatch.nlp.pipeline import build_nlp

            request.app.state.nlp = build_nlp()
        return request.app.state.nlp


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


@router.post("/ingest", summary="Ingest an article: an uploaded .txt/.html/.jsonl file, or JSON "
                                "{text or html, title, source, published, url}",
             status_code=201, openapi_extra=INGEST_BODY)
async def post_ingest(
    request: Request, token_name: Annotated[str, Depends(require_write)],
) -> JSONResponse:
    import json

    source = published = None
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise HTTPException(400, "multipart upload needs a 'file' field")
        source = _form_str(form.get("source"))
        published = _form_str(form.get("published"))
        name = Path(upload.filename or "upload.txt").name
        suffix = Path(name).suffix.lower()
        if suffix not in SUFFIXES:
            raise HTTPException(415, f"unsupported file type {suffix!r}: "
                                     f"use {', '.join(sorted(SUFFIXES))}")
        data = await upload.read()
    else:
        try:
            row = await request.json()
        except ValueError:
            raise HTTPException(400, "send a file (multipart) or a JSON article object") from None
        if not isinstance(row, dict):
            raise HTTPException(400, "the JSON body must be an article object")
        if not isinstance(row.get("text"), str) and not isinstance(row.get("html"), str):
            raise HTTPException(400, "the article needs 'text' or 'html'")
        name, data = "api.jsonl", (json.dumps(row) + "\n").encode("utf-8")
    return await run_in_threadpool(_ingest_bytes, request, name, data, source, published)


def _form_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _ingest_bytes(request: Request, name: str, data: bytes, source: str | None,
                  published: str | None) -> JSONResponse:
    from wirewatch.ingest.run import run_pipeline
    from wirewatch.ingest.sources import Defaults, read_inputs
    from wirewatch.nlp.pipeline import PIPELINE_VERSION, PipelineConfig

    store = _store(request)
    if published is not None:
        _date(published[:10], "published")
    with tempfile.TemporaryDirectory(prefix="wirewatch-upload-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        items = list(read_inputs([path], Defaults(source=source, published=published)))
    failures = [i for i in items if isinstance(i, IngestFailure)]
    for fail in failures:
        fail.origin = f"upload:{name}" + fail.origin.split(name, 1)[-1]
        store.record_failure(fail)
    articles = [i for i in items if not isinstance(i, IngestFailure)]
    for a in articles:
        a.origin = f"upload:{name}" + (a.origin or "").split(name, 1)[-1]
    results = []
    todo = [a for a in articles if not store.has_article(a.id, PIPELINE_VERSION)]
    for a in articles:
        if a not in todo:
            results.append({"id": a.id, "title": a.title, "status": "unchanged"})
    if todo:
        nlp = _nlp(request)
        with _run_lock:  # one pipeline run at a time: the shared spaCy pipeline is not re-entrant
            for record in run_pipeline(todo, PipelineConfig(), nlp=nlp):
                status = store.save(record).status
                results.append({"id": record.article.id, "title": record.article.title,
                                "status": status, "quotes": len(record.quotes),
                                "events": len(record.events),
                                "relations": len(record.relations)})
            store.refresh_actor_counts()
    body = {"articles": results,
            "failures": [{"origin": x.origin, "reason": x.reason, "detail": x.detail}
                         for x in failures]}
    if not results and failures:
        return JSONResponse({"error": {"status": 422, "message": failures[0].reason,
                                       "detail": failures[0].detail}, **body}, status_code=422)
    return JSONResponse(body, status_code=201 if any(
        r["status"] != "unchanged" for r in results) else 200)
