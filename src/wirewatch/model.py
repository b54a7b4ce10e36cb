"""Record types shared by ingest, the NLP pipeline, the store and the exports.

Every offset is a Python string index into ``Article.text``, end exclusive.
Records are plain dataclasses so they pickle across worker processes and
serialise to the JSON documented in ``docs/schema.md``.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA_VERSION = "1.0"

SEGMENT_KINDS = ("headline", "body", "caption", "byline", "dateline", "boilerplate")
PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
MODALITIES = (
    "asserted", "hypothetical", "planned", "demanded", "negated", "reported", "historical",
)
RELATION_TYPES = (
    "holds_role", "member_of", "part_of", "backed_by", "leader_of",
    "affiliated_with", "allied_with", "opposed_to", "based_in",
)


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
    date: dict[str, Any] | None = None  # {value, granularity, reason, time_id}
    location: dict[str, Any] | None = None  # {place_id, name, lat, lon, level, country, reason}
    field_confidence: dict[str, float] = field(default_factory=dict)
    quote_id: str | None = None
    pattern: str | None = None  # which rule fired, for transparency


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

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["schema_version"] = SCHEMA_VERSION
        return data


@dataclass
class IngestFailure:
    origin: str  # path, with ":LINE" for JSONL lines
    reason: str
    detail: str = ""

    @property
    def id(self) -> str:
        return content_id("fail", self.origin, self.reason)
