"""``storyline stories`` and ``storyline story``: stories, their events, timeline and the
cross-source checks."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from storyline.cli.common import DbOption, JsonOption, app, clip, err, fail, open_desk, out, progress_bar, warn
from storyline.report.json import report_json, story_json
from storyline.report.why import join_why
from storyline.report.words import counted, quoted
from storyline.store import AmbiguousIdError, StoreError

if TYPE_CHECKING:
    from storyline.link.stories.report import StoryReport

QUOTES_PER_SPEAKER = 3


@app.command("stories")
def stories_cli(
    db: DbOption = None,
    limit: Annotated[int | None, typer.Option(min=1, help="List at most N stories.")] = None,
    offset: Annotated[int, typer.Option(min=0, help="Skip the first N stories.")] = 0,
    update: Annotated[bool, typer.Option(help="First analyse, fingerprint and cluster new articles.")] = True,
    as_json: JsonOption = False,
) -> None:
    """List stories, largest first: id, label (key people and places, a representative
    headline), article count and the first and last day of coverage (inferred dates included). New articles join stories first (online, in
    publication order; --no-update only lists what is stored)."""
    with open_desk(db) as desk:
        try:
            if update:
                with progress_bar("stories") as advance:
                    linked = desk.find_stories(progress=advance)
                for problem in linked.problems:
                    warn("not linked", str(problem))
            if as_json:
                whole = desk.stories(limit=limit, offset=offset)
            else:
                stories = desk.story_summaries(limit=limit, offset=offset)
        except StoreError as exc:
            fail(str(exc), code=2)
    if as_json:
        print(json.dumps([story_json(s) for s in whole], ensure_ascii=False, indent=1))
        return
    table = Table("id", "articles", "coverage", "label", box=None, pad_edge=False)
    for s in stories:
        undated = f" ({s.undated} undated)" if s.undated else ""
        table.add_row(s.id[:12], f"{s.articles}{undated}", _coverage(s), escape(clip(s.label, 100)))
    out.print(table)
    out.print(counted(len(stories), "story", "stories"), markup=False)


@app.command("story")
def story_cli(
    story_id: Annotated[str, typer.Argument(metavar="ID", help="A story id or unique prefix.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One story: its articles (stated or inferred dates), events and timeline, people with
    their roles, quotes by speaker, reuse pairs, and where the sources disagree."""
    report = read_story(db, story_id)
    if as_json:
        print(json.dumps(report_json(report), ensure_ascii=False, indent=1))
        return
    _print_report(report)


def read_story(db: str | None, story_id: str) -> StoryReport:
    """One story's report (``story`` and ``brief``); an unknown or ambiguous id fails (exit 2)."""
    with open_desk(db) as desk:
        try:
            with err.status("reading the story: dates, events, quotes, cross-source checks"):
                return desk.story(story_id)
        except (LookupError, AmbiguousIdError) as exc:
            fail(str(exc.args[0]) if exc.args else str(exc), code=2)
        except StoreError as exc:
            fail(str(exc), code=2)


# --- text ----------------------------------------------------------------------------------------


def _span(first: str | None, last: str | None, inferred: bool = False) -> str:
    if not first:
        return "undated"
    text = first if first == last else f"{first} .. {last}"
    return text + (" (inferred)" if inferred else "")


def _coverage(s) -> str:
    """A story's days: the first and last of its articles, inferred publication days included;
    the stated span until its facts are built."""
    return _span(s.coverage_first, s.coverage_last) if s.coverage_first else _span(s.first, s.last)


def _print_report(report) -> None:
    s = report.story
    out.print(f"[bold]{escape(s.label)}[/]")
    outlets = len(report.outlets)
    named = f" from {counted(outlets, 'outlet')}" if outlets else ""
    out.print(f"story {s.id}; {counted(len(s.article_ids), 'article')}{named}; {_coverage(s)}", markup=False)
    for note in report.notes:
        out.print(f"[dim]{escape(note)}[/]")

    out.print("\n[bold]Articles[/]")
    table = Table("id", "date", "outlet", "title", box=None, pad_edge=False)
    for a in report.articles:
        d = report.dates.get(a.id)
        table.add_row(a.id[:10], _span(d.first, d.last, d.inferred) if d else "", escape(clip(a.outlet or "", 20)),
                      escape(clip(a.title or "", 70)))
    out.print(table)
    if report.sightings:
        out.print("\n[bold]Also published by[/] [dim](the same text run elsewhere)[/]")
        for a in report.articles:
            for x in report.sightings.get(a.id, ()):
                out.print(f"- {a.id[:10]} {x.outlet or 'unknown outlet'} · {x.published or 'undated'} · {x.url or ''}",
                          markup=False)
    from storyline.link.stories.features import article_text  # numpy: not on every command's start

    titles = {a.id: a.title for a in report.articles}
    reasons = [(a.id, join_why(report.why.get(a.id), article_text(a.body or "", a.title), titles,
                                 report.merged.get(a.id)))
               for a in report.articles]
    if any(r for _, r in reasons):
        out.print("\n[bold]Why these articles[/]")
        for aid, reason in reasons:
            if reason:
                out.print(f"- {aid[:10]} [dim]{escape(reason)}[/]")

    out.print("\n[bold]Timeline[/]")
    for e in report.timeline:
        mark = (" (inferred)" if e.date_inferred else "") + (" (headlines)" if e.date_source == "published" else "")
        out.print(f"{e.date}{mark}  {escape(clip(e.label, 110))}  [dim]{counted(len(e.article_ids), 'article')}[/]")

    out.print("\n[bold]People[/]")
    for p in report.people[:15]:
        roles = "; ".join(p.roles[:3])
        out.print(f"- {escape(p.name)}" + (f" ({escape(roles)})" if roles else "")
                  + f" [dim]{counted(len({a for a, _ in p.members}), 'article')}[/]")

    out.print("\n[bold]Quotes by speaker[/]")
    for speaker, quotes in list(report.quotes.items())[:12]:
        out.print(f"- {escape(speaker)}: {len(quotes)}")
        for q in quotes[:QUOTES_PER_SPEAKER]:
            out.print(f"    [dim]{q.kind}[/] {escape(quoted(clip(q.text, 100), q.kind))} [dim]{q.article_id[:10]}[/]")

    out.print("\n[bold]Reuse[/]")
    for p in report.reuse:
        if p.is_reuse:
            out.print(f"- {p.source_id[:10]} -> {p.derived_id[:10]} {p.kind} (coverage {p.coverage:.2f}, "
                      f"{len(p.changes)} changes)", markup=False)

    out.print("\n[bold]Where the sources agree and disagree[/]")
    for f in report.findings:
        if f.kind == "quote" and not f.differs:
            continue
        cited = ", ".join(sorted({c.article_id[:10] for c in f.citations}))
        out.print(f"- [yellow]{f.kind}[/] {escape(clip(f.summary, 220))} [dim]{cited}[/]")
    same = sum(1 for f in report.findings if f.kind == "quote" and not f.differs)
    if same:
        out.print(f"  [dim]and {same} quotations carried by several articles word for word[/]")
