"""Code tables the event exports need: country codes (ISO 3166-1 numeric, FIPS 10-4),
ACLED regions and the Goldstein scale of CAMEO root codes, read from ``export/data``."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class Country:
    iso3: str
    iso_numeric: int | None  # ACLED's `iso`
    fips: str  # GDELT's country code
    name: str
    region: str  # ACLED's region
    lat: float
    lon: float


def _text(name: str) -> str:
    return resources.files("wirewatch.export").joinpath(f"data/{name}").read_text(
        encoding="utf-8")


def load_yaml(name: str) -> Any:
    """One of the export's data files."""
    return yaml.safe_load(_text(name))


@lru_cache(maxsize=1)
def countries() -> dict[str, Country]:
    """ISO3 -> country, for every country of the place gazetteer."""
    regions = load_yaml("acled_regions.yaml")
    region_of = {iso3: region for region, codes in regions["regions"].items()
                 for iso3 in codes}
    out: dict[str, Country] = {}
    for row in csv.DictReader(io.StringIO(_text("countries.csv"))):
        iso3 = row["iso3"]
        out[iso3] = Country(
            iso3, int(row["iso_numeric"]) if row["iso_numeric"] else None, row["fips"],
            row["name"], region_of.get(iso3) or regions["continents"].get(row["continent"], ""),
            float(row["lat"]), float(row["lon"]))
    return out


def country(iso3: str | None) -> Country | None:
    return countries().get(iso3 or "")


@lru_cache(maxsize=1)
def _goldstein() -> dict[str, float]:
    return {str(k): float(v) for k, v in load_yaml("goldstein.yaml").items()}


def goldstein(cameo: str | None) -> float | None:
    """Goldstein scale of a CAMEO code's root (None when there is no code)."""
    return _goldstein().get((cameo or "")[:2]) if cameo else None
