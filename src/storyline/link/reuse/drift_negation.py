"""negation_changed: a restated passage that says the opposite ("will not cut" -> "will cut").

Negators are counted per aligned component on each side; a change is reported when one side has
some and the other none, which a rewrite keeping the meaning seldom does ("will not cut a single
sailing" -> "no sailings will be cut" keeps one on each side), and only when the two passages
share most of their words (:data:`SHARED_MIN`): a heavy paraphrase says "not to comment" as
"refrained from commenting", and an edit that flips a claim keeps the rest of the sentence. Words that negate without a
negator ("failed to", "denied") are not seen: recall is traded for precision.
"""

from __future__ import annotations

import re

from storyline.link.reuse.drift_sides import Side, content_words, nearby, span_of, text_of
from storyline.link.reuse.drift_spelling import slip
from storyline.records import Change

NEGATOR = re.compile(
    r"\b(?:not|no|never|none|nobody|nothing|neither|nor|cannot|without|no longer)\b|n[’']t\b", re.IGNORECASE)
# "not only ... but", "no doubt", "nothing but" and "never before" assert rather than negate.
_NOT_NEGATING = re.compile(r"\b(?:not only|no doubt|nothing but|never before|no matter|not least)\b", re.IGNORECASE)


SHARED_MIN = 0.6


def negation_changes(s: Side, d: Side, s_ids: set[int], d_ids: set[int]) -> list[Change]:
    s_found = _negators(s, s_ids)
    d_found = _negators(d, d_ids)
    if bool(s_found) == bool(d_found) or not _close(text_of(s, s_ids), text_of(d, d_ids)):
        return []
    # The negation may have moved to a neighbouring sentence (a clause split off): not a flip
    # when the passages with their neighbours hold as many negators on each side.
    if len(_negators(s, nearby(s, s_ids))) == len(_negators(d, nearby(d, d_ids))):
        return []
    # A negator misspelt on one side ("wihtout") is a slip, not a flip.
    if s_found:
        said, other = {s.article.body[a:b] for a, b in s_found}, text_of(d, d_ids)
    else:
        said, other = {d.article.body[a:b] for a, b in d_found}, text_of(s, s_ids)
    if any(slip(word, negator) for word in content_words(other) for negator in said):
        return []
    sa, sb = s_found[0] if s_found else span_of(s, s_ids)
    da, db = d_found[0] if d_found else span_of(d, d_ids)
    return [Change("negation_changed", s.article.body[sa:sb], d.article.body[da:db], (sa, sb), (da, db), severity="high")]


def _close(a: str, b: str) -> bool:
    """Whether each passage has SHARED_MIN of its content words in the other."""
    wa, wb = content_words(a), content_words(b)
    if not wa or not wb:
        return False
    sa, sb = set(wa), set(wb)
    return sum(w in sb for w in wa) / len(wa) >= SHARED_MIN and sum(w in sa for w in wb) / len(wb) >= SHARED_MIN


def _negators(side: Side, ids: set[int]) -> list[tuple[int, int]]:
    body = side.article.body
    out = []
    for k in sorted(ids):
        a, b = side.sentences[k]
        skip = [m.span() for m in _NOT_NEGATING.finditer(body, a, b)]
        out += [m.span() for m in NEGATOR.finditer(body, a, b) if not any(x <= m.start() < y for x, y in skip)]
    return out
