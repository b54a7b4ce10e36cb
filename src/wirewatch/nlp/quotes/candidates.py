"""Attribution candidates before resolution, and how overlapping ones are pruned."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Span, Token

from wirewatch.model import Entity

_SKIP_SEGMENTS = ("caption", "byline", "dateline", "boilerplate")


@dataclass
class _Cand:
    cue: list[Token] | None
    cue_span: tuple[int, int] | None
    content: list[tuple[int, int]]
    speaker_tok: Token | None = None
    speaker_span: tuple[int, int] | None = None
    confidence: float = 0.5
    pattern: str = ""
    addressee: str | None = None
    sentence: Span | None = None
    carried: _Resolved | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Resolved:
    entity: Entity | None
    text: str | None
    role: str | None
    kind: str


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in spans)


def _drop_nested(cands: list[_Cand]) -> list[_Cand]:
    """Drop attributions whose cue lies inside another attribution's content.

    A verb inside reported content ("she said he supports the bill") is part of
    what was said, not a second report by the article; the outer attribution
    carries it (measured on the dev data: most nested cues are not annotated).
    """
    # Content spans are looked up by start offset (only those that can reach the cue),
    # not all pairs, so long articles stay linear.
    spans = sorted((s, e, k) for k, o in enumerate(cands) for s, e in o.content)
    starts = [s for s, _, _ in spans]
    longest = max((e - s for s, e, _ in spans), default=0)
    out = []
    for c in cands:
        if c.cue_span is not None:
            lo = bisect_left(starts, c.cue_span[1] - longest)
            hi = bisect_right(starts, c.cue_span[0])
            if any(
                cands[k] is not c
                and s <= c.cue_span[0] and c.cue_span[1] <= e
                and not (cands[k].cue_span is not None
                         and _inside(cands[k].cue_span, c.content))
                for s, e, k in spans[lo:hi]
            ):
                continue
        out.append(c)
    return out


def _reported_report(c: _Cand, cands: list[_Cand]) -> bool:
    """A report of speech inside another report is itself an attribution.

    "He said he locked the gate, the records say" and '"She said he phoned her,"
    the inspector wrote': the inner speaker and cue are inside the outer content and
    the inner cue is a verb of saying, so the article attributes words to the inner
    speaker too (through the outer source). A stance or a belief inside reported
    content ("she said he supports the bill") stays part of the outer content.
    """
    if c.cue_span is None or c.speaker_span is None or not c.content:
        return False
    if not c.pattern.startswith("verb:speech"):
        return False
    return any(
        o is not c and _inside(c.cue_span, o.content) and _inside(c.speaker_span, o.content)
        and not (o.cue_span is not None and _inside(o.cue_span, c.content))
        for o in cands
    )


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
