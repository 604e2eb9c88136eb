#!/usr/bin/env python3
"""What finding the due work costs as the store grows: each linking step's ``due`` query on a
store where everything is done except the newest ``--new`` articles.

Usage::

    python benchmarks/due_queries.py WORK_DIR [--sizes 10000,1000000] [--new 100] [--repeats 3]

e.g. ``PYTHONPATH=src .venv/bin/python benchmarks/due_queries.py /tmp/due``. WORK_DIR receives
the SQLite files (about 0.4 GB at a million articles; reused by a later run with the same sizes).
Progress goes to stderr; the LAST stdout line is one JSON object.

The rows are synthetic and minimal (no article text is read: these queries never look at it):
per article an analysis, sentence vectors, a fingerprint, its candidates looked up, the people
step done, one candidate pair and its comparison with the next article, and a story of two
articles with its facts built. They are written with plain SQL into a store made by the
product's migrations (so the tables and indexes are the product's), then the product's own
``Store`` methods are timed: ``unembedded``, ``unfingerprinted``, ``candidates_due``,
``uncompared``, ``people_due``, ``unclustered``, ``story_facts_due``. Best of ``--repeats``,
in milliseconds, per size, and the ratio of the largest size to the smallest. A linking run
calls each of them once (then works through the due keys in batches), so their sum is the
fixed cost a run pays before it adds anything.

Two designs in the same run (issue 15): ``scan`` is each query over its whole table (what every
run paid before the change log); ``log`` is what run/due.py asks now: the keys the change log
names since the step's cursor (``changed_keys``), then the same query restricted to them
(``among=``), as each step's ``due_among`` does. The log holds what the writers would have
logged for the new articles (stored, analysed, fingerprinted, their candidate pairs), and each
step's cursor sits just before them. Both designs must find the same keys (checked).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import storyline
from storyline.link.people.incremental import PEOPLE_VERSION
from storyline.link.reuse.candidates import FINGERPRINT_VERSION
from storyline.link.reuse.steps import CANDIDATES_VERSION, REUSE_VERSION
from storyline.link.reuse.vectors import EMBED_VERSION
from storyline.link.stories.facts import FACTS_VERSION
from storyline.run.common import ANALYZER_VERSION

CLUSTER_VERSION = "bench"
OLD = "2026-01-01T00:00:00.000000+00:00"
NEW = "2026-06-01T00:00:00.000000+00:00"
CHUNK = 50_000


def build(path: Path, n: int, new: int) -> None:
    if path.exists():
        return
    tmp = path.with_suffix(".part")
    tmp.unlink(missing_ok=True)
    with storyline.open(tmp) as desk:
        db = desk.store.db
        done = n - new
        for lo in range(0, n, CHUNK):
            ids = [f"a{k:08d}" for k in range(lo, min(n, lo + CHUNK))]
            with db.writing("bench rows"):
                db.run_many("INSERT INTO articles (id, content_hash, source, body, fields, cuts, ingested_at) "
                            "VALUES (?, ?, 'bench', '', '{}', '[]', ?)", [(i, i, OLD) for i in ids])
                old = [i for i in ids if int(i[1:]) < done]
                db.run_many("INSERT INTO analyses (article_id, version, analysed_at) VALUES (?, ?, ?)",
                            [(i, ANALYZER_VERSION, OLD) for i in ids])
                db.run_many("INSERT INTO sentence_vectors (article_id, version, spans, vectors) VALUES (?, ?, ?, ?)",
                            [(i, EMBED_VERSION, b"", b"") for i in old])
                db.run_many("INSERT INTO fingerprints (article_id, version, shingles, words) VALUES (?, ?, ?, ?)",
                            [(i, FINGERPRINT_VERSION, b"", b"") for i in ids])
                db.run_many("INSERT INTO candidates_done (article_id, version) VALUES (?, ?)",
                            [(i, CANDIDATES_VERSION) for i in old])
                db.run_many("INSERT INTO people_done (article_id, version, analysed_at) VALUES (?, ?, ?)",
                            [(i, PEOPLE_VERSION, OLD) for i in old])
                pairs = [(f"a{k:08d}", f"a{k + 1:08d}") for k in range(lo, min(n, lo + CHUNK)) if k % 2 == 0 and k + 1 < n]
                db.run_many("INSERT INTO reuse_candidates (first_id, second_id, found_by) VALUES (?, ?, 'words')", pairs)
                db.run_many("INSERT INTO reuse_pairs (first_id, second_id, source_id, derived_id, kind, "
                            "direction_confidence, coverage, source_coverage, verbatim, similarity, evidence, aligned, "
                            "changes, version, compared_at) VALUES (?, ?, ?, ?, 'partial', 0, 0, 0, 0, 0, '[]', '[]', "
                            "'[]', ?, ?)", [(a, b, a, b, REUSE_VERSION, OLD) for a, b in pairs if int(b[1:]) < done])
                db.run_many("INSERT INTO story_members (article_id, story_id, seq, version) VALUES (?, ?, ?, ?)",
                            [(i, f"s{int(i[1:]) // 2:08d}", int(i[1:]), CLUSTER_VERSION) for i in old])
                stories = sorted({f"s{int(i[1:]) // 2:08d}" for i in old})
                db.run_many("INSERT INTO stories (id, label, key_entities, undated, size, updated_at) "
                            "VALUES (?, '', '[]', 0, 2, ?)", [(s, OLD) for s in stories])
                db.run_many("INSERT INTO story_facts (story_id, state, version, built_at, facts) VALUES (?, '', ?, ?, '{}')",
                            [(s, FACTS_VERSION, NEW) for s in stories])
            print(f"  {path.name}: {min(n, lo + CHUNK):,} articles", file=sys.stderr)
    tmp.rename(path)


def log_changes(db, n: int, new: int) -> None:
    """The change log as the writers leave it after storing, analysing and fingerprinting the
    ``new`` articles and writing their candidate pairs; every cursor just before."""
    ids = [f"a{k:08d}" for k in range(n - new, n)]
    pairs = [(f"a{k:08d}", f"a{k + 1:08d}") for k in range(n - new - 1, n - 1) if k % 2 == 0]
    with db.writing("bench change log"):
        db.run("DELETE FROM changes")
        db.run("DELETE FROM step_cursors")
        start = db.run("SELECT COALESCE(MAX(seq), 0) FROM changes").fetchone()[0]
        for kind in ("article", "analysis", "fingerprint"):
            db.run_many("INSERT INTO changes (kind, key) VALUES (?, ?)", [(kind, i) for i in ids])
        db.run_many("INSERT INTO changes (kind, key) VALUES ('candidate', ?)", [(i,) for p in pairs for i in p])
    return start


def log_queries(store, since: int):
    """Each step's due work as run/due.py finds it: changed keys, then the restricted query."""
    def among(*kinds):
        changed = store.changed_keys(list(kinds), since)
        return [k for kind in kinds for k in changed[kind]]

    def facts():
        articles = among("analysis", "pair")
        stories = [m.story_id for m in store.memberships_of(articles)]
        return store.story_facts_due(FACTS_VERSION, among=[*stories, *among("story")])

    return {
        "unembedded": lambda: store.unembedded(EMBED_VERSION, among=among("article")),
        "unfingerprinted": lambda: store.unfingerprinted(FINGERPRINT_VERSION, among=among("article")),
        "candidates_due": lambda: store.candidates_due(CANDIDATES_VERSION, FINGERPRINT_VERSION,
                                                       among=among("fingerprint")),
        "uncompared": lambda: store.uncompared(REUSE_VERSION, among=among("candidate", "analysis")),
        "people_due": lambda: store.people_due(PEOPLE_VERSION, among=among("analysis")),
        "unclustered": lambda: store.unclustered(CLUSTER_VERSION, among=among("article")),
        "story_facts_due": facts,
    }


def timed(query, repeats: int) -> tuple[float, list]:
    best, found = float("inf"), []
    for _ in range(repeats):
        started = time.perf_counter()
        found = query()
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1), found


def queries(store):
    return {
        "unembedded": lambda: store.unembedded(EMBED_VERSION),
        "unfingerprinted": lambda: store.unfingerprinted(FINGERPRINT_VERSION),
        "candidates_due": lambda: store.candidates_due(CANDIDATES_VERSION, FINGERPRINT_VERSION),
        "uncompared": lambda: store.uncompared(REUSE_VERSION),
        "people_due": lambda: store.people_due(PEOPLE_VERSION),
        "unclustered": lambda: store.unclustered(CLUSTER_VERSION),
        "story_facts_due": lambda: store.story_facts_due(FACTS_VERSION),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("work", type=Path)
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--new", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict[str, dict] = {}
    for n in sizes:
        path = args.work / f"due-{n}-{args.new}.db"
        build(path, n, args.new)
        with storyline.open(path) as desk:
            since = log_changes(desk.store.db, n, args.new)
            ms, log_ms, due = {}, {}, {}
            scans, logged = queries(desk.store), log_queries(desk.store, since)
            for name in scans:
                ms[name], found = timed(scans[name], args.repeats)
                log_ms[name], from_log = timed(logged[name], args.repeats)
                if sorted(found) != sorted(from_log):
                    raise SystemExit(f"{name}: the log finds {len(from_log)} keys, the scan {len(found)}")
                due[name] = len(found)
            results[str(n)] = {"ms": ms, "total_ms": round(sum(ms.values()), 1), "log_ms": log_ms,
                               "log_total_ms": round(sum(log_ms.values()), 1), "due": due}
            print(json.dumps({n: results[str(n)]}), file=sys.stderr)
    small, big = results[str(sizes[0])], results[str(sizes[-1])]
    print(json.dumps({
        "benchmark": "due_queries",
        "backend": "sqlite",
        "new": args.new,
        "sizes": results,
        "ratio": {k: round(big["ms"][k] / max(small["ms"][k], 0.1), 1) for k in big["ms"]},
        "total_ms_per_new_article": {n: round(r["total_ms"] / args.new, 2) for n, r in results.items()},
        "log_total_ms_per_new_article": {n: round(r["log_total_ms"] / args.new, 3) for n, r in results.items()},
        "log_ratio": round(big["log_total_ms"] / max(small["log_total_ms"], 0.1), 2),
        "scan_over_log": {n: round(r["total_ms"] / max(r["log_total_ms"], 0.1), 1) for n, r in results.items()},
    }))


if __name__ == "__main__":
    main()
