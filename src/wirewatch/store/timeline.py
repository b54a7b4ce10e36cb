"""Counted events per calendar day and PLOVER type, for the timeline's stacked chart.

The day of an event is the one ``lists.per_day`` uses: its own date when that is a day,
else its article's; the filters and what counts are ``lists.event_where``'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import case, func, select

from wirewatch.store import reviews
from wirewatch.store import schema as t
from wirewatch.store.lists import Filters, event_where

if TYPE_CHECKING:
    from wirewatch.store.repository import Store


def per_day_by_type(store: Store, f: Filters) -> dict[str, dict[str, int]]:
    """{day: {type: n}}; events without a day under "undated"."""
    ev, ar = t.events, t.articles
    day = case((ev.c.date.like("____-__-__%"), func.substr(ev.c.date, 1, 10)),
               else_=func.substr(func.coalesce(ev.c.published, ""), 1, 10))
    out: dict[str, dict[str, int]] = {}
    with store.engine.connect() as conn:
        amap = reviews.actor_map(conn)
        q = (select(day.label("day"), ev.c.type, func.count().label("n"))
             .select_from(ev.join(ar, ar.c.id == ev.c.article_id))
             .where(*event_where(conn, f, amap)).group_by(day, ev.c.type))
        for d, typ, n in conn.execute(q):
            key = d if d and len(d) == 10 else "undated"
            row = out.setdefault(key, {})
            row[typ] = row.get(typ, 0) + n
    return out
