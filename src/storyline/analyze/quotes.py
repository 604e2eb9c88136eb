"""Reported speech in one parsed article: direct, partial and indirect quotes with their cues.

Rule-based on spaCy's dependency parse, written by hand because the maintained alternatives
do less: textacy's ``direct_quotations`` finds only direct quotes and fails on unbalanced marks,
and the published news attribution systems (GGT, Citron) are not installable packages.

What is found (see :func:`extract`):
- direct quotes: a quoted utterance introduced by a colon ("X told The i Paper: "...""), governed
  by a cue verb ("X said "...""), followed by a cue ("..., he said" / "..., said X"), or standing
  alone after a quote of the same speaker (continuations, multi-paragraph quotes);
- partial quotes: quoted words inside the complement of a cue verb ("said the talk was
  "irritating"") are reported as that complement, kind "partial";
- indirect speech: the clausal complement of a cue verb ("X said that ...", "X warned ...");
- anything else in quotation marks (scare quotes, titles, nicknames) is not speech and is
  dropped.
The speaker of each quote is left as a parse span here; :mod:`storyline.analyze.speakers` turns
it into a person.

The shared record, cue lexicon and parse helpers are in :mod:`storyline.analyze.quote_base`;
the quotation-mark pass in :mod:`storyline.analyze.quotes_direct`; reported speech without marks
in :mod:`storyline.analyze.quotes_indirect`.
"""

from __future__ import annotations

import re

from typing import TYPE_CHECKING

from storyline.analyze import marks
from storyline.analyze.quote_base import Found
from storyline.analyze.quotes_direct import from_marks
from storyline.analyze.quotes_indirect import from_according_to, from_cue_verbs

if TYPE_CHECKING:  # spaCy's types, for annotations only: spaCy loads with the pipeline
    from storyline.analyze.nlp import Doc, Span


def _tokens_in(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def extract(doc: Doc) -> list[Found]:
    """Every quote of ``doc`` (direct, partial, indirect), in text order, speakers unresolved.

    The passes run in this order because each skips the tokens the earlier ones took: quotation
    marks first (the strongest evidence), then cue verbs, then "according to".
    """
    text = doc.text
    quoted = marks.find(text)
    paras = marks.paragraphs(text)
    claimed: set[int] = set()  # token indices already inside a reported quote
    cues_used: set[int] = set()

    spans = [(q, _tokens_in(doc, q.start, q.end)) for q in quoted]
    # Words inside any quotation mark pair are never a cue for indirect speech.
    quoted_tokens = {t.i for _, span in spans if span is not None for t in span}

    found = from_marks(doc, spans, paras, claimed, cues_used)
    found += from_cue_verbs(doc, paras, quoted_tokens, cues_used, claimed)
    found += from_according_to(doc, paras, quoted_tokens, claimed)
    found.sort(key=lambda f: f.start)
    return join_split(doc, reach_cuts(text, close_partials(text, quoted, found)))


# At most this many characters (punctuation the parse left out) between a partial quote's end
# and the closing mark of the quotation it holds.
CLOSE_GAP = 3


def close_partials(text: str, quoted: list[marks.Quoted], found: list[Found]) -> list[Found]:
    """A partial quote ends with the closing mark of the quoted words it ends with: the parse's
    clause stops before the punctuation, and the closing mark after it went too, so a quote
    read "... in the near future “to continue this important work" with its mark left open.
    Extended only over punctuation (at most CLOSE_GAP characters) up to that mark."""
    for f in found:
        if f.kind != "partial":
            continue
        for q in quoted:
            if q.closed and f.start <= q.open < f.end <= q.end <= f.end + CLOSE_GAP \
                    and all(not ch.isalnum() and not ch.isspace() for ch in text[f.end : q.end]):
                f.end = q.end + 1
                break
    return found


# An ellipsis that ends its paragraph (spaces or tabs around it): where an aggregator cut a
# headline or a teaser. Linear: no nested repetition.
_CUT = re.compile(r"[ \t]*(\.\.\.|…)[ \t]*(?:\r?\n|$)")


def reach_cuts(text: str, found: list[Found]) -> list[Found]:
    """A quote that runs into a cut keeps the ellipsis: "Tells People to "Open Your Mind ..." is
    reported as 'to "Open Your Mind ...', which reads as cut, not as the speaker's whole words
    (the parse's clause stops before the punctuation)."""
    for f in found:
        if f.end and text[f.end - 1] in marks.CLOSING | {marks.STRAIGHT, "’", "'"}:
            continue  # the quoted words are whole: the cut is after them ('"going well" ...')
        m = _CUT.match(text, f.end)
        if m:
            f.end = m.end(1)
    return found


# At most this many characters between the two parts of a split quotation (the interruption:
# closing mark, "she said", opening mark).
SPLIT_GAP = 80


def join_split(doc: Doc, found: list[Found]) -> list[Found]:
    """A quotation interrupted by its cue is one quote: ""We will win," she said, "and soon.""
    and ""We will win," she said. "We always do."" are one utterance of one speaker, so the two
    quoted parts become one quote from the first part's start to the last part's end (its text
    then holds the interruption between the inner marks, exactly as printed). Only within one
    paragraph, only when the cue sits between the parts and the second part has no cue of its own.
    """
    out: list[Found] = []
    for f in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == "direct"
            and f.kind == "direct"
            and prev.paragraph == f.paragraph
            and prev.cue is not None
            and prev.end <= prev.cue.idx < f.start
            and (f.cue is None or f.cue.i == prev.cue.i)
            and f.start - prev.end <= SPLIT_GAP
            and sum(1 for ch in doc.text[prev.end : f.start] if ch in marks.ALL_MARKS) <= 2
        ):
            prev.end = f.end
            if prev.group is None:
                prev.group = f.group
            continue
        out.append(f)
    return out
