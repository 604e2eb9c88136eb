"""``storyline check [--repair]``: the store's integrity in plain words."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from storyline.cli.common import DbOption, JsonOption, app, open_desk, out

_COLOUR = {"ok": "green", "problem": "bold red", "note": "yellow"}


@app.command()
def check(
    db: DbOption = None,
    repair: Annotated[bool, typer.Option("--repair", help="Fix what can be fixed without losing input: "
                                         "delete untrustworthy derived facts, rebuild the search index.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Check the store: file integrity, foreign keys, orphaned facts, offsets inside bodies,
    the search index and analyzer versions. Exits 1 when a problem is left."""
    from rich.markup import escape

    with open_desk(db) as desk:
        findings = desk.check(repair=repair)
    if as_json:
        print(json.dumps([{"check": f.check, "status": f.status, "detail": f.detail, "repaired": f.repaired}
                          for f in findings], ensure_ascii=False, indent=1))
    else:
        for f in findings:
            out.print(f"[{_COLOUR[f.status]}]{f.status:<8}[/] [bold]{f.check}[/]: {escape(f.detail)}"
                      + (" [green](repaired)[/]" if f.repaired else ""), highlight=False)
    if any(f.status == "problem" for f in findings):
        raise typer.Exit(1)
