"""The company profile that closes a press release ("About Acme") is not the story.

A profile paragraph says what the firm is, where it is headquartered, how many people it
employs and where its shares trade; two such statements in one paragraph mark it (one can be
a story's background sentence). Only a run of them at the end of the text goes, with an
"About ..." heading or a short contact line between them, so a profile quoted in the middle
of a story stays.
"""

from __future__ import annotations

import re

from wirewatch.ingest.clean_text import clutter_patterns

# Statements a profile paragraph makes at least.
_MIN_CUES = 2
# An "About Acme" heading or a contact line between profile paragraphs: at most these words.
_SHORT_LINE_WORDS = 8


def _cues() -> tuple[re.Pattern[str], ...]:
    return clutter_patterns("company_profile_cues")


def is_profile(line: str) -> bool:
    """A paragraph that describes a company the way a press release's profile does."""
    return sum(1 for cue in _cues() if cue.search(line)) >= _MIN_CUES


def drop_company_profile(text: str) -> tuple[str, list[str]]:
    """The text without the profile paragraphs at its end, and the lines taken out."""
    lines = text.split("\n")
    cut = None
    i = len(lines)
    while i > 0:
        line = lines[i - 1].strip()
        if not line:
            i -= 1
            continue
        if is_profile(line):
            cut = i - 1
        elif len(line.split()) > _SHORT_LINE_WORDS:
            break  # the story's last paragraph
        i -= 1
    if cut is None:
        return text, []
    # an "About Acme" heading right above the profile goes with it
    j = cut
    while j > 0 and not lines[j - 1].strip():
        j -= 1
    if j > 0 and re.match(r"about\s+\S", lines[j - 1].strip(), re.I) and \
            len(lines[j - 1].split()) <= _SHORT_LINE_WORDS:
        cut = j - 1
    gone = [ln.strip() for ln in lines[cut:] if ln.strip()]
    kept = "\n".join(lines[:cut]).rstrip()
    if not kept:
        return text, []  # the whole text is a profile: an about page, not a press release
    return kept, gone
