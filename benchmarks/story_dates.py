#!/usr/bin/env python3
"""When was an undated article published? ``link/stories/dates.py`` scored by hiding known dates.

Usage::

    python benchmarks/story_dates.py STORE.db [--min-size 2] [--limit N]

e.g. ``OMP_NUM_THREADS=1 .venv/bin/python benchmarks/story_dates.py /tmp/ecb_train/store.db``, a
store kept by ``benchmarks/stories.py ../shared/eval/stories-ecbplus --split train --via cli
--workdir /tmp/ecb_train`` (ECB+ through the CLI: 208 of 575 documents dated by their
datelines, which the ingest cuts from the body into the publication date).

A story's report dates its undated articles from their dated neighbours (dates.infer_dates:
restated sentences whose relative dates must agree, else the span of the dated neighbours) and
resolves their "on Thursday" against the likeliest day (events.anchor_day). The truth is known
for the dated articles only, so each is taken in turn as undated (leave one out): its stated
date hidden, the rest of its story as stored, the inference run as the report runs it (the
report's own sentences and vectors, link/stories/report.py). Scored over every dated article of
a story of ``--min-size`` articles or more with another dated member:

* ``inferred``: the share given a range at all (none: no dated neighbour left, or no evidence);
* ``in_range``: the share whose true day lies in the inferred range; ``mean_width``: the mean
  width of the ranges (days);
* ``likely_exact`` / ``likely_within_3``: the share whose likeliest day (the anchor for relative
  dates) is the true day, or within three days; ``likely_none``: the share with no likeliest day
  (a range wider than 31 days: relative dates then stay unresolved);
* ``by_evidence``: the same counts split by what gave the range (restatements, or the
  neighbours' span).

To compare another design, run this script with ``PYTHONPATH`` on that checkout's ``src`` in the
same session (the script puts its own checkout's ``src`` first; copy it there).

Reads the store, writes nothing (vectors not stored yet are embedded in memory). The last
stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))


def _evidence_kind(reasons: tuple[str, ...]) -> str:
    if not reasons:
        return "none"
    return "neighbours' span" if any("span of its dated story neighbours" in r for r in reasons) else "restatements"


def _score(got, truth: dt.date, sentences, anchor_day, counts: Counter, by_kind: dict[str, Counter],
           widths: list[int]) -> None:
    counts["articles"] += 1
    kind = _evidence_kind(got.evidence if got.first else ())
    k = by_kind.setdefault(kind, Counter())
    k["articles"] += 1
    if got.first is None:
        return
    first, last = dt.date.fromisoformat(got.first), dt.date.fromisoformat(got.last)
    counts["inferred"] += 1
    widths.append((last - first).days + 1)
    inside = first <= truth <= last
    counts["in_range"] += inside
    k["in_range"] += inside
    likely = anchor_day(got, sentences)
    if likely is None:
        counts["likely_none"] += 1
        k["likely_none"] += 1
        return
    off = abs((likely - truth).days)
    for c in (counts, k):
        c["likely_exact"] += off == 0
        c["likely_within_3"] += off <= 3


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store", type=Path)
    ap.add_argument("--min-size", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="first N stories (largest first); 0: all")
    args = ap.parse_args(argv)
    if not args.store.exists():
        raise SystemExit(f"{args.store}: no such store")

    from storyline.ingest.dates import published_day
    from storyline.link.stories.dates import infer_dates
    from storyline.link.stories.events import anchor_day
    from storyline.link.stories.report import MAX_ARTICLES, _dated_sentences, _vectors
    from storyline.records import Analysis
    from storyline.store import open_store

    store = open_store(str(args.store))
    stories = sorted((s for s in store.stories() if len(s.article_ids) >= args.min_size),
                     key=lambda s: (-len(s.article_ids), s.id))
    if args.limit:
        stories = stories[: args.limit]
    counts: Counter = Counter()
    by_kind: dict[str, Counter] = {}
    widths: list[int] = []
    for story in stories:
        articles = store.articles(ids=list(story.article_ids)[:MAX_ARTICLES])
        stated = {a.id: published_day(a.published) for a in articles}
        dated = [a for a, d in stated.items() if d]
        if len(dated) < 2:
            continue
        read = store.analyses_of([a.id for a in articles])
        analyses = {a.id: read.get(a.id) or Analysis(a.id) for a in articles}
        vectors, _ = _vectors(store, articles, analyses)
        sentences = _dated_sentences(articles, analyses, vectors)
        for aid in dated:
            hidden = {**stated, aid: None}
            _score(infer_dates(hidden, sentences)[aid], stated[aid], sentences, anchor_day, counts, by_kind, widths)
    n = counts["articles"] or 1
    out = {
        "store": str(args.store), "stories": len(stories), "articles": counts["articles"],
        "inferred": round(counts["inferred"] / n, 3), "in_range": round(counts["in_range"] / n, 3),
        "mean_width": round(sum(widths) / len(widths), 1) if widths else None,
        "likely_exact": round(counts["likely_exact"] / n, 3), "likely_within_3": round(counts["likely_within_3"] / n, 3),
        "likely_none": round(counts["likely_none"] / n, 3),
        "by_evidence": {kind: {"articles": k["articles"], **{key: round(k[key] / k["articles"], 3) for key in
                               ("in_range", "likely_exact", "likely_within_3", "likely_none")}}
                        for kind, k in sorted(by_kind.items())},
    }
    print(f"{out['articles']} dated articles hidden in turn: inferred {out['inferred']:.3f}, true day in range "
          f"{out['in_range']:.3f} (mean width {out['mean_width']} days), likeliest day exact {out['likely_exact']:.3f}, "
          f"within 3 days {out['likely_within_3']:.3f}, none {out['likely_none']:.3f}", file=sys.stderr)
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
