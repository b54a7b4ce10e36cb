from wirewatch.ingest.dedupe import find_original, fingerprint, similarity

STORY = ("Security forces arrested nine members of an armed faction in raids across Anbar "
         "province on Tuesday, the interior ministry said, seizing rockets and launch rails "
         "hidden in farm buildings near the Syrian border. The ministry said the suspects were "
         "linked to last week's attack on a base and would be questioned by investigators. "
         "A spokesman for the faction denied any role and called the raids political.")


def test_fingerprint_is_deterministic():
    assert fingerprint(STORY) == fingerprint(STORY)
    assert len(fingerprint(STORY)) == 64


def test_republished_copy_is_near_and_other_story_is_far():
    copy = STORY.replace("Tuesday", "Tuesday morning").replace(
        "A spokesman for the faction denied any role and called the raids political.", "")
    other = ("Protesters blocked the road to the port in Basra for a third day, demanding "
             "jobs and clean water, while the provincial governor promised a new desalination "
             "plant and called on the crowd to return home peacefully before the holiday.")
    assert similarity(fingerprint(STORY), fingerprint(copy)) > 0.5
    assert similarity(fingerprint(STORY), fingerprint(other)) < 0.1
    known = [("art_other", fingerprint(other)), ("art_story", fingerprint(STORY))]
    assert find_original(fingerprint(copy), known) == "art_story"
    assert find_original(fingerprint("Entirely unrelated words about football scores."),
                         known) is None


# -- near-copies at scale: LSH bands ---------------------------------------------------

import random  # noqa: E402

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from wirewatch.ingest.dedupe import BANDS, band_keys  # noqa: E402

WORDS = ("council", "harbour", "ministry", "convoy", "farmers", "bridge", "drought", "talks",
         "governor", "militia", "checkpoint", "village", "market", "river", "election",
         "protest", "court", "water", "power", "station", "school", "clinic", "border",
         "grain", "fuel", "prices", "workers", "strike", "road", "port", "envoy", "truce",
         "rockets", "patrol", "curfew", "refugees", "camp", "aid", "trucks", "police")


def _story(rng: random.Random, n: int = 90) -> str:
    """A fictional dispatch of random news words: its 5-word shingles are its own."""
    return " ".join(rng.choice(WORDS) for _ in range(n)) + "."


def test_a_near_copy_among_many_stored_articles_is_found_comparing_few(store, monkeypatch):
    from tests.test_store import make_record  # a minimal record, saved without the pipeline
    from wirewatch.store import repository

    rng = random.Random(15)
    stories = [_story(rng) for _ in range(300)]
    for i, text in enumerate(stories):
        rec = make_record(f"art_{i:016x}", published="2025-10-01")
        rec.article.text = text
        assert store.save(rec, fingerprint=fingerprint(text)).status == "new"

    compared: list[int] = []
    real = repository.find_original

    def counting(fp, candidates, *args):
        candidates = list(candidates)
        compared.append(len(candidates))
        return real(fp, candidates, *args)

    monkeypatch.setattr(repository, "find_original", counting)
    words = stories[137].split()
    words[10:13] = ["the", "regional", "office"]  # a republication with a small edit
    copy = make_record("art_copy000000000001", published="2025-10-02")
    copy.article.text = " ".join(words) + " Reporting by a staff writer."
    assert store.save(copy, fingerprint=fingerprint(copy.article.text)).duplicate_of == \
        f"art_{137:016x}"
    fresh = make_record("art_fresh00000000001", published="2025-10-02")
    fresh.article.text = _story(random.Random(99))
    assert store.save(fresh, fingerprint=fingerprint(fresh.article.text)).duplicate_of is None
    # Only LSH candidates are compared, not the 300 stored articles.
    assert compared[0] < 10 and compared[1] < 10, compared


fingerprints = st.lists(st.integers(0, (1 << 61) - 2), min_size=64, max_size=64)


@given(fingerprints, fingerprints, st.sets(st.integers(0, 63), min_size=33))
def test_fingerprints_equal_on_33_positions_always_share_a_band(a, b, same):
    """Pigeonhole: 32 bands of 2 with no band fully equal hold at most 32 equal positions."""
    b = [a[i] if i in same else b[i] for i in range(64)]
    assert len(band_keys(a)) == BANDS
    assert set(band_keys(a)) & set(band_keys(b))
    assert band_keys(a) == band_keys(list(a))  # deterministic


# -- the min-hash in 64-bit numpy arithmetic equals the arbitrary-precision formula ------

def _reference_fingerprint(text: str) -> list[int]:
    """The formula as first written, in Python integers."""
    import re
    import zlib

    from wirewatch.ingest import dedupe

    words = re.findall(r"\w+", text.lower())
    if len(words) < 5:
        words = words + [""] * (5 - len(words))
    shingles = {zlib.crc32(" ".join(words[i:i + 5]).encode())
                for i in range(len(words) - 4)}
    return [min((a * s + b) % dedupe._PRIME for s in shingles) for a, b in dedupe._PARAMS]


@given(st.lists(st.sampled_from(["the", "raid", "Anbar", "rockets", "said", "x1", "é", "42"]),
                max_size=60))
def test_fingerprint_equals_the_integer_formula(words):
    text = " ".join(words)
    assert fingerprint(text) == _reference_fingerprint(text)


@given(st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=20))
def test_hashes_are_exact_for_any_crc32(values):
    import numpy as np

    from wirewatch.ingest import dedupe

    got = dedupe._hashes(np.array(values, dtype=np.uint64))
    for i, (a, b) in enumerate(dedupe._PARAMS):
        assert [int(x) for x in got[i]] == [(a * s + b) % dedupe._PRIME for s in values]


def test_long_text_is_hashed_in_chunks_the_same():
    text = " ".join(f"w{i % 997} v{i % 89}" for i in range(9000))  # > one chunk of shingles
    assert fingerprint(text) == _reference_fingerprint(text)
