"""The outlet page's picture: articles over time as an inline SVG bar chart, drawn on the
server like web/svg.py's (no script, no CDN; every label escaped), and the binning behind it.

Bins: weeks (starting Monday) when the outlet's stated days span at most half a year, months
up to ten years, years beyond; empty bins are drawn (as gaps), so the axis is time. At most
MAX_BARS bars: a hostile date far in the past cannot make thousands (the earliest are dropped
and the caption says so).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from typing import NamedTuple

from storyline.web.svg import iso_day

WIDTH, HEIGHT = 960, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 16, 40
MAX_BARS = 130
MAX_BAR_W = 48  # a lone week is a bar, not a wall
MAX_LABELS = 12  # axis labels shown (every n-th bar), so they never overlap
WEEKS_UP_TO_DAYS = 183
MONTHS_UP_TO_DAYS = 3660


class Bar(NamedTuple):
    label: str  # the axis label ("17 Feb 2025", "2025-02", "2025")
    start: dt.date
    articles: int


class Binned(NamedTuple):
    unit: str  # "week", "month" or "year"
    bars: list[Bar]
    dropped: int  # dated articles before the first bar drawn (MAX_BARS)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _start(day: dt.date, unit: str) -> dt.date:
    if unit == "week":
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1) if unit == "month" else day.replace(month=1, day=1)


def _label(start: dt.date, unit: str) -> str:
    if unit == "week":
        return f"{start.day} {start.strftime('%b')} {start.year}"
    return f"{start.year}-{start.month:02d}" if unit == "month" else str(start.year)


def bin_days(days: Sequence[tuple[str, int]]) -> Binned:
    """Articles per stated day (``OutletDetail.days``) as bars per week, month or year;
    days that are not ISO dates are left out."""
    counts = [(d, n) for d, n in ((iso_day(day), n) for day, n in days) if d is not None]
    if not counts:
        return Binned("week", [], 0)
    first, last = min(d for d, _ in counts), max(d for d, _ in counts)
    span = (last - first).days
    unit = "week" if span <= WEEKS_UP_TO_DAYS else "month" if span <= MONTHS_UP_TO_DAYS else "year"
    per: dict[dt.date, int] = {}
    for day, n in counts:
        key = _start(day, unit)
        per[key] = per.get(key, 0) + n
    starts: list[dt.date] = []
    at: dt.date | None = _start(last, unit)
    # Walk back from the last bin so that a cap keeps the newest bars.
    while at is not None and at >= _start(first, unit) and len(starts) < MAX_BARS:
        starts.append(at)
        at = _previous(at, unit)
    starts.reverse()
    dropped = sum(n for d, n in per.items() if d < starts[0])
    return Binned(unit, [Bar(_label(s, unit), s, per.get(s, 0)) for s in starts], dropped)


def _previous(start: dt.date, unit: str) -> dt.date | None:
    try:
        if unit == "week":
            return start - dt.timedelta(days=7)
        if unit == "month":
            return start.replace(year=start.year - (start.month == 1), month=(start.month - 2) % 12 + 1)
        return start.replace(year=start.year - 1)
    except (OverflowError, ValueError):  # before 0001-01-01
        return None


def bars_svg(binned: Binned, name: str) -> str:
    """The bars as an SVG that scales to its container's width (viewBox, width 100%): a bar per
    bin with its count in a tooltip, a count axis and at most MAX_LABELS time labels. Empty
    string when nothing is dated."""
    bars = binned.bars
    if not bars:
        return ""
    top = max(b.articles for b in bars) or 1
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = inner_w / len(bars)
    gap = min(slot * 0.2, 6)
    every = max(1, -(-len(bars) // MAX_LABELS))
    base = TOP + inner_h
    out = [f'<svg class="bars" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
           f'aria-label="{_e(name)}: articles per {binned.unit}" xmlns="http://www.w3.org/2000/svg">',
           f'<line class="axis" x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}"/>',
           f'<text class="tick" x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end">{top}</text>',
           f'<text class="tick" x="{LEFT - 6}" y="{base}" text-anchor="end">0</text>']
    for i, bar in enumerate(bars):
        x = LEFT + i * slot
        h = inner_h * bar.articles / top
        noun = "article" if bar.articles == 1 else "articles"
        w = min(slot - gap, MAX_BAR_W)
        out.append(f'<rect class="bar" x="{x + (slot - w) / 2:.1f}" y="{base - h:.1f}" width="{w:.1f}" '
                   f'height="{h:.1f}"><title>{_e(binned.unit)} of {_e(bar.label)}: {bar.articles} {noun}</title></rect>')
        if i % every == 0:
            out.append(f'<text class="tick" x="{x + slot / 2:.1f}" y="{base + 16}" text-anchor="middle">'
                       f"{_e(bar.label)}</text>")
    out.append("</svg>")
    return "".join(out)
