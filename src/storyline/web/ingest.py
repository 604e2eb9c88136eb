"""POSTed articles go through the product's JSONL ingest path (Desk.ingest_objects: each item is
read as a JSONL line would be); an item with only a URL is fetched (Desk.ingest of the URL, the
polite fetcher, public addresses only unless STORYLINE_ALLOW_PRIVATE=1).

Each item is ingested on its own, so that its outcome (added, already present, skipped and
why) is known per item. A stored article names ``SOURCE`` as its source and "item N" (its
place in the request, from 1; "item N, id X" when the item gives its own id, jsonl.record_id)
as its locator.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from storyline.desk import Desk
from storyline.report.json import problem_json

MAX_ITEMS = 1000  # articles per request
SOURCE = "POST /api/articles"
# POSTs that may wait behind the one being ingested; one more is answered 429.
MAX_WAITING = 4
RETRY_AFTER_S = 10

T = TypeVar("T")


class GateFull(RuntimeError):
    """The ingest queue is full: the client should try again later."""


class IngestGate:
    """POSTed ingests run one at a time on a worker thread of their own, never in the server's
    event loop nor in the threadpool that answers reads; at most ``1 + waiting`` are running
    or queued, and one more is refused (:class:`GateFull`, answered 429 with Retry-After).

    One at a time because cleaning and analysis are CPU-bound and a store takes one writer
    anyway; a bounded queue so that a flood of POSTs costs memory for five bodies, not for all.
    """

    def __init__(self, waiting: int = MAX_WAITING):
        self.capacity = 1 + waiting
        self._pending = 0
        self._lock = threading.Lock()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storyline-ingest")

    @property
    def pending(self) -> int:
        return self._pending

    async def run(self, work: Callable[[], T]) -> T:
        """``work()`` on the ingest thread, awaited; raises GateFull when the queue is full."""
        with self._lock:
            if self._pending >= self.capacity:
                raise GateFull(f"{self._pending} ingests are running or queued (at most {self.capacity}); "
                               f"try again in a few seconds")
            self._pending += 1
        future = self._worker.submit(work)
        # Released when the work ends, not when this request does: a client that hangs up
        # does not stop its ingest, and that ingest still holds its place.
        future.add_done_callback(lambda _: self._release())
        return await asyncio.wrap_future(future)

    def _release(self) -> None:
        with self._lock:
            self._pending -= 1

    def close(self) -> None:
        """Finish the ingests queued, then stop the thread (a new one starts if the app is
        started again)."""
        worker, self._worker = self._worker, ThreadPoolExecutor(max_workers=1, thread_name_prefix="storyline-ingest")
        worker.shutdown(wait=True)


def ingest_items(desk: Desk, items: list[Any], *, analyze: bool, max_bytes: int) -> list[dict]:
    """Ingest each item (a JSON object as a JSONL line holds one); per item: index, status
    ("added", "present" or "skipped"), id, ``sighting`` (true for a present one kept as a new
    sighting: same text, new URL or outlet), and the reasons for a skip or a failed analysis.

    Raises :class:`storyline.desk.IngestAborted` when the store fails; items before the
    failing one are kept.
    """
    results = []
    for index, item in enumerate(items):
        if _url_only(item):  # {"url": ...} alone: the page is fetched (public addresses only)
            report = desk.ingest([item["url"].strip()], analyze=analyze, max_bytes=max_bytes)
        else:
            report = desk.ingest_objects([item], source=SOURCE, analyze=analyze, max_bytes=max_bytes, start=index + 1)
        result: dict[str, Any] = {"index": index}
        if report.added:
            result |= {"status": "added", "id": report.added[0]}
        elif report.present:
            result |= {"status": "present", "id": report.present[0]}
            if report.sighted:  # the same text from a new URL or outlet: kept as a sighting
                result["sighting"] = True
        else:
            result |= {"status": "skipped", "id": None}
        if report.problems:
            result["reasons"] = [problem_json(p)["reason"] for p in report.problems]
        elif report.not_modified:
            result["reasons"] = ["unchanged since it was last fetched"]
        if report.analysis is not None:
            result["analysed"] = bool(report.analysis.analysed)
            if report.analysis.problems:
                result["not_analysed"] = [p.reason for p in report.analysis.problems]
            if report.analysis.truncated:
                result["analysed_in_part"] = [p.reason for p in report.analysis.truncated]
        results.append(result)
    return results


def _url_only(item: Any) -> bool:
    """An item that names an article by its http(s) URL and gives no text or HTML."""
    return (isinstance(item, dict) and isinstance(item.get("url"), str)
            and item["url"].strip().lower().startswith(("http://", "https://"))
            and not any(item.get(k) for k in ("text", "html")))
