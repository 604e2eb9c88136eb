"""Which articles a big story's report covers (report.MAX_ARTICLES of them).

A story's report (events, timeline, dates, cross-source findings) reads the bodies of the
articles it covers, so a build is bounded by covering at most ``limit`` of a big story's
articles. Until session 37 those were the most recent ones: a story that ran for three weeks had
a timeline of its last day or two, and its first report, the one that broke the news, was never
read. Now the seats are spread over the story's days: every day of coverage gets one (the days
most written about first, when there are more days than seats), and the rest go to the days in
proportion to how much was published on each (largest remainders), so a day of 200 reports
still counts for more than a day of 5 in the events it yields. Within a day the seats are spread
evenly over its articles in time order, starting with the day's first report. The article that
carries the story's headline is covered whatever its day (the briefing leads with it), in the
place of one of its day's seats, that day seated first.

The choice reads publication dates only (no text). Undated members form one group of their own
(a "day" for the apportioning, seated after every dated one), in store order.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping
from typing import NamedTuple

from storyline.ingest.dates import published_day
from storyline.link.stories.scan import published_epoch


class Coverage(NamedTuple):
    """What a report covers: ``ids`` in time order (undated last, in store order), the story's
    days of coverage (``days``, the undated not counted) and how many of them ``ids`` reach."""

    ids: list[str]
    days: int
    days_covered: int


def spread_over_days(stated: Mapping[str, str | None], limit: int, keep: Collection[str] = ()) -> Coverage:
    """The ids of ``stated`` (article id -> stored publication date, in store order) a report
    covers, at most ``limit`` of them (module docstring). The ids in ``keep`` (the article that
    carries the story's headline, which the briefing leads with) are covered, each in the place
    of one of its day's seats, its day seated first."""
    times = {a: published_epoch(p) for a, p in stated.items()}
    day = {a: published_day(p) for a, p in stated.items()}
    days: dict[dt.date | None, list[str]] = defaultdict(list)
    for a in stated:
        days[day[a]].append(a)
    order = {a: k for k, a in enumerate(stated)}
    if len(stated) <= limit:
        chosen = list(stated)
    else:
        for members in days.values():
            members.sort(key=lambda a: (times[a] if times[a] is not None else 0.0, order[a]))
        kept = [a for a in stated if a in keep][: max(limit, 0)]
        kept_days = {day[a] for a in kept}
        # The kept articles' days first, then the days most written about, then the latest (a
        # tie between two quiet days goes to the newer news); the undated last of all.
        ranked = sorted(days, key=lambda d: (d not in kept_days, d is None, -len(days[d]),
                                             -(d.toordinal() if d else 0)))
        seats = _apportion({d: len(days[d]) for d in ranked}, ranked, limit)
        chosen = []
        for d in ranked:
            chosen += _with_kept(_evenly(days[d], seats.get(d, 0)), days[d], [a for a in kept if day[a] == d])
    chosen = _in_time_order(chosen, times, order)
    dated = len(days) - (None in days)
    return Coverage(chosen, dated, len({day[a] for a in chosen} - {None}))


def _with_kept(picks: list[str], members: list[str], kept: list[str]) -> list[str]:
    """``picks`` of a day's ``members`` (in time order) with each of ``kept`` in the place of
    the pick nearest it in time order (not of another kept one), as many as before."""
    picks = list(picks)
    position = {a: k for k, a in enumerate(members)}
    for a in kept:
        if a in picks:
            continue
        free = [k for k, p in enumerate(picks) if p not in kept]
        if not free:
            break
        nearest = min(free, key=lambda k: (abs(position[picks[k]] - position[a]), k))
        picks[nearest] = a
    return picks


def _apportion(counts: Mapping, ranked: list, limit: int) -> dict:
    """Seats per day: one each to the first ``limit`` days of ``ranked``, then the rest of
    ``limit`` in proportion to each day's articles beyond its first (largest remainders, ties
    to the earlier day in ``ranked``). No day gets more seats than articles: ``limit`` is below
    the total, so each share of the rest is below the day's articles beyond its first."""
    if len(ranked) >= limit:
        return {d: 1 for d in ranked[:limit]}
    spare = limit - len(ranked)
    extra = {d: counts[d] - 1 for d in ranked}
    total = sum(extra.values())
    seats = {d: 1 + spare * extra[d] // total for d in ranked}
    left = limit - sum(seats.values())
    rank = {d: k for k, d in enumerate(ranked)}
    by_remainder = sorted(ranked, key=lambda d: (-(spare * extra[d] % total), rank[d]))
    for d in by_remainder[:left]:
        seats[d] += 1
    return seats


def _evenly(members: list[str], k: int) -> list[str]:
    """``k`` of ``members`` (in time order) spread evenly, the first one included."""
    n = len(members)
    return [members[i * n // k] for i in range(k)] if k < n else list(members)


def _in_time_order(ids: list[str], times: Mapping[str, float | None],
                   order: Mapping[str, int] | None = None) -> list[str]:
    order = order or {a: k for k, a in enumerate(ids)}
    return sorted(ids, key=lambda a: (times[a] is None, times[a] or 0.0, order[a]))


def coverage_note(covered: int, total: int, days: int, days_covered: int) -> str:
    """The report's note on what a big story's events, dates and findings cover (``days``: its
    dated days, ``days_covered``: how many of them the covered articles reach)."""
    head = f"events, dates and findings cover {covered} of {total} articles"
    if days == 0:
        return f"{head}, spread over the story"
    if days == 1 and days_covered == 1:
        return f"{head}, spread over its day"
    if days_covered == days:
        return f"{head}, spread over its {days} days"
    return f"{head}, from {days_covered} of its {days} days, those most written about"
