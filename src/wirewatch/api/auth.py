"""Bearer tokens: always for writes; for reads when the server is configured so."""

from __future__ import annotations

import os

from fastapi import HTTPException, Request

COOKIE = "wirewatch_token"


def read_token_required_from_env() -> bool:
    return os.environ.get("WIREWATCH_READ_TOKEN_REQUIRED", "").lower() in ("1", "true", "yes")


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(COOKIE)


def require_write(request: Request) -> str:
    """The token's name; 401 without a valid token."""
    token = _bearer(request)
    if not token:
        raise HTTPException(401, "this endpoint needs a token: Authorization: Bearer <token> "
                                 "(create one with `wirewatch token create --name NAME`)",
                            headers={"WWW-Authenticate": "Bearer"})
    name = request.app.state.service.verify_token(token)
    if name is None:
        raise HTTPException(401, "invalid or revoked token", headers={"WWW-Authenticate": "Bearer"})
    return name


def require_read(request: Request) -> str | None:
    if not request.app.state.read_token_required:
        return None
    return require_write(request)
