"""Do reads wait while the server ingests a hostile article? A real `storyline serve` on a
temporary store gets one POST of 30 KB of quotation marks (analysed), while GET
/api/articles?limit=5 is sent every 50 ms until the POST answers (or 90 s pass).

    python benchmarks/post_stall.py [--src PATH]   # --src: another checkout's src/ to compare

Last line: one JSON object {"post_s", "gets", "get_max_s", "get_p95_s"}.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ('He said "yes" and "no" and "maybe". ' * 830)[:30_000]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=ROOT / "src")
    parser.add_argument("--wait", type=float, default=90.0)
    args = parser.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = Path(tempfile.mkdtemp()) / "stall.db"
    env = {**os.environ, "PYTHONPATH": str(args.src)}
    server = subprocess.Popen([sys.executable, "-m", "storyline", "serve", "--db", str(db), "--port", str(port),
                               "--warm", "0"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + "/api", deadline=time.monotonic() + 60)
        # The API's prefix: /api/v1 since the v1 conventions (its old paths redirect, and urllib
        # does not re-send a POST on a 308), /api on a checkout from before them (--src).
        try:
            api = "/api/v1" if urllib.request.urlopen(base + "/api/v1", timeout=30).status == 200 else "/api"
        except urllib.error.HTTPError:
            api = "/api"

        def post(text: str, title: str) -> float:
            request = urllib.request.Request(
                base + api + "/articles?analyze=true&link=false", method="POST",
                data=json.dumps({"title": title, "text": text}).encode(), headers={"Content-Type": "application/json"})
            started = time.perf_counter()
            urllib.request.urlopen(request, timeout=600).read()
            return time.perf_counter() - started

        post("The mayor said the wall would be built. " * 5, "warm-up")  # loads the analyzer
        done: dict[str, float] = {}
        worker = threading.Thread(target=lambda: done.setdefault("post", post(HOSTILE, "hostile")), daemon=True)
        worker.start()
        started, latencies = time.perf_counter(), []
        while worker.is_alive() and time.perf_counter() - started < args.wait:
            t = time.perf_counter()
            urllib.request.urlopen(base + api + "/articles?limit=5", timeout=120).read()
            latencies.append(time.perf_counter() - t)
            time.sleep(0.05)
        latencies.sort()
        print(json.dumps({"post_s": round(done["post"], 2) if "post" in done else f">{args.wait:g}",
                          "gets": len(latencies), "get_max_s": round(latencies[-1], 3) if latencies else None,
                          "get_p95_s": round(latencies[max(0, int(len(latencies) * 0.95) - 1)], 3) if latencies else None}))
    finally:
        server.terminate()
        server.wait()


def _wait_until_up(url: str, *, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            return urllib.request.urlopen(url, timeout=1).close()
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the server did not answer {url} within a minute")


if __name__ == "__main__":
    main()
