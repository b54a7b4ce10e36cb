"""Property test: the whole pipeline on generated and mutated text never raises, no
component fails, and every offset of every fact lies inside the text (and spells what
it says). Bounded (few examples, derandomized) so it runs in CI in well under a minute."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wirewatch.model import Article
from wirewatch.nlp.pipeline import PipelineConfig, process

SENTENCES = [
    "Officials in Basra said on Monday that the Tigris Front would hand over its weapons.",
    "\u201cWe will keep our word,\u201d said Karim Duraid, the group's spokesman.",
    "Gen. Salma Haddad told reporters in Mosul that talks had stalled.",
    "The Interior Ministry accused the Zagros Council of attacking a checkpoint.",
    "According to Omar Nasser, a senior commander, the convoy left Kirkuk at dawn.",
    "Police used tear gas against protesters in Najaf on 3 October, witnesses said.",
    "KIRKUK, Iraq (Shatt Courier) \u2014 Two rockets struck a base outside the city.",
    "\u201cThere is no deal until the fighters leave,\u201d Layla Farouk said.",
]
ODD = [
    "loyal to Gen", "Col.", "Dr", "Lt. Gen.", "\u201c", "\u201d", '"', "'", ".", ",", "\u2014",
    "\u201cWe will not", "he said \u201c", "(", ")", ":", "...", "Mr", "al-", "St.",
    "\u0628\u063a\u062f\u0627\u062f", "\u041c\u043e\u0441\u043a\u0432\u0430", "\u5317\u4eac",
    "\u200b", "\u00a0", "\x0b", "\x01", "\r", "\t", "\ufeff", "\u202e", "e\u0301",
]
LONG = " ".join(["the council of elders in Basra and its many committees"] * 180)  # ~10k chars

pieces = st.one_of(
    st.sampled_from(SENTENCES), st.sampled_from(ODD),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
    st.just(LONG),
)
texts = st.lists(st.tuples(pieces, st.sampled_from([" ", "", "\n", "\n\n"])),
                 min_size=1, max_size=14).map(lambda xs: "".join(p + sep for p, sep in xs))


def _spans(record):
    for ent in record.entities:
        for m in ent.mentions:
            yield "mention", m.start, m.end, m.text
    for q in record.quotes:
        yield "quote", q.start, q.end, None
        for s, e in q.content_spans:
            yield "quote content", s, e, None
        for name in ("speaker_span", "cue_span", "sentence_span"):
            span = getattr(q, name)
            if span:
                yield f"quote {name}", span[0], span[1], None
    for ev in record.events:
        yield "event", ev.start, ev.end, None
        yield "trigger", ev.trigger.start, ev.trigger.end, ev.trigger.text
        for p in ev.actors + ev.recipients:
            yield "participant", p.start, p.end, None
    for fact in (*record.relations, *record.places):
        yield type(fact).__name__, fact.start, fact.end, None
    for tx in record.times:
        yield "time", tx.start, tx.end, tx.text


@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(text=texts, part=st.sampled_from([100_000, 400]))
def test_pipeline_survives_any_text(nlp, text, part):
    article = Article(id="prop", text=text, published="2025-10-06")
    (record,) = list(process(nlp, [article], config=PipelineConfig(max_part_chars=part,
                                                                   time_budget=None)))
    assert record.failures == [], [f.detail for f in record.failures]
    for kind, start, end, written in _spans(record):
        assert 0 <= start <= end <= len(text), (kind, start, end, len(text))
        if written is not None:
            assert text[start:end] == written, (kind, written, text[start:end])
