"""The actor component on sentences we wrote, and the seed article's done criteria."""

import pytest

from wirewatch.model import Article
from wirewatch.nlp.entities import entity_for_span
from wirewatch.nlp.pipeline import make_doc


@pytest.fixture(scope="module")
def actors_nlp():
    from wirewatch.nlp.pipeline import COMPONENTS, PipelineConfig, build_nlp

    return build_nlp(PipelineConfig(exclude=[c for c in COMPONENTS if c != "wirewatch_actors"]))


def run(nlp, text):
    return nlp(make_doc(nlp, Article(id="t", text=text, published="2025-09-01")))


def by_name(doc):
    return {e.name: e for e in doc._.entities}


def test_surname_joins_full_name(actors_nlp):
    doc = run(actors_nlp, "Interior Minister Ziyad Kamil Mahdi visited Basra on Monday. "
                          "Mahdi said the talks would continue.")
    ents = by_name(doc)
    person = ents["Ziyad Kamil Mahdi"]
    assert {m.text for m in person.mentions} == {"Ziyad Kamil Mahdi", "Mahdi"}
    assert person.type == "PERSON"


def test_shared_surname_is_not_merged_blindly(actors_nlp):
    doc = run(actors_nlp, "Salim Jaber met Karim Jaber in Erbil. Jaber later left the city.")
    people = [e for e in doc._.entities if e.type == "PERSON"]
    full = [e for e in people if len(e.name.split()) == 2]
    assert len(full) == 2
    for e in full:
        assert "Jaber" not in {m.text for m in e.mentions}


def test_acronym_defined_in_text_is_one_entity(actors_nlp):
    doc = run(actors_nlp, "Fighters of the Rafidain Resistance Front (RRF) fired rockets. "
                          "The RRF denied involvement.")
    ent = by_name(doc)["Rafidain Resistance Front"]
    # OntoNotes convention: a name's article is part of the mention.
    assert [m.text for m in ent.mentions] == ["the Rafidain Resistance Front", "RRF", "The RRF"]


def test_country_institutions_are_country_actors_with_a_sector(actors_nlp):
    doc = run(actors_nlp, "The Iraqi government ordered U.S. forces to leave, and Iraqi "
                          "security forces sealed the road.")
    ids = {e.id: e for e in doc._.entities}
    assert ids["IRQ:GOV"].sectors == ["GOV"] and ids["IRQ:GOV"].country == "IRQ"
    assert ids["USA:MIL"].country == "USA"
    assert ids["IRQ:MIL"].mentions[0].text == "Iraqi security forces"


def test_capital_as_speaker_is_the_government_not_the_city(actors_nlp):
    doc = run(actors_nlp, "Baghdad said the strike violated its sovereignty. "
                          "Residents of Baghdad were shaken.")
    gov = [e for e in doc._.entities if e.id == "IRQ:GOV"]
    assert gov and gov[0].mentions[0].start == 0
    city = [e for e in doc._.entities if e.name == "Baghdad"]
    assert city and city[0].type == "GPE"


def test_nationality_words_map_to_their_country(actors_nlp):
    doc = run(actors_nlp, "Iranian diplomats arrived on Sunday.")
    norp = [e for e in doc._.entities if e.type == "NORP"]
    assert norp and norp[0].country == "IRN"


def test_entity_for_span_finds_the_overlapping_mention(actors_nlp):
    text = "The Rafidain Resistance Front (RRF) fired rockets."
    doc = run(actors_nlp, text)
    start = text.index("RRF")
    assert entity_for_span(doc, start, start + 3).name == "Rafidain Resistance Front"
    assert entity_for_span(doc, text.index("rockets"), len(text)) is None


SEED_ENTITIES = {
    "Fuad Hussein": {"Hussein"},
    "Mohammed Shia al-Sudani": {"Sudani"},
    "Caroline Rose": set(),
    "Islamic Resistance in Iraq": {"IRI"},
    "Popular Mobilization Forces": set(),
    "Reuters": set(),
    "New Lines Institute": set(),
    "Fox News Digital": set(),
    "Iraq": set(),
    "Iran": set(),
    "Israel": set(),
    "United States": {"U.S."},
    "Baghdad": set(),
}


def test_seed_article_entities(seed_record):
    article = seed_record.article
    assert "Share and Follow" not in article.text
    captions = [article.text[s.start:s.end] for s in article.segments if s.kind == "caption"]
    assert len(captions) == 1 and captions[0].startswith("Iraq’s Prime Minister")
    def bare(text):
        return text.removeprefix("the ").removeprefix("The ")

    def holders(name):
        return [e for e in seed_record.entities
                if any(bare(m.text) == name for m in e.mentions)]

    for name, extra_mentions in SEED_ENTITIES.items():
        found = holders(name)
        assert len(found) == 1, f"{name}: {len(found)} entities"
        texts = {bare(m.text) for m in found[0].mentions}
        assert extra_mentions <= texts, (name, texts)
    for bad in ("Share and Follow", "Middle East", "Baghdad"):
        for ent in seed_record.entities:
            if ent.name == bad:
                assert ent.kind in (None, "place"), f"{bad} treated as an actor"


def test_outlet_named_in_a_dateline_is_media(actors_nlp):
    from wirewatch.ingest.clean_text import clean_text

    cleaned = clean_text("BASRA, Iraq (Tigris Wire Agency) — Dock workers walked out on Tuesday "
                         "over unpaid wages, the Tigris Wire Agency learned.")
    article = Article(id="t", text=cleaned.text, segments=cleaned.segments)
    doc = actors_nlp(make_doc(actors_nlp, article))
    outlet = [e for e in doc._.entities if "Tigris Wire Agency" in e.name]
    assert outlet and outlet[0].kind == "media" and outlet[0].sectors == ["JRN"]


# -- issue 14: metonymy, dated roles, ambiguous registry names, challengers ---------------


def test_capitals_as_governments_are_one_actor_each(actors_nlp):
    doc = run(actors_nlp, "Beijing said the new levies were unfair. Beijing warned Washington "
                          "against retaliation, and Washington rejected the warning. Kabul "
                          "rejected the offer.")
    govs = {e.id: e for e in doc._.entities if e.id.endswith(":GOV")}
    assert set(govs) == {"CHN:GOV", "USA:GOV", "AFG:GOV"}
    assert [m.text for m in govs["CHN:GOV"].mentions] == ["Beijing", "Beijing"]
    # "warned Washington": the government on the receiving end, the same actor
    assert len(govs["USA:GOV"].mentions) == 2
    assert not [e for e in doc._.entities if e.name in ("Beijing", "Washington", "Kabul")]


def test_capital_metonymy_by_role_not_by_name(actors_nlp):
    doc = run(actors_nlp, "Talks with Beijing stalled and Moscow's response was swift. "
                          "Tourists flocked to Beijing. Heavy rain fell on Moscow.")
    govs = {e.id: [m.text for m in e.mentions] for e in doc._.entities if ":GOV" in e.id}
    assert govs == {"CHN:GOV": ["Beijing"], "RUS:GOV": ["Moscow"]}
    places = {e.name: e for e in doc._.entities if e.type == "GPE"}
    assert places["Beijing"].kind == "place" and places["Moscow"].kind == "place"


def test_a_capital_the_tagger_mislabels_is_still_one_city(actors_nlp):
    doc = run(actors_nlp, "Heavy rain fell on Kabul. Kabul was hit by a dust storm. "
                          "Residents of Kabul were told to stay indoors.")
    kabul = [e for e in doc._.entities if "Kabul" in {m.text for m in e.mentions}]
    assert len(kabul) == 1 and kabul[0].type == "GPE"


@pytest.mark.parametrize(("day", "roles", "sectors"), [
    ("2020-06-01", ["president"], ["GOV"]),
    ("2025-06-01", ["former president"], ["ELI"]),
])
def test_registry_roles_hold_for_their_dates(actors_nlp, day, roles, sectors):
    # The registry records this president's term as 2016-05-20 .. 2024-05-20.
    doc = actors_nlp(make_doc(actors_nlp, Article(
        id="t", text="Tsai Ing-wen told a forum in Tokyo that trade would grow.",
        published=day)))
    tsai = [e for e in doc._.entities if e.registry_id == "TWN_TSAI_ING_WEN"]
    assert tsai and tsai[0].roles == roles and tsai[0].sectors == sectors


def test_former_holder_is_not_the_current_office(actors_nlp):
    from wirewatch.nlp.coref import resolve_description

    text = ("Tsai Ing-wen opened a library in Taichung on Monday. "
            "The president was not there.")
    doc = actors_nlp(make_doc(actors_nlp, Article(id="t", text=text, published="2025-06-01")))
    assert resolve_description(doc, "president", text.index("The president")) is None
    doc = actors_nlp(make_doc(actors_nlp, Article(id="t", text=text, published="2020-06-01")))
    found = resolve_description(doc, "president", text.index("The president"))
    assert found is not None and found.registry_id == "TWN_TSAI_ING_WEN"


def test_airline_named_emirates_is_not_the_state(actors_nlp):
    doc = run(actors_nlp, "Emirates cancelled 30 flights to Dubai. The Emirates and Qatar "
                          "signed a trade deal, and the United Arab Emirates welcomed it.")
    by_id = {e.id: e for e in doc._.entities}
    airline = by_id["ARE_EMIRATES_AIRLINE"]
    assert [m.text for m in airline.mentions] == ["Emirates"]
    assert airline.type == "ORG" and airline.kind == "company"
    state = by_id["ARE"]
    assert {m.text.lower() for m in state.mentions} == {"the emirates",
                                                         "the united arab emirates"}


def test_registry_article_only_names():
    from wirewatch.nlp.registry import load_registry

    reg = load_registry(())
    assert reg.lookup("the Emirates").id == "ARE"
    assert reg.lookup("Emirates").id == "ARE_EMIRATES_AIRLINE"
    assert reg.lookup("Emirates", article=True).id == "ARE"


def test_army_does_not_absorb_the_opposition_forces(actors_nlp):
    doc = run(actors_nlp, "Syrian government forces shelled Syrian opposition forces near "
                          "Idlib, and Syrian rebel forces answered. The Syrian army said the "
                          "attack had been repelled.")
    by_id = {e.id: e for e in doc._.entities}
    army = [m.text for m in by_id["SYR:MIL"].mentions]
    assert army == ["Syrian government forces", "The Syrian army"]
    assert by_id["SYR:OPP"].sectors == ["OPP"] and by_id["SYR:OPP"].kind == "armed_group"
    assert by_id["SYR:REB"].sectors == ["REB"]


# -- issue 14: entity boundaries and labels on ordinary text ------------------------------


def test_leading_preposition_and_citation_marks_are_not_part_of_a_name(actors_nlp):
    doc = run(actors_nlp, "Near Tal Afar, two strikes hit a depot. Salim Dawood al-Tikriti,[1] "
                          "born in 1960, led the unit.")
    texts = {m.text: m.label for e in doc._.entities for m in e.mentions}
    assert texts.get("Tal Afar") == "GPE"
    assert texts.get("Salim Dawood al-Tikriti") == "PERSON"
    assert not [t for t in texts if t.startswith("Near") or "[" in t]


def test_place_by_context_and_cities_stay_places(actors_nlp):
    doc = run(actors_nlp, "The offensive aims to take Mosul and Raqqah. Fighting went on in "
                          "al-Hilla.")
    labels = {m.text: m.label for e in doc._.entities for m in e.mentions}
    assert labels["Raqqah"] == "GPE" and labels["al-Hilla"] == "GPE"


def test_only_states_act_as_organisations(actors_nlp):
    doc = run(actors_nlp, "France conducted strikes on Tuesday. Mosul was retaken in 2017. "
                          "Syria is being torn apart.")
    labels = {m.text: m.label for e in doc._.entities for m in e.mentions}
    assert labels["France"] == "ORG"  # a state acting
    assert labels["Mosul"] == "GPE" and labels["Syria"] == "GPE"


def test_named_regime_is_one_organisation(actors_nlp):
    doc = run(actors_nlp, "Troops of the Burhan junta advanced on the town.")
    orgs = [m.text for e in doc._.entities for m in e.mentions if m.label == "ORG"]
    assert "the Burhan junta" in orgs


def test_department_word_of_a_title_is_no_organisation(actors_nlp):
    doc = run(actors_nlp, "Deputy Secretary of State Mira Olsen met the Minister of Defence "
                          "in Ottawa.")
    assert {m.text for e in doc._.entities for m in e.mentions} == {"Mira Olsen", "Ottawa"}


def test_named_structures_are_facilities(actors_nlp):
    doc = run(actors_nlp, "Worshippers left the Nur al-Huda Mosque before the strike on "
                          "Kuweires Military Airfield.")
    labels = {m.text: m.label for e in doc._.entities for m in e.mentions}
    assert labels.get("Kuweires Military Airfield") == "FAC"


def mention_labels(doc):
    return {(m.text, m.label) for e in doc._.entities for m in e.mentions}


def test_country_word_inside_a_longer_name_is_part_of_that_name(actors_nlp):
    # A demonym or a country inside a name the tagger found belongs to that name; it is
    # no mention of the nationality or of the country.
    doc = run(actors_nlp, "The Syrian Heritage Archive Society opened a new office in Homs.")
    labels = mention_labels(doc)
    assert ("The Syrian Heritage Archive Society", "ORG") in labels
    assert not any(text == "Syrian" for text, _ in labels)
    doc = run(actors_nlp, "A tanker was seized in the Gulf of Oman on Tuesday.")
    labels = mention_labels(doc)
    assert not any(text == "Oman" for text, _ in labels)
    assert any(text.endswith("Gulf of Oman") for text, _ in labels)


def test_country_beside_a_place_name_is_still_the_country(actors_nlp):
    doc = run(actors_nlp, "Farmers from Syria crossed into Turkey near Kilis on Sunday.")
    labels = mention_labels(doc)
    assert ("Syria", "GPE") in labels and ("Turkey", "GPE") in labels


def test_place_after_near_is_never_the_acting_subject(actors_nlp):
    # "Near X, one strike destroyed ...": the parser can make X the subject of the verb;
    # a place introduced by a locative preposition stays a place.
    doc = run(actors_nlp, "Near Palmyra, one strike destroyed a supply depot.")
    assert ("Palmyra", "GPE") in mention_labels(doc)


@pytest.mark.parametrize("text, state", [
    ("Portugal remains committed to the ceasefire talks in Geneva.", "Portugal"),
    ("Norway is one of our closest partners in the region.", "Norway"),
    ("The minister thanked our ally Greece for its help.", "Greece"),
    ("A Danish official said a Canada strike hit the depot on Monday.", "Canada"),
    ("Aid groups praised Ireland's response to the crisis.", "Ireland"),
])
def test_state_in_an_actor_role_is_an_organisation(actors_nlp, text, state):
    # A state committed, named as an ally, or owning a policy or an action acts as a
    # political actor (ORG), as it does as the subject of an acting verb.
    assert (state, "ORG") in mention_labels(run(actors_nlp, text))


@pytest.mark.parametrize("text, state", [
    ("Portugal is a country of ten million people.", "Portugal"),
    ("Heavy rain fell on Norway and Sweden overnight.", "Norway"),
    ("Hundreds of families fled from Syria to Jordan.", "Syria"),
])
def test_state_described_or_travelled_to_stays_a_place(actors_nlp, text, state):
    assert (state, "GPE") in mention_labels(run(actors_nlp, text))


def test_coordinated_states_take_the_role_only_of_a_place(actors_nlp):
    # A misparse hanging a list of states on "ministers" gives them no actor role.
    doc = run(actors_nlp, "Envoys met the foreign ministers of Oman, Kuwait, Egypt, Jordan "
                          "and Qatar before the summit.")
    labels = mention_labels(doc)
    assert ("Kuwait", "GPE") in labels and ("Egypt", "GPE") in labels


def test_place_after_a_siege_or_liberation_noun_is_a_place(actors_nlp):
    doc = run(actors_nlp, "Residents celebrated the liberation of Sinjar on Friday.")
    assert ("Sinjar", "GPE") in mention_labels(doc)


def test_nationality_label_on_a_placed_town_becomes_a_place(actors_nlp):
    doc = run(actors_nlp, "Shelling in Aleppo killed four people.")
    labels = mention_labels(doc)
    assert ("Aleppo", "GPE") in labels and ("Aleppo", "NORP") not in labels


def test_fronted_near_makes_a_place_but_mid_sentence_near_keeps_a_person(actors_nlp):
    doc = run(actors_nlp, "Near Tell Hamis, two strikes engaged a mortar team.")
    assert ("Tell Hamis", "GPE") in mention_labels(doc)
    doc = run(actors_nlp, "He sat near Daniel Moreau during the hearing.")
    assert ("Daniel Moreau", "PERSON") in mention_labels(doc)


def test_more_specific_body_ending_in_a_registered_name(actors_nlp):
    # Capitalised words before a registered body's name make another, more specific
    # body; the registered one's name alone would be the wrong actor.
    doc = run(actors_nlp, "The convoy was escorted by the Basra Joint Operations Command on "
                          "Sunday.")
    labels = mention_labels(doc)
    assert ("the Basra Joint Operations Command", "ORG") in labels
    assert ("Joint Operations Command", "ORG") not in labels


def test_states_listed_in_an_acting_group_are_actors(actors_nlp):
    # The members of an alliance that flew sorties act with it; countries listed
    # for their weather do not.
    doc = run(actors_nlp, "Alliance members that have flown sorties include Norway, Portugal "
                          "and Chile.")
    labels = mention_labels(doc)
    assert {("Norway", "ORG"), ("Portugal", "ORG"), ("Chile", "ORG")} <= labels
    doc = run(actors_nlp, "The donor community, including Japan and Korea, pledged new aid.")
    assert ("Japan", "ORG") in mention_labels(doc)
    doc = run(actors_nlp, "Countries with the most rain include Norway and Ireland.")
    assert ("Norway", "GPE") in mention_labels(doc)


def test_undefined_acronym_of_a_longer_name_is_that_organisation(actors_nlp):
    # "the BSA" is never defined in brackets, but its letters are the initials of the
    # last words of the agency's full name: one actor, not two.
    doc = run(actors_nlp, "Officers of the Northern Province Border Security Agency arrested "
                          "a pilot in Basra on Monday. The BSA said he was held overnight.")
    agency = [e for e in doc._.entities if any(m.text == "The BSA" for m in e.mentions)]
    assert len(agency) == 1
    assert ("the Northern Province Border Security Agency"
            in {m.text for m in agency[0].mentions})


@pytest.mark.parametrize("text", [
    "The United Arab Emirates's armed forces and Iraqi security forces met Iraq's army.",
    "Officials of the Democratic Republic of the Congo's national police and the Iraqi "
    "government said Kuwaiti border guards and Syrian rebel forces were near.",
    "Turkish troops, the Turkish army and Iraq ' s interim government.",
])
def test_described_actor_prefilter_finds_what_the_full_scan_finds(actors_nlp, monkeypatch,
                                                                  text):
    """The skip of tokens with no institution word within reach changes nothing: the
    candidates are those of trying every token."""
    from wirewatch.nlp import entities

    comp = actors_nlp.get_pipe("wirewatch_actors")
    doc = actors_nlp(make_doc(actors_nlp, Article(id="t", text=text, published="2025-09-01")))
    fast = comp._described_candidates(doc)
    monkeypatch.setattr(entities, "_institution_starts", lambda inst, size: range(size))
    full = comp._described_candidates(doc)
    assert fast == full and fast[0]
