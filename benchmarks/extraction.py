#!/usr/bin/env python3
"""Article-body extraction quality on the Zyte article-extraction benchmark.

Usage::

    python benchmarks/extraction.py ../shared/eval/extraction-zyte [--bootstrap 1000] [--worst 15]

PATH is a copy of https://github.com/scrapinghub/article-extraction-benchmark data:
``ground-truth.json``, ``html/<id>.html.gz`` and ``reference-output/*.json``.

Scores, with the benchmark's own metric (re-implemented from its ``evaluate.py``):

* ``storyline``: ``storyline.ingest.html.extract_html(page_bytes, url=truth_url).body``
  (an ``InputError`` counts as an empty prediction);
* ``trafilatura_live``: ``trafilatura.extract(html)`` with default options, run now;
* ``trafilatura_live_upstream``: ``trafilatura.extract(html, include_comments=False)``, the call
  upstream's ``extractors/run_trafilatura.py`` makes;
* ``trafilatura_bare``: the exact ``trafilatura.bare_extraction`` call Storyline makes, its
  ``.text`` uncleaned, so that ``storyline - trafilatura_bare`` is what Storyline's cleaning does;
* ``reference``: every ``reference-output/*.json`` (checked against the published figures).

Progress and tables go to stdout; the LAST line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

# --- the metric (upstream evaluate.py, scrapinghub/article-extraction-benchmark) -------------

_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)
NGRAM = 4


def tokenize(text: str | None) -> list[str]:
    return _TOKEN_RE.findall(text or "")


def shingles(tokens: list[str], n: int = NGRAM) -> Counter:
    # As upstream: a text shorter than n tokens gives one (short) shingle; no tokens, none.
    out: Counter = Counter()
    for i in range(0, max(1, len(tokens) - n + 1)):
        sh = tuple(tokens[i : i + n])
        if sh:
            out[sh] += 1
    return out


def tp_fp_fn(true: str | None, pred: str | None) -> tuple[float, float, float]:
    t, p = shingles(tokenize(true)), shingles(tokenize(pred))
    tp = fp = fn = 0.0
    for key in t.keys() | p.keys():
        tc, pc = t.get(key, 0), p.get(key, 0)
        tp += min(tc, pc)
        fp += max(0, pc - tc)
        fn += max(0, tc - pc)
    s = tp + fp + fn
    if s > 0:  # every item weighs the same, whatever its length
        tp, fp, fn = tp / s, fp / s, fn / s
    return tp, fp, fn


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def metrics(items: list[tuple[float, float, float]]) -> dict[str, float]:
    """Mean precision and recall over items (F1 of the means), as upstream."""
    p = statistics.mean(_precision(*x) for x in items if x[0] + x[1] > 0)
    r = statistics.mean(_recall(*x) for x in items if x[0] + x[2] > 0)
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def score(truth: dict[str, dict], pred: dict[str, str | None], n_bootstrap: int = 0,
          seed: int = 0) -> tuple[dict, dict[str, tuple[float, float, float]]]:
    if truth.keys() != pred.keys():
        raise ValueError("prediction keys do not match ground truth")
    keys = list(truth)
    per = {k: tp_fp_fn(truth[k].get("articleBody", ""), pred[k]) for k in keys}
    items = [per[k] for k in keys]
    out: dict = metrics(items)
    exact = [tokenize(truth[k].get("articleBody", "")) == tokenize(pred[k]) for k in keys]
    out["accuracy"] = sum(exact) / len(exact)
    if n_bootstrap:
        rng = random.Random(seed)
        vals: dict[str, list[float]] = {}
        n = len(items)
        for _ in range(n_bootstrap):
            idx = [rng.randint(0, n - 1) for _ in range(n)]
            for key, v in metrics([items[i] for i in idx]).items():
                vals.setdefault(key, []).append(v)
            vals.setdefault("accuracy", []).append(sum(exact[i] for i in idx) / n)
        for key, v in vals.items():
            out[f"{key}_std"] = statistics.stdev(v)
    return out, per


def rounded(m: dict, digits: int = 4) -> dict:
    return {k: round(v, digits) for k, v in m.items()}


# --- predictions -----------------------------------------------------------------------------

# Published figures (README of the benchmark at commit 4a3bc97), for checking the scorer.
PUBLISHED = {
    "trafilatura": (0.958, 0.938, 0.978),
    "newspaper": (0.949, 0.964, 0.934),
    "news_please": (0.948, 0.964, 0.933),
    "readability": (0.922, 0.913, 0.931),
    "goose3": (0.896, 0.940, 0.856),
    "justext": (0.804, 0.858, 0.756),
    "html-text": (0.665, 0.500, 0.994),
}


def load_reference(path: Path) -> dict[str, str | None]:
    obj = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(obj, dict) and "output" in obj and isinstance(obj["output"], dict):
        obj = obj["output"]
    return {k: (v or {}).get("articleBody") for k, v in obj.items()}


def run_extractor(name: str, fn, pages: dict[str, bytes]) -> tuple[dict[str, str | None], float]:
    out: dict[str, str | None] = {}
    t0 = time.perf_counter()
    for i, (key, data) in enumerate(pages.items(), 1):
        out[key] = fn(key, data)
        if i % 50 == 0:
            print(f"  {name}: {i}/{len(pages)}", flush=True)
    return out, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", type=Path, help="folder with ground-truth.json, html/, reference-output/")
    ap.add_argument("--bootstrap", type=int, default=0, metavar="N",
                    help="bootstrap resamples for ± std (upstream uses 1000)")
    ap.add_argument("--worst", type=int, default=15, metavar="K",
                    help="list the K pages where Storyline loses most F1 against trafilatura")
    ap.add_argument("--dump", type=Path, metavar="DIR",
                    help="write each system's predictions as JSON into DIR (for inspection)")
    args = ap.parse_args(argv)

    import trafilatura

    from storyline.ingest.files import InputError
    from storyline.ingest.html import extract_html

    truth = json.loads((args.path / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {key: gzip.decompress((args.path / "html" / f"{key}.html.gz").read_bytes()) for key in truth}
    print(f"{len(truth)} items, {len(pages)} pages, trafilatura {trafilatura.__version__}", flush=True)

    results: dict = {}
    per_item: dict[str, dict] = {}

    # Reference outputs first: they check the scorer.
    print("\nreference outputs (scored here vs published F1/P/R):")
    reference: dict = {}
    all_match = True
    for ref in sorted((args.path / "reference-output").glob("*.json")):
        m, _ = score(truth, load_reference(ref), args.bootstrap)
        reference[ref.stem] = rounded(m)
        pub = PUBLISHED.get(ref.stem)
        # "agree to 3 decimal places": the unrounded figure lies within half a unit of the third.
        ok = pub is not None and all(abs(m[k] - v) <= 0.0005 + 1e-9 for k, v in zip(("f1", "p", "r"), pub))
        all_match &= ok
        print(f"  {ref.stem:<12} F1 {m['f1']:.3f} P {m['p']:.3f} R {m['r']:.3f} acc {m['accuracy']:.3f}"
              f"   published {pub}  {'OK' if ok else 'MISMATCH'}")
    print(f"  scorer reproduces published figures: {all_match}")

    def storyline_body(key: str, data: bytes) -> str:
        try:
            return extract_html(data, url=truth[key].get("url")).body
        except InputError:
            return ""

    def traf_default(key: str, data: bytes) -> str | None:
        return trafilatura.extract(data.decode("utf-8", "replace"))

    def traf_upstream(key: str, data: bytes) -> str | None:
        return trafilatura.extract(data.decode("utf-8", "replace"), include_comments=False)

    def traf_bare(key: str, data: bytes) -> str | None:
        doc = trafilatura.bare_extraction(data, url=truth[key].get("url"), with_metadata=True,
                                          include_comments=False)
        return doc.text if doc is not None else None

    systems = {
        "storyline": storyline_body,
        "trafilatura_live": traf_default,
        "trafilatura_live_upstream": traf_upstream,
        "trafilatura_bare": traf_bare,
    }
    preds: dict[str, dict] = {}
    print("\nlive extraction:")
    for name, fn in systems.items():
        pred, secs = run_extractor(name, fn, pages)
        preds[name] = pred
        m, per_item[name] = score(truth, pred, args.bootstrap)
        results[name] = rounded(m)
        empties = sum(1 for v in pred.values() if not (v or "").strip())
        std = (f" (±{m['f1_std']:.3f})" if "f1_std" in m else "")
        print(f"  {name:<26} F1 {m['f1']:.3f}{std} P {m['p']:.3f} R {m['r']:.3f} "
              f"acc {m['accuracy']:.3f}  empty {empties}  {secs:.1f}s")
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
            (args.dump / f"{name}.json").write_text(
                json.dumps({k: {"articleBody": v} for k, v in pred.items()}, ensure_ascii=False, indent=1))

    # Per-page: where does Storyline lose against trafilatura's default extract?
    def f1_of(x):
        p, r = _precision(*x), _recall(*x)
        return 2 * p * r / (p + r) if p + r else 0.0

    base = "trafilatura_live"
    deltas = sorted(((f1_of(per_item["storyline"][k]) - f1_of(per_item[base][k]), k) for k in truth))
    losing = [(d, k) for d, k in deltas if d < -1e-9]
    winning = [(d, k) for d, k in deltas if d > 1e-9]
    print(f"\nper page vs {base}: storyline worse on {len(losing)}, better on {len(winning)}, "
          f"equal on {len(truth) - len(losing) - len(winning)}")
    if args.worst and losing:
        print(f"  worst {min(args.worst, len(losing))} (item F1 storyline / bare / {base}, P/R of storyline):")
        for d, k in losing[: args.worst]:
            s, b, t = per_item["storyline"][k], per_item["trafilatura_bare"][k], per_item[base][k]
            print(f"  {d:+.3f}  {f1_of(s):.3f} / {f1_of(b):.3f} / {f1_of(t):.3f}  "
                  f"P {_precision(*s):.3f} R {_recall(*s):.3f}  {k[:12]}  {truth[k].get('url', '')[:70]}")

    goal_ok = (results["storyline"]["f1"] >= 0.95
               and results["storyline"]["f1"] >= results[base]["f1"] - 0.01)
    summary = {
        **{name: results[name] for name in systems},
        "reference": reference,
        "scorer_matches_published": all_match,
        "n": len(truth),
        "bootstrap": args.bootstrap,
        "trafilatura_version": trafilatura.__version__,
        "pages_storyline_worse": len(losing),
        "pages_storyline_better": len(winning),
        "goal": "f1>=0.95 and within 0.01 of trafilatura",
        "goal_met": goal_ok,
    }
    print(json.dumps(summary, sort_keys=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
