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
from storyline.desk import (
    DEFAULT_BATCH,
    AnalysisUnavailable,
    AnalyzeAborted,
    AnalyzeReport,
    IngestAborted,
    IngestReport,
    analyze_inputs,
)
from storyline.ingest.files import DEFAULT_MAX_BYTES
from storyline.records import Analysis, Article, Entity, Identity, Problem, Quote
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
LimitOption = Annotated[int | None, typer.Option(help="Show at most this many.", min=0)]
OffsetOption = Annotated[int, typer.Option(help="Skip this many first.", min=0)]


def _open(db: str | None) -> storyline.Desk:
    try:
        return storyline.open(db)
    except StoreError as exc:
        _fail(str(exc), code=2)


def _fail(message: str, *, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]error:[/] {_escape(message)}", markup=True, highlight=False)
    raise typer.Exit(code)


def _progress(description: str) -> tuple[Progress, object]:
    """A progress bar on stderr (only when it is a terminal) and its one task."""
    progress = Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(),
        MofNCompleteColumn(), TimeRemainingColumn(), console=err, transient=True,
        disable=not err.is_terminal,
    )
    return progress, progress.add_task(description, total=None)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (text, HTML, feeds, JSONL, WARC).")],
    db: DbOption = None,
    fetch: Annotated[bool, typer.Option(help="Fetch pages that feed entries only link to.")] = False,
    max_bytes: Annotated[int, typer.Option(help="Refuse any single document larger than this.", min=1)] = DEFAULT_MAX_BYTES,
    batch_size: Annotated[int, typer.Option(help="Articles written per transaction.", min=1)] = DEFAULT_BATCH,
    analyze: Annotated[bool, typer.Option("--analyze/--no-analyze",
                                          help="Analyse the new articles (entities, quotes) once stored.")] = True,
    as_json: JsonOption = False,
) -> None:
    """Read articles from PATHS, clean them, and store the new ones.

    Exits 1 only when nothing at all could be read; skipped inputs are listed with the reason.
    Articles whose analysis fails are kept (listed as "not analysed"; `storyline analyze`
    retries them).
    """
    with _open(db) as desk:
        progress, task = _progress("ingesting")
        with progress:

            def advance(done: int, total: int, path: str) -> None:
                progress.update(task, completed=done, total=total, description=Path(path).name[:40])

            try:
                report = desk.ingest(paths, fetch=fetch, max_bytes=max_bytes, batch_size=batch_size,
                                     analyze=analyze, progress=advance)
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
            "skipped": [problem_json(p) for p in report.problems],
            "analysed": report.analysis.analysed if report.analysis else None,
            "not_analysed": [problem_json(p) for p in report.analysis.problems] if report.analysis else [],
        }, ensure_ascii=False))
    for problem in report.problems:
        err.print(f"[yellow]skipped[/] {_escape(str(problem))}", markup=True, highlight=False)
    for problem in report.analysis.problems if report.analysis else ():
        err.print(f"[yellow]not analysed[/] {_escape(str(problem))}", markup=True, highlight=False)
    if not as_json:
        line = (f"{len(report.added)} added, {len(report.present)} already present, "
                f"{len(report.problems)} skipped from {report.files} files")
        if report.links_seen:
            line += f"; {report.links_seen} link-only feed entries ({report.links_new} new)"
        out.print(line, markup=False)


@app.command("analyze")
def analyze_cli(
    files: Annotated[list[Path] | None, typer.Argument(
        metavar="[FILE]...", help="Analyse these files and print the results (nothing is stored).",
        show_default=False)] = None,
    db: DbOption = None,
    all_: Annotated[bool, typer.Option("--all", help="Re-analyse every stored article.")] = False,
    verbatim: Annotated[bool, typer.Option(
        "--verbatim", help="Take each FILE's text as is (no cleaning), so offsets index the file.")] = False,
    max_bytes: Annotated[int, typer.Option(help="Refuse any single document larger than this.", min=1)] = DEFAULT_MAX_BYTES,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (FILEs: one object per line).")] = False,
) -> None:
    """Find entities, roles, quotes and speakers in FILEs, or in the stored articles.

    With FILEs nothing is stored: each article read from them is printed. Without FILEs the
    stored articles not yet analysed by this version of Storyline are analysed and stored
    (all of them with --all). Exits 1 if any input or article could not be analysed.
    """
    if files:
        if all_:
            _fail("--all re-analyses the stored articles; give it no FILEs", code=2)
        _analyze_files(files, verbatim=verbatim, max_bytes=max_bytes, as_json=as_json)
        return
    if verbatim:
        _fail("--verbatim needs FILEs to read", code=2)
    with _open(db) as desk:
        progress, task = _progress("analysing")
        with progress:

            def advance(done: int, total: int, label: str) -> None:
                progress.update(task, completed=done, total=total, description=label[:40])

            try:
                report = desk.analyze(all=all_, progress=advance)
            except AnalyzeAborted as exc:
                _print_analyze_report(exc.report, as_json=as_json)
                _fail(str(exc), code=2)
            except AnalysisUnavailable as exc:
                _fail(str(exc))
    _print_analyze_report(report, as_json=as_json)
    if report.problems:
        raise typer.Exit(1)


def _analyze_files(files: list[Path], *, verbatim: bool, max_bytes: int, as_json: bool) -> None:
    failed = 0
    try:
        for item in analyze_inputs(files, verbatim=verbatim, max_bytes=max_bytes):
            if isinstance(item, Problem):
                failed += 1
                err.print(f"[bold red]error:[/] {_escape(str(item))}", markup=True, highlight=False)
            elif as_json:
                print(json.dumps({"source": item.source, "where": item.locator, "body": item.body,
                                  **analysis_json(item.analysis)}, ensure_ascii=False), flush=True)
            else:
                _print_analysis(item.source if not item.locator else f"{item.source} ({item.locator})",
                                item.analysis)
    except AnalysisUnavailable as exc:
        _fail(str(exc))
    if failed:
        _fail(f"{failed} input{'s' if failed > 1 else ''} could not be analysed")


def _print_analysis(title: str, analysis: Analysis) -> None:
    out.print(f"[bold]{_escape(title)}[/]: {len(analysis.entities)} entities, {len(analysis.quotes)} quotes, "
              f"{len(analysis.times)} time expressions",
              highlight=False)
    people = [e for e in analysis.entities if e.type == "PERSON"]
    if people:
        out.print("  [cyan]people:[/] " + "; ".join(_escape(_person_line(e)) for e in people), highlight=False)
    others = [e for e in analysis.entities if e.type != "PERSON"]
    if others:
        out.print("  [cyan]others:[/] " + "; ".join(_escape(f"{e.name} ({e.type})") for e in others),
                  highlight=False)
    for quote in analysis.quotes:
        out.print(f"  {_escape(_quote_line(quote))}", highlight=False)
    dated = [t for t in analysis.times if t.value]
    if dated:
        out.print("  [cyan]times:[/] " + "; ".join(_escape(f"{t.text} = {t.value}") for t in dated[:12]),
                  highlight=False)


def _person_line(entity: Entity) -> str:
    titles = list(dict.fromkeys(r.title for r in entity.roles))
    return entity.name + (f" ({', '.join(titles)})" if titles else "")


def _quote_line(quote: Quote) -> str:
    who = quote.speaker or (quote.speaker_mention.text if quote.speaker_mention else "unattributed")
    if quote.anonymous:
        who += " (anonymous)"
    how = quote.kind + (f", {quote.cue}" if quote.cue else "")
    return f"“{quote.text}” - {who} [{how}; {quote.start}-{quote.end}]"


def _print_analyze_report(report: AnalyzeReport, *, as_json: bool) -> None:
    if as_json:
        print(json.dumps({
            "due": report.due,
            "analysed": report.analysed,
            "entities": report.entities,
            "quotes": report.quotes,
            "not_analysed": [problem_json(p) for p in report.problems],
        }, ensure_ascii=False))
    for problem in report.problems:
        err.print(f"[yellow]not analysed[/] {_escape(str(problem))}", markup=True, highlight=False)
    if not as_json:
        if not report.due:
            out.print("nothing to analyse: every stored article is analysed (--all re-analyses them)",
                      markup=False)
            return
        out.print(f"{len(report.analysed)} articles analysed ({report.entities} entities, "
                  f"{report.quotes} quotes), {len(report.problems)} failed", markup=False)


@app.command("people")
def people_cli(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the people named in the stored articles, merged across articles."""
    with _open(db) as desk:
        found = desk.people()
    if as_json:
        print(json.dumps([identity_json(i) for i in found], ensure_ascii=False, indent=1))
        return
    table = Table("name", "articles", "roles", "aliases", box=None, pad_edge=False)
    for identity in found:
        table.add_row(identity.name, str(_article_count(identity)), "; ".join(identity.roles),
                      "; ".join(a for a in identity.aliases if a != identity.name))
    out.print(table)
    out.print(f"{len(found)} people", markup=False)


@app.command("quotes")
def quotes_cli(
    db: DbOption = None,
    speaker: Annotated[str | None, typer.Option(help="Only quotes by this speaker (full name, case ignored).")] = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    as_json: JsonOption = False,
) -> None:
    """List the quotes in the stored articles with who said them."""
    with _open(db) as desk:
        found = desk.quotes(speaker, limit=limit, offset=offset)
    if as_json:
        print(json.dumps([quote_json(q, article=True) for q in found], ensure_ascii=False, indent=1))
        return
    table = Table("article", "speaker", "kind", "quote", box=None, pad_edge=False)
    for quote in found:
        who = quote.speaker or (quote.speaker_mention.text if quote.speaker_mention else "")
        table.add_row(quote.article_id, who + (" (anonymous)" if quote.anonymous else ""), quote.kind,
                      f"“{quote.text}”")
    out.print(table)
    out.print(f"{len(found)} quotes", markup=False)


@app.command("articles")
def articles_cli(
    db: DbOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
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


def problem_json(problem: Problem) -> dict:
    return {"source": problem.source, "where": problem.locator, "reason": problem.reason}


def entity_json(entity: Entity) -> dict:
    """The JSON shape of an in-article entity; offsets index the article body."""
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": list(entity.aliases),
        "roles": [{"title": r.title, "start": r.start, "end": r.end, "sentence_start": r.sentence_start,
                   "sentence_end": r.sentence_end} for r in entity.roles],
        "mentions": [{"start": m.start, "end": m.end, "text": m.text} for m in entity.mentions],
    }


def quote_json(quote: Quote, *, article: bool = False) -> dict:
    """The JSON shape of a quote; ``speaker`` is null when nobody is named or described."""
    mention = quote.speaker_mention
    speaker = None
    if quote.speaker is not None or mention is not None or quote.anonymous:
        speaker = {
            "name": quote.speaker,
            "id": quote.speaker_id,
            "mention": mention.text if mention else None,
            "mention_start": mention.start if mention else None,
            "mention_end": mention.end if mention else None,
            "anonymous": quote.anonymous,
        }
    data = {"article_id": quote.article_id} if article else {}
    return data | {
        "text": quote.text, "start": quote.start, "end": quote.end, "kind": quote.kind, "cue": quote.cue,
        "speaker": speaker, "group": quote.group,
    }


def analysis_json(analysis: Analysis) -> dict:
    return {"entities": [entity_json(e) for e in analysis.entities],
            "quotes": [quote_json(q) for q in analysis.quotes],
            "times": [{"text": t.text, "start": t.start, "end": t.end, "type": t.type, "value": t.value,
                       "mod": t.mod, "anchored": t.anchored} for t in analysis.times]}


def identity_json(identity: Identity) -> dict:
    return {
        "id": identity.id,
        "name": identity.name,
        "type": identity.type,
        "aliases": list(identity.aliases),
        "roles": list(identity.roles),
        "articles": _article_count(identity),
        "members": [{"article_id": a, "entity_id": e} for a, e in identity.members],
        "merges": list(identity.merges),
    }


def _article_count(identity: Identity) -> int:
    return len({article_id for article_id, _ in identity.members})


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


# The reuse commands live in their own module; importing it registers them on `app`.
import storyline.cli_reuse  # noqa: E402,F401
import storyline.cli_stories  # noqa: E402,F401
import storyline.cli_serve  # noqa: E402,F401
import storyline.cli_brief  # noqa: E402,F401
import storyline.cli_export  # noqa: E402,F401


def main() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except BrokenPipeError:
        sys.exit(1)
