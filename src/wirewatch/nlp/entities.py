"""The actor component: one entity per actor per article, with all its mentions.

spaCy's statistical NER is the starting point; on top of it we add
matches from the curated registry, acronyms defined in the text ("... (IRI)"),
descriptions that name a country's institutions ("the Iraqi government",
"U.S. forces"), and capitals used as governments ("Baghdad said"). Mentions
are then clustered: a registry id, an acronym, a surname or a normalised name
ties them to one entity whose ``id`` is stable across articles.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from importlib import resources

import yaml
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from wirewatch.model import Entity, Mention, content_id
from wirewatch.nlp.docents import ents_of
from wirewatch.nlp.doctext import text_of
from wirewatch.nlp.registry import Actor, Registry, load_registry, normalise_name, strip_particle
from wirewatch.nlp.spanindex import entity_index
from wirewatch.nlp.tables import table
from wirewatch.nlp.tokenstrings import token_strings

ENTITY_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT")

# Head nouns that turn a country word into one of its institutions, and the
# PLOVER sector the institution belongs to.
INSTITUTION_HEADS: dict[str, tuple[str, str]] = {
    "government": ("GOV", "government"),
    "authorities": ("GOV", "government"),
    "administration": ("GOV", "government"),
    "cabinet": ("GOV", "government"),
    "officials": ("GOV", "government"),
    "ministry": ("GOV", "government"),
    "parliament": ("LEG", "parliament"),
    "lawmakers": ("LEG", "parliament"),
    "military": ("MIL", "military"),
    "army": ("MIL", "military"),
    "forces": ("MIL", "military"),
    "troops": ("MIL", "military"),
    "soldiers": ("MIL", "military"),
    "navy": ("MIL", "military"),
    "warplanes": ("MIL", "military"),
    "police": ("COP", "police"),
    "judiciary": ("JUD", "judiciary"),
    "courts": ("JUD", "judiciary"),
    "intelligence": ("SPY", "intelligence services"),
    "regime": ("GOV", "government"),
    "opposition": ("OPP", "opposition"),
    "rebels": ("REB", "rebels"),
    "insurgents": ("REB", "rebels"),
}
# Modifiers that name the state's challengers, not its institutions ("Syrian rebel
# forces", "Libyan opposition fighters"), mapped to the head whose sector they take.
CHALLENGER_WORDS = {"opposition": "opposition", "rebel": "rebels", "rebels": "rebels",
                    "insurgent": "rebels", "insurgents": "rebels"}
# Widths (in tokens) of a country name _country_word tries, widest first.
_COUNTRY_WIDTHS = (3, 2, 1)


def _institution_starts(inst: list[int], size: int) -> list[int]:
    """The tokens (of ``size``) a country word may start at with an institution word
    (at the indices ``inst``) where the run after it can begin: i+1 up to the widest name
    plus a possessive. In text order."""
    reach = max(_COUNTRY_WIDTHS) + 1
    starts: set[int] = set()
    for k in inst:
        starts.update(range(max(0, k - reach), k))
    return sorted(starts)


# Words allowed between the country word and the head ("Iraqi security forces").
INSTITUTION_MODIFIERS = {
    "security", "armed", "federal", "central", "interim", "transitional", "caretaker",
    "special", "air", "ground", "naval", "defense", "defence", "military", "riot", "national",
    "state", "regional", "local", "senior", "top", "government", "border", "rebel",
    "insurgent",
}
# Office nouns whose "of X" names a department inside a title ("Secretary of State").
TITLE_NOUNS = {"secretary", "minister", "ministers", "secretaries", "undersecretary",
               "under-secretary", "commissioner"}
TITLE_HEADS = {"minister", "ministry", "secretary", "spokesman", "spokeswoman", "spokesperson",
               "department", "committee", "commission", "minister-designate"}
DEPARTMENT_WORDS = {"interior", "defence", "defense", "foreign", "finance", "oil", "justice",
                    "health", "education", "electricity", "trade", "planning", "culture",
                    "transport", "water", "agriculture", "labour", "labor", "state", "home",
                    "deputy", "prime"}
# First words of Arabic-named armed groups that spaCy tends to call people
# ("Kataib ...", "Saraya ...": "battalions", "companies", ...).
GROUP_NAME_WORDS = {
    "kataib", "kata'ib", "kataeb", "saraya", "liwa", "harakat", "haraka", "asaib", "asa'ib",
    "jaysh", "jaish", "jabhat", "jabha", "ansar", "hizb", "hezb", "alwiya", "firqat", "quwat",
    "tanzim", "jamaat", "jama'at", "majlis", "tahrir", "hayat", "hay'at", "faylaq", "usbat",
}
# Ranks and honorifics that are not names on their own ("Brig.", "Sheikh").
TITLE_TOKENS = {
    "brig", "brig.", "gen", "gen.", "col", "col.", "maj", "maj.", "lt", "lt.", "capt", "capt.",
    "sgt", "sgt.", "adm", "adm.", "dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.",
    "sheikh", "shaikh", "sayyid", "sayed", "hajj", "haji", "mullah", "imam", "ayatollah",
    "president", "minister", "general", "colonel", "major", "brigadier", "commander",
    "gov", "gov.", "sen", "sen.", "rep", "rep.", "prof", "prof.", "king", "prince", "emir",
}
REGIME_WORDS = {"regime", "junta"}
# Last words that make a name a structure (OntoNotes FAC), not the body that runs it.
FACILITY_HEADS = {"mosque", "church", "cathedral", "temple", "shrine", "synagogue",
                  "airfield", "airport", "airbase", "gate", "bridge", "dam", "barrage",
                  "palace", "stadium", "prison", "checkpoint", "crossing", "tower", "citadel"}
# "the town of X": nouns whose "of" introduces a place name.
PLACE_NOUNS = {"city", "town", "village", "province", "district", "suburb", "neighbourhood",
               "neighborhood", "governorate", "region", "area", "outskirts", "port",
               "capital", "island", "municipality", "county", "hamlet", "settlement", "site",
               "ruins"}
# Last words that make a name an organisation or a building, not a settlement.
ORG_TAIL_WORDS = {"university", "mosque", "church", "hospital", "airport", "airfield", "base",
                  "ministry", "council", "party", "army", "front", "brigade", "brigades",
                  "company", "bank", "school", "college", "institute", "museum", "group",
                  "movement", "news", "agency", "club", "fc", "united", "city", "stadium"}
# Prepositions that are never the first word of a name (checked case-insensitively).
LEADING_PREPOSITIONS = {"near", "in", "at", "outside", "inside", "from", "into", "around",
                        "across", "toward", "towards", "through", "of", "on", "to", "for",
                        "by", "with", "throughout", "within", "along"}
LOCATIVE_PREPOSITIONS = {"in", "near", "at", "outside", "inside", "from", "to", "into", "around",
                         "across", "toward", "towards", "through"}
# Prepositions that, fronted ("Near X, ..."), put a name where something happened.
NEAR_PREPOSITIONS = {"near", "outside", "nearby", "around"}
_ACRONYM_DEF = re.compile(r"\(\s*([A-Z][A-Za-z&\-]{1,9})\s*\)")
_CITATION = re.compile(r"[,.;:]?\s*[\[(]")
_LEADING_DET = re.compile(r"^(the|a|an)\s+", re.I)
_POSSESSIVE = re.compile(r"(['’]s|['’])$")
_NOT_LETTER = re.compile(r"[^A-Za-z]")
_ACRONYM_WORD = re.compile(r"[\w’'\-\.]+")
_BARE_ACRONYM = re.compile(r"[A-Z]{3,6}")
_ARTICLE_PARTICLES = {"al", "el", "the", "of", "and", "for", "in", "on", "de", "des", "la", "le"}


@dataclass
class Candidate:
    start: int
    end: int
    label: str
    actor_id: str | None  # registry id, or a described-actor id
    source: str  # registry | acronym | described | capital | ner
    priority: int


@dataclass
class DescribedActor:
    """A country's institution named by description: 'the Iraqi government'."""

    id: str
    name: str
    country: str
    sector: str


def described_actor(country: Actor, institution: str, sector: str) -> DescribedActor:
    return DescribedActor(
        id=f"{country.id}:{sector}",
        name=f"{country.name} ({institution})",
        country=country.country or country.id,
        sector=sector,
    )


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w and w[0].isalpha()).upper()


def _acronym_matches(acr: str, words: list[str]) -> bool:
    letters = _NOT_LETTER.sub("", acr).upper()
    full = _initials(words)
    if full == letters:
        return True
    content = [w for w in words if w.lower() not in _ARTICLE_PARTICLES]
    return _initials(content) == letters


class ActorRecognizer:
    """``wirewatch_actors``: finds actor and named-entity mentions and clusters them."""

    def __init__(self, nlp: Language, name: str, registry_files: list[str]):
        self.name = name
        self.registry: Registry = load_registry(tuple(registry_files))
        self.phrase_ci = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.phrase_cs = PhraseMatcher(nlp.vocab, attr="ORTH")
        forms_ci: dict[str, str] = {}
        forms_cs: dict[str, str] = {}
        for actor in self.registry.actors.values():
            for form in actor.surface_forms():
                key = normalise_name(form)
                if len(key) >= 3 and self.registry.lookup(form) is actor:
                    (forms_cs if actor.case_sensitive else forms_ci)[form] = actor.id
            for acr in actor.acronyms:
                if len(set(self.registry.by_acronym.get(acr, []))) == 1:
                    forms_cs[acr] = actor.id
            for dem in actor.demonyms:
                forms_ci[dem] = f"demonym:{actor.id}"
        for form, ident in forms_ci.items():
            variants = {form, form.replace("'", "’")}
            self.phrase_ci.add(f"ci:{ident}", [nlp.make_doc(v) for v in variants])
        for form, ident in forms_cs.items():
            variants = {form, form.replace("'", "’")}
            self.phrase_cs.add(f"cs:{ident}", [nlp.make_doc(v) for v in variants])

    # -- candidates ---------------------------------------------------------

    def _registry_candidates(self, doc: Doc) -> list[Candidate]:
        out: list[Candidate] = []
        vocab = doc.vocab.strings
        # the matches' character offsets from the doc's token offsets: no Span per match
        strings = token_strings(doc)
        words, idx = strings.text, strings.idx
        for match_id, start, end in self.phrase_ci(doc):
            # Case-insensitive matching must not fire on common words ("turkey", "chad").
            if not words[start][:1].isupper():
                continue
            ident = vocab[match_id][3:]
            end_char = idx[end - 1] + len(words[end - 1])
            if ident.startswith("demonym:"):
                out.append(Candidate(idx[start], end_char, "NORP", ident, "registry", 2))
                continue
            actor = self.registry.actors[ident]
            out.append(Candidate(idx[start], end_char, actor.type, actor.id, "registry", 4))
        for match_id, start, end in self.phrase_cs(doc):
            actor = self.registry.actors[vocab[match_id][3:]]
            out.append(Candidate(idx[start], idx[end - 1] + len(words[end - 1]), actor.type,
                                 actor.id, "registry", 4))
        return out

    def _ner_candidates(self, doc: Doc) -> list[Candidate]:
        out = []
        strings = token_strings(doc)
        lower, words = strings.lower, strings.text
        size = len(lower)
        for ent in ents_of(doc):
            if ent.label_ not in ENTITY_LABELS:
                continue
            # "Interior Minister X": the department word is part of a title, not an ORG.
            if ent.end < size and lower[ent.end] in TITLE_HEADS and all(
                    w in DEPARTMENT_WORDS for w in lower[ent.start:ent.end]):
                continue
            span = _trim(ent)
            if span is None:
                continue
            name = strings.span_text(span.start, span.end)
            # "Secretary of State", "Minister of Defence": the department word of a title
            # is no organisation on its own.
            if (ent.label_ == "ORG" and len(span) <= 2 and span.start >= 2
                    and lower[span.start - 1] == "of"
                    and lower[span.start - 2] in TITLE_NOUNS):
                continue
            label = ent.label_
            if label == "PERSON":
                label = self._person_or_not(span)
                if label is None:
                    continue
            if (label in ("PERSON", "ORG") and self.registry.country_of_capital(name)
                    and self.registry.lookup(name) is None):
                # A capital spaCy calls a person or an organisation is the city unless it
                # stands for the government (the capital candidates handle that).
                label = "GPE"
            elif label == "ORG" and self._place_by_context(span):
                label = "GPE"  # "fled from Husaybah", "the port city of Tartus"
            elif label == "ORG" and lower[span.end - 1] in FACILITY_HEADS and len(span) > 1:
                label = "FAC"  # "the Brandbergen Mosque", "Tiyas Military Airfield"
            elif (label == "NORP" and self.registry.country_of_demonym(name) is None
                  and self._place_by_context(span)):
                label = "GPE"  # "shelling in Aleppo": a placed name, no nationality
            elif label in ("ORG", "GPE", "PERSON") and self.registry.country_of_demonym(
                    name) and name[-1:] == "s" and len(span) == 1:
                label = "NORP"  # "Syrians", "Iraqis": the people, not a body
            # "the Asad regime": a name spaCy did not call a person, heading "regime", is
            # the regime (one ORG with its article), not a stray organisation "Asad".
            nxt = span.end + (1 if span.end < size and words[span.end] in ("'s", "’s")
                              else 0)
            if label != "PERSON" and nxt < size and lower[nxt] in REGIME_WORDS:
                start = span.start - (1 if span.start > 0 and lower[span.start - 1] == "the"
                                      else 0)
                out.append(Candidate(doc[start].idx, doc[nxt].idx + len(doc[nxt]), "ORG", None,
                                     "ner", 1))
                continue
            end_char = span.end_char
            # "Tikriti,[1" is one token: a citation mark or gloss inside it ends the name.
            cut = _CITATION.search(name, 1)
            if cut:
                end_char = span.start_char + cut.start()
            out.append(Candidate(span.start_char, end_char, label, None, "ner", 1))
        return out

    def _person_or_not(self, span: Span) -> str | None:
        """spaCy's PERSON label, corrected for group names and places it mistakes for people."""
        first = span[0].lower_.replace("’", "'")
        if first in GROUP_NAME_WORDS:
            return "ORG"
        if self._place_by_context(span):
            return "GPE"
        # "Near Tell Hamis, two raids ...": a name in a fronted "Near ..." or
        # "Outside ..." is where something happened, even one the gazetteer spells
        # differently ("stood near Ana Ruiz" mid-sentence stays a person).
        doc = span.doc
        if (span.start > 0 and doc[span.start - 1].lower_ in NEAR_PREPOSITIONS
                and doc[span.start - 1].text[:1].isupper()
                and self.registry.lookup(span.text) is None
                and all(t.text[:1].isupper() or t.lower_ in _ARTICLE_PARTICLES
                        or t.text in ("-", "'", "’") for t in span)):
            return "GPE"
        return "PERSON"

    def _place_by_context(self, span: Span) -> bool:
        """A name the text itself places: after a locative preposition ("near Tal Afar")
        or "the town of", known to the gazetteer and to no registry actor."""
        # The tests of the words themselves first: they rule out most names before the
        # parse is read (every test must pass, so their order changes nothing).
        strings = token_strings(span.doc)
        lower, words = strings.lower, strings.text
        start, end = span.start, span.end
        if any(w in ORG_TAIL_WORDS for w in lower[start:end]) or not words[end - 1][:1].isupper():
            return False
        if any(not words[k][:1].isupper() and lower[k] not in _ARTICLE_PARTICLES
               and words[k] not in ("-", "'", "’") for k in range(start, end)):
            return False
        before = lower[start - 1] if start > 0 else ""
        placed = before in LOCATIVE_PREPOSITIONS or (
            before == "of" and start > 1 and (lower[start - 2] in PLACE_NOUNS
                                              or lower[start - 2] in _metonymy()["place_of"]))
        if not placed:
            # "Mosul and Raqqah": coordinated with a place
            root = span.root
            placed = (root.dep_ == "conj" and root.head.ent_type_ in ("GPE", "LOC")) or any(
                c.dep_ == "conj" and c.ent_type_ in ("GPE", "LOC") for c in root.children)
        if not placed or self.registry.lookup(span.text) is not None:
            return False
        from wirewatch.nlp.gazetteer import get_gazetteer

        return get_gazetteer().has(span.text)

    def _described_candidates(self, doc: Doc) -> tuple[list[Candidate], dict[str, DescribedActor]]:
        out: list[Candidate] = []
        described: dict[str, DescribedActor] = {}
        # A country word is at most max(_COUNTRY_WIDTHS) tokens and a possessive, so the
        # institution run starts within that many + 1 tokens after the word's first token:
        # a token with no institution word there starts no candidate (no registry lookups).
        strings = token_strings(doc)
        lower, idx, words = strings.lower, strings.idx, strings.text
        size = len(lower)
        inst = [k for k, w in enumerate(lower)
                if w in INSTITUTION_MODIFIERS or w in INSTITUTION_HEADS]
        for i in _institution_starts(inst, size):
            country = self._country_word(doc, i)
            if country is None:
                continue
            actor, word_end = country
            # The last head noun in a run of modifiers and heads: "government forces".
            j, k = -1, word_end
            while k < size and (lower[k] in INSTITUTION_MODIFIERS
                                or lower[k] in INSTITUTION_HEADS):
                if lower[k] in INSTITUTION_HEADS:
                    j = k
                k += 1
            if j < 0:
                continue
            # "Iraqi government officials": the head must end the noun phrase.
            head = doc[j]
            if head.dep_ == "compound" and head.head.i > j:
                continue
            sector, institution = INSTITUTION_HEADS[lower[j]]
            run = lower[word_end:j]
            if lower[j] == "forces" and "security" in run:
                sector = "MIL"
            # "Syrian opposition forces" fight the state: the challenger word decides the
            # sector, so they never join the army's entity.
            challenger = [w for w in run if w in CHALLENGER_WORDS]
            if challenger:
                sector, institution = INSTITUTION_HEADS[CHALLENGER_WORDS[challenger[-1]]]
            start = i
            if start > 0 and lower[start - 1] == "the":
                start -= 1
            d = described_actor(actor, institution, sector)
            described[d.id] = d
            out.append(Candidate(idx[start], idx[j] + len(words[j]), "ORG", d.id,
                                 "described", 5))
        return out, described

    def _country_word(self, doc: Doc, i: int) -> tuple[Actor, int] | None:
        """A demonym or country name starting at token i: (country actor, end token)."""
        strings = token_strings(doc)
        words = strings.text
        size = len(words)
        if not words[i][:1].isupper():
            return None
        actor = self.registry.country_of_demonym(words[i])
        if actor is not None:
            return actor, i + 1
        for width in _COUNTRY_WIDTHS:
            if i + width > size:
                continue
            name = strings.span_text(i, i + width)
            if width == 1 and name.endswith(("'s", "’s")):
                continue
            found = self.registry.lookup(name)
            if found is not None and found.kind == "state":
                end = i + width
                if end < size and words[end] in ("'s", "’s"):
                    end += 1
                return found, end
        return None

    def _acronym_candidates(self, doc: Doc, cands: list[Candidate]) -> tuple[
            list[Candidate], dict[str, tuple[int, int]]]:
        """'Islamic Resistance in Iraq (IRI)': the long form and the acronym are one actor."""
        text = text_of(doc)
        out: list[Candidate] = []
        defined: dict[str, tuple[int, int]] = {}
        for m in _ACRONYM_DEF.finditer(text):
            acr = m.group(1)
            letters = _NOT_LETTER.sub("", acr)
            if len(letters) < 2 or not any(c.isupper() for c in letters[1:] + letters[0]):
                continue
            offset = max(0, m.start() - 160)
            before = text[offset:m.start()]
            words = list(_ACRONYM_WORD.finditer(before))
            best: tuple[int, int] | None = None
            for k in range(1, min(len(words), 10) + 1):
                chunk = words[-k:]
                tokens = [w.group(0) for w in chunk]
                if not tokens[0][:1].isupper():
                    continue
                if _acronym_matches(acr, tokens):
                    best = (offset + chunk[0].start(), offset + chunk[-1].end())
            if best is None:
                continue
            label = "ORG"
            for c in cands:
                if c.start <= best[0] < c.end and c.label in ("PERSON", "GPE", "LOC", "FAC"):
                    label = c.label
            defined[acr] = best
            # The text defines this name explicitly: it outranks a registry match inside
            # it ("Iraq" in "Islamic Resistance in Iraq").
            out.append(Candidate(best[0], best[1], label, None, "acronym", 7))
        if defined:
            pattern = re.compile(r"\b(" + "|".join(map(re.escape, defined)) + r")\b")
            for m in pattern.finditer(text):
                out.append(Candidate(m.start(), m.end(), "ORG", None, "acronym", 3))
        return out, defined

    def _capital_candidates(
        self, doc: Doc
    ) -> tuple[list[Candidate], dict[str, DescribedActor]]:
        """'Baghdad said' -> the Iraqi government; the city stays a place elsewhere."""
        out = []
        described: dict[str, DescribedActor] = {}
        strings = token_strings(doc)
        for ent in ents_of(doc):
            # spaCy also calls a capital a person or an organisation ("Kabul rejected").
            if ent.label_ not in ("GPE", "ORG", "PERSON"):
                continue
            bounds = _trim_bounds(ent)
            if bounds is None:
                continue
            name = strings.span_text(*bounds)
            state = self.registry.country_of_capital(name)
            if state is None:
                continue
            span = doc[bounds[0]:bounds[1]]
            if ent.label_ != "GPE" and self.registry.lookup(name) is not None:
                continue  # a registered person or body of the same name
            if _metonymic(span.root):
                d = described_actor(state, "government", "GOV")
                described[d.id] = d
                out.append(Candidate(span.start_char, span.end_char, "ORG", d.id, "capital", 6))
        return out, described

    def preload(self) -> None:
        """Read the gazetteer now (a place named like a body, "Mosul Council", looks there)."""
        from wirewatch.nlp.gazetteer import get_gazetteer

        get_gazetteer()

    # -- selection and clustering ------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        ner_cands = self._ner_candidates(doc)
        cands = _outside_longer_names(doc, self._registry_candidates(doc), ner_cands,
                                      self.registry) + ner_cands
        described_cands, described = self._described_candidates(doc)
        acr_cands, acronyms = self._acronym_candidates(doc, cands)
        capital_cands, capital_govs = self._capital_candidates(doc)
        described.update(capital_govs)
        dateline_cands = _dateline_candidates(doc)
        # Spans taken before _adjust, which may widen a candidate.
        outlets = {(c.start, c.end) for c in dateline_cands if c.label == "ORG"}
        chosen = [_adjust(doc, c, self.registry) for c in _select(
            cands + described_cands + acr_cands + capital_cands + dateline_cands)]
        doc._.entities, doc._.entity_at = self._cluster(doc, chosen, described, acronyms)
        _mark_outlets(doc._.entities, outlets)
        return doc

    def _cluster(
        self,
        doc: Doc,
        chosen: list[Candidate],
        described: dict[str, DescribedActor],
        acronyms: dict[str, tuple[int, int]],
    ) -> tuple[list[Entity], list[tuple[int, int, str, str]]]:
        text = text_of(doc)
        keys: list[str] = []
        # Long forms of defined acronyms: the acronym and the long form share a key.
        long_form_key: dict[tuple[int, int], str] = {}
        for acr, span in acronyms.items():
            long_text = text[span[0]:span[1]]
            actor = self.registry.lookup(long_text) or self.registry.lookup(acr)
            long_form_key[span] = (f"reg:{actor.id}" if actor
                                   else f"name:ORG:{normalise_name(long_text)}")
        acronym_key = {acr: long_form_key[span] for acr, span in acronyms.items()}

        persons_full: dict[str, str] = {}  # particle-stripped surname -> key of a full name
        ambiguous_surnames: set[str] = set()
        for c in chosen:
            surface = text[c.start:c.end]
            if c.actor_id and c.actor_id.startswith("demonym:"):
                key = f"norp:{c.actor_id.split(':', 1)[1]}"
            elif c.actor_id:
                key = f"reg:{c.actor_id}"
            elif (c.start, c.end) in long_form_key:
                key = long_form_key[(c.start, c.end)]
            elif c.source == "dateline" and c.label == "GPE":
                # A dateline names where the story was filed: a place, never a government.
                key = f"name:PLACE:{normalise_name(surface)}"
            elif c.source == "acronym" and _LEADING_DET.sub("", surface) in acronym_key:
                key = acronym_key[_LEADING_DET.sub("", surface)]
            else:
                actor = self.registry.lookup(surface)
                if actor is not None and (actor.type == c.label or c.label in ("ORG", "GPE")):
                    key = f"reg:{actor.id}"
                elif c.label == "NORP" and self.registry.country_of_demonym(surface):
                    key = f"norp:{self.registry.country_of_demonym(surface).id}"  # type: ignore[union-attr]
                else:
                    key = f"name:{_label_group(c.label)}:{normalise_name(surface)}"
            keys.append(key)
            if c.label == "PERSON" and len(surface.split()) > 1:
                surname = strip_particle(surface.split()[-1])
                prev = persons_full.get(surname)
                if prev is not None and prev != key:
                    ambiguous_surnames.add(surname)
                persons_full[surname] = key
        # Registry persons count for surname linking even when written in full only once.
        for key in keys:
            if key.startswith("reg:"):
                actor = self.registry.get(key[4:])
                if actor is not None and actor.type == "PERSON":
                    surname = strip_particle(actor.name.split()[-1])
                    if persons_full.get(surname, key) != key:
                        ambiguous_surnames.add(surname)
                    persons_full.setdefault(surname, key)
        _link_undefined_acronyms(text, chosen, keys)
        for i, c in enumerate(chosen):
            surface = text[c.start:c.end]
            # spaCy often calls a lone surname an ORG ("Mahdi said ...").
            if (c.source == "ner" and c.label in ("ORG", "GPE", "NORP")
                    and len(surface.split()) == 1 and strip_particle(surface) in persons_full):
                c.label = "PERSON"
            if c.label == "PERSON" and keys[i].startswith("name:") and len(surface.split()) == 1:
                surname = strip_particle(surface)
                if surname in persons_full and surname not in ambiguous_surnames:
                    keys[i] = persons_full[surname]

        groups: dict[str, list[Candidate]] = defaultdict(list)
        for c, key in zip(chosen, keys, strict=True):
            groups[key].append(c)

        entities: list[Entity] = []
        index: list[tuple[int, int, str, str]] = []
        for key, members in groups.items():
            ent = self._make_entity(doc, key, members, described)
            entities.append(ent)
            for c in members:
                index.append((c.start, c.end, ent.id, c.label))
        entities.sort(key=lambda e: e.mentions[0].start)
        index.sort()
        return entities, index

    def _make_entity(
        self, doc: Doc, key: str, members: list[Candidate], described: dict[str, DescribedActor]
    ) -> Entity:
        text = text_of(doc)
        mentions = [Mention(c.start, c.end, text[c.start:c.end], c.label) for c in members]
        mentions.sort(key=lambda m: m.start)
        kind, ident = key.split(":", 1)
        labels = Counter(c.label for c in members)
        if kind == "reg":
            if ident in described:
                d = described[ident]
                kind_of = ("government_body" if d.sector in ("GOV", "LEG", "JUD")
                           else "armed_group" if d.sector in ("OPP", "REB")
                           else "security_force")
                return Entity(id=d.id, name=d.name, type="ORG", mentions=mentions,
                              registry_id=None, kind=kind_of,
                              sectors=[d.sector], country=d.country, confidence=0.8)
            actor = self.registry.actors[ident]
            roles, sectors = _dated_roles(actor, _article_day(doc))
            return Entity(id=actor.id, name=actor.name, type=actor.type, mentions=mentions,
                          registry_id=actor.id, kind=actor.kind, sectors=sectors,
                          country=actor.country, confidence=0.95, roles=roles)
        if kind == "norp":
            actor = self.registry.actors[ident]
            return Entity(id=f"{actor.id}:NORP", name=mentions[0].text, type="NORP",
                          mentions=mentions, kind="nationality", country=actor.country,
                          confidence=0.9)
        label = labels.most_common(1)[0][0]
        if any(c.source == "acronym" for c in members):
            # A defined acronym's entity is named by its long form.
            name = _LEADING_DET.sub("", max((m.text for m in mentions), key=len))
        else:
            name = _canonical_name(label, [m.text for m in mentions])
        kind_name = "place" if label in ("GPE", "LOC", "FAC") else (
            "person" if label == "PERSON" else None)
        if label == "ORG" and any(c.source == "acronym" for c in members):
            kind_name = "organisation"
        confidence = min(0.9, 0.55 + 0.1 * (len(mentions) - 1))
        return Entity(id=content_id("act", _label_group(label), normalise_name(name)),
                      name=name, type=label, mentions=mentions, kind=kind_name,
                      confidence=round(confidence, 2))


# Sectors a person holds only through an office: they lapse when the office ends.
OFFICE_SECTORS = {"GOV", "MIL", "LEG", "JUD", "SPY", "COP"}


def _article_day(doc: Doc) -> str | None:
    article = doc._.article
    published = getattr(article, "published", None) if article is not None else None
    return str(published)[:10] if published else None


def _dated_roles(actor: Actor, day: str | None) -> tuple[list[str], list[str]]:
    """A registry person's roles and sectors on the article's day.

    A role holds for its dates only: a president who had left office by the article's
    day is a "former president", and the state sectors that came with the office lapse
    (a former official is an elite, ELI, not the government).
    """
    if actor.type != "PERSON" or not actor.roles:
        return [], list(actor.sectors)
    current, former = actor.roles_on(day)
    roles = [r.title for r in current] + [f"former {r.title}" for r in former]
    sectors = list(actor.sectors)
    if not current:
        sectors = [s for s in sectors if s not in OFFICE_SECTORS]
        if former and "ELI" not in sectors:
            sectors.append("ELI")
    return list(dict.fromkeys(roles)), sectors


def _mark_outlets(entities: list[Entity], outlets: set[tuple[int, int]]) -> None:
    """'BASRA (Gulf Wire Service) —': an organisation named in a dateline is the outlet."""
    for ent in entities:
        if ent.type != "ORG" or ent.kind not in (None, "organisation"):
            continue
        if any((m.start, m.end) in outlets for m in ent.mentions):
            ent.kind = "media"
            ent.sectors = ent.sectors or ["JRN"]


_DATELINE_PARTS = re.compile(r"^(?P<place>[A-Z][A-Z'’.\-]+(?:\s+[A-Z][A-Z'’.\-]+)*)"
                             r"|\((?P<outlet>[^)]{2,60})\)")


def _dateline_candidates(doc: Doc) -> list[Candidate]:
    """'BASRA, Iraq (Tigris Wire) —': the capitals are a place, the parenthesis the outlet."""
    article = doc._.article
    out: list[Candidate] = []
    for seg in (article.segments if article is not None else []):
        if seg.kind != "dateline":
            continue
        for m in _DATELINE_PARTS.finditer(text_of(doc)[seg.start:seg.end]):
            if m.group("outlet"):
                out.append(Candidate(seg.start + m.start("outlet"), seg.start + m.end("outlet"),
                                     "ORG", None, "dateline", 6))
            elif m.group("place"):
                out.append(Candidate(seg.start + m.start("place"), seg.start + m.end("place"),
                                     "GPE", None, "dateline", 6))
    return out


@table
def _metonymy() -> dict:
    path = resources.files("wirewatch.nlp").joinpath("data/metonymy.yaml")
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        "subject": set(raw.get("subject_verbs") or []),
        "object": set(raw.get("object_verbs") or []),
        "prep": {p: set(words) for p, words in (raw.get("prepositions") or {}).items()},
        "possessed": set(raw.get("possessed_nouns") or []),
        "place_predicates": set(raw.get("place_predicates") or []),
        "modifier": set(raw.get("modifier_nouns") or []),
        "actor_adjectives": set(raw.get("actor_adjectives") or []),
        "actor_nouns": set(raw.get("actor_nouns") or []),
        "actor_groups": set(raw.get("actor_groups") or []),
        "place_of": set(raw.get("place_of_nouns") or []),
    }


def _acting_subject(head: Token) -> bool:
    """An active verb that a place as its subject performs as an actor."""
    return head.pos_ == "VERB" and head.lemma_.lower() not in _metonymy()["place_predicates"]


def _metonymic(root: Token) -> bool:
    """Does a capital in this grammatical role stand for its government?

    The subject of a speech or policy verb ("Beijing said"), the object of a verb aimed
    at a government ("warned Washington"), the object of a preposition after a relation
    word ("talks with Kabul"), or the owner of a policy noun ("Moscow's response").
    Coordinated capitals share the role of the first ("Washington and Beijing agreed").
    """
    table = _metonymy()
    tok = root
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    head = tok.head
    if tok.dep_ == "nsubj":
        return head.lemma_.lower() in table["subject"] or _acting_subject(head)
    if tok.dep_ == "nsubjpass":  # "Kabul was urged to ...": the government on the receiving end
        return head.lemma_.lower() in table["object"]
    if tok.dep_ == "pobj" and head.dep_ == "agent":  # "was rejected by Moscow"
        return head.head.lemma_.lower() in table["subject"]
    if tok.dep_ == "dobj":
        return head.lemma_.lower() in table["object"]
    if tok.dep_ == "poss":
        return head.lemma_.lower() in table["possessed"] or head.lower_ in table["possessed"]
    if tok.dep_ == "pobj" and head.lower_ in table["prep"]:
        words = table["prep"][head.lower_]
        return head.head.lemma_.lower() in words or head.head.lower_ in words
    return False


def _state_role(root: Token) -> bool:
    """A state in a role only an actor fills: the capital roles of ``_metonymic``, the
    modifier of a policy or action noun ("U.S. airstrikes"), the subject of "be" or
    "remain" with an actor's predicate ("the United States remains committed"), a member
    listed for an acting group ("coalition nations ... include X") or an ally named."""
    tok = root
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    # Coordinated states share the first one's role, but only when the first is a place
    # too ("ministers of Iran, Qatar, ...": a misparse hangs the list on "ministers").
    if tok is not root and tok.ent_type_ not in ("GPE", "LOC", "NORP"):
        return False
    if _metonymic(root):
        return True
    table = _metonymy()
    head = tok.head
    if tok.dep_ in ("compound", "nmod", "amod") and head.i > tok.i:
        return head.lower_ in table["modifier"]
    if tok.dep_ == "nsubj" and head.lemma_.lower() in ("be", "remain", "stay"):
        for child in head.children:
            if child.dep_ == "acomp" and child.lower_ in table["actor_adjectives"]:
                return True
            if child.dep_ == "attr" and (
                    child.lower_ in table["actor_nouns"]
                    or any(g.dep_ == "pobj" and g.lower_ in table["actor_nouns"]
                           for p in child.children if p.dep_ == "prep" for g in p.children)):
                return True  # "France is a key partner", "... one of our closest allies"
    group = None
    if tok.dep_ in ("dobj", "attr") and head.lemma_.lower() == "include":
        group = next((c for c in head.children if c.dep_ == "nsubj"), None)
    elif tok.dep_ == "pobj" and head.lower_ == "including":
        group = head.head
    if group is not None and _actor_group(group):
        return True
    # "our ally Turkey", "Turkey, a close partner": named as an ally or partner
    if tok.dep_ == "appos" and head.lower_ in table["actor_nouns"]:
        return True
    return any(c.dep_ in ("compound", "appos") and c.lower_ in table["actor_nouns"]
               for c in tok.children)


def _actor_group(group: Token) -> bool:
    """A group of actors whose listed members act with it ("coalition nations")."""
    lemma = group.lemma_.lower()
    if lemma in _metonymy()["actor_groups"]:
        return True
    return lemma in ("country", "state") and any(
        c.dep_ == "relcl" and _acting_subject(c) for c in group.children)


def _link_undefined_acronyms(text: str, chosen: list[Candidate], keys: list[str]) -> None:
    """'the Northern Province Border Security Agency ... the BSA': an acronym the text never
    defines, whose letters are the initials of a longer organisation name's last words,
    names that organisation (one entity, so one established agent for the events)."""
    names = [(j, _LEADING_DET.sub("", text[c.start:c.end]).split())
             for j, c in enumerate(chosen) if c.label == "ORG"]
    names = [(j, words) for j, words in names if len(words) >= 3]
    for i, c in enumerate(chosen):
        if c.label != "ORG" or not keys[i].startswith("name:"):
            continue
        acr = _LEADING_DET.sub("", text[c.start:c.end])
        if not _BARE_ACRONYM.fullmatch(acr):
            continue
        for j, words in names:
            if j != i and any(_acronym_matches(acr, words[k:])
                              for k in range(len(words) - 1)):
                keys[i] = keys[j]
                break


def _label_group(label: str) -> str:
    # GPE/LOC/FAC disagreements between mentions of one place must not split it.
    return "PLACE" if label in ("GPE", "LOC", "FAC") else label


def _canonical_name(label: str, surfaces: list[str]) -> str:
    cleaned = [_LEADING_DET.sub("", s) for s in surfaces]
    if label == "PERSON":
        return max(cleaned, key=lambda s: (len(s.split()), len(s)))
    counts = Counter(cleaned)
    # A dateline's "BAGHDAD" is the same name as "Baghdad"; prefer the ordinary spelling.
    return max(cleaned, key=lambda s: (not s.isupper() or len(s) <= 4, counts[s], len(s)))


def _trim(ent: Span) -> Span | None:
    """Drop a possessive "'s" and, for people, a leading determiner or title junk."""
    bounds = _trim_bounds(ent)
    return ent.doc[bounds[0]:bounds[1]] if bounds is not None else None


def _trim_bounds(ent: Span) -> tuple[int, int] | None:
    """The token bounds of ``_trim``'s span."""
    start, end = ent.start, ent.end
    doc = ent.doc
    label = ent.label_
    # the doc's strings by token index: no Token made per word tested
    strings = token_strings(doc)
    words, lower, pos = strings.text, strings.lower, strings.pos
    while end > start and words[end - 1] in ("'s", "’s", "'", "’"):
        end -= 1
    if label == "PERSON":
        # "Brig. Gen. Khalid Saleh" -> "Khalid Saleh"; a title alone is no name.
        while start < end and lower[start] in TITLE_TOKENS:
            start += 1
        if start < end and words[start] == ".":
            start += 1
    # A title alone at the very end of the text ("loyal to Gen") leaves nothing to read.
    if (label in ("PERSON", "GPE", "NORP") and start < end
            and lower[start] in ("the", "a", "an")):
        start += 1
    # "Near Ar Raqqah": a sentence-initial preposition is not part of the name (the
    # tagger often calls a capitalised one a proper noun); "Near East" is a name.
    while start < end and (pos[start] == "ADP" or lower[start] in LEADING_PREPOSITIONS) \
            and lower[start] not in ("al", "el") \
            and not (start + 1 < end and lower[start + 1] in ("east", "west")) \
            and (start == ent.start or pos[start] == "ADP"):
        start += 1
    # "Bashar al-Assad,[1" / "Qanbar (Arabic": a citation mark or a gloss ends the name.
    for i in range(start + 1, end):
        if words[i][:1] in "[(" or (words[i] in (",", ";") and i + 1 < end
                                    and words[i + 1][:1] in "[("):
            end = i
            break
    while end > start and words[end - 1] in (",", ";", ":", "."):
        end -= 1
    if end <= start:
        return None
    if not any(ch.isalpha() for ch in strings.span_text(start, end)):
        return None
    return start, end


# Lower-case words a proper name may hold ("the Gulf of Oman", "Kurdistan Region of Iraq").
_NAME_JOINERS = {"of", "the", "and", "for", "al", "el", "de", "du", "la", "le", "on", "in"}
# Tagger labels of names a country word can sit inside.
CONTAINER_LABELS = ("ORG", "FAC", "LOC", "GPE", "EVENT")


def _proper_name(span: Span) -> bool:
    """Every word capitalised or a joiner, no comma: one name, not a list or a clause."""
    doc = span.doc
    strings = token_strings(doc)
    text, lower, punct = strings.text, strings.lower, strings.is_punct
    start, end = span.start, span.end
    words = [k for k in range(start, end) if not punct[k] or text[k] in ("-", ".", "'", "’")]
    if len(words) < 2 or any(text[k] in (",", ";", "(", ")") for k in range(start, end)):
        return False
    return text[end - 1][:1].isupper() and all(
        text[k][:1].isupper() or lower[k] in _NAME_JOINERS or punct[k] or doc[k].like_num
        for k in words)


def _capitalised_words(doc: Doc, start: int, end: int) -> bool:
    """Does text[start:end] hold a capitalised word other than an article or a title?"""
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and any(
        t.text[:1].isupper() and t.lower_ not in ("the", "a", "an")
        and t.lower_.rstrip(".") not in TITLE_TOKENS and t.lower_ not in TITLE_HEADS
        for t in span)


def _outside_longer_names(
    doc: Doc, registry_cands: list[Candidate], ner_cands: list[Candidate], registry: Registry
) -> list[Candidate]:
    """A country or nationality word inside a longer name the tagger found is part of
    that name ("the Syrian Heritage Archive Society", "the Gulf of Oman", "New Mexico"), not a
    mention of the country: those registry matches give way to the whole name."""
    names = []
    for c in ner_cands:
        if c.label not in CONTAINER_LABELS:
            continue
        span = doc.char_span(c.start, c.end, alignment_mode="expand")
        if span is not None and _proper_name(span):
            names.append(c)
    if not names:
        return registry_cands
    out = []
    for r in registry_cands:
        ident = r.actor_id or ""
        place_word = ident.startswith("demonym:") or (
            ident in registry.actors and registry.actors[ident].kind == "state")
        # "the Basra Joint Operations Command", "the Southern Kurdish Front": capitalised words
        # before a registered body's name make a more specific body, not that one.
        if (not place_word and r.label == "ORG" and any(
                n.label == "ORG" and n.end == r.end and n.start < r.start
                and _capitalised_words(doc, n.start, r.start) for n in names)):
            continue
        inside = place_word and any(
            n.start <= r.start and r.end <= n.end and (n.end - n.start) > (r.end - r.start)
            # "the Iraqi Kurdistan Region" is a place name; "Syria" is no part of a
            # GPE name beside it, only of an organisation or a structure's name.
            and (n.label != "GPE" or ident.startswith("demonym:") or r.start > n.start)
            for n in names)
        if not inside:
            out.append(r)
    return out


def _select(cands: list[Candidate]) -> list[Candidate]:
    """Non-overlapping mentions: higher priority first, then longer."""
    cands = sorted(cands, key=lambda c: (-c.priority, -(c.end - c.start), c.start))
    taken: list[Candidate] = []
    # The taken spans' starts (sorted) and ends: only those starting at most the longest
    # span's length before a candidate can reach it.
    starts: list[int] = []
    ends: list[int] = []
    longest = 0
    for c in cands:
        lo, hi = bisect_left(starts, c.start - longest), bisect_left(starts, c.end)
        if any(c.start < ends[k] for k in range(lo, hi)):
            # A longer spaCy span covering a shorter registry match ("the Popular
            # Mobilization Forces" vs "Popular Mobilization Forces") keeps the registry id.
            continue
        taken.append(c)
        at = bisect_right(starts, c.start)
        starts.insert(at, c.start)
        ends.insert(at, c.end)
        longest = max(longest, c.end - c.start)
    # Extend registry matches to a directly preceding "the" inside a spaCy ORG span.
    taken.sort(key=lambda c: c.start)
    return taken


def _adjust(doc: Doc, c: Candidate, registry: Registry) -> Candidate:
    """Span and label conventions of OntoNotes-style NER, applied to every source."""
    if c.label not in ("ORG", "GPE"):
        return c
    span = doc.char_span(c.start, c.end, alignment_mode="expand")
    if span is None:
        return c
    root = span.root
    # "the United Nations", "the UN": the article belongs to the name, unless the name
    # only modifies another noun ("the UN mission").
    if (span.start > 0 and doc[span.start - 1].lower_ == "the" and c.start == span.start_char
            and doc[span.start - 1].head in span
            and root.dep_ not in ("compound", "amod", "nmod", "poss")):
        c.start = doc[span.start - 1].idx
    # A state or city that acts (subject of an active verb, agent of a passive) is a
    # political actor, not a place: "France and Turkey conducted strikes". A place that
    # something happens to ("Syria is being torn apart", "Mosul was retaken") or that is
    # described ("Kabul lies in a valley") stays a place.
    # "Near Hama, a raid destroyed ...": the parser may make a place after a
    # locative preposition the subject; a place so introduced never acts.
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    if c.label == "GPE" and c.source != "dateline" and before not in LOCATIVE_PREPOSITIONS:
        head = root
        while head.dep_ == "conj" and head.head is not head:
            head = head.head
        if (head.dep_ == "nsubj" and _acting_subject(head.head)) or (
                head.dep_ == "pobj" and head.head.dep_ == "agent"):
            c.label = "ORG"
        elif _is_state(registry, c, span) and _state_role(root):
            c.label = "ORG"
    return c


def _is_state(registry: Registry, c: Candidate, span: Span) -> bool:
    actor = registry.actors.get(c.actor_id or "") or registry.lookup(span.text)
    return actor is not None and actor.kind == "state"


def entity_for_span(doc: Doc, start: int, end: int) -> Entity | None:
    """The article entity whose mention overlaps [start, end) the most."""
    index = entity_index(doc)
    return index.overlapping(start, end) if index is not None else None


@Language.factory(
    "wirewatch_actors",
    default_config={"registry_files": []},
)
def make_actor_recognizer(nlp: Language, name: str, registry_files: list[str]) -> ActorRecognizer:
    return ActorRecognizer(nlp, name, registry_files)
