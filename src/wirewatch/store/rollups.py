"""Counts kept at write time, so totals, facets and counts per day of the unfiltered lists
read a few hundred rows instead of grouping every fact.

``fact_counts`` holds, per kind of row, the number of rows with each value of each field
the unfiltered lists count by:

- ``event``: counted events (the default event list, ``unit="events"``);
- ``incident``: first reports (``events.first_report``: the counted event that stands for
  its incident, or for itself outside every incident; ``unit="incidents"``);
- ``quote``: counted quotes; ``article``: every stored article.

Every write that changes what these count goes through ``Recount``: the contributions of
the rows it touches are subtracted before the change and added back after it, in the same
transaction (a crash leaves the facts and their counts as they were, together).
``rebuild`` recomputes everything with a full GROUP BY (a store written before the counts
existed, the synthetic bench store); the tests check the two agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    String,
    Table,
    and_,
    bindparam,
    delete,
    func,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from wirewatch.store import schema as t
from wirewatch.store.chunks import chunks
from wirewatch.store.schema import metadata

fact_counts = Table(
    "fact_counts", metadata,
    Column("kind", String(10), primary_key=True),  # event | incident | quote | article
    Column("dim", String(20), primary_key=True),  # total | type | source | actor | day | ...
    Column("value", String(200), primary_key=True),  # NULL is stored as NONE
    Column("n", BigInteger, nullable=False),
)

# A key column cannot be NULL; no stored value starts with this control character.
NONE = "\x01"
KEYS = Counter[tuple[str, str, str]]
EVENT_DIMS = ("type", "modality", "country", "source", "day")
# Per participant row (what the actor/recipient facets count) and per distinct event (what
# a list filtered to one actor counts).
PARTICIPANT_DIMS = ("actor", "recipient", "actor_events", "recipient_events")
QUOTE_DIMS = ("kind", "speaker", "source", "day")
ARTICLE_DIMS = ("source", "day")


def _key(value: Any) -> str:
    return NONE if value is None else str(value)


def _value(key: str) -> str | None:
    return None if key == NONE else key


def _day(column: Any) -> Any:
    return func.substr(func.coalesce(column, ""), 1, 10)


# -- contributions: what a set of rows adds to the counts ---------------------------------


# The count queries are built once and run with the ids bound (an expanding IN, what
# ``in_(list)`` renders too): building them anew for every saved article was most of the
# CPU a save spends in this module. ``scope``: "ids" (rows whose id is in ``ids``) or "all".


def _scope(table: Table, scope: str) -> Any:
    return table.c.id.in_(bindparam("ids", expanding=True)) if scope == "ids" else true()


@cache
def _event_queries(scope: str) -> tuple[Any, Any]:
    """The GROUP BYs of the events in ``scope`` that are counted or first reports, grouped
    also by those two flags (one pass over the events for both kinds)."""
    from wirewatch.store.lists import event_day_column

    ev, ar, pt = t.events, t.articles, t.event_participants
    flags = (ev.c.counted, ev.c.first_report)
    counted, first = flags
    if scope == "ids":
        # "+ 0" keeps SQLite off the flags' indexes: it read every counted event through
        # them instead of the few ids (0.13 s per batch at 200,000 events).
        counted, first = counted + 0, first + 0
    where = and_(_scope(ev, scope), or_(counted == 1, first == 1))
    cols = (ev.c.type, ev.c.modality, ev.c.country, ar.c.source, event_day_column())
    by_dims = (select(*flags, *cols, func.count())
               .select_from(ev.join(ar, ar.c.id == ev.c.article_id))
               .where(where).group_by(*flags, *cols))
    by_party = (select(*flags, pt.c.role, pt.c.actor_id, func.count(),
                       func.count(func.distinct(pt.c.event_id)))
                .select_from(pt.join(ev, ev.c.id == pt.c.event_id))
                .where(where).group_by(*flags, pt.c.role, pt.c.actor_id))
    return by_dims, by_party


def _kinds(counted: int, first_report: int) -> tuple[str, ...]:
    """What an event with these flags counts as: a counted event, a first report, both."""
    return (("event",) if counted == 1 else ()) + (("incident",) if first_report == 1 else ())


def _add_grouped(out: KEYS, kind: str, dims: Sequence[str], rows: Any) -> None:
    """Adds GROUP BY rows (the dims' values, then the count) to the total and each dim."""
    for *values, n in rows:
        out[kind, "total", ""] += n
        for dim, v in zip(dims, values, strict=True):
            out[kind, dim, _key(v)] += n


def _event_counts(conn: Any, scope: str, params: dict[str, Any]) -> KEYS:
    """Contributions of the events in ``scope``, as counted events and first reports (an
    event is in one group of each flag pair, so per-group distinct events add up)."""
    out: KEYS = Counter()
    by_dims, by_party = _event_queries(scope)
    for counted, first_report, *row in conn.execute(by_dims, params):
        for kind in _kinds(counted, first_report):
            _add_grouped(out, kind, EVENT_DIMS, (row,))
    for counted, first_report, role, actor, n, events in conn.execute(by_party, params):
        if role in ("actor", "recipient"):
            for kind in _kinds(counted, first_report):
                out[kind, role, _key(actor)] += n
                out[kind, f"{role}_events", _key(actor)] += events
    return out


@cache
def _quote_query(scope: str) -> Any:
    qt, ar = t.quotes, t.articles
    cols = (qt.c.kind, qt.c.speaker_id, ar.c.source, _day(qt.c.published))
    counted = qt.c.counted + 0 if scope == "ids" else qt.c.counted  # as for the events
    return (select(*cols, func.count()).select_from(qt.join(ar, ar.c.id == qt.c.article_id))
            .where(_scope(qt, scope), counted == 1).group_by(*cols))


def _quote_counts(conn: Any, scope: str, params: dict[str, Any]) -> KEYS:
    out: KEYS = Counter()
    _add_grouped(out, "quote", QUOTE_DIMS, conn.execute(_quote_query(scope), params))
    return out


@cache
def _article_query(scope: str) -> Any:
    ar = t.articles
    cols = (ar.c.source, _day(ar.c.published))
    return select(*cols, func.count()).where(_scope(ar, scope)).group_by(*cols)


def _article_counts(conn: Any, scope: str, params: dict[str, Any]) -> KEYS:
    out: KEYS = Counter()
    _add_grouped(out, "article", ARTICLE_DIMS, conn.execute(_article_query(scope), params))
    return out


def _counts_of(conn: Any, events: Sequence[str], quotes: Sequence[str],
               articles: Sequence[str]) -> KEYS:
    out: KEYS = Counter()
    for chunk in chunks(events):
        out.update(_event_counts(conn, "ids", {"ids": chunk}))
    for chunk in chunks(quotes):
        out.update(_quote_counts(conn, "ids", {"ids": chunk}))
    for chunk in chunks(articles):
        out.update(_article_counts(conn, "ids", {"ids": chunk}))
    return out


def full_counts(conn: Any) -> KEYS:
    """Every count, by a full GROUP BY (what ``fact_counts`` must equal)."""
    out = _event_counts(conn, "all", {})
    out.update(_quote_counts(conn, "all", {}))
    out.update(_article_counts(conn, "all", {}))
    return out


def stored_counts(conn: Any) -> KEYS:
    """``fact_counts`` as a Counter, rows at zero left out."""
    fc = fact_counts
    return Counter({(k, d, v): n for k, d, v, n in conn.execute(
        select(fc.c.kind, fc.c.dim, fc.c.value, fc.c.n).where(fc.c.n != 0))})


def _apply(conn: Any, delta: KEYS) -> None:
    rows = [{"kind": k, "dim": d, "value": v, "n": n} for (k, d, v), n in sorted(delta.items())
            if n]
    if not rows:
        return
    ins = (postgresql.insert(fact_counts) if conn.dialect.name == "postgresql"
           else sqlite.insert(fact_counts))
    # Sorted keys: concurrent writers (already serialised by the write lock) would take
    # the row locks in one order anyway.
    conn.execute(ins.on_conflict_do_update(
        index_elements=["kind", "dim", "value"],
        set_={"n": fact_counts.c.n + ins.excluded.n}), rows)


# -- first reports ------------------------------------------------------------------------


def incident_closure(conn: Any, event_ids: Iterable[str]) -> list[str]:
    """These events and every other member of their incidents (whose first report a
    change to one member can move)."""
    from wirewatch.store.incidents import incident_events as ie

    out = set(event_ids)
    incident_ids: set[str] = set()
    for chunk in chunks(sorted(out)):
        incident_ids.update(r[0] for r in conn.execute(
            select(ie.c.incident_id).where(ie.c.event_id.in_(chunk)).distinct()))
    for chunk in chunks(sorted(incident_ids)):
        out.update(r[0] for r in conn.execute(
            select(ie.c.event_id).where(ie.c.incident_id.in_(chunk))))
    return sorted(out)


def refresh_first_reports(conn: Any, event_ids: Sequence[str] | None) -> None:
    """Set ``events.first_report`` of these events (closed under incident membership; all
    events when None): 1 for the counted event that is its incident's first report (first
    published, then article id, then event id: ``lists.one_per_incident``), else 0."""
    from wirewatch.store.incidents import incident_events as ie

    ev, ar = t.events, t.articles
    q = (select(ev.c.id, ev.c.counted, ev.c.first_report, ie.c.incident_id,
                func.coalesce(ar.c.published, ""), ev.c.article_id)
         .select_from(ev.join(ar, ar.c.id == ev.c.article_id)
                      .outerjoin(ie, ie.c.event_id == ev.c.id)))
    rows: list[Any] = []
    if event_ids is None:
        rows = list(conn.execute(q))
    else:
        for chunk in chunks(event_ids):
            rows += conn.execute(q.where(ev.c.id.in_(chunk))).all()
    best: dict[str, tuple[str, str, str]] = {}
    for eid, counted, _, incident, published, article in rows:
        if counted == 1:
            group, order = incident or eid, (published, article, eid)
            if group not in best or order < best[group]:
                best[group] = order
    first = {order[2] for order in best.values()}
    flips: dict[int, list[str]] = {0: [], 1: []}
    for eid, _, current, *_ in rows:
        want = int(eid in first)
        if current != want:
            flips[want].append(eid)
    for want, ids in flips.items():
        for chunk in chunks(ids):
            conn.execute(update(ev).where(ev.c.id.in_(chunk)).values(first_report=want))


# -- keeping the counts -------------------------------------------------------------------


class Recount:
    """Around one write: ``Recount(conn, events=..., quotes=..., articles=...)`` before it
    subtracts what those rows count for (events with the rest of their incidents), and
    ``done()`` after it sets their first reports again and adds what they count for now.
    Pass every row the write may change, add or delete (ids of rows about to be inserted
    are fine: they count for nothing yet)."""

    def __init__(self, conn: Any, events: Iterable[str] = (), quotes: Iterable[str] = (),
                 articles: Iterable[str] = ()):
        self.conn = conn
        self.events = incident_closure(conn, events)
        self.quotes = sorted(set(quotes))
        self.articles = sorted(set(articles))
        self.before = _counts_of(conn, self.events, self.quotes, self.articles)
        self._covered = {"event": set(self.events), "quote": set(self.quotes)}

    def covers(self, kind: str, row_id: str) -> bool:
        """Whether this recount keeps the counts of that event or quote."""
        return row_id in self._covered.get(kind, ())

    def done(self) -> None:
        refresh_first_reports(self.conn, self.events)
        delta = _counts_of(self.conn, self.events, self.quotes, self.articles)
        delta.subtract(self.before)
        _apply(self.conn, delta)


def rebuild(conn: Any, first_reports: bool = True) -> None:
    """Recompute every count (and every first report) from the facts."""
    if first_reports:
        refresh_first_reports(conn, None)
    conn.execute(delete(fact_counts))
    _apply(conn, full_counts(conn))


# -- reading ------------------------------------------------------------------------------


def total(conn: Any, kind: str, dim: str = "total", value: str | None = "") -> int:
    fc = fact_counts
    n = conn.execute(select(fc.c.n).where(and_(
        fc.c.kind == kind, fc.c.dim == dim, fc.c.value == _key(value)))).scalar()
    return int(n or 0)


def top(conn: Any, kind: str, dim: str, size: int) -> list[dict[str, Any]]:
    """The facet of one field: the ``size`` most frequent values (ties by value)."""
    fc = fact_counts
    rows = conn.execute(select(fc.c.value, fc.c.n).where(
        fc.c.kind == kind, fc.c.dim == dim, fc.c.n > 0).order_by(
        fc.c.n.desc(), fc.c.value).limit(size)).all()
    return [{"value": _value(v), "count": int(n)} for v, n in rows]


def per_day(conn: Any, kind: str) -> dict[str, int]:
    fc = fact_counts
    return {v: int(n) for v, n in conn.execute(select(fc.c.value, fc.c.n).where(
        fc.c.kind == kind, fc.c.dim == "day", fc.c.n > 0))}
