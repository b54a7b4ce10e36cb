"""Incidents in the event exports: one row per incident, built from its representative.

In the incident unit (the default of the ACLED, GDELT and POLECAT exports) each incident is
written once, as its first-reported member event with what the reports agree on: the date
is the incident's first day, the place its most precise agreed place, and the fatalities the
figure the reports agree on. When they disagree, the lowest figure stated is written (the
conservative reading ACLED's own codebook asks for when sources conflict) and the other
figures are named in the notes, with the number of reports and distinct sources.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from wirewatch.model import Event, EventDate, EventLocation, from_dict

INCIDENT_COLUMNS = [
    ("ww_incident_id", "incident the row stands for (empty when exported per event)"),
    ("ww_reports", "how many articles reported the incident"),
    ("ww_sources", "how many distinct outlets reported it"),
    ("ww_incident_notes", "reports, sources and where the reports disagree (e.g. the death "
                          "toll), in words"),
]

# What one row is, by default: PLOVER is the per-event standard; the dataset layouts count
# happenings, as ACLED, GDELT and POLECAT mean their rows to.
DEFAULT_UNIT = {"plover": "events", "polecat": "incidents", "acled": "incidents",
                "gdelt": "incidents"}
UNIT_ROWS = {
    "incidents": "one row per incident: its first-reported event, with the incident's first "
                 "day, most precise agreed place and agreed (else lowest) death toll",
    "events": "one row per event",
}


@dataclass
class IncidentEvent(Event):
    """An event standing for its incident, with the incident as shown (``incident``)."""

    incident: dict[str, Any] | None = None


def incident_values(event: Event) -> list[Any]:
    """The INCIDENT_COLUMNS of a row (empty for a plain event)."""
    inc = getattr(event, "incident", None)
    if not inc:
        return ["", "", "", ""]
    return [inc["id"], inc["reports"], inc["sources"], notes(inc)]


def mentions(event: Event) -> tuple[int, int, int]:
    """GDELT's NumMentions, NumSources, NumArticles: 1, 1, 1 for a plain event."""
    inc = getattr(event, "incident", None)
    if not inc:
        return 1, 1, 1
    return len(inc.get("events") or []) or 1, inc["sources"], inc["reports"]


def notes(incident: dict[str, Any]) -> str:
    """'3 reports from 3 sources; killed: 4 (2 reports), 5 (1 report), lowest kept'."""
    n, s = incident["reports"], incident["sources"]
    parts = [f"{n} report{'s' * (n != 1)} from {s} source{'s' * (s != 1)}"]
    for d in incident.get("disagreements") or []:
        values = ", ".join(f"{_value(v['value'])} ({len(v['articles'])} report"
                           f"{'s' * (len(v['articles']) != 1)})" for v in d["values"])
        tail = ", lowest kept" if d["field"] == "killed" else ""
        parts.append(f"{d['field']} differ: {values}{tail}")
    return "; ".join(parts)


def _value(v: Any) -> str:
    return "/".join(map(str, v)) if isinstance(v, list | tuple) else str(v)


def fatalities(incident: dict[str, Any]) -> int | None:
    """The killed figure the reports agree on, else the lowest one stated."""
    killed = incident.get("killed") or {}
    return killed.get("min")


def representative(event: Event, incident: dict[str, Any],
                   location: dict[str, Any] | None) -> IncidentEvent:
    """The event with the incident's agreed date, place and death toll."""
    fields = {f.name: getattr(event, f.name) for f in dataclasses.fields(Event)}
    start = (incident.get("date") or {}).get("start")
    if start and (event.date is None or (event.date.value or "")[:10] != start):
        fields["date"] = EventDate(start, "day", "incident start (earliest report)")
    if location is not None:
        fields["location"] = from_dict(EventLocation, location)
    killed = fatalities(incident)
    if killed is not None:
        fields["casualties"] = {**(event.casualties or {}), "killed": killed}
    return IncidentEvent(**fields, incident=incident)
