"""``storyline export``: stored articles, quotes, people, reuse pairs and stories as CSV, JSON or
Parquet, filtered as their listings are, and the provenance and people-quote graphs as GraphML
(see storyline/report/export.py). The web app's export links give the same files over HTTP
(/api/v1/export/, web/api_exports.py)."""

from __future__ import annotations

import importlib.util
import io
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from storyline.cli.common import DbOption, app, err, fail, open_desk
from storyline.store import StoreError


class ExportWhat(str, Enum):
    articles = "articles"
    quotes = "quotes"
    people = "people"
    reuse = "reuse"
    stories = "stories"
    corrections = "corrections"
    provenance = "provenance"
    network = "network"


class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"
    parquet = "parquet"
    graphml = "graphml"


GRAPHS = {ExportWhat.provenance, ExportWhat.network}
TABLE_FORMATS = {ExportFormat.csv, ExportFormat.json, ExportFormat.parquet}
# Which filter options each table takes (the keyword arguments of the Desk method listing it).
FILTERS = {
    ExportWhat.articles: {"outlet", "since", "until", "story", "person"},
    ExportWhat.stories: {"query", "outlet", "since", "until", "person"},
    ExportWhat.quotes: {"speaker"},
    ExportWhat.reuse: {"article"},
}


@app.command("export")
def export_cli(
    what: Annotated[ExportWhat, typer.Argument(
        help="articles, quotes, people, reuse, stories, corrections (tables) or provenance, network (graphs).")],
    format_: Annotated[ExportFormat | None, typer.Option(
        "--format", help="csv, json or parquet for tables; graphml for graphs (default: csv for "
        "tables, graphml for graphs).", show_default=False)] = None,
    db: DbOption = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to this file instead of stdout (required for parquet).")] = None,
    all_: Annotated[bool, typer.Option(
        "--all", help="reuse, provenance: also export compared pairs judged independent.")] = False,
    outlet: Annotated[str | None, typer.Option(help="articles, stories: from this outlet (case ignored).")] = None,
    since: Annotated[str | None, typer.Option(help="articles, stories: published on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="articles, stories: published on or before (YYYY-MM-DD).")] = None,
    story: Annotated[str | None, typer.Option(help="articles: in this story (id or unique prefix).")] = None,
    person: Annotated[str | None, typer.Option(help="articles, stories: naming a person whose name contains this.")] = None,
    query: Annotated[str | None, typer.Option("--query", "-q", help="stories: a member holds all these words.")] = None,
    speaker: Annotated[str | None, typer.Option(help="quotes: of this person (name, surname, alias or id).")] = None,
    article: Annotated[str | None, typer.Option(help="reuse: pairs involving this article (id or prefix).")] = None,
) -> None:
    """Export what is stored (nothing is recomputed): tables as CSV, JSON or Parquet (filtered
    as their listings are: --outlet, --since, --until, --story, --person, --query, --speaker,
    --article, where they apply; articles whole, with their story), the
    provenance graph (articles, reuse source -> derived) and the people-quote network as GraphML
    for Gephi. Text is UTF-8; CSV cells that a spreadsheet would run as a formula are prefixed
    with a single quote."""
    is_graph = what in GRAPHS
    fmt = format_ or (ExportFormat.graphml if is_graph else ExportFormat.csv)
    if is_graph and fmt is not ExportFormat.graphml:
        fail(f"{what.value} is a graph: use --format graphml", code=2)
    if not is_graph and fmt not in TABLE_FORMATS:
        fail(f"{what.value} is a table: use --format csv, json or parquet", code=2)
    if fmt is ExportFormat.parquet and output is None:
        fail("parquet is binary: give a file with --output", code=2)
    if fmt is ExportFormat.parquet and importlib.util.find_spec("pyarrow") is None:
        fail("parquet export needs pyarrow (pip install pyarrow)")
    given = {k: v for k, v in {"outlet": outlet, "since": since, "until": until, "story": story, "person": person,
                               "query": query, "speaker": speaker, "article": article}.items() if v is not None}
    wrong = sorted(set(given) - FILTERS.get(what, set()))
    if wrong:
        fail(f"{what.value} cannot be filtered by --{', --'.join(wrong)}", code=2)
    from storyline.report import export

    with open_desk(db) as desk:
        try:
            if is_graph:
                found = export.graph(desk, what.value, all_pairs=all_)
            else:
                objects, flat = export.rows(desk, what.value, all_pairs=all_, filters=given)
        except StoreError as exc:
            fail(str(exc), code=2)
        except LookupError as exc:
            fail(str(exc.args[0]) if exc.args else str(exc), code=2)

    try:
        if is_graph:
            buf = io.BytesIO()
            export.write_graphml(found, buf)
            _emit(buf.getvalue(), output)
            count = f"{found.number_of_nodes()} nodes, {found.number_of_edges()} edges"
        else:
            count = f"{len(flat)} rows"
            if fmt is ExportFormat.parquet:
                export.write_parquet(what.value, flat, str(output))
            elif fmt is ExportFormat.json:
                _emit(export.to_json(objects).encode("utf-8"), output)
            else:
                _emit(export.to_csv(what.value, flat).encode("utf-8"), output)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}", code=2)
    if output is not None:
        err.print(f"wrote {output} ({count})", markup=False)


def _emit(data: bytes, output: Path | None) -> None:
    """UTF-8 bytes to the file, or to stdout whatever the locale's encoding."""
    if output is not None:
        output.write_bytes(data)
        return
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:  # a text-only stdout (some test runners)
        sys.stdout.write(data.decode("utf-8"))
    else:
        sys.stdout.flush()
        stream.write(data)
    sys.stdout.flush()
