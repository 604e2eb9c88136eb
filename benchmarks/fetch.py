"""Fetch speed against the polite limits: pages/s from local HTTP servers (one per "host"),
against the bound the limits allow (hosts / delay), and the old sequential urllib fetch of the
same pages as a peer, in the same run. Also reports the gaps between request arrivals at each
host (the mean must not be below the delay).

    python benchmarks/fetch.py [--pages 240] [--hosts 4] [--delay 0.05] [--per-host 2] [--latency 0.02]

Prints one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the tests' local HTTP server

from http_site import Route, Site, article_page  # noqa: E402

from storyline.ingest.fetch import USER_AGENT, Fetcher, FetchPolicy  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=240)
    ap.add_argument("--hosts", type=int, default=4)
    ap.add_argument("--delay", type=float, default=0.05, help="seconds between request starts per host")
    ap.add_argument("--per-host", type=int, default=2)
    ap.add_argument("--latency", type=float, default=0.02, help="server think time per page")
    args = ap.parse_args()

    sites = [Site().start() for _ in range(args.hosts)]
    urls = []
    for i in range(args.pages):
        site = sites[i % args.hosts]
        site.routes[f"/p{i}.html"] = Route(article_page(f"Story {i}"), delay_s=args.latency)
        urls.append(f"{site.base}/p{i}.html")
    for site in sites:
        site.routes["/robots.txt"] = Route(b"User-agent: *\nAllow: /\n", content_type="text/plain")
    try:
        policy = FetchPolicy(per_host=args.per_host, delay_s=args.delay, workers=max(8, args.hosts * args.per_host),
                             allow_private=True, retries=0)
        started = time.perf_counter()
        with Fetcher(policy) as fetcher:
            results = list(fetcher.fetch_all(urls))
        polite_s = time.perf_counter() - started
        ok = sum(r.status == "ok" for r in results)
        # Gaps between request arrivals at each host: the client spaces request starts by the
        # delay; arrivals jitter by a few ms (threads, the GIL), so the mean gap is the check.
        gaps = []
        for site in sites:
            starts = sorted(h.at for h in site.hits if h.path != "/robots.txt")
            gaps += [b - a for a, b in zip(starts, starts[1:])]
            site.hits.clear()

        started = time.perf_counter()  # the previous design: one urllib request after another
        for url in urls:
            with urllib.request.urlopen(urllib.request.Request(url, headers={"User-Agent": USER_AGENT}), timeout=20) as r:
                r.read()
        sequential_s = time.perf_counter() - started
    finally:
        for site in sites:
            site.stop()

    bound = args.hosts / args.delay if args.delay else float("inf")
    figures = {
        "pages": args.pages, "hosts": args.hosts, "delay_s": args.delay, "per_host": args.per_host,
        "latency_s": args.latency, "ok": ok,
        "pages_per_s": round(args.pages / polite_s, 1),
        "polite_bound_pages_per_s": round(bound, 1),
        "share_of_bound": round(args.pages / polite_s / bound, 3) if bound != float("inf") else None,
        "sequential_urllib_pages_per_s": round(args.pages / sequential_s, 1),
        "speedup_vs_sequential": round(sequential_s / polite_s, 2),
        "mean_start_gap_s": round(sum(gaps) / len(gaps), 4),
        "min_start_gap_s": round(min(gaps), 4),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
