"""Names in a headline written in Title Case, cut where the tagger ran them into the words after.

English headlines are often set in Title Case ("Katy Perry Wants Revenge"). The small English
model reads capitals as names, so it runs a person or organisation into the capitalised verb and
words after it: "Katy Perry Wants Revenge" as one PERSON, "Edward Snowden Speaks",
"Justin Bieber Dedicates Song". Keyed by surname, such a name no longer meets "Katy Perry" in
the next headline, and a story label shows the run-on. In the UCI headline dump a fifth of the
multi-word names were such run-ons.

The cut: in a Title Case text (:func:`title_cased`), each PERSON or ORG name of three words or
more is cut before its first word that, read in lower case, is an inflected verb ("wants",
"defends", "revealed", "performing", a modal), a spaced punctuation mark (" - ", ": "), or
for a person a function word ("and", "of", "the", "for"). The words are tagged in lower case
(a copy of the text, the same tokens, run through the model's own tagger) because in Title
Case the tagger calls them proper nouns too. Base-form verbs are no cut: "Grant", "Will" and
"Mark" are first names. Names of one or two words, places and text in sentence case are left
as the model found them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.analyze.nlp import new_span, words_doc

if TYPE_CHECKING:  # spaCy's types, for annotations only
    from storyline.analyze.nlp import Doc, Language

# A text is in Title Case when at least this share of its words of four letters or more start
# with a capital, and it has at least TITLE_WORDS of them (sentence case: the first and the names).
TITLE_SHARE = 0.8
TITLE_WORDS = 3
# Names this long or longer are looked at: a run-on is a name and at least one word more.
RUN_ON_TOKENS = 3
# Verb tags (Penn) that end a name: inflected forms, which no first name or surname takes.
VERB_TAGS = frozenset({"VBZ", "VBD", "VBG", "VBN", "MD"})
# Word classes that end a person's name (an organisation's may hold them: "Bank of England").
PERSON_STOPS = frozenset({"ADP", "DET", "CCONJ", "SCONJ", "PRON", "PART", "AUX"})
# Quotation marks and apostrophes belong to the name or its possessive, not to a cut.
_QUOTES = frozenset("'\"\u2018\u2019\u201c\u201d")
# Texts longer than this are not headlines (a body in Title Case is not worth a second tagging).
MAX_TOKENS = 80


def title_cased(doc: Doc) -> bool:
    """Whether ``doc`` reads as a headline in Title Case."""
    if len(doc) > MAX_TOKENS:
        return False
    words = [t.text for t in doc if t.is_alpha and len(t.text) > 3]
    return len(words) >= TITLE_WORDS and sum(w[0].isupper() for w in words) >= TITLE_SHARE * len(words)


def cut_run_ons(doc: Doc, nlp: Language) -> Doc:
    """``doc`` with its PERSON and ORG names cut where they run on (see the module docstring);
    ``doc`` itself when it is not in Title Case, holds no long name, or ``nlp`` has no tagger."""
    long = [e for e in doc.ents if e.label_ in ("PERSON", "ORG") and len(e) >= RUN_ON_TOKENS]
    if not long or not title_cased(doc) or "tagger" not in nlp.pipe_names:
        return doc
    tags = _lower_case_tags(doc, nlp)
    ents = []
    for e in doc.ents:
        if e not in long:
            ents.append(e)
            continue
        end = _cut(doc, e, tags)
        while end > e.start and doc[end - 1].is_punct:
            end -= 1
        if end > e.start:
            ents.append(e if end == e.end else new_span(doc, e.start, end, e.label_))
    doc.ents = ents
    return doc


def _cut(doc: Doc, ent, tags: list[tuple[str, str]]) -> int:
    """Where ``ent`` ends once cut: before its first word that cannot be part of the name."""
    for i in range(ent.start + 1, ent.end):
        token = doc[i]
        if not doc[i - 1].whitespace_:
            continue  # inside a word ("Crowd-Sourcing", "Docu-Series")
        if token.is_punct:
            if token.text not in _QUOTES:
                return i
            continue
        if not token.text[:1].isupper():
            continue
        pos, tag = tags[i]
        if tag in VERB_TAGS or (ent.label_ == "PERSON" and pos in PERSON_STOPS):
            return i
    return ent.end


def _lower_case_tags(doc: Doc, nlp: Language) -> list[tuple[str, str]]:
    """(coarse, fine) tags of each token of ``doc`` read in lower case, by ``nlp``'s tagger (and
    the token-to-vector layer and attribute ruler it needs, when the pipeline has them)."""
    lower = words_doc(nlp, [t.text.lower() for t in doc], [bool(t.whitespace_) for t in doc])
    for name in ("tok2vec", "tagger", "attribute_ruler"):
        if name in nlp.pipe_names:
            lower = nlp.get_pipe(name)(lower)
    return [(t.pos_, t.tag_) for t in lower]
