"""The reuse step over a store: fingerprint new articles, find their candidates, compare them.

Incremental and resumable: each batch of fingerprints and each batch of compared pairs is one
transaction, compared pairs are keyed by the unordered pair, and a re-run only does what is
missing (articles without a fingerprint of FINGERPRINT_VERSION, candidate pairs not compared by
REUSE_VERSION). A killed run loses at most one batch.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from storyline.link.reuse.candidates import (
    FINGERPRINT_VERSION,
    MAX_BUCKET,
    VectorIndex,
    decode_vector,
    fingerprint_articles,
)
from storyline.records import Article, Problem, ReusePair
from storyline.store import Store
from storyline.store.records import ComparedPair, FingerprintRow

# Bump when the comparison's output changes (alignment, kinds, direction, changes): stored
# pairs of older versions are compared again.
REUSE_VERSION = "1"
FINGERPRINT_BATCH = 100
COMPARE_BATCH = 20

Progress = Callable[[int, int, str], None]


@dataclass(slots=True)
class ReuseReport:
    fingerprinted: int = 0
    candidates: int = 0
    compared: int = 0
    reuse: int = 0
    problems: list[Problem] = field(default_factory=list)
    by_source: dict[str, int] = field(default_factory=dict)  # how candidates were found


def find_reuse(store: Store, *, progress: Progress | None = None, vectors: bool = True,
               compare: bool = True) -> ReuseReport:
    """Fingerprint new articles, then (unless ``compare`` is False) find and compare their
    candidate pairs."""
    report = ReuseReport()
    new_ids = store.unfingerprinted(FINGERPRINT_VERSION)
    for start in range(0, len(new_ids), FINGERPRINT_BATCH):
        batch = store.articles(ids=new_ids[start : start + FINGERPRINT_BATCH])
        encoded = fingerprint_articles(batch, vectors=vectors)
        store.put_fingerprints(
            [FingerprintRow(e.fingerprint, e.shingles, e.words, e.vector) for e in encoded],
            [b for e in encoded for b in e.buckets],
            FINGERPRINT_VERSION,
        )
        report.fingerprinted += len(batch)
        if progress:
            progress(report.fingerprinted, len(new_ids), "fingerprints")
    if not compare:
        return report

    pairs = _candidates(store, new_ids, report)
    done = store.compared(REUSE_VERSION)
    stale = store.compared() - done
    todo = sorted((pairs - done) | stale)
    report.candidates = len(todo)
    compare_pairs(store, todo, report, progress)
    return report


def _candidates(store: Store, new_ids: Sequence[str], report: ReuseReport) -> set[ComparedPair]:
    pairs: dict[ComparedPair, str] = {}
    for aid in new_ids:
        for kind, mates in store.bucket_mates(aid, MAX_BUCKET).items():
            for other in mates:
                pairs.setdefault(ComparedPair(*sorted((aid, other))), kind)
    if new_ids:
        with_vector = [r for r in store.fingerprint_blobs() if r.vector]
        ids = [r.article_id for r in with_vector]
        if ids:
            index = VectorIndex(ids, np.stack([decode_vector(r.vector) for r in with_vector]))
            wanted = set(new_ids)
            q_ids = [i for i in ids if i in wanted]
            q = index.vectors[[k for k, i in enumerate(ids) if i in wanted]]
            for aid, found in zip(q_ids, index.neighbours(q)):
                for other, _ in found:
                    if other != aid:
                        pairs.setdefault(ComparedPair(*sorted((aid, other))), "vector")
    for kind in pairs.values():
        report.by_source[kind] = report.by_source.get(kind, 0) + 1
    return set(pairs)


def compare_pairs(store: Store, todo: Sequence[ComparedPair], report: ReuseReport,
                  progress: Progress | None = None) -> None:
    from storyline.link.reuse.compare import compare

    vectors = _SentenceVectors()
    for start in range(0, len(todo), COMPARE_BATCH):
        chunk = todo[start : start + COMPARE_BATCH]
        ids = {i for pair in chunk for i in (pair.first_id, pair.second_id)}
        articles = {a.id: a for a in store.articles(ids=list(ids))}
        results: list[ReusePair] = []
        for a_id, b_id in ((pair.first_id, pair.second_id) for pair in chunk):
            a, b = articles.get(a_id), articles.get(b_id)
            if a is None or b is None:
                continue
            try:
                pair = compare(a, b, store.analysis(a_id), store.analysis(b_id),
                               a_vectors=vectors(a), b_vectors=vectors(b))
            except Exception as exc:  # noqa: BLE001 - one bad pair must not stop the run
                report.problems.append(Problem(f"{a_id} {b_id}", f"comparison failed: {type(exc).__name__}: {exc}"))
                continue
            results.append(pair)
        store.put_reuse(results, REUSE_VERSION)
        report.compared += len(results)
        report.reuse += sum(p.is_reuse for p in results)
        if progress:
            progress(min(start + COMPARE_BATCH, len(todo)), len(todo), "pairs compared")


class _SentenceVectors:
    """Sentence vectors of articles, embedded once per run (an article is in several pairs)."""

    def __init__(self, size: int = 256):
        self._get = functools.lru_cache(maxsize=size)(self._embed)

    def __call__(self, article: Article) -> np.ndarray:
        return self._get(article.id, article.body)

    @staticmethod
    def _embed(_id: str, body: str) -> np.ndarray:
        from storyline.analyze.embed import embed
        from storyline.link.reuse.align import align_spans

        return embed([body[a:b] for a, b in align_spans(body)])
