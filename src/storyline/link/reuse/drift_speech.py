"""Changes to what was said and who said it: misquote, quote_to_paraphrase (per quotation), and
hedge_dropped, attribution_dropped (per passage).
"""

from __future__ import annotations

import difflib
import re

from storyline.folding import fold
from storyline.link.reuse.drift_sides import (
    Side,
    content_words,
    inside,
    nearby,
    sentence_of,
    span_of,
    text_of,
    word_spans,
    words,
)
from storyline.link.reuse.drift_negation import NEGATOR
from storyline.link.reuse.drift_spelling import alike_names, contains_with_slips, same_but_slips, same_form, slip
from storyline.link.reuse.drift_values import canonical
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
_NOT = re.compile(r"\bnot\s+|(?<=\w)n[’']t\b")
_HEDGE = re.compile(r"\b(" + "|".join(re.escape(h) for h in HEDGES) + r")\b", re.IGNORECASE)


# A quoted phrase that is not speech (scare quotes, a quoted term) is compared with the words of
# the restated passage: a run of words this similar (difflib ratio) is its restatement.
PHRASE_MATCH_MIN = 0.6
PHRASE_MAX_WORDS = 12


def quote_changes(s: Side, d: Side, s_ids: set[int], d_ids: set[int]) -> list[Change]:
    out = []
    # The restatement may sit one sentence away (a merge the alignment did not link).
    d_near = nearby(d, d_ids)
    # A quotation of several sentences spans several components: it is compared once, in the
    # component where it starts, with the copy's quotations starting near there.
    d_quoted = [(a, b) for a, b, _ in d.quoted if _starts_in(d, d_near, a)]
    for a, b, owner in s.quoted:
        if owner is None or not _starts_in(s, s_ids, a):
            continue
        near = d_near if inside(s, s_ids, a, b) else _widened(d, d_near, _sentences_over(s, a, b))
        src_words = words(s.article.body[a:b])
        best, best_ratio = None, 0.0
        for x, y in d_quoted:
            ratio = difflib.SequenceMatcher(None, src_words, words(d.article.body[x:y]), autojunk=False).ratio()
            if ratio > best_ratio:
                best, best_ratio = (x, y), ratio
        speaker = owner.speaker
        if best is not None and best_ratio >= QUOTE_MATCH_MIN:
            if best_ratio < 1.0:
                out.append(_reworded(s.article.body[a:b], d.article.body[best[0] : best[1]], (a, b), best, speaker))
            continue
        if _inside_words(src_words, words(text_of(d, near))):
            continue  # the words are all there, only the marks went: not a paraphrase
        da, db = span_of(d, d_ids)
        out.append(Change("quote_to_paraphrase", s.article.body[a:b], d.article.body[da:db], (a, b), (da, db), speaker,
                          severity="medium"))
    out += _phrase_changes(s, d, s_ids, d_near)
    return out


# A quotation whose sentence the alignment left alone is restated as reported speech when a
# nearby sentence of the copy holds this share of its content words (each the same word, one
# slip away or another form of it: "deserve" / "deserved"): “People deserve to know ...,” she
# said -> "... adding that people deserved to know ...".
INDIRECT_COVERED = 0.7
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


def indirect_restatement(s: Side, d: Side, start: int, end: int, near: list[int]) -> Change | None:
    """quote_to_paraphrase for a source sentence (``start``..``end``) with no counterpart in the
    alignment whose speech quotation a sentence of ``near`` (the copy's sentences around where
    it would be) restates without marks, or None. Two sentences merged into one where the quote
    became indirect speech ("Okafor said ..., adding that people deserved to know ...") leave
    the quote's sentence unaligned; reported as a claim dropped it said the copy lost what the
    speaker said, when it only lost the quotation marks."""
    for a, b, owner in s.quoted:
        if owner is None or not start <= a < end:
            continue
        quote = s.article.body[a:b]
        mine = content_words(quote)
        if len(mine) < 3:
            continue
        negated, numbers = bool(NEGATOR.search(quote)), set(_DIGITS.findall(quote))
        best, best_share = None, 0.0
        for k in near:
            x, y = d.sentences[k]
            told = d.article.body[x:y]
            # Reported speech that negates the quote, or gives other numbers, says something else.
            if bool(NEGATOR.search(told)) != negated or not numbers <= set(_DIGITS.findall(told)):
                continue
            theirs = set(content_words(told))
            share = sum(any(w == t or slip(w, t) or same_form(w, t) for t in theirs) for w in mine) / len(mine)
            if share > best_share:
                best, best_share = (x, y), share
        if best is not None and best_share >= INDIRECT_COVERED:
            return Change("quote_to_paraphrase", quote, d.article.body[best[0]:best[1]], (a, b), best,
                          owner.speaker, severity="medium")
    return None


def _starts_in(side: Side, ids: set[int], start: int) -> bool:
    return sentence_of(side, start) in ids


def _sentences_over(side: Side, start: int, end: int) -> int:
    return sum(1 for a, b in side.sentences if a < end and start < b)


def _widened(side: Side, ids: set[int], extra: int) -> set[int]:
    """``ids`` and the ``extra`` sentences after the last of them."""
    last = max(ids)
    return ids | {k for k in range(last + 1, last + 1 + extra) if k < len(side.sentences)}


def _reworded(src: str, der: str, s_span: tuple[int, int], d_span: tuple[int, int], speaker: str | None) -> Change:
    """A quotation whose words changed: a misquote (high) unless only function words changed
    (the same content words, in any order, up to spelling slips: wording, low)."""
    same = same_but_slips(content_words(canonical(src)), content_words(canonical(der)))
    # The speaker's words negated on one side only: the quotation now says the opposite.
    flipped = bool(NEGATOR.search(src)) != bool(NEGATOR.search(der))
    kind = "negation" if flipped else "wording" if same else "quote"
    return Change("misquote", src, der, s_span, d_span, speaker, kind=kind, severity="low" if kind == "wording" else "high")


def _phrase_changes(s: Side, d: Side, s_ids: set[int], d_near: set[int]) -> list[Change]:
    """Quoted phrases that are not attributed speech ("a “heated legal argument” going on"),
    restated with other words inside or outside marks: a misquote naming the speaker of the
    passage (the nearest attributed quotation in the same or the previous sentence), if any."""
    out = []
    d_words = word_spans(d, d_near)
    d_seq = [w for w, _, _ in d_words]
    for a, b in s.phrases:
        if not inside(s, s_ids, a, b):
            continue
        src = words(s.article.body[a:b])
        n = len(src)
        if n < 2 or _inside_words(src, d_seq):
            continue
        # Still in quotation marks in the copy, with other words: the closest quoted span.
        marked = [(x, y) for x, y in [*d.phrases, *((x, y) for x, y, _ in d.quoted)] if inside(d, d_near, x, y)]
        ratios = [(difflib.SequenceMatcher(None, src, words(d.article.body[x:y]), autojunk=False).ratio(), (x, y)) for x, y in marked]
        ratio, span = max(ratios, default=(0.0, None))
        if span is not None and ratio >= QUOTE_MATCH_MIN:
            out.append(_reworded(s.article.body[a:b], d.article.body[span[0] : span[1]], (a, b), span, _speaker_near(s, a)))
            continue
        if n > PHRASE_MAX_WORDS:
            continue
        best, best_ratio = None, 0.0
        # Matched words over the longer of the two runs; at a tie the run as long as the phrase
        # wins ("heated legal debate" over "heated legal" for "heated legal argument").
        for size in (n, n + 1, n - 1):
            for i in range(max(0, len(d_seq) - size + 1)):
                run = d_seq[i : i + size]
                blocks = difflib.SequenceMatcher(None, src, run, autojunk=False).get_matching_blocks()
                ratio = sum(b.size for b in blocks) / max(n, size) + 0.01 * sum(x == y for x, y in zip(src, run)) / n
                if ratio > best_ratio:
                    best, best_ratio = (d_words[i][1], d_words[i + size - 1][2]), ratio
        if best is None or best_ratio < PHRASE_MATCH_MIN:
            continue
        out.append(_reworded(s.article.body[a:b], d.article.body[best[0] : best[1]], (a, b), best, _speaker_near(s, a)))
    return out


def _speaker_near(s: Side, offset: int) -> str | None:
    k = sentence_of(s, offset)
    if k is None:
        return None
    for a, b, owner in reversed(s.quoted):
        if owner is not None and owner.speaker and sentence_of(s, a) in (k, k - 1) and a < offset:
            return owner.speaker
    return None


def _inside_words(needle: list[str], hay: list[str]) -> bool:
    n = len(needle)
    return n > 0 and any(hay[i : i + n] == needle for i in range(len(hay) - n + 1))


def hedge_changes(s: Side, d: Side, s_ids: set[int], d_ids: set[int]) -> list[Change]:
    out = []
    # The hedge negated ("is expected to" -> "is not expected to") is still there: the negation
    # is reported as a negation change, not as the hedge dropped.
    d_text = _NOT.sub("", text_of(d, d_ids).lower())
    da, db = span_of(d, d_ids)
    for k in sorted(s_ids):
        a0, b0 = s.sentences[k]
        for m in _HEDGE.finditer(s.article.body, a0, b0):
            phrase = m.group().lower()
            if phrase not in d_text and not _HEDGE.search(d_text) and not contains_with_slips(phrase.split(), d_text.split()):
                out.append(Change("hedge_dropped", m.group(), d.article.body[da:db], (m.start(), m.end()), (da, db),
                              severity="medium"))
    for q in s.analysis.quotes if s.analysis else ():
        if not q.speaker or not inside(s, s_ids, q.start, q.end):
            continue
        if not _speaker_named(q, d, nearby(d, d_ids)):
            m = q.speaker_mention
            span = (m.start, m.end) if m else (q.start, q.end)
            out.append(Change("attribution_dropped", s.article.body[span[0] : span[1]], d.article.body[da:db], span, (da, db),
                              q.speaker, severity="high"))
    return out


def _speaker_named(q: Quote, d: Side, d_ids: set[int]) -> bool:
    """Does the restated passage still say who is speaking? It does when a quote there has the
    same speaker (or a name spelled like theirs), or a speaker referred to, not named ("he",
    "the mayor": the attribution is there, whoever the copy's reading takes it for), or when
    the passage has the speaker's words. Another named person's quote nearby does not say it:
    a claim cut loose from "Okafor said" beside a quote of Raman's has lost its source."""
    for dq in d.analysis.quotes if d.analysis else ():
        if not (inside(d, d_ids, dq.start, dq.end) and dq.speaker):
            continue
        if alike_names(dq.speaker, q.speaker or "") or _referred(dq):
            return True
    text = fold(text_of(d, d_ids))
    names = [w for w in words(q.speaker or "") if len(w) > 2]
    return bool(names) and any(w in text for w in names)


_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "his", "her", "their"})


def _referred(q: Quote) -> bool:
    """Whether a quote's speaker is referred to (a pronoun, or a one-word description such as
    "the mayor") rather than named."""
    m = q.speaker_mention
    if m is None:
        return False
    words_ = fold(m.text).split()
    # A pronoun, or a determiner and one noun ("the mayor"); "the port authority" names a body.
    return (len(words_) == 1 and words_[0] in _PRONOUNS) or (len(words_) == 2 and words_[0] in ("the", "a", "an"))
