"""Precision/recall/F1 arithmetic and span matching shared by every task."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def prf(self) -> dict[str, float]:
        return prf(self.tp, self.fp, self.fn)


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4)}


Span = tuple[int, int]


def overlaps(a: Span, b: Span) -> bool:
    """Any shared character."""
    return a[0] < b[1] and b[0] < a[1]


def spans_overlap(a: Sequence[Span], b: Sequence[Span]) -> bool:
    return any(overlaps(x, y) for x in a for y in b)


def match_greedy(
    gold: Sequence[object], pred: Sequence[object], same: callable  # type: ignore[valid-type]
) -> list[tuple[int, int]]:
    """One-to-one matching: each gold item pairs with at most one prediction, in order."""
    used: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if pi not in used and same(g, p):
                used.add(pi)
                pairs.append((gi, pi))
                break
    return pairs


def count_matches(gold: Sequence[object], pred: Sequence[object], same: callable) -> Counts:  # type: ignore[valid-type]
    tp = len(match_greedy(gold, pred, same))
    return Counts(tp=tp, fp=len(pred) - tp, fn=len(gold) - tp)


def mean(values: Iterable[float]) -> float:
    vals = list(values)
    return sum(vals) / len(vals) if vals else 0.0
