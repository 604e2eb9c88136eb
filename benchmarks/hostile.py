"""Time and peak memory of hostile inputs through the cleaner, the HTML reader and the
analyzer, for this checkout and (with --peer) another one, in the same run.

    python benchmarks/hostile.py [--peer /path/to/other/src] [--limit 60] [--analysis]

Each case runs in a fresh subprocess (so peak memory is its own) under a wall-clock limit; a
case that passes the limit is reported as ">LIMIT". Inputs are generated here; nothing is read.
Last line: one JSON object {case: {"this": {"s", "peak_mb"}, "peer": {...}}}.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASES = {
    "glued byline, 200 KB line": "from storyline.ingest.clean import clean_text\n"
                                 "clean_text('A headline\\n\\n' + '.By A' * 40_000 + ' x')",
    "61 KB meta time attribute": "from storyline.ingest.html import _stated_timestamp\n"
                                 "_stated_timestamp(b'<meta ' + b'name=\"pubdate\" ' * 4_000)",
    "tag with 100,000 attributes": "from storyline.ingest.html import extract_html\n"
                                   "extract_html(b'<html><body><div' + b''.join(b' a%d' % i for i in range(100_000))"
                                   " + b'><p>' + b'Words of the article here. ' * 40 + b'</p></div></body></html>')",
    "1 MB single line, cleaned": "from storyline.ingest.clean import clean_text\nclean_text('Title\\n\\n' + 'word ' * 200_000)",
}
ANALYSIS = {
    "analysis, 4,000 quote marks": "from storyline.analyze import Analyzer\n"
                                   "Analyzer().analyze_text('He said \"yes\" and \"no\". ' * 1_000)",
    "analysis, 1 MB single line": "from storyline.analyze import Analyzer\nAnalyzer().analyze_text('word ' * 200_000)",
}
MEASURE = "\nimport resource, sys\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, file=sys.stderr)"
RUN = "import time\nt = time.perf_counter()\n{code}\nprint(round(time.perf_counter() - t, 3))"


def measure(src: Path, code: str, limit: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src)}
    try:
        proc = subprocess.run([sys.executable, "-c", RUN.format(code=code) + MEASURE], env=env, capture_output=True,
                              text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        return {"s": f">{limit}", "peak_mb": None}
    if proc.returncode != 0:
        return {"s": None, "error": proc.stderr.strip().splitlines()[-1][:200]}
    return {"s": float(proc.stdout.strip().splitlines()[-1]), "peak_mb": int(proc.stderr.strip().splitlines()[-1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer", type=Path, help="another checkout's src/ folder (the previous design)")
    parser.add_argument("--limit", type=int, default=60, help="seconds per case")
    parser.add_argument("--analysis", action="store_true", help="also the analysis cases (needs the spaCy model)")
    args = parser.parse_args()
    cases = CASES | (ANALYSIS if args.analysis else {})
    results = {}
    for name, code in cases.items():
        results[name] = {"this": measure(ROOT / "src", code, args.limit)}
        if args.peer:
            results[name]["peer"] = measure(args.peer, code, args.limit)
        print(f"{name}: {results[name]}", file=sys.stderr, flush=True)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
