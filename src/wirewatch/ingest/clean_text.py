"""Plain-text cleaning: front matter, share widgets, captions, bylines and datelines.

Scraped article text carries page furniture ("Share and Follow", "Sign up for
our newsletter") and non-body lines (photo captions, bylines). Furniture is
taken out of the text (and listed in ``removed``); captions, bylines and
datelines stay in the text as marked segments, so their facts keep offsets but
are never mistaken for body facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from wirewatch.model import Removed, Segment

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")

BOILERPLATE = [re.compile(p, re.I) for p in (
    r"^share\s*(and|&)\s*follow$",
    r"^(share|tweet|email|print|save|copy link|comment[s]?)(\s+(this|the)\s+(article|story|page))?"
    r"(\s+on\s+\w+)?[.!:]?$",
    r"^(click|tap)\s+to\s+(share|email|print|tweet)\b.*$",
    r"^(follow|like)\s+us\s+on\b.*$",
    r"^share\s+(on|via)\s+\w+.*$",
    r"^(facebook|twitter|x|linkedin|whatsapp|telegram|reddit|email)"
    r"(\s*[|·•,/]\s*(facebook|twitter|x|linkedin|whatsapp|telegram|reddit|email))*$",
    r"^(sign\s+up|subscribe)\b.{0,80}(newsletter|updates|alerts|inbox|today|now|here)[.!]?$",
    r"^advertisement$",
    r"^(sponsored|promoted)( content)?$",
    r"^(read|see)\s+(more|also)\s*[:.]?.*$",
    r"^related\s*(articles|stories|coverage|:).*$",
    r"^(copyright|©|\(c\))\s*.{0,120}$",
    r"^all\s+rights\s+reserved\.?$",
    r"^(this|the)\s+(article|story)\s+(was|has been)\s+(updated|corrected).{0,80}$",
    r"^we\s+use\s+cookies\b.*$",
    r"^(accept|reject)\s+(all\s+)?cookies$",
    r"^(skip to (main )?content|back to top|menu|home)$",
    r"^(listen to|play) (this|the) article.*$",
    r"^\d+\s+(min|minute)s?\s+read$",
    # separators, contributor and credit lines, promos and box headers
    r"^[_\-–—=*•·~]{3,}$",
    r"^(?:[-–—]+\s*)?.{0,200}\bcontributed( reporting)?( to)? (this|the)"
    r" (report|story|article)\.?$",
    r"^\(?(?:additional |further )?(?:reporting|writing|editing|compiled|translated)"
    r" by\b.{0,600}$",
    r"^(follow|read|see|visit|for more)\b.{0,200}https?://\S+.{0,40}$",
    r"^(trending|most read|most popular|most viewed|recommended|popular)( now| stories)?"
    r"( on| for you| from)?( [\w'’]+){0,3}:?$",
    r"^(don['’]?t|do not) miss\b.{0,80}$",
    r"^continue reading( the main story| below| the story)?\.?$",
    r"^(story )?highlights:?$",
    r"^(key points|what you need to know|quick read|at a glance):?$",
    r"^(live|watch|watch live|live updates|live blog|breaking news|video)( \w+){0,2}$",
    r"^(tags?|topics?|filed under|categories|category)\s*:?(\s.{0,200})?$",
    r"^username$",
    r"^\S.{0,120}\.(jpe?g|png|gif|webp)$",
    # timestamps: "Updated on September 19 at 3:15 p.m.", "Published 09:30 GMT"
    r"^(updated|published|posted|last updated|first published|last modified)\b.{0,60}\d.{0,30}$",
    r"^.{0,40}\b\d{1,2}(:\d{2}|h\d{2}|\.\d{2}\s*[ap]\.?m\.?)"
    r"\s*(a\.?m\.?|p\.?m\.?|gmt|utc|et|est|edt|bst|cet|cest)?\.?$",
)]
# A tweet's signature line: "— Name (@handle) September 19, 2016"
TWEET_SIGNATURE = re.compile(r"^[—–-]\s*.{1,80}\(@\w{1,30}\)\s+\w+\.? \d{1,2}, \d{4}$")

CAPTION_MARKERS = [re.compile(p, re.I) for p in (
    r"^(photo|image|picture|caption|file photo|pictured)\s*[:|—–-]",
    # credits: "(Credit: Ann Lee / Grist)", "(Ann Lee/alee@example.com)", "Main image credit: X"
    r"^\((credit|credits|photo|photos|image|images|source|illustration)s?\s*:.{0,120}\)\.?$",
    r"^\([A-Z][\w.'’ -]{1,40}\s*/\s*[\w.@'’ -]{2,60}\)\.?$",
    r"^(main |top |header |lead )?(image|photo|picture)s?( credit)?\s*:.{0,80}$",
    r"^(photo|image|picture|video)s?\s+(by|courtesy( of)?)\s.{0,80}$",
    r"\((?:[A-Z][\w.&' ]+\s)?(photo|photograph|image|pictured|file photo)\b[^)]*\)\s*\.?$",
    r"\b(photo|image)\s+(by|credit|courtesy)\b[^.]*\.?$",
    # "installation views, photos © Ana Ruse, 2024"
    r"\b(photo|image|picture)s?\s*(©|\(c\)|copyright\b).{0,80}$",
    r"\b(getty images|via reuters|/reuters|/afp|/ap\b|ap photo|afp photo|reuters photo|"
    r"epa-efe|shutterstock|anadolu( agency)? via)\b.{0,60}$",
)]
# AP-style caption: one present-tense sentence ending "in City, Country, on Jan. 9, 2024."
CAPTION_AP = re.compile(
    r"\b(?:in|at|near|outside|inside)\s+[A-Z][\w'’.\- ]+(?:,\s*[A-Z][\w'’.\- ]+)?,\s*on\s+"
    + _MONTH + r"\s+\d{1,2},\s+\d{4}\.?\s*(\([^)]*\))?$"
)
BYLINE = re.compile(
    r"^(?:by|written by|reporting by)\s+[A-Z][\w'’.\-]+(?:\s+[A-Z][\w'’.\-]+){0,3}"
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w'’.\-]+(?:\s+[A-Z][\w'’.\-]+){0,3})*"
    r"(?:\s*[,|—–-]\s*[\w .’'&]+)?$",
    re.I,
)
DATELINE = re.compile(
    r"^(?P<dl>[A-Z][A-Z'’.\-]+(?:\s+[A-Z][A-Z'’.\-]+){0,3}"
    r"(?:,\s*[A-Z][A-Za-z.'’\-]+(?:\s+[A-Z][A-Za-z.'’\-]+){0,2})?"
    r"(?:,?\s+" + _MONTH + r"\s+\d{1,2}(?:,\s*\d{4})?)?"
    r"(?:\s*\([^)]{2,40}\))?\s*[—–-]{1,2}\s*)"
)
FRONT_MATTER_KEYS = {"title", "source", "published", "url", "byline", "author", "id", "date"}


@dataclass
class CleanText:
    text: str
    segments: list[Segment]
    removed: list[Removed] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)

    def append(self, text: str, kind: str) -> None:
        """Add a paragraph at the end (captions lifted out of HTML figures)."""
        start = len(self.text) + (2 if self.text else 0)
        self.text = f"{self.text}\n\n{text}" if self.text else text
        self.segments.append(Segment(start, start + len(text), kind))


def split_front_matter(raw: str) -> tuple[dict[str, str], str]:
    """A leading block between '---' lines with 'key: value' pairs."""
    lines = raw.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, raw
    meta: dict[str, str] = {}
    for n, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return meta, "\n".join(lines[n + 1:])
        key, sep, value = line.partition(":")
        if not sep:
            return {}, raw  # not front matter after all
        key = key.strip().lower()
        if key in FRONT_MATTER_KEYS:
            meta[key] = value.strip().strip('"').strip("'")
    return {}, raw


CLUTTER_PATH = Path(__file__).resolve().parent.parent / "nlp" / "data" / "page_clutter.yaml"


@cache
def clutter_data() -> dict[str, Any]:
    """page_clutter.yaml (the word lists of page furniture), read once per process."""
    with open(CLUTTER_PATH, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


@cache
def clutter_patterns(key: str) -> tuple[re.Pattern[str], ...]:
    """The patterns kept as data under ``key`` in page_clutter.yaml, case-insensitive."""
    return tuple(re.compile(p, re.I) for p in clutter_data().get(key) or [])


def furniture_lines() -> tuple[re.Pattern[str], ...]:
    """The furniture-line patterns (``furniture_lines`` in page_clutter.yaml)."""
    return clutter_patterns("furniture_lines")


def is_boilerplate(line: str) -> bool:
    stripped = line.strip()
    return any(p.match(stripped) for p in BOILERPLATE) or any(
        p.fullmatch(stripped) for p in furniture_lines())


def is_caption(line: str) -> bool:
    stripped = line.strip()
    if any(p.search(stripped) for p in CAPTION_MARKERS):
        return True
    if CAPTION_AP.search(stripped):
        # One sentence only: a body paragraph with a date in its last clause has more.
        body = stripped[:-1] if stripped.endswith(".") else stripped
        return len(re.findall(r"[.!?][\"”’]?\s+[A-Z]", body)) == 0
    return False


def is_byline(line: str) -> bool:
    stripped = line.strip()
    return len(stripped.split()) <= 12 and bool(BYLINE.match(stripped))


def clean_text(raw: str) -> CleanText:
    meta, body = split_front_matter(raw)
    body = body.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    pieces: list[tuple[str, str]] = []  # (text, kind) per kept line; "" marks a paragraph break
    removed: list[Removed] = []
    seen_body = False
    for line in body.split("\n"):
        stripped = re.sub(r"[ \t]+", " ", line).strip()
        if not stripped:
            if pieces and pieces[-1][0] != "":
                pieces.append(("", "break"))
            continue
        if is_boilerplate(stripped):
            removed.append(Removed(stripped, "boilerplate", "share/follow or page furniture"))
            continue
        if TWEET_SIGNATURE.match(stripped):
            # an embedded post: its signature and the post's text above it
            removed.append(Removed(stripped, "boilerplate", "embedded post"))
            while pieces and pieces[-1][0] == "":
                pieces.pop()
            if pieces and pieces[-1][1] == "body" and len(pieces[-1][0]) <= 400:
                removed.append(Removed(pieces.pop()[0], "boilerplate", "embedded post"))
            continue
        if is_caption(stripped):
            pieces.append((stripped, "caption"))
            continue
        if not seen_body and is_byline(stripped):
            pieces.append((stripped, "byline"))
            if "byline" not in meta:
                meta["byline"] = re.sub(r"^(by|written by|reporting by)\s+", "", stripped,
                                        flags=re.I)
            continue
        if not seen_body:
            m = DATELINE.match(stripped)
            if m and len(stripped) > len(m.group("dl")) + 20:
                pieces.append((m.group("dl").rstrip(), "dateline"))
                pieces.append((" " + stripped[len(m.group("dl")):], "body-cont"))
                seen_body = True
                continue
        seen_body = True
        pieces.append((stripped, "body"))
    return _assemble(pieces, removed, meta)


def _assemble(
    pieces: list[tuple[str, str]], removed: list[Removed], meta: dict[str, str]
) -> CleanText:
    while pieces and pieces[-1][0] == "":
        pieces.pop()
    parts: list[str] = []
    segments: list[Segment] = []
    pos = 0
    prev_kind = None
    for text, kind in pieces:
        if kind == "break":
            parts.append("\n")
            pos += 1
            prev_kind = kind
            continue
        if kind == "body-cont":
            text = text.lstrip()
            parts.append(" ")
            pos += 1
            kind = "body"
        elif prev_kind is not None:
            parts.append("\n")
            pos += 1
        parts.append(text)
        segments.append(Segment(pos, pos + len(text), kind))
        pos += len(text)
        prev_kind = kind
    return CleanText("".join(parts), _merge(segments), removed, meta)


def _merge(segments: list[Segment]) -> list[Segment]:
    """Adjacent segments of one kind become one (the gap between them is whitespace)."""
    merged: list[Segment] = []
    for seg in segments:
        if merged and merged[-1].kind == seg.kind:
            merged[-1] = Segment(merged[-1].start, seg.end, seg.kind)
        else:
            merged.append(seg)
    return merged
