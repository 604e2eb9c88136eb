#!/usr/bin/env python3
"""Reading and cleaning input files: the local engine against the Ray engine, same files, same run.

Usage::

    python benchmarks/read_speed.py HTML_DIR [--workers 2]

e.g. ``PYTHONPATH=src .venv/bin/python benchmarks/read_speed.py ../shared/eval/extraction-zyte/html``.
Progress goes to stderr; the LAST stdout line is one JSON object.

The files of ``HTML_DIR`` (``.html`` or ``.html.gz``; the Zyte extraction set is 181 real news
pages) are written, uncompressed, under a temporary folder. Then that folder is
ingested (``analyze=False``: reading, extraction, cleaning and storing only) into two fresh
SQLite stores: once by ``Ingesting.paths`` on this process (the local engine), once with
``ray_exec.file_reader`` on a local Ray cluster of ``--workers`` CPUs (the Ray engine: a task a
file, the articles stored here in file order). Reported: wall seconds of each, the ratio, and
whether both stores hold the same article ids in the same order (they must).
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import storyline


def _inputs(source: Path, folder: Path) -> int:
    files = sorted([*source.glob("*.html"), *source.glob("*.html.gz")])
    for f in files:
        raw = gzip.decompress(f.read_bytes()) if f.suffix == ".gz" else f.read_bytes()
        (folder / f.name.removesuffix(".gz")).write_bytes(raw)
    return len(files)


def _ids(db: Path) -> list[str]:
    with storyline.open(db) as desk:
        return [a.id for a in desk.store.articles()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("html_dir", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    from storyline.run.common import RayOptions
    from storyline.run.ingest import Ingesting
    from storyline.run.ray_exec import cluster, file_reader

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inputs = work / "in"
        inputs.mkdir()
        n = _inputs(args.html_dir, inputs)
        print(f"{n} files", file=sys.stderr)
        seconds = {}
        for engine in ("local", "ray"):
            db = work / f"{engine}.db"
            with storyline.open(db) as desk:
                ingesting = Ingesting(desk.store, None)
                if engine == "local":
                    started = time.perf_counter()
                    report = ingesting.paths([inputs])
                else:
                    options = RayOptions(workers=args.workers)
                    with cluster(options, num_cpus=args.workers):
                        started = time.perf_counter()  # the cluster's start is not reading
                        report = ingesting.paths([inputs], read=file_reader(options, 2**22))
                seconds[engine] = time.perf_counter() - started
            print(f"{engine}: {len(report.added)} added, {len(report.problems)} problems, "
                  f"{seconds[engine]:.1f} s", file=sys.stderr)
        same = _ids(work / "local.db") == _ids(work / "ray.db")
        shutil.rmtree(inputs)
    print(json.dumps({"benchmark": "read_speed", "files": n, "workers": args.workers,
                      "local_s": round(seconds["local"], 2), "ray_s": round(seconds["ray"], 2),
                      "speedup": round(seconds["local"] / seconds["ray"], 2), "same_articles": same}))


if __name__ == "__main__":
    main()
