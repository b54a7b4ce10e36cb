"""The quotation scanner jumps from mark to mark with a regex; it must find exactly what
reading the text one character at a time finds (the reference below is that loop)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wirewatch.nlp.quotes.marks import (
    CLOSERS,
    OPENERS,
    STRAIGHT,
    Quotation,
    _closes_here,
    _link_continuations,
    scan_quotations,
)


def _reference(text: str) -> tuple[list[Quotation], bytearray]:
    quotes: list[Quotation] = []
    mask = bytearray(len(text))
    open_at: int | None = None
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        width = 1
        if ch == "\n":
            if open_at is not None:
                end = i
                while end > open_at + 1 and text[end - 1] in " \t\r":
                    end -= 1
                quotes.append(Quotation(open_at, end, False))
                open_at = None
        elif ch in OPENERS or (ch == "`" and text.startswith("``", i)):
            width = 2 if ch == "`" else 1
            if open_at is None:
                open_at = i
            elif ch in OPENERS and _closes_here(text, i):
                quotes.append(Quotation(open_at, i + 1, True))
                open_at = None
        elif text.startswith("’’", i) or text.startswith("‘‘", i):
            width = 2
            if open_at is not None:
                quotes.append(Quotation(open_at, i + 2, True))
                open_at = None
            elif ch == "‘" or i == 0 or text[i - 1] in " \n\t(":
                open_at = i
        elif ch in CLOSERS:
            if open_at is not None:
                quotes.append(Quotation(open_at, i + 1, True))
                open_at = None
            elif i == 0 or text[i - 1] in " \n\t(":
                open_at = i
        elif ch == STRAIGHT or (ch == "'" and text.startswith("''", i)):
            width = 2 if ch == "'" else 1
            if open_at is None:
                open_at = i
            else:
                quotes.append(Quotation(open_at, i + width, True))
                open_at = None
        i += width
    if open_at is not None:
        quotes.append(Quotation(open_at, len(text.rstrip()), False))
    for q in quotes:
        for k in range(q.start, q.end):
            mask[k] = 1
    _link_continuations(text, quotes)
    return quotes, mask


_PIECES = ["“", "”", "„", "«", "»", "‟", '"', "'", "''", "`", "``", "‘", "’", "’’", "‘‘",
           "\n", "\n\n", " ", "  ", "\t", "(", ".", ",", "word", "Mayor Ilse Varga said",
           "it works", "’s", "   "]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)
       | st.text(alphabet="“”\"'`‘’«»\n \t(a.", max_size=50))
def test_scanner_matches_the_character_loop(text: str) -> None:
    assert scan_quotations(text) == _reference(text)


def test_doubled_and_curly_marks_after_plain_text() -> None:
    text = "Varga said: ``We will rebuild,'' and then, “The bridge opens in May.”\nNext"
    quotes, mask = scan_quotations(text)
    assert (quotes, mask) == _reference(text)
    assert [(q.start, q.end, q.closed) for q in quotes] == [(12, 32, True), (43, 69, True)]
