"""Scale-out on a real Dask cluster (two local worker processes): the store it fills equals
a single-process ingest of the same corpus, fact for fact, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

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
    """Dask's MALLOC_TRIM_THRESHOLD_=65536 cost a worker 11-20 % more CPU under spaCy; and a
    long batch submitted last keeps the cluster waiting on one worker at the end."""
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
    assert sorted(results) == [1, 2, 2]
    assert submitted == [["a2", "a3"], ["a0", "a1"], ["a4"]]
