"""A deterministic synthetic store of fictional articles and facts, for measuring queries at
scale (``wirewatch bench store``). Names are invented ("Actor 00042", "Source 07"); the
rows have the shape the pipeline writes, so every list, facet and page runs as it would.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import insert

from wirewatch.model import COUNTED_MODALITIES, MODALITIES, PLOVER_TYPES, content_id
from wirewatch.store import rollups
from wirewatch.store import schema as t

EVENTS_PER_ARTICLE = 5
QUOTES_PER_ARTICLE = 3
ACTORS = 5000
SOURCES = 40
WORDS = ("ceasefire talks militia convoy border ministry protest arrests drone strike council "
         "envoy sanctions weapons agreement checkpoint election parliament refugees port "
         "pipeline curfew hostage tribal governor").split()
DAY0 = date(2024, 1, 1)


def _article_text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(120)) + "."


def build(store: Any, events: int, seed: int = 7, batch: int = 2000,
          progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Fill an empty store with about ``events`` events (and their articles, actors,
    participants, quotes); the same arguments give the same rows."""
    rng = random.Random(seed)
    n_articles = max(1, events // EVENTS_PER_ARTICLE)
    weights = [1 / (i + 1) for i in range(ACTORS)]  # a few actors in many events, as in news
    actor_ids = [f"act_syn{i:05d}" for i in range(ACTORS)]
    counts = {"articles": 0, "events": 0, "quotes": 0}
    mention_total: dict[str, int] = {}
    with store.engine.begin() as conn:
        conn.execute(insert(t.actors), [dict(
            id=a, name=f"Actor {i:05d}", type=("PERSON", "ORG", "GPE")[i % 3],
            kind=("person", "armed_group", "state")[i % 3], sectors=[], country="IRQ",
            registry_id=None, aliases=[f"Actor {i:05d}"], mention_count=0, article_count=0,
            first_seen="2024-01-01", last_seen="2025-12-31") for i, a in enumerate(actor_ids)])
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "articles", "events", "event_participants", "quotes", "mentions")}

    def flush() -> None:
        with store.engine.begin() as conn:
            for name in ("articles", "events", "event_participants", "quotes", "mentions"):
                if rows[name]:
                    conn.execute(insert(t.metadata.tables[name]), rows[name])
                    rows[name].clear()

    for a in range(n_articles):
        day = (DAY0 + timedelta(days=rng.randrange(730))).isoformat()
        aid = content_id("art", "synthetic", seed, a)
        source = f"Source {rng.randrange(SOURCES):02d}"
        text = _article_text(rng)
        rows["articles"].append(dict(
            id=aid, url=f"https://example.org/{a}", source=source, title=f"Story {a}",
            published=day, published_from="metadata", byline=None, language="en", text=text,
            origin=f"synthetic:{a}", duplicate_of=None, fingerprint=None,
            pipeline_version="synthetic", ingested_at=day,
            record={"article": {"id": aid, "text": text, "title": f"Story {a}",
                                "source": source, "published": day}, "entities": []}))
        for e in range(EVENTS_PER_ARTICLE):
            eid = content_id("ev", aid, e)
            who = rng.choices(actor_ids, weights, k=2)
            etype = rng.choice(PLOVER_TYPES)
            modality = "asserted" if rng.random() < 0.8 else rng.choice(MODALITIES)
            sentence = f"Actor {who[0][-5:]} and Actor {who[1][-5:]}: {rng.choice(WORDS)}."
            data = {"id": eid, "type": etype, "start": 0, "end": len(sentence),
                    "trigger": {"start": 0, "end": 5, "text": "Actor", "label": None},
                    "actors": [{"entity": who[0], "text": f"Actor {who[0][-5:]}",
                                "start": 0, "end": 11}],
                    "recipients": [{"entity": who[1], "text": f"Actor {who[1][-5:]}",
                                    "start": 16, "end": 27}],
                    "modality": modality, "sentence": sentence, "confidence": 0.7,
                    "date": {"value": day, "reason": "article date"},
                    "location": None}
            rows["events"].append(dict(
                id=eid, article_id=aid, type=etype, modality=modality, cameo=None, date=day,
                place_name=None, lat=None, lon=None, geo_level=None, country="IRQ",
                sentence=sentence, start=0, end=len(sentence), confidence=0.7,
                published=day, rejected=0, review_id=None,
                counted=int(modality in COUNTED_MODALITIES),
                first_report=int(modality in COUNTED_MODALITIES), data=data))
            for role, who_id, pos in (("actor", who[0], 0), ("recipient", who[1], 0)):
                rows["event_participants"].append(dict(
                    event_id=eid, role=role, position=pos, actor_id=who_id,
                    text=f"Actor {who_id[-5:]}"))
                rows["mentions"].append(dict(
                    id=content_id("m", eid, role), article_id=aid, actor_id=who_id,
                    start=0, end=11, text=f"Actor {who_id[-5:]}", label=None))
                mention_total[who_id] = mention_total.get(who_id, 0) + 1
            counts["events"] += 1
        for q in range(QUOTES_PER_ARTICLE):
            qid = content_id("q", aid, q)
            speaker = rng.choices(actor_ids, weights)[0]
            content = " ".join(rng.choice(WORDS) for _ in range(12))
            data = {"id": qid, "start": 0, "end": 10, "content": content,
                    "content_spans": [[0, 10]], "kind": "indirect", "speaker": speaker,
                    "speaker_text": f"Actor {speaker[-5:]}", "speaker_span": None,
                    "speaker_role": None, "cue": "said", "cue_span": None, "addressee": None,
                    "sentence": content, "sentence_span": [0, 10], "confidence": 0.7}
            rows["quotes"].append(dict(
                id=qid, article_id=aid, speaker_id=speaker,
                speaker_text=f"Actor {speaker[-5:]}", speaker_role=None, kind="indirect",
                cue="said", addressee=None, content=content, sentence=content, start=0,
                end=10, confidence=0.7, published=day, rejected=0, review_id=None, counted=1,
                data=data))
            counts["quotes"] += 1
        counts["articles"] += 1
        if len(rows["events"]) >= batch:
            flush()
            if progress:
                progress(counts["events"], events)
    flush()
    store.refresh_actor_counts()
    # No incidents here: every counted event is its own first report (set above).
    store._write(lambda conn: rollups.rebuild(conn, first_reports=False))
    # PostgreSQL: planner statistics and the visibility map after a bulk load (autovacuum
    # would gather them later; until then it plans an actor's 100,000 rows as a dozen, and
    # counts read the table instead of the index). Not SQLite's ANALYZE: with its
    # statistics SQLite drove a common full-text word's 240,000 matches through a sort
    # (quotes?q= 0.9 s -> 4.6 s at a million events).
    if store.dialect == "postgresql":
        with store.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(
                sa.text("VACUUM ANALYZE"))
    return counts
