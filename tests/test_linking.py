"""Cross-article linking by surname reads the indexed ``actors.surname`` (migration 0014)
and finds what reading every stored person found (invented names)."""

from __future__ import annotations

import tempfile
from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from tests.stores import migrate_to
from tests.webdata import talks_record
from wirewatch.model import Article, ArticleRecord, Entity, Mention
from wirewatch.nlp.registry import strip_particle
from wirewatch.store import schema as t
from wirewatch.store.linking import _surname_index, link_known_actors
from wirewatch.store.repository import Store

GIVEN = ["Karim", "Salma", "Tariq", "Noor", ""]
FAMILY = ["Duraid", "al-Duraid", "Al Duraid", "Haddad", "al-Haddad", "Mansour", "Jaber"]


def _record(n: int, people: list[tuple[str, str]]) -> ArticleRecord:
    text_ = " ".join(name for name, _ in people) or "Nothing."
    article = Article(id=f"art_link{n:012d}", text=text_, published="2025-11-02")
    ents, at = [], 0
    for name, type_ in people:
        ents.append(Entity(id=f"act_{strip_particle(name).replace(' ', '_')}_{type_}",
                           name=name, type=type_,
                           mentions=[Mention(at, at + len(name), name, type_)]))
        at += len(name) + 1
    return ArticleRecord(article=article, entities=ents, pipeline_version="t")


def _scan(conn, surnames: set[str]) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    """What the lookup did before the column: every stored person, name split."""
    index: dict[str, set[str]] = defaultdict(set)
    for actor_id, name in conn.execute(select(t.actors.c.id, t.actors.c.name).where(
            t.actors.c.type == "PERSON")):
        parts = name.split()
        if len(parts) > 1 and strip_particle(parts[-1]) in surnames:
            index[strip_particle(parts[-1])].add(actor_id)
    return dict(index)


names = st.builds(lambda g, f: f"{g} {f}".strip(), st.sampled_from(GIVEN),
                  st.sampled_from(FAMILY))


@settings(max_examples=60, deadline=None)
@given(batches=st.lists(st.lists(st.tuples(names, st.sampled_from(["PERSON", "ORG"])),
                                 max_size=5), min_size=1, max_size=4),
       asked=st.sets(st.sampled_from([strip_particle(f) for f in FAMILY] + ["nobody"]),
                     min_size=1))
def test_the_surname_lookup_finds_what_reading_every_person_found(batches, asked):
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/s.db")
        for n, people in enumerate(batches):
            store.save(_record(n, people))
        with store.engine.connect() as conn:
            found = {k: v for k, v in _surname_index(conn, asked).items() if v}
            assert found == _scan(conn, asked)
        store.close()


def test_a_longer_name_moves_the_surname(store):
    store.save(_record(1, [("Haddad", "PERSON")]))
    assert _surnames(store) == {"act_haddad_PERSON": None}
    longer = _record(2, [("Haddad", "PERSON")])
    longer.entities[0].name = "Tariq Haddad"  # the same actor, named in full
    store.save(longer)
    assert _surnames(store) == {"act_haddad_PERSON": "haddad"}
    later = _record(3, [("Haddad", "PERSON")])
    later.entities[0].id = "act_someone_new"
    assert link_known_actors(later, store) == {"act_someone_new": "act_haddad_PERSON"}


def _surnames(store: Store) -> dict[str, str | None]:
    with store.engine.connect() as conn:
        return dict(conn.execute(select(t.actors.c.id, t.actors.c.surname)).all())


def test_actors_stored_before_the_column_get_their_surnames(store):
    store.save(talks_record())  # Karim Duraid (a person) and the Tigris Front
    migrate_to(store, "0013")
    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO actors (id, name, type) VALUES "
                          "('act_old_1', 'Noor al-Mansour', 'PERSON'), "
                          "('act_old_2', 'Mansour', 'PERSON'), "
                          "('act_old_3', 'Jaber Brothers Trading', 'ORG')"))
    migrate_to(store, "head")
    surnames = _surnames(store)
    assert surnames["act_duraid"] == "duraid"
    assert surnames["act_old_1"] == "mansour"
    assert surnames["act_old_2"] is None and surnames["act_old_3"] is None
    lone = _record(9, [("Mansour", "PERSON")])
    assert link_known_actors(lone, store) == {"act_mansour_PERSON": "act_old_1"}
