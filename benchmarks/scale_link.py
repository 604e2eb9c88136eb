#!/usr/bin/env python3
"""The candidate stage of reuse linking at a million articles, sharded, in bounded memory.

Usage::

    python benchmarks/scale_link.py DATA_DIR [--sizes 10000,1000000] [--shard 50000]
                                    [--partitions 64] [--seed 16] [--work DIR] [--engine local|ray]

e.g. ``PYTHONPATH=src .venv/bin/python benchmarks/scale_link.py ../shared/eval``. Progress goes to
stderr; the LAST stdout line is one JSON object.

**The input**: ``corpus_synth.Stream`` (real news sentences read from DATA_DIR at run time; 5%
planted near copies and 5% planted rewrites of bases made in the same or any earlier shard),
generated shard by shard so a million texts never sit in memory together. Each size is its own
corpus (same seed); the smaller one is the reference for "recall at 1M the same as at 10k".

**The stages** (``storyline.link.reuse.sharded``, the product's code):

1. ``keys``: per shard, the MinHash signatures of both kinds and their band keys (the same
   functions and bands as the fingerprint step), spilled as one Parquet file per partition;
   the texts are dropped after this. Reported apart from ``generate`` (making the texts).
2. ``pairs``: per partition, the (key, row) entries grouped by key; every pair within a bucket
   of 2..MAX_BUCKET members, kept if its estimated Jaccard says reuse (signatures memory-mapped
   from disk, one ``.npy`` per kind, written by stage 1); then each pair once over all
   partitions.
3. ``components``: union-find over the verified pairs (families of copies and rewrites).

With ``--engine ray`` stages 1 and 2 run as Ray tasks on a local cluster (shards and partitions
are independent); the driver only generates texts and merges the pairs. Key tasks then overlap
the generation of later shards, so ``keys`` is the wait left after generation ends.

**Figures** per size: articles, seconds and rate per stage, the bytes spilled, candidates per
article, verified pairs per article (the compare step's workload), recall of planted copies
and rewrites among the verified pairs, component sizes (largest, and the articles in families of 2+), and peak RSS of
this process (``ru_maxrss``; with Ray, the workers' peak is reported apart).

**Not measured here**: the compare step (alignment and drift need the sentence model: at
~170 sentences/s/core a million articles is days of CPU, the reason it only ever runs on
candidate pairs), story assignment, people, and a store (see docs/scale.md).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))  # corpus_synth beside this script

import corpus_synth  # noqa: E402

from storyline.link.reuse import sharded  # noqa: E402


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _keys_task(folder: str, batch: str, first: int, texts: list[str], partitions: int) -> int:
    shingles, words = sharded.signatures(texts)
    # The signatures stay on disk, in one memory-mapped array per kind (rows are global).
    for name, sigs in (("shingles", shingles), ("words", words)):
        kept = np.load(Path(folder) / f"{name}.npy", mmap_mode="r+")
        kept[first : first + len(texts)] = sigs
        kept.flush()
        del kept
    keys, rows = sharded.key_rows(np.arange(first, first + len(texts)), shingles, words)
    return sharded.spill(Path(folder), batch, keys, rows, partitions)


def _pairs_task(folder: str, partition: int) -> tuple[np.ndarray, np.ndarray, int]:
    return sharded.partition_verified(sharded.partition_files(Path(folder), partition),
                                      np.load(Path(folder) / "shingles.npy", mmap_mode="r"),
                                      np.load(Path(folder) / "words.npy", mmap_mode="r"))


class Local:
    def keys(self, *args) -> int:
        return _keys_task(*args)

    def gather_keys(self, pending: list) -> list[int]:
        return pending

    def pairs(self, folder: str, partitions: int) -> list[tuple[np.ndarray, np.ndarray]]:
        return [_pairs_task(folder, p) for p in range(partitions)]


class Ray:
    def __init__(self, cpus: int) -> None:
        import ray

        self.ray = ray
        ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False)
        self._keys = ray.remote(num_cpus=1)(_keys_task)
        self._pairs = ray.remote(num_cpus=1)(_pairs_task)

    def keys(self, *args):
        return self._keys.remote(*args)

    def gather_keys(self, pending: list) -> list[int]:
        return self.ray.get(pending)

    def pairs(self, folder: str, partitions: int):
        return self.ray.get([self._pairs.remote(folder, p) for p in range(partitions)])


def measure(data_dir: Path, size: int, args, engine, work: Path) -> dict:
    folder = work / f"keys-{size}"
    stream = corpus_synth.Stream(data_dir, size, args.seed, shard=args.shard)
    timing = {"generate": 0.0, "keys": 0.0, "pairs": 0.0, "components": 0.0}
    folder.mkdir(parents=True)
    for name in ("shingles", "words"):
        np.lib.format.open_memmap(folder / f"{name}.npy", mode="w+", dtype=np.uint32,
                                  shape=(size, sharded.NUM_PERM)).flush()
    spilled, pending = 0, []
    started = time.perf_counter()
    mark = started
    for first, texts in stream.shards():
        now = time.perf_counter()
        timing["generate"] += now - mark
        pending.append(engine.keys(str(folder), f"s{first:09d}", first, texts, args.partitions))
        if isinstance(engine, Local):
            timing["keys"] += time.perf_counter() - now
        mark = time.perf_counter()
        print(f"  {size:,}: {first + len(texts):,} articles keyed, peak RSS {_peak_mb():,.0f} MB", file=sys.stderr)
    keyed_at = time.perf_counter()
    spilled = sum(engine.gather_keys(pending))
    if not isinstance(engine, Local):
        # Ray's key tasks run while the driver generates the next shards: what is left to wait
        # for once generation ends is the cost generation did not hide.
        timing["keys"] = time.perf_counter() - keyed_at
    del pending
    mark = time.perf_counter()
    found = engine.pairs(str(folder), args.partitions)
    pairs, kind = sharded.unique_pairs(np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found]))
    candidates = sum(f[2] for f in found)
    del found
    timing["pairs"] = time.perf_counter() - mark
    mark = time.perf_counter()
    labels = sharded.components(size, pairs)
    timing["components"] = time.perf_counter() - mark
    total = time.perf_counter() - started

    code = pairs[:, 0].astype(np.int64) << 32 | pairs[:, 1]  # sorted: unique_pairs sorts

    def recall(planted: list[tuple[int, int]]) -> float | None:
        if not planted:
            return None
        want = np.array([(min(a, b) << 32) | max(a, b) for a, b in planted], np.int64)
        at = np.clip(np.searchsorted(code, want), 0, max(len(code) - 1, 0))
        hit = (code[at] == want) if len(code) else np.zeros(len(want), bool)
        return round(float(hit.mean()), 4)

    sizes = np.bincount(np.unique(labels, return_inverse=True)[1])
    return {
        "articles": size,
        "seconds": round(total, 1),
        "stage_seconds": {k: round(v, 1) for k, v in timing.items()},
        "articles_per_s": {k: round(size / v) for k, v in timing.items() if v > 0},
        "spilled_mb": round(spilled / 1e6, 1),
        # Before verification, counted in each partition (a pair two partitions find counts twice).
        "candidates": int(candidates),
        "candidates_per_article": round(2 * candidates / size, 3),
        "verified": int(len(pairs)),
        "verified_per_article": round(2 * len(pairs) / size, 3),
        "found_by": {name: int((kind == i).sum()) for i, name in enumerate(sharded.FOUND_BY)},
        "planted_copies": len(stream.copies),
        "planted_rewrites": len(stream.rewrites),
        "recall_copies": recall(stream.copies),
        "recall_rewrites": recall(stream.rewrites),
        "largest_component": int(sizes.max()),
        "articles_in_families": int(sizes[sizes >= 2].sum()),
        "peak_rss_mb": _peak_mb(),
    }


def pipeline(args) -> dict:
    """The ``candidates`` step of ``storyline run`` on one bulk load, both ways: per-article
    store lookups against the sharded pass (link/reuse/bulk.py), on two stores loaded alike."""
    import contextlib
    import shutil

    from storyline.ingest.convert import content_hash
    from storyline.link.reuse.candidates import FINGERPRINT_VERSION, fingerprint_articles
    from storyline.link.reuse.steps import CANDIDATES_VERSION, candidates_run
    from storyline.records import Article
    from storyline.run.local import run_step
    from storyline.run.reuse_steps import BULK_SETTING, candidates_step
    from storyline.store import open_store
    from storyline.store.pgserver import ThrowawayPostgres
    from storyline.store.records import FingerprintRow

    work = Path(tempfile.mkdtemp(dir=args.work))
    ways = (("per_article", "0"), ("sharded", "1"))
    stream = corpus_synth.Stream(args.data_dir, args.pipeline, args.seed, shard=min(args.shard, args.pipeline))
    with contextlib.ExitStack() as stack:
        if args.backend == "postgres":
            server = stack.enter_context(ThrowawayPostgres())
            urls = {way: server.new_database(f"pipeline_{way}") for way, _ in ways}
        else:
            urls = {way: str(work / f"{way}.db") for way, _ in ways}
        stores = {way: stack.enter_context(contextlib.closing(open_store(url))) for way, url in urls.items()}
        started = time.perf_counter()
        seen: set[str] = set()  # a text made twice is stored once (the store skips it): fingerprint it once
        for first, texts in stream.shards():
            articles = [Article(id=f"a{first + k:07d}", content_hash=content_hash(t), source=f"/synth/{first + k}.txt",
                                body=t) for k, t in enumerate(texts)]
            articles = [a for a in articles if not (a.content_hash in seen or seen.add(a.content_hash))]
            for lo in range(0, len(articles), 1000):
                # Fingerprints without article vectors: no sentence model needed (the vector
                # kind is exercised by tests/link/test_bulk_candidates.py).
                encoded = fingerprint_articles(articles[lo : lo + 1000], vectors=False)
                for store in stores.values():
                    store.add_articles(articles[lo : lo + 1000])
                    store.put_fingerprints([FingerprintRow(e.fingerprint, e.shingles, e.words, e.vector) for e in encoded],
                                           [b for e in encoded for b in e.buckets], FINGERPRINT_VERSION)
            print(f"  {first + len(texts):,} articles stored and fingerprinted", file=sys.stderr)
        for store in stores.values():
            # An earlier load already looked up (one by one): the bulk load meets a store.
            settled = store.candidates_due(CANDIDATES_VERSION, FINGERPRINT_VERSION)[: args.stored]
            for lo in range(0, len(settled), 1000):
                candidates_run(store, settled[lo : lo + 1000])
        prepared = time.perf_counter() - started
        found, figures = {}, {}
        for way, threshold in ways:
            os.environ[BULK_SETTING] = threshold
            report = run_step(stores[way], candidates_step())
            found[way] = set(stores[way].db.run("SELECT first_id, second_id, found_by FROM reuse_candidates").fetchall())
            figures[way] = {"due": report.due, "done": report.done, "seconds": round(report.seconds, 2),
                            "cpu_seconds": round(report.cpu_seconds, 2), "pairs": len(found[way]),
                            "articles_per_s": round(report.done / report.seconds) if report.seconds else None}
            print(f"  {way}: {json.dumps(figures[way])}", file=sys.stderr)
        os.environ.pop(BULK_SETTING, None)
    shutil.rmtree(work, ignore_errors=True)
    pairs = {(a, b) for a, b, _ in found["sharded"]}

    def recall(planted: list[tuple[int, int]]) -> float | None:
        want = [tuple(sorted((f"a{a:07d}", f"a{b:07d}"))) for a, b in planted]
        return round(sum(p in pairs for p in want) / len(want), 4) if want else None

    per, bulk = figures["per_article"], figures["sharded"]
    return {
        "benchmark": "scale_link_pipeline",
        "articles": args.pipeline,
        "stored_before": args.stored,
        "backend": args.backend,
        "prepare_seconds": round(prepared, 1),
        **figures,
        "same_pairs": found["per_article"] == found["sharded"],
        "recall_copies": recall(stream.copies),
        "recall_rewrites": recall(stream.rewrites),
        "speedup_wall": round(per["seconds"] / bulk["seconds"], 2) if bulk["seconds"] else None,
        "speedup_cpu": round(per["cpu_seconds"] / bulk["cpu_seconds"], 2) if bulk["cpu_seconds"] else None,
        "peak_rss_mb": _peak_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--shard", type=int, default=50_000)
    parser.add_argument("--partitions", type=int, default=sharded.PARTITIONS)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--work", type=Path, default=None, help="where the Parquet spills go (a temporary folder)")
    parser.add_argument("--engine", choices=("local", "ray"), default="local")
    parser.add_argument("--cpus", type=int, default=2, help="CPUs of the local Ray cluster")
    parser.add_argument("--pipeline", type=int, default=0, metavar="N",
                        help="instead: the candidates step of `storyline run` on N stored articles, "
                             "per-article lookups against the sharded pass")
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite",
                        help="with --pipeline: the stores (postgres: a throwaway local server)")
    parser.add_argument("--stored", type=int, default=0, metavar="M",
                        help="with --pipeline: the first M articles are looked up beforehand (a store "
                             "the bulk load meets), so the load is the other N - M")
    args = parser.parse_args()
    if args.pipeline:
        print(json.dumps(pipeline(args)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    engine = Ray(args.cpus) if args.engine == "ray" else Local()
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        results = {}
        for size in sizes:
            print(f"{size:,} articles ({args.engine})", file=sys.stderr)
            results[str(size)] = measure(args.data_dir, size, args, engine, Path(tmp))
            print(json.dumps(results[str(size)]), file=sys.stderr)
    small, big = results[str(sizes[0])], results[str(sizes[-1])]
    summary = {
        "benchmark": "scale_link",
        "engine": args.engine,
        "partitions": args.partitions,
        "shard": args.shard,
        "sizes": results,
        **{f"{key}_ratio": (round(big[key] / small[key], 4) if big[key] and small[key] else None)
           for key in ("recall_copies", "recall_rewrites")},
        "peak_rss_mb": max(r["peak_rss_mb"] for r in results.values()),
    }
    if args.engine == "ray":
        import ray

        ray.shutdown()
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
