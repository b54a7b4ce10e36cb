"""TempEval-3 style scoring of the temporal tagger, and a spaCy + dateparser baseline.

``metrics.relaxed`` / ``metrics.strict``: P/R/F1 for finding expressions (any
overlap / exact span). On relaxed matches: ``metrics.value`` (``accuracy`` and
TempEval-3's value F1, i.e. a match counts only when the value is right too) and
``metrics.type.accuracy``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language

from wirewatch.evaluate.gold import read_gold, write_predictions
from wirewatch.evaluate.metrics import Counts, match_greedy, overlaps, prf
from wirewatch.model import Article

Pred = dict[str, Any]


def canonical_value(value: str | None) -> str | None:
    """Spellings TimeML treats as the same value: zero-padded ISO weeks ("2000-W7")."""
    if value is None:
        return None
    return re.sub(r"-W0?(\d)(?=\D|$)", r"-W0\1", value)


def score(gold_rows: list[dict[str, Any]], pred_rows: list[dict[str, Any]]) -> dict[str, Any]:
    """TempEval-3 metrics from gold rows and prediction rows with the same ids."""
    preds = {r["id"]: r["timexes"] for r in pred_rows}
    relaxed, strict = Counts(), Counts()
    matched = value_ok = type_ok = 0
    for row in gold_rows:
        gold = row["timexes"]
        pred = preds.get(row["id"], [])
        pairs = match_greedy(
            gold, pred, lambda g, p: overlaps((g["start"], g["end"]), (p["start"], p["end"]))
        )
        exact = match_greedy(
            gold, pred, lambda g, p: (g["start"], g["end"]) == (p["start"], p["end"])
        )
        relaxed.add(Counts(len(pairs), len(pred) - len(pairs), len(gold) - len(pairs)))
        strict.add(Counts(len(exact), len(pred) - len(exact), len(gold) - len(exact)))
        for gi, pi in pairs:
            g, p = gold[gi], pred[pi]
            matched += 1
            value_ok += canonical_value(g["value"]) == canonical_value(p.get("value"))
            type_ok += g["type"] == p.get("type")
    n_pred = relaxed.tp + relaxed.fp
    n_gold = relaxed.tp + relaxed.fn
    value_f1 = prf(value_ok, n_pred - value_ok, n_gold - value_ok)["f1"]
    return {
        "relaxed": relaxed.prf(),
        "strict": strict.prf(),
        "value": {"f1": value_f1, "accuracy": round(value_ok / matched, 4) if matched else 0.0},
        "type": {"accuracy": round(type_ok / matched, 4) if matched else 0.0},
        "n_gold": n_gold,
        "n_pred": n_pred,
    }


def _articles(rows: Iterable[dict[str, Any]]) -> list[Article]:
    return [Article(id=r["id"], text=r["text"], published=r.get("dct")) for r in rows]


def _run(
    rows: list[dict[str, Any]],
    predict: Callable[[list[Article]], list[list[Pred]]],
    gold_path: str | Path,
    predictions_path: str | Path | None,
) -> dict[str, Any]:
    preds = predict(_articles(rows))
    pred_rows = [{"id": r["id"], "timexes": p} for r, p in zip(rows, preds, strict=True)]
    if predictions_path is not None:
        write_predictions(predictions_path, pred_rows)
    return {
        "task": "time",
        "gold": str(gold_path),
        "n_docs": len(rows),
        "metrics": score(rows, pred_rows),
    }


def evaluate(
    nlp: Language,
    gold_path: str | Path,
    *,
    limit: int | None = None,
    predictions_path: str | Path | None = None,
) -> dict[str, Any]:
    """Run the pipeline's time component over the gold file and score it."""
    from wirewatch.nlp.pipeline import make_doc

    rows = list(read_gold(gold_path, limit=limit))

    def predict(articles: list[Article]) -> list[list[Pred]]:
        out = []
        for doc in nlp.pipe((make_doc(nlp, a) for a in articles), batch_size=8):
            out.append(
                [
                    {"start": t.start, "end": t.end, "type": t.type, "value": t.value,
                     "granularity": t.granularity, "uncertain": t.uncertain, "reason": t.reason}
                    for t in (doc._.times or [])
                ]
            )
        return out

    return _run(rows, predict, gold_path, predictions_path)


def _dateparser_value(text: str, label: str, anchor: str | None) -> str | None:
    import dateparser
    from dateparser.date import DateDataParser

    settings: dict[str, Any] = {"RETURN_AS_TIMEZONE_AWARE": False}
    if anchor:
        base = dateparser.parse(anchor[:19], settings={"RETURN_AS_TIMEZONE_AWARE": False})
        if base is not None:
            settings["RELATIVE_BASE"] = base
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    d = data.date_obj
    period = data.period or "day"
    if label == "TIME" and period in ("time", "day") and (d.hour or d.minute):
        return d.strftime("%Y-%m-%dT%H:%M")
    if period == "year":
        return f"{d.year:04d}"
    if period == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if period == "week":
        y, w, _ = d.isocalendar()
        return f"{y}-W{w:02d}"
    return d.strftime("%Y-%m-%d")


def baseline(
    gold_path: str | Path,
    *,
    limit: int | None = None,
    predictions_path: str | Path | None = None,
    nlp: Language | None = None,
) -> dict[str, Any]:
    """spaCy DATE/TIME entities as spans, dateparser (anchored on the DCT) for values."""
    rows = list(read_gold(gold_path, limit=limit))
    if nlp is None:
        import spacy

        from wirewatch.nlp.pipeline import BASE_MODEL

        nlp = spacy.load(BASE_MODEL)

    def predict(articles: list[Article]) -> list[list[Pred]]:
        out = []
        texts = (a.text for a in articles)
        with nlp.select_pipes(enable=["tok2vec", "ner"]):
            for art, doc in zip(articles, nlp.pipe(texts, batch_size=8), strict=True):
                out.append(
                    [
                        {"start": e.start_char, "end": e.end_char, "type": e.label_,
                         "value": _dateparser_value(e.text, e.label_, art.published)}
                        for e in doc.ents
                        if e.label_ in ("DATE", "TIME")
                    ]
                )
        return out

    result = _run(rows, predict, gold_path, predictions_path)
    result["system"] = "baseline: spaCy DATE/TIME + dateparser"
    return result
