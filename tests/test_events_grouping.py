"""Error class 10, one happening, one event: the mentions of one happening in an article
become one event carrying every mention as evidence; different happenings stay apart.
Sentences written for these tests; groups and people are invented, places are real."""

from __future__ import annotations

import re

from wirewatch.model import (
    ArticleRecord,
    Event,
    EventDate,
    EventMention,
    Mention,
    Participant,
)
from wirewatch.nlp.codebook import COUNTED_MODALITIES
from wirewatch.nlp.events.grouping import group_mentions
from wirewatch.nlp.pipeline import extract_text

from .schema_check import validate_record


def attacks(nlp, text: str, etype: str = "ASSAULT") -> tuple[ArticleRecord, list[Event]]:
    rec = extract_text(nlp, text, published="2025-03-05", article_id="art_00000000000000aa")
    return rec, [e for e in rec.events if e.type == etype and e.modality in COUNTED_MODALITIES]


MARKET = ("Gunmen opened fire on a crowded market in Maiduguri on Tuesday, killing 19 people. "
          "Witnesses said the attackers stormed the stalls and shot at shoppers. "
          "Police said the gunmen fled on motorcycles.")


def test_one_happening_told_three_ways_is_one_event(nlp):
    rec, found = attacks(nlp, MARKET)
    assert len(found) == 1
    ev = found[0]
    assert ev.trigger.text == "opened fire"  # the first clear mention is the trigger
    assert len(ev.also) >= 2  # three evidence spans at least: the trigger and two more
    text = rec.article.text
    for m in ev.also:
        assert text[m.trigger.start:m.trigger.end] == m.trigger.text
        assert text[m.start:m.end] == m.sentence and m.start <= m.trigger.start < m.end
    assert any(m.start != ev.start for m in ev.also)  # a later sentence is kept as evidence
    assert ev.casualties and ev.casualties["killed"] == 19


def test_grouped_mentions_survive_the_record_round_trip(nlp):
    rec, found = attacks(nlp, MARKET)
    data = rec.to_dict()
    validate_record(data)
    back = ArticleRecord.from_dict(data)
    grouped = [e for e in back.events if e.also]
    assert grouped and all(isinstance(m, EventMention) for m in grouped[0].also)
    assert isinstance(grouped[0].also[0].trigger, Mention)
    assert back.to_dict() == data


def test_a_second_bomb_is_another_attack(nlp):
    _, found = attacks(nlp, "A bomb exploded near a bus station in Maiduguri on Tuesday, "
                            "killing four people. Hours later, a second bomb killed two "
                            "soldiers at a checkpoint in Maiduguri.")
    assert len(found) == 2 and not any(e.also for e in found)


def test_separately_keeps_two_attacks_each_told_twice(nlp):
    _, found = attacks(nlp, "Gunmen attacked a police post in Kano on Monday, killing three "
                            "officers. Separately, gunmen attacked a church in Kano, killing "
                            "two worshippers.")
    assert len(found) == 2
    assert [len(e.also) for e in found] == [1, 1]  # each attack keeps its own "killing"


def test_different_actors_are_different_attacks(nlp):
    _, found = attacks(nlp, "Troops of the Malian army attacked a camp of the Azawad "
                            "Liberation Front near Kidal on Monday. The Azawad Liberation "
                            "Front attacked a Malian army convoy near Gao on Monday.")
    assert len(found) == 2 and not any(e.also for e in found)


def test_different_days_are_different_arrests(nlp):
    _, found = attacks(nlp, "Police arrested two men in Mombasa on Monday. On Thursday, "
                            "police arrested three women in Mombasa.", "COERCE")
    assert len(found) == 2 and not any(e.also for e in found)


def test_the_grouped_event_takes_the_most_specific_count(nlp):
    _, found = attacks(nlp, "At least 10 people were killed when gunmen attacked a village "
                            "near Jos on Sunday. The gunmen killed 12 villagers, a local "
                            "official said.")
    assert len(found) == 1 and found[0].also
    cas = found[0].casualties
    assert cas["killed"] == 12 and not cas["lower_bound"]  # not 10, and never 22


# ------------------------------------------------ the rule on hand-made events
def event(i: int, sent: int, actors=(), recipients=(), date: str | None = None,
          etype: str = "ASSAULT", sentence: str = "Fighters attacked the town.") -> Event:
    start = 100 * sent
    return Event(
        id=f"ev{i}", type=etype, start=start, end=start + 60,
        trigger=Mention(start + 9 + i, start + 17 + i, "attacked"),
        actors=[Participant(e, t, start, start + 5) for e, t in actors],
        recipients=[Participant(e, t, start + 20, start + 30) for e, t in recipients],
        modality="asserted", sentence=sentence, confidence=0.7,
        date=EventDate(value=date, reason="expression in sentence") if date else None,
    )


FRONT = ("act_front", "the Front")


def test_a_named_party_links_mentions_across_sentences():
    out = group_mentions([event(1, 0, [FRONT]), event(2, 1, [FRONT])])
    assert [e.id for e in out] == ["ev1"] and [m.id for m in out[0].also] == ["ev2"]


def test_different_named_victims_are_different_attacks():
    out = group_mentions([event(1, 0, [FRONT], [("p_ana", "Ana Vell")]),
                          event(2, 0, [FRONT], [("p_odo", "Odo Marsh")])])
    assert len(out) == 2


def test_a_new_target_in_a_later_sentence_is_a_new_attack():
    out = group_mentions([event(1, 0, [FRONT], [(None, "a convoy")]),
                          event(2, 1, [FRONT], [(None, "a checkpoint")])])
    assert len(out) == 2


def test_different_dates_and_self_harm_stay_apart():
    assert len(group_mentions([event(1, 0, [FRONT], date="2025-03-01"),
                               event(2, 1, [FRONT], date="2025-03-03")])) == 2
    assert len(group_mentions([event(1, 0, [FRONT], [(None, "two people")]),
                               event(2, 0, [], [(None, "himself")])])) == 2


def test_nothing_in_common_across_sentences_is_no_link():
    out = group_mentions([event(1, 0, [(None, "Gunmen")]), event(2, 1, [(None, "Gunmen")])])
    assert len(out) == 2  # two indefinite "gunmen" may be two gangs


def test_speech_acts_are_never_grouped():
    out = group_mentions([event(1, 0, [FRONT], etype="ACCUSE"),
                          event(2, 1, [FRONT], etype="ACCUSE")])
    assert len(out) == 2


# ------------------------------------------------ the evidence reaches the API and the page
def test_later_mentions_reach_the_api_and_the_article_page(store, nlp, tmp_path):
    from fastapi.testclient import TestClient

    from wirewatch.api.app import create_app
    from wirewatch.service import Service

    path = tmp_path / "market.txt"
    path.write_text("---\ntitle: Market attack in Maiduguri\npublished: 2025-03-05\n---\n"
                    + MARKET + "\n", encoding="utf-8")
    svc = Service(store)
    svc._nlp = nlp
    svc.ingest([path])
    _, token = svc.create_token("desk")
    client = TestClient(create_app(service=svc))
    client.headers["Authorization"] = f"Bearer {token}"
    items = client.get("/api/events", params={"type": "ASSAULT"}).json()["items"]
    assert len(items) == 1 and len(items[0]["also"]) >= 2
    stormed = [m for m in items[0]["also"] if m["trigger"]["text"] == "stormed"]
    assert stormed and "attackers stormed" in stormed[0]["sentence"]
    page = client.get(f"/articles/{items[0]['article_id']}").text
    # the later mention is highlighted as a trigger of the same event
    found = re.findall(r'<span class="hl([^"]*)" data-refs="([^"]*)"[^>]*>stormed</span>', page)
    assert found and "k-trigger" in found[0][0] and items[0]["id"] in found[0][1].split()
