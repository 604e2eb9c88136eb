"""A person's likely grammatical gender from their first name, for pronoun agreement only.

"Hillary Clinton ... he said" must not give Clinton the quote. Honorifics ("Mrs", "Sir") and
pronouns the article already resolved to the person decide first (see ``entities`` and
``speakers``); for the rest, ``gender-guesser`` (its first-name dictionary of about 40,000
names by country) gives a prior. Names it calls androgynous or does not know give no gender, so
agreement is then not checked. The result is never shown or stored: it only keeps a pronoun
from being resolved to a person it cannot refer to.
"""

from __future__ import annotations

import functools

_BY_ANSWER = {"male": "m", "mostly_male": "m", "female": "f", "mostly_female": "f"}


@functools.lru_cache(maxsize=1)
def _detector():
    import gender_guesser.detector as detector

    return detector.Detector(case_sensitive=False)


@functools.lru_cache(maxsize=4096)
def of_first_name(first: str) -> str | None:
    """"m", "f" or None for a first name as written ("Hillary" -> "f")."""
    if len(first) < 2 or not first[:1].isupper() or first.endswith("."):
        return None
    return _BY_ANSWER.get(_detector().get_gender(first))


@functools.lru_cache(maxsize=4096)
def is_first_name(word: str) -> bool:
    """Whether ``word`` is in the first-name dictionary at all (any answer but "unknown")."""
    return len(word) >= 2 and word[:1].isupper() and _detector().get_gender(word) != "unknown"
