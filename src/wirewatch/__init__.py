"""wirewatch: news in, sourced facts out.

The Python API is the command line's functions::

    from wirewatch import Service, extract_file

    svc = Service.open("sqlite:///wirewatch.db")
    svc.ingest(["examples/"])
    page = svc.events(limit=20)
    record = extract_file("article.txt", published="2025-01-20")

Names are imported on first use, so ``import wirewatch`` (and ``wirewatch --help``) does
not load spaCy or SQLAlchemy.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

_EXPORTS = {
    "Service": "wirewatch.service",
    "Store": "wirewatch.store.repository",
    "Filters": "wirewatch.store.lists",
    "Page": "wirewatch.store.lists",
    "IngestSummary": "wirewatch.ingest.run",
    "ingest": "wirewatch.ingest.run",
    "Defaults": "wirewatch.ingest.sources",
    "read_inputs": "wirewatch.ingest.sources",
    "PIPELINE_VERSION": "wirewatch.nlp.pipeline",
    "PipelineConfig": "wirewatch.nlp.pipeline",
    "build_nlp": "wirewatch.nlp.pipeline",
    "process": "wirewatch.nlp.pipeline",
    "Article": "wirewatch.model",
    "ArticleRecord": "wirewatch.model",
    "Entity": "wirewatch.model",
    "Event": "wirewatch.model",
    "IngestFailure": "wirewatch.model",
    "PlaceMention": "wirewatch.model",
    "Quote": "wirewatch.model",
    "Relation": "wirewatch.model",
    "TimeExpr": "wirewatch.model",
    "clean_html": "wirewatch.ingest.clean_html",
}

if TYPE_CHECKING:
    from wirewatch.model import ArticleRecord


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'wirewatch' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


def extract_file(
    path: str | Path, published: str | None = None, source: str | None = None, nlp=None
) -> list[ArticleRecord]:
    """Run the pipeline on the articles in one file without storing them."""
    from wirewatch.ingest.sources import Defaults
    from wirewatch.service import Service

    records, failures = Service.extract_only(
        path, Defaults(source=source, published=published), nlp=nlp)
    if not records and failures:
        raise ValueError(f"{failures[0].origin}: {failures[0].reason} ({failures[0].detail})")
    return records


__all__ = ["extract_file", *_EXPORTS]
