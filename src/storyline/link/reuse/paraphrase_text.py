"""Sentence analysis for the paraphrase features: tokens, stems, numbers, names, negations.

Each sentence is analysed once (cached) into a :class:`Sentence`, because sentence alignment
meets every sentence with many others. English-centric and lexicon-free on purpose: words match
exactly, or by a crude 5-letter stem. :mod:`storyline.link.reuse.paraphrase_features` compares
two analysed sentences.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

# Function words carry little of a sentence's content, so "content" features ignore them. The
# reporting verbs are here too: "X said" is added or dropped freely in a rewrite.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself now of off on once only or other our ours ourselves out over own
    same she should so some such than that the their theirs them themselves then there these they
    this those through to too under until up very was we were what when where which while who whom
    why will with would you your yours yourself yourselves said says say told according mr mrs ms
    dr ca wo""".split()
)
NEGATIONS = frozenset("not no never none nobody nothing neither nor without cannot".split())

# Numbers keep inner separators ("1,520.15" is one token); words keep inner apostrophes, dots and
# hyphens, and are split afterwards by _split_word.
_TOKEN_RE = re.compile(r"\d+(?:[.,:]\d+)*|\w+(?:['’.\-]\w+)*")
_NUMBER_RE = re.compile(r"^\d+(?:[.,:]\d+)*$")
# Written-out numbers state the same fact as digits ("two" / "2").
_NUMBER_WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "hundred": "100",
    "thousand": "1000", "million": "million", "billion": "billion",
}  # fmt: skip
_SUFFIXES = ("ations", "ation", "ings", "ing", "ers", "ies", "ied", "ed", "es", "er", "ly", "s")
# Prefix length at which two words count as the same word (govern/governs/governed). Crude, but
# it needs no lexicon, and a lemmatiser would cost far more than all these features together
# (4 to 7 letters measured within noise of each other on MRPC).
_PREFIX = 5


def _normalise_number(token: str) -> str:
    """'1,520.15' -> '1520.15', '4.50' -> '4.5': the same quantity written differently matches."""
    t = token.replace(",", "")
    if t.count(".") == 1 and ":" not in t:
        t = t.rstrip("0").rstrip(".")
    return t


def _stem(word: str) -> str:
    """A lexicon-free stem: strip one common suffix, then keep at most ``_PREFIX`` characters."""
    if len(word) > 4:
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
    return word[:_PREFIX]


def _split_word(low: str) -> list[str]:
    """'doesn't' -> does, not; "company's" -> company; 'u.s' -> us; 'cross-section' -> cross, section."""
    if low.endswith("n't") and len(low) > 3:
        return [low[:-3], "not"]
    if low.endswith("'s"):
        low = low[:-2]
    low = low.replace(".", "")
    return [part for part in low.split("-") if part] or [low]


@dataclass(frozen=True)
class Sentence:
    """What the features need from one sentence, computed once: a sentence meets many others."""

    text: str
    lower: str  # normalised tokens joined by spaces
    tokens: tuple[str, ...]  # lower-cased word tokens
    stems: tuple[str, ...]
    token_set: frozenset[str]
    stem_set: frozenset[str]
    content: frozenset[str]  # stems of non-function words
    numbers: frozenset[str]
    names: frozenset[str]  # stems of capitalised words after the first token
    negations: int
    ngrams: tuple[Counter, ...] = field(default=())  # stem n-gram counts, n = 1..4
    chars: frozenset[str] = frozenset()  # character 3-grams of ``lower``


@functools.lru_cache(maxsize=8192)
def analyse(text: str) -> Sentence:
    """The analysis of one sentence (cached: a sentence meets many others)."""
    tokens: list[str] = []
    names: set[str] = set()
    numbers: set[str] = set()
    for i, raw in enumerate(_TOKEN_RE.findall(text)):
        low = raw.lower().replace("’", "'")
        if _NUMBER_RE.match(low):
            low = _normalise_number(low)
            numbers.add(low)
            tokens.append(low)
            continue
        parts = _split_word(low)
        for part in parts:
            if part in _NUMBER_WORDS:
                numbers.add(_NUMBER_WORDS[part])
            # The first word is capitalised anyway, so it is no evidence of a name.
            elif i > 0 and raw[0].isupper() and part not in STOPWORDS:
                names.add(_stem(part))
        tokens.extend(parts)
    stems = tuple(_stem(t) for t in tokens)
    lower = " ".join(tokens)
    return Sentence(
        text=text,
        lower=lower,
        tokens=tuple(tokens),
        stems=stems,
        token_set=frozenset(tokens),
        stem_set=frozenset(stems),
        content=frozenset(s for t, s in zip(tokens, stems) if t not in STOPWORDS),
        numbers=frozenset(numbers),
        names=frozenset(names),
        negations=sum(t in NEGATIONS for t in tokens),
        ngrams=tuple(Counter(zip(*(stems[k:] for k in range(n)))) for n in range(1, 5)),
        chars=frozenset(lower[i : i + 3] for i in range(max(len(lower) - 2, 1))),
    )

