"""Error class 2: a passive deed's agent comes from what the article establishes, or stays empty.

Sentences are ours; people, departments and towns are invented.
"""

from __future__ import annotations

import pytest

from wirewatch.model import Event
from wirewatch.nlp.codebook import COUNTED_MODALITIES
from wirewatch.nlp.pipeline import build_nlp, extract_text


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def events(nlp, text: str, etype: str) -> list[Event]:
    rec = extract_text(nlp, text, published="2025-03-04")
    return [e for e in rec.events if e.type == etype and e.modality in COUNTED_MODALITIES]


def actors(event: Event) -> list[str]:
    return [p.text for p in event.actors]


def test_the_one_law_enforcement_body_of_the_article_made_the_arrest(nlp):
    text = ("The Lakeport County Sheriff's Department is investigating the shooting.\n\n"
            "Sara Haddad was arrested at her office in Lakeport on Monday.")
    arrest = events(nlp, text, "COERCE")
    assert arrest and actors(arrest[0]) == ["The Lakeport County Sheriff's Department"]
    assert "agent established by the article" in arrest[0].pattern


def test_police_in_the_sentence_made_the_arrest(nlp):
    arrest = events(nlp, "Karim Nasser was arrested on Monday after a gun battle with police "
                         "in Basra.", "COERCE")
    assert arrest and actors(arrest[0]) == ["police"]


@pytest.mark.parametrize("text", [
    # two bodies: which one arrested them is not said
    "The Lakeport Police Department and the FBI said two men were detained in Lakeport.",
    # no law-enforcement body at all
    "The man was arrested on Monday, his lawyer said.",
    # the arrested are officers; they did not arrest themselves
    "Two police officers were arrested in Basra on Monday.",
])
def test_no_agent_without_one_clear_candidate(nlp, text):
    arrest = events(nlp, text, "COERCE")
    assert arrest and arrest[0].actors == []


def test_killings_never_take_the_reporting_police_as_agent(nlp):
    text = ("The Lakeport Police Department said on Monday that two traders were killed in "
            "the market.")
    assert all(e.actors == [] for e in events(nlp, text, "ASSAULT"))


# ------------------------------------------------ where: a place near the one named
def test_a_place_west_of_a_town_locates_the_event_near_it(nlp):
    rec = extract_text(nlp, "Gunmen attacked a police checkpoint west of Mosul on Sunday.",
                       published="2025-03-04")
    attack = [e for e in rec.events if e.type == "ASSAULT"][0]
    assert attack.location and attack.location.name == "Mosul"
    assert "west of Mosul" in attack.location.reason


def test_a_country_that_is_a_party_is_not_the_place(nlp):
    rec = extract_text(nlp, "Kenya accused Uganda on Monday.", published="2025-03-04")
    accuse = [e for e in rec.events if e.type == "ACCUSE"]
    assert accuse and accuse[0].location is None
