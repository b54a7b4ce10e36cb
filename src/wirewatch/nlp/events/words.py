"""The closed word lists of the event coder, read once from ``data/events/words.yaml``."""

from __future__ import annotations

from wirewatch.nlp.datafiles import event_table

_DATA = event_table("words.yaml")


def _words(key: str) -> frozenset[str]:
    return frozenset(str(w) for w in _DATA.get(key) or [])


PLACE_PREPS = _words("place_preps")
DIRECTION_WORDS = _words("direction_words")
RELATIVE_PRONOUNS = _words("relative_pronouns")
SKIP_PRONOUNS = _words("skip_pronouns")
DEMAND_NOUNS = _words("demand_nouns")
DEMAND_SPEECH = _words("demand_speech")
CONTAINER_NOUNS = _words("container_nouns")
DOCUMENT_NOUNS = _words("document_nouns")
REPORTING_HEADS = _words("reporting_heads")
REFUSABLE = _words("refusable")
TRIVIAL_EMBEDDED = _words("trivial_embedded")
QUESTION_WORDS = _words("question_words")
PERSON_NOUNS = _words("person_nouns")
OBJECT_CONTROL = _words("object_control")
COUNTRY_NAMES = _words("country_names")
LAW_ENFORCEMENT = _words("law_enforcement")
# preposition -> the nouns after it that count as the verb's object ("held in custody")
PREP_OBJECTS: dict[str, frozenset[str]] = {
    str(k): frozenset(str(w) for w in v) for k, v in (_DATA.get("prep_objects") or {}).items()
}
PERPETRATOR_DESCRIPTIONS = _words("perpetrator_descriptions")
EMBEDDED_MODE: dict[str, str] = {
    str(k): str(v) for k, v in (_DATA.get("embedded_mode") or {}).items()
}
JUDGING_SPEECH = _words("judging_speech")
LINKING_VERBS = _words("linking_verbs")
LABELLING_VERBS = _words("labelling_verbs")
CONDEMNING_WORDS = _words("condemning_words")
DAY_NOUNS = _words("day_nouns")
