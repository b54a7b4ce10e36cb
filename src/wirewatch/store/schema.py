"""Database tables (SQLAlchemy Core). Alembic migrations in ``migrations/`` create them.

A fact is stored once: ``data`` is the pipeline's output for it, as JSON. The other
columns of a fact table are derived from ``data`` and the fact's reviews by one
function (``store.facts``), so filters, counts and facets run in SQL on the state an
analyst sees. ``articles.record`` holds the article and its entities, not the facts.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
)

metadata = MetaData()

articles = Table(
    "articles", metadata,
    Column("id", String(40), primary_key=True),
    Column("url", Text),
    Column("source", String(200), index=True),
    Column("title", Text),
    Column("published", String(40), index=True),
    Column("published_from", String(20)),
    Column("byline", Text),
    Column("language", String(8)),
    Column("text", Text, nullable=False),
    Column("origin", Text),
    Column("duplicate_of", String(40), index=True),
    Column("fingerprint", JSON),  # min-hash of word shingles, to spot near-copies
    Column("pipeline_version", String(20)),
    Column("ingested_at", String(40)),
    Column("record", JSON, nullable=False),
)

# The LSH bands of each article's fingerprint (``ingest.dedupe.band_keys``): a new article
# is compared only with the articles that share a band key with it.
article_bands = Table(
    "article_bands", metadata,
    Column("key", BigInteger, primary_key=True),
    Column("article_id", String(40), primary_key=True, index=True),
)

actors = Table(
    "actors", metadata,
    Column("id", String(80), primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", String(12), index=True),
    Column("kind", String(40)),
    Column("sectors", JSON),
    Column("country", String(3), index=True),
    Column("registry_id", String(80)),
    Column("aliases", JSON),
    # A person's last name, the key a lone surname in a later article is linked by
    # (``store.linking``); None for other actors and one-word names.
    Column("surname", String(200), index=True),
    Column("mention_count", Integer, default=0),
    Column("article_count", Integer, default=0),
    Column("first_seen", String(40)),
    Column("last_seen", String(40)),
)

mentions = Table(
    "mentions", metadata,
    Column("id", String(40), primary_key=True),
    Column("article_id", String(40), ForeignKey("articles.id", ondelete="CASCADE"),
           nullable=False),
    Column("actor_id", String(80), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text),
    Column("label", String(12)),
    Index("ix_mentions_actor", "actor_id"),
    Index("ix_mentions_article", "article_id"),
)

quotes = Table(
    "quotes", metadata,
    Column("id", String(40), primary_key=True),
    Column("article_id", String(40), ForeignKey("articles.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("speaker_id", String(80), index=True),
    Column("speaker_text", Text),
    Column("speaker_role", Text),
    Column("kind", String(10)),
    Column("cue", Text),
    Column("addressee", Text),
    Column("content", Text),
    Column("sentence", Text),
    Column("start", Integer),
    Column("end", Integer),
    Column("confidence", Float),
    Column("published", String(40), index=True),
    Column("rejected", Integer, nullable=False, default=0, index=True),
    Column("review_id", Integer),
    Column("data", JSON, nullable=False),
)

events = Table(
    "events", metadata,
    Column("id", String(40), primary_key=True),
    Column("article_id", String(40), ForeignKey("articles.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("type", String(12), index=True),
    Column("modality", String(16), index=True),
    Column("cameo", String(8)),
    Column("date", String(40), index=True),
    Column("place_name", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("geo_level", String(10)),
    Column("country", String(3), index=True),
    Column("sentence", Text),
    Column("start", Integer),
    Column("end", Integer),
    Column("confidence", Float),
    Column("published", String(40), index=True),
    Column("rejected", Integer, nullable=False, default=0, index=True),
    Column("review_id", Integer),
    Column("data", JSON, nullable=False),
)

event_participants = Table(
    "event_participants", metadata,
    Column("event_id", String(40), ForeignKey("events.id", ondelete="CASCADE"),
           primary_key=True),
    Column("role", String(10), primary_key=True),  # actor | recipient
    Column("position", Integer, primary_key=True),
    Column("actor_id", String(80), index=True),
    Column("text", Text),
)

relations = Table(
    "relations", metadata,
    Column("id", String(40), primary_key=True),
    Column("article_id", String(40), ForeignKey("articles.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("type", String(20), index=True),
    Column("subject_id", String(80), index=True),
    Column("object_id", String(80), index=True),
    Column("object_text", Text),
    Column("role", Text),
    Column("observed_at", String(40)),
    Column("sentence", Text),
    Column("start", Integer),
    Column("end", Integer),
    Column("confidence", Float),
    Column("rejected", Integer, nullable=False, default=0, index=True),
    Column("review_id", Integer),
    Column("data", JSON, nullable=False),
)

times = Table(
    "times", metadata,
    Column("id", String(40), primary_key=True),
    Column("article_id", String(40), ForeignKey("articles.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("start", Integer),
    Column("end", Integer),
    Column("text", Text),
    Column("type", String(10)),
    Column("value", String(40)),
    Column("data", JSON, nullable=False),
)

places = Table(
    "places", metadata,
    Column("id", String(40), primary_key=True),
    Column("article_id", String(40), ForeignKey("articles.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("start", Integer),
    Column("end", Integer),
    Column("text", Text),
    Column("place_id", String(40), index=True),
    Column("name", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("country", String(3)),
    Column("level", String(10)),
    Column("confidence", Float),
    Column("data", JSON, nullable=False),
)

ingest_failures = Table(
    "ingest_failures", metadata,
    Column("id", String(40), primary_key=True),
    Column("origin", Text, nullable=False),
    Column("reason", String(80), nullable=False),
    Column("detail", Text),
    Column("first_seen", String(40)),
    Column("last_seen", String(40)),
    Column("attempts", Integer, default=1),
)

store_state = Table(
    "store_state", metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text),
)

events.append_column(Column("counted", Integer, nullable=False, default=0))
quotes.append_column(Column("counted", Integer, nullable=False, default=0))
Index("ix_events_counted_date_id", events.c.counted, events.c.date, events.c.id)
Index("ix_quotes_counted_published_id", quotes.c.counted, quotes.c.published, quotes.c.id)
Index("ix_events_date_id", events.c.date, events.c.id)
Index("ix_quotes_published_id", quotes.c.published, quotes.c.id)
Index("ix_actors_mentions_id", actors.c.mention_count, actors.c.id)
Index("ix_relations_observed_id", relations.c.observed_at, relations.c.id)
Index("ix_articles_published_id", articles.c.published, articles.c.id)
# The articles list's order (an article without a date first), walked by common-word search.
Index("ix_articles_blank_published_id", func.coalesce(articles.c.published, ""), articles.c.id)

FACT_TABLES = (mentions, quotes, event_participants, events, relations, times, places)

# 1 for the counted event that stands for its incident (its first report), or for itself
# outside every incident: what a list with ``unit="incidents"`` and no narrowing filter
# shows (``store.rollups`` keeps it, with the counts).
events.append_column(Column("first_report", Integer, nullable=False, default=0))
Index("ix_events_first_report_date_id", events.c.first_report, events.c.date, events.c.id)
