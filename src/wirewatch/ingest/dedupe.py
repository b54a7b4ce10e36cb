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

import numpy as np

_PRIME = (1 << 61) - 1
_N_HASHES = 64
_SHINGLE = 5
THRESHOLD = 0.5  # share of equal min-hashes: about the Jaccard similarity of the shingle sets

# Fixed multipliers and offsets: fingerprints must be identical on every run and machine.
_PARAMS = [((i * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) % _PRIME | 1,
            (i * 0xBF58476D1CE4E5B9 + 0x94D049BB133111EB) % _PRIME) for i in range(_N_HASHES)]


_A = np.array([a for a, _ in _PARAMS], dtype=np.uint64)[:, None]
_A_HI, _A_LO = _A >> np.uint64(32), _A & np.uint64(0xFFFFFFFF)
_B = np.array([b for _, b in _PARAMS], dtype=np.uint64)[:, None]
_P = np.uint64(_PRIME)
_CHUNK = 4096  # shingles per step: 64 x 4096 words of working memory, whatever the text


def fingerprint(text: str) -> list[int]:
    """The 64 min-hashes ``min((a * s + b) mod p)`` over the crc32s ``s`` of the text's word
    5-shingles, computed exactly in 64-bit numpy arithmetic (p = 2**61 - 1 is a Mersenne
    prime, so x mod p folds as (x & p) + (x >> 61)): the same integers as Python's
    arbitrary-precision formula, some fifty times faster."""
    words = re.findall(r"\w+", text.lower())
    if len(words) < _SHINGLE:
        words = words + [""] * (_SHINGLE - len(words))
    shingles = {zlib.crc32(" ".join(words[i:i + _SHINGLE]).encode())
                for i in range(len(words) - _SHINGLE + 1)}
    values = np.fromiter(shingles, dtype=np.uint64, count=len(shingles))
    best = np.full(_N_HASHES, np.iinfo(np.uint64).max, dtype=np.uint64)
    for i in range(0, len(values), _CHUNK):
        best = np.minimum(best, _hashes(values[i:i + _CHUNK]).min(axis=1))
    return [int(x) for x in best]


def _hashes(s: np.ndarray) -> np.ndarray:
    """(a * s + b) mod p for every (a, b) and every s < 2**32, as a (64, len(s)) array.
    a = a_hi * 2**32 + a_lo; a_hi * s < 2**61 and a_lo * s < 2**64 fit in 64 bits, and
    multiplying by 2**32 mod p is a rotation of the 61-bit value."""
    hi = _A_HI * s  # < 2**61
    # hi * 2**32 mod p: the low 29 bits move up 32 places, the top 32 bits wrap around.
    r1 = ((hi & np.uint64((1 << 29) - 1)) << np.uint64(32)) + (hi >> np.uint64(29))
    lo = _A_LO * s  # < 2**64
    r2 = (lo & _P) + (lo >> np.uint64(61))
    y = r1 + r2 + _B  # < 2**63
    y = (y & _P) + (y >> np.uint64(61))
    return np.where(y >= _P, y - _P, y)


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
