"""Scale-out on Dask: the pipeline runs on a cluster's workers, each loading it once.

``--dask local:N`` starts a local cluster of N single-threaded worker processes;
``--dask tcp://host:8786`` uses a running scheduler. Tasks are batches of articles. With
PostgreSQL each worker saves its batches into the shared store itself, through the same
save path (``ingest.run.save_records``: one transaction per batch, the store's advisory
lock serialising writers) and sends back only counts; with SQLite the records come back
to the client as batches finish, and the client, the single writer, saves them
(``ingest_items``). Either way fingerprints are taken and ids are content hashes before
anything is sent, so a run is idempotent and resumable exactly as a local one, and its
store equals a single-process ingest fact for fact.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import dask
from distributed.diagnostics.plugin import WorkerPlugin

from wirewatch.model import Article, ArticleRecord, IngestFailure
from wirewatch.nlp.pipeline import PipelineConfig

PLUGIN = "wirewatch-pipeline"

# A local cluster runs without a dashboard, so nothing reads the profiles its workers
# sample: sampling each worker's stack every 10 ms cost about 6 % of its CPU on the
# sample corpus, and with the event-loop tick every 20 ms an idle 2-worker cluster
# kept 9 % of a core busy across its processes (3.5 % with these settings): CPU the
# workers and the client (the single SQLite writer) share on a small machine.
#
# Dask also starts its workers with MALLOC_TRIM_THRESHOLD_=65536, so that freed memory goes
# back to the system at once. spaCy allocates and frees arrays all the time: with that
# setting a worker spent 11-20 % more CPU on the same articles (page faults and trims),
# for a footprint the bench shows stays far under its limit without it.
LOCAL_CONFIG = {"distributed.worker.profile.enabled": False,
                "distributed.admin.tick.interval": "1s",
                "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}


class PipelinePlugin(WorkerPlugin):
    """A Dask worker plugin: the pipeline is built once per worker, not once per task."""

    name = PLUGIN

    def __init__(self, config: PipelineConfig):
        super().__init__()
        self.config = config

    def setup(self, worker: Any) -> None:
        from wirewatch.nlp.pipeline import build_nlp, warm_up

        nlp = build_nlp(self.config)
        warm_up(nlp)  # the gazetteer and tables load now, not in the first task
        worker.wirewatch_nlp = nlp

    def teardown(self, worker: Any) -> None:
        worker.wirewatch_nlp = None


def _has_pipeline(dask_worker: Any) -> bool:
    return getattr(dask_worker, "wirewatch_nlp", None) is not None


def ensure_pipeline(client: Any, config: PipelineConfig) -> None:
    """Load the pipeline on every worker that lacks it (registering the plugin again would
    rebuild it everywhere); workers that join later get it from the plugin."""
    if not client.scheduler_info().get("workers") or not all(
            client.run(_has_pipeline).values()):
        client.register_plugin(PipelinePlugin(config), name=PLUGIN)


def _process_batch(articles: list[Article]) -> list[ArticleRecord]:
    """Runs on a worker."""
    from distributed import get_worker

    from wirewatch.nlp.pipeline import process

    return list(process(get_worker().wirewatch_nlp, articles))


def _process_and_save(articles: list[Article], url: str, fingerprints: dict[str, list[int]],
                      force: bool) -> list[Any]:
    """Runs on a worker: the pipeline, then one write transaction into the shared store
    (PostgreSQL), through the same save path as a single process."""
    from distributed import get_worker

    from wirewatch.ingest.run import save_records
    from wirewatch.nlp.pipeline import process
    from wirewatch.store.repository import Store

    worker = get_worker()
    stores = worker.__dict__.setdefault("wirewatch_stores", {})
    if url not in stores:  # one connection pool per worker and database
        stores[url] = Store(url, migrate=False)  # the client migrated it
    records = list(process(worker.wirewatch_nlp, articles))
    return save_records(stores[url], records, fingerprints, force)


def parse_spec(spec: str) -> tuple[str, int | str]:
    """``local:N`` or a scheduler address (``tcp://host:port``)."""
    if spec.startswith("local:"):
        try:
            n = int(spec.split(":", 1)[1])
        except ValueError:
            n = 0
        if n < 1:
            raise ValueError(f"--dask local:N needs a number of workers >= 1, got {spec!r}")
        return "local", n
    if "://" in spec:
        return "address", spec
    raise ValueError(f"--dask takes local:N or a scheduler address such as "
                     f"tcp://127.0.0.1:8786, got {spec!r}")


def _freeze_start_up() -> None:
    """What the client holds once it is connected (the cleaner's tables, Dask's scheduler
    and modules) lives as long as it: kept out of the cycle collector, whose full
    collections walked all of it while the client saved the workers' records (about 0.1 s
    of its CPU per 50 articles, CPU the workers of a small machine wait for)."""
    gc.collect()
    gc.freeze()


@contextmanager
def dask_client(spec: str) -> Iterator[Any]:
    """A client for ``spec``; a local cluster it starts is closed on exit."""
    from distributed import Client, LocalCluster

    kind, value = parse_spec(spec)
    if kind == "local":
        # One thread per process: spaCy releases the GIL too little for threads to help.
        with dask.config.set(LOCAL_CONFIG):
            cluster = LocalCluster(n_workers=int(value), threads_per_worker=1,
                                   processes=True, dashboard_address=None, silence_logs=40)
            client = Client(cluster)
            _freeze_start_up()
            try:
                yield client
            finally:
                client.close()
                cluster.close()
    else:
        client = Client(str(value))
        _freeze_start_up()
        try:
            yield client
        finally:
            client.close()


def run_on_dask(
    articles: Sequence[Article], config: PipelineConfig, client: Any, batch_size: int = 4,
    on_failure: Callable[[IngestFailure], None] | None = None,
) -> Iterator[tuple[list[ArticleRecord], bool]]:
    """The records of each batch of articles, as the workers finish them, and whether the
    run is draining (every batch left is already on a worker: what the client holds should
    be saved now, while the last batches run, not after them). A batch whose worker failed
    is retried one article at a time; an article that fails alone is reported, not lost."""
    return _run_tasks(articles, config, client, batch_size, on_failure,
                      lambda chunk: client.submit(_process_batch, chunk, pure=False))


def run_on_dask_saving(
    articles: Sequence[Article], config: PipelineConfig, client: Any, url: str,
    fingerprints: dict[str, list[int]], force: bool = False, batch_size: int = 4,
    on_failure: Callable[[IngestFailure], None] | None = None,
) -> Iterator[list[Any]]:
    """PostgreSQL: each worker saves its batches into the shared store itself (one write
    transaction per batch, serialised by the store's advisory lock) and sends back only
    what the summary needs (``ingest.run.Saved``), a list per batch as batches finish."""
    def submit(chunk: list[Article]) -> Any:
        fps = {a.id: fingerprints[a.id] for a in chunk if a.id in fingerprints}
        return client.submit(_process_and_save, chunk, url, fps, force, pure=False)

    return (saved for saved, _ in _run_tasks(articles, config, client, batch_size,
                                              on_failure, submit))


def _longest_first(articles: Sequence[Article], batch_size: int, slots: int
                   ) -> list[list[Article]]:
    """Batches for ``slots`` worker threads: the longest articles first and the batches
    smaller towards the end (a batch holds at most half of each slot's remaining share),
    so the workers finish together instead of one of them still working through a
    full batch that started last: the tail of a run is what keeps a cluster idle. Each
    batch keeps its articles in input order (earliest published first)."""
    order = sorted(range(len(articles)), key=lambda i: (-len(articles[i].text), i))
    chunks = []
    start = 0
    while start < len(order):
        size = max(1, min(batch_size, -(-(len(order) - start) // (2 * slots))))
        chunks.append([articles[i] for i in sorted(order[start:start + size])])
        start += size
    return chunks


def _run_tasks(
    articles: Sequence[Article], config: PipelineConfig, client: Any, batch_size: int,
    on_failure: Callable[[IngestFailure], None] | None,
    submit: Callable[[list[Article]], Any],
) -> Iterator[tuple[list[Any], bool]]:
    """``submit(chunk)`` (a future) for each batch of articles, results as they finish,
    each with whether the run is draining (no batch is left waiting for a worker). A
    failed batch is retried one article at a time; an article that fails alone is
    reported, not lost. The batches are submitted when this is called, not when the
    first result is asked for: the caller's own preparations run while the workers do."""
    ensure_pipeline(client, config)
    slots = sum(client.nthreads().values()) or 1
    futures = {submit(chunk): chunk for chunk in _longest_first(articles, batch_size, slots)}
    return _results(futures, slots, on_failure, submit)


def _results(
    futures: dict[Any, list[Article]], slots: int,
    on_failure: Callable[[IngestFailure], None] | None,
    submit: Callable[[list[Article]], Any],
) -> Iterator[tuple[list[Any], bool]]:
    from distributed import as_completed

    retry: list[Article] = []
    # Results are fetched in the background as tasks finish, not one round trip at a time
    # from here: this thread is busy saving, and a result it fetched only after its save
    # kept the end of the run waiting.
    finished = as_completed(futures, with_results=True, raise_errors=False)
    for future, result in finished:
        try:
            if future.status == "error":  # a worker's error must not stop the run
                retry.extend(futures[future])
            else:
                yield result, finished.count() <= slots
        finally:
            future.release()
    for article in retry:
        try:
            yield submit([article]).result(), True
        except Exception as exc:  # noqa: BLE001
            if on_failure is not None:
                on_failure(IngestFailure(article.origin or article.id, "pipeline error",
                                         f"{type(exc).__name__}: {exc}"[:500]))
