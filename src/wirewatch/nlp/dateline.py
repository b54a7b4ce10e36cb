"""Find the article's own date in its dateline or first lines; never invent one.

Only a full date (day, month and year written out, or an ISO / numeric date
with a four-digit year) counts: a bare "Monday" or "Jan. 9" without a year is
not enough to date an article.
"""

from __future__ import annotations

import re

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
