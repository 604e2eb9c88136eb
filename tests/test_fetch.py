"""Link-only feed entries: recorded, and fetched only with --fetch (from a loopback server,
allowed by STORYLINE_ALLOW_PRIVATE=1)."""

from __future__ import annotations

import http.server
import threading
from functools import partial

import pytest

import storyline

PARAGRAPHS = [
    f"Paragraph {i} of the linked report explains how the harbour authority will spend its "
    f"new maintenance budget over the coming years, according to officials at the port. " * 2
    for i in range(8)
]
PAGE = (
    "<!doctype html><html><head><title>Harbour budget report | Port News</title>"
    '<meta property="og:site_name" content="Port News">'
    '<meta property="article:published_time" content="2026-04-02T10:00:00Z"></head><body>'
    "<nav><a href='/'>Home</a> <a href='/sport'>Sport</a></nav>"
    "<article><h1>Harbour budget report</h1>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    + "</article><footer>Copyright Port News</footer></body></html>"
)


@pytest.fixture
def site(tmp_path):
    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "report.html").write_text(PAGE, encoding="utf-8")
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "www"))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def feed(base: str) -> str:
    items = "".join(
        f"<item><title>{title}</title><link>{base}/{path}</link>"
        f"<description>Short teaser.</description><pubDate>Thu, 02 Apr 2026 10:00:00 GMT</pubDate></item>"
        for title, path in [("Harbour budget report", "report.html"), ("Gone", "missing.html")]
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Port News</title>{items}</channel></rss>'


def test_links_are_recorded_not_fetched_by_default(site, tmp_path):
    (tmp_path / "port.rss").write_text(feed(site), encoding="utf-8")
    with storyline.open(tmp_path / "s.db") as desk:
        report = desk.ingest([tmp_path / "port.rss"])
        assert report.added == [] and report.links_seen == 2 and report.links_new == 2
        assert report.read_anything
        assert [link.url for link in desk.links()] == [f"{site}/report.html", f"{site}/missing.html"]
        assert desk.articles() == []


def test_fetch_refuses_loopback_links_unless_allowed(site, tmp_path):
    (tmp_path / "port.rss").write_text(feed(site), encoding="utf-8")
    with storyline.open(tmp_path / "s.db") as desk:
        report = desk.ingest([tmp_path / "port.rss"], fetch=True, analyze=False)
    assert report.added == [] and len(report.problems) == 2
    assert all("non-public address 127.0.0.1" in p.reason for p in report.problems)


def test_fetch_ingests_linked_pages(site, tmp_path, monkeypatch):
    monkeypatch.setenv("STORYLINE_ALLOW_PRIVATE", "1")
    (tmp_path / "port.rss").write_text(feed(site), encoding="utf-8")
    with storyline.open(tmp_path / "s.db") as desk:
        report = desk.ingest([tmp_path / "port.rss"], fetch=True)
        assert len(report.added) == 1
        [problem] = report.problems
        assert problem.source == f"{site}/missing.html" and "HTTP 404" in problem.reason
        [article] = desk.articles()
        assert article.url == f"{site}/report.html"
        assert article.title == "Harbour budget report"
        assert article.published.startswith("2026-04-02")
        assert "Paragraph 7 of the linked report" in article.body
        assert "Home" not in article.body and "Copyright" not in article.body
