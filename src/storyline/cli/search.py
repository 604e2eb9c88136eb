"""``storyline search`` and ``storyline outlets``: finding articles by their words, and the
outlets they come from."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from storyline.cli.common import DbOption, JsonOption, OffsetOption, app, clip, fail, open_desk, out
from storyline.report.json import search_hit_json, snippet_parts
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
    out.print(f"{len(hits)} articles", markup=False)


@app.command("outlets")
def outlets_cli(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Every named outlet (canonical names): articles, first and last stated publication day,
    and reuse across outlets: its articles copying another outlet's ("copies in") and other
    outlets' articles copying its own ("copied out"), from the stored reuse pairs."""
    with open_desk(db) as desk:
        found = desk.outlet_profiles()
    if as_json:
        print(json.dumps([{"outlet": o.outlet, "articles": o.articles, "first_published": o.first_published,
                           "last_published": o.last_published, "copies_in": o.copied_from_others,
                           "copied_out": o.copied_by_others} for o in found], ensure_ascii=False))
        return
    table = Table("articles", "outlet", "first", "last", "copies in", "copied out", box=None, pad_edge=False)
    for o in found:
        table.add_row(str(o.articles), escape(clip(o.outlet, 60)), o.first_published or "-", o.last_published or "-",
                      str(o.copied_from_others), str(o.copied_by_others))
    out.print(table)
    out.print(f"{len(found)} outlets", markup=False)
