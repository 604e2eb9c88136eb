#!/usr/bin/env python3
"""Headlines grouped into events: ``storyline.link.stories.events`` on ECB+ headlines.

Usage::

    python benchmarks/headline_events.py PATH [--split train|dev|all] [--thresholds 0.3,0.35,...]
                                              [--store DB [--store-only]]

e.g. ``.venv/bin/python benchmarks/headline_events.py ../shared/eval/stories-ecbplus --split train``

A story told by briefs (a headline dump, feed entries without their pages) has no sentence that
names a day, so its events are its headlines, grouped by what they say (events.headline_mention,
events.group_events). This measures that grouping where the truth is known: each ECB+ topic is
one story of two real events of the same kind (Tara Reid's rehab and Lindsay Lohan's; two
earthquakes in one region), and each document's first line (after a URL line) is its headline
(the ecbplus pages' headline; the ecb documents' first line is a headline or the lede).
Headlines are embedded by the product's sentence encoder (analyze.embed), all of a topic's
headlines taken as one day's mentions, and grouped:

* ``average link`` at each threshold (events.average_link, what the product runs on headlines);
* ``single link`` at events.SAME_EVENT (what the product runs on dated sentences), for comparison.

Scored within topics (only pairs of one topic count; a topic is the story): pair P / R / F1 of
"same event", and BCubed F1 per topic averaged over documents. Also the product's rule as
shipped (``shipped``: average link at HEADLINE_SAME, groups of one left out, their documents
counted as singletons). Nothing of the data is stored in this repository. The last stdout line
is one JSON object.

``--store DB`` also builds the report of every story of two or more articles in an existing
store (e.g. the UCI headlines stored by ``stories.py --via cli --workdir W``: ``W/store.db``)
from nothing, without storing it, and counts its events: stories with any, events, events of one
article, and the covered articles (report.MAX_ARTICLES a story) that are in an event. Run it
with ``--store-only`` (no calibration) from a copy of this script in another checkout's
``benchmarks/`` for that design's counts (stories.py, imported here, puts its checkout's ``src``
first on the path).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stories import bcubed, detokenise  # noqa: E402

from storyline.analyze.embed import embed  # noqa: E402
from storyline.link.stories import events  # noqa: E402

URL_LINE = ("http", "www")


def headlines(folder: Path, split: str) -> dict[str, list[tuple[str, str, str]]]:
    """{topic: [(doc_id, gold event, headline)]} of the split."""
    out: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for line in (folder / "docs.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        if split != "all" and r["split"] != split:
            continue
        lines = [x for x in r["text"].split("\n") if x.strip()]
        if lines and lines[0].replace(" ", "").startswith(URL_LINE):
            lines = lines[1:]
        if lines:
            out[str(r["topic"])].append((r["doc_id"], r["cluster_id"], detokenise(lines[0])))
    return out


def single_link(vectors: np.ndarray, threshold: float) -> list[list[int]]:
    """The product's single link (events._single_link, at its SAME_EVENT bar) over the rows."""
    assert threshold == events.SAME_EVENT
    day = dt.date(2026, 1, 1)
    found = [events.Mention(str(i), 0, 0, v, day, None, False) for i, v in enumerate(vectors)]
    return [[int(m.article_id) for m in group] for group in events._single_link(found)]


def score(topics, vectors, grouping) -> dict:
    tp = fp = fn = 0
    pred_all, gold_all = [], []
    for topic, docs in topics.items():
        groups = grouping(vectors[topic])
        label = {}
        for k, g in enumerate(groups):
            for i in g:
                label[i] = f"{topic}:{k}"
        pred = [label.get(i, f"{topic}:alone{i}") for i in range(len(docs))]
        gold = [d[1] for d in docs]
        for i in range(len(docs)):
            for j in range(i + 1, len(docs)):
                same_p, same_g = pred[i] == pred[j], gold[i] == gold[j]
                tp += same_p and same_g
                fp += same_p and not same_g
                fn += same_g and not same_p
        pred_all += pred
        gold_all += gold
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    b = bcubed(pred_all, gold_all)
    return {"pair_p": round(p, 3), "pair_r": round(r, 3), "pair_f1": round(f, 3), "bcubed_f1": round(b["bcubed_f1"], 3)}


def store_events(db: Path) -> dict:
    from storyline.link.stories.report import MAX_ARTICLES, build_report
    from storyline.store import open_store

    if not db.is_file():
        raise SystemExit(f"{db}: no such store")
    # A copy: a build stores the value pairs it compares (a cache), and the store stays as it was.
    work = Path(tempfile.mkdtemp(prefix="headline-events-"))
    shutil.copyfile(db, work / "store.db")
    store = open_store(work / "store.db")
    counts = dict.fromkeys(("stories", "with_events", "events", "one_article_events", "covered_articles",
                            "articles_in_an_event"), 0)
    for story in store.stories():
        if len(story.article_ids) < 2:
            continue
        found = build_report(store, story, stored=False).events
        counts["stories"] += 1
        counts["with_events"] += bool(found)
        counts["events"] += len(found)
        counts["one_article_events"] += sum(len(set(e.article_ids)) == 1 for e in found)
        counts["covered_articles"] += min(len(story.article_ids), MAX_ARTICLES)
        counts["articles_in_an_event"] += len({a for e in found for a in e.article_ids})
    store.close()
    shutil.rmtree(work, ignore_errors=True)
    return counts


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", type=Path)
    ap.add_argument("--split", default="train", choices=("train", "dev", "all"))
    ap.add_argument("--thresholds", default="0.3,0.35,0.4,0.45,0.5,0.55,0.6,0.65,0.7")
    ap.add_argument("--store", type=Path, help="also count the events of this store's stories")
    ap.add_argument("--store-only", action="store_true", help="only count the store's events")
    args = ap.parse_args(argv)
    if not (args.path / "docs.jsonl").is_file():
        ap.error(f"{args.path}: no docs.jsonl (an ECB+ folder, as ../shared/eval/stories-ecbplus)")
    if args.store_only:
        if not args.store:
            ap.error("--store-only needs --store DB")
        out = {"store": store_events(args.store)}
        print(json.dumps(out))
        return out
    topics = headlines(args.path, args.split)
    vectors = {t: embed([d[2] for d in docs]) for t, docs in topics.items()}
    out = {"split": args.split, "topics": len(topics), "headlines": sum(map(len, topics.values())),
           "single_link": {str(events.SAME_EVENT): score(topics, vectors, lambda v: single_link(v, events.SAME_EVENT))},
           "average_link": {}}
    for t in (float(x) for x in args.thresholds.split(",")):
        out["average_link"][str(t)] = score(topics, vectors, lambda v, t=t: events.average_link(v, t))
        print(f"average link {t}: {out['average_link'][str(t)]}", file=sys.stderr)

    def shipped(v):
        return [g for g in events.average_link(v, events.HEADLINE_SAME) if len(g) > 1]

    out["shipped"] = {"headline_same": events.HEADLINE_SAME, **score(topics, vectors, shipped)}
    if args.store:
        out["store"] = store_events(args.store)
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
