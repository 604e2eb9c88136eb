"""Banded LSH over MinHash signatures: candidate pairs for near copies and rewrites, vectorised.

Signatures come from :func:`storyline.analyze.fingerprint.signatures` ((n, num_perm) uint32).
A signature is cut into ``bands`` bands of ``rows`` values; two texts are candidates when any
band is equal, which happens with probability ``1 - (1 - J**rows)**bands`` for Jaccard J
(an S-curve around the threshold :func:`bands_for` tunes it to).

    >>> bands, rows = bands_for(0.5, 128)                   # (25, 5), as datasketch picks
    >>> keys = band_keys(shingle_sigs, bands, rows)          # (n, 25) uint64, < 2**63
    >>> index = LSHIndex(); index.add(article_ids, keys)
    >>> pairs = index.candidate_pairs()                      # {("a1", "a7"), ...}
    >>> verified = verify(pairs, dict(zip(article_ids, shingle_sigs)), 0.5)

A band key is one stable 63-bit integer per (text, band): the band's values and the band number
mixed into 64 bits, top bit cleared, so it fits a signed BIGINT. The store persists them as
rows (band, key, article_id) and finds an incoming article's candidates with one indexed
lookup per band; :class:`LSHIndex` is the same thing in memory, for a whole batch at once.
Key 0 (:data:`EMPTY_KEY`) is reserved for "no signature" (an empty text): it is never indexed
and matches nothing.

Why not datasketch's ``MinHashLSH``: it inserts and queries one MinHash at a time through
Python dicts of byte strings (~85 us a text for insert + query at 25 bands, more than our whole
fingerprint); here every step is a numpy call over all texts (sort the keys, group equal runs).
It shares the hash finaliser and the empty-bin value with analyze/fingerprint.py (numpy only).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from storyline.analyze.fingerprint import EMPTY, fmix64

# Buckets (texts sharing one band key) with more members than this are "hot": boilerplate that
# many texts share (a long standard disclaimer) or a story syndicated hundreds of times. All
# pairs of a hot bucket would be quadratic, so a hot bucket only pairs each member with its
# first (earliest added) member, a star that keeps the bucket connected in linear size, and a
# query returns only its first MAX_BUCKET members.
MAX_BUCKET = 64
EMPTY_KEY = 0
# The uint32 value of an empty MinHash bin; an all-EMPTY signature is a text with no element.
EMPTY_VALUE = int(EMPTY)
MASK63 = np.uint64((1 << 63) - 1)
_U64 = np.uint64
_BAND_SALT = 0x9E3779B97F4A7C15
# Unmerged rows a query may scan linearly before the sorted arrays are rebuilt.
_PENDING_ROWS = 4096


# --- parameters --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def bands_for(
    threshold: float, num_perm: int, weights: tuple[float, float] = (0.5, 0.5)
) -> tuple[int, int]:
    """(bands, rows) with bands * rows <= num_perm minimising the weighted sum of the false
    positive area (collision probability integrated over Jaccard 0..threshold) and the false
    negative area (non-collision integrated over threshold..1), as datasketch's
    ``_optimal_param`` does (same choice; integrated with Simpson's rule in numpy instead of
    scipy's ``quad``, all (bands, rows) at once)."""
    if not 0.0 <= threshold <= 1.0:
        raise ValueError("threshold must be in [0, 1]")
    if num_perm < 1:
        raise ValueError("num_perm must be positive")
    fp_weight, fn_weight = weights
    pairs = np.array([(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)], float)
    b, r = pairs[:, :1], pairs[:, 1:]

    def area(lo: float, hi: float, false_positive: bool) -> np.ndarray:
        s = np.linspace(lo, hi, 2001)
        collide = 1.0 - (1.0 - s**r) ** b
        y = collide if false_positive else 1.0 - collide
        # Simpson's rule: weights 1, 4, 2, 4, ..., 4, 1 times h / 3
        w = np.ones(len(s))
        w[1:-1:2], w[2:-1:2] = 4.0, 2.0
        return (y * w).sum(axis=1) * (hi - lo) / (len(s) - 1) / 3.0

    error = fp_weight * area(0.0, threshold, True) + fn_weight * area(threshold, 1.0, False)
    best = int(np.argmin(error))  # first minimum, in datasketch's (b, then r) search order
    return int(pairs[best, 0]), int(pairs[best, 1])


def collision_probability(jaccard: float | np.ndarray, bands: int, rows: int) -> float | np.ndarray:
    """Probability that two texts with this Jaccard similarity share at least one band."""
    return 1.0 - (1.0 - np.asarray(jaccard, float) ** rows) ** bands


# --- keys --------------------------------------------------------------------------------------


@functools.cache
def _row_multipliers(rows: int) -> np.ndarray:
    """One fixed odd 64-bit multiplier per position in a band (so that order matters)."""
    mult = fmix64(np.arange(1, rows + 1, dtype=_U64) * _U64(0xD6E8FEB86659FD93))
    return mult | _U64(1)


def band_keys(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(n, bands) uint64 band keys of (n, num_perm) signatures, every key in [0, 2**63).

    Key of band j = mix(sum_i value_i * M_i + (j + 1) * SALT) & (2**63 - 1): stable across
    processes and numpy versions, different bands never share a key (the band number is mixed
    in), and ``keys.astype(np.int64)`` is lossless (SQL BIGINT). Rows of an empty signature get
    :data:`EMPTY_KEY`; no other row does."""
    sigs = np.atleast_2d(np.asarray(sigs))
    n, num_perm = sigs.shape
    if bands < 1 or rows < 1 or bands * rows > num_perm:
        raise ValueError(f"bands * rows must be in 1..{num_perm}, got {bands} * {rows}")
    block = sigs[:, : bands * rows].reshape(n, bands, rows).astype(_U64)
    block *= _row_multipliers(rows)
    keys = block.sum(axis=2, dtype=_U64)  # wraps mod 2**64, as intended
    keys += np.arange(1, bands + 1, dtype=_U64) * _U64(_BAND_SALT)
    fmix64(keys)
    keys &= MASK63
    keys[keys == _U64(EMPTY_KEY)] = 1  # 0 is reserved for empty signatures
    keys[(sigs == EMPTY_VALUE).all(axis=1)] = EMPTY_KEY
    return keys


# --- index -------------------------------------------------------------------------------------


class LSHIndex:
    """In-memory banded LSH index over band keys (from :func:`band_keys`).

    Keys of all bands live in one sorted array (band numbers are mixed into the keys), with the
    row (insertion number) of each; rows added since the last sort are kept aside and scanned
    linearly by :meth:`query` until there are more than 4,096 of them. Memory: 16 bytes per
    (text, band) in the sorted arrays, plus the id strings. Ids must be unique."""

    def __init__(self, max_bucket: int = MAX_BUCKET) -> None:
        if max_bucket < 2:
            raise ValueError("max_bucket must be at least 2")
        self.max_bucket = max_bucket
        self.bands: int | None = None
        self._ids: list[str] = []
        self._known: set[str] = set()
        self._keys = np.empty(0, _U64)  # sorted
        self._rows = np.empty(0, np.int64)  # row of each sorted key
        self._pending: list[np.ndarray] = []  # (m, bands) blocks not merged yet
        self._pending_from = 0  # row of the first pending row

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def ids(self) -> list[str]:
        """Ids in insertion order (row i of the index pairs is ids[i])."""
        return self._ids

    @property
    def nbytes(self) -> int:
        """Bytes held in numpy arrays (keys and rows; the id strings are not counted)."""
        return self._keys.nbytes + self._rows.nbytes + sum(p.nbytes for p in self._pending)

    def add(self, ids: Sequence[str], keys: np.ndarray) -> None:
        """Add texts: ids[i] has band keys keys[i] (one row of :func:`band_keys`)."""
        keys = np.atleast_2d(np.asarray(keys, dtype=_U64))
        if len(ids) != len(keys):
            raise ValueError(f"{len(ids)} ids for {len(keys)} rows of keys")
        if self.bands is None:
            self.bands = keys.shape[1]
        elif keys.shape[1] != self.bands:
            raise ValueError(f"index has {self.bands} bands, keys have {keys.shape[1]}")
        new = set(ids)
        if len(new) != len(ids) or not self._known.isdisjoint(new):
            raise ValueError("ids must be unique (an id is already in the index)")
        self._known |= new
        self._ids.extend(ids)
        if len(keys):
            self._pending.append(keys.copy())

    def _merge(self) -> None:
        """Fold the pending rows into the sorted arrays (O(total) via sorted insertion)."""
        if not self._pending:
            return
        block = np.concatenate(self._pending)
        bands = block.shape[1]
        keys = block.ravel()
        rows = np.repeat(np.arange(self._pending_from, self._pending_from + len(block)), bands)
        keep = keys != _U64(EMPTY_KEY)
        keys, rows = keys[keep], rows[keep]
        order = np.argsort(keys)
        keys, rows = keys[order], rows[order]
        if len(self._keys):
            at = np.searchsorted(self._keys, keys, side="right")
            self._keys = np.insert(self._keys, at, keys)
            self._rows = np.insert(self._rows, at, rows)
        else:
            self._keys, self._rows = keys, rows
        self._pending = []
        self._pending_from = len(self._ids)
        # Hot buckets keep their rows in insertion order, so that "first members" is defined.
        for start, size in zip(*self._groups(self.max_bucket + 1), strict=True):
            self._rows[start : start + size].sort()

    def _groups(self, min_size: int) -> tuple[np.ndarray, np.ndarray]:
        """(start, size) in the sorted arrays of each bucket with at least min_size members."""
        n = len(self._keys)
        if n == 0:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        starts = np.flatnonzero(np.concatenate([[True], self._keys[1:] != self._keys[:-1]]))
        sizes = np.diff(np.append(starts, n))
        big = sizes >= min_size
        return starts[big], sizes[big]

    def query(self, keys_row: np.ndarray) -> set[str]:
        """Ids that share at least one band key with keys_row (a text's own id included if it
        is in the index). At most ``max_bucket`` ids come from any one bucket of the sorted
        arrays, the first added; rows added since the last merge (at most 4,096) are all
        returned."""
        q = np.asarray(keys_row, dtype=_U64).ravel()
        if self.bands is not None and len(q) != self.bands:
            raise ValueError(f"index has {self.bands} bands, query has {len(q)}")
        q = q[q != _U64(EMPTY_KEY)]
        if len(q) == 0 or not self._ids:
            return set()
        if sum(len(p) for p in self._pending) > _PENDING_ROWS:
            self._merge()
        found: set[int] = set()
        lo = np.searchsorted(self._keys, q, side="left")
        hi = np.searchsorted(self._keys, q, side="right")
        for a, b in zip(lo.tolist(), hi.tolist(), strict=True):
            found.update(self._rows[a : min(b, a + self.max_bucket)].tolist())
        start = self._pending_from
        for block in self._pending:
            hits = np.flatnonzero(np.isin(block, q).any(axis=1))
            found.update((hits + start).tolist())
            start += len(block)
        return {self._ids[i] for i in found}

    def candidate_index_pairs(self) -> np.ndarray:
        """(m, 2) int64 array of row pairs (i < j, sorted, each once) that share a band key:
        all pairs within each bucket of up to ``max_bucket`` members, a star in larger ones."""
        self._merge()
        chunks: list[np.ndarray] = []
        starts, sizes = self._groups(2)
        normal = sizes <= self.max_bucket
        if normal.any():
            chunks.append(_pairs_within(self._rows, starts[normal], sizes[normal]))
        for start, size in zip(starts[~normal].tolist(), sizes[~normal].tolist(), strict=True):
            members = self._rows[start : start + size]  # sorted: members[0] is the first added
            chunks.append(np.stack([np.full(size - 1, members[0]), members[1:]], axis=1))
        if not chunks:
            return np.empty((0, 2), np.int64)
        pairs = np.concatenate(chunks)
        pairs = np.sort(pairs, axis=1)
        pairs = pairs[pairs[:, 0] != pairs[:, 1]]
        n = np.int64(max(len(self._ids), 1))
        code = np.unique(pairs[:, 0] * n + pairs[:, 1])
        return np.stack([code // n, code % n], axis=1)

    def candidate_pairs(self) -> set[tuple[str, str]]:
        """Candidate id pairs (a, b) with a < b, each once, over everything added."""
        pairs = self.candidate_index_pairs()
        # Vectorised id lookup and ordering: a Python call per pair costs 2-4x more here.
        ids = np.array(self._ids, dtype=object)
        rank = np.empty(len(ids), np.int64)
        rank[np.argsort(np.array(self._ids))] = np.arange(len(ids))
        i, j = pairs[:, 0], pairs[:, 1]
        swap = rank[i] > rank[j]
        first, second = np.where(swap, j, i), np.where(swap, i, j)
        return set(zip(ids[first].tolist(), ids[second].tolist(), strict=True))

    @staticmethod
    def verify(
        pairs: Iterable[tuple[str, str]], sigs_by_id: Mapping[str, np.ndarray], threshold: float
    ) -> dict[tuple[str, str], float]:
        """The module-level :func:`verify`, here for datasketch-style use."""
        return verify(pairs, sigs_by_id, threshold)


def _pairs_within(rows: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """All pairs of rows within each group rows[start : start + size], vectorised: element o
    of a group pairs with the size - 1 - o elements after it."""
    positions = np.repeat(starts, sizes) + _ranges(sizes)
    partners = np.repeat(sizes, sizes) - 1 - _ranges(sizes)
    left = np.repeat(positions, partners)
    right = left + 1 + _ranges(partners)
    return np.stack([rows[left], rows[right]], axis=1)


def _ranges(counts: np.ndarray) -> np.ndarray:
    """concatenate([arange(c) for c in counts]), vectorised."""
    total = int(counts.sum())
    ends = np.cumsum(counts)
    return np.arange(total) - np.repeat(ends - counts, counts)


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


# --- verification ------------------------------------------------------------------------------


def estimate_pairs(pairs: np.ndarray, sigs: np.ndarray, chunk: int = 1 << 16) -> np.ndarray:
    """Estimated Jaccard of each row pair (i, j) of ``pairs`` from ``sigs`` (rows as in the
    index); 0 where either signature is empty. Chunked, so millions of pairs stay small."""
    pairs = np.asarray(pairs, np.int64).reshape(-1, 2)
    out = np.empty(len(pairs), float)
    empty = (sigs == EMPTY_VALUE).all(axis=1)
    for lo in range(0, len(pairs), chunk):
        i, j = pairs[lo : lo + chunk, 0], pairs[lo : lo + chunk, 1]
        est = (sigs[i] == sigs[j]).mean(axis=1)
        est[empty[i] | empty[j]] = 0.0
        out[lo : lo + chunk] = est
    return out


def verify(
    pairs: Iterable[tuple[str, str]], sigs_by_id: Mapping[str, np.ndarray], threshold: float
) -> dict[tuple[str, str], float]:
    """Keep candidate pairs whose estimated Jaccard (share of equal signature values) is at
    least ``threshold``: {(a, b): estimate}, a < b. LSH candidates include pairs below the
    threshold (the S-curve is not a step) and miss some above it; this removes the first kind."""
    pairs = [_ordered(a, b) for a, b in pairs]
    if not pairs:
        return {}
    names = sorted({x for p in pairs for x in p})
    row = {name: i for i, name in enumerate(names)}
    sigs = np.stack([np.asarray(sigs_by_id[name]) for name in names])
    index_pairs = np.array([(row[a], row[b]) for a, b in pairs], np.int64)
    est = estimate_pairs(index_pairs, sigs)
    return {p: float(e) for p, e in zip(pairs, est.tolist(), strict=True) if e >= threshold}
