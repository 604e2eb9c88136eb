"""``storyline analyze``, ``people`` and ``quotes``: entities, roles, quotes and speakers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from storyline.cli.common import (
    DbOption,
    JsonOption,
    LimitOption,
    OffsetOption,
    app,
    err,
    fail,
    open_desk,
    out,
    progress_bar,
    warn,
)
from storyline.ingest.files import DEFAULT_MAX_BYTES
from storyline.report.json import analysis_json, analyze_report_json, identity_json, quote_json
from storyline.report.words import counted, quoted
from storyline.run.common import AnalysisUnavailable, AnalyzeAborted

if TYPE_CHECKING:
    from storyline.records import Analysis, Entity, Quote
    from storyline.run.common import AnalyzeReport


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
            fail("--all re-analyses the stored articles; give it no FILEs", code=2)
        _analyze_files(files, verbatim=verbatim, max_bytes=max_bytes, as_json=as_json)
        return
    if verbatim:
        fail("--verbatim needs FILEs to read", code=2)
    with open_desk(db) as desk, progress_bar("analysing") as advance:
        try:
            report = desk.analyze(all=all_, progress=advance)
        except AnalyzeAborted as exc:
            _print_analyze_report(exc.report, as_json=as_json)
            fail(str(exc), code=2)
        except AnalysisUnavailable as exc:
            fail(str(exc))
    _print_analyze_report(report, as_json=as_json)
    if report.problems:
        raise typer.Exit(1)


def _analyze_files(files: list[Path], *, verbatim: bool, max_bytes: int, as_json: bool) -> None:
    from storyline.records import Problem
    from storyline.run.files import analyze_inputs  # the readers import trafilatura, lxml, feedparser

    failed = 0
    try:
        for item in analyze_inputs(files, verbatim=verbatim, max_bytes=max_bytes):
            if isinstance(item, Problem):
                failed += 1
                err.print(f"[bold red]error:[/] {escape(str(item))}", markup=True, highlight=False)
            elif as_json:
                print(json.dumps({"source": item.source, "where": item.locator, "body": item.body,
                                  **analysis_json(item.analysis)}, ensure_ascii=False), flush=True)
            else:
                _print_analysis(item.source if not item.locator else f"{item.source} ({item.locator})",
                                item.analysis)
    except AnalysisUnavailable as exc:
        fail(str(exc))
    if failed:
        fail(f"{failed} input{'s' if failed > 1 else ''} could not be analysed")


def _print_analysis(title: str, analysis: Analysis) -> None:
    out.print(f"[bold]{escape(title)}[/]: {len(analysis.entities)} entities, {len(analysis.quotes)} quotes, "
              f"{len(analysis.times)} time expressions",
              highlight=False)
    people = [e for e in analysis.entities if e.type == "PERSON"]
    if people:
        out.print("  [cyan]people:[/] " + "; ".join(escape(_person_line(e)) for e in people), highlight=False)
    others = [e for e in analysis.entities if e.type != "PERSON"]
    if others:
        out.print("  [cyan]others:[/] " + "; ".join(escape(f"{e.name} ({e.type})") for e in others),
                  highlight=False)
    for quote in analysis.quotes:
        out.print(f"  {escape(_quote_line(quote))}", highlight=False)
    dated = [t for t in analysis.times if t.value]
    if dated:
        out.print("  [cyan]times:[/] " + "; ".join(escape(f"{t.text} = {t.value}") for t in dated[:12]),
                  highlight=False)


def _person_line(entity: Entity) -> str:
    titles = list(dict.fromkeys(r.title for r in entity.roles))
    return entity.name + (f" ({', '.join(titles)})" if titles else "")


def _quote_line(quote: Quote) -> str:
    who = quote.speaker or (quote.speaker_mention.text if quote.speaker_mention else "unattributed")
    if quote.anonymous:
        who += " (anonymous)"
    how = quote.kind + (f", {quote.cue}" if quote.cue else "")
    return f"{quoted(quote.text, quote.kind)} - {who} [{how}; {quote.start}-{quote.end}]"


def _print_analyze_report(report: AnalyzeReport, *, as_json: bool) -> None:
    if as_json:
        print(json.dumps(analyze_report_json(report), ensure_ascii=False))
    for problem in report.problems:
        warn("not analysed", str(problem))
    for note in report.skipped:
        warn("skipped", str(note))
    for problem in report.truncated:
        warn("analysed in part", str(problem))
    if not as_json:
        if not report.due:
            out.print("nothing to analyse: every stored article is analysed (--all re-analyses them)",
                      markup=False)
            return
        out.print(f"{len(report.analysed)} articles analysed ({report.entities} entities, "
                  f"{report.quotes} quotes), {len(report.problems)} failed", markup=False)


@app.command("people")
def people_cli(db: DbOption = None, limit: LimitOption = None, offset: OffsetOption = 0,
               as_json: JsonOption = False,
               places: Annotated[bool, typer.Option("--places", help="List instead the one-word names left out as places the "
                                                    "tagger took for people, with how many articles name each as a place.")] = False) -> None:
    """List the people named in the stored articles, merged across articles, most articles
    first (--json: with the entities merged into each and why)."""
    with open_desk(db) as desk:
        if places:
            _places_cli(desk.place_people(limit=limit, offset=offset), desk.count_place_people(), offset, as_json)
            return
        if as_json:
            found = desk.people(limit=limit, offset=offset)
            print(json.dumps([identity_json(i) for i in found], ensure_ascii=False, indent=1))
            return
        listed, total = desk.person_summaries(limit=limit, offset=offset), desk.count_people()
    table = Table("name", "articles", "roles", "aliases", box=None, pad_edge=False)
    for person in listed:
        table.add_row(person.name, str(person.articles), "; ".join(person.roles),
                      "; ".join(a for a in person.aliases if a != person.name))
    out.print(table)
    shown = f"{offset + 1}-{offset + len(listed)} of " if listed and len(listed) < total else ""
    out.print(f"{shown}{total} people", markup=False)


def _places_cli(found: list, total: int, offset: int, as_json: bool) -> None:
    if as_json:
        print(json.dumps([{"id": p.id, "name": p.name, "articles": p.articles, "named_as_place": n} for p, n in found],
                         ensure_ascii=False, indent=1))
        return
    table = Table("name", "id", "as a person", "as a place", box=None, pad_edge=False)
    for person, n in found:
        table.add_row(escape(person.name), person.id, str(person.articles), str(n))
    out.print(table)
    shown = f"{offset + 1}-{offset + len(found)} of " if found and len(found) < total else ""
    out.print(f"{shown}{total} names left out of the people list as places (link/people/places.py)", markup=False)


@app.command("quotes")
def quotes_cli(
    db: DbOption = None,
    speaker: Annotated[str | None, typer.Option(help="Only quotes by this speaker: full name, surname, alias or person id (case ignored).")] = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    as_json: JsonOption = False,
) -> None:
    """List the quotes in the stored articles with who said them."""
    with open_desk(db) as desk:
        found = desk.quotes(speaker, limit=limit, offset=offset)
    if as_json:
        print(json.dumps([quote_json(q, article=True) for q in found], ensure_ascii=False, indent=1))
        return
    table = Table("article", "speaker", "kind", "quote", box=None, pad_edge=False)
    for quote in found:
        who = quote.speaker or (quote.speaker_mention.text if quote.speaker_mention else "")
        table.add_row(quote.article_id, escape(who + (" (anonymous)" if quote.anonymous else "")), quote.kind,
                      escape(quoted(quote.text, quote.kind)))
    out.print(table)
    out.print(counted(len(found), "quote"), markup=False)
