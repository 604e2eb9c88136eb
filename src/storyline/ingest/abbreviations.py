"""Words that end in a full stop without ending a sentence ("Dr. Gupta", "Gen. Smith", "U.S.
officials"): shared by the cleaner (the first sentence it makes a headline of) and the sentence
splitter (analyze/sentences.py), which sits above it."""

from __future__ import annotations

ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sir st jr sr gen col lt sgt capt cmdr adm gov sen rep rev hon no nos vs "
    "inc ltd co corp dept est fig jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e".split()
)


def ends_no_sentence(word: str) -> bool:
    """Whether a stop after ``word`` (its letters, any stops inside kept: "U.S") is an
    abbreviation's or a single initial's, not a sentence's end."""
    stem = word.rstrip(".").lower()
    return stem in ABBREVIATIONS or (len(stem) == 1 and stem.isalpha())
