"""Scale-out on a real Dask cluster (two local worker processes): the store it fills equals
a single-process ingest of the same corpus, fact for fact, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wirewatch.service import Service

ROOT = Path(__file__).resolve().parent.parent
CORPUS = [ROOT / "examples" / name for name in (
    "002_factions-split-weapons-plan.txt", "005_rockets-hit-ain-al-asad.txt",
    "006_anbar-arrests-rocket-attack.txt", "029_reactions-partial-deal.txt")] + [
    ROOT / "tests" / "data" / "consistency" / name for name in (
        "01_wire.txt", "02_other.txt", "03_republished.txt")]


def snapshot(svc: Service) -> dict[str, dict]:
    """Every stored article with every fact, as the service reads it back."""
    return {aid: svc.article(aid, include_rejected=True) for aid in svc.store.article_ids()}


@pytest.fixture(scope="module")
def single(tmp_path_factory, nlp):
    from wirewatch.store.repository import Store

    svc = Service(Store(f"sqlite:///{tmp_path_factory.mktemp('single') / 's.db'}"))
    svc._nlp = nlp
    summary = svc.ingest(CORPUS)
    assert summary.new == len(CORPUS) and summary.failed == 0
    return snapshot(svc), svc.counts(), svc.articles().items


def test_two_dask_workers_fill_the_same_store(store, single):
    expected, counts, articles = single
    svc = Service(store)
    summary = svc.ingest(CORPUS, dask="local:2")
    assert summary.new == len(CORPUS) and summary.failed == 0
    assert summary.near_copies == 1
    assert snapshot(svc) == expected
    assert svc.counts() == counts
    assert [(a["id"], a["duplicate_of"]) for a in svc.articles().items] == [
        (a["id"], a["duplicate_of"]) for a in articles]
    # Idempotent and resumable: a second run finds everything stored.
    again = svc.ingest(CORPUS, dask="local:2")
    assert again.new == 0 and again.unchanged == len(CORPUS)


def test_bad_cluster_specs_are_refused():
    from wirewatch.ingest.cluster import parse_spec

    assert parse_spec("local:3") == ("local", 3)
    assert parse_spec("tcp://10.0.0.5:8786") == ("address", "tcp://10.0.0.5:8786")
    for bad in ("local:0", "local:x", "somewhere"):
        with pytest.raises(ValueError):
            parse_spec(bad)


def test_local_workers_keep_glibc_trim_and_take_long_batches_first(monkeypatch):
    """Dask's MALLOC_TRIM_THRESHOLD_=65536 cost a worker 11-20 % more CPU under spaCy; a
    long batch submitted last keeps the cluster waiting on one worker at the end; and the
    client saves what it holds as soon as no batch is left waiting for a worker."""
    import os

    from wirewatch.ingest import cluster
    from wirewatch.model import Article

    monkeypatch.setattr(cluster, "ensure_pipeline", lambda client, config: None)
    articles = [Article(id=f"a{i}", text="word " * n) for i, n in enumerate([5, 40, 10, 90, 20])]
    submitted: list[list[str]] = []
    with cluster.dask_client("local:1") as client:
        env = client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
        assert list(env.values()) == [None]

        def submit(chunk):  # type: ignore[no-untyped-def]
            submitted.append([a.id for a in chunk])
            return client.submit(len, chunk, pure=False)

        results = list(cluster._run_tasks(articles, None, client, 2, None, submit))  # type: ignore[arg-type]
    assert sorted(n for n, _ in results) == [1, 2, 2]
    # One worker: it runs one batch while the next waits; the last two find none waiting.
    assert [draining for _, draining in results] == [False, True, True]
    assert submitted == [["a1", "a3"], ["a2", "a4"], ["a0"]]


@settings(max_examples=200, deadline=None)
@given(lengths=st.lists(st.integers(0, 50), max_size=60), batch_size=st.integers(1, 8),
       slots=st.integers(1, 6))
def test_batches_are_longest_first_and_shrink_towards_the_end(lengths, batch_size, slots):
    from wirewatch.ingest.cluster import _longest_first
    from wirewatch.model import Article

    articles = [Article(id=f"a{i}", text="x" * n) for i, n in enumerate(lengths)]
    batches = _longest_first(articles, batch_size, slots)
    ids = [a.id for b in batches for a in b]
    assert sorted(ids) == sorted(a.id for a in articles)  # each article once
    sizes = [len(b) for b in batches]
    assert all(1 <= n <= batch_size for n in sizes)
    assert sizes == sorted(sizes, reverse=True)
    for b in batches:  # input order (earliest published first) inside a batch
        assert [a.id for a in b] == [a.id for a in sorted(b, key=lambda a: int(a.id[1:]))]
    # No article of a later batch is longer than one of an earlier batch.
    for early, late in zip(batches, batches[1:], strict=False):
        assert min(len(a.text) for a in early) >= max(len(a.text) for a in late)
    if articles:  # the end of a run is single articles
        assert sizes[-1] == 1
