"""Find the article's own date in its dateline or first lines; never invent one.

Only a full date (day, month and year written out, or an ISO / numeric date
with a four-digit year) counts: a bare "Monday" or "Jan. 9" without a year is
not enough to date an article.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from wirewatch.nlp.timex import normalise

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_WD = r"(?:(?:Mon|Tues?|Wed|Thu(?:rs)?|Fri|Sat|Sun)[a-z]*\.?,?\s+)?"
_DATE = (
    rf"{_WD}(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}|"
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?)"
)
_DATE_RE = re.compile(rf"(?<![\w-]){_DATE}(?![\w-])", re.IGNORECASE)
# "WASHINGTON, Jan. 9, 2024 (Reuters) -" / "KYIV, Ukraine — Jan. 9, 2024 —"
_DATELINE_RE = re.compile(
    rf"^\s*[A-Z][A-Z .'\-]{{2,}}(?:,\s*[A-Z][\w. ]+)?\s*[,\u2014\u2013-]+\s*(?P<date>{_DATE})",
)
_LABEL_RE = re.compile(
    rf"^\s*(?:Published|Posted|Updated|Date|First published)(?:\s+on)?\s*:?\s*(?P<date>{_DATE})",
    re.IGNORECASE,
)


def _iso(text: str) -> str | None:
    tx = normalise(text, None)
    if tx is None or tx.value is None or tx.granularity not in ("day", "time"):
        return None
    value = tx.value[:10]
    return value if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None


def find_article_date(text: str, max_lines: int = 5) -> tuple[str, str] | None:
    """``(iso_date, how)`` from a dateline, a 'Published:' line or an opening line; else None.

    ``how`` is ``dateline``, ``label`` or ``text``. A date that only appears
    later in the body is not taken: it is more likely an event date.
    """
    lines = [ln for ln in text.splitlines() if ln.strip()][:max_lines]
    for line in lines:
        m = _DATELINE_RE.match(line)
        if m and (iso := _iso(m["date"])):
            return iso, "dateline"
        m = _LABEL_RE.match(line)
        if m and (iso := _iso(m["date"])):
            return iso, "label"
    for line in lines[:2]:
        # a short line that is little more than a date (a date stamp under the headline)
        m = _DATE_RE.search(line)
        if m and len(line.strip()) <= len(m.group(0)) + 25 and (iso := _iso(m.group(0))):
            return iso, "text"
    return None


# ---------------------------------------------------------------- layout boundaries
# A headline line and a dateline ("KIRKUK, Iraq (AP) —") are not part of the first
# sentence: glued to it, the parser reads the headline's last noun as the subject of the
# body's first verb and the dateline's place as its object, and the lead event is lost
# or coded with the wrong parties. Marking where they end before the parser runs keeps
# each a sentence of its own (the parser respects preset sentence starts).


def _paragraph_starts(doc: Doc) -> list[int]:
    """Token indexes that begin a paragraph: the first token and any after a blank line."""
    starts = [0] if len(doc) else []
    for tok in doc[:-1]:
        if tok.is_space and tok.text.count("\n") >= 2:
            starts.append(tok.i + 1)
        elif tok.whitespace_ == "" and tok.text.endswith("\n\n"):
            starts.append(tok.i + 1)
    return starts


def layout_sentence_starts(doc: Doc) -> list[int]:
    """Token indexes where a sentence must start: after a blank line and after a dateline."""
    from wirewatch.ingest.clean_text import DATELINE  # one definition of a dateline

    out: list[int] = []
    text = doc.text  # built from the tokens on every access: read it once
    for start in _paragraph_starts(doc):
        while start < len(doc) and doc[start].is_space:
            start += 1
        if start >= len(doc):
            continue
        if start > 0:
            out.append(start)
        para_start = doc[start].idx
        end = text.find("\n", para_start)
        line = text[para_start : end if end != -1 else len(text)]
        m = DATELINE.match(line)
        if not m or len(line) <= len(m.group("dl")) + 20:
            continue
        cut = para_start + len(m.group("dl"))
        for tok in doc[start:]:
            if tok.idx >= cut and not tok.is_space:
                out.append(tok.i)
                break
            if tok.idx > cut + 5:
                break
    return sorted(set(out))


@Language.component("wirewatch_layout")
def mark_layout(doc: Doc) -> Doc:
    """Preset sentence starts after headlines/paragraph breaks and datelines (before the parser)."""
    for i in layout_sentence_starts(doc):
        doc[i].is_sent_start = True
    return doc


def headline_end(text: str, max_words: int = 25) -> int:
    """End offset of a headline line at the top of the text, or 0 when there is none.

    A headline is a first line of at most ``max_words`` words, without a sentence's final
    stop, followed by a blank line and a body ("Rebels seize border town\n\nKIRKUK —").
    """
    first, sep, rest = text.partition("\n\n")
    line = first.strip()
    if not sep or not rest.strip() or "\n" in line or not line:
        return 0
    if len(line.split()) > max_words or line.rstrip("\"'”’)").endswith((".", "!", ";")):
        return 0
    return len(first)
