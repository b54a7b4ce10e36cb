"""Live ingestion: web pages given by URL, WARC archives, and the scheduled sources (feeds,
sitemaps, pages). Everything goes in through the one ingest path (``ingest_items``).

Resumable by construction: a page is written to the fetch log only after its article is
saved (or its failure recorded), and a source's validators and next due time move only
when its run completed. A run stopped half-way (SIGINT, SIGTERM, a crash) leaves the rest
for the next run; content ids make sure nothing is stored twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from spacy.language import Language

from wirewatch.ingest.decode import DEFAULT_MAX_BYTES, BadInput
from wirewatch.ingest.feeds import Entry, canonical_url, parse_listing, sniff_kind
from wirewatch.ingest.fetch import Fetched, Fetcher, FetchError, FetchPolicy
from wirewatch.ingest.run import IngestSummary, ingest_items
from wirewatch.ingest.sources import Defaults, read_inputs
from wirewatch.ingest.warc import is_warc, read_warc
from wirewatch.ingest.webpage import page_article
from wirewatch.model import Article, ArticleRecord, IngestFailure
from wirewatch.store import sources as src
from wirewatch.store.repository import Store

MAX_CHILD_SITEMAPS = 50  # of one sitemap index per run
MAX_FAILED_ATTEMPTS = 3  # a page that keeps failing is tried again only when it changes
MAX_PAGES_PER_ROUND = 200  # of one source; a long backlog is caught up over several rounds

Progress = Callable[[str, int, int], None]
# A pipeline, or how to get one: it is loaded only when a run has articles to analyse.
Nlp = Language | Callable[[], Language] | None


def _ingest(store: Store, items: Iterable[Article | IngestFailure], nlp: Nlp,
            **options: Any) -> IngestSummary:
    """Fetch first (the list is what ingest_items would collect anyway), then load the
    pipeline only if an article came back."""
    items = list(items)
    if callable(nlp) and not isinstance(nlp, Language):
        nlp = nlp() if any(isinstance(i, Article) for i in items) else None
    return ingest_items(store, items, nlp=nlp, **options)


def is_url(arg: str | Path) -> bool:
    return str(arg).lower().startswith(("http://", "https://"))


@dataclass
class SourceReport:
    source: str
    new: int = 0
    unchanged: int = 0
    failed: int = 0
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "new": self.new, "unchanged": self.unchanged,
                "failed": self.failed, "error": self.error}


@dataclass
class FetchReport:
    sources: list[SourceReport] = field(default_factory=list)
    summaries: list[IngestSummary] = field(default_factory=list)
    stopped: bool = False

    @property
    def failed(self) -> int:
        return sum(s.failed for s in self.sources)

    def as_dict(self) -> dict[str, Any]:
        return {"sources": [s.as_dict() for s in self.sources], "stopped": self.stopped,
                "new": sum(s.new for s in self.sources),
                "unchanged": sum(s.unchanged for s in self.sources), "failed": self.failed}


@dataclass
class _Job:
    url: str
    entry: Entry | None = None
    etag: str | None = None
    last_modified: str | None = None


def _fetch_all(fetcher: Fetcher, jobs: Sequence[_Job], workers: int,
               stop: threading.Event | None, progress: Progress | None, label: str
               ) -> Iterator[tuple[_Job, Fetched | FetchError]]:
    """Fetch in a few threads (the fetcher keeps each host's own limits); on ``stop``,
    what has not started is dropped, what is in flight finishes."""
    if progress:
        progress(label, 0, len(jobs))
    done = 0
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        pending: dict[Future, _Job] = {}
        queue = list(jobs)
        while queue or pending:
            while queue and len(pending) < workers and not (stop and stop.is_set()):
                job = queue.pop(0)
                pending[pool.submit(fetcher.fetch, job.url, job.etag, job.last_modified)] = job
            if not pending:
                break
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                job = pending.pop(fut)
                try:
                    yield job, fut.result()
                except FetchError as exc:
                    yield job, exc
                done += 1
                if progress:
                    progress(label, done, len(jobs))


def _to_item(job: _Job, got: Fetched | FetchError, defaults: Defaults,
             max_bytes: int) -> Article | IngestFailure | None:
    """An article, a failure, or None for a 304 (no work)."""
    if isinstance(got, FetchError):
        return IngestFailure(job.url, got.reason, got.detail)
    if got.not_modified:
        return None
    if got.status >= 400:
        return IngestFailure(job.url, f"HTTP {got.status}", job.url)
    entry = job.entry
    try:
        return page_article(got.body, got.content_type, job.url, defaults, max_bytes,
                            title=entry.title if entry else None,
                            published=entry.published if entry else None)
    except BadInput as exc:
        return IngestFailure(job.url, exc.reason, exc.detail)


class _Logger:
    """Writes the fetch log as ingest_items hears of each article and failure."""

    def __init__(self, store: Store, source_id: str | None, report: SourceReport | None):
        self.store, self.source_id, self.report = store, source_id, report
        self.fetched: dict[str, tuple[_Job, Fetched]] = {}

    def article(self, article: Article, status: str, record: ArticleRecord | None) -> None:
        if self.report is not None:
            if status == "unchanged":
                self.report.unchanged += 1
            else:
                self.report.new += 1
        pair = self.fetched.get(article.origin or "")
        if pair is None:
            return
        job, got = pair
        if status == "unchanged":  # not saved again, so its old failure is cleared here
            src.clear_failures(self.store, job.url)
        src.log_fetch(self.store, job.url, self.source_id, status, got.status, len(got.body),
                      etag=got.etag, last_modified=got.last_modified,
                      stamp=job.entry.stamp if job.entry else None, article_id=article.id,
                      fetched_at=got.fetched_at)

    def failure(self, failure: IngestFailure) -> None:
        if self.report is not None:
            self.report.failed += 1
        pair = self.fetched.get(failure.origin)
        if pair is not None or is_url(failure.origin):
            got = pair[1] if pair else None
            src.log_fetch(self.store, failure.origin, self.source_id, "failed",
                          got.status if got else None, len(got.body) if got else None,
                          error=f"{failure.reason}: {failure.detail}" if failure.detail
                          else failure.reason)

    def not_modified(self, job: _Job, got: Fetched) -> None:
        if self.report is not None:
            self.report.unchanged += 1
        src.log_fetch(self.store, job.url, self.source_id, "not-modified", got.status, 0,
                      stamp=job.entry.stamp if job.entry else None, fetched_at=got.fetched_at)


def _fetched_items(jobs: Sequence[_Job], fetcher: Fetcher, logger: _Logger,
                   defaults: Defaults, max_bytes: int, workers: int,
                   stop: threading.Event | None, progress: Progress | None, label: str
                   ) -> Iterator[Article | IngestFailure]:
    for job, got in _fetch_all(fetcher, jobs, workers, stop, progress, label):
        item = _to_item(job, got, defaults, max_bytes)
        if item is None:
            assert isinstance(got, Fetched)
            logger.not_modified(job, got)
            continue
        if isinstance(got, Fetched):
            logger.fetched[job.url] = (job, got)
        yield item


def _chain(*callbacks: Callable[..., None] | None) -> Callable[..., None]:
    def call(*args: Any) -> None:
        for cb in callbacks:
            if cb:
                cb(*args)
    return call


def ingest_inputs(
    store: Store, args: Sequence[str | Path], defaults: Defaults | None = None,
    policy: FetchPolicy | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
    nlp: Nlp = None, fetch_workers: int = 4,
    on_failure: Callable[[IngestFailure], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
    fetch_progress: Progress | None = None, **ingest_options: Any,
) -> IngestSummary:
    """Files and folders, WARC archives and http(s) URLs, in one ingest (``ingest_options``
    go to ingest_items: config, workers, reprocess)."""
    defaults = defaults or Defaults()
    policy = replace(policy or FetchPolicy(), max_bytes=max_bytes)
    urls = [canonical_url(str(a)) for a in args if is_url(a)]
    warcs = [a for a in args if not is_url(a) and is_warc(a)]
    files = [a for a in args if not is_url(a) and not is_warc(a)]
    logger = _Logger(store, None, None)

    def items() -> Iterator[Article | IngestFailure]:
        if files:
            yield from read_inputs(files, defaults, max_bytes)
        for path in warcs:
            yield from read_warc(path, defaults, max_bytes)
        if urls:
            with Fetcher(policy) as fetcher:
                yield from _fetched_items([_Job(u) for u in dict.fromkeys(urls)], fetcher,
                                          logger, defaults, max_bytes, fetch_workers, None,
                                          fetch_progress, "fetching pages")

    return _ingest(store, items(), nlp, progress=progress,
                        on_failure=_chain(logger.failure, on_failure),
                        on_article=logger.article, **ingest_options)


def _entries_to_fetch(store: Store, entries: Iterable[Entry], report: SourceReport
                      ) -> list[_Job]:
    """New entries, updated ones (their stamp changed), and recent failures."""
    by_url = {e.url: e for e in entries}
    states = src.fetch_states(store, list(by_url))
    jobs = []
    for url, entry in by_url.items():
        state = states.get(url)
        if state is None:
            jobs.append(_Job(url, entry))
        elif entry.stamp and entry.stamp != state.get("stamp") and state["outcome"] != "failed":
            jobs.append(_Job(url, entry, state.get("etag"), state.get("last_modified")))
        elif state["outcome"] == "failed" and (state.get("attempts") or 0) < MAX_FAILED_ATTEMPTS:
            jobs.append(_Job(url, entry))
        else:
            report.unchanged += 1
    return jobs


def fetch_source(
    store: Store, source: dict[str, Any], policy: FetchPolicy, nlp: Nlp = None,
    workers: int = 4, stop: threading.Event | None = None,
    on_failure: Callable[[IngestFailure], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
    fetch_progress: Progress | None = None, max_pages: int = MAX_PAGES_PER_ROUND,
) -> tuple[SourceReport, IngestSummary | None]:
    """One source's run: its listing (conditional), then the pages that are new or changed
    (at most ``max_pages``; the rest in the next rounds, the source staying due)."""
    label = source.get("name") or source["url"]
    report = SourceReport(label)
    policy = replace(policy, allow_private=policy.allow_private or bool(source["allow_private"]))
    defaults = Defaults(source=source.get("name"))
    logger = _Logger(store, source["id"], report)
    failure_cb = _chain(logger.failure, on_failure)
    with Fetcher(policy) as fetcher:
        try:
            listing = fetcher.fetch(source["url"], source.get("etag"),
                                    source.get("last_modified"))
        except FetchError as exc:
            report.error = f"{exc.reason}: {exc.detail}"
            summary = _ingest(store, [IngestFailure(source["url"], exc.reason, exc.detail)],
                              None, on_failure=failure_cb)
            src.source_fetched(store, source["id"], None, report.error)
            return report, summary
        if listing.not_modified:  # a 304 is no work: every page it listed is unchanged
            report.unchanged = src.known_pages(store, source["id"])
            src.source_fetched(store, source["id"], 304, None)
            return report, None
        kind = source["kind"]
        if kind == "page" and listing.status < 400:
            # A feed or sitemap is never an article, whatever the URL made us guess.
            sniffed = sniff_kind(listing.body, listing.content_type)
            kind = sniffed if sniffed != "page" else kind
        if listing.status < 400:
            src.clear_failures(store, source["url"])
        if kind == "page" or listing.status >= 400:
            job = _Job(canonical_url(source["url"]))
            items = _fetched_items([job], _Prefetched(listing), logger, defaults,
                                   policy.max_bytes, 1, stop, None, label)
            summary = _ingest(store, items, nlp, on_failure=failure_cb,
                              on_article=logger.article, progress=progress)
            if listing.status >= 400:
                report.error = f"HTTP {listing.status}"
            src.source_fetched(store, source["id"], listing.status, report.error,
                               listing.etag, listing.last_modified)
            return report, summary
        try:
            entries = _listing_entries(fetcher, kind, listing)
        except (BadInput, FetchError) as exc:
            report.error = f"{exc.reason}: {exc.detail}"
            summary = _ingest(store, [IngestFailure(source["url"], exc.reason, exc.detail)],
                              None, on_failure=failure_cb)
            src.source_fetched(store, source["id"], listing.status, report.error)
            return report, summary
        jobs = _entries_to_fetch(store, entries, report)
        backlog = len(jobs) > max_pages
        jobs = jobs[:max_pages]
        items = _fetched_items(jobs, fetcher, logger, defaults, policy.max_bytes, workers,
                               stop, fetch_progress, f"fetching {label}")
        summary = _ingest(store, items, nlp, on_failure=failure_cb,
                          on_article=logger.article, progress=progress)
    # A stopped or capped round keeps the old validators and stays due: the next round
    # reads the listing again (no 304) and fetches what is left.
    complete = not (stop and stop.is_set()) and not backlog
    src.source_fetched(store, source["id"], listing.status, None, listing.etag,
                       listing.last_modified, complete=complete)
    return report, summary


def _listing_entries(fetcher: Fetcher, kind: str, listing: Fetched) -> list[Entry]:
    if kind not in ("feed", "sitemap"):
        kind = sniff_kind(listing.body, listing.content_type)
    parsed = parse_listing(kind, listing.body, listing.final_url)
    entries = list(parsed.entries)
    for child_url in parsed.sitemaps[:MAX_CHILD_SITEMAPS]:
        child = fetcher.fetch(child_url)
        entries += parse_listing("sitemap", child.body, child.final_url).entries
    return entries


class _Prefetched:
    """A page source's listing is the page itself: hand it over without a second fetch."""

    def __init__(self, got: Fetched):
        self.got = got

    def fetch(self, url: str, etag: str | None = None,
              last_modified: str | None = None) -> Fetched:
        return self.got


def fetch_due(
    store: Store, policy: FetchPolicy | None = None, nlp: Nlp = None,
    everything: bool = False, workers: int = 4, stop: threading.Event | None = None,
    on_failure: Callable[[IngestFailure], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
    fetch_progress: Progress | None = None, max_pages: int = MAX_PAGES_PER_ROUND,
) -> FetchReport:
    """Every due source once (every source with ``everything``), one after the other."""
    policy = policy or FetchPolicy()
    report = FetchReport()
    for source in src.due_sources(store, everything):
        if stop and stop.is_set():
            report.stopped = True
            break
        one, summary = fetch_source(store, source, policy, nlp, workers, stop, on_failure,
                                    progress, fetch_progress, max_pages)
        report.sources.append(one)
        if summary is not None:
            report.summaries.append(summary)
    report.stopped = report.stopped or bool(stop and stop.is_set())
    return report
