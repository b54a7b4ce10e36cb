"""The pure normaliser and the dateline finder: no spaCy needed."""

from __future__ import annotations

from datetime import date

import pytest

from wirewatch.nlp.dateline import find_article_date
from wirewatch.nlp.timex import normalise, number, parse_anchor

ANCHOR = "2025-01-20"  # a Monday


@pytest.mark.parametrize(
    ("text", "tense", "typ", "value"),
    [
        ("Jan. 9, 2024", None, "DATE", "2024-01-09"),
        ("9 January 2024", None, "DATE", "2024-01-09"),
        ("2024-03-05", None, "DATE", "2024-03-05"),
        ("July 1997", None, "DATE", "1997-07"),
        ("this fall", None, "DATE", "2025-FA"),
        ("last summer", None, "DATE", "2024-SU"),
        ("next month", None, "DATE", "2025-02"),
        ("last year", None, "DATE", "2024"),
        ("earlier this year", None, "DATE", "2025"),
        ("last week", None, "DATE", "2025-W03"),
        ("two weeks ago", None, "DATE", "2025-W02"),
        ("three days ago", None, "DATE", "2025-01-17"),
        ("five years ago", None, "DATE", "2020"),
        ("yesterday", None, "DATE", "2025-01-19"),
        ("tomorrow", None, "DATE", "2025-01-21"),
        ("last night", None, "TIME", "2025-01-19TNI"),
        ("this morning", None, "TIME", "2025-01-20TMO"),
        ("10 p.m. Wednesday", "past", "TIME", "2025-01-15T22:00"),
        ("10:35 a.m.", None, "TIME", "2025-01-20T10:35"),
        ("Friday", "past", "DATE", "2025-01-17"),
        ("Friday", "future", "DATE", "2025-01-24"),
        ("last Tuesday", None, "DATE", "2025-01-14"),
        ("next Tuesday", None, "DATE", "2025-01-21"),
        ("the third quarter", "past", "DATE", "2024-Q3"),
        ("the third quarter of 2023", None, "DATE", "2023-Q3"),
        ("fiscal 2024", None, "DATE", "2024"),
        ("the 1990s", None, "DATE", "199"),
        ("the 20th century", None, "DATE", "19"),
        ("two years", None, "DURATION", "P2Y"),
        ("the past two weeks", None, "DURATION", "P2W"),
        ("more than four hours", None, "DURATION", "PT4H"),
        ("2 1/2 years", None, "DURATION", "P2Y6M"),
        ("a five-year", None, "DURATION", "P5Y"),
        ("several months", None, "DURATION", "PXM"),
        ("every Friday", None, "SET", "XXXX-WXX-5"),
        ("daily", None, "SET", "P1D"),
        ("each July", None, "SET", "XXXX-07"),
        ("now", None, "DATE", "PRESENT_REF"),
        ("currently", None, "DATE", "PRESENT_REF"),
        ("recently", None, "DATE", "PAST_REF"),
        ("the future", None, "DATE", "FUTURE_REF"),
        ("9/11", None, "DATE", "2001-09-11"),
        ("Christmas", "future", "DATE", "2025-12-25"),
    ],
)
def test_normalise_values(text: str, tense: str | None, typ: str, value: str) -> None:
    tx = normalise(text, ANCHOR, tense=tense)
    assert tx is not None, text
    assert (tx.type, tx.value) == (typ, value)
    assert tx.reason, "every value carries a reason trail"


def test_modifiers_are_recorded_in_the_reason() -> None:
    tx = normalise("early next year", ANCHOR)
    assert tx is not None and tx.value == "2026"
    assert any("early" in r for r in tx.reason)


def test_since_bare_date_never_silently_last_year() -> None:
    tx = normalise("Oct. 7", ANCHOR, context="Prices have risen since Oct. 7.", tense="past")
    assert tx is not None
    # The last Oct. 7 before the anchor, flagged: the text alone does not fix the year.
    assert tx.value == "2024-10-07" and tx.uncertain


def test_named_date_uses_context() -> None:
    ctx = "Aid convoys to Gaza have been blocked since Oct. 7, the agency said."
    tx = normalise("Oct. 7", ANCHOR, context=ctx, tense="past")
    assert tx is not None and tx.value == "2023-10-07"
    assert any("named date" in r for r in tx.reason)


def test_far_inferred_year_is_uncertain() -> None:
    tx = normalise("July 6", ANCHOR, tense="past")
    assert tx is not None and tx.value == "2024-07-06" and tx.uncertain


def test_close_bare_date_ignores_tense() -> None:
    # said (past) that the vote would be on Feb. 2: the nearest Feb. 2 is meant
    tx = normalise("Feb. 2", ANCHOR, tense="past")
    assert tx is not None and tx.value == "2025-02-02" and not tx.uncertain


def test_no_anchor_never_invents() -> None:
    for text in ("last Tuesday", "next month", "yesterday", "Oct. 7", "this fall"):
        tx = normalise(text, None)
        assert tx is not None, text
        assert tx.uncertain, text
        assert tx.value is None or "X" in tx.value, (text, tx.value)
    explicit = normalise("Jan. 9, 2024", None)
    assert explicit is not None and explicit.value == "2024-01-09" and not explicit.uncertain


def test_not_a_time_expression() -> None:
    assert normalise("the minister", ANCHOR) is None
    assert normalise("", ANCHOR) is None


def test_numbers_and_anchor_parsing() -> None:
    assert number("twenty-four") == 24
    assert number("a") == 1
    assert number("2 1/2") == 2.5
    assert parse_anchor("2025-01-20T14:00:00+00:00") == date(2025, 1, 20)
    assert parse_anchor("not a date") is None


def test_dateline_found_and_never_invented() -> None:
    assert find_article_date("OSLO, Jan. 9, 2024 (Reuters) - Zentrix Corp said ...") == (
        "2024-01-09",
        "dateline",
    )
    assert find_article_date("Published: 2024-05-06\nBody text.") == ("2024-05-06", "label")
    assert find_article_date("Headline here\n6 May 2024\nBody.") == ("2024-05-06", "text")
    # a date without a year, or one deep in a sentence, does not date the article
    assert find_article_date("OSLO, Jan. 9 - Zentrix Corp said on Monday ...") is None
    assert find_article_date("Zentrix said the plant, opened on March 3, 2020, will close.") is None
