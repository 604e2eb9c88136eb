#!/usr/bin/env python3
"""The story clusterer's TF-IDF dot products in bulk (``link/stories/lexdots.py``, session 30)
against the previous design (one ``sparse_dot`` per story or member, every IDF computed when
asked), on the same planted stream in the same run.

Usage::

    PYTHONPATH=src OMP_NUM_THREADS=1 .venv/bin/python benchmarks/story_dots.py DATA_DIR [--size 6000]
        [--per-day 345] [--seed 0] [--reps 1] [--work DIR]

``DATA_DIR`` is the evaluation data folder (``../shared/eval``): the planted stream of
``scale_stories.py`` (its sentence pool and stand-ins, made at run time; nothing of it is
written into the repository). Its items are made once; then each design places all of them with
one clusterer, as the story step does (``scan.BATCH`` at a time, each batch ending with
``settle``), ``--reps`` times, alternating. Reported: CPU seconds of the placing for each design
(the best of its repetitions), their ratio, and whether both made the same stories and the same
evidence for every article (they must: the bulk products are summed exactly as before). Progress
goes to stderr; the LAST stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_synth  # noqa: E402
from scale_stories import (VECTOR_SENTENCES, article_sentences, doc_events, planted, pool_vectors,  # noqa: E402
                           synthetic_analysis)

from storyline.link.stories import scoring, state  # noqa: E402
from storyline.link.stories.cluster import StoryClusterer  # noqa: E402
from storyline.link.stories.features import is_year_key, item_from  # noqa: E402
from storyline.link.stories.scan import BATCH  # noqa: E402


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def items_of_stream(data: Path, n: int, per_day: float, seed: int, work: Path) -> list:
    origins: list[tuple[str, int]] = []
    docs, _ = corpus_synth.sentence_pool(corpus_synth.load_documents(data), origins)
    if not docs:
        raise SystemExit(f"{data}: no news text found (see benchmarks/corpus_synth.py)")
    pool = [s for d in docs for s in d]
    vectors = pool_vectors(pool, work)
    cores, times, _, core, _ = planted(docs, doc_events(data, origins), n, per_day, seed)
    rng = random.Random(seed + 1)
    items = []
    for row in range(n):
        numbers = article_sentences(rng, cores[core[row]], len(pool))
        body = " ".join(pool[i] for i in numbers)
        vec = vectors[numbers[:VECTOR_SENTENCES]].astype(np.float64).mean(axis=0)
        vec = (vec / np.linalg.norm(vec)).astype(np.float32)
        aid = f"a{row:08d}"
        items.append(item_from(aid, body, synthetic_analysis(aid, body), vec, float(times[row])))
    return items


# ---------------------------------------------------------------- the previous design, as it was


def _lex_cosines_one_at_a_time(self, stories):
    vec = self._lex.get(self._cur) or {}
    return [s.lex_cosine(vec) for s in stories]


def _nearest_member_gain_one_at_a_time(self, item, vec, story, cosine, lex):
    p = self.params
    best_cos, best_lex = cosine, lex
    q = None if item.vector is None else np.asarray(item.vector, dtype=np.float64)
    for seq in story.profile[-p.member_limit:]:
        member = self._items.get(seq)
        if member is None:
            continue
        if q is not None and member.vector is not None:
            best_cos = max(best_cos, float(q @ np.asarray(member.vector, dtype=np.float64)))
        mlex = self._lex.get(seq)
        if mlex and vec:
            best_lex = max(best_lex, state.sparse_dot(vec, mlex))
    return (best_cos - cosine) + p.lexical_weight * (best_lex - lex)


def _idf_every_time(self, key):
    prior = 0.0 if is_year_key(key) else self.prior
    return max(0.0, math.log(max(self._n + prior, 1.0) / (self._df.get(key, 0) + 1)))  # no property calls


@contextlib.contextmanager
def previous_design():
    saved = (scoring.ScoringMixin._lex_cosines, scoring.ScoringMixin._nearest_member_gain, state.DocFreq.idf)
    scoring.ScoringMixin._lex_cosines = _lex_cosines_one_at_a_time
    scoring.ScoringMixin._nearest_member_gain = _nearest_member_gain_one_at_a_time
    state.DocFreq.idf = _idf_every_time
    try:
        yield
    finally:
        (scoring.ScoringMixin._lex_cosines, scoring.ScoringMixin._nearest_member_gain, state.DocFreq.idf) = saved


def place(items: list) -> tuple[float, str, int]:
    """CPU seconds placing ``items``, a digest of the stories and evidence, and the story count."""
    clusterer = StoryClusterer()
    why: dict = {}
    t0 = time.process_time()
    for start in range(0, len(items), BATCH):
        clusterer.add_all(items[start : start + BATCH])
        clusterer.settle()
        why.update(clusterer.take_evidence()[0])
    cpu = time.process_time() - t0
    assigned = clusterer.assignments()
    digest = hashlib.sha256(json.dumps([assigned, why], sort_keys=True, default=str).encode()).hexdigest()
    return cpu, digest, len(set(assigned.values()))


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path, help="the evaluation data folder (the sentence pool's source)")
    ap.add_argument("--size", type=int, default=6000)
    ap.add_argument("--per-day", type=float, default=345.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--reps", type=int, default=1)
    ap.add_argument("--work", type=Path, default=Path("/tmp/scale-stories"), help="where pool vectors are cached")
    args = ap.parse_args(argv)
    if args.size < 10 or args.reps < 1:
        raise SystemExit(f"--size must be at least 10 and --reps at least 1 (got {args.size}, {args.reps})")
    items = items_of_stream(args.data, args.size, args.per_day, args.seed, args.work)
    log(f"{len(items)} planted articles made")
    runs: dict[str, list[tuple[float, str, int]]] = {"previous": [], "bulk": []}
    for rep in range(args.reps):
        for name in ("previous", "bulk"):
            with previous_design() if name == "previous" else contextlib.nullcontext():
                runs[name].append(place(items))
            log(f"rep {rep + 1}: {name} {runs[name][-1][0]:.1f} CPU-s, {runs[name][-1][2]} stories")
    best = {name: min(r[0] for r in got) for name, got in runs.items()}
    digests = {r[1] for got in runs.values() for r in got}
    out = {"articles": len(items), "reps": args.reps,
           "previous_cpu_s": round(best["previous"], 2), "bulk_cpu_s": round(best["bulk"], 2),
           "speedup": round(best["previous"] / best["bulk"], 3),
           "stories": runs["bulk"][0][2], "same_stories_and_evidence": len(digests) == 1}
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
