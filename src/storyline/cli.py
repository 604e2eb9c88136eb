"""The ``storyline`` command: thin wrappers that parse options, call Desk, and print.

Listings print a Rich table, or JSON with ``--json``. Progress and problems go to stderr, so
``--json`` output on stdout stays machine-readable. Errors exit non-zero.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

import storyline
from storyline.desk import DEFAULT_BATCH, IngestAborted, IngestReport
from storyline.ingest.files import DEFAULT_MAX_BYTES
from storyline.records import Article
from storyline.store import AmbiguousIdError, StoreError

app = typer.Typer(
    help="Storyline: make sense of a pile of news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="STORYLINE_DB",
        help="SQLite file or postgresql:// URL [default: storyline.db]",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _open(db: str | None) -> storyline.Desk:
    try:
        return storyline.open(db)
    except StoreError as exc:
        _fail(str(exc), code=2)


def _fail(message: str, *, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", markup=True, highlight=False)
    raise typer.Exit(code)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (text, HTML, feeds, JSONL, WARC).")],
    db: DbOption = None,
    fetch: Annotated[bool, typer.Option(help="Fetch pages that feed entries only link to.")] = False,
    max_bytes: Annotated[int, typer.Option(help="Refuse any single document larger than this.", min=1)] = DEFAULT_MAX_BYTES,
    batch_size: Annotated[int, typer.Option(help="Articles written per transaction.", min=1)] = DEFAULT_BATCH,
    as_json: JsonOption = False,
) -> None:
    """Read articles from PATHS, clean them, and store the new ones.

    Exits 1 only when nothing at all could be read; skipped inputs are listed with the reason.
    """
    with _open(db) as desk:
        progress = Progress(
            TextColumn("[progress.description]{task.description}"), BarColumn(),
            MofNCompleteColumn(), TimeRemainingColumn(), console=err, transient=True,
            disable=not err.is_terminal,
        )
        with progress:
            task = progress.add_task("ingesting", total=None)

            def advance(done: int, total: int, path: str) -> None:
                progress.update(task, completed=done, total=total, description=Path(path).name[:40])

            try:
                report = desk.ingest(paths, fetch=fetch, max_bytes=max_bytes, batch_size=batch_size,
                                     progress=advance)
            except IngestAborted as exc:
                _print_report(exc.report, as_json=as_json)
                _fail(str(exc), code=2)
        _print_report(report, as_json=as_json)
        if not report.read_anything:
            _fail("nothing could be read from the inputs given", code=1)


def _print_report(report: IngestReport, *, as_json: bool) -> None:
    if as_json:
        print(json.dumps({
            "files": report.files,
            "added": report.added,
            "present": report.present,
            "links_seen": report.links_seen,
            "links_new": report.links_new,
            "skipped": [{"source": p.source, "where": p.locator, "reason": p.reason} for p in report.problems],
        }, ensure_ascii=False))
    for problem in report.problems:
        err.print(f"[yellow]skipped[/] {problem}", markup=True, highlight=False)
    if not as_json:
        line = (f"{len(report.added)} added, {len(report.present)} already present, "
                f"{len(report.problems)} skipped from {report.files} files")
        if report.links_seen:
            line += f"; {report.links_seen} link-only feed entries ({report.links_new} new)"
        out.print(line, markup=False)


@app.command("articles")
def articles_cli(
    db: DbOption = None,
    limit: Annotated[int | None, typer.Option(help="Show at most this many.", min=0)] = None,
    offset: Annotated[int, typer.Option(help="Skip this many first.", min=0)] = 0,
    as_json: JsonOption = False,
) -> None:
    """List stored articles in the order they were ingested."""
    with _open(db) as desk:
        found = desk.articles(limit=limit, offset=offset)
    if as_json:
        print(json.dumps([article_json(a) for a in found], ensure_ascii=False, indent=1))
        return
    table = Table("id", "published", "outlet", "title", box=None, pad_edge=False)
    for a in found:
        table.add_row(a.id, a.published or "", a.outlet or "", a.title or "")
    out.print(table)
    out.print(f"{len(found)} articles", markup=False)


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id or a unique prefix of it.")],
    db: DbOption = None,
    raw: Annotated[bool, typer.Option("--raw", help="Include the raw input as read.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Show one article: metadata with where each field came from, body, and what was cut."""
    with _open(db) as desk:
        try:
            article = desk.article(article_id)
        except AmbiguousIdError as exc:
            _fail(str(exc))
    if article is None:
        _fail(f"no article with id {article_id!r}")
    data = article_json(article, raw=raw)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return
    out.print(f"[bold]{article.title or '(no title)'}[/]", highlight=False)
    for name in ("id", "outlet", "published", "byline", "abstract", "url", "source"):
        value = data.get(name)
        origin = article.fields.get(name)
        note = f"  [dim]({origin.origin})[/]" if origin and value else ""
        out.print(f"[cyan]{name:>9}[/] {_escape(value or '-')}{note}", highlight=False)
    out.print()
    out.print(article.body, markup=False)
    if article.cuts:
        out.print("\n[dim]cut on ingest:[/]")
        for cut in article.cuts:
            out.print(f"  [dim]{cut.kind}:[/] {_escape(cut.text)}", highlight=False)
    if raw and article.raw is not None:
        out.print(f"\n[dim]raw input ({article.raw_type}):[/]")
        out.print(article.raw.decode("utf-8", "replace"), markup=False)


@app.command()
def links(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List feed entries recorded by link only (not fetched; use `ingest --fetch`)."""
    with _open(db) as desk:
        found = desk.links()
    if as_json:
        print(json.dumps([{"url": l.url, "title": l.title, "published": l.published,
                           "source": l.source, "where": l.locator} for l in found], ensure_ascii=False))
        return
    table = Table("published", "title", "url", box=None, pad_edge=False)
    for link in found:
        table.add_row(link.published or "", link.title or "", link.url)
    out.print(table)
    out.print(f"{len(found)} links", markup=False)


def article_json(article: Article, *, raw: bool = False) -> dict:
    """The JSON shape of an article, shared by every command that prints one."""
    data = {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "published": article.published,
        "byline": article.byline,
        "abstract": article.abstract,
        "url": article.url,
        "source": article.source,
        "where": article.locator,
        "body": article.body,
        "fields": {k: {"origin": v.origin, "evidence": v.evidence} for k, v in article.fields.items()},
        "cuts": [{"kind": c.kind, "text": c.text} for c in article.cuts],
        "content_hash": article.content_hash,
        "ingested_at": article.ingested_at,
    }
    if raw and article.raw is not None:
        data["raw_type"] = article.raw_type
        data["raw"] = article.raw.decode("utf-8", "replace")
    return data


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def main() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except BrokenPipeError:
        sys.exit(1)
