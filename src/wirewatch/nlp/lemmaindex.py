"""The rule lemmatizer's word lists answered by a set.

spaCy's rule lemmatizer asks ``form in index`` for each candidate form of a word it has not
seen with that tag and morphology, where ``index`` is the model's list of known words for
the part of speech (57,000 nouns in ``en_core_web_sm``): a linear scan per question. On a
fresh pipeline that was most of the lemmatizer's time (~0.5 CPU s on the 53 examples,
spaCy's own cost in bare ``nlp.pipe`` too). :class:`IndexList` is the same list (it still
iterates, compares and serialises as one) whose membership test is a set lookup: for
strings, ``in`` a list and ``in`` a set of the same strings give the same answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from spacy.pipeline import Lemmatizer


class IndexList(list):
    """A list of strings with a set's ``in``."""

    def __init__(self, items: Iterable[str]) -> None:
        super().__init__(items)
        self._members = frozenset(self)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, str):
            return item in self._members
        return list.__contains__(self, item)


def speed_up(nlp: Any) -> None:
    """Give the pipeline's rule lemmatizer (if any) set-backed word lists. Lists holding
    anything but strings are left as they are."""
    for _, pipe in nlp.pipeline:
        if not isinstance(pipe, Lemmatizer) or pipe.mode != "rule":
            continue
        if "lemma_index" not in pipe.lookups.tables:
            continue
        table = pipe.lookups.get_table("lemma_index")
        for key, words in list(table.items()):
            if type(words) is list and all(isinstance(w, str) for w in words):
                table[key] = IndexList(words)
