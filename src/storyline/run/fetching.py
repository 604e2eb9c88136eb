"""Inputs from the web: pages, feeds (every entry's page fetched) and failed pages again when due.

What each URL answered is recorded in the store (``put_fetches``): validators for the next
conditional request, and for a failure its reason and when it is due again (back-off from 15
minutes, doubling, to a day; a week for failures a retry cannot mend soon, such as robots.txt or
a 404). A success is recorded only once the batch holding its article is committed
(:meth:`WebSource.commit`), so a killed run never marks a page fetched whose article was lost.

A feed entry already fetched is not fetched again: a watch adds only what is new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from storyline.ingest.feeds import Entry, brief, feed_entries
from storyline.ingest.fetch import Fetched, Fetcher, FetchRequest, looks_like_feed
from storyline.records import Problem, RawDocument
from storyline.run.common import Progress
from storyline.store import Store
from storyline.store.base import now
from storyline.store.records import FetchRecord

RETRY_FIRST_S = 15 * 60
RETRY_MAX_S = 24 * 3600
RETRY_PERMANENT_S = 7 * 24 * 3600


@dataclass(slots=True)
class UrlOutcome:
    """One URL asked for in a run: a feed's title and entries, whether it had not changed since
    the last fetch, or why it could not be read."""

    url: str
    title: str | None = None
    entries: int = 0
    not_modified: bool = False
    error: str | None = None


def is_url(value: object) -> bool:
    """Whether an ingest input names a URL (any scheme: only http(s) is then fetched)."""
    text = str(value)
    scheme, sep, _ = text.partition("://")
    return bool(sep) and scheme.isalpha() and isinstance(value, str)


class WebSource:
    """Fetch URLs for one ingest run, yielding raw documents and problems; keeps the outcome of
    each URL asked for (``outcomes``) and counts (``fetched``, ``not_modified``)."""

    def __init__(self, store: Store, fetcher: Fetcher):
        self.store = store
        self.fetcher = fetcher
        self.outcomes: dict[str, UrlOutcome] = {}
        self.fetched = 0
        self.not_modified = 0
        self._pending: list[FetchRecord] = []

    def commit(self) -> None:
        """Record the successes whose articles are now stored (called after each batch)."""
        if self._pending:
            self.store.put_fetches(self._pending)
            self._pending = []

    def documents(self, urls: Sequence[str], *, retry_failed: bool = False,
                  progress: Progress | None = None) -> Iterator[RawDocument | Problem]:
        """Every page and feed entry of ``urls``; with ``retry_failed``, also the pages whose
        fetch failed earlier and is due again."""
        urls = list(dict.fromkeys(urls))
        asked = set(urls)
        feeds_of: dict[str, str | None] = dict.fromkeys(urls)
        if retry_failed:
            for record in self.store.failed_fetches(now()):
                feeds_of.setdefault(record.url, record.feed)
        known = self.store.fetches(list(feeds_of))
        requests = [_conditional(url, known.get(url)) for url in feeds_of]
        for done, got in enumerate(self.fetcher.fetch_all(requests), start=1):
            if progress:
                progress(done, len(requests), got.url)
            feed = feeds_of[got.url]
            if got.url in asked:
                self.outcomes[got.url] = UrlOutcome(got.url, not_modified=got.status == "not_modified",
                                                    error=got.reason if got.status == "failed" else None)
            earlier = known.get(got.url)
            if got.status != "ok" or got.data is None:
                yield from self._not_ok(got, earlier, feed)
            elif looks_like_feed(got.content_type, got.data):
                # The feed's validators are recorded only after all its entries: a run killed
                # midway must not make the next poll skip the entries it never stored.
                record = self._succeeded(got, feed)
                yield from self._feed(got, progress)
                self._pending.append(record)
            else:
                self._pending.append(self._succeeded(got, feed))
                yield _page(got, source=feed or got.url, meta={})

    def _feed(self, got: Fetched, progress: Progress | None) -> Iterator[RawDocument | Problem]:
        outcome = self.outcomes.setdefault(got.url, UrlOutcome(got.url))
        entries: list[Entry] = []
        for item in feed_entries(got.data or b"", got.url):
            if isinstance(item, Problem):
                yield item
            else:
                entries.append(item)
        outcome.entries = len(entries)
        outcome.title = next((e.meta["outlet"] for e in entries if e.meta.get("outlet")), None)
        if not entries:
            outcome.error = "no entries could be read"
        links = [e.link for e in entries if e.link]
        known = self.store.fetches(links)
        due_by = now()
        to_fetch: list[Entry] = []
        for entry in entries:
            record = known.get(entry.link) if entry.link else None
            if not entry.link:
                if entry.html:
                    yield RawDocument(got.url, "text/html+fragment", entry.html.encode("utf-8"), entry.where, entry.meta)
                else:
                    yield brief(entry, got.url, self.fetcher.policy.max_bytes)
            elif record is None or (record.status == "failed" and (record.next_try or "") <= due_by):
                to_fetch.append(entry)
        by_link = {e.link: e for e in to_fetch}
        requests = [FetchRequest(link) for link in by_link if link]
        for done, page in enumerate(self.fetcher.fetch_all(requests), start=1):
            if progress:
                progress(done, len(requests), page.url)
            entry = by_link[page.url]
            meta = {k: v for k, v in entry.meta.items() if k in ("title", "published", "byline")}
            if page.status == "ok" and page.data is not None:
                self._pending.append(self._succeeded(page, got.url))
                yield _page(page, source=got.url, meta=meta, locator=entry.where)
                continue
            failures = list(self._not_ok(page, known.get(page.url), got.url, locator=entry.where))
            if entry.html:  # the feed carries the article: keep it while the page is retried
                yield RawDocument(got.url, "text/html+fragment", entry.html.encode("utf-8"), entry.where, entry.meta)
            yield from failures

    def _succeeded(self, got: Fetched, feed: str | None) -> FetchRecord:
        self.fetched += 1
        return FetchRecord(got.url, "ok", now(), etag=got.etag, last_modified=got.last_modified, feed=feed)

    def _not_ok(self, got: Fetched, earlier: FetchRecord | None, feed: str | None,
                locator: str | None = None) -> Iterator[Problem]:
        if got.status == "not_modified":
            self.not_modified += 1
            self._pending.append(FetchRecord(got.url, "not_modified", now(), etag=got.etag,
                                             last_modified=got.last_modified, feed=feed))
            return
        attempts = (earlier.attempts if earlier and earlier.status == "failed" else 0) + 1
        wait = RETRY_PERMANENT_S if got.permanent else min(RETRY_FIRST_S * 2 ** (attempts - 1), RETRY_MAX_S)
        next_try = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=wait)).replace(microsecond=0)
        self.store.put_fetches([FetchRecord(
            got.url, "failed", now(), reason=got.reason,
            etag=earlier.etag if earlier else None, last_modified=earlier.last_modified if earlier else None,
            attempts=attempts, next_try=next_try.isoformat(), feed=feed)])
        yield Problem(got.url, f"fetch failed: {got.reason}", locator)


def _conditional(url: str, record: FetchRecord | None) -> FetchRequest:
    if record is None or record.status == "failed" and not (record.etag or record.last_modified):
        return FetchRequest(url)
    return FetchRequest(url, record.etag, record.last_modified)


def _page(got: Fetched, *, source: str, meta: dict[str, str], locator: str | None = None) -> RawDocument:
    media_type = "text/plain" if got.content_type == "text/plain" else "text/html"
    return RawDocument(source, media_type, got.data or b"", locator, {"url": got.final_url or got.url, **meta})
