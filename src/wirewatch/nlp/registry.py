"""The curated actor registry: YAML files shipped in the package plus the user's own.

Each entry names an actor once (id, canonical name, aliases, acronyms, type,
kind, sectors, country, roles over time). Files are validated on load so a
typo in a user's file is reported with its file and entry, not discovered as
a silent mismatch later.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

ENTITY_TYPES = {"GPE", "ORG", "PERSON", "NORP", "LOC", "FAC", "EVENT"}
KINDS = {
    "state", "territory", "igo", "ngo", "government_body", "security_force", "armed_group",
    "militia", "party", "media", "think_tank", "company", "person", "religious_body",
    "coalition", "other",
}
SECTORS = {
    "GOV", "MIL", "REB", "INS", "PTY", "JRN", "EDU", "BUS", "NGO", "IGO", "JUD", "LEG", "SPY",
    "COP", "REL", "CVL", "OPP", "ELI", "HLH", "LAB", "MED", "AGR", "ENV", "CRM", "REF", "UAF",
}
_KNOWN_KEYS = {
    "id", "name", "type", "kind", "sectors", "country", "aliases", "acronyms", "demonyms",
    "capital", "wikidata", "part_of", "backed_by", "allied_with", "based_in", "roles", "note",
    "case_sensitive", "opposed_to", "leader_of",
}


class RegistryError(ValueError):
    """A registry file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Role:
    title: str
    org: str | None
    start: str | None
    end: str | None

    def active_on(self, day: str | None) -> bool:
        if not day:
            return self.end is None
        day = day[:10]
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass
class Actor:
    id: str
    name: str
    type: str
    kind: str
    sectors: list[str] = field(default_factory=list)
    country: str | None = None
    aliases: list[str] = field(default_factory=list)
    acronyms: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    capital: str | None = None
    wikidata: str | None = None
    part_of: str | None = None
    backed_by: list[str] = field(default_factory=list)
    allied_with: list[str] = field(default_factory=list)
    based_in: str | None = None
    roles: list[Role] = field(default_factory=list)
    case_sensitive: bool = False  # its names are also ordinary words ("Turkey", "Chad")
    origin: str = ""

    def surface_forms(self) -> list[str]:
        return [self.name, *self.aliases]

    def roles_on(self, day: str | None) -> tuple[list[Role], list[Role]]:
        """(roles held on ``day``, roles that had ended by then); without a day, the
        open-ended roles are current and nothing is former."""
        current = [r for r in self.roles if r.active_on(day)]
        if not day:
            return current, []
        held = {r.title for r in current}
        former = [r for r in self.roles if r.end and r.end < day[:10] and r.title not in held]
        return current, former


_ARTICLE = re.compile(r"^the\s", re.I)
_LEADING_THE = re.compile(r"^(the)\s+")
_SPACES_DASHES = re.compile(r"[\s\-‐–]+")
_MARKS = re.compile(r"['`.]")
_PARTICLE = re.compile(r"^(al|el|ad|as|ash|an|ar|at|az)\s")


# Cached: the actor component asks for every capitalised word's key (and the one- to
# three-word spans starting there), mostly the same few thousand strings.
@lru_cache(maxsize=1 << 16)
def normalise_name(text: str) -> str:
    """Fold case, accents, apostrophes, hyphens and a leading article for name matching."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'").lower()
    text = _LEADING_THE.sub("", text.strip())
    text = _SPACES_DASHES.sub(" ", text)
    text = _MARKS.sub("", text)
    return text.strip()


def strip_particle(name: str) -> str:
    """'al-Sudani' / 'Al Sudani' -> 'sudani': Arabic article variants match one another."""
    return _PARTICLE.sub("", normalise_name(name))


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _parse_entry(raw: Any, origin: str, index: int) -> Actor:
    where = f"{origin}, entry {index + 1}"
    if not isinstance(raw, dict):
        raise RegistryError(f"{where}: expected a mapping, got {type(raw).__name__}")
    ident = raw.get("id")
    where = f"{origin}, entry {index + 1} ({ident!r})"
    unknown = set(raw) - _KNOWN_KEYS
    if unknown:
        raise RegistryError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("id", "name", "type", "kind"):
        if not raw.get(key) or not isinstance(raw.get(key), str):
            raise RegistryError(f"{where}: '{key}' is required and must be a string")
    if raw["type"] not in ENTITY_TYPES:
        raise RegistryError(f"{where}: type {raw['type']!r} not in {sorted(ENTITY_TYPES)}")
    if raw["kind"] not in KINDS:
        raise RegistryError(f"{where}: kind {raw['kind']!r} not in {sorted(KINDS)}")
    sectors = _as_list(raw.get("sectors"))
    bad = [s for s in sectors if s not in SECTORS]
    if bad:
        raise RegistryError(f"{where}: unknown sector codes {bad}")
    country = raw.get("country")
    if country is not None and not re.fullmatch(r"[A-Z]{3}", str(country)):
        raise RegistryError(f"{where}: country must be an ISO3 code, got {country!r}")
    roles = []
    for r in raw.get("roles") or []:
        if not isinstance(r, dict) or not r.get("title"):
            raise RegistryError(f"{where}: each role needs a 'title'")
        roles.append(
            Role(
                title=str(r["title"]),
                org=r.get("org"),
                start=str(r["start"]) if r.get("start") else None,
                end=str(r["end"]) if r.get("end") else None,
            )
        )
    return Actor(
        id=raw["id"],
        name=raw["name"],
        type=raw["type"],
        kind=raw["kind"],
        sectors=sectors,
        country=country,
        aliases=_as_list(raw.get("aliases")),
        acronyms=_as_list(raw.get("acronyms")),
        demonyms=_as_list(raw.get("demonyms")),
        capital=raw.get("capital"),
        wikidata=raw.get("wikidata"),
        part_of=raw.get("part_of"),
        backed_by=_as_list(raw.get("backed_by")),
        allied_with=_as_list(raw.get("allied_with")),
        based_in=raw.get("based_in"),
        roles=roles,
        case_sensitive=bool(raw.get("case_sensitive", False)),
        origin=origin,
    )


class Registry:
    """All actors, indexed by id and by normalised surface form."""

    def __init__(self, actors: Iterable[Actor]):
        self.actors: dict[str, Actor] = {}
        for actor in actors:
            if actor.id in self.actors:
                first = self.actors[actor.id].origin
                raise RegistryError(
                    f"{actor.origin}: duplicate id {actor.id!r} (first defined in {first})"
                )
            self.actors[actor.id] = actor
        self._check_references()
        self.by_form: dict[str, list[str]] = {}
        self.by_acronym: dict[str, list[str]] = {}
        self.by_demonym: dict[str, str] = {}
        self.by_capital: dict[str, str] = {}
        # Forms an actor is named by only with "the": "the Emirates" is the state, a bare
        # "Emirates" is not (it is the airline). Key -> ids that need the article.
        with_article: dict[str, set[str]] = {}
        bare: dict[str, set[str]] = {}
        for actor in self.actors.values():
            for form in actor.surface_forms():
                key = normalise_name(form)
                self.by_form.setdefault(key, []).append(actor.id)
                (with_article if _ARTICLE.match(form) else bare).setdefault(
                    key, set()).add(actor.id)
            for acr in actor.acronyms:
                self.by_acronym.setdefault(acr, []).append(actor.id)
            for dem in actor.demonyms:
                self.by_demonym[normalise_name(dem)] = actor.id
            if actor.capital:
                self.by_capital[normalise_name(actor.capital)] = actor.id
        # Only where another actor has the bare name: elsewhere "Pentagon" still finds
        # the actor registered as "the Pentagon".
        self.article_only: dict[str, set[str]] = {
            key: ids - bare[key] for key, ids in with_article.items()
            if key in bare and ids - bare[key]}

    def _check_references(self) -> None:
        for actor in self.actors.values():
            refs = [actor.part_of, *actor.backed_by, *actor.allied_with]
            refs += [r.org for r in actor.roles]
            for ref in refs:
                if ref and ref not in self.actors:
                    raise RegistryError(
                        f"{actor.origin} ({actor.id!r}): refers to unknown actor id {ref!r}"
                    )

    def get(self, actor_id: str | None) -> Actor | None:
        return self.actors.get(actor_id) if actor_id else None

    def lookup(self, text: str, *, article: bool | None = None) -> Actor | None:
        """The one actor a surface form names, or None when unknown or ambiguous.

        ``article`` says whether "the" stands before the name in the text (None: read it
        from ``text``); names registered only with the article need it.
        """
        key = normalise_name(text)
        ids = self.by_form.get(key)
        if ids:
            if article is None:
                article = bool(_ARTICLE.match(text.strip()))
            if key in self.article_only:
                # With the article the registered "the ..." name wins; without, it is out.
                needs = self.article_only[key]
                ids = [i for i in ids if (i in needs) == article] or (ids if article else [])
        ids = ids or self.by_acronym.get(text.strip())
        if ids and len(set(ids)) == 1:
            return self.actors[ids[0]]
        return None

    def country_of_demonym(self, word: str) -> Actor | None:
        return self.get(self.by_demonym.get(normalise_name(word)))

    def country_of_capital(self, word: str) -> Actor | None:
        return self.get(self.by_capital.get(normalise_name(word)))

    def __len__(self) -> int:
        return len(self.actors)


def load_file(path: str | Path) -> list[Actor]:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RegistryError(f"{path}: cannot read registry file: {exc}") from exc
    if data is None:
        return []
    if not isinstance(data, list):
        raise RegistryError(f"{path}: expected a YAML list of actors")
    return [_parse_entry(raw, str(path), i) for i, raw in enumerate(data)]


def builtin_files() -> list[Path]:
    folder = resources.files("wirewatch") / "nlp" / "data" / "actors"
    if not folder.is_dir():
        return []
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith((".yaml", ".yml")))


@lru_cache(maxsize=8)
def load_registry(extra_files: tuple[str, ...] = ()) -> Registry:
    """The shipped registry plus the user's files (later files may not reuse ids)."""
    actors: list[Actor] = []
    for path in [*builtin_files(), *map(Path, extra_files)]:
        actors.extend(load_file(path))
    return Registry(actors)
