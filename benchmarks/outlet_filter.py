#!/usr/bin/env python3
"""What finding an outlet's articles through its sightings costs the outlet filters: the
article list (``articles``/``count``), the article list page (``list_articles``), search
(``search_hits``/``count_hits``) and the story list (``stories``/``count_stories``), each
filtered by outlet, on a big SQLite store, against the previous design in the same run.

Usage::

    python benchmarks/outlet_filter.py --peer ../main/src [--articles 50000] [--repeat 15] [--rounds 3] [--db /tmp/of.db]

Protocol: a synthetic store (``--articles`` articles of random words from a fixed vocabulary,
over 25 outlets of Zipf-like sizes, in stories of 1 to 8 articles) is built by the PEER's code
(its schema, before sightings) unless ``--db`` exists already (built earlier, same sizes). A
copy is opened by this checkout (migrated in place) and given sightings: a copy of every tenth
article from another outlet at a new URL (``add_articles``). The peer times each query on its
store, this checkout on the copy, one process each, alternating for ``--rounds`` rounds (the
machine is shared: a change of load falls on both). Each query runs once untimed, then
``--repeat`` times; per query the median over the outlets asked (the largest, a middle one and
the smallest), then over the rounds.
Both sides read the same articles and stories; only the sightings (and their table) differ.
The LAST output line is one JSON object: per query both medians (ms) and the ratio
``this / peer``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

OUTLETS = [f"Outlet {chr(65 + i)}{chr(65 + i)}" for i in range(25)]
WORDS = ("harbour council minister budget storm ferry school hospital rail bridge election court "
         "police river market strike wages energy water housing tax farm port fishing vote mayor "
         "report plan inquiry fire flood road airport museum library festival contract union").split()
ASKED = (OUTLETS[0], OUTLETS[8], OUTLETS[-1])


def _build(db: str, count: int) -> None:
    """Build the store with whatever ``storyline`` is importable (the peer's)."""
    from storyline.ingest.convert import content_hash
    from storyline.records import Article, Story
    from storyline.store import open_store
    from storyline.store.records import Membership

    rng = random.Random(7)
    weights = [1 / (i + 1) for i in range(len(OUTLETS))]
    store = open_store(db)
    try:
        batch, members, stories, story_left, story_id = [], [], [], 0, None
        for n in range(count):
            body = f"Report {n}. " + " ".join(rng.choice(WORDS) for _ in range(60)) + "."
            digest = content_hash(body)
            day = f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}"
            batch.append(Article(id=digest[:16], content_hash=digest, source="bench", body=body,
                                 title=" ".join(rng.choice(WORDS) for _ in range(6)),
                                 url=f"https://news{n % 25}.example/{n}", published=day,
                                 outlet=rng.choices(OUTLETS, weights)[0]))
            if story_left == 0:
                story_id, story_left = digest[:16], rng.randint(1, 8)
                stories.append(Story(story_id, f"story {n}", first=day, last=day))
            members.append(Membership(digest[:16], story_id, n))
            story_left -= 1
            if len(batch) == 1000 or n == count - 1:
                store.add_articles(batch)
                batch = []
        store.put_stories(stories, members, [], "bench", "2026-12-31")
    finally:
        store.close()


def _add_sightings(db: str) -> int:
    from storyline.store import open_store

    import dataclasses

    store = open_store(db)
    try:
        chosen = store.articles()[::10]
        copies = [dataclasses.replace(a, url=f"https://copy.example/{a.id}",
                                      outlet=OUTLETS[(OUTLETS.index(a.outlet) + 3) % len(OUTLETS)])
                  for a in chosen]
        results = []
        for start in range(0, len(copies), 1000):
            results += store.add_articles(copies[start:start + 1000])
        return sum(r.sighting for r in results)
    finally:
        store.close()


def _queries(store, outlet: str) -> dict:
    return {
        "articles": lambda: store.articles(outlet=outlet, limit=100),
        "count": lambda: store.count(outlet=outlet),
        "list_articles": lambda: store.list_articles(outlet=outlet, limit=50),
        "search_hits": lambda: store.search_hits("harbour minister", outlet=outlet, limit=20),
        "count_hits": lambda: store.count_hits("harbour minister", outlet=outlet),
        "stories": lambda: store.stories(outlet=outlet, limit=20),
        "count_stories": lambda: store.count_stories(outlet=outlet),
    }


def _time(db: str, repeat: int) -> dict:
    from storyline.store import open_store

    store = open_store(db)
    try:
        per_query: dict[str, list[float]] = {}
        for outlet in ASKED:
            for name, run in _queries(store, outlet).items():
                run()
                samples = []
                for _ in range(repeat):
                    t = time.perf_counter()
                    run()
                    samples.append((time.perf_counter() - t) * 1000)
                per_query.setdefault(name, []).append(statistics.median(samples))
        return {name: round(statistics.median(v), 3) for name, v in per_query.items()}
    finally:
        store.close()


def _worker(src: str, *args: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(Path(src).resolve()))
    done = subprocess.run([sys.executable, __file__, "--worker", *args], env=env, capture_output=True,
                          text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--peer", help="The previous design's src folder (e.g. ../main/src); required.")
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=3, help="Alternating runs of each side.")
    parser.add_argument("--db", default="/tmp/outlet_filter.db", help="Built by the peer when missing.")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        verb, db, *rest = args.worker
        if verb == "build":
            _build(db, int(rest[0]))
            print("{}")
        elif verb == "sight":
            print(json.dumps({"sightings": _add_sightings(db)}))
        else:
            print(json.dumps(_time(db, int(rest[0]))))
        return
    if not args.peer:
        parser.error("--peer is required: the previous design's src folder")
    here = str(Path(__file__).resolve().parents[1] / "src")
    if not Path(args.db).exists():
        _worker(args.peer, "build", args.db, str(args.articles))
    ours_db = args.db + ".sightings"
    shutil.copyfile(args.db, ours_db)
    sightings = json.loads(_worker(here, "sight", ours_db))["sightings"]
    # The two sides alternate, round after round, so that a change in the machine's load (it
    # is shared) falls on both; per query, the median over the rounds.
    rounds: dict[str, list[dict]] = {"peer": [], "this": []}
    for _ in range(args.rounds):
        rounds["peer"].append(json.loads(_worker(args.peer, "time", args.db, str(args.repeat))))
        rounds["this"].append(json.loads(_worker(here, "time", ours_db, str(args.repeat))))
    os.remove(ours_db)
    peer, ours = ({q: round(statistics.median(r[q] for r in rounds[side]), 3) for q in rounds[side][0]}
                  for side in ("peer", "this"))
    for name in ours:
        print(f"{name:>14}: peer {peer[name]:8.2f} ms   this {ours[name]:8.2f} ms   ×{ours[name] / peer[name]:.2f}")
    print(json.dumps({"articles": args.articles, "sightings": sightings, "rounds": args.rounds,
                      "peer_ms": peer, "this_ms": ours,
                      "ratio": {k: round(ours[k] / peer[k], 3) for k in ours}}))


if __name__ == "__main__":
    main()
