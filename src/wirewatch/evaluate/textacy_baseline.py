"""Baseline: textacy's ``direct_quotations`` on the same gold files.

textacy (pinned 0.13.0, an optional evaluation dependency) finds direct
quotations with a speaker and a cue.  Its triples are converted to the gold
attribution format so :mod:`wirewatch.evaluate.quotes` scores both systems
the same way.  textacy runs on the plain spaCy parse (our components are
disabled for it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from wirewatch.evaluate.gold import read_gold


def available() -> bool:
    try:
        import textacy.extract.triples  # noqa: F401
    except ImportError:
        return False
    return True


def _token_spans(tokens: list[Any]) -> list[list[int]]:
    if not tokens:
        return []
    toks = sorted(tokens, key=lambda t: t.i)
    return [[toks[0].idx, toks[-1].idx + len(toks[-1].text)]]


def attributions_from_doc(doc: Doc) -> list[dict[str, Any]]:
    """textacy's direct quotations of a parsed doc, in the gold attribution format."""
    from textacy.extract.triples import direct_quotations

    from wirewatch.nlp.quotes import quote_kind, scan_quotations

    _, mask = scan_quotations(doc.text)
    out = []
    try:
        triples = list(direct_quotations(doc))
    except Exception:  # noqa: BLE001 - textacy fails on some layouts; score what it gives
        triples = []
    for tr in triples:
        content = [[tr.content.start_char, tr.content.end_char]]
        out.append({
            "content": content,
            "source": _token_spans(list(tr.speaker)),
            "cue": _token_spans(list(tr.cue)),
            "kind": quote_kind(doc.text, mask, content) or "direct",
        })
    return out


def predict(nlp: Language, rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    own = [n for n in nlp.pipe_names if n.startswith("wirewatch_")]
    with nlp.select_pipes(disable=own):
        return [attributions_from_doc(doc) for doc in nlp.pipe(r["text"] for r in rows)]


def baseline(nlp: Language) -> Any:
    """A baseline callable for :func:`wirewatch.evaluate.quotes.compare`."""
    return lambda rows: predict(nlp, rows)


def evaluate(
    nlp: Language, gold_path: str | Path, *, limit: int | None = None
) -> dict[str, Any]:
    """textacy alone, scored like ``wirewatch eval quotes`` (all and direct-only)."""
    from wirewatch.evaluate.quotes import evaluate_predictions

    rows = list(read_gold(gold_path, limit=limit))
    preds = predict(nlp, rows)
    return {
        "task": "quotes",
        "system": "textacy.direct_quotations",
        "gold": str(gold_path),
        "n_docs": len(rows),
        "metrics": evaluate_predictions(rows, preds),
        "direct": evaluate_predictions(rows, preds, kind="direct"),
    }
