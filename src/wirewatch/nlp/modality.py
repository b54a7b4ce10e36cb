"""Modality of an event trigger in its clause: did it happen, or is it negated,
possible, planned, reported by others, or background history?

Rules read the dependency parse around the trigger only: its own auxiliaries and
negation, the verbs it is embedded under (up to the frame verb that coded it),
conditional clauses, reporting frames and dates in the clause. Demanded actions
are decided by the event coder, which knows which frame verbs are demands.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from wirewatch.nlp.tokenstrings import token_strings, token_tree

OBLIGATION_AUX = {"must", "should", "ought"}
HYPOTHETICAL_AUX = {"could", "might", "may", "should", "would", "ought", "can"}
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
PLANNING_HEADS = {
    "plan", "intend", "schedule", "expect", "prepare", "aim", "set", "due", "poise", "mean",
    "seek", "look", "ready", "willing", "prepared", "eager", "keen", "propose",
}
# "hopes that X will", "is considering sending": possible, not announced
ATTITUDE_HEADS = {
    "hope", "wish", "fear", "believe", "think", "doubt", "predict", "speculate", "consider",
    "mull", "weigh", "envisage", "contemplate", "imagine", "worry", "suspect",
    # "wanted to", "tried to", "would like to", "tend to", "able to": not deeds
    "want", "like", "love", "prefer", "tend", "able", "dream", "aspire",
    # "charged with conspiring to hack": a plot is not the deed
    "conspire", "plot", "scheme",
}
# "alerts occasionally ask people to ...": a habit is not an event
HABITUAL_ADVERBS = {"occasionally", "often", "usually", "typically", "sometimes", "generally",
                    "normally", "routinely", "frequently", "regularly", "rarely", "seldom"}
# "tried to kill": an attempt; the event coder decides (an attempted attack is an attack)
ATTEMPT_HEADS = {"try", "attempt", "struggle"}
# "would like to see Norway sign", "sought to have him killed": the embedded clause
# shares the modality of the verb above it
CAUSATIVE = {"see", "have", "make", "get", "help", "watch", "let"}
# words that say "the clause happened only hours or minutes before", so it is news
RECENT_MODIFIERS = {"hours", "hour", "minutes", "minute", "moments", "shortly", "soon",
                    "immediately", "just"}
NEGATIVE_PRONOUNS = {"nobody", "none", "nothing", "no-one"}
DECIDED_NOUNS = {
    "plan", "decision", "pledge", "promise", "vow", "commitment", "agreement", "deal",
    "order", "move", "bid", "intention", "readiness", "offer",
}
ATTEMPT_NOUNS = {"attempt", "try"}
NEGATING_HEADS = {"fail", "refuse", "decline", "avoid", "neglect", "cease", "stop", "halt"}
REPORTING_VERBS = {"suggest", "report", "allege", "claim", "rumor", "rumour", "speculate"}
REPORTING_NOUNS = {"report", "rumor", "rumour", "allegation", "speculation", "claim", "indication"}
REPORTING_ADVERBS = {"reportedly", "allegedly", "purportedly", "apparently", "supposedly"}
CONDITIONAL_MARKS = {"if", "unless", "whether", "lest"}
# "attacked after rebels seized the town": the subordinate clause is the backdrop
BACKGROUND_MARKS = {"after", "since", "following"}
SPEECH_VERBS = {"say", "announce", "tell", "state", "declare", "confirm", "add", "insist"}
# Clause-level dependency labels we climb through to reach the clause a trigger sits in.
_CHAIN = {"xcomp", "conj", "aux", "auxpass", "acomp"}
# "refused to allow planes to land": what is (not) allowed shares the allowing clause
PERMITTING = {"allow", "permit", "let", "enable"}
_SUBJ = {"nsubj", "nsubjpass", "csubj", "expl"}
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)s?\b")


def _children(tok: Token, deps: set[str]) -> list[Token]:
    doc = tok.doc
    tree = token_tree(doc)
    dep = tree.dep
    return [doc[c] for c in tree.children[tok.i] if dep[c] in deps]


def _is_negated(tok: Token) -> bool:
    # read off the doc's parse by index: no Token per child looked at
    tree, lower = token_tree(tok.doc), token_strings(tok.doc).lower
    dep, children = tree.dep, tree.children
    for c in children[tok.i]:
        # "Neither X nor Y attacked": the parser hangs "neither" on X as preconj or det
        if dep[c] in {"nsubj", "nsubjpass"} and any(
            dep[x] in {"preconj", "det"} and lower[x] == "neither" for x in children[c]
        ):
            return True
        # "no one was injured", "nobody was killed", "offered no endorsement"
        if dep[c] in {"nsubj", "nsubjpass", "dobj"} and (
            lower[c] in NEGATIVE_PRONOUNS
            or any(dep[x] == "det" and lower[x] == "no" for x in children[c])
        ):
            return True
        if dep[c] == "neg" or lower[c] in {"never", "not", "n't"}:
            return True
        if dep[c] == "det" and lower[c] == "no":
            return True
    return False


def _clause_chain(trigger: Token, stop: Token | None) -> list[Token]:
    """The trigger and the verbs it is an xcomp/conj of, up to (not including) ``stop``."""
    chain = [trigger]
    tok = trigger
    while (
        (tok.dep_ in _CHAIN
         or (tok.dep_ == "ccomp" and tok.head.lemma_ in PERMITTING | CAUSATIVE))
        and tok.head.i != tok.i
        and (stop is None or tok.head.i != stop.i)
    ):
        if tok.dep_ == "conj" and any(c.dep_ in _SUBJ for c in tok.children):
            break  # a coordinated clause with its own subject is a clause of its own
        tok = tok.head
        chain.append(tok)
    return chain


def _ancestors(tok: Token, limit: int = 8) -> list[Token]:
    out: list[Token] = []
    while tok.head.i != tok.i and len(out) < limit:
        tok = tok.head
        out.append(tok)
    return out


def _clause_years(head: Token) -> list[tuple[str, int]]:
    """(preposition, year) pairs of dates attached to the clause head, not in nested clauses."""
    found: list[tuple[str, int]] = []
    for child in head.children:
        if child.dep_ in {"prep", "npadvmod"}:
            prep = child.lower_ if child.dep_ == "prep" else ""
            if child.dep_ == "prep" and prep not in {"in", "since", "during", "on", "until"}:
                continue
            for t in child.subtree:
                if t.dep_ in {"relcl", "ccomp", "advcl", "acl"}:
                    break
                m = _YEAR.fullmatch(t.text)
                if m:
                    found.append((prep, int(m.group(1))))
    return found


def classify(
    trigger: Token,
    *,
    frame: Token | None = None,
    article_year: int | None = None,
) -> tuple[str, str]:
    """(modality, reason) for the event whose trigger is ``trigger``.

    ``frame`` is the verb whose rule coded the event when that is not the trigger
    itself (e.g. the REQUEST verb): negation or modals above it belong to it.
    """
    chain = _clause_chain(trigger, frame)
    clause_head = chain[-1]
    doc = trigger.doc
    strings, tree = token_strings(doc), token_tree(doc)
    dep, children, lower, text = tree.dep, tree.children, strings.lower, strings.text

    for k, tok in enumerate(chain):
        if _is_negated(tok):
            return "negated", f"negation on '{tok.text}'"
        # "ceased to attack" negates; "will cease the bombing and cooperate" does not
        # negate the cooperation: a negating verb reaches only what it governs
        if (
            k > 0
            and tok.lemma_ in NEGATING_HEADS
            and tok.pos_ == "VERB"
            and chain[k - 1].dep_ != "conj"
            # "ceased to shell the town and cooperated": a finite conjunct of the
            # infinitive is coordinated with the main verb, not governed by it
            and not any(c.dep_ == "conj" and c.tag_ in {"VBD", "VBZ", "VBP"} for c in chain[:k])
        ):
            return "negated", f"'{tok.text} to'"
        for aux in _children(tok, {"aux", "auxpass"}):
            if aux.lower_ == "not":
                return "negated", "negation"
    # "inside conditional": the trigger is the condition ("unless he agrees");
    # "conditional": the trigger is what follows from it ("will meet him if ...")
    for tok in chain:
        for c in children[tok.i]:
            if dep[c] == "mark" and lower[c] in CONDITIONAL_MARKS:
                return "hypothetical", f"inside conditional '{text[c]}'"
            marks = [m for m in children[c] if dep[m] == "mark" and lower[m] in {"if", "unless"}]
            if dep[c] == "advcl" and marks:
                return "hypothetical", f"conditional '{text[marks[0]]} ... {text[c]}'"
    if clause_head.dep_ == "advcl":
        for c in clause_head.children:
            if c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS:
                return "hypothetical", f"inside conditional '{c.text}'"
    # Anything said inside the antecedent of a condition did not happen:
    # "if Iraq cannot rein in groups conducting attacks, ..."
    head, anc, steps = tree.head, trigger.i, 0
    while head[anc] != anc and steps < len(doc):  # Token.ancestors, by index
        anc, steps = head[anc], steps + 1
        if dep[anc] == "advcl":
            marks = [m for m in children[anc] if dep[m] == "mark" and lower[m] in {"if", "unless"}]
            if marks:
                return "hypothetical", f"inside conditional '{text[marks[0]]} ... {text[anc]}'"
    # "vowed to fight until the group yields": the condition has not been met
    if clause_head.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ == "until" for c in clause_head.children
    ) and _unrealised(clause_head.head):
        return "hypothetical", f"'until' under '{clause_head.head.text}'"
    # "the right to fire", "efforts to end the war": an infinitive on a noun names an
    # aim, not a deed; "a plan to withdraw", "its decision to leave" announce one
    # ("an attempt to assassinate": the attempt is the deed, and is coded as one)
    noun = clause_head.head
    if (
        clause_head.dep_ == "acl"
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in clause_head.children)
        and noun.lemma_.lower() not in ATTEMPT_NOUNS
    ):
        if noun.lemma_.lower() in DECIDED_NOUNS:
            return "planned", f"'{noun.text} to'"
        return "hypothetical", f"aim: '{noun.text} to'"
    # nominal triggers: "the possible attack", "a planned visit"
    if trigger.pos_ in {"NOUN", "PROPN"}:
        for c in trigger.children:
            if c.lower_ in {"possible", "potential", "hypothetical", "likely", "feared"}:
                return "hypothetical", f"'{c.text} {trigger.text}'"
            if c.lower_ in {"planned", "proposed", "scheduled", "upcoming", "forthcoming"}:
                return "planned", f"'{c.text} {trigger.text}'"

    for tok in chain[1:] + [clause_head.head]:
        if tok.lemma_ in ATTITUDE_HEADS and tok.i != trigger.i:
            return "hypothetical", f"under '{tok.text}'"
    for tok in chain[1:]:
        if tok.lemma_ in ATTEMPT_HEADS:
            # an attempt told as background ("who spent months attempting to ...") stays so
            history = _historical(trigger, clause_head, article_year)
            if history:
                return "historical", history
            return "hypothetical", f"attempt: '{tok.text} to'"
    # "Did the militia attack the post?": a question asserts nothing
    if _question(clause_head):
        return "hypothetical", "question"
    reported = _reported(trigger, chain)
    future = None
    for tok in chain:
        for aux in _children(tok, {"aux"}):
            low = aux.lower_
            if low == "would" and _under_speech(clause_head):
                # "said it would send troops": future in the past, an announced plan
                future = future or f"'{aux.text}' in reported speech"
            elif low in OBLIGATION_AUX:
                return "demanded", f"obligation '{aux.text}'"
            elif low in HYPOTHETICAL_AUX:
                return "hypothetical", f"modal '{aux.text}'"
            elif low in FUTURE_AUX or aux.lemma_ in FUTURE_AUX:
                future = future or f"future '{aux.text}'"
        if tok.i != trigger.i and tok.lemma_ in PLANNING_HEADS:
            future = future or f"'{tok.text} to'"
        if tok.i != trigger.i and tok.lemma_ == "go" and tok.tag_ == "VBG":
            future = future or "'going to'"
        if tok.i != trigger.i and tok.lower_ == "about":
            future = future or "'about to'"
    for tok in chain:
        habit = [c for c in children[tok.i] if lower[c] in HABITUAL_ADVERBS]
        if habit and tok.tag_ in {"VBP", "VBZ", "VB"}:
            return "hypothetical", f"habitual '{text[habit[0]]}'"
    if reported and not future:
        # "reports the man who robbed the bank was jailed": the relative clause
        # describes the man; it is background whoever reports it
        background = _background_clause(trigger)
        if background:
            return "historical", f"background: {background}"
    if reported:
        return "reported", reported
    if future:
        return "planned", future

    historical = _historical(trigger, clause_head, article_year)
    if historical:
        return "historical", historical
    return "asserted", "asserted in the sentence"


def _question(head: Token) -> bool:
    """The clause ends in a question mark (quotation marks aside)."""
    doc = head.doc
    i = head.right_edge.i
    while i > head.i and (doc[i].is_quote or doc[i].is_space):
        i -= 1
    if doc[i].text == "?":
        return True
    i = head.right_edge.i + 1
    while i < len(doc) and (doc[i].is_quote or doc[i].is_space):
        i += 1
    return i < len(doc) and doc[i].text == "?"


def _under_speech(head: Token) -> bool:
    return head.dep_ == "ccomp" and head.head.lemma_ in SPEECH_VERBS


def _reported(trigger: Token, chain: list[Token]) -> str | None:
    doc = trigger.doc
    children, lower = token_tree(doc).children, token_strings(doc).lower
    for tok in chain:
        for c in children[tok.i]:
            if lower[c] in REPORTING_ADVERBS:
                return f"'{doc[c].text}'"
    # "is said to have attacked"
    head = chain[-1]
    if head.dep_ == "xcomp" and head.head.lemma_ in {"say", "believe", "think", "report"}:
        if any(c.dep_ == "auxpass" for c in head.head.children):
            return f"'{head.head.text} to'"
    for anc in _ancestors(trigger):
        if anc.lemma_ in REPORTING_VERBS and anc.pos_ == "VERB":
            return f"reporting verb '{anc.text}'"
        if anc.lemma_ in REPORTING_NOUNS and anc.pos_ == "NOUN":
            return f"reporting noun '{anc.text}'"
        for c in children[anc.i]:
            if lower[c] in REPORTING_ADVERBS:
                return f"'{doc[c].text}'"
    return None


def _unrealised(verb: Token) -> bool:
    """An infinitive or future/modal verb: what it governs has not happened yet."""
    aux = {a.lower_ for a in verb.children if a.dep_ == "aux"}
    return bool(aux & ({"to"} | FUTURE_AUX | HYPOTHETICAL_AUX | OBLIGATION_AUX))


def _background_clause(trigger: Token) -> str | None:
    """A clause that describes a participant or the backdrop, not the news itself.

    Relative clauses ("X, who attacked ..."), past-participle modifiers ("land
    seized last year") and past "after/since" clauses restate what happened
    before; counting them is how one story becomes many events.
    """
    tok = trigger
    while tok.head.i != tok.i:
        if tok.dep_ == "relcl":
            if _present(tok):
                return None  # "the province, which is also seeking a fine": ongoing
            return f"relative clause on '{tok.head.text}'"
        if tok.dep_ == "acl" and tok.tag_ == "VBN":
            return f"participle describing '{tok.head.text}'"
        if tok.dep_ == "advcl" and tok.tag_ in {"VBD", "VBN"} and any(
            c.dep_ == "mark" and c.lower_ in BACKGROUND_MARKS for c in tok.children
        ):
            mark = next(c for c in tok.children if c.dep_ == "mark")
            if not _just_before(mark):
                return f"'{mark.text}' clause"
        if tok.dep_ == "pcomp" and tok.tag_ in {"VBD", "VBN"} and (
            tok.head.lower_ in BACKGROUND_MARKS
        ) and not _just_before(tok.head):
            return f"'{tok.head.text}' clause"
        tok = tok.head
    return None


def _present(verb: Token) -> bool:
    """ "which is also seeking": a present progressive clause tells what is going on now.
    The simple present ("who consults with officials") is a habit or a trait, not news."""
    aux = {a.lower_ for a in verb.children if a.dep_ in {"aux", "auxpass"}}
    return verb.tag_ == "VBG" and bool(aux & {"is", "are", "am"})


def _just_before(mark: Token) -> bool:
    """ "hours after", "shortly after": the clause is today's news, not the backdrop."""
    return any(c.lower_ in RECENT_MODIFIERS for c in mark.children) or (
        mark.i > 0 and mark.doc[mark.i - 1].lower_ in RECENT_MODIFIERS
    )


def _historical(trigger: Token, clause_head: Token, article_year: int | None) -> str | None:
    background = _background_clause(trigger)
    if background:
        return f"background: {background}"
    # past perfect in a background clause: "after rebels had seized the town"
    if clause_head.dep_ in {"advcl", "relcl", "acl", "pcomp"}:
        aux = {a.lower_ for a in clause_head.children if a.dep_ in {"aux", "auxpass"}}
        if "had" in aux and trigger.tag_ == "VBN":
            return "past perfect in a background clause"
    if article_year is None:
        return None
    for tok in (trigger, clause_head):
        for prep, year in _clause_years(tok):
            if prep == "since" or year < article_year:
                return f"dated {year}, before the article"
    return None
