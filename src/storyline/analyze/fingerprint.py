"""MinHash fingerprints of article texts, for near-copy and rewrite candidates at corpus scale.

Each text gets two signatures, each ``num_perm`` uint32 values (128 by default, 512 bytes):

* ``shingles``: the set of word 5-shingles (lowercased ``\\w+`` tokens, 5 in a row). Finds
  near-verbatim reuse: syndicated copies with a header, a changed word, a dropped paragraph.
* ``words``: the SET of content words (tokens minus :data:`STOPWORDS`, minus tokens shorter than
  3 characters unless they are all digits). Finds rewrites that keep the vocabulary (names,
  numbers, rare words) but not the word order. On the seed articles a real rewrite pair had
  5-shingle Jaccard 0.05 but content-word Jaccard 0.43; independent articles on the same story
  had 0.15-0.21.

    >>> shingle_sigs, word_sigs = signatures(["Officials said on Monday ...", "..."])
    >>> jaccard_estimate(shingle_sigs[0], shingle_sigs[1])

The fraction of equal positions of two signatures estimates the Jaccard similarity of the two
sets. Signatures are plain arrays (store them as bytes: ``sig.tobytes()``, back with
``np.frombuffer(b, np.uint32)``); band keys for LSH are made from them in
:mod:`storyline.link.reuse.lsh`.

**Why hand-written and not datasketch.** datasketch 2.0.0 hashes every shingle with SHA-1 in
Python and then applies ``num_perm`` affine permutations to every shingle; on the PolNeAR
articles (4,600 characters, 770 tokens) that is ~1,250 docs/s for the shingle signature alone,
including tokenising and LSH. Here the whole pipeline is numpy over a batch of texts
(``benchmarks/dedup_speed.py`` has the measured figures):

1. Tokens without a Python loop: the lowercased batch is read as UTF-16 code units, a
   65,536-entry table marks word characters (built from the ``\\w`` regex itself, so token
   boundaries are exactly those of :func:`tokens`; characters beyond the BMP take a slower
   exact branch), and each token's hash is a polynomial over its code units taken from one
   prefix sum (``(S[end] - S[start]) * P**-start`` mod 2**64, P odd so invertible), then
   mixed with the MurmurHash3 finaliser. Stable across processes, machines and numpy versions
   (no ``hash()``, no random state); :func:`token_hash` is the same in plain Python. Measured:
   ~25 us per PolNeAR article (CPU time), where ``re.findall`` alone takes ~120 us, and
   datasketch's ``MinHash.bulk`` (SHA-1 per shingle, then the permutations) ~440 us.
2. Shingle hashes: 5 consecutive token hashes, each times its own odd constant, summed mod 2**64
   and mixed; shingles never cross two texts.
3. One-permutation hashing (Li, Owen & Zhang 2012) with optimal densification (Shrivastava
   2017) instead of ``num_perm`` separate permutations: each element's 64-bit hash picks one of
   ``num_perm`` bins (high bits) and a 32-bit value (low bits), each bin keeps its minimum
   (``np.minimum.at`` over the whole batch), and an empty bin borrows the value of the first
   non-empty bin along a fixed pseudo-random probe order of its own. Each position still
   collides with probability equal to the Jaccard similarity (for two sets, a position matches
   only when the union's minimum in the bin it ends up reading is in both sets), so it is a
   real MinHash and banded LSH works on it unchanged. The work is O(elements + num_perm) per
   text instead of O(elements x num_perm): measured on the PolNeAR articles (CPU time), the
   classic ``num_perm``-permutation form in numpy (multiply-add over 770 x 128 uint32 values,
   ``np.minimum.reduceat``) costs ~190 us per text for the shingle signature alone; the
   one-permutation step costs ~4 us, and both signatures from raw text ~50 us per text.

Signatures are uint32: two different elements' bin minima coincide with probability about
(elements per bin) / 2**32, under 1e-6 for sets of up to ~500,000 elements. :data:`EMPTY`
(2**32 - 1) marks a bin with no element; a text with no element at all (empty, or no content
word) gets all-:data:`EMPTY`, which :func:`jaccard_estimate` and the LSH band keys treat as
matching nothing. A text with 1-4 tokens gets one shingle made of all its tokens, so equal short
texts still match.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import numpy as np

NUM_PERM = 128
SHINGLE = 5
EMPTY = np.uint32(0xFFFFFFFF)
# Texts are hashed in batches of about this many characters: big enough that numpy's per-call
# overhead vanishes, small enough that the per-character arrays (8 bytes a character) stay in
# cache-friendly sizes.
BATCH_CHARS = 1 << 16

_WORD = re.compile(r"\w+")
_U64 = np.uint64
_MASK64 = (1 << 64) - 1
_P = 0x100000001B3  # odd, so invertible mod 2**64 (the FNV-1 64-bit prime)
_P_INV = pow(_P, -1, 1 << 64)
_LEN_MIX = 0x9E3779B97F4A7C15
# One odd multiplier per position in a shingle, so that shingle hashes depend on word order.
_SHINGLE_MULT = tuple(((0xC2B2AE3D27D4EB4F * (2 * j + 1)) & _MASK64) | 1 for j in range(SHINGLE))
_SHINGLE_SEED = 0x27D4EB2F165667C5  # added to one-token "shingles" so they differ from tokens
# Empty bins first try this many probes (cheap), then the full probe order.
_FIRST_PROBES = 8

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


# --- tokens ----------------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    """Lowercased ``\\w+`` tokens of ``text`` (the tokens both signatures are built from)."""
    return _WORD.findall(text.lower())


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
        h = (h + int.from_bytes(units[i : i + 2], "little") * power) & _MASK64
        power = (power * _P) & _MASK64
    return _fmix64_int((h + len(units) // 2 * _LEN_MIX) & _MASK64)


def shingle_hash(token_hashes: Sequence[int]) -> int:
    """Stable 64-bit hash of one shingle from its tokens' hashes (pure Python reference).

    A shingle of fewer than :data:`SHINGLE` tokens (a short text's only shingle) also gets
    :data:`_SHINGLE_SEED`, so that a one-word text's shingle is not that word's hash."""
    acc = 0 if len(token_hashes) == SHINGLE else _SHINGLE_SEED
    for h, mult in zip(token_hashes, _SHINGLE_MULT, strict=False):
        acc = (acc + h * mult) & _MASK64
    return _fmix64_int(acc)


def _fmix64_int(h: int) -> int:
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & _MASK64
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & _MASK64
    return h ^ (h >> 33)


def fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser, in place (a bijection that spreads every input bit)."""
    h ^= h >> _U64(33)
    h *= _U64(0xFF51AFD7ED558CCD)
    h ^= h >> _U64(33)
    h *= _U64(0xC4CEB9FE1A85EC53)
    h ^= h >> _U64(33)
    return h


@functools.cache
def _char_tables() -> tuple[np.ndarray, np.ndarray]:
    """(is word character, is decimal digit) for every code point of the Basic Multilingual
    Plane, taken from the regex engine itself so that tokens match :func:`tokens` exactly."""
    bmp = "".join(map(chr, range(0x10000)))
    word = re.sub(r"\W", "\0", bmp).encode("utf-32-le", "surrogatepass")
    digit = re.sub(r"\D", "\0", bmp).encode("utf-32-le", "surrogatepass")
    return np.frombuffer(word, np.uint32) != 0, np.frombuffer(digit, np.uint32) != 0


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@functools.cache
def _astral_is_word(cp: int) -> bool:
    return _WORD.fullmatch(chr(cp)) is not None


class _Powers:
    """P**i and P**-i mod 2**64 for i < size. Tables up to KEEP entries are kept for the
    process (grown on demand); a longer batch (one huge text) gets throw-away tables."""

    KEEP = 1 << 20

    def __init__(self) -> None:
        self.fwd = np.ones(1, _U64)
        self.inv = np.ones(1, _U64)

    @staticmethod
    def _make(size: int) -> tuple[np.ndarray, np.ndarray]:
        fwd = np.full(size, _P, _U64)
        inv = np.full(size, _P_INV, _U64)
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


def _hash_batch(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
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
    hashes += token_len.astype(_U64) * _U64(_LEN_MIX)
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
    return _hash_batch([text])[0]


class _StopwordTable:
    """Exact membership test of token hashes in :data:`STOPWORDS`, vectorised.

    ``np.isin`` or a binary search over the stopword hashes costs ~50 ns a token (random
    access); a collision-free direct table (a multiplier picked so that no two stopwords share a
    slot) costs a multiply, a shift and one lookup."""

    BITS = 16

    def __init__(self, words: frozenset[str]) -> None:
        hashes = np.fromiter((token_hash(w) for w in words), _U64, len(words))
        for attempt in range(1, 10_000):
            mult = _U64(_fmix64_int(attempt) | 1)
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
def _stopwords() -> _StopwordTable:
    return _StopwordTable(STOPWORDS)


def _shingles(hashes: np.ndarray, doc: np.ndarray, n_docs: int) -> tuple[np.ndarray, np.ndarray]:
    """Shingle hashes (k = SHINGLE consecutive tokens of one text) and their doc index.
    A text with 1..k-1 tokens gets one shingle of all its tokens."""
    k = SHINGLE
    m = len(hashes) - k + 1
    if m > 0:
        acc = hashes[:m] * _U64(_SHINGLE_MULT[0])
        for j in range(1, k):
            acc += hashes[j : j + m] * _U64(_SHINGLE_MULT[j])
        inside = doc[:m] == doc[k - 1 :]
        full, full_doc = acc[inside], doc[:m][inside]
    else:
        full, full_doc = np.empty(0, _U64), np.empty(0, np.int64)
    counts = np.bincount(doc, minlength=n_docs)
    short_docs = np.flatnonzero((counts > 0) & (counts < k))
    if len(short_docs):
        first = np.searchsorted(doc, short_docs)  # doc is sorted: index of each text's 1st token
        short = np.full(len(short_docs), _SHINGLE_SEED, _U64)
        for j in range(k - 1):
            has = counts[short_docs] > j
            short[has] += hashes[first[has] + j] * _U64(_SHINGLE_MULT[j])
        full = np.concatenate([full, short])
        full_doc = np.concatenate([full_doc, short_docs])
    return fmix64(full), full_doc


@functools.cache
def _probe_order(num_perm: int) -> np.ndarray:
    """For each bin, a fixed pseudo-random order of all bins to borrow from when it is empty.
    Derived from a stable hash, not numpy's RNG (whose streams may change between versions),
    so stored signatures stay comparable."""
    keys = np.arange(num_perm * num_perm, dtype=_U64) + _U64(0x5851F42D4C957F2D)
    return np.argsort(fmix64(keys).reshape(num_perm, num_perm), axis=1)


def _one_permutation(values: np.ndarray, doc: np.ndarray, n_docs: int, num_perm: int) -> np.ndarray:
    """(n_docs, num_perm) uint32 MinHash signatures of the sets {values[doc == i]} (values are
    mixed 64-bit hashes): one-permutation hashing with optimal densification."""
    bins = ((values >> _U64(32)) * _U64(num_perm)) >> _U64(32)  # high bits: uniform bin
    low = (values & _U64(0xFFFFFFFF)).astype(np.uint32)  # low bits: the value to minimise
    np.minimum(low, EMPTY - np.uint32(1), out=low)  # EMPTY stays reserved for "no element"
    sigs = np.full(n_docs * num_perm, EMPTY, np.uint32)
    np.minimum.at(sigs, doc * num_perm + bins.astype(np.int64), low)
    sigs = sigs.reshape(n_docs, num_perm)
    filled = sigs != EMPTY
    rows, cols = np.nonzero(~filled & filled.any(axis=1, keepdims=True))
    if len(rows):
        order = _probe_order(num_perm)
        # Most empty bins find a filled one in the first few probes; only the rest (texts with
        # very few elements) pay for the full probe order.
        first = order[cols, :_FIRST_PROBES]
        hit = filled[rows[:, None], first]
        found = hit.any(axis=1)
        source = np.empty(len(rows), np.int64)
        source[found] = first[found, hit[found].argmax(axis=1)]
        rest = np.flatnonzero(~found)
        if len(rest):
            probes = order[cols[rest]]
            source[rest] = probes[np.arange(len(rest)), filled[rows[rest, None], probes].argmax(axis=1)]
        sigs[rows, cols] = sigs[rows, source]
    return sigs


def _batches(texts: Sequence[str]) -> list[tuple[int, int]]:
    spans, start, chars = [], 0, 0
    for i, text in enumerate(texts):
        chars += len(text) + 1
        if chars >= BATCH_CHARS:
            spans.append((start, i + 1))
            start, chars = i + 1, 0
    if start < len(texts):
        spans.append((start, len(texts)))
    return spans


def signatures(texts: Sequence[str], num_perm: int = NUM_PERM) -> tuple[np.ndarray, np.ndarray]:
    """(shingle_sigs, word_sigs): two (len(texts), num_perm) uint32 arrays of MinHash values.

    Row i belongs to texts[i]. Equal texts give equal rows in any process; all-EMPTY rows
    mean "no shingle" / "no content word" (empty text, punctuation only, only stopwords)."""
    if num_perm < 1:
        raise ValueError("num_perm must be positive")
    shingle_sigs = np.empty((len(texts), num_perm), np.uint32)
    word_sigs = np.empty((len(texts), num_perm), np.uint32)
    stop = _stopwords()
    for lo, hi in _batches(texts):
        n = hi - lo
        hashes, doc, token_len, number = _hash_batch(texts[lo:hi])
        values, value_doc = _shingles(hashes, doc, n)
        shingle_sigs[lo:hi] = _one_permutation(values, value_doc, n, num_perm)
        content = ((token_len >= 3) | number) & ~stop.contains(hashes)
        word_sigs[lo:hi] = _one_permutation(hashes[content], doc[content], n, num_perm)
    return shingle_sigs, word_sigs


def is_empty(sigs: np.ndarray) -> np.ndarray | bool:
    """Whether a signature (or each row of a 2-D array) is the no-element signature."""
    return (np.asarray(sigs) == EMPTY).all(axis=-1)


def jaccard_estimates(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise estimated Jaccard of two (m, num_perm) signature arrays; 0 where either is empty."""
    a, b = np.atleast_2d(a), np.atleast_2d(b)
    if a.shape != b.shape:
        raise ValueError(f"signature shapes differ: {a.shape} and {b.shape}")
    est = (a == b).mean(axis=1)
    est[is_empty(a) | is_empty(b)] = 0.0
    return est


def jaccard_estimate(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two sets behind two signatures (0.0 if either is empty)."""
    return float(jaccard_estimates(sig_a, sig_b)[0])
