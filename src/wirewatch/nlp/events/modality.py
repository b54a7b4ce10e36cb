"""Whether an event happened: the modality of its trigger (``wirewatch.nlp.modality``
reads the clause), then what the event coder knows on top of it: a frame makes its
content demanded, a refusal or a conditional threat is itself an asserted event, an
announced future deed is a promise or a threat, and dates make old deeds background."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span, Token

from wirewatch.nlp.codebook import QUAD_OF_TYPE
from wirewatch.nlp.events.anchoring import dated_before, recent
from wirewatch.nlp.events.triggers import CONFLICT_TYPES, Candidate
from wirewatch.nlp.events.words import REFUSABLE, REPORTING_HEADS
from wirewatch.nlp.modality import classify

CONDITIONAL_SPEECH_ACTS = {"THREATEN", "REQUEST", "AGREE", "REJECT"}


def event_modality(cand: Candidate, year: int | None) -> tuple[str, str, str]:
    """(type, modality, reason) of a candidate; may retype it (a refusal is a REJECT,
    a conditional announcement a THREATEN, a promised deed its rule's ``future`` type)."""
    rule, trig = cand.rule, cand.trigger
    modality, reason = classify(
        cand.modality_token or trig, frame=cand.frame, article_year=year
    )
    if cand.frame is not None and modality in {"asserted", "planned", "reported"}:
        modality, reason = "demanded", f"demanded by '{cand.frame.text}'"
    etype = cand.retype or rule.type
    if modality == "negated" and cand.frame is None and (
        trig.lemma_ in REFUSABLE
        or (rule.type in {"AGREE", "CONCEDE"} and not perfect(trig))
        or (QUAD_OF_TYPE.get(rule.type) in {1, 2} and future(trig))
    ):
        # "will not accept", "did not allow": a refusal is itself an event
        etype, modality, reason = "REJECT", "asserted", f"refusal: {reason}"
    elif (
        modality == "hypothetical"
        and reason.startswith("conditional")
        and (cand.retype or rule.type) in CONDITIONAL_SPEECH_ACTS
        and trig.pos_ == "VERB"
    ):
        # threats, demands and offers are conditional by nature
        modality, reason = "asserted", f"conditional speech act ({reason})"
    elif (
        modality == "hypothetical"
        and reason.startswith("conditional")
        and cand.frame is None
        and announced(trig)
    ):
        # "said it will withdraw unless ...": a conditional announcement is a threat
        # (or, for a cooperative action offered on a condition, a promise)
        if "unless" in reason.lower() or rule.type in CONFLICT_TYPES:
            etype = "THREATEN"
        elif rule.future:
            etype = rule.future
        modality, reason = "asserted", f"conditional announcement ({reason})"
        cand.retype = etype
    elif modality == "hypothetical" and reason.startswith("attempt") and (
        etype in {"ASSAULT", "COERCE"}
    ):
        # an attempted killing or hacking is an act of violence or coercion
        modality, reason = "asserted", reason
    own_modal = (
        modality in {"planned", "hypothetical"} and cand.frame is None and not cand.retype
    )
    if own_modal and rule.future and cand.actors and actor_announces(trig, modality, reason):
        etype = rule.future  # a promise (AGREE) or a threat (THREATEN) by the actor
    return etype, modality, reason


def by_date(
    doc: Doc, sent: Span, trig: Token, date: dict[str, Any] | None, modality: str, reason: str
) -> tuple[str, str]:
    """(modality, reason) once the event's dates are known: the gold standard of news is
    within about a month before the article, or ongoing."""
    if modality in {"asserted", "reported"}:
        old = dated_before(doc, sent, trig, date)
        if old:
            # "evicted in April" in a November story is background
            modality, reason = "historical", old
    if modality == "historical" and reason.startswith("background") and recent(doc, date):
        # "since an explosion on Tuesday night destroyed a depot": told as backdrop,
        # but dated to the days before the article, so it is news
        modality, reason = "asserted", f"dated within days of the article ({reason})"
    return modality, reason


def perfect(trig: Token) -> bool:
    """ "has not committed": not (yet) done is no refusal."""
    return any(c.dep_ == "aux" and c.lemma_ == "have" for c in trig.children) or any(
        c.lower_ in {"yet", "so"} for c in trig.subtree
    )


def future(trig: Token) -> bool:
    tok = trig
    while True:
        if any(c.dep_ == "aux" and c.lower_ in {"will", "would", "wo", "'ll", "shall"}
               for c in tok.children):
            return True
        if tok.dep_ not in {"xcomp", "conj"} or tok.head.i == tok.i:
            return False
        tok = tok.head


def announced(trig: Token) -> bool:
    """A future action in a clause reported from its actor: "X said it will ..."."""
    aux = {c.lower_ for c in trig.children if c.dep_ == "aux"}
    if not aux & {"will", "would", "'ll", "shall"}:
        return False
    head = trig
    while head.dep_ in {"conj", "xcomp"} and head.head.i != head.i:
        head = head.head
    return head.dep_ == "ccomp" and head.head.lemma_ in REPORTING_HEADS


def actor_announces(trig: Token, modality: str, reason: str) -> bool:
    """Future or possible action stated as the actor's own intent ("will", "vowed to")."""
    if modality == "hypothetical":
        return reason.startswith("modal")
    return not any(word in reason for word in ("expect", "schedule", "due", "about"))


