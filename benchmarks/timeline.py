#!/usr/bin/env python3
"""Temporal expressions: ``storyline.analyze.timex`` on TempEval-3 (TimeML TIMEX3) data.

Usage::

    python benchmarks/timeline.py PATH [--split NAME] [--errors N]

e.g. ``.venv/bin/python benchmarks/timeline.py ../shared/eval/temporal-tempeval3``

PATH is a folder with ``docs_plain.jsonl`` ({split, doc_id, dct, title, text}) and
``timex_gold.jsonl`` ({split, doc_id, dct, start, end, text, type, value, mod, ...}; offsets
into ``text``). Every document goes through the product code path: ``find_timexes(text,
anchor=dct, doc=pipeline()(text))``. Nothing of the data is stored in this repository.

**Scoring** (as the official TempEval-3 entity scorer): strict span P/R/F1 (exact offsets);
relaxed span P/R/F1 (any overlap, matched one to one, largest overlap first); type accuracy
(over relaxed matches) and type F1 (a relaxed match with the right type counts); value F1 (a
relaxed match with the same value counts: P = correct / system, R = correct / gold, the
official Task A score). Figures are in percent, per split and overall.

``--errors N`` prints N value errors, misses and false alarms (to stderr) for error analysis.
Progress goes to stderr; the LAST stdout line is one JSON object with all figures, with
``docs_per_s`` (spaCy parse plus tagging, the product path) and ``docs_per_s_timex_only``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from storyline.analyze.nlp import pipeline
from storyline.analyze.timex import find_timexes

OVERALL = "overall"


def load(path: Path, split: str | None):
    docs = [json.loads(line) for line in (path / "docs_plain.jsonl").open(encoding="utf-8")]
    gold = defaultdict(list)
    for line in (path / "timex_gold.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        gold[(row["split"], row["doc_id"])].append(row)
    if split:
        docs = [d for d in docs if d["split"] == split]
    return docs, gold


def anchor_of(dct: str) -> dt.date:
    return dt.date.fromisoformat(dct[:10])


def match_relaxed(system, gold):
    """One-to-one overlap matching, largest overlap first: list of (sys_index, gold_index)."""
    pairs = []
    for i, s in enumerate(system):
        for j, g in enumerate(gold):
            overlap = min(s["end"], g["end"]) - max(s["start"], g["start"])
            if overlap > 0:
                pairs.append((overlap, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_s, used_g, matched = set(), set(), []
    for _overlap, i, j in pairs:
        if i in used_s or j in used_g:
            continue
        used_s.add(i)
        used_g.add(j)
        matched.append((i, j))
    return matched


class Counts:
    def __init__(self):
        self.n_sys = self.n_gold = self.strict = self.relaxed = self.type_ok = self.value_ok = 0
        self.docs = 0

    def add(self, system, gold):
        self.docs += 1
        self.n_sys += len(system)
        self.n_gold += len(gold)
        gold_spans = {(g["start"], g["end"]) for g in gold}
        self.strict += sum((s["start"], s["end"]) in gold_spans for s in system)
        for i, j in match_relaxed(system, gold):
            self.relaxed += 1
            self.type_ok += system[i]["type"] == gold[j]["type"]
            self.value_ok += system[i]["value"] == gold[j]["value"]

    def figures(self) -> dict:
        def prf(correct):
            p = correct / self.n_sys if self.n_sys else 0.0
            r = correct / self.n_gold if self.n_gold else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            return round(100 * p, 2), round(100 * r, 2), round(100 * f, 2)

        out = {"docs": self.docs, "gold": self.n_gold, "system": self.n_sys}
        for name, correct in (("strict", self.strict), ("relaxed", self.relaxed),
                              ("type", self.type_ok), ("value", self.value_ok)):
            out[f"{name}_p"], out[f"{name}_r"], out[f"{name}_f1"] = prf(correct)
        out["type_accuracy"] = round(100 * self.type_ok / self.relaxed, 2) if self.relaxed else 0.0
        out["value_accuracy"] = round(100 * self.value_ok / self.relaxed, 2) if self.relaxed else 0.0
        return out


def print_table(figures: dict[str, dict]) -> None:
    header = (f"{'split':<16}{'docs':>5}{'gold':>6}{'sys':>6}  {'strict P/R/F1':>20}  "
              f"{'relaxed P/R/F1':>20}  {'type acc':>8}  {'value P/R/F1':>20}")
    print(header)
    print("-" * len(header))
    for name, f in figures.items():
        print(f"{name:<16}{f['docs']:>5}{f['gold']:>6}{f['system']:>6}  "
              f"{f['strict_p']:6.2f}/{f['strict_r']:6.2f}/{f['strict_f1']:6.2f}  "
              f"{f['relaxed_p']:6.2f}/{f['relaxed_r']:6.2f}/{f['relaxed_f1']:6.2f}  "
              f"{f['type_accuracy']:8.2f}  "
              f"{f['value_p']:6.2f}/{f['value_r']:6.2f}/{f['value_f1']:6.2f}")


def report_errors(doc, system, gold, budget: list[int]) -> None:
    text = doc["text"]
    matched = match_relaxed(system, gold)
    hit_s = {i for i, _ in matched}
    hit_g = {j for _, j in matched}

    def ctx(a, b):
        return (text[max(0, a - 40):a] + "[" + text[a:b] + "]" + text[b:b + 40]).replace("\n", " ")

    lines = []
    for i, j in matched:
        s, g = system[i], gold[j]
        if s["value"] != g["value"] or (s["start"], s["end"]) != (g["start"], g["end"]):
            lines.append(f"VAL  sys={s['type']}:{s['value']} gold={g['type']}:{g['value']} "
                         f"| {ctx(g['start'], g['end'])} | sys:{s['text']!r}")
    lines += [f"MISS gold={g['type']}:{g['value']} | {ctx(g['start'], g['end'])}"
              for j, g in enumerate(gold) if j not in hit_g]
    lines += [f"FA   sys={s['type']}:{s['value']} | {ctx(s['start'], s['end'])}"
              for i, s in enumerate(system) if i not in hit_s]
    for line in lines:
        if budget[0] <= 0:
            return
        budget[0] -= 1
        print(f"{doc['dct'][:10]} {line}", file=sys.stderr)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--split", default=None, help="only this split (default: all)")
    parser.add_argument("--errors", type=int, default=0, help="print this many errors to stderr")
    args = parser.parse_args(argv)

    docs, gold = load(args.path, args.split)
    if not docs:
        print(f"no documents in {args.path}" + (f" for split {args.split}" if args.split else ""),
              file=sys.stderr)
        return 1
    nlp = pipeline()
    counts: dict[str, Counts] = defaultdict(Counts)
    budget = [args.errors]
    spacy_seconds = tagging_seconds = 0.0
    started = time.perf_counter()
    for n, doc in enumerate(docs, 1):
        text = doc["text"]
        t0 = time.perf_counter()
        spacy_doc = nlp(text)
        t1 = time.perf_counter()
        found = find_timexes(text, anchor_of(doc["dct"]), doc=spacy_doc)
        spacy_seconds += t1 - t0
        tagging_seconds += time.perf_counter() - t1
        system = [{"start": t.start, "end": t.end, "text": t.text, "type": t.type,
                   "value": t.value} for t in found]
        gold_rows = gold.get((doc["split"], doc["doc_id"]), [])
        counts[doc["split"]].add(system, gold_rows)
        counts[OVERALL].add(system, gold_rows)
        if budget[0] > 0:
            report_errors(doc, system, gold_rows, budget)
        if n % 50 == 0:
            print(f"{n}/{len(docs)} documents", file=sys.stderr)
    elapsed = time.perf_counter() - started

    figures = {name: counts[name].figures() for name in sorted(counts) if name != OVERALL}
    figures[OVERALL] = counts[OVERALL].figures()
    print_table(figures)
    def rate(seconds):
        return round(len(docs) / seconds, 2) if seconds else None

    result = {"splits": figures, "docs": len(docs),
              "docs_per_s": rate(spacy_seconds + tagging_seconds),  # the product path, with spaCy
              "docs_per_s_timex_only": rate(tagging_seconds),
              "seconds": round(elapsed, 2),
              "goal": {"value_f1": 77.61, "note": "HeidelTime-t, TempEval-3 platinum test"}}
    print(f"\n{len(docs)} docs in {elapsed:.1f}s: {result['docs_per_s']} docs/s with spaCy, "
          f"{result['docs_per_s_timex_only']} docs/s for find_timexes alone")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
