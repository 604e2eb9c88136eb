#!/usr/bin/env python3
"""Online story clustering: ``storyline.link.stories.cluster`` on ECB+ or the UCI headline prefix.

Usage::

    python benchmarks/stories.py PATH [--limit N] [--split train|dev|all] [--cache DIR]
                                      [--set name=value ...] [--errors K]
                                      [--ecb-times none|file|published]
                                      [--via direct|cli|both|replay] [--workdir DIR] [--no-baseline]
                                      [--shuffle SEED | --orders N] [--raw-text]

e.g. ``.venv/bin/python benchmarks/stories.py ../shared/eval/stories-ecbplus``

PATH is a folder (or a .jsonl file); its format is detected from its contents:

* ``docs.jsonl`` (ECB+): one document a line with ``doc_id``, ``cluster_id`` (gold: topic +
  sub-topic, i.e. one real event) and ``text`` tokenised one sentence a line. The text is
  detokenised and a leading tokenised URL line is dropped (a URL is metadata, not body). Every
  time is None by default: the file order is not publication order. ``--ecb-times file`` or
  ``published`` gives each document the time the product's own plain-text reading
  (ingest.convert.to_article, story_scan.publication_time) finds in its header lines, i.e. its
  dateline ("May 03, 2013"); 186 of the 772 documents have one, all of them ecbplus (see
  ``load_ecb`` for why that loses recall).
  Documents are fed in file order. ``--split train|dev`` scores one split of the README.
  ``--raw-text`` (with ``--via cli`` or ``replay``) feeds each text as the corpus gives it
  instead, address line and tokenisation kept: what a user who ingests docs.jsonl gets.
  ``--news-stream SPAN:SPREAD:SEED`` makes ECB+ a dated news stream instead (see
  :func:`news_stream`): one event per topic, so no sibling events, each event on a random day
  of SPAN days with its reports published over SPREAD days after it, fed in time order. It is
  the shape of a multi-document news set (many unrelated stories, all dated, interleaved),
  where a batch clusterer that cuts one global threshold does well and an online one that
  keeps sibling events of one kind apart is tempted to split; the baseline is tuned on the
  train stream. ``SPAN:SPREAD:SEED:events`` keeps every event, each on its own day (events
  of one kind at unrelated times, as real news has them). ``SPAN:SPREAD:SEED:siblings`` keeps
  both events of each topic, on one day: the worst case for trusting nearness in time.
* ``*.csv`` (UCI News Aggregator): headlines with ``STORY`` (gold: Google News story id) and
  ``TIMESTAMP`` (ms). Body = title; fed in timestamp order (then ID). Malformed rows (the last
  line of the prefix is cut off) are skipped and counted.
* any other ``*.jsonl`` (generic labelled news; PATH may be the file itself or a folder holding
  exactly one): one JSON object a line with ``id`` (string), ``title`` (string or null),
  ``text`` (the body; may be empty when there is a title), ``published`` (ISO 8601, optional;
  a zone-less time is UTC) and ``cluster`` (the gold story). Body = text, or the title when
  there is no text; the title goes to the item too (its words count once). Fed in publication
  order (undated items keep their file position relative to each other and go first), then
  file order. Lines that are not such an object are skipped and counted as malformed. Other
  dumps' names are read too (the product's JSONL aliases: ``body``, ``content``, ``date``,
  ``publish_date``, Unix times...; the gold as ``cluster_id``, ``story``, ``label``...; the id
  as ``doc_id``...); a date that cannot be read leaves its document undated, never dropped.

Features are the product's: ``candidates.article_vector`` of the body and the ``Analyzer``'s
analysis, turned into an Item by ``stories_features.item_from`` (entity keys + number keys, and
the TF-IDF terms of title + body).
The vectors and analyses are cached (``--cache``, default ``$XDG_CACHE_HOME`` or ``~/.cache``
/storyline-bench/stories, outside the repository) keyed by the data file's hash; the feature
speed reported is the one measured when the cache was filled. Clustering runs with one BLAS
thread (a matrix-vector product per article gains nothing from threads).

Three systems can be scored in one run:

* ``--via direct`` (the default): the clusterer on the cached features above, in the feed
  order, in batches of the story step's size (scan.BATCH, each ending with ``settle``), with the
  times the loader gives (ECB+: none). Fast; what parameters are tuned with.
* ``--via cli`` (or ``both``): the product path, as a user runs it. The documents are written to
  a JSONL file at run time (``url``, ``text``, ``title`` when the data has one, ``published``
  for UCI/JSONL; ECB+ bodies are given as text, so the ingest reads their datelines itself),
  stored with ``python -m storyline ingest FILE --db STORE --json`` (a subprocess: cleaning,
  dateline reading, spaCy analysis), clustered by ``Desk.find_stories(reuse=False)`` (what
  ``storyline stories`` runs, less the reuse comparison, which does not change memberships and
  takes minutes) and read back from the store's memberships. A document stored as another's
  article (the same cleaned text) gets that article's story; one the ingest drops is scored as
  a story of its own and listed (``cli.dropped_ids``). ``--set`` does not reach this path.
* ``--via replay --workdir DIR``: the product path's clustering again, on the features a
  ``--via cli --workdir DIR`` run stored there (articles, analyses, article vectors), in the
  story step's order and batches, with ``--set`` overrides; the store is copied, never
  written. Seconds instead of minutes: how CLI-path parameters and feature changes are tried.
  With the shipped parameters it reproduces the CLI run's figures.
* the baseline (unless ``--no-baseline``): TF-IDF (scikit-learn, sublinear tf, English
  stopwords, fitted on the documents clustered) of title + body and average-link
  agglomerative clustering on cosine distance (scipy), the cut tuned for pair F1 on the ECB+
  train split over 0.50..0.99 and applied to the scored split; on data without splits (UCI,
  JSONL) the cut is tuned on the scored items themselves (an oracle that can only flatter it).
  It sees all documents at once, with no order and no time.

Figures: pair-counting precision/recall/F1 over all pairs of items (same predicted story vs same
gold cluster), BCubed precision/recall/F1, gold and predicted cluster counts, feature
extraction and clustering speed (articles/s). ``--set name=value`` overrides a ``Params`` field
for tuning; the defaults are the shipped parameters. The LAST line is one JSON object (the
direct figures at its top level, ``cli`` and ``baseline`` objects beside them).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import pickle
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import asdict, fields, replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from storyline.link.reuse.candidates import VECTOR_SENTENCES  # noqa: E402
from storyline.link.stories.cluster import DEFAULT, StoryClusterer  # noqa: E402
from storyline.link.stories.scan import BATCH, bulk_run  # noqa: E402
from storyline.link.stories.features import analyse_texts, item_from  # noqa: E402
from storyline.records import Analysis  # noqa: E402

FEATURE_VERSION = "4"
_URL_LINE = re.compile(r"^\s*(?:https?|www)\s*[:.]")


# ---------------------------------------------------------------- data

def detokenise(line: str) -> str:
    """Undo PTB-style tokenisation well enough for NER and sentence embedding."""
    s = " " + line.strip() + " "
    s = re.sub(r"(\d) ([/:.]) (?=\d)", r"\1\2", s)  # "05 / 02 / 2013", "7 : 31"
    s = s.replace(" `` ", ' "').replace(" '' ", '" ').replace("``", '"').replace("''", '"')
    s = re.sub(r" ([,.;:!?%)\]}])", r"\1", s)
    s = re.sub(r"([(\[{$]) ", r"\1", s)
    s = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m|') ", r"\1 ", s)
    s = re.sub(r" - ", "-", s)
    return re.sub(r"\s+", " ", s).strip()


def stated_time(doc_id: str, body: str) -> float | None:
    """The publication time the product's own plain-text reading finds in a body (a dateline
    such as "May 03, 2013" among the header lines), as story_scan would use it; None when it
    states none (or the reading finds no article text)."""
    import warnings

    from storyline.ingest.convert import to_article
    from storyline.ingest.files import InputError
    from storyline.link.stories.scan import publication_time
    from storyline.records import RawDocument

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dateutil: unknown zone names ("EDT") read as UTC
        try:
            article = to_article(RawDocument(source=f"{doc_id}.txt", media_type="text/plain",
                                             data=body.encode("utf-8")))
        except InputError:
            return None
    return publication_time(article)


# ECB+ times (--ecb-times): "none" (the default: every time None, file order), "file" (the
# stated times, file order) or "published" (the stated times, fed as story_scan orders a corpus:
# dated documents by time, then the undated ones in file order).
ECB_TIMES = "none"


def load_ecb(folder: Path, times: str | None = None):
    """ECB+ documents, fed in file order with time None unless ``times`` (see ECB_TIMES) asks
    for the times the product would read from their datelines.

    Only ecbplus documents carry a dateline (186 of 772 documents get a time, all ecbplus);
    with the 7-day window the stated times cost recall (file order: the clock jumps between
    topics and retires stories; published order: the undated half of a sub-topic arrives after
    its dated half has gone quiet), and without the window they change nothing, because the
    events that get confused are the undated ecb ones with the ecbplus ones."""
    times = times or ECB_TIMES
    rows = [json.loads(line) for line in (folder / "docs.jsonl").open(encoding="utf-8")]
    docs = []
    for n, r in enumerate(rows):
        lines = r["text"].split("\n")
        if lines and _URL_LINE.match(lines[0]):
            lines = lines[1:]
        body = "\n".join(detokenise(x) for x in lines if x.strip())
        docs.append({"id": r["doc_id"], "gold": r["cluster_id"], "body": body, "raw_text": r["text"],
                     "time": None if times == "none" else stated_time(r["doc_id"], body),
                     "title": None, "group": str(r["topic"]), "split": r["split"], "order": n})
    if times == "published":
        docs.sort(key=lambda d: (d["time"] is None, d["time"] or 0.0, d["order"]))
    return docs, 0


STREAM_MODES = ("", "siblings", "events")


def news_stream(docs, span_days: float, spread_days: float, seed: int, mode: str = ""):
    """ECB+ as a dated stream (``--news-stream``): of each topic and split the event with the
    most documents (ties: the lower cluster id); with mode ``siblings`` both events of each
    topic on one day (the worst case for a rule that trusts nearness in time: two events of one
    kind running in the same days); with mode ``events`` every event of every topic, each on
    its own day (the shape of real news: events of one kind recur at unrelated times, and two
    may fall close by chance). Each event is given a day drawn uniformly from ``span_days``
    and each of its documents a time drawn uniformly from the ``spread_days`` after it; in
    time order, each document's time both its ``time`` (direct) and its ``stated_time``
    (written as ``published`` for the CLI path). Deterministic for a seed. Every time falls in
    the weeks after 2023-11-14, so every document carries that publication year and the year
    veto cannot tell events apart here (their texts' own years all meet 2023): the stream
    measures the clusterer without its year evidence."""
    import random

    if mode not in STREAM_MODES:
        raise ValueError(f"news_stream: mode {mode!r} is not one of {STREAM_MODES}")
    rng = random.Random(seed)
    by_event: dict[tuple[str, str], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for d in docs:
        by_event[(d["split"], d["group"])][d["gold"]].append(d)
    kept = []
    for key in sorted(by_event):
        by_gold = by_event[key]
        biggest = max(sorted(by_gold), key=lambda g: len(by_gold[g]))  # max keeps the first of a tie
        for g in sorted(by_gold) if mode else [biggest]:
            kept.extend(by_gold[g])
    start = 1_700_000_000.0
    if mode == "siblings":
        topic_day = {t: rng.uniform(0.0, span_days) for t in sorted({d["group"] for d in kept})}
        day = {d["gold"]: topic_day[d["group"]] for d in kept}
    else:
        day = {g: rng.uniform(0.0, span_days) for g in sorted({d["gold"] for d in kept})}
    out = []
    for d in kept:
        t = start + 86_400.0 * (day[d["gold"]] + rng.uniform(0.0, spread_days))
        out.append({**d, "time": t, "stated_time": t})
    out.sort(key=lambda d: (d["time"], d["order"]))
    return out


def load_uci(path: Path):
    docs, bad = [], 0
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            try:
                ts = int(row["TIMESTAMP"])
                title, story = row["TITLE"].strip(), row["STORY"].strip()
                if not title or not story or None in row:
                    raise ValueError
            except (KeyError, TypeError, ValueError):
                bad += 1
                continue
            docs.append({"id": row["ID"], "gold": story, "body": title, "time": ts / 1000.0,
                         "stated_time": ts / 1000.0, "title": title, "group": row.get("CATEGORY", "")})
    docs.sort(key=lambda d: (d["time"], int(d["id"]) if d["id"].isdigit() else 0, d["id"]))
    return docs, bad


def _iso_time(value) -> float | None:
    """A stated time as a Unix time; None when absent or unreadable (an unreadable date is a
    missing one: the document is kept, as the product keeps an article whose date it cannot
    read). ISO 8601 first, then the product's own date reading (RFC 2822, "March 10, 2014")."""
    from datetime import datetime, timezone

    from storyline.ingest.dates import normalise_date

    if not value:
        return None
    text = str(value).strip()
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        iso = normalise_date(text)
        if iso is None:
            return None
        when = datetime.fromisoformat(iso)
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.timestamp()


# The gold story's and the document id's names in labelled dumps other than ours.
CLUSTER_KEYS = ("cluster", "cluster_id", "story", "story_id", "event", "event_id", "label")
ID_KEYS = ("id", "doc_id", "article_id", "uid")


def load_jsonl(path: Path):
    """Generic labelled news: {"id", "title", "text", "published"?, "cluster"} a line. The
    product's JSONL field aliases are read too (``text`` as ``body``/``content``/``maintext``,
    ``published`` as ``date``/``publish_date``/a Unix time..., see ingest/jsonl.py), the gold as
    any of CLUSTER_KEYS and the id as any of ID_KEYS (else the line number). A date that cannot
    be read leaves the document undated (counted in ``unread_dates``), never drops it."""
    from storyline.ingest.jsonl import canonical_fields

    docs, bad = [], 0
    unread = 0
    for n, line in enumerate(path.open(encoding="utf-8")):
        if not line.strip():
            continue
        try:
            r = canonical_fields(json.loads(line))
            gold = next(r[k] for k in CLUSTER_KEYS if r.get(k) is not None and str(r[k]) != "")
            aid = str(next((r[k] for k in ID_KEYS if r.get(k) is not None), f"line-{n + 1}"))
            title = (r.get("title") or "").strip() or None
            body = (r.get("text") or "").strip() or title
            if not body:
                raise ValueError
        except (KeyError, TypeError, ValueError, AttributeError, StopIteration):
            bad += 1
            continue
        t = _iso_time(r.get("published"))
        unread += t is None and bool(r.get("published"))
        docs.append({"id": aid, "gold": str(gold), "body": body, "time": t, "stated_time": t, "title": title,
                     "group": "", "order": n})
    if unread:
        print(f"{path}: {unread} dates could not be read; those documents are undated", file=sys.stderr)
    docs.sort(key=lambda d: (d["time"] is not None, d["time"] or 0.0, d["order"]))
    return docs, bad


def load(folder: Path, ecb_times: str | None = None):
    if folder.is_file() and folder.suffix == ".jsonl":
        return "jsonl", folder, *load_jsonl(folder)
    if (folder / "docs.jsonl").exists():
        return "ecbplus", folder / "docs.jsonl", *load_ecb(folder, ecb_times)
    csvs = sorted(folder.glob("*.csv"))
    if csvs:
        return "uci-headlines", csvs[0], *load_uci(csvs[0])
    jsonls = sorted(folder.glob("*.jsonl"))
    if len(jsonls) == 1:
        return "jsonl", jsonls[0], *load_jsonl(jsonls[0])
    raise SystemExit(f"{folder}: no docs.jsonl (ECB+), .csv (UCI headlines) or single .jsonl (generic) found")


# ---------------------------------------------------------------- features

def cache_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "storyline-bench" / "stories"


def features(docs, all_docs, data_file: Path, cache: Path):
    """Items for docs and the extraction speed (articles/s).

    The slow part (the product's analysis and article vectors) is cached, for all the file's
    documents so that every split and limit shares one entry (a cold run with a subset
    extracts only that subset); items are then built from it by the product's own
    ``item_from``, so a change of keys needs no new extraction."""
    digest = hashlib.sha256(data_file.read_bytes()).hexdigest()[:16]

    def path_for(subset):
        ids_hash = hashlib.sha256("\n".join(d["id"] for d in subset).encode()).hexdigest()[:12]
        # The article vector's lead length is part of the features (candidates.VECTOR_SENTENCES).
        return cache / f"{digest}-{ids_hash}-v{FEATURE_VERSION}-lead{VECTOR_SENTENCES}.pkl"

    path = path_for(all_docs)
    todo = all_docs if path.exists() or len(docs) == len(all_docs) else docs
    path = path_for(todo)
    cached = path.exists()
    if cached:
        with path.open("rb") as fh:
            saved = pickle.load(fh)
    else:
        t0 = time.perf_counter()
        analyses, vectors = analyse_texts([d["id"] for d in todo], [d["body"] for d in todo])
        slim = [Analysis(a.article_id, entities=a.entities) for a in analyses]
        saved = {"ids": [d["id"] for d in todo], "analyses": slim, "vectors": vectors,
                 "seconds": time.perf_counter() - t0}
        cache.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            pickle.dump(saved, fh)
    row = {i: (a, v) for i, a, v in zip(saved["ids"], saved["analyses"], saved["vectors"])}
    items = [item_from(d["id"], d["body"], *row[d["id"]], d["time"], d["title"]) for d in docs]
    rate = len(saved["ids"]) / saved["seconds"] if saved["seconds"] else None
    return items, rate, cached


# ---------------------------------------------------------------- metrics

def pair_counts(pred: list[str], gold: list[str]) -> dict[str, float]:
    def pairs(counter):
        return sum(n * (n - 1) // 2 for n in counter.values())

    both = pairs(Counter(zip(pred, gold)))
    p_pairs, g_pairs = pairs(Counter(pred)), pairs(Counter(gold))
    p = both / p_pairs if p_pairs else 1.0
    r = both / g_pairs if g_pairs else 1.0
    return {"pair_precision": p, "pair_recall": r, "pair_f1": _f1(p, r)}


def bcubed(pred: list[str], gold: list[str]) -> dict[str, float]:
    both = Counter(zip(pred, gold))
    p_size, g_size = Counter(pred), Counter(gold)
    n = len(pred)
    p = sum(both[(a, b)] / p_size[a] for a, b in zip(pred, gold)) / n
    r = sum(both[(a, b)] / g_size[b] for a, b in zip(pred, gold)) / n
    return {"bcubed_precision": p, "bcubed_recall": r, "bcubed_f1": _f1(p, r)}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(pred, gold) -> dict[str, float]:
    out = {**pair_counts(pred, gold), **bcubed(pred, gold)}
    out["gold_clusters"] = len(set(gold))
    out["predicted_clusters"] = len(set(pred))
    out["singletons"] = sum(1 for n in Counter(pred).values() if n == 1)
    return out


def worst(pred, gold, k: int, parts: int = 6) -> list[str]:
    """The k predicted stories with most wrongly joined pairs, and the k gold clusters split in
    most parts (each with its largest parts)."""
    by_pred = defaultdict(Counter)
    by_gold = defaultdict(Counter)
    for p, g in zip(pred, gold):
        by_pred[p][g] += 1
        by_gold[g][p] += 1

    def line(kind, key, counter):
        top = ", ".join(f"{x}: {n}" for x, n in counter.most_common(parts))
        more = f" (+{len(counter) - parts} more)" if len(counter) > parts else ""
        return f"  {kind} {key}: {top}{more}"

    def wrong_pairs(counter):
        n = sum(counter.values())
        return (n * n - sum(c * c for c in counter.values())) // 2

    mixed = sorted(by_pred.items(), key=lambda kv: (-wrong_pairs(kv[1]), kv[0]))[:k]
    split = sorted(by_gold.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:k]
    return ([line("mixed story", p, c) for p, c in mixed if len(c) > 1]
            + [line("split gold", g, c) for g, c in split if len(c) > 1])


# ---------------------------------------------------------------- baseline

# Distance thresholds the baseline is tuned over (cosine distance, average link).
BASELINE_GRID = [round(0.50 + 0.01 * k, 2) for k in range(50)]


def baseline_tree(docs):
    """A plain batch peer: TF-IDF (sublinear tf, English stopwords, fitted on the documents
    clustered) of title + body, average-link agglomerative clustering on cosine distance (the
    tree is built once; :func:`baseline_labels` cuts it). It sees every document at once (no
    order, no time), which the online clusterer never does."""
    import numpy as np
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [(d["title"] + "\n" + d["body"]) if d.get("title") and d["title"] != d["body"] else d["body"]
             for d in docs]
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)  # rows L2-normalised
    dist = 1.0 - (x @ x.T).toarray()
    np.fill_diagonal(dist, 0.0)
    return linkage(squareform(np.clip(dist, 0.0, 2.0), checks=False), method="average")


def baseline_labels(tree, threshold: float) -> list[str]:
    """Clusters of the tree cut at cosine distance ``threshold``."""
    from scipy.cluster.hierarchy import fcluster

    return [f"b{label}" for label in fcluster(tree, t=threshold, criterion="distance")]


def tune_baseline(docs) -> tuple[float, float]:
    """The grid threshold with the best pair F1 on ``docs`` (ties: the lower), and that F1."""
    gold = [d["gold"] for d in docs]
    tree = baseline_tree(docs)
    best = (-1.0, 0.0)
    for t in BASELINE_GRID:
        f1 = pair_counts(baseline_labels(tree, t), gold)["pair_f1"]
        if f1 > best[0] + 1e-12:
            best = (f1, t)
    return best[1], best[0]


def baseline_figures(docs, all_docs, split: str) -> dict:
    """The baseline tuned on the ECB+ train split and scored on ``docs``; on data without
    splits (UCI, JSONL) it is tuned on ``docs`` themselves, an oracle threshold that can only
    flatter the peer."""
    train = [d for d in all_docs if d.get("split") == "train"]
    tuned_on = "train" if train else "scored items (oracle)"
    threshold, tune_f1 = tune_baseline(train if train else docs)
    pred = baseline_labels(baseline_tree(docs), threshold)
    return {"threshold": threshold, "tuned_on": tuned_on, "tune_pair_f1": tune_f1,
            **score(pred, [d["gold"] for d in docs])}


# ---------------------------------------------------------------- the product path

def product_labels(docs, workdir: Path) -> tuple[list[str], dict]:
    """Storyline as a user runs it: the documents written as a JSONL file (url, title, text,
    published when known), stored with ``storyline ingest`` (the CLI, in a subprocess:
    cleaning, dateline reading, analysis), then the stories found by ``Desk.find_stories``
    (what ``storyline stories`` runs; reuse comparison off: it does not change memberships and
    costs minutes) and the memberships read back from the store. A document the ingest drops
    (cleaning) is scored as a story of its own and counted."""
    import subprocess
    from datetime import datetime, timezone

    import storyline

    workdir.mkdir(parents=True, exist_ok=True)
    src, db = workdir / "docs.jsonl", workdir / "store.db"
    for path in (db, db.with_suffix(".db-wal"), db.with_suffix(".db-shm")):
        path.unlink(missing_ok=True)
    url_of = {}
    with src.open("w", encoding="utf-8") as fh:
        for n, d in enumerate(docs):
            url_of[d["id"]] = f"https://bench.invalid/{n}"
            row = {"url": url_of[d["id"]], "text": d["body"]}
            if d.get("title"):
                row["title"] = d["title"]
                if d["title"] == d["body"]:
                    del row["text"]  # a headline dump's line: the title alone (ingest keeps it as a brief)
            if d.get("stated_time") is not None:
                row["published"] = datetime.fromtimestamp(d["stated_time"], timezone.utc).isoformat()
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "storyline", "ingest", str(src), "--db", str(db), "--json"],
                          env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"storyline ingest failed ({done.returncode}): {done.stderr[-2000:]}")
    ingest_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    with storyline.open(str(db)) as desk:
        report = desk.find_stories(reuse=False)
        by_url = {a.url: a for a in desk.store.articles()}
        story_of = {m.article_id: m.story_id for m in desk.store.story_members()}
        dated = sum(1 for a in by_url.values() if a.published)
    stories_s = time.perf_counter() - t0
    pred, dropped, same = [], [], 0
    lines = src.read_bytes().splitlines()
    for d, line in zip(docs, lines, strict=True):
        article = by_url.get(url_of[d["id"]])
        aid = article.id if article is not None else _stored_as(line)
        if aid is not None and article is None and aid in story_of:
            same += 1  # stored once under another document's URL (same cleaned text)
        if aid is None or aid not in story_of:
            dropped.append(d["id"])
            pred.append("dropped:" + d["id"])
        else:
            pred.append(story_of[aid])
    return pred, {"dropped": len(dropped), "dropped_ids": dropped, "same_text_as_another": same,
                  "dated_articles": dated, "ingest_s": ingest_s, "stories_s": stories_s,
                  "problems": len(report.problems)}


def replay_labels(docs, workdir: Path, params, title_entities: bool = False, batch: int = BATCH) -> list[str]:
    """The product path's clustering again, with ``params``, on the features a ``--via cli``
    run stored in ``workdir`` (kept with ``--workdir``): the store's articles, analyses and
    article vectors, in the order and batches the story step takes them (``scan.due_in_order``,
    ``scan.BATCH``, each ending with ``settle``). Nothing is written to that store (a copy
    has its stories cleared). Seconds instead of minutes, so CLI-path parameters can be tuned.

    ``title_entities``: what the product does since session 18 (features.title_keys), for a
    store analysed before it, whose analyses hold no title names: each item whose title is not
    the start of its body gets the entity keys of its title (spaCy on the title alone), a title
    mention adding to a key as one more mention does. Items with stored title names are left
    as they are."""
    import sqlite3
    import tempfile

    import storyline
    from storyline.link.stories import scan

    src, db = workdir / "docs.jsonl", workdir / "store.db"
    if not db.exists() or not src.exists():
        raise SystemExit(f"{workdir}: no store of a --via cli run here (run it with --workdir {workdir} first)")
    with tempfile.TemporaryDirectory(prefix="stories-replay-") as tmp:
        copy = Path(tmp) / "store.db"
        live, out = sqlite3.connect(db), sqlite3.connect(copy)
        live.backup(out)  # a consistent copy, the WAL folded in
        live.close()
        out.close()
        with storyline.open(str(copy)) as desk:
            store = desk.store
            store.clear_stories()
            clusterer = StoryClusterer(params)
            due = scan.due_in_order(store, clusterer)
            with single_threaded_blas():
                for start in range(0, len(due), batch):
                    items = list(scan.items_of(store, due[start : start + batch]))
                    if title_entities:
                        items = _with_title_entities(store, items)
                    clusterer.add_all(items)
                    clusterer.settle(_tail(clusterer, start, batch, len(due)))
            assignment = clusterer.assignments()
            by_url = {a.url: a.id for a in store.articles()}
    pred = []
    lines = src.read_bytes().splitlines()
    for n, (d, line) in enumerate(zip(docs, lines, strict=True)):
        aid = by_url.get(f"https://bench.invalid/{n}") or _stored_as(line)
        pred.append(assignment.get(aid, "dropped:" + d["id"]) if aid else "dropped:" + d["id"])
    return pred


def _with_title_entities(store, items: list) -> list:
    """``items`` with their titles' entity keys added (replay_labels ``title_entities``)."""
    import math

    from storyline.link.stories.features import article_text, entity_keys
    from storyline.run.analyze import load_analyzer

    articles = {a.id: a for a in store.articles(ids=[i.id for i in items])}
    stored = store.title_entities_of([i.id for i in items])  # analysed since session 18: read already
    titled = [i for i in items if (a := articles.get(i.id)) is not None and a.title and i.id not in stored
              and article_text(a.body, a.title) != a.body]
    if not titled:
        return items
    found = load_analyzer().analyze_texts([articles[i.id].title for i in titled])
    grown = {}
    for item, analysis in zip(titled, found, strict=True):
        keys = dict(item.entities)
        for key, weight in entity_keys(analysis).items():
            keys[key] = 1.0 + math.log(math.exp(keys[key] - 1.0) + 1.0) if key in keys else weight
        grown[item.id] = replace(item, entities=keys)
    return [grown.get(i.id, i) for i in items]


def _stored_as(line: bytes) -> str | None:
    """The id the ingest gives one JSONL line's article (its cleaned text's hash: a document
    whose text another already has is that article), or None when cleaning leaves nothing."""
    from storyline.ingest.convert import to_article
    from storyline.ingest.files import DEFAULT_MAX_BYTES, InputError
    from storyline.ingest.jsonl import document_from_object
    from storyline.records import RawDocument

    raw = document_from_object(json.loads(line), source="bench.jsonl", where="", max_bytes=DEFAULT_MAX_BYTES)
    if not isinstance(raw, RawDocument):
        return None
    try:
        return to_article(raw).id
    except InputError:
        return None


# ---------------------------------------------------------------- main

def single_threaded_blas():
    """One BLAS thread: the clusterer's products are one matrix-vector product per article,
    where OpenBLAS threads only contend (20x slower on a busy 2-core machine)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        import contextlib

        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")


def parse_overrides(pairs: list[str]):
    types = {f.name for f in fields(DEFAULT)}
    changes = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        if name not in types:
            raise SystemExit(f"unknown parameter {name!r}; known: {', '.join(sorted(types))}")
        kind = type(getattr(DEFAULT, name))
        if kind is bool:  # bool("False") is True
            if value.lower() not in ("true", "false", "1", "0"):
                raise SystemExit(f"{name}: expected true or false, got {value!r}")
            changes[name] = value.lower() in ("true", "1")
        else:
            changes[name] = kind(value)
    return replace(DEFAULT, **changes)


def _tail(clusterer, start: int, batch: int, total: int) -> bool:
    """Whether the batch at ``start`` is the last of a run that brought a corpus
    (scan.bulk_run): with the story step's batch size the whole input is one run, as one
    `storyline stories` over a loaded corpus; with a smaller ``batch`` each batch is a run of
    its own, as a feed's."""
    if batch < BATCH:
        return bulk_run(clusterer, min(batch, total - start))
    return start + batch >= total and bulk_run(clusterer, total)


def cluster_direct(items, params, batch: int = BATCH) -> dict[str, str]:
    """The clusterer on ``items`` in this order, in batches of ``batch`` (the story step's size
    unless given; 1: a live feed's runs), each ending with ``settle``: article id -> story key."""
    clusterer = StoryClusterer(params)
    with single_threaded_blas():
        for start in range(0, len(items), batch):
            clusterer.add_all(items[start : start + batch])
            clusterer.settle(_tail(clusterer, start, batch, len(items)))
    return clusterer.assignments()


def orders_figures(docs, items, params, shuffles: int, batch: int = BATCH) -> dict:
    """The direct clusterer on the documents in the order given and in ``shuffles`` random orders
    (seeds 0 to shuffles-1, the permutations ``--shuffle SEED`` makes): one order moves ECB+'s
    pair F1 by up to 0.08 (one sibling event glued or not), so a change is judged on the mean.
    Per order (the given one first) and the means."""
    import random

    pair, bcubed = [], []
    for seed in (None, *range(shuffles)):
        order = list(range(len(docs)))
        if seed is not None:
            random.Random(seed).shuffle(order)
        assignment = cluster_direct([items[k] for k in order], params, batch)
        got = score([assignment[docs[k]["id"]] for k in order], [docs[k]["gold"] for k in order])
        pair.append(got["pair_f1"])
        bcubed.append(got["bcubed_f1"])
    return {"shuffles": shuffles, "pair_f1": pair, "bcubed_f1": bcubed,
            "mean_pair_f1": sum(pair) / len(pair), "mean_bcubed_f1": sum(bcubed) / len(bcubed)}


def _print_scores(name: str, f: dict) -> None:
    print(f"{name}")
    print(f"  pairs   P {f['pair_precision']:.4f}  R {f['pair_recall']:.4f}  F1 {f['pair_f1']:.4f}")
    print(f"  BCubed  P {f['bcubed_precision']:.4f}  R {f['bcubed_recall']:.4f}  F1 {f['bcubed_f1']:.4f}")
    print(f"  clusters gold {f['gold_clusters']}  predicted {f['predicted_clusters']} ({f['singletons']} singletons)")


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("path", type=Path)
    ap.add_argument("--limit", type=int, default=None, help="first N items (in feed order)")
    ap.add_argument("--split", default="all", help="ECB+ split: train, dev or all (default; UCI has none)")
    ap.add_argument("--cache", default=None, help="feature cache folder")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="override a Params field")
    ap.add_argument("--ecb-times", choices=("none", "file", "published"), default=ECB_TIMES,
                    help="ECB+ times from the datelines the product reads (default none; see load_ecb)")
    ap.add_argument("--errors", type=int, default=0, help="list the K worst mixed/split clusters")
    ap.add_argument("--via", choices=("direct", "cli", "both", "replay"), default="direct",
                    help="direct: the clusterer on cached features (fast, for tuning); cli: the product path "
                         "(JSONL -> storyline ingest -> find_stories -> the store's memberships); both; "
                         "replay: the product path's clustering again, with --set, on the store a cli run "
                         "kept in --workdir")
    ap.add_argument("--workdir", type=Path, default=None,
                    help="where --via cli writes its JSONL and store (default: a temporary folder)")
    ap.add_argument("--no-baseline", action="store_true", help="skip the TF-IDF average-link peer")
    ap.add_argument("--news-stream", default=None, metavar="SPAN:SPREAD:SEED[:siblings|:events]",
                    help="ECB+ as a dated stream of unrelated events (see news_stream), e.g. 20:3:0; "
                         ":siblings puts both events of each topic on one day, :events keeps every event, "
                         "each on its own day")
    ap.add_argument("--shuffle", type=int, default=None, metavar="SEED",
                    help="feed the documents in a random order (seeded) instead of the file's: how much "
                         "the online clusterer owes to the order it is given (undated documents are taken "
                         "in the order given; dated ones are sorted by time by the product path anyway)")
    ap.add_argument("--orders", type=int, default=0, metavar="N",
                    help="direct path: also cluster in N random orders (the permutations of --shuffle 0 to "
                         "N-1) and report each order's pair and BCubed F1 and their means")
    ap.add_argument("--batch", type=int, default=BATCH, metavar="N",
                    help=f"direct and replay paths: cluster in batches of N articles, each ending as the story "
                         f"step's batch does (StoryClusterer.settle); default {BATCH}, the story step's; 1 is a live "
                         f"feed whose every run brings one article")
    ap.add_argument("--raw-text", action="store_true",
                    help="ECB+ with --via cli or replay: each document's text as the corpus gives it (its "
                         "address line and tokenisation kept), as a user feeding docs.jsonl would, instead "
                         "of the prepared text (address dropped, detokenised)")
    ap.add_argument("--title-entities", action="store_true",
                    help="with --via replay on a store analysed before session 18: add each cut or given "
                         "title's entities to the story features, as the product now does (see replay_labels)")
    args = ap.parse_args(argv)
    if args.batch < 1:
        raise SystemExit("--batch: at least 1")
    if args.orders and (args.shuffle is not None or args.via not in ("direct", "both")):
        raise SystemExit("--orders takes the direct path in the given order (it makes its own shuffles)")

    params = parse_overrides(args.set)
    fmt, data_file, all_docs, malformed = load(args.path, args.ecb_times)
    file_docs = all_docs  # the feature cache is keyed by the file's documents
    if args.news_stream:
        if fmt != "ecbplus":
            raise SystemExit("--news-stream takes ECB+ (a folder with docs.jsonl)")
        span, spread, seed, *mode = args.news_stream.split(":")
        if len(mode) > 1 or (mode and mode[0] not in STREAM_MODES[1:]):
            raise SystemExit(f"--news-stream {args.news_stream}: SPAN:SPREAD:SEED, optionally :siblings or :events")
        all_docs = news_stream(all_docs, float(span), float(spread), int(seed), mode=mode[0] if mode else "")
        fmt = f"ecbplus-stream-{args.news_stream}"
    docs = [d for d in all_docs if args.split == "all" or d.get("split") == args.split]
    if args.raw_text:
        if fmt != "ecbplus" or args.via not in ("cli", "replay"):
            raise SystemExit("--raw-text takes ECB+ (not a stream) with --via cli or replay: the direct "
                             "path's features are cached for the prepared text")
        docs = [{**d, "body": d["raw_text"]} for d in docs]
        fmt = "ecbplus-raw"
    if args.limit:
        docs = docs[: args.limit]
    if args.shuffle is not None:
        import random

        docs = list(docs)
        random.Random(args.shuffle).shuffle(docs)
    print(f"{fmt}: {len(docs)} items from {data_file} ({malformed} malformed rows skipped)", file=sys.stderr)
    gold = [d["gold"] for d in docs]
    figures = {"dataset": fmt, "items": len(docs), "malformed_rows": malformed, "split": args.split,
               "shuffle": args.shuffle, "batch": args.batch,
               "params": asdict(params)}
    if args.via in ("direct", "both"):
        items, feat_rate, cached = features(docs, file_docs, data_file, cache_dir(args.cache))
        t0 = time.perf_counter()
        assignment = cluster_direct(items, params, args.batch)
        cluster_s = time.perf_counter() - t0
        pred = [assignment[d["id"]] for d in docs]
        figures.update(score(pred, gold))
        figures.update({"feature_articles_per_s": feat_rate, "feature_cached": cached,
                        "cluster_articles_per_s": len(docs) / cluster_s if cluster_s else None})
        _print_scores("storyline", figures)
        print(f"speed   features {feat_rate:.1f} art/s{' (from cache)' if cached else ''},"
              f" clustering {figures['cluster_articles_per_s']:.1f} art/s")
        for line in worst(pred, gold, args.errors):
            print(line)
        if args.orders:
            figures["orders"] = orders_figures(docs, items, params, args.orders, args.batch)
            o = figures["orders"]
            print(f"orders  pair F1 over the given order and {args.orders} shuffles: mean {o['mean_pair_f1']:.4f}"
                  f" (min {min(o['pair_f1']):.4f}, max {max(o['pair_f1']):.4f}); BCubed mean {o['mean_bcubed_f1']:.4f}")
    if args.via in ("cli", "both"):
        import tempfile

        if args.set:
            print("note: --set does not reach the product path (it runs the shipped parameters)", file=sys.stderr)
        with tempfile.TemporaryDirectory(prefix="stories-bench-") as tmp:
            cli_pred, extra = product_labels(docs, args.workdir or Path(tmp))
        figures["cli"] = {**score(cli_pred, gold), **extra}
        _print_scores("via CLI", figures["cli"])
        print(f"        {extra['dropped']} documents dropped by ingest ({extra['same_text_as_another']} stored as"
              f" another's article), {extra['dated_articles']} dated;"
              f" ingest {extra['ingest_s']:.0f} s, stories {extra['stories_s']:.0f} s")
        for line in worst(cli_pred, gold, args.errors):
            print(line)
    if args.via == "replay":
        if args.workdir is None:
            raise SystemExit("--via replay needs --workdir (the folder a --via cli run kept)")
        replay_pred = replay_labels(docs, args.workdir, params, args.title_entities, args.batch)
        figures["replay"] = score(replay_pred, gold)
        _print_scores("replayed CLI store", figures["replay"])
        for line in worst(replay_pred, gold, args.errors):
            print(line)
    if not args.no_baseline:
        figures["baseline"] = baseline_figures(docs, all_docs, args.split)
        _print_scores(f"baseline (t={figures['baseline']['threshold']}, tuned on {figures['baseline']['tuned_on']})",
                      figures["baseline"])
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
