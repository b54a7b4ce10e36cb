"""Near-copies of one story (the same wire report republished with small edits).

Counting each republication as new events is the classic way event data
inflates one story into many rows. Each article gets a min-hash fingerprint of
its word 5-shingles; an article whose fingerprint agrees with an earlier one on
most positions is marked ``duplicate_of`` it, and its events are left out of
lists and exports unless asked for.

At scale a new article is compared only with the stored articles that share one of
its LSH bands (``band_keys``, stored in ``article_bands``): the 64 min-hashes cut into
32 bands of 2. Two fingerprints equal on 33 or more positions (similarity >= 0.516)
always share a band, since 32 bands with at most one equal position each hold at most
32; at exactly the 0.5 threshold a pair shares one with probability 1 - (1 - 0.5^2)^32
= 0.999, while unrelated stories (similarity near 0.01) share one about 3 times in a
thousand. So the comparisons fall from every stored article to a handful.

The bands live in the database, not in an in-memory index such as datasketch's
``MinHashLSH``: every writer (several processes on PostgreSQL) sees the others' articles
inside its own write transaction, nothing is rebuilt at start-up, and the min-hash above is
already a fixed-seed, 64-permutation MinHash, so the library would add nothing.
"""

from __future__ import annotations

import hashlib
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


BANDS = 32
ROWS = _N_HASHES // BANDS


def band_keys(fp: list[int]) -> list[int]:
    """One key per LSH band: a stable 63-bit hash of the band's number and min-hashes
    (the same on every run, machine and database, so it can be stored and queried)."""
    if len(fp) != _N_HASHES:
        return []
    keys = []
    for band in range(BANDS):
        part = fp[band * ROWS:(band + 1) * ROWS]
        digest = hashlib.blake2b(f"{band}:{':'.join(map(str, part))}".encode(),
                                 digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big") >> 1)  # fits a signed BIGINT
    return keys


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
