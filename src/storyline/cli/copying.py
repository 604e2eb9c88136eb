"""``storyline copy TARGET``: the whole store into a new one, e.g. a SQLite file into
PostgreSQL when the corpus outgrows the laptop (store/sql/transfer.py)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from storyline.cli.common import DbOption, JsonOption, app, fail, out, progress_bar
from storyline.store import StoreError


@app.command()
def copy(
    target: Annotated[str, typer.Argument(help="The store to copy into: a new SQLite file or an empty "
                                          "PostgreSQL database (postgresql://...).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Copy every article and every stored fact (analyses, reuse, stories, people, corrections)
    into TARGET, which must be new or empty; ids stay the same. One transaction: an interrupted
    copy leaves TARGET empty, and running it again starts over. The first ``storyline link``
    on the copy checks each step's work once in full (its cursors are not copied)."""
    from storyline.store import copy_store

    try:
        with progress_bar("copying") as advance:
            report = copy_store(db, target, progress=advance)
    except StoreError as exc:
        fail(str(exc))
    if as_json:
        print(json.dumps({"source": report.source, "target": report.target, "rows": report.rows,
                          "total": report.total, "seconds": report.seconds}, indent=1))
        return
    copied = {t: n for t, n in report.rows.items() if n}
    out.print(f"copied {report.total:,} rows of {len(copied)} tables in {report.seconds} s "
              f"({copied.get('articles', 0):,} articles)", highlight=False)
