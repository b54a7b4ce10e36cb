"""Server-rendered HTML pages (Jinja2, autoescaped); small scripts add the network and map."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from wirewatch.api.app import WEB
from wirewatch.api.auth import COOKIE, require_read, session_cookie_value
from wirewatch.model import MODALITIES, PLOVER_TYPES, QUOTE_KINDS, RELATION_TYPES, valid_date
from wirewatch.service import Service, event_item
from wirewatch.store.lists import Filters, Unit

# Autoescape everything: article text is untrusted and must never become markup.
templates = Jinja2Templates(env=jinja2.Environment(
    loader=jinja2.FileSystemLoader(WEB / "templates"), autoescape=True))
templates.env.globals.update(PLOVER_TYPES=PLOVER_TYPES, MODALITIES=MODALITIES,
                             RELATION_TYPES=RELATION_TYPES)


def link_url(value: Any) -> str | None:
    """A stored URL as a link target, only when it is http(s): a ``javascript:`` or ``data:``
    URL from an article's metadata must never become a link."""
    if not isinstance(value, str):
        return None
    v = value.strip()
    return v if v.lower().startswith(("http://", "https://")) else None


def highlight(value: Any, *queries: Any) -> Markup:
    """The text, escaped, with each searched word marked (``<mark>``). A word matches at the
    start of a word, as the full-text search does (its last word is a prefix)."""
    text = "" if value is None else str(value)
    words = sorted({w for q in queries if isinstance(q, str) for w in re.findall(r"\w+", q)
                    if len(w) > 1}, key=len, reverse=True)
    if not words or not text:
        return Markup(escape(text))
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\w*",
                         re.IGNORECASE)
    out, last = [], 0
    for m in pattern.finditer(text):
        out.append(escape(text[last:m.start()]))
        out.append(Markup("<mark>") + escape(m.group(0)) + Markup("</mark>"))
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


templates.env.filters["link_url"] = link_url
templates.env.filters["highlight"] = highlight
router = APIRouter(include_in_schema=False)
public = APIRouter(include_in_schema=False)
protected = [Depends(require_read)]


def _svc(request: Request) -> Service:
    return request.app.state.service


def _render(request: Request, name: str, **ctx: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, ctx)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    resp = _render(request, "error.html", status=status, message=message)
    resp.status_code = status
    return resp


def _filters(request: Request) -> tuple[Filters, dict[str, str]]:
    """Filters from the query string, ignoring malformed dates (the form shows them blank)."""
    qs = {k: v.strip() for k, v in request.query_params.items() if v.strip()}
    for key in ("since", "until"):
        if key in qs and not valid_date(qs[key]):
            qs.pop(key)
    f = Filters(since=qs.get("since"), until=qs.get("until"), source=qs.get("source"),
                actor=qs.get("actor"), place=qs.get("place"),
                include_rejected=qs.get("include_rejected") == "1")
    if qs.get("type", "").upper() in PLOVER_TYPES:
        f.type = qs["type"].upper()
    if qs.get("modality", "").lower() in MODALITIES:
        f.modality = qs["modality"].lower()
    return f, qs


def page_unit(qs: dict[str, str]) -> Unit:
    """What the overview, timeline chart and network count: ?unit=events, else incidents."""
    return "events" if qs.get("unit") == "events" else "incidents"


def _unit_links(path: str, qs: dict[str, str]) -> dict[str, str]:
    """The page counting incidents and counting events, with the same filters."""
    rest = {k: v for k, v in qs.items() if k not in ("unit", "cursor", "start")}
    return {"incidents": _url(path, rest), "events": _url(path, {**rest, "unit": "events"})}


# -- lists: facets, chips, paging with totals, downloads carrying the filters ---------

# For each HTML list: its page, its API list, the query parameters it filters on (the API's
# names, except where API_NAMES renames one) and which facet filters which parameter.
LISTS: dict[str, dict[str, Any]] = {
    "events": {"path": "/events", "api": "/api/events", "size": 100,
               "params": ("since", "until", "type", "actor", "recipient", "place", "country",
                          "source", "modality", "q", "all", "include_rejected", "unit"),
               "facets": {"type": "type", "modality": "modality", "country": "country",
                          "actor": "actor", "recipient": "recipient", "source": "source"}},
    "quotes": {"path": "/quotes", "api": "/api/quotes", "size": 50,
               "params": ("since", "until", "speaker", "about", "q", "kind", "source",
                          "include_rejected"),
               "facets": {"kind": "kind", "speaker": "speaker", "source": "source"}},
    "actors": {"path": "/actors", "api": "/api/actors", "size": 100,
               "params": ("since", "until", "actor", "type", "kind", "country", "source",
                          "include_rejected"),
               "facets": {"type": "type", "kind": "kind", "country": "country"}},
    "articles": {"path": "/articles", "api": "/api/articles", "size": 50,
                 "params": ("since", "until", "q", "source"), "facets": {"source": "source"}},
    "incidents": {"path": "/incidents", "api": "/api/incidents", "size": 50,
                  "params": ("since", "until", "type", "actor", "country", "min_reports"),
                  "facets": {"type": "type", "country": "country"}},
    "reviews": {"path": "/reviews", "api": "/api/reviews", "size": 100, "newest": True,
                "params": ("since", "until", "target_type", "action", "reviewer",
                           "target_id"),
                "facets": {"target_type": "target_type", "action": "action",
                           "reviewer": "reviewer"}},
}
API_NAMES = {"quotes": {"kind": "type"}}
ACTOR_PARAMS = {"actor", "recipient", "speaker"}
LABELS = {"q": "text", "all": "uncounted too", "include_rejected": "rejected too",
          "unit": "counting", "min_reports": "reports at least",
          "about": "topic"}


def _url(path: str, params: dict[str, str]) -> str:
    return path + ("?" + urlencode(params) if params else "")


def list_filters(kind: str, qs: dict[str, str]) -> Filters:
    """The service filters of one HTML list, from its (already cleaned) query string."""
    g = qs.get
    f = Filters(since=g("since"), until=g("until"), source=g("source"),
                include_rejected=g("include_rejected") in ("1", "true"))
    if kind == "events":
        f.actor, f.recipient, f.place, f.q = g("actor"), g("recipient"), g("place"), g("q")
        f.country = g("country")
        f.include_unasserted = g("all") in ("1", "true")
        if g("type", "").upper() in PLOVER_TYPES:
            f.type = g("type", "").upper()
        if g("modality", "").lower() in MODALITIES:
            f.modality = g("modality", "").lower()
    elif kind == "quotes":
        f.speaker, f.about, f.q = g("speaker"), g("about"), g("q")
        f.type = g("kind") if g("kind") in QUOTE_KINDS else None
    elif kind == "actors":
        f.actor, f.kind, f.country = g("actor"), g("kind"), g("country")
        f.type = g("type", "").upper() or None
    elif kind == "articles":
        f.q = g("q")
    elif kind == "incidents":
        f.actor, f.country = g("actor"), g("country")
        if g("type", "").upper() in PLOVER_TYPES:
            f.type = g("type", "").upper()
    elif kind == "reviews":
        f.target_type, f.action, f.reviewer = g("target_type"), g("action"), g("reviewer")
        f.article = g("target_id")
    return f


def _min_reports(qs: dict[str, str]) -> int:
    try:
        return max(int(qs.get("min_reports", "1")), 1)
    except ValueError:
        return 1


def _size(qs: dict[str, str], default: int) -> int:
    try:
        return min(max(int(qs.get("limit", default)), 1), 500)
    except ValueError:
        return default


def list_page(request: Request, kind: str) -> tuple[Any, dict[str, Any], dict[str, str]]:
    """One page of an HTML list with its facets, and what the template needs to show the
    filters as removable chips, the facets as links, the pager and the downloads."""
    spec = LISTS[kind]
    _, qs = _filters(request)
    svc = _svc(request)
    size = _size(qs, spec["size"])
    call = getattr(svc, kind)
    extra: dict[str, Any] = {"min_reports": _min_reports(qs)} if kind == "incidents" else {}
    if spec.get("newest"):
        extra["newest"] = True
    try:
        page = call(list_filters(kind, qs), size, qs.get("cursor"),
                    facets=tuple(spec["facets"]), **extra)
    except ValueError:  # a stale or hand-made cursor: start again at the first page
        qs.pop("cursor", None)
        qs.pop("start", None)
        page = call(list_filters(kind, qs), size, None, facets=tuple(spec["facets"]), **extra)
    active = {k: qs[k] for k in spec["params"] if k in qs}
    keep = {"limit": str(size)} if "limit" in qs else {}
    ids = {v for k, v in active.items() if k in ACTOR_PARAMS}
    for name, param in spec["facets"].items():
        if param in ACTOR_PARAMS:
            ids |= {r["value"] for r in page.facets.get(name, []) if r["value"]}
    names = svc.actor_names(ids)
    rename = API_NAMES.get(kind, {})
    api_params = {rename.get(k, k): v for k, v in active.items()}
    chips = [{"field": LABELS.get(k, k), "value": names.get(v, v) if k in ACTOR_PARAMS else v,
              "remove": _url(spec["path"], {**{x: y for x, y in active.items() if x != k},
                                            **keep})}
             for k, v in active.items()]
    facets = []
    for name, param in spec["facets"].items():
        rows = [{"label": names.get(r["value"], r["value"]) if param in ACTOR_PARAMS
                 else r["value"], "count": r["count"], "on": active.get(param) == r["value"],
                 "url": _url(spec["path"], {**active, param: r["value"], **keep})}
                for r in page.facets.get(name, []) if r["value"] not in (None, "")]
        if rows:
            facets.append({"field": name, "param": param, "rows": rows})
    view = {
        "kind": kind, "chips": chips, "facets": facets,
        **pager(spec["path"], page, qs, size, {**active, **keep}),
        "csv": _url(spec["api"], {**api_params, "format": "csv"}),
        "json": _url(spec["api"], api_params),
        "reset": spec["path"],
    }
    return page, view, qs


def pager(path: str, page: Any, qs: dict[str, str], size: int, params: dict[str, str]
          ) -> dict[str, Any]:
    """Where a page sits in its list (rows start-end of total) and the links to the first,
    previous and next pages; ``start`` rides along in the query string for the numbering."""
    try:
        start = max(int(qs.get("start", "1")), 1)
    except ValueError:
        start = 1
    if not page.prev:  # the first page, however it was reached
        start = 1
    return {
        "total": page.total, "start": start, "end": start + len(page.items) - 1, "size": size,
        "next": _url(path, {**params, "cursor": page.next,
                            "start": str(start + len(page.items))}) if page.next else None,
        "prev": _url(path, {**params, "cursor": page.prev,
                            "start": str(max(start - size, 1))}) if page.prev else None,
        "first": _url(path, params) if page.prev else None,
    }


@router.get("/", dependencies=protected)
def overview(request: Request) -> HTMLResponse:
    f, qs = _filters(request)
    svc = _svc(request)
    unit = page_unit(qs)
    with svc.reading():  # the page's two dozen reads on one connection
        data = svc.stats(f, unit=unit)
        events = svc.events(f, limit=12, newest=True, unit=unit).items
        qf = Filters(since=f.since, until=f.until, source=f.source, speaker=f.actor)
        quotes = svc.quotes(qf, limit=10, newest=True).items
        names = svc.actor_names(_participant_ids(events[:12]))
    return _render(request, "overview.html", stats=data, events=events[:12], quotes=quotes[:10],
                   names=names, qs=qs, chart=_chart(data["per_day"]), unit=unit,
                   units=_unit_links("/", qs))


def _participant_ids(events: list[dict[str, Any]]) -> set[str]:
    return {p.get("entity") for e in events for p in e["actors"] + e["recipients"]}


def _chart(per_day: list[dict[str, Any]]) -> dict[str, Any]:
    """Bars for events and quotes per day, as SVG coordinates (no script needed)."""
    days = [d for d in per_day if d["date"] != "undated"]
    top = max([d.get("counted", 0) + d.get("quotes", 0) for d in days] or [1]) or 1
    width = max(len(days), 1)
    bars = []
    for i, d in enumerate(days):
        ev, qu = d.get("counted", 0), d.get("quotes", 0)
        h_ev, h_qu = 100 * ev / top, 100 * qu / top
        bars.append({"x": i * 10, "date": d["date"], "events": ev, "quotes": qu,
                     "articles": d.get("articles", 0),
                     "h_ev": round(h_ev, 1), "h_qu": round(h_qu, 1),
                     "y_ev": round(100 - h_ev, 1), "y_qu": round(100 - h_ev - h_qu, 1)})
    return {"bars": bars, "width": width * 10, "top": top,
            "first": days[0]["date"] if days else "", "last": days[-1]["date"] if days else ""}


@router.get("/articles", dependencies=protected)
def articles_page(request: Request) -> HTMLResponse:
    page, view, qs = list_page(request, "articles")
    snippets = {x["id"]: x["text"] for x in _svc(request).search(qs["q"], limit=500)
                if x["kind"] == "article"} if qs.get("q") else {}
    return _render(request, "articles.html", articles=page.items, total=page.total, qs=qs,
                   view=view, snippets=snippets)


@router.get("/search", dependencies=protected)
def search_page(request: Request) -> HTMLResponse:
    q = request.query_params.get("q", "").strip()
    found = _svc(request).search(q, limit=200) if q else []
    arts = [x for x in found if x["kind"] == "article"]
    for a in arts:
        a["snippet"] = a["text"]
    # The matching quotes as the quote list shows them (confidence, kind, sentence, review).
    quotes = _svc(request).quotes(Filters(q=q), limit=200).items if q else []
    return _render(request, "search.html", q=q, articles=arts, quotes=quotes, qs={"q": q})


@router.get("/articles/{article_id}", dependencies=protected)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    svc = _svc(request)
    rec = svc.article(article_id, include_rejected=True)
    if rec is None:
        raise HTTPException(404, f"No article with id {article_id}.")
    ids = {e["id"] for e in rec["entities"]}
    names = {e["id"]: e["name"] for e in rec["entities"]}
    names.update(svc.actor_names(ids))
    pieces, facts = _highlight(rec, names)
    events = [event_item({**e, "article_id": rec["article"]["id"], "data": e,
                          "date": (e.get("date") or {}).get("value"),
                          "published": rec["article"].get("published"),
                          "place_name": (e.get("location") or {}).get("name")})
              for e in rec["events"]]
    incident_of = svc.incident_ids([e["id"] for e in events])
    for e in events:
        e["incident"] = incident_of.get(e["id"])
    return _render(request, "article.html", rec=rec, a=rec["article"], pieces=pieces,
                   facts=facts, events=events, names=names)


def _highlight(rec: dict[str, Any], names: dict[str, str]):
    """Split the text at every annotation boundary; each piece lists what covers it."""
    text = rec["article"]["text"]
    spans: list[tuple[int, int, str, str]] = []
    facts: dict[str, dict[str, Any]] = {}

    def add(start: Any, end: Any, kind: str, ref: str) -> None:
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            spans.append((start, end, kind, ref))

    for ent in rec["entities"]:
        facts[ent["id"]] = {"kind": "entity", "title": f"{ent['name']} ({ent['type']})",
                            "fields": {"type": ent["type"], "kind": ent.get("kind"),
                                       "country": ent.get("country"),
                                       "confidence": ent.get("confidence")},
                            "link": f"/actors/{ent['id']}"}
        for m in ent["mentions"]:
            add(m["start"], m["end"], "ent", ent["id"])
    for q in rec["quotes"]:
        facts[q["id"]] = {"kind": "quote", "title": f"Quote: {q.get('speaker_text') or 'unknown'}",
                          "fields": {"speaker": q.get("speaker_text"),
                                     "role": q.get("speaker_role"), "cue": q.get("cue"),
                                     "kind": q["kind"], "content": q["content"],
                                     "confidence": q["confidence"]},
                          "review": (q.get("review") or {}).get("action")}
        for s in q.get("content_spans") or []:
            add(s[0], s[1], "quote", q["id"])
        if q.get("speaker_span"):
            add(q["speaker_span"][0], q["speaker_span"][1], "speaker", q["id"])
        if q.get("cue_span"):
            add(q["cue_span"][0], q["cue_span"][1], "cue", q["id"])
    for e in rec["events"]:
        facts[e["id"]] = {
            "kind": "event", "title": f"Event: {e['type']}",
            "fields": {"type": e["type"], "trigger": e["trigger"]["text"],
                       "actors": "; ".join(p["text"] for p in e["actors"]),
                       "recipients": "; ".join(p["text"] for p in e["recipients"]),
                       "modality": e["modality"], "date": (e.get("date") or {}).get("value"),
                       "place": (e.get("location") or {}).get("name"),
                       "confidence": e["confidence"]},
            "review": (e.get("review") or {}).get("action")}
        add(e["trigger"]["start"], e["trigger"]["end"], "trigger", e["id"])
        for m in e.get("also") or []:  # later mentions of the same happening
            add(m["trigger"]["start"], m["trigger"]["end"], "trigger", e["id"])
        for p in e["actors"]:
            add(p["start"], p["end"], "actor", e["id"])
        for p in e["recipients"]:
            add(p["start"], p["end"], "recipient", e["id"])
    for x in rec["times"]:
        facts[x["id"]] = {"kind": "time", "title": f"Time: {x['text']}",
                          "fields": {"type": x["type"], "value": x.get("value"),
                                     "granularity": x.get("granularity"),
                                     "confidence": x.get("confidence")}}
        add(x["start"], x["end"], "time", x["id"])
    for p in rec["places"]:
        pl = p["place"]
        facts[p["id"]] = {"kind": "place", "title": f"Place: {pl['name']}",
                          "fields": {"level": pl["level"], "country": pl.get("country"),
                                     "lat": pl.get("lat"), "lon": pl.get("lon"),
                                     "confidence": p.get("confidence")}}
        add(p["start"], p["end"], "place", p["id"])
    cuts = sorted({0, len(text)} | {s for s, _, _, _ in spans} | {e for _, e, _, _ in spans})
    pieces = []
    order = {"trigger": 0, "cue": 1, "speaker": 2, "time": 3, "place": 4, "actor": 5,
             "recipient": 6, "ent": 7, "quote": 8}
    for a, b in zip(cuts, cuts[1:], strict=False):
        cover = sorted({(k, r) for s, e, k, r in spans if s <= a and b <= e},
                       key=lambda kr: order[kr[0]])
        kinds = sorted({k for k, _ in cover})
        refs = list(dict.fromkeys(r for _, r in cover))
        tip = "; ".join(_tip(facts.get(r)) for r in refs[:3])
        pieces.append({"text": text[a:b], "kinds": kinds, "refs": refs, "tip": tip})
    return pieces, facts


def _tip(fact: dict[str, Any] | None) -> str:
    if not fact:
        return ""
    conf = fact["fields"].get("confidence")
    return fact["title"] + (f" (confidence {conf:.2f})" if isinstance(conf, int | float) else "")


@router.get("/actors", dependencies=protected)
def actors_page(request: Request) -> HTMLResponse:
    page, view, qs = list_page(request, "actors")
    return _render(request, "actors.html", actors=page.items, total=page.total, qs=qs,
                   view=view)


ACTOR_PAGE_ROWS = 50


@router.get("/actors/{actor_id}", dependencies=protected)
def actor_page(request: Request, actor_id: str) -> Response:
    # The latest 50 of each on the page (a very busy actor has tens of thousands); the
    # headings link to the full lists.
    profile = _svc(request).actor_profile(actor_id, limit=ACTOR_PAGE_ROWS)
    if profile is None:
        raise HTTPException(404, f"No actor with id {actor_id}.")
    if profile["actor"]["id"] != actor_id:  # merged: the page lives at the surviving actor
        return RedirectResponse(f"/actors/{profile['actor']['id']}", status_code=307)
    return _render(request, "actor.html", p=profile, a=profile["actor"],
                   names=dict(profile["names"]))


@router.get("/events", dependencies=protected)
def timeline_page(request: Request) -> HTMLResponse:
    page, view, qs = list_page(request, "events")
    svc = _svc(request)
    events = page.items
    days: dict[str, list[dict[str, Any]]] = {}
    # The page's rows in the list's order (its date, then id), grouped by calendar day.
    for e in sorted(events, key=lambda e: (e["day"] or "9999", e["id"])):
        days.setdefault(e["day"] or "undated", []).append(e)
    names = svc.actor_names(_participant_ids(events))
    unit = page_unit(qs)
    chart = _stacked(svc.events_per_day_by_type(list_filters("events", qs), unit=unit))
    brushless = {k: v for k, v in qs.items() if k in LISTS["events"]["params"]
                 and k not in ("since", "until")}
    return _render(request, "timeline.html", days=days, n=page.total, names=names, qs=qs,
                   view=view, chart=chart, unbrushed=_url("/events", brushless), unit=unit,
                   units=_unit_links("/events", qs))


def _stacked(per_day: dict[str, dict[str, int]]) -> dict[str, Any]:
    """Events per day stacked by type, as SVG coordinates: one 10-unit column per day,
    100 units for the busiest day."""
    days = sorted(d for d in per_day if d != "undated")
    totals = {t: sum(per_day[d].get(t, 0) for d in days) for t in PLOVER_TYPES}
    types = [t for t in sorted(totals, key=lambda t: -totals[t]) if totals[t]]
    top = max([sum(per_day[d].values()) for d in days] or [1]) or 1
    cols = []
    for i, d in enumerate(days):
        y, segs = 100.0, []
        for t in types:
            n = per_day[d].get(t, 0)
            if n:
                h = 100 * n / top
                y -= h
                segs.append({"type": t, "n": n, "y": round(y, 2), "h": round(h, 2)})
        cols.append({"x": i * 10, "date": d, "total": sum(per_day[d].values()), "segs": segs})
    return {"cols": cols, "width": max(len(days), 1) * 10, "top": top, "types": types,
            "totals": totals, "first": days[0] if days else "", "last": days[-1] if days else "",
            "undated": sum(per_day.get("undated", {}).values())}


@router.get("/incidents", dependencies=protected)
def incidents_page(request: Request) -> HTMLResponse:
    page, view, qs = list_page(request, "incidents")
    return _render(request, "incidents.html", incidents=page.items, total=page.total, qs=qs,
                   view=view)


@router.get("/incidents/{incident_id}", dependencies=protected)
def incident_page(request: Request, incident_id: str) -> HTMLResponse:
    svc = _svc(request)
    inc = svc.incident_view(incident_id)
    if inc is None:
        raise HTTPException(404, f"No incident with id {incident_id}.")
    names = svc.actor_names({p.get("entity") for r in inc["reports_shown"]
                             for e in r["events"] for p in e["actors"] + e["recipients"]})
    return _render(request, "incident.html", inc=inc, names=names)


def mark_trigger(sentence: Any, trigger: Any) -> Markup:
    """The evidence sentence, escaped, with its trigger words marked."""
    text = "" if sentence is None else str(sentence).strip()
    word = (trigger or {}).get("text") if isinstance(trigger, dict) else None
    at = text.find(word) if word else -1
    if at < 0:
        return Markup(escape(text))
    return (Markup(escape(text[:at])) + Markup('<mark class="trigger">') + escape(word)
            + Markup("</mark>") + escape(text[at + len(word):]))


templates.env.filters["mark_trigger"] = mark_trigger


@router.get("/quotes", dependencies=protected)
def quotes_page(request: Request) -> HTMLResponse:
    page, view, qs = list_page(request, "quotes")
    return _render(request, "quotes.html", quotes=page.items, total=page.total, qs=qs,
                   view=view)


@router.get("/network", dependencies=protected)
def network_page(request: Request) -> HTMLResponse:
    _, qs = _filters(request)
    types = request.query_params.getlist("type")
    # The exports carry the filters that they take (dates, source, rejected, types).
    common = [(k, qs[k]) for k in ("since", "until", "source", "include_rejected", "unit")
              if k in qs]
    exported = common + [("type", t) for t in types]
    listed = exported + [(k, qs[k]) for k in ("kind", "actor") if k in qs]
    exports = {"gexf": "/api/export/gexf" + ("?" + urlencode(exported) if exported else ""),
               "graphml": "/api/export/graphml" + ("?" + urlencode(exported) if exported else ""),
               "json": "/api/network" + ("?" + urlencode(listed) if listed else "")}
    return _render(request, "network.html", qs=qs, types=types, exports=exports,
                   top=_size({"limit": qs.get("top", "")}, 60), unit=page_unit(qs))


@router.get("/map", dependencies=protected)
def map_page(request: Request) -> HTMLResponse:
    f, qs = _filters(request)
    svc = _svc(request)
    total = svc.events(f, limit=0).total
    f.located = True
    located = svc.events(f, limit=0).total
    return _render(request, "map.html", qs=qs, located=located, total=total)


QUEUE_SIZE = 60


@router.get("/reviews/queue", dependencies=protected)
def queue_page(request: Request) -> HTMLResponse:
    svc = _svc(request)
    qs = {k: v.strip() for k, v in request.query_params.items() if v.strip()}
    size = _size(qs, QUEUE_SIZE)
    keep = {"limit": str(size)} if "limit" in qs else {}
    try:
        page = svc.review_queue(size, qs.get("cursor"))
    except ValueError:  # a stale cursor: the first page
        qs.pop("cursor", None)
        page = svc.review_queue(size)
    names = svc.actor_names(_participant_ids([i for i in page.items if i["fact"] == "event"]))
    view = {**pager("/reviews/queue", page, qs, size, keep), "chips": [], "facets": [],
            "csv": "/api/reviews/queue?format=csv", "json": "/api/reviews/queue",
            "reset": "/reviews/queue"}
    return _render(request, "queue.html", items=page.items, total=page.total, names=names,
                   view=view)


@router.get("/watchlists", dependencies=protected)
def watchlists_page(request: Request) -> HTMLResponse:
    svc = _svc(request)
    qs = {k: v.strip() for k, v in request.query_params.items() if v.strip()}
    rows = svc.watchlists()
    for w in rows:
        found = svc.watchlist_events(w["name"], 0)
        w["events"] = found.total if found else 0
        w["link"] = _url("/events", {k: w[k] for k in ("actor", "type", "place", "q") if w[k]})
    return _render(request, "watchlists.html", watchlists=rows, qs=qs)


@router.get("/reviews", dependencies=protected)
def reviews_page(request: Request) -> HTMLResponse:
    page, view, qs = list_page(request, "reviews")
    return _render(request, "reviews.html", reviews=page.items, view=view, qs=qs)


@public.get("/login")
def login_page(request: Request) -> HTMLResponse:
    return _render(request, "login.html", failed=False)


@public.post("/login")
def login(request: Request, token: str = Form(...)) -> Response:
    if _svc(request).verify_token(token) is None:
        resp = _render(request, "login.html", failed=True)
        resp.status_code = 401
        return resp
    resp = RedirectResponse("/", status_code=303)
    # The cookie holds the token's hash, opens the read pages only, and never leaves
    # this site (writes need the token itself, in the Authorization header).
    resp.set_cookie(COOKIE, session_cookie_value(token), httponly=True, samesite="strict",
                    secure=request.url.scheme == "https")
    return resp


router.include_router(public)
