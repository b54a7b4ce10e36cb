"""Quotations: attached to cues, layout patterns (dash, colon, headline, lists), carry-over."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from wirewatch.nlp import coref
from wirewatch.nlp.doctext import text_of
from wirewatch.nlp.quotes.candidates import _SKIP_SEGMENTS, _Cand, _merge
from wirewatch.nlp.quotes.cues import _NOT_GENERIC, CueLexicon
from wirewatch.nlp.quotes.marks import _DASHES, ALL_MARKS, Quotation
from wirewatch.nlp.quotes.names import _all_named, _looks_like_name, _named_elsewhere
from wirewatch.nlp.quotes.spans import (
    _adjacent,
    _ends_sentence,
    _has_verb,
    _sent_at,
    _tight,
    _tok_span,
    _trim,
)


class QuotationRules:
    """Gives quotation-mark stretches to cues, layout patterns or the previous speaker."""

    # set by QuoteAttributor.__init__
    lex: CueLexicon
    min_quote_words: int
    scope: str

    def _snap(
        self, doc: Doc, s: int, e: int, quotations: list[Quotation], cand: _Cand
    ) -> tuple[int, int]:
        """Widen content to whole quotations it cuts, unless the cue is inside one."""
        cue = cand.cue_span
        for q in quotations:
            if q.start < e and s < q.end:
                if cue and q.start <= cue[0] < q.end and not (s >= q.start and e <= q.end):
                    continue
                if cue and q.start <= cue[0] < q.end:
                    continue
                s, e = min(s, q.start), max(e, q.end)
        return s, e

    def _attach_quotations(
        self, doc: Doc, quotations: list[Quotation], cands: list[_Cand]
    ) -> None:
        """Give quotations no content covers to the nearest cue of their sentence."""
        chains: dict[int, list[Quotation]] = {}
        for q in quotations:
            chains.setdefault(q.chain, []).append(q)
        for members in chains.values():
            if self._covered(members, cands):
                continue
            short = not self._substantial(text_of(doc), members)
            last, first = members[-1], members[0]
            prev = None if short else self._continues(text_of(doc), first, cands)
            if prev is not None:
                # '"A," she said. "B."': B continues A, before any later cue
                prev.content = _merge(prev.content + [(q.start, q.end) for q in members])
                continue
            best = None
            for c in cands:
                if c.cue_span is None or c.sentence is None or c.pattern.startswith("layout"):
                    continue
                cs = c.cue_span[0]
                if any(q.start <= cs < q.end for q in quotations):
                    continue
                sent = c.sentence
                # the cue's sentence must touch the quotation's first or last member
                touch = (sent.start_char <= last.end and last.start <= sent.end_char) or (
                    sent.start_char <= first.end and first.start <= sent.end_char
                )
                if not touch:
                    continue
                if c.speaker_tok is None and c.pattern != "according_to":
                    continue
                if c.content and not _adjacent(text_of(doc), c.content, members):
                    continue
                if c.content and cs > last.end and _ends_sentence(text_of(doc), last):
                    continue  # '"B." According to X, ...': the cue has its own clause
                if short and not _tight(text_of(doc), c, first, last):
                    continue
                dist = min(abs(cs - last.end), abs(cs - first.start))
                if best is None or dist < best[0]:
                    best = (dist, c)
            if best is None:
                if short:
                    continue  # scare quotes need a listed cue
                generic = self._tight_verb(doc, first, last, quotations)
                if generic is not None:
                    generic.content = [(q.start, q.end) for q in members]
                    cands.append(generic)
                continue
            c = best[1]
            c.content = _merge(c.content + [(q.start, q.end) for q in members])
            c.confidence = max(c.confidence, 0.85)

    def _continues(self, text: str, first: Quotation, cands: list[_Cand]) -> _Cand | None:
        """The attributed direct quote that this quotation directly follows, if any."""
        for c in cands:
            if not c.content or c.speaker_span is None or c.cue_span is None:
                continue
            last_end = max(c.content[-1][1], c.cue_span[1], c.speaker_span[1])
            if last_end > first.start or c.content[-1][1] > first.start:
                continue
            if not any(text[a:b].lstrip()[:1] in ALL_MARKS for a, b in c.content):
                continue
            # the attribution sits between the earlier quotation and this one
            if c.cue_span[0] < c.content[-1][1]:
                continue
            gap = text[last_end : first.start]
            if "\n" not in gap and len(gap) <= 4 and not any(ch.isalnum() for ch in gap):
                return c
            if _frame_rest(text, c.content[-1], gap, first):
                return c
        return None

    def _tight_verb(
        self, doc: Doc, first: Quotation, last: Quotation, quotations: list[Quotation]
    ) -> _Cand | None:
        """An unlisted verb right next to a quotation: '"...," she boomed', 'He snapped: "..."'."""
        text = text_of(doc)
        after = re.match(r"[\s,]*", text[last.end :])
        window: list[Token] = []
        start_after = last.end + (after.end() if after else 0)
        sp = doc.char_span(start_after, min(len(text), start_after + 60), alignment_mode="expand")
        if sp is not None:
            window.extend(list(sp)[:4])
        colon = text.rfind(":", max(0, first.start - 3), first.start)
        if colon >= 0:
            sp = doc.char_span(max(0, colon - 40), colon, alignment_mode="expand")
            if sp is not None:
                window.extend(list(sp)[-2:])
        for tok in window:
            if tok.pos_ != "VERB" or tok.lemma_.lower() in _NOT_GENERIC:
                continue
            if any(q.start <= tok.idx < q.end for q in quotations):
                continue
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subj is None:
                continue
            return _Cand(
                cue=[tok], cue_span=_tok_span([tok]), content=[], speaker_tok=subj,
                speaker_span=self._speaker_span(subj), confidence=0.6, pattern="tight_verb",
                sentence=tok.sent,
            )
        return None

    def _covered(self, members: list[Quotation], cands: list[_Cand]) -> bool:
        for q in members:
            for c in cands:
                if c.extra.get("quoted_report"):
                    continue  # the quotation itself still needs its own source
                for s, e in c.content:
                    if s < q.end and q.start < e:
                        return True
        return False

    def _substantial(self, text: str, members: list[Quotation]) -> bool:
        words = sum(len(text[q.start : q.end].split()) for q in members)
        return words >= self.min_quote_words

    def _layout_candidates(
        self, doc: Doc, quotations: list[Quotation], cands: list[_Cand], dash_only: bool = False
    ) -> None:
        text = text_of(doc)
        article = doc._.article
        chains: dict[int, list[Quotation]] = {}
        for q in quotations:
            chains.setdefault(q.chain, []).append(q)
        for members in chains.values():
            if self._covered(members, cands) or not self._substantial(text, members):
                continue
            last, first = members[-1], members[0]
            if article is not None and article.segment_at(first.start) in _SKIP_SEGMENTS:
                continue
            # "..." - Speaker   (speaker runs to the line end)
            m = re.match(r"[ \t]*([" + _DASHES + r"])[ \t]*([^\n]{2,80})", text[last.end :])
            if m and m.group(2)[:1].isupper() or (m and m.group(2)[:1] == "@"):
                sp_s = last.end + m.start(2)
                sp_e = last.end + m.end(2)
                span = _trim(text, sp_s, sp_e, marks=False)
                if span and _looks_like_name(text[span[0] : span[1]]):
                    cue = (last.end + m.start(1), last.end + m.end(1))
                    cands.append(self._layout(doc, members, cue, span, 0.6, "layout:dash"))
                    continue
            if dash_only:
                continue
            # Speaker: "..."
            line_start = text.rfind("\n", 0, first.start) + 1
            prefix = text[line_start : first.start]
            m = re.search(r"([^\n.!?\"“”]{2,80}?)\s*:\s*$", prefix)
            if m:
                sp_s = line_start + m.start(1)
                span = _trim(text, sp_s, line_start + m.end(1), marks=False)
                colon = line_start + prefix.rfind(":")
                if span and _looks_like_name(text[span[0] : span[1]]) and not _has_verb(
                    doc, span
                ):
                    cands.append(
                        self._layout(doc, members, (colon, colon + 1), span, 0.65, "layout:colon")
                    )
                    continue
            if re.search(r":\s*$", prefix):
                # "... doesn't surprise pollster Ana Ruiz: “...”", "- More from Ruiz: “...”":
                # the name right before the colon
                colon = line_start + prefix.rfind(":")
                span = _name_before(doc, colon)
                if span is not None:
                    cands.append(
                        self._layout(doc, members, (colon, colon + 1), span, 0.6, "layout:colon")
                    )
        if not dash_only:
            self._headline_candidates(doc, cands)
            if self.scope == "attribution":
                self._title_case_headline(doc, cands)

    def _headline_candidates(self, doc: Doc, cands: list[_Cand]) -> None:
        """Headline-style ``Speaker: statement`` lines.

        In the attribution scope a transcript turn ("MARSH: Well, I think ...") is one
        too, however long the turn and whatever colons it holds, and a document named in
        a headline ("Survey: ...") speaks for its authors, as PARC-style corpora annotate
        them. There the line's source also wins over cues inside the statement ("Marsh:
        I Think The Dam Will Hold" is Marsh's, not "I think"'s): the nested cues go.
        """
        text = text_of(doc)
        attribution = self.scope == "attribution"
        pos = 0
        for line in text.split("\n"):
            ls, pos = pos, pos + len(line) + 1
            stripped = line.strip()
            if not stripped or (not attribution and (
                len(stripped) > 160 or stripped.count(":") != 1
            )):
                continue
            head, _, rest = line.partition(":")
            if not rest.strip() or len(head.split()) > 6 or re.search(r"\d", head):
                continue
            if not _looks_like_name(head.strip()) or len(rest.split()) < 3:
                continue
            label = head.strip().lower()
            document = attribution and label in coref.DOCUMENT_NOUNS | self.lex.headline_sources
            if not document and (
                _has_verb(doc, (ls, ls + len(head)))
                or not (_all_named(doc, ls, ls + len(head)) or _named_elsewhere(doc, head))
                or label in self.lex.headline_labels
            ):
                continue  # "Analysis: ...", "Heads up, travelers: ..." are not speakers
            colon = ls + len(head)
            inner = (colon + 1, ls + len(line))
            if any(c.content and c.content[0][0] < ls + len(line) and ls < c.content[-1][1]
                   and not (attribution and c.cue_span is not None and c.cue is not None
                            and inner[0] <= c.cue_span[0] and c.cue_span[1] <= inner[1])
                   for c in cands):
                continue
            sp = _trim(text, ls, colon, marks=False)
            ct = _trim(text, colon + 1, ls + len(line), marks=True, final_stop=True)
            if sp is None or ct is None:
                continue
            cands.append(
                _Cand(
                    cue=None, cue_span=(colon, colon + 1), content=[ct], speaker_span=sp,
                    confidence=0.5, pattern="layout:headline", sentence=_sent_at(doc, ls),
                )
            )

    def _title_case_headline(self, doc: Doc, cands: list[_Cand]) -> None:
        """'Harbour Union Chief Slams Port Fee Plan': a Title Case headline the tagger
        reads as one long name. The first word that is a listed cue in its headline form
        (third person "-s") splits it: the capitalised words before it are the source, the
        rest of the line the content (attribution scope; the words-said scope keeps
        headlines to the colon form)."""
        text = text_of(doc)
        end = text.find("\n")
        end = len(text) if end < 0 else end
        line = text[:end]
        words = [(m.start(), m.end()) for m in re.finditer(r"\S+", line)]
        if len(words) < 4 or any(c.content and c.content[0][0] < end for c in cands):
            return
        caps = sum(1 for s, _ in words if line[s].isupper())
        if caps < 0.7 * len(words):
            return  # a sentence-case headline is parsed like a sentence
        for k, (s, e) in enumerate(words[1:-1], start=1):
            word = line[s:e].strip(",.:;‘’'\"").lower()
            if not word.endswith("s") or not line[s].isupper():
                continue
            stems = {word[:-1], word[:-2]} if word.endswith("es") else {word[:-1]}
            if not any(self.lex.group_of(w) for w in stems):
                continue
            before = line[words[0][0] : words[k - 1][1]]
            if any(ch in before for ch in ",:;‘’'\"") or k > 8:
                return
            src = _trim(text, words[0][0], words[k - 1][1], marks=False)
            content = _trim(text, words[k + 1][0], end, final_stop=True)
            if src is None or content is None:
                return
            cands.append(_Cand(
                cue=None, cue_span=(s, e), content=[content], speaker_span=src,
                confidence=0.5, pattern="layout:title", sentence=_sent_at(doc, 0),
            ))
            return

    def _layout(
        self,
        doc: Doc,
        members: list[Quotation],
        cue: tuple[int, int],
        speaker: tuple[int, int],
        conf: float,
        pattern: str,
    ) -> _Cand:
        return _Cand(
            cue=None, cue_span=cue, content=[(q.start, q.end) for q in members],
            speaker_span=speaker, confidence=conf, pattern=pattern,
            sentence=_sent_at(doc, members[0].start),
        )

    def _carry_over(self, doc: Doc, quotations: list[Quotation], cands: list[_Cand]) -> None:
        """A quotation with no cue continues the previous attributed quotation.

        ``"A," she said. "B."`` and a following paragraph that is only a
        quotation both extend the earlier quote's content (one speech act, one
        record); the speaker is carried over, so confidence drops a little.
        """
        text = text_of(doc)
        chains: dict[int, list[Quotation]] = {}
        for q in quotations:
            chains.setdefault(q.chain, []).append(q)
        for members in chains.values():
            first = members[0]
            if self._covered(members, cands) or not self._substantial(text, members):
                continue
            prev = None
            for c in cands:
                if c.content and c.content[-1][1] <= first.start and c.speaker_span:
                    if prev is None or c.content[-1][1] > prev.content[-1][1]:
                        prev = c
            if prev is None:
                continue
            last_end = max(prev.content[-1][1], prev.cue_span[1] if prev.cue_span else 0,
                           prev.speaker_span[1] if prev.speaker_span else 0)
            gap = text[last_end : first.start]
            line_start = text.rfind("\n", 0, first.start) + 1
            opens_paragraph = not text[line_start : first.start].strip()
            direct = any(text[a:b].strip()[:1] in ALL_MARKS for a, b in prev.content)
            if "\n" in gap:
                # next paragraph: the quotation must be the paragraph
                if not opens_paragraph or gap.count("\n") > 4 or gap.strip(" .,;:\n\t"):
                    continue
                if not direct and not self._after_speech_sentence(text, prev, first):
                    continue
                # a closed quotation standing as its own paragraph is the same
                # speaker's next statement: its own record (a quotation left open at
                # the paragraph end is chained, one record)
                self._add_carried(prev, members, cands)
                continue
            if len(gap) > 3 and any(ch.isalnum() for ch in gap) and (
                opens_paragraph or not self._after_speech_sentence(text, prev, first)
            ):
                continue  # '..., Ilse Marten said in Rotterdam. "..."' still continues
            if not direct:
                # 'He said the plan stands. "We go on."': the speaker of
                # the reported sentence goes on in his own words
                if opens_paragraph or not self._after_speech_sentence(text, prev, first):
                    continue
                self._add_carried(prev, members, cands)
                continue
            prev.content = _merge(prev.content + [(q.start, q.end) for q in members])
            prev.confidence *= 0.95

    def _colon_lists(self, doc: Doc, cands: list[_Cand]) -> None:
        """'In the interview, Ana Ruiz also said:' then a list of unpunctuated lines.

        Each line of the list (a paragraph that does not end a sentence, as bullet
        points are written) is a separate statement of the speaker.
        """
        text = text_of(doc)
        for c in list(cands):
            if c.content or c.cue_span is None or c.speaker_span is None:
                continue
            if not c.pattern.startswith("verb:speech"):
                continue
            line_end = text.find("\n", c.cue_span[1])
            if line_end < 0 or text[c.cue_span[1] : line_end].strip() != ":":
                continue
            pos = line_end
            items: list[tuple[int, int]] = []
            while True:
                while pos < len(text) and text[pos] in "\n \t":
                    pos += 1
                end = text.find("\n", pos)
                end = len(text) if end < 0 else end
                line = text[pos:end].rstrip()
                if not line or line[-1] in ".!?:”\"'’" or len(line.split()) > 40:
                    break
                span = _trim(text, pos, pos + len(line), marks=False)
                if span is not None:
                    items.append(span)
                pos = end
            if len(items) < 2:
                continue  # one unpunctuated line is as likely a subheading
            for span in items:
                cands.append(_Cand(
                    cue=None, cue_span=None, content=[span], speaker_tok=c.speaker_tok,
                    speaker_span=c.speaker_span, confidence=c.confidence * 0.9,
                    pattern="layout:list", sentence=_sent_at(doc, span[0]),
                    extra={"list_of": c},
                ))

    @staticmethod
    def _after_speech_sentence(text: str, prev: _Cand, first: Quotation) -> bool:
        """The quotation opens the sentence right after the one holding ``prev``."""
        if prev.sentence is None or prev.sentence.end_char > first.start:
            return False
        gap = text[prev.sentence.end_char : first.start]
        return not gap.strip(" \n\t") and "\n\n\n" not in gap.replace(" ", "")

    def _add_carried(self, prev: _Cand, members: list[Quotation], cands: list[_Cand]) -> None:
        """A quotation that continues ``prev``'s speaker: its own record for words-said
        quotes (one statement each); in the attribution scope more content of the same
        attribution, as PARC-style corpora annotate a speaker's run of quotations."""
        if self.scope == "attribution":
            prev.content = _merge(prev.content + [(q.start, q.end) for q in members])
            prev.confidence *= 0.95
        else:
            cands.append(self._carried(prev, members))

    @staticmethod
    def _carried(prev: _Cand, members: list[Quotation]) -> _Cand:
        return _Cand(
            cue=None, cue_span=None, content=[(q.start, q.end) for q in members],
            speaker_tok=prev.speaker_tok, speaker_span=prev.speaker_span,
            confidence=prev.confidence * 0.9, pattern="carry_over", sentence=None,
            addressee=prev.addressee, extra={"carried_from": prev},
        )


def _name_before(doc: Doc, offset: int) -> tuple[int, int] | None:
    """The person or organisation name ending right before ``offset`` (a colon), if any."""
    sp = doc.char_span(max(0, offset - 80), offset, alignment_mode="contract")
    if sp is None or len(sp) == 0:
        return None
    run: list[Token] = []
    for tok in reversed(list(sp)):
        if tok.ent_type_ in {"PERSON", "ORG"} or (
            run and tok.lower_ == "and" and tok.i > sp.start
            and sp.doc[tok.i - 1].ent_type_ == "PERSON"
        ):
            run.insert(0, tok)
            continue
        break
    if not run or run[0].lower_ == "and":
        return None
    return run[0].idx, run[-1].idx + len(run[-1].text)


# a sentence ends inside the frame: "." "?" or "!" then a capitalised word
_DOUBLE_MARKS = ALL_MARKS - {"'", "`", "‘", "’"}  # not an apostrophe ("the mayor’s")
_SENTENCE_BREAK = re.compile(r"[.!?][\"”’']?\s+[A-Z]")


def _frame_rest(text: str, quoted: tuple[int, int], gap: str, nxt: Quotation) -> bool:
    """'"A," she said in a statement on Monday. "B."': the words after the cue only end
    the frame sentence of quotation A (cut off by a comma inside its marks), so the next
    sentence's quotation B goes on with the same speaker, one speech act."""
    inner = text[quoted[0] : quoted[1]].rstrip()
    if len(inner) < 2 or inner[-1] not in ALL_MARKS or inner[-2] != ",":
        return False
    body = gap.rstrip()
    if "\n" in gap or len(gap) > 120 or not body.endswith(".") or body[:-1].endswith("."):
        return False
    if any(ch in _DOUBLE_MARKS for ch in gap) or _SENTENCE_BREAK.search(body[:-1]):
        return False
    head = text[nxt.start : nxt.start + 3].lstrip("".join(ALL_MARKS) + " ")
    return head[:1].isupper()
