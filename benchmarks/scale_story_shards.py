#!/usr/bin/env python3
"""The story step on a bulk load, by time shards: one clusterer batch after batch (the design
before) against time shards run one after another (local executor) and side by side (Ray), on
the same stored stream in the same run.

Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/scale_story_shards.py DATA_DIR [--size 20000]
        [--per-day 345] [--seed 0] [--workers 2] [--cpus 2] [--shards N] [--shard-min N] [--lead N]
        [--work DIR] [--no-ray] [--configs serial,local,ray] [--resume]

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
Each configuration's peak memory is that of this process and its children (a local Ray
cluster's processes too), proportional set size, sampled about every second (``segments.py``).

**A million articles** (hours here): ``--configs ray`` runs the time shards on Ray alone, and
``--resume`` makes the run span sittings of the machine. The planted store is built in batches
of 1,000 articles, each batch's gold appended to ``planted-N-sS.gold.jsonl`` after it commits,
so a killed build goes on from its last batch (the random stream is replayed to that point:
the same articles as one uninterrupted build). A configuration cut off goes on from its store
(the story step stores a round of shards in one transaction, so a kill costs the open round;
``--shards`` = workers keeps rounds short), and its time is the sum of its segments; a
finished configuration's result is kept in ``result-NAME.json``.
"""

from __future__ import annotations

import argparse
import contextlib
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
from segments import Heartbeat, total  # noqa: E402
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
    """Store the planted stream of ``n`` articles, going on from the batches a killed build
    stored (module docstring); returns article id -> (planted story, real event)."""
    origins: list[tuple[str, int]] = []
    docs, _ = corpus_synth.sentence_pool(corpus_synth.load_documents(data), origins)
    events = doc_events(data, origins)
    pool = [s for d in docs for s in d]
    vectors = pool_vectors(pool, work)
    cores, times, story, core, event = planted(docs, events, n, per_day, seed)
    rng = random.Random(seed + 1)
    gold: dict[str, tuple[int, int]] = {}
    gold_path = db.with_suffix(".gold.jsonl")
    stored: dict[int, dict] = {}  # first row of a stored batch -> its gold
    if gold_path.exists():
        for line in gold_path.read_text(encoding="utf-8").splitlines():
            with contextlib.suppress(ValueError):  # a line cut by a kill: its batch is stored again
                batch = json.loads(line)
                stored[batch["start"]] = batch["gold"]
        log(f"  going on after {len(stored)} stored batches")
    with storyline.open(db) as desk, gold_path.open("a", encoding="utf-8") as out:
        store = desk.store
        for start in range(0, n, 1000):
            if start in stored:
                for row in range(start, min(n, start + 1000)):
                    article_sentences(rng, cores[core[row]], len(pool))  # the same random stream
                gold.update((a, tuple(g)) for a, g in stored[start].items())
                continue
            articles, analyses, prints, batch_gold = [], [], [], {}
            for row in range(start, min(n, start + 1000)):
                numbers = article_sentences(rng, cores[core[row]], len(pool))
                body = " ".join(pool[i] for i in numbers)
                vec = vectors[numbers[:VECTOR_SENTENCES]].astype(np.float64).mean(axis=0)
                vec = (vec / np.linalg.norm(vec)).astype("<f4")
                digest = content_hash(body)
                aid = digest[:16]
                if aid in gold or aid in batch_gold:
                    continue  # the same text twice: stored once
                batch_gold[aid] = (int(story[row]), int(event[row]))
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
            out.write(json.dumps({"start": start, "gold": batch_gold}) + "\n")
            out.flush()
            gold.update(batch_gold)
            if (start + 1000) % 50_000 == 0:
                log(f"  {start + 1000:,} of {n:,} rows stored")
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


def measure(name: str, db: Path, run, beat: Heartbeat) -> dict:
    log(name)
    with beat, storyline.open(db) as desk:
        beat.names = {STORIES.describe(): "stories"}
        report = run(desk.store, beat)
        step = report.of("stories")
        segments = beat.write(finished={"stories": round(step.seconds, 2)})
    summed = total(segments)
    out = {"wall_s": summed["seconds"], "driver_cpu_s": summed["cpu_s"], "peak_tree_mb": summed["peak_tree_mb"],
           "segments": summed["segments"], "shards_last_segment": step.counts.get("story shards", 0),
           "failed": len(step.problems)}
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
    parser.add_argument("--configs", default="serial,local,ray",
                        help="which of serial, local, ray to run (comma-separated)")
    parser.add_argument("--resume", action="store_true",
                        help="keep finished configurations and go on with one cut off (same --work and settings)")
    args = parser.parse_args()
    for value, name in ((args.shards, "STORYLINE_STORY_SHARDS"), (args.shard_min, "STORYLINE_STORY_SHARD_MIN"),
                        (args.lead, "STORYLINE_STORY_LEAD")):
        if value is not None:
            os.environ[name] = str(value)  # before Ray starts: its workers inherit it
    work = Path(args.work or tempfile.mkdtemp(prefix="scale-story-shards-"))
    work.mkdir(parents=True, exist_ok=True)
    base = work / f"planted-{args.size}-s{args.seed}.db"
    built = base.with_suffix(".built")
    if not built.exists():
        log(f"storing {args.size} planted articles in {base}")
        gold = build_store(base, args.data, args.size, args.per_day, args.seed, work)
        built.write_text(json.dumps(gold))
    gold = {a: tuple(g) for a, g in json.loads(built.read_text()).items()}
    configs = [c for c in args.configs.split(",") if c and not (args.no_ray and c == "ray")]
    if unknown := set(configs) - {"serial", "local", "ray"}:
        parser.error(f"unknown configuration(s): {', '.join(sorted(unknown))}")
    dbs = {c: work / f"{c}.db" for c in configs}
    settings = {k: os.environ.get(k) for k in ("STORYLINE_STORY_SHARDS", "STORYLINE_STORY_SHARD_MIN",
                                               "STORYLINE_STORY_LEAD")}
    key = {"size": args.size, "seed": args.seed, "per_day": args.per_day, "settings": settings}
    out: dict = {"articles": len(gold), "per_day": args.per_day, "cores": os.cpu_count(),
                 "load_avg_start": os.getloadavg(), "settings": settings}

    def measured(config: str, label: str, run) -> None:
        result = work / f"result-{config}.json"
        if args.resume and result.exists() and (kept := json.loads(result.read_text()))["key"] == key:
            log(f"{label}: kept from {result}")
            out[config] = kept["result"]
            return
        beat = Heartbeat(work / f"segments-{config}.json", key, args.resume)
        if beat.segments:
            log(f"{label}: going on after {len(beat.segments)} segment(s)")
        else:
            for leftover in work.glob(dbs[config].name + "*"):
                leftover.unlink()
            shutil.copy(base, dbs[config])
        out[config] = measure(label, dbs[config], run, beat)
        result.write_text(json.dumps({"key": key, "result": out[config]}))

    if "serial" in dbs:
        measured("serial", "one clusterer, batch after batch",
                 lambda store, beat: run_steps(store, [replace(STORIES, shards=None)], progress=beat))
    if "local" in dbs:
        measured("local", "time shards, one after another", lambda store, beat: run_steps(store, [STORIES], progress=beat))
    if "ray" in dbs:
        from storyline.run import ray_exec
        from storyline.run.common import RayOptions

        options = RayOptions(workers=args.workers)
        started = time.perf_counter()
        with ray_exec.cluster(options, num_cpus=args.cpus):
            out["ray_start_s"] = round(time.perf_counter() - started, 2)
            measured("ray", f"time shards on Ray, {args.workers} workers",
                     lambda store, beat: ray_exec.run_steps_ray(store, [STORIES], options=options, progress=beat))
    found = {c: memberships(db) for c, db in dbs.items()}
    for c in configs:
        out[c].update(scores(found[c], gold), articles=len(found[c]))
    if "serial" in dbs and "local" in dbs:
        serial_gold = sorted(found["serial"])
        out["local_vs_serial_bcubed"] = bcubed([found["local"].get(a, a) for a in serial_gold],
                                               [found["serial"][a] for a in serial_gold])
    if "ray" in dbs and "local" in dbs:
        out["same_results"] = found["local"] == found["ray"]
        out["speedup_local_over_ray"] = round(out["local"]["wall_s"] / out["ray"]["wall_s"], 2)
    if "ray" in dbs and "serial" in dbs:
        out["speedup_serial_over_ray"] = round(out["serial"]["wall_s"] / out["ray"]["wall_s"], 2)
    out["load_avg_end"] = os.getloadavg()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
