"""A real local HTTP server for fetch tests and the fetch benchmark: routes set per test (pages,
feeds, robots.txt, redirects, slow and failing paths), every request logged."""

from __future__ import annotations

import http.server
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None  # answered with 304 when the request's If-None-Match matches
    delay_s: float = 0.0  # before answering
    fail_first: int = 0  # answer 503 this many times first
    drip_s: float = 0.0  # send the body 1 KB at a time, this long apart (a slow-drip server)


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    at: float


class Site:
    """``Site().start()``: serves ``routes`` on 127.0.0.1; ``base`` is its URL, ``hits`` the log."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self._server: http.server.ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def paths_hit(self) -> list[str]:
        with self._lock:
            return [h.path for h in self.hits]

    def start(self) -> Site:
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                with site._lock:
                    site.hits.append(Hit(self.path, dict(self.headers), time.monotonic()))
                    route = site.routes.get(self.path)
                    failing = route is not None and route.fail_first > 0
                    if failing:
                        route.fail_first -= 1
                if route is None:
                    return self._answer(404, b"not here", "text/plain", {})
                if route.delay_s:
                    time.sleep(route.delay_s)
                if failing:
                    return self._answer(503, b"busy", "text/plain", {"Retry-After": "0"})
                headers = dict(route.headers)
                if route.etag:
                    headers["ETag"] = route.etag
                    if self.headers.get("If-None-Match") == route.etag:
                        return self._answer(304, b"", None, headers)
                self._answer(route.status, route.body, route.content_type, headers, route.drip_s)

            def _answer(self, status: int, body: bytes, content_type: str | None, headers: dict,
                        drip_s: float = 0.0) -> None:
                try:
                    self.send_response(status)
                    if content_type:
                        self.send_header("Content-Type", content_type)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    for at in range(0, len(body), 1024 if drip_s else max(len(body), 1)):
                        self.wfile.write(body[at: at + (1024 if drip_s else len(body))])
                        if drip_s:
                            self.wfile.flush()
                            time.sleep(drip_s)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


def article_page(title: str, outlet: str = "Port News", published: str = "2026-04-02T10:00:00Z",
                 paragraphs: int = 6) -> bytes:
    """A news page with a headline, metadata, navigation and a footer around the story."""
    text = "".join(
        f"<p>Paragraph {i} of {title.lower()} explains how the harbour authority will spend its new "
        f"maintenance budget over the coming years, according to officials at the port.</p>"
        for i in range(paragraphs))
    return (f"<!doctype html><html><head><title>{title} | {outlet}</title>"
            f'<meta property="og:site_name" content="{outlet}">'
            f'<meta property="article:published_time" content="{published}"></head><body>'
            f"<nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{text}</article>"
            f"<footer>Copyright {outlet}</footer></body></html>").encode()


def rss(title: str, items: list[tuple[str, str]]) -> bytes:
    """An RSS feed whose entries (title, link) carry only a teaser."""
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><description>Short teaser.</description>"
        f"<pubDate>Thu, 02 Apr 2026 10:00:00 GMT</pubDate></item>" for t, link in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{entries}'
            f"</channel></rss>").encode()
