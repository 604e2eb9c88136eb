"""The REST API: JSON over HTTP for everything the Desk answers, under /api/v1/; the same app
serves the web pages (web/pages.py).

/api/v1/ is the one canonical prefix; an old path under /api/ answers a permanent redirect (308,
method, body and query kept) to the same path under /api/v1/. Read routes are in
web/api_reads.py (every list in one envelope with totals and next/prev links, summaries in
lists, ETags; web/paging.py), exports in web/api_exports.py, the response models that make
/openapi.json complete in web/models.py.

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
from typing import Annotated

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.routing import Match

from storyline.desk import IngestAborted
from storyline.ingest.files import DEFAULT_MAX_BYTES
from storyline.store import StoreError
from storyline.web.corrections import add_corrections
from storyline.web.guard import ERROR_CSP, LoopbackGuard
from storyline.web.ingest import MAX_ITEMS, RETRY_AFTER_S, GateFull, IngestGate, ingest_items
from storyline.web.api_exports import add_exports
from storyline.web.api_reads import V1, add_reads, answer, doc
from storyline.web.errors import WebError
from storyline.web.limits import MAX_OFFSET, BodyLimit, error_body  # noqa: F401 - MAX_OFFSET: tests import it here
from storyline.web.linker import BackgroundLinker
from storyline.web.memo import Memo
from storyline.web.models import IngestResult
from storyline.web.pages import PAGE_CSP, add_pages
from storyline.web.pool import DeskPool
from storyline.web.reports import ReportCache
from storyline.web.rules import DEFAULT_HOST, DEFAULT_PORT, bearer_ok, check_serve_config, is_loopback

log = logging.getLogger("storyline.web")

DEFAULT_MAX_BODY = DEFAULT_MAX_BYTES  # the largest document `storyline ingest` accepts
_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
SHUTDOWN_WAIT = 60.0  # seconds a stopping server gives a background linking run to finish
WARM_AFTER_LINKING = 10  # stories whose reports are built after a linking run

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

    # The people list reads a page of stored identities; before it, the people step assigns the
    # people of articles analysed since (the only change a new analysis makes), once per analysis
    # state (Store.analysis_state changes with every stored analysis), not on every request.
    people: Memo[object] = Memo(keep=2)

    def link_people(desk) -> None:
        people.get(("people", desk.store.analysis_state()), lambda: desk.link(["people"]))

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
                link_people(desk)
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

    def index() -> dict:
        paths = sorted({r.path for r in app.routes if getattr(r, "path", "").startswith(V1 + "/")})
        return {"name": "storyline", "version": "v1", "openapi": "/openapi.json", "endpoints": paths,
                "linking": linker.busy}

    add_reads(app, borrow, reports, link_people, index)
    add_exports(app, borrow)

    @app.post(f"{V1}/articles", summary="Ingest one article or a list of them", status_code=201,
              openapi_extra=_POST_BODY, responses={**doc(IngestResult, status=201, cached=False),
                                                   200: {"model": IngestResult, "description": "Nothing new added."}})
    async def post_articles(
        request: Request,
        analyze: Annotated[bool, Query(description="Analyse the new articles once stored.")] = True,
        link: Annotated[bool, Query(description="Then, in the background, find reuse and update the stories "
                                                "(with analyze; GET /api/v1 says while it runs).")] = True,
    ) -> Response:
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
        counts["sightings"] = sum(bool(r.get("sighting")) for r in results)
        linking = bool(analyze and link and counts["added"])
        if linking:
            linker.request(r["id"] for r in results if r["status"] == "added")
        return answer(request, {"items": results, **counts, "linking": linking},
                      status=201 if counts["added"] else 200)

    # Before the catch-all below, which would otherwise answer /api/v1/corrections with a 404.
    add_corrections(app, pool, token)

    @app.api_route("/api", methods=_METHODS, include_in_schema=False)
    @app.api_route("/api/{rest:path}", methods=_METHODS, include_in_schema=False)
    def moved(request: Request, rest: str = "") -> Response:
        """The paths before /api/v1: a permanent redirect, method and query kept."""
        if rest == "v1" or rest.startswith("v1/"):  # not a v1 route, or not with this method
            known = any(getattr(r, "path", "").startswith(V1) and r.matches(request.scope)[0] is Match.PARTIAL
                        for r in app.routes)
            if known:
                raise WebError(405, "Method Not Allowed")
            raise WebError(404, f"no such endpoint: {request.url.path} (see GET {V1})")
        raw = request.scope.get("raw_path") or request.url.path.encode()
        target = V1 + raw.decode("latin-1").removeprefix("/api")
        if request.url.query:
            target += "?" + request.url.query
        return RedirectResponse(target, status_code=308)

    add_pages(app, pool, reports)
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
