"""API tokens for the write endpoints: shown once, stored as a sha256 hash only."""

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
)

PREFIX = "ww_"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(store: Store, name: str) -> tuple[str, str]:
    """A new token for ``name``; returns (token id, the token). Only the hash is kept."""
    if not name.strip():
        raise ValueError("a token needs a name")
    token = PREFIX + secrets.token_urlsafe(32)
    digest = hash_token(token)
    token_id = content_id("tok", digest)
    with store.engine.begin() as conn:
        conn.execute(api_tokens.insert().values(
            id=token_id, name=name.strip(), token_hash=digest, created_at=_now()))
    return token_id, token


def verify_token(store: Store, token: str | None) -> str | None:
    """The token's name if it is valid and not revoked, else None."""
    if not token:
        return None
    digest = hash_token(token)
    with store.engine.begin() as conn:
        row = conn.execute(select(api_tokens.c.id, api_tokens.c.name).where(
            api_tokens.c.token_hash == digest, api_tokens.c.revoked_at.is_(None))).first()
        if row is None:
            return None
        conn.execute(api_tokens.update().where(api_tokens.c.id == row[0]).values(
            last_used_at=_now()))
    return row[1]


def list_tokens(store: Store) -> list[dict[str, Any]]:
    t = api_tokens
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.c.id, t.c.name, t.c.created_at, t.c.last_used_at,
                                   t.c.revoked_at).order_by(t.c.created_at, t.c.id))
        return [dict(r) for r in rows.mappings()]


def revoke_token(store: Store, id_or_name: str) -> int:
    """Revoke by token id or name; returns how many tokens were revoked."""
    t = api_tokens
    with store.engine.begin() as conn:
        result = conn.execute(t.update().where(
            or_(t.c.id == id_or_name, t.c.name == id_or_name), t.c.revoked_at.is_(None)
        ).values(revoked_at=_now()))
    return result.rowcount or 0
