"""Sentence-level scoring of the event coder against the event gold files.

Each gold line is one sentence (or short snippet). We compare the *set* of PLOVER
types we predict for it (counted modalities only: hypothetical, negated, demanded
and historical-background events are left out, as by default everywhere) with the
set of gold PLOVER types (null types dropped; predictions on sentences whose gold
has such an unmapped event are still false positives, and are also counted apart).
What is measured depends on what the file annotates; the result says so in
``measured``:

* PLOVER events (``no_event`` not null): ``type.micro``, ``type.per_type``,
  ``no_event`` (p/r of saying "no event") and, where gold actor texts exist,
  ``actor_match``.
* ``quad`` (0-4): ``quad.accuracy`` with our events mapped to the CAMEO quad
  classes (no event -> 0), plus ``quad.precision`` over sentences we coded.
* ``labels`` (police actions): precision of our ASSAULT/COERCE events whose actor is
  the police against the sentence labels.
* ``acled_type``: share of each predicted type that is compatible with the
  snippet's ACLED sub-event type (our own, documented mapping).

Every file also gets the predicted type distribution and the no-event rate.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language

from wirewatch.evaluate.gold import read_gold, write_predictions
from wirewatch.evaluate.metrics import Counts, overlaps
from wirewatch.model import PLOVER_TYPES, Article, Event
from wirewatch.nlp.codebook import COUNTED_MODALITIES, QUAD_OF_TYPE
from wirewatch.nlp.pipeline import make_doc

# Which ACLED-style sub-event types a PLOVER type is compatible with (our judgement:
# the ACLED sub-event describes the same kind of action).
ACLED_COMPATIBLE = {
    "ASSAULT": {
        "ARMED_CLASH", "ATTACK", "AIR_STRIKE", "ART_MISS_ATTACK", "SUIC_BOMB", "GRENADE",
        "REM_EXPLOS", "CHEM_WEAP", "SEX_VIOL", "ABDUCT_DISSAP", "MOB_VIOL",
        "PROPERTY_DISTRUCT", "FORCE_AGAINST_PROTEST", "GOV_REGAINS_TERIT",
        "NON_STATE_ACTOR_OVERTAKES_TER", "VIOL_DEMONSTR",
    },
    "COERCE": {
        "ARREST", "FORCE_AGAINST_PROTEST", "PROPERTY_DISTRUCT", "GOV_REGAINS_TERIT", "DISR_WEAP",
        "NON_STATE_ACTOR_OVERTAKES_TER", "NON_VIOL_TERRIT_TRANSFER", "ABDUCT_DISSAP",
    },
    "PROTEST": {"PEACE_PROTEST", "PROTEST_WITH_INTER", "VIOL_DEMONSTR", "MOB_VIOL"},
    "AGREE": {"AGREEMENT", "DIPLO"},
    "CONSULT": {"AGREEMENT", "DIPLO"},
    "SUPPORT": {"AGREEMENT", "DIPLO"},
    "COOPERATE": {"AGREEMENT", "DIPLO"},
    "RETREAT": {"AGREEMENT", "NON_VIOL_TERRIT_TRANSFER", "DIPLO"},
    "MOBILIZE": {"HQ_ESTABLISHED", "CHANGE_TO_GROUP_ACT", "DISR_WEAP"},
    "ACCUSE": {"DIPLO", "ATTRIB"},
}
POLICE = re.compile(r"\b(police\w*|cops?|constables?|sho|dcp|acp|ips|crpf|rapid action force|"
                    r"law enforcers?|inspectors?|sub-inspectors?|commissioners?)\b", re.I)


def _counted(events: Iterable[Event]) -> list[Event]:
    return [e for e in events if e.modality in COUNTED_MODALITIES]


def _rows(
    gold_path: str | Path, limit: int | None, sample: int | None, seed: int
) -> list[dict[str, Any]]:
    rows = list(read_gold(gold_path, limit=None if sample else limit))
    if sample is not None and sample < len(rows):
        keep = sorted(random.Random(seed).sample(range(len(rows)), sample))
        rows = [rows[i] for i in keep]
    return rows


def predict(
    nlp: Language, rows: list[dict[str, Any]], batch_size: int = 64
) -> list[list[Event]]:
    articles = [Article(id=r["id"], text=r["text"], published=r.get("dct")) for r in rows]
    docs = (make_doc(nlp, a) for a in articles)
    return [list(doc._.events or []) for doc in nlp.pipe(docs, batch_size=batch_size)]


def _gold_types(row: dict[str, Any]) -> set[str]:
    return {e["type"] for e in row.get("events") or [] if e.get("type")}


def _gold_actor_texts(event: dict[str, Any]) -> list[str]:
    src = event.get("source") or {}
    texts = [src.get("text")] + [m.get("text") for m in src.get("more") or []]
    return [t for t in texts if t]


def _find_all(text: str, needle: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(needle), text)]


def score_plover(rows: list[dict[str, Any]], preds: list[list[Event]]) -> dict[str, Any]:
    micro = Counts()
    per_type = {t: Counts() for t in PLOVER_TYPES}
    no_event = Counts()
    actor_hits = actor_total = 0
    fp_unmapped = 0
    for row, events in zip(rows, preds, strict=True):
        counted = _counted(events)
        pred = {e.type for e in counted}
        gold = _gold_types(row)
        if any(not e.get("type") for e in row.get("events") or []):
            # the gold has an event whose source code has no PLOVER type
            fp_unmapped += len(pred - gold)
        for t in PLOVER_TYPES:
            c = Counts(tp=int(t in pred and t in gold), fp=int(t in pred and t not in gold),
                       fn=int(t in gold and t not in pred))
            per_type[t].add(c)
            micro.add(c)
        no_event.add(Counts(tp=int(not pred and not gold), fp=int(not pred and bool(gold)),
                            fn=int(bool(pred) and not gold)))
        for gev in row.get("events") or []:
            if not gev.get("type") or gev["type"] not in pred:
                continue
            spans = [s for txt in _gold_actor_texts(gev) for s in _find_all(row["text"], txt)]
            if not spans:
                continue
            actor_total += 1
            if any(
                overlaps((a.start, a.end), s)
                for e in counted if e.type == gev["type"]
                for a in e.actors
                for s in spans
            ):
                actor_hits += 1
    metrics: dict[str, Any] = {
        "type": {
            "micro": micro.prf(),
            "fp": micro.fp,
            "fp_where_gold_has_unmapped_event": fp_unmapped,
            "per_type": {
                t: {**c.prf(), "support": c.tp + c.fn, "predicted": c.tp + c.fp}
                for t, c in per_type.items() if c.tp + c.fn + c.fp
            },
        },
        "no_event": no_event.prf(),
    }
    if actor_total:
        metrics["actor_match"] = {
            "share": round(actor_hits / actor_total, 4), "n": actor_total,
        }
    return metrics


def _quad(events: list[Event]) -> int:
    counted = _counted(events)
    if not counted:
        return 0
    best = max(counted, key=lambda e: e.confidence)
    return QUAD_OF_TYPE[best.type]


def score_quad(rows: list[dict[str, Any]], preds: list[list[Event]]) -> dict[str, Any]:
    right = coded = coded_right = 0
    confusion: Counter[str] = Counter()
    for row, events in zip(rows, preds, strict=True):
        q = _quad(events)
        confusion[f"{row['quad']}->{q}"] += 1
        right += int(q == row["quad"])
        if q:
            coded += 1
            coded_right += int(q == row["quad"])
    n = len(rows)
    return {
        "quad": {
            "accuracy": round(right / n, 4) if n else 0.0,
            "precision": round(coded_right / coded, 4) if coded else 0.0,
            "coded": coded,
            "confusion": dict(sorted(confusion.items())),
        }
    }


def score_police(rows: list[dict[str, Any]], preds: list[list[Event]]) -> dict[str, Any]:
    """Our police ASSAULT/COERCE events against the sentence's police-action labels."""
    by_label = {"ASSAULT": Counter(), "COERCE": Counter()}
    any_hit = any_n = 0
    for row, events in zip(rows, preds, strict=True):
        labels = set(row.get("labels") or [])
        police = [
            e for e in _counted(events)
            if e.type in by_label and any(POLICE.search(a.text) for a in e.actors)
        ]
        for etype in {e.type for e in police}:
            any_n += 1
            hit = bool(labels & {"ANY_ACTION", "KILL", "ARREST", "FORCE"})
            any_hit += int(hit)
            by_label[etype]["n"] += 1
            by_label[etype]["hit"] += int(hit)
            want = {"COERCE": "ARREST", "ASSAULT": "FORCE"}[etype]
            by_label[etype]["specific"] += int(want in labels or (etype == "ASSAULT" and
                                                                  "KILL" in labels))
    gold_police = sum(
        1 for r in rows if set(r.get("labels") or []) & {"KILL", "ARREST", "FORCE"}
    )
    return {
        "police_action": {
            "precision_any_action": round(any_hit / any_n, 4) if any_n else 0.0,
            "n_predicted": any_n,
            "per_type": {
                t: {
                    "n": c["n"],
                    "precision_any_action": round(c["hit"] / c["n"], 4) if c["n"] else 0.0,
                    "precision_specific": round(c["specific"] / c["n"], 4) if c["n"] else 0.0,
                }
                for t, c in by_label.items()
            },
            "gold_sentences_kill_arrest_force": gold_police,
        }
    }


def score_acled(rows: list[dict[str, Any]], preds: list[list[Event]]) -> dict[str, Any]:
    """Types with an ACLED counterpart are scored; the others are only counted."""
    per: dict[str, Counter[str]] = {}
    for row, events in zip(rows, preds, strict=True):
        for etype in {e.type for e in _counted(events)}:
            c = per.setdefault(etype, Counter())
            c["n"] += 1
            c["ok"] += int(row.get("acled_type") in ACLED_COMPATIBLE.get(etype, set()))
    scored = {t: c for t, c in per.items() if t in ACLED_COMPATIBLE}
    total = sum(c["n"] for c in scored.values())
    ok = sum(c["ok"] for c in scored.values())
    return {
        "acled_compatible": {
            "precision": round(ok / total, 4) if total else 0.0,
            "n_predicted": total,
            "per_type": {
                t: {"n": c["n"], "precision": round(c["ok"] / c["n"], 4)}
                for t, c in sorted(scored.items())
            },
            "not_scored_types": {
                t: c["n"] for t, c in sorted(per.items()) if t not in ACLED_COMPATIBLE
            },
        }
    }


def _distribution(preds: list[list[Event]]) -> dict[str, Any]:
    types: Counter[str] = Counter()
    modalities: Counter[str] = Counter()
    empty = 0
    for events in preds:
        counted = _counted(events)
        empty += int(not counted)
        types.update({e.type for e in counted})
        modalities.update(e.modality for e in events)
    return {
        "predicted_types": dict(types.most_common()),
        "modalities_all_events": dict(modalities.most_common()),
        "no_event_rate": round(empty / len(preds), 4) if preds else 0.0,
    }


def _prediction_row(row: dict[str, Any], events: list[Event]) -> dict[str, Any]:
    counted = _counted(events)
    return {
        "id": row["id"],
        "events": [
            {
                "type": e.type,
                "cameo": e.cameo,
                "source": {"text": e.actors[0].text if e.actors else None},
                "target": {"text": e.recipients[0].text if e.recipients else None},
                "modality": e.modality,
                "trigger": e.trigger.text,
                "pattern": e.pattern,
                "confidence": e.confidence,
            }
            for e in events
        ],
        "no_event": not counted,
    }


def _score(
    rows: list[dict[str, Any]], preds: list[list[Event]]
) -> tuple[dict[str, Any], list[str]]:
    """Every measure the gold file supports, and a line per measure saying what it is."""
    metrics: dict[str, Any] = {}
    measured: list[str] = []
    if rows and any(r.get("no_event") is not None for r in rows):
        metrics.update(score_plover(rows, preds))
        measured.append("PLOVER type sets per sentence vs gold events")
    if rows and all("quad" in r for r in rows):
        metrics.update(score_quad(rows, preds))
        measured.append("CAMEO quad class of the top event (no event = 0) vs gold quad")
    if rows and all("labels" in r for r in rows):
        metrics.update(score_police(rows, preds))
        measured.append(
            "precision of ASSAULT/COERCE events with a police actor against the sentence's "
            "police-action labels (no PLOVER gold: recall not measurable)"
        )
    if rows and all("acled_type" in r for r in rows):
        metrics.update(score_acled(rows, preds))
        measured.append(
            "share of predicted types compatible with the snippet's ACLED sub-event type"
        )
    metrics["distribution"] = _distribution(preds)
    return metrics, measured


def _result(
    gold_path: str | Path,
    rows: list[dict[str, Any]],
    preds: list[list[Event]],
    predictions_path: str | Path | None,
) -> dict[str, Any]:
    metrics, measured = _score(rows, preds)
    if predictions_path is not None:
        write_predictions(
            predictions_path, [_prediction_row(r, p) for r, p in zip(rows, preds, strict=True)]
        )
    return {
        "task": "events",
        "gold": str(gold_path),
        "n_docs": len(rows),
        "metrics": metrics,
        "measured": measured,
    }


def evaluate(
    nlp: Language,
    gold_path: str | Path,
    *,
    limit: int | None = None,
    predictions_path: str | Path | None = None,
    sample: int | None = None,
    seed: int = 13,
) -> dict[str, Any]:
    """Score the event coder on one gold file.

    ``limit`` takes the first N lines; ``sample`` takes N lines drawn with
    ``random.Random(seed)`` (kept in file order), for large files.
    """
    rows = _rows(gold_path, limit, sample, seed)
    result = _result(gold_path, rows, predict(nlp, rows), predictions_path)
    result["sampling"] = {"limit": limit, "sample": sample, "seed": seed if sample else None}
    return result


def baseline(
    gold_path: str | Path,
    *,
    limit: int | None = None,
    predictions_path: str | Path | None = None,
    sample: int | None = None,
    seed: int = 13,
) -> dict[str, Any]:
    """Reference point: say "no event" for every sentence."""
    rows = _rows(gold_path, limit, sample, seed)
    result = _result(gold_path, rows, [[] for _ in rows], predictions_path)
    result["baseline"] = "no event"
    return result
