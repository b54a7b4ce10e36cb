"""Full-text lists read a common word in list order, probing the index row by row
(``store.search``): the rows, totals and cursors must be those of the plain plan."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.stores import pages
from wirewatch.store import lists, search, synthetic
from wirewatch.store.lists import Filters
from wirewatch.store.repository import Store


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('plans') / 's.db'}")
    synthetic.build(store, 400)
    # Rare words beside the synthetic ones, to mix common and uncommon matches.
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE quotes SET content = content || ' bordello' "
                             "WHERE rowid % 7 = 0")
    yield store
    store.close()


def both_plans(store, kind, f, monkeypatch):
    monkeypatch.setattr(search, "PROBE_AT", 0)  # every match is common: probe
    probed = pages(store, kind, f)
    monkeypatch.setattr(search, "PROBE_AT", 10**9)  # never: read the matches first
    plain = pages(store, kind, f)
    return probed, plain


QUERIES = ["ceasefire", "hostage border", "bord", "border", "ceasefire talks militia",
           "bordello", "c", "zeppelin", "Hostage  BORDER", "cease fire"]


@pytest.mark.parametrize("q", QUERIES)
@pytest.mark.parametrize("kind", ["quotes", "articles"])
def test_probed_plan_reads_the_same_pages(small, monkeypatch, q, kind):
    probed, plain = both_plans(small, kind, Filters(q=q), monkeypatch)
    assert probed == plain


def test_probed_plan_keeps_the_other_filters(small, monkeypatch):
    for f in (Filters(q="ceasefire", kind="direct"), Filters(q="border", source="Source 0"),
              Filters(q="hostage", since="2024-03-01", until="2024-06-30"),
              Filters(q="bordello", include_copies=True)):
        for kind in ("quotes", "articles"):
            probed, plain = both_plans(small, kind, f, monkeypatch)
            assert probed == plain, (f, kind)


def test_a_common_word_is_probed_and_a_rare_one_is_not(small, monkeypatch):
    monkeypatch.setattr(search, "PROBE_AT", 20)
    with small.engine.connect() as conn:
        assert search.match(conn, "quotes", "ceasefire").probe == '("ceasefire")'
        # The prefix is spelled out as the indexed words that start with it.
        assert search.match(conn, "quotes", "hostage bord").probe == \
            '"hostage" AND ("bordello" OR "border")'
        assert search.match(conn, "quotes", "zeppelin").probe is None
        monkeypatch.setattr(search, "PREFIX_WORDS", 1)
        assert search.match(conn, "quotes", "hostage bord").probe is None  # too many words


def test_totals_past_the_cap_are_estimated(small, monkeypatch):
    monkeypatch.setattr(lists, "COUNT_CAP", 20)
    monkeypatch.setattr(search, "PROBE_AT", 0)
    page = lists.quotes(small, Filters(q="ceasefire"), limit=5)
    assert page.total == 20 and page.estimated
    monkeypatch.setattr(search, "PROBE_AT", 10**9)
    assert lists.quotes(small, Filters(q="ceasefire"), limit=5).total == 20


WORDS = st.sampled_from([*synthetic.WORDS[:8], "bordello", "bor", "c", "zz"])


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(WORDS, min_size=1, max_size=3), st.sampled_from(["quotes", "articles"]))
def test_any_query_reads_the_same_rows_either_way(small, monkeypatch, ws, kind):
    probed, plain = both_plans(small, kind, Filters(q=" ".join(ws)), monkeypatch)
    assert probed == plain
