"""The fetching part of the Store contract (migration 011): fetch records and watched feeds
round-trip, are matched by normalised URL, and failed pages come back when due."""

from __future__ import annotations

import dataclasses

from storyline.store.base import now
from storyline.store.records import FeedRecord, FetchRecord
from test_contract import make_article


def test_fetch_records_round_trip_by_normalised_url(any_store):
    ok = FetchRecord("https://www.example.org/a?utm_source=x", "ok", "2026-01-02T00:00:00+00:00",
                     etag='"abc"', last_modified="Thu, 01 Jan 2026 00:00:00 GMT",
                     feed="https://example.org/feed.xml")
    any_store.put_fetches([ok])
    # The same page under tracking noise and another scheme finds the same record.
    found = any_store.fetches(["http://example.org/a", "https://example.org/never"])
    assert found == {"http://example.org/a": ok}
    # A later record of the same page replaces it.
    again = ok._replace(status="not_modified", fetched_at="2026-01-03T00:00:00+00:00")
    any_store.put_fetches([again])
    assert any_store.fetches([ok.url]) == {ok.url: again}


def test_failed_fetches_come_back_when_due(any_store):
    soon = FetchRecord("https://example.org/soon", "failed", "2026-01-01T00:00:00+00:00",
                       reason="HTTP 503", attempts=1, next_try="2026-01-01T00:15:00+00:00")
    later = FetchRecord("https://example.org/later", "failed", "2026-01-01T00:00:00+00:00",
                        reason="timed out", attempts=3, next_try="2026-01-02T00:00:00+00:00")
    fine = FetchRecord("https://example.org/fine", "ok", "2026-01-01T00:00:00+00:00")
    any_store.put_fetches([later, fine, soon])
    assert any_store.failed_fetches() == [soon, later]
    assert any_store.failed_fetches("2026-01-01T12:00:00+00:00") == [soon]
    any_store.put_fetches([soon._replace(status="ok", attempts=0, next_try=None, reason=None)])
    assert any_store.failed_fetches() == [later]


def test_feeds_keep_their_first_added_time_and_count_recent_articles(any_store):
    url = "https://example.org/feed.xml"
    first = FeedRecord(url, added_at="2026-01-01T00:00:00+00:00", title="Example")
    any_store.put_feeds([first])
    polled = FeedRecord(url, added_at="2026-02-01T00:00:00+00:00", title="Example", last_polled=now(),
                        last_success=now(), entries=3, articles=2)
    any_store.put_feeds([polled, FeedRecord("https://other.example/rss", added_at=now())])
    recent = [dataclasses.replace(make_article(f"Entry {i} of the feed.", url=f"https://example.org/{i}"),
                                  ingested_at=now()) for i in range(2)]
    old = make_article("An entry from long ago.", url="https://example.org/old")  # ingested 2026-01-01
    other = make_article("An article from a file.", url="https://example.org/file")
    any_store.add_articles([dataclasses.replace(a, source=url) for a in [*recent, old]] + [other])
    found = any_store.feeds()
    assert [f.url for f in found] == [url, "https://other.example/rss"]
    assert found[0] == polled._replace(added_at="2026-01-01T00:00:00+00:00", articles_7d=2)
    assert found[1].articles_7d == 0 and found[1].last_success is None
