"""The store on SQLite and (with WIREWATCH_TEST_POSTGRES) PostgreSQL."""

from tests.webdata import talks_record as make_record
from wirewatch.model import Entity, IngestFailure, Mention
from wirewatch.store.repository import Filters


def test_save_is_idempotent(store):
    rec = make_record()
    assert store.save(rec).status == "new"
    assert store.save(rec).status == "unchanged"
    store.refresh_actor_counts()
    counts = store.stored_counts()
    assert counts["articles"] == 1 and counts["quotes"] == 1 and counts["events"] == 2
    assert counts["mentions"] == 4


def test_new_pipeline_version_replaces_facts(store):
    store.save(make_record(version="t1"))
    assert store.save(make_record(version="t2")).status == "updated"
    assert store.stored_counts()["events"] == 2


def test_queries_and_filters(store):
    store.save(make_record())
    store.save(make_record("art_0000000000000002", published="2025-10-01"))
    store.refresh_actor_counts()
    actors = store.actors()
    assert [a["name"] for a in actors] == ["Karim Duraid", "Tigris Front"]  # places excluded
    assert actors[0]["mention_count"] == 4 and actors[0]["article_count"] == 2
    assert len(store.quotes(Filters(speaker="Duraid"))) == 2
    assert len(store.quotes(Filters(about="wait", since="2025-09-30"))) == 1
    assert store.quotes(Filters(about="nothing like this")) == []
    evs = store.events()
    assert {e["type"] for e in evs} == {"CONSULT"}  # hypothetical hidden by default
    assert len(store.events(Filters(include_unasserted=True))) == 4
    assert len(store.events(Filters(modality="hypothetical"))) == 2
    assert len(store.events(Filters(actor="Duraid", until="2025-09-30"))) == 1
    assert len(store.events(Filters(recipient="Tigris"))) == 2
    assert store.events(Filters(type="ASSAULT")) == []
    assert len(store.relations(Filters(actor="Duraid"))) == 2
    assert store.find_actor("duraid")["id"] == "act_duraid"
    record = store.get_record("art_0000000000000002")
    assert record["article"]["published"] == "2025-10-01"
    assert store.get_record("art_00000") is None  # ambiguous prefix


def test_failures_are_recorded_once_per_origin_and_reason(store):
    fail = IngestFailure("/tmp/bad.bin", "binary file", "NUL bytes")
    store.record_failure(fail)
    store.record_failure(fail)
    rows = store.failures()
    assert len(rows) == 1 and rows[0]["attempts"] == 2 and rows[0]["reason"] == "binary file"


def test_success_clears_an_earlier_failure_of_the_same_file(store):
    store.record_failure(IngestFailure("/tmp/art_0000000000000001.txt", "broken HTML"))
    store.save(make_record())
    assert store.failures() == []


def test_lone_surname_links_to_the_one_known_person(store):
    from wirewatch.store.linking import link_known_actors

    store.save(make_record())
    store.refresh_actor_counts()
    later = make_record("art_0000000000000003")
    lone = Entity(id="act_lone_duraid", name="Duraid", type="PERSON",
                  mentions=[Mention(122, 128, "Duraid", "PERSON")])
    later.entities = [e for e in later.entities if e.id != "act_duraid"] + [lone]
    later.quotes[0].speaker = "act_lone_duraid"
    assert link_known_actors(later, store) == {"act_lone_duraid": "act_duraid"}
    assert later.quotes[0].speaker == "act_duraid"


def test_shared_surname_is_not_linked_across_articles(store):
    from wirewatch.store.linking import link_known_actors

    store.save(make_record())
    other = make_record("art_0000000000000004")
    other.entities[0].id, other.entities[0].name = "act_salma_duraid", "Salma Duraid"
    store.save(other)
    later = make_record("art_0000000000000005")
    later.entities = [Entity(id="act_lone", name="Duraid", type="PERSON",
                             mentions=[Mention(122, 128, "Duraid", "PERSON")])]
    assert link_known_actors(later, store) == {}


def test_an_ingest_beside_records_saved_without_a_fingerprint(store):
    from wirewatch.ingest.dedupe import fingerprint

    store.save(make_record())  # saved directly: its fingerprint is JSON null
    other = make_record("art_0000000000000009")
    result = store.save(other, fingerprint=fingerprint(other.article.text + " More."))
    assert result.status == "new"


def test_a_page_reads_on_one_connection(store):
    """``Store.reading``: the reads behind an actor's page and the overview's statistics
    check out one connection between them, and answer as they do apart."""
    from sqlalchemy import event

    from wirewatch.service import Service
    from wirewatch.store import synthetic

    synthetic.build(store, 200)
    svc = Service(store)
    top = svc.actors(limit=1).items[0]["id"]
    checkouts = []
    event.listen(store.engine, "checkout", lambda *a: checkouts.append(1))
    profile = svc.actor_profile(top, limit=20)
    stats = svc.stats(Filters())
    assert len(checkouts) == 2
    with svc.reading():
        svc.actor_profile(top, limit=20)
        svc.stats(Filters())
        svc.events(Filters(actor=top), limit=5)
    assert len(checkouts) == 3
    # Apart: every read on its own connection, as before.
    assert svc._actor_profile(top, False, 20) == profile
    assert svc._stats(Filters(), "incidents") == stats
    assert len(checkouts) > 10
