"""Saves add what they change to the actors' mention and article counts; the counts always
equal a recount of the stored mentions (invented articles)."""

from __future__ import annotations

import tempfile

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from wirewatch.model import Article, ArticleRecord, Entity, Mention
from wirewatch.store import schema as t
from wirewatch.store.repository import Store

NAMES = ["Noor Haddad", "Tariq Mansour", "Valdora Port Authority", "Basra", "Salma Jaber"]
WORDS = " ".join(["word"] * 40)


def _record(article: int, version: str, mentions: list[tuple[int, int]]) -> ArticleRecord:
    """``mentions``: (actor, slot) pairs; one slot is one span of the text, so two actors
    given the same slot claim the same span."""
    ents: dict[int, Entity] = {}
    for actor, slot in mentions:
        name = NAMES[actor]
        ent = ents.setdefault(actor, Entity(id=f"act_c{actor}", name=name, type="PERSON"))
        ent.mentions.append(Mention(slot * 5, slot * 5 + 4, "word", "PERSON"))
    return ArticleRecord(article=Article(id=f"art_count{article:08d}", text=WORDS,
                                         published="2025-11-03"),
                         entities=list(ents.values()), pipeline_version=version)


def _stored_counts(store: Store) -> dict[str, tuple[int, int]]:
    ac, m = t.actors, t.mentions
    with store.engine.connect() as conn:
        stored = {r[0]: (r[1] or 0, r[2] or 0) for r in conn.execute(
            select(ac.c.id, ac.c.mention_count, ac.c.article_count))}
        counted = {r[0]: (r[1], r[2]) for r in conn.execute(
            select(m.c.actor_id, func.count(), func.count(func.distinct(m.c.article_id)))
            .group_by(m.c.actor_id))}
    return {"stored": stored, "counted": {a: counted.get(a, (0, 0)) for a in stored}}


saves = st.lists(st.tuples(
    st.integers(0, 3),  # article
    st.sampled_from(["v1", "v2"]),  # pipeline version: another one replaces the facts
    st.lists(st.tuples(st.integers(0, len(NAMES) - 1), st.integers(0, 7)), max_size=8),
), min_size=1, max_size=8)


@settings(max_examples=40, deadline=None)
@given(batches=st.lists(saves, min_size=1, max_size=3), force=st.booleans())
def test_counts_equal_a_recount_after_any_saves(batches, force):
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/c.db")
        for batch in batches:
            store.save_many([_record(a, v, ms) for a, v, ms in batch], force=force)
            counts = _stored_counts(store)
            assert counts["stored"] == counts["counted"]
        store.close()


def test_replacing_an_article_moves_its_counts(store):
    store.save(_record(1, "v1", [(0, 0), (0, 1), (1, 2)]))
    store.save(_record(2, "v1", [(0, 3)]))
    # The same span claimed twice is one stored mention.
    store.save_many([_record(1, "v2", [(1, 0), (2, 0), (1, 4)]), _record(3, "v1", [(2, 5)])])
    counts = _stored_counts(store)
    assert counts["stored"] == counts["counted"]
    assert counts["stored"] == {"act_c0": (1, 1), "act_c1": (2, 1), "act_c2": (1, 1)}
