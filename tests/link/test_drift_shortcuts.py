"""The shortcuts taken for speed in the reuse comparison give the answers of the plain
definitions they stand for: difflib's ratio for two spellings, accents stripped character by
character, and a moved passage found by looking at every pair of sentences."""

from __future__ import annotations

import difflib
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.folding import _FOLD_EXTRA, fold
from storyline.link.reuse import align
from storyline.link.reuse.drift_spelling import SAME_SPELLING, _alike_words

letters = st.text(alphabet="abcdeéñ", min_size=1, max_size=10)


def plain_alike(a: str, b: str) -> bool:
    return a == b or difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= SAME_SPELLING


@settings(max_examples=3000, deadline=None)
@given(letters, letters)
def test_two_spellings_are_alike_exactly_when_difflib_says_so(a, b):
    assert _alike_words(a, b) == plain_alike(a, b)


def test_spellings_on_the_edge_of_the_bound():
    # 2 * 4 / 10 = 0.8 exactly: the length bound lets it through, the letters decide.
    assert _alike_words("abcd", "abcdef") and not _alike_words("abcd", "efghij")
    assert _alike_words("zelenskyy", "zelensky") and not _alike_words("jane", "john")


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=40))
def test_folding_strips_the_same_marks_as_a_character_by_character_pass(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = text.casefold() if text.isascii() else "".join(
        c for c in decomposed if not unicodedata.combining(c)).translate(_FOLD_EXTRA)
    assert fold(text) == plain


def every_pair_moved_copies(s_tokens, d_tokens, s_used, d_used):
    """The definition: each unlinked sentence against every free one, both ways."""
    def within(part, whole):
        mine = [t for t in part if len(t) > 2 and t not in align._STOP]
        return 0.0 if len(mine) < align.REGROUP_WORDS else sum(t in set(whole) for t in mine) / len(mine)

    out, free_d = [], [j for j in range(len(d_tokens)) if j not in d_used]
    for i in range(len(s_tokens)):
        if i in s_used:
            continue
        best = max(((min(within(s_tokens[i], d_tokens[j]), within(d_tokens[j], s_tokens[i])), j) for j in free_d),
                   default=(0.0, -1))
        if best[0] >= align.MOVED_COPY_MIN:
            out.append((i, best[1]))
            free_d.remove(best[1])
    return out


sentence = st.lists(st.sampled_from(["council", "budget", "approved", "million", "the", "mayor", "said",
                                     "river", "wall", "flood", "new", "plan"]), min_size=0, max_size=9)


@settings(max_examples=400, deadline=None)
@given(st.lists(sentence, max_size=7), st.lists(sentence, max_size=7), st.sets(st.integers(0, 6)),
       st.sets(st.integers(0, 6)))
def test_moved_copies_found_through_the_word_index_are_those_of_every_pair(s_tokens, d_tokens, s_used, d_used):
    found = align._moved_copies(align._Words(s_tokens), align._Words(d_tokens), s_used, d_used)
    assert found == every_pair_moved_copies(s_tokens, d_tokens, s_used, d_used)
