"""``storyline ingest``, ``articles``, ``show`` and ``links``: putting articles in the store
and reading them back."""

from __future__ import annotations

import json
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
    LimitOption,
    OffsetOption,
    PerHostOption,
    app,
    fail,
    fetch_policy,
    open_desk,
    out,
    progress_bar,
    read_url_list,
    sighted_note,
    warn,
)
from storyline.ingest.files import DEFAULT_MAX_BYTES
from storyline.report.json import article_json, ingest_report_json, link_json, public_source
from storyline.report.words import counted
from storyline.run.common import DEFAULT_BATCH, IngestAborted
from storyline.store import AmbiguousIdError

if TYPE_CHECKING:
    from storyline.run.common import IngestReport


@app.command()
def init(db: DbOption = None) -> None:
    """Create an empty store (a SQLite file, or the tables in a PostgreSQL database); an existing
    store is left as it is, migrated to this version's schema."""
    from storyline.store import missing_store

    created = missing_store(db)
    with open_desk(db, create=True) as desk:
        url, version = desk.store.url, desk.store.schema_version()
    out.print(f"{'created' if created else 'already there'}: {url} (schema v{version})", markup=False)


@app.command()
def ingest(
    paths: Annotated[list[str] | None, typer.Argument(
        help="Files or folders (text, HTML, feeds, JSONL, WARC), or http(s) URLs of pages and feeds.",
        show_default=False)] = None,
    db: DbOption = None,
    urls: Annotated[Path | None, typer.Option("--urls", help="A file of URLs to fetch, one a line (# comments).",
                                              show_default=False)] = None,
    fetch: Annotated[bool, typer.Option(help="Fetch pages that feed files' entries only link to.")] = False,
    retry_failed: Annotated[bool, typer.Option("--retry-failed",
                                               help="Fetch again the pages that failed earlier and are due.")] = False,
    allow_private: AllowPrivateOption = False,
    per_host: PerHostOption = 2,
    delay: DelayOption = 1.0,
    max_bytes: Annotated[int, typer.Option(help="Refuse any single document larger than this.", min=1)] = DEFAULT_MAX_BYTES,
    batch_size: Annotated[int, typer.Option(help="Articles written per transaction.", min=1)] = DEFAULT_BATCH,
    analyze: Annotated[bool, typer.Option("--analyze/--no-analyze",
                                          help="Analyse the new articles (entities, quotes) once stored.")] = True,
    as_json: JsonOption = False,
) -> None:
    """Read articles from PATHS (files, folders or URLs), clean them, and store the new ones.

    A URL is fetched politely (robots.txt, per-host limits, conditional requests, retries): a
    page becomes an article, a feed has every entry's page fetched (entries fetched before are
    skipped). A page that fails is recorded with its reason; `--retry-failed` (and `watch`)
    fetch it again once due. Private and loopback addresses are refused unless
    `--allow-private` (or STORYLINE_ALLOW_PRIVATE=1).

    Exits 1 only when nothing at all could be read; skipped inputs are listed with the reason.
    Articles whose analysis fails are kept (listed as "not analysed"; `storyline analyze`
    retries them).
    """
    inputs = list(paths or [])
    if urls is not None:
        inputs += read_url_list(urls)
    if not inputs and not retry_failed:
        fail("nothing to ingest: give files, folders or URLs (or --urls FILE, --retry-failed)", code=2)
    policy = fetch_policy(allow_private=allow_private, per_host=per_host, delay=delay, max_bytes=max_bytes)
    with open_desk(db, create=True) as desk, progress_bar("ingesting") as advance:
        try:
            report = desk.ingest(inputs, fetch=fetch, max_bytes=max_bytes, batch_size=batch_size, analyze=analyze,
                                 fetch_policy=policy, retry_failed=retry_failed,
                                 progress=lambda done, total, path: advance(done, total, Path(path).name))
        except IngestAborted as exc:
            _print_report(exc.report, as_json=as_json)
            fail(str(exc), code=2)
    _print_report(report, as_json=as_json)
    if not report.read_anything and not (retry_failed and not inputs):
        fail("nothing could be read from the inputs given", code=1)


def _print_report(report: IngestReport, *, as_json: bool) -> None:
    if as_json:
        print(json.dumps(ingest_report_json(report), ensure_ascii=False))
    for problem in report.problems:
        warn("skipped", str(problem))
    for problem in report.analysis.problems if report.analysis else ():
        warn("not analysed", str(problem))
    for note in report.analysis.skipped if report.analysis else ():
        warn("not analysed", str(note))
    for problem in report.analysis.truncated if report.analysis else ():
        warn("analysed in part", str(problem))
    if not as_json:
        line = (f"{len(report.added)} added, {len(report.present)} already present{sighted_note(report)}, "
                f"{len(report.problems)} skipped from {report.files} files")
        if report.links_seen:
            line += f"; {report.links_seen} link-only feed entries ({report.links_new} new)"
        if report.fetched or report.not_modified:
            line += f"; {report.fetched} pages and feeds fetched, {report.not_modified} unchanged"
        out.print(line, markup=False)


@app.command("articles")
def articles_cli(
    db: DbOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    as_json: JsonOption = False,
) -> None:
    """List stored articles in the order they were ingested (with ``--json``, each with
    ``also_published``: where else its text ran)."""
    with open_desk(db) as desk:
        found = desk.articles(limit=limit, offset=offset)
        seen = desk.sightings_of([a.id for a in found]) if as_json else {}
    if as_json:
        print(json.dumps([article_json(a, sightings=seen.get(a.id, [])) for a in found], ensure_ascii=False, indent=1))
        return
    table = Table("id", "published", "outlet", "title", box=None, pad_edge=False)
    for a in found:
        table.add_row(a.id, a.published or "", a.outlet or "", a.title or "")
    out.print(table)
    out.print(counted(len(found), "article"), markup=False)


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id or a unique prefix of it.")],
    db: DbOption = None,
    raw: Annotated[bool, typer.Option("--raw", help="Include the raw input as read.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Show one article: metadata with where each field came from, body, and what was cut."""
    with open_desk(db) as desk:
        try:
            article = desk.article(article_id)
        except AmbiguousIdError as exc:
            fail(str(exc))
        if article is None:
            fail(f"no article with id {article_id!r}")
        sightings = desk.sightings(article.id)
    data = article_json(article, raw=raw, sightings=sightings)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return
    out.print(f"[bold]{escape(article.title or '(no title)')}[/]", highlight=False)
    for name in ("id", "outlet", "published", "byline", "abstract", "url", "source"):
        value = data.get(name)
        origin = article.fields.get(name)
        note = f"  [dim]({origin.origin})[/]" if origin and value else ""
        out.print(f"[cyan]{name:>9}[/] {escape(value or '-')}{note}", highlight=False)
    if sightings:
        out.print("[cyan]also published by[/]", highlight=False)
        for x in sightings:
            where = x.url or public_source(x.source) or ""
            out.print(f"  {x.outlet or 'unknown outlet'} · {x.published or 'undated'} · {where}",
                      markup=False, highlight=False)
    out.print()
    if (brief := article.fields.get("body")) is not None:
        out.print(f"[dim]a brief: {escape(brief.evidence or '')}[/]", highlight=False)
    out.print(article.body, markup=False)
    if article.cuts:
        out.print("\n[dim]cut on ingest:[/]")
        for cut in article.cuts:
            out.print(f"  [dim]{cut.kind}:[/] {escape(cut.text)}", highlight=False)
    if raw and article.raw is not None:
        out.print(f"\n[dim]raw input ({article.raw_type}):[/]")
        out.print(article.raw.decode("utf-8", "replace"), markup=False)


@app.command()
def links(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List feed entries recorded by link only (not fetched; use `ingest --fetch`)."""
    with open_desk(db) as desk:
        found = desk.links()
    if as_json:
        print(json.dumps([link_json(link) for link in found], ensure_ascii=False))
        return
    table = Table("published", "title", "url", box=None, pad_edge=False)
    for link in found:
        table.add_row(link.published or "", link.title or "", link.url)
    out.print(table)
    out.print(counted(len(found), "link"), markup=False)
