"""The words of a fingerprint and their stable hashes, in plain Python.

What both MinHash signatures of :mod:`storyline.analyze.fingerprint` are built from: lowercased
``\\w+`` tokens, the content words among them (minus :data:`STOPWORDS`), and the 64-bit hashes of
tokens and shingles. :func:`token_hash` and :func:`shingle_hash` are the reference that the
vectorised batch path (:mod:`storyline.analyze.fingerprint_batch`) reproduces exactly; the
constants here are shared with it so that both compute the same values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

SHINGLE = 5

WORD = re.compile(r"\w+")
_U64 = np.uint64
MASK64 = (1 << 64) - 1
P = 0x100000001B3  # odd, so invertible mod 2**64 (the FNV-1 64-bit prime)
P_INV = pow(P, -1, 1 << 64)
LEN_MIX = 0x9E3779B97F4A7C15
# One odd multiplier per position in a shingle, so that shingle hashes depend on word order.
SHINGLE_MULT = tuple(((0xC2B2AE3D27D4EB4F * (2 * j + 1)) & MASK64) | 1 for j in range(SHINGLE))
SHINGLE_SEED = 0x27D4EB2F165667C5  # added to one-token "shingles" so they differ from tokens

# English function words and news boilerplate verbs: no information about what a story is about.
# Tokens shorter than 3 characters are dropped anyway, so the list starts at 3 letters.
STOPWORDS = frozenset(
    """
    about above across after afterwards again against all almost alone along already also although
    always among amongst and another any anyhow anyone anything anyway anywhere are aren around
    back became because become becomes been before beforehand behind being below beside besides
    between beyond both but can cannot could couldn did didn does doesn doing don done down
    during each either else elsewhere enough etc even ever every everyone everything everywhere
    except few for former formerly from further had hadn has hasn have haven having her here
    hereafter hereby herein hers herself him himself his how however inc into isn its itself just
    last latter least less let ltd made make many may meanwhile might mine more moreover most
    mostly much must myself namely neither never nevertheless next nobody none noone nor not
    nothing now nowhere off often once one only onto other others otherwise our ours ourselves
    out over own per perhaps please put rather really same see seem seemed seeming seems several
    she should shouldn since some somehow someone something sometime sometimes somewhere still such
    than that the their theirs them themselves then thence there thereafter thereby therefore
    therein thereupon these they this those though through throughout thru thus together too
    toward towards under until upon very via was wasn way we well were weren what whatever when
    whence whenever where whereafter whereas whereby wherein whereupon wherever whether which
    while whither who whoever whole whom whose why will with within without won would wouldn yet
    you your yours yourself yourselves
    said says say saying told tell tells according added adding asked also just like get got
    going want wanted think thought know known mr mrs ms dr
    """.split()
)

def tokens(text: str) -> list[str]:
    """Lowercased ``\\w+`` tokens of ``text`` (the tokens both signatures are built from)."""
    return WORD.findall(text.lower())


def is_content_word(token: str) -> bool:
    """Whether a (lowercased) token counts for the ``words`` signature."""
    return (len(token) >= 3 or token.isdecimal()) and token not in STOPWORDS


def content_words(text: str) -> set[str]:
    """The set the ``words`` signature is a MinHash of."""
    return {t for t in tokens(text) if is_content_word(t)}


def token_hash(token: str) -> int:
    """Stable 64-bit hash of one token (pure Python; the batch path computes the same values)."""
    units = token.encode("utf-16-le", "surrogatepass")
    h = 0
    power = 1
    for i in range(0, len(units), 2):
        h = (h + int.from_bytes(units[i : i + 2], "little") * power) & MASK64
        power = (power * P) & MASK64
    return fmix64_int((h + len(units) // 2 * LEN_MIX) & MASK64)


def shingle_hash(token_hashes: Sequence[int]) -> int:
    """Stable 64-bit hash of one shingle from its tokens' hashes (pure Python reference).

    A shingle of fewer than :data:`SHINGLE` tokens (a short text's only shingle) also gets
    :data:`SHINGLE_SEED`, so that a one-word text's shingle is not that word's hash."""
    acc = 0 if len(token_hashes) == SHINGLE else SHINGLE_SEED
    for h, mult in zip(token_hashes, SHINGLE_MULT, strict=False):
        acc = (acc + h * mult) & MASK64
    return fmix64_int(acc)


def fmix64_int(h: int) -> int:
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & MASK64
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & MASK64
    return h ^ (h >> 33)


def fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser, in place (a bijection that spreads every input bit)."""
    h ^= h >> _U64(33)
    h *= _U64(0xFF51AFD7ED558CCD)
    h ^= h >> _U64(33)
    h *= _U64(0xC4CEB9FE1A85EC53)
    h ^= h >> _U64(33)
    return h
