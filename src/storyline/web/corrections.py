"""Corrections over HTTP: the API under /api/v1/corrections and the /corrections page.

API (JSON in, the shapes of report/json.py out):

- ``GET /api/v1/corrections`` (``active``, ``limit``, ``offset``), ``GET /api/v1/corrections/{id}``;
- ``POST /api/v1/corrections/merge-people`` ``{keep, other, reason, author?}``, ``.../split-person``
  ``{person, names?, articles?, name?, reason, author?}``, ``.../quote-speaker`` ``{article, quote,
  speaker, reason, author?}``, ``.../move-article`` ``{article, story, reason, author?}``,
  ``.../split-story`` ``{story, articles, reason, author?}``: 201 with the correction;
- ``POST /api/v1/corrections/{id}/undo`` ``{author?}``: 200 with the correction, now undone.

A bad correction is 422 with the reason, an unknown correction 404. The author defaults to "web".
Writes go through the same guards as every write (web/guard.py on loopback: same origin, JSON
body; a bearer token beyond loopback), so the page's forms post JSON from the app's own script
(static/storyline.js). After a correction the server's caches of people, story reports and
rendered pages are emptied: they are keyed by the store's state, which a correction changes in
ways those keys do not see (a merge changes no story's members).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, Query, Request
from fastapi import Path as FastPath
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from storyline.report.json import correction_json, correction_summary
from storyline.web import models as m
from storyline.web.api_reads import answer, doc
from storyline.web.errors import WebError
from storyline.web.limits import MAX_OFFSET
from storyline.web.paging import envelope
from storyline.web.pool import DeskPool
from storyline.web.rules import bearer_ok

PREFIX = "/api/v1/corrections"
WEB_AUTHOR = "web"
LISTED = 200  # corrections on the page
PEOPLE_OFFERED = 1000  # people offered by the forms' id fields (most articles first)
Name = Annotated[str, Field(min_length=1, max_length=200)]
Id = Annotated[str, Field(min_length=1, max_length=64)]
# A correction's number: a SQL BIGINT (a larger number is a 422, not a driver overflow).
CorrectionId = Annotated[int, FastPath(ge=1, le=2**63 - 1, description="A correction's number.")]
Reason = Annotated[str, Field(min_length=1, max_length=2000, description="Why this is right (required).")]
Author = Annotated[str | None, Field(default=None, max_length=200, description=f"Who; default {WEB_AUTHOR!r}.")]


class MergePeople(BaseModel):
    keep: Id = Field(description="The person id kept (id and name).")
    other: Id = Field(description="A person id that is the same person.")
    reason: Reason
    author: Author = None


class SplitPerson(BaseModel):
    person: Id
    names: list[Name] = Field(default=[], max_length=50, description="Split off the mentions under these names.")
    articles: list[Id] = Field(default=[], max_length=500, description="Split off the mentions in these articles.")
    name: Name | None = Field(default=None, description="The name shown for the person split off.")
    reason: Reason
    author: Author = None


class QuoteSpeaker(BaseModel):
    article: Id
    quote: int = Field(ge=1, le=100_000, description="The quote's number in the article, from 1.")
    speaker: Name
    reason: Reason
    author: Author = None


class MoveArticle(BaseModel):
    article: Id
    story: Id
    reason: Reason
    author: Author = None


class SplitStory(BaseModel):
    story: Id
    articles: list[Id] = Field(min_length=1, max_length=5000)
    reason: Reason
    author: Author = None


class Undo(BaseModel):
    author: Author = None


def add_corrections(app: FastAPI, pool: DeskPool, token: str | None) -> None:
    """Add the corrections API and page to the app (web/api.py calls this once)."""
    templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))

    def made(request: Request, make, status: int = 201) -> JSONResponse:
        from storyline.link.corrections.common import CorrectionError

        if token is not None and not bearer_ok(request.headers.get("authorization"), token):
            raise WebError(401, "a valid 'Authorization: Bearer <token>' header is required to correct",
                           headers={"WWW-Authenticate": "Bearer"})
        with pool.desk() as desk:
            try:
                correction = make(desk)
            except CorrectionError as exc:
                raise WebError(422, str(exc)) from None
        _forget_cached(app)
        return JSONResponse(correction_json(correction), status_code=status)

    @app.get(PREFIX, summary="Corrections made by hand, newest first", responses=doc(m.Page[m.CorrectionOut]))
    def list_corrections(request: Request,
                         active: Annotated[bool | None, Query(description="Only active (true) or undone (false).")] = None,
                         limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                         offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> Response:
        with pool.desk() as desk:
            found = desk.corrections(limit=limit, offset=offset, active=active)
            # Corrections are made by hand: a few thousand at most, counted by listing them.
            total = len(desk.corrections(active=active))
        page = envelope([correction_json(c) for c in found], total, limit, offset, request.url.path,
                        request.query_params.multi_items(), max_offset=MAX_OFFSET)
        return answer(request, page)

    @app.get(PREFIX + "/{correction_id}", summary="One correction", responses=doc(m.CorrectionOut))
    def get_correction(request: Request, correction_id: CorrectionId) -> Response:
        with pool.desk() as desk:
            found = desk.store.correction(correction_id)
        if found is None:
            raise WebError(404, f"no correction {correction_id}")
        return answer(request, correction_json(found))

    @app.post(PREFIX + "/merge-people", status_code=201, summary="Two people are one", responses=doc(m.CorrectionOut, status=201, cached=False))
    def merge_people(request: Request, body: MergePeople) -> JSONResponse:
        return made(request, lambda d: d.merge_people(body.keep, body.other, author=body.author or WEB_AUTHOR,
                                                      reason=body.reason))

    @app.post(PREFIX + "/split-person", status_code=201, summary="Some mentions of a person are somebody else", responses=doc(m.CorrectionOut, status=201, cached=False))
    def split_person(request: Request, body: SplitPerson) -> JSONResponse:
        return made(request, lambda d: d.split_person(body.person, names=body.names, articles=body.articles,
                                                      name=body.name, author=body.author or WEB_AUTHOR,
                                                      reason=body.reason))

    @app.post(PREFIX + "/quote-speaker", status_code=201, summary="A quote was said by somebody else", responses=doc(m.CorrectionOut, status=201, cached=False))
    def quote_speaker(request: Request, body: QuoteSpeaker) -> JSONResponse:
        return made(request, lambda d: d.fix_quote_speaker(body.article, body.quote, body.speaker,
                                                           author=body.author or WEB_AUTHOR, reason=body.reason))

    @app.post(PREFIX + "/move-article", status_code=201, summary="An article belongs to another story", responses=doc(m.CorrectionOut, status=201, cached=False))
    def move_article(request: Request, body: MoveArticle) -> JSONResponse:
        return made(request, lambda d: d.move_article(body.article, body.story, author=body.author or WEB_AUTHOR,
                                                      reason=body.reason))

    @app.post(PREFIX + "/split-story", status_code=201, summary="Some articles of a story are a story of their own", responses=doc(m.CorrectionOut, status=201, cached=False))
    def split_story(request: Request, body: SplitStory) -> JSONResponse:
        return made(request, lambda d: d.split_story(body.story, body.articles, author=body.author or WEB_AUTHOR,
                                                     reason=body.reason))

    @app.post(PREFIX + "/{correction_id}/undo", summary="Undo a correction (it stays listed, marked undone)", responses=doc(m.CorrectionOut, cached=False))
    def undo(request: Request, correction_id: CorrectionId, body: Undo) -> JSONResponse:
        return made(request, lambda d: d.undo_correction(correction_id, author=body.author or WEB_AUTHOR), 200)

    @app.get("/corrections", response_class=HTMLResponse, include_in_schema=False)
    def corrections_page(request: Request) -> HTMLResponse:
        """Every correction with what, who, when and why, an undo button for the active ones,
        and the forms for corrections that start from person ids."""
        with pool.desk() as desk:
            found = desk.corrections(limit=LISTED)
            people = desk.store.person_summaries(limit=PEOPLE_OFFERED)  # stored: no linking on a page view
        rows = [{"c": c, "summary": correction_summary(c)} for c in found]
        return templates.TemplateResponse(request, "corrections.html", {"rows": rows, "listed": LISTED,
                                                                        "people": people})


def _forget_cached(app: FastAPI) -> None:
    """Empty the caches a correction can make stale (see the module docstring)."""
    for name in ("people", "rendered_pages"):
        memo = getattr(app.state, name, None)
        if memo is not None:
            memo.clear()
    reports = getattr(app.state, "reports", None)
    if reports is not None:
        reports.clear()
