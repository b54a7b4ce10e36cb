"""API tokens: shown once, stored as a sha256 hash only, each with its scopes.

``read`` reads (when the server requires tokens for reads), ``review`` adds reviews,
``ingest`` adds articles. A read-only token can never write.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, String, Table, Text, or_, select

from wirewatch.model import content_id
from wirewatch.store.schema import metadata

if TYPE_CHECKING:
    from wirewatch.store.repository import Store

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", String(40), primary_key=True),
    Column("name", Text, nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", String(40), nullable=False),
    Column("last_used_at", String(40)),
    Column("revoked_at", String(40)),
    Column("scopes", Text, nullable=False, default="read,review,ingest"),
)

SCOPES = ("read", "review", "ingest")

PREFIX = "ww_"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(store: Store, name: str,
                 scopes: tuple[str, ...] | list[str] = SCOPES) -> tuple[str, str]:
    """A new token for ``name``; returns (token id, the token). Only the hash is kept."""
    if not name.strip():
        raise ValueError("a token needs a name")
    bad = [s for s in scopes if s not in SCOPES]
    if bad or not scopes:
        raise ValueError(f"scopes must be some of {', '.join(SCOPES)}")
    # Whoever may write may also read what they wrote.
    scope_text = ",".join(s for s in SCOPES if s in {*scopes, "read"})
    token = PREFIX + secrets.token_urlsafe(32)
    digest = hash_token(token)
    token_id = content_id("tok", digest)
    with store.engine.begin() as conn:
        conn.execute(api_tokens.insert().values(
            id=token_id, name=name.strip(), token_hash=digest, created_at=_now(),
            scopes=scope_text))
    return token_id, token


def verify_token(store: Store, token: str | None) -> tuple[str, set[str]] | None:
    """(name, scopes) of a valid, unrevoked token, else None."""
    if not token:
        return None
    return verify_digest(store, hash_token(token))


def verify_digest(store: Store, digest: str | None) -> tuple[str, set[str]] | None:
    """The same, from the token's hash (what the login cookie holds: never the token)."""
    if not digest:
        return None
    with store.engine.begin() as conn:
        row = conn.execute(select(api_tokens.c.id, api_tokens.c.name, api_tokens.c.scopes).where(
            api_tokens.c.token_hash == digest, api_tokens.c.revoked_at.is_(None))).first()
        if row is None:
            return None
        conn.execute(api_tokens.update().where(api_tokens.c.id == row[0]).values(
            last_used_at=_now()))
    return row[1], set((row[2] or "").split(","))


def list_tokens(store: Store) -> list[dict[str, Any]]:
    t = api_tokens
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.c.id, t.c.name, t.c.scopes, t.c.created_at,
                                   t.c.last_used_at, t.c.revoked_at)
                            .order_by(t.c.created_at, t.c.id))
        return [dict(r) for r in rows.mappings()]


def revoke_token(store: Store, id_or_name: str) -> int:
    """Revoke by token id or name; returns how many tokens were revoked."""
    t = api_tokens
    with store.engine.begin() as conn:
        result = conn.execute(t.update().where(
            or_(t.c.id == id_or_name, t.c.name == id_or_name), t.c.revoked_at.is_(None)
        ).values(revoked_at=_now()))
    return result.rowcount or 0
