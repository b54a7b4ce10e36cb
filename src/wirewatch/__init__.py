"""wirewatch: news in, sourced facts out.

The Python API is the command line's functions::

    from wirewatch import Store, build_nlp, extract_file, ingest

    store = Store("sqlite:///wirewatch.db")
    ingest(store, ["examples/"])
    record = extract_file("article.txt", published="2025-01-20")
"""

from __future__ import annotations

from pathlib import Path

from wirewatch.ingest.run import IngestSummary, ingest
from wirewatch.ingest.sources import Defaults, read_inputs
from wirewatch.model import (
    Article,
    ArticleRecord,
    Entity,
    Event,
    IngestFailure,
    PlaceMention,
    Quote,
    Relation,
    TimeExpr,
)
from wirewatch.nlp.pipeline import PIPELINE_VERSION, PipelineConfig, build_nlp, process
from wirewatch.store.repository import Filters, Store

__version__ = "0.1.0"


def __getattr__(name: str):
    """``wirewatch.clean_html``: imported on first use (it loads trafilatura)."""
    if name == "clean_html":
        from wirewatch.ingest.clean_html import clean_html

        return clean_html
    raise AttributeError(f"module 'wirewatch' has no attribute {name!r}")


def extract_file(
    path: str | Path, published: str | None = None, source: str | None = None, nlp=None
) -> list[ArticleRecord]:
    """Run the pipeline on the articles in one file without storing them."""
    items = list(read_inputs([path], Defaults(source=source, published=published)))
    failures = [i for i in items if isinstance(i, IngestFailure)]
    if failures and len(failures) == len(items):
        raise ValueError(f"{failures[0].origin}: {failures[0].reason} ({failures[0].detail})")
    nlp = nlp or build_nlp()
    return list(process(nlp, [i for i in items if isinstance(i, Article)]))


__all__ = [
    "PIPELINE_VERSION", "Article", "ArticleRecord", "Defaults", "Entity", "Event", "Filters",
    "IngestFailure", "IngestSummary", "PipelineConfig", "PlaceMention", "Quote", "Relation",
    "Store", "TimeExpr", "build_nlp", "clean_html", "extract_file", "ingest", "process",
    "read_inputs",
]
