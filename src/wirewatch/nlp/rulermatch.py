"""The attribute ruler's matches found with dictionaries instead of spaCy's Matcher.

``en_core_web_sm``'s ``attribute_ruler`` (POS, morphology and a few lemmas from the tag and
the word) runs a general ``Matcher`` over about 180 patterns on every token: about a seventh
of spaCy's own time in our pipeline, for patterns that test a token's (or two tokens') TAG,
LOWER, DEP or IS_SPACE for equality, set membership or a regular expression.
:class:`RulerMatch` finds the same matches for those patterns: which token tests a token
passes depends only on its four values, so it is worked out once per distinct combination
(the tests found through dictionaries keyed by the values they require) and remembered.
Any pattern it cannot reproduce exactly (operators such as ``OP`` or ``>=``, other
attributes, alternatives that could match the same tokens) stays with a ``Matcher`` holding
only those. The ruler's own ``set_annotations`` then applies the matches, in the order it
always does (pattern, then start): the annotations are the ruler's to the bit.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.strings import get_string_id
from spacy.tokens import Doc

# The attributes read, in the order of the columns of Doc.to_array.
_COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
_ARRAY_ATTRS = [TAG, LOWER, DEP, IS_SPACE]
# Columns a token test can be looked up by (a required value or list of values).
_INDEXABLE = ("TAG", "LOWER", "DEP", "IS_SPACE")
# Remembered value combinations before the memory is emptied (~20 MB at most: a long-
# running ingest meets ever new words).
_MEMO_LIMIT = 50_000

# One condition on a token's row: (column, operator, argument); operators "eq", "in",
# "not_in" compare hashes (IS_SPACE: 0 or 1), "regex" searches the column's string.
Check = tuple[int, str, Any]


@dataclass
class _TokenTest:
    """The conditions of one token of one pattern alternative."""

    checks: list[Check]
    index: tuple[int, list[int]] | None = None  # column and values it is filed under


@dataclass
class _Pattern:
    number: int  # the ruler's pattern number (its match key, as an int)
    match_id: int
    alternatives: list[list[int]] = field(default_factory=list)  # token test ids


def _checks(token: dict[str, Any]) -> list[Check] | None:
    """The conditions of a Matcher token pattern, or None when one is not reproduced
    exactly here (the pattern then stays with the Matcher)."""
    out: list[Check] = []
    for attr, value in token.items():
        col = _COLUMNS.get(attr)
        if col is None:
            return None
        if attr == "IS_SPACE":
            if not isinstance(value, bool):
                return None
            out.append((col, "eq", int(value)))
        elif isinstance(value, str):
            out.append((col, "eq", get_string_id(value)))
        elif isinstance(value, dict) and value:
            for op, arg in value.items():
                if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(
                        isinstance(v, str) for v in arg):
                    out.append((col, op.lower(), frozenset(get_string_id(v) for v in arg)))
                elif op == "REGEX" and isinstance(arg, str):
                    out.append((col, "regex", re.compile(arg)))
                else:
                    return None
        else:
            return None
    return out


def _file_under(checks: list[Check]) -> tuple[tuple[int, list[int]] | None, list[Check]]:
    """The column and values to find a token test by (its first equality or IN check, in
    column order), and the checks left to run once found that way."""
    for col in sorted(_COLUMNS[a] for a in _INDEXABLE):
        for n, (c, op, arg) in enumerate(checks):
            if c == col and op in ("eq", "in"):
                values = [arg] if op == "eq" else sorted(arg)
                return (col, values), checks[:n] + checks[n + 1:]
    return None, checks


def _exclusive(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> bool:
    """Whether two alternatives can never give the same (start, end) (so the Matcher's
    answer has no duplicates to reproduce): different lengths, or some token requires two
    different values of one attribute."""
    if len(a) != len(b):
        return True
    return any(isinstance(x.get(k), str) and isinstance(y.get(k), str) and x[k] != y[k]
               for x, y in zip(a, b, strict=True) for k in x)


class RulerMatch:
    """Drop-in for ``AttributeRuler.match``: the same list of (pattern number, match id,
    start, end), sorted."""

    def __init__(self, ruler: AttributeRuler) -> None:
        vocab = ruler.vocab
        self.strings = vocab.strings
        self.tests: list[_TokenTest] = []
        self.patterns: list[_Pattern] = []
        self.rest = Matcher(vocab)
        for number in range(len(ruler.attrs)):
            key = str(number)
            _, alternatives = ruler.matcher.get(key)
            compiled = [[_checks(t) for t in alt] for alt in alternatives]
            ok = all(alt and all(c is not None for c in alt) for alt in compiled) and all(
                _exclusive(a, b) for i, a in enumerate(alternatives)
                for b in alternatives[i + 1:])
            if not ok:
                self.rest.add(key, alternatives)
                continue
            pattern = _Pattern(number, vocab.strings[key])
            for alt in compiled:
                ids = []
                for checks in alt:
                    index, left = _file_under(checks)  # type: ignore[arg-type]
                    ids.append(len(self.tests))
                    self.tests.append(_TokenTest(left, index))
                pattern.alternatives.append(ids)
            self.patterns.append(pattern)
        # column -> value -> token test ids; the tests filed under no value
        self.index: list[dict[int, list[int]]] = [defaultdict(list) for _ in _COLUMNS]
        self.scan: list[int] = []
        for tid, test in enumerate(self.tests):
            if test.index is None:
                self.scan.append(tid)
            else:
                col, values = test.index
                for v in values:
                    self.index[col][v].append(tid)
        # token test id -> the patterns whose alternatives start with it
        self.starts: dict[int, list[tuple[int, int, list[int]]]] = defaultdict(list)
        for p in self.patterns:
            for alt in p.alternatives:
                self.starts[alt[0]].append((p.number, p.match_id, alt))
        self.memo: dict[tuple[int, ...], tuple[frozenset[int], list]] = {}

    def _passes(self, tid: int, row: tuple[int, ...]) -> bool:
        for col, op, arg in self.tests[tid].checks:
            value = row[col]
            if op == "eq":
                ok = value == arg
            elif op == "in":
                ok = value in arg
            elif op == "not_in":
                ok = value not in arg
            else:
                ok = bool(arg.search(self.strings[value]))
            if not ok:
                return False
        return True

    def _row(self, row: tuple[int, ...]) -> tuple[frozenset[int], list]:
        """The token tests a row passes, and the pattern alternatives starting with one."""
        passed = set()
        for col, table in enumerate(self.index):
            for tid in table.get(row[col], ()):
                if self._passes(tid, row):
                    passed.add(tid)
        for tid in self.scan:
            if self._passes(tid, row):
                passed.add(tid)
        starting = [s for tid in sorted(passed) for s in self.starts.get(tid, ())]
        return frozenset(passed), starting

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        matches: list[tuple[int, int, int, int]] = []
        if self.patterns:
            memo = self.memo
            if len(memo) > _MEMO_LIMIT:
                memo.clear()
            infos = []
            for row in map(tuple, doc.to_array(_ARRAY_ATTRS).tolist()):
                info = memo.get(row)
                if info is None:
                    info = memo[row] = self._row(row)
                infos.append(info)
            n = len(infos)
            for i, (_, starting) in enumerate(infos):
                for number, match_id, alt in starting:
                    end = i + len(alt)
                    if end <= n and all(alt[k] in infos[i + k][0] for k in range(1, len(alt))):
                        matches.append((number, match_id, i, end))
        if len(self.rest):
            strings = self.strings
            matches.extend((int(strings[m_id]), m_id, s, e)
                           for m_id, s, e in self.rest(doc, allow_missing=True, as_spans=False))
        matches.sort()
        return matches


def speed_up(nlp: Any) -> None:
    """Give the pipeline's attribute ruler (if any) the dictionary matcher."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    ruler = nlp.get_pipe("attribute_ruler")
    if isinstance(ruler, AttributeRuler):
        ruler.match = RulerMatch(ruler)
