"""Caps on what the analysis of one article may cost, and the chunks a body is parsed in.

Article text is untrusted, and some of the analysis grows faster than the text: quote pairing
and attribution take time growing with about the cube of the number of quotation marks (4,000
marks took 38 s, 8,000 took 190 s), and spaCy's memory grows with the longest text it is
handed at once (a single 1 MB line took 3.6 GB). So a body is analysed only up to each cap
below, at a paragraph break where there is one, and is parsed in chunks of at most
MAX_CHUNK_CHARS that are joined back into one Doc: the offsets of everything found stay
offsets into the article body. What was left out is said in plain words
(``Analysis.truncated``), never dropped silently.

The caps sit far above real news: the longest article of the eval data is about 100,000
characters, 1,300 sentences and a few hundred quotation marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyline.analyze.marks import ALL_MARKS

MAX_ANALYSED_CHARS = 200_000
MAX_QUOTE_MARKS = 1_000
MAX_SENTENCES = 5_000
MAX_CHUNK_CHARS = 20_000

_MARK = re.compile("[" + re.escape("".join(sorted(ALL_MARKS))) + "]")
# Where a chunk may end inside an overlong paragraph, best first: a sentence end, any space.
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s+")
_SPACE = re.compile(r"\s+")


@dataclass(slots=True, frozen=True)
class Bounded:
    """The part of a body that is analysed, and what was left out (empty when nothing was)."""

    text: str
    truncated: tuple[str, ...] = ()


def bound(text: str) -> Bounded:
    """``text`` cut at the character and quotation-mark caps (at the paragraph break before the
    cap, or at the cap itself when the paragraph is longer)."""
    notes = []
    if len(text) > MAX_ANALYSED_CHARS:
        cut = _paragraph_cut(text, MAX_ANALYSED_CHARS)
        notes.append(f"analysed the first {cut:,} of {len(text):,} characters "
                     f"(cap: {MAX_ANALYSED_CHARS:,} per article)")
        text = text[:cut]
    marks = 0
    for m in _MARK.finditer(text):
        marks += 1
        if marks > MAX_QUOTE_MARKS:
            cut = _paragraph_cut(text, m.start())
            total = marks - 1 + sum(1 for _ in _MARK.finditer(text, m.start()))
            notes.append(f"analysed the first {cut:,} characters, which hold {MAX_QUOTE_MARKS:,} of the "
                         f"{total:,} quotation marks (cap: {MAX_QUOTE_MARKS:,} per article)")
            text = text[:cut]
            break
    return Bounded(text, tuple(notes))


def chunks(text: str, size: int | None = None) -> list[str]:
    """``text`` in consecutive pieces of at most ``size`` characters that join back into it,
    each ending at a paragraph break where one falls in the piece, else at a sentence end,
    else at a space, else at the size (MAX_CHUNK_CHARS by default)."""
    size = size or MAX_CHUNK_CHARS
    pieces = []
    start = 0
    while len(text) - start > size:
        end = start + size
        cut = text.rfind("\n\n", start, end)
        if cut > start:
            cut += 2
        else:
            cut = _last_end(_SENTENCE_END, text, start, end) or _last_end(_SPACE, text, start, end) or end
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def _paragraph_cut(text: str, limit: int) -> int:
    cut = text.rfind("\n\n", 0, limit)
    return cut if cut > 0 else limit


def _last_end(pattern: re.Pattern[str], text: str, start: int, end: int) -> int | None:
    """End of the last match of ``pattern`` inside text[start:end] (one linear scan)."""
    last = None
    for m in pattern.finditer(text, start, end):
        last = m.end()
    return last if last is not None and last > start else None
