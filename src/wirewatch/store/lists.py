"""The list queries: filters, one definition of what counts, totals, facets and keyset pages,
all in SQL, the same on SQLite and PostgreSQL.

What counts (the default of every list, count and export): facts not rejected by a
reviewer, not from a republished near-copy of a story, events only in a counted modality,
and merged actors as the actor they were merged into. Reviews are already folded into the
fact rows' columns (``store.facts``), so a filter here sees what the analyst sees.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal
from weakref import WeakKeyDictionary

from sqlalchemy import (
    String,
    and_,
    case,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    tuple_,
    union_all,
)

from wirewatch.model import COUNTED_MODALITIES
from wirewatch.store import reviews, rollups, search
from wirewatch.store import schema as t
from wirewatch.store.facts import effective

if TYPE_CHECKING:
    from wirewatch.store.repository import Store

FACETS = {
    "events": ("type", "modality", "source", "country", "actor", "recipient"),
    "quotes": ("kind", "source", "speaker"),
    "actors": ("type", "kind", "country"),
    "relations": ("type",),
    "articles": ("source",),
    "queue": ("fact", "type"),
    "reviews": ("target_type", "action", "reviewer"),
}
FACET_SIZE = 30
COUNT_CAP = 10_000  # full-text matches counted exactly up to here
Unit = Literal["incidents", "events"]
UNITS: tuple[Unit, ...] = ("incidents", "events")


@dataclass
class Filters:
    actor: str | None = None
    since: str | None = None
    until: str | None = None
    type: str | None = None
    source: str | None = None
    modality: str | None = None
    recipient: str | None = None
    speaker: str | None = None
    about: str | None = None
    article: str | None = None
    place: str | None = None
    country: str | None = None
    kind: str | None = None
    q: str | None = None  # full-text search
    located: bool = False  # events with coordinates only
    include_unasserted: bool = False
    include_copies: bool = False  # facts of republished near-copies
    include_rejected: bool = False  # facts a reviewer rejected
    limit: int | None = None
    # What an event list or count counts: every event, or one event per incident (its
    # first-reported member among the events the other filters select).
    unit: Unit = "events"
    ids: Sequence[str] | None = None  # these facts only (a page of the review queue, a feed)
    # the review log
    target_type: str | None = None
    action: str | None = None
    reviewer: str | None = None


@dataclass
class Page:
    """One page of a list: its rows, how many rows match in all, the cursors of the next
    and the previous page, and per-field counts over every matching row."""

    items: list[dict[str, Any]]
    total: int
    next: str | None = None
    facets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    prev: str | None = None
    # The total is a lower bound: a full-text query matched more than COUNT_CAP rows and
    # counting them all would read every match (the API says "estimated": true).
    estimated: bool = False


class BadCursor(ValueError):
    """A cursor that was not handed out by a list of the same kind."""


def encode_cursor(key: Sequence[Any]) -> str:
    raw = json.dumps(list(key), separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


# The last element of a cursor that pages backwards (the rows before the key).
BEFORE = "<"


def decode_page_cursor(cursor: str, size: int) -> tuple[list[Any], bool]:
    """(key, backwards) of a list cursor: a ``next`` cursor is the last key shown, a
    ``prev`` cursor the first key shown followed by ``BEFORE``."""
    try:
        return decode_cursor(cursor, size), False
    except BadCursor:
        key = decode_cursor(cursor, size + 1)
        if key[-1] != BEFORE:
            raise BadCursor("invalid cursor for this list") from None
        return key[:-1], True


def decode_cursor(cursor: str, size: int) -> list[Any]:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise BadCursor("invalid cursor: pass back the 'next' value unchanged") from None
    if not isinstance(key, list) or len(key) != size:
        raise BadCursor("invalid cursor for this list")
    return key


def _escape(value: str) -> str:
    """The value with LIKE's wildcards (and the escape character) taken literally."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like(value: str) -> str:
    """A LIKE pattern for 'contains value', with % and _ in the value taken literally."""
    return f"%{_escape(value)}%"


def _contains(column: Any, value: str) -> Any:
    return column.ilike(like(value), escape="\\")


def _window(column: Any, f: Filters) -> list[Any]:
    out = []
    if f.since:
        out.append(column >= f.since)
    if f.until:
        # An ISO datetime on the last day still counts as "until" that day.
        out.append(column <= f.until + "\uffff")
    return out


def _prefix(column: Any, value: str) -> Any:
    return column.like(_escape(value) + "%", escape="\\")


# The actors a filter names, per connection: a list resolves its actor filter for its rows
# and again for its total, and each resolution reads every actor's name (2 ms on
# PostgreSQL at 5,000 actors, 7 times behind an actor's page). Lists only read in their
# connection; the next connection reads the actors again.
_NAMED: WeakKeyDictionary[Any, dict[str, list[str]]] = WeakKeyDictionary()


def actor_ids(conn: Any, who: str, amap: dict[str, str]) -> list[str]:
    """The ids of the actors ``who`` names (an id, or a part of their name), with the
    actors merged into them."""
    named = _NAMED.setdefault(conn, {})
    if who not in named:
        ac = t.actors
        named[who] = [r[0] for r in conn.execute(select(ac.c.id).where(
            or_(ac.c.id == who, _contains(ac.c.name, who))))]
    return reviews.expand_actor_ids(amap, named[who])


# -- the WHERE of each list ---------------------------------------------------------------


def counts_by_default(f: Filters) -> bool:
    """The filters ask for what counts, which the ``counted`` flag of a fact row holds."""
    return not (f.modality or f.include_unasserted or f.include_copies or f.include_rejected)


# The fields that narrow a list; with none of them set, the list is what ``store.rollups``
# counts and its totals, facets and counts per day are read from there.
NARROWING = ("actor", "since", "until", "type", "source", "modality", "recipient", "speaker",
             "about", "article", "place", "country", "kind", "q", "located",
             "include_unasserted", "include_copies", "include_rejected", "ids")


def narrowed_by(f: Filters) -> set[str]:
    """The narrowing fields ``f`` sets."""
    return {name for name in NARROWING if getattr(f, name) not in (None, False)}


def _by_id(who: str, ids: list[str]) -> bool:
    """The filter names an actor by its id: it matches that actor's rows, not texts that
    happen to contain the id (which would read every participant's text)."""
    return who in ids


BUSY_SHARE = 0.02  # an actor in more than this share of the counted events is "busy"


def _busy(conn: Any, role: str, actor: str) -> bool:
    return rollups.total(conn, "event", f"{role}_events", actor) > BUSY_SHARE * rollups.total(
        conn, "event")


def event_where(conn: Any, f: Filters, amap: dict[str, str]) -> list[Any]:
    ev, ar, pt = t.events, t.articles, t.event_participants
    where: list[Any] = _window(ev.c.date, f)
    if f.unit == "incidents" and not narrowed_by(f):
        # Each incident's first report among every counted event, kept at write time.
        return [*where, ev.c.first_report == 1]
    if counts_by_default(f):
        where.append(ev.c.counted == 1)
    else:
        if f.modality:
            where.append(ev.c.modality == f.modality.lower())
        elif not f.include_unasserted:
            where.append(ev.c.modality.in_(COUNTED_MODALITIES))
        if not f.include_copies:
            where.append(ar.c.duplicate_of.is_(None))
        if not f.include_rejected:
            where.append(ev.c.rejected == 0)
    if f.type:
        where.append(ev.c.type == f.type.upper())
    if f.source:
        where.append(_contains(ar.c.source, f.source))
    if f.country:
        where.append(ev.c.country == f.country.upper())
    if f.place:
        where.append(or_(_contains(ev.c.place_name, f.place),
                         func.upper(ev.c.country) == f.place.upper()))
    # An alias: the actor facet selects from event_participants itself, and a filter on the
    # same table would correlate to the facet's rows and lose its own FROM.
    pf = pt.alias("pf")
    for who, role in ((f.actor, "actor"), (f.recipient, "recipient")):
        if who:
            ids = actor_ids(conn, who, amap)
            if ids == [who] and _busy(conn, role, who):
                # An actor in a large share of the events: walking the events in list
                # order and looking each one's participants up finds a page after a few
                # hundred rows, where collecting all of the actor's events first reads
                # them all (the kept counts say which case this is).
                where.append(exists().where(pf.c.event_id == ev.c.id, pf.c.role == role,
                                            pf.c.actor_id == who))
                continue
            named = pf.c.actor_id.in_(ids) if _by_id(who, ids) else or_(
                pf.c.actor_id.in_(ids), _contains(pf.c.text, who))
            sub = select(pf.c.event_id).where(pf.c.role == role).where(named)
            where.append(ev.c.id.in_(sub))
    if f.article:
        where.append(_prefix(ev.c.article_id, f.article))
    if f.q:
        where.append(_contains(ev.c.sentence, f.q))
    if f.located:
        where.append(ev.c.lat.is_not(None))
    if f.ids is not None:
        where.append(ev.c.id.in_(list(f.ids)))
    if f.unit == "incidents":
        where.append(one_per_incident(list(where)))
    return where


def one_per_incident(where: list[Any]) -> Any:
    """A clause: the event is its incident's first report among the events ``where``
    selects (first published, then article id, then event id: the order the incident's
    ``first_reported`` is chosen by). An event outside every incident (not counted, so never
    grouped) stands for itself. With the other clauses it counts each incident once."""
    from wirewatch.store.incidents import incident_events as ie

    ev, ar = t.events, t.articles
    rank = func.row_number().over(
        partition_by=func.coalesce(ie.c.incident_id, ev.c.id),
        order_by=(func.coalesce(ar.c.published, ""), ev.c.article_id, ev.c.id)).label("rank")
    ranked = (select(ev.c.id.label("id"), rank)
              .select_from(ev.join(ar, ar.c.id == ev.c.article_id)
                           .outerjoin(ie, ie.c.event_id == ev.c.id))
              .where(*where).correlate(None).subquery("per_incident"))
    return ev.c.id.in_(select(ranked.c.id).where(ranked.c.rank == 1))


def quote_where(conn: Any, f: Filters, amap: dict[str, str],
                text_match: search.TextMatch | None = None) -> list[Any]:
    qt, ar = t.quotes, t.articles
    where: list[Any] = _window(qt.c.published, f)
    if not f.include_copies and not f.include_rejected:
        where.append(qt.c.counted == 1)
    else:
        if not f.include_copies:
            where.append(ar.c.duplicate_of.is_(None))
        if not f.include_rejected:
            where.append(qt.c.rejected == 0)
    who = f.speaker or f.actor
    if who:
        ids = actor_ids(conn, who, amap)
        if ids == [who] and rollups.total(conn, "quote", "speaker", who) > BUSY_SHARE * \
                rollups.total(conn, "quote"):
            # A busy speaker: compared as an expression, so SQLite walks the quotes in
            # list order (a page within a few hundred rows) instead of sorting all of the
            # speaker's quotes read from the speaker index.
            where.append(func.coalesce(qt.c.speaker_id, "") == who)
        else:
            where.append(qt.c.speaker_id.in_(ids) if _by_id(who, ids) else or_(
                qt.c.speaker_id.in_(ids), _contains(qt.c.speaker_text, who)))
    if f.about:
        where.append(_contains(qt.c.content, f.about))
    if f.source:
        where.append(_contains(ar.c.source, f.source))
    if f.type or f.kind:
        where.append(qt.c.kind == (f.type or f.kind or "").lower())
    if f.article:
        where.append(_prefix(qt.c.article_id, f.article))
    if f.q:
        where.append((text_match or search.match(conn, "quotes", f.q)).clause)
    if f.ids is not None:
        where.append(qt.c.id.in_(list(f.ids)))
    return where


def actor_where(conn: Any, f: Filters) -> list[Any]:
    ac = t.actors
    where: list[Any] = [ac.c.kind.is_distinct_from("place"),
                        ac.c.kind.is_distinct_from("nationality"),
                        ac.c.type.not_in(["LOC", "FAC", "NORP"])]
    if f.actor:
        where.append(or_(_contains(ac.c.name, f.actor), ac.c.id == f.actor))
    if f.type:
        where.append(ac.c.type == f.type.upper())
    if f.kind:
        where.append(ac.c.kind == f.kind)
    if f.country:
        where.append(ac.c.country == f.country.upper())
    if f.since or f.until or f.source:
        m, ar = t.mentions, t.articles
        sub = select(m.c.actor_id).join(ar, ar.c.id == m.c.article_id).where(
            *_window(ar.c.published, f))
        if f.source:
            sub = sub.where(_contains(ar.c.source, f.source))
        where.append(ac.c.id.in_(sub))
    if not f.include_rejected:
        hidden = reviews.hidden_actor_ids(conn)
        if hidden:
            where.append(ac.c.id.not_in(hidden))
    return where


def relation_where(conn: Any, f: Filters, amap: dict[str, str]) -> list[Any]:
    r, ar = t.relations, t.articles
    where: list[Any] = _window(r.c.observed_at, f)
    if not f.include_copies:
        where.append(ar.c.duplicate_of.is_(None))
    if not f.include_rejected:
        where.append(r.c.rejected == 0)
    if f.actor:
        ids = actor_ids(conn, f.actor, amap)
        where.append(or_(r.c.subject_id.in_(ids), r.c.object_id.in_(ids)))
    if f.type:
        where.append(r.c.type == f.type)
    if f.article:
        where.append(_prefix(r.c.article_id, f.article))
    return where


def article_where(conn: Any, f: Filters,
                  text_match: search.TextMatch | None = None) -> list[Any]:
    a = t.articles
    where: list[Any] = _window(a.c.published, f)
    if f.source:
        where.append(_contains(a.c.source, f.source))
    if f.q:
        where.append((text_match or search.match(conn, "articles", f.q)).clause)
    if f.article:
        where.append(_prefix(a.c.id, f.article))
    return where


# -- the lists ----------------------------------------------------------------------------


def _blank(column: Any) -> Any:
    # The empty string written out, not bound: only then can SQLite read the order from
    # an index on the same expression (ix_articles_blank_published_id).
    return func.coalesce(column, literal_column("''"))


def _keyset(order: list[tuple[Any, bool]], key: list[Any] | None) -> Any:
    """WHERE (a, b, ...) comes after the key, for a mix of ascending and descending keys."""
    if key is None:
        return None
    if len({desc for _, desc in order}) == 1 and None not in key:
        # One direction: a row-value comparison, which both databases read as one index
        # range (the OR of the general form made PostgreSQL scan from the start).
        cols = tuple_(*[c for c, _ in order])
        return cols < tuple_(*key) if order[0][1] else cols > tuple_(*key)
    clauses = []
    for i, (col, desc) in enumerate(order):
        eq = [order[j][0] == key[j] for j in range(i)]
        clauses.append(and_(*eq, col < key[i] if desc else col > key[i]))
    return or_(*clauses)


@dataclass
class Rollup:
    """Where a list's total (and, with no narrowing filter, its facets) are kept."""

    kind: str  # event | incident | quote | article (``rollups.fact_counts.kind``)
    total: tuple[str, str, str | None]  # (kind, dim, value) of the total
    facets: bool = True


def _single(f: Filters, field_names: dict[str, str]) -> tuple[str, str] | None:
    """(dim, value) when the only narrowing filter is one of ``field_names`` (filter ->
    counted dim), else None."""
    set_ = narrowed_by(f)
    if len(set_) != 1:
        return None
    (name,) = set_
    return (field_names[name], getattr(f, name)) if name in field_names else None


def event_counts(conn: Any, f: Filters, amap: dict[str, str]) -> Rollup | None:
    """Where the total of this event list is kept, if it is (no narrowing filter; or one
    type, country or actor with events counted one by one)."""
    kind = "incident" if f.unit == "incidents" else "event"
    if not narrowed_by(f):
        return Rollup(kind, (kind, "total", ""))
    one = _single(f, {"type": "type", "country": "country", "actor": "actor_events",
                      "recipient": "recipient_events"}) if kind == "event" else None
    if one is None:
        return None
    dim, value = one
    if dim in ("type", "country"):
        return Rollup(kind, (kind, dim, value.upper()), facets=False)
    if actor_ids(conn, value, amap) != [value]:  # a name, or an actor others merged into
        return None
    return Rollup(kind, (kind, dim, value), facets=False)


def quote_counts(conn: Any, f: Filters, amap: dict[str, str]) -> Rollup | None:
    if not narrowed_by(f):
        return Rollup("quote", ("quote", "total", ""))
    one = _single(f, {"speaker": "speaker", "actor": "speaker"})
    if one is None or actor_ids(conn, one[1], amap) != [one[1]]:
        return None
    return Rollup("quote", ("quote", "speaker", one[1]), facets=False)


def _page(conn: Any, base: Any, where: list[Any], order: list[tuple[Any, bool]],
          limit: int | None, cursor: str | None, facet_queries: dict[str, Any],
          facets: Sequence[str], newest: bool = False, count_from: Any = None,
          counts: Rollup | None = None, cap: int | None = None,
          counter: Callable[[Any], int] | None = None
          ) -> tuple[list[dict[str, Any]], int, str | None, dict[str, list[dict[str, Any]]],
                     str | None]:
    """One keyset page: rows, total, next cursor, facets, previous cursor (the total and
    facets from the counts kept at write time when ``counts`` says where they are)."""
    if newest:  # the same keys, the other way round (latest first)
        order = [(c, not d) for c, d in order]
    q = base.where(*where)
    if counts is not None:
        total = rollups.total(conn, *counts.total)
    elif counter is not None:
        total = counter(conn)
    elif cap is not None:  # at most cap + 1 rows read: more means "at least cap"
        rows_of = (select(literal(1)).select_from(count_from).where(*where)
                   if count_from is not None
                   else q.with_only_columns(literal(1), maintain_column_froms=True))
        total = conn.execute(select(func.count()).select_from(
            rows_of.limit(cap + 1).subquery())).scalar_one()
    elif count_from is not None:  # the fact table alone, when no filter needs the join
        total = conn.execute(select(func.count()).select_from(count_from).where(
            *where)).scalar_one()
    else:
        total = conn.execute(select(func.count()).select_from(
            q.with_only_columns(literal(1), maintain_column_froms=True).subquery())
        ).scalar_one()
    key, backwards = decode_page_cursor(cursor, len(order)) if cursor else (None, False)
    # A previous page is the rows before the key, read the other way round and turned back.
    walk = [(c, not d) for c, d in order] if backwards else order
    after = _keyset(walk, key)
    if after is not None:
        q = q.where(after)
    q = q.order_by(*[c.desc() if d else c.asc() for c, d in walk])
    if limit is not None:
        q = q.limit(limit + 1)
    rows = [dict(r) for r in conn.execute(q).mappings()] if limit != 0 else []
    more = limit is not None and len(rows) > limit
    rows = rows[:limit] if more else rows
    if backwards:
        rows.reverse()

    def key_of(row: dict[str, Any]) -> list[Any]:
        return [row[f"_k{i}"] for i in range(len(order))]

    # Forwards, more rows mean a next page, and a cursor means rows before this page;
    # backwards, the other way round (the page we came from is after this one).
    has_next, has_prev = (cursor is not None, more) if backwards else (more, cursor is not None)
    nxt = encode_cursor(key_of(rows[-1])) if rows and has_next else None
    prv = encode_cursor([*key_of(rows[0]), BEFORE]) if rows and has_prev else None
    for r in rows:
        for i in range(len(order)):
            r.pop(f"_k{i}", None)
    out_facets = {}
    for name in facets:
        fq = facet_queries.get(name)
        if fq is None:
            raise ValueError(f"no facet {name!r} here; facets: {', '.join(facet_queries)}")
        if counts is not None and counts.facets:
            out_facets[name] = rollups.top(conn, counts.kind, name, FACET_SIZE)
        else:
            out_facets[name] = facet(conn, fq, where)
    return rows, total, nxt, out_facets, prv


def _reads_articles(where: list[Any]) -> bool:
    """Whether a clause reads the articles table (else a count needs no join)."""
    from sqlalchemy.sql.visitors import iterate

    return any(getattr(node, "table", None) is t.articles
               for w in where for node in iterate(w))


def facet(conn: Any, spec: tuple[Any, Any], where: list[Any]) -> list[dict[str, Any]]:
    """Counts of one field over every matching row, most frequent first."""
    value, base = spec
    n = func.count().label("count")
    q = base.add_columns(value.label("value"), n).where(*where).group_by(value)
    q = q.order_by(n.desc(), value).limit(FACET_SIZE)
    return [{"value": r.value, "count": r.count} for r in conn.execute(q)]


def events(store: Store, f: Filters, limit: int | None = None, cursor: str | None = None,
           facets: Sequence[str] = (), newest: bool = False) -> Page:
    from wirewatch.store.incidents import incident_events as ie

    ev, ar, pt = t.events, t.articles, t.event_participants
    with store.reader() as conn:
        amap = reviews.actor_map(conn)
        where = event_where(conn, f, amap)
        order = [(ev.c.date, False), (ev.c.id, False)]
        base = select(ev.c.id, ev.c.article_id, ev.c.date, ev.c.type, ev.c.modality,
                      ev.c.cameo, ev.c.place_name, ev.c.country, ev.c.geo_level,
                      ev.c.confidence, ev.c.sentence, ev.c.published, ev.c.data,
                      ar.c.source, ar.c.url, ar.c.duplicate_of, ie.c.incident_id,
                      *[c.label(f"_k{i}") for i, (c, _) in enumerate(order)]).join(
            ar, ar.c.id == ev.c.article_id).outerjoin(ie, ie.c.event_id == ev.c.id)
        # Facets read the events alone unless a filter or the field needs the articles.
        need_ar = _reads_articles(where)
        with_ar = ev.join(ar, ar.c.id == ev.c.article_id)
        joined = select().select_from(with_ar if need_ar else ev)
        parts = select().select_from((with_ar if need_ar else ev).join(
            pt, pt.c.event_id == ev.c.id))
        fq = {"type": (ev.c.type, joined), "modality": (ev.c.modality, joined),
              "source": (ar.c.source, select().select_from(with_ar)),
              "country": (ev.c.country, joined),
              "actor": (pt.c.actor_id, parts.where(pt.c.role == "actor")),
              "recipient": (pt.c.actor_id, parts.where(pt.c.role == "recipient"))}
        count_from = None if _reads_articles(where) else ev
        rows, total, nxt, fac, prv = _page(conn, base, where, order, limit, cursor, fq,
                                           facets, newest, count_from,
                                           event_counts(conn, f, amap))
        _effective(conn, "event", rows, amap)
    return Page(rows, total, nxt, fac, prv)


def quotes(store: Store, f: Filters, limit: int | None = None, cursor: str | None = None,
           facets: Sequence[str] = (), newest: bool = False) -> Page:
    qt, ar = t.quotes, t.articles
    with store.reader() as conn:
        amap = reviews.actor_map(conn)
        text_match = search.match(conn, "quotes", f.q) if f.q else None
        where = quote_where(conn, f, amap, text_match)
        order = [(qt.c.published, False), (qt.c.id, False)]
        base = select(qt.c.id, qt.c.article_id, qt.c.published, qt.c.speaker_id,
                      qt.c.speaker_text, qt.c.speaker_role, qt.c.kind, qt.c.cue,
                      qt.c.addressee, qt.c.content, qt.c.confidence, qt.c.sentence, qt.c.data,
                      ar.c.source, ar.c.url,
                      *[c.label(f"_k{i}") for i, (c, _) in enumerate(order)]).join(
            ar, ar.c.id == qt.c.article_id)
        with_ar = qt.join(ar, ar.c.id == qt.c.article_id)
        joined = select().select_from(with_ar if _reads_articles(where) else qt)
        fq = {"kind": (qt.c.kind, joined), "source": (ar.c.source, select().select_from(with_ar)),
              "speaker": (qt.c.speaker_id, joined)}
        count_from = None if _reads_articles(where) else qt
        cap = COUNT_CAP if f.q else None
        # Every quote has its article (a foreign key): the count joins it only when a
        # clause reads it.
        counter = text_match and text_match.counter(
            "JOIN articles ON articles.id = quotes.article_id" if count_from is None else "",
            where, COUNT_CAP)
        rows, total, nxt, fac, prv = _page(conn, base, where, order, limit, cursor, fq,
                                           facets, newest, count_from,
                                           quote_counts(conn, f, amap), cap, counter)
        _effective(conn, "quote", rows, amap)
        for r in rows:
            r.pop("data", None)
    return _capped(Page(rows, total, nxt, fac, prv), cap)


def _capped(page: Page, cap: int | None) -> Page:
    """A page whose count stopped at ``cap``: its total is "at least cap", estimated."""
    if cap is not None and page.total > cap:
        page.total, page.estimated = cap, True
    return page


def relations(store: Store, f: Filters, limit: int | None = None, cursor: str | None = None,
              facets: Sequence[str] = ()) -> Page:
    r, ar = t.relations, t.articles
    with store.reader() as conn:
        amap = reviews.actor_map(conn)
        where = relation_where(conn, f, amap)
        order = [(r.c.observed_at, False), (r.c.id, False)]
        base = select(r.c.id, r.c.article_id, r.c.type, r.c.subject_id, r.c.object_id,
                      r.c.object_text, r.c.role, r.c.observed_at, r.c.sentence, r.c.start,
                      r.c.end, r.c.confidence, r.c.data,
                      *[c.label(f"_k{i}") for i, (c, _) in enumerate(order)]).join(
            ar, ar.c.id == r.c.article_id)
        joined = select().select_from(r.join(ar, ar.c.id == r.c.article_id))
        rows, total, nxt, fac, prv = _page(conn, base, where, order, limit, cursor,
                                           {"type": (r.c.type, joined)}, facets)
        _effective(conn, "relation", rows, amap)
        for row in rows:
            row["subject_text"] = row["data"].get("subject_text")
    return Page(rows, total, nxt, fac, prv)


def actors(store: Store, f: Filters, limit: int | None = None, cursor: str | None = None,
           facets: Sequence[str] = ()) -> Page:
    ac = t.actors
    with store.reader() as conn:
        where = actor_where(conn, f)
        order = [(func.coalesce(ac.c.mention_count, 0), True), (ac.c.id, False)]
        base = select(ac, *[c.label(f"_k{i}") for i, (c, _) in enumerate(order)])
        plain = select().select_from(ac)
        fq = {"type": (ac.c.type, plain), "kind": (ac.c.kind, plain),
              "country": (ac.c.country, plain)}
        rows, total, nxt, fac, prv = _page(conn, base, where, order, limit, cursor, fq, facets)
        apply_actor_reviews(conn, rows)
    return Page(rows, total, nxt, fac, prv)


def articles(store: Store, f: Filters, limit: int | None = None, cursor: str | None = None,
             facets: Sequence[str] = ()) -> Page:
    a = t.articles
    with store.reader() as conn:
        text_match = search.match(conn, "articles", f.q) if f.q else None
        where = article_where(conn, f, text_match)
        order = [(_blank(a.c.published), False), (a.c.id, False)]
        base = select(a.c.id, a.c.published, a.c.source, a.c.title, a.c.url, a.c.duplicate_of,
                      a.c.origin, *[c.label(f"_k{i}") for i, (c, _) in enumerate(order)])
        counts = Rollup("article", ("article", "total", "")) if not narrowed_by(f) else None
        cap = COUNT_CAP if f.q else None
        rows, total, nxt, fac, prv = _page(
            conn, base, where, order, limit, cursor,
            {"source": (a.c.source, select().select_from(a))}, facets, counts=counts, cap=cap,
            counter=text_match and text_match.counter("", where, COUNT_CAP))
    return _capped(Page(rows, total, nxt, fac, prv), cap)


def failures(store: Store, limit: int | None = None, cursor: str | None = None) -> Page:
    fl = t.ingest_failures
    with store.reader() as conn:
        order = [(fl.c.origin, False), (fl.c.id, False)]
        base = select(fl, *[c.label(f"_k{i}") for i, (c, _) in enumerate(order)])
        rows, total, nxt, _, prv = _page(conn, base, [], order, limit, cursor, {}, ())
    return Page(rows, total, nxt, prev=prv)


def places(store: Store, f: Filters, limit: int | None = None,
           cursor: str | None = None) -> Page:
    """Resolved places with their mention, article and counted-event counts."""
    p, ev, ar = t.places, t.events, t.articles
    with store.reader() as conn:
        amap = reviews.actor_map(conn)
        counted = select(ev.c.place_name.label("name"), func.count().label("events")).join(
            ar, ar.c.id == ev.c.article_id).where(
            *event_where(conn, f, amap)).group_by(ev.c.place_name).subquery()
        grouped = select(
            p.c.place_id.label("id"), p.c.name, p.c.level, p.c.country, p.c.lat, p.c.lon,
            func.count().label("mentions"),
            func.count(func.distinct(p.c.article_id)).label("articles"),
        ).group_by(p.c.place_id, p.c.name, p.c.level, p.c.country, p.c.lat, p.c.lon).subquery()
        order = [(grouped.c.mentions, True), (_blank(grouped.c.id), False)]
        base = select(grouped, func.coalesce(counted.c.events, 0).label("events"),
                      *[c.label(f"_k{i}") for i, (c, _) in enumerate(order)]).outerjoin(
            counted, counted.c.name == grouped.c.name)
        # The total counts the places alone (the events per place only decorate rows).
        rows, total, nxt, _, prv = _page(conn, base, [], order, limit, cursor, {}, (),
                                         count_from=grouped)
    return Page(rows, total, nxt, prev=prv)


def event_day_column() -> Any:
    """``model.event_day`` in SQL: the event's own date when it is a day, else its
    article's."""
    ev = t.events
    return case((ev.c.date.like("____-__-__%"), func.substr(ev.c.date, 1, 10)),
                else_=func.substr(func.coalesce(ev.c.published, ""), 1, 10))


def events_from(where: list[Any]) -> Any:
    """The events table, joined to the articles only when a clause reads them."""
    ev, ar = t.events, t.articles
    return ev.join(ar, ar.c.id == ev.c.article_id) if _reads_articles(where) else ev


def per_day(store: Store, f: Filters) -> dict[str, dict[str, int]]:
    """Counted events, incidents (each on the day of its first report), quotes and articles
    per calendar day (an event's own date when it is a day, else its article's)."""
    qt, ar = t.quotes, t.articles
    out: dict[str, dict[str, int]] = {}
    with store.reader() as conn:
        if not narrowed_by(f):
            for name, kind in (("events", "event"), ("incidents", "incident"),
                               ("quotes", "quote"), ("articles", "article")):
                for d, n in rollups.per_day(conn, kind).items():
                    key = d if d and len(d) == 10 else "undated"
                    out.setdefault(key, {})[name] = out.get(key, {}).get(name, 0) + n
            return out
        amap = reviews.actor_map(conn)
        ev_day = event_day_column()
        q_day = func.substr(func.coalesce(qt.c.published, ""), 1, 10)
        a_day = func.substr(func.coalesce(ar.c.published, ""), 1, 10)
        qf = Filters(since=f.since, until=f.until, source=f.source, speaker=f.actor,
                     include_rejected=f.include_rejected)
        af = Filters(since=f.since, until=f.until, source=f.source)
        ev_where, q_where = event_where(conn, f, amap), quote_where(conn, qf, amap)
        inc_where = event_where(conn, replace(f, unit="incidents"), amap)
        for name, day, base, where in (
            ("events", ev_day, select().select_from(events_from(ev_where)), ev_where),
            ("incidents", ev_day, select().select_from(events_from(inc_where)), inc_where),
            ("quotes", q_day, select().select_from(
                qt.join(ar, ar.c.id == qt.c.article_id) if _reads_articles(q_where) else qt),
             q_where),
            ("articles", a_day, select().select_from(ar), article_where(conn, af)),
        ):
            q = base.add_columns(day.label("day"), func.count().label("n")).where(
                *where).group_by(day)
            for d, n in conn.execute(q):
                key = d if d and len(d) == 10 else "undated"
                out.setdefault(key, {})[name] = out.get(key, {}).get(name, 0) + n
    return out


def listed_actor_names(store: Store, ids: set[str]) -> dict[str, str]:
    """Names of those ids that the actor list shows (no places, nationalities, hidden)."""
    if not ids:
        return {}
    ac = t.actors
    with store.reader() as conn:
        rows = conn.execute(select(ac.c.id, ac.c.name).where(
            ac.c.id.in_(ids), *actor_where(conn, Filters()))).all()
    return {r[0]: r[1] for r in rows}


def _effective(conn: Any, kind: str, rows: list[dict[str, Any]], amap: dict[str, str]) -> None:
    """Each row's ``data`` as the analyst sees it; review info on the row."""
    state = reviews.states(conn, kind, [r["id"] for r in rows])
    for r in rows:
        st = state.get(r["id"])
        data = r["data"] or {}
        # Decoded for this row alone: with no review and no merged actor it is already the
        # effective fact, and the deep copy ``effective`` makes (150 facts on an actor's
        # page) is skipped.
        r["data"] = data if st is None and not amap else effective(kind, data, st, amap)
        r["review"] = r["data"].pop("review", None)
        r["edited"] = r["data"].pop("edited", None)


def apply_actor_reviews(conn: Any, rows: list[dict[str, Any]]) -> None:
    state = reviews.states(conn, "actor", [r["id"] for r in rows])
    for r in rows:
        st = state.get(r["id"])
        if st is None:
            continue
        r.update(st.fields)
        r["edited"] = st.edited or None
        r["review"] = {k: (st.last or {}).get(k)
                       for k in ("id", "action", "reviewer", "comment", "created_at")}



# -- the review queue, watchlist feeds and the review log ---------------------------------


def review_queue(store: Store, limit: int | None = None, cursor: str | None = None,
                 facets: Sequence[str] = ()) -> Page:
    """Keys (``fact``, ``id``, ``confidence``) of the counted events and quotes no reviewer
    has looked at, lowest confidence first: one keyset page and the total."""
    ev, qt = t.events, t.quotes
    unreviewed = union_all(
        select(literal_column("'event'", String).label("fact"), ev.c.id, ev.c.type.label("type"),
               func.coalesce(ev.c.confidence, 0.0).label("confidence"))
        .where(ev.c.counted == 1, ev.c.review_id.is_(None)),
        select(literal_column("'quote'", String).label("fact"), qt.c.id, qt.c.kind.label("type"),
               func.coalesce(qt.c.confidence, 0.0).label("confidence"))
        .where(qt.c.counted == 1, qt.c.review_id.is_(None)),
    ).subquery()
    u = unreviewed.c
    order = [(u.confidence, False), (u.fact, False), (u.id, False)]
    base = select(u.fact, u.id, u.confidence,
                  *[c.label(f"_k{i}") for i, (c, _) in enumerate(order)])
    plain = select().select_from(unreviewed)
    with store.reader() as conn:
        rows, total, nxt, fac, prv = _page(conn, base, [], order, limit, cursor,
                                           {"fact": (u.fact, plain), "type": (u.type, plain)},
                                           facets)
    return Page(rows, total, nxt, fac, prv)


def newest_events(store: Store, f: Filters, limit: int | None = None,
                  cursor: str | None = None) -> Page:
    """Keys (``id``, ``ingested_at``) of the events ``f`` matches, newest ingested first:
    one keyset page and the total (a watchlist's feed)."""
    ev, ar = t.events, t.articles
    ingested = func.coalesce(ar.c.ingested_at, "")
    order = [(ingested, True), (ev.c.id, False)]
    with store.reader() as conn:
        amap = reviews.actor_map(conn)
        where = event_where(conn, f, amap)
        base = select(ev.c.id, ingested.label("ingested_at"),
                      *[c.label(f"_k{i}") for i, (c, _) in enumerate(order)]).select_from(
            ev.join(ar, ar.c.id == ev.c.article_id))
        rows, total, nxt, _, prv = _page(conn, base, where, order, limit, cursor, {}, ())
    return Page(rows, total, nxt, prev=prv)


def review_log(store: Store, f: Filters, limit: int | None = None, cursor: str | None = None,
               facets: Sequence[str] = (), newest: bool = False) -> Page:
    """The review audit log (oldest first, ``newest`` turns it round), filtered by target
    type, target id (``f.article``), action, reviewer and date, with facets."""
    rv = reviews.reviews
    where: list[Any] = _window(rv.c.created_at, f)
    for column, value in ((rv.c.target_type, f.target_type), (rv.c.target_id, f.article),
                          (rv.c.action, f.action), (rv.c.reviewer, f.reviewer)):
        if value:
            where.append(column == value)
    order = [(rv.c.id, False)]
    base = select(rv, *[c.label(f"_k{i}") for i, (c, _) in enumerate(order)])
    plain = select().select_from(rv)
    fq = {"target_type": (rv.c.target_type, plain), "action": (rv.c.action, plain),
          "reviewer": (rv.c.reviewer, plain)}
    with store.reader() as conn:
        rows, total, nxt, fac, prv = _page(conn, base, where, order, limit, cursor, fq,
                                           facets, newest)
    return Page(rows, total, nxt, fac, prv)
