"""``storyline search`` and ``storyline outlets``: finding articles by their words, and the
outlets they come from."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from storyline.cli.common import DbOption, JsonOption, OffsetOption, app, clip, fail, open_desk, out
from storyline.report.json import outlet_json, search_hit_json, snippet_parts
from storyline.report.words import counted
from storyline.store import AmbiguousIdError


@app.command("search")
def search_cli(
    query: Annotated[str, typer.Argument(help="Words that must all occur (stemmed, case ignored; no operators).")],
    db: DbOption = None,
    outlet: Annotated[str | None, typer.Option(help="Only articles from this outlet.", show_default=False)] = None,
    since: Annotated[str | None, typer.Option(help="Only articles published on or after this ISO date.",
                                              show_default=False)] = None,
    person: Annotated[str | None, typer.Option(help="Only articles naming a person whose name contains this.",
                                               show_default=False)] = None,
    story: Annotated[str | None, typer.Option(help="Only articles of this story (id or unique prefix).",
                                              show_default=False)] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many.", min=1)] = 20,
    offset: OffsetOption = 0,
    as_json: JsonOption = False,
) -> None:
    """Search titles and bodies: best matches first, each with a snippet, matched words
    highlighted (SQLite FTS5 or PostgreSQL full text)."""
    with open_desk(db) as desk:
        try:
            hits = desk.search_hits(query, outlet=outlet, since=since, person=person, story=story,
                                    limit=limit, offset=offset)
        except (LookupError, AmbiguousIdError) as exc:
            fail(str(exc.args[0]) if exc.args else str(exc), code=2)
    if as_json:
        print(json.dumps([search_hit_json(h) for h in hits], ensure_ascii=False, indent=1))
        return
    for hit in hits:
        a = hit.article
        out.print(f"[bold]{escape(a.title or '(no title)')}[/]  [dim]{a.id[:12]} · {escape(a.outlet or '-')} · "
                  f"{escape((a.published or '-')[:10])}[/]", highlight=False)
        snippet = "".join(f"[bold yellow]{escape(t)}[/]" if hit else escape(t)
                          for t, hit in snippet_parts(" ".join(hit.snippet.split())))
        out.print(f"  {snippet}\n", highlight=False)
    out.print(counted(len(hits), "article"), markup=False)


@app.command("outlets")
def outlets_cli(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Every named outlet (canonical names): articles, the stored texts it also ran word for word
    ("also ran": its sightings), first and last stated publication day, and reuse across outlets: its articles copying another outlet's ("copies in") and other
    outlets' articles copying its own ("copied out"), from the stored reuse pairs."""
    with open_desk(db) as desk:
        found = desk.outlet_profiles()
    if as_json:
        print(json.dumps([{"outlet": o.outlet, "articles": o.articles, "sighted": o.sighted,
                           "first_published": o.first_published,
                           "last_published": o.last_published, "copies_in": o.copied_from_others,
                           "copied_out": o.copied_by_others} for o in found], ensure_ascii=False))
        return
    table = Table("articles", "also ran", "outlet", "first", "last", "copies in", "copied out", box=None, pad_edge=False)
    for o in found:
        table.add_row(str(o.articles), str(o.sighted), escape(clip(o.outlet, 60)), o.first_published or "-",
                      o.last_published or "-",
                      str(o.copied_from_others), str(o.copied_by_others))
    out.print(table)
    out.print(counted(len(found), "outlet"), markup=False)


@app.command("outlet")
def outlet_cli(name: Annotated[str, typer.Argument(help="The canonical outlet name, exact (see `storyline outlets`).")],
               db: DbOption = None, as_json: JsonOption = False) -> None:
    """One outlet: its stated publication days, who it copies and who copies it (per other outlet,
    from the stored reuse pairs), the stories it covered with its first day there and whether it
    was first among the story's outlets, and its latest articles. ``--json`` adds the articles
    per day (as ``/api/outlets/{name}``)."""
    with open_desk(db) as desk:
        detail = desk.outlet(name)
    if detail is None:
        fail(f"no outlet named {name!r} (see `storyline outlets`)", code=2)
    if as_json:
        print(json.dumps(outlet_json(detail), ensure_ascii=False))
        return
    first, last = detail.span
    also = (f", also ran {detail.sighted} stored text{'' if detail.sighted == 1 else 's'} word for word"
            if detail.sighted else "")
    out.print(f"{escape(detail.outlet)}: {detail.articles} articles{also}, stated days {first or '-'} .. {last or '-'}"
              f" ({detail.undated} undated)", highlight=False)
    reuse = Table("other outlet", "it copies", "copies it", box=None, pad_edge=False)
    for r in detail.reuse:
        reuse.add_row(escape(clip(r.other, 60)), str(r.copied_from), str(r.copied_by))
    out.print(reuse if detail.reuse else "no reuse with another outlet", highlight=False)
    stories = Table("story", "articles", "its first day", "story's first day", "rank", box=None, pad_edge=False)
    for s in detail.stories:
        stories.add_row(escape(clip(s.label, 60)), str(s.articles), s.first_day or "undated", s.story_first_day or "-",
                        f"{s.rank} of {s.outlets}" if s.rank else "-")
    out.print(stories if detail.stories else "in no story yet", highlight=False)
    for a in detail.latest:
        out.print(f"{a.id[:10]}  {a.published or 'undated':<10}  {escape(clip(a.title or '', 70))}", highlight=False)
    if detail.sighted_latest:
        out.print("also ran (stored texts, word for word):", highlight=False)
    for s in detail.sighted_latest:
        out.print(f"{s.article_id[:10]}  {(s.published or 'undated')[:10]:<10}  {escape(clip(s.title or s.url or '', 70))}",
                  highlight=False)
