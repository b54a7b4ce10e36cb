"""Full-text search over articles and quotes (SQLite FTS5, PostgreSQL tsvector).

The indexes are created by the migrations (0006: the same words on both databases: no
stemming, no stop words, no accent folding); this module only queries them. A query is
its words, every one required, the last one also as a prefix ("disarm" finds "disarmament"
only when it is the last word typed), so both databases find the same rows.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import false, text

from wirewatch.store.repository import Store

_WORD = re.compile(r"\w+", re.UNICODE)

_FTS_TEXT = {
    "articles": "coalesce(articles.title, '') || ' ' || articles.text",
    "quotes": "coalesce(quotes.content, '') || ' ' || coalesce(quotes.speaker_text, '') "
              "|| ' ' || coalesce(quotes.speaker_role, '')",
}


def words(q: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(q)]


def _fts5_query(q: str) -> str:
    parts = [f'"{w}"' for w in words(q)]
    if parts:
        parts[-1] += "*"
    return " ".join(parts)


def _tsquery(q: str) -> str:
    parts = words(q)
    if parts:
        parts[-1] += ":*"
    return " & ".join(parts)


def fts_clause(dialect: str, table: str, q: str) -> Any:
    """A WHERE clause: the row of ``table`` (articles or quotes) has every word of q."""
    if not words(q):
        return false()
    if dialect == "sqlite":
        return text(f"{table}.rowid IN (SELECT rowid FROM {table}_fts "
                    f"WHERE {table}_fts MATCH :fts_q)").bindparams(fts_q=_fts5_query(q))
    return text(f"to_tsvector('simple', {_FTS_TEXT[table]}) @@ "
                "to_tsquery('simple', :fts_q)").bindparams(fts_q=_tsquery(q))


def search_articles(store: Store, q: str, limit: int = 200) -> list[dict[str, Any]]:
    """Articles matching q, best first, each with a short plain-text snippet."""
    if not words(q):
        return []
    with store.engine.connect() as conn:
        if store.dialect == "sqlite":
            rows = conn.execute(text(
                "SELECT a.id, a.published, a.source, a.title, a.duplicate_of, a.origin, "
                "snippet(articles_fts, 1, '', '', ' … ', 16) AS snippet, "
                "bm25(articles_fts) AS rank "
                "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
                "WHERE articles_fts MATCH :q ORDER BY rank, a.id LIMIT :n"),
                {"q": _fts5_query(q), "n": limit})
        else:
            rows = conn.execute(text(
                "SELECT a.id, a.published, a.source, a.title, a.duplicate_of, a.origin, "
                "ts_headline('simple', a.text, to_tsquery('simple', :q), "
                "'StartSel=\"\",StopSel=\"\",MaxWords=16,MinWords=8') AS snippet, "
                "-ts_rank(to_tsvector('simple', coalesce(a.title, '') || ' ' || a.text), "
                "to_tsquery('simple', :q)) AS rank "
                "FROM articles a WHERE to_tsvector('simple', coalesce(a.title, '') || ' ' "
                "|| a.text) @@ to_tsquery('simple', :q) ORDER BY rank, a.id LIMIT :n"),
                {"q": _tsquery(q), "n": limit})
        return [dict(r) for r in rows.mappings()]
