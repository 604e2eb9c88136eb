"""The reuse stage as four resumable steps over batches of keys (Step objects are built in
run/reuse_steps.py, which runs them; this layer cannot import run/):

- embed (per article): the vectors of the article's lead sentences, stored once
  (``sentence_vectors``; the other sentences are embedded when a pair or a story needs them,
  see link/reuse/vectors.py), so no sentence is embedded twice, whatever the number of pairs;
- fingerprint (per article): MinHash signatures, the article vector (mean of the stored lead
  sentence vectors) and the LSH buckets of all three kinds (``fingerprints``, ``lsh_buckets``);
- candidates (per article): the bucket mates of a fingerprinted article, vector mates checked
  by exact cosine, stored as pairs with how they were found (``reuse_candidates``) in the same
  transaction that marks the article done (``candidates_done``);
- compare (per pair): stored candidate pairs not compared by :func:`reuse_version` (REUSE_VERSION,
  marked when the rewrite cross-encoder is switched off) (``reuse_pairs``).

Each ``*_due(store)`` asks the store what is missing; each ``*_run(store, keys)`` reads only
what its batch needs and writes in one transaction. A kill at any point leaves whole batches
behind, and the next run finds exactly what is still due. A key that fails is an
:class:`Outcome` problem with the reason; the rest of its batch is written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from storyline.link.reuse import rewrite_switch
from storyline.link.reuse.candidates import (
    FINGERPRINT_VERSION,
    MAX_BUCKET,
    NEIGHBOURS,
    SEMANTIC_MIN,
    VECTOR_VOTES,
    decode_signature,
    decode_vector,
    fingerprint_articles,
    plausible,
)
from storyline.link.reuse.vectors import (
    EMBED_VERSION, embed_spans, lead_spans, matrix_of, sentence_matrices, span_vectors,
)
from storyline.records import Article, Problem, ReusePair
from storyline.store import Store
from storyline.store.records import CandidatePair, ComparedPair, FingerprintBlob, FingerprintRow, SentenceVectors

# Bump when the comparison's output changes (alignment, kinds, direction, changes): stored
# pairs of older versions are compared again.
REUSE_VERSION = "8"  # 2: changes carry kind and severity; splits, merges, moves aligned; 3: the rewrite cross-encoder re-scores sentence pairs; 4: spelling slips are wording, first names tell people apart; 5: the cross-encoder retrained (rank 16, MRPC plus 1,000 PAN pairs); verbatim sentences skip it; numbers and dates added; a year-shaped amount, "3m" for "3 metres", "this Thursday", a negated hedge, acronyms and place adjectives are no change; 6: an attribution counts as kept only when a quote nearby has the same speaker (or one only referred to), not anyone's; 7: a quote whose sentence went unaligned and whose words a nearby sentence restates is quote_to_paraphrase, not claim_dropped; 8: too little text to tell: copying needs 16 copied words (or the same text), restating two sentences of 16 words a side, and the cross-encoder skips a side with less
# Appended to REUSE_VERSION when the cross-encoder is switched off (STORYLINE_REWRITE_MODEL=off):
# its pairs are decided differently, so switching either way compares the stored pairs again.
FEATURES_ONLY = "-features"
# Bump when the way candidates are found changes: every article is looked up again.
CANDIDATES_VERSION = "1"
EMBED_BATCH = 50
FINGERPRINT_BATCH = 100
CANDIDATES_BATCH = 100
# From this many due articles on, the candidates step finds their pairs in one sharded pass
# (link/reuse/bulk.py: band keys grouped in Parquet partitions) instead of one store lookup per
# article: benchmarks/scale_link.py --pipeline measures the two on the same bulk load. Below it
# the per-article lookups are cheap and start at once. STORYLINE_BULK_CANDIDATES overrides it
# (run/reuse_steps.py; 0 turns the sharded pass off).
BULK_CANDIDATES = 5_000
COMPARE_BATCH = 20
# How a pair was found, the first way winning when several found it.
FOUND_BY = ("shingles", "words", "vector")

T = TypeVar("T")
R = TypeVar("R")


@dataclass(slots=True)
class Outcome:
    """What one batch did (the executor turns it into a run.step.BatchResult)."""

    done: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def count(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


@dataclass(slots=True)
class ReuseReport:
    """What ``find_reuse`` (run/reuse_steps.py) did, summed over its steps."""

    fingerprinted: int = 0
    candidates: int = 0  # pairs due for comparison
    compared: int = 0
    reuse: int = 0
    problems: list[Problem] = field(default_factory=list)
    by_source: dict[str, int] = field(default_factory=dict)  # how new candidates were found


# --- embed --------------------------------------------------------------------------------


def embed_due(store: Store) -> list[str]:
    return store.unembedded(EMBED_VERSION)


def embed_run(store: Store, ids: Sequence[str]) -> Outcome:
    out = Outcome()
    articles = store.articles(ids=list(ids))
    done = _batch_or_each(articles, _embed_leads, out, "embedding", lambda a: a.id)
    store.put_sentence_vectors(dict(done), EMBED_VERSION)
    out.done = len(done)
    return out


def _embed_leads(articles: Sequence[Article]) -> list[tuple[str, SentenceVectors]]:
    """The lead vectors of several articles from one call to the model (batched across them)."""
    return list(embed_spans([(a, lead_spans(a.body)) for a in articles]).items())


# --- fingerprint ----------------------------------------------------------------------------


def fingerprint_due(store: Store) -> list[str]:
    return store.unfingerprinted(FINGERPRINT_VERSION)


def fingerprint_run(store: Store, ids: Sequence[str], *, vectors: bool = True) -> Outcome:
    out = Outcome()
    articles = store.articles(ids=list(ids))
    # The leads, embedded here for an article the embed step has not done (killed, or it failed).
    stored = _leads(store, articles) if vectors else None
    encoded = _batch_or_each(
        articles, lambda batch: fingerprint_articles(batch, vectors=vectors, sentence_vectors=stored),
        out, "fingerprinting", lambda a: a.id,
    )
    store.put_fingerprints(
        [FingerprintRow(e.fingerprint, e.shingles, e.words, e.vector) for e in encoded],
        [b for e in encoded for b in e.buckets],
        FINGERPRINT_VERSION,
    )
    out.done = len(encoded)
    return out


# --- candidates -----------------------------------------------------------------------------


def candidates_due(store: Store) -> list[str]:
    return store.candidates_due(CANDIDATES_VERSION, FINGERPRINT_VERSION)


def candidates_run(store: Store, ids: Sequence[str]) -> Outcome:
    out = Outcome()
    found: dict[ComparedPair, str] = {}
    done: list[str] = []
    for aid in ids:
        try:
            mates = _mates(store, aid)
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch
            out.problems.append(Problem(aid, f"finding candidates failed: {type(exc).__name__}: {exc}"))
            continue
        for other, how in mates.items():
            found.setdefault(ComparedPair(*sorted((aid, other))), how)
        done.append(aid)
    store.put_candidates([CandidatePair(*pair, how) for pair, how in found.items()], done, CANDIDATES_VERSION)
    for how in found.values():
        out.count(how)
    out.done = len(done)
    return out


def _mates(store: Store, aid: str) -> dict[str, str]:
    """The candidates of one article: {other id: how found}. Bucket mates of the MinHash kinds,
    less the words-only ones whose signatures say no reuse; vector mates only at exact cosine
    ≥ SEMANTIC_MIN, the NEIGHBOURS nearest."""
    by_kind = store.bucket_mates(aid, MAX_BUCKET, VECTOR_VOTES)
    mates: dict[str, str] = {}
    for kind in FOUND_BY[:2]:
        for other in sorted(by_kind.get(kind, ())):
            mates.setdefault(other, kind)
    words_only = [other for other, how in mates.items() if how == "words"]
    near = sorted(by_kind.get("vector", set()))
    if not words_only and not near:
        return mates
    # One read of the fingerprints the article is checked against: signatures and vectors.
    blobs = {r.article_id: r for r in store.fingerprint_blobs([aid, *dict.fromkeys(words_only + near)])}
    mine = blobs.get(aid)
    if mine is None:
        return mates
    _drop_chance_mates(mine, blobs, words_only, mates)
    vector = decode_vector(mine.vector)
    if vector is not None:
        others = {other: decode_vector(blobs[other].vector) for other in near if other in blobs}
        sims = sorted(((float(vector @ v), other) for other, v in others.items() if v is not None), reverse=True)
        for sim, other in sims[:NEIGHBOURS]:
            if sim >= SEMANTIC_MIN:
                mates.setdefault(other, "vector")
    return mates


def _drop_chance_mates(mine: FingerprintBlob, blobs: dict[str, FingerprintBlob], words_only: Sequence[str],
                       mates: dict[str, str]) -> None:
    """Drop the mates found only by a words band whose signatures say no reuse
    (``candidates.plausible``): chance collisions, which grow with the square of the corpus."""
    others = [o for o in words_only if o in blobs]
    if not others:
        return
    keep = plausible(
        np.tile(decode_signature(mine.shingles), (len(others), 1)),
        np.stack([decode_signature(blobs[o].shingles) for o in others]),
        np.tile(decode_signature(mine.words), (len(others), 1)),
        np.stack([decode_signature(blobs[o].words) for o in others]),
    )
    for other, kept in zip(others, keep.tolist(), strict=True):
        if not kept:
            del mates[other]


# --- compare --------------------------------------------------------------------------------


def reuse_version() -> str:
    """The compare step's version under the current setting: REUSE_VERSION with the rewrite
    cross-encoder, REUSE_VERSION + FEATURES_ONLY without it (read at run time; a bad setting is
    a :class:`storyline.link.reuse.rewrite_switch.SwitchError`)."""
    return REUSE_VERSION if rewrite_switch.enabled() else REUSE_VERSION + FEATURES_ONLY


def compare_due(store: Store) -> list[ComparedPair]:
    return store.uncompared(reuse_version())


def compare_run(store: Store, pairs: Sequence[ComparedPair]) -> Outcome:
    from storyline.link.reuse.compare import compare

    out = Outcome()
    version = reuse_version()  # before comparing: a bad setting fails the batch, not each pair
    ids = sorted({i for pair in pairs for i in pair})
    articles = {a.id: a for a in store.articles(ids=ids)}
    # An article whose sentences cannot be embedded is a problem; its pairs stay due.
    vectors = dict(_batch_or_each(list(articles.values()), lambda batch: _sentence_vectors(store, batch),
                                  out, "embedding", lambda a: a.id))
    try:
        analyses: dict | None = store.analyses_of(ids)  # one read for the batch, not two per pair
    except Exception:  # noqa: BLE001 - a bad stored analysis fails its own pairs only (read each below)
        analyses = None
    results: list[ReusePair] = []
    for a_id, b_id in pairs:
        a, b = articles.get(a_id), articles.get(b_id)
        if a is None or b is None or a_id not in vectors or b_id not in vectors:
            continue
        try:
            a_an, b_an = ((analyses.get(a_id), analyses.get(b_id)) if analyses is not None
                          else (store.analysis(a_id), store.analysis(b_id)))
            pair = compare(a, b, a_an, b_an,
                           a_vectors=vectors[a_id], b_vectors=vectors[b_id])
        except Exception as exc:  # noqa: BLE001 - one bad pair must not stop the run
            out.problems.append(Problem(f"{a_id} {b_id}", f"comparison failed: {type(exc).__name__}: {exc}"))
            continue
        results.append(pair)
    store.put_reuse(results, version)
    out.done = len(results)
    out.count("reuse", sum(p.is_reuse for p in results))
    return out


def _sentence_vectors(store: Store, articles: Sequence[Article]) -> list[tuple[str, np.ndarray]]:
    """Every aligned sentence's vector, those not stored embedded now (once for the batch)."""
    return [(aid, matrix) for aid, (_, matrix) in sentence_matrices(store, articles).items()]


def _leads(store: Store, articles: Sequence[Article]) -> dict[str, SentenceVectors]:
    try:
        leads = {a.id: lead_spans(a.body) for a in articles}
        found = span_vectors(store, [(a, leads[a.id]) for a in articles])
    except Exception:  # noqa: BLE001 - fingerprint_articles embeds what is missing, one by one
        return {}
    return {aid: SentenceVectors(tuple(leads[aid]), matrix_of(v, leads[aid])) for aid, v in found.items()}


# --- helpers --------------------------------------------------------------------------------


def _batch_or_each(items: Sequence[T], work: Callable[[Sequence[T]], list[R]], out: Outcome,
                   what: str, key: Callable[[T], str]) -> list[R]:
    """``work`` over the whole batch (the fast path: one model call); if it fails, over each
    item alone, so that one bad item is a problem with its reason and the rest are done."""
    try:
        return work(items)
    except Exception:  # noqa: BLE001 - find which item failed, below
        pass
    results: list[R] = []
    for item in items:
        try:
            results += work([item])
        except Exception as exc:  # noqa: BLE001 - one bad item must not stop the batch
            out.problems.append(Problem(key(item), f"{what} failed: {type(exc).__name__}: {exc}"))
    return results
