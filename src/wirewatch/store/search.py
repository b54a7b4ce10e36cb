"""Full-text search over articles and quotes (SQLite FTS5, PostgreSQL tsvector).

The indexes are created by migration 0003; this module only queries them.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import false, text

from wirewatch.store.repository import Store

_WORD = re.compile(r"\w+", re.UNICODE)


def _fts5_query(q: str) -> str:
    """User words to an FTS5 query: every word must match (prefix on the last), no syntax."""
    words = _WORD.findall(q)
    if not words:
        return ""
    parts = [f'"{w}"' for w in words]
    parts[-1] += "*"
    return " ".join(parts)


_FTS_TEXT = {
    "articles": "coalesce(articles.title, '') || ' ' || articles.text",
    "quotes": "coalesce(quotes.content, '') || ' ' || coalesce(quotes.speaker_text, '')",
}


def fts_clause(dialect: str, table: str, q: str) -> Any:
    """A WHERE clause: the row of ``table`` (articles or quotes) matches the words of q."""
    if dialect == "sqlite":
        query = _fts5_query(q)
        if not query:
            return false()
        return text(f"{table}.rowid IN (SELECT rowid FROM {table}_fts "
                    f"WHERE {table}_fts MATCH :fts_q)").bindparams(fts_q=query)
    return text(f"to_tsvector('english', {_FTS_TEXT[table]}) @@ "
                "websearch_to_tsquery('english', :fts_q)").bindparams(fts_q=q)


def search_articles(store: Store, q: str, limit: int = 200) -> list[dict[str, Any]]:
    """Articles matching q, best first, each with a short highlighted-free snippet."""
    with store.engine.connect() as conn:
        if store.dialect == "sqlite":
            query = _fts5_query(q)
            if not query:
                return []
            rows = conn.execute(text(
                "SELECT a.id, a.published, a.source, a.title, a.duplicate_of, a.origin, "
                "snippet(articles_fts, 1, '', '', ' … ', 16) AS snippet, "
                "bm25(articles_fts) AS rank "
                "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
                "WHERE articles_fts MATCH :q ORDER BY rank LIMIT :n"), {"q": query, "n": limit})
        else:
            rows = conn.execute(text(
                "SELECT a.id, a.published, a.source, a.title, a.duplicate_of, a.origin, "
                "ts_headline('english', a.text, websearch_to_tsquery('english', :q), "
                "'StartSel=\"\",StopSel=\"\",MaxWords=16,MinWords=8') AS snippet, "
                "-ts_rank(to_tsvector('english', coalesce(a.title, '') || ' ' || a.text), "
                "websearch_to_tsquery('english', :q)) AS rank "
                "FROM articles a WHERE to_tsvector('english', coalesce(a.title, '') || ' ' "
                "|| a.text) @@ websearch_to_tsquery('english', :q) ORDER BY rank LIMIT :n"),
                {"q": q, "n": limit})
        return [dict(r) for r in rows.mappings()]


def search_quote_ids(store: Store, q: str, limit: int = 1000) -> list[str]:
    """Ids of quotes whose content or speaker matches q, best first."""
    with store.engine.connect() as conn:
        if store.dialect == "sqlite":
            query = _fts5_query(q)
            if not query:
                return []
            rows = conn.execute(text(
                "SELECT qt.id FROM quotes_fts JOIN quotes qt ON qt.rowid = quotes_fts.rowid "
                "WHERE quotes_fts MATCH :q ORDER BY bm25(quotes_fts) LIMIT :n"),
                {"q": query, "n": limit})
        else:
            rows = conn.execute(text(
                "SELECT id FROM quotes WHERE to_tsvector('english', coalesce(content, '') || ' ' "
                "|| coalesce(speaker_text, '')) @@ websearch_to_tsquery('english', :q) "
                "LIMIT :n"), {"q": q, "n": limit})
        return [r[0] for r in rows]
