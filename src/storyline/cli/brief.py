"""``storyline brief``: a short, sourced account of one story (Markdown, HTML or JSON)."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from storyline.cli.common import DbOption, app, err, fail
from storyline.cli.stories import read_story


class BriefFormat(str, Enum):
    md = "md"
    html = "html"
    json = "json"


@app.command("brief")
def brief_cli(
    story_id: Annotated[str, typer.Argument(metavar="STORY", help="A story id or unique prefix.")],
    db: DbOption = None,
    format_: Annotated[BriefFormat, typer.Option("--format", help="md, html (one self-contained file) or json.")] = BriefFormat.md,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
) -> None:
    """A briefing on one story: what happened (every sentence cited), key developments by
    date, who said what, where the sources disagree, and the provenance of copies, with a
    numbered list of sources."""
    from storyline.report import build_briefing, to_html, to_json, to_markdown

    report = read_story(db, story_id)
    briefing = build_briefing(report)
    if format_ is BriefFormat.json:
        text = json.dumps(to_json(briefing), ensure_ascii=False, indent=1) + "\n"
    elif format_ is BriefFormat.html:
        text = to_html(briefing)
    else:
        text = to_markdown(briefing)
    if output is None:
        print(text, end="")
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}", code=2)
    err.print(f"wrote {output}", markup=False)
