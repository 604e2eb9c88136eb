"""Fuzz every reader and the cleaner with atheris for a fixed budget; count inputs and crashes.

    python benchmarks/fuzz.py SEEDS [--seconds 600] [--workers 1]

SEEDS is a folder of article files (e.g. /work/shared/seeds); each is turned at run time into a
starting input for every target (plain text, an HTML page, a feed entry, a JSONL line, a WARC
record, the cleaner), so the fuzzer starts from real news text. Nothing is written outside a
temporary folder. The harness is fuzz/fuzz_ingest.py; what counts as a crash is in
fuzz/targets.py. libFuzzer stops at a crash: the harness is then restarted (crash saved) until
the budget is spent. Last line: one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HARNESS = ROOT / "fuzz" / "fuzz_ingest.py"
TARGETS = ("text", "html", "feed", "jsonl", "warc", "clean")  # fuzz/fuzz_ingest.py's order
_EXECUTED = re.compile(r"stat::number_of_executed_units:\s*(\d+)")


def seed_inputs(seeds: Path) -> list[bytes]:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = []
    for path in sorted(p for p in seeds.iterdir() if p.is_file())[:20]:
        text = path.read_text("utf-8", "replace")[:20_000]
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
        page = f"<html><head><title>t</title></head><body><article>{paragraphs}</article></body></html>"
        feed = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>c</title><item><title>t</title>'
                f"<link>https://x.example/a</link><description>{html.escape(paragraphs)}</description>"
                f"</item></channel></rss>")
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=False)
        writer.write_record(writer.create_warc_record(
            "https://x.example/a", "response", payload=io.BytesIO(page.encode()),
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")))
        bodies = {"text": text.encode(), "html": page.encode(), "feed": feed.encode(),
                  "jsonl": json.dumps({"title": "t", "text": text}).encode(), "warc": buffer.getvalue(),
                  "clean": text.encode()}
        out += [bytes([TARGETS.index(t)]) + body for t, body in bodies.items()]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds", type=Path)
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--max-len", type=int, default=65_536, help="largest input libFuzzer makes")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="storyline-fuzz-bench-"))
    corpus, crashes_dir = work / "corpus", work / "crashes"
    corpus.mkdir()
    crashes_dir.mkdir()
    seeded = 0
    for seeded, data in enumerate(seed_inputs(args.seeds), start=1):
        (corpus / f"seed{seeded:03d}").write_bytes(data)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT / "fuzz"),
                                                        os.environ.get("PYTHONPATH", "")])}
    started = time.monotonic()
    inputs = runs = 0
    while (left := args.seconds - (time.monotonic() - started)) > 5:
        runs += 1
        proc = subprocess.run(
            [sys.executable, str(HARNESS), str(corpus), f"-max_total_time={int(left)}", "-print_final_stats=1",
             f"-max_len={args.max_len}", "-timeout=30", "-rss_limit_mb=4096",
             f"-artifact_prefix={crashes_dir}/"],
            env=env, capture_output=True, text=True, errors="replace")
        executed = _EXECUTED.findall(proc.stderr)
        inputs += int(executed[-1]) if executed else 0
        print(f"run {runs}: exit {proc.returncode}, {inputs:,} inputs so far", file=sys.stderr, flush=True)
        if proc.returncode != 0 and not executed:
            print(proc.stderr[-3000:], file=sys.stderr)
            if not list(crashes_dir.iterdir()):
                break  # the harness itself fails to start: nothing to gain by retrying
    seconds = time.monotonic() - started
    crashes = sorted(p.name for p in crashes_dir.iterdir())
    print(json.dumps({"seconds": round(seconds, 1), "inputs": inputs, "inputs_per_second": round(inputs / seconds, 1),
                      "crashes": len(crashes), "crash_files": [str(crashes_dir / c) for c in crashes],
                      "harness_runs": runs, "seed_inputs": seeded, "corpus_after": len(list(corpus.iterdir()))}))


if __name__ == "__main__":
    main()
