"""The ingest job: read sources, run the pipeline (in batches, optionally in worker
processes), store each record, record each failure, and count what happened."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from wirewatch.ingest.decode import DEFAULT_MAX_BYTES
from wirewatch.ingest.dedupe import fingerprint
from wirewatch.ingest.sources import Defaults, read_inputs
from wirewatch.model import Article, ArticleRecord, IngestFailure
from wirewatch.nlp.pipeline import (
    PIPELINE_VERSION,
    PipelineConfig,
    build_nlp,
    process,
    warm_up,
)
from wirewatch.store import incidents
from wirewatch.store.linking import link_known_actors
from wirewatch.store.repository import Store


@dataclass
class IngestSummary:
    new: int = 0
    unchanged: int = 0
    updated: int = 0
    failed: int = 0
    entities: int = 0
    quotes: int = 0
    events: int = 0
    relations: int = 0
    times: int = 0
    places: int = 0
    near_copies: int = 0
    characters: int = 0
    seconds: float = 0.0
    failures: list[IngestFailure] = field(default_factory=list)

    @property
    def processed(self) -> int:
        return self.new + self.updated

    def add(self, record: ArticleRecord) -> None:
        self.add_counts(record_counts(record))

    def add_counts(self, counts: dict[str, int]) -> None:
        for key, n in counts.items():
            setattr(self, key, getattr(self, key) + n)

    def as_dict(self) -> dict[str, object]:
        secs = max(self.seconds, 1e-9)
        return {
            "articles_new": self.new, "articles_unchanged": self.unchanged,
            "articles_updated": self.updated, "articles_failed": self.failed,
            "near_copies": self.near_copies,
            "entities": self.entities, "quotes": self.quotes, "events": self.events,
            "relations": self.relations, "times": self.times, "places": self.places,
            "seconds": round(self.seconds, 2),
            "articles_per_second": round(self.processed / secs, 2),
            "characters_per_second": round(self.characters / secs),
        }


# Records saved per write transaction: a crash loses at most this many (a re-run redoes
# them), and each commit costs about as much as writing a small article.
SAVE_BATCH = 16

def record_counts(record: ArticleRecord) -> dict[str, int]:
    return {"entities": len(record.entities), "quotes": len(record.quotes),
            "events": len(record.events), "relations": len(record.relations),
            "times": len(record.times), "places": len(record.places),
            "characters": len(record.article.text)}


@dataclass
class Saved:
    """One record as saved: all the summary needs of it, and all a Dask worker that wrote
    it to the shared store sends back to the client."""

    article_id: str
    status: str  # new | updated | unchanged
    duplicate_of: str | None
    counts: dict[str, int]
    failures: list[IngestFailure]


def save_records(store: Store, records: list[ArticleRecord],
                 fingerprints: dict[str, list[int]], force: bool) -> list[Saved]:
    """One transaction for a batch: facts, actor counts, near-copy marks, failures; each
    record linked to the actors stored before it (earlier batches and this one)."""
    results = store.save_many(records, fingerprints, force=force,
                              before_save=link_known_actors)
    return [Saved(r.article.id, res.status, res.duplicate_of, record_counts(r), r.failures)
            for r, res in zip(records, results, strict=True)]


_worker_nlp: Language | None = None


def _worker_init(config: PipelineConfig) -> None:
    global _worker_nlp
    _worker_nlp = build_nlp(config)
    warm_up(_worker_nlp)


def _worker_process(articles: list[Article]) -> list[ArticleRecord]:
    assert _worker_nlp is not None
    return list(process(_worker_nlp, articles))


def _chunks(items: Sequence[Article], size: int) -> Iterator[list[Article]]:
    for i in range(0, len(items), size):
        yield list(items[i:i + size])


def run_pipeline(
    articles: Sequence[Article],
    config: PipelineConfig,
    workers: int = 1,
    batch_size: int = 16,
    nlp: Language | None = None,
) -> Iterator[ArticleRecord]:
    """Records in input order; worker processes each load their own pipeline."""
    if not articles:  # nothing to analyse: no pipeline to load
        return
    if workers <= 1 or len(articles) < 2 * batch_size:
        nlp = nlp or build_nlp(config)
        yield from process(nlp, articles, batch_size=batch_size, config=config)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init,
                             initargs=(config,)) as pool:
        for records in pool.map(_worker_process, _chunks(articles, batch_size)):
            yield from records


def _publication_order(article: Article) -> tuple[str, str]:
    """Earliest-published first, so a single run stores originals before their copies."""
    return (article.published or "9999", article.id)


def ingest(
    store: Store,
    paths: Iterable[str | Path],
    defaults: Defaults | None = None,
    config: PipelineConfig | None = None,
    workers: int = 1,
    max_bytes: int = DEFAULT_MAX_BYTES,
    reprocess: bool = False,
    on_failure: Callable[[IngestFailure], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
    nlp: Language | None = None,
    on_article: Callable[[Article, str, ArticleRecord | None], None] | None = None,
    dask_client: Any = None,
) -> IngestSummary:
    """Read files and folders and ingest what they hold (see :func:`ingest_items`)."""
    return ingest_items(store, read_inputs(paths, defaults, max_bytes), config, workers,
                        reprocess, on_failure, progress, nlp, on_article, dask_client)


def ingest_items(
    store: Store,
    items: Iterable[Article | IngestFailure],
    config: PipelineConfig | None = None,
    workers: int = 1,
    reprocess: bool = False,
    on_failure: Callable[[IngestFailure], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
    nlp: Language | None = None,
    on_article: Callable[[Article, str, ArticleRecord | None], None] | None = None,
    dask_client: Any = None,
) -> IngestSummary:
    """The one ingest path (CLI, API, Python): skip known articles, mark near-copies, run the
    pipeline, link actors across articles, save each record with its fingerprint, record
    each failure, recount actors. ``on_article(article, status, record)`` hears of each.
    With ``dask_client`` the pipeline runs on a Dask cluster's workers (``cluster.py``)."""
    started = time.perf_counter()
    summary = IngestSummary()
    config = config or PipelineConfig()
    todo: list[Article] = []
    seen: set[str] = set()
    items = list(items)
    stored = {} if reprocess else store.pipeline_versions(
        sorted({i.id for i in items if isinstance(i, Article)}))

    def failed(failure: IngestFailure) -> None:
        summary.failed += 1
        summary.failures.append(failure)
        store.record_failure(failure)
        if on_failure:
            on_failure(failure)

    for item in items:
        if isinstance(item, IngestFailure):
            failed(item)
            continue
        if item.id in seen or stored.get(item.id, False) == PIPELINE_VERSION:
            summary.unchanged += 1
            if on_article:
                on_article(item, "unchanged", None)
            continue
        seen.add(item.id)
        todo.append(item)
    todo.sort(key=_publication_order)
    parts: Iterable[tuple[list[ArticleRecord], bool]] | None = None
    if dask_client is not None and store.dialect != "postgresql":
        from wirewatch.ingest.cluster import run_on_dask

        # SQLite: the records come back to this process, the single writer. The workers
        # start now; the fingerprints and incident days below are taken while they run.
        parts = run_on_dask(todo, config, dask_client, on_failure=failed)
    # Fingerprints for near-copy marking, which ``Store.save`` does inside its transaction
    # (so two concurrent ingests see each other's articles).
    fingerprints = {a.id: fingerprint(a.text) for a in todo}
    if progress:
        progress(0, len(todo))
    by_id = {a.id: a for a in todo}
    # Incidents to recompute: where these articles' events were (re-processing) and are.
    touched = set(by_id)
    days = set(incidents.event_days(store, sorted(touched)))
    done = 0
    processed: list[str] = []

    def heard(saved: list[Saved], records: list[ArticleRecord] | None) -> None:
        nonlocal done
        for i, one in enumerate(saved):
            done += 1
            if one.duplicate_of:
                touched.add(one.duplicate_of)  # its story's incident may change
            for failure in one.failures:
                summary.failures.append(failure)
                if on_failure:
                    on_failure(failure)
            if one.status == "unchanged":
                summary.unchanged += 1
            else:
                setattr(summary, one.status, getattr(summary, one.status) + 1)
                processed.append(one.article_id)
                summary.add_counts(one.counts)
            if on_article:
                on_article(by_id[one.article_id], one.status,
                           records[i] if records is not None else None)
            if progress:
                progress(done, len(todo))

    if dask_client is not None and store.dialect == "postgresql":
        # Workers write to the shared store themselves; the client only keeps count.
        from wirewatch.ingest.cluster import run_on_dask_saving

        for saved in run_on_dask_saving(todo, config, dask_client, store.url, fingerprints,
                                        reprocess, on_failure=failed):
            heard(saved, None)
    else:
        if parts is None:
            parts = (([r], False) for r in run_pipeline(todo, config, workers, nlp=nlp))
        batch: list[ArticleRecord] = []
        for records, draining in parts:
            for record in records:
                batch.append(record)
                if len(batch) >= SAVE_BATCH:
                    heard(save_records(store, batch, fingerprints, reprocess), batch)
                    batch = []
            if draining and batch:
                heard(save_records(store, batch, fingerprints, reprocess), batch)
                batch = []
        if batch:
            heard(save_records(store, batch, fingerprints, reprocess), batch)
    # Counted from the store at the end: a copy whose original is saved after it (records
    # come back from workers as they finish) is stored as an original first, then made a
    # copy when its original arrives.
    summary.near_copies = store.near_copy_count(sorted(processed))
    if todo:
        incidents.rebuild(store, days | set(incidents.event_days(store, sorted(touched))))
    summary.seconds = time.perf_counter() - started
    return summary
