"""JSON/CSV content negotiation for lists (pages, totals and facets come from the service)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, Response

from wirewatch.store.lists import Page

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000


def wants_csv(request: Request, format: str | None) -> bool:
    if format:
        if format not in ("json", "csv"):
            raise HTTPException(400, f"unknown format {format!r}: use json or csv")
        return format == "csv"
    accept = request.headers.get("accept", "")
    return "text/csv" in accept and "application/json" not in accept


def page_response(request: Request, page: Page, format: str | None, name: str) -> Response:
    """A service page as JSON ``{items, next, prev, total[, facets]}`` or CSV (total and
    cursors in headers)."""
    if wants_csv(request, format):
        return Response(to_csv(page.items), media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="{name}.csv"',
            "X-Total-Count": str(page.total),
            **({"X-Total-Estimated": "true"} if page.estimated else {}),
            **({"X-Next-Cursor": page.next} if page.next else {}),
            **({"X-Prev-Cursor": page.prev} if page.prev else {})})
    body: dict[str, Any] = {"items": page.items, "next": page.next, "prev": page.prev,
                            "total": page.total}
    if page.estimated:  # a full-text total counted up to a cap: "at least total"
        body["estimated"] = True
    if page.facets:
        body["facets"] = page.facets
    return JSONResponse(body)


def to_csv(items: list[dict[str, Any]]) -> str:
    columns: list[str] = []
    for item in items:
        for k in item:
            if k not in columns:
                columns.append(k)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns)
    writer.writeheader()
    for item in items:
        writer.writerow({k: _cell(item.get(k)) for k in columns})
    return buf.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value
