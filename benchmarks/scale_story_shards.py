#!/usr/bin/env python3
"""The story step on a bulk load, by time shards: one clusterer batch after batch (the design
before) against time shards run one after another (local executor) and side by side (Ray), on
the same stored stream in the same run.

Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/scale_story_shards.py DATA_DIR [--size 20000]
        [--per-day 345] [--seed 0] [--workers 2] [--cpus 2] [--shards N] [--shard-min N] [--lead N]
        [--work DIR] [--no-ray]

``DATA_DIR`` is the evaluation data folder (``../shared/eval``): the planted stream of
``scale_stories.py`` is made from its sentence pool at run time (nothing of it is written into
the repository), with the same stand-ins (regex names for entities, the mean of cached MiniLM
sentence vectors as the article vector), and stored in a SQLite store under ``--work`` as
ingest, analyze and fingerprint would store it. Each configuration gets a copy of that store
and runs the story step alone on all of it (a first load: every article due). Progress goes
to stderr; the LAST stdout line is one JSON object.

Reported per configuration: wall and CPU seconds (this process; Ray workers' CPU is theirs),
shards, stories stored, and pair and BCubed scores against the planted stories and against real
events (``scale_stories.py`` says why the second is the one to read); then whether the local
and Ray shards stored the same memberships (``same_results``), how close the sharded stories
are to the one-clusterer ones (BCubed, one-clusterer stories as the gold), and the speed-ups.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_synth  # noqa: E402
from scale_stories import (VECTOR_SENTENCES, article_sentences, doc_events, planted, pool_vectors,  # noqa: E402
                           synthetic_analysis)
from stories import bcubed, pair_counts  # noqa: E402

import storyline  # noqa: E402
from storyline.ingest.convert import content_hash  # noqa: E402
from storyline.records import Article, Fingerprint  # noqa: E402
from storyline.run.local import run_steps  # noqa: E402
from storyline.run.story_steps import STORIES  # noqa: E402
from storyline.store.records import FingerprintRow  # noqa: E402


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def build_store(db: Path, data: Path, n: int, per_day: float, seed: int, work: Path) -> dict[str, tuple[int, int]]:
    """Store the planted stream of ``n`` articles; returns article id -> (planted story, real event)."""
    origins: list[tuple[str, int]] = []
    docs, _ = corpus_synth.sentence_pool(corpus_synth.load_documents(data), origins)
    events = doc_events(data, origins)
    pool = [s for d in docs for s in d]
    vectors = pool_vectors(pool, work)
    cores, times, story, core, event = planted(docs, events, n, per_day, seed)
    rng = random.Random(seed + 1)
    gold: dict[str, tuple[int, int]] = {}
    with storyline.open(db) as desk:
        store = desk.store
        for start in range(0, n, 1000):
            articles, analyses, prints = [], [], []
            for row in range(start, min(n, start + 1000)):
                numbers = article_sentences(rng, cores[core[row]], len(pool))
                body = " ".join(pool[i] for i in numbers)
                vec = vectors[numbers[:VECTOR_SENTENCES]].astype(np.float64).mean(axis=0)
                vec = (vec / np.linalg.norm(vec)).astype("<f4")
                digest = content_hash(body)
                aid = digest[:16]
                if aid in gold:
                    continue  # the same text twice: stored once
                gold[aid] = (int(story[row]), int(event[row]))
                when = dt.datetime.fromtimestamp(float(times[row]), dt.timezone.utc).isoformat()
                articles.append(Article(id=aid, content_hash=digest, source=f"/planted/{row}.txt", body=body,
                                        title=body.split(". ")[0][:120], published=when,
                                        ingested_at="2026-12-05T00:00:00+00:00"))
                analyses.append(synthetic_analysis(aid, body))
                sig = tuple(range(8))
                blob = b"".join(x.to_bytes(4, "little") for x in sig)
                prints.append(FingerprintRow(Fingerprint(aid, sig, sig), blob, blob, vec.tobytes()))
            store.add_articles(articles)
            store.put_analyses(analyses, "planted")
            store.put_fingerprints(prints, [], "planted")
    return gold


def memberships(db: Path) -> dict[str, str]:
    with storyline.open(db) as desk:
        return {m.article_id: m.story_id for m in desk.store.story_members()}


def scores(found: dict[str, str], gold: dict[str, tuple[int, int]]) -> dict:
    ids = sorted(gold)
    pred = [found.get(a, f"missing:{a}") for a in ids]
    planted = [str(gold[a][0]) for a in ids]
    events = [str(gold[a][1]) for a in ids]
    out = {**pair_counts(pred, planted), **bcubed(pred, planted)}
    out.update({f"event_{k}": v for k, v in {**pair_counts(pred, events), **bcubed(pred, events)}.items()})
    out["stories"] = len(set(pred))
    return {k: v for k, v in out.items() if not k.endswith(("_pairs", "true_pairs"))}


def measure(name: str, db: Path, run) -> dict:
    log(name)
    with storyline.open(db) as desk:
        started, cpu = time.perf_counter(), time.process_time()
        report = run(desk.store)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    step = report.of("stories")
    out = {"wall_s": round(wall, 2), "driver_cpu_s": round(cpu, 2), "articles": step.done,
           "shards": step.counts.get("story shards", 0), "failed": len(step.problems)}
    log(f"  {out}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="the evaluation data folder (the sentence pool's source)")
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--per-day", type=float, default=345.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cpus", type=int, default=2, help="CPUs of the local Ray cluster")
    parser.add_argument("--shards", type=int, default=None, help="STORYLINE_STORY_SHARDS")
    parser.add_argument("--shard-min", type=int, default=None, help="STORYLINE_STORY_SHARD_MIN")
    parser.add_argument("--lead", type=int, default=None, help="STORYLINE_STORY_LEAD")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--no-ray", action="store_true", help="leave the Ray configuration out")
    args = parser.parse_args()
    for value, name in ((args.shards, "STORYLINE_STORY_SHARDS"), (args.shard_min, "STORYLINE_STORY_SHARD_MIN"),
                        (args.lead, "STORYLINE_STORY_LEAD")):
        if value is not None:
            os.environ[name] = str(value)  # before Ray starts: its workers inherit it
    work = Path(args.work or tempfile.mkdtemp(prefix="scale-story-shards-"))
    work.mkdir(parents=True, exist_ok=True)
    base = work / f"planted-{args.size}-s{args.seed}.db"
    gold_path = base.with_suffix(".gold.json")
    if not base.exists() or not gold_path.exists():
        log(f"storing {args.size} planted articles in {base}")
        scratch = base.with_suffix(".tmp")
        scratch.unlink(missing_ok=True)
        gold_path.write_text(json.dumps(build_store(scratch, args.data, args.size, args.per_day, args.seed, work)))
        scratch.rename(base)
    gold = {a: tuple(g) for a, g in json.loads(gold_path.read_text()).items()}
    configs = ["serial", "local"] + ([] if args.no_ray else ["ray"])
    dbs = {c: work / f"{c}.db" for c in configs}
    for db in dbs.values():
        shutil.copy(base, db)
    out: dict = {"articles": len(gold), "per_day": args.per_day, "cores": os.cpu_count(),
                 "load_avg_start": os.getloadavg(),
                 "settings": {k: os.environ.get(k) for k in ("STORYLINE_STORY_SHARDS", "STORYLINE_STORY_SHARD_MIN",
                                                             "STORYLINE_STORY_LEAD")}}
    out["serial"] = measure("one clusterer, batch after batch", dbs["serial"],
                            lambda store: run_steps(store, [replace(STORIES, shards=None)]))
    out["local"] = measure("time shards, one after another", dbs["local"], lambda store: run_steps(store, [STORIES]))
    if "ray" in dbs:
        from storyline.run import ray_exec
        from storyline.run.common import RayOptions

        options = RayOptions(workers=args.workers)
        started = time.perf_counter()
        with ray_exec.cluster(options, num_cpus=args.cpus):
            out["ray_start_s"] = round(time.perf_counter() - started, 2)
            out["ray"] = measure(f"time shards on Ray, {args.workers} workers", dbs["ray"],
                                 lambda store: ray_exec.run_steps_ray(store, [STORIES], options=options))
    found = {c: memberships(db) for c, db in dbs.items()}
    for c in configs:
        out[c].update(scores(found[c], gold))
    serial_gold = {a: (s, s) for a, s in found["serial"].items()}
    out["local_vs_serial_bcubed"] = {k: v for k, v in bcubed(
        [found["local"].get(a, a) for a in sorted(serial_gold)], [found["serial"][a] for a in sorted(serial_gold)]
    ).items()}
    if "ray" in dbs:
        out["same_results"] = found["local"] == found["ray"]
        out["speedup_serial_over_ray"] = round(out["serial"]["wall_s"] / out["ray"]["wall_s"], 2)
        out["speedup_local_over_ray"] = round(out["local"]["wall_s"] / out["ray"]["wall_s"], 2)
    out["load_avg_end"] = os.getloadavg()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
