"""PLOVER events as ACLED events: event type, sub-event type, disorder type, actor-type codes.

The rules are data (``export/data/acled_map.yaml``, explained in docs/exports.md): a PLOVER
type and mode decide the ACLED type where they can; an ASSAULT with no telling mode is
decided by the weapon or target the text names. An event ACLED would not record (a
statement, a meeting, a sanction) gets no type and is left out of the export, counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from wirewatch.export.codes import load_yaml
from wirewatch.model import Entity, Event, Participant

# Actor kinds that say nothing about who acts (a place named as actor, a nationality word,
# an organisation of unknown sort): the participant's words decide instead.
NO_KIND = (None, "place", "territory", "organisation", "nationality")
# Sectors of people who carry arms for the state (soldiers, police officers, spies).
ARMED_SECTORS = {"MIL", "COP", "SPY"}


@dataclass(frozen=True)
class AcledType:
    event_type: str
    sub_event_type: str
    disorder_type: str


@dataclass(frozen=True)
class Actor:
    name: str
    inter: int | None


@lru_cache(maxsize=1)
def table() -> dict[str, Any]:
    """The mapping file, as loaded."""
    return load_yaml("acled_map.yaml")


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.lower())) + " "


def _find(text: str, phrases: list[str]) -> tuple[int, int]:
    """(end, length) of the phrase ending rightmost in ``text``, the longest of those
    ((-1, 0) when none): the head of a noun phrase comes last ("an Iraqi army patrol"),
    and "armed men" says more than "men"."""
    words = _words(text)
    found = [(at + len(p), len(p)) for p in phrases if (at := words.rfind(f" {p} ")) >= 0]
    return max(found, default=(-1, 0))


def word_class(text: str) -> str | None:
    """weapon | state_forces | armed_group | civilians, from a participant's words (the
    part before "of" first: "members of the group" are members)."""
    targets = table()["targets"]
    for part in (re.split(r"\bof\b", text, maxsplit=1)[0], text):
        found = {cls: _find(part, words) for cls, words in targets.items()}
        best = max(found, key=lambda c: found[c])
        if found[best][0] >= 0:
            return best
    return None


def participant_class(part: Participant, entities: dict[str, Entity]) -> str | None:
    """What a participant is, from its stored actor kind and sectors, else its words."""
    ent = entities.get(part.entity) if part.entity else None
    if ent is not None and ent.kind not in NO_KIND:
        code = _entity_code(ent)
        if ent.kind == "person" and not set(ent.sectors) & ARMED_SECTORS:
            return "civilians"  # an official is unarmed: attacking one targets a civilian
        if code in (1, 8) and ent.kind != "igo":
            return "state_forces"
        if code in (2, 3, 4):
            return "armed_group"
        if code is not None:
            return "civilians"
    return word_class(part.text)


def _entity_code(ent: Entity) -> int | None:
    inter = table()["inter"]
    for sector, code in inter["sectors"]:
        if sector in ent.sectors:
            if code == 1 and ent.kind in ("party", "media", "ngo"):
                continue  # a party's or a newspaper's sector says what it covers
            return int(code)
    code = inter["kinds"].get(ent.kind or "")
    if code == 3 and set(ent.sectors) & set(inter["identity_sectors"]):
        return 4
    return None if code is None else int(code)


def acled_type(event: Event, entities: dict[str, Entity]) -> tuple[AcledType | None, str]:
    """The ACLED type of an event, or None and why it has none."""
    t = table()
    if event.type in t["unmappable"]:
        return None, f"{event.type}: {t['unmappable'][event.type]}"
    rule = t["types"].get(event.type)
    if rule is None:
        return None, f"{event.type}: not in the mapping table"
    mode = event.mode
    pair = (rule.get("modes") or {}).get(mode or "")
    if pair is None and mode in (rule.get("unmapped_modes") or []):
        return None, f"{event.type} {mode or 'without a mode'}: not an ACLED event"
    if pair is None and "by_target" in rule:
        pair = _assault(event, entities, rule["by_target"])
        if pair is None:
            return None, f"{event.type}: no weapon or target the text names"
    if pair is None:
        pair = rule.get("default")
    if pair is None:
        return None, f"{event.type} {mode or 'without a mode'}: not an ACLED event"
    etype, sub = pair
    disorder = t["disorder_of_sub_event"].get(sub) or t["disorder"][etype]
    return AcledType(etype, sub, disorder), ""


def _assault(event: Event, entities: dict[str, Entity], by_target: dict[str, list[str]]
             ) -> list[str] | None:
    classes = [participant_class(p, entities) for p in event.recipients]
    if "weapon" in classes:  # a drone or missile shot down
        return by_target["weapon"]
    # The weapon decides before the target, as ACLED's remote-violence types do.
    words = _words(event.sentence)
    for phrases, pair in table()["weapons"]:
        if any(f" {p} " in words for p in phrases):
            return pair
    for cls in classes:
        if cls in by_target:
            return by_target[cls]
    return None


def actors(parts: list[Participant], entities: dict[str, Entity], kind: AcledType,
           country: str | None, country_name: str | None, side: int) -> list[Actor]:
    """ACLED actors of one side (1 actor, 2 recipient): named actors keep their name; an
    unnamed participant gets ACLED's generic name for what it is; every actor its
    inter code. An event with no actor on side 1 gets the generic actor of its type."""
    out: list[Actor] = []
    for part in parts:
        ent = entities.get(part.entity) if part.entity else None
        cls = participant_class(part, entities)
        if ent is not None and ent.kind not in NO_KIND:
            code = _entity_code(ent)
            if code == 1 and side == 2 and cls == "civilians":
                code = 7  # an official attacked, arrested or met is no fighting force
            if code == 1 and country and ent.country and ent.country != country:
                code = 8  # state forces outside their own country: external forces
            name = ent.name
        elif cls == "weapon" and side == 1:  # "a drone hit the base": an unknown attacker
            code, name = 3, _generic("armed_group", country_name)
        elif cls in ("state_forces", "armed_group", "civilians"):
            code = int(table()["inter"]["classes"][cls])
            generic = "police" if cls == "state_forces" and " police" in _words(part.text) \
                else cls
            name = _generic(generic, country_name)
        else:
            code, name = None, ent.name if ent is not None else part.text
        unnamed = ent is None or ent.kind in NO_KIND
        if (kind.event_type in ("Protests", "Riots")
                and (code in (None, 6, 7) or (unnamed and side == 1))
                and (side == 1 or cls == "civilians")):
            code = 5 if kind.event_type == "Riots" else 6
            name = _generic("rioters" if code == 5 else "protesters", country_name)
        out.append(Actor(name, code))
    if not out and side == 1:
        generic = {"Protests": ("protesters", 6), "Riots": ("rioters", 5)}.get(
            kind.event_type)
        if kind.sub_event_type in ("Arrests", "Excessive force against protesters"):
            generic = ("police", 1)
        elif generic is None and kind.disorder_type.startswith("Political violence"):
            generic = ("armed_group", 3)
        if generic is not None:
            out.append(Actor(_generic(generic[0], country_name), generic[1]))
    # One actor per name (a generic name can come from several phrases).
    return list({a.name: a for a in out}.values())


def _generic(key: str, country_name: str | None) -> str:
    pattern = table()["generic_actors"][key]
    if not country_name:
        return re.sub(r"\s*(\(\{country\}\)|of \{country\})", "", pattern)
    return pattern.format(country=country_name)


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction code: both actor types, lower first; one actor alone: code × 10."""
    if inter1 and inter2:
        return int(f"{min(inter1, inter2)}{max(inter1, inter2)}")
    if inter1 or inter2:
        return (inter1 or inter2 or 0) * 10
    return None
