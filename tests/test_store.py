"""The store on SQLite and (with WIREWATCH_TEST_POSTGRES) PostgreSQL."""

from wirewatch.model import (
    Article,
    ArticleRecord,
    Entity,
    Event,
    IngestFailure,
    Mention,
    Participant,
    Place,
    PlaceMention,
    Quote,
    Relation,
    TimeExpr,
)
from wirewatch.store.repository import Filters

TEXT = ("Interior Minister Karim Duraid met envoys from the Tigris Front in Basra on Monday. "
        "\u201cWe will not wait,\u201d Duraid said.")


def make_record(article_id="art_0000000000000001", published="2025-09-08", version="t1"):
    art = Article(id=article_id, text=TEXT, title="Talks", source="Tigris Wire",
                  published=published, origin=f"/tmp/{article_id}.txt")
    duraid = Entity(id="act_duraid", name="Karim Duraid", type="PERSON",
                    mentions=[Mention(18, 30, "Karim Duraid", "PERSON"),
                              Mention(122, 128, "Duraid", "PERSON")], kind="person")
    front = Entity(id="act_front", name="Tigris Front", type="ORG",
                   mentions=[Mention(51, 63, "Tigris Front", "ORG")])
    basra = Entity(id="act_basra", name="Basra", type="GPE",
                   mentions=[Mention(67, 72, "Basra", "GPE")], kind="place")
    quote = Quote(id=f"q_{article_id}", start=85, end=133, content="We will not wait,",
                  content_spans=[[86, 103]], kind="direct", speaker="act_duraid",
                  speaker_text="Duraid", speaker_span=[122, 128], speaker_role="interior minister",
                  cue="said", cue_span=[129, 133], addressee=None, sentence=TEXT[85:],
                  sentence_span=[85, len(TEXT)], confidence=0.9)
    event = Event(id=f"e_{article_id}", type="CONSULT", start=0, end=84,
                  trigger=Mention(31, 34, "met"),
                  actors=[Participant("act_duraid", "Karim Duraid", 18, 30)],
                  recipients=[Participant("act_front", "envoys from the Tigris Front", 35, 63)],
                  modality="asserted", sentence=TEXT[:84], confidence=0.8,
                  date={"value": published, "reason": "article date"},
                  location={"name": "Basra", "lat": 30.5, "lon": 47.8, "level": "city"})
    hyp = Event(id=f"h_{article_id}", type="ASSAULT", start=0, end=84,
                trigger=Mention(31, 34, "met"), actors=[], recipients=[],
                modality="hypothetical", sentence=TEXT[:84], confidence=0.5)
    rel = Relation(id=f"r_{article_id}", type="holds_role", subject="act_duraid",
                   subject_text="Karim Duraid", object=None, object_text="Interior Minister",
                   start=0, end=30, sentence=TEXT[:84], confidence=0.8,
                   role="interior minister", observed_at=published)
    tx = TimeExpr(id=f"t_{article_id}", start=76, end=82, text="Monday", type="DATE",
                  value="2025-09-08", granularity="day", uncertain=False,
                  reason=["weekday"], confidence=0.9)
    pl = PlaceMention(id=f"p_{article_id}", start=67, end=72, text="Basra",
                      place=Place("gn:99532", "Basra", 30.5, 47.8, "IRQ", "Basra", "city"),
                      confidence=0.9)
    return ArticleRecord(art, [duraid, front, basra], [quote], [event, hyp], [rel], [tx], [pl],
                         pipeline_version=version)


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
