"""The web app: HTML pages over the same Desk pool as the API, served by the same process.

Pages: ``/`` (story list with full-text search and filters by date, outlet and person, and what
arrived since the last visit), ``/search`` (the header's search: articles, people, stories), ``/outlets``
and ``/outlets/{name}`` (articles over time, who copies whom, first coverage per story),
``/stories/{id}`` (timeline picture, people and roles, quotes by speaker, provenance graph of
copies with their changes, cross-source findings), ``/articles/{id}`` (quotes and people
highlighted, links to its copies) and ``/diff/{a}/{b}`` (two articles side by side). Assets
(one stylesheet, one small script, an icon) are files of this package under ``/static``: no CDN,
the app works offline.

Article text is untrusted: templates are autoescaped, SVG labels are escaped in web/svg.py,
and every page is sent with a Content-Security-Policy that allows no inline script and nothing
from another origin, so markup that slipped through could still not run.

Besides web/api.py (and web/errors.py, for its one exception), the only module that imports the
web framework; what a page shows is decided in web/views.py (plain Python). Errors are
:class:`storyline.web.errors.WebError`, shown as HTML pages here by web/api.py's handlers.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from storyline.desk import AnalysisUnavailable
from storyline.report.render import html_diff
from storyline.store.base import now
from storyline.web import outlet_views, search_views, views
from storyline.web.errors import WebError, lookup
from storyline.web.limits import MAX_OFFSET
from storyline.web.memo import Memo
from storyline.web.pool import DeskPool
from storyline.web.reports import ReportCache

HERE = Path(__file__).parent
PAGE_CSP = ("default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
MAX_FILTER_CHARS = 200
KEEP_PAGES = 128  # rendered story pages kept (each tens to hundreds of KB)
_ID = re.compile(r"[0-9a-f]{1,64}")
SEARCH_HITS = 30  # articles on the search page
SEEN_COOKIE = "storyline_seen"  # when this browser last saw the story list (UTC, ISO)
SEEN_MAX_AGE_S = 365 * 86400
ARRIVALS_SHOWN = 10
_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")



def diff_marks(text: str | None) -> Markup:
    """A word diff ("[-removed-] {+added+}") as HTML, as the briefing renders it (escaped first)."""
    return Markup(html_diff(text or ""))


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))  # autoescape on for .html
    templates.env.filters["diffmarks"] = diff_marks
    templates.env.filters["short"] = lambda aid: (aid or "")[:10]
    templates.env.filters["outlet_href"] = outlet_views.outlet_href
    return templates


def add_pages(app: FastAPI, pool: DeskPool, reports: ReportCache) -> None:
    templates = _templates()
    # A story page is rendered once per story state (rendering a big story takes tens of ms);
    # the outlet list once per article count.
    rendered: Memo[str] = Memo(keep=KEEP_PAGES)
    outlet_lists: Memo[list] = Memo(keep=2)
    app.state.rendered_pages = rendered
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def page(request: Request, name: str, context: dict, status: int = 200) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status)

    app.state.html_error = lambda request, status, message: page(
        request, "error.html", {"status": status, "message": message}, status)

    def text(value: str | None, name: str) -> str:
        value = (value or "").strip()
        if len(value) > MAX_FILTER_CHARS:
            raise WebError(422, f"{name}: at most {MAX_FILTER_CHARS} characters")
        return value

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def story_list(request: Request, q: str | None = None, outlet: str | None = None, person: str | None = None,
                   since: str | None = None, until: str | None = None,
                   offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
                   limit: Annotated[int, Query(ge=1, le=200)] = views.PAGE_SIZE) -> HTMLResponse:
        try:
            filters = views.Filters(q=text(q, "q"), outlet=text(outlet, "outlet"), person=text(person, "person"),
                                    since=views.parse_day(since, "since"), until=views.parse_day(until, "until"))
        except ValueError as exc:
            raise WebError(422, str(exc)) from None
        with pool.desk() as desk:
            found = desk.stories(limit=limit + 1, offset=offset, query=filters.q or None,
                                 outlet=filters.outlet or None, person=filters.person or None,
                                 since=filters.since or None, until=filters.until or None)
            total = desk.store.count()
            outlets = outlet_lists.get(("outlets", total), desk.outlets)
        context = views.story_list(found, outlets, filters, offset, limit)
        context["total_articles"] = total
        # "Since your last visit": the time of the last visit is kept in a cookie, stamped when
        # the unfiltered first page is shown (paging and filtering do not count as a visit).
        seen = request.cookies.get(SEEN_COOKIE)
        seen = seen if seen and _STAMP.fullmatch(seen) else None
        visit = offset == 0 and not filters.active()
        if visit and seen:
            with pool.desk() as desk:
                context["arrived"] = search_views.arrivals(seen, *desk.store.arrived_since(seen, limit=ARRIVALS_SHOWN))
        response = page(request, "stories.html", context)
        if visit:
            response.set_cookie(SEEN_COOKIE, now(), max_age=SEEN_MAX_AGE_S, httponly=True, samesite="lax")
        return response

    @app.get("/outlets", response_class=HTMLResponse, include_in_schema=False)
    def outlets_page(request: Request) -> HTMLResponse:
        """Every canonical outlet: articles, first and last day, reuse in and out."""
        with pool.desk() as desk:
            profiles = desk.outlet_profiles()
        return page(request, "outlets.html", {"outlets": profiles})

    @app.get("/outlets/{name:path}", response_class=HTMLResponse, include_in_schema=False)
    def outlet_page(request: Request, name: str) -> HTMLResponse:
        """One outlet: articles over time, who it copies and who copies it, the stories it
        covered (first or not) and its latest articles; 404 for a name no article carries."""
        name = text(name, "outlet")
        with pool.desk() as desk:
            detail = lookup(lambda: desk.outlet(name), f"no outlet named {name!r}")
        return page(request, "outlet.html", outlet_views.outlet_page(detail))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = "") -> HTMLResponse:
        """The header's search: articles (ranked, with snippets), people and stories."""
        query = text(q, "q")
        if not query:
            return RedirectResponse("/", status_code=303)
        with pool.desk() as desk:
            hits = desk.search_hits(query, limit=SEARCH_HITS)
            people = search_views.matching_people(desk.store.people(), query)
            stories = desk.stories(query=query, limit=search_views.MAX_STORIES_FOUND)
        context = search_views.search_page(query, hits, people, stories)
        context["limit"] = SEARCH_HITS
        return page(request, "search.html", context)

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str) -> HTMLResponse:
        with pool.desk() as desk:
            built = lookup(lambda: reports.get(desk, story_id), f"no story {story_id!r}")
        html = rendered.get(built.key, lambda: templates.get_template("story.html").render(views.story_page(built)))
        return HTMLResponse(html)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> HTMLResponse:
        with pool.desk() as desk:
            article = lookup(lambda: desk.article(article_id), f"no article {article_id!r}")
            analysis = desk.store.analysis(article.id)
            pairs = desk.reuse(article=article.id)
            others = {a.id: a for a in desk.store.articles(
                ids=sorted({i for p in pairs for i in (p.source_id, p.derived_id)} - {article.id}))}
            story_id = desk.store.story_of(article.id)
        return page(request, "article.html", views.article_page(article, analysis, pairs, others, story_id))

    @app.get("/diff", include_in_schema=False)
    def diff_form(a: str = "", b: str = "") -> RedirectResponse:
        """The article page's "compare with" form: on to /diff/{a}/{b}."""
        ids = [x.strip().lower() for x in (a, b)]
        if not all(_ID.fullmatch(x) for x in ids):
            raise WebError(422, "give two article ids (or unique prefixes of them: hex digits)")
        return RedirectResponse(f"/diff/{ids[0]}/{ids[1]}", status_code=303)

    @app.get("/diff/{a}/{b}", response_class=HTMLResponse, include_in_schema=False)
    def diff_page(request: Request, a: str, b: str, all: bool = False) -> HTMLResponse:  # noqa: A002 - ?all=1
        with pool.desk() as desk:
            try:
                source, derived, pair = lookup(lambda: desk.diff(a, b), "no such article")
            except AnalysisUnavailable:
                raise WebError(503, "the analyzer is not available on this server") from None
        return page(request, "diff.html", views.diff_page(source, derived, pair, (a, b), show_all=all))
