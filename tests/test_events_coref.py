"""Error class 9: "he", "the gunman", "the suspect" as the actor of an event are the
person the article establishes, and only then. Sentences written for these tests; the
people are invented, places are real."""

from __future__ import annotations

from wirewatch.model import Event
from wirewatch.nlp.pipeline import extract_text


def actors_of(nlp, text: str, etype: str = "ASSAULT") -> list[list[tuple[str, str | None]]]:
    rec = extract_text(nlp, text, published="2025-03-05")
    names = {e.id: e.name for e in rec.entities}
    events: list[Event] = [e for e in rec.events if e.type == etype]
    return [[(p.text, names.get(p.entity or "")) for p in e.actors] for e in events]


def test_the_gunman_the_police_identified(nlp):
    found = actors_of(nlp, "Police identified the gunman as Paul Okoro, a 34-year-old former "
                           "security guard. The gunman opened fire on guests at a hotel in "
                           "Goma on Friday.")
    assert found == [[("The gunman", "Paul Okoro")]]


def test_the_suspect_named_in_apposition(nlp):
    found = actors_of(nlp, "The suspect, Paul Okoro, was charged on Monday. Prosecutors said "
                           "the suspect shot two guards at the port in Mombasa on Friday.")
    assert found == [[("the suspect", "Paul Okoro")]]


def test_he_after_police_said_is_the_person_not_the_police(nlp):
    found = actors_of(nlp, "Paul Okoro, the suspected gunman, was arrested on Saturday. "
                           "Police said he opened fire on guests at a hotel in Goma on Friday.")
    assert found == [[("he", "Paul Okoro")]]


def test_an_unestablished_gunman_stays_unnamed(nlp):
    for text in ("Mayor Lina Okafor spoke to reporters. The gunman shot three guests at "
                 "the hotel on Friday, police said.",
                 "Paul Okoro was arrested in Goma on Saturday. Witnesses said the gunman "
                 "shot three guests at the hotel on Friday."):
        assert actors_of(nlp, text) == [[("The gunman" if "Mayor" in text else "the gunman",
                                          None)]]


def test_two_gunmen_named_leave_the_gunman_unresolved(nlp):
    found = actors_of(nlp, "Paul Okoro, the suspected gunman, was arrested on Saturday. "
                           "Simon Reyes, another suspected gunman, fled. Police said the "
                           "gunman shot three guests at the hotel on Friday.")
    assert [("the gunman", None)] in found


def test_the_one_identified_of_two_people_is_the_gunman(nlp):
    found = actors_of(nlp, "Paul Okoro and Simon Reyes were arrested on Saturday. Reyes, the "
                           "suspected gunman, was charged. The gunman shot three guests at the "
                           "hotel on Friday, police said.")
    assert found == [[("The gunman", "Simon Reyes")]]


def test_they_in_a_persons_quote_is_not_the_speaker(nlp):
    rec = extract_text(nlp, '"They sent troops to Kidal without asking us," said Moussa '
                            'Traore, a farmer.', published="2025-03-05")
    assert not any(p.text == "Moussa Traore" for e in rec.events for p in e.actors)
