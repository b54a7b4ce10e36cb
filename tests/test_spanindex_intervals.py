"""Intervals answer the overlap questions of a scan of every pair, by binary search."""

import random

from wirewatch.nlp.spanindex import Intervals


def test_first_start_ending_after_decides_overlap_as_a_full_scan():
    rng = random.Random(7)
    for _ in range(300):
        pairs = []
        for _ in range(rng.randrange(0, 8)):
            a = rng.randrange(0, 60)
            pairs.append((a, a + rng.randrange(1, 15)))
        taken = Intervals(pairs)
        s = rng.randrange(0, 70)
        limit = taken.first_start_ending_after(s)
        for e in range(s + 1, s + 20):
            assert (limit < e) == any(a < e and s < b for a, b in pairs)
