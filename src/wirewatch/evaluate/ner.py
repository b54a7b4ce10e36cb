"""Task ``ner``: exact span and label match over PERSON, ORG, LOC and NORP.

The gold sets have one LOC class for every place, so our GPE, LOC and FAC all
count as LOC. Predictions that exactly match a gold annotation the annotators
rejected (re3d's ``entities_low_confidence``) are neither credited nor charged.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from wirewatch.evaluate.gold import read_gold, write_predictions
from wirewatch.evaluate.metrics import Counts
from wirewatch.model import Article
from wirewatch.nlp.pipeline import BASE_MODEL, make_doc

LABELS = ("PERSON", "ORG", "LOC", "NORP")
LABEL_MAP = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
             "NORP": "NORP"}

Spans = set[tuple[int, int, str]]


def _gold_spans(row: dict[str, Any], key: str = "entities") -> Spans:
    return {(e["start"], e["end"], LABEL_MAP[e["label"]])
            for e in row.get(key) or [] if e["label"] in LABEL_MAP}


def system_spans(doc: Doc) -> Spans:
    out: Spans = set()
    for ent in doc._.entities or []:
        for m in ent.mentions:
            label = LABEL_MAP.get(m.label or ent.type)
            if label:
                out.add((m.start, m.end, label))
    return out


def spacy_spans(doc: Doc) -> Spans:
    return {(e.start_char, e.end_char, LABEL_MAP[e.label_]) for e in doc.ents
            if e.label_ in LABEL_MAP}


def score(
    rows: list[dict[str, Any]], predicted: list[Spans], predictions_path: str | Path | None,
    gold_path: str | Path, task: str = "ner",
) -> dict[str, Any]:
    micro = Counts()
    strict = Counts()  # every prediction charged, rejected candidates included
    per = {label: Counts() for label in LABELS}
    n_gold = dict.fromkeys(LABELS, 0)
    out_rows = []
    for row, pred in zip(rows, predicted, strict=True):
        gold = _gold_spans(row)
        ignored = _gold_spans(row, "entities_low_confidence") - gold
        strict.add(Counts(tp=len(gold & pred), fp=len(pred - gold), fn=len(gold - pred)))
        pred = {p for p in pred if p not in ignored}
        for label in LABELS:
            g = {s for s in gold if s[2] == label}
            p = {s for s in pred if s[2] == label}
            c = Counts(tp=len(g & p), fp=len(p - g), fn=len(g - p))
            per[label].add(c)
            micro.add(c)
            n_gold[label] += len(g)
        out_rows.append({"id": row["id"], "dataset": row.get("dataset"), "text": row["text"],
                         "entities": [{"start": s, "end": e, "label": lab}
                                      for s, e, lab in sorted(pred)]})
    if predictions_path:
        write_predictions(predictions_path, out_rows)
    metrics = {
        "micro": {**micro.prf(), "n_gold": sum(n_gold.values())},
        "per_label": {lab: {**per[lab].prf(), "n_gold": n_gold[lab]} for lab in LABELS},
        "micro_counting_rejected": strict.prf(),
    }
    return {"task": task, "gold": str(gold_path), "n_docs": len(rows), "metrics": metrics}


def _run(
    nlp: Language, gold_path: str | Path, limit: int | None, extract: Callable[[Doc], Spans],
) -> tuple[list[dict[str, Any]], list[Spans]]:
    rows = list(read_gold(gold_path, limit))
    docs = (make_doc(nlp, Article(id=r["id"], text=r["text"], published=r.get("dct")))
            for r in rows)
    return rows, [extract(doc) for doc in nlp.pipe(docs, batch_size=64)]


def evaluate(
    nlp: Language, gold_path: str | Path, *, limit: int | None = None,
    predictions_path: str | Path | None = None,
) -> dict[str, Any]:
    rows, predicted = _run(nlp, gold_path, limit, system_spans)
    return score(rows, predicted, predictions_path, gold_path)


def baseline(
    gold_path: str | Path, *, limit: int | None = None,
    predictions_path: str | Path | None = None,
) -> dict[str, Any]:
    """Plain en_core_web_sm entities, same label mapping and scoring."""
    nlp = spacy.load(BASE_MODEL)
    rows, predicted = _run(nlp, gold_path, limit, spacy_spans)
    result = score(rows, predicted, predictions_path, gold_path)
    result["system"] = "spacy en_core_web_sm 3.8.0 (baseline)"
    return result
