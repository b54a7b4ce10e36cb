"""WARC archives (warcio): each HTML response record becomes an article with the URL it
was fetched from; the fetch date (WARC-Date) is kept in the article's origin, and never
taken for the publication date (a page may be archived years after it appeared)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from wirewatch.ingest.decode import DEFAULT_MAX_BYTES, BadInput
from wirewatch.ingest.feeds import canonical_url
from wirewatch.ingest.sources import Defaults
from wirewatch.ingest.webpage import HTML_TYPES, page_article
from wirewatch.model import Article, IngestFailure

WARC_SUFFIXES = (".warc", ".warc.gz")


def is_warc(path: str | Path) -> bool:
    return str(path).lower().endswith(WARC_SUFFIXES)


def read_warc(path: str | Path, defaults: Defaults | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | IngestFailure]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    defaults = defaults or Defaults()
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below, after the generator finishes
    except OSError as exc:
        yield IngestFailure(str(path), "unreadable file", str(exc))
        return
    with fh:
        try:
            for record in ArchiveIterator(fh):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                fetched = record.rec_headers.get_header("WARC-Date") or ""
                origin = f"{path}#{uri}@{fetched}"
                status = record.http_headers.get_statuscode()
                ctype = record.http_headers.get_header("Content-Type") or ""
                if status != "200" or ctype.split(";", 1)[0].strip().lower() not in HTML_TYPES:
                    continue  # redirects, errors, images, scripts: not articles
                body = record.content_stream().read(max_bytes + 1)
                if len(body) > max_bytes:
                    yield IngestFailure(origin, "page too large", f"more than {max_bytes} bytes")
                    continue
                try:
                    article = page_article(body, ctype, canonical_url(uri), defaults, max_bytes)
                except BadInput as exc:
                    yield IngestFailure(origin, exc.reason, exc.detail)
                    continue
                article.origin = origin
                yield article
        except ArchiveLoadFailed as exc:
            yield IngestFailure(str(path), "broken WARC", str(exc))
