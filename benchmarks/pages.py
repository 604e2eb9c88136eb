#!/usr/bin/env python3
"""Latency of every web page (p50/p95 per page) on a store of a given size: the pages of the web
app as a researcher opens them, not the REST API (``api_load.py`` and the API benchmarks do that).

Usage::

    python benchmarks/pages.py DB [--build DATA_DIR --articles 50000 --analysed 100] [--samples 20]
                                  [--stories 8] [--seed 7]

e.g. ``PYTHONPATH=src .venv/bin/python benchmarks/pages.py /tmp/pages50k.db --build ../shared/eval``
(the 50,000-article store is built the first time, as ``api_load.py`` builds it: real sentences,
planted stories, a real analysis of ``--analysed`` articles and a synthetic one of the rest;
see that script's docstring), or on any store, e.g. the seeds: ``pages.py /tmp/seeds.db``.
Progress goes to stderr; the LAST stdout line is one JSON object.

**Before timing** (untimed, reported): the people step runs over every analysed article not done
yet (``Desk.link(["people"])``, as ``storyline link`` would; ``--skip-people`` measures with the
people stored so far and reports for how many articles, ``people_done_articles``), and the facts of the ``--stories``
sampled stories are built and stored (``Desk.story``: the linking run's story_facts step does this
for every story; a page only reads them). Nothing else is prepared.

**Timing.** A fresh app (``create_app(DB, warm=0)``: empty caches) is driven in-process through
its ASGI interface (Starlette's TestClient: no network, no other process), one request at a time.
Each page kind is requested for ``--samples`` different targets (a page for a person, story,
outlet or article: the largest few and a seeded random draw of the rest), each target once
(``first``: the first view of that page in this process) and then again (``again``: what the
server's caches give a second reader). Per page kind: p50, p95 and max of each pass in ms, and
the HTML size. Page kinds: home ``/``; story list filtered by an outlet; article list unfiltered,
at a deep offset, by outlet, by person (id), by story; people list; person page; story page;
article page; search (one word from a sampled title); outlet list; outlet page. Before the
samples, one page of each kind is requested and timed apart (``warmup_ms``): what a process pays
once (the first story page imports numpy, each template is compiled on first use); the story
warmed is an extra one, not in the sample.

**What it does not measure**: concurrency (one request at a time), PostgreSQL, a browser's
rendering, the network. A p95 over 20 samples is nearly the second largest value: read it as
"most pages", not a tail.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))  # api_load beside this script

import storyline  # noqa: E402
from storyline.run.people_steps import PEOPLE_VERSION  # noqa: E402


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))], 1)


def summary(times: list[float]) -> dict:
    return {"p50": pct(times, 0.5), "p95": pct(times, 0.95), "max": round(max(times), 1), "n": len(times)}


def pick(items: list, n: int, rng: random.Random, head: int = 3) -> list:
    """The first ``head`` items (the largest) and a random draw of the rest, ``n`` in all."""
    rest = items[head:]
    return items[:head] + rng.sample(rest, min(max(n - head, 0), len(rest)))


def prepare(db: str, args: argparse.Namespace, rng: random.Random) -> dict:
    info: dict = {}
    with storyline.open(db) as desk:
        t0 = time.perf_counter()
        if not args.skip_people:
            desk.link(["people"])
        info["people_step_s"] = round(time.perf_counter() - t0, 1)
        store = desk.store
        info["people_done_articles"] = store.count() - len(store.people_due(PEOPLE_VERSION)) \
            if args.skip_people else info.get("articles")
        info["articles"] = store.count()
        stories = store.stories(limit=2000)
        info["stories_listed"] = len(stories)
        chosen_stories = pick([s for s in stories if len(s.article_ids) > 1] or stories, args.stories + 1, rng, head=1)
        t0 = time.perf_counter()
        for s in chosen_stories:
            desk.story(s.id)  # builds and stores its facts when missing (what linking does)
        info["story_facts_s"] = round(time.perf_counter() - t0, 1)
        people = store.people(limit=2000)
        info["people_listed"] = len(people)
        outlets = [o.outlet for o in store.outlets()]
        total = info["articles"]
        offsets = sorted(rng.sample(range(total), min(args.samples, total)))
        articles = [store.articles(limit=1, offset=o)[0] for o in offsets]
        words = [w for a in articles for w in re.findall(r"[A-Za-z]{6,}", a.title or "")[:1]]
        info["targets"] = {
            "stories": [s.id for s in chosen_stories], "people": [p.id for p in pick(people, args.samples, rng)],
            "outlets": pick(outlets, args.samples, rng), "articles": [a.id for a in articles],
            "words": words or ["the"], "deep_offset": max(total - 60, 0) // 50 * 50,
        }
    return info


def page_urls(t: dict, n: int) -> dict[str, list[str]]:
    def cycle(items: list, make) -> list[str]:
        return [make(items[i % len(items)]) for i in range(n)] if items else []

    outlet = lambda o: quote(o, safe="")  # noqa: E731
    return {
        "home": ["/"] * n,
        "stories_by_outlet": cycle(t["outlets"], lambda o: f"/?outlet={outlet(o)}"),
        "articles": ["/articles"] * n,
        "articles_deep_offset": [f"/articles?offset={t['deep_offset']}"] * n,
        "articles_by_outlet": cycle(t["outlets"], lambda o: f"/articles?outlet={outlet(o)}"),
        "articles_by_person": cycle(t["people"], lambda p: f"/articles?person={p}"),
        "articles_by_story": cycle(t["stories"], lambda s: f"/articles?story={s}"),
        "people": ["/people"] * n,
        "person": cycle(t["people"], lambda p: f"/people/{p}"),
        "story": [f"/stories/{s}" for s in t["stories"][:-1] or t["stories"]],
        "article": cycle(t["articles"], lambda a: f"/articles/{a}"),
        "search": cycle(t["words"], lambda w: f"/search?q={quote(w)}"),
        "outlets": ["/outlets"] * n,
        "outlet": cycle(t["outlets"], lambda o: f"/outlets/{outlet(o)}"),
    }


def measure(db: str, urls: dict[str, list[str]], warm_story: str) -> dict:
    from fastapi.testclient import TestClient

    from storyline.web.api import create_app

    out: dict = {"warmup_ms": {}}
    with TestClient(create_app(db, warm=0), base_url="http://127.0.0.1:8000") as client:
        # What the process pays once (imports such as numpy on the first story, each template's
        # compilation), paid on one page of each kind not in the sample (the extra story), timed apart.
        for name, paths in urls.items():
            if paths:
                warm = paths[0] if name != "story" else f"/stories/{warm_story}"
                t0 = time.perf_counter()
                client.get(warm)
                out["warmup_ms"][name] = round((time.perf_counter() - t0) * 1000, 1)
        for name, paths in urls.items():
            if not paths:
                continue
            passes: dict[str, list[float]] = {"first": [], "again": []}
            size = 0
            for run in ("first", "again"):
                for path in paths:
                    t0 = time.perf_counter()
                    r = client.get(path)
                    passes[run].append((time.perf_counter() - t0) * 1000)
                    if r.status_code != 200:
                        raise SystemExit(f"{path}: HTTP {r.status_code}: {r.text[:300]}")
                    size = max(size, len(r.content))
            out[name] = {"first": summary(passes["first"]), "again": summary(passes["again"]), "max_kb": round(size / 1024)}
            log(f"{name:22} first p50 {out[name]['first']['p50']:7.1f} p95 {out[name]['first']['p95']:7.1f} ms · "
                f"again p50 {out[name]['again']['p50']:6.1f} p95 {out[name]['again']['p95']:6.1f} ms · {out[name]['max_kb']} KB")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("db", help="the store (a SQLite file or postgresql:// URL)")
    parser.add_argument("--build", metavar="DATA_DIR", help="build a synthetic store at DB first (api_load.py's)")
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--analysed", type=int, default=100, help="articles given the real analysis when building")
    parser.add_argument("--samples", type=int, default=20, help="targets per page kind")
    parser.add_argument("--stories", type=int, default=8, help="story pages measured (their facts are built first)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-people", action="store_true",
                        help="measure with the people stored so far (the people step is not run first)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    result: dict = {"db": args.db}
    if args.build:
        import api_load

        result["build"] = api_load.ensure_store(Path(args.build), Path(args.db), args.articles, args.analysed, args.seed)
    result.update(prepare(args.db, args, rng))
    log(f"{result['articles']} articles; people step {result['people_step_s']} s; "
        f"facts of {len(result['targets']['stories'])} stories {result['story_facts_s']} s")
    measured = measure(args.db, page_urls(result["targets"], args.samples), result["targets"]["stories"][-1])
    result["warmup_ms"] = measured.pop("warmup_ms")
    result["pages"] = measured
    result["worst_first_p95_ms"] = max(p["first"]["p95"] for p in measured.values())
    result["worst_again_p95_ms"] = max(p["again"]["p95"] for p in measured.values())
    result["over_200ms_first_p95"] = sorted(k for k, p in measured.items() if p["first"]["p95"] >= 200)
    del result["targets"]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
