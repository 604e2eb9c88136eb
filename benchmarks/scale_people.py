#!/usr/bin/env python3
"""The people step over a whole analysed store, by name-key shards: the local executor (shards
one after another) against the Ray executor (shards as Ray tasks side by side), in the same run.

Usage::

    python benchmarks/scale_people.py STORE.db [--workers 2] [--cpus 2] [--work DIR] [--shards N]

``STORE.db`` is an analysed SQLite store (e.g. a base of ``benchmarks/incremental.py``, under
its ``--work`` folder: ``base-s0-sc100-n10000-st50000.db``); it is only read. Progress goes to
stderr; the LAST stdout line is one JSON object.

Three configurations: the previous design (article batches of 50, in order, one process), the
local executor (shards one after another) and the Ray executor (shards side by side). Each
configuration gets a copy of the store with its people forgotten (the people tables
emptied: every article is then new to the step, as in a first run or a bulk load) and runs the
people step alone with its executor. Reported: wall and CPU seconds (this process: the Ray
workers' CPU is theirs), the plan (shards, mentions), identities stored, whether both stored
the same identities (``same_results``: ids, names and members), and how close each is to
``merge_people`` over every mention of the store at once (BCubed over mentions; the batch merge
is what the step's incremental design is held to).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import storyline
from storyline.link.people import merge_people, sharded
from storyline.run.common import RayOptions
from storyline.run.local import run_steps
from storyline.run.people_steps import PEOPLE_STEP

PEOPLE_TABLES = ("person_members", "person_aliases", "person_roles", "person_keys", "person_surnames",
                 "people_done", "people_stats", "persons")


def forget_people(source: Path, target: Path) -> None:
    """A copy of ``source`` without people (the step's tables emptied)."""
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copy(f"{source}{suffix}", f"{target}{suffix}")
    with sqlite3.connect(target) as db:
        for table in PEOPLE_TABLES:
            db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        # Without its cursor the step scans for what is due (run/due.py): every article.
        db.execute("DELETE FROM step_cursors WHERE step = 'people'")


def identities(db: Path) -> list[tuple]:
    with storyline.open(db) as desk:
        return sorted((i.id, i.name, tuple(sorted(i.members))) for i in desk.store.people() if i.type == "PERSON")


def reference(db: Path) -> list[frozenset]:
    with storyline.open(db) as desk:
        ids = [a.id for a in desk.articles()]
        found = []
        for start in range(0, len(ids), 1000):
            found += [(f.article_id, f.entity) for f in desk.store.entities_of(ids[start:start + 1000], "PERSON",
                                                                            mentions=False)]
    return [frozenset(i.members) for i in merge_people(found) if i.type == "PERSON"]


def bcubed(predicted: list[frozenset], gold: list[frozenset]) -> dict:
    where_p = {m: g for g in predicted for m in g}
    where_g = {m: g for g in gold for m in g}
    items = [m for m in where_g if m in where_p]
    p = sum(len(where_p[m] & where_g[m]) / len(where_p[m]) for m in items) / len(items)
    r = sum(len(where_p[m] & where_g[m]) / len(where_g[m]) for m in items) / len(items)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4)}


def measure(name: str, db: Path, run) -> dict:
    print(f"[{time.strftime('%H:%M:%S')}] {name}", file=sys.stderr)
    with storyline.open(db) as desk:
        started, cpu = time.perf_counter(), time.process_time()
        report = run(desk.store)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    step = report.of("people")
    return {"wall_s": round(wall, 2), "driver_cpu_s": round(cpu, 2), "articles": step.done,
            "shards": step.counts.get("people shards", 0), "failed": len(step.problems)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path, help="an analysed SQLite store (read only)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cpus", type=int, default=2, help="CPUs of the local Ray cluster")
    parser.add_argument("--shards", type=int, default=None, help="STORYLINE_PEOPLE_SHARDS for both runs")
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    if args.shards:
        os.environ[sharded.SHARDS_ENV] = str(args.shards)
    work = Path(args.work or tempfile.mkdtemp(prefix="scale-people-"))
    work.mkdir(parents=True, exist_ok=True)
    previous_db, local_db, ray_db = work / "previous.db", work / "local.db", work / "ray.db"
    for db in (previous_db, local_db, ray_db):
        forget_people(args.store, db)
    out: dict = {"store": str(args.store), "cores": os.cpu_count(), "load_avg_start": os.getloadavg()}
    out["previous"] = measure("previous design: article batches", previous_db,
                              lambda store: run_steps(store, [replace(PEOPLE_STEP, shards=None)]))
    out["local"] = measure("local", local_db, lambda store: run_steps(store, [PEOPLE_STEP]))

    from storyline.run import ray_exec

    options = RayOptions(workers=args.workers)
    started = time.perf_counter()
    with ray_exec.cluster(options, num_cpus=args.cpus):
        out["ray_start_s"] = round(time.perf_counter() - started, 2)
        out["ray"] = measure(f"ray, {args.workers} workers", ray_db,
                             lambda store: ray_exec.run_steps_ray(store, [PEOPLE_STEP], options=options))
    local_people, ray_people = identities(local_db), identities(ray_db)
    out["identities"] = len(local_people)
    out["same_results"] = local_people == ray_people
    out["speedup_local_over_ray"] = round(out["local"]["wall_s"] / out["ray"]["wall_s"], 2)
    gold = reference(local_db)
    out["batch_merge_identities"] = len(gold)
    out["bcubed_vs_batch_merge"] = {
        "previous": bcubed([frozenset(m) for _, _, m in identities(previous_db)], gold),
        "shards": bcubed([frozenset(m) for _, _, m in local_people], gold)}
    out["speedup_previous_over_ray"] = round(out["previous"]["wall_s"] / out["ray"]["wall_s"], 2)
    out["load_avg_end"] = os.getloadavg()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
