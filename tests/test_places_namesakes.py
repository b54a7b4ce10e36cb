"""Places the tagger misreads and namesakes the article's context decides (issue 14).

Invented sentences: fictional people and bodies in real places. The full pipeline (the
``nlp`` fixture) runs, since its entity component decides what counts as a person.
"""

from __future__ import annotations

from collections import Counter

from wirewatch.model import Article, PlaceMention
from wirewatch.nlp.gazetteer import get_gazetteer
from wirewatch.nlp.pipeline import make_doc
from wirewatch.nlp.places import _Context, _Span


def run(nlp, text: str) -> list[PlaceMention]:
    doc = nlp(make_doc(nlp, Article(id="t-ns", text=text, published="2025-03-02")))
    return doc._.places


def by_text(found: list[PlaceMention]) -> dict[str, PlaceMention]:
    return {pm.text: pm for pm in found}


# -- towns the tagger takes for a person or an organisation


def test_town_before_a_word_for_its_people_is_a_place(nlp):
    found = by_text(run(nlp, "Gainesville man held after a pickup truck went missing."))
    assert "Gainesville" in found
    assert found["Gainesville"].place.country == "USA"


def test_town_of_a_street_address_is_a_place(nlp):
    text = ("Rita Omen, 33, of 12 Elm St., Alexandria, was arrested on Friday. Rapides "
            "Parish deputies said she fled.")
    found = by_text(run(nlp, text))
    assert "Alexandria" in found
    assert found["Alexandria"].place.admin1 == "Louisiana"


def test_a_person_is_still_a_person(nlp):
    text = "Coach Lena Marsh praised the defense. Marsh said the team will travel on Monday."
    assert all(pm.text != "Marsh" for pm in run(nlp, text))


# -- "U.S." opening an agency's name


def test_us_before_an_agency_name_is_the_country(nlp):
    text = "The plant got its grant through the U.S. Department of Energy, Dora Kell said."
    found = by_text(run(nlp, text))
    assert found["U.S."].place.id == "cc:USA"


# -- bare country and state names


def test_bare_country_name_is_not_a_town_that_lists_it_as_an_alias(nlp):
    text = ("Cora Vance of Phoenix, Ariz., and her husband spent a month in Egypt before "
            "returning to Tempe and Mesa.")
    found = by_text(run(nlp, text))
    assert found["Egypt"].place.level == "country"
    assert found["Egypt"].place.country == "EGY"


def test_town_named_like_a_country_with_its_state(nlp):
    found = by_text(run(nlp, "The parade in Lebanon, Ind., drew a large crowd."))
    assert found["Lebanon"].place.country == "USA"


# -- the article's focus


def test_alternating_choices_settle_on_the_local_namesake(nlp):
    # Zionsville is kept only while Lebanon is placed in Indiana, and Lebanon is placed
    # there only while Zionsville is kept: the passes alternate until both states count.
    text = ("Lebanon council votes on trash pickup. Lebanon Street Superintendent Omar Tidd "
            "said crews from Zionsville will help. Residents of Lebanon may call the city.")
    found = [pm for pm in run(nlp, text) if pm.text == "Lebanon"]
    assert found and all(pm.place.admin1 == "Indiana" for pm in found)


def test_ordinary_word_does_not_feed_the_focus():
    gaz = get_gazetteer()
    village = next(e for e in gaz.lookup("More") if e.country not in (None, "USA"))
    town = next(e for e in gaz.lookup("Paris") if e.country == "USA")
    groups = {"more": [_Span(0, 4, "More", "gaz")], "paris": [_Span(10, 15, "Paris", "gaz")]}
    ctx = _Context.build([{"more": (village, 0.99), "paris": (town, 0.9)}], groups, Counter())
    assert ctx.country_share("USA", "") == 1.0
    assert village.country not in ctx.countries


def test_town_near_the_place_chosen_for_another_name(nlp):
    # "Bethel, Vt." is settled by its state; Hanover is the one near that Bethel.
    text = ("Two Hanover officers were sent to a condo on Main Street on Monday. The couple's "
            "son drove in from Bethel, Vt., a neighbor said.")
    assert by_text(run(nlp, text))["Hanover"].place.admin1 == "New Hampshire"


def test_town_and_county_are_read_together(nlp):
    # Each pass, the county followed the town's last reading and the town the county's:
    # the pair is now settled as a whole.
    text = ("A Richmond man was charged after a crash on Interstate 75, Richmond police "
            "said. He was taken to the Madison County jail.")
    found = by_text(run(nlp, text))
    assert found["Richmond"].place.admin1 == "Kentucky"
    assert found["Madison County"].place.admin1 == "Kentucky"


def test_town_in_the_county_named_beside_it(nlp):
    # Pontiac, Ill. is the seat of Livingston County, Ill.; the bigger Pontiac lies a
    # county away from Michigan's Livingston County: the closer pair wins.
    text = ("A Livingston County judge set bail for a Pontiac man on Tuesday, clerk Ada "
            "Rusk said.")
    found = by_text(run(nlp, text))
    assert found["Pontiac"].place.admin1 == "Illinois"
    assert found["Livingston County"].place.admin1 == "Illinois"


def test_common_county_name_in_the_state_the_article_names(nlp):
    # Two dozen Lincoln Counties tie on prior; the one in the state named in the article
    # must stay among the candidates.
    text = ("The Lincoln County board met on Tuesday. Commissioner Ray Dunmore of North "
            "Platte, Neb., said the levy will rise.")
    assert by_text(run(nlp, text))["Lincoln County"].place.admin1 == "Nebraska"


def test_place_in_a_polity_formal_name(nlp):
    text = ("The choir is licensed by the State of Iowa as a charity, treasurer Vic Dorn "
            "said. The Province of Manitoba paid for its tour.")
    found = by_text(run(nlp, text))
    assert found["Iowa"].place.admin1 == "Iowa"
    assert found["Manitoba"].place.level == "region"
    assert "State of Iowa" not in found


def test_city_of_is_not_a_place_on_its_own(nlp):
    text = "Lem Farr, who plans roads for the City of Tupelo, said the bridge will shut."
    found = by_text(run(nlp, text))
    assert found["Tupelo"].place.admin1 == "Mississippi"
    assert all(not pm.text.endswith(" of") for pm in found.values())


def test_country_name_read_as_the_town_beside_the_article_places(nlp):
    text = ("Poland schools will close early on Friday. Crews from Youngstown are still "
            "clearing the roads, district spokesman Abe Lusk said.")
    found = by_text(run(nlp, text))
    assert found["Poland"].place.admin1 == "Ohio"


def test_country_name_stays_the_country_with_its_own_places(nlp):
    found = by_text(run(nlp, "Warsaw and Krakow saw snow on Friday, and Poland closed "
                             "its schools."))
    assert found["Poland"].place.id == "cc:POL"


# -- a place at the head of a body's name the tagger took whole


def _shrunk(text: str) -> str | None:
    from wirewatch.nlp.places import PlaceTagger

    part = PlaceTagger(None, "places")._shrink(text, 0, len(text))
    return None if part is None else text[part[0]:part[1]]


def test_place_heading_a_body_name_is_cut_out():
    assert _shrunk("Pike County Sheriff's Department") == "Pike County"
    assert _shrunk("Ottawa County Circuit Court") == "Ottawa County"
    assert _shrunk("Sparks Police Department") == "Sparks"


def test_city_hall_names_the_town_itself():
    # one name with the article's other "Kokomo"s, not a separate "Kokomo City"
    assert _shrunk("Kokomo City Hall") == "Kokomo"


def test_county_word_is_no_tail_to_cut():
    # a firm named after a county is not the town of the county's first word
    assert _shrunk("Brown County Cheese") is None


def test_town_outside_the_country_of_its_province_is_not_in_it():
    from wirewatch.nlp.places import _context_score

    gaz = get_gazetteer()
    province = next(e for e in gaz.lookup("Ontario") if e.kind == "region")
    kingston = [e for e in gaz.lookup("Kingston") if e.level == "city"]
    canadian = next(e for e in kingston if e.country == "CAN")
    namesake = next(e for e in kingston if e.country == "USA")
    ctx = _Context(Counter(), Counter(), {})
    assert _context_score(canadian, ctx, [province]) > _context_score(namesake, ctx, [province])


def test_one_word_for_a_people_is_not_a_whole_focus():
    # before any place is chosen, one "American" weighs against what is still unknown
    ctx = _Context.build([], {}, Counter({"USA": 1}))
    assert 0.0 < ctx.country_share("USA") < 0.5
