#!/usr/bin/env python3
"""What a copy changed: precision and recall of typed changes on planted edit pairs.

Usage::

    python benchmarks/drift.py [DIR] [--variants 2] [--seed 0] [--errors N]

``DIR`` (default: the repository's fictional demo corpus, ``examples/corpus``) holds articles
in any input format Storyline reads; they are ingested into a temporary database, analysed,
and each becomes the source of edited copies made at run time (``drift_edits.py``):

* **one meaning change** per copy, of a known kind: a number, a weekday or month, a person's
  title ("former " put before it), a person or organisation renamed, a negation added ("will"
  -> "will not"), a word inside quotation marks replaced, a sentence removed, a sentence added;
* **wording-only edits** per copy, which must not be reported as meaning changes: reporting
  verbs and common words swapped for synonyms, a sentence split in two at ", and" / ", but",
  two sentences merged, two paragraphs swapped, numbers and dates written another way ("£240m"
  -> "£240 million", "3" -> "three", "10 March" -> "March 10", "do not" -> "don't"); and a
  copy with three of these stacked.

The source is dated a day before its copy. Each pair goes through the product's comparison
(``compare`` with both analyses). A reported change counts as a meaning change when its
``meaning`` is true (its kind is not "wording"). Figures:

* ``kinds``: per meaning kind, ``recall`` (planted edits of that kind with a reported change of
  that kind overlapping the edited sentence, on either side) and ``precision`` (reported
  changes of that kind overlapping a planted meaning edit, over all reported changes of that
  kind, in every copy, wording-only copies included);
* ``pairs``: flag a copy as meaning-changed when at least one meaning change is reported;
  precision and recall of that flag over all copies (the way a user reads "something changed");
* ``wording``: per wording-only edit, the copies flagged and the meaning changes reported.

Progress goes to stderr; the LAST stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "benchmarks"))

import drift_edits  # noqa: E402

import storyline  # noqa: E402
from storyline.analyze.sentences import sentence_spans  # noqa: E402
from storyline.ingest.convert import content_hash  # noqa: E402

# The kind of a change type before changes carried one (to measure an older checkout the same way).
_OLD_KIND = {"entity_added": "entity", "entity_dropped": "entity", "entity_replaced": "entity",
             "role_changed": "role", "number_changed": "number", "date_changed": "date", "misquote": "quote",
             "quote_to_paraphrase": "quote", "attribution_dropped": "attribution", "hedge_dropped": "attribution",
             "claim_dropped": "claim", "claim_added": "claim"}
SOURCE_DATE = "2026-03-01T08:00:00+00:00"
COPY_DATE = "2026-03-02T08:00:00+00:00"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def kind_of(change) -> str:
    return getattr(change, "meaning_kind", None) or _OLD_KIND.get(change.type, "wording")


def overlaps(span, region) -> bool:
    return bool(span and region and span[0] < max(region[1], region[0] + 1) and region[0] < span[1])


def make_copies(base, analysis, variants: int, rng: random.Random) -> list[drift_edits.Edit]:
    spans = sentence_spans(base.body)
    out = []
    for planters in (drift_edits.MEANING, drift_edits.WORDING):
        for plant in planters.values():
            for _ in range(variants):
                edit = plant(base.body, spans, analysis, rng)
                if edit is not None and edit.body != base.body:
                    out.append(edit)
    for _ in range(variants):  # three wording edits stacked
        body, names = base.body, []
        # Only edits that read the body itself: the analysis's offsets are the source's, and
        # after a first edit they point elsewhere (a name slip would land inside another word).
        for name in rng.sample(sorted(set(drift_edits.WORDING) - drift_edits.READS_ANALYSIS), 3):
            edit = drift_edits.WORDING[name](body, sentence_spans(body), analysis, rng)
            if edit is not None:
                body, names = edit.body, [*names, name]
        if body != base.body:
            out.append(drift_edits.Edit("stacked", "wording", body, None, None))
    return out


def article(body: str, base, published: str):
    digest = content_hash(body)
    return dataclasses.replace(base, id=digest[:16], content_hash=digest, body=body, published=published)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", nargs="?", type=Path, default=REPO / "examples" / "corpus")
    ap.add_argument("--variants", type=int, default=2, help="copies per edit and article")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--errors", type=int, default=0, help="print this many false and missed changes to stderr")
    args = ap.parse_args()
    if not args.dir.exists():
        raise SystemExit(f"{args.dir}: no such folder")
    from storyline.analyze.analyzer import Analyzer
    from storyline.link.reuse.compare import compare

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, storyline.open(Path(tmp) / "drift.db") as desk:
        desk.ingest([args.dir])
        bases = [dataclasses.replace(a, published=SOURCE_DATE) for a in desk.articles()
                 if len(sentence_spans(a.body)) >= 6]
    bases.sort(key=lambda a: a.id)
    if not bases:
        raise SystemExit(f"{args.dir}: no article of 6 sentences or more")
    analyzer = Analyzer()
    base_an = dict(zip([a.id for a in bases], analyzer.analyze(bases)))
    rng = random.Random(args.seed)
    jobs = [(b, e) for b in bases for e in make_copies(b, base_an[b.id], args.variants, rng)]
    copies = [article(e.body, b, COPY_DATE) for b, e in jobs]
    log(f"{len(bases)} articles, {len(copies)} edited copies; analysing")
    copy_an = list(analyzer.analyze(copies))

    kinds = {k: Counter() for k in ("number", "date", "role", "entity", "negation", "attribution", "quote", "claim")}
    wording: dict[str, Counter] = {}
    pairs = Counter()
    wrong_direction = 0
    errors: list[str] = []
    for n, ((base, edit), copy, an) in enumerate(zip(jobs, copies, copy_an)):
        pair = compare(base, copy, base_an[base.id], an)
        if pair.source_id != base.id:
            wrong_direction += 1
        flip = pair.source_id != base.id
        meaning = [c for c in pair.changes if kind_of(c) != "wording"]
        for c in meaning:
            s_span, d_span = (c.derived_span, c.source_span) if flip else (c.source_span, c.derived_span)
            hit = edit.kind != "wording" and (overlaps(s_span, edit.source) or overlaps(d_span, edit.derived))
            kinds.setdefault(kind_of(c), Counter())["reported"] += 1
            kinds[kind_of(c)]["correct"] += hit
            if not hit and len(errors) < args.errors:
                errors.append(f"FALSE {edit.name}: {c.type} {c.source_text[:80]!r} -> {c.derived_text[:80]!r}")
        if edit.kind == "wording":
            w = wording.setdefault(edit.name, Counter())
            w["copies"] += 1
            w["flagged"] += bool(meaning)
            w["meaning_changes"] += len(meaning)
        else:
            kinds[edit.kind]["planted"] += 1
            found = any(kind_of(c) == edit.kind and (
                overlaps(c.derived_span if flip else c.source_span, edit.source)
                or overlaps(c.source_span if flip else c.derived_span, edit.derived)) for c in meaning)
            kinds[edit.kind]["found"] += found
            if not found and len(errors) < args.errors:
                got = [f"{c.type}:{c.source_text[:40]!r}->{c.derived_text[:40]!r}" for c in pair.changes]
                errors.append(f"MISSED {edit.name} in {base.id}: {got[:6]}")
        truth, flagged = edit.kind != "wording", bool(meaning)
        pairs["tp"] += truth and flagged
        pairs["fp"] += flagged and not truth
        pairs["fn"] += truth and not flagged
        if n % 25 == 0:
            log(f"{n}/{len(jobs)} compared")
    for e in errors:
        log(e)

    def ratio(a: int, b: int) -> float | None:
        return round(a / b, 3) if b else None

    result = {
        "benchmark": "drift", "data": str(args.dir), "articles": len(bases), "copies": len(copies),
        "seed": args.seed, "variants": args.variants,
        "pairs": {"precision": ratio(pairs["tp"], pairs["tp"] + pairs["fp"]), "recall": ratio(pairs["tp"], pairs["tp"] + pairs["fn"]),
                  **{k: pairs[k] for k in ("tp", "fp", "fn")}},
        "kinds": {k: {"planted": c["planted"], "recall": ratio(c["found"], c["planted"]), "reported": c["reported"],
                      "precision": ratio(c["correct"], c["reported"])} for k, c in kinds.items()},
        "wording": {k: dict(c) for k, c in sorted(wording.items())},
        "direction_wrong": wrong_direction,
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
