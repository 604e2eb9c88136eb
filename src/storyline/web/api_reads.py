"""The API's read routes under /api/v1: lists (one envelope: web/paging.py), single records,
and exports of every list (web/api_exports.py).

Lists give summaries (an article without its body, a story with the number of its articles,
a person without members); the record's own route gives it in full. Each answer is the JSON
of report/json.py's shapes, documented by the models of web/models.py, with a weak ETag.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from storyline.desk import AnalysisUnavailable
from storyline.report import Briefing, to_html, to_json, to_markdown
from storyline.report.json import (
    analysis_json,
    article_json,
    article_summary_json,
    diff_json,
    identity_json,
    outlet_json,
    outlet_profile_json,
    pair_json,
    person_summary_json,
    quote_json,
    report_json,
    search_hit_json,
    story_summary_json,
)
from storyline.web import models as m
from storyline.web.errors import WebError, lookup
from storyline.web.limits import MAX_OFFSET
from storyline.web.paging import encode, envelope, etag, fresh

V1 = "/api/v1"
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
# Members of one person in one answer (/api/v1/people/{id}).
DEFAULT_MEMBERS = 1000
MAX_MEMBERS = 10000
_DAY = r"^\d{4}(-\d\d(-\d\d)?)?$"

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"At most this many (1..{MAX_LIMIT}).")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description=f"Skip this many first (0..{MAX_OFFSET}).")]
ArticleId = Annotated[str, Path(max_length=64, description="An article id or a unique prefix of it.")]
StoryId = Annotated[str, Path(max_length=64, description="A story id or a unique prefix of it.")]
Outlet = Annotated[str | None, Query(max_length=200, description="Only this outlet (name, case ignored).")]
Since = Annotated[str | None, Query(pattern=_DAY, description="Published on or after this day (YYYY[-MM[-DD]]).")]
Until = Annotated[str | None, Query(pattern=_DAY, description="Published on or before this day (YYYY[-MM[-DD]]).")]
Person = Annotated[str | None, Query(max_length=200, description="Names a person whose name contains this.")]
StoryFilter = Annotated[str | None, Query(max_length=64, description="In this story (id or unique prefix).")]
Words = Annotated[str | None, Query(max_length=1000, description="A member article holds all these words.")]


def doc(model: Any, *, status: int = 200, cached: bool = True) -> dict:
    """The ``responses`` of a route: its answer's model, 304 for a matching ETag, and the
    error shape for every error status."""
    out: dict[Any, Any] = {status: {"model": model}, "default": {"model": m.Error, "description": "An error."}}
    if cached:
        out[304] = {"description": "Not modified: the If-None-Match ETag is current."}
    return out


def answer(request: Request, data: Any, status: int = 200) -> Response:
    """``data`` as JSON, with a weak ETag on a successful read (304 when the client has it)."""
    body = encode(data)
    if status != 200 or request.method not in ("GET", "HEAD"):
        return Response(body, status_code=status, media_type="application/json")
    tag = etag(body)
    headers = {"ETag": tag, "Cache-Control": "no-cache"}  # keep it, but ask again each time
    if fresh(request.headers, tag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


def page(request: Request, items: list, total: int, limit: int, offset: int) -> Response:
    return answer(request, envelope(items, total, limit, offset, request.url.path,
                                    request.query_params.multi_items(), max_offset=MAX_OFFSET))


class ArticleFilters:
    """The article list's filters (also its export's): FastAPI reads them from the query."""

    def __init__(self, outlet: Outlet = None, since: Since = None, until: Until = None,
                 story: StoryFilter = None, person: Person = None):
        self.story = story
        self.kw = {"outlet": outlet, "since": since, "until": until, "story": story, "person": person}


class StoryFilters:
    """The story list's filters (also its export's)."""

    def __init__(self, q: Words = None, outlet: Outlet = None, person: Person = None, since: Since = None,
                 until: Until = None):
        self.kw = {"query": q if q and q.strip() else None, "outlet": outlet, "person": person, "since": since,
                   "until": until}


class QuoteFilters:
    """The quote list's filter (also its export's)."""

    def __init__(self, speaker: Annotated[str | None, Query(
            max_length=200, description="A person: full name, surname, alias or person id (case ignored).")] = None):
        self.speaker = speaker


class ReuseFilters:
    """The reuse list's filters (also its export's)."""

    def __init__(self, all: Annotated[bool, Query(description="Also pairs judged independent.")] = False,  # noqa: A002
                 article: Annotated[str | None, Query(max_length=64, description="Only pairs involving this "
                                                      "article (id or unique prefix).")] = None):
        self.all, self.article = all, article


def add_reads(app: FastAPI, borrow, reports, link_people, index: dict) -> None:
    """Add the read routes; ``borrow()`` lends a Desk, ``reports`` is the story report cache,
    ``link_people(desk)`` assigns the people of newly analysed articles (once per analysis
    state), ``index`` what GET /api/v1 answers."""

    @app.get(V1, summary="What this API offers", responses=doc(m.Index))
    def api_index(request: Request) -> Response:
        return answer(request, index())

    @app.get(f"{V1}/articles", summary="Stored articles in the order first ingested (no bodies)",
             responses=doc(m.Page[m.ArticleSummary]))
    def list_articles(request: Request, filters: Annotated[ArticleFilters, Depends()],
                      limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> Response:
        f = filters.kw
        with borrow() as desk:
            found = lookup(lambda: desk.articles(limit=limit, offset=offset, **f), f"no story {filters.story!r}")
            total = desk.article_count(**f)
        return page(request, [article_summary_json(a) for a in found], total, limit, offset)

    @app.get(f"{V1}/articles/{{article_id}}", summary="One article in full, with its analysis",
             responses=doc(m.ArticleOut))
    def get_article(request: Request, article_id: ArticleId,
                    raw: Annotated[bool, Query(description="Include the raw input as read.")] = False) -> Response:
        with borrow() as desk:
            article = lookup(lambda: desk.article(article_id), f"no article {article_id!r}")
            analysis = desk.store.analysis(article.id)
            sightings = desk.sightings(article.id)
        data = article_json(article, raw=raw, public=True, sightings=sightings)
        data["analysis"] = analysis_json(analysis) if analysis is not None else None
        return answer(request, data)

    @app.get(f"{V1}/search", summary="Full-text search over titles and bodies, ranked, with snippets",
             responses=doc(m.Page[m.SearchHitOut]))
    def search(request: Request,
               q: Annotated[str, Query(min_length=1, max_length=1000,
                                       description="Words that must all occur (case ignored, stemmed).")],
               limit: Limit = DEFAULT_LIMIT, offset: Offset = 0, outlet: Outlet = None, since: Since = None,
               person: Person = None, story: StoryFilter = None) -> Response:
        f = {"outlet": outlet, "since": since, "person": person, "story": story}
        with borrow() as desk:
            hits = lookup(lambda: desk.search_hits(q, limit=limit, offset=offset, **f), f"no story {story!r}")
            total = desk.search_count(q, **f)
        items = [article_summary_json(h.article) | {k: v for k, v in search_hit_json(h).items()
                                                    if k in ("rank", "snippet", "highlights")} for h in hits]
        return page(request, items, total, limit, offset)

    @app.get(f"{V1}/outlets", summary="Every named outlet: articles, first and last day, reuse in and out",
             responses=doc(m.Page[m.OutletSummary]))
    def list_outlets(request: Request, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> Response:
        with borrow() as desk:
            found = desk.outlet_profiles()
        return page(request, [outlet_profile_json(o) for o in found[offset:offset + limit]], len(found), limit,
                    offset)

    @app.get(f"{V1}/outlets/{{name:path}}", summary="One outlet: articles per day, reuse with other outlets, "
             "stories covered with its first day and rank, latest articles", responses=doc(m.OutletOut))
    def get_outlet(request: Request, name: Annotated[str, Path(
            max_length=200, description="The canonical outlet name, exact.")]) -> Response:
        with borrow() as desk:
            detail = lookup(lambda: desk.outlet(name), f"no outlet named {name!r}")
        return answer(request, outlet_json(detail, public=True))

    @app.get(f"{V1}/stories", summary="Stored stories, largest first", responses=doc(m.Page[m.StorySummary]))
    def list_stories(request: Request, filters: Annotated[StoryFilters, Depends()],
                     limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> Response:
        f = filters.kw
        with borrow() as desk:
            found = desk.story_summaries(limit=limit, offset=offset, **f)
            total = desk.story_count(**f)
        return page(request, [story_summary_json(s) for s in found], total, limit, offset)

    @app.get(f"{V1}/stories/{{story_id}}", summary="One story: articles, timeline, people, quotes, reuse, "
             "findings", responses=doc(m.StoryOut))
    def get_story(request: Request, story_id: StoryId,
                  articles_limit: Annotated[int, Query(ge=0, le=MAX_MEMBERS, description=(
                      f"At most this many articles (0..{MAX_MEMBERS}; {DEFAULT_MEMBERS} by default)."))] = DEFAULT_MEMBERS,
                  articles_offset: Offset = 0) -> Response:
        # A story a live topic grew to thousands of articles: its articles come a page at a time
        # (articles_total says how many); article_ids, events, people... stay whole.
        with borrow() as desk:
            built = lookup(lambda: reports.get(desk, story_id), f"no story {story_id!r}")
        return answer(request, report_json(built.report, offset=articles_offset, limit=articles_limit))

    brief_doc = doc(Briefing)
    brief_doc[200]["content"] = {"text/html": {"schema": {"type": "string"}},
                                 "text/markdown": {"schema": {"type": "string"}}}

    @app.get(f"{V1}/stories/{{story_id}}/brief", summary="The story's briefing: every sentence sourced",
             responses=brief_doc)
    def get_brief(request: Request, story_id: StoryId,
                  format: Annotated[str, Query(pattern="^(json|html|md)$", description="json, html or md.")] = "json",  # noqa: A002
                  ) -> Response:
        with borrow() as desk:
            briefing = lookup(lambda: reports.get(desk, story_id), f"no story {story_id!r}").briefing
        if format == "html":  # one self-contained page, article text escaped (report/render.py)
            # Its stylesheet is inline (the file must stand alone); it has no script at all.
            return HTMLResponse(to_html(briefing), headers={
                "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'"})
        if format == "md":
            return PlainTextResponse(to_markdown(briefing), media_type="text/markdown; charset=utf-8")
        return answer(request, to_json(briefing))

    @app.get(f"{V1}/quotes", summary="Stored quotes with their speakers, in article order",
             responses=doc(m.Page[m.ListedQuote]))
    def list_quotes(request: Request, filters: Annotated[QuoteFilters, Depends()],
                    limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> Response:
        with borrow() as desk:
            # A page and a COUNT in SQL, with a speaker too (through the people it names).
            found, total = desk.quote_page(filters.speaker, limit=limit, offset=offset)
        return page(request, [quote_json(q, article=True) for q in found], total, limit, offset)

    @app.get(f"{V1}/people", summary="People named across the articles, merged; most articles first",
             responses=doc(m.Page[m.PersonSummary]))
    def list_people(request: Request, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> Response:
        with borrow() as desk:
            link_people(desk)
            found, total = desk.store.person_summaries(limit=limit, offset=offset), desk.store.count_people()
        return page(request, [person_summary_json(i) for i in found], total, limit, offset)

    @app.get(f"{V1}/place-names", summary="One-word names the people list leaves out as places the tagger took for people",
             responses=doc(m.Page[m.PlaceName]))
    def list_place_names(request: Request, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> Response:
        with borrow() as desk:
            link_people(desk)
            found, total = desk.store.place_people(limit=limit, offset=offset), desk.store.count_place_people()
        return page(request, [person_summary_json(p) | {"named_as_place": n} for p, n in found], total, limit, offset)

    @app.get(f"{V1}/people/{{person_id}}", summary="One person: the entities merged and why",
             responses=doc(m.PersonPage))
    def get_person(request: Request, person_id: Annotated[str, Path(max_length=200, description="A person id.")],
                   members_limit: Annotated[int, Query(ge=0, le=MAX_MEMBERS, description=(
                       f"At most this many members (0..{MAX_MEMBERS}; {DEFAULT_MEMBERS} by default)."))] = DEFAULT_MEMBERS,
                   members_offset: Offset = 0) -> Response:
        # A famous name's identity holds hundreds of thousands of members: they come a page at
        # a time, read in the store, with their total (members_total).
        with borrow() as desk:
            found = desk.store.person(person_id, members=False)
            if found is None:
                raise WebError(404, f"no person {person_id!r}")
            page_of = desk.store.person_members(found.id, limit=members_limit, offset=members_offset)
            total = desk.store.person_sizes([found.id]).get(found.id, 0)
            named_in = desk.store.person_article_counts([found.id]).get(found.id, 0)
        body = identity_json(dataclasses.replace(found, members=tuple(page_of)))
        # "articles" counts all of them, not the page's (the stored count lists show).
        return answer(request, body | {"articles": named_in, "members_total": total, "members_offset": members_offset})

    @app.get(f"{V1}/reuse", summary="Stored reuse pairs, most covered first", responses=doc(m.Page[m.PairOut]))
    def list_reuse(request: Request, filters: Annotated[ReuseFilters, Depends()],
                   limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> Response:
        with borrow() as desk:
            # The page is read from the store: a page of 20 decodes 20 pairs, not every pair.
            shown = lookup(lambda: desk.reuse(all=filters.all, article=filters.article, limit=limit, offset=offset),
                           f"no article {filters.article!r}")
            total = desk.reuse_count(all=filters.all, article=filters.article)
            ids = sorted({i for p in shown for i in (p.source_id, p.derived_id)})
            titles = {a.id: a for a in desk.store.articles(ids=ids)}
        return page(request, [pair_json(p, titles) for p in shown], total, limit, offset)

    @app.get(f"{V1}/diff/{{a}}/{{b}}", summary="Compare two articles: aligned sentences and changes",
             responses=doc(m.DiffOut))
    def diff(request: Request, a: ArticleId, b: ArticleId) -> Response:
        with borrow() as desk:
            try:
                source, derived, pair = lookup(lambda: desk.diff(a, b), "no such article")
            except AnalysisUnavailable:
                raise WebError(503, "the analyzer is not available on this server") from None
        return answer(request, diff_json(source, derived, pair))
