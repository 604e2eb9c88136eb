"""What the quote passes share: the :class:`Found` record, the lexicon of cue verbs, and parse
helpers for a cue verb, its subject (the speaker) and the spans it reports.

Used by :mod:`storyline.analyze.quotes_direct` (quotation marks) and
:mod:`storyline.analyze.quotes_indirect` (reported speech without marks), which
:mod:`storyline.analyze.quotes` runs in turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyline.analyze import marks

if TYPE_CHECKING:  # spaCy's types, for annotations only: spaCy loads with the pipeline
    from storyline.analyze.nlp import Span, Token

# Verbs that report speech or a stated belief (lemmas). Beliefs are included because news
# attributes them like speech ("Starmer believes ...", "officials fear ...").
SPEECH_CUES = {
    "say", "tell", "add", "insist", "warn", "argue", "claim", "state", "assert", "explain",
    "suggest", "note", "stress", "reiterate", "declare", "announce", "admit", "acknowledge",
    "confirm", "deny", "reply", "respond", "answer", "write", "tweet", "post", "report",
    "describe", "ask", "urge", "promise", "pledge", "vow", "predict", "indicate", "emphasise",
    "emphasize", "concede", "contend", "maintain", "observe", "remark", "comment", "recall",
    "complain", "allege", "testify", "agree", "joke", "quip", "boast", "lament", "inform",
    "reveal", "disclose", "signal", "caution", "mention", "repeat", "counter", "retort",
    "speculate", "estimate", "forecast", "accuse", "charge", "criticise", "criticize",
    "praise", "question", "demand", "threaten", "assure", "reassure", "affirm", "reaffirm",
    "proclaim", "conclude", "continue", "shout", "yell", "whisper", "exclaim", "plead",
    "advise", "recommend", "propose", "hint", "imply", "dispute", "cite", "contend", "brief",
    "predict", "project", "stipulate", "specify", "clarify", "point", "echo", "acknowledge",
    "protest", "concur", "surmise", "read", "tout", "call", "dismiss", "hail",
}
BELIEF_CUES = {
    "believe", "think", "feel", "hope", "expect", "fear", "doubt", "suspect", "worry",
    "figure", "assume", "reckon", "know", "understand", "realize", "realise", "recognize",
    "recognise", "consider", "wonder", "guess", "imagine", "anticipate", "trust", "sense",
    "decide", "learn", "find", "want", "wish", "prefer", "envision",
}
CUES = SPEECH_CUES | BELIEF_CUES

# The reporting-verb lexicon for reported speech WITHOUT quotation marks, with its frames. Words in
# quotation marks are strong evidence of speech by themselves, so the mark passes accept any cue
# above; a clause with no marks is someone's statement only when the verb reports speech or
# thought. Verbs of wanting, deciding, learning, praising or continuing ("wants a deal",
# "decided that", "found that", "praised the troops") report no statement: on held-out news they
# were the largest class of false quotes.
# Frame "clause": the verb's clausal complement is the content ("said (that) ...", "..., he
# warned"). Frame "object": its noun-phrase object is a stated position ("denied the claims",
# "promised a referendum").
CLAUSE_REPORTING = {
    "say", "tell", "add", "insist", "warn", "argue", "claim", "state", "assert", "explain",
    "suggest", "note", "stress", "reiterate", "declare", "announce", "admit", "acknowledge",
    "confirm", "deny", "reply", "respond", "answer", "write", "tweet", "post", "report",
    "urge", "promise", "pledge", "vow", "predict", "indicate", "emphasise", "emphasize",
    "concede", "contend", "maintain", "observe", "remark", "comment", "recall", "complain",
    "allege", "testify", "agree", "joke", "quip", "boast", "lament", "inform", "reveal",
    "disclose", "signal", "caution", "mention", "repeat", "counter", "retort", "speculate",
    "estimate", "forecast", "threaten", "assure", "reassure", "affirm", "reaffirm", "proclaim",
    "conclude", "shout", "yell", "whisper", "exclaim", "plead", "advise", "recommend", "propose",
    "hint", "imply", "dispute", "brief", "clarify", "point", "echo", "protest", "concur",
    "surmise", "demand", "accuse",
    # thought and belief
    "believe", "think", "feel", "hope", "expect", "fear", "doubt", "suspect", "worry",
    "reckon", "assume", "understand", "consider", "know", "imagine", "anticipate",
}
OBJECT_REPORTING = {
    "promise", "announce", "deny", "propose", "predict", "pledge", "vow", "demand", "confirm",
    "admit", "concede", "acknowledge",
}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}


@dataclass(slots=True)
class Found:
    """A quote before speaker resolution.

    ``start``/``end`` delimit the quoted words (inside the marks for direct quotes; the whole
    complement clause for partial and indirect ones). ``source`` is the span naming the speaker
    near the quote, when there is one; ``follows`` is set for a quote with no cue of its own
    that continues the utterance of an earlier quote (its index).
    """

    start: int
    end: int
    kind: str
    cue: Token | None = None
    source: Span | None = None
    group: int | None = None
    follows: int | None = None
    paragraph: int = 0


def is_cue(token: Token) -> bool:
    """A verb of saying or believing in the active voice ("all options are being considered"
    reports no one), or in the passive with its agent ("was told by officials")."""
    lemma = token.lemma_.lower()
    if not (token.pos_ in {"VERB", "AUX"} and lemma in CUES or (
        lemma in {"say", "tell", "add", "insist", "warn", "argue"} and token.pos_ in {"NOUN", "PROPN"} and token.dep_ in {"ROOT", "ccomp"}
    )):
        return False
    deps = {c.dep_ for c in token.children}
    if "auxpass" in deps and "agent" not in deps and lemma not in {"say", "understand", "report", "tell"}:
        return False
    return True


def subject_of(verb: Token) -> Span | None:
    """The subject of a cue verb as a span, walking up from participles and infinitives
    ("..., adding that ...", "went on to say") to the verb that has one."""
    cue, seen = verb, 0
    while verb is not None and seen < 4:
        for child in verb.children:
            if child.dep_ in {"nsubj", "nsubjpass"}:
                return noun_phrase(child)
            if child.dep_ == "agent":
                for grandchild in child.children:
                    if grandchild.dep_ == "pobj":
                        return noun_phrase(grandchild)
        if verb.dep_ in {"advcl", "xcomp", "conj", "ccomp", "acl", "pcomp"} and verb.head is not verb:
            verb = verb.head
            seen += 1
            continue
        break
    # "His spokesman, asked if ..., said that ...": the parser hangs the subject on the
    # interrupting "asked" (or "speaking on ITV"), a clause before the cue; its subject is the cue's.
    for child in cue.children:
        if child.i < cue.i and child.dep_ in {"parataxis", "advcl"} and (
            child.lemma_.lower() == "ask" or child.tag_ in {"VBN", "VBG"}
        ):
            subject = next((c for c in child.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i < child.i), None)
            if subject is not None:
                return noun_phrase(subject)
    # "At PMQs on Wednesday Starmer said:": the parser makes "Wednesday Starmer" the object of
    # "on" and leaves the verb without a subject. A person named right before the cue is it.
    return next((e for e in cue.doc.ents if e.end == cue.i and e.label_ == "PERSON"), None)


def noun_phrase(head: Token) -> Span:
    """The noun phrase of ``head`` without its appositions and relative clauses: "Sergei
    Lavrov, Russia's foreign minister, who ..." gives "Sergei Lavrov"."""
    doc = head.doc
    start = head.left_edge.i
    end = head.right_edge.i + 1
    for tok in doc[head.i + 1 : end]:
        if tok.text in {",", "(", "—", "–", "-"} or tok.dep_ in {"relcl", "appos", "acl"} or tok.text in marks.ALL_MARKS:
            end = tok.i
            break
    for tok in doc[start : head.i]:
        if tok.text in marks.ALL_MARKS or tok.text in {",", "(", "—", "–"}:
            start = tok.i + 1
    if start >= end:
        return doc[head.i : head.i + 1]
    return doc[start:end]


def trim(span: Span) -> Span | None:
    """``span`` without the punctuation and spaces at its edges (quotation marks kept, and a
    single mark that closes one opened inside it, taken in when it is just outside); None when
    nothing is left."""
    doc = span.doc
    start, end = span.start, span.end
    while start < end and (doc[start].is_punct and doc[start].text not in marks.ALL_MARKS or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text not in marks.ALL_MARKS or doc[end - 1].is_space):
        if _closes_single(doc, start, end - 1):
            break
        end -= 1
    if start >= end:
        return None
    if end < len(doc) and not doc[end - 1].whitespace_ and _closes_single(doc, start, end):
        end += 1  # the parser hung the closing mark on the verb: "... Apply to 'Bachelor'"
    return doc[start:end]


_SINGLE_OPEN = {"'", "‘"}
_SINGLE_CLOSE = {"'", "’"}


def _closes_single(doc, start: int, i: int) -> bool:
    """Token ``i`` is a single quotation mark that closes one opened inside ``doc[start:i]``:
    headlines quote titles and words in single marks ("... Need Not Apply to 'Bachelor'"), and
    trimming the closing one as punctuation left the quote with its mark open. An opening mark
    is one at the start of a word (no space after it); an apostrophe inside or after a word
    ("Harrison's", "students'") opens nothing."""
    if doc[i].text not in _SINGLE_CLOSE:
        return False
    opened = 0
    for tok in doc[start:i]:
        if tok.text in _SINGLE_OPEN and not tok.whitespace_ and (tok.i == 0 or doc[tok.i - 1].whitespace_):
            opened += 1
        elif tok.text in _SINGLE_CLOSE and opened and (tok.i == 0 or not doc[tok.i - 1].whitespace_):
            opened -= 1
    return opened > 0
