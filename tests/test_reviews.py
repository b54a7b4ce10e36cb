"""The review overlay: audited, keyed on content ids, kept across re-ingest and re-processing."""

from __future__ import annotations

import pytest

from tests.webdata import fill, record_a, record_b
from wirewatch.store import reviews
from wirewatch.store.repository import Filters


def ev_id(store, type_: str) -> str:
    return store.events(Filters(type=type_, include_unasserted=True))[0]["id"]


def test_reject_hides_everywhere_unless_asked(store):
    fill(store)
    target = ev_id(store, "ASSAULT")
    reviews.add_review(store, "event", target, "reject", "ana", comment="not an attack")
    assert target not in {e["id"] for e in store.events()}
    shown = {e["id"]: e for e in store.events(Filters(include_rejected=True))}
    assert shown[target]["review"]["action"] == "reject"
    rec = store.get_record("art_a000000000000001")
    assert rec["events"] == []
    flagged = store.get_record("art_a000000000000001",
                                      include_rejected=True)
    assert flagged["events"][0]["review"]["comment"] == "not an attack"


def test_quotes_and_relations_can_be_rejected(store):
    fill(store)
    q = store.quotes(Filters(speaker="Varda"))[0]["id"]
    rel = store.relations(Filters(type="backed_by"))[0]["id"]
    reviews.add_review(store, "quote", q, "reject", "ana")
    reviews.add_review(store, "relation", rel, "reject", "ana")
    assert store.quotes(Filters(speaker="Varda")) == []
    assert store.relations(Filters(type="backed_by")) == []
    assert len(store.relations(Filters(type="backed_by", include_rejected=True))) == 1


def test_latest_review_wins_and_log_is_append_only(store):
    fill(store)
    target = ev_id(store, "ASSAULT")
    reviews.add_review(store, "event", target, "reject", "ana")
    reviews.add_review(store, "event", target, "accept", "ben", comment="it was an attack")
    assert target in {e["id"] for e in store.events()}
    log = reviews.history(store, "event", target)
    assert [(r["action"], r["reviewer"]) for r in log] == [("reject", "ana"), ("accept", "ben")]
    assert all(r["created_at"] for r in log)


def test_edits_override_fields(store):
    fill(store)
    target = ev_id(store, "CONSULT")
    reviews.add_review(store, "event", target, "edit", "ana", payload={"fields": {
        "type": "agree", "date": "2025-03-04", "place_name": "Najaf"}})
    (row,) = [e for e in store.events(Filters(type="AGREE"))]
    assert row["type"] == "AGREE" and row["data"]["type"] == "AGREE"
    assert row["date"] == "2025-03-04" and row["data"]["date"]["value"] == "2025-03-04"
    assert row["data"]["location"]["name"] == "Najaf" and row["edited"] == [
        "date", "place_name", "type"]
    assert store.events(Filters(type="CONSULT")) == []
    rec = store.get_record("art_b000000000000002")
    (edited,) = [e for e in rec["events"] if e["id"] == target]
    assert edited["type"] == "AGREE" and edited["date"]["reason"] == "reviewed"
    q = store.quotes(Filters(speaker="Haddar"))[0]["id"]
    reviews.add_review(store, "quote", q, "edit", "ana",
                       payload={"fields": {"speaker_role": "interior minister of Iraq"}})
    assert store.quotes(Filters(speaker="Haddar"))[0]["speaker_role"] == (
        "interior minister of Iraq")


def test_reviews_survive_reingest_and_reprocessing(store):
    records = fill(store)
    target = ev_id(store, "ASSAULT")
    edit = ev_id(store, "ACCUSE")
    reviews.add_review(store, "event", target, "reject", "ana")
    reviews.add_review(store, "event", edit, "edit", "ana", payload={"fields": {"type": "REJECT"}})
    # Same content, same pipeline: nothing is rewritten.
    assert store.save(records[0]).status == "unchanged"
    # Re-processing with a new pipeline version deletes and rewrites every fact row;
    # the ids are content hashes, so they come back the same and the reviews still apply.
    for rec in (record_a("t2"), record_b("t2")):
        assert store.save(rec).status == "updated"
    assert target not in {e["id"] for e in store.events()}
    assert [e["id"] for e in store.events(Filters(type="REJECT"))] == [edit]


def test_merge_and_split_actors(store):
    fill(store)
    reviews.add_review(store, "actor", "act_varda", "merge", "ana",
                       payload={"into": "act_haddar"}, comment="same person, two spellings")
    assert "act_varda" not in {a["id"] for a in store.actors()}
    assert _actor_map(store) == {"act_varda": "act_haddar"}
    # Filters by the surviving actor now find the merged actor's facts too.
    spoken = {q["content"] for q in store.quotes(Filters(speaker="act_haddar"))}
    assert "We will not disarm" in spoken
    assert all(q["speaker_id"] == "act_haddar" for q in store.quotes(Filters(speaker="Haddar")))
    roles = store.relations(Filters(actor="act_haddar", type="holds_role"))
    assert {r["subject_id"] for r in roles} == {"act_haddar"}
    # Chains are followed: merging the survivor onwards moves both.
    reviews.add_review(store, "actor", "act_haddar", "merge", "ana", payload={"into": "act_nahr"})
    assert _actor_map(store) == {"act_varda": "act_nahr", "act_haddar": "act_nahr"}
    reviews.add_review(store, "actor", "act_haddar", "split", "ana")
    reviews.add_review(store, "actor", "act_varda", "split", "ana")
    assert _actor_map(store) == {}
    assert {"act_varda", "act_haddar"} <= {a["id"] for a in store.actors()}


def test_merge_cycles_do_not_hang(store):
    fill(store)
    reviews.add_review(store, "actor", "act_varda", "merge", "ana", payload={"into": "act_haddar"})
    reviews.add_review(store, "actor", "act_haddar", "merge", "ana", payload={"into": "act_varda"})
    amap = _actor_map(store)
    assert set(amap) == {"act_varda", "act_haddar"}


def test_actor_edit_and_reject(store):
    fill(store)
    reviews.add_review(store, "actor", "act_police", "edit", "ana",
                       payload={"fields": {"name": "Basra police"}})
    assert {a["id"]: a["name"] for a in store.actors()}["act_police"] == "Basra police"
    reviews.add_review(store, "actor", "act_police", "reject", "ana")
    assert "act_police" not in {a["id"] for a in store.actors()}


def test_update_feed(store):
    fill(store)
    target = ev_id(store, "ASSAULT")
    reviews.add_review(store, "event", target, "reject", "ana")
    reviews.add_review(store, "event", target, "accept", "ben")
    reviews.add_review(store, "actor", "act_varda", "merge", "ana", payload={"into": "act_haddar"})
    feed = reviews.changes(store, "2000-01-01")
    kinds = [(c["change"], c["target_type"]) for c in feed]
    assert kinds.count(("added", "article")) == 3
    assert ("deleted", "event") in kinds and ("restored", "event") in kinds
    assert ("merged", "actor") in kinds
    assert reviews.changes(store, "2999-01-01") == []


@pytest.mark.parametrize("args, error", [
    (("event", "ev_missing", "reject"), LookupError),
    (("thing", "x", "reject"), reviews.ReviewError),
    (("event", None, "shred"), reviews.ReviewError),
    (("relation", None, "merge"), reviews.ReviewError),
    (("event", None, "edit"), reviews.ReviewError),
])
def test_invalid_reviews(store, args, error):
    fill(store)
    kind, target, action = args
    target = target or ev_id(store, "ASSAULT")
    with pytest.raises(error):
        reviews.add_review(store, kind, target, action, "ana")
    with pytest.raises(reviews.ReviewError):
        reviews.add_review(store, "event", ev_id(store, "ASSAULT"), "reject", "  ")
    assert reviews.history(store) == []


def test_cli_update_feed(tmp_path):
    import json

    from typer.testing import CliRunner

    from wirewatch.cli import app
    from wirewatch.store.repository import Store

    db = f"sqlite:///{tmp_path / 'feed.db'}"
    store = Store(db)
    fill(store)
    reviews.add_review(store, "event", ev_id(store, "ASSAULT"), "reject", "ana")
    res = CliRunner().invoke(app, ["changes", "--since", "2000-01-01", "--db", db,
                                   "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert [r["change"] for r in rows].count("deleted") == 1


def _actor_map(store):
    with store.engine.connect() as conn:
        return reviews.actor_map(conn)
