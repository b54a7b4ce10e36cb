"""Character spans of the text: trimming, adjacency and small tests on the parse inside a span."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from wirewatch.nlp.doctext import text_of
from wirewatch.nlp.quotes.candidates import _Cand
from wirewatch.nlp.quotes.marks import ALL_MARKS, Quotation, alnum_counts


def doc_text_of(c: _Cand) -> str:
    tok = c.cue[0] if c.cue else c.speaker_tok
    return text_of(tok.doc) if tok is not None else ""


def _bare_gap(text: str, start: int, end: int) -> bool:
    """True when only spaces and punctuation lie between two offsets."""
    gap = text[start:end]
    return start <= end and len(gap) <= 3 and not any(ch.isalnum() for ch in gap)


def doc_text(tok: Token) -> str:
    return text_of(tok.doc)


def _tok_span(toks: list[Token]) -> tuple[int, int]:
    return min(t.idx for t in toks), max(t.idx + len(t.text) for t in toks)


def _trim(
    text: str, s: int, e: int, *, marks: bool = True, final_stop: bool = False
) -> tuple[int, int] | None:
    """Strip spaces and edge punctuation; keep quotation marks when ``marks``."""
    keep = ALL_MARKS if marks else set()
    while s < e and (text[s].isspace() or (not text[s].isalnum() and text[s] not in keep
                                           and text[s] not in "$£€#@(")):
        s += 1
    while e > s and (text[e - 1].isspace() or (
        not text[e - 1].isalnum() and text[e - 1] not in keep and text[e - 1] not in ".%)!?"
    )):
        e -= 1
    if final_stop:
        while e > s and text[e - 1] in ".,;:":
            e -= 1
    if marks and e > s and text[e - 1] in ALL_MARKS and not any(
        c in ALL_MARKS for c in text[s : e - 1]
    ):
        e -= 1  # a lone closing mark belongs to a quotation the snap will restore
    if e <= s:
        return None
    return s, e


def _adjacent(text: str, content: list[tuple[int, int]], members: list[Quotation]) -> bool:
    """True when only punctuation and a few words separate content and quotation."""
    for s, e in content:
        for q in members:
            gap = text[e : q.start] if e <= q.start else text[q.end : s]
            # a quotation opening the next paragraph is a statement of its own
            if len(gap) <= 3 and not any(ch.isalnum() or ch == "\n" for ch in gap):
                return True
    return False


def _is_clause(doc: Doc, span: tuple[int, int]) -> bool:
    """True when the span holds a predicate, not only a noun phrase.

    A verb counts unless it sits in a clause that modifies a noun ("a video
    showing the rescue", "the request, which ..."): "accused them of being
    blinded" and "urged him to resign" report words; "posted a video containing
    an edit" reports a deed.
    """
    sp = doc.char_span(span[0], span[1], alignment_mode="expand")
    if sp is None or len(sp) == 0:
        return False
    for t in sp:
        if t.pos_ not in {"VERB", "AUX"}:
            continue
        path = [t] + [a for a in t.ancestors if sp.start <= a.i < sp.end]
        if not any(a.dep_ in {"relcl", "acl", "amod", "compound"} for a in path):
            return True
    return False


def _quoted_share(text: str, mask: bytearray, spans: list[tuple[int, int]]) -> float:
    """Share of the content's letters that are inside quotation marks."""
    inside, total = alnum_counts(text, mask, spans)
    return inside / total if total else 0.0


def _has_verb(doc: Doc, span: tuple[int, int]) -> bool:
    sp = doc.char_span(span[0], span[1], alignment_mode="expand")
    return sp is not None and any(t.pos_ in {"VERB", "AUX"} for t in sp)


def _ends_sentence(text: str, q: Quotation) -> bool:
    inner = text[q.start : q.end].rstrip("”\"'» ")
    return inner[-1:] in {".", "?", "!"}


def _tight(text: str, c: _Cand, first: Quotation, last: Quotation) -> bool:
    """A short quotation counts only right next to its attribution ('"Denver," he said')."""
    assert c.cue_span is not None
    lo = min(c.cue_span[0], c.speaker_span[0] if c.speaker_span else c.cue_span[0])
    hi = max(c.cue_span[1], c.speaker_span[1] if c.speaker_span else c.cue_span[1])
    after = text[last.end : lo] if last.end <= lo else None
    before = text[hi : first.start] if hi <= first.start else None
    for gap in (after, before):
        if gap is not None and len(gap) <= 3 and not any(ch.isalnum() for ch in gap):
            return True
    return False


def _sent_at(doc: Doc, offset: int) -> Span | None:
    span = doc.char_span(offset, min(len(text_of(doc)), offset + 1), alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span[0].sent


def _subtree_text(tok: Token) -> str:
    toks = list(tok.subtree)
    return text_of(tok.doc)[toks[0].idx : toks[-1].idx + len(toks[-1].text)]


def _tokens_text(toks: list[Token]) -> str:
    toks = sorted(toks, key=lambda t: t.i)
    return text_of(toks[0].doc)[toks[0].idx : toks[-1].idx + len(toks[-1].text)]


def _clean(text: str) -> str:
    return text.strip().strip(",;:").strip()


# Tags of a finite verb (a modal is finite too, but is tagged apart).
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP"})


def _has_finite(toks: list[Token]) -> bool:
    """The tokens hold a finite verb: a clause someone reported, not a phrase."""
    return any(t.tag_ in FINITE_TAGS or t.tag_ == "MD" for t in toks)


def comma_pieces(tokens: Span, most: int, longest: int, *, one_line: bool = False,
                 opening: bool = False) -> list[list[Token]]:
    """The comma-separated pieces at the end of ``tokens``, the last one first: at most
    ``most`` pieces, none longer than ``longest`` tokens (a longer one ends the search).
    ``one_line``: no piece reaches back over a line break. ``opening``: the piece before
    the first comma counts too (the search reached the start, a line break, or neither)."""
    pieces: list[list[Token]] = []
    cur: list[Token] = []
    for t in reversed(list(tokens)):
        if one_line and "\n" in t.text:
            break
        if t.text == ",":
            if cur:
                pieces.append(cur[::-1])
            cur = []
            if len(pieces) >= most:
                break
            continue
        cur.append(t)
        if len(cur) > longest:
            cur = []
            break
    if opening and cur and len(pieces) < most:
        pieces.append(cur[::-1])
    return pieces
