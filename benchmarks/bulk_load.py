#!/usr/bin/env python3
"""Writing the fingerprint step's output into PostgreSQL: COPY against executemany.

Usage::

    python benchmarks/bulk_load.py DATA_DIR [--articles 3000] [--batch 500] [--repeats 3]

e.g. ``PYTHONPATH=src .venv/bin/python benchmarks/bulk_load.py ../shared/eval``. Progress goes to
stderr; the LAST stdout line is one JSON object.

The articles are ``corpus_synth.build(DATA_DIR, articles)`` texts (real news sentences read at run
time); their fingerprints and LSH buckets (about 57 bucket rows an article: the biggest write of
linking) and candidate pairs are computed once by the product's code
(``fingerprint_articles(vectors=False)``, an in-memory LSH for the pairs). Then, on one
throwaway PostgreSQL server (``storyline.store.pgserver``), two fresh databases take the same
rows through the same ``Store.put_fingerprints`` / ``put_candidates`` calls in batches of
``--batch`` articles: ``copy`` (today: ``insert_new`` streams rows with COPY into a temporary
table, then one INSERT ... SELECT) and ``executemany`` (the previous design, forced by raising
the COPY threshold). Only the write calls are timed; best of ``--repeats`` (each repeat on fresh
databases). Both databases must end with the same rows.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # corpus_synth beside this script

import corpus_synth  # noqa: E402

from storyline.ingest.convert import content_hash  # noqa: E402
from storyline.link.reuse import lsh  # noqa: E402
from storyline.link.reuse.candidates import FINGERPRINT_VERSION, fingerprint_articles  # noqa: E402
from storyline.link.reuse.steps import CANDIDATES_VERSION  # noqa: E402
from storyline.records import Article  # noqa: E402
from storyline.store.pgserver import ThrowawayPostgres  # noqa: E402
from storyline.store.postgres import PostgresStore  # noqa: E402
from storyline.store.records import CandidatePair, FingerprintRow  # noqa: E402


def rows(data_dir: Path, n: int, seed: int):
    corpus = corpus_synth.build(data_dir, n, seed)
    articles = [Article(id=f"a{k:07d}", content_hash=content_hash(t), source=f"synthetic/{k}", body=t)
                for k, t in enumerate(corpus.texts)]
    encoded = fingerprint_articles(articles, vectors=False)
    index = lsh.LSHIndex(max_bucket=200)
    for e in encoded:
        keys = [b.bucket for b in e.buckets if b.kind == "shingles"]
        if keys:
            index.add([e.fingerprint.article_id], [keys])
    pairs = [CandidatePair(a, b, "shingles") for a, b in sorted(index.candidate_pairs())]
    return articles, encoded, pairs


def load(url: str, articles, encoded, pairs, batch: int, copy: bool) -> tuple[float, dict]:
    store = PostgresStore(url)
    if not copy:
        store.db.COPY_FROM = 1 << 60  # type: ignore[attr-defined]  # every write via executemany
    store.add_articles(articles)
    seconds = 0.0
    for lo in range(0, len(encoded), batch):
        part = encoded[lo : lo + batch]
        started = time.perf_counter()
        store.put_fingerprints([FingerprintRow(e.fingerprint, e.shingles, e.words, e.vector) for e in part],
                               [b for e in part for b in e.buckets], FINGERPRINT_VERSION)
        seconds += time.perf_counter() - started
    started = time.perf_counter()
    store.put_candidates(pairs, [a.id for a in articles], CANDIDATES_VERSION)
    seconds += time.perf_counter() - started
    counts = {t: store.db.run(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
              for t in ("fingerprints", "lsh_buckets", "reuse_candidates")}
    store.close()
    return seconds, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    articles, encoded, pairs = rows(args.data_dir, args.articles, args.seed)
    print(f"{len(articles)} articles, {sum(len(e.buckets) for e in encoded)} bucket rows, {len(pairs)} pairs",
          file=sys.stderr)
    best = {"copy": float("inf"), "executemany": float("inf")}
    counts = {}
    with ThrowawayPostgres() as server:
        for r in range(args.repeats):
            for name in ("copy", "executemany"):
                url = server.new_database(f"bulk_{name}_{r}")
                seconds, counts[name] = load(url, articles, encoded, pairs, args.batch, name == "copy")
                best[name] = min(best[name], seconds)
                print(f"  {name}: {seconds:.2f} s {counts[name]}", file=sys.stderr)
    if counts["copy"] != counts["executemany"]:
        raise SystemExit(f"the two designs stored different rows: {counts}")
    print(json.dumps({
        "benchmark": "bulk_load",
        "articles": len(articles),
        "batch": args.batch,
        "rows": counts["copy"],
        "seconds": {k: round(v, 3) for k, v in best.items()},
        "articles_per_s": {k: round(len(articles) / v) for k, v in best.items()},
        "copy_speedup": round(best["executemany"] / best["copy"], 2),
    }))


if __name__ == "__main__":
    main()
