#!/usr/bin/env python3
"""Story clustering at a million articles: the product's clusterer on a stream of planted stories.

Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/scale_stories.py DATA_DIR [--sizes 10000,100000,1000000]
                                     [--per-day 345] [--seed 0] [--work DIR] [--set NAME=VALUE ...]
                                     [--checkpoints DIR [--checkpoint-every 10]] [--hubs 0.05]

e.g. ``PYTHONPATH=src .venv/bin/python benchmarks/scale_stories.py ../shared/eval --sizes 10000,1000000``.
Progress goes to stderr; the LAST stdout line is one JSON object with every figure.

**The stream** (nothing read from ``DATA_DIR`` is written into this repository; texts are made at
run time): the sentence pool of ``corpus_synth`` (real news sentences under ``DATA_DIR``). Every
article belongs to a planted story. A story has a *core*, one real article of the pool (12+
sentences), a start day and a duration of 1-5 days; its size is drawn from a long-tailed law
(1 to 80 articles; the mean drawn is about 4: 30k articles are 7,251 stories). Each article of a story is, like the incremental benchmark's
showcase articles, 2 consecutive core sentences as its lede, 6-10 further core sentences in core
order and 2-4 random pool sentences, published at a uniform time within the story's days. The
stream carries ``--per-day`` articles a day (345: a mid-sized newsroom's monitored feeds), so 10k
articles span a month and a million eight years. A core is meant to be used again, for another
story, no sooner than ``REUSE_DAYS`` (45) after its last story started, but at 345 articles a
day the stream starts about 84 stories a day from 1,443 cores, so when no core is that idle the
one idle longest is taken: **a core comes back about every 17 days** (measured on the 30k plan).
Two planted stories of one core 17 days apart are the same text inside the clusterer's 30-day
window, one story to any reader, but two in the planted gold; the planted-story precision is
therefore no measure of error, and the *real events* below (which chain them) are the gold to
read. (The plan is kept as it was so that the figures stay comparable across sessions.)

**What runs** is the product's decision core, as the story step runs it: ``features.item_from`` on
each article (its TF-IDF terms and lead, number and entity keys, its publication time and
article vector), then ``StoryClusterer.add`` in publication order, in batches of ``scan.BATCH``
each ending with ``settle``. Two inputs are stand-ins, so that a million articles fit this
machine: the entities are capitalised names found by a regex (``api_load``'s synthetic analysis;
spaCy takes about an hour per 50k articles), and the article vector is the mean of the real
MiniLM vectors of its first ``VECTOR_SENTENCES`` sentences, each pool sentence embedded once
(about 53k sentences, cached under ``--work``) instead of once per article. The store is not
involved (its reads and writes are measured by ``incremental.py``); the checkpoint the story
step writes after every batch is made once at the end of each size (``snapshot``), and its size
and the time to make it are reported: it holds the active stories only, so it must not grow with
the stream. With ``--checkpoints DIR`` the checkpoint is also written after every batch into
real SQLite stores, as the story step writes it (a delta: what the batch changed) and, every
``--checkpoint-every`` batches, whole (the design before session 10), with the restore each
batch of the step starts with (``CheckpointStores``). With ``--hubs F`` a share F of the
articles are round-ups: the first half of an article of their own story, then the first half of
one of another story running at the same time (``HUB_REACH`` rows away at most); they are left
out of the scores, which then say whether round-ups glue the stories they bridge (issue 18).

**Two golds.** A planted story is what the stream's maker knows, but not every pair of planted
stories is two events. Of the 1,443 cores, 350 are ECB+ documents, written in groups about one
real event (a shooting, an earthquake), so two planted stories made from two reports of one event
are one story to a reader, and to any clusterer; 830 are PolNeAR articles on the 2016 US
presidential campaign, which share their people and subjects (no event labels: each counts as
its own event, so their figures are strict). So each figure is given twice: against
the planted stories, and against *real events*: planted stories whose cores report the same event
(the same ECB+ cluster; for the other sources, the same document) and whose coverage runs on with
gaps of at most ``EVENT_GAP_DAYS`` (the clusterer's 30-day window) are one real event. A pair of
planted stories of one real event told months apart stays two (the same kind of event again).

**Reported per size**: pair precision/recall/F1 and BCubed of the predicted stories against the
planted ones and against real events (``event_*``), planted and predicted story counts, clustering articles/s over the whole stream and
over its first and last tenth, feature seconds, the five largest predicted stories (articles,
planted stories mixed, days spanned), the active stories and items at the end, the
checkpoint's bytes and seconds, and the process's peak RSS. The goal is the issue's: recall at
1M the same as at 10k, rate flat, memory bounded.
"""

from __future__ import annotations

import argparse
import bisect
import json
import math
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_synth  # noqa: E402
from api_load import _NAME, _NOT_FIRST  # noqa: E402
from stories import bcubed, pair_counts, parse_overrides, single_threaded_blas  # noqa: E402

from storyline.link.reuse.candidates import VECTOR_SENTENCES  # noqa: E402
from storyline.link.stories import scan  # noqa: E402
from storyline.link.stories.cluster import StoryClusterer  # noqa: E402
from storyline.link.stories.features import item_from  # noqa: E402
from storyline.records import Analysis, Entity, Mention  # noqa: E402

DAY = 86_400.0
START = 1_672_531_200.0  # 2023-01-01 UTC
REUSE_DAYS = 45
MAX_SIZE = 80
MIN_CORE = 12
EVENT_GAP_DAYS = 30


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def story_size(rng: random.Random) -> int:
    """A long-tailed story size, 1..MAX_SIZE (a Pareto draw, alpha 1.1: half the stories hold 1-2
    articles, a few hold dozens), mean about 4."""
    return min(MAX_SIZE, int(rng.paretovariate(1.1)))


def plan(n: int, cores: int, per_day: float, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(time, story, core) of n articles, in publication order: stories drawn until n articles
    are planned, each with a core not used for another story started within REUSE_DAYS."""
    rng = random.Random(seed)
    days = n / per_day
    starts, sizes = [], []
    total = 0
    while total < n:
        size = min(story_size(rng), n - total)
        starts.append(rng.uniform(0.0, days))
        sizes.append(size)
        total += size
    order = sorted(range(len(starts)), key=starts.__getitem__)
    last = [-math.inf] * cores  # the start day of each core's latest story
    story_core = [0] * len(starts)
    for s in order:
        for _ in range(50):
            c = rng.randrange(cores)
            if last[c] <= starts[s] - REUSE_DAYS:
                break
        else:  # every try was taken: the core idle longest
            c = min(range(cores), key=last.__getitem__)
        story_core[s] = c
        last[c] = starts[s]
    times = np.empty(n)
    story = np.empty(n, np.int64)
    k = 0
    for s, size in enumerate(sizes):
        span = rng.uniform(1.0, 5.0)
        for _ in range(size):
            times[k] = START + (starts[s] + rng.uniform(0.0, span)) * DAY
            story[k] = s
            k += 1
    by_time = np.argsort(times, kind="stable")
    return times[by_time], story[by_time], np.asarray(story_core)[story[by_time]]


# A round-up's second story is that of an article up to this many rows away in the stream.
HUB_REACH = 100


def article_sentences(rng: random.Random, core: list[int], pool_size: int) -> list[int]:
    """Sentence numbers of one story article: 2 consecutive core sentences as lede, 6-10 more of
    the core in its order, 2-4 random pool sentences among them."""
    at = rng.randrange(len(core) - 1)
    lede = core[at : at + 2]
    rest = [i for i in core if i not in lede]
    more = sorted(rng.sample(range(len(rest)), min(len(rest), rng.randint(6, 10))))
    body = [rest[i] for i in more]
    for _ in range(rng.randint(2, 4)):
        body.insert(rng.randrange(len(body) + 1), rng.randrange(pool_size))
    return lede + body


def synthetic_analysis(article_id: str, body: str) -> Analysis:
    """PERSON entities for capitalised names (api_load's rule)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for m in _NAME.finditer(body):
        if m.group().split()[0] not in _NOT_FIRST:
            spans.setdefault(m.group(), []).append(m.span())
    return Analysis(article_id, entities=tuple(
        Entity(id=f"p{k}", name=name, type="PERSON", mentions=tuple(Mention(article_id, s, e, name) for s, e in found))
        for k, (name, found) in enumerate(spans.items())))


def pool_vectors(pool: list[str], work: Path) -> np.ndarray:
    """The MiniLM vector of every pool sentence, cached under ``work`` (keyed by the pool)."""
    import hashlib

    key = hashlib.sha256("\n".join(pool).encode()).hexdigest()[:16]
    path = work / f"pool-vectors-{key}.npy"
    if path.exists():
        return np.load(path)
    from storyline.analyze.embed import embed

    log(f"embedding {len(pool)} pool sentences (once; cached in {path})")
    t0 = time.perf_counter()
    vectors = np.concatenate([embed(pool[i : i + 2048]) for i in range(0, len(pool), 2048)]).astype(np.float32)
    log(f"  {time.perf_counter() - t0:.0f} s")
    work.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def doc_events(data: Path, origins: list[tuple[str, int]]) -> list[str]:
    """The real event each pool document reports: its ECB+ cluster (topic and sub-topic), or the
    document itself for the other sources."""
    clusters = []
    ecb = data / "stories-ecbplus" / "docs.jsonl"
    if ecb.is_file():
        with ecb.open(encoding="utf-8") as fh:
            clusters = [json.loads(line)["cluster_id"] for line in fh if line.strip()]
    return [f"ecb:{clusters[k]}" if name == "stories-ecbplus" and k < len(clusters) else f"{name}:{k}"
            for name, k in origins]


def real_events(story: np.ndarray, core_event: list[str], times: np.ndarray) -> list[int]:
    """Each article's real event (the module docstring's second gold): planted stories of one
    event, in order of their first article, chained while each starts at most EVENT_GAP_DAYS
    after the latest article of the chain so far."""
    first: dict[int, float] = {}
    last: dict[int, float] = {}
    event_of: dict[int, str] = {}
    for row, s in enumerate(story.tolist()):
        first[s] = min(first.get(s, math.inf), float(times[row]))
        last[s] = max(last.get(s, -math.inf), float(times[row]))
        event_of[s] = core_event[row]
    label: dict[int, int] = {}
    open_chain: dict[str, tuple[int, float]] = {}  # event -> (label, latest time)
    for s in sorted(first, key=lambda s: (first[s], s)):
        chain = open_chain.get(event_of[s])
        if chain is not None and first[s] - chain[1] <= EVENT_GAP_DAYS * DAY:
            label[s] = chain[0]
            open_chain[event_of[s]] = (chain[0], max(chain[1], last[s]))
        else:
            label[s] = len(set(label.values()))
            open_chain[event_of[s]] = (label[s], last[s])
    return [label[s] for s in story.tolist()]


class CheckpointStores:
    """``--checkpoints DIR``: the checkpoint the story step writes after every batch, written
    for real into SQLite stores, both ways on the same stream in the same run.

    After every batch the clusterer's delta snapshot is made and written into store A (the
    design now: only what the batch changed). Every ``every``-th batch, a clusterer is restored
    from store A (read + parse, the cost each batch of the story step pays to start), its whole
    snapshot made and written into store B (the design before: the whole active state per
    batch). The clusterer being measured is never touched by the second path."""

    def __init__(self, work: Path, n: int, every: int):
        from storyline.store import open_store

        work.mkdir(parents=True, exist_ok=True)
        self.stores = []
        for name in ("delta", "whole"):
            path = work / f"checkpoint-{name}-{n}.db"
            for f in work.glob(path.name + "*"):
                f.unlink()
            self.stores.append(open_store(str(path)))
        self.every = every
        self.batches = 0
        self.delta = {"s": 0.0, "write_s": 0.0, "bytes": 0, "header": 0, "n": 0}
        self.whole = {"s": 0.0, "write_s": 0.0, "bytes": 0, "header": 0, "n": 0, "restore_s": 0.0}

    def after_batch(self, clusterer, params) -> None:
        delta_store, whole_store = self.stores
        t0 = time.perf_counter()
        delta = clusterer.snapshot("bench", delta=True)
        t1 = time.perf_counter()
        delta_store.put_stories([], [], [], "bench", "2026-01-01T00:00:00+00:00", delta)
        t2 = time.perf_counter()
        self._count(self.delta, t1 - t0, t2 - t1, delta)
        self.batches += 1
        if self.batches % self.every:
            return
        t0 = time.perf_counter()
        saved = delta_store.story_checkpoint()
        copy = StoryClusterer.from_snapshot(saved, params) if params is not None else StoryClusterer.from_snapshot(saved)
        t1 = time.perf_counter()
        whole = copy.snapshot("bench")
        t2 = time.perf_counter()
        whole_store.put_stories([], [], [], "bench", "2026-01-01T00:00:00+00:00", whole)
        t3 = time.perf_counter()
        self.whole["restore_s"] += t1 - t0
        self._count(self.whole, t2 - t1, t3 - t2, whole)

    @staticmethod
    def _count(acc: dict, make_s: float, write_s: float, checkpoint) -> None:
        acc["s"] += make_s
        acc["write_s"] += write_s
        acc["bytes"] += checkpoint_bytes(checkpoint)
        acc["header"] += len(checkpoint.state)
        acc["n"] += 1

    def figures(self) -> dict:
        def per_batch(acc: dict) -> dict:
            n = max(acc["n"], 1)
            out = {"batches": acc["n"], "make_ms": round(acc["s"] * 1000 / n, 1),
                   "write_ms": round(acc["write_s"] * 1000 / n, 1), "mb": round(acc["bytes"] / n / 1e6, 2),
                   "header_mb": round(acc["header"] / n / 1e6, 2)}
            if "restore_s" in acc:
                out["restore_ms"] = round(acc["restore_s"] * 1000 / n, 1)
            return out

        d, w = per_batch(self.delta), per_batch(self.whole)
        for store in self.stores:
            store.close()
        return {"delta_per_batch": d, "whole_per_batch": w,
                "whole_over_delta_make_write": round((w["make_ms"] + w["write_ms"]) / max(d["make_ms"] + d["write_ms"], 1e-9), 2)}


def checkpoint_bytes(checkpoint) -> int:
    """The bytes a checkpoint writes: its header, parts and (format 2) matrices."""
    return (len(checkpoint.state) + len(checkpoint.vectors) + len(checkpoint.sums)
            + sum(len(p.data) + len(p.blob) for p in checkpoint.parts))


def planted(docs: list[list[str]], events: list[str], n: int, per_day: float, seed: int):
    """The planted stream of ``n`` articles over the sentence pool ``docs``: (cores: each usable
    document's pool sentence numbers, and per article in publication order: time, planted
    story, core, real event)."""
    starts = [0]
    for d in docs:
        starts.append(starts[-1] + len(d))
    kept = [k for k, d in enumerate(docs) if len(d) >= MIN_CORE]
    cores = [list(range(starts[k], starts[k] + len(docs[k]))) for k in kept]
    times, story, core = plan(n, len(cores), per_day, seed)
    event = real_events(story, [events[kept[c]] for c in core.tolist()], times)
    return cores, times, story, core, event


def run_size(n: int, docs: list[list[str]], pool: list[str], vectors: np.ndarray, per_day: float,
             seed: int, events: list[str], params=None, checkpoints: Path | None = None,
             checkpoint_every: int = 10, hubs: float = 0.0) -> dict:
    cores, times, story, core, event = planted(docs, events, n, per_day, seed)
    gold = story.tolist()
    log(f"{n} articles: {len(set(gold))} planted stories over {n / per_day:.0f} days")
    clusterer = StoryClusterer(params) if params is not None else StoryClusterer()
    feature_s = 0.0
    cluster_s = 0.0
    tenth = max(1, n // 10)
    marks: list[tuple[int, float]] = []  # (articles, cluster seconds so far), each tenth
    rng = random.Random(seed + 1)
    hub_rng = random.Random(seed + 2)  # its own draws: the other articles are those of a stream without hubs
    hub_rows: set[int] = set()
    stores = CheckpointStores(checkpoints, n, checkpoint_every) if checkpoints else None
    with single_threaded_blas():
        for start in range(0, n, scan.BATCH):
            t0 = time.perf_counter()
            items = []
            for row in range(start, min(n, start + scan.BATCH)):
                numbers = article_sentences(rng, cores[core[row]], len(pool))
                if hubs and hub_rng.random() < hubs:
                    # A round-up: the first half of its own story's article, then the first half
                    # of one of another story running at the same time.
                    other = core[min(n - 1, max(0, row + hub_rng.randint(-HUB_REACH, HUB_REACH)))]
                    if other != core[row]:
                        half = article_sentences(hub_rng, cores[other], len(pool))
                        numbers = numbers[: len(numbers) // 2] + half[: len(half) // 2]
                        hub_rows.add(row)
                body = " ".join(pool[i] for i in numbers)
                vec = vectors[numbers[:VECTOR_SENTENCES]].astype(np.float64).mean(axis=0)
                vec = (vec / np.linalg.norm(vec)).astype(np.float32)
                aid = f"a{row:08d}"
                items.append(item_from(aid, body, synthetic_analysis(aid, body), vec, float(times[row])))
            t1 = time.perf_counter()
            clusterer.add_all(items)
            clusterer.settle()
            clusterer.take_evidence()  # the story step stores it with the batch; kept, it would pile up
            t2 = time.perf_counter()
            if stores is not None:
                stores.after_batch(clusterer, params)
            feature_s += t1 - t0
            cluster_s += t2 - t1
            done = min(n, start + scan.BATCH)
            if done // tenth != (done - len(items)) // tenth or done == n:
                marks.append((done, cluster_s))
                log(f"  {done:>9} clustered, {done / cluster_s:.0f} articles/s so far, "
                    f"{len(clusterer._active.stories)} active stories, peak RSS {_rss_mb():.0f} MB")
    t0 = time.perf_counter()
    saved = clusterer.snapshot("bench")
    snapshot_s = time.perf_counter() - t0
    assignment = clusterer.assignments()
    # Round-ups belong to two stories: they are left out of the scores, which then say whether
    # they glued the stories they bridge.
    scored = [row for row in range(n) if row not in hub_rows]
    pred = [assignment[f"a{row:08d}"] for row in scored]
    gold = [gold[row] for row in scored]
    event = [event[row] for row in scored]
    times = times[scored]
    gold_s = [str(g) for g in gold]
    first = bisect.bisect_left([m[0] for m in marks], tenth)
    first_rate = marks[first][0] / marks[first][1] if marks and marks[first][1] else None
    last_rate = None
    if len(marks) >= 2:
        (a0, s0), (a1, s1) = marks[-2], marks[-1]
        last_rate = (a1 - a0) / (s1 - s0) if s1 > s0 else None
    return {
        "articles": n, "hubs": len(hub_rows), "planted_stories": len(set(gold)), "days": round(n / per_day, 1),
        **pair_counts(pred, gold_s), **bcubed(pred, gold_s),
        "real_events": len(set(event)),
        **{f"event_{k}": v for k, v in {**pair_counts(pred, [str(e) for e in event]),
                                        **bcubed(pred, [str(e) for e in event])}.items()},
        "predicted_stories": len(set(pred)), "singletons": sum(1 for c in Counter(pred).values() if c == 1),
        "largest_stories": _largest(pred, gold, times, event),
        "cluster_s": round(cluster_s, 2), "cluster_articles_per_s": round(n / cluster_s, 1),
        "first_tenth_articles_per_s": round(first_rate, 1) if first_rate else None,
        "last_tenth_articles_per_s": round(last_rate, 1) if last_rate else None,
        "feature_s": round(feature_s, 2),
        "active_stories_end": len(clusterer._active.stories), "active_items_end": len(clusterer._items),
        "checkpoint_bytes": checkpoint_bytes(saved),
        "checkpoint_s": round(snapshot_s, 3), "peak_rss_mb": round(_rss_mb()),
        **({"checkpoints": stores.figures()} if stores is not None else {}),
    }


def _largest(pred: list[str], gold: list[int], times: np.ndarray, event: list[int], k: int = 5) -> list[dict]:
    """The k biggest predicted stories: articles, how many planted stories and real events they
    mix, and the days between their first and last article (a story that never leaves the window
    shows here)."""
    members: dict[str, list[int]] = {}
    for row, key in enumerate(pred):
        members.setdefault(key, []).append(row)
    out = []
    for rows in sorted(members.values(), key=len, reverse=True)[:k]:
        span = (max(times[r] for r in rows) - min(times[r] for r in rows)) / DAY
        out.append({"articles": len(rows), "planted_stories": len({gold[r] for r in rows}),
                    "real_events": len({event[r] for r in rows}), "days": round(span, 1)})
    return out


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path, help="the evaluation data folder (the sentence pool's source)")
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--per-day", type=float, default=345.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                    help="override a clusterer Params field (as in stories.py)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/scale-stories"), help="where pool vectors are cached")
    ap.add_argument("--checkpoints", type=Path, default=None, metavar="DIR",
                    help="also write the story step's checkpoint after every batch into SQLite stores under DIR, "
                         "as a delta (now) and whole every --checkpoint-every batches (before), and report both")
    ap.add_argument("--checkpoint-every", type=int, default=10)
    ap.add_argument("--hubs", type=float, default=0.0, metavar="FRACTION",
                    help="make this share of the articles round-ups of two stories running at once (left out of "
                         "the scores, which then say whether they glued the stories they bridge)")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if not sizes or any(s < 10 for s in sizes):
        raise SystemExit(f"--sizes: give sizes of at least 10 articles, got {args.sizes!r}")
    origins: list[tuple[str, int]] = []
    docs, _ = corpus_synth.sentence_pool(corpus_synth.load_documents(args.data), origins)
    events = doc_events(args.data, origins)
    if not docs:
        raise SystemExit(f"{args.data}: no news text found (see benchmarks/corpus_synth.py)")
    pool = [s for d in docs for s in d]
    vectors = pool_vectors(pool, args.work)
    out = {"per_day": args.per_day, "seed": args.seed, "set": args.set, "pool_sentences": len(pool),
           "cores": sum(1 for d in docs if len(d) >= MIN_CORE), "sizes": {}}
    for n in sizes:
        out["sizes"][str(n)] = figures = run_size(n, docs, pool, vectors, args.per_day, args.seed, events,
                                                  parse_overrides(args.set), args.checkpoints, args.checkpoint_every,
                                                  args.hubs)
        if "checkpoints" in figures:
            log(f"{n}: checkpoint per batch {figures['checkpoints']}")
        log(f"{n}: pair P {figures['pair_precision']:.3f} R {figures['pair_recall']:.3f} "
            f"F1 {figures['pair_f1']:.3f}, BCubed {figures['bcubed_f1']:.3f}; real events: pair P "
            f"{figures['event_pair_precision']:.3f} R {figures['event_pair_recall']:.3f}, "
            f"BCubed {figures['event_bcubed_f1']:.3f}; "
            f"{figures['cluster_articles_per_s']} articles/s, peak RSS {figures['peak_rss_mb']} MB")
    if len(sizes) >= 2:
        lo, hi = out["sizes"][str(sizes[0])], out["sizes"][str(sizes[-1])]
        out["recall_ratio_largest_over_smallest"] = round(hi["pair_recall"] / lo["pair_recall"], 3) \
            if lo["pair_recall"] else None
        out["rate_ratio_largest_over_smallest"] = round(hi["cluster_articles_per_s"] / lo["cluster_articles_per_s"], 3)
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
