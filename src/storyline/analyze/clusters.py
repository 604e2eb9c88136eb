"""One article's entity while it is being built (a :class:`Cluster`), the names written at its
mentions (:class:`Name`, :func:`parse_name`), and the rules for a name joining a cluster.

Shared by the clustering in ``entities``, the role reader in ``roles`` and the speaker resolver,
so that none of them has to import another for the type.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from storyline.folding import fold
from storyline.records import Role

# Honorifics stripped from a person's name. "Lord"/"Lady" stay part of British peers' names
# ("Lord Mandelson" is how he is known) but still mark a gender.
HONORIFICS = {
    "mr": "m", "mr.": "m", "sir": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f",
    "miss": "f", "dame": "f", "dr": None, "dr.": None, "prof": None, "prof.": None,
    "professor": None, "rev": None, "rev.": None,
}
PEERAGE = {"lord": "m", "lady": "f", "baroness": "f", "baron": "m"}
FIRST_NAME_HONORIFICS = {"sir", "dame", "lord", "lady"}
NAME_PARTICLES = {"de", "da", "di", "van", "von", "der", "den", "la", "le", "bin", "al", "del"}
_SPACE = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


@dataclass(slots=True)
class Name:
    """A normalised name as written at one mention."""

    text: str  # the name without honorifics, as written
    tokens: tuple[str, ...]  # folded tokens
    gender: str | None = None
    first_name_honorific: bool = False  # "Sir Iain": the single token is a first name

    @property
    def surname(self) -> str:
        return self.tokens[-1] if self.tokens else ""


def parse_name(text: str) -> Name:
    text = _SPACE.sub(" ", text).strip(" ,.;:\"“”'‘’()[]")
    text = _POSSESSIVE.sub("", text)
    words = text.split(" ")
    gender = None
    first_hon = False
    while len(words) > 1:
        low = words[0].casefold()
        if low in HONORIFICS:
            gender = HONORIFICS[low] or gender
            first_hon = first_hon or low in FIRST_NAME_HONORIFICS
            words = words[1:]
        elif low in PEERAGE and len(words) == 2:
            gender = PEERAGE[low]
            break  # "Lord Mandelson" keeps its title
        else:
            break
    if words and words[0].casefold() == "the":
        words = words[1:]
    text = " ".join(words)
    return Name(text, tuple(fold(w) for w in words if w), gender, first_hon and len(words) == 1)


def _first_names_agree(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """First names (all but the surname) agree when equal, an initial matches, or one is empty."""
    fa = [t.rstrip(".") for t in a[:-1] if t not in NAME_PARTICLES]
    fb = [t.rstrip(".") for t in b[:-1] if t not in NAME_PARTICLES]
    if not fa or not fb:
        return True
    x, y = fa[0], fb[0]
    if x == y:
        return True
    if len(x) == 1 or len(y) == 1:
        return x[0] == y[0]
    return False


def _surnames_match(a: str, b: str) -> bool:
    if a == b:
        return True
    # One edit or one swap of neighbours on a long surname is a typo or a transliteration
    # (Zelensky/Zelenskyy, Zelensky/Zelenksy), not a different person; short names (Lee/Lei)
    # are too easy to confuse to allow it.
    return min(len(a), len(b)) >= 6 and OSA.distance(a, b) <= 1


@dataclass(slots=True)
class Cluster:
    """One entity of the article while it is being built."""

    id: str
    names: list[Name] = field(default_factory=list)
    mentions: list[tuple[int, int, str]] = field(default_factory=list)  # start, end, text
    labels: Counter = field(default_factory=Counter)
    gender: str | None = None
    gender_guessed: bool = False  # from the first name alone (gender.of_first_name): a prior
    roles: list[Role] = field(default_factory=list)

    @property
    def type(self) -> str:
        if not self.labels:
            return "PERSON"
        best = max(self.labels.values())
        for t in ("PERSON", "ORG", "PLACE"):
            if self.labels.get(t) == best:
                return t
        return "PERSON"

    @property
    def full(self) -> Name:
        """The fullest name form (most tokens, then most frequent, then first seen)."""
        counts = Counter(n.tokens for n in self.names)
        return max(self.names, key=lambda n: (len(n.tokens), counts[n.tokens]))

    @property
    def name(self) -> str:
        return self.full.text

    @property
    def surname(self) -> str:
        return self.full.surname

    def accepts(self, name: Name) -> bool:
        full = self.full
        if len(name.tokens) == 1:
            tok = name.tokens[0]
            if name.first_name_honorific and len(full.tokens) > 1:
                return tok == full.tokens[0]
            return any(_surnames_match(tok, n.surname) for n in self.names) or any(
                tok == n.tokens[0] and len(n.tokens) == 1 for n in self.names
            )
        if not any(_surnames_match(name.surname, n.surname) for n in self.names):
            return False
        return all(_first_names_agree(name.tokens, n.tokens) for n in self.names if len(n.tokens) > 1)
