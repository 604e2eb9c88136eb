"""Changes to what was said and who said it: misquote, quote_to_paraphrase (per quotation), and
hedge_dropped, attribution_dropped (per passage).
"""

from __future__ import annotations

import difflib
import re

from storyline.folding import fold
from storyline.link.reuse.drift_sides import Side, inside, nearby, span_of, text_of, words
from storyline.records import Change, Quote

# Two quotations restate each other when this share of their words match (difflib ratio).
QUOTE_MATCH_MIN = 0.3

HEDGES = (
    "it is understood", "it's understood", "it is believed", "it is thought", "it is hoped",
    "it is expected", "it is feared", "is understood to", "is believed to", "is thought to",
    "is said to", "is reported to", "is expected to", "reportedly", "allegedly", "apparently",
    "reports suggest", "reports suggested", "according to", "sources said", "sources say",
    "sources told", "it was reported", "it is claimed", "it is alleged", "purportedly",
    "is likely to", "it is likely", "it's likely", "may have", "might have", "could have",
    "appears to", "appeared to", "seems to", "unconfirmed", "unverified",
)
_HEDGE = re.compile(r"\b(" + "|".join(re.escape(h) for h in HEDGES) + r")\b", re.IGNORECASE)


def quote_changes(s: Side, d: Side, s_ids: set[int], d_ids: set[int]) -> list[Change]:
    out = []
    # The restatement may sit one sentence away (a merge the alignment did not link).
    d_near = nearby(d, d_ids)
    d_quoted = [(a, b) for a, b, _ in d.quoted if inside(d, d_near, a, b)]
    for a, b, owner in s.quoted:
        if owner is None or not inside(s, s_ids, a, b):
            continue
        src_words = words(s.article.body[a:b])
        best, best_ratio = None, 0.0
        for x, y in d_quoted:
            ratio = difflib.SequenceMatcher(None, src_words, words(d.article.body[x:y]), autojunk=False).ratio()
            if ratio > best_ratio:
                best, best_ratio = (x, y), ratio
        speaker = owner.speaker
        if best is not None and best_ratio >= QUOTE_MATCH_MIN:
            if best_ratio < 1.0:
                out.append(Change("misquote", s.article.body[a:b], d.article.body[best[0] : best[1]], (a, b), best, speaker))
            continue
        if _inside_words(src_words, words(text_of(d, d_near))):
            continue  # the words are all there, only the marks went: not a paraphrase
        da, db = span_of(d, d_ids)
        out.append(Change("quote_to_paraphrase", s.article.body[a:b], d.article.body[da:db], (a, b), (da, db), speaker))
    return out


def _inside_words(needle: list[str], hay: list[str]) -> bool:
    n = len(needle)
    return n > 0 and any(hay[i : i + n] == needle for i in range(len(hay) - n + 1))


def hedge_changes(s: Side, d: Side, s_ids: set[int], d_ids: set[int]) -> list[Change]:
    out = []
    d_text = text_of(d, d_ids).lower()
    da, db = span_of(d, d_ids)
    for k in sorted(s_ids):
        a0, b0 = s.sentences[k]
        for m in _HEDGE.finditer(s.article.body, a0, b0):
            phrase = m.group().lower()
            if phrase not in d_text and not _HEDGE.search(d_text):
                out.append(Change("hedge_dropped", m.group(), d.article.body[da:db], (m.start(), m.end()), (da, db)))
    for q in s.analysis.quotes if s.analysis else ():
        if not q.speaker or not inside(s, s_ids, q.start, q.end):
            continue
        if not _speaker_named(q, d, d_ids):
            m = q.speaker_mention
            span = (m.start, m.end) if m else (q.start, q.end)
            out.append(Change("attribution_dropped", s.article.body[span[0] : span[1]], d.article.body[da:db], span, (da, db), q.speaker))
    return out


def _speaker_named(q: Quote, d: Side, d_ids: set[int]) -> bool:
    """Does the restated passage still say who is speaking (the same person, any speaker of a
    quote there, or the speaker's words)?"""
    for dq in d.analysis.quotes if d.analysis else ():
        if inside(d, d_ids, dq.start, dq.end) and dq.speaker:
            return True
    text = fold(text_of(d, d_ids))
    names = [w for w in words(q.speaker or "") if len(w) > 2]
    return bool(names) and any(w in text for w in names)
