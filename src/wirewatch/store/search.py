"""Full-text search over articles and quotes (SQLite FTS5, PostgreSQL tsvector).

The indexes are created by the migrations (0006: the same words on both databases: no
stemming, no stop words, no accent folding; 0013: PostgreSQL keeps each row's words in a
stored ``fts`` column); this module only queries them. A query is its words, every one
required, the last one also as a prefix ("disarm" finds "disarmament" only when it is the
last word typed), so both databases find the same rows.

A common word is read in list order, each row tested, until a page is full. SQLite is told
so (``match``: the FTS5 index probed per row); PostgreSQL chooses that plan itself from the
words' statistics of the stored column, given a query it can estimate (``_tsquery``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, false, text, true

if TYPE_CHECKING:
    from wirewatch.store.repository import Store

_WORD = re.compile(r"\w+", re.UNICODE)

def words(q: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(q)]


def _fts5_query(q: str) -> str:
    parts = [f'"{w}"' for w in words(q)]
    if parts:
        parts[-1] += "*"
    return " ".join(parts)


def _tsquery(q: str, planned: bool = False) -> str:
    """The tsquery of q. ``planned`` spells the last word ``(w | w:*)``, the same rows as
    ``w:*``. PostgreSQL estimates any prefix at 2 % of the rows when the column's statistics
    hold fewer than 100 common words (a small vocabulary, as in the synthetic articles), but
    the word w from its own frequency: a common word is then read in list order (a few
    hundred rows) and its capped count stops early, instead of reading every index entry."""
    parts = words(q)
    if parts:
        last = parts[-1]
        parts[-1] = f"({last} | {last}:*)" if planned else f"{last}:*"
    return " & ".join(parts)


def fts_clause(dialect: str, table: str, q: str) -> Any:
    """A WHERE clause: the row of ``table`` (articles or quotes) has every word of q."""
    if not words(q):
        return false()
    if dialect == "sqlite":
        return text(f"{table}.rowid IN (SELECT rowid FROM {table}_fts "
                    f"WHERE {table}_fts MATCH :fts_q)").bindparams(fts_q=_fts5_query(q))
    # The stored words (migration 0013), not to_tsvector of the text: a row read in list
    # order or rechecked after the index is then tested without parsing its text again.
    return text(f"{table}.fts @@ to_tsquery('simple', :fts_q)").bindparams(
        fts_q=_tsquery(q, planned=True))


# A query matching more rows than this is read in list order with the index probed row by
# row: a page then needs a few hundred probes (~0.1 ms each) where reading every match
# first and sorting it costs ~0.7 us per match (150 ms for a word in 40 % of 600,000 quotes).
# Below it, reading the matches first is the cheaper plan (SQLite).
PROBE_AT = 50_000
# A probe with a prefix term merges the doclists of every word with that prefix, each time;
# the prefix is spelled out as its words instead, when there are at most this many.
PREFIX_WORDS = 32


@dataclass(frozen=True)
class TextMatch:
    """The full-text condition of a list, with the plan that reads it fastest."""

    table: str
    clause: Any
    probe: str | None = None  # SQLite: the FTS5 query of a common match, probed per row
    query: str = ""
    matches: int = 0  # SQLite: rows of the index that match, counted up to PROBE_AT + 1

    def counter(self, joins: str, where: list[Any], cap: int) -> Callable[[Any], int] | None:
        """Counts the rows of a probed match up to cap + 1, reading the matches in index
        order and the other conditions per match (the probe plan would read the list's
        order index and probe each row)."""
        if self.probe is None:
            return None
        rest = [w for w in where if w is not self.clause]
        if not rest and not joins and self.matches > cap:
            return lambda conn: cap + 1  # the index's own count already passed the cap
        t = self.table

        def count(conn: Any) -> int:
            others = and_(true(), *rest).compile(
                dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
            params = [others.params[name] for name in others.positiontup or ()]
            # CROSS JOIN keeps the index outermost: SQLite never reorders its left side.
            sql = (f"SELECT count(*) FROM (SELECT 1 FROM {t}_fts CROSS JOIN {t} ON "
                   f"{t}.rowid = {t}_fts.rowid {joins} WHERE {t}_fts MATCH ? AND ({others}) "
                   "LIMIT ?)")
            return int(conn.exec_driver_sql(sql, (self.query, *params, cap + 1)).scalar_one())

        return count


def match(conn: Any, table: str, q: str) -> TextMatch:
    """The condition "the row of ``table`` has every word of q", planned for its frequency."""
    dialect = conn.dialect.name
    if dialect != "sqlite" or not words(q):
        return TextMatch(table, fts_clause(dialect, table, q))
    query = _fts5_query(q)
    matches = conn.execute(text(f"SELECT count(*) FROM (SELECT rowid FROM {table}_fts "
                                f"WHERE {table}_fts MATCH :q LIMIT :n)"),
                           {"q": query, "n": PROBE_AT + 1}).scalar_one()
    probe = _spelled_out(conn, table, words(q)) if matches > PROBE_AT else None
    if probe is None:
        return TextMatch(table, fts_clause(dialect, table, q), query=query, matches=matches)
    clause = text(f"EXISTS (SELECT 1 FROM {table}_fts WHERE {table}_fts.rowid = {table}.rowid "
                  f"AND {table}_fts MATCH :fts_probe)").bindparams(fts_probe=probe)
    return TextMatch(table, clause, probe, query, matches)


def _spelled_out(conn: Any, table: str, ws: list[str]) -> str | None:
    """The FTS5 query of ws with the last word's prefix replaced by the indexed words that
    start with it (None when there are too many)."""
    last = ws[-1]
    rows = conn.execute(text(f"SELECT term FROM {table}_fts_terms WHERE term >= :lo "
                             "AND term <= :hi LIMIT :n"),
                        {"lo": last, "hi": last + "\U0010ffff", "n": PREFIX_WORDS + 1})
    terms = [r[0] for r in rows]
    if not terms or len(terms) > PREFIX_WORDS:
        return None
    return " AND ".join([*(f'"{w}"' for w in ws[:-1]),
                         "(" + " OR ".join(f'"{t}"' for t in terms) + ")"])


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
                "-ts_rank(a.fts, to_tsquery('simple', :q)) AS rank "
                "FROM articles a WHERE a.fts @@ to_tsquery('simple', :q) "
                "ORDER BY rank, a.id LIMIT :n"),
                {"q": _tsquery(q), "n": limit})
        return [dict(r) for r in rows.mappings()]
