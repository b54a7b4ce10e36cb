"""Event exports: PLOVER JSONL, POLECAT-style CSV, ACLED-style CSV, GDELT-2.0-style TSV.

Each writer takes ``(event, article, entities)`` triples, where ``entities`` maps
entity id -> :class:`~wirewatch.model.Entity` for that article, and a writable
text handle. Columns follow the public layout of each dataset; what we cannot
know honestly (fatalities, tone, Goldstein scores, CAMEO actor codes we do not
assign) is left empty, never guessed. Every format ends with our provenance
columns, and :func:`manifest` describes every column for the codebook file
written beside the export.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import IO, Any

from wirewatch.export.codes import country, goldstein
from wirewatch.export.incidents import (
    DEFAULT_UNIT,
    INCIDENT_COLUMNS,
    UNIT_ROWS,
    incident_values,
    mentions,
    notes,
)
from wirewatch.model import (
    Article,
    Entity,
    Event,
    EventDate,
    EventLocation,
    Participant,
    PlaceMention,
)
from wirewatch.nlp.codebook import COUNTED_MODALITIES, QUAD_OF_TYPE

Row = tuple[Event, Article, dict[str, Entity]]
NO_PLACE = EventLocation(None)
NO_DATE = EventDate(None)
CODER = "wirewatch"
CODEBOOK = "wirewatch-lexicon-1 (PLOVER 16 types)"
QUAD_NAMES = {1: "VERBAL COOPERATION", 2: "MATERIAL COOPERATION", 3: "VERBAL CONFLICT",
              4: "MATERIAL CONFLICT"}

PROVENANCE = [
    ("ww_event_id", "wirewatch event id (deterministic)"),
    ("ww_article_id", "wirewatch article id"),
    ("ww_sentence", "the sentence the event was coded from"),
    ("ww_trigger", "trigger words in that sentence"),
    ("ww_modality", "asserted | reported | planned (| historical | demanded | hypothetical | "
                    "negated when uncounted events are exported)"),
    ("ww_confidence", "overall confidence of the event, 0-1"),
    ("ww_pattern", "the lexicon rule that fired and the modality reason"),
    *INCIDENT_COLUMNS,
]


# How a location taken from the article (not the event's sentence) says so in its reason.
ARTICLE_PLACE = "from the article: "


def located(event: Event, article: Article, places: list[PlaceMention]) -> Event:
    """The event with the place the exports show: its own location (with the admin1 the
    gazetteer gives its place), else, at country precision, the one country of the places
    its sentence names, of the article's dateline, or that most of the article's places
    are in. The location's reason says which; None when the article says nothing."""
    loc = event.location
    if loc is not None and (loc.country or loc.lat is not None):
        if loc.admin1 or not loc.place_id:
            return event
        admin1 = next((pm.place.admin1 for pm in places
                       if pm.place.id == loc.place_id and pm.place.admin1), None)
        return event if admin1 is None else dataclasses.replace(
            event, location=dataclasses.replace(loc, admin1=admin1))
    iso3, why = _article_country(event, article, places)
    land = country(iso3)
    if land is None:
        return event
    if loc is not None:  # a place the gazetteer does not know: its country still counts
        why += f"; the sentence's place {loc.name!r} is not in the gazetteer"
    return dataclasses.replace(event, location=EventLocation(
        land.name, f"cc:{land.iso3}", land.lat, land.lon, "country", land.iso3,
        reason=ARTICLE_PLACE + why))


def _article_country(event: Event, article: Article, places: list[PlaceMention]
                     ) -> tuple[str | None, str]:
    own = {pm.place.country for pm in places
           if event.start <= pm.start and pm.end <= event.end and pm.place.country}
    if len(own) == 1:
        return own.pop(), "country of the places in the sentence"
    datelines = [(s.start, s.end) for s in article.segments if s.kind == "dateline"]
    for pm in places:
        if pm.place.country and any(a <= pm.start < b for a, b in datelines):
            return pm.place.country, f"country of the dateline ({pm.text})"
    counts = Counter(pm.place.country for pm in places if pm.place.country).most_common(2)
    if counts and (len(counts) == 1 or counts[0][1] > counts[1][1]):
        total = sum(1 for pm in places if pm.place.country)
        return counts[0][0], (f"the article's main country ({counts[0][1]} of {total} "
                              "place mentions)")
    return None, ""


def _rows(rows: Iterable[Row], include_uncounted: bool) -> Iterable[Row]:
    for row in rows:
        if include_uncounted or row[0].modality in COUNTED_MODALITIES:
            yield row


def _entity(part: Participant, entities: dict[str, Entity]) -> Entity | None:
    return entities.get(part.entity) if part.entity else None


def _name(part: Participant, entities: dict[str, Entity]) -> str:
    ent = _entity(part, entities)
    return ent.name if ent else part.text


def _provenance(event: Event, article: Article) -> list[Any]:
    return [event.id, article.id, event.sentence, event.trigger.text, event.modality,
            event.confidence, event.pattern or "", *incident_values(event)]


def _notes(event: Event) -> str:
    """The sentence, and for an incident its reports, sources and disagreements."""
    inc = getattr(event, "incident", None)
    return f"{event.sentence.strip()} [{notes(inc)}]" if inc else event.sentence


def _number(event: Event) -> int:
    """A number for the event id (its first 12 hex digits), for numeric id columns."""
    return int(event.id.split("_", 1)[1][:12], 16)


def _event_day(event: Event) -> str:
    value = (event.date.value if event.date else None) or ""
    return value[:10] if len(value) >= 10 and value[4] == "-" else ""


# ---------------------------------------------------------------------- PLOVER JSONL
def _plover_entity(part: Participant, entities: dict[str, Entity]) -> dict[str, Any]:
    ent = _entity(part, entities)
    out: dict[str, Any] = {"entity_text": part.text, "start": part.start, "end": part.end}
    if ent is not None:
        out.update({
            "code": ent.country,
            "sector": ent.sectors[0] if ent.sectors else None,
            "other_sector_codes": ent.sectors[1:],
            "identifier_id": ent.registry_id or ent.id,
            "identifier_text": ent.name,
            "office": ent.roles[0] if ent.roles else None,
        })
    return out


def plover_record(event: Event, article: Article, entities: dict[str, Entity]) -> dict[str, Any]:
    """One event as a PLOVER JSON record (manual's data fields plus our provenance)."""
    loc = event.location
    return {
        "id": event.id,
        "has_event": True,
        "date": _event_day(event) or None,
        "date_reason": event.date.reason if event.date else None,
        "actor": [_plover_entity(p, entities) for p in event.actors],
        "recipient": [_plover_entity(p, entities) for p in event.recipients],
        "event": [event.type],
        "event_loc": None if not loc else {
            "extracted_place": loc.name,
            "resolved_place": loc.name,
            "geonameid": loc.place_id,
            "lat": loc.lat,
            "lon": loc.lon,
            "country_code": loc.country,
            "resolution": {"country": 1, "region": 2, "city": 4, "site": 5}.get(
                loc.level or ""),
        },
        "event_text": [event.trigger.text],
        "quad_code": QUAD_OF_TYPE.get(event.type),
        "mode": [event.mode] if event.mode else [],
        "context": list(event.contexts),
        "text": event.sentence,
        "text_info": {"start": event.start, "end": event.end, "trigger_start": event.trigger.start,
                      "trigger_end": event.trigger.end},
        "cite_info": {
            "corpus": article.source,
            "citation": article.id,
            "url": article.url,
            "title": article.title,
            "language": article.language,
            "publication": article.source,
            "coder": CODER,
            "codebook": CODEBOOK,
        },
        "coder": CODER,
        "cameo": event.cameo,
        "modality": event.modality,
        "confidence": event.confidence,
        "field_confidence": event.field_confidence,
        "quote_id": event.quote_id,
        "pattern": event.pattern,
        "ww_article_id": article.id,
    }


def write_plover_jsonl(
    rows: Iterable[Row], fh: IO[str], *, include_uncounted: bool = False
) -> int:
    n = 0
    for event, article, entities in _rows(rows, include_uncounted):
        rec = plover_record(event, article, entities)
        if getattr(event, "incident", None):  # the row stands for an incident
            rec["ww_incident"] = dict(zip([c for c, _ in INCIDENT_COLUMNS],
                                          incident_values(event), strict=True))
        fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


# ---------------------------------------------------------------------- POLECAT CSV
POLECAT_COLUMNS = [
    ("Event ID", "event id (ours)"),
    ("Event Date", "event date YYYY-MM-DD (event's own date, else article date)"),
    ("Event Type", "PLOVER event type"),
    ("Event Mode", "PLOVER mode where the text gives one"),
    ("Event Intensity", "left empty: we do not score intensity"),
    ("Quad Code", "quad class derived from the PLOVER type"),
    ("Contexts", "PLOVER contexts, ';'-separated"),
    ("Actor Name", "canonical actor name(s), ';'-separated (compound actors split)"),
    ("Actor Country", "actor country (ISO3) from the actor registry"),
    ("Actor COW", "left empty: no Correlates-of-War codes"),
    ("Primary Actor Sector", "first sector code of the actor"),
    ("Actor Sectors", "all sector codes, ';'-separated"),
    ("Actor Title", "role of the actor as written in the article"),
    ("Actor Name Raw", "actor text as written in the sentence"),
    ("Wikipedia Actor ID", "registry/wikidata id where known"),
    ("Recipient Name", "canonical recipient name(s)"),
    ("Recipient Country", "recipient country (ISO3)"),
    ("Recipient COW", "left empty"),
    ("Primary Recipient Sector", "first sector code of the recipient"),
    ("Recipient Sectors", "all sector codes"),
    ("Recipient Title", "role as written"),
    ("Recipient Name Raw", "recipient text as written"),
    ("Wikipedia Recipient ID", "registry/wikidata id where known"),
    ("Placename", "resolved place of the event"),
    ("City", "place name when the place is a city"),
    ("District", "left empty"),
    ("Province", "first-level division where the gazetteer knows it, else the place name "
                 "when the place is a region"),
    ("Country", "country (ISO3) of the place; from the article (dateline, places) when the "
                "sentence names none, at country precision"),
    ("Latitude", "latitude of the place"),
    ("Longitude", "longitude of the place"),
    ("GeoNames ID", "place id from our gazetteer"),
    ("Raw Placename", "place text as written"),
    ("Feature Type", "place level: country | region | city | site"),
    ("Source", "publisher of the article"),
    ("Publication Date", "article publication date"),
    ("Story People", "left empty"),
    ("Story Organizations", "left empty"),
    ("Story Locations", "left empty"),
    ("Language", "article language"),
    ("Version", "wirewatch coder version"),
]


def _side(parts: list[Participant], entities: dict[str, Entity]) -> dict[str, str]:
    ents = [_entity(p, entities) for p in parts]
    sectors = [s for e in ents if e for s in e.sectors]
    return {
        "name": ";".join(_name(p, entities) for p in parts),
        "country": ";".join(sorted({e.country for e in ents if e and e.country})),
        "primary_sector": sectors[0] if sectors else "",
        "sectors": ";".join(dict.fromkeys(sectors)),
        "title": ";".join(e.roles[0] for e in ents if e and e.roles),
        "raw": ";".join(p.text for p in parts),
        "wiki": ";".join((e.registry_id or "") for e in ents if e and e.registry_id),
    }


def write_polecat_csv(
    rows: Iterable[Row], fh: IO[str], *, include_uncounted: bool = False
) -> int:
    from wirewatch.nlp.pipeline import PIPELINE_VERSION

    writer = csv.writer(fh)
    writer.writerow([c for c, _ in POLECAT_COLUMNS] + [c for c, _ in PROVENANCE])
    n = 0
    for event, article, entities in _rows(rows, include_uncounted):
        a, r = _side(event.actors, entities), _side(event.recipients, entities)
        loc = event.location or NO_PLACE
        level = loc.level or ""
        writer.writerow([
            event.id, _event_day(event), event.type, event.mode or "", "",
            QUAD_NAMES.get(QUAD_OF_TYPE.get(event.type, 0), ""), ";".join(event.contexts),
            a["name"], a["country"], "", a["primary_sector"], a["sectors"], a["title"], a["raw"],
            a["wiki"],
            r["name"], r["country"], "", r["primary_sector"], r["sectors"], r["title"], r["raw"],
            r["wiki"],
            (loc.name or ""), (loc.name or "") if level == "city" else "", "",
            loc.admin1 or ((loc.name or "") if level == "region" else ""), loc.country or "",
            _num(loc.lat), _num(loc.lon), loc.place_id or "",
            (loc.name or ""), level,
            article.source or "", (article.published or "")[:10], "", "", "",
            article.language, PIPELINE_VERSION,
            *_provenance(event, article),
        ])
        n += 1
    return n


# ---------------------------------------------------------------------- ACLED CSV
ACLED_COLUMNS = [
    ("event_id_cnty", "ISO3 of the event's country + a number derived from our event id "
                      "(deterministic; ACLED's own numbering is not reproduced)"),
    ("event_date", "event date YYYY-MM-DD"),
    ("year", "event year"),
    ("time_precision", "1 when the sentence dates the event to a day, 2 for a week/month, "
                       "3 when only the article date is known"),
    ("disorder_type", "Political violence | Demonstrations | Political violence; "
                      "Demonstrations | Strategic developments, from the event type"),
    ("event_type", "ACLED event type from the PLOVER type, mode and target "
                   "(export/data/acled_map.yaml, docs/exports.md); events ACLED does not "
                   "record are left out and counted in the codebook's left_out note"),
    ("sub_event_type", "ACLED sub-event type, from the same table"),
    ("actor1", "actor name; an unnamed actor gets ACLED's generic name (Unidentified Armed "
               "Group (Country), Protesters (Country), ...)"),
    ("assoc_actor_1", "further actors of a compound actor, ';'-separated"),
    ("inter1", "ACLED actor type of actor1 (1 state forces, 2 rebel groups, 3 political "
               "militias, 4 identity militias, 5 rioters, 6 protesters, 7 civilians, 8 "
               "external/other forces) from the actor's kind and sectors; empty when unknown"),
    ("actor2", "recipient name (generic name when unnamed, as actor1)"),
    ("assoc_actor_2", "further recipients"),
    ("inter2", "ACLED actor type of actor2"),
    ("interaction", "inter1 and inter2, lower first (one actor alone: its code x 10)"),
    ("civilian_targeting", "'Civilian targeting' when political violence targets civilians "
                           "(inter2 7)"),
    ("iso", "ISO 3166-1 numeric code of the country"),
    ("region", "ACLED region of the country"),
    ("country", "country name"),
    ("admin1", "first-level division where the gazetteer knows it"),
    ("admin2", "left empty"),
    ("admin3", "left empty"),
    ("location", "place name (the country's name when only the country is known)"),
    ("latitude", "latitude"),
    ("longitude", "longitude"),
    ("geo_precision", "1 town/site, 2 region or admin division, 3 country only"),
    ("source", "publisher"),
    ("source_scale", "left empty"),
    ("notes", "the sentence the event was coded from; for an incident, then its reports, "
              "sources and disagreements in brackets"),
    ("fatalities", "killed count the article states for this event (the lower bound of 'at "
                   "least N'); for an incident the figure its reports agree on, else the "
                   "lowest stated; 0 when none is stated, as ACLED codes unreported "
                   "fatalities"),
    ("tags", "PLOVER type, mode and CAMEO code; 'location: ...' when the place comes from "
             "the article rather than the sentence"),
    ("timestamp", "export time (Unix seconds)"),
]


def acled_row(event: Event, article: Article, entities: dict[str, Entity], stamp: int
              ) -> tuple[list[Any] | None, str]:
    """One event as an ACLED row, or None and the reason ACLED has no type for it."""
    from wirewatch.export import acled

    kind, why = acled.acled_type(event, entities)
    if kind is None:
        return None, why
    day = _event_day(event)
    date = event.date or NO_DATE
    if date.reason == "article date":
        precision = 3
    else:
        precision = {"day": 1, "week": 2, "month": 2}.get(date.granularity or "", 3)
    loc = event.location or NO_PLACE
    land = country(loc.country)
    name = land.name if land else None
    side1 = acled.actors(event.actors, entities, kind, loc.country, name, 1)
    side2 = acled.actors(event.recipients, entities, kind, loc.country, name, 2)
    a1, a2 = (side1[0] if side1 else None), (side2[0] if side2 else None)
    inter1, inter2 = (a1.inter if a1 else None), (a2.inter if a2 else None)
    civilian = kind.disorder_type.startswith("Political violence") and inter2 == 7
    level = loc.level or ""
    tags = [x for x in (event.type, event.mode or "", event.cameo or "") if x]
    if loc.reason and loc.reason.startswith(ARTICLE_PLACE):
        tags.append(f"location: {loc.reason}")
    return [
        f"{loc.country or 'XXX'}{_number(event)}", day, day[:4], precision if day else "",
        kind.disorder_type, kind.event_type, kind.sub_event_type,
        a1.name if a1 else "", ";".join(a.name for a in side1[1:]), _num(inter1),
        a2.name if a2 else "", ";".join(a.name for a in side2[1:]), _num(inter2),
        _num(acled.interaction(inter1, inter2)), "Civilian targeting" if civilian else "",
        _num(land.iso_numeric) if land else "", land.region if land else "", name or "",
        loc.admin1 or "", "", "", loc.name or "", _num(loc.lat), _num(loc.lon),
        {"city": 1, "site": 1, "region": 2, "country": 3}.get(level, ""),
        article.source or "", "", _notes(event), _fatalities(event), ";".join(tags), stamp,
        *_provenance(event, article),
    ], ""


def _fatalities(event: Event) -> int:
    """ACLED fatalities: the killed count the text states for this event, else 0."""
    killed = (event.casualties or {}).get("killed")
    return killed if isinstance(killed, int) else 0


def write_acled_csv(
    rows: Iterable[Row], fh: IO[str], *, include_uncounted: bool = False,
    now: datetime | None = None, left_out: Counter[str] | None = None,
) -> int:
    """ACLED-style CSV; an event ACLED has no type for is left out and counted in
    ``left_out`` (reason -> events)."""
    stamp = int((now or datetime.now(UTC)).timestamp())
    writer = csv.writer(fh)
    writer.writerow([c for c, _ in ACLED_COLUMNS] + [c for c, _ in PROVENANCE])
    n = 0
    for event, article, entities in _rows(rows, include_uncounted):
        row, why = acled_row(event, article, entities, stamp)
        if row is None:
            if left_out is not None:
                left_out[why] += 1
            continue
        writer.writerow(row)
        n += 1
    return n


# ---------------------------------------------------------------------- GDELT TSV
_GDELT_ACTOR = ["Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
                "Religion2Code", "Type1Code", "Type2Code", "Type3Code"]
_GDELT_GEO = ["Type", "Fullname", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long",
              "FeatureID"]
GDELT_COLUMNS = (
    [("GlobalEventID", "integer derived from our event id (first 12 hex digits)"),
     ("Day", "event date YYYYMMDD"), ("MonthYear", "YYYYMM"), ("Year", "YYYY"),
     ("FractionDate", "year + (month*30 + day)/365, as GDELT computes it")]
    + [(f"Actor1{c}", "actor: " + d) for c, d in zip(_GDELT_ACTOR, [
        "country ISO3 + first sector when both known", "canonical actor name",
        "country ISO3", "left empty", "left empty", "left empty", "left empty",
        "first sector code", "second sector code", "third sector code"], strict=True)]
    + [(f"Actor2{c}", "recipient: " + d) for c, d in zip(_GDELT_ACTOR, [
        "country ISO3 + first sector when both known", "canonical recipient name",
        "country ISO3", "left empty", "left empty", "left empty", "left empty",
        "first sector code", "second sector code", "third sector code"], strict=True)]
    + [("IsRootEvent", "left empty"),
       ("EventCode", "CAMEO code of the lexicon rule (empty when none maps)"),
       ("EventBaseCode", "first 3 digits of EventCode"),
       ("EventRootCode", "first 2 digits of EventCode"),
       ("QuadClass", "1-4 from the PLOVER type"),
       ("GoldsteinScale", "Goldstein scale of the CAMEO root code (export/data/goldstein.yaml); "
                          "empty when no CAMEO code maps"),
       ("NumMentions", "1: one mention in one article; for an incident, its member events"),
       ("NumSources", "1; for an incident, the distinct outlets that reported it"),
       ("NumArticles", "1; for an incident, the articles that reported it"),
       ("AvgTone", "left empty: no tone is computed")]
    + [(f"Actor1Geo_{c}", "left empty: actor locations are not coded") for c in _GDELT_GEO]
    + [(f"Actor2Geo_{c}", "left empty") for c in _GDELT_GEO]
    + [(f"ActionGeo_{c}", d) for c, d in zip(_GDELT_GEO, [
        "1 country, 2 US state, 3 US city, 4 world city/site, 5 world region (GDELT's "
        "scheme)", "place name (the country's when only the country is known)",
        "FIPS 10-4 country code, as GDELT uses", "FIPS country code for a country-level "
        "place (GDELT's convention), else empty: we have no FIPS admin codes",
        "left empty", "latitude", "longitude", "place id"], strict=True)]
    + [("DATEADDED", "export time YYYYMMDDHHMMSS"), ("SOURCEURL", "article URL")]
)


def _gdelt_actor(parts: list[Participant], entities: dict[str, Entity]) -> list[str]:
    if not parts:
        return [""] * len(_GDELT_ACTOR)
    ent = _entity(parts[0], entities)
    country = ent.country if ent and ent.country else ""
    sectors = list(ent.sectors) if ent else []
    code = country + (sectors[0] if sectors else "") if country else ""
    return [code, _name(parts[0], entities).upper(), country, "", "", "", "",
            *(sectors + ["", "", ""])[:3]]


def _gdelt_geo(loc: EventLocation | None) -> list[Any]:
    if loc is None:
        return [""] * len(_GDELT_GEO)
    level, us = loc.level or "", loc.country == "USA"
    kind = {"country": 1, "region": 2 if us else 5, "city": 3 if us else 4,
            "site": 3 if us else 4}.get(level, "")
    land = country(loc.country)
    fips = land.fips if land else ""
    return [kind, loc.name or "", fips, fips if level == "country" else "", "",
            _num(loc.lat), _num(loc.lon), loc.place_id or ""]


def write_gdelt_tsv(
    rows: Iterable[Row], fh: IO[str], *, include_uncounted: bool = False,
    now: datetime | None = None,
) -> int:
    added = (now or datetime.now(UTC)).strftime("%Y%m%d%H%M%S")
    writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
    writer.writerow([c for c, _ in GDELT_COLUMNS] + [c for c, _ in PROVENANCE])
    n = 0
    for event, article, entities in _rows(rows, include_uncounted):
        day = _event_day(event)
        frac = ""
        if day:
            y, m, d = int(day[:4]), int(day[5:7]), int(day[8:10])
            frac = f"{y + (m * 30 + d) / 365:.4f}"
        cameo = event.cameo or ""
        writer.writerow([
            _number(event), day.replace("-", ""),
            day.replace("-", "")[:6], day[:4], frac,
            *_gdelt_actor(event.actors, entities), *_gdelt_actor(event.recipients, entities),
            "", cameo, cameo[:3], cameo[:2], QUAD_OF_TYPE.get(event.type, ""),
            _num(goldstein(cameo)), *mentions(event), "",
            *([""] * len(_GDELT_GEO)), *([""] * len(_GDELT_GEO)), *_gdelt_geo(event.location),
            added, article.url or "",
            *[str(v).replace("\t", " ").replace("\n", " ") for v in _provenance(event, article)],
        ])
        n += 1
    return n


def _num(value: Any) -> str:
    return "" if value is None else str(value)


# ---------------------------------------------------------------------- manifest
PLOVER_FIELDS = [
    ("id", "event id"), ("has_event", "always true"),
    ("date", "event date YYYY-MM-DD (own date from the sentence, else article date)"),
    ("date_reason", "why that date"),
    ("actor", "list of entity objects: entity_text, start, end, code (country), sector, "
              "identifier_id, identifier_text, office"),
    ("recipient", "list of entity objects, as actor"), ("event", "[PLOVER type]"),
    ("event_loc", "location object (extracted_place, resolved_place, lat, lon, country_code, "
                  "resolution)"),
    ("event_text", "[trigger text]"), ("quad_code", "1-4 from the PLOVER type"),
    ("mode", "[PLOVER mode]"), ("context", "[PLOVER contexts]"),
    ("text", "the sentence"), ("text_info", "character offsets of sentence and trigger"),
    ("cite_info", "corpus, citation (article id), url, title, language, publication, coder, "
                  "codebook"),
    ("coder", "wirewatch"), ("cameo", "CAMEO code where one maps"),
    ("modality", "asserted | reported | planned (more with uncounted events)"),
    ("confidence", "0-1"), ("field_confidence", "confidence per field"),
    ("quote_id", "quote the event was found in"), ("pattern", "rule id | modality reason"),
    ("ww_article_id", "article id"),
]
_FORMATS = {
    "plover": ("PLOVER JSON Lines, one event per line", PLOVER_FIELDS, []),
    "polecat": ("POLECAT-style CSV (weekly release columns)", POLECAT_COLUMNS, PROVENANCE),
    "acled": ("ACLED-style CSV (published ACLED columns)", ACLED_COLUMNS, PROVENANCE),
    "gdelt": ("GDELT 2.0 event table layout, tab-separated, 61 columns", GDELT_COLUMNS,
              PROVENANCE),
}


def manifest(fmt: str, unit: str | None = None, left_out: Counter[str] | None = None
             ) -> dict[str, Any]:
    """Codebook for an export format: every column, what it holds and how it is filled;
    with ``left_out``, the note of the events (or incidents) one export left out and why."""
    if fmt not in _FORMATS:
        raise ValueError(f"unknown event export format {fmt!r}; use one of {sorted(_FORMATS)}")
    title, columns, provenance = _FORMATS[fmt]
    unit = unit or DEFAULT_UNIT[fmt]
    return {
        "format": fmt,
        "title": title,
        "coder": CODER,
        "codebook": CODEBOOK,
        "events": "counted events only (hypothetical, negated and demanded actions left out) "
                  "unless exported with include_uncounted",
        "unit": unit,
        "rows": UNIT_ROWS[unit],
        "columns": [{"name": n, "description": d} for n, d in columns]
        + [{"name": n, "description": d, "provenance": True} for n, d in provenance],
        **({"left_out": {"events": sum(left_out.values()), "reasons": dict(
            left_out.most_common())}} if left_out is not None else {}),
    }
