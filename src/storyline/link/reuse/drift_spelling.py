"""Spelling slips: two words, or two names, that are one spelled two ways. A revision that fixes a
typo ("goverment" -> "government", "Okaofr" -> "Okafor") is a fluency edit, never a meaning change.

Hand-written rather than a spelling library: what is needed is not whether a word is in a
dictionary (names never are) but whether two given spellings are one slip apart, and that is a
few lines.
"""

from __future__ import annotations

import difflib
from collections import Counter

from rapidfuzz.distance import Indel

from storyline.folding import fold

# A slip is one letter inserted, dropped, or two neighbours swapped, in a word this long at least
# (shorter words have real-word neighbours one letter away: "now" / "not"). A letter replaced by
# another is not a slip here: "million" / "billion", "cause" / "pause" are other words.
SLIP_MIN_LETTERS = 5
STEM_MIN_LETTERS = 4  # shorter stems are left whole: "new" / "news" are two words
# Two names this alike (difflib ratio of each folded word with the word in its place, or, for
# names of different length, with some word of the longer) are one name spelled two ways:
# "Zelenskyy" / "Zelensky", and a name whose span the tagger cut differently around a slip
# ("Calder Marsh Engineering" / "Marsh Enginereing"). Word by word, so that "Jane Smith" /
# "John Smith" (0.8 as whole strings) stay two people.
SAME_SPELLING = 0.8


def slip(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` (words) are one slip apart (see SLIP_MIN_LETTERS)."""
    a, b = fold(a), fold(b)
    if a == b or min(len(a), len(b)) < SLIP_MIN_LETTERS or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    # Not at the end: "council" / "councils", "agree" / "agreed" are other forms, not slips.
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_) - 1))


def same_form(a: str, b: str) -> bool:
    """Whether two words are one word inflected two ways ("council" / "councils", "agree" /
    "agreed", "warn" / "warning"): a grammar fix, the other half of a fluency revision."""
    return a != b and bool(_stems(fold(a)) & _stems(fold(b)))


def _stems(word: str) -> set[str]:
    """The word and what is left of it without an inflection ("agreed": agreed, agre, agree)."""
    return {word} | {word[: -len(suffix)] for suffix in ("ing", "ed", "es", "s", "d")
                     if word.endswith(suffix) and len(word) - len(suffix) >= STEM_MIN_LETTERS}


def same_but_slips(a: list[str], b: list[str]) -> bool:
    """Whether two word lists are the same words (any order) once each word of one that the
    other lacks is paired with a word of the other one slip away or another form of it."""
    left = list((Counter(a) - Counter(b)).elements())
    right = list((Counter(b) - Counter(a)).elements())
    if len(left) != len(right):
        return False
    for word in left:
        match = next((w for w in right if slip(word, w) or same_form(word, w)), None)
        if match is None:
            return False
        right.remove(match)
    return True


def contains_with_slips(needle: list[str], hay: list[str]) -> bool:
    """Whether the words ``needle`` stand in ``hay`` in a row, each the same or one slip away
    ("is expected to" in "... is expceted to be ...")."""
    n = len(needle)
    return n > 0 and any(all(x == y or slip(x, y) for x, y in zip(needle, hay[i:i + n]))
                         for i in range(len(hay) - n + 1))


def alike_names(a: str, b: str) -> bool:
    """Whether two names are one name spelled two ways (SAME_SPELLING)."""
    return alike_words(name_words(a), name_words(b))


def name_words(name: str) -> list[str]:
    """A name's words as :func:`alike_words` compares them (folded): fold once, compare often."""
    return fold(name).split()


def alike_words(a: list[str], b: list[str]) -> bool:
    """:func:`alike_names` of two names given as :func:`name_words`."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if not short:
        return False
    if len(short) == len(long_):
        return all(_alike_words(x, y) for x, y in zip(short, long_))
    return all(any(_alike_words(w, x) for x in long_) for w in short)


def _alike_words(a: str, b: str) -> bool:
    """Whether difflib's ratio of two words reaches SAME_SPELLING. Its two upper bounds (the
    lengths alone, then the letters as multisets) turn most pairs away before the full match:
    a story's facts compare every name of one article with every name of another (282k word
    pairs for 80 stories on the incremental benchmark's 1k store, 40% of the story facts' CPU).
    The bounds never exceed the ratio, so the answer is the full ratio's."""
    if a == b:
        return True
    # Two upper bounds of the ratio turn most pairs away before a matcher is built (293k matchers
    # for 197 story pairs at 10k): the lengths alone (difflib's real_quick_ratio, computed as it
    # does), then the longest common subsequence (rapidfuzz's Indel, in C), which difflib's
    # matching blocks never exceed. The small margin keeps a float rounding from turning away a
    # pair difflib would accept; the answer is always the full ratio's.
    total = len(a) + len(b)
    if 2.0 * min(len(a), len(b)) / total < SAME_SPELLING:
        return False
    if Indel.normalized_similarity(a, b) < SAME_SPELLING - 1e-9:
        return False
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= SAME_SPELLING
