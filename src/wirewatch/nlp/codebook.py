"""Load and validate the event lexicon (our PLOVER codebook) and the CAMEO→PLOVER map.

The lexicon is YAML written by us from the PLOVER and CAMEO definitions: verb
rules, noun rules and frame verbs (verbs that embed another action, like
"demand" or "threaten"). A user can pass an extra file of the same shape; its
rules are added to the built-in ones and may replace a built-in rule by id.
Every file is checked on load, so a mistake names its file and entry instead
of silently coding nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from wirewatch.model import COUNTED_MODALITIES, MODALITIES, PLOVER_TYPES, QUAD_OF_TYPE  # noqa: F401  (re-exported: the rules live in model.py)
from wirewatch.nlp.datafiles import event_table
from wirewatch.nlp.tables import table

# Where a participant can be read from, relative to the trigger.
SLOTS = {
    "dobj",  # direct object (passive: the passive subject)
    "dative",  # indirect object: "gave Y aid"
    "embedded_subj",  # subject of the embedded clause: "wants X to", "demanded that X"
    "embedded_obj",  # object of the embedded action: "agreed to meet X"
    "dobj_of",  # of-phrase of the object noun: "demanded the withdrawal of X"
    "poss",  # possessor of a noun trigger: "X's attack"
    "compound",  # nominal modifier of a noun trigger: "Gondor talks"
    "amod",  # nationality adjective of a noun trigger: "Israeli strikes"
    "subj",  # subject of the light verb / clause (nouns) or of the verb
}
SENSE_LISTS = {
    "sport", "market", "forces", "non_political", "parties", "aid_purposes", "contest_verbs",
    "contest",
}
REQUIRE = {"actor", "recipient", "either", "both", "none", "actor_or_plural"}
PLOVER_MODES = {
    "CONSULT": {"multilateral", "phone", "third-party", "visit"},
    "RETREAT": {"access", "ceasefire", "disarm", "release", "resign", "return", "withdraw"},
    "REQUEST": {"assist", "change", "meet", "yield"},
    "ACCUSE": {"allege", "disapprove", "investigate"},
    "REJECT": {"assist", "change", "meet", "yield"},
    "THREATEN": {
        "arrest", "ban", "expel", "relations", "restrict", "rights", "territory", "violence",
    },
    "PROTEST": {"boycott", "demo", "hunger", "obstruct", "riot", "strike"},
    "SANCTION": {"convict", "discontinue", "expel", "withdraw"},
    "MOBILIZE": {"militia", "police", "troops", "weapons"},
    "COERCE": {
        "arrest", "ban", "censor", "curfew", "cyber", "deport", "misinformation", "restrict",
        "seize", "withhold", "martial-law",
    },
    "ASSAULT": {
        "abduct", "aerial", "assassinate", "beat", "cleansing", "crowd-control", "destroy",
        "drone", "execute", "explosives", "firearms", "heavy-weapons", "massacre", "primitive",
        "sexual", "suicide-attack", "torture", "unconventional",
    },
}
PLOVER_CONTEXTS = {
    "military", "intelligence", "executive", "legislative", "election", "political_institutions",
    "pro_democracy", "pro_autocracy", "economic", "legal", "human_rights", "rights_freedoms",
    "repression", "human_security", "lgbt", "religion_ethnicity", "inequality", "diplomatic",
    "territory", "health", "asylum", "migration", "disasters", "natural_resource",
    "environment", "technology", "terrorism", "cbrn", "cyber", "misinformation", "crime",
    "corruption", "illegal_drugs", "trafficking",
}

_RULE_KEYS = {
    "id", "type", "lemmas", "cameo", "mode", "contexts", "objects", "not_objects", "particle",
    "preps", "recipient", "actor", "require", "future", "embeds", "light_verbs", "confidence",
    "note", "passive_recipient", "symmetric", "complements", "named", "actor_heads", "not_preps",
    "not_complements", "prep_nominal",
}
_EMBED_VALUES = {"demanded", "suppress"}


@dataclass(frozen=True)
class Rule:
    """One lexicon entry: which words trigger which PLOVER type, and where its arguments are."""

    id: str
    kind: str  # verb | noun
    type: str
    lemmas: frozenset[str]
    cameo: str | None = None
    mode: str | None = None
    contexts: tuple[str, ...] = ()
    objects: frozenset[str] = frozenset()  # object lemmas required (light-verb constructions)
    not_objects: frozenset[str] = frozenset()
    particle: str | None = None  # required particle ("lay down", "crack down")
    preps: frozenset[str] = frozenset()  # a required prepositional complement ("call for")
    recipient: tuple[str, ...] = ()
    actor: tuple[str, ...] = ("subj",)
    require: str = "either"
    future: str | None = None  # type when the actor announces the action for the future
    embeds: str | None = None  # what the embedded action becomes: demanded | suppress
    light_verbs: frozenset[str] = frozenset()  # nouns: verbs that make the noun an event
    confidence: float = 0.7
    passive_recipient: bool = True
    symmetric: bool = False  # "X and Y met": every party is an actor
    # the verb must have one of these complements: xcomp, ccomp, dobj, prep:<p>
    complements: tuple[str, ...] = ()
    named: bool = False  # recipients must be named (or people/bodies), not things
    # the actor's head noun must be one of these ("workers are striking": a labour strike)
    actor_heads: frozenset[str] = frozenset()
    # the rule does not fire when the verb carries one of these prepositions or particles
    # ("it struck me as odd" is no attack)
    not_preps: frozenset[str] = frozenset()
    not_complements: tuple[str, ...] = ()  # the rule does not fire with these complements
    # the required preposition must govern a noun: "charged with murder", not "charged
    # with overseeing the count"
    prep_nominal: bool = False
    origin: str = ""


@dataclass
class Codebook:
    verb_rules: dict[str, list[Rule]] = field(default_factory=dict)  # lemma -> rules
    noun_rules: dict[str, list[Rule]] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)  # id -> rule
    media_names: frozenset[str] = frozenset()
    media_heads: frozenset[str] = frozenset()
    generic_heads: frozenset[str] = frozenset()
    instrument_heads: frozenset[str] = frozenset()
    context_words: dict[str, set[str]] = field(default_factory=dict)  # lemma -> contexts
    # trigger sense: list name (sport, market, forces, non_political) -> lemmas
    sense: dict[str, frozenset[str]] = field(default_factory=dict)
    origins: list[str] = field(default_factory=list)

    def add(self, rule: Rule) -> None:
        old = self.rules.get(rule.id)
        if old is not None:  # a user's rule with a built-in id replaces it
            index = self.verb_rules if old.kind == "verb" else self.noun_rules
            for lemma in old.lemmas:
                index[lemma] = [r for r in index.get(lemma, []) if r.id != old.id]
        self.rules[rule.id] = rule
        index = self.verb_rules if rule.kind == "verb" else self.noun_rules
        for lemma in rule.lemmas:
            index.setdefault(lemma, []).append(rule)


def _fail(path: str, where: str, message: str) -> ValueError:
    return ValueError(f"event codebook {path}: {where}: {message}")


def _str_list(value: Any, path: str, where: str, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(path, where, f"{key!r} must be a list of non-empty strings")
    return value


def _parse_rule(raw: Any, kind: str, path: str, n: int) -> Rule:
    where = f"{kind}_rules[{n}]"
    if not isinstance(raw, dict):
        raise _fail(path, where, "each rule must be a mapping")
    rid = raw.get("id")
    if not isinstance(rid, str) or not rid:
        raise _fail(path, where, "missing 'id'")
    where = f"{where} (id {rid!r})"
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise _fail(path, where, f"unknown keys {sorted(unknown)}")
    etype = raw.get("type")
    if etype not in PLOVER_TYPES:
        raise _fail(path, where, f"type {etype!r} is not one of the 16 PLOVER types")
    lemmas = [x.lower() for x in _str_list(raw.get("lemmas"), path, where, "lemmas")]
    if not lemmas:
        raise _fail(path, where, "'lemmas' must list at least one word")
    mode = raw.get("mode")
    if mode is not None and mode not in PLOVER_MODES.get(etype, set()):
        raise _fail(path, where, f"mode {mode!r} is not a PLOVER mode of {etype}")
    contexts = _str_list(raw.get("contexts"), path, where, "contexts")
    bad = [c for c in contexts if c not in PLOVER_CONTEXTS]
    if bad:
        raise _fail(path, where, f"unknown contexts {bad}")
    slots = {}
    for key in ("recipient", "actor"):
        slots[key] = _str_list(raw.get(key), path, where, key)
        for slot in slots[key]:
            name = slot.split(":", 1)[0]
            if name != "prep" and slot not in SLOTS:
                raise _fail(path, where, f"{key} slot {slot!r} unknown (use {sorted(SLOTS)})")
            if name == "prep" and not slot[5:]:
                raise _fail(path, where, f"{key} slot {slot!r} needs a preposition")
    require = raw.get("require", "either")
    if require not in REQUIRE:
        raise _fail(path, where, f"require {require!r} not in {sorted(REQUIRE)}")
    future = raw.get("future")
    if future is not None and future not in PLOVER_TYPES:
        raise _fail(path, where, f"future {future!r} is not a PLOVER type")
    embeds = raw.get("embeds")
    if embeds is not None and embeds not in _EMBED_VALUES:
        raise _fail(path, where, f"embeds {embeds!r} not in {sorted(_EMBED_VALUES)}")
    cameo = raw.get("cameo")
    if cameo is not None:
        cameo = str(cameo)
        if not (2 <= len(cameo) <= 4 and cameo[:2].isdigit()):
            raise _fail(path, where, f"cameo {cameo!r} is not a CAMEO code")
    conf = raw.get("confidence", 0.7)
    if not isinstance(conf, int | float) or not 0 < conf <= 1:
        raise _fail(path, where, "confidence must be a number in (0, 1]")
    particle = raw.get("particle")
    if particle is not None and not isinstance(particle, str):
        raise _fail(path, where, "particle must be a string")
    return Rule(
        id=rid,
        kind=kind,
        type=etype,
        lemmas=frozenset(lemmas),
        cameo=cameo,
        mode=mode,
        contexts=tuple(contexts),
        objects=frozenset(x.lower() for x in _str_list(raw.get("objects"), path, where, "objects")),
        not_objects=frozenset(
            x.lower() for x in _str_list(raw.get("not_objects"), path, where, "not_objects")
        ),
        particle=particle,
        preps=frozenset(_str_list(raw.get("preps"), path, where, "preps")),
        recipient=tuple(slots["recipient"]),
        actor=tuple(slots["actor"]) or ("subj",),
        require=require,
        future=future,
        embeds=embeds,
        light_verbs=frozenset(
            x.lower() for x in _str_list(raw.get("light_verbs"), path, where, "light_verbs")
        ),
        confidence=float(conf),
        passive_recipient=bool(raw.get("passive_recipient", True)),
        symmetric=bool(raw.get("symmetric", False)),
        complements=tuple(_str_list(raw.get("complements"), path, where, "complements")),
        named=bool(raw.get("named", False)),
        actor_heads=frozenset(
            x.lower() for x in _str_list(raw.get("actor_heads"), path, where, "actor_heads")
        ),
        not_preps=frozenset(
            x.lower() for x in _str_list(raw.get("not_preps"), path, where, "not_preps")
        ),
        not_complements=tuple(
            _str_list(raw.get("not_complements"), path, where, "not_complements")
        ),
        prep_nominal=bool(raw.get("prep_nominal", False)),
        origin=path,
    )


def _load_file(book: Codebook, text: str, path: str) -> None:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"event codebook {path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"event codebook {path}: top level must be a mapping")
    unknown = set(data) - {
        "version", "verb_rules", "noun_rules", "media", "generic_heads", "instrument_heads",
        "context_words", "sense",
    }
    if unknown:
        raise ValueError(f"event codebook {path}: unknown top-level keys {sorted(unknown)}")
    for kind in ("verb", "noun"):
        raw_rules = data.get(f"{kind}_rules") or []
        if not isinstance(raw_rules, list):
            raise ValueError(f"event codebook {path}: {kind}_rules must be a list")
        seen: set[str] = set()
        for n, raw in enumerate(raw_rules):
            rule = _parse_rule(raw, kind, path, n)
            if rule.id in seen:
                raise _fail(path, f"{kind}_rules[{n}]", f"duplicate id {rule.id!r}")
            seen.add(rule.id)
            book.add(rule)
    media = data.get("media") or {}
    if not isinstance(media, dict):
        raise ValueError(f"event codebook {path}: 'media' must be a mapping")
    names = _str_list(media.get("names"), path, "media", "names")
    heads = _str_list(media.get("heads"), path, "media", "heads")
    book.media_names = book.media_names | {n.lower() for n in names}
    book.media_heads = book.media_heads | {h.lower() for h in heads}
    generic = _str_list(data.get("generic_heads"), path, "generic_heads", "generic_heads")
    book.generic_heads = book.generic_heads | {g.lower() for g in generic}
    contexts = data.get("context_words") or {}
    if not isinstance(contexts, dict):
        raise ValueError(f"event codebook {path}: 'context_words' must be a mapping")
    for ctx, words in contexts.items():
        if ctx not in PLOVER_CONTEXTS:
            raise _fail(path, f"context_words ({ctx!r})", "not a PLOVER context")
        for word in _str_list(words, path, f"context_words ({ctx!r})", "words"):
            book.context_words.setdefault(word.lower(), set()).add(ctx)
    sense = data.get("sense") or {}
    if not isinstance(sense, dict):
        raise ValueError(f"event codebook {path}: 'sense' must be a mapping")
    for key, words in sense.items():
        if key not in SENSE_LISTS:
            raise _fail(path, f"sense ({key!r})", f"not one of {sorted(SENSE_LISTS)}")
        found = {w.lower() for w in _str_list(words, path, f"sense ({key!r})", "words")}
        book.sense[key] = book.sense.get(key, frozenset()) | frozenset(found)
    instruments = _str_list(data.get("instrument_heads"), path, "instrument_heads", "heads")
    book.instrument_heads = book.instrument_heads | {g.lower() for g in instruments}
    book.origins.append(path)


def builtin_lexicon_text() -> str:
    return (
        resources.files("wirewatch.nlp")
        .joinpath("data/events/lexicon.yaml")
        .read_text(encoding="utf-8")
    )


@lru_cache(maxsize=8)
def load_codebook(extra: str | None = None) -> Codebook:
    """The built-in lexicon plus, optionally, a user's file (its rules add to or replace ours)."""
    book = Codebook()
    _load_file(book, builtin_lexicon_text(), "wirewatch:data/events/lexicon.yaml")
    if extra:
        path = Path(extra)
        if not path.is_file():
            raise ValueError(f"event codebook {extra}: file not found")
        _load_file(book, path.read_text(encoding="utf-8"), str(path))
    return book


@table
def cameo_map() -> dict[str, dict[str, Any]]:
    """CAMEO code -> {type, mode, contexts}, from the 2021 CAMEO→PLOVER table."""
    data = event_table("cameo_plover.yaml")
    return {str(k): v for k, v in (data.get("codes") or {}).items()}


def plover_for_cameo(code: str | None) -> str | None:
    """PLOVER type of a CAMEO code, falling back to its 3- then 2-digit prefix."""
    if not code:
        return None
    table = cameo_map()
    for key in (code, code[:3], code[:2]):
        if key in table:
            return table[key]["type"]
    return None


