"""Sources written after the content: inverted cues and names after a closing comma.

"..., said another witness, Jane Roe.", "..., Jane Roe, a spokeswoman for the port,
said.", "Roe stood still, reported Ann Lee of the Herald." and "..., say hydrologists,
but ...": the parse gives the cue no subject, or hangs the source inside the content.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from wirewatch.nlp import coref
from wirewatch.nlp.doctext import text_of
from wirewatch.nlp.quotes.candidates import _Cand
from wirewatch.nlp.quotes.marks import ALL_MARKS
from wirewatch.nlp.quotes.spans import _has_finite, _trim, comma_pieces

_ADDRESSEE_VERBS = {"tell", "inform", "assure", "reassure", "ask", "warn", "remind",
                    "brief", "urge", "advise", "caution", "promise"}


class InvertedSources:
    """Finds the source of a cue in the words after the content (a mixin of the component:
    ``_speaker_span`` comes from :class:`~wirewatch.nlp.quotes.speakers.SpeakerRules`)."""

    def _trailing_speaker(
        self, doc: Doc, sent: Span, verb: Token, cand: _Cand, names_only: bool = False
    ) -> None:
        """The source after the content when the parse gave the cue no subject.

        "..., said another witness, Jane Roe." (the parser makes the source an
        object) and "..., Jane Roe, a spokeswoman for the port, said." (the
        parser hangs the name inside the content clause).
        """
        text = text_of(doc)
        before = doc[verb.i - 1] if verb.i > sent.start else None
        if before is None or before.text not in {","} | ALL_MARKS:
            return
        if verb.tag_ == "VBG":
            # "..., calling Roe a liar" and "..., noting the mayor ...": a participle's
            # object is whom it is about; the source is the subject of the clause before
            return
        if verb.lemma_.lower() not in _ADDRESSEE_VERBS:
            obj = next((c for c in verb.rights if c.dep_ == "dobj"), None)
            if obj is not None and (
                obj.ent_type_ in {"PERSON", "ORG"}
                or (not names_only and (
                    obj.ent_type_ == "NORP" or obj.pos_ == "PROPN"
                    or obj.lemma_.lower() in coref.PERSON_NOUNS | coref.ORG_NOUNS
                    or any(c.dep_ == "appos" and c.ent_type_ == "PERSON"
                           for c in obj.children)
                ))
            ):
                cand.speaker_tok = obj
                cand.speaker_span = self._speaker_span(obj)
                return
        if not names_only and self._inverted_source(doc, sent, verb, cand):
            return
        if names_only or any(
            not (t.is_punct or t.is_space) for t in doc[verb.i + 1 : sent.end]
        ):
            return
        # comma-separated pieces right before ", said."
        pieces = comma_pieces(doc[sent.start : verb.i - 1], 2, 12)
        choice = None
        for piece in pieces:
            words = [t for t in piece if not (t.is_punct or t.lower_ in {"the", "a", "an"})]
            # a name the NER missed still reads as one: capitalised proper nouns
            if words and all(
                t.ent_type_ in {"PERSON", "ORG"}
                or (t.pos_ == "PROPN" and t.is_title and not t.ent_type_)
                for t in words
            ) and len(words) <= 5:
                choice = piece
                break
        if choice is None and pieces:
            root = next((t for t in pieces[0] if t.head not in pieces[0] or t.head is t), None)
            if root is not None and root.lemma_.lower() in coref.PERSON_NOUNS:
                choice = pieces[0]
        if choice is None:
            return
        comma = choice[0].i - 1
        if comma <= sent.start or doc[comma].text != ",":
            return
        span = _trim(text, choice[0].idx, choice[-1].idx + len(choice[-1].text), marks=False)
        if span is None:
            return
        cand.speaker_tok = next((t for t in choice if t.head not in choice or t.head is t),
                                choice[-1])
        cand.speaker_span = span
        cut = doc[comma].idx
        content = [_trim(text, s, min(e, cut)) for s, e in cand.content if s < cut]
        cand.content = [c for c in content if c is not None]

    def _tail_attribution(
        self, doc: Doc, sent: Span, verb: Token, speaker: Token | None
    ) -> tuple[tuple[int, int], Token] | None:
        """'X happened, reported Ann Lee of the Herald.' / '..., as confirmed by Ana Ruiz.'

        An inverted cue closing the sentence, hung by the parser on the clause
        before it (advcl or conj) with no content of its own: the clause before
        the comma is the content, the name after the cue the source.
        """
        if verb.dep_ not in {"advcl", "conj"} or verb.i - 2 < sent.start or verb.tag_ == "VBG":
            return None  # "..., telling Ana to leave": a participle of the clause's subject
        k = verb.i - 1
        if doc[k].lower_ == "as":
            k -= 1
        if doc[k].text != "," or k <= sent.start:
            return None
        after = [t for t in doc[verb.i + 1 : sent.end] if not (t.is_punct or t.is_space)]
        if not after or len(after) > 20:
            return None
        src = None
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        if agent is not None:
            src = next((c for c in agent.children if c.dep_ == "pobj"), None)
        if src is None and verb.lemma_.lower() not in _ADDRESSEE_VERBS:
            src = next((c for c in verb.rights if c.dep_ in {"dobj", "npadvmod", "nsubj"}
                        and (c.ent_type_ in {"PERSON", "ORG"} or c.pos_ == "PROPN")), None)
        if src is None or (speaker is not None and speaker.i < verb.i and src is None):
            return None
        if src.ent_type_ not in {"PERSON", "ORG"} and src.pos_ != "PROPN":
            return None
        body = [t for t in doc[sent.start : k] if not t.is_space]
        if len([t for t in body if not t.is_punct]) < 4 or not _has_finite(body):
            return None
        span = _trim(text_of(doc), body[0].idx, body[-1].idx + len(body[-1].text))
        if span is None:
            return None
        return span, src

    def _inverted_source(self, doc: Doc, sent: Span, verb: Token, cand: _Cand) -> bool:
        """'..., say hydrologists, but ...': a bare noun phrase right after an
        inverted cue and closed by a comma or full stop is the source, even when
        the parser hung it on the next clause."""
        run: list[Token] = []
        for t in doc[verb.i + 1 : min(sent.end, verb.i + 6)]:
            if t.is_punct:
                if t.text not in {",", ".", ";"}:
                    return False
                break
            if t.pos_ not in {"NOUN", "PROPN", "ADJ", "DET", "NUM"} or t.lower_ in {
                "that", "this", "it"
            }:
                return False
            run.append(t)
        else:
            return False
        nouns = [t for t in run if t.pos_ in {"NOUN", "PROPN"}]
        if not nouns or not cand.content or cand.content[0][0] > verb.idx:
            return False
        head = nouns[-1]
        if head.pos_ == "NOUN" and head.tag_ != "NNS" and head.lemma_.lower() not in (
            coref.PERSON_NOUNS | coref.ORG_NOUNS
        ):
            return False
        span = _trim(text_of(doc), run[0].idx, run[-1].idx + len(run[-1].text), marks=False)
        if span is None:
            return False
        cut = doc[verb.i - 1].idx
        content = [_trim(text_of(doc), s, min(e, cut)) for s, e in cand.content if s < cut]
        cand.content = [c for c in content if c is not None]
        cand.speaker_tok = head
        cand.speaker_span = span
        return True
