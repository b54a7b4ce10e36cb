"""Watchlists and alerts: save a search (actor, event type, place, text) under a name, and
read its newest matching events as an Atom feed at /feeds/{name}.atom."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Body, Depends, HTTPException, Request
from fastapi.responses import Response

from wirewatch.api.auth import require_read, require_review
from wirewatch.api.openapi import ERRORS, WRITE_ERRORS
from wirewatch.model import PLOVER_TYPES
from wirewatch.service import Service
from wirewatch.store.lists import BadCursor
from wirewatch.store.watchlists import WatchlistError

router = APIRouter(dependencies=[Depends(require_read)])
ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50


def _svc(request: Request) -> Service:
    return request.app.state.service


@router.get("/api/watchlists", responses=ERRORS, summary="Saved searches (watchlists)")
def list_watchlists(request: Request) -> dict:
    return {"items": _svc(request).watchlists()}


@router.post("/api/watchlists", status_code=201, responses={**ERRORS, **WRITE_ERRORS},
             summary="Save a search as a watchlist (replaces one of the same name); its new "
                     "matching events are at /feeds/{name}.atom")
def save_watchlist(
    request: Request, token_name: Annotated[str, Depends(require_review)],
    body: Annotated[dict[str, Any], Body(description=(
        "name (letters, digits, '-', '_'); at least one of actor (name or id), type (a PLOVER "
        "type), place (name or ISO3 country), q (words in the evidence sentence)"),
        examples=[{"name": "nahr-attacks", "actor": "Nahr Brigade", "type": "ASSAULT"}])],
) -> dict:
    if any(isinstance(v, str) and "\x00" in v for v in body.values()):
        raise HTTPException(400, "NUL bytes are not allowed")
    typ = body.get("type")
    if isinstance(typ, str) and typ.strip() and typ.strip().upper() not in PLOVER_TYPES:
        raise HTTPException(400, f"type must be a PLOVER type: {', '.join(PLOVER_TYPES)}")
    try:
        return _svc(request).save_watchlist(body.get("name"), body, token_name)
    except WatchlistError as exc:
        raise HTTPException(400, str(exc)) from None


@router.delete("/api/watchlists/{name}", responses=ERRORS, summary="Delete a watchlist")
def delete_watchlist(request: Request, name: str,
                     token_name: Annotated[str, Depends(require_review)]) -> dict:
    if not _svc(request).delete_watchlist(name):
        raise HTTPException(404, f"no watchlist named {name!r}")
    return {"deleted": name}


@router.get("/feeds/{name}.atom", include_in_schema=False)
def feed(request: Request, name: str, cursor: str | None = None) -> Response:
    """The newest FEED_SIZE matching events; older ones on the pages the feed links to
    (RFC 5005 paged feed: ``next`` is older, ``previous`` newer)."""
    svc = _svc(request)
    wl = svc.watchlist(name)
    try:
        page = svc.watchlist_events(name, FEED_SIZE, cursor) if wl else None
    except BadCursor as exc:
        raise HTTPException(400, str(exc)) from None
    if wl is None or page is None:
        raise HTTPException(404, f"no watchlist named {name!r}")
    base = str(request.base_url).rstrip("/")
    here = f"{base}/feeds/{wl['name']}.atom"
    links = {"first": here,
             "next": f"{here}?{urlencode({'cursor': page.next})}" if page.next else None,
             "previous": f"{here}?{urlencode({'cursor': page.prev})}" if page.prev else None}
    return Response(atom(wl, page.items, base, links, page.total),
                    media_type="application/atom+xml; charset=utf-8")


def _stamp(value: str | None) -> str:
    if value and len(value) >= 19:
        return value if value[-6] in "+-" or value.endswith("Z") else value + "Z"
    if value and len(value) == 10:
        return value + "T00:00:00Z"
    return datetime.now(UTC).isoformat(timespec="seconds")


def atom(wl: dict[str, Any], events: list[dict[str, Any]], base: str,
         links: dict[str, str | None] | None = None, total: int | None = None) -> bytes:
    """An Atom 1.0 feed: one entry per event, newest ingested first, linking to the
    event's evidence in its article; ``links`` are the paged feed's first/next/previous
    pages, ``total`` how many events the watchlist matches in all."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    what = ", ".join(f"{k} {wl[k]}" for k in ("actor", "type", "place", "q") if wl.get(k))
    root = ET.Element(f"{{{ATOM}}}feed")
    sub(root, "title", f"wirewatch watchlist {wl['name']}: {what}")
    sub(root, "id", f"{base}/feeds/{wl['name']}.atom")
    sub(root, "link", href=f"{base}/feeds/{wl['name']}.atom", rel="self")
    for rel, href in (links or {}).items():
        if href:
            sub(root, "link", href=href, rel=rel)
    if total is not None:
        sub(root, "subtitle", f"{total} matching events in all, {len(events)} on this page")
    sub(root, "updated", _stamp(max((e["ingested_at"] for e in events), default=None)
                                or wl.get("created_at")))
    sub(sub(root, "author"), "name", "wirewatch")
    for e in events:
        entry = sub(root, "entry")
        who = ", ".join(p["text"] for p in e["actors"]) or "?"
        whom = ", ".join(p["text"] for p in e["recipients"])
        sub(entry, "title", f"{e['type']}: {who}{' → ' + whom if whom else ''}"
                            f"{' · ' + e['place_name'] if e.get('place_name') else ''}"
                            f" ({e.get('day') or 'undated'})")
        sub(entry, "id", f"urn:wirewatch:event:{e['id']}")
        sub(entry, "updated", _stamp(e.get("ingested_at")))
        sub(entry, "link", href=f"{base}/articles/{e['article_id']}#{e['id']}")
        sub(entry, "summary", e.get("sentence") or "")
        if e.get("source"):
            sub(sub(entry, "source"), "title", e["source"])
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
