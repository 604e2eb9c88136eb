"""Exports over HTTP: every list as CSV, JSON or Parquet, with the list's own filters, and the
graphs as GraphML, under /api/v1/export/ (what ``storyline export`` writes; report/export.py).

``/api/v1/export/{table}.{csv|json|parquet}`` for articles (whole, bodies included), quotes,
people, reuse and stories; ``/api/v1/export/provenance.graphml`` (who copied whom) and
``/api/v1/export/network.graphml`` (who is quoted where, and with whom). Each answer is a
download (Content-Disposition: attachment). An article's source is its URL or file name only.
"""

from __future__ import annotations

import io
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query
from fastapi.responses import Response

from storyline.report import export
from storyline.web.api_reads import V1, ArticleFilters, QuoteFilters, ReuseFilters, StoryFilters
from storyline.web.errors import lookup
from storyline.web.models import Error

Format = Literal["csv", "json", "parquet"]
MEDIA = {"csv": "text/csv; charset=utf-8", "json": "application/json",
         "parquet": "application/vnd.apache.parquet", "graphml": "application/graphml+xml"}
_TABLE_DOC = {200: {"description": "The table as a file.", "content": {
    "text/csv": {"schema": {"type": "string"}},
    "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
    "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}}}},
    "default": {"model": Error, "description": "An error."}}
_GRAPH_DOC = {200: {"description": "The graph as GraphML.", "content": {
    "application/graphml+xml": {"schema": {"type": "string"}}}},
    "default": {"model": Error, "description": "An error."}}


def add_exports(app: FastAPI, borrow) -> None:
    """Add the export routes; ``borrow()`` lends a Desk."""

    def table(what: str, fmt: str, *, filters: dict[str, Any], all_pairs: bool = False) -> Response:
        with borrow() as desk:
            objects, flat = lookup(lambda: export.rows(desk, what, all_pairs=all_pairs, public=True,
                                                       filters=filters), "no such record")
        if fmt == "csv":
            data = export.to_csv(what, flat).encode("utf-8")
        elif fmt == "json":
            data = export.to_json(objects).encode("utf-8")
        else:
            data = export.parquet_bytes(what, flat)
        return _download(data, f"{what}.{fmt}", fmt)

    @app.get(f"{V1}/export/provenance.graphml", summary="Export who copied whom (articles, reuse pairs) as "
             "GraphML", responses=_GRAPH_DOC, response_class=Response)
    def export_provenance(all: Annotated[bool, Query(  # noqa: A002
            description="Also pairs judged independent.")] = False) -> Response:
        return _graph("provenance", all)

    @app.get(f"{V1}/export/network.graphml", summary="Export who is quoted where, and with whom, as GraphML",
             responses=_GRAPH_DOC, response_class=Response)
    def export_network() -> Response:
        return _graph("network", False)

    def _graph(what: str, all_pairs: bool) -> Response:
        with borrow() as desk:
            found = export.graph(desk, what, all_pairs=all_pairs)
        buf = io.BytesIO()
        export.write_graphml(found, buf)
        return _download(buf.getvalue(), f"{what}.graphml", "graphml")

    @app.get(f"{V1}/export/articles.{{fmt}}", summary="Export the articles (whole) with the list's filters",
             responses=_TABLE_DOC, response_class=Response)
    def export_articles(fmt: Format, filters: Annotated[ArticleFilters, Depends()]) -> Response:
        return table("articles", fmt, filters=filters.kw)

    @app.get(f"{V1}/export/stories.{{fmt}}", summary="Export the stories with the list's filters",
             responses=_TABLE_DOC, response_class=Response)
    def export_stories(fmt: Format, filters: Annotated[StoryFilters, Depends()]) -> Response:
        return table("stories", fmt, filters=filters.kw)

    @app.get(f"{V1}/export/quotes.{{fmt}}", summary="Export the quotes (of one speaker, if given)",
             responses=_TABLE_DOC, response_class=Response)
    def export_quotes(fmt: Format, filters: Annotated[QuoteFilters, Depends()]) -> Response:
        return table("quotes", fmt, filters={"speaker": filters.speaker})

    @app.get(f"{V1}/export/people.{{fmt}}", summary="Export the people merged across articles",
             responses=_TABLE_DOC, response_class=Response)
    def export_people(fmt: Format) -> Response:
        return table("people", fmt, filters={})

    @app.get(f"{V1}/export/reuse.{{fmt}}", summary="Export the reuse pairs with the list's filters",
             responses=_TABLE_DOC, response_class=Response)
    def export_reuse(fmt: Format, filters: Annotated[ReuseFilters, Depends()]) -> Response:
        return table("reuse", fmt, filters={"article": filters.article}, all_pairs=filters.all)


def _download(data: bytes, name: str, fmt: str) -> Response:
    return Response(data, media_type=MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="storyline-{name}"'})
