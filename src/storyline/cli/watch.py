"""``storyline watch`` and ``storyline feeds``: keeping feeds under watch, and the feed list
(with OPML import and export)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from storyline.cli.common import (
    AllowPrivateOption,
    DbOption,
    DelayOption,
    JsonOption,
    PerHostOption,
    app,
    clip,
    err,
    fail,
    fetch_policy,
    open_desk,
    out,
)
from storyline.ingest.files import DEFAULT_MAX_BYTES
from storyline.report.words import counted

if TYPE_CHECKING:
    from storyline.run.watching import CycleReport
    from storyline.store.records import FeedRecord


@app.command("watch")
def watch_cli(
    feeds_file: Annotated[Path, typer.Argument(metavar="FEEDS_FILE_OR_OPML",
                                               help="An OPML file, or a text file of feed URLs (one a line).")],
    db: DbOption = None,
    every: Annotated[str, typer.Option(help="Time between polls (30s, 15m, 2h).")] = "15m",
    cycles: Annotated[int | None, typer.Option(help="Stop after this many polls [default: never].", min=1,
                                               show_default=False)] = None,
    link: Annotated[bool, typer.Option("--link/--no-link", help="Bring stories up to date after each poll "
                                                                "that added articles.")] = True,
    analyze: Annotated[bool, typer.Option("--analyze/--no-analyze", help="Analyse new articles as they are stored.")] = True,
    allow_private: AllowPrivateOption = False,
    per_host: PerHostOption = 2,
    delay: DelayOption = 1.0,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON line per poll.")] = False,
) -> None:
    """Poll the feeds every --every: fetch new entries' pages (and failed pages once due),
    ingest and link them; keep going after errors. Ctrl-C stops after the current poll's step."""
    from storyline.ingest.files import InputError
    from storyline.ingest.opml import read_feed_list
    from storyline.run.watching import parse_duration

    try:
        every_s = parse_duration(every)
        feeds = read_feed_list(feeds_file)
    except (ValueError, InputError) as exc:
        fail(f"{feeds_file}: {exc}" if isinstance(exc, InputError) else str(exc), code=2)
    if not feeds:
        fail(f"{feeds_file}: no http(s) feed URLs in it", code=2)
    policy = fetch_policy(allow_private=allow_private, per_host=per_host, delay=delay, max_bytes=DEFAULT_MAX_BYTES)
    with open_desk(db, create=True) as desk:
        desk.add_feeds(feeds)
        if not as_json:
            err.print(f"watching {len(feeds)} feeds every {every} (Ctrl-C to stop)", markup=False)
        try:
            desk.watch([url for url, _ in feeds], every_s=every_s, cycles=cycles, link=link, analyze=analyze,
                       fetch_policy=policy, on_cycle=lambda r: _print_cycle(r, as_json=as_json))
        except KeyboardInterrupt:
            err.print("stopped", markup=False)


def _print_cycle(report: CycleReport, *, as_json: bool) -> None:
    ingest = report.ingest
    if as_json:
        line = {"cycle": report.cycle, "started": report.started, "error": report.error,
                "added": ingest.added if ingest else [], "fetched": ingest.fetched if ingest else 0,
                "not_modified": ingest.not_modified if ingest else 0,
                "failed": [{"url": p.source, "reason": p.reason} for p in ingest.problems] if ingest else []}
        print(json.dumps(line, ensure_ascii=False), flush=True)
        return
    if report.error or ingest is None:
        err.print(f"[red]poll {report.cycle} failed:[/] {escape(report.error or '')}")
        return
    out.print(f"{report.started} poll {report.cycle}: {len(ingest.added)} new articles, {ingest.fetched} fetched, "
              f"{ingest.not_modified} unchanged, {len(ingest.problems)} failed", markup=False)
    for problem in ingest.problems:
        err.print(f"  [yellow]failed[/] {escape(str(problem))}")


@app.command("feeds")
def feeds_cli(
    db: DbOption = None,
    import_file: Annotated[Path | None, typer.Option("--import", help="Add the feeds of an OPML file or URL list.",
                                                     show_default=False)] = None,
    export_file: Annotated[Path | None, typer.Option("--export", help="Write the feeds as OPML to this file "
                                                                      "('-' for stdout).", show_default=False)] = None,
    as_json: JsonOption = False,
) -> None:
    """The watched feeds: last success, last error, entries, articles added (all and per day
    over the last seven days)."""
    from storyline.ingest.files import InputError
    from storyline.ingest.opml import opml, read_feed_list

    with open_desk(db, create=import_file is not None) as desk:
        if import_file is not None:
            try:
                added = desk.add_feeds(read_feed_list(import_file))
            except InputError as exc:
                fail(f"{import_file}: {exc}", code=2)
            err.print(f"{counted(added, 'feed')} added from {import_file}", markup=False)
        found = desk.feeds()
    if export_file is not None:
        document = opml([(f.url, f.title) for f in found])
        if str(export_file) == "-":
            sys.stdout.write(document)
        else:
            export_file.write_text(document, encoding="utf-8")
            err.print(f"{len(found)} feeds written to {export_file}", markup=False)
        return
    if as_json:
        print(json.dumps([_feed_json(f) for f in found], ensure_ascii=False, indent=1))
        return
    table = Table("feed", "last success", "last error", "entries", "articles", "per day (7 d)", box=None, pad_edge=False)
    for f in found:
        error = f"{(f.last_error_at or '')[:16]} {f.last_error}" if f.last_error else ""
        table.add_row(escape(clip(f.title or f.url, 50)), (f.last_success or "never")[:16], escape(clip(error, 50)),
                      str(f.entries), str(f.articles), f"{f.articles_7d / 7:.1f}")
    out.print(table)
    out.print(counted(len(found), "feed"), markup=False)


def _feed_json(f: FeedRecord) -> dict:
    return {"url": f.url, "title": f.title, "added_at": f.added_at, "last_polled": f.last_polled,
            "last_success": f.last_success, "last_error": f.last_error, "last_error_at": f.last_error_at,
            "entries": f.entries, "articles": f.articles, "articles_per_day": round(f.articles_7d / 7, 2)}
