#!/usr/bin/env python3
"""Time ``Desk.find_reuse`` on a fresh store: the whole reuse stage, first run and re-run.

Usage::

    python benchmarks/reuse_speed.py DATA_DIR [--articles 120] [--db-dir /tmp] [--json-only]

e.g. ``python benchmarks/reuse_speed.py ../shared/eval``

The corpus is examples/corpus plus the first ``--articles`` news documents of ECB+
(``DATA_DIR/stories-ecbplus/docs.jsonl``, written to a JSONL file at run time; nothing is copied
into the repository). ECB+ groups documents by topic, so many pairs are same-story candidates
to compare, as in a real news pile. Articles are ingested without analysis (the comparison's
kind and direction do not need it), then ``find_reuse`` runs twice on the same SQLite store:
``first_s`` (embedding, fingerprints, candidates, comparisons) and ``rerun_s`` (nothing due).
It calls only ``storyline.open`` and ``Desk``, so it times any version of the code put first
on PYTHONPATH. Prints one JSON line: articles, candidates, compared, reuse, by_source, times.

``--headlines N`` takes instead the first N rows of the UCI News Aggregator's CSV
(``DATA_DIR/stories-uci-headlines``, 0 for all), ingested as a user would (the product's CSV
reader: each row a brief, its headline standing for the text): a headline dump, where same-story
pairs are many and every text is one line.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import storyline

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "corpus"


def write_corpus(data_dir: Path, n: int, out: Path) -> Path:
    """The first ``n`` ECB+ documents as a JSONL of articles (title: the first line)."""
    path = out / "ecbplus.jsonl"
    with (data_dir / "stories-ecbplus" / "docs.jsonl").open(encoding="utf-8") as src, \
            path.open("w", encoding="utf-8") as dst:
        for k, line in enumerate(src):
            if k >= n:
                break
            doc = json.loads(line)
            text = doc["text"]
            dst.write(json.dumps({"url": f"https://ecbplus.example/{doc['doc_id']}", "title": text.split("\n")[0][:120],
                                  "text": text, "outlet": f"Outlet {doc['topic']}"}) + "\n")
    return path


def write_headlines(data_dir: Path, n: int, out: Path) -> Path:
    """The header and the first ``n`` rows (all for 0) of the UCI CSV, as a CSV file in ``out``."""
    source = next((data_dir / "stories-uci-headlines").glob("*.csv"))
    path = out / "headlines.csv"
    with source.open(encoding="utf-8", errors="replace", newline="") as src, \
            path.open("w", encoding="utf-8", newline="") as dst:
        for k, line in enumerate(src):
            if n and k > n:
                break
            dst.write(line)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data_dir", type=Path, help="evaluation data folder (e.g. ../shared/eval)")
    ap.add_argument("--articles", type=int, default=120, help="ECB+ documents added (default 120)")
    ap.add_argument("--headlines", type=int, default=None, metavar="N",
                    help="the first N UCI headline rows instead of ECB+ (0: all)")
    ap.add_argument("--db-dir", type=Path, default=None, help="where the store is made (a temporary folder)")
    ap.add_argument("--json-only", action="store_true", help="print only the JSON line")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=args.db_dir) as tmp:
        if args.headlines is None:
            paths = [EXAMPLES, write_corpus(args.data_dir, args.articles, Path(tmp))]
        else:
            paths = [write_headlines(args.data_dir, args.headlines, Path(tmp))]
        with storyline.open(Path(tmp) / "reuse.db") as desk:
            desk.ingest(paths, analyze=False)
            count = desk.store.count()
            start = time.perf_counter()
            report = desk.find_reuse()
            first = time.perf_counter() - start
            start = time.perf_counter()
            desk.find_reuse()
            rerun = time.perf_counter() - start
    result = {"articles": count, "candidates": report.candidates, "compared": report.compared,
              "reuse": report.reuse, "by_source": report.by_source, "problems": len(report.problems),
              "first_s": round(first, 2), "rerun_s": round(rerun, 2)}
    if not args.json_only:
        print(f"find_reuse over {count} articles: {first:.1f} s, re-run {rerun:.2f} s", file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
