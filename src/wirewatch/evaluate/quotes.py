"""Score the quote attributor against gold attribution spans (task ``quotes``).

Each gold attribution has content, source and cue span lists.  For each of the
three roles, predictions and gold items are paired one-to-one (largest overlap
first) and scored twice: *exact* (the same span list) and *overlap* (any shared
character).  ``source_given_content`` is the share of content-overlap pairs
whose predicted source overlaps the gold source (pairs whose gold attribution
has a source only).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language

from wirewatch.evaluate.gold import read_gold, write_predictions
from wirewatch.evaluate.metrics import Counts, Span, spans_overlap
from wirewatch.model import Article, Quote
from wirewatch.nlp.pipeline import make_doc

SpanList = list[Span]
ROLES = ("content", "source", "cue")


def _spans(raw: Iterable[Iterable[int]] | None) -> SpanList:
    return [(int(s), int(e)) for s, e in (raw or [])]


def _overlap_size(a: SpanList, b: SpanList) -> int:
    return sum(max(0, min(x[1], y[1]) - max(x[0], y[0])) for x in a for y in b)


def match_spans(gold: list[SpanList], pred: list[SpanList], exact: bool) -> list[tuple[int, int]]:
    """One-to-one pairs; overlap mode takes the largest overlaps first."""
    if exact:
        used: set[int] = set()
        pairs = []
        for gi, g in enumerate(gold):
            for pi, p in enumerate(pred):
                if pi not in used and sorted(g) == sorted(p):
                    used.add(pi)
                    pairs.append((gi, pi))
                    break
        return pairs
    cands = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if spans_overlap(g, p):
                cands.append((-_overlap_size(g, p), gi, pi))
    cands.sort()
    gused: set[int] = set()
    pused: set[int] = set()
    pairs = []
    for _, gi, pi in cands:
        if gi in gused or pi in pused:
            continue
        gused.add(gi)
        pused.add(pi)
        pairs.append((gi, pi))
    return pairs


def _counts(gold: list[SpanList], pred: list[SpanList], exact: bool) -> Counts:
    tp = len(match_spans(gold, pred, exact))
    return Counts(tp=tp, fp=len(pred) - tp, fn=len(gold) - tp)


def score_document(
    gold_attrs: list[dict[str, Any]], pred_attrs: list[dict[str, Any]]
) -> dict[str, Any]:
    """Counts per role and mode for one document, plus source-given-content tallies."""
    out: dict[str, Any] = {}
    for role in ROLES:
        g = [_spans(a.get(role)) for a in gold_attrs if a.get(role)]
        p = [_spans(a.get(role)) for a in pred_attrs if a.get(role)]
        out[role] = {"exact": _counts(g, p, True), "overlap": _counts(g, p, False)}
    gc = [a for a in gold_attrs if a.get("content")]
    pc = [a for a in pred_attrs if a.get("content")]
    pairs = match_spans([_spans(a["content"]) for a in gc], [_spans(a["content"]) for a in pc],
                        exact=False)
    agree = total = 0
    for gi, pi in pairs:
        gsrc = _spans(gc[gi].get("source"))
        if not gsrc:
            continue
        total += 1
        if spans_overlap(gsrc, _spans(pc[pi].get("source"))):
            agree += 1
    out["sgc"] = (agree, total)
    return out


def aggregate(per_doc: list[dict[str, Any]]) -> dict[str, Any]:
    metrics: dict[str, Any] = {}
    for role in ROLES:
        metrics[role] = {}
        for mode in ("exact", "overlap"):
            c = Counts()
            for d in per_doc:
                c.add(d[role][mode])
            metrics[role][mode] = c.prf()
    agree = sum(d["sgc"][0] for d in per_doc)
    total = sum(d["sgc"][1] for d in per_doc)
    metrics["source_given_content"] = round(agree / total, 4) if total else 0.0
    return metrics


def quote_to_gold(q: Quote) -> dict[str, Any]:
    """A predicted quote in the gold attribution format."""
    return {
        "content": [list(s) for s in q.content_spans],
        "source": [list(q.speaker_span)] if q.speaker_span else [],
        "cue": [list(q.cue_span)] if q.cue_span else [],
        "kind": q.kind,
        "speaker": q.speaker,
        "speaker_text": q.speaker_text,
        "speaker_kind": q.speaker_kind,
        "confidence": q.confidence,
    }


def _filter_kind(attrs: list[dict[str, Any]], kind: str | None) -> list[dict[str, Any]]:
    return attrs if kind is None else [a for a in attrs if a.get("kind") == kind]


def evaluate_predictions(
    rows: list[dict[str, Any]], preds: list[list[dict[str, Any]]], kind: str | None = None
) -> dict[str, Any]:
    """Metrics for given predictions; ``kind="direct"`` restricts both sides to direct quotes."""
    per_doc = [
        score_document(_filter_kind(r.get("attributions", []), kind), _filter_kind(p, kind))
        for r, p in zip(rows, preds, strict=True)
    ]
    return aggregate(per_doc)


def predict(nlp: Language, rows: list[dict[str, Any]], batch_size: int = 8
            ) -> list[list[dict[str, Any]]]:
    articles = [Article(id=r["id"], text=r["text"], published=r.get("dct")) for r in rows]
    docs = (make_doc(nlp, a) for a in articles)
    return [[quote_to_gold(q) for q in (doc._.quotes or [])]
            for doc in nlp.pipe(docs, batch_size=batch_size)]


def evaluate(
    nlp: Language,
    gold_path: str | Path,
    *,
    limit: int | None = None,
    predictions_path: str | Path | None = None,
) -> dict[str, Any]:
    """``wirewatch eval quotes``: span P/R/F1 for content, source and cue.

    The quote component runs in the scope the gold's annotation scheme defines (see
    :data:`SCHEME_SCOPES`); the answer says which.
    """
    rows = list(read_gold(gold_path, limit=limit))
    datasets = {r.get("dataset") for r in rows}
    scope = SCHEME_SCOPES.get(datasets.pop(), "speech") if len(datasets) == 1 else "speech"
    pipe = nlp.get_pipe("wirewatch_quotes") if "wirewatch_quotes" in nlp.pipe_names else None
    previous = getattr(pipe, "scope", None)
    if pipe is not None:
        pipe.scope = scope
    try:
        preds = predict(nlp, rows)
    finally:
        if pipe is not None and previous is not None:
            pipe.scope = previous
    result = _result(rows, preds, gold_path, predictions_path)
    result["scope"] = scope
    return result


# Annotation schemes whose "attribution" is wider than words said or written. PolNeAR
# follows PARC: beliefs, positions and deeds attributed to a source ("X believes",
# "X supports the bill", "X refused to ...") are attribution relations there, while
# wirewatch's default quotes keep speech only (the real-news gold's rule). Its gold is
# scored against the component's "attribution" scope, the scheme it was annotated in.
SCHEME_SCOPES = {"polnear": "attribution"}


def _result(
    rows: list[dict[str, Any]], preds: list[list[dict[str, Any]]], gold_path: str | Path,
    predictions_path: str | Path | None,
) -> dict[str, Any]:
    """The task's answer; the predictions are also written in the gold format when asked."""
    if predictions_path is not None:
        write_predictions(
            predictions_path,
            [{"id": r["id"], "attributions": p} for r, p in zip(rows, preds, strict=True)],
        )
    return {
        "task": "quotes",
        "gold": str(gold_path),
        "n_docs": len(rows),
        "metrics": evaluate_predictions(rows, preds),
    }


def quotation_marks_baseline(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Every quotation of three or more words as a sourceless direct quote."""
    from wirewatch.nlp.quotes import quote_kind, scan_quotations

    out = []
    for r in rows:
        quotations, mask = scan_quotations(r["text"])
        attrs = []
        for q in quotations:
            if len(r["text"][q.start : q.end].split()) >= 3:
                spans = [[q.start, q.end]]
                attrs.append({"content": spans, "source": [], "cue": [],
                              "kind": quote_kind(r["text"], mask, spans)})
        out.append(attrs)
    return out


def compare(
    nlp: Language,
    gold_path: str | Path,
    *,
    limit: int | None = None,
    baselines: dict[str, Callable[[list[dict[str, Any]]], list[list[dict[str, Any]]]]]
    | None = None,
) -> dict[str, Any]:
    """Side-by-side metrics of wirewatch and baselines on the same gold (all / direct only)."""
    rows = list(read_gold(gold_path, limit=limit))
    systems = {"wirewatch": predict(nlp, rows)}
    for name, fn in (baselines or {}).items():
        systems[name] = fn(rows)
    return {
        "task": "quotes",
        "gold": str(gold_path),
        "n_docs": len(rows),
        "systems": {
            name: {
                "all": evaluate_predictions(rows, preds),
                "direct": evaluate_predictions(rows, preds, kind="direct"),
            }
            for name, preds in systems.items()
        },
    }


def baseline(
    gold_path: str | Path,
    *,
    limit: int | None = None,
    predictions_path: str | Path | None = None,
) -> dict[str, Any]:
    """``wirewatch eval quotes --baseline``: textacy's direct quotations, scored the same way.

    Falls back to the quotation-marks baseline when textacy (an optional
    evaluation dependency) is not installed; ``system`` says which one ran.
    ``direct`` holds the scores on direct quotes only.
    """
    import spacy

    from wirewatch.evaluate import textacy_baseline
    from wirewatch.nlp.pipeline import BASE_MODEL

    rows = list(read_gold(gold_path, limit=limit))
    if textacy_baseline.available():
        system = "textacy.direct_quotations"
        preds = textacy_baseline.predict(spacy.load(BASE_MODEL), rows)
    else:
        system = "quotation_marks"
        preds = quotation_marks_baseline(rows)
    return {
        **_result(rows, preds, gold_path, predictions_path),
        "system": system,
        "direct": evaluate_predictions(rows, preds, kind="direct"),
    }
