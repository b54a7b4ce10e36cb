"""``wirewatch bench``: the throughput report's fields and how its ratio is formed."""

from __future__ import annotations

from pathlib import Path

import pytest

from wirewatch.bench import run_bench

TEXTS = (
    "Mayor Ines Varga of Lakeford said on Monday that the ferry port would reopen in May.",
    "Police in Dayton arrested two men after a protest outside the Harbour Union office.",
)


def test_bench_reports_ingest_against_bare_spacy(tmp_path: Path) -> None:
    for i, text in enumerate(TEXTS):
        (tmp_path / f"a{i}.txt").write_text(text, encoding="utf-8")
    out = run_bench([tmp_path])
    assert out["corpus"]["articles"] == 2
    assert out["ingest_to_sqlite"]["articles"] == 2
    spacy_aps = out["spacy_only"]["articles_per_second"]
    ingest_aps = out["ingest_to_sqlite"]["articles_per_second"]
    assert spacy_aps > 0 and ingest_aps > 0
    assert out["ratio_to_spacy"] == pytest.approx(ingest_aps / spacy_aps, rel=0.02)
    assert set(out["component_seconds"]) >= {"ner", "wirewatch_quotes", "wirewatch_events"}
    assert out["peak_rss_mb"] > 0


def test_both_sides_warmed_and_the_texts_read_once_by_the_timed_ingest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Our components and the cleaner cache what they read: the ingest must be timed before
    anything in the process has read these texts, and bare spaCy warmed before its timing."""
    import wirewatch.bench as bench

    for i, text in enumerate(TEXTS):
        (tmp_path / f"a{i}.txt").write_text(text, encoding="utf-8")
    calls: list[str] = []
    real_ingest, real_read, real_load = bench.ingest_items, bench.read_inputs, bench.bare_spacy

    def ingest_items(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append("ingest")
        return real_ingest(*args, **kwargs)

    def read_inputs(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append("read")
        return real_read(*args, **kwargs)

    class Recorded:
        def __init__(self, nlp):  # type: ignore[no-untyped-def]
            self.nlp = nlp

        def __call__(self, text):  # type: ignore[no-untyped-def]
            calls.append("spacy warm-up" if text == bench.WARM_UP_TEXT else "spacy call")
            return self.nlp(text)

        def pipe(self, texts, **kwargs):  # type: ignore[no-untyped-def]
            calls.append("spacy timed")
            return self.nlp.pipe(texts, **kwargs)

    monkeypatch.setattr(bench, "ingest_items", ingest_items)
    monkeypatch.setattr(bench, "read_inputs", read_inputs)
    monkeypatch.setattr(bench, "bare_spacy", lambda: Recorded(real_load()))
    out = bench.run_bench([tmp_path])
    # One reading, the ingest's own; bare spaCy warmed, then timed on the texts it read.
    assert calls == ["read", "ingest", "spacy warm-up", "spacy timed"]
    assert 0 <= out["ingest_to_sqlite"]["reading_seconds"] <= out["ingest_to_sqlite"]["seconds"]
    assert out["ratio_to_spacy_after_reading"] >= out["ratio_to_spacy"]


def test_store_bench_times_every_endpoint(tmp_path: Path) -> None:
    from wirewatch.bench import run_store_bench

    out = run_store_bench(f"sqlite:///{tmp_path / 'bench.db'}", 300, repeat=2)
    assert out["built"]["events"] == 300 and out["stored"]["events"] == 300
    assert len(out["endpoints"]) == 12 and out["warm_up_requests"] == 0
    for timing in out["endpoints"].values():
        assert 0 < timing["p50_ms"] <= timing["p95_ms"]
    assert set(out["p95_under_100ms"]) <= set(out["endpoints"])
