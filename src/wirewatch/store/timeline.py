"""Counted events per calendar day and PLOVER type, for the timeline's stacked chart.

The day of an event is the one ``lists.per_day`` uses: its own date when that is a day,
else its article's; the filters and what counts are ``lists.event_where``'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select

from wirewatch.store import reviews
from wirewatch.store import schema as t
from wirewatch.store.lists import Filters, event_day_column, event_where, events_from

if TYPE_CHECKING:
    from wirewatch.store.repository import Store


def per_day_by_type(store: Store, f: Filters) -> dict[str, dict[str, int]]:
    """{day: {type: n}}; events without a day under "undated"."""
    ev = t.events
    day = event_day_column()
    out: dict[str, dict[str, int]] = {}
    with store.engine.connect() as conn:
        amap = reviews.actor_map(conn)
        where = event_where(conn, f, amap)
        q = (select(day.label("day"), ev.c.type, func.count().label("n"))
             .select_from(events_from(where)).where(*where).group_by(day, ev.c.type))
        for d, typ, n in conn.execute(q):
            key = d if d and len(d) == 10 else "undated"
            row = out.setdefault(key, {})
            row[typ] = row.get(typ, 0) + n
    return out
