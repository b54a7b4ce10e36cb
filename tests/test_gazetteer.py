"""The offline gazetteer: data files, lookups, helpers and start-up cost."""

from __future__ import annotations

import json
import time

import pytest
import yaml

from wirewatch.nlp.gazetteer import (
    DATA_DIR,
    get_gazetteer,
    haversine_km,
    normalize,
)

LEVELS = {"country", "region", "city", "site"}


@pytest.fixture(scope="session")
def gaz():
    return get_gazetteer()


def test_normalize_folds_case_accents_dots_and_abbreviations():
    assert normalize("St. Louis") == normalize("Saint Louis")
    assert normalize("Ft. Worth") == "fort worth"
    assert normalize("Québec") == normalize("Quebec")
    assert normalize("the Gaza Strip") == "gaza strip"
    assert normalize("Jurf al-Sakhar") == normalize("Jurf al Sakhar")
    assert normalize("Stanton") == "stanton"  # "st" inside a word is not Saint


def test_haversine_known_distance():
    # Baghdad to Basra is roughly 450 km.
    assert 420 < haversine_km(33.34, 44.40, 30.51, 47.78) < 480


def test_shipped_data_is_small():
    total = sum(p.stat().st_size for p in DATA_DIR.iterdir() if p.is_file())
    assert total < 10 * 1024 * 1024


def test_country_file_has_centres_not_capitals():
    countries = json.loads((DATA_DIR / "countries.json").read_text(encoding="utf-8"))
    assert len(countries) > 240
    for iso3, c in countries.items():
        assert len(iso3) == 3 and iso3.isupper()
        assert -90 <= c["lat"] <= 90 and -180 <= c["lon"] <= 180
    # Iraq's centre lies well away from Baghdad; the US centre is in Kansas.
    iraq = countries["IRQ"]
    assert haversine_km(iraq["lat"], iraq["lon"], 33.34, 44.40) > 30
    usa = countries["USA"]
    assert 37 < usa["lat"] < 41 and -101 < usa["lon"] < -95


def test_regions_file_is_well_formed():
    rows = yaml.safe_load((DATA_DIR / "regions.yaml").read_text(encoding="utf-8"))
    countries = json.loads((DATA_DIR / "countries.json").read_text(encoding="utf-8"))
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    for r in rows:
        assert r["level"] in LEVELS, r
        assert -90 <= r["lat"] <= 90 and -180 <= r["lon"] <= 180, r
        assert r.get("country") is None or r["country"] in countries, r
    names = {r["name"] for r in rows}
    for needed in ("Middle East", "Sahel", "Levant", "Kurdistan Region", "Anbar", "Nineveh",
                   "Jurf al-Sakhar", "Ain al-Asad air base", "Camp Victory",
                   "Baghdad International Airport", "Green Zone", "Gaza Strip", "West Bank",
                   "Golan Heights", "Donbas", "Crimea", "Darfur", "Kordofan",
                   "Liptako-Gourma", "Kerem Shalom", "Rafah crossing", "Al-Tanf"):
        assert needed in names, needed


def test_lookup_city_country_region(gaz):
    baghdad = max(gaz.lookup("Baghdad"), key=lambda e: e.population)
    assert baghdad.country == "IRQ" and baghdad.level == "city"
    assert baghdad.id.startswith("gn:")
    assert haversine_km(baghdad.lat, baghdad.lon, 33.34, 44.40) < 10

    iraq = [e for e in gaz.lookup("Iraq") if e.level == "country"]
    assert iraq and iraq[0].id == "cc:IRQ" and iraq[0].country == "IRQ"

    us = [e.id for e in gaz.lookup("U.S.")]
    assert "cc:USA" in us
    assert gaz.lookup("Middle East")[0].id == "ww:middle-east"
    assert gaz.lookup("Kurdistan Region")[0].country == "IRQ"


def test_us_states_counties_and_abbreviations(gaz):
    assert gaz.state_abbrev("Ga.").name == "Georgia"
    assert gaz.state_abbrev("W.Va.").name == "West Virginia"
    assert gaz.state_abbrev("CA").name == "California"
    assert gaz.state_abbrev("Me") is None  # a word, not "Maine"
    parish = [e for e in gaz.lookup("Rapides Parish") if e.kind == "county"]
    assert parish and parish[0].admin1 == "Louisiana"
    assert 30 < parish[0].lat < 32.5
    # Bare county names are candidates too ("Barrow" for Barrow County).
    assert any(e.kind == "county" and e.admin1 == "Georgia" for e in gaz.lookup("Barrow"))


def test_demonyms_map_to_countries(gaz):
    assert gaz.demonym("Iraqi") == "IRQ"
    assert gaz.demonym("Israeli") == "ISR"
    assert gaz.demonym("Baghdad") is None


def test_shared_demonyms_mean_the_main_country(gaz):
    # the country file lists "American" for the Northern Mariana Islands too, and
    # "French" for France's overseas territories
    assert gaz.demonym("American") == "USA"
    assert gaz.demonym("French") == "FRA"
    assert gaz.demonym("Indian") == "IND"
    assert gaz.demonym("Dominican") == "DOM"


def test_cached_gazetteer_is_shared_and_fast(gaz):
    assert get_gazetteer() is gaz
    start = time.perf_counter()
    for _ in range(1000):
        gaz.lookup("Springfield")
    assert time.perf_counter() - start < 1.0
