#!/usr/bin/env python3
"""Reads while an ingest runs: requests/s and p50/p95/p99 of the main read routes of a real
``storyline serve`` on a 50,000-article store, first idle, then while articles are added both
through the server (POST /api/v1/articles, its ingest queue) and by a CLI ``storyline ingest`` in
another process writing into the same SQLite file.

Usage::

    python benchmarks/api_load_ingest.py DATA_DIR --db /tmp/load50k.db [--articles 50000]
        [--analysed 300] [--duration 5] [--connections 4] [--threads 1] [--post-clients 6]
        [--cli-chunk 100] [--no-analyze] [--post-link]

The store is ``api_load.py``'s (``api_load.ensure_store``: built once, reused after; see that
script's docstring: real article text read from ``DATA_DIR`` at run time, partly synthetic
analyses, planted stories). Needs ``wrk`` on the PATH (``apt-get install wrk``). The LAST
output line is one JSON object with the figures.

**Routes** (each loaded by ``wrk -t{threads} -c{connections} -d{duration}s``, closed loop, one
route after the other): ``/api/v1/articles?limit=20``, ``/api/v1/stories?limit=20``,
``/api/v1/stories/{id}`` and the HTML page ``/stories/{id}`` of the largest story (its report is
built by one request before the idle phase, so both phases read the kept report),
``/api/v1/quotes?limit=100``, ``/api/v1/search?q=said&limit=20`` and the home page ``/``.

**Phases.** *Idle*: the routes in turn with nothing else running. *Ingest*: the same routes in
turn while, for the whole phase,

* ``--post-clients`` threads (default 6: one more than the server's ingest queue holds, so
  back-pressure is exercised) each POST one new article at a time to
  ``/api/v1/articles?analyze=true&link=false`` (``--no-analyze``: analyze=false; ``--post-link``:
  link=true, i.e. background reuse finding and story updates after each POST); a 429 is counted
  and the client waits 1 s (less than the server's Retry-After, to keep the queue full);
* one CLI ``storyline ingest CHUNK.jsonl --db DB --json`` after another (``--cli-chunk``
  articles each, analysed unless ``--no-analyze``) runs in its own process.

The new articles are real-shaped: ``corpus_synth`` texts (seeded by ``--seed``, an offset and
the store's article count, so never the store's texts, and a rerun on a store that an earlier
run grew makes articles it does not hold yet), titled, with outlet, URL and publication time, the
same JSONL shape the store was built from. Each run adds what it ingested to the store.
When the routes are done, the POST clients stop and the CLI chunk under way is left to finish
(so the phase ends with a clean store). A read fails when it is not 2xx (wrk's status errors)
or a socket error or timeout; POSTs may be 429 (expected, counted), anything else than
200/201/429 counts as a failed POST. The script exits 1 (after the JSON line) when a read or a
POST failed or a CLI ingest exited non-zero.

**Ratios**: per route and in total, ingest-phase req/s over idle req/s (``rps_ratio``: 1.0 = no
slowdown) and ingest p95 over idle p95 (``p95_ratio``).

Caveat: ``wrk``, the server, the POST clients, the CLI ingest and spaCy in both writers share
the same cores; on a small machine the ingest phase measures how the cores are shared as much as
the server's own design. The figures are for the machine in ``load.cores``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # api_load, corpus_synth beside this script
import api_load  # noqa: E402
import corpus_synth  # noqa: E402

NEW_SEED_OFFSET = 7919  # the new articles' corpus seed = --seed + this: other texts than the store's
NEW_URL = "https://load-bench-new.invalid/"
POST_BACKOFF_S = 1.0


def read_routes(story: str) -> dict[str, str]:
    return {
        "articles": "/api/v1/articles?limit=20",
        "stories": "/api/v1/stories?limit=20",
        "story_api": f"/api/v1/stories/{story}",
        "story_page": f"/stories/{story}",
        "quotes": "/api/v1/quotes?limit=100",
        "search": "/api/v1/search?q=said&limit=20",
        "home": "/",
    }


def new_articles(data_dir: Path, n: int, seed: int, folder: Path) -> list[str]:
    """``n`` new real-shaped articles as JSONL lines, published after the store's corpus ends."""
    corpus = corpus_synth.build(data_dir, n, seed + NEW_SEED_OFFSET)
    start = api_load.CORPUS_START + dt.timedelta(days=api_load.CORPUS_DAYS + 1)
    when = {r: start + dt.timedelta(minutes=r) for r in range(len(corpus.texts))}
    api_load.write_jsonl(corpus, when, folder, random.Random(seed))
    lines = []
    for part in sorted(folder.glob("part-*.jsonl")):
        for line in part.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            # Not the store's URLs, nor an earlier run's: corpus ids repeat across seeds, and a
            # known URL is "present" however its text differs.
            item["url"] = item["url"].replace("https://load-bench.invalid/", f"{NEW_URL}{seed}/")
            lines.append(json.dumps(item))
        part.unlink()
    return lines


class Posters:
    """``clients`` threads POSTing one article each at a time until stopped; counts statuses."""

    def __init__(self, base: str, lines: list[str], clients: int, analyze: bool, link: bool):
        self.url = f"{base}/api/v1/articles?analyze={str(analyze).lower()}&link={str(link).lower()}"
        self.lines, self.clients = lines, clients
        self.lock, self.stop = threading.Lock(), threading.Event()
        self.statuses: dict[str, int] = {}
        self.latencies: list[float] = []
        self.threads: list[threading.Thread] = []

    def _next(self) -> str | None:
        with self.lock:
            return self.lines.pop() if self.lines else None

    def _count(self, key: str, seconds: float | None = None) -> None:
        with self.lock:
            self.statuses[key] = self.statuses.get(key, 0) + 1
            if seconds is not None:
                self.latencies.append(seconds)

    def _client(self) -> None:
        line = None
        while not self.stop.is_set():
            line = line or self._next()
            if line is None:
                self._count("ran_out")
                return
            request = urllib.request.Request(self.url, data=line.encode(), method="POST",
                                             headers={"Content-Type": "application/json"})
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=600) as resp:
                    resp.read()
                    status = resp.status
            except urllib.error.HTTPError as exc:
                exc.read()
                status = exc.code
            except OSError as exc:
                self._count(f"error: {type(exc).__name__}")
                line = None
                continue
            if status == 429:
                self._count("429")
                self.stop.wait(POST_BACKOFF_S)  # the same article again after the pause
                continue
            self._count(str(status), time.perf_counter() - t0)
            line = None

    def start(self) -> None:
        self.threads = [threading.Thread(target=self._client, daemon=True) for _ in range(self.clients)]
        for t in self.threads:
            t.start()

    def finish(self) -> dict:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=600)  # a POST under way is answered before its client stops
        lat = sorted(self.latencies)
        answered = {k: v for k, v in self.statuses.items() if k not in ("ran_out",)}
        return {
            "statuses": dict(sorted(answered.items())),
            "failed": sum(v for k, v in answered.items() if k not in ("200", "201", "429")),
            "ran_out_of_articles": "ran_out" in self.statuses,
            "p50_s": round(lat[len(lat) // 2], 2) if lat else None,
            "max_s": round(lat[-1], 2) if lat else None,
        }


class CliIngest:
    """One ``storyline ingest CHUNK --json`` after another, in a thread, until stopped."""

    def __init__(self, db: Path, chunks: list[Path], analyze: bool, logs: Path):
        self.db, self.chunks, self.analyze, self.logs = db, chunks, analyze, logs
        self.stop = threading.Event()
        self.runs: list[dict] = []
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        for chunk in self.chunks:
            if self.stop.is_set():
                return
            cmd = [sys.executable, "-m", "storyline", "ingest", str(chunk), "--db", str(self.db), "--json",
                   "--analyze" if self.analyze else "--no-analyze"]
            t0 = time.perf_counter()
            with (self.logs / f"{chunk.stem}.err").open("wb") as err:
                out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=err, timeout=1800)
            run = {"rc": out.returncode, "s": round(time.perf_counter() - t0, 1)}
            try:
                report = json.loads(out.stdout.decode().strip().splitlines()[-1])
                run["added"] = len(report["added"]) if isinstance(report.get("added"), list) else report.get("added")
            except (IndexError, ValueError, AttributeError, KeyError):
                run["stdout_tail"] = out.stdout.decode(errors="replace")[-300:]
            if out.returncode:
                run["stderr_tail"] = (self.logs / f"{chunk.stem}.err").read_text(errors="replace")[-500:]
            self.runs.append(run)
            api_load.log(f"  cli ingest {chunk.name}: {run}")

    def start(self) -> None:
        self.thread.start()

    def finish(self) -> dict:
        self.stop.set()
        self.thread.join(timeout=1900)  # the chunk under way finishes
        return {"runs": len(self.runs), "failed_runs": sum(r["rc"] != 0 for r in self.runs),
                "added": sum(r.get("added") or 0 for r in self.runs if isinstance(r.get("added"), int)),
                "seconds": [r["s"] for r in self.runs], "failures": [r for r in self.runs if r["rc"]]}


def article_count(db: Path) -> int:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        con.close()


def load_routes(wrk: api_load.Wrk, base: str, routes: dict[str, str], phase: str) -> dict:
    api_load.log(f"phase {phase}:")
    return {name: wrk.run(f"{phase} {name}", base + path) for name, path in routes.items()}


def compare(idle: dict, busy: dict) -> dict:
    def r(a, b):
        return round(a / b, 3) if b else None
    out = {name: {"rps_ratio": r(busy[name]["rps"], idle[name]["rps"]),
                  "p95_ratio": r(busy[name]["p95_ms"], idle[name]["p95_ms"])} for name in idle}
    total_idle, total_busy = sum(f["rps"] for f in idle.values()), sum(f["rps"] for f in busy.values())
    out["total_rps_ratio"] = r(total_busy, total_idle)
    return out


def main() -> None:
    ap = api_load.load_arguments(__doc__.split("\n\n")[0], duration=5, connections=4, threads=1)
    ap.add_argument("--post-clients", type=int, default=6, help="concurrent POST clients (default 6)")
    ap.add_argument("--cli-chunk", type=int, default=100, help="articles per CLI ingest run (default 100)")
    ap.add_argument("--new", type=int, default=3000, help="new articles made for the ingest phase (default 3000)")
    ap.add_argument("--no-analyze", dest="analyze", action="store_false", help="ingest without analysis")
    ap.add_argument("--post-link", action="store_true", help="POST with link=true (background linking)")
    args = ap.parse_args()
    if not Path(args.wrk).exists():
        raise SystemExit("wrk not found (apt-get install wrk)")
    if args.connections < args.threads:
        raise SystemExit("--connections must be at least --threads")
    if args.new < 2 * args.cli_chunk:
        raise SystemExit("--new must be at least twice --cli-chunk")

    db = args.db.resolve()
    build = api_load.ensure_store(args.data_dir, db, args.articles, args.analysed, args.seed)
    with tempfile.TemporaryDirectory(prefix="api-load-ingest-") as tmp:
        tmp_path = Path(tmp)
        count_before = article_count(db)
        # Seeded by the store's size too: a run on a store an earlier run grew makes articles
        # the store does not hold yet (the same ones would be "present" and skip analysis).
        lines = new_articles(args.data_dir, args.new, args.seed + count_before, tmp_path)
        half = len(lines) // 2
        post_lines, cli_lines = lines[:half], lines[half:]
        chunks = []
        for k, start in enumerate(range(0, len(cli_lines), args.cli_chunk)):
            chunk = tmp_path / f"cli-{k:03d}.jsonl"
            chunk.write_text("\n".join(cli_lines[start : start + args.cli_chunk]) + "\n", encoding="utf-8")
            chunks.append(chunk)
        script = tmp_path / "report.lua"
        script.write_text(api_load.WRK_LUA)
        wrk = api_load.Wrk(args, script)

        port = api_load.free_port()
        cmd = [sys.executable, "-m", "storyline", "serve", "--db", str(db), "--port", str(port), "--warm", "0"]
        with api_load.server("storyline", cmd, "/api/v1", port, tmp_path) as base:
            story = build.get("showcase") or json.loads(api_load.get(base + "/api/v1/stories?limit=1")[1])["items"][0]["id"]
            routes = read_routes(story)
            warm = {}
            for name, path in routes.items():  # every route answers 2xx before it is loaded
                status, ms, body, _ = api_load.timed_get(base + path)
                if not 200 <= status < 300:
                    raise SystemExit(f"{path} answered {status}: {body[:300]!r}")
                warm[name] = ms
            api_load.log(f"first requests (ms; the story report is built by the first): {warm}")
            idle = load_routes(wrk, base, routes, "idle")

            posters = Posters(base, post_lines, args.post_clients, args.analyze, args.post_link)
            cli = CliIngest(db, chunks, args.analyze, tmp_path)
            t0 = time.perf_counter()
            posters.start()
            cli.start()
            busy = load_routes(wrk, base, routes, "ingest")
            reads_s = time.perf_counter() - t0
            posts = posters.finish()
            cli_fig = cli.finish()
            count_after = article_count(db)

    read_failures = sum(f["errors"] for phase in (idle, busy) for f in phase.values())
    figures = {
        "articles_before": count_before, "articles_after": count_after,
        "story_id": story,
        "idle": idle, "ingest": busy, "ratio": compare(idle, busy),
        "posts": posts, "cli_ingest": cli_fig,
        "ingest_phase_s": round(reads_s, 1),
        "read_failures": read_failures,
        "ok": read_failures == 0 and posts["failed"] == 0 and cli_fig["failed_runs"] == 0,
        "first_request_ms": warm,
        "load": {"tool": "wrk", "threads": args.threads, "connections": args.connections,
                 "duration_s": args.duration, "cores": os.cpu_count(), "post_clients": args.post_clients,
                 "cli_chunk": args.cli_chunk, "analyze": args.analyze, "post_link": args.post_link},
        "build": {k: v for k, v in build.items() if k in ("reused", "articles_asked", "build_s", "rows_lost")},
    }
    print(json.dumps(figures))
    if not figures["ok"]:
        print("a read, a POST or a CLI ingest failed: see the JSON above", file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
