#!/usr/bin/env python3
"""Ingest throughput: Storyline against trafilatura's extraction alone on the same pages.

Usage::

    python benchmarks/ingest_speed.py HTML_DIR [TEXT_DIR] [--docs 1000] [--repeats 3]
                                      [--no-postgres] [--profile 25]

e.g. ``python benchmarks/ingest_speed.py ../shared/eval/extraction-zyte/html --text ../shared/seeds``

Measured, each ``--repeats`` times (median reported), peers and Storyline interleaved in the same
process so that machine drift hits all of them alike:

* peer ``trafilatura_bare``: ``trafilatura.bare_extraction(html, with_metadata=True,
  include_comments=False)`` on the in-memory pages: the exact extraction call Storyline makes;
* peer ``trafilatura_bare_fast_dates``: the same call plus
  ``date_extraction_params=set_date_params(extensive=False)``, as ``extract_html`` passes since
  commit b34e47c (htmldate without its extensive text search);
* peer ``trafilatura_extract``: plain ``trafilatura.extract(html)`` on the same pages;
* ``storyline_convert``: ``to_article`` on the in-memory pages (extraction + cleaning + hashing,
  no files, no store), to split the overhead between cleaning and storing;
* ``html_sqlite`` / ``html_postgres``: ``storyline.open(db).ingest([folder], analyze=False)`` on
  a fresh store (PostgreSQL: a ThrowawayPostgres started here, one new database per run). Analysis
  (spaCy: entities, quotes) is left out, as ``storyline ingest --no-analyze`` does: the peers only
  extract, so this measures what ingest adds to extraction; analysis speed is a separate question;
* ``text_sqlite`` / ``text_postgres``: the same for plain-text articles, against a peer that only
  reads and decodes the same files.

Small inputs make timings noisy, so inputs are replicated to at least ``--docs`` documents. The
copies must not be de-duplicated by content hash, so each copy gets a unique marker paragraph:
each HTML page is parsed as trafilatura parses it, gets a ``<p>`` inserted right after a
paragraph of its article body (one that trafilatura extracts; the marker is checked to come out
in the extracted text) and is re-serialised with lxml (pages where no such spot is found are
left out, and counted); text files get a last paragraph appended. Peers and Storyline all run
on the very same replicated set.

Overhead = storyline_time / peer_time - 1 (goal for HTML: <= 25%). The LAST output line is one
JSON object with the figures.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import gzip
import io
import json
import math
import pstats
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

GOAL = "html overhead (storyline_time/trafilatura_bare_time - 1) <= 0.25"


# --- inputs ------------------------------------------------------------------------------------


def load_pages(folder: Path) -> list[tuple[str, bytes]]:
    pages = []
    for path in sorted(folder.rglob("*")):
        name = path.name.lower()
        if not path.is_file():
            continue
        if name.endswith((".html.gz", ".htm.gz")):
            pages.append((path.name[: -len(".gz")], gzip.decompress(path.read_bytes())))
        elif name.endswith((".html", ".htm")):
            pages.append((path.name, path.read_bytes()))
    return pages


def load_texts(folder: Path) -> list[tuple[str, bytes]]:
    paths = [folder] if folder.is_file() else sorted(p for p in folder.rglob("*.txt") if p.is_file())
    return [(p.name, p.read_bytes()) for p in paths]


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().casefold()


PLACEHOLDER = "QZBENCHMARKPLACEHOLDERQZ"


def marked_template(data: bytes, body: str, bare) -> bytes | None:
    """The page re-serialised with a ``<p>PLACEHOLDER</p>`` inside the article body, or None.

    The page is parsed the way trafilatura parses it (``trafilatura.utils.load_html``); the new
    paragraph goes right after the longest ``<p>`` whose text trafilatura extracted (or, on
    pages without such a ``<p>``, at the end of the longest element whose own text it
    extracted). Candidates are tried until the placeholder comes out in the extracted text.
    """
    import lxml.html
    from trafilatura.utils import load_html

    tree = load_html(data)
    if tree is None:
        return None
    wanted = _norm(body)
    paras, others = [], []
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "head", "title", "html", "body"):
            continue
        if el.tag == "p":
            text = _norm(el.text_content())
            if len(text) >= 40 and text in wanted:
                paras.append((len(text), el))
        else:
            own = _norm(el.text or "")
            if len(own) >= 40 and own in wanted:
                others.append((len(own), el))
    candidates = [(el, "after") for _, el in sorted(paras, key=lambda x: -x[0])[:4]]
    candidates += [(el, "inside") for _, el in sorted(others, key=lambda x: -x[0])[:4]]
    for el, where in candidates:
        new = lxml.html.Element("p")
        new.text = PLACEHOLDER
        if where == "after":
            new.tail, el.tail = el.tail, None
            el.addnext(new)
        else:
            el.append(new)
        page = lxml.html.tostring(tree, encoding="utf-8", method="html", doctype="<!DOCTYPE html>")
        got = bare(page)
        if got is not None and PLACEHOLDER in (got.text or ""):
            return page
        if where == "after":
            el.tail = new.tail
        new.getparent().remove(new)
    return None


def marker(copy: int, index: int) -> str:
    return f"Benchmark replica {copy} of document {index}: marker zq{copy}x{index}k."


def replicate_html(pages: list[tuple[str, bytes]], copies: int, bare) -> tuple[list[tuple[str, bytes]], int]:
    """``copies`` variants of every page whose marker survives extraction; (variants, pages left out)."""
    out: list[tuple[str, bytes]] = []
    skipped = 0
    for index, (name, data) in enumerate(pages):
        doc = bare(data)
        template = marked_template(data, doc.text, bare) if doc is not None and doc.text else None
        if template is None:
            skipped += 1
            continue
        stem = name.rsplit(".", 1)[0]
        for copy in range(copies):
            out.append((f"{stem}.r{copy}.html", template.replace(PLACEHOLDER.encode(), marker(copy, index).encode())))
    return out, skipped


def replicate_text(texts: list[tuple[str, bytes]], copies: int) -> list[tuple[str, bytes]]:
    out = []
    for index, (name, data) in enumerate(texts):
        stem = name.rsplit(".", 1)[0]
        for copy in range(copies):
            out.append((f"{stem}.r{copy}.txt", data.rstrip() + f"\n\n{marker(copy, index)}\n".encode()))
    return out


def write_folder(root: Path, name: str, docs: list[tuple[str, bytes]]) -> Path:
    folder = root / name
    folder.mkdir()
    for fname, data in docs:
        (folder / fname).write_bytes(data)
    return folder


# --- timing ----------------------------------------------------------------------------------


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    gc.collect()
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("html", type=Path, help="folder of HTML pages (.html, .htm, .html.gz)")
    ap.add_argument("text_pos", nargs="?", type=Path, metavar="TEXT_DIR",
                    help="folder of plain-text articles (.txt); same as --text")
    ap.add_argument("--text", type=Path, help="folder of plain-text articles (.txt)")
    ap.add_argument("--docs", type=int, default=1000,
                    help="replicate inputs to at least this many documents per measurement (default 1000)")
    ap.add_argument("--repeats", type=int, default=3, help="runs per measurement, median kept (default 3)")
    ap.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL measurements")
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="after timing, cProfile one HTML->SQLite ingest and print the top N functions")
    args = ap.parse_args(argv)
    text_dir = args.text or args.text_pos

    import trafilatura

    import storyline
    from storyline.ingest.convert import to_article
    from storyline.records import RawDocument

    from trafilatura.settings import set_date_params

    def bare(data: bytes):
        return trafilatura.bare_extraction(data, with_metadata=True, include_comments=False)

    fast_dates = set_date_params(extensive=False)

    def bare_fast_dates(data: bytes):
        return trafilatura.bare_extraction(data, with_metadata=True, include_comments=False,
                                           date_extraction_params=fast_dates)

    base_pages = load_pages(args.html)
    if not base_pages:
        ap.error(f"no HTML pages under {args.html}")
    copies = max(1, math.ceil(args.docs / len(base_pages)))
    print(f"{len(base_pages)} HTML pages; making {copies} marked copies of each ...", flush=True)
    pages, skipped = replicate_html(base_pages, copies, bare)
    print(f"  {len(pages)} HTML documents ({skipped} pages left out: no body paragraph to mark)", flush=True)
    texts: list[tuple[str, bytes]] = []
    if text_dir:
        base_texts = load_texts(text_dir)
        tcopies = max(1, math.ceil(args.docs / max(1, len(base_texts))))
        texts = replicate_text(base_texts, tcopies)
        print(f"{len(base_texts)} text files -> {len(texts)} text documents", flush=True)

    tmp = Path(tempfile.mkdtemp(prefix="storyline-bench-"))
    pg = None
    pg_note = None
    try:
        html_dir = write_folder(tmp, "html", pages)
        text_dir_rep = write_folder(tmp, "text", texts) if texts else None

        if not args.no_postgres:
            from storyline.store.pgserver import PostgresUnavailable, ThrowawayPostgres

            try:
                pg = ThrowawayPostgres().start()
                print(f"PostgreSQL started at {pg.url}", flush=True)
            except PostgresUnavailable as exc:
                pg_note = f"skipped: {exc}"
                pg = None
                print(f"PostgreSQL {pg_note}", flush=True)
        else:
            pg_note = "skipped: --no-postgres"

        run_no = [0]

        def fresh_db(kind: str) -> str:
            run_no[0] += 1
            if kind == "sqlite":
                return str(tmp / f"run{run_no[0]}.db")
            return pg.new_database(f"run{run_no[0]}")

        def drop_db(kind: str, db: str) -> None:
            if kind == "sqlite":
                for suffix in ("", "-wal", "-shm"):
                    Path(db + suffix).unlink(missing_ok=True)
            else:
                import psycopg

                with psycopg.connect(pg.url, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE "{db.rsplit("/", 1)[1]}"')

        def ingest(kind: str, folder: Path) -> Callable[[], object]:
            def go():
                db = fresh_db(kind)
                t0 = time.perf_counter()
                with storyline.open(db) as desk:
                    report = desk.ingest([folder], analyze=False)
                secs = time.perf_counter() - t0
                drop_db(kind, db)
                return secs, report
            return go

        html_raw = [RawDocument(source=name, media_type="text/html", data=data) for name, data in pages]

        def peer_bare():
            for _, data in pages:
                bare(data)

        def peer_bare_fast_dates():
            for _, data in pages:
                bare_fast_dates(data)

        def peer_extract():
            for _, data in pages:
                trafilatura.extract(data)

        def convert():
            for raw in html_raw:
                try:
                    to_article(raw)
                except ValueError:
                    pass

        def read_decode():
            for path in sorted(text_dir_rep.iterdir()):
                path.read_bytes().decode("utf-8", "replace")

        cases: dict[str, Callable[[], object]] = {
            "trafilatura_bare": peer_bare,
            "trafilatura_bare_fast_dates": peer_bare_fast_dates,
            "trafilatura_extract": peer_extract,
            "storyline_convert": convert,
            "html_sqlite": ingest("sqlite", html_dir),
        }
        if pg:
            cases["html_postgres"] = ingest("postgres", html_dir)
        if text_dir_rep:
            cases["text_read_decode"] = read_decode
            cases["text_sqlite"] = ingest("sqlite", text_dir_rep)
            if pg:
                cases["text_postgres"] = ingest("postgres", text_dir_rep)

        # Warm-up: imports, caches, first-call costs (some pages through every path).
        for _, data in pages[:20]:
            bare(data)
            bare_fast_dates(data)
            trafilatura.extract(data)
        for raw in html_raw[:20]:
            try:
                to_article(raw)
            except ValueError:
                pass

        times: dict[str, list[float]] = {name: [] for name in cases}
        reports: dict[str, object] = {}
        for rep in range(1, args.repeats + 1):
            for name, fn in cases.items():
                secs, result = timed(fn)
                if isinstance(result, tuple):  # an ingest: time inside, without creating the DB
                    secs, reports[name] = result
                times[name].append(secs)
                print(f"  run {rep}/{args.repeats} {name:<20} {secs:7.2f}s", flush=True)

        med = {name: statistics.median(v) for name, v in times.items()}
        n_html, n_text = len(pages), len(texts)

        def rate(name: str, n: int) -> float:
            return round(n / med[name], 2)

        figures: dict = {
            "n_html_docs": n_html,
            "n_html_base_pages": len(base_pages),
            "html_copies": copies,
            "html_pages_left_out": skipped,
            "n_text_docs": n_text,
            "repeats": args.repeats,
            "seconds_median": {k: round(v, 3) for k, v in med.items()},
            "seconds_all": {k: [round(x, 3) for x in v] for k, v in times.items()},
            "articles_per_s": {},
            "ratio_vs_trafilatura_bare": {},
            "ratio_vs_trafilatura_bare_fast_dates": {},
            "ratio_vs_trafilatura_extract": {},
            "overhead_vs_trafilatura_bare": {},
            "overhead_vs_trafilatura_bare_fast_dates": {},
            "overhead_vs_trafilatura_extract": {},
        }
        for name in cases:
            n = n_text if name.startswith("text_") else n_html
            figures["articles_per_s"][name] = rate(name, n)
        for name in ("storyline_convert", "html_sqlite", "html_postgres"):
            if name in med:
                for peer in ("trafilatura_bare", "trafilatura_bare_fast_dates", "trafilatura_extract"):
                    # ratio: Storyline throughput as a fraction of the peer's (1.0 = as fast)
                    figures[f"ratio_vs_{peer}"][name] = round(med[peer] / med[name], 3)
                    figures[f"overhead_vs_{peer}"][name] = round(med[name] / med[peer] - 1, 3)
        if text_dir_rep:
            figures["text_ratio_vs_read_decode"] = {
                name: round(med["text_read_decode"] / med[name], 4)
                for name in ("text_sqlite", "text_postgres") if name in med
            }
        figures["stored"] = {
            name: {"added": len(r.added), "present": len(r.present), "problems": len(r.problems)}
            for name, r in reports.items()
        }
        if pg_note:
            figures["postgres"] = pg_note
        worst = max(figures["overhead_vs_trafilatura_bare"].get(k, -1) for k in ("html_sqlite", "html_postgres"))
        figures["goal"] = GOAL
        figures["goal_met"] = worst <= 0.25

        if args.profile:
            for kind in ("sqlite", "postgres") if pg else ("sqlite",):
                print(f"\ncProfile of one HTML -> {kind} ingest ({n_html} documents), top {args.profile}:")
                prof = cProfile.Profile()
                db = fresh_db(kind)
                prof.enable()
                with storyline.open(db) as desk:
                    desk.ingest([html_dir], analyze=False)
                prof.disable()
                drop_db(kind, db)
                buf = io.StringIO()
                stats = pstats.Stats(prof, stream=buf)
                if kind == "sqlite":
                    stats.sort_stats("cumulative").print_stats(args.profile)
                    stats.sort_stats("tottime").print_stats(args.profile)
                print("Storyline's own functions and the store driver, by cumulative time:", file=buf)
                stats.sort_stats("cumulative").print_stats(r"storyline/|sqlite3|psycopg", args.profile)
                print(buf.getvalue())

        for name in cases:
            print(f"{name:<20} {figures['articles_per_s'][name]:9.1f} docs/s  (median {med[name]:.2f}s)")
        print(json.dumps(figures))
    finally:
        if pg:
            pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
