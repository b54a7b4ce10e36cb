"""Bearer tokens with scopes: ``review`` and ``ingest`` for writes, ``read`` for reads when
the server is configured to require tokens for reads.

Writes take the token from the Authorization header only: a browser never sends that header
by itself, so a page on another origin cannot write through a logged-in analyst's cookie.
The login cookie holds the token's hash (never the token) and opens the read pages only.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from fastapi import HTTPException, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from wirewatch.store.tokens import hash_token

COOKIE = "wirewatch_session"
# Declared in the OpenAPI document, so /api/docs can send a token with its requests.
bearer = HTTPBearer(auto_error=False, scheme_name="token",
                    description="A token from `wirewatch token create --name NAME [--scope ...]`.")


def read_token_required_from_env() -> bool:
    return os.environ.get("WIREWATCH_READ_TOKEN_REQUIRED", "").lower() in ("1", "true", "yes")


def _header_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def require_scope(scope: str) -> Callable[[Request], str]:
    """A dependency: the name of a header token that has ``scope``; 401 or 403 otherwise."""

    def check(request: Request,
              credentials: HTTPAuthorizationCredentials | None = Security(bearer)) -> str:
        token = credentials.credentials if credentials else None
        if not token:
            raise HTTPException(401, "this endpoint needs a token with the "
                                     f"'{scope}' scope: Authorization: Bearer <token> "
                                     "(create one with `wirewatch token create --name NAME`)",
                                headers={"WWW-Authenticate": "Bearer"})
        found = request.app.state.service.verify_token(token)
        if found is None:
            raise HTTPException(401, "invalid or revoked token",
                                headers={"WWW-Authenticate": "Bearer"})
        name, scopes = found
        if scope not in scopes:
            raise HTTPException(403, f"this token has no '{scope}' scope "
                                     f"(it has: {', '.join(sorted(scopes))})")
        return name

    check.__name__ = f"require_{scope}"
    return check


require_review = require_scope("review")
require_ingest = require_scope("ingest")


def require_read(request: Request) -> str | None:
    if not request.app.state.read_token_required:
        return None
    token = _header_token(request)
    svc = request.app.state.service
    found = (svc.verify_token(token) if token
             else svc.verify_digest(request.cookies.get(COOKIE)))
    if found is None:
        raise HTTPException(401, "reading needs a token: Authorization: Bearer <token>, or "
                                 "log in at /login", headers={"WWW-Authenticate": "Bearer"})
    if "read" not in found[1]:
        raise HTTPException(403, "this token has no 'read' scope")
    return found[0]


def session_cookie_value(token: str) -> str:
    return hash_token(token)
