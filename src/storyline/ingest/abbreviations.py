"""Words that end in a full stop without ending a sentence ("Dr. Gupta", "Gen. Smith", "U.S.
officials"): shared by the cleaner (the first sentence it makes a headline of) and the sentence
splitter (analyze/sentences.py), which sits above it."""

from __future__ import annotations

import re

ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sir st jr sr gen col lt sgt capt cmdr adm gov sen rep rev hon no nos vs "
    "inc ltd co corp dept est fig jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e".split()
)


# Abbreviations a name follows ("Dr.Gupta", "Mt.Gox", "St.Louis"): a capitalised word glued to
# one of these is part of a name, not a sub-heading glued to a paragraph (clean._split_glued).
# Kept apart from ABBREVIATIONS, which also splits sentences (analyze/sentences.py): "mt" there
# would move sentence spans that stored fingerprints and alignments were made with.
NAME_PREFIXES = frozenset(
    "mr mrs ms dr prof sir st mt ft gen col lt sgt capt cmdr adm gov sen rep rev hon pres supt".split()
)


def before_a_name(text: str, stop: int) -> bool:
    """Whether the full stop at ``text[stop]`` follows a NAME_PREFIXES word ("Mt." of "Mt.Gox")."""
    if stop >= len(text) or text[stop] != ".":
        return False
    word = _WORD_BEFORE_STOP.search(text, max(0, stop - WORD_WINDOW), stop + 1)
    return bool(word) and word.group(1).rstrip(".").lower() in NAME_PREFIXES


# The word before a stop is looked for in this many characters before it, not in the whole
# sentence so far: text of many stops that end no sentence ("A. A. A. ...") made that quadratic.
# A word reaching the window's edge is longer than any abbreviation.
WORD_WINDOW = 64
_WORD_BEFORE_STOP = re.compile(r"([\w.]+)[.!?…]*[\"'”’)\]]*$")


def abbreviation_stop(text: str, start: int, end: int) -> bool:
    """Whether the stop ending ``text[start:end]`` (closing quotes or brackets after it allowed)
    follows an abbreviation or an initial, and so ends no sentence; ``start`` is where the
    sentence began."""
    window = max(start, end - WORD_WINDOW)
    word = _WORD_BEFORE_STOP.search(text, window, end)
    return bool(word) and not (word.start() == window and window > start) and ends_no_sentence(word.group(1))


def ends_no_sentence(word: str) -> bool:
    """Whether a stop after ``word`` (its letters, any stops inside kept: "U.S") is an
    abbreviation's or a single initial's, not a sentence's end."""
    stem = word.rstrip(".").lower()
    return stem in ABBREVIATIONS or (len(stem) == 1 and stem.isalpha())
