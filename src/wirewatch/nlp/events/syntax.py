"""Parse-tree helpers every step of the event coder reads: noun phrases, coordination,
prepositional objects, clause heads."""

from __future__ import annotations

from spacy.tokens import Token

from wirewatch.nlp.tokenstrings import TokenStrings, TokenTree, token_strings, token_tree

SUBJ_DEPS = {"nsubj", "csubj", "expl"}
PASSIVE_SUBJ = {"nsubjpass", "csubjpass"}
VERB_LIKE_DEPS = {"ccomp", "xcomp", "conj", "ROOT", "advcl"}  # of verb_like_at()'s clause heads
CLAUSE_DEPS = {"relcl", "ccomp", "advcl", "acl", "xcomp", "parataxis"}
NP_DROP = {"relcl", "acl", "appos", "punct", "cc", "conj", "prep", "advcl", "parataxis",
           "dep", "prt", "case"}


def np_tokens(head: Token, generic: frozenset[str]) -> list[Token]:
    """The noun phrase of ``head``: determiners, modifiers, compounds and of-phrases."""
    keep = [head]
    for c in head.children:
        if c.dep_ in NP_DROP:
            # "officers with the county sheriff's office": the with-phrase names the body
            if c.dep_ == "prep" and c.lower_ in {"of", "within", "from", "with"} and (
                head.lemma_.lower() in generic or c.lower_ == "of"
            ) and (c.lower_ != "with" or head.lemma_.lower() in generic) and any(
                x.dep_ == "pobj" for x in c.children
            ) and not any(
                x.tag_ == "VBG" for x in c.subtree
            ):  # "accused X of burning villages": the of-phrase belongs to the verb
                keep.extend(c.subtree)
            continue
        keep.extend(c.subtree)
    lo = min(t.i for t in keep)
    hi = max(t.i for t in keep)
    toks = [t for t in head.doc[lo : hi + 1]]
    while toks and (toks[0].is_punct or toks[0].dep_ == "cc"):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].dep_ == "cc"):
        if toks[-1].text == ")" and any(t.text == "(" for t in toks):
            break
        toks = toks[:-1]
    return toks or [head]


def expand_conj(tok: Token) -> list[Token]:
    """A compound participant split into its members: "X and Y", "groups, including Z"."""
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj" and c.pos_ in {"NOUN", "PROPN", "PRON"}:
            out.extend(expand_conj(c))
        if c.dep_ == "prep" and c.lower_ in {"including", "like"}:
            for p in c.children:
                if p.dep_ == "pobj":
                    out.extend(expand_conj(p))
    return out


def pobjs(prep: Token) -> list[Token]:
    """The nouns a preposition governs (``pobjs_of``, as Tokens)."""
    doc = prep.doc
    return [doc[i] for i in pobjs_of(token_strings(doc), token_tree(doc), prep.i)]


def pobjs_of(strings: TokenStrings, tree: TokenTree, prep: int) -> list[int]:
    """``pobjs`` by index, for the scans that walk the doc's strings."""
    dep, children = tree.dep, tree.children
    out: list[int] = []
    for c in children[prep]:
        if dep[c] == "pobj":
            out.append(c)
        elif dep[c] == "pcomp":
            out.extend(x for x in children[c] if dep[x] == "pobj")
    if not out:
        # a headline without a final stop: "workers go on strike" parses "strike" as dep
        pos = strings.pos
        out = [c for c in children[prep] if dep[c] == "dep" and pos[c] in {"NOUN", "PROPN"}]
    return out


def subtree_of(tree: TokenTree, head: int) -> list[int]:
    """The indexes of ``Token.subtree``, in its order (each left child's subtree, the
    head, each right child's subtree)."""
    out: list[int] = []
    children = tree.children

    def walk(i: int) -> None:
        kids = children[i]
        for c in kids:
            if c < i:
                walk(c)
        out.append(i)
        for c in kids:
            if c > i:
                walk(c)

    walk(head)
    return out


def verb_like_at(tree: TokenTree, i: int) -> bool:
    """A clause head the tagger took for a noun ("demanded that X release the crew")."""
    dep = tree.dep
    return dep[i] in VERB_LIKE_DEPS and any(dep[c] in {"nsubj", "dobj"} for c in tree.children[i])


def has_complement(verb: Token, kind: str) -> bool:
    if kind.startswith("prep:"):
        return any(c.dep_ == "prep" and c.lower_ == kind[5:] for c in verb.children)
    deps = {"dobj": {"dobj", "obj"}}.get(kind, {kind})
    return any(c.dep_ in deps for c in verb.children)


def path(tok: Token, stop: Token) -> list[Token]:
    out = []
    while tok.head.i != tok.i and tok.i != stop.i:
        out.append(tok)
        tok = tok.head
    return out


def clause_head(trig: Token) -> Token:
    head = trig
    while head.dep_ in {"xcomp", "conj", "aux", "dobj", "pobj", "prep", "acomp"}:
        if head.head.i == head.i:
            break
        if head.dep_ == "conj" and any(c.dep_ in SUBJ_DEPS | PASSIVE_SUBJ for c in head.children):
            break  # a coordinated clause with its own subject
        head = head.head
    return head


def in_clause(tok: Token, head: Token) -> bool:
    """Whether ``tok`` belongs to the clause of ``head`` and not to a clause nested in it."""
    while tok.i != head.i:
        if tok.dep_ in CLAUSE_DEPS | {"advcl", "conj"} and tok.pos_ in {"VERB", "AUX"}:
            return False
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return True


