"""Candidate pairs for reuse, incrementally: MinHash LSH buckets and article-vector neighbours.

Three ways two articles become candidates, each cheap at corpus scale:
- word 5-shingle MinHash in LSH buckets (near-verbatim copies, syndication);
- content-word-set MinHash in LSH buckets (rewrites that keep names, numbers and rare words:
  the seed rewrite shares 0.43 of its content words with its source and 0.05 of its shingles,
  while independent reports of the same story share 0.15-0.21);
- nearest neighbours of the article vector (rewrites that change the vocabulary too), found
  through random-hyperplane (SimHash) LSH buckets of kind "vector" and kept when the exact
  cosine of the two stored vectors is at least SEMANTIC_MIN.
A new article is fingerprinted once; its candidates come from indexed bucket lookups, so the
corpus is never recomputed nor read whole.

Why SimHash buckets in the store for the vector neighbours, and not a faiss/usearch index: an
index file beside a SQLite file is not written in the store's transaction (a kill -9 between
the two leaves them disagreeing, so it must be rebuilt from every vector after a crash), and
PostgreSQL clients on other machines would not share it. Buckets in ``lsh_buckets`` are written
with the fingerprint in one transaction, looked up by the same index as the MinHash buckets on
both backends, and need nothing rebuilt. The cost is recall below the threshold, which the
parameters bound: VECTOR_BANDS bands of VECTOR_ROWS sign bits each, and a mate must share
VECTOR_VOTES bands. Two unit vectors at cosine c agree on one random hyperplane's sign with
probability p = 1 - arccos(c)/pi, so they share one band with probability q = p**rows and at
least two of the bands with 1 - (1-q)**bands - bands*q*(1-q)**(bands-1). 12 bits x 55 bands,
two votes: 0.975 at c = 0.85 (SEMANTIC_MIN), 0.87 at 0.8, 0.07 at 0.5, 0.001 at 0.16 (the median
cosine of two real news articles' vectors: ECB+ 0.16, UCI headlines 0.07). Why the vote: with
one band of 35 (the design before), 0.97 at 0.85 but 0.24 at 0.5 and 0.03 at 0.16, so a new
article's mates grew with the corpus (3% of it for real news, 12% for benchmarks/corpus_synth's
bags of sentences, whose vectors sit at cosine 0.67), each one a row fetched and a vector
decoded: the candidates step went from 3 to 15 ms an article between 1k and 10k articles. The
vote is counted in the database (store.bucket_mates), so only the voted mates leave it. 8 x 15
also reaches 0.97 but has only 256 buckets a band (hot buckets past MAX_BUCKET are skipped); 16
bits need ~80 bands for 0.97. The hyperplanes are drawn from a fixed seed, so every process and
every client computes the same keys (the first 35 bands are those of the design before).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from storyline.analyze import fingerprint
from storyline.analyze.embed import DIM, embed, mean_vector
from storyline.analyze.sentences import sentence_spans
from storyline.link.reuse import lsh
from storyline.records import Article, Fingerprint
from storyline.store.records import Bucket, SentenceVectors

# 2: article vectors come from the stored sentence vectors and have "vector" buckets.
# 3: 55 vector bands (was 35), a vector mate shares two of them.
FINGERPRINT_VERSION = "3"
NUM_PERM = fingerprint.NUM_PERM
# LSH thresholds (estimated Jaccard). Shingles: near-verbatim reuse; 0.3 also catches copies
# that cut half the source. Words: 0.4, as measured in benchmarks/dedup_speed.py (0.83 of planted
# rewrites found; 0.3 finds 0.98 but gives ten times the candidates); the seed rewrite has 0.43.
SHINGLE_THRESHOLD = 0.3
WORDS_THRESHOLD = 0.4
# A mate found only by a words band is kept when its estimated Jaccard reaches this on content
# words (or SHINGLE_THRESHOLD on shingles). The words bands (32 x 4) let in pairs well below 0.4
# by chance, and those chance pairs grow with the square of the corpus: at a million
# synthetic articles 117 candidates an article before this check, 0.23 after
# (benchmarks/scale_link.py), every one a sentence-by-sentence comparison. Planted rewrites sit
# at ~0.49 (median; 5th percentile ~0.39), unrelated articles at ~0.05 (99.9th percentile ~0.1).
# Mates sharing a shingle band are kept as they are: they share text, if only a paragraph.
VERIFY_WORDS = 0.3
# Article-vector neighbours: the seed rewrite's vectors have cosine 0.97; independent reports of
# the same story 0.80-0.90. Candidates are cheap to reject (alignment), so the bar is low.
SEMANTIC_MIN = 0.85
NEIGHBOURS = 10
EXACT_LIMIT = 20_000
# Buckets this full hold boilerplate shared by a whole site, not reuse.
MAX_BUCKET = 200
# The article vector averages the first sentences: the lead carries the story, and it bounds
# the embedding cost of very long bodies.
VECTOR_SENTENCES = 40
# SimHash LSH of the article vector (see the module docstring for the choice).
VECTOR_ROWS = 12
VECTOR_BANDS = 55
VECTOR_VOTES = 2
VECTOR_SEED = 20240611


@dataclass(frozen=True, slots=True)
class Encoded:
    fingerprint: Fingerprint
    shingles: bytes
    words: bytes
    vector: bytes | None
    buckets: tuple[Bucket, ...]


def fingerprint_articles(articles: Sequence[Article], *, vectors: bool = True,
                         sentence_vectors: dict[str, SentenceVectors] | None = None) -> list[Encoded]:
    """Signatures, LSH buckets and (optionally) the article vector of each article, from its
    stored sentence vectors when given (so no sentence is embedded twice)."""
    texts = [a.body for a in articles]
    stored = sentence_vectors or {}
    sh, wd = fingerprint.signatures(texts, num_perm=NUM_PERM)
    out = []
    keys = {kind: lsh.band_keys(sigs, *_bands(kind)) for kind, sigs in (("shingles", sh), ("words", wd))}
    for k, a in enumerate(articles):
        vec = None
        if vectors:
            vec = (mean_vector(stored[a.id].matrix[:VECTOR_SENTENCES]) if a.id in stored
                   else article_vector(a.body))
        # An empty signature (no shingle, no content word) matches nothing: no buckets for it.
        buckets = tuple(
            Bucket(a.id, kind, band, int(bucket))
            for kind, sigs in (("shingles", sh), ("words", wd))
            if not fingerprint.is_empty(sigs[k])
            for band, bucket in enumerate(keys[kind][k])
        ) + vector_buckets(a.id, vec)
        fp = Fingerprint(a.id, tuple(int(x) for x in sh[k]), tuple(int(x) for x in wd[k]),
                         tuple(float(x) for x in vec) if vec is not None else ())
        out.append(Encoded(fp, _u32(sh[k]), _u32(wd[k]), vec.astype("<f4").tobytes() if vec is not None else None, buckets))
    return out


def plausible(shingles_a: np.ndarray, shingles_b: np.ndarray, words_a: np.ndarray,
              words_b: np.ndarray) -> np.ndarray:
    """Which rows (pairs of (n, NUM_PERM) signatures) look like reuse by estimated Jaccard:
    shingles at least SHINGLE_THRESHOLD or content words at least VERIFY_WORDS (an empty
    signature estimates 0)."""
    keep = np.zeros(len(shingles_a), bool)
    for a, b, threshold in ((shingles_a, shingles_b, SHINGLE_THRESHOLD), (words_a, words_b, VERIFY_WORDS)):
        a, b = np.atleast_2d(a), np.atleast_2d(b)
        est = (a == b).mean(axis=1)
        est[(a == lsh.EMPTY_VALUE).all(axis=1) | (b == lsh.EMPTY_VALUE).all(axis=1)] = 0.0
        keep |= est >= threshold
    return keep


def decode_signature(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4")


def vector_buckets(article_id: str, vec: np.ndarray | None) -> tuple[Bucket, ...]:
    """The "vector" buckets of an article vector (none for a missing or zero vector)."""
    if vec is None or not np.any(vec):
        return ()
    keys = vector_keys(np.asarray(vec)[None, :])[0]
    return tuple(Bucket(article_id, "vector", band, int(key)) for band, key in enumerate(keys))


def vector_keys(vectors: np.ndarray) -> np.ndarray:
    """(n, VECTOR_BANDS) int64 bucket keys (0..2**VECTOR_ROWS - 1) of (n, DIM) article vectors,
    band by band: the "vector" buckets' ``bucket`` column (a zero vector gets keys too; callers
    leave it out, as :func:`vector_buckets` does)."""
    planes = _hyperplanes()
    # One matrix-vector product a row, not one matrix product: a sign near zero must come out
    # as it did when the fingerprint step stored the article's buckets (same BLAS call).
    bits = np.stack([planes @ v for v in np.atleast_2d(np.asarray(vectors, dtype=np.float64))]) > 0 \
        if len(vectors) else np.zeros((0, len(planes)), bool)
    weights = 1 << np.arange(VECTOR_ROWS, dtype=np.int64)
    return bits.reshape(len(bits), VECTOR_BANDS, VECTOR_ROWS).astype(np.int64) @ weights


@functools.lru_cache(maxsize=1)
def _hyperplanes() -> np.ndarray:
    # A constant of the algorithm, computed once per process (not state: same seed, same value).
    rng = np.random.default_rng(VECTOR_SEED)
    return rng.standard_normal((VECTOR_BANDS * VECTOR_ROWS, DIM))


def _bands(kind: str) -> tuple[int, int]:
    return lsh.bands_for(SHINGLE_THRESHOLD if kind == "shingles" else WORDS_THRESHOLD, NUM_PERM)


def _u32(sig: np.ndarray) -> bytes:
    return np.asarray(sig, dtype="<u4").tobytes()


def article_vector(body: str) -> np.ndarray | None:
    """The article vector: the unit mean of the first VECTOR_SENTENCES sentence embeddings."""
    spans = sentence_spans(body)[:VECTOR_SENTENCES]
    if not spans:
        return None
    return mean_vector(embed([body[a:b] for a, b in spans]))


def decode_vector(blob: bytes | None) -> np.ndarray | None:
    return np.frombuffer(blob, dtype="<f4") if blob else None


class VectorIndex:
    """Nearest article vectors: exact below EXACT_LIMIT, faiss HNSW above."""

    def __init__(self, ids: Sequence[str], vectors: np.ndarray):
        self.ids = list(ids)
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, DIM)
        self._hnsw = None
        if len(self.ids) > EXACT_LIMIT:
            import faiss

            index = faiss.IndexHNSWFlat(DIM, 32, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efSearch = 64
            index.add(self.vectors)
            self._hnsw = index

    def neighbours(self, queries: np.ndarray, k: int = NEIGHBOURS, floor: float = SEMANTIC_MIN) -> list[list[tuple[str, float]]]:
        q = np.ascontiguousarray(queries, dtype=np.float32).reshape(-1, DIM)
        if not len(self.ids) or not len(q):
            return [[] for _ in range(len(q))]
        k = min(k + 1, len(self.ids))
        if self._hnsw is not None:
            sims, idx = self._hnsw.search(q, k)
        else:
            all_sims = q @ self.vectors.T
            idx = np.argsort(-all_sims, axis=1)[:, :k]
            sims = np.take_along_axis(all_sims, idx, axis=1)
        return [[(self.ids[j], float(s)) for s, j in zip(row_s, row_i) if j >= 0 and s >= floor]
                for row_s, row_i in zip(sims, idx)]
