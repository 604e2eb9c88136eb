"""Candidate pairs of a corpus too large for one index or for one store lookup per article.

The store path (``link/reuse/steps.py``, the ``candidates`` step) finds an arriving article's
candidates with indexed lookups of its band keys: right for a stream, but a million articles
bulk-loaded at once would make a million small queries against a table of 57 million bucket
rows. Here the same band keys go through a partitioned group-by on disk instead:

1. :func:`signatures` and :func:`key_rows` (per batch of articles, any worker): the MinHash
   signatures and band keys of both kinds,
   exactly as the fingerprint step computes them (same signatures, same bands), as flat
   (key, row) arrays; word keys carry the top bit so the two kinds never share a bucket.
2. :func:`spill` (per batch): the rows hash-partitioned by key into ``partitions`` Parquet files
   under a folder, one file per (batch, partition). Nothing is kept in memory.
3. :func:`partition_pairs` (per partition, any worker, any order): the rows of one partition
   sorted by key, every pair of rows within a bucket; a bucket of more than ``max_bucket``
   members is boilerplate that many texts share and gives no pairs, as in the store path. Each
   pair carries how it was found (shingles win over words, as in the store path).
4. :func:`verified` (per chunk of pairs, inside the partition's task): the store path's rule,
   a words-found pair only when its estimated Jaccard says reuse, read from the signatures
   (kept on disk, memory-mapped); candidates found by chance band collisions go no further.
   This is what keeps the stage linear: chance candidates grow with the square of the corpus,
   the verified ones with the corpus.
5. :func:`components` (once, over the verified pairs): families of copies and rewrites by
   union-find, vectorised (pointer jumping over edge arrays).

Memory is bounded by the largest partition (16 bytes a band key), not by the corpus: at a
million articles and 64 partitions that is about 15 MB of keys a partition. Parquet keeps the
intermediates inspectable and lets Ray, Spark or DuckDB read them as they are.

Why not the store's SQL or a data-frame library's group-by: the pairs rule (all pairs within a
bucket of 2..max_bucket, none above) is a few vectorised numpy calls on sorted keys; pyarrow's
group-by would have to build per-bucket lists first, and SQL would pair rows by a self-join of
57 million rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from storyline.analyze import fingerprint
from storyline.link.reuse import lsh
from storyline.link.reuse.candidates import MAX_BUCKET, NUM_PERM, SHINGLE_THRESHOLD, WORDS_THRESHOLD, plausible

PARTITIONS = 64
WORDS_BIT = np.uint64(1 << 63)
# How a pair was found, as the store path names it (reuse_candidates.found_by).
FOUND_BY = ("shingles", "words")


def signatures(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(shingle, word) MinHash signatures, (n, NUM_PERM) uint32 each, as the fingerprint step."""
    return fingerprint.signatures(texts, num_perm=NUM_PERM)


def key_rows(rows: np.ndarray, shingles: np.ndarray, words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(keys uint64, rows int64): one entry per (article, band) of both MinHash kinds, empty
    signatures left out. ``rows`` numbers the articles (global article numbers)."""
    rows = np.asarray(rows, dtype=np.int64)
    if not len(rows) == len(shingles) == len(words):
        raise ValueError(f"{len(rows)} row numbers for {len(shingles)} and {len(words)} signatures")
    keys_out, rows_out = [], []
    for sigs, threshold, bit in ((shingles, SHINGLE_THRESHOLD, np.uint64(0)),
                                 (words, WORDS_THRESHOLD, WORDS_BIT)):
        keys = lsh.band_keys(sigs, *lsh.bands_for(threshold, NUM_PERM))
        flat = keys.ravel()
        keep = flat != np.uint64(lsh.EMPTY_KEY)
        keys_out.append(flat[keep] | bit)
        rows_out.append(np.repeat(rows, keys.shape[1])[keep])
    return np.concatenate(keys_out), np.concatenate(rows_out)


def verified(pairs: np.ndarray, kind: np.ndarray, shingles: np.ndarray, words: np.ndarray, *,
             chunk: int = 1 << 16) -> np.ndarray:
    """Which candidate pairs go on to be compared, by the store path's rule
    (``candidates.plausible``): a pair found by a shingle band always; one found only by a words
    band when its estimated Jaccard says reuse. ``shingles`` and ``words`` are indexed by row (a
    memory map is fine: only the rows of the words-found pairs are read)."""
    keep = kind == 0
    check = np.flatnonzero(~keep)
    for lo in range(0, len(check), chunk):
        at = check[lo : lo + chunk]
        a, b = pairs[at, 0], pairs[at, 1]
        keep[at] = plausible(np.asarray(shingles[a]), np.asarray(shingles[b]), np.asarray(words[a]),
                             np.asarray(words[b]))
    return keep


def partition_of(keys: np.ndarray, partitions: int) -> np.ndarray:
    # Keys are already mixed hashes: their low bits spread evenly over the partitions.
    return (keys % np.uint64(partitions)).astype(np.int64)


def spill(folder: Path, batch: str, keys: np.ndarray, rows: np.ndarray, partitions: int = PARTITIONS) -> int:
    """Write one batch's (key, row) entries as one Parquet file per partition
    (``folder/p00017/<batch>.parquet``); returns the bytes written. Rewriting a batch replaces
    its files, so a re-run batch never doubles its entries."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    written = 0
    part = partition_of(keys, partitions)
    order = np.argsort(part, kind="stable")
    keys, rows, part = keys[order], rows[order], part[order]
    bounds = np.searchsorted(part, np.arange(partitions + 1))
    for p in range(partitions):
        lo, hi = bounds[p], bounds[p + 1]
        path = folder / f"p{p:05d}" / f"{batch}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        pq.write_table(pa.table({"key": keys[lo:hi], "row": rows[lo:hi]}), tmp, compression="zstd")
        tmp.replace(path)  # whole or absent: a killed run never leaves half a file
        written += path.stat().st_size
    return written


def partition_files(folder: Path, partition: int) -> list[Path]:
    return sorted((folder / f"p{partition:05d}").glob("*.parquet"))


def partition_pairs(paths: Sequence[Path], max_bucket: int = MAX_BUCKET) -> tuple[np.ndarray, np.ndarray]:
    """(pairs (m, 2) int64 with first < second, found_by (m,) int8 index into FOUND_BY) of one
    partition's files, each pair once."""
    pairs, kind = _bucket_pairs(paths, max_bucket)
    return unique_pairs(pairs, kind)


def partition_pair_counts(paths: Sequence[Path], max_bucket: int = MAX_BUCKET) -> tuple[np.ndarray, np.ndarray]:
    """(pairs (m, 2) int64 with first < second, each once; (m,) int64 how many of the
    partition's buckets each pair shares): the votes of the "vector" bands."""
    pairs, _ = _bucket_pairs(paths, max_bucket)
    if len(pairs) == 0:
        return pairs, np.empty(0, np.int64)
    code = pair_codes(pairs)
    code, counts = np.unique(code, return_counts=True)
    return code_pairs(code), counts.astype(np.int64)


def _bucket_pairs(paths: Sequence[Path], max_bucket: int) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of rows sharing a bucket of 2..max_bucket members (first < second), once per
    bucket, with its found_by index."""
    import pyarrow.parquet as pq

    if not paths:
        return np.empty((0, 2), np.int64), np.empty(0, np.int8)
    tables = [pq.read_table(p) for p in paths]
    keys = np.concatenate([t.column("key").to_numpy() for t in tables]).astype(np.uint64)
    rows = np.concatenate([t.column("row").to_numpy() for t in tables]).astype(np.int64)
    del tables
    order = np.argsort(keys, kind="stable")
    keys, rows = keys[order], rows[order]
    n = len(keys)
    if n < 2:
        return np.empty((0, 2), np.int64), np.empty(0, np.int8)
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
    sizes = np.diff(np.append(starts, n))
    # A bucket of more than max_bucket members is boilerplate, not reuse (store.bucket_mates).
    keep = (sizes >= 2) & (sizes <= max_bucket)
    starts, sizes = starts[keep], sizes[keep]
    if len(starts) == 0:
        return np.empty((0, 2), np.int64), np.empty(0, np.int8)
    pairs = lsh._pairs_within(rows, starts, sizes)
    kind = (keys[np.repeat(starts, sizes * (sizes - 1) // 2)] >= WORDS_BIT).astype(np.int8)
    pairs = np.sort(pairs, axis=1)
    same = pairs[:, 0] == pairs[:, 1]
    return pairs[~same], kind[~same]


def partition_verified(paths: Sequence[Path], shingles: np.ndarray, words: np.ndarray,
                       max_bucket: int = MAX_BUCKET) -> tuple[np.ndarray, np.ndarray, int]:
    """:func:`partition_pairs` then :func:`verified`, in one task: only the verified pairs
    leave the partition (with how they were found), and the number of candidates before
    verification. Chance candidates grow with the square of the corpus; this keeps them
    inside the partition that found them."""
    pairs, kind = partition_pairs(paths, max_bucket)
    keep = verified(pairs, kind, shingles, words)
    return pairs[keep], kind[keep], len(pairs)


def pair_codes(pairs: np.ndarray) -> np.ndarray:
    """One uint64 per (m, 2) pair of rows (each below 2**32): first in the high half."""
    return (pairs[:, 0].astype(np.uint64) << np.uint64(32)) | pairs[:, 1].astype(np.uint64)


def code_pairs(code: np.ndarray) -> np.ndarray:
    """The (m, 2) int64 pairs of :func:`pair_codes`."""
    return np.stack([(code >> np.uint64(32)).astype(np.int64), (code & np.uint64(0xFFFFFFFF)).astype(np.int64)], axis=1)


def unique_pairs(pairs: np.ndarray, kind: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each pair once, with the lowest found_by index (shingles before words)."""
    if len(pairs) == 0:
        return np.empty((0, 2), np.int64), np.empty(0, np.int8)
    code = pair_codes(pairs)
    order = np.lexsort((kind, code))
    code, kind = code[order], kind[order]
    first = np.concatenate([[True], code[1:] != code[:-1]])
    code, kind = code[first], kind[first]
    return code_pairs(code), kind


def components(n: int, pairs: np.ndarray) -> np.ndarray:
    """The component label (its smallest row) of each of n rows joined by pairs: min-label
    propagation over the edges with pointer jumping, until nothing changes (O(edges) a round,
    a few rounds for the small families reuse makes)."""
    labels = np.arange(n, dtype=np.int64)
    if len(pairs) == 0:
        return labels
    a, b = pairs[:, 0], pairs[:, 1]
    while True:
        low = np.minimum(labels[a], labels[b])
        before = labels.copy()
        np.minimum.at(labels, a, low)
        np.minimum.at(labels, b, low)
        while True:  # pointer jumping: every row points at its root
            jumped = labels[labels]
            if np.array_equal(jumped, labels):
                break
            labels = jumped
        if np.array_equal(labels, before):
            return labels
