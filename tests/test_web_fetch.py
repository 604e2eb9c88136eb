"""Fetching from the web against a real local HTTP server: pages, feeds, robots.txt, redirects,
conditional requests, slow and failing hosts, and the address and size limits."""

from __future__ import annotations

import time

import pytest

import storyline
from http_site import Route, Site, article_page, rss
from storyline.ingest.fetch import Fetcher, FetchPolicy
from storyline.store.records import FetchRecord

FAST = dict(delay_s=0.0, backoff_s=0.01, timeout_s=5.0, allow_private=True)


@pytest.fixture
def site():
    s = Site().start()
    yield s
    s.stop()


def ingest(db, urls, **policy):
    with storyline.open(db) as desk:
        return desk.ingest(urls, analyze=False, fetch_policy=FetchPolicy(**{**FAST, **policy}))


def test_loopback_and_non_http_are_refused_unless_allowed(site):
    site.routes["/a.html"] = Route(article_page("Harbour budget"))
    with Fetcher(FetchPolicy(delay_s=0)) as fetcher:
        got = fetcher.fetch(f"{site.base}/a.html")
        assert got.status == "failed" and "non-public address 127.0.0.1" in got.reason
        assert "--allow-private" in got.reason and got.permanent
        for url in ("file:///etc/passwd", "ftp://example.org/x", "gopher://example.org/"):
            refused = fetcher.fetch(url)
            assert refused.status == "failed" and "only http(s)" in refused.reason
    assert site.hits == []  # nothing reached the server
    with Fetcher(FetchPolicy(**FAST)) as fetcher:
        assert fetcher.fetch(f"{site.base}/a.html").status == "ok"


def test_a_page_url_becomes_an_article(site, tmp_path):
    site.routes["/news/harbour.html"] = Route(article_page("Harbour budget report"))
    report = ingest(tmp_path / "s.db", [f"{site.base}/news/harbour.html"])
    assert len(report.added) == 1 and report.fetched == 1 and not report.problems
    with storyline.open(tmp_path / "s.db") as desk:
        [article] = desk.articles()
    assert article.url == f"{site.base}/news/harbour.html" and article.source == article.url
    assert article.title == "Harbour budget report" and article.published.startswith("2026-04-02")
    assert "Paragraph 5 of harbour budget report" in article.body and "Copyright" not in article.body


def test_a_feed_has_every_entry_page_fetched_and_only_new_entries_next_time(site, tmp_path):
    base = site.base
    for name in ("one", "two", "three"):
        site.routes[f"/{name}.html"] = Route(article_page(f"Story {name}"))
    site.routes["/feed.xml"] = Route(rss("Port News", [("Story one", f"{base}/one.html"),
                                                       ("Story two", f"{base}/two.html")]),
                                     content_type="application/rss+xml", etag='"v1"')
    db = tmp_path / "s.db"
    first = ingest(db, [f"{base}/feed.xml"])
    assert len(first.added) == 2 and first.added_by_source == {f"{base}/feed.xml": 2}
    assert first.outcomes[f"{base}/feed.xml"].entries == 2
    # Unchanged feed: a conditional request answered 304, no entry fetched again.
    site.hits.clear()
    again = ingest(db, [f"{base}/feed.xml"])
    assert again.added == [] and again.not_modified == 1 and again.read_anything
    pages = [h for h in site.hits if h.path != "/robots.txt"]
    assert [h.path for h in pages] == ["/feed.xml"] and pages[0].headers.get("If-None-Match") == '"v1"'
    # A new entry: only its page is fetched.
    site.routes["/feed.xml"] = Route(rss("Port News", [("Story three", f"{base}/three.html"),
                                                       ("Story one", f"{base}/one.html"),
                                                       ("Story two", f"{base}/two.html")]),
                                     content_type="application/rss+xml", etag='"v2"')
    site.hits.clear()
    third = ingest(db, [f"{base}/feed.xml"])
    assert len(third.added) == 1
    assert sorted(site.paths_hit()) == ["/feed.xml", "/robots.txt", "/three.html"]
    with storyline.open(db) as desk:
        assert sorted(a.title for a in desk.articles()) == ["Story one", "Story three", "Story two"]
        assert all(a.source == f"{base}/feed.xml" for a in desk.articles())


def test_robots_txt_is_obeyed_and_its_crawl_delay_kept(site, tmp_path):
    site.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\nCrawl-delay: 1\n",
                                       content_type="text/plain")
    site.routes["/private/memo.html"] = Route(article_page("Private memo"))
    site.routes["/a.html"] = Route(article_page("Story a"))
    site.routes["/b.html"] = Route(article_page("Story b"))
    report = ingest(tmp_path / "s.db", [f"{site.base}/private/memo.html", f"{site.base}/a.html",
                                        f"{site.base}/b.html"])
    assert len(report.added) == 2
    [problem] = report.problems
    assert problem.source.endswith("/private/memo.html") and "disallowed by robots.txt" in problem.reason
    assert "/private/memo.html" not in site.paths_hit()
    starts = [h.at for h in site.hits if h.path != "/robots.txt"]
    assert min(b - a for a, b in zip(starts, starts[1:])) >= 0.9  # Crawl-delay: 1 (second), one host
    with storyline.open(tmp_path / "s.db") as desk:
        [failed] = desk.store.failed_fetches()
    assert failed.reason == "disallowed by robots.txt" and failed.attempts == 1 and failed.next_try


def test_unreachable_robots_txt_keeps_off_the_host(site, tmp_path):
    site.routes["/robots.txt"] = Route(b"down", status=500, content_type="text/plain")
    site.routes["/a.html"] = Route(article_page("Story a"))
    report = ingest(tmp_path / "s.db", [f"{site.base}/a.html"], retries=0)
    assert report.added == [] and "robots.txt could not be read (HTTP 500)" in report.problems[0].reason
    assert "/a.html" not in site.paths_hit()


def test_redirects_are_followed_within_the_limit(site, tmp_path):
    site.routes["/old"] = Route(status=301, headers={"Location": "/new.html"})
    site.routes["/new.html"] = Route(article_page("Moved story"))
    site.routes["/loop"] = Route(status=302, headers={"Location": "/loop"})
    report = ingest(tmp_path / "s.db", [f"{site.base}/old", f"{site.base}/loop"], max_redirects=3)
    assert len(report.added) == 1
    [problem] = report.problems
    assert problem.source.endswith("/loop") and "more than 3 redirects" in problem.reason
    assert site.paths_hit().count("/loop") == 4
    with storyline.open(tmp_path / "s.db") as desk:
        assert desk.articles()[0].url == f"{site.base}/new.html"


def test_a_failing_host_is_retried_with_back_off(site, tmp_path):
    site.routes["/busy.html"] = Route(article_page("Busy story"), fail_first=2)
    report = ingest(tmp_path / "s.db", [f"{site.base}/busy.html"], retries=2)
    assert len(report.added) == 1 and site.paths_hit().count("/busy.html") == 3


def test_a_slow_page_fails_is_recorded_and_is_retried_later(site, tmp_path):
    db = tmp_path / "s.db"
    site.routes["/slow.html"] = Route(article_page("Slow story"), delay_s=1.5)
    site.routes["/fast.html"] = Route(article_page("Fast story"))
    report = ingest(db, [f"{site.base}/slow.html", f"{site.base}/fast.html"], timeout_s=0.5, retries=0)
    assert len(report.added) == 1
    [problem] = report.problems
    assert "timed out" in problem.reason
    with storyline.open(db) as desk:
        [failed] = desk.store.failed_fetches()
        assert failed.url.endswith("/slow.html") and failed.next_try > failed.fetched_at
        # Not due yet: a retry run leaves it alone.
        assert desk.ingest([], analyze=False, retry_failed=True,
                           fetch_policy=FetchPolicy(**FAST)).fetched == 0
        # Once due (and the host quick again) it is fetched and stored.
        desk.store.put_fetches([failed._replace(next_try="2000-01-01T00:00:00+00:00")])
        site.routes["/slow.html"].delay_s = 0
        retried = desk.ingest([], analyze=False, retry_failed=True, fetch_policy=FetchPolicy(**FAST))
        assert len(retried.added) == 1 and desk.store.failed_fetches() == []
        assert desk.store.fetches([failed.url])[failed.url].status == "ok"


def test_size_and_content_type_limits(site, tmp_path):
    site.routes["/big.html"] = Route(b"<p>" + b"x" * 50_000 + b"</p>")
    site.routes["/paper.pdf"] = Route(b"%PDF-1.4", content_type="application/pdf")
    report = ingest(tmp_path / "s.db", [f"{site.base}/big.html", f"{site.base}/paper.pdf"], max_bytes=10_000)
    reasons = sorted(p.reason for p in report.problems)
    assert "larger than the 10,000-byte cap" in reasons[0]
    assert "not a page or a feed (served as application/pdf)" in reasons[1]
    assert report.added == [] and not report.read_anything


def test_per_host_limit_spaces_request_starts(site):
    for i in range(4):
        site.routes[f"/{i}.html"] = Route(article_page(f"Story {i}"))
    policy = FetchPolicy(**{**FAST, "delay_s": 0.2, "per_host": 1, "robots": False})
    with Fetcher(policy) as fetcher:
        results = list(fetcher.fetch_all(f"{site.base}/{i}.html" for i in range(4)))
    assert [r.status for r in results] == ["ok"] * 4
    assert [r.url for r in results] == [f"{site.base}/{i}.html" for i in range(4)]  # in the order asked
    starts = sorted(h.at for h in site.hits)
    assert min(b - a for a, b in zip(starts, starts[1:])) >= 0.18


def test_failures_back_off_longer_each_time(site, tmp_path):
    db = tmp_path / "s.db"
    site.routes["/robots.txt"] = Route(b"", status=404)
    url = f"{site.base}/down.html"
    site.routes["/down.html"] = Route(b"down", status=502)
    ingest(db, [url], retries=0)
    with storyline.open(db) as desk:
        first = desk.store.fetches([url])[url]
        desk.store.put_fetches([first._replace(next_try="2000-01-01T00:00:00+00:00")])
        desk.ingest([], analyze=False, retry_failed=True, fetch_policy=FetchPolicy(**{**FAST, "retries": 0}))
        second = desk.store.fetches([url])[url]
    assert (first.attempts, second.attempts) == (1, 2) and second.reason == "HTTP 502"
    assert isinstance(second, FetchRecord) and second.next_try > first.next_try


def test_a_dripping_page_is_cut_off_at_the_time_limit(site):
    site.routes["/drip.html"] = Route(article_page("Drip", paragraphs=60), drip_s=0.25)  # ~10 KB: ~2.5 s
    with Fetcher(FetchPolicy(**{**FAST, "timeout_s": 0.6, "retries": 0, "robots": False})) as fetcher:
        started = time.monotonic()
        got = fetcher.fetch(f"{site.base}/drip.html")
    assert got.status == "failed" and "took longer than 0.6 s" in got.reason
    assert time.monotonic() - started < 2.0  # not the ~2.5 s the whole page would take
