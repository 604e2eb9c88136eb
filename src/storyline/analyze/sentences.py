"""Sentence spans for alignment and embeddings, without the parser.

Alignment and article vectors need sentence boundaries for every candidate pair, often for
articles whose analysis ran long ago; re-parsing with spaCy would cost ~20x more than this
rule: a sentence ends at a line break, or at . ! ? (optionally followed by closing quotes or
brackets) followed by whitespace and an opening capital, digit or quotation mark, unless the
word before the stop is a known abbreviation or a single capital initial.
"""

from __future__ import annotations

import re

from storyline.ingest.abbreviations import abbreviation_stop

_END = re.compile(r"""[.!?…]+["'”’)\]]*(?=\s+["“‘'(\[]?[A-Z0-9])""")
MAX_SENTENCE_CHARS = 2000


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of each sentence, whitespace trimmed, none empty.
    Sentences longer than MAX_SENTENCE_CHARS are cut, so one run-on 'sentence' cannot dominate."""
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", text):
        start = para.start()
        for m in _END.finditer(para.group()):
            end = para.start() + m.end()
            if abbreviation_stop(text, start, end):
                continue
            _add(text, start, end, spans)
            start = end
        _add(text, start, para.end(), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE_CHARS:
        spans.append((start, start + MAX_SENTENCE_CHARS))
        start += MAX_SENTENCE_CHARS
    if end > start:
        spans.append((start, end))
