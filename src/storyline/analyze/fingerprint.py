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

Where the steps live: tokens, content words and the plain-Python reference hashes in
:mod:`storyline.analyze.fingerprint_words`; steps 1 and 2 (vectorised token and shingle hashes)
in :mod:`storyline.analyze.fingerprint_batch`; step 3 and the signatures' use here.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

from storyline.analyze.fingerprint_batch import hash_batch, shingles, stopword_table, token_hashes
# The token level is part of this module's interface (callers and tests use
# ``fingerprint.tokens``, ``fingerprint.token_hash`` ...), so it is re-exported here.
from storyline.analyze.fingerprint_words import (
    SHINGLE,
    STOPWORDS,
    content_words,
    fmix64,
    is_content_word,
    shingle_hash,
    token_hash,
    tokens,
)

__all__ = [
    "BATCH_CHARS", "EMPTY", "NUM_PERM", "SHINGLE", "STOPWORDS", "content_words", "fmix64", "is_content_word",
    "is_empty", "jaccard_estimate", "jaccard_estimates", "shingle_hash", "signatures", "token_hash", "token_hashes",
    "tokens",
]  # fmt: skip

NUM_PERM = 128
EMPTY = np.uint32(0xFFFFFFFF)
# Texts are hashed in batches of about this many characters: big enough that numpy's per-call
# overhead vanishes, small enough that the per-character arrays (8 bytes a character) stay in
# cache-friendly sizes.
BATCH_CHARS = 1 << 16
_U64 = np.uint64
# Empty bins first try this many probes (cheap), then the full probe order.
_FIRST_PROBES = 8


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
    stop = stopword_table()
    for lo, hi in _batches(texts):
        n = hi - lo
        hashes, doc, token_len, number = hash_batch(texts[lo:hi])
        values, value_doc = shingles(hashes, doc, n)
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
