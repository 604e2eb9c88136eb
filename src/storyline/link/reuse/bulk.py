"""The candidates step for a bulk load: every due article's candidate pairs found at once by the
sharded stage (link/reuse/sharded.py), not by one store lookup per article.

The per-article path (``steps.candidates_run``) makes one self-join of ``lsh_buckets`` and, for
mates found by a words band or an article vector, one read of their fingerprints, per article:
right for a stream, but a bulk load of a hundred thousand articles makes a hundred thousand
small queries. Here (the run layer decides when, by the number of due articles):

1. :func:`prepare` (the driver): the due articles' signatures and vectors, decoded from their
   stored fingerprints and kept in memory-mapped ``.npy`` files, and their band keys (recomputed
   exactly as the fingerprint step computed the stored buckets), spilled to hash-partitioned
   Parquet under ``folder``; then the articles already in the store that may share a bucket
   with them, with their stored bucket rows and fingerprints, spilled beside them, read from the
   smaller side (:func:`_neighbours`): every row of the articles not due
   (``Store.settled_buckets``) when the store holds no more of them than are due, else the rows
   of the buckets the due articles touch (``Store.bucket_neighbours``, a join per 500 due
   articles). Why read the stored side rather than look the cross pairs up article by article:
   the per-article lookup of the due articles is exactly the cost this path removes, and the
   stored rows are also what makes a bucket count its full size (a bucket past MAX_BUCKET is
   boilerplate however its members arrived). benchmarks/scale_link.py ``--pipeline`` measures
   both sides against the per-article path (docs/scale.md).
2. :func:`partition_task` (per partition, any worker, any order): MinHash pairs within buckets
   of 2..MAX_BUCKET members, words-only ones verified as the per-article path verifies them
   (``candidates.plausible``); vector pairs within the "vector" buckets, kept at exact cosine
   >= SEMANTIC_MIN, with how many of the partition's buckets they share (their votes). Only
   pairs with a due article leave the partition.
3. :func:`finish` (the driver): each pair once (a shingle band wins over a words band, MinHash
   over a vector); a vector pair kept when its votes over every partition reach VECTOR_VOTES
   (its bands' keys hash to different partitions) and it is among the NEIGHBOURS most similar of one of
   its due articles (sim, then id, as the per-article path sorts); then the pairs written with
   ``put_candidates`` and the articles marked done, WRITE_BATCH articles a transaction, so a
   killed run keeps what it wrote and the next finds the rest due. A pair between a written
   article and a later one is found again then and skipped by the pair table's primary key.

The pairs and how each was found are those of the per-article path over the same store
(tests/link/test_bulk_candidates.py), with one difference in an order-dependent corner: an
article looked up before a near-identical one arrived keeps its earlier ten nearest vectors.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from storyline.analyze.embed import DIM
from storyline.link.reuse import lsh, sharded
from storyline.link.reuse.candidates import (
    FINGERPRINT_VERSION, MAX_BUCKET, NEIGHBOURS, NUM_PERM, SEMANTIC_MIN, VECTOR_BANDS, VECTOR_ROWS, VECTOR_VOTES,
    decode_signature, decode_vector, vector_keys,
)
from storyline.records import Problem
from storyline.store import Store
from storyline.store.records import Bucket, CandidatePair

# Due articles read, keyed and spilled at a time (their keys: ~90 x 16 bytes an article).
READ_BATCH = 20_000
# Due articles whose pairs and done marks are written in one transaction.
WRITE_BATCH = 2_000
# Articles a partition holds keys of (~90 keys, 16 bytes each: 30 MB at 20,000); at least
# MIN_PARTITIONS, so that several workers share the grouping, at most sharded.PARTITIONS.
ARTICLES_PER_PARTITION = 20_000
MIN_PARTITIONS = 4
# A cosine computed in one vectorised pass is within this of the per-article path's own dot
# product; pairs this close to SEMANTIC_MIN are decided by that dot product itself.
COSINE_SLACK = 1e-4
# How a pair was found, as stored (steps.FOUND_BY).
HOW = ("shingles", "words", "vector")

Mapper = Callable[[Callable, Sequence[tuple]], Iterable]


@dataclass(frozen=True, slots=True)
class Plan:
    """What :func:`prepare` left on disk: rows 0..due-1 are the due articles, the rest their
    stored neighbours (``ids[row]``)."""

    folder: Path
    ids: list[str]
    due: int
    partitions: int
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class Found:
    """One partition's pairs (rows, first < second): MinHash ones with how (index into HOW),
    vector ones with their cosine and how many of the partition's buckets they share."""

    minhash: np.ndarray
    kind: np.ndarray
    vector: np.ndarray
    cosine: np.ndarray
    votes: np.ndarray


def run(store: Store, ids: Sequence[str], folder: Path, version: str, mapper: Mapper | None = None,
        progress: Callable[[int, int], None] | None = None) -> tuple[int, dict[str, int], list[Problem]]:
    """Find and store the candidates of ``ids`` (due articles) with the sharded stage;
    ``mapper(fn, args)`` runs :func:`partition_task` over the partitions (in this process by
    default). Returns (articles done, pairs by how found, problems). The work folder is removed
    afterwards."""
    mapper = mapper or (lambda fn, args: [fn(*a) for a in args])
    plan = prepare(store, ids, folder, version)
    try:
        found = list(mapper(partition_task, [(str(plan.folder), p, plan.due) for p in range(plan.partitions)]))
        return finish(store, plan, found, version, progress)
    finally:
        shutil.rmtree(plan.folder, ignore_errors=True)


def prepare(store: Store, ids: Sequence[str], folder: Path, version: str) -> Plan:
    """Steps 1 and 2 of the module docstring: the arrays and the spill under ``folder``
    (emptied first), and which row is which article."""
    ids = list(dict.fromkeys(ids))
    shutil.rmtree(folder, ignore_errors=True)  # a killed run's spill is stale: start afresh
    folder.mkdir(parents=True)
    neighbours = _neighbours(store, ids, version)
    wanted = set(ids)
    others = sorted({b.article_id for b in neighbours})
    every = ids + others
    partitions = int(min(sharded.PARTITIONS, max(MIN_PARTITIONS, -(-len(every) // ARTICLES_PER_PARTITION))))
    arrays = {name: np.lib.format.open_memmap(folder / f"{name}.npy", mode="w+", dtype=dtype, shape=(len(every), width))
              for name, dtype, width in (("shingles", np.uint32, NUM_PERM), ("words", np.uint32, NUM_PERM),
                                         ("vectors", np.float32, DIM))}
    problems: list[Problem] = []
    bad: set[int] = set()
    for lo in range(0, len(every), READ_BATCH):
        bad |= _read(store, every[lo : lo + READ_BATCH], lo, arrays, problems)
    for lo in range(0, len(ids), READ_BATCH):
        rows = np.array([r for r in range(lo, min(lo + READ_BATCH, len(ids))) if r not in bad], np.int64)
        keys, key_rows = sharded.key_rows(rows, arrays["shingles"][rows], arrays["words"][rows])
        sharded.spill(folder / "minhash", f"due{lo:09d}", keys, key_rows, partitions)
        vectors = np.asarray(arrays["vectors"][rows])
        has = np.any(vectors != 0, axis=1)  # a zero vector has no buckets (vector_buckets)
        vkeys = _vector_key(np.arange(VECTOR_BANDS), vector_keys(vectors[has]))
        sharded.spill(folder / "vector", f"due{lo:09d}", vkeys.ravel().astype(np.uint64),
                      np.repeat(rows[has], VECTOR_BANDS), partitions)
    _spill_neighbours(folder, neighbours, {aid: len(ids) + k for k, aid in enumerate(others)}, partitions)
    for array in arrays.values():
        array.flush()
    # A stored neighbour whose fingerprint does not decode is not this run's failure: it only
    # matches nothing by words (its signatures read as empty).
    return Plan(folder, every, len(ids), partitions, tuple(p for p in problems if p.source in wanted))


def _neighbours(store: Store, ids: list[str], version: str) -> set[Bucket]:
    """The bucket rows of the stored articles not among ``ids`` that may share a bucket with
    them, from the smaller side: when the store holds no more other articles than ``ids``
    (a load into a new or small store), every row of the articles not due (rows in buckets no
    due article touches make no pair: a pair needs a due article); else the rows of the
    buckets ``ids`` touch, by an indexed join (bucket_neighbours)."""
    wanted = set(ids)
    if store.count() - len(ids) <= len(ids):
        return {b for b in store.settled_buckets(version, FINGERPRINT_VERSION) if b.article_id not in wanted}
    found: set[Bucket] = set()
    for lo in range(0, len(ids), READ_BATCH):
        found.update(b for b in store.bucket_neighbours(ids[lo : lo + READ_BATCH], MAX_BUCKET)
                     if b.article_id not in wanted)
    return found


def _read(store: Store, chunk: Sequence[str], first: int, arrays: dict[str, np.ndarray],
          problems: list[Problem]) -> set[int]:
    """Decode the stored fingerprints of ``chunk`` (rows from ``first``) into the arrays; rows
    whose fingerprint is missing or does not decode are returned (their keys are not spilled)."""
    blobs = {b.article_id: b for b in store.fingerprint_blobs(chunk)}
    bad: set[int] = set()
    for k, aid in enumerate(chunk):
        row, blob = first + k, blobs.get(aid)
        try:
            if blob is None:
                raise ValueError("no stored fingerprint")
            arrays["shingles"][row] = decode_signature(blob.shingles)
            arrays["words"][row] = decode_signature(blob.words)
            vector = decode_vector(blob.vector)
            arrays["vectors"][row] = vector if vector is not None else 0.0
        except ValueError as exc:  # a short or missing blob: this article only
            arrays["shingles"][row] = arrays["words"][row] = lsh.EMPTY_VALUE
            arrays["vectors"][row] = 0.0
            problems.append(Problem(aid, f"finding candidates failed: its fingerprint: {exc}"))
            bad.add(row)
    return bad


def _vector_key(bands: np.ndarray, keys: np.ndarray) -> np.ndarray:
    # One key space for all bands of the "vector" kind (a bucket is (band, key) in the store).
    return (np.asarray(bands, np.int64) << VECTOR_ROWS) | np.asarray(keys, np.int64)


def _spill_neighbours(folder: Path, rows: Iterable[Bucket], row_of: dict[str, int], partitions: int) -> None:
    """The stored neighbours' bucket rows, as the store holds them, in the key spaces of
    sharded.key_rows (words with the top bit) and :func:`_vector_key`."""
    by_kind: dict[str, tuple[list[int], list[int]]] = {"minhash": ([], []), "vector": ([], [])}
    for b in rows:
        if b.kind == "vector":
            keys, at = by_kind["vector"]
            keys.append((b.band << VECTOR_ROWS) | b.bucket)  # as _vector_key
        else:
            keys, at = by_kind["minhash"]
            keys.append(b.bucket | (int(sharded.WORDS_BIT) if b.kind == "words" else 0))
        at.append(row_of[b.article_id])
    for space, (keys, at) in by_kind.items():
        sharded.spill(folder / space, "stored", np.array(keys, np.uint64), np.array(at, np.int64), partitions)


def partition_task(folder: str, partition: int, due: int) -> Found:
    """One partition's candidate pairs that involve a due article (rows below ``due``)."""
    root = Path(folder)
    shingles = np.load(root / "shingles.npy", mmap_mode="r")
    words = np.load(root / "words.npy", mmap_mode="r")
    pairs, kind = sharded.partition_pairs(sharded.partition_files(root / "minhash", partition), MAX_BUCKET)
    mine = pairs[:, 0] < due  # rows are sorted within a pair, due rows first
    pairs, kind = pairs[mine], kind[mine]
    keep = sharded.verified(pairs, kind, shingles, words)
    near, votes = sharded.partition_pair_counts(sharded.partition_files(root / "vector", partition), MAX_BUCKET)
    mine = near[:, 0] < due
    near, votes = near[mine], votes[mine]
    cosine = _cosines(near, np.load(root / "vectors.npy", mmap_mode="r"))
    close = cosine >= SEMANTIC_MIN
    return Found(pairs[keep], kind[keep], near[close], cosine[close], votes[close])


def _cosines(pairs: np.ndarray, vectors: np.ndarray, chunk: int = 1 << 16) -> np.ndarray:
    """The per-article path's ``float(vector @ other)`` of each pair: vectorised, and for the
    pairs within COSINE_SLACK of the bar or above it, that very dot product (the ranking of
    the nearest and the bar then decide as there)."""
    out = np.zeros(len(pairs), np.float64)
    for lo in range(0, len(pairs), chunk):
        a, b = pairs[lo : lo + chunk, 0], pairs[lo : lo + chunk, 1]
        out[lo : lo + chunk] = np.einsum("ij,ij->i", np.asarray(vectors[a]), np.asarray(vectors[b]))
    for at in np.flatnonzero(out >= SEMANTIC_MIN - COSINE_SLACK).tolist():
        a, b = pairs[at]
        out[at] = float(np.asarray(vectors[a]) @ np.asarray(vectors[b]))
    return out


def finish(store: Store, plan: Plan, found: Sequence[Found], version: str,
           progress: Callable[[int, int], None] | None = None) -> tuple[int, dict[str, int], list[Problem]]:
    """Merge the partitions' pairs and store them with the done marks (see the module docstring)."""
    pairs, kind = sharded.unique_pairs(np.concatenate([f.minhash for f in found]),
                                       np.concatenate([f.kind for f in found]))
    near, cosine = _voted(np.concatenate([f.vector for f in found]), np.concatenate([f.cosine for f in found]),
                          np.concatenate([f.votes for f in found]))
    near = _nearest(near, cosine, plan.due, plan.ids)
    if len(near):
        # A pair found by a MinHash band keeps that way: unique_pairs keeps the lowest kind.
        pairs, kind = sharded.unique_pairs(np.concatenate([pairs, near]),
                                           np.concatenate([kind, np.full(len(near), 2, np.int8)]))
    order = np.argsort(pairs[:, 0], kind="stable")
    pairs, kind = pairs[order], kind[order]
    failed = {p.source for p in plan.problems}
    counts: dict[str, int] = {}
    done = 0
    bounds = np.searchsorted(pairs[:, 0], np.arange(0, plan.due + WRITE_BATCH, WRITE_BATCH))
    for n, lo in enumerate(range(0, plan.due, WRITE_BATCH)):
        at = slice(bounds[n], bounds[n + 1])
        rows = [CandidatePair(*sorted((plan.ids[a], plan.ids[b])), HOW[k])
                for (a, b), k in zip(pairs[at].tolist(), kind[at].tolist(), strict=True)]
        marked = [aid for aid in plan.ids[lo : min(lo + WRITE_BATCH, plan.due)] if aid not in failed]
        store.put_candidates(rows, marked, version)
        done += len(marked)
        for row in rows:
            counts[row.found_by] = counts.get(row.found_by, 0) + 1
        if progress:
            progress(min(lo + WRITE_BATCH, plan.due), plan.due)
    return done, counts, list(plan.problems)


def _voted(pairs: np.ndarray, cosine: np.ndarray, votes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The vector pairs whose votes summed over the partitions reach VECTOR_VOTES, each once."""
    if len(pairs) == 0:
        return np.empty((0, 2), np.int64), np.empty(0, np.float64)
    code = sharded.pair_codes(pairs)
    code, first, inverse = np.unique(code, return_index=True, return_inverse=True)
    total = np.bincount(inverse.ravel(), weights=votes, minlength=len(code))
    keep = first[total >= VECTOR_VOTES]
    return pairs[keep], cosine[keep]


def _nearest(pairs: np.ndarray, cosine: np.ndarray, due: int, ids: Sequence[str]) -> np.ndarray:
    """The vector pairs among the NEIGHBOURS most similar of one of their due articles, each
    once. The per-article path ranks an article's mates by (cosine, id), highest first."""
    if len(pairs) == 0:
        return np.empty((0, 2), np.int64)
    code = pairs[:, 0] * np.int64(len(ids)) + pairs[:, 1]
    code, first = np.unique(code, return_index=True)
    pairs, cosine = pairs[first], cosine[first]
    rank = np.empty(len(ids), np.int64)
    rank[np.argsort(np.array(ids, dtype=object), kind="stable")] = np.arange(len(ids))
    # Both directions: (article, mate, cosine, pair index), for the due article only.
    me = np.concatenate([pairs[:, 0], pairs[:, 1]])
    mate = np.concatenate([pairs[:, 1], pairs[:, 0]])
    index = np.concatenate([np.arange(len(pairs))] * 2)
    sims = np.concatenate([cosine, cosine])
    due_side = me < due
    me, mate, index, sims = me[due_side], mate[due_side], index[due_side], sims[due_side]
    order = np.lexsort((-rank[mate], -sims, me))
    me, index = me[order], index[order]
    starts = np.flatnonzero(np.concatenate([[True], me[1:] != me[:-1]]))
    place = np.arange(len(me)) - np.repeat(starts, np.diff(np.append(starts, len(me))))
    return pairs[np.unique(index[place < NEIGHBOURS])]
