#!/usr/bin/env python3
"""The whole pipeline (analysis included) on the same input: the local executor against the Ray
executor with 1 and with 2 workers, in the same run.

Usage::

    python benchmarks/scale.py DATA_DIR [--articles 40] [--work DIR] [--seed N] [--cpus 2] [--resume]

e.g. ``PYTHONPATH=src .venv/bin/python benchmarks/scale.py ../shared/eval --articles 40``.
Progress goes to stderr; the LAST stdout line is one JSON object.

**The input**: ``corpus_synth.build(DATA_DIR, articles, seed)`` (real news sentences, 5% planted
near copies, 5% planted rewrites), written as JSONL under ``--work`` (nothing read from DATA_DIR
is written into this repository).

**Each configuration** (local; ray with 1 worker; ray with 2 workers) ingests the JSONL into a new
SQLite store with ``analyze=False`` and then runs every step (``Desk.steps()``) with its
executor; the wall time of each step and of the whole run are reported. Each Ray configuration
gets a local cluster of ``--cpus`` CPUs of its own, started before it (its start-up, about 5-10
s, is reported apart, not in the configuration's time); each step's time includes starting that
step's actors and loading their models, which is the real cost of a run of this size. (Until
session 25 the two shared one cluster: Ray reuses idle worker processes for later tasks, so the
2-worker run's compare tasks found the cross-encoder loaded and its per-process memo of sentence
pairs filled by the 1-worker run, and took 4.3 s where the 1-worker run took 26.1.)

**Long runs** (20,000 articles are hours per configuration on 2 cores, longer than one sitting
of the machine): each configuration's result is written to ``--work``/``result-NAME.json`` when
it ends, and while it runs a heartbeat (``--work``/``segments-NAME.json``, every 10 s and at
each batch) records how long it has run and in which step. With ``--resume`` (and the same
``--work``, ``--articles`` and ``--seed``) a configuration with a result is not run again, and
one that was cut off (the process killed) goes on from its store, as ``storyline run`` does
after a kill: its time is then the sum of its segments (each up to its last heartbeat, so at
most the last 10 s of a killed segment are not counted, and each later segment pays its
start-up again: model loading, reading the input to find nothing new). ``segments`` in the
result says how many there were; in a killed segment, a step's time is the time up to each of its progress
reports since the report before. Without ``--resume`` a configuration always
starts from an empty store.

**Checks**: every configuration must store the same number of reuse pairs, stories and people
(``same_results``), and the planted copies/rewrites found (``planted_found``) are reported
for each, so a speed-up never hides a loss.

**What is not measured here** (docs/scale.md): a million articles, PostgreSQL, a multi-machine
cluster, GPUs. The ratios mean little on a shared 2-core machine, where two workers compete
with each other and with the driver for the same two cores.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # corpus_synth beside this script

import corpus_synth  # noqa: E402
from segments import Heartbeat, total  # noqa: E402

import storyline  # noqa: E402
from storyline.run.common import RayOptions  # noqa: E402
from storyline.run.local import run_steps  # noqa: E402


def write_input(corpus: corpus_synth.Corpus, folder: Path) -> Path:
    path = folder / "input.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for row, text in enumerate(corpus.texts):
            fh.write(json.dumps({"url": f"https://example.test/a/{row}", "title": f"Article {row}",
                                 "text": text}) + "\n")
    return path


def measure(name: str, db: Path, source: Path, run, beat: Heartbeat) -> dict:
    with beat, storyline.open(db) as desk:
        ingest = desk.ingest([source], analyze=False)
        beat.ingested = len(ingest.added)
        beat("", 0, "ingest")
        beat.names = {step.describe(): step.name for step in desk.steps()}
        report = run(desk, beat)
        steps = {s.step: round(s.seconds, 2) for s in report.steps}
        segments = beat.write(finished=steps)
        rows = [tuple(sorted((p.source_id, p.derived_id))) for p in desk.store.reuse()]
        stored = {"articles": desk.store.count(), "reuse": len(rows),
                  "stories": len(desk.store.stories()), "people": len(desk.store.people())}
    summed = total(segments)
    print(f"{name}: {summed['seconds']:.1f} s in {len(segments)} segment(s)", file=sys.stderr)
    return {**summed, "ingested": sum(s["ingested"] for s in segments),
            "failed": len(report.problems), "stored": stored, "pairs": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--cpus", type=int, default=2, help="CPUs of the local Ray cluster")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--resume", action="store_true",
                        help="keep the configurations --work holds a result of (same --articles and --seed)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="storyline-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = corpus_synth.build(args.data_dir, args.articles, args.seed)
    source = write_input(corpus, work)
    key = {"articles": args.articles, "seed": args.seed, "ray_cpus": args.cpus}

    def done(name: str) -> dict | None:
        path = work / f"result-{name}.json"
        if not (args.resume and path.exists()):
            return None
        kept = json.loads(path.read_text(encoding="utf-8"))
        return kept["result"] if kept.get("key") == key else None

    def measured(name: str, label: str, db: Path, run) -> dict:
        if (kept := done(name)) is not None:
            print(f"{label}: kept from {work / f'result-{name}.json'}", file=sys.stderr)
            return kept
        beat = Heartbeat(work / f"segments-{name}.json", key, args.resume)
        if not beat.segments:  # not resuming this configuration: start from an empty store
            for leftover in db.parent.glob(db.name + "*"):
                shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        else:
            print(f"{label}: going on after {len(beat.segments)} segment(s)", file=sys.stderr)
        result = measure(label, db, source, run, beat)
        (work / f"result-{name}.json").write_text(json.dumps({"key": key, "result": result}), encoding="utf-8")
        return result

    results = {"local": measured("local", "local", work / "local.db",
                                 lambda desk, beat: run_steps(desk.store, desk.steps(), progress=beat))}

    from storyline.run.ray_exec import cluster, run_steps_ray

    startup = {}
    for workers in (1, 2):
        name = f"ray_{workers}"
        if done(name) is not None:
            results[name] = done(name)
            continue
        # A cluster of its own: worker processes kept from another configuration would bring
        # their loaded models and memos with them.
        started = time.perf_counter()
        with cluster(RayOptions(), num_cpus=args.cpus):
            startup[name] = round(time.perf_counter() - started, 2)
            options = RayOptions(workers=workers)
            results[name] = measured(
                name, f"ray, {workers} worker(s)", work / f"ray{workers}.db",
                lambda desk, beat, options=options: run_steps_ray(desk.store, desk.steps(), options=options,
                                                                     progress=beat))

    planted = {tuple(sorted((corpus.ids[a], corpus.ids[b]))) for a, b in corpus.planted}
    stored_ids = _stored_ids(work / "local.db", corpus)
    for result in results.values():
        pairs = {tuple(sorted((stored_ids.get(a, a), stored_ids.get(b, b)))) for a, b in result.pop("pairs")}
        result["planted_found"] = round(len(planted & pairs) / len(planted), 3) if planted else None
    print(json.dumps({
        "benchmark": "scale", "articles": args.articles, "ray_cpus": args.cpus,
        "ray_startup_seconds": startup or None, **results,
        "same_results": len({json.dumps(r["stored"], sort_keys=True) for r in results.values()}) == 1,
        "local_over_ray_2": round(results["local"]["seconds"] / results["ray_2"]["seconds"], 2),
        "ray_1_over_ray_2": round(results["ray_1"]["seconds"] / results["ray_2"]["seconds"], 2),
    }))


def _stored_ids(db: Path, corpus: corpus_synth.Corpus) -> dict[str, str]:
    """Stored article id -> the corpus id of the row it came from (matched by the row's URL)."""
    with storyline.open(db) as desk:
        rows = {a.url: a.id for a in desk.store.articles()}
    return {rows[f"https://example.test/a/{row}"]: corpus.ids[row]
            for row in range(len(corpus.texts)) if f"https://example.test/a/{row}" in rows}


if __name__ == "__main__":
    main()
