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
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import IO, Any

from wirewatch.export.incidents import (
    DEFAULT_UNIT,
    INCIDENT_COLUMNS,
    UNIT_ROWS,
    incident_values,
    mentions,
    notes,
)
from wirewatch.model import Article, Entity, Event, EventDate, EventLocation, Participant
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
    ("Province", "place name when the place is a region"),
    ("Country", "country (ISO3) of the place"),
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
            (loc.name or "") if level == "region" else "", loc.country or "",
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
    ("event_id_cnty", "our event id (ACLED's country-prefixed numbering is not reproduced)"),
    ("event_date", "event date YYYY-MM-DD"),
    ("year", "event year"),
    ("time_precision", "1 when the sentence dates the event to a day, 2 for a week/month, "
                       "3 when only the article date is known"),
    ("disorder_type", "Political violence (ASSAULT), Demonstrations (PROTEST), "
                      "Strategic developments (every other PLOVER type)"),
    ("event_type", "ACLED event type derived from PLOVER type and mode; empty where the "
                   "text does not decide it (e.g. battle vs violence against civilians)"),
    ("sub_event_type", "ACLED sub-event type where our mode maps to one"),
    ("actor1", "actor name(s)"),
    ("assoc_actor_1", "further members of a compound actor"),
    ("inter1", "left empty: ACLED interaction codes are not assigned"),
    ("actor2", "recipient name(s)"),
    ("assoc_actor_2", "further recipients"),
    ("inter2", "left empty"),
    ("interaction", "left empty"),
    ("civilian_targeting", "left empty"),
    ("iso", "left empty: ACLED uses ISO numeric codes"),
    ("region", "left empty"),
    ("country", "country (ISO3) of the event place"),
    ("admin1", "region name when the place is a region"),
    ("admin2", "left empty"),
    ("admin3", "left empty"),
    ("location", "place name"),
    ("latitude", "latitude"),
    ("longitude", "longitude"),
    ("geo_precision", "1 city/site, 2 region, 3 country"),
    ("source", "publisher"),
    ("source_scale", "left empty"),
    ("notes", "the sentence the event was coded from; for an incident, then its reports, "
              "sources and disagreements in brackets"),
    ("fatalities", "killed count the article states for the attack (event.casualties); "
                   "for an incident the figure its reports agree on, else the lowest stated; "
                   "empty when none is stated"),
    ("tags", "PLOVER type, mode and CAMEO code"),
    ("timestamp", "export time (Unix seconds)"),
]
_ACLED_SUB = {
    "aerial": ("Explosions/Remote violence", "Air/drone strike"),
    "drone": ("Explosions/Remote violence", "Air/drone strike"),
    "suicide-attack": ("Explosions/Remote violence", "Suicide bomb"),
    "explosives": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "heavy-weapons": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "abduct": ("Violence against civilians", "Abduction/forced disappearance"),
    "sexual": ("Violence against civilians", "Sexual violence"),
    "riot": ("Riots", "Violent demonstration"),
    "demo": ("Protests", "Peaceful protest"),
    "hunger": ("Protests", "Peaceful protest"),
    "arrest": ("Strategic developments", "Arrests"),
    "destroy": ("Strategic developments", "Looting/property destruction"),
}
_ACLED_TYPE_SUB = {
    "AGREE": "Agreement", "SUPPORT": "Agreement", "RETREAT": "Agreement",
    "CONSULT": "Other", "MOBILIZE": "Other",
}


def _acled_types(event: Event) -> tuple[str, str, str]:
    if event.type == "ASSAULT":
        disorder = "Political violence"
    elif event.type == "PROTEST":
        disorder = "Demonstrations"
    else:
        disorder = "Strategic developments"
    etype, sub = _ACLED_SUB.get(event.mode or "", ("", ""))
    if not etype:
        if event.type == "PROTEST":
            etype = "Protests"
        elif disorder == "Strategic developments":
            etype, sub = "Strategic developments", _ACLED_TYPE_SUB.get(event.type, "")
    return disorder, etype, sub


def _fatalities(event: Event) -> int | str:
    """ACLED fatalities: the killed count the text states for this attack, else empty."""
    killed = (getattr(event, "casualties", None) or {}).get("killed")
    return killed if isinstance(killed, int) else ""


def write_acled_csv(
    rows: Iterable[Row], fh: IO[str], *, include_uncounted: bool = False,
    now: datetime | None = None,
) -> int:
    stamp = int((now or datetime.now(UTC)).timestamp())
    writer = csv.writer(fh)
    writer.writerow([c for c, _ in ACLED_COLUMNS] + [c for c, _ in PROVENANCE])
    n = 0
    for event, article, entities in _rows(rows, include_uncounted):
        day = _event_day(event)
        date = event.date or NO_DATE
        if date.reason == "article date":
            precision = 3
        else:
            precision = {"day": 1, "week": 2, "month": 2}.get(date.granularity or "", 3)
        disorder, etype, sub = _acled_types(event)
        actors = [_name(p, entities) for p in event.actors]
        recips = [_name(p, entities) for p in event.recipients]
        loc = event.location or NO_PLACE
        level = loc.level or ""
        writer.writerow([
            event.id, day, day[:4], precision if day else "", disorder, etype, sub,
            actors[0] if actors else "", ";".join(actors[1:]), "",
            recips[0] if recips else "", ";".join(recips[1:]), "", "", "", "", "",
            loc.country or "", (loc.name or "") if level == "region" else "", "", "",
            (loc.name or ""), _num(loc.lat), _num(loc.lon),
            {"city": 1, "site": 1, "region": 2, "country": 3}.get(level, ""),
            article.source or "", "", _notes(event), _fatalities(event),
            ";".join(x for x in (event.type, event.mode or "", event.cameo or "") if x), stamp,
            *_provenance(event, article),
        ])
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
       ("GoldsteinScale", "left empty: no Goldstein score is assigned"),
       ("NumMentions", "1: one mention in one article; for an incident, its member events"),
       ("NumSources", "1; for an incident, the distinct outlets that reported it"),
       ("NumArticles", "1; for an incident, the articles that reported it"),
       ("AvgTone", "left empty: no tone is computed")]
    + [(f"Actor1Geo_{c}", "left empty: actor locations are not coded") for c in _GDELT_GEO]
    + [(f"Actor2Geo_{c}", "left empty") for c in _GDELT_GEO]
    + [(f"ActionGeo_{c}", d) for c, d in zip(_GDELT_GEO, [
        "1 country, 5 region, 4 city/site (non-US GDELT scheme)", "place name",
        "left empty: GDELT uses FIPS country codes; our ISO3 is in ww columns of the place",
        "left empty", "left empty", "latitude", "longitude", "place id"], strict=True)]
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
        loc = event.location
        geo = [""] * len(_GDELT_GEO)
        if loc is not None:
            geo = [{"country": 1, "region": 5, "city": 4, "site": 4}.get(loc.level or "",
                                                                         ""),
                   (loc.name or ""), "", "", "", _num(loc.lat), _num(loc.lon),
                   loc.place_id or ""]
        writer.writerow([
            int(event.id.split("_", 1)[1][:12], 16), day.replace("-", ""),
            day.replace("-", "")[:6], day[:4], frac,
            *_gdelt_actor(event.actors, entities), *_gdelt_actor(event.recipients, entities),
            "", cameo, cameo[:3], cameo[:2], QUAD_OF_TYPE.get(event.type, ""), "",
            *mentions(event), "",
            *([""] * len(_GDELT_GEO)), *([""] * len(_GDELT_GEO)), *geo,
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


def manifest(fmt: str, unit: str | None = None) -> dict[str, Any]:
    """Codebook for an export format: every column, what it holds and how it is filled."""
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
    }
