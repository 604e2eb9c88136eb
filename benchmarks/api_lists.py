#!/usr/bin/env python3
"""Latency of every API list route (and the record routes next to them) on a big store: p50 and
p95 of sequential requests to a real server, with the answer's size; and the previous design
(``--peer``: another checkout's ``src``, e.g. main before the /api/v1 conventions) served from
the same store in the same run, so that what totals (COUNT queries), summaries and ETags cost or
save is a ratio, not a guess.

Usage::

    python benchmarks/api_lists.py --db STORE [--peer ../main/src] [--requests 40]

``STORE`` is any store, e.g. the 50,000-article store ``benchmarks/api_load.py`` builds
(``python benchmarks/api_load.py ../shared/eval --db /tmp/load50k.db`` builds it and measures
more; about 5 minutes to build). The store is only read (the server migrates it to this
checkout's schema when it is older).

One server at a time on 127.0.0.1 (``python -m storyline serve --warm 0``, uvicorn, one
process), so that the two do not compete for the cores. Per route: one first request (its time
is ``first_ms``: caches cold), then ``--requests`` sequential requests timed from the client
(urllib, a new connection each), giving ``p50_ms``, ``p95_ms`` and ``bytes`` (a route whose
first answer takes over ``SLOW_MS`` is timed once more only); one more request
sends the route's ETag back in If-None-Match and records the status (304 expected) and time.
The peer serves the old paths (``/api/...``) with the same parameters where it has the route.
The LAST output line is one JSON object with the figures; ``slowest_p95_ms`` names the worst route.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
READY_S = 600  # a first start migrates and may warm caches
SLOW_MS = 5000  # a route whose first answer takes longer is timed once more only (p50 = p95 = that)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, headers: dict | None = None, timeout: float = 600) -> tuple[int, float, bytes, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            body = r.read()
            return r.status, (time.perf_counter() - t0) * 1000, body, dict(r.headers)
    except urllib.error.HTTPError as exc:
        body = exc.read()
        return exc.code, (time.perf_counter() - t0) * 1000, body, dict(exc.headers)


class Server:
    """``storyline serve`` from ``src`` on a free port, stopped on exit."""

    def __init__(self, src: Path, db: str, ready_path: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONPATH": str(src)}
        self.proc = subprocess.Popen([sys.executable, "-m", "storyline", "serve", "--db", db, "--port",
                                      str(self.port), "--warm", "0"], env=env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + READY_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server from {src} exited with {self.proc.returncode}")
            try:
                if get(self.base + ready_path, timeout=5)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"the server from {src} did not answer {ready_path} in {READY_S} s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def measure(base: str, path: str, n: int) -> dict:
    status, first, body, headers = get(base + path)
    if status != 200:
        return {"path": path, "status": status, "error": body[:200].decode("utf-8", "replace")}
    if first > SLOW_MS:  # far over any goal: timed once more, not n times
        n = 1
    times = [get(base + path)[1] for _ in range(n)]
    times.sort()
    out = {"path": path, "first_ms": round(first, 1), "p50_ms": round(statistics.median(times), 1),
           "p95_ms": round(times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))], 1),
           "bytes": len(body)}
    try:
        data = json.loads(body)
        if isinstance(data, dict) and "total" in data:
            out["total"] = data["total"]
    except ValueError:
        pass
    tag = headers.get("ETag") or headers.get("etag")
    if tag:
        status, ms, _, _ = get(base + path, {"If-None-Match": tag})
        out["revalidated"] = {"status": status, "ms": round(ms, 1)}
    return out


def routes(base: str) -> dict[str, str]:
    """Every list route (first page, a deep page, filters) and the record routes, with ids and
    names read from the store through the API."""
    def first(path: str) -> dict:
        items = json.loads(get(base + path)[2])["items"]
        return items[0] if items else {}

    story = first("/api/v1/stories?limit=1")
    outlet = first("/api/v1/outlets?limit=1")
    article = first("/api/v1/articles?limit=1")
    q = urllib.parse.quote
    name = q(outlet.get("outlet", "x"))
    paths = {
        "articles": "/api/v1/articles?limit=100",
        "articles_deep": "/api/v1/articles?limit=100&offset=40000",
        "articles_by_outlet": f"/api/v1/articles?limit=100&outlet={name}",
        "articles_by_days": "/api/v1/articles?limit=100&since=2023-06-01&until=2023-06-30",
        "articles_of_story": f"/api/v1/articles?story={story.get('id', '')}",
        "articles_by_person": "/api/v1/articles?limit=20&person=Okafor",
        "stories": "/api/v1/stories?limit=20",
        "stories_deep": "/api/v1/stories?limit=20&offset=20000",
        "stories_by_outlet": f"/api/v1/stories?limit=20&outlet={name}",
        "stories_by_words": "/api/v1/stories?limit=20&q=minister",
        "quotes": "/api/v1/quotes?limit=100",
        "quotes_deep": "/api/v1/quotes?limit=100&offset=40000",
        "quotes_of_speaker": "/api/v1/quotes?limit=100&speaker=Alina%20Okafor",
        "people": "/api/v1/people?limit=100",
        "reuse": "/api/v1/reuse?limit=100",
        "outlets": "/api/v1/outlets",
        "search": "/api/v1/search?q=minister&limit=20",
        "article": f"/api/v1/articles/{article.get('id', '')}",
        "story": f"/api/v1/stories/{story.get('id', '')}",
        "outlet": f"/api/v1/outlets/{name}",
    }
    return paths


def old_path(path: str) -> str | None:
    """The previous design's path for a route, None where it had none."""
    old = path.replace("/api/v1/", "/api/", 1)
    route = old.split("?")[0]
    if route in ("/api/outlets",):
        return None
    query = urllib.parse.parse_qs(old.partition("?")[2])
    if route == "/api/articles" and query.keys() - {"limit", "offset"}:
        return None  # the article list had no filters
    if route == "/api/stories" and query.keys() & {"q", "outlet", "person", "since", "until"}:
        return None  # the story list's filters were only on the page, not in the API
    if route == "/api/reuse":  # it had no paging: every pair at once
        return "/api/reuse"
    return old


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="The store to serve (SQLite path or postgresql:// URL).")
    parser.add_argument("--peer", type=Path, help="Another checkout's src folder: the previous design.")
    parser.add_argument("--requests", type=int, default=40, help="Timed requests per route (after one first).")
    parser.add_argument("--skip", default="", help="Routes not to measure, comma-separated (e.g. people,"
                        "quotes_of_speaker on a store whose people were never assigned: their first call "
                        "runs the people step over the whole store).")
    args = parser.parse_args()

    result: dict = {"db": args.db, "requests": args.requests}
    with Server(SRC, args.db, "/api/v1") as ours:
        skipped = {s.strip() for s in args.skip.split(",") if s.strip()}
        paths = {n: p for n, p in routes(ours.base).items() if n not in skipped}
        result["skipped"] = sorted(skipped)
        log(f"ours on {ours.base}: {len(paths)} routes")
        result["ours"] = {}
        for name, path in paths.items():
            result["ours"][name] = measure(ours.base, path, args.requests)
            log(f"  {name}: {result['ours'][name]}")
    if args.peer:
        result["peer"] = {"src": str(args.peer)}
        with Server(args.peer.resolve(), args.db, "/api") as peer:
            for name, path in paths.items():
                old = old_path(path)
                if old is not None:
                    result["peer"][name] = measure(peer.base, old, args.requests)
                    log(f"  peer {name}: {result['peer'][name]}")
        result["p95_ratio_ours_vs_peer"] = {
            n: round(result["ours"][n]["p95_ms"] / p["p95_ms"], 2) for n, p in result["peer"].items()
            if isinstance(p, dict) and "p95_ms" in p and "p95_ms" in result["ours"].get(n, {})}
        result["bytes_ratio_ours_vs_peer"] = {
            n: round(result["ours"][n]["bytes"] / p["bytes"], 3) for n, p in result["peer"].items()
            if isinstance(p, dict) and "bytes" in p and "bytes" in result["ours"].get(n, {})}
    measured = {n: r for n, r in result["ours"].items() if "p95_ms" in r}
    worst = max(measured, key=lambda n: measured[n]["p95_ms"]) if measured else None
    result["slowest_p95_ms"] = {"route": worst, "p95_ms": measured[worst]["p95_ms"]} if worst else None
    result["under_200ms_p95"] = sorted(n for n, r in measured.items() if r["p95_ms"] < 200)
    result["over_200ms_p95"] = sorted(n for n, r in measured.items() if r["p95_ms"] >= 200)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
