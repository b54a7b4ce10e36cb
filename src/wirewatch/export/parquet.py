"""Every table of the store as Parquet (one file per table), for pandas, DuckDB, R."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Float, Integer

from wirewatch.store import reviews as _reviews  # noqa: F401  (registers the reviews table)
from wirewatch.store import schema as t

if TYPE_CHECKING:
    from wirewatch.service import Service

TABLES = {
    "articles": t.articles, "actors": t.actors, "mentions": t.mentions, "quotes": t.quotes,
    "events": t.events, "event_participants": t.event_participants,
    "relations": t.relations, "times": t.times, "places": t.places,
    "ingest_failures": t.ingest_failures, "reviews": _reviews.reviews,
}


def _arrow_type(column: Any):
    import pyarrow as pa

    if isinstance(column.type, Integer):
        return pa.int64()
    if isinstance(column.type, Float):
        return pa.float64()
    return pa.string()  # JSON columns are written as JSON text


def table_parquet(service: Service, name: str) -> bytes:
    """One table as Parquet bytes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = TABLES[name]
    rows = service.table_rows(name)
    columns = {}
    fields = []
    for col in table.columns:
        values = [r[col.name] for r in rows]
        if isinstance(col.type, JSON):
            values = [None if v is None else json.dumps(v, ensure_ascii=False) for v in values]
        typ = _arrow_type(col)
        fields.append(pa.field(col.name, typ))
        columns[col.name] = pa.array(values, type=typ)
    buf = io.BytesIO()
    pq.write_table(pa.table(columns, schema=pa.schema(fields)), buf)
    return buf.getvalue()


def write_parquet(service: Service, out_dir: str | Path) -> list[Path]:
    """Write ``<out_dir>/<table>.parquet`` for every table; returns the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in TABLES:
        path = out / f"{name}.parquet"
        path.write_bytes(table_parquet(service, name))
        paths.append(path)
    return paths
