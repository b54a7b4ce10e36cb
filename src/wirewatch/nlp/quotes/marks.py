"""Quotation marks: the quotation scanner and the direct/indirect kind of a content."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

OPENERS = {"“", "„", "«", "‟"}


CLOSERS = {"”", "»"}


STRAIGHT = '"'


ALL_MARKS = OPENERS | CLOSERS | {STRAIGHT, "'", "`", "‘", "’"}


_DASHES = "-–—―"


# The only characters the scanner acts on (line breaks and every mark): the rest of
# the text is skipped in one regex search instead of a Python step per character.
_MARK_CHARS = re.compile("[\n“„«‟`’‘”»\"']")


@dataclass
class Quotation:
    """One quoted stretch of text, marks included; ``closed`` False when a line ended it."""

    start: int
    end: int
    closed: bool
    chain: int = -1  # index of the first quotation of a multi-paragraph quotation


def scan_quotations(text: str) -> tuple[list[Quotation], bytearray]:
    """Quotations of the text and a per-character inside-quotation mask.

    Follows the gold README's rule (left curly opens, right curly closes or
    opens after a space/line start/"(", straight toggles, line break closes)
    and also treats doubled apostrophes (''...'' and ``...'') as double quotes.
    """
    quotes: list[Quotation] = []
    mask = bytearray(len(text))
    open_at: int | None = None
    skip = 0  # a two-character mark's second character is not read again
    for hit in _MARK_CHARS.finditer(text):
        i = hit.start()
        if i < skip:
            continue
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
                # a left mark typed where a right one belongs ("review“ and")
                quotes.append(Quotation(open_at, i + 1, True))
                open_at = None
        elif text.startswith("’’", i) or text.startswith("‘‘", i):
            # doubled curly apostrophes typed as a double mark ("...,’’ she said")
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
        skip = i + width
    if open_at is not None:
        quotes.append(Quotation(open_at, len(text.rstrip()), False))
    for q in quotes:
        if q.end > q.start:
            mask[q.start:q.end] = b"\x01" * (q.end - q.start)
    _link_continuations(text, quotes)
    return quotes, mask


def _closes_here(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after.isspace() or after in ".,;:!?)")


def _link_continuations(text: str, quotes: list[Quotation]) -> None:
    """Chain an unclosed quotation to a quotation opening the next paragraph."""
    for idx, q in enumerate(quotes):
        if q.chain < 0:
            q.chain = idx
        if q.closed or idx + 1 >= len(quotes):
            continue
        nxt = quotes[idx + 1]
        between = text[q.end : nxt.start]
        if between.strip() == "" and "\n" in between:
            nxt.chain = q.chain


# Every byte but an ASCII letter or digit, and the non-ASCII characters: counted in C
# (bytes.translate drops the rest of the UTF-8), the few non-ASCII ones one by one.
_NOT_ASCII_ALNUM = bytes(b for b in range(256) if not (b < 128 and chr(b).isalnum()))
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _alnum(text: str, start: int, end: int) -> int:
    """How many characters of ``text[start:end]`` are letters or digits (str.isalnum)."""
    part = text[start:end]
    count = len(part.encode("utf-8", "surrogatepass").translate(None, _NOT_ASCII_ALNUM))
    if not part.isascii():
        count += sum(1 for m in _NON_ASCII.finditer(part) if m.group().isalnum())
    return count


def alnum_counts(text: str, mask: bytearray, spans: Iterable[Sequence[int]]
                 ) -> tuple[int, int]:
    """(inside quotation marks, in all) letters and digits of the text's ``spans``.

    Counted a stretch at a time (the mask's runs, found with bytearray.find), not a
    Python step per character."""
    inside = total = 0
    for start, end in spans:
        here = _alnum(text, start, end)
        total += here
        k = start
        while here and k < end:
            a = mask.find(1, k, end)
            if a < 0:
                break
            b = mask.find(0, a, end)
            if b < 0:
                b = end
            inside += _alnum(text, a, b)
            k = b
    return inside, total


def quote_kind(text: str, mask: bytearray, spans: list[list[int]]) -> str | None:
    """direct / mixed / indirect by the share of letters and digits inside quotation marks."""
    inside, total = alnum_counts(text, mask, spans)
    outside = total - inside
    if inside == 0 and outside == 0:
        return None
    if outside == 0:
        return "direct"
    return "mixed" if inside else "indirect"
