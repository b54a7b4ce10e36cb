"""Near-copies of one story (the same wire report republished with small edits).

Counting each republication as new events is the classic way event data
inflates one story into many rows. Each article gets a min-hash fingerprint of
its word 5-shingles; an article whose fingerprint agrees with an earlier one on
most positions is marked ``duplicate_of`` it, and its events are left out of
lists and exports unless asked for.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable

_PRIME = (1 << 61) - 1
_N_HASHES = 64
_SHINGLE = 5
THRESHOLD = 0.5  # share of equal min-hashes: about the Jaccard similarity of the shingle sets

# Fixed multipliers and offsets: fingerprints must be identical on every run and machine.
_PARAMS = [((i * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) % _PRIME | 1,
            (i * 0xBF58476D1CE4E5B9 + 0x94D049BB133111EB) % _PRIME) for i in range(_N_HASHES)]


def fingerprint(text: str) -> list[int]:
    words = re.findall(r"\w+", text.lower())
    if len(words) < _SHINGLE:
        words = words + [""] * (_SHINGLE - len(words))
    shingles = {zlib.crc32(" ".join(words[i:i + _SHINGLE]).encode())
                for i in range(len(words) - _SHINGLE + 1)}
    return [min((a * s + b) % _PRIME for s in shingles) for a, b in _PARAMS]


def similarity(a: list[int], b: list[int]) -> float:
    if not a or not b or len(a) != len(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def find_original(
    fp: list[int], candidates: Iterable[tuple[str, list[int]]], threshold: float = THRESHOLD
) -> str | None:
    """The id of the most similar earlier article above the threshold, if any."""
    best_id, best = None, threshold
    for other_id, other_fp in candidates:
        score = similarity(fp, other_fp)
        if score >= best:
            best_id, best = other_id, score
    return best_id
