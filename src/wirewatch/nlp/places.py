"""Toponym detection and resolution: the ``wirewatch_places`` component.

Detection takes spaCy's GPE/LOC/FAC entities (repaired: "the", possessives, split
"City, ST" spans, names cut short or run long), adds gazetteer names spaCy missed
(countries, states, regions, counties, large cities, state abbreviations after a
city, streets and numbered roads), and drops places that are only part of a name
("Islamic Resistance in Iraq" is an actor) and nationality words ("Iraqi"). A place
opening an institution's name ("Fargo Police", "U.S. forces") is kept.

Resolution scores every gazetteer candidate of a name by its feature prior
(countries, then states and regions, then towns by population; capitals) plus the
article's context: mutual support between candidates of the different names it
mentions (near each other, town in a named state or province), its focus countries
and US states (never counting a name as its own evidence), and explicit "City,
State/Country" patterns. All mentions of one name in an article share one referent.
A mention resolves to the level it names: a country stays a country, with the
country's centre point; a street we cannot place keeps no coordinates.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

import yaml
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

from wirewatch.model import Place, PlaceMention, content_id
from wirewatch.nlp import extensions  # noqa: F401  (registers Doc._ attributes)
from wirewatch.nlp.docents import ents_of
from wirewatch.nlp.doctext import text_of
from wirewatch.nlp.gazetteer import (
    KIND_PRIOR,
    Entry,
    Gazetteer,
    get_gazetteer,
    haversine_km,
    name_key,
)
from wirewatch.nlp.spanindex import Intervals
from wirewatch.nlp.tables import table
from wirewatch.nlp.tokenstrings import token_strings

# Entity labels whose text is a name that may contain a place without being one.
NAME_LABELS = {"ORG", "PERSON", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT", "NORP"}
# Capitalised words that are gazetteer names but usually something else in English text.
COMMON_WORDS = {
    "university", "college", "school", "church", "hospital", "center", "centre", "city",
    "county", "state", "street", "road", "avenue", "park", "lake", "river", "north",
    "south", "east", "west", "central", "new", "mount", "fort", "saint", "union", "liberty",
    "independence", "victoria", "mission", "march", "may", "june", "july", "august",
    "april", "january", "monday", "friday", "sunday", "christmas", "easter", "god", "lord",
    "police", "court", "council", "office", "department", "board", "house", "senate",
    "congress", "president", "governor", "mayor", "chief", "officer", "sheriff", "prime",
    "minister", "general", "army", "navy", "national", "federal", "american", "republic",
    "democrat", "republican", "health", "hope", "faith", "grace", "unity", "progress",
    "commerce", "industry", "enterprise", "opportunity", "friendship", "harmony", "bar",
    "man", "orange", "media", "power", "home", "bay", "beach", "gold", "golden", "china",
    "of", "the", "and", "in", "at", "on", "by", "for", "post", "times", "herald", "tribune",
    "news", "daily", "press", "journal", "page", "photo", "reuters", "associated", "ap",
    "afp", "obama", "bush", "clinton", "trump", "biden", "jackson", "washington", "lincoln",
    "franklin", "jefferson", "madison", "hamilton", "marshall", "taylor", "wilson",
    # court and hospital names, and words that head other names ("Superior Court")
    "superior", "supreme", "mercy", "valley", "story", "liberal", "emerald", "metro",
}
# Words that, following a place at the start of a name, make the place a real mention:
# "Alexandria Police", "Minnesota Department of Transportation", "Fargo Mayor", "U.S. forces".
# A place later in a name ("Islamic Resistance in Iraq") stays part of the name.
INSTITUTION_WORDS = {
    "police", "sheriff", "sheriff's", "sheriff’s", "county", "city", "department", "council",
    "board", "schools", "school", "district", "fire", "court", "circuit", "commission",
    "office", "authority", "chamber", "public", "health", "library", "house", "senate",
    "legislature", "national", "highway", "state", "mayor", "governor", "chief",
    "commissioner", "councilman", "councilwoman", "senator", "rep", "rep.", "delegation",
    "government", "forces", "troops", "military", "army", "navy", "embassy", "consulate",
    "ministry", "parliament", "congress", "assembly", "officials", "authorities",
    "administration", "airport", "port", "township", "municipal", "metropolitan", "regional",
    "transit", "water", "parks", "emergency", "attorney", "prosecutor", "jail", "detention",
    "correctional", "election", "elections", "republican", "democratic", "party",
    "supreme", "appeals", "general", "hospital", "zoo", "museum",
    # bodies a local place gives its name to ("Walker County Fair", "Dublin Arts Council",
    # "Lombard Community High School"): the place still names where they are
    "community", "high", "superior", "volunteer", "town", "medical", "senior", "electric",
    "arts", "coroner", "fair", "junior", "middle", "elementary", "civic", "historical",
    "genealogy", "memorial", "recreation", "convention", "area", "central", "division",
    "bureau", "commissioners", "association", "society", "bus", "science",
    "film", "veterinary", "magistrates", "clerk", "village", "borough", "kennel", "singers",
    "adult", "hotel", "transportation", "education", "citizens", "theatre", "theater",
    "symphony", "orchestra", "choir", "rotary", "hospice", "clinic",
}
_DIRECTIONS = {"North", "South", "East", "West", "Northeast", "Northwest", "Southeast",
               "Southwest", "Northern", "Southern", "Eastern", "Western", "Central", "Upper",
               "Lower", "Greater", "Downtown", "Metro", "Northeastern", "Northwestern",
               "Southeastern", "Southwestern", "Rural", "Coastal", "Inner", "Outer"}
# Words after a name that make it a county / parish / region.
ADMIN_SUFFIXES = ("County", "Parish", "Borough", "Province", "Governorate", "Region",
                  "Oblast", "District", "State")
# Words after a place name that make a facility or feature of it: "Henderson County Jail".
_GENERIC_TAILS = {"Jail", "Courthouse", "Hospital", "Airport", "Park", "Valley", "Delta",
                  "Mountains", "Mountain", "Hills", "Region", "Area", "Metro", "Camp", "Base",
                  "Station", "Center", "Centre", "Prison", "Port", "Harbor", "Harbour",
                  "Border", "Crossing", "Highway", "Province", "Basin", "Coast", "Plain",
                  "Plains", "Peninsula", "Desert", "Islands", "Island", "Lake", "River"}
# "the State of Iowa", "City of Tupelo": a polity's formal name, the place after "of".
_POLITY_OF = re.compile(r"(State|Commonwealth|Province|City|Town|Village|County|Borough|"
                        r"Township|Parish|Territory|Municipality)\s+of\s+")
_TOWN_POLITIES = {"City", "Town", "Village", "Borough", "Township", "Municipality"}
# Patterns of the helpers below, compiled once (not looked up in re's cache per call).
_POLITY_OF_WHOLE = re.compile(r"(?:[Tt]he\s+)?" + _POLITY_OF.pattern)
_WORD = re.compile(r"\S+")
_LEADING_THE = re.compile(r"(?i)the\s+")
_LISTED_NAME = re.compile(r"[A-Z][\w'’.\-]*(?: [A-Z][\w'’.\-]*)?")
_COMMA = re.compile(r",\s*")
_STATE_AFTER_COMMA = re.compile(r"([A-Z][a-z]{0,4}\.(?:\s?[A-Z][a-z]?\.)?|[A-Z]{2})(?=\W|$)")
_POSSESSIVE_END = re.compile(r"['’]s$")
_WORD_BEFORE_DOT = re.compile(r"([A-Za-z]+)\.?\s+$")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\s+$")
_WORD_AFTER = re.compile(r"\s+([A-Za-z]+)")
_NAME_WORD = re.compile(r"[A-Za-z][\w'’\-]*")
_ABBREV_WORD = re.compile(r"(?:[A-Z]\.)+|[A-Z][a-z]{0,4}\.|(?:[A-Z]\.)+[A-Z][a-z]?\.")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SUFFIXES = set(ADMIN_SUFFIXES) | {"City", "Township", "Village", "Area", "Metro"}
_CAP_TOKEN = re.compile(r"^[A-Z][\w.'’\-]*$")
_ASCII_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_PREPOSITIONS = {"in", "at", "near", "outside", "inside", "from", "to", "into", "across",
                 "around", "throughout", "toward", "towards", "within", "over"}
MAX_NGRAM = 5
_NEXT_WORD = re.compile(r"(?:-|\s+)[\w'’]+")
_ORG_TAIL = re.compile(r"(\s+(?:in|of|for|on)\s+(?:the\s+)?[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)*)"
                       r"\s*\(([A-Z]{2,8})\)")
_ROAD = re.compile(
    r"\b(?:(?:U\.?S\.?|State|County|Farm to Market|FM|Interstate|Highway|Route|Road|"
    r"Hwy\.?|SR|I)[ -](?:Highway |Route |Road )?\d+[A-Z]?)\b"
    r"|\b(?:(?:North|South|East|West|Old|New) )?(?!County\b)"
    r"(?:[A-Z][a-z]+|\d+(?:st|nd|rd|th)) (?:(?!County\b)[A-Z][a-z]+ )?"
    r"(?:Street|St\.|Avenue|Ave\.|Road|Rd\.|Boulevard|Blvd\.|Drive|Dr\.|"
    r"Lane|Parkway|Pike|Highway|Turnpike|Expressway|Freeway)"
    r"(?: (?:North|South|East|West|N\.?W\.?|S\.?W\.?|N\.?E\.?|S\.?E\.?)\b)?"
)

# What every match of _ROAD contains: a street word, or a road's prefix and number. Most
# texts have neither, and _ROAD (a word boundary first) is tried at every position.
_ROAD_WORDS = ("Street", "St.", "Avenue", "Ave.", "Road", "Rd.", "Boulevard", "Blvd.", "Drive",
               "Dr.", "Lane", "Parkway", "Pike", "Highway", "Turnpike", "Expressway", "Freeway")
_ROAD_NUMBER = re.compile(r"(?:U\.?S\.?|State|County|Farm to Market|FM|Interstate|Highway|"
                          r"Route|Road|Hwy\.?|SR|I)[ -](?:Highway |Route |Road )?\d")


def _may_name_roads(text: str) -> bool:
    return any(w in text for w in _ROAD_WORDS) or _ROAD_NUMBER.search(text) is not None


@dataclass
class _Span:
    start: int
    end: int
    text: str
    source: str  # ent:GPE / ent:LOC / ent:FAC / gaz / pattern / abbrev
    cands: list[Entry] = field(default_factory=list)
    container: _Span | None = None  # the "Y" of a "X, Y" pattern
    forced: Entry | None = None  # state abbreviations: no choice to make


class PlaceTagger:
    """Find and resolve place mentions; sets ``doc._.places``."""

    def __init__(self, nlp: Language, name: str, *, city_file: str = "cities500.json",
                 extra_regions: list[str] | None = None,
                 labels: list[str] | None = None, gazetteer_detection: bool = True,
                 min_population_undetected: int = 50000,
                 keep_unresolved: bool = True) -> None:
        self.name = name
        self.city_file = city_file
        self.extra_regions = tuple(extra_regions or ())
        self.labels = set(labels or ["GPE", "LOC", "FAC"])
        self.gazetteer_detection = gazetteer_detection
        self.min_population_undetected = min_population_undetected
        self.keep_unresolved = keep_unresolved
        self._gaz: Gazetteer | None = None

    @property
    def gaz(self) -> Gazetteer:
        # Loaded on first use so building a pipeline stays fast.
        if self._gaz is None:
            self._gaz = get_gazetteer(self.city_file, self.extra_regions)
        return self._gaz

    def preload(self) -> None:
        """Read the gazetteer now, not when the first place is met."""
        _ = self.gaz

    def __call__(self, doc: Doc) -> Doc:
        spans = self.detect(doc)
        doc._.places = self.resolve(doc, spans)
        return doc

    # ------------------------------------------------------------------ detection

    def _name_spans(self, doc: Doc) -> list[tuple[int, int]]:
        """Char spans of names (organisations, people, ...) that places may sit inside."""
        out = [(e.start_char, e.end_char) for e in ents_of(doc) if e.label_ in NAME_LABELS]
        text = text_of(doc)
        # The tagger often splits "Islamic Resistance in Iraq (IRI)" into ORG + GPE; an
        # acronym in brackets whose letters cover the place too shows it is one name.
        for ent in ents_of(doc):
            if ent.label_ != "ORG":
                continue
            m = _ORG_TAIL.match(text, ent.end_char)
            if m and _acronym_covers(m.group(2), text[ent.start_char:m.end(1)]):
                out.append((ent.start_char, m.end(1)))
        for ent in doc._.entities or []:
            if getattr(ent, "type", None) in ("ORG", "PERSON"):
                out.extend((m.start, m.end) for m in ent.mentions)
        return out

    def _candidates(self, text: str) -> list[Entry]:
        gaz = self.gaz
        cands = gaz.lookup(text)
        if cands:
            return cands
        words = text.split()
        # "Kermanshah province": a suffix the gazetteer's name lacks.
        if len(words) > 1 and words[-1].capitalize() in _SUFFIXES:
            cands = gaz.lookup(" ".join(words[:-1]))
            if words[-1].capitalize() in ADMIN_SUFFIXES:
                cands = [e for e in cands if e.level == "region" and e.kind != "country"
                         ] or cands
            return cands
        return []

    def _extend(self, text: str, s: int, e: int) -> int:
        """Grow an entity cut short by the tagger when the longer name is known:
        "Guinea" + "-Bissau", "Democratic Republic" + " of the Congo",
        "Ain al-Asad" + " air base"."""
        best = e
        pos = e
        for _ in range(4):
            m = _NEXT_WORD.match(text, pos)
            if not m:
                break
            pos = m.end()
            if self.gaz.has(text[s:pos]):
                best = pos
        return best

    def _shrink(self, text: str, s: int, e: int) -> tuple[int, int, list[Entry]] | None:
        """Longest known part of an unknown name: "Northeast Georgia" -> "Georgia",
        "Henderson County Jail" -> "Henderson County"."""
        words = [(m.start(), m.end()) for m in _WORD.finditer(text[s:e])]
        best: tuple[int, int, list[Entry]] | None = None
        for i in range(len(words)):
            for j in range(len(words), i, -1):
                if j - i == len(words) or (best and j - i <= best[1] - best[0]):
                    continue
                ps, pe = s + words[i][0], s + words[j - 1][1]
                part = text[ps:pe]
                if not part[:1].isupper() or name_key(part) in COMMON_WORDS:
                    continue
                # Drop only descriptive words: a direction before, a facility after.
                if i > 0 and not all(text[s + a:s + b].rstrip(".").capitalize() in _DIRECTIONS
                                     for a, b in words[:i]):
                    continue
                if j < len(words) and not _facility_tail(
                        text[s + words[j][0]:s + words[j][1]], part.rsplit(None, 1)[-1]):
                    continue
                cands = self._candidates(part)
                if cands and (best is None or pe - ps > best[1] - best[0]):
                    best = (ps, pe, cands)
        if best is not None and not any(name_key(c.name) == name_key(
                text[best[0]:best[1]]) for c in best[2]):
            # "Kokomo City Hall": the place is Kokomo, one name with the article's other
            # "Kokomo"s, not a separate "Kokomo City" (nor a hamlet with that alias)
            last = text[best[0]:best[1]].rsplit(None, 1)
            if len(last) == 2 and (last[1] in _SUFFIXES or last[1] == "Town"):
                cands = self.gaz.lookup(last[0])
                if cands:
                    best = (best[0], best[0] + len(last[0]), cands)
        return best

    def detect(self, doc: Doc) -> list[_Span]:
        gaz = self.gaz
        text = text_of(doc)
        names = Intervals(self._name_spans(doc))
        spans: list[_Span] = []
        for ent in ents_of(doc):
            if ent.label_ not in self.labels:
                continue
            s, e = ent.start_char, ent.end_char
            span_text = text[s:e]
            m = _LEADING_THE.match(span_text)
            if m:
                s += m.end()
            polity = None
            m = _POLITY_OF.match(text, s, e)
            if m and m.end() < e and not self.gaz.has(text[s:e]):
                # "Province of Manitoba": the place is Manitoba, and a province
                s, polity = m.end(), m.group(1)
            while e > s and text[e - 1] in ".,;:'’" and not _is_abbrev_end(text, s, e):
                e -= 1
            if text[s:e].endswith(("'s", "’s")):
                e -= 2
            if e <= s:
                continue
            e = self._extend(text, s, e)
            parts = _split_commas(text, s, e)
            prev: _Span | None = None
            for ps, pe in parts:
                ptext = text[ps:pe]
                sp = _Span(ps, pe, ptext, f"ent:{ent.label_}")
                after_comma = prev is not None or text[max(0, ps - 2):ps] == ", "
                abbrev = gaz.state_abbrev(ptext)
                if abbrev is not None and (after_comma or (ptext.endswith(".")
                                                           and len(ptext) > 3)):
                    sp.forced = abbrev
                    sp.source = "abbrev"
                else:
                    sp.cands = self._candidates(ptext)
                    if polity and ps == s:
                        sp.cands = _of_level(sp.cands, polity)
                    if not sp.cands and len(ptext.split()) > 1:
                        part = self._shrink(text, ps, pe)
                        if part is not None:
                            sp = _Span(part[0], part[1], text[part[0]:part[1]],
                                       f"ent:{ent.label_}", part[2])
                if prev is not None:
                    prev.container = sp
                spans.append(sp)
                prev = sp
        spans = [sp for sp in spans if self._keep_ent_span(sp, names, text)]
        if self.gazetteer_detection:
            spans.extend(self._scan(doc, spans, names))
        people = {name_key(sp.text) for sp in spans if _after_title(text, sp.start)}
        others = _OtherNames.of(doc)
        spans = [sp for sp in spans if not _named_otherwise(others, sp, text)
                 and not (name_key(sp.text) in people and not _placed(text, sp.start))
                 and not _bare_unknown(sp, text)]
        if self.gazetteer_detection:
            spans = self._explicit(doc, spans)
            spans.extend(self._roads(doc, spans))
        spans.sort(key=lambda sp: sp.start)
        self._link_patterns(doc, spans)
        return spans

    def _explicit(self, doc: Doc, spans: list[_Span]) -> list[_Span]:
        """Places the text's own conventions mark, even where the tagger saw another name:
        a dateline ("MANSFIELD — ..."), a legislator's home ("D-Ore.", "R-Elk River") and
        a list of counties ("Clay, Grant and Swift counties")."""
        text = text_of(doc)
        found: list[_Span] = []
        for m in _DATELINE.finditer(text):
            name = m.group("place")
            if name.isupper() and len(name) <= 3:
                continue  # "AP", "US": agencies and acronyms
            cands = self._candidates(name)
            if not cands:
                continue
            sp = _Span(m.start("place"), m.end("place"), name, "dateline", cands)
            found.append(sp)
            state = m.group("state")
            if state:
                abbrev = self.gaz.state_abbrev(state)
                if abbrev is not None:
                    sp.container = _Span(m.start("state"), m.end("state"), state, "abbrev",
                                         forced=abbrev)
                    found.append(sp.container)
        for m in _PARTY_HOME.finditer(text) if _PARTY_HOME_HINT.search(text) else ():
            if m.group("party") not in _place_rules()["party_labels"]:
                continue
            home = m.group("home")
            abbrev = self.gaz.state_abbrev(home)
            if abbrev is not None:
                found.append(_Span(m.start("home"), m.end("home"), home, "abbrev",
                                   forced=abbrev))
                continue
            home = home.rstrip(".")
            cands = [c for c in self._candidates(home) if c.level == "city"]
            if cands:
                found.append(_Span(m.start("home"), m.start("home") + len(home), home,
                                   "party", cands))
        # the list must end in "counties": most texts have none, and the search is slow
        for m in _COUNTY_LIST.finditer(text) if "ounties" in text else ():
            for w in _LISTED_NAME.finditer(m.group("names")):
                cands = [c for c in self._candidates(w.group(0) + " County")
                         if c.level == "region"]
                if cands:
                    start = m.start("names") + w.start()
                    found.append(_Span(start, start + len(w.group(0)), w.group(0), "county",
                                       cands))
        if not found:
            return spans
        taken = Intervals([(sp.start, sp.end) for sp in found])
        kept = [sp for sp in spans
                if not any(a < sp.end and sp.start < b for a, b in taken.near(sp.start, sp.end))]
        return kept + found

    def _keep_ent_span(self, sp: _Span, names: list[tuple[int, int]], text: str) -> bool:
        if _inside_name(sp.start, sp.end, names, text):
            return False
        if self.gaz.demonym(sp.text) and not sp.cands:
            return False
        if not sp.cands and _ROAD.fullmatch(sp.text):
            sp.source = "road"
            return True
        if not sp.cands and sp.forced is None and not self.keep_unresolved:
            return False
        if not sp.text[:1].isupper() and not sp.text[:1].isdigit():
            return False  # "the gulf in graduation rates", "the metro"
        if sp.text.rstrip(".").capitalize() in _DIRECTIONS:
            return False  # "between North and Strickland"
        if " " not in sp.text and sp.text.lower() in STOP_WORDS:
            return False  # "Most true pastors ..." tagged as a place
        if not sp.cands and sp.text.split()[-1] in ("of", "the", "and"):
            return False  # "the City of" cut from the name that follows it
        if sp.source == "ent:FAC" and not sp.cands:
            return False  # buildings we cannot place
        return True

    def _scan(self, doc: Doc, found: list[_Span], names: list[tuple[int, int]]) -> list[_Span]:
        """Gazetteer names spaCy did not tag, with guards against common words."""
        gaz = self.gaz
        text = text_of(doc)
        # Interval lookups by binary search: scanning every span per n-gram was quadratic.
        taken = Intervals([(sp.start, sp.end) for sp in found])
        other_ents = Intervals([(e.start_char, e.end_char) for e in ents_of(doc)
                                if e.label_ not in self.labels
                                and e.label_ not in ("GPE", "LOC", "FAC")
                                and e.label_ not in NAME_LABELS])
        out: list[_Span] = []
        # The tokens' strings and offsets, read once: a Token only for a name found.
        strings = token_strings(doc)
        words, starts, lower, punct = strings.text, strings.idx, strings.lower, strings.is_punct
        # the regex's own first letter tested first: most words fail there
        cap = [w[:1] in _ASCII_UPPER and _CAP_TOKEN.match(w) is not None for w in words]
        size = len(words)
        # the tokens a name may start at, in text order
        heads = [k for k, c in enumerate(cap) if c and not punct[k] and lower[k] != "the"]
        i = 0  # the tokens before i are read
        for head in heads:
            if head < i:
                continue
            i = head
            best: tuple[int, list[Entry]] | None = None
            s = starts[i]
            # [s, e) overlaps a name already found exactly when e passes this
            limit = taken.first_start_ending_after(s)
            for n in range(min(MAX_NGRAM, size - i), 0, -1):
                j = i + n - 1
                if not cap[j]:
                    continue
                e = starts[j] + len(words[j])
                if limit < e:
                    continue
                cands = gaz.lookup(text[s:e])
                if cands:
                    best = (n, cands)
                    break
            if best is None:
                i += 1
                continue
            n, cands = best
            tok = doc[i]
            e = starts[i + n - 1] + len(words[i + n - 1])
            i += n
            span_text = text[s:e]
            if _inside_name(s, e, names, text) or any(
                    a <= s and e <= b for a, b in other_ents.near(s, e)):
                continue
            if gaz.demonym(span_text) and not any(c.kind == "country" for c in cands):
                continue  # "Iraqi"; but "U.S." is also the country's own short name
            if not self._accept_scanned(doc, tok, n, span_text, cands):
                continue
            e2 = self._extend(text, s, e)
            if e2 != e:
                e, span_text, cands = e2, text[s:e2], gaz.lookup(text[s:e2])
                while i < size and starts[i] < e:
                    i += 1
            out.append(_Span(s, e, span_text, "gaz", cands))
        return out

    def _roads(self, doc: Doc, found: list[_Span]) -> list[_Span]:
        """Streets, highways and numbered roads: places without coordinates in our data."""
        text = text_of(doc)
        if not _may_name_roads(text):
            return []
        taken = [(sp.start, sp.end) for sp in found]
        out: list[_Span] = []
        for m in _ROAD.finditer(text):
            s, e = m.start(), m.end()
            if any(a < e and s < b for a, b in taken):
                continue
            out.append(_Span(s, e, m.group(0), "road"))
            taken.append((s, e))
        return out

    def _accept_scanned(self, doc: Doc, tok, n: int, span_text: str,
                        cands: list[Entry]) -> bool:
        key = name_key(span_text)
        if n == 1 and key in COMMON_WORDS:
            return False
        if span_text.isupper() and len(span_text) <= 4:
            # Acronyms: only the well-known country ones ("UK", "UAE", "DRC").
            return any(c.kind == "country" for c in cands)
        sentence_start = tok.is_sent_start or tok.i == 0
        nxt = doc[tok.i + n] if tok.i + n < len(doc) else None
        big = max((c.population for c in cands if c.level == "city"), default=0)
        text = text_of(doc)
        if n == 1 and tok.pos_ == "PROPN" and (
                _ADDRESS_BEFORE.search(text[max(0, tok.idx - 30):tok.idx])
                or nxt is not None and nxt.lower_ in _place_rules()["resident_nouns"]):
            # "Gainesville man", "of 12 Elm St., Alexandria": a town, though the tagger
            # may call it a person; a town of that very name, not an alias ("Area woman")
            return any(c.level == "city" and name_key(c.name) == key
                       and c.population >= RESCUED_TOWN_MIN for c in cands)
        if nxt is not None and nxt.lower_ in INSTITUTION_WORDS and not any(
                t.text in ("University", "College", "Institute")
                for t in doc[tok.i + n:tok.i + n + 3]):
            # "Alexandria Police", "Douglas County Sheriff's Office"
            return big >= 1000 or any(c.level != "city" for c in cands)
        # "Jackson said" / "Paris Hilton": a capitalised word after it joins a name.
        if nxt is not None and _CAP_TOKEN.match(nxt.text) and not nxt.is_punct:
            return False
        strong = [c for c in cands if c.kind in KIND_PRIOR and c.kind != "county"]
        if strong and not (sentence_start and n == 1 and key in COMMON_WORDS):
            return True
        if any(c.kind == "county" for c in cands) and n > 1:
            return True
        if sentence_start and n == 1:
            return big >= self.min_population_undetected * 4
        prev = doc[tok.i - 1] if tok.i > 0 else None
        if prev is not None and prev.lower_ in _PREPOSITIONS:
            return big >= 1000
        return big >= self.min_population_undetected

    def _link_patterns(self, doc: Doc, spans: list[_Span]) -> None:
        """"City, ST" / "City, Country": tie the city to its container; tag bare state codes."""
        text = text_of(doc)
        by_start = {sp.start: sp for sp in spans}
        extra: list[_Span] = []
        for sp in spans:
            if sp.container is not None:
                continue
            m = _COMMA.match(text[sp.end:sp.end + 3])
            if not m:
                continue
            nxt_start = sp.end + m.end()
            other = by_start.get(nxt_start)
            if other is not None:
                if any(c.level in ("country", "region") for c in other.cands) or other.forced:
                    sp.container = other
                continue
            # A state abbreviation spaCy did not tag: "Alexandria, La."
            ab = _STATE_AFTER_COMMA.match(text[nxt_start:nxt_start + 8])
            if ab and sp.cands:
                state = self.gaz.state_abbrev(ab.group(1))
                if state is not None and any(c.admin1 == state.name for c in sp.cands):
                    ctr = _Span(nxt_start, nxt_start + len(ab.group(1)), ab.group(1),
                                "abbrev", forced=state)
                    sp.container = ctr
                    extra.append(ctr)
        spans.extend(extra)
        spans.sort(key=lambda s: s.start)

    # ------------------------------------------------------------------ resolution

    def resolve(self, doc: Doc, spans: list[_Span]) -> list[PlaceMention]:
        article = doc._.article
        article_id = article.id if article is not None else "adhoc"
        groups: dict[str, list[_Span]] = defaultdict(list)
        for sp in spans:
            groups[_group_key(sp)].append(sp)

        demonym_focus: Counter[str] = Counter()
        # each distinct word once, in order of first use (so the countries' order is kept)
        capitalised = Counter(w for w in token_strings(doc).text if w[:1].isupper())
        for word, times in capitalised.items():
            iso = self.gaz.demonym(word)
            if iso and not self.gaz.has(word):
                demonym_focus[iso] += times

        # Each name's candidates ranked by prior alone, pruned: the tail of 40 small
        # "Springfield"s never wins and only slows the pairwise support below.
        pools: dict[str, list[Entry]] = {}
        for key, members in groups.items():
            cands = members[0].cands
            if not any(sp.container is not None for sp in members):
                cands = _top_level_first(cands, name_key(members[0].text))
            pools[key] = cands
        # only names with more candidates than the cut read the votes (_prune)
        votes = _state_votes(pools, groups, {k for k, c in pools.items()
                                             if len(c) > MAX_CANDIDATES})
        ranked: dict[str, list[tuple[float, Entry]]] = {}
        for key, members in groups.items():
            text_key = name_key(members[0].text)
            pri = sorted(((_prior(c, text_key), c) for c in pools[key]),
                         key=lambda t: -t[0])
            ranked[key] = _prune(pri, votes, key)
        support = _support(ranked, groups)

        def one_pass(ctx: _Context, prev: dict[str, tuple[Entry | None, float]]
                     ) -> dict[str, tuple[Entry | None, float]]:
            near = _chosen_support(ranked, prev, groups) if prev else {}
            out = {}
            for key, members in groups.items():
                sup = support.get(key, {})
                if key in near:
                    # Half from any reading of the other names, half from the readings
                    # chosen for them: "Hanover" with "Bethel, Vt." is the one near that
                    # Bethel, not the one near another Bethel.
                    sup = {cid: 0.5 * sup.get(cid, 0.0) + 0.5 * near[key].get(cid, 0.0)
                           for cid in set(sup) | set(near[key])}
                out[key] = self._choose(key, members, ranked[key], sup, ctx, prev)
            return out

        # Pass 1 uses priors, patterns and mutual support; later passes add the focus
        # countries and states of the previous pass, weighted by how sure it was, until
        # nothing changes. Choices can alternate (a town kept only while its neighbour is
        # placed near it, which is placed there only while the town is kept): the focus of
        # both states of the cycle then decides once.
        choice = one_pass(_Context.build([], groups, demonym_focus), {})
        before: dict[str, tuple[Entry | None, float]] | None = None
        for _ in range(MAX_PASSES - 1):
            new = one_pass(_Context.build([choice], groups, demonym_focus), choice)
            if _same_choice(new, choice):
                break
            if before is not None and _same_choice(new, before):
                # Two names can also swap readings each pass (the county in Texas and
                # the town in Alabama, then the other way round): settle those jointly.
                new = one_pass(_Context.build([choice, new], groups, demonym_focus), new)
                choice = _settle_swaps(_settle_swaps(new, choice, ranked), before, ranked)
                break
            before, choice = choice, new
        switched = _local_countrynames(choice, groups, ranked, demonym_focus)
        if switched:
            # the towns near it, left unplaced while the article seemed to be about the
            # country, now have their focus
            new = one_pass(_Context.build([choice], groups, demonym_focus), choice)
            choice = {**new, **{k: choice[k] for k in switched}}

        out: list[PlaceMention] = []
        for key, members in groups.items():
            best, conf = choice[key]
            for sp in members:
                place = _to_place(best) if best is not None else _unresolved(sp.text)
                det = 0.9 if sp.source.startswith("ent") or sp.source == "abbrev" else 0.75
                c = round(det * (conf if best is not None else 0.3), 3)
                out.append(PlaceMention(id=content_id("p", article_id, sp.start, sp.end),
                                        start=sp.start, end=sp.end, text=sp.text,
                                        place=place, confidence=c))
        out.sort(key=lambda pm: pm.start)
        return out

    def _choose(self, key: str, members: list[_Span], ranked: list[tuple[float, Entry]],
                support: dict[str, float], ctx: _Context,
                prev: dict[str, tuple[Entry | None, float]]) -> tuple[Entry | None, float]:
        forced = next((sp.forced for sp in members if sp.forced is not None), None)
        if forced is not None:
            return forced, 0.95
        if not ranked:
            return None, 0.0
        containers = [prev.get(_group_key(sp.container), (None, 0))[0]
                      for sp in members if sp.container is not None]
        containers = [c for c in containers if c is not None]
        if len(ranked) == 1:
            best, conf = ranked[0][1], 0.9
        else:
            scores = sorted(((p + support.get(c.id, 0.0)
                              + _context_score(c, ctx, containers, key), c)
                             for p, c in ranked), key=lambda t: -t[0])
            top = scores[0][0]
            z = sum(math.exp(s - top) for s, _ in scores)
            best, conf = scores[0][1], round(1.0 / z, 3)
        evidence = support.get(best.id, 0.0) + _context_score(best, ctx, containers, key)
        if not containers and not _well_founded(best, members, evidence, ctx, key):
            return None, 0.0
        return best, conf


# A town this small needs evidence from the article before a bare mention resolves to it.
MIN_POPULATION_BARE = 100_000


def _well_founded(best: Entry, members: list[_Span], evidence: float, ctx: _Context,
                  key: str) -> bool:
    """Whether a small place may be chosen on the strength of its name alone.

    Countries, regions, capitals and large cities may; a small town or site is kept
    only with evidence (a nearby place, the article's state or country) unless the
    text plainly names a place. "Come down!" is not Comé, "Arab Spring" not Spring,
    a militia called "Saraya" not a town in Senegal: such names stay unresolved (the
    name is kept, without coordinates) rather than placed wrongly.
    """
    if best.level not in ("city", "site") or best.kind == "capital":
        return True
    if best.id.startswith("ww:"):
        return True  # our own curated places (bases, crossings, camps) are named on purpose
    if evidence >= 0.5:
        return True
    written = members[0].text
    accents_differ = _fold(written) == _fold(best.name) and written.lower() != best.name.lower()
    plain_place = all(sp.source in ("ent:GPE", "ent:LOC") for sp in members)
    foreign = bool(ctx.countries) and best.country is not None and (
        ctx.country_share(best.country, key) < 0.2 and max(ctx.countries.values()) >= 1.0
    )
    if accents_differ:
        return False
    if foreign:
        return best.population >= MIN_POPULATION_BARE
    if written.lower() in STOP_WORDS or written.lower() in COMMON_WORDS:
        return False
    # a name spaCy did not call a place (a building, an organisation, a scanned word)
    return best.population >= (1_000 if plain_place else 10_000)


def _fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text.lower())
                   if not unicodedata.combining(ch))


MAX_CANDIDATES = 12
# Namesakes in the article's own states kept beyond the cut: the 14th "Madison County"
# by prior is the one in the state the story names.
MAX_STATE_EXTRAS = 4


def _state_votes(pools: dict[str, list[Entry]], groups: dict[str, list[_Span]],
                 wanted: set[str] | None = None) -> dict[str, Counter[str]]:
    """For each name (of ``wanted``, if given), the US states the article's other names
    point to: each name votes one unit, split over the states its candidates lie in
    ("Ohio" and "Ga." give a whole vote to their state, "Washington" a sliver to each of
    thirty)."""
    if wanted is not None and not wanted:
        return {}
    per_key: dict[str, set[str]] = {}
    for key, cands in pools.items():
        states = {c.admin1 for c in cands if c.country == "USA" and c.admin1}
        forced = next((sp.forced for sp in groups[key] if sp.forced is not None), None)
        if forced is not None and forced.country == "USA" and forced.admin1:
            states = {forced.admin1}
        if states:
            per_key[key] = states
    total: Counter[str] = Counter()
    for states in per_key.values():
        for st in states:
            total[st] += 1.0 / len(states)
    out: dict[str, Counter[str]] = {}
    for key in pools:
        if wanted is not None and key not in wanted:
            continue
        mine = per_key.get(key, set())
        out[key] = Counter({st: n - (1.0 / len(mine) if st in mine else 0.0)
                            for st, n in total.items()})
    return out


def _prune(pri: list[tuple[float, Entry]], votes: dict[str, Counter[str]],
           key: str) -> list[tuple[float, Entry]]:
    """The best candidates by prior, plus the few lower ones in the states the rest of
    the article points to most."""
    kept = pri[:MAX_CANDIDATES]
    if len(pri) <= MAX_CANDIDATES:
        return kept
    vote = votes.get(key) or Counter()
    top = max(vote.values(), default=0.0)
    if top < 1.0:
        return kept
    strong = {st for st, n in vote.items() if n >= max(1.0, 0.5 * top)}
    extra = [(p, c) for p, c in pri[MAX_CANDIDATES:] if c.admin1 in strong
             and c.country == "USA"]
    return kept + extra[:MAX_STATE_EXTRAS]
# Resolution passes at most: the choices settle in two or three.
MAX_PASSES = 5
SUPPORT_CAP = 4.5


def _prior(c: Entry, text_key: str) -> float:
    """How likely a bare mention of this name means ``c``, before any context."""
    main_name = name_key(c.name) == text_key
    if c.kind == "capital":
        # A capital's fame goes with its name: "Victoria" is not Hong Kong.
        s = math.log10(c.population + 10) + (2.5 if main_name else -0.5)
    elif c.level == "city" and c.kind == "city":
        s = math.log10(c.population + 10)
        if not main_name:
            # Alternate names: exonyms of big cities ("Mecca", "Kiev") are common in
            # English news; the alternate names of villages rarely are.
            s -= 0.5 if c.population >= 100_000 else 1.0
    else:
        s = KIND_PRIOR.get(c.kind, 5.0)
        if c.kind == "country":
            # "Mexico" is also an alternate name of Mexico City, "Georgia" a US state: a
            # country name means the country unless the article says otherwise.
            s += 2.5
        elif not main_name:
            s -= 1.0
    return s


# Towns this big that bear a country's or state's own name ("Lebanon, Pa.") stay candidates.
NAMESAKE_TOWN_MIN = 10_000


def _top_level_first(cands: list[Entry], text_key: str) -> list[Entry]:
    """A bare country or US state name means the country or state: "Egypt" is not a
    town that lists Egypt among its alternate names, "Kansas" not a hamlet in Illinois.
    Towns of that very name ("Lebanon, Ind.") need the "City, State" pattern; capitals
    and big cities of that very name ("New York", "Washington") stay candidates."""
    if not any(c.kind in ("country", "us_state") and name_key(c.name) == text_key
               for c in cands):
        return cands
    return [c for c in cands if c.level in ("country", "region") and c.kind != "county"
            or c.kind == "capital"
            or name_key(c.name) == text_key and c.population >= NAMESAKE_TOWN_MIN]


def _nearness(km: float) -> float:
    """Support one place gives another this far away. Within 25 km counts most: a town
    and the county it lies in, or two neighbouring towns, are named together far more
    often than two namesakes a state apart."""
    return 2.0 if km < 25 else 1.5 if km < 50 else 1.0 if km < 150 else 0.4 if km < 400 else 0.0


# How near another place of the article a town named like a country must lie to be
# read as that town: "Poland" with a city 15 km off is the Ohio village.
COUNTRYNAME_TOWN_KM = 50.0


def _local_countrynames(choice: dict[str, tuple[Entry | None, float]],
                        groups: dict[str, list[_Span]],
                        ranked: dict[str, list[tuple[float, Entry]]],
                        demonyms: Counter[str]) -> set[str]:
    """A country name read as the town of that name when the article's other places are
    all in the town's country, one of them close to the town, and nothing else points to
    the country (no place in it, no word for its people). Names the gazetteer gives one
    town of that very name count as that town here ("Poland" and "Youngstown")."""
    switched: set[str] = set()
    for key, (best, _) in list(choice.items()):
        if best is None or best.kind != "country" or demonyms.get(best.country or ""):
            continue
        text_key = name_key(groups[key][0].text)
        towns = [c for c in groups[key][0].cands
                 if c.level == "city" and c.kind == "city" and name_key(c.name) == text_key]
        others = [e if e is not None else ranked[k][0][1] for k, (e, _) in choice.items()
                  if k != key and not _ordinary_word(groups[k][0].text)
                  and (e is not None or len(ranked[k]) == 1 and ranked[k][0][1].level == "city"
                       and name_key(ranked[k][0][1].name) == name_key(groups[k][0].text))]
        if not towns or not others or any(e.country == best.country for e in others):
            continue
        local = [e for e in others if e.level in ("city", "site") or e.kind == "county"]
        near = [t for t in towns
                if all(e.country == t.country for e in others)
                and any(_fast_km(t, e) < COUNTRYNAME_TOWN_KM for e in local)]
        if near:
            choice[key] = (max(near, key=lambda t: t.population), 0.6)
            switched.add(key)
    return switched


def _fast_km(a: Entry, b: Entry) -> float:
    return _nearest_km(a, (b,))


def _nearest_km(a: Entry, others: Iterable[Entry]) -> float:
    """The distance from ``a`` to the nearest of ``others``, in one call (the support
    score asks it for every candidate against every other name's candidates)."""
    # Equirectangular approximation: plenty for "same area or not" at these scales.
    lat, lon = a.lat, a.lon
    return min(6371.0 * math.hypot(
        math.radians(b.lon - lon) * math.cos(math.radians((lat + b.lat) / 2)),
        math.radians(b.lat - lat)) for b in others)


def _support(ranked: dict[str, list[tuple[float, Entry]]],
             groups: dict[str, list[_Span]]) -> dict[str, dict[str, float]]:
    """Bonus for candidates that lie near some candidate of the article's other names.

    Places named together in an article are near each other: "Athens" with "Clarke
    County" and "Oglethorpe" is the one in Georgia. A US state among the other names
    supports its own towns and counties.
    """
    local = {k: [c for _, c in v if c.level in ("city", "site") or c.kind == "county"][:8]
             for k, v in ranked.items()}
    states = {k: {c.name for _, c in v if c.kind == "us_state"} for k, v in ranked.items()}
    # Provinces and regions from our own file name their country ("Ontario" -> Canada).
    region_countries = {k: {c.country for _, c in v[:2] if c.kind == "region" and c.country}
                        for k, v in ranked.items()}
    # What the other names most likely are: their top three candidates by prior.
    top_admin1 = {k: {c.admin1 for _, c in v[:3] if c.country == "USA" and c.admin1}
                  for k, v in ranked.items()}
    top_country = {k: {c.country for _, c in v[:3] if c.country} for k, v in ranked.items()}
    out: dict[str, dict[str, float]] = {}
    for key, cands in ranked.items():
        if len(cands) < 2:
            continue
        bonus: dict[str, float] = {}
        for _, c in cands:
            total = 0.0
            for other, ocands in local.items():
                if other == key:
                    continue
                if c.admin1 and c.admin1 in states[other]:
                    total += 1.2
                    continue
                if c.kind == "us_state":
                    total += 1.2 if c.name in top_admin1[other] else 0.0
                    continue
                if c.kind == "country" or c.kind == "region" and c.country:
                    # Countries and provinces are supported by the towns named in them.
                    total += 0.8 if c.country in top_country[other] else 0.0
                    continue
                if c.level == "city" and c.country in region_countries[other]:
                    total += 0.8
                    continue
                if not ocands or c.level in ("country", "region") and c.kind != "county":
                    continue
                total += _nearness(_nearest_km(c, ocands))
            bonus[c.id] = min(total, SUPPORT_CAP)
        out[key] = bonus
    return out


def _chosen_support(ranked: dict[str, list[tuple[float, Entry]]],
                    prev: dict[str, tuple[Entry | None, float]],
                    groups: dict[str, list[_Span]]) -> dict[str, dict[str, float]]:
    """Like :func:`_support`, but near the places chosen for the other names last pass."""
    chosen = {k: e for k, (e, _) in prev.items()
              if e is not None and (e.level in ("city", "site") or e.kind == "county")
              and not _ordinary_word(groups[k][0].text)}
    out: dict[str, dict[str, float]] = {}
    for key, cands in ranked.items():
        if len(cands) < 2:
            continue
        others = [e for k, e in chosen.items() if k != key]
        bonus: dict[str, float] = {}
        for _, c in cands:
            if c.level not in ("city", "site") and c.kind != "county":
                continue
            total = 0.0
            for o in others:
                d = _fast_km(c, o)
                total += _nearness(d)
            bonus[c.id] = min(total, SUPPORT_CAP)
        out[key] = bonus
    return out


MAX_SWAPPED = 6


def _settle_swaps(a: dict[str, tuple[Entry | None, float]],
                  b: dict[str, tuple[Entry | None, float]],
                  ranked: dict[str, list[tuple[float, Entry]]]
                  ) -> dict[str, tuple[Entry | None, float]]:
    """Where two passes disagree, the combination of their readings that hangs together
    best: priors plus nearness and shared states among the chosen places."""
    diff = [k for k in a if a[k][0] is not None and b[k][0] is not None
            and a[k][0].id != b[k][0].id]
    if len(diff) < 2 or len(diff) > MAX_SWAPPED:
        return a
    prior = {k: {c.id: p for p, c in ranked[k]} for k in diff}
    fixed = [e for k, (e, _) in a.items() if k not in diff and e is not None]

    def local(e: Entry) -> bool:
        return e.level in ("city", "site") or e.kind == "county"

    def fit(e: Entry, o: Entry) -> float:
        s = 0.0
        if local(e) and local(o):
            d = _fast_km(e, o)
            s += _nearness(d)
        if e.country == "USA" and e.admin1 and e.admin1 == o.admin1:
            s += 1.2
        return s

    best: tuple[float, dict[str, tuple[Entry | None, float]]] | None = None
    for mask in range(1 << len(diff)):
        pick = {k: (b if mask >> i & 1 else a)[k] for i, k in enumerate(diff)}
        ents = [pick[k][0] for k in diff]
        score = sum(prior[k].get(pick[k][0].id, 0.0) for k in diff)
        score += sum(fit(e, o) for i, e in enumerate(ents) for o in ents[i + 1:])
        score += sum(fit(e, o) for e in ents for o in fixed)
        if best is None or score > best[0]:
            best = (score, pick)
    assert best is not None
    return {**a, **best[1]}


# Weight of the article's focus country and US state (shares of its other places). A
# local story about Dublin, Ohio names other Ohio places: that outweighs Dublin's fame.
COUNTRY_FOCUS_WEIGHT = 7.0
STATE_FOCUS_WEIGHT = 3.0


def _context_score(c: Entry, ctx: _Context, containers: list[Entry], key: str = "") -> float:
    s = COUNTRY_FOCUS_WEIGHT * ctx.country_share(c.country, key)
    if c.admin1 and c.country == "USA":
        s += STATE_FOCUS_WEIGHT * ctx.state_share(c.admin1, key)
    for ctr in containers:
        if ctr.level == "country":
            s += 6.0 if c.country == ctr.country and c.kind != "country" else -2.0
        elif ctr.kind == "us_state":
            s += 6.0 if c.admin1 == ctr.name and c.kind != "us_state" else -2.0
        elif haversine_km(c.lat, c.lon, ctr.lat, ctr.lon) < 150:
            s += 5.0
        elif ctr.kind == "region" and ctr.country and ctr.country != c.country:
            # "Kingston, Ontario": a province's centre point can lie far from its towns,
            # but a town in another country is not in it
            s -= 2.0
    return s


FIRST_PASS_SLACK = 2.0


@dataclass
class _Context:
    """Focus countries and US states of the article, from the previous pass's choices."""

    countries: Counter[str]
    states: Counter[str]
    # Each name's own share, so a name is never its own evidence (seven "Mansfield"s
    # in Texas must not outvote one "Shreveport").
    own: dict[str, list[tuple[str | None, str | None, float]]]
    # Weight of what is not yet known: in the first pass only words for a people count,
    # and one such word must not make a whole focus of a story that reaches abroad.
    slack: float = 0.0
    # The sums of the counts, read by every share (the counts do not change once built).
    country_total: float = field(init=False, repr=False)
    state_total: float = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.country_total = sum(self.countries.values())
        self.state_total = sum(self.states.values())

    @classmethod
    def build(cls, choices: list[dict[str, tuple[Entry | None, float]]],
              groups: dict[str, list[_Span]], demonyms: Counter[str]) -> _Context:
        """The focus of one pass's choices, or the mean focus of several."""
        countries: Counter[str] = Counter()
        states: Counter[str] = Counter()
        own: dict[str, list[tuple[str | None, str | None, float]]] = defaultdict(list)
        for iso, n in demonyms.items():
            countries[iso] += 0.5 * n
        for choice in choices:
            for key, (e, conf) in choice.items():
                if e is None or _ordinary_word(groups[key][0].text):
                    # "More" resolved to a French village only because of the article's
                    # focus must not feed that focus (it flipped Paris, Tenn. to France)
                    continue
                w = conf * len(groups[key]) / len(choices)
                state = e.admin1 if e.country == "USA" else None
                if e.country:
                    countries[e.country] += w
                if state:
                    states[state] += w
                own[key].append((e.country, state, w))
        return cls(countries, states, own, 0.0 if choices else FIRST_PASS_SLACK)

    def country_share(self, iso: str | None, key: str = "") -> float:
        mine = self.own.get(key, [])
        total = self.country_total - sum(w for c, _, w in mine if c) + self.slack
        n = self.countries[iso] - sum(w for c, _, w in mine if c == iso) if iso else 0.0
        return n / total if total > 1e-9 else 0.0

    def state_share(self, name: str, key: str = "") -> float:
        mine = self.own.get(key, [])
        total = self.state_total - sum(w for _, st, w in mine if st)
        n = self.states[name] - sum(w for _, st, w in mine if st == name)
        return n / total if total > 1e-9 else 0.0


def _same_choice(a: dict[str, tuple[Entry | None, float]],
                 b: dict[str, tuple[Entry | None, float]]) -> bool:
    return all((a[k][0] and a[k][0].id) == (b[k][0] and b[k][0].id) for k in a)


def _ordinary_word(text: str) -> bool:
    low = text.strip().lower()
    return low in STOP_WORDS or low in COMMON_WORDS


def _group_key(sp: _Span | None) -> str:
    if sp is None:
        return ""
    if sp.forced is not None:
        return "forced:" + sp.forced.id
    return name_key(sp.text)


@table
def _place_rules() -> dict:
    path = resources.files("wirewatch.nlp").joinpath("data/place_rules.yaml")
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {"person_titles": set(raw.get("person_titles") or []),
            "resident_nouns": set(raw.get("resident_nouns") or []),
            "party_labels": set(raw.get("party_labels") or []),
            "dateline_dashes": list(raw.get("dateline_dashes") or [])}


_DASHES = "|".join(re.escape(d) for d in sorted(_place_rules()["dateline_dashes"],
                                                key=len, reverse=True))
# "MOUNT GILEAD (AP) --", "SALINA, Kan. —": capitals at the start of a line or sentence.
_DATELINE = re.compile(
    r"(?:^|(?<=[.!?\n])\s*|(?<=[.!?][\"”’]) )"
    r"(?P<place>[A-Z][A-Z'’.\-]+(?:\s(?:[A-Z][A-Z'’.\-]+|OF))*)"
    r"(?:,\s(?P<state>[A-Z][A-Za-z]{0,4}\.(?:\s?[A-Z][a-z]?\.)?|[A-Z]{2}"
    r"|[A-Z][a-z]+(?:\s[A-Z][a-z]+)?))?"
    r"(?:\s*\((?:AP|Reuters|AFP|UPI|CNN)\))?\s*(?:" + _DASHES + r")(?=\s)")
# "D-N.Y.", "DFL-Cook", "R-Elk River": a legislator's party and home.
_PARTY_HOME = re.compile(r"\b(?P<party>[A-Z][A-Za-z]{0,3})-(?P<home>[A-Z][a-z]*\.(?:[A-Z][a-z]?\.)?"
                         r"|[A-Z][a-z]+(?: [A-Z][a-z]+)?)(?=[,;)\]]|\s[-—–]|\.\s|$)")
# What every match of _PARTY_HOME contains (a cheap search rules most texts out).
_PARTY_HOME_HINT = re.compile(r"[A-Z][A-Za-z]{0,3}-[A-Z]")
# "Becker, Clay and Swift counties": names in a list that ends in "counties".
_COUNTY_LIST = re.compile(
    r"(?P<names>(?:[A-Z][\w'’.\-]*(?: [A-Z][\w'’.\-]*)?(?:,? and |, | or ))+"
    r"[A-Z][\w'’.\-]*(?: [A-Z][\w'’.\-]*)?) [Cc]ounties\b")


def _facility_tail(word: str, before: str) -> bool:
    """A word after a place that makes a facility or body of it: "Henderson County Jail",
    "Pike County Commissioners", "Kokomo City Hall" (``before``: the place's last word)."""
    word = _POSSESSIVE_END.sub("", word.rstrip(".,;:"))
    if word.capitalize() in _SUFFIXES:
        return False  # "Brown" of "Brown County Cheese": the county is the name, or none
    if word == "Hall":
        return before in ("City", "Town")
    return word.capitalize() in _GENERIC_TAILS or (
        word[:1].isupper() and word.lower() in INSTITUTION_WORDS)


def _after_title(text: str, start: int) -> bool:
    before = _WORD_BEFORE_DOT.search(text[max(0, start - 20):start])
    return bool(before and before.group(1).lower() in _place_rules()["person_titles"])


def _placed(text: str, start: int) -> bool:
    prev = _WORD_BEFORE.search(text[max(0, start - 15):start])
    return prev is not None and prev.group(1).lower() in _PREPOSITIONS


# "of 12 Elm St., Alexandria," / "Rita Omen, 33, of Alexandria": a town in an address.
_ADDRESS_BEFORE = re.compile(
    r"(?:\b(?:St|Ave|Rd|Dr|Blvd|Ln|Pkwy|Hwy|Street|Avenue|Road|Drive|Lane|Boulevard|Way|"
    r"Court|Circle|Place|Trail|Parkway|Highway)\.?,|\b\d{1,3},\s+of|\b(?:Apt|Lot|No)\.?\s*\d+,)"
    r"\s+$")


# A one-word name the tagger called a person is rescued as a town only if one this big
# bears that very name: "of Archer" may be a family, "of Alexandria" is a town.
RESCUED_TOWN_MIN = 5_000


def _used_as_place(text: str, sp: _Span) -> bool:
    """A name the tagger took for a person or organisation, written the way a town is:
    before a word for its people or its bodies ("Gainesville man", "Alexandria police")
    or as the town of a street address ("of 12 Elm St., Alexandria")."""
    if not sp.cands or " " in sp.text.strip():
        return False
    if _ADDRESS_BEFORE.search(text[max(0, sp.start - 30):sp.start]):
        return True
    nxt = _WORD_AFTER.match(text[sp.end:sp.end + 20])
    if nxt is None:
        return False
    word = nxt.group(1).lower()
    if word in _place_rules()["resident_nouns"]:
        return True
    # An office word must not be the start of the person's own title ("Paris Council" is
    # a place's council, "Jackson said" is not)
    return word in INSTITUTION_WORDS and nxt.group(1)[:1].isupper()


def _bare_unknown(sp: _Span, text: str) -> bool:
    """One word the gazetteer does not know and no locative preposition introduces
    ("Titan rejected the offer"): too little evidence for a place."""
    if sp.cands or sp.forced is not None or sp.source == "road" or " " in sp.text.strip():
        return False
    return not (_placed(text, sp.start) or text[max(0, sp.start - 8):sp.start].rstrip()
                .lower().endswith("between"))


# Kinds of registered organisations that are the place's own bodies, not other names.
_PLACE_BODY_KINDS = ("state", "territory", "government_body", "security_force")


@dataclass
class _OtherNames:
    """The article's people and registered organisations, by mention span and surname."""

    person_spans: set[tuple[int, int]]
    surnames: set[str]  # name keys of the last word of people's names of several words
    org_spans: set[tuple[int, int]]

    @classmethod
    def of(cls, doc: Doc) -> _OtherNames:
        person_spans: set[tuple[int, int]] = set()
        surnames: set[str] = set()
        org_spans: set[tuple[int, int]] = set()
        for ent in doc._.entities or []:
            if ent.type == "PERSON":
                person_spans.update((m.start, m.end) for m in ent.mentions)
                words = ent.name.split()
                if len(words) > 1:
                    surnames.add(name_key(words[-1]))
            elif (ent.type == "ORG" and ent.registry_id
                  and ent.kind not in _PLACE_BODY_KINDS):
                org_spans.update((m.start, m.end) for m in ent.mentions)
        return cls(person_spans, surnames, org_spans)


def _named_otherwise(others: _OtherNames, sp: _Span, text: str) -> bool:
    """A place name the article uses for a person or an organisation.

    After a personal title ("coach Ripley", "Mr. Sanford"), or the very span of a
    person's mention or a person's surname ("Moore pleaded guilty" after "Dan Moore"),
    or of a registered organisation ("Hamas"). A locative preposition before it is
    evidence enough for a place ("flew to Moore").
    """
    if _after_title(text, sp.start):
        return True
    placed = _placed(text, sp.start) or _used_as_place(text, sp)
    where = (sp.start, sp.end)
    if not placed and (where in others.person_spans or name_key(sp.text) in others.surnames):
        return True
    return where in others.org_spans


def _inside_name(s: int, e: int, names: list[tuple[int, int]], text: str = "") -> bool:
    """Strictly inside a longer name: "Iraq" in "Islamic Resistance in Iraq".

    A place that opens a name and is followed by an institution or office word
    ("Alexandria Police", "Fargo Mayor", "U.S. forces") names where that body is, so it
    stays a place mention.
    """
    for a, b in names.near(s, e) if isinstance(names, Intervals) else names:
        if not (a <= s and e <= b and (b - a) > (e - s)):
            continue
        if text and _is_place_prefix(text, a, s, e):
            continue
        return True
    return False


def _is_place_prefix(text: str, name_start: int, s: int, e: int) -> bool:
    head = text[name_start:s].strip()
    if _POLITY_OF_WHOLE.fullmatch(text[name_start:s]):
        return True  # "licensed by the State of Iowa": Iowa is named
    if head and head.lower() not in ("the",):
        return False
    nxt = text[e:e + 40].split()
    if any(w.strip(",.") in ("University", "College", "Institute") for w in nxt[:3]):
        return False  # "Ohio State University" is a name, not a mention of Ohio
    return bool(nxt) and nxt[0].lower().strip(",.") in INSTITUTION_WORDS


def _acronym_covers(acronym: str, name: str) -> bool:
    """True when the acronym's letters include the initial of the name's last word."""
    words = [w for w in _NAME_WORD.findall(name)]
    initials = "".join(w[0].upper() for w in words if w[0].isupper())
    return len(acronym) >= 2 and initials.endswith(acronym[-1]) and (
        acronym in initials or acronym == "".join(w[0].upper() for w in words))


def _is_abbrev_end(text: str, s: int, e: int) -> bool:
    """Keep the final dot of "U.S." and "Ga."."""
    if text[e - 1] != ".":
        return False
    word = text[s:e].split()[-1] if text[s:e].split() else ""
    return bool(_ABBREV_WORD.fullmatch(word))


def _split_commas(text: str, s: int, e: int) -> list[tuple[int, int]]:
    parts: list[tuple[int, int]] = []
    pos = s
    for m in _COMMA.finditer(text[s:e]):
        parts.append((pos, s + m.start()))
        pos = s + m.end()
    parts.append((pos, e))
    return [(a, b) for a, b in parts if b > a]


def _of_level(cands: list[Entry], polity: str) -> list[Entry]:
    """The candidates of the level a formal name states: "City of Ontario" is a town,
    "Province of Ontario" a province (all of them when none is of that level)."""
    if polity in _TOWN_POLITIES:
        fit = [c for c in cands if c.level == "city"]
    elif polity in ("County", "Parish"):
        fit = [c for c in cands if c.kind == "county"]
    else:
        fit = [c for c in cands if c.level == "region" and c.kind != "county"]
    return fit or cands


def _to_place(e: Entry) -> Place:
    return Place(id=e.id, name=e.name, lat=e.lat, lon=e.lon, country=e.country,
                 admin1=e.admin1, level=e.level)


def _unresolved(text: str) -> Place:
    slug = _NOT_SLUG.sub("-", name_key(text)).strip("-")
    return Place(id=f"ww:unresolved:{slug}", name=text, lat=None, lon=None, country=None,
                 admin1=None, level="site")


def location_for_span(doc: Doc, start: int, end: int) -> dict | None:
    """The place an event in ``doc.text[start:end]`` (its clause) happened at, or None.

    Prefers a place governed by a locative preposition ("in Baghdad") and, among
    those, the most precise level; returns the ``Event.location`` dict.
    """
    places = [pm for pm in doc._.places or [] if start <= pm.start and pm.end <= end]
    if not places:
        return None
    rank = {"site": 0, "city": 1, "region": 2, "country": 3}

    def key(pm: PlaceMention) -> tuple[int, int, int]:
        before = text_of(doc)[max(start, pm.start - 12):pm.start].lower().split()
        loc = 0 if before and before[-1] in _PREPOSITIONS else 1
        return (loc, rank.get(pm.place.level, 4), pm.start)

    pm = min(places, key=key)
    reason = "preposition" if key(pm)[0] == 0 else "in_clause"
    return {"place_ref": pm.id, "name": pm.place.name, "lat": pm.place.lat,
            "lon": pm.place.lon, "level": pm.place.level, "reason": reason}


@Language.factory(
    "wirewatch_places",
    default_config={
        "city_file": "cities500.json",
        "extra_regions": [],
        "labels": ["GPE", "LOC", "FAC"],
        "gazetteer_detection": True,
        "min_population_undetected": 50000,
        "keep_unresolved": True,
    },
)
def make_place_tagger(nlp: Language, name: str, city_file: str, extra_regions: list[str],
                      labels: list[str], gazetteer_detection: bool,
                      min_population_undetected: int, keep_unresolved: bool) -> PlaceTagger:
    return PlaceTagger(nlp, name, city_file=city_file, extra_regions=extra_regions,
                       labels=labels, gazetteer_detection=gazetteer_detection,
                       min_population_undetected=min_population_undetected,
                       keep_unresolved=keep_unresolved)
