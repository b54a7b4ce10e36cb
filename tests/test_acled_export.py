"""The ACLED-style export: a documented PLOVER -> ACLED table, every row loadable as is
(event type, country, ISO code, fatalities, actor types), unmappable events counted."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest

from wirewatch.export import acled
from wirewatch.export.codes import countries
from wirewatch.export.events import located, manifest, write_acled_csv
from wirewatch.model import (
    PLOVER_TYPES,
    Article,
    Entity,
    Event,
    Mention,
    Participant,
    Place,
    PlaceMention,
    Segment,
)
from wirewatch.nlp.codebook import PLOVER_MODES
from wirewatch.service import Service

CORPUS = Path(__file__).parent / "data" / "acled"
# ACLED's event types and their sub-event types (ACLED codebook).
ACLED_TYPES = {
    "Battles": {"Armed clash", "Government regains territory",
                "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Grenade"},
    "Violence against civilians": {"Sexual violence", "Attack",
                                   "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention",
                 "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity",
                               "Disrupted weapons use", "Headquarters or base established",
                               "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"},
}


def _pairs(rule: dict) -> list[list[str]]:
    return [*(rule.get("modes") or {}).values(), *(rule.get("by_target") or {}).values(),
            *([rule["default"]] if "default" in rule else [])]


def test_every_plover_type_is_mapped_or_listed_as_unmappable():
    t = acled.table()
    mapped, unmappable = set(t["types"]), set(t["unmappable"])
    assert mapped | unmappable == set(PLOVER_TYPES)
    assert not mapped & unmappable
    for etype, rule in t["types"].items():
        # every PLOVER mode of a mapped type has a row, a rule for it, or is declared
        # not an ACLED event
        modes = set(PLOVER_MODES.get(etype, set())) | {None}
        covered = set(rule.get("modes") or {}) | set(rule.get("unmapped_modes") or [])
        if "default" in rule or "by_target" in rule:
            covered |= modes
        assert modes <= covered, (etype, modes - covered)
        assert not set(rule.get("modes") or {}) & set(rule.get("unmapped_modes") or [])
    for etype, sub in (p for rule in t["types"].values() for p in _pairs(rule)):
        assert sub in ACLED_TYPES[etype], (etype, sub)
        assert etype in t["disorder"]
    for phrases, (etype, sub) in t["weapons"]:
        assert phrases and sub in ACLED_TYPES[etype]


def test_every_gazetteer_country_has_an_iso_code_and_a_region():
    table = countries()
    assert len(table) > 240
    assert table["IRQ"].iso_numeric == 368 and table["IRQ"].fips == "IZ"
    assert table["IRQ"].region == "Middle East" and table["NGA"].region == "Western Africa"
    assert all(c.region for c in table.values())
    assert sum(c.iso_numeric is None for c in table.values()) == 0


TEXT = "Police officers in Basra said gunmen shot dead a shop owner on Monday."


def _event(type_: str = "ASSAULT", mode: str | None = None, actors=(), recipients=(),
           sentence: str = TEXT, casualties=None, location=None, eid="ev_0000000000000001"
           ) -> Event:
    return Event(
        id=eid, type=type_, start=0, end=len(sentence), trigger=Mention(0, 1, "x"),
        actors=[Participant(e, t, 0, 1) for e, t in actors],
        recipients=[Participant(e, t, 0, 1) for e, t in recipients],
        modality="asserted", sentence=sentence, confidence=0.7, mode=mode,
        casualties=casualties, location=location,
        date={"value": "2025-04-13", "granularity": "day", "reason": "expression in sentence"})


ARTICLE = Article(id="a1", text=TEXT, source="Gulf Courier", published="2025-04-14")
BASRA = {"name": "Basra", "place_id": "gn:1", "lat": 30.5, "lon": 47.8, "level": "city",
         "country": "IRQ"}


def _acled(*events: Event, entities=None) -> tuple[list[dict], Counter]:
    fh, left = io.StringIO(), Counter()
    write_acled_csv([(e, ARTICLE, entities or {}) for e in events], fh, left_out=left)
    return list(csv.DictReader(io.StringIO(fh.getvalue()))), left


def test_unmappable_events_are_left_out_and_counted():
    rows, left = _acled(_event("REQUEST", eid="ev_0000000000000002"),
                        _event("COERCE", "ban", eid="ev_0000000000000003"),
                        _event(recipients=[(None, "a shop owner")], location=BASRA))
    assert len(rows) == 1 and rows[0]["event_type"] == "Violence against civilians"
    assert sum(left.values()) == 2
    assert any(k.startswith("REQUEST") for k in left)
    note = manifest("acled", left_out=left)["left_out"]
    assert note["events"] == 2 and sum(note["reasons"].values()) == 2


@pytest.mark.parametrize(("event", "expected"), [
    (_event(recipients=[(None, "a shop owner")]), ("Violence against civilians", "Attack")),
    (_event(recipients=[(None, "four police officers")]), ("Battles", "Armed clash")),
    (_event(recipients=[(None, "an army patrol")],
            sentence="A roadside bomb struck an army patrol."),
     ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
    (_event(actors=[(None, "air defences")], recipients=[(None, "a drone")],
            sentence="Air defences shot down a drone."),
     ("Strategic developments", "Disrupted weapons use")),
    (_event(mode="aerial"), ("Explosions/Remote violence", "Air/drone strike")),
    (_event("PROTEST", "riot"), ("Riots", "Violent demonstration")),
    (_event("PROTEST", "strike"), ("Protests", "Peaceful protest")),
    (_event("COERCE", "arrest"), ("Strategic developments", "Arrests")),
    (_event("AGREE"), ("Strategic developments", "Agreement")),
])
def test_acled_types(event, expected):
    kind, why = acled.acled_type(event, {})
    assert kind is not None, why
    assert (kind.event_type, kind.sub_event_type) == expected


def test_actor_types_fatalities_and_country():
    turkey = Entity(id="e_tur", name="Turkish Armed Forces", type="ORG",
                    kind="security_force", sectors=["MIL"], country="TUR")
    strike = _event(mode="drone", actors=[("e_tur", "Turkish drones")],
                    recipients=[(None, "three shepherds")], location=BASRA,
                    casualties={"killed": 3, "injured": None, "lower_bound": False})
    demo = _event("PROTEST", "demo", actors=[(None, "hundreds of teachers")], location=BASRA,
                  eid="ev_0000000000000009")
    rows, _ = _acled(strike, demo, entities={"e_tur": turkey})
    hit, rally = rows
    assert hit["actor1"] == "Turkish Armed Forces" and hit["inter1"] == "8"  # abroad
    assert hit["actor2"] == "Civilians (Iraq)" and hit["inter2"] == "7"
    assert hit["interaction"] == "78" and hit["civilian_targeting"] == "Civilian targeting"
    assert hit["fatalities"] == "3"
    assert (hit["country"], hit["iso"], hit["region"]) == ("Iraq", "368", "Middle East")
    assert rally["actor1"] == "Protesters (Iraq)" and rally["inter1"] == "6"
    assert rally["interaction"] == "60" and rally["fatalities"] == "0"


def test_an_event_without_a_place_takes_its_articles_country():
    text = "KIRKUK, Iraq — Gunmen attacked a patrol on Sunday."
    article = Article(id="a2", text=text, segments=[Segment(0, 12, "dateline"),
                                                    Segment(15, len(text), "body")])
    kirkuk = PlaceMention("p1", 0, 6, "KIRKUK", Place("gn:2", "Kirkuk", 35.4, 44.4, "IRQ",
                                                      None, "city"), 0.9)
    ev = _event(sentence=text[15:])
    ev.start, ev.end = 15, len(text)
    out = located(ev, article, [kirkuk])
    assert out.location is not None
    assert (out.location.country, out.location.level) == ("IRQ", "country")
    assert "dateline" in (out.location.reason or "")
    assert ev.location is None  # the stored event is left as it was
    # An event with its own place keeps it, and gains the admin1 its place has.
    anbar = PlaceMention("p2", 20, 25, "Anbar", Place("ww:anbar", "Anbar", 33.4, 42.0, "IRQ",
                                                       "Anbar", "region"), 0.9)
    own = _event(location={"name": "Anbar", "place_id": "ww:anbar", "level": "region",
                           "country": "IRQ", "lat": 33.4, "lon": 42.0})
    assert located(own, article, [anbar]).location.admin1 == "Anbar"


def test_fictional_corpus_exports_loadable_acled_rows(store, nlp):
    svc = Service(store)
    svc._nlp = nlp
    assert svc.ingest(sorted(CORPUS.glob("*.txt"))).new == 2
    fh, left = io.StringIO(), Counter()
    n = svc.export_events("acled", fh, left_out=left)
    rows = list(csv.DictReader(io.StringIO(fh.getvalue())))
    assert n == len(rows) and n + sum(left.values()) == svc.events().total
    assert n >= 3 and sum(left.values()) >= 1  # attacks, protest, arrest; appeals left out
    for row in rows:
        assert row["event_type"] and row["sub_event_type"] and row["disorder_type"]
        assert row["country"] == "Iraq" and row["iso"] == "368", row["notes"]
        assert row["fatalities"].isdigit()
    # Every death count the text states is in the row of its event.
    killed = {e.id: e.casualties["killed"] for e, _, _ in svc.event_rows()
              if e.casualties and isinstance(e.casualties.get("killed"), int)}
    by_id = {r["ww_event_id"]: r for r in rows}
    assert killed and all(int(by_id[i]["fatalities"]) == k for i, k in killed.items())
    assert {3, 2} <= set(killed.values())
    assert any(r["event_type"] == "Protests" and r["inter1"] == "6" for r in rows)
    assert json.dumps(manifest("acled", left_out=left))  # the note serialises
