"""The counts kept at write time (``store.rollups``) equal a full GROUP BY of the facts after
any sequence of ingests, re-ingests, near-copies, reviews, actor merges and incident
regroupings, on SQLite and (with WIREWATCH_TEST_POSTGRES) PostgreSQL.

The stores are small and fictional: invented actors in a few real towns.
"""

from __future__ import annotations

import os
from dataclasses import replace
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.stores import empty_postgres
from wirewatch.ingest.dedupe import fingerprint
from wirewatch.model import (
    Article,
    ArticleRecord,
    Entity,
    Event,
    IngestFailure,
    Mention,
    Participant,
    Quote,
    content_id,
)
from wirewatch.service import Service
from wirewatch.store import incidents, lists, rollups
from wirewatch.store import schema as t
from wirewatch.store.lists import Filters
from wirewatch.store.repository import Store
from wirewatch.store.reviews import add_review

ACTORS = [("act_fc_amal", "Amal Rashed", "PERSON"), ("act_fc_khor", "Khor Guard", "ORG"),
          ("act_fc_nisr", "Nisr Council", "ORG"), ("act_fc_tala", "Tala Hamdi", "PERSON")]
TOWNS = ["Mosul", "Kirkuk", "Najaf"]
TYPES = ["ASSAULT", "PROTEST", "CONSULT"]
MODALITIES = ["asserted", "asserted", "hypothetical", "negated"]
DAYS = ["2025-02-01", "2025-02-02", "2025-02-09", None]
SOURCES = ["North Desk", "River Post", None]


def _text(slot: int, town: str) -> str:
    """An invented story, the same words for the same slot and town (near-copies)."""
    return (f"Members of the Khor Guard and the Nisr Council met in {town} after clashes. "
            f"Amal Rashed said talks would go on. Tala Hamdi said nothing. Slot {slot % 2}.")


event_spec = st.tuples(st.sampled_from(TYPES), st.sampled_from(MODALITIES),
                       st.sampled_from(DAYS), st.lists(st.integers(0, 3), max_size=2),
                       st.lists(st.integers(0, 3), max_size=2))
quote_spec = st.tuples(st.one_of(st.none(), st.integers(0, 3)),
                       st.sampled_from(["direct", "indirect"]))
save_op = st.tuples(st.just("save"), st.integers(0, 3), st.sampled_from(["v1", "v2"]),
                    st.sampled_from(TOWNS), st.sampled_from(DAYS[:3]),
                    st.sampled_from(SOURCES), st.lists(event_spec, max_size=4),
                    st.lists(quote_spec, max_size=2))
review_op = st.tuples(st.just("review"), st.sampled_from(["event", "quote"]),
                      st.integers(0, 20),
                      st.sampled_from(["reject", "accept", "type", "modality", "speaker"]))
merge_op = st.tuples(st.just("merge"), st.integers(0, 3), st.integers(0, 3))
group_op = st.tuples(st.just("incidents"), st.booleans())
# Several saves in one transaction (``Store.save_many``, as an ingest saves its batches).
batch_op = st.tuples(st.just("batch"), st.lists(save_op, min_size=2, max_size=4))
operations = st.lists(st.one_of(save_op, save_op, review_op, merge_op, group_op, batch_op),
                      min_size=1, max_size=12)


def _record(slot: int, version: str, town: str, day: str, source: str | None,
            events: list, quotes: list) -> ArticleRecord:
    aid = f"art_fc{slot:04d}"
    body = _text(slot, town)
    art = Article(id=aid, text=body, title=f"Story {slot}", source=source, published=day,
                  origin=f"/tmp/{aid}.txt")
    ents = [Entity(id=i, name=n, type=ty, mentions=[Mention(0, len(n), n, ty)])
            for i, n, ty in ACTORS]
    evs = []
    for k, (etype, modality, date, actors, recipients) in enumerate(events):
        evs.append(Event(
            id=content_id("ev", aid, k), type=etype, start=0, end=60,
            trigger=Mention(0, 7, "Members"),
            actors=[Participant(ACTORS[a][0], ACTORS[a][1], 0, 5) for a in actors],
            recipients=[Participant(ACTORS[a][0], ACTORS[a][1], 0, 5) for a in recipients],
            modality=modality, sentence=body[:60], confidence=0.5 + k / 100,
            date={"value": date, "reason": "article date"} if date else None,
            location={"name": town, "level": "city"}))
    qs = []
    for k, (speaker, kind) in enumerate(quotes):
        who = ACTORS[speaker] if speaker is not None else (None, None, None)
        qs.append(Quote(id=content_id("q", aid, k), start=0, end=10, content="talks go on",
                        content_spans=[[0, 10]], kind=kind, speaker=who[0],
                        speaker_text=who[1], speaker_span=None, speaker_role=None, cue="said",
                        cue_span=None, addressee=None, sentence=body[:40],
                        sentence_span=[0, 40], confidence=0.6))
    return ArticleRecord(art, ents, qs, evs, pipeline_version=version)


def _fresh_store(kind: str, tmp_path, n: int) -> Store:
    if kind == "sqlite":
        return Store(f"sqlite:///{tmp_path / f'counts{n}.db'}")
    return Store(empty_postgres(os.environ["WIREWATCH_TEST_POSTGRES"]))


def _apply(store: Store, op: tuple) -> None:
    if op[0] == "save":
        _, slot, version, town, day, source, events, quotes = op
        rec = _record(slot, version, town, day, source, events, quotes)
        store.save(rec, fingerprint=fingerprint(rec.article.text))
        incidents.rebuild(store, [day])  # as an ingest does after its batch
    elif op[0] == "batch":
        recs = [_record(*save[1:]) for save in op[1]]
        store.save_many(recs, {r.article.id: fingerprint(r.article.text) for r in recs})
        incidents.rebuild(store, sorted({r.article.published for r in recs}))
    elif op[0] == "review":
        _, kind, nth, action = op
        table = t.events if kind == "event" else t.quotes
        with store.engine.connect() as conn:
            ids = [r[0] for r in conn.execute(select(table.c.id).order_by(table.c.id))]
        if not ids:
            return
        target = ids[nth % len(ids)]
        if action in ("reject", "accept"):
            add_review(store, kind, target, action, "tester")
        elif kind == "event" and action in ("type", "modality"):
            value = TYPES[nth % 3] if action == "type" else MODALITIES[nth % 4]
            add_review(store, kind, target, "edit", "tester",
                       payload={"fields": {action: value}})
        elif kind == "quote":
            add_review(store, kind, target, "edit", "tester",
                       payload={"fields": {"speaker": ACTORS[nth % 4][0]}})
        if kind == "event":
            incidents.refresh_for_events(store, [target])
    elif op[0] == "merge":
        _, a, b = op
        if a != b:
            with store.engine.connect() as conn:
                known = {r[0] for r in conn.execute(select(t.actors.c.id))}
            if ACTORS[a][0] in known and ACTORS[b][0] in known:
                add_review(store, "actor", ACTORS[a][0], "merge", "tester",
                           payload={"into": ACTORS[b][0]})
    else:
        incidents.rebuild(store, None if op[1] else DAYS[:3])


def _check(store: Store) -> None:
    with store.engine.connect() as conn:
        kept = rollups.stored_counts(conn)
        first = dict(conn.execute(select(t.events.c.id, t.events.c.first_report)).all())
        assert kept == rollups.full_counts(conn)
        # first_report is each incident's first report among the counted events, as the
        # window query of lists.one_per_incident picks it.
        ev, ar = t.events, t.articles
        from wirewatch.store.incidents import incident_events as ie
        picked = {r[0] for r in conn.execute(
            select(ev.c.id).select_from(ev.join(ar, ar.c.id == ev.c.article_id).outerjoin(
                ie, ie.c.event_id == ev.c.id)).where(
                ev.c.counted == 1, lists.one_per_incident([ev.c.counted == 1])))}
        assert {i for i, v in first.items() if v == 1} == picked
    # The lists read the kept counts; they agree with the counting queries (which they
    # run when a filter narrows them: here every list is made to think one does).
    svc = Service(store)

    def both(call):
        fast = call()
        with patch.object(lists, "narrowed_by", lambda f: {"forced"}):
            return fast, call()

    for unit in ("events", "incidents"):
        fast, slow = both(lambda u=unit: svc.events(
            Filters(), 0, facets=("type", "source", "actor", "recipient"), unit=u))
        assert fast.total == slow.total
        for name in fast.facets:
            assert _as_dict(fast.facets[name]) == _as_dict(slow.facets[name])
    for aid, *_ in ACTORS:
        for f in (Filters(actor=aid), Filters(recipient=aid), Filters(type="ASSAULT")):
            fast, slow = both(lambda f=f: svc.events(f, 0))
            assert fast.total == slow.total
        fast, slow = both(lambda a=aid: svc.quotes(Filters(speaker=a), 0))
        assert fast.total == slow.total
    fast, slow = both(lambda: svc.quotes(Filters(), 0, facets=("speaker", "source", "kind")))
    assert fast.total == slow.total
    for name in fast.facets:
        assert _as_dict(fast.facets[name]) == _as_dict(slow.facets[name])
    fast, slow = both(lambda: svc.articles(Filters(), 0, facets=("source",)))
    assert (fast.total, _as_dict(fast.facets["source"])) == (
        slow.total, _as_dict(slow.facets["source"]))
    fast, slow = both(lambda: svc.store.per_day(Filters()))
    assert fast == slow
    fast, slow = both(lambda: svc.stats(Filters()))
    assert fast == slow


def _as_dict(rows: list[dict]) -> dict:
    return {r["value"]: r["count"] for r in rows}


def _kinds() -> list[str]:
    return ["sqlite"] + (["postgresql"] if os.environ.get("WIREWATCH_TEST_POSTGRES") else [])


@pytest.mark.parametrize("kind", _kinds())
def test_kept_counts_equal_a_full_group_by(kind, tmp_path):
    runs = iter(range(10_000))

    @settings(max_examples=25 if kind == "sqlite" else 12, deadline=None,
              report_multiple_bugs=False, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=[HealthCheck.too_slow])
    @given(operations)
    def check(ops):
        store = _fresh_store(kind, tmp_path, next(runs))
        try:
            for op in ops:
                _apply(store, op)
            _check(store)
        finally:
            store.close()

    check()


def test_rebuild_restores_counts_and_the_counts_can_fail(tmp_path):
    """A count changed behind the store's back is seen by the comparison (the test can
    fail), and ``rebuild`` puts it right."""
    store = Store(f"sqlite:///{tmp_path / 'r.db'}")
    rec = _record(1, "v1", "Mosul", "2025-02-01", "North Desk",
                  [("ASSAULT", "asserted", "2025-02-01", [0], [1])], [(0, "direct")])
    store.save(rec)
    with store.engine.begin() as conn:
        conn.execute(rollups.fact_counts.update().where(
            rollups.fact_counts.c.dim == "type").values(n=rollups.fact_counts.c.n + 1))
        assert rollups.stored_counts(conn) != rollups.full_counts(conn)
        rollups.rebuild(conn)
        assert rollups.stored_counts(conn) == rollups.full_counts(conn)
    assert Service(store).events(Filters(), 0, facets=("type",)).facets["type"] == [
        {"value": "ASSAULT", "count": 1}]
    store.close()


def test_same_record_twice_counts_once(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'twice.db'}")
    rec = _record(2, "v1", "Najaf", "2025-02-02", None,
                  [("PROTEST", "asserted", None, [2], [])], [])
    store.save(rec)
    store.save(rec)
    store.save(replace(rec, pipeline_version="v2"), force=True)
    assert Service(store).events(Filters(), 0).total == 1
    store.close()


def test_an_actor_filter_with_actor_facets(tmp_path):
    """The actor facet reads event_participants itself: an actor filter beside it must not
    correlate to the facet's rows (it did, and the events page of an actor failed)."""
    store = Store(f"sqlite:///{tmp_path / 'facets.db'}")
    store.save(_record(3, "v1", "Basra", "2025-02-03", "North Desk",
                       [("ASSAULT", "asserted", "2025-02-03", [0], [1])], []))
    page = Service(store).events(Filters(actor=ACTORS[0][0]), 10,
                                 facets=("actor", "recipient", "type"), unit="events")
    assert page.total == 1
    assert page.facets["actor"][0]["count"] == 1
    store.close()


def test_saves_reuse_the_count_statements(tmp_path) -> None:
    """The per-save recount runs statements built once (ids bound per call), and what
    they count matches a full GROUP BY."""
    store = Store(f"sqlite:///{tmp_path / 'reuse.db'}")
    store.save(_record(1, "v1", "Mosul", "2025-02-01", "North Desk",
                       [("ASSAULT", "asserted", "2025-02-01", [0], [1])], [(2, "direct")]))
    built = (rollups._event_queries.cache_info().misses, rollups._quote_query.cache_info().misses,
             rollups._article_query.cache_info().misses)
    store.save(_record(2, "v1", "Kirkuk", "2025-02-02", "River Post",
                       [("PROTEST", "asserted", None, [1], [])], [(None, "indirect")]))
    store.save(_record(1, "v2", "Najaf", "2025-02-09", None, [], []))  # replaces slot 1
    assert (rollups._event_queries.cache_info().misses, rollups._quote_query.cache_info().misses,
            rollups._article_query.cache_info().misses) == built
    with store.engine.connect() as conn:
        assert rollups.stored_counts(conn) == +rollups.full_counts(conn)
    store.close()


def _rows(store: Store) -> dict[str, list]:
    """Every row of every table the saves write (the ingest time left out)."""
    out = {}
    with store.engine.connect() as conn:
        for name in ("articles", "actors", "mentions", "events", "event_participants",
                     "quotes", "relations", "times", "places", "article_bands",
                     "ingest_failures", "fact_counts"):
            table = t.metadata.tables[name]
            cols = [c for c in table.c if c.name not in ("ingested_at", "first_seen",
                                                         "last_seen")
                    or name == "actors"]
            rows = conn.execute(select(*cols)).all()
            if name == "fact_counts":
                # A count that went up and back down inside one batch leaves no row at
                # zero, as it does one record at a time; readers skip zero rows.
                rows = [r for r in rows if r[-1] != 0]
            out[name] = sorted(repr(tuple(r)) for r in rows)
    return out


def test_a_batch_saves_what_one_at_a_time_saves(tmp_path) -> None:
    """``save_many`` (one recount, one actor recount and one insert per fact table for the
    whole batch) leaves every row as saving the same records one at a time does: with a
    near-copy published before the original saved earlier in the same batch (the copies
    re-pointed inside it), an article saved twice, a failure naming a later origin and
    an article replaced by a new version (only counts at zero may differ: see ``_rows``)."""
    first = _record(1, "v1", "Mosul", "2025-02-02", "North Desk",
                    [("ASSAULT", "asserted", "2025-02-02", [0], [1])], [(0, "direct")])
    older_copy = _record(3, "v1", "Mosul", "2025-02-01", "River Post",
                         [("ASSAULT", "asserted", "2025-02-01", [1], [0])], [(None, "direct")])
    other = _record(2, "v1", "Kirkuk", "2025-02-09", None,
                    [("PROTEST", "asserted", None, [2], []),
                     ("CONSULT", "hypothetical", None, [3], [2])], [(3, "indirect")])
    other.failures = [IngestFailure(first.article.origin, "time budget", "slow"),
                      IngestFailure(other.article.origin, "component failed", "x")]
    replaced = _record(2, "v2", "Najaf", "2025-02-09", None, [], [(1, "direct")])
    # Both new in one batch, the later-published one saved first.
    later = _record(5, "v1", "Basra", "2025-02-05", "North Desk",
                    [("PROTEST", "asserted", "2025-02-05", [0], [])], [(1, "direct")])
    earlier = _record(7, "v1", "Basra", "2025-02-04", "River Post", [], [])
    for r in (later, earlier):  # a story of their own, unlike the others
        r.article.text = ("Farmers of the Hadba valley marched to the grain office in Basra on "
                          "Tuesday to ask for the delayed payments for the winter harvest.")
    batches = [[first, other], [older_copy, first, replaced, other],
               [replace(first, pipeline_version="v2"), later, earlier]]
    stores = []
    for name, together in (("one", False), ("many", True)):
        store = Store(f"sqlite:///{tmp_path / f'{name}.db'}")
        for batch in batches:
            fps = {r.article.id: fingerprint(r.article.text) for r in batch}
            if together:
                store.save_many(batch, fps)
            else:
                for r in batch:
                    store.save(r, fps[r.article.id])
        stores.append(store)
    one, many = (_rows(s) for s in stores)
    assert one == many
    with stores[1].engine.connect() as conn:  # the stored original was re-pointed
        copies = dict(conn.execute(select(t.articles.c.id, t.articles.c.duplicate_of)).all())
        assert (copies["art_fc0001"], copies["art_fc0005"]) == ("art_fc0003", "art_fc0007")
    with stores[1].engine.connect() as conn:
        assert rollups.stored_counts(conn) == +rollups.full_counts(conn)
    for s in stores:
        s.close()


# Days far apart, an article's events dated years before it among them: an ingest regroups
# the days within reach of each, not everything between the first and the last.
FAR_DAYS = ["2023-05-04", "2025-02-01", "2025-02-02", "2025-02-04", "2025-11-30"]
# One type, one town and a shared actor mostly: reports that join when their days allow.
far_event = st.tuples(st.sampled_from(TYPES[:1] * 3 + TYPES[1:2]), st.just("asserted"),
                      st.sampled_from(FAR_DAYS), st.lists(st.integers(0, 1), min_size=1,
                                                          max_size=2), st.just([]))
far_save = st.tuples(st.integers(0, 5), st.sampled_from(["v1", "v2"]),
                     st.sampled_from(TOWNS[:1] * 3 + TOWNS[1:2]), st.sampled_from(FAR_DAYS),
                     st.sampled_from(SOURCES), st.lists(far_event, max_size=3))


def _membership(store: Store) -> list[tuple[str, str]]:
    ie = incidents.incident_events
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(ie.c.incident_id, ie.c.event_id).order_by(ie.c.event_id))]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches=st.lists(st.lists(far_save, min_size=1, max_size=3), min_size=1, max_size=4))
def test_incremental_regrouping_equals_a_full_one_over_far_apart_days(batches, tmp_path_factory):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('far') / 'far.db'}")
    try:
        for batch in batches:
            recs = {}
            for slot, version, town, day, source, events in batch:
                recs[slot] = _record(slot, version, town, day, source, events, [])
            ids = sorted(r.article.id for r in recs.values())
            days = set(incidents.event_days(store, ids))  # as an ingest: before and after
            store.save_many(list(recs.values()))
            incidents.rebuild(store, days | set(incidents.event_days(store, ids)))
        _check(store)
        incremental = _membership(store)
        incidents.rebuild(store, None)
        assert _membership(store) == incremental
    finally:
        store.close()
