"""A small, dependency-free check that a text is English before we run an English model on it."""

from __future__ import annotations

import re
from collections import Counter

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

_STOPWORDS = {
    "en": set("the of and to in a is that for on with as was by at it from said his be are "
              "has have an were not but this which its their they he she who will would".split()),
    "fr": set("le la les des et est une un du pour dans que qui sur pas par au aux avec ce "
              "sont été il elle ont mais leur plus".split()),
    "es": set("el la los las de y que en un una por con para es del se al como su lo pero "
              "más sus fue ha".split()),
    "de": set("der die das und ist nicht mit den dem ein eine zu von sich auf für im des "
              "auch es wurde hat sind".split()),
    "it": set("il di che la per non un una sono del della le nel alla gli ha anche".split()),
    "pt": set("o de que e do da em um uma para com não os as no na por mais foi".split()),
    "tr": set("ve bir bu da de için ile olarak çok daha ama gibi".split()),
    "id": set("yang dan di dengan untuk dari ini itu tidak pada dalam akan".split()),
}

_SCRIPTS = {
    "ar": re.compile(r"[\u0600-\u06FF]"),
    "ru": re.compile(r"[\u0400-\u04FF]"),
    "he": re.compile(r"[\u0590-\u05FF]"),
    "zh": re.compile(r"[\u4E00-\u9FFF]"),
    "fa": re.compile(r"[\u06A9\u06AF\u06CC\u067E\u0686\u0698]"),
}


def detect_language(text: str) -> tuple[str, float]:
    """Best-guess ISO 639-1 code and a rough confidence; 'und' when too short to tell."""
    sample = text[:20000]
    letters = sum(map(str.isalpha, sample))
    if letters < 40:
        return "und", 0.0
    for code, pattern in _SCRIPTS.items():
        share = len(pattern.findall(sample)) / letters
        if share > 0.3:
            return ("fa" if code == "ar" and _SCRIPTS["fa"].search(sample) else code), share
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < 12:
        return "und", 0.0
    # Each distinct word looked up once per language (a story repeats most of its words).
    counts = Counter(words)
    scores = {lang: sum(counts[w] for w in stops if w in counts) / len(words)
              for lang, stops in _STOPWORDS.items()}
    best = max(scores, key=scores.__getitem__)
    return best, round(scores[best], 3)


def is_english(text: str) -> tuple[bool, str]:
    lang, score = detect_language(text)
    if lang in ("en", "und"):
        return True, lang
    # Mixed text that still has plenty of English function words is accepted.
    words = [w.lower() for w in _WORD.findall(text[:20000])]
    en_share = sum(w in _STOPWORDS["en"] for w in words) / max(1, len(words))
    return en_share >= 0.12 and en_share >= score * 0.8, lang
