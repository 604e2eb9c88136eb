"""The web app: HTML pages over the same Desk pool as the API, served by the same process.

Pages: ``/`` (home: story list with full-text search and filters by date, outlet and person,
what arrived since the last visit, the latest articles, the most named people), ``/articles``
(every article, filtered by outlet, days, story and person, paged with the total), ``/people`` and
``/people/{id}`` (roles with their sources, quotes over time, stories), ``/search`` (the header's
search: articles, people, stories), ``/outlets``
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
from storyline.web import glossary, list_views, outlet_views, person_views, search_views, views
from storyline.web.correction_views import correction_notes
from storyline.web.errors import WebError, lookup
from storyline.web.limits import MAX_OFFSET
from storyline.web.memo import Memo
from storyline.web.paging import export_href
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
HOME_LATEST = 8  # newest articles on the home page
HOME_PEOPLE = 10  # most named people on the home page
_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")



def diff_marks(text: str | None) -> Markup:
    """A word diff ("[-removed-] {+added+}") as HTML, as the briefing renders it (escaped first)."""
    return Markup(html_diff(text or ""))


def _people_named(store, typed: str) -> list:
    """The people ``typed`` names (a person id, a name, an alias or a surname), most articles first."""
    from storyline.link.people.lookup import find_people  # the name-key index; loads the name folding on use

    found = find_people(store, typed)
    return sorted(found, key=lambda p: (-p.articles, p.name.casefold(), p.id))


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))  # autoescape on for .html
    templates.env.filters["diffmarks"] = diff_marks
    templates.env.filters["short"] = lambda aid: (aid or "")[:10]
    templates.env.filters["outlet_href"] = outlet_views.outlet_href
    templates.env.globals["export_href"] = export_href  # the export links of list pages (_exports.html)
    templates.env.globals["term"] = glossary.term
    templates.env.globals["glossary"] = glossary.GLOSSARY
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
            found = desk.story_summaries(limit=limit + 1, offset=offset, query=filters.q or None,
                                 outlet=filters.outlet or None, person=filters.person or None,
                                 since=filters.since or None, until=filters.until or None)
            total = desk.store.count()
            outlets = outlet_lists.get(("outlets", total, desk.store.count_sightings()), desk.outlets)
        context = views.story_list(found, outlets, filters, offset, limit)
        context["total_articles"] = total
        # "Since your last visit": the time of the last visit is kept in a cookie, stamped when
        # the unfiltered first page is shown (paging and filtering do not count as a visit).
        seen = request.cookies.get(SEEN_COOKIE)
        seen = seen if seen and _STAMP.fullmatch(seen) else None
        visit = offset == 0 and not filters.active()
        if visit:  # the home page: what is new beside the largest stories
            with pool.desk() as desk:
                if seen:
                    context["arrived"] = search_views.arrivals(seen, *desk.store.arrived_since(seen, limit=ARRIVALS_SHOWN))
                latest = desk.store.list_articles(limit=HOME_LATEST).articles
                context["latest"] = list_views.article_rows(latest, {a.id: desk.store.story_of(a.id) for a in latest})
                context["top_people"] = [{"id": p.id, "name": p.name, "articles": p.articles}
                                         for p in desk.store.person_summaries(limit=HOME_PEOPLE)]
        response = page(request, "stories.html", context)
        if visit:
            response.set_cookie(SEEN_COOKIE, now(), max_age=SEEN_MAX_AGE_S, httponly=True, samesite="lax")
        return response

    @app.get("/articles", response_class=HTMLResponse, include_in_schema=False)
    def article_list(request: Request, outlet: str | None = None, since: str | None = None,
                     until: str | None = None, story: str | None = None, person: str | None = None,
                     offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
                     limit: Annotated[int, Query(ge=1, le=200)] = list_views.PAGE_SIZE) -> HTMLResponse:
        """Every article, newest first, filtered by outlet, days, story (id) and person (id or
        name: the person with most articles of those the name means), a page at a time."""
        try:
            filters = list_views.ArticleFilters(
                outlet=text(outlet, "outlet"), since=views.parse_day(since, "since"),
                until=views.parse_day(until, "until"), story=text(story, "story"), person=text(person, "person"))
        except ValueError as exc:
            raise WebError(422, str(exc)) from None
        with pool.desk() as desk:
            store = desk.store
            found_story = lookup(lambda: store.story(filters.story), f"no story {filters.story!r}") if filters.story else None
            people = _people_named(store, filters.person) if filters.person else []
            who = people[0] if people else None
            if filters.person and who is None:
                listed = list_views.ArticlePage(0, [])
            else:
                listed = store.list_articles(outlet=filters.outlet or None, since=filters.since or None,
                                             until=filters.until or None, story_id=found_story.id if found_story else None,
                                             person_id=who.id if who else None, limit=limit, offset=offset)
            story_of = {a.id: store.story_of(a.id) for a in listed.articles}
            outlets = outlet_lists.get(("outlets", store.count(), store.count_sightings()), desk.outlets)
        context = list_views.article_list(listed, filters, offset, limit, [o.outlet for o in outlets[:views.MAX_OUTLETS]],
                                          story_of, found_story, who, people[1:])
        return page(request, "articles.html", context)

    @app.get("/people", response_class=HTMLResponse, include_in_schema=False)
    def people_list(request: Request, offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> HTMLResponse:
        """People named across the articles, most articles first, a page at a time."""
        with pool.desk() as desk:
            found = desk.store.person_summaries(limit=list_views.PAGE_SIZE + 1, offset=offset)
            places = desk.store.count_place_people()
        rows = [{"id": p.id, "name": p.name, "roles": list(p.roles)[:3], "articles": p.articles,
                 "aliases": [a for a in p.aliases if a != p.name][:3]} for p in found[:list_views.PAGE_SIZE]]
        return page(request, "people.html", {"people": rows, "places": places,
                                             **list_views.offset_pager(offset, len(found))})

    @app.get("/people/places", response_class=HTMLResponse, include_in_schema=False)
    def place_names(request: Request, offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> HTMLResponse:
        """The one-word names the people list leaves out as places (link/people/places.py), with
        the articles naming each as a person and as a place, so a reader can check the rule.
        Registered before /people/{person_id}, which would take "places" for an id."""
        with pool.desk() as desk:
            found = desk.store.place_people(limit=list_views.PAGE_SIZE + 1, offset=offset)
        rows = [{"id": p.id, "name": p.name, "articles": p.articles, "as_place": n}
                for p, n in found[:list_views.PAGE_SIZE]]
        return page(request, "places.html", {"places": rows, **list_views.offset_pager(offset, len(found))})

    @app.get("/people/{person_id}", response_class=HTMLResponse, include_in_schema=False)
    def person_page(request: Request, person_id: str) -> HTMLResponse:
        """One person: names and roles with their sources, titles the sources disagree on, why
        the names are one person, quotes over time, stories and articles. An absorbed id
        redirects to the person that absorbed it."""
        person_id = text(person_id, "person")
        with pool.desk() as desk:
            store = desk.store
            # Nothing here reads all of a person's members (a well-known one has hundreds of
            # thousands): counts are made in the store, sources read for the latest articles.
            person = store.person(person_id, members=False)
            if person is None:
                raise WebError(404, f"no person {person_id!r}")
            if person.id != person_id:
                return RedirectResponse(f"/people/{person.id}", status_code=301)
            tallies = store.person_tallies(person.id)
            if tallies is None:
                raise WebError(404, f"no person {person_id!r}")
            listed = store.list_articles(person_id=person.id, limit=person_views.RECENT_ARTICLES)
            sources = store.person_sources(person.id, articles=[a.id for a in listed.articles])
            role_articles = {a.id: a for a in store.articles(ids=person_views.role_sources_wanted(sources))}
            analyses = store.analyses_of([a.id for a in listed.articles])
            per_story = {}
            for a in listed.articles:
                sid = store.story_of(a.id)
                if sid:
                    per_story[sid] = per_story.get(sid, 0) + 1
            stories = [(s, n) for sid, n in sorted(per_story.items(), key=lambda kv: -kv[1])[:person_views.MAX_STORIES]
                       if (s := store.story(sid)) is not None]
        return page(request, "person.html", person_views.person_page(
            person, sources, tallies, role_articles, listed.total, listed.articles, analyses, stories))

    @app.get("/outlets", response_class=HTMLResponse, include_in_schema=False)
    def outlets_page(request: Request) -> HTMLResponse:
        """Every canonical outlet: articles, first and last day, reuse in and out."""
        with pool.desk() as desk:
            profiles = desk.outlet_profiles()
        return page(request, "outlets.html", {"outlets": profiles})

    @app.get("/outlets/{name:path}", response_class=HTMLResponse, include_in_schema=False)
    def outlet_page(request: Request, name: str) -> HTMLResponse:
        """One outlet: articles over time, who it copies and who copies it, the stories it
        covered (first or not), its latest articles and the texts it also ran; 404 for a name
        neither an article nor a sighting carries."""
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
            people = desk.store.people_named(query, limit=search_views.MAX_PEOPLE_FOUND)
            # The stories of the articles found, best hit first: read by id (a handful of rows),
            # where filtering every story by the words cost 80-440 ms on 50,000 articles.
            story_ids = dict.fromkeys(sid for h in hits if (sid := desk.store.story_of(h.article.id)))
            stories = [st for sid in list(story_ids)[:search_views.MAX_STORIES_FOUND] if (st := desk.store.story(sid))]
        context = search_views.search_page(query, hits, people, stories)
        context["limit"] = SEARCH_HITS
        return page(request, "search.html", context)

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str) -> HTMLResponse:
        with pool.desk() as desk:
            built = lookup(lambda: reports.get(desk, story_id), f"no story {story_id!r}")
        key = built.key  # the story's state and its sightings (web/reports.py)

        def render() -> str:
            context = views.story_page(built)
            with pool.desk() as desk:  # the story's corrections, shown under its articles
                context["corrections"] = correction_notes(desk.store, story=built.report.story)
                # A person links to its page when that page answers: facts built before the
                # people step ran hold ids of the story alone, and an identity that lost all
                # its members since is gone (an absorbed id redirects, and is linked).
                known = {p["id"] for p in context["people"] if desk.store.person(p["id"], members=False) is not None}
            for p in context["people"]:
                p["linked"] = p["id"] in known
            return templates.get_template("story.html").render(context)

        html = rendered.get(key, render)
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
            story = desk.store.story(story_id) if story_id else None
            mates = [i for i in (story.article_ids if story else ()) if i != article.id][:views.MAX_COMPARE]
            neighbours = desk.store.articles(ids=mates) if mates else []
            person_of = {e: p.id for p in desk.store.people_of([article.id]) for a, e in p.members if a == article.id}
            notes = correction_notes(desk.store, article_id=article.id)
            sightings = desk.sightings(article.id)
        context = views.article_page(article, analysis, pairs, others, story_id, neighbours, person_of, sightings)
        context["corrections"] = notes
        return page(request, "article.html", context)

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
