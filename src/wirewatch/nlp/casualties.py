"""Casualty counts an attack sentence states: "killing six civilians", "at least 50 wounded".

Read from the dependency parse: a killing or injuring word (verb, participle or noun)
and the number on its victims ("six civilians were killed", "killed 19", "50 wounded",
"the death toll rose to 12"). Only numbers the text writes are taken, never inferred;
"at least" marks a lower bound. Each count keeps the span it was read from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.tokens import Span, Token

from wirewatch.nlp.datafiles import event_table
from wirewatch.nlp.doctext import text_of
from wirewatch.nlp.tables import table
from wirewatch.nlp.tokenstrings import token_strings

_VICTIM_DEPS = {"dobj", "nsubjpass", "nsubj", "attr", "appos", "npadvmod", "pobj"}


@dataclass(frozen=True)
class _Words:
    killed: frozenset[str]
    injured: frozenset[str]
    fatal: frozenset[str]
    numbers: dict[str, int]
    lower: frozenset[str]


@table
def _words() -> _Words:
    data = event_table("casualties.yaml")
    return _Words(
        killed=frozenset(data.get("killed") or []),
        injured=frozenset(data.get("injured") or []),
        fatal=frozenset(data.get("fatal_adverbs") or []),
        numbers={str(k): int(v) for k, v in (data.get("number_words") or {}).items()},
        lower=frozenset(data.get("lower_bound") or []),
    )


def _value(tok: Token) -> int | None:
    words = _words()
    low = tok.lower_.replace(",", "")
    if low.isdigit():
        return int(low)
    if low in words.numbers and low not in {"a", "an"}:
        return words.numbers[low]
    if low in {"dozens", "hundreds", "scores", "thousands"}:
        return None  # a vague quantity is no count
    return None


def _number(victim: Token) -> tuple[int, Token, bool] | None:
    """(count, number token, lower bound?) for a victim noun or a bare number."""
    nums = [victim] if _value(victim) is not None else [
        c for c in victim.children if c.dep_ in {"nummod", "quantmod"} and _value(c) is not None
    ]
    if not nums:
        return None
    num = nums[0]
    value = _value(num)
    if value is None:
        return None
    lower = any(c.lower_ in _words().lower for c in num.children) or (
        num.i > 0 and num.doc[num.i - 1].lower_ in _words().lower
    )
    return value, num, lower


def _victims(word: Token) -> list[Token]:
    out = [c for c in word.children if c.dep_ in _VICTIM_DEPS]
    if word.dep_ in {"amod", "acl"} and word.head.pos_ in {"NOUN", "NUM", "PROPN"}:
        out.append(word.head)  # "six wounded civilians", "people killed in the blast"
    if word.dep_ in {"nsubj", "dobj", "conj", "ROOT"} and word.pos_ in {"ADJ", "NOUN", "VERB"}:
        out.append(word)  # "at least 50 wounded": the number hangs on the word itself
    return out


def find_casualties(sent: Span) -> dict[str, Any] | None:
    """``{"killed", "injured", "killed_min", "injured_min", "evidence"}`` or None."""
    words = _words()
    found: dict[str, Any] = {}
    spans: list[tuple[int, int]] = []
    doc = sent.doc
    strings = token_strings(doc)  # the word tests on the doc's strings: a Token per hit
    for i in range(sent.start, sent.end):
        lemma = strings.lemma_lower[i]
        low = strings.lower[i]
        kind = None
        if lemma in words.killed or low in words.killed:
            kind = "killed"
        elif lemma in words.injured or low in words.injured:
            kind = "injured"
            if any(c.lower_ in words.fatal for c in doc[i].children):
                kind = "killed"  # "fatally wounding him"
        if kind is None or kind in found:
            continue
        tok = doc[i]
        if any(c.dep_ == "neg" for c in tok.children):
            continue  # "no one was killed" is a count of none, not a number
        for victim in _victims(tok):
            if any(c.dep_ == "det" and c.lower_ == "no" for c in victim.children):
                break  # "no one was killed"
            got = _number(victim)
            if got is None:
                continue
            value, num, lower = got
            found[kind] = value
            found[f"{kind}_min"] = lower
            lo = min(num.idx, tok.idx)
            hi = max(num.idx + len(num), tok.idx + len(tok))
            spans.append((lo, hi))
            break
    if not found:
        return None
    lo = min(s for s, _ in spans)
    hi = max(e for _, e in spans)
    return {
        "killed": found.get("killed"),
        "injured": found.get("injured"),
        "lower_bound": bool(found.get("killed_min") or found.get("injured_min")),
        "evidence": {"start": lo, "end": hi, "text": text_of(sent.doc)[lo:hi]},
    }
