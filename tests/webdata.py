"""A tiny fictional corpus as article records, for the API, review and export tests.

People and groups are invented; places are real. Offsets are computed from the
text so the records stay consistent if a sentence is reworded.
"""

from __future__ import annotations

from wirewatch.model import (
    Article,
    ArticleRecord,
    Entity,
    Event,
    Mention,
    Participant,
    Place,
    PlaceMention,
    Quote,
    Relation,
    TimeExpr,
    content_id,
)

TEXT_A = ("Fighters of the Nahr Brigade attacked a police post in Basra on Sunday. "
          "\u201cWe will not disarm,\u201d said Salim Varda, the commander of the Nahr Brigade. "
          "The Iran-backed Nahr Brigade is part of the Popular Mobilization Forces.")
TEXT_B = ("Interior Minister Leila Haddar met tribal leaders in Basra on Wednesday. "
          "Haddar said the government would restore order in the south.")
TEXT_C = ("The Nahr Brigade accused the government of Iraq of arresting its members. "
          "Police in Iraq detained three men near the port.")


def span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def sentence(text: str, needle: str) -> tuple[int, int, str]:
    s, _ = span(text, needle)
    start = text.rfind(". ", 0, s)
    start = 0 if start < 0 else start + 2
    end = text.find(". ", s)
    end = len(text) if end < 0 else end + 1
    return start, end, text[start:end]


def mention(text: str, needle: str, nth: int = 0, label: str | None = None) -> Mention:
    s, e = span(text, needle, nth)
    return Mention(s, e, needle, label)


def part(entity: str | None, text: str, needle: str, nth: int = 0) -> Participant:
    s, e = span(text, needle, nth)
    return Participant(entity, needle, s, e)


def event(aid: str, text: str, type_: str, trigger: str, actors: list[Participant],
          recipients: list[Participant], day: str, modality: str = "asserted",
          location: dict | None = None) -> Event:
    s, e, sent = sentence(text, trigger)
    trig = mention(text, trigger)
    return Event(id=content_id("ev", aid, trig.start, trig.end, type_), type=type_, start=s,
                 end=e, trigger=trig, actors=actors, recipients=recipients, modality=modality,
                 sentence=sent, confidence=0.8, date={"value": day, "granularity": "day",
                                                      "reason": "article date"},
                 location=location)


def relation(aid: str, text: str, type_: str, subj: tuple[str, str], obj: tuple[str | None, str],
             evidence: str, day: str, role: str | None = None) -> Relation:
    s, e, sent = sentence(text, evidence)
    return Relation(id=content_id("rel", aid, type_, subj[0], obj[1]), type=type_,
                    subject=subj[0], subject_text=subj[1], object=obj[0], object_text=obj[1],
                    start=s, end=e, sentence=sent, confidence=0.75, role=role, observed_at=day)


TEXT_TALKS = ("Interior Minister Karim Duraid met envoys from the Tigris Front in Basra on Monday. "
        "\u201cWe will not wait,\u201d Duraid said.")


def talks_record(article_id: str = "art_0000000000000001", published: str = "2025-09-08",
                 version: str = "t1") -> ArticleRecord:
    """One article with one of each fact, offsets fixed by hand (the store tests)."""
    art = Article(id=article_id, text=TEXT_TALKS, title="Talks", source="Tigris Wire",
                  published=published, origin=f"/tmp/{article_id}.txt")
    duraid = Entity(id="act_duraid", name="Karim Duraid", type="PERSON",
                    mentions=[Mention(18, 30, "Karim Duraid", "PERSON"),
                              Mention(122, 128, "Duraid", "PERSON")], kind="person")
    front = Entity(id="act_front", name="Tigris Front", type="ORG",
                   mentions=[Mention(51, 63, "Tigris Front", "ORG")])
    basra = Entity(id="act_basra", name="Basra", type="GPE",
                   mentions=[Mention(67, 72, "Basra", "GPE")], kind="place")
    quote = Quote(id=f"q_{article_id}", start=85, end=133, content="We will not wait,",
                  content_spans=[[86, 103]], kind="direct", speaker="act_duraid",
                  speaker_text="Duraid", speaker_span=[122, 128], speaker_role="interior minister",
                  cue="said", cue_span=[129, 133], addressee=None, sentence=TEXT_TALKS[85:],
                  sentence_span=[85, len(TEXT_TALKS)], confidence=0.9)
    event = Event(id=f"e_{article_id}", type="CONSULT", start=0, end=84,
                  trigger=Mention(31, 34, "met"),
                  actors=[Participant("act_duraid", "Karim Duraid", 18, 30)],
                  recipients=[Participant("act_front", "envoys from the Tigris Front", 35, 63)],
                  modality="asserted", sentence=TEXT_TALKS[:84], confidence=0.8,
                  date={"value": published, "reason": "article date"},
                  location={"name": "Basra", "lat": 30.5, "lon": 47.8, "level": "city"})
    hyp = Event(id=f"h_{article_id}", type="ASSAULT", start=0, end=84,
                trigger=Mention(31, 34, "met"), actors=[], recipients=[],
                modality="hypothetical", sentence=TEXT_TALKS[:84], confidence=0.5)
    rel = Relation(id=f"r_{article_id}", type="holds_role", subject="act_duraid",
                   subject_text="Karim Duraid", object=None, object_text="Interior Minister",
                   start=0, end=30, sentence=TEXT_TALKS[:84], confidence=0.8,
                   role="interior minister", observed_at=published)
    tx = TimeExpr(id=f"t_{article_id}", start=76, end=82, text="Monday", type="DATE",
                  value="2025-09-08", granularity="day", uncertain=False,
                  reason=["weekday"], confidence=0.9)
    pl = PlaceMention(id=f"p_{article_id}", start=67, end=72, text="Basra",
                      place=Place("gn:99532", "Basra", 30.5, 47.8, "IRQ", "Basra", "city"),
                      confidence=0.9)
    return ArticleRecord(art, [duraid, front, basra], [quote], [event, hyp], [rel], [tx], [pl],
                         pipeline_version=version)



BASRA = Place("gn:99532", "Basra", 30.508, 47.78, "IRQ", "Basra", "city")
IRAQ = Place("gn:99237", "Iraq", 33.0, 44.0, "IRQ", None, "country")


def loc(place: Place) -> dict:
    return {"place_id": place.id, "name": place.name, "lat": place.lat, "lon": place.lon,
            "level": place.level, "country": place.country, "reason": "test"}


def record_a(version: str = "t1") -> ArticleRecord:
    aid, text, day = "art_a000000000000001", TEXT_A, "2025-03-02"
    art = Article(id=aid, text=text, title="Brigade attacks police post", source="Harbor Wire",
                  published=day, origin="tests/a.txt")
    nahr = Entity("act_nahr", "Nahr Brigade", "ORG", [mention(text, "Nahr Brigade", i, "ORG")
                                                     for i in range(3)], kind="armed_group")
    varda = Entity("act_varda", "Salim Varda", "PERSON",
                   [mention(text, "Salim Varda", 0, "PERSON")], kind="person")
    pmf = Entity("IRQ_PMF", "Popular Mobilization Forces", "ORG",
                 [mention(text, "Popular Mobilization Forces", 0, "ORG")], registry_id="IRQ_PMF")
    police = Entity("act_police", "police", "ORG", [mention(text, "police post")])
    basra = Entity("act_basra", "Basra", "GPE", [mention(text, "Basra", 0, "GPE")], kind="place")
    q_start, q_end = span(text, "\u201cWe will not disarm,\u201d")
    c_start, c_end = span(text, "We will not disarm")
    sp = span(text, "Salim Varda")
    cue = span(text, "said")
    s0, s1, sent = sentence(text, "We will not disarm")
    quote = Quote(id=content_id("q", aid, q_start, q_end), start=q_start, end=q_end,
                  content="We will not disarm", content_spans=[[c_start, c_end]], kind="direct",
                  speaker="act_varda", speaker_text="Salim Varda", speaker_span=list(sp),
                  speaker_role="commander of the Nahr Brigade", cue="said", cue_span=list(cue),
                  addressee=None, sentence=sent, sentence_span=[s0, s1], confidence=0.9)
    attack = event(aid, text, "ASSAULT", "attacked", [part("act_nahr", text, "Nahr Brigade")],
                   [part("act_police", text, "police post")], day, location=loc(BASRA))
    rels = [
        relation(aid, text, "backed_by", ("act_nahr", "Nahr Brigade"), ("IRN", "Iran"),
                 "Iran-backed", day),
        relation(aid, text, "part_of", ("act_nahr", "Nahr Brigade"),
                 ("IRQ_PMF", "Popular Mobilization Forces"), "is part of", day),
        relation(aid, text, "holds_role", ("act_varda", "Salim Varda"),
                 ("act_nahr", "Nahr Brigade"), "the commander of", day, role="commander"),
    ]
    ts, te = span(text, "Sunday")
    t = TimeExpr(content_id("t", aid, ts, te), ts, te, "Sunday", "DATE", "2025-03-02", "day",
                 False, ["weekday"], 0.9)
    ps, pe = span(text, "Basra")
    p = PlaceMention(content_id("p", aid, ps, pe), ps, pe, "Basra", BASRA, 0.9)
    iran = Entity("IRN", "Iran", "GPE", [mention(text, "Iran", 0, "GPE")], kind="state")
    return ArticleRecord(art, [nahr, varda, pmf, police, basra, iran], [quote], [attack], rels,
                         [t], [p], pipeline_version=version)


def record_b(version: str = "t1") -> ArticleRecord:
    aid, text, day = "art_b000000000000002", TEXT_B, "2025-03-05"
    art = Article(id=aid, text=text, title="Minister meets tribal leaders", source="Delta Post",
                  published=day, origin="tests/b.txt")
    haddar = Entity("act_haddar", "Leila Haddar", "PERSON",
                    [mention(text, "Leila Haddar", 0, "PERSON"), mention(text, "Haddar", 1)],
                    kind="person")
    gov = Entity("IRQ:GOV", "Iraq (government)", "ORG", [mention(text, "the government")])
    meet = event(aid, text, "CONSULT", "met", [part("act_haddar", text, "Leila Haddar")],
                 [part(None, text, "tribal leaders")], day, location=loc(BASRA))
    restore = event(aid, text, "COERCE", "restore order", [part("IRQ:GOV", text, "the government")],
                    [], day, modality="planned")
    s0, s1, sent = sentence(text, "restore order")
    c = span(text, "the government would restore order in the south")
    quote = Quote(id=content_id("q", aid, *c), start=c[0], end=c[1],
                  content="the government would restore order in the south",
                  content_spans=[list(c)], kind="indirect", speaker="act_haddar",
                  speaker_text="Haddar", speaker_span=list(span(text, "Haddar", 1)),
                  speaker_role="Interior Minister", cue="said",
                  cue_span=list(span(text, "said")), addressee=None, sentence=sent,
                  sentence_span=[s0, s1], confidence=0.85)
    role = relation(aid, text, "holds_role", ("act_haddar", "Leila Haddar"),
                    (None, "Interior Minister"), "Interior Minister", day,
                    role="interior minister")
    return ArticleRecord(art, [haddar, gov], [quote], [meet, restore], [role], [], [],
                         pipeline_version=version)


def record_c(version: str = "t1") -> ArticleRecord:
    aid, text, day = "art_c000000000000003", TEXT_C, "2025-03-09"
    art = Article(id=aid, text=text, title="Brigade accuses government", source="Harbor Wire",
                  published=day, origin="tests/c.txt")
    nahr = Entity("act_nahr", "Nahr Brigade", "ORG", [mention(text, "Nahr Brigade")],
                  kind="armed_group")
    gov = Entity("IRQ:GOV", "Iraq (government)", "ORG",
                 [mention(text, "the government of Iraq")])
    police = Entity("act_police", "police", "ORG", [mention(text, "Police")])
    accuse = event(aid, text, "ACCUSE", "accused", [part("act_nahr", text, "Nahr Brigade")],
                   [part("IRQ:GOV", text, "the government of Iraq")], day)
    detain = event(aid, text, "COERCE", "detained", [part("act_police", text, "Police")],
                   [part(None, text, "three men")], day, location=loc(IRAQ))
    return ArticleRecord(art, [nahr, gov, police], [], [accuse, detain], [], [], [],
                         pipeline_version=version)


def fill(store, version: str = "t1") -> list[ArticleRecord]:
    records = [record_a(version), record_b(version), record_c(version)]
    for rec in records:
        store.save(rec)
    store.refresh_actor_counts()
    return records
