"""The fetching part of MemoryStore (store/memory.py): fetch records and watched feeds, with the
rules of store/sql/fetching.py written plainly."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storyline.ingest.urls import url_key
from storyline.store.base import days_ago
from storyline.store.records import FeedRecord, FetchRecord


class FetchingMixin:
    _t: Any  # the MemoryStore's tables
    _writing: Any

    def put_fetches(self, records: Sequence[FetchRecord]) -> None:
        with self._writing(f"recording {len(records)} fetches"):
            for r in records:
                key = url_key(r.url)
                if key is not None:
                    self._t.fetches[key] = r

    def fetches(self, urls: Sequence[str]) -> dict[str, FetchRecord]:
        found = {u: self._t.fetches.get(url_key(u)) for u in urls if url_key(u)}
        return {u: r for u, r in found.items() if r is not None}

    def failed_fetches(self, due_by: str | None = None) -> list[FetchRecord]:
        failed = [(key, r) for key, r in self._t.fetches.items() if r.status == "failed"
                  and (due_by is None or r.next_try is None or r.next_try <= due_by)]
        return [r for _, r in sorted(failed, key=lambda kr: (kr[1].next_try or "", kr[0]))]

    def put_feeds(self, records: Sequence[FeedRecord]) -> None:
        with self._writing(f"recording {len(records)} feeds"):
            for r in records:
                key = url_key(r.url)
                if key is None:
                    continue
                earlier = self._t.feeds.get(key)
                self._t.feeds[key] = r._replace(added_at=earlier.added_at if earlier else r.added_at,
                                                articles_7d=0)

    def feeds(self) -> list[FeedRecord]:
        since = days_ago(7)
        out = []
        for key in sorted(self._t.feeds):
            feed = self._t.feeds[key]
            recent = sum(1 for a in self._t.articles.values()
                         if a.source == feed.url and (a.ingested_at or "") >= since)
            out.append(feed._replace(articles_7d=recent))
        return out
