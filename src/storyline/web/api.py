"""The REST API: JSON over HTTP for everything the Desk answers, under /api/; the same app
serves the web pages (web/pages.py).

With web/pages.py (and web/errors.py, for its one exception), the only module that imports
the web framework (FastAPI). It holds no analysis logic: each endpoint borrows a Desk (web/pool.py), calls it, and returns the JSON
shapes the command line prints with ``--json`` (storyline/report/json.py).
Every API error is JSON: ``{"error": {"status": N, "message": "..."}}``; errors on pages are
HTML pages with the same status.
"""

from __future__ import annotations

import json
import logging
import threading
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from storyline.desk import AnalysisUnavailable, IngestAborted
from storyline.ingest.files import DEFAULT_MAX_BYTES
from storyline.report import to_html, to_json, to_markdown
from storyline.report.json import (
    analysis_json,
    article_json,
    diff_json,
    identity_json,
    outlet_json,
    pair_json,
    quote_json,
    search_hit_json,
    report_json,
    story_json,
)
from storyline.store import StoreError
from storyline.web.corrections import add_corrections
from storyline.web.guard import ERROR_CSP, LoopbackGuard
from storyline.web.ingest import MAX_ITEMS, RETRY_AFTER_S, GateFull, IngestGate, ingest_items
from storyline.web.errors import WebError, lookup
from storyline.web.limits import MAX_OFFSET, BodyLimit, error_body
from storyline.web.linker import BackgroundLinker
from storyline.web.memo import Memo
from storyline.web.pages import PAGE_CSP, add_pages
from storyline.web.pool import DeskPool
from storyline.web.reports import ReportCache
from storyline.web.rules import DEFAULT_HOST, DEFAULT_PORT, bearer_ok, check_serve_config, is_loopback

log = logging.getLogger("storyline.web")

DEFAULT_MAX_BODY = DEFAULT_MAX_BYTES  # the largest document `storyline ingest` accepts
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
SHUTDOWN_WAIT = 60.0  # seconds a stopping server gives a background linking run to finish
WARM_AFTER_LINKING = 10  # stories whose reports are built after a linking run

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"At most this many (1..{MAX_LIMIT}).")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description=f"Skip this many first (0..{MAX_OFFSET}).")]
ArticleId = Annotated[str, Path(description="An article id or a unique prefix of it.")]

_ARTICLE_BODY = {
    "type": "object",
    "properties": {k: {"type": "string"} for k in ("url", "title", "text", "html", "published", "outlet", "byline")},
    "description": "One article: 'text' or 'html' is required.",
}
_POST_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "oneOf": [_ARTICLE_BODY, {"type": "array", "items": _ARTICLE_BODY, "maxItems": MAX_ITEMS}]}}}}}


def create_app(db: str, *, token: str | None = None, max_body: int = DEFAULT_MAX_BODY,
               host: str = DEFAULT_HOST, warm: int = 0) -> FastAPI:
    """The API over the store ``db`` (SQLite path or postgresql:// URL), opened (and migrated)
    now. With ``token`` POST requests need ``Authorization: Bearer <token>``; ``host`` is where
    the server will listen: beyond loopback a token is required (ServeConfigError otherwise).
    Request bodies over ``max_body`` bytes are refused (413). With ``warm`` the reports of the
    ``warm`` largest stories are built in the background once the server starts."""
    check_serve_config(host, token)
    pool = DeskPool(db)
    pool.open_one()
    reports = ReportCache()

    # People across the store, as stored by the people step (Desk.people first assigns the people
    # of articles analysed since: the only change a new analysis makes), kept per analysis state
    # (Store.analysis_state changes with every stored analysis) so a listing is not re-read.
    people: Memo[list] = Memo(keep=2)

    def merged_people(desk) -> list:
        return people.get(("people", desk.store.analysis_state()), desk.people)

    def warm_linked(desk, article_ids: set[str]) -> None:
        """After linking (which stored the changed stories' facts): read the reports of (at most
        WARM_AFTER_LINKING of) the stories these articles are in now into the cache. Linking has
        assigned their people too; the next people request reads them."""
        stories = dict.fromkeys(s for s in (desk.store.story_of(a) for a in sorted(article_ids)) if s)
        for story_id in list(stories)[:WARM_AFTER_LINKING]:
            reports.get(desk, story_id)

    linker = BackgroundLinker(pool, after=warm_linked)
    gate = IngestGate()

    def warm_largest() -> None:
        try:
            with pool.desk() as desk:
                for story in desk.stories(limit=warm):
                    reports.get(desk, story.id)
                merged_people(desk)
        except Exception as exc:  # noqa: BLE001 - warming is an optimisation; a request will say what is wrong
            log.error("warming the largest stories' reports and the people failed: %s", exc)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        if warm > 0:
            threading.Thread(target=warm_largest, name="storyline-warm", daemon=True).start()
        yield
        # A run cut short is safe (every batch is a transaction), but one that finishes is better.
        await run_in_threadpool(gate.close)
        await run_in_threadpool(linker.wait, SHUTDOWN_WAIT)
        pool.close()

    app = FastAPI(
        title="Storyline", version=_version(),
        description="Articles, analyses, quotes, people, reuse, stories and full-text search.",
        docs_url=None, redoc_url=None, lifespan=lifespan,  # the docs pages load assets from a CDN
    )
    app.state.pool = pool
    app.state.reports = reports
    app.state.linker = linker
    app.state.people = people
    app.state.ingest_gate = gate
    _errors(app)

    @app.middleware("http")
    async def headers(request: Request, call_next):
        response = await call_next(request)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    def borrow():
        return pool.desk()

    @app.get("/api", summary="What this API offers")
    def index() -> JSONResponse:
        paths = sorted({r.path for r in app.routes if getattr(r, "path", "").startswith("/api/")})
        return _json({"name": "storyline", "openapi": "/openapi.json", "endpoints": paths,
                      "linking": linker.busy})

    @app.get("/api/articles", summary="Stored articles in the order first ingested")
    def list_articles(limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> JSONResponse:
        with borrow() as desk:
            found = desk.articles(limit=limit, offset=offset)
        return _page([article_json(a) for a in found], limit, offset)

    @app.get("/api/articles/{article_id}", summary="One article with its analysis")
    def get_article(article_id: ArticleId,
                    raw: Annotated[bool, Query(description="Include the raw input as read.")] = False) -> JSONResponse:
        with borrow() as desk:
            article = lookup(lambda: desk.article(article_id), f"no article {article_id!r}")
            analysis = desk.store.analysis(article.id)
        data = article_json(article, raw=raw)
        data["analysis"] = analysis_json(analysis) if analysis is not None else None
        return _json(data)

    @app.post("/api/articles", summary="Ingest one article or a list of them", status_code=201,
              openapi_extra=_POST_BODY)
    async def post_articles(
        request: Request,
        analyze: Annotated[bool, Query(description="Analyse the new articles once stored.")] = True,
        link: Annotated[bool, Query(description="Then, in the background, find reuse and update the stories "
                                                "(with analyze; GET /api says while it runs).")] = True,
    ) -> JSONResponse:
        if token is not None and not bearer_ok(request.headers.get("authorization"), token):
            raise WebError(401, "a valid 'Authorization: Bearer <token>' header is required to add articles",
                           headers={"WWW-Authenticate": "Bearer"})
        body = await request.body()
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise WebError(400, f"malformed JSON ({getattr(exc, 'msg', 'not UTF-8')})") from None
        except RecursionError:
            raise WebError(400, "malformed JSON (nested too deeply)") from None
        except ValueError as exc:  # an integer of more than 4,300 digits
            raise WebError(400, f"malformed JSON ({exc})") from None
        items = data if isinstance(data, list) else [data]
        if not isinstance(data, (list, dict)):
            raise WebError(422, "expected a JSON object or a list of objects")
        if len(items) > MAX_ITEMS:
            raise WebError(422, f"at most {MAX_ITEMS} articles per request")

        def run() -> list[dict]:
            with borrow() as desk:
                return ingest_items(desk, items, analyze=analyze, max_bytes=max_body)

        try:
            results = await gate.run(run)
        except GateFull as exc:
            raise WebError(429, str(exc), headers={"Retry-After": str(RETRY_AFTER_S)}) from None
        except IngestAborted as exc:
            log.error("ingest failed: %s", exc)
            raise WebError(500, "the store failed while adding articles; articles stored before "
                                "the failure are kept") from None
        counts = {s: sum(r["status"] == s for r in results) for s in ("added", "present", "skipped")}
        linking = bool(analyze and link and counts["added"])
        if linking:
            linker.request(r["id"] for r in results if r["status"] == "added")
        return _json({"items": results, **counts, "linking": linking}, status=201 if counts["added"] else 200)

    @app.get("/api/search", summary="Full-text search over titles and bodies, ranked, with snippets")
    def search(q: Annotated[str, Query(min_length=1, max_length=1000,
                                       description="Words that must all occur (case ignored, stemmed).")],
               limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
               outlet: Annotated[str | None, Query(max_length=200, description="Only this outlet.")] = None,
               since: Annotated[str | None, Query(max_length=40, description="Published on or after (ISO).")] = None,
               person: Annotated[str | None, Query(max_length=200, description="Names a person (part of a name).")] = None,
               story: Annotated[str | None, Query(max_length=64, description="In this story (id or prefix).")] = None,
               ) -> JSONResponse:
        with borrow() as desk:
            hits = lookup(lambda: desk.search_hits(q, outlet=outlet, since=since, person=person, story=story,
                                                   limit=limit, offset=offset), f"no story {story!r}")
        # Each item: the article as listed, plus rank, snippet and highlight offsets.
        items = [article_json(h.article) | {k: v for k, v in search_hit_json(h).items()
                                            if k in ("rank", "snippet", "highlights")} for h in hits]
        return _page(items, limit, offset, q=q)

    @app.get("/api/outlets/{name:path}", summary="One outlet: articles per day, reuse with other outlets, "
             "stories covered with its first day and rank, latest articles")
    def get_outlet(name: Annotated[str, Path(max_length=200, description="The canonical outlet name, exact.")]
                   ) -> JSONResponse:
        with borrow() as desk:
            detail = lookup(lambda: desk.outlet(name), f"no outlet named {name!r}")
        return _json(outlet_json(detail))

    @app.get("/api/stories", summary="Stored stories, largest first")
    def list_stories(limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> JSONResponse:
        with borrow() as desk:
            found = desk.stories(limit=limit, offset=offset)
        return _page([story_json(s) for s in found], limit, offset)

    @app.get("/api/stories/{story_id}", summary="One story: articles, timeline, people, quotes, reuse, findings")
    def get_story(story_id: Annotated[str, Path(description="A story id or a unique prefix of it.")]) -> JSONResponse:
        with borrow() as desk:
            built = lookup(lambda: reports.get(desk, story_id), f"no story {story_id!r}")
        return _json(report_json(built.report))

    @app.get("/api/stories/{story_id}/brief", summary="The story's briefing: every sentence sourced")
    def get_brief(story_id: Annotated[str, Path(description="A story id or a unique prefix of it.")],
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
        return _json(to_json(briefing))

    @app.get("/api/quotes", summary="Stored quotes with their speakers")
    def list_quotes(speaker: Annotated[str | None, Query(description="Full speaker name, case ignored.")] = None,
                    limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> JSONResponse:
        with borrow() as desk:
            found = desk.quotes(speaker, limit=limit, offset=offset)
        return _page([quote_json(q, article=True) for q in found], limit, offset)

    @app.get("/api/people", summary="People named across the articles, merged")
    def list_people(limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> JSONResponse:
        with borrow() as desk:
            found = merged_people(desk)
        return _page([identity_json(i) for i in found[offset:offset + limit]], limit, offset)

    @app.get("/api/reuse", summary="Stored reuse pairs, most covered first")
    def list_reuse(all: Annotated[bool, Query(description="Also pairs judged independent.")] = False,  # noqa: A002
                   article: Annotated[str | None, Query(description="Only pairs involving this article.")] = None,
                   ) -> JSONResponse:
        with borrow() as desk:
            pairs = lookup(lambda: desk.reuse(all=all, article=article), f"no article {article!r}")
            ids = sorted({i for p in pairs for i in (p.source_id, p.derived_id)})
            titles = {a.id: a for a in desk.store.articles(ids=ids)}
        return _json([pair_json(p, titles) for p in pairs])

    @app.get("/api/diff/{a}/{b}", summary="Compare two articles: aligned sentences and changes")
    def diff(a: ArticleId, b: ArticleId) -> JSONResponse:
        with borrow() as desk:
            try:
                source, derived, pair = lookup(lambda: desk.diff(a, b), "no such article")
            except AnalysisUnavailable as exc:
                log.error("diff: %s", exc)
                raise WebError(503, "the analyzer is not available on this server") from None
        return _json(diff_json(source, derived, pair))

    add_pages(app, pool, reports)
    add_corrections(app, pool, token)
    # Added last, so outermost: bodies are capped before anything reads them.
    app.add_middleware(BodyLimit, max_body=max_body)
    if is_loopback(host):  # outermost of all: a refused request is not read at all
        app.add_middleware(LoopbackGuard)
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("storyline")
    except PackageNotFoundError:
        return "0"


def _json(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)


def _page(items: list, limit: int, offset: int, **extra: Any) -> JSONResponse:
    return _json({**extra, "items": items, "limit": limit, "offset": offset, "count": len(items)})


def _error(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse(json.loads(error_body(status, message)), status_code=status, headers=headers)


def _errors(app: FastAPI) -> None:
    def answer(request: Request, status: int, message: str, headers: dict | None = None) -> Response:
        """JSON under /api/ (and for the spec), an HTML page anywhere else; either with the
        security headers, which a 500 (answered outside the middleware) would otherwise lack."""
        path = request.url.path
        html_error = getattr(request.app.state, "html_error", None)
        if html_error is None or path == "/api" or path.startswith(("/api/", "/openapi")):
            response = _error(status, message, headers)
        else:
            response = html_error(request, status, message)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers.setdefault("Content-Security-Policy", PAGE_CSP if html_error else ERROR_CSP.decode())
        return response

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return answer(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ())[1:]) or "request"
            parts.append(f"{where}: {e.get('msg', 'invalid')}")
        return answer(request, 422, "; ".join(parts) or "invalid request")

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        log.error("store error: %s", exc)  # the details (paths, SQL) stay in the server log
        return answer(request, 500, "the store could not answer; see the server log")

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        # Any other failure: the traceback goes to the server log, never to the client.
        log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
        return answer(request, 500, "internal error; see the server log")


def serve(db: str | None, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, token: str | None = None,
          max_body: int = DEFAULT_MAX_BODY, warm: int = 0) -> None:
    """Run the API with uvicorn until interrupted (ServeConfigError, StoreError before it starts)."""
    import os

    import uvicorn

    from storyline.store import DEFAULT_DB

    check_serve_config(host, token)
    target = db or os.environ.get("STORYLINE_DB") or DEFAULT_DB
    uvicorn.run(create_app(target, token=token, max_body=max_body, host=host, warm=warm), host=host, port=port,
                log_level="info")
