"""What the OpenAPI document promises: every status code a route can answer, the error
body, the media types of lists and exports, and the enums and patterns of parameters."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from wirewatch.model import MODALITIES, PLOVER_TYPES, QUOTE_KINDS, RELATION_TYPES

DATE_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"


class ErrorDetail(BaseModel):
    status: int
    message: str
    detail: str | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


# Every /api route can answer these.
ERRORS: dict[int | str, dict[str, Any]] = {
    400: _error("A parameter or body value is not valid (the message says which and why)."),
    401: _error("A token is needed (reads, when the server requires it; every write)."),
    403: _error("The token lacks the scope this route needs."),
    404: _error("No such article, actor, fact or export format."),
    422: _error("A parameter does not match its declared type, enum or pattern."),
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    415: _error("The body is not of a media type this route takes."),
}

LIST_CONTENT = {"application/json": {"schema": {
    "type": "object", "required": ["items", "next", "total"],
    "properties": {"items": {"type": "array", "items": {"type": "object"}},
                   "next": {"type": ["string", "null"]},
                   "prev": {"type": ["string", "null"],
                            "description": "cursor of the page before this one"},
                   "total": {"type": "integer"}, "facets": {"type": "object"}}}},
    "text/csv": {"schema": {"type": "string"}}}
LIST_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "One page of the list (JSON), or the rows as CSV.",
          "content": LIST_CONTENT}}
EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The export file.", "content": {
        "application/xml": {"schema": {"type": "string"}},
        "application/geo+json": {"schema": {"type": "object"}},
        "application/zip": {"schema": {"type": "string", "format": "binary"}},
        "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}},
        "text/csv": {"schema": {"type": "string"}},
        "text/tab-separated-values": {"schema": {"type": "string"}},
        "application/x-ndjson": {"schema": {"type": "string"}},
    }, "headers": {"X-Wirewatch-Left-Out": {
        "description": "acled: events left out because ACLED has no type for them (the "
                       "reasons are in X-Wirewatch-Left-Out-Reasons, JSON)",
        "schema": {"type": "integer"}}}}}


def enum(values: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """json_schema_extra for a string parameter that takes one of ``values`` (the handler
    also accepts other letter cases and answers 400 naming the values otherwise)."""
    return {"enum": list(values)}


TYPES = enum(PLOVER_TYPES)
MODALITY_VALUES = enum(MODALITIES)
QUOTE_KIND_VALUES = enum(QUOTE_KINDS)
RELATION_VALUES = enum(RELATION_TYPES)
FORMAT_VALUES = enum(["json", "csv"])
