"""Quotation marks paired into quoted spans, paragraph by paragraph.

Written by hand because the pairing rules of news copy are not what a generic tokenizer does:
- curly marks say which side they are on; a straight mark opens after a space, a bracket or the
  start of a paragraph, and closes otherwise;
- a quotation never runs past the end of its paragraph, so a stray or unbalanced mark can
  swallow at most the rest of one paragraph, never the rest of the article;
- a paragraph that opens a quotation and does not close it continues into the next paragraph
  when that one opens with a quotation mark (the multi-paragraph convention): such spans share a
  ``group`` number.
Single quotation marks are not paired: in English copy ’ is far more often an apostrophe, and
British outlets that quote with single marks are the minority.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENING = {"“", "„", "«", "‟"}
CLOSING = {"”", "»"}
STRAIGHT = '"'
ALL_MARKS = OPENING | CLOSING | {STRAIGHT}
_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(slots=True)
class Quoted:
    """A quoted span: ``open`` is the offset of the opening mark, ``start``/``end`` delimit
    the words inside the marks, ``closed`` says whether a closing mark was found."""

    open: int
    start: int
    end: int
    closed: bool
    paragraph: int
    group: int | None = None


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line block; bodies separate paragraphs with newlines."""
    return [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text) if m.group().strip()]


def _opens(text: str, i: int, start: int) -> bool:
    ch = text[i]
    if ch in OPENING:
        return True
    if ch in CLOSING:
        return False
    before = text[i - 1] if i > start else " "
    return before.isspace() or before in "([{—–-:/" or before in OPENING


def find(text: str) -> list[Quoted]:
    spans: list[Quoted] = []
    paras = paragraphs(text)
    next_group = 0
    for p_index, (p_start, p_end) in enumerate(paras):
        open_at: int | None = None
        for i in range(p_start, p_end):
            ch = text[i]
            if ch not in ALL_MARKS:
                continue
            if open_at is None:
                if _opens(text, i, p_start):
                    open_at = i
                # else: a stray closing mark; ignore it.
                continue
            if ch in OPENING:
                # A second opening mark while one is open: the first was stray. Keep it as an
                # unclosed quotation up to here only if it holds words, then start again.
                spans.append(Quoted(open_at, open_at + 1, _rstrip(text, open_at + 1, i), False, p_index))
                open_at = i
                continue
            if ch == STRAIGHT and _opens(text, i, p_start) and i + 1 < p_end and not text[i + 1].isspace():
                # A straight mark that looks like an opening one while a quotation is open:
                # most likely the previous mark was stray.
                spans.append(Quoted(open_at, open_at + 1, _rstrip(text, open_at + 1, i), False, p_index))
                open_at = i
                continue
            spans.append(Quoted(open_at, open_at + 1, i, True, p_index))
            open_at = None
        if open_at is not None:
            spans.append(Quoted(open_at, open_at + 1, _rstrip(text, open_at + 1, p_end), False, p_index))
    # Multi-paragraph quotations: an unclosed quotation at the end of a paragraph continues in
    # the next paragraph when that one opens with a quotation mark.
    by_paragraph: dict[int, list[Quoted]] = {}
    for q in spans:
        by_paragraph.setdefault(q.paragraph, []).append(q)
    for p_index in range(len(paras)):
        last = by_paragraph.get(p_index, [])[-1:] if by_paragraph.get(p_index) else []
        if not last or last[0].closed or last[0].end < _rstrip(text, paras[p_index][0], paras[p_index][1]):
            continue
        nxt = by_paragraph.get(p_index + 1)
        if not nxt or text[paras[p_index + 1][0] : nxt[0].open].strip():
            continue
        if last[0].group is None:
            last[0].group = next_group
            next_group += 1
        nxt[0].group = last[0].group
    return [q for q in spans if q.end > q.start and text[q.start : q.end].strip()]


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
