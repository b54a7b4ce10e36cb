"""Cursor pagination over a stable sort, and JSON/CSV content negotiation for lists."""

from __future__ import annotations

import base64
import binascii
import csv
import io
import json
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, Response

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000


def encode_cursor(key: Sequence[Any]) -> str:
    raw = json.dumps(list(key), separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise HTTPException(400, "invalid cursor: pass back the 'next' value unchanged") from None
    if not isinstance(key, list):
        raise HTTPException(400, "invalid cursor: pass back the 'next' value unchanged")
    return key


def page(
    rows: list[dict[str, Any]], key: Callable[[dict[str, Any]], tuple], cursor: str | None,
    limit: int,
) -> tuple[list[dict[str, Any]], str | None]:
    """Rows after the cursor in (key) order, at most ``limit``; and the next cursor.

    Keys end with the row id, so the order is total and a cursor names one position
    even when rows are added between requests.
    """
    ordered = sorted(rows, key=key)
    if cursor:
        after = tuple(decode_cursor(cursor))
        try:
            ordered = [r for r in ordered if tuple(key(r)) > after]
        except TypeError:
            raise HTTPException(400, "invalid cursor for this list") from None
    items = ordered[:limit]
    nxt = encode_cursor(key(items[-1])) if len(ordered) > limit else None
    return items, nxt


def wants_csv(request: Request, format: str | None) -> bool:
    if format:
        if format not in ("json", "csv"):
            raise HTTPException(400, f"unknown format {format!r}: use json or csv")
        return format == "csv"
    accept = request.headers.get("accept", "")
    return "text/csv" in accept and "application/json" not in accept


def list_response(request: Request, items: list[dict[str, Any]], nxt: str | None,
                  format: str | None, name: str = "items") -> Response:
    if wants_csv(request, format):
        return Response(to_csv(items), media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="{name}.csv"',
            **({"X-Next-Cursor": nxt} if nxt else {})})
    return JSONResponse({"items": items, "next": nxt})


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
