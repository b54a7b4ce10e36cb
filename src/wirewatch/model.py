"""Record types shared by ingest, the NLP pipeline, the store and the exports.

Every offset is a Python string index into ``Article.text``, end exclusive.
Records are plain dataclasses so they pickle across worker processes and
serialise to the JSON documented in ``docs/schema.md``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, TypeVar

SCHEMA_VERSION = "1.0"
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")

SEGMENT_KINDS = ("headline", "body", "caption", "byline", "dateline", "boilerplate")
PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
MODALITIES = (
    "asserted", "hypothetical", "planned", "demanded", "negated", "reported", "historical",
)
# Hypothetical and negated events never count by default; a demanded action is the
# content of a REQUEST (which itself counts), not something that happened; historical
# background restates older events, and counting it is how one story becomes many events.
UNCOUNTED_MODALITIES = ("hypothetical", "negated", "demanded", "historical")
COUNTED_MODALITIES = tuple(m for m in MODALITIES if m not in UNCOUNTED_MODALITIES)

# CAMEO quad classes by PLOVER type: verbal/material cooperation, verbal/material conflict.
# PROTEST (CAMEO 14) is material conflict in both CAMEO and the PLOVER manual. CONCEDE
# follows CAMEO's root 08 (material cooperation), as GDELT's QuadClass does; the PLOVER
# manual files it under verbal cooperation.
QUAD_OF_TYPE = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1,
    "COOPERATE": 2, "AID": 2, "CONCEDE": 2, "RETREAT": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3,
    "PROTEST": 4, "SANCTION": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}
QUAD_NAMES = {1: "VERBAL COOPERATION", 2: "MATERIAL COOPERATION", 3: "VERBAL CONFLICT",
              4: "MATERIAL CONFLICT"}
QUOTE_KINDS = ("direct", "indirect", "mixed")
RELATION_TYPES = (
    "holds_role", "member_of", "part_of", "backed_by", "leader_of",
    "affiliated_with", "allied_with", "opposed_to", "based_in",
)


_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def valid_date(value: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a real calendar date."""
    import datetime

    if not _DATE.match(value):
        return False
    y, m, d = (value.split("-") + ["01", "01"])[:3]
    try:
        datetime.date(int(y), int(m), int(d))
    except ValueError:
        return False
    return True


def event_day(row: dict[str, Any]) -> str:
    """A calendar day to place an event on: its own date when that is a day, else its
    article's (a value such as PRESENT_REF or 2017 is not a day on a timeline)."""
    for value in (row.get("date"), row.get("published")):
        if value and ISO_DAY.match(value):
            return value[:10]
    return ""


def counted(modality: str | None) -> bool:
    """Whether an event with this modality counts as something that happened."""
    return modality in COUNTED_MODALITIES


T = TypeVar("T")


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """A record from its JSON form (``asdict``'s inverse); unknown keys are ignored, nested
    records are rebuilt from the field types, so a stored record reads back typed."""
    hints = _NESTED.get(cls, {})
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name not in data:
            continue
        value = data[f.name]
        nested = hints.get(f.name)
        if nested is not None and value is not None:
            kind, sub = nested
            value = ([from_dict(sub, v) for v in value] if kind == "list"
                     else from_dict(sub, value))
        kwargs[f.name] = value
    return cls(**kwargs)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def as_dict(obj: Any) -> Any:
    """``dataclasses.asdict`` for our records, the same output, several times faster: the
    field names of each class are looked up once, and strings and numbers (most of a
    record) are returned as they are instead of going through ``copy.deepcopy``."""
    cls = type(obj)
    if cls in (str, int, float, bool) or obj is None:
        return obj
    names = _FIELD_NAMES.get(cls)
    if names is None and dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(obj))
    if names is not None:
        return {n: as_dict(getattr(obj, n)) for n in names}
    if cls is list:
        return [as_dict(v) for v in obj]
    if cls is dict:
        return {as_dict(k): as_dict(v) for k, v in obj.items()}
    return _asdict_other(obj)


def _asdict_other(obj: Any) -> Any:
    """Tuples, sets and anything else exactly as ``dataclasses.asdict`` treats them."""
    import copy

    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*[as_dict(v) for v in obj])
    if isinstance(obj, (list, tuple)):
        return type(obj)(as_dict(v) for v in obj)
    if isinstance(obj, dict):
        return type(obj)((as_dict(k), as_dict(v)) for k, v in obj.items())
    return copy.deepcopy(obj)


def content_id(prefix: str, *parts: object) -> str:
    """Deterministic id: the same inputs give the same id on every run and machine."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}_{digest[:16]}"


@dataclass
class Segment:
    start: int
    end: int
    kind: str  # one of SEGMENT_KINDS


@dataclass
class Removed:
    """A line cleaned out of the text (share widgets, ads); kept so nothing is silently lost."""

    text: str
    kind: str
    reason: str


@dataclass
class Article:
    id: str
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None  # ISO date or datetime
    published_from: str | None = None  # metadata | dateline | text | html | None
    byline: str | None = None
    language: str = "en"
    segments: list[Segment] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    origin: str | None = None  # file path (and line) it was read from
    warnings: list[str] = field(default_factory=list)  # e.g. decoded as cp1252
    duplicate_of: str | None = None  # id of an earlier near-copy (same wire story)
    external_id: str | None = None  # the id the source gave it (JSONL "id")

    def segment_at(self, offset: int) -> str:
        for seg in self.segments:
            if seg.start <= offset < seg.end:
                return seg.kind
        return "body"


@dataclass
class Mention:
    start: int
    end: int
    text: str
    label: str | None = None  # the mention's own label (a NORP word can name a country's people)


@dataclass
class Entity:
    """One actor or named thing in one article, with all its mentions.

    ``id`` is the actor's global id (registry id, or a hash of type and
    normalised name), so the same actor across articles shares one id.
    """

    id: str
    name: str
    type: str
    mentions: list[Mention] = field(default_factory=list)
    registry_id: str | None = None
    kind: str | None = None  # state, armed_group, person, media, ...
    sectors: list[str] = field(default_factory=list)
    country: str | None = None
    roles: list[str] = field(default_factory=list)  # roles as written in this article
    confidence: float = 0.5


@dataclass
class Quote:
    id: str
    start: int
    end: int
    content: str
    content_spans: list[list[int]]
    kind: str  # direct | indirect | mixed
    speaker: str | None  # entity id, or None for unnamed / unresolved sources
    speaker_text: str | None
    speaker_span: list[int] | None
    speaker_role: str | None
    cue: str | None
    cue_span: list[int] | None
    addressee: str | None
    sentence: str
    sentence_span: list[int]
    confidence: float
    speaker_kind: str = "named"  # named | unnamed | unresolved


@dataclass
class Participant:
    entity: str | None  # entity id
    text: str
    start: int
    end: int


@dataclass
class EventDate:
    """When an event happened, as far as the text says, and why we think so."""

    value: str | None  # ISO date (or YYYY-MM, YYYY, a TIMEX3 value such as PRESENT_REF)
    granularity: str | None = None
    reason: str | None = None  # "expression in sentence", "article date", "reviewed", ...
    time_id: str | None = None  # the TimeExpr it came from


@dataclass
class EventLocation:
    """Where an event happened, at the precision the text gives."""

    name: str | None
    place_id: str | None = None
    lat: float | None = None
    lon: float | None = None
    level: str | None = None  # country | region | city | site
    country: str | None = None  # ISO3
    admin1: str | None = None
    reason: str | None = None


@dataclass
class EventMention:
    """A further mention, in the same article, of the happening an event records: the
    trigger and sentence it was read from, kept as evidence (one happening, one event)."""

    id: str  # the id the mention would have had as an event of its own
    start: int  # sentence span
    end: int
    trigger: Mention
    sentence: str


@dataclass
class Event:
    id: str
    type: str  # PLOVER type
    start: int  # sentence span
    end: int
    trigger: Mention
    actors: list[Participant]
    recipients: list[Participant]
    modality: str
    sentence: str
    confidence: float
    mode: str | None = None
    contexts: list[str] = field(default_factory=list)
    cameo: str | None = None
    date: EventDate | None = None
    location: EventLocation | None = None
    field_confidence: dict[str, float] = field(default_factory=dict)
    quote_id: str | None = None
    pattern: str | None = None  # which rule fired, for transparency
    # ASSAULT: {killed, injured, lower_bound, evidence: {start, end, text}} as the text states
    casualties: dict[str, Any] | None = None
    # later mentions of the same happening, in text order (the trigger is the first)
    also: list[EventMention] = field(default_factory=list)

    def __post_init__(self) -> None:
        # The pipeline's steps hand these over as plain dicts; the record holds them typed.
        if isinstance(self.date, dict):
            self.date = from_dict(EventDate, self.date)
        if isinstance(self.location, dict):
            self.location = from_dict(EventLocation, self.location)


@dataclass
class Relation:
    id: str
    type: str  # one of RELATION_TYPES
    subject: str  # entity id
    subject_text: str
    object: str | None  # entity id (None when the object is only a role/office string)
    object_text: str
    start: int  # evidence span
    end: int
    sentence: str
    confidence: float
    role: str | None = None  # office title for holds_role
    observed_at: str | None = None


@dataclass
class TimeExpr:
    id: str
    start: int
    end: int
    text: str
    type: str  # DATE | TIME | DURATION | SET
    value: str | None
    granularity: str | None
    uncertain: bool
    reason: list[str]
    confidence: float


@dataclass
class Place:
    id: str
    name: str
    lat: float | None
    lon: float | None
    country: str | None  # ISO3
    admin1: str | None
    level: str  # country | region | city | site


@dataclass
class PlaceMention:
    id: str
    start: int
    end: int
    text: str
    place: Place
    confidence: float


@dataclass
class ArticleRecord:
    article: Article
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    pipeline_version: str = ""
    # Problems the pipeline met on this article (a component that failed, the time budget):
    # the store writes them to its failure log; the record itself carries them as warnings.
    failures: list[IngestFailure] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = as_dict(self)
        del data["failures"]
        data["schema_version"] = SCHEMA_VERSION
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleRecord:
        return from_dict(cls, data)


@dataclass
class IngestFailure:
    origin: str  # path, with ":LINE" for JSONL lines
    reason: str
    detail: str = ""

    @property
    def id(self) -> str:
        return content_id("fail", self.origin, self.reason)


# Which fields of a record hold other records, for ``from_dict``.
_NESTED: dict[type, dict[str, tuple[str, type]]] = {
    Article: {"segments": ("list", Segment), "removed": ("list", Removed)},
    Entity: {"mentions": ("list", Mention)},
    Event: {"trigger": ("one", Mention), "actors": ("list", Participant),
            "recipients": ("list", Participant), "date": ("one", EventDate),
            "location": ("one", EventLocation), "also": ("list", EventMention)},
    EventMention: {"trigger": ("one", Mention)},
    PlaceMention: {"place": ("one", Place)},
    ArticleRecord: {"article": ("one", Article), "entities": ("list", Entity),
                    "quotes": ("list", Quote), "events": ("list", Event),
                    "relations": ("list", Relation), "times": ("list", TimeExpr),
                    "places": ("list", PlaceMention)},
}
