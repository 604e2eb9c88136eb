#!/usr/bin/env python3
"""Score a planted story store by stretches of its stream: does the clusterer hold its quality
a million articles in?

Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/story_slices.py WORK_DIR [--config ray] [--size 1000000]
        [--seed 0] [--slice 100000]

``WORK_DIR`` is a ``scale_story_shards.py --work`` folder: its planted gold
(``planted-SIZE-sSEED.built``, article id -> planted story, real event, in stream order) and the
store a configuration ran (``CONFIG.db``). The store is opened read-only, so a run still going
can be scored: a round of time shards is stored whole, and the articles placed so far
(``placed``) are scored with the stories they are in now. Those can still change: a later
round that joins two stored stories moves the articles of one into the other (the merges of a
story that keeps returning), so an early stretch's figures move as the run goes on.

Reported: the scores of every placed article (pair and BCubed against the planted stories and
against real events, as ``scale_story_shards.py`` reports them), and per consecutive ``--slice``
articles of the stream the same scores of that stretch alone (the pairs inside it, each article's
story restricted to it): the first stretch against the last says whether depth costs quality.
The LAST stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stories import bcubed, pair_counts  # noqa: E402


def scores(pred: list[str], gold: list[tuple[int, int]]) -> dict:
    planted = [str(g[0]) for g in gold]
    events = [str(g[1]) for g in gold]
    out = {**pair_counts(pred, planted), **bcubed(pred, planted)}
    out.update({f"event_{k}": v for k, v in {**pair_counts(pred, events), **bcubed(pred, events)}.items()})
    out = {k: round(v, 4) for k, v in out.items()}
    out["articles"], out["stories"] = len(pred), len(set(pred))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("work", type=Path, help="a scale_story_shards.py --work folder")
    parser.add_argument("--config", default="ray", help="the configuration whose store to score (CONFIG.db)")
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--slice", type=int, default=100_000, help="articles of the stream a stretch")
    args = parser.parse_args()
    built = args.work / f"planted-{args.size}-s{args.seed}.built"
    db = args.work / f"{args.config}.db"
    for path in (built, db):
        if not path.exists():
            sys.exit(f"error: {path}: not found (run scale_story_shards.py --work {args.work} first)")
    gold = json.loads(built.read_text(encoding="utf-8"))  # stream order: the build wrote it so
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        found = dict(conn.execute("SELECT article_id, story_id FROM story_members"))
    order = [a for a in gold if a in found]  # placed articles, in stream order
    out: dict = {"store": str(db), "stream": len(gold), "placed": len(order),
                 "all": scores([found[a] for a in order], [tuple(gold[a]) for a in order]), "slices": []}
    for start in range(0, len(order), args.slice):
        part = order[start : start + args.slice]
        out["slices"].append({"from": start, **scores([found[a] for a in part], [tuple(gold[a]) for a in part])})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
