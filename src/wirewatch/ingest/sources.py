"""Files and folders of .txt, .html/.htm and .jsonl to clean articles (or recorded failures)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from wirewatch.ingest.clean_html import clean_html
from wirewatch.ingest.clean_text import CleanText, clean_text
from wirewatch.ingest.decode import DEFAULT_MAX_BYTES, BadInput, check_text, decode_bytes
from wirewatch.ingest.language import is_english
from wirewatch.model import Article, IngestFailure, content_id
from wirewatch.nlp.dateline import find_article_date

SUPPORTED = {".txt": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}


@dataclass
class Defaults:
    """Metadata given on the command line, used where the article has none of its own."""

    source: str | None = None
    published: str | None = None
    url: str | None = None


def article_id(text: str) -> str:
    """Content hash of the cleaned text: the same article always gets the same id."""
    return content_id("art", re.sub(r"\s+", " ", text).strip())


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | IngestFailure]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path)
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED:
                yield path
            else:
                yield IngestFailure(str(path), "unsupported file type",
                                    f"expected one of {', '.join(sorted(SUPPORTED))}")
        else:
            yield IngestFailure(str(path), "not found", "no such file or folder")


def _walk(root: Path) -> Iterator[Path | IngestFailure]:
    """Supported files under ``root`` in sorted order. A folder that cannot be read and a
    symbolic link back into a folder being walked are recorded failures, not silent gaps
    or an endless walk."""
    failures: list[IngestFailure] = []
    files: list[Path] = []

    def unreadable(exc: OSError) -> None:
        failures.append(IngestFailure(exc.filename or str(root), "unreadable folder",
                                      exc.strerror or str(exc)))

    seen: set[tuple[int, int]] = set()
    for folder, dirs, names in os.walk(root, onerror=unreadable, followlinks=True):
        try:
            st = os.stat(folder)
        except OSError as exc:
            unreadable(exc)
            dirs[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen:
            failures.append(IngestFailure(folder, "symlink loop", "a symbolic link leads back "
                                          "to a folder already read; not followed"))
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirs.sort()
        for name in names:
            child = Path(folder) / name
            if child.suffix.lower() in SUPPORTED:
                files.append(child)
    yield from failures
    yield from sorted(files)


def build_article(
    cleaned: CleanText, origin: str, defaults: Defaults, fields: dict | None = None,
    encoding: str = "utf-8",
) -> Article:
    fields = dict(fields or {})
    warnings = [] if encoding == "utf-8" else [f"decoded as {encoding}"]
    meta = {**cleaned.meta, **{k: str(v) for k, v in fields.items() if v not in (None, "")}}
    # NUL characters: no database stores them in text, and no writer means them.
    meta = {k: _strip_nul(v, k, warnings) for k, v in meta.items()}
    text = check_text(_strip_nul(cleaned.text, "text", warnings))
    english, lang = is_english(text)
    if not english:
        raise BadInput("non-English text", f"detected language {lang!r}; the pipeline is English")
    published, published_from = None, None
    given = meta.get("published") or meta.get("date")
    unreadable = False
    if given:
        try:
            published = _iso_date(given)
            published_from = meta.get("published_from") or "metadata"
        except BadInput:  # a bad date costs the date, not the article
            unreadable = True
    if published is None and defaults.published:
        published, published_from = _iso_date(defaults.published), "cli"
    elif published is None:
        found = find_article_date(text)
        if found is not None:
            published, published_from = _iso_date(found[0]), found[1]
    if unreadable:
        used = f"used the {published_from} date {published}" if published else "no date"
        warnings.append(f"unreadable published date {given!r}; {used}")
    return Article(
        id=article_id(text),
        text=text,
        title=meta.get("title"),
        url=meta.get("url") or defaults.url,
        source=meta.get("source") or defaults.source,
        published=published,
        published_from=published_from,
        byline=meta.get("byline") or meta.get("author"),
        language="en",
        segments=cleaned.segments,
        removed=cleaned.removed,
        origin=origin,
        warnings=warnings,
    )


def _strip_nul(value: str, name: str, warnings: list[str]) -> str:
    if "\x00" not in value:
        return value
    warnings.append(f"removed {value.count(chr(0))} NUL characters from {name}")
    return value.replace("\x00", "")


def _iso_date(value: str) -> str:
    """Keep ISO dates and datetimes as given; normalise other common forms to YYYY-MM-DD."""
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?", value):
        try:
            date.fromisoformat(value[:10])
        except ValueError:
            raise BadInput("bad published date", f"no such date {value!r}") from None
        return value.replace(" ", "T")
    import dateparser  # slow import; only needed for unusual metadata dates

    parsed = dateparser.parse(value, settings={"PREFER_DAY_OF_MONTH": "first"})
    if parsed is None:
        raise BadInput("bad published date", f"cannot read date {value!r}")
    return parsed.date().isoformat()


def read_path(
    path: Path, defaults: Defaults, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Article | IngestFailure]:
    """Articles in one file; every problem becomes an IngestFailure naming the file (and line)."""
    kind = SUPPORTED.get(path.suffix.lower(), "text")
    try:
        data = path.read_bytes()
        decoded = decode_bytes(data, max_bytes, allow_nul=kind == "jsonl")
    except OSError as exc:
        yield IngestFailure(str(path), "unreadable file", str(exc))
        return
    except BadInput as exc:
        yield IngestFailure(str(path), exc.reason, exc.detail)
        return
    if kind == "jsonl":
        yield from _read_jsonl(decoded.text, str(path), defaults, max_bytes)
        return
    try:
        cleaned = clean_html(decoded.text) if kind == "html" else clean_text(decoded.text)
        yield build_article(cleaned, str(path), defaults, encoding=decoded.encoding)
    except BadInput as exc:
        yield IngestFailure(str(path), exc.reason, exc.detail)


def _read_jsonl(
    text: str, origin: str, defaults: Defaults, max_bytes: int
) -> Iterator[Article | IngestFailure]:
    for n, line in enumerate(text.splitlines(), start=1):
        where = f"{origin}:{n}"
        if not line.strip():
            continue
        if "\x00" in line:  # a raw NUL byte (an escaped \u0000 is read, then stripped)
            yield IngestFailure(where, "binary content", "the line contains a NUL byte")
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield IngestFailure(where, "malformed JSON line", exc.msg)
            continue
        if not isinstance(row, dict):
            yield IngestFailure(where, "malformed JSON line", "expected a JSON object")
            continue
        try:
            yield article_from_row(row, where, defaults, max_bytes)
        except BadInput as exc:
            yield IngestFailure(where, exc.reason, exc.detail)


def article_from_row(
    row: dict, origin: str, defaults: Defaults, max_bytes: int = DEFAULT_MAX_BYTES
) -> Article:
    """One JSON object (id, url, title, source, published, text or html) to an article."""
    body, markup = row.get("text"), row.get("html")
    if not isinstance(body, str) and not isinstance(markup, str):
        raise BadInput("missing text", "the object has neither 'text' nor 'html'")
    if isinstance(body, str) and body.strip():
        if len(body) > max_bytes:
            raise BadInput("text too large", f"{len(body)} characters > limit {max_bytes}")
        cleaned = clean_text(body)
    else:
        cleaned = clean_html(str(markup))
    fields = {k: row.get(k) for k in ("title", "source", "published", "url", "byline")}
    article = build_article(cleaned, origin, defaults, fields)
    if row.get("id") is not None:
        article.external_id = str(row["id"])
    return article


def read_inputs(
    paths: Iterable[str | Path], defaults: Defaults | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Article | IngestFailure]:
    defaults = defaults or Defaults()
    for item in iter_files(paths):
        if isinstance(item, IngestFailure):
            yield item
        else:
            yield from read_path(item, defaults, max_bytes)
