#!/usr/bin/env python3
"""Reading and cleaning input files: the local engine against the Ray engine, same files, same run.

Usage::

    python benchmarks/read_speed.py HTML_DIR [--workers 2] [--jsonl ROWS [--part-mb 8] [--format jsonl.gz]]

e.g. ``PYTHONPATH=src .venv/bin/python benchmarks/read_speed.py ../shared/eval/extraction-zyte/html``.
Progress goes to stderr; the LAST stdout line is one JSON object.

The files of ``HTML_DIR`` (``.html`` or ``.html.gz``; the Zyte extraction set is 181 real news
pages) are written, uncompressed, under a temporary folder. Then that folder is
ingested (``analyze=False``: reading, extraction, cleaning and storing only) into two fresh
SQLite stores: once by ``Ingesting.paths`` on this process (the local engine), once with
``ray_exec.file_reader`` on a local Ray cluster of ``--workers`` CPUs (the Ray engine: a task a
file, the articles stored here in file order). Reported: wall seconds of each, the ratio, and
whether both stores hold the same article ids in the same order (they must).

``--jsonl ROWS``: the pages go into ONE JSONL dump instead (``{"url", "html"}`` rows, the pages
taken round and round, each row's page told apart by its paragraphs naming the row, so nearly every
row is a new article), and three runs are compared: the local engine, Ray reading the dump in one
call (as before session 18), and Ray reading it in parts of ``--part-mb`` MiB side by side
(``ingest/parts.py``). Reported as well: the cut's own pass on the driver (``parts_s``).
``--format``: the same rows as ``jsonl`` (the default), ``jsonl.gz`` (one gzip stream), or a
WARC archive (``warc``, ``warc.gz``: one response record a row, one gzip member each, as
crawlers write them); a WARC part is ``--part-mb`` of the file, compressed or not.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import storyline


def _inputs(source: Path, folder: Path) -> int:
    files = sorted([*source.glob("*.html"), *source.glob("*.html.gz")])
    for f in files:
        raw = gzip.decompress(f.read_bytes()) if f.suffix == ".gz" else f.read_bytes()
        (folder / f.name.removesuffix(".gz")).write_bytes(raw)
    return len(files)


def _dump(source: Path, path: Path, rows: int, form: str) -> int:
    pages = [gzip.decompress(f.read_bytes()) if f.suffix == ".gz" else f.read_bytes()
             for f in sorted([*source.glob("*.html"), *source.glob("*.html.gz")])]

    def row(n: int) -> tuple[str, str]:
        html = pages[n % len(pages)].decode("utf-8", "replace")
        return f"https://example.test/row/{n}", html.replace("<p>", f"<p>Row {n}: ")  # in the kept text

    if form.startswith("warc"):
        import io

        from warcio.statusandheaders import StatusAndHeaders
        from warcio.warcwriter import WARCWriter

        with path.open("wb") as fh:
            writer = WARCWriter(fh, gzip=form.endswith(".gz"))
            for n in range(rows):
                url, html = row(n)
                headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                           protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(
                    url, "response", payload=io.BytesIO(html.encode("utf-8")), http_headers=headers))
        return rows
    with (gzip.open(path, "wt", encoding="utf-8") if form.endswith(".gz") else path.open("w", encoding="utf-8")) as fh:
        for n in range(rows):
            url, html = row(n)
            fh.write(json.dumps({"url": url, "html": html}) + "\n")
    return rows


def _ids(db: Path) -> list[str]:
    with storyline.open(db) as desk:
        return [a.id for a in desk.store.articles()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("html_dir", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--jsonl", type=int, default=0, metavar="ROWS", help="one JSONL dump of ROWS pages instead")
    ap.add_argument("--part-mb", type=float, default=8.0, help="with --jsonl: the parts' size")
    ap.add_argument("--format", choices=("jsonl", "jsonl.gz", "warc", "warc.gz"), default="jsonl",
                    help="with --jsonl: the dump's format")
    args = ap.parse_args()
    from storyline.ingest.files import InputFile
    from storyline.ingest.parts import cut
    from storyline.run.common import RayOptions
    from storyline.run.ingest import Ingesting
    from storyline.run.ray_exec import cluster, file_reader

    part_bytes = int(args.part_mb * (1 << 20))
    engines = ("local", "ray_whole", "ray_parts") if args.jsonl else ("local", "ray")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inputs = work / "in"
        inputs.mkdir()
        extra = {}
        if args.jsonl:
            dump = inputs / f"dump.{args.format}"
            n = _dump(args.html_dir, dump, args.jsonl, args.format)
            started = time.perf_counter()
            parts = cut(InputFile(dump, args.format.removesuffix(".gz")), part_bytes).parts
            extra = {"rows": n, "format": args.format, "dump_mb": round(dump.stat().st_size / (1 << 20), 1),
                     "parts": len(parts), "parts_s": round(time.perf_counter() - started, 3)}
        else:
            n = _inputs(args.html_dir, inputs)
        print(f"{n} {'rows' if args.jsonl else 'files'} {extra}", file=sys.stderr)
        seconds = {}
        for engine in engines:
            db = work / f"{engine}.db"
            with storyline.open(db) as desk:
                ingesting = Ingesting(desk.store, None)
                if engine == "local":
                    started = time.perf_counter()
                    report = ingesting.paths([inputs])
                else:
                    options = RayOptions(workers=args.workers)
                    with cluster(options, num_cpus=args.workers):
                        started = time.perf_counter()  # the cluster's start is not reading
                        read = file_reader(options, 2**22, part_bytes=0 if engine == "ray_whole" else part_bytes)
                        report = ingesting.paths([inputs], read=read)
                seconds[engine] = time.perf_counter() - started
            print(f"{engine}: {len(report.added)} added, {len(report.problems)} problems, "
                  f"{seconds[engine]:.1f} s", file=sys.stderr)
        ids = {engine: _ids(work / f"{engine}.db") for engine in engines}
        same = len({tuple(v) for v in ids.values()}) == 1
        shutil.rmtree(inputs)
    out = {"benchmark": "read_speed", "workers": args.workers, **extra,
           **{f"{engine}_s": round(seconds[engine], 2) for engine in engines}, "same_articles": same}
    if args.jsonl:
        out.update(files=1, speedup_parts_over_whole=round(seconds["ray_whole"] / seconds["ray_parts"], 2),
                   speedup_parts_over_local=round(seconds["local"] / seconds["ray_parts"], 2))
    else:
        out.update(files=n, speedup=round(seconds["local"] / seconds["ray"], 2))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
