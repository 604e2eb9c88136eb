"""Watching feeds: poll them every so often, ingest what is new, keep going after errors.

Each cycle fetches every feed (conditionally: an unchanged feed costs one 304), fetches the
pages of entries not fetched before and the failed pages now due again, and updates each feed's
record (last success, last error, entries, articles added). A cycle that fails as a whole (the
store unreachable) is reported and the next cycle runs as planned.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from storyline.run.common import IngestReport
from storyline.store import Store
from storyline.store.base import now
from storyline.store.records import FeedRecord

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNIT_S = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """Seconds in "90", "30s", "15m", "2h" or "1d"; ValueError otherwise."""
    m = _DURATION.match(text.lower())
    if not m:
        raise ValueError(f"not a duration: {text!r} (examples: 30s, 15m, 2h)")
    return float(m[1]) * _UNIT_S[m[2]]


@dataclass(slots=True)
class CycleReport:
    """One poll: when, what the ingest did (None when the cycle failed) and why it failed."""

    cycle: int
    started: str
    ingest: IngestReport | None = None
    error: str | None = None
    feeds: list[FeedRecord] = field(default_factory=list)


def register_feeds(store: Store, feeds: Sequence[tuple[str, str | None]]) -> int:
    """Add the feeds not watched yet (their records start empty); returns how many were new."""
    from storyline.ingest.urls import url_key

    known = {url_key(f.url) for f in store.feeds()}
    new = [FeedRecord(url, added_at=now(), title=title) for url, title in feeds if url_key(url) not in known]
    if new:
        store.put_feeds(new)
    return len(new)


def record_poll(store: Store, urls: Sequence[str], report: IngestReport) -> list[FeedRecord]:
    """Update the records of the feeds polled with what the poll found."""
    from storyline.ingest.urls import url_key

    wanted = {url_key(u) for u in urls}
    stamp = now()
    updated = []
    for feed in store.feeds():
        if url_key(feed.url) not in wanted:
            continue
        outcome = report.outcomes.get(feed.url)
        added = report.added_by_source.get(feed.url, 0)
        feed = feed._replace(last_polled=stamp, articles=feed.articles + added)
        if outcome is None or outcome.error:
            feed = feed._replace(last_error=outcome.error if outcome else "not polled", last_error_at=stamp)
        else:
            feed = feed._replace(last_success=stamp, title=outcome.title or feed.title)
            if not outcome.not_modified:
                feed = feed._replace(entries=outcome.entries)
        updated.append(feed)
    store.put_feeds(updated)
    return updated


def watch(cycle: Callable[[int], CycleReport], *, every_s: float, cycles: int | None = None,
          on_cycle: Callable[[CycleReport], None] | None = None,
          sleep: Callable[[float], None] = time.sleep) -> list[CycleReport]:
    """Run ``cycle`` every ``every_s`` seconds (measured start to start), ``cycles`` times or
    until interrupted; an exception in a cycle becomes that cycle's error and the watch goes on.
    Returns the reports of the cycles run (the last few hundred, for a long watch)."""
    reports: list[CycleReport] = []
    number = 0
    while cycles is None or number < cycles:
        number += 1
        started = time.monotonic()
        try:
            report = cycle(number)
        except Exception as exc:  # noqa: BLE001 - a watch keeps going after a failed cycle
            report = CycleReport(number, now(), error=f"{type(exc).__name__}: {exc}")
        reports = [*reports[-299:], report]
        if on_cycle:
            on_cycle(report)
        if cycles is not None and number >= cycles:
            break
        sleep(max(every_s - (time.monotonic() - started), 0))
    return reports
