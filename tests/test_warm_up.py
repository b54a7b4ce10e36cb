"""A warmed-up pipeline has read every data file: no article pays for a first read."""

from __future__ import annotations

import gc

from wirewatch.nlp import tables
from wirewatch.nlp.events.parties import city_names
from wirewatch.nlp.gazetteer import _shared_gazetteer
from wirewatch.nlp.pipeline import warm_up


def test_table_is_read_once_and_by_load_all() -> None:
    reads: list[int] = []

    @tables.table
    def numbers() -> tuple[int, ...]:
        reads.append(1)
        return (1, 2, 3)

    tables.load_all()
    assert reads == [1]
    assert numbers() == (1, 2, 3) and numbers() is numbers()
    assert reads == [1]


def test_warm_up_reads_the_gazetteer_and_the_word_lists(nlp) -> None:
    _shared_gazetteer.cache_clear()
    city_names.cache_clear()
    warm_up(nlp)
    # The places tagger and the actor recogniser both look places up; a city list of the
    # event coder is read too, though the warm-up text needs none of them.
    assert _shared_gazetteer.cache_info().currsize == 1  # one index for both
    assert city_names.cache_info().currsize == 1
    # What warm-up loaded is kept out of the cycle collector's full passes.
    assert gc.get_freeze_count() > 0
