"""Vectorised hashing of a batch of texts: token hashes from UTF-16 code units, shingle hashes,
and a stopword test on hashes (step 1 and 2 of the pipeline described in
:mod:`storyline.analyze.fingerprint`).

Every value equals what the plain-Python reference in :mod:`storyline.analyze.fingerprint_words`
computes (:func:`token_hash`, :func:`shingle_hash`), so signatures are stable across processes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import numpy as np

from storyline.analyze.fingerprint_words import (
    LEN_MIX,
    P,
    P_INV,
    SHINGLE,
    SHINGLE_MULT,
    SHINGLE_SEED,
    STOPWORDS,
    WORD,
    fmix64,
    fmix64_int,
    token_hash,
)

_U64 = np.uint64


@functools.cache
def _char_tables() -> tuple[np.ndarray, np.ndarray]:
    """(is word character, is decimal digit) for every code point of the Basic Multilingual
    Plane, taken from the regex engine itself so that tokens match :func:`~storyline.analyze.fingerprint_words.tokens` exactly."""
    bmp = "".join(map(chr, range(0x10000)))
    word = re.sub(r"\W", "\0", bmp).encode("utf-32-le", "surrogatepass")
    digit = re.sub(r"\D", "\0", bmp).encode("utf-32-le", "surrogatepass")
    return np.frombuffer(word, np.uint32) != 0, np.frombuffer(digit, np.uint32) != 0


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@functools.cache
def _astral_is_word(cp: int) -> bool:
    return WORD.fullmatch(chr(cp)) is not None


class _Powers:
    """P**i and P**-i mod 2**64 for i < size. Tables up to KEEP entries are kept for the
    process (grown on demand); a longer batch (one huge text) gets throw-away tables."""

    KEEP = 1 << 20

    def __init__(self) -> None:
        self.fwd = np.ones(1, _U64)
        self.inv = np.ones(1, _U64)

    @staticmethod
    def _make(size: int) -> tuple[np.ndarray, np.ndarray]:
        fwd = np.full(size, P, _U64)
        inv = np.full(size, P_INV, _U64)
        fwd[0] = inv[0] = 1
        return np.cumprod(fwd), np.cumprod(inv)  # cumprod wraps mod 2**64, as wanted

    def get(self, size: int) -> tuple[np.ndarray, np.ndarray]:
        if len(self.fwd) >= size:
            return self.fwd, self.inv
        if size > self.KEEP:
            return self._make(size)
        self.fwd, self.inv = self._make(min(self.KEEP, max(size, 2 * len(self.fwd))))
        return self.fwd, self.inv


_POWERS = _Powers()


def hash_batch(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Token hashes of a batch of texts, vectorised.

    Returns (hashes uint64, doc index int64, token length in characters int64, is-decimal-number
    bool), one entry per token in text order. Works on UTF-16 code units: half the memory
    traffic of UTF-32 and a direct 65,536-entry table lookup; characters beyond the BMP (two
    units) only occur in a slower branch."""
    lowered = [t.lower() for t in texts]
    # "\n" before, between and after the texts: not a word character, so no token spans two
    # texts and every run of word units has a non-word unit on both sides.
    joined = "\n" + "\n".join(lowered) + "\n"
    units = np.frombuffer(joined.encode("utf-16-le", "surrogatepass"), np.uint16)
    word_table, digit_table = _char_tables()
    is_word = word_table[units]
    astral = len(units) != len(joined)
    if astral:
        pair_low = _mark_astral(joined, is_word)
    changes = np.flatnonzero(is_word[1:] != is_word[:-1]) + 1
    starts, ends = changes[0::2], changes[1::2]  # runs alternate start, end, start, ...
    fwd, inv = _POWERS.get(len(units))
    prefix = np.cumsum(units * fwd[: len(units)])  # wraps mod 2**64, as intended
    hashes = (prefix[ends - 1] - prefix[starts - 1]) * inv[starts]
    token_len = ends - starts
    hashes += token_len.astype(_U64) * _U64(LEN_MIX)
    fmix64(hashes)
    if astral:
        text_units = np.fromiter((len(t.encode("utf-16-le", "surrogatepass")) // 2 for t in lowered), np.int64, len(texts))
        low_before = np.concatenate([[0], np.cumsum(pair_low)])
        token_len = token_len - (low_before[ends] - low_before[starts])  # in characters
    else:
        text_units = np.fromiter(map(len, lowered), np.int64, len(texts))
    text_ends = 1 + np.cumsum(text_units + 1)  # leading "\n", then each text and its "\n"
    per_text = np.diff(np.searchsorted(starts, text_ends), prepend=0)
    doc = np.repeat(np.arange(len(texts)), per_text)
    # A token is a number when all its characters are decimal digits. Only tokens of 1-2
    # characters need the test (longer ones are kept anyway).
    short = np.flatnonzero(token_len < 3)
    number = np.zeros(len(starts), bool)
    if len(short):
        first = starts[short]
        number[short] = digit_table[units[first]] & ((token_len[short] == 1) | digit_table[units[first + 1]])
        if astral:  # a short token made of characters beyond the BMP: ask Python
            odd = short[ends[short] - starts[short] != token_len[short]]
            for i in odd:
                number[i] = units[starts[i] : ends[i]].tobytes().decode("utf-16-le", "surrogatepass").isdecimal()
    return hashes, doc, token_len, number


def _mark_astral(joined: str, is_word: np.ndarray) -> np.ndarray:
    """Set is_word for both units of each character beyond the BMP; return a mask of the
    second (low) units, to count characters rather than units."""
    pair_low = np.zeros(len(is_word), bool)
    for k, m in enumerate(_ASTRAL.finditer(joined)):
        unit = m.start() + k  # every earlier astral character took one extra unit
        is_word[unit] = is_word[unit + 1] = _astral_is_word(ord(m.group()))
        pair_low[unit + 1] = True
    return pair_low


def token_hashes(text: str) -> np.ndarray:
    """``token_hash`` of each of ``tokens(text)``, computed by the vectorised batch path."""
    return hash_batch([text])[0]


class StopwordTable:
    """Exact membership test of token hashes in :data:`STOPWORDS`, vectorised.

    ``np.isin`` or a binary search over the stopword hashes costs ~50 ns a token (random
    access); a collision-free direct table (a multiplier picked so that no two stopwords share a
    slot) costs a multiply, a shift and one lookup."""

    BITS = 16

    def __init__(self, words: frozenset[str]) -> None:
        hashes = np.fromiter((token_hash(w) for w in words), _U64, len(words))
        for attempt in range(1, 10_000):
            mult = _U64(fmix64_int(attempt) | 1)
            slots = (hashes * mult) >> _U64(64 - self.BITS)
            if len(np.unique(slots)) == len(hashes):
                break
        else:  # pragma: no cover - 450 keys in 65,536 slots: a few attempts suffice
            raise RuntimeError("no collision-free stopword table")
        self.mult = mult
        # Slot value for "no stopword here": a hash that no stopword has.
        self.table = np.full(1 << self.BITS, ~hashes[0] if len(hashes) else 0, _U64)
        self.table[slots] = hashes

    def contains(self, hashes: np.ndarray) -> np.ndarray:
        return self.table[(hashes * self.mult) >> _U64(64 - self.BITS)] == hashes


@functools.cache
def stopword_table() -> StopwordTable:
    """The table for :data:`STOPWORDS`, built once per process."""
    return StopwordTable(STOPWORDS)


def shingles(hashes: np.ndarray, doc: np.ndarray, n_docs: int) -> tuple[np.ndarray, np.ndarray]:
    """Shingle hashes (k = SHINGLE consecutive tokens of one text) and their doc index.
    A text with 1..k-1 tokens gets one shingle of all its tokens."""
    k = SHINGLE
    m = len(hashes) - k + 1
    if m > 0:
        acc = hashes[:m] * _U64(SHINGLE_MULT[0])
        for j in range(1, k):
            acc += hashes[j : j + m] * _U64(SHINGLE_MULT[j])
        inside = doc[:m] == doc[k - 1 :]
        full, full_doc = acc[inside], doc[:m][inside]
    else:
        full, full_doc = np.empty(0, _U64), np.empty(0, np.int64)
    counts = np.bincount(doc, minlength=n_docs)
    short_docs = np.flatnonzero((counts > 0) & (counts < k))
    if len(short_docs):
        first = np.searchsorted(doc, short_docs)  # doc is sorted: index of each text's 1st token
        short = np.full(len(short_docs), SHINGLE_SEED, _U64)
        for j in range(k - 1):
            has = counts[short_docs] > j
            short[has] += hashes[first[has] + j] * _U64(SHINGLE_MULT[j])
        full = np.concatenate([full, short])
        full_doc = np.concatenate([full_doc, short_docs])
    return fmix64(full), full_doc
