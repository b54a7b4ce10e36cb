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
