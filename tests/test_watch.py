"""Watching feeds against a real local HTTP server: two poll cycles add only what is new, a
failing feed is recorded and the watch goes on, feed lists move in and out as OPML."""

from __future__ import annotations

import json

import pytest

import storyline
from helpers import run_cli
from http_site import Route, Site, article_page, rss
from storyline.ingest.fetch import FetchPolicy

FAST = FetchPolicy(delay_s=0.0, backoff_s=0.01, timeout_s=5.0, retries=0, allow_private=True)


@pytest.fixture
def site():
    s = Site().start()
    yield s
    s.stop()


def port_feed(site, names):
    return Route(rss("Port News", [(f"Story {n}", f"{site.base}/{n}.html") for n in names]),
                 content_type="application/rss+xml", etag=f'"{"-".join(names)}"')


def test_two_polls_add_only_new_entries_and_a_failing_feed_does_not_stop_the_watch(site, tmp_path):
    for name in ("one", "two", "three"):
        site.routes[f"/{name}.html"] = Route(article_page(f"Story {name}"))
    site.routes["/port.xml"] = port_feed(site, ["one", "two"])
    site.routes["/broken.xml"] = Route(b"down", status=500, content_type="text/plain")
    feeds = [f"{site.base}/port.xml", f"{site.base}/broken.xml"]
    hits_per_cycle = []

    def between_polls(report):
        hits_per_cycle.append(sorted(p for p in site.paths_hit() if p.endswith(".html")))
        site.hits.clear()
        site.routes["/port.xml"] = port_feed(site, ["three", "one", "two"])  # a new entry arrives

    with storyline.open(tmp_path / "s.db") as desk:
        reports = desk.watch(feeds, every_s=0, cycles=2, link=False, analyze=False, fetch_policy=FAST,
                             on_cycle=between_polls)
        assert [r.error for r in reports] == [None, None]
        assert [len(r.ingest.added) for r in reports] == [2, 1]
        assert hits_per_cycle == [["/one.html", "/two.html"], ["/three.html"]]
        assert sorted(a.title for a in desk.articles()) == ["Story one", "Story three", "Story two"]
        port, broken = sorted(desk.feeds(), key=lambda f: f.url != feeds[0])
    assert port.title == "Port News" and port.entries == 3 and port.articles == 3 and port.articles_7d == 3
    assert port.last_success and port.last_error is None
    assert broken.last_success is None and broken.last_error == "HTTP 500" and broken.last_error_at


def test_watch_command_polls_and_feeds_lists_and_exports(site, tmp_path):
    site.routes["/one.html"] = Route(article_page("Story one"))
    site.routes["/port.xml"] = port_feed(site, ["one"])
    listed = tmp_path / "feeds.txt"
    listed.write_text(f"# our feeds\n{site.base}/port.xml Port News\nfile:///etc/passwd\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    env = {"STORYLINE_ALLOW_PRIVATE": "1"}
    done = run_cli("watch", str(listed), "--db", db, "--every", "0s", "--cycles", "2", "--no-link", "--no-analyze",
                   "--delay", "0", "--json", env=env)
    assert done.returncode == 0, done.stderr
    cycles = [json.loads(line) for line in done.stdout.splitlines()]
    assert [len(c["added"]) for c in cycles] == [1, 0] and cycles[1]["not_modified"] == 1
    feeds = json.loads(run_cli("feeds", "--db", db, "--json").stdout)
    assert [(f["url"], f["title"], f["articles"]) for f in feeds] == [(f"{site.base}/port.xml", "Port News", 1)]
    assert feeds[0]["articles_per_day"] == round(1 / 7, 2) and feeds[0]["last_error"] is None
    # OPML out of one store and into another.
    exported = run_cli("feeds", "--db", db, "--export", "-")
    assert exported.returncode == 0 and f'xmlUrl="{site.base}/port.xml"' in exported.stdout
    (tmp_path / "feeds.opml").write_text(exported.stdout, encoding="utf-8")
    other = str(tmp_path / "other.db")
    imported = run_cli("feeds", "--db", other, "--import", str(tmp_path / "feeds.opml"), "--json")
    assert imported.returncode == 0 and "1 feed added" in imported.stderr
    assert [f["title"] for f in json.loads(imported.stdout)] == ["Port News"]


def test_bad_feed_lists_are_refused_with_the_reason(tmp_path):
    bad = tmp_path / "bad.opml"
    bad.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><opml><body><outline ', encoding="utf-8")
    done = run_cli("watch", str(bad), "--db", str(tmp_path / "s.db"), "--cycles", "1")
    assert done.returncode == 2 and "bad.opml: not a readable OPML file" in done.stderr
    done = run_cli("watch", str(tmp_path / "none.txt"), "--db", str(tmp_path / "s.db"), "--every", "soon")
    assert done.returncode == 2 and "not a duration" in done.stderr


@pytest.mark.slow
def test_a_watch_links_what_it_adds_into_stories(site, tmp_path):
    for name in ("one", "two"):
        site.routes[f"/{name}.html"] = Route(article_page(f"Harbour budget {name}"))
    site.routes["/port.xml"] = port_feed(site, ["one", "two"])
    with storyline.open(tmp_path / "s.db") as desk:
        [report] = desk.watch([f"{site.base}/port.xml"], every_s=0, cycles=1, fetch_policy=FAST)
        assert report.error is None and len(report.ingest.added) == 2
        stories = desk.stories()
        assert stories and sum(len(s.article_ids) for s in stories) == 2  # both articles linked into stories
        assert desk.store.unanalysed() == []
