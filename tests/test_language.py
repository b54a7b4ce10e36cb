"""The English check the ingest runs before the English model (invented texts)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wirewatch.ingest.language import _STOPWORDS, _WORD, detect_language, is_english

ENGLISH = ("The harbour authority said on Tuesday that the ferry service to the islands would "
           "resume next week, after crews and the operator agreed on overtime pay.")
FRENCH = ("Le ministre a dit que la situation est grave et qu'il faut agir pour les habitants "
          "des quartiers du nord, qui sont sans eau depuis une semaine.")
TURKISH = ("İzmir belediyesi bu hafta yeni bir otobüs hattı açtı ve bu hat için çok daha fazla "
           "araç ile sefer yapılacak, ama ücretler gibi konular henüz belli değil.")


def test_languages_by_function_words_and_scripts():
    assert detect_language(ENGLISH)[0] == "en"
    assert detect_language(FRENCH)[0] == "fr"
    assert detect_language(TURKISH)[0] == "tr"
    assert detect_language("Короткое сообщение о встрече министров в столице страны сегодня")[0] \
        == "ru"
    assert detect_language("Too short.") == ("und", 0.0)
    assert is_english(ENGLISH) == (True, "en")
    assert is_english(FRENCH) == (False, "fr")


@settings(max_examples=150, deadline=None)
@given(words=st.lists(st.sampled_from(
    sorted({w for stops in _STOPWORDS.values() for w in stops}) + ["Harbour", "İzmir", "x2"]),
    min_size=12, max_size=80))
def test_scores_are_shares_of_each_languages_function_words(words):
    """The score is the share of the words that are the chosen language's function words,
    as counted word by word (the scan counts each distinct word once per language)."""
    text = " ".join(words)
    lang, score = detect_language(text)
    if lang == "und":
        return
    found = [w.lower() for w in _WORD.findall(text)]
    shares = {code: sum(w in stops for w in found) / len(found)
              for code, stops in _STOPWORDS.items()}
    assert score == round(shares[lang], 3)
    assert shares[lang] == max(shares.values())
