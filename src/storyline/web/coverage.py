"""The story page's coverage chart: articles per day (or week, or month) stacked by outlet, as
inline SVG drawn on the server like web/svg.py's pictures (no script, no CDN; labels escaped).

Each article counts once, on its stated publication day or, when the day is inferred, on its
likeliest day. The outlets with the most articles get a colour each (MAX_SERIES); the rest
share one grey band, "other outlets". The legend is returned as data for the template (HTML
wraps on a phone; SVG text would not). At most MAX_BARS bars: the earliest are dropped and
counted, so a hostile date cannot make thousands.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

WIDTH, HEIGHT = 960, 140
LEFT, RIGHT, TOP, BOTTOM = 34, 10, 12, 26
MAX_BARS = 120
MAX_BAR_W = 40
MAX_SERIES = 7  # outlets with their own colour; the rest are "other outlets"
TICK_GAP = 70  # least distance between two axis labels
DAYS_UP_TO = 62  # bars per day up to two months, per week up to two years, per month beyond
WEEKS_UP_TO = 730
OTHER = "other outlets"


class Series(NamedTuple):
    css: str  # the colour class: "s0" … "s6", "s-other"
    name: str
    articles: int


class Coverage(NamedTuple):
    svg: str  # "" when no article is dated
    unit: str  # "day", "week" or "month"
    legend: list[Series]
    dropped: int  # dated articles before the first bar drawn


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _start(day: dt.date, unit: str) -> dt.date:
    if unit == "week":
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1) if unit == "month" else day


def _previous(start: dt.date, unit: str) -> dt.date:
    """The start of the bar before the one starting at ``start`` (never before date.min: the
    caller stops at the first bar, which is on or after date.min)."""
    if unit == "month":
        return (start - dt.timedelta(days=1)).replace(day=1)
    return start - dt.timedelta(days=7 if unit == "week" else 1)


def _label(start: dt.date, unit: str) -> str:
    return start.strftime("%b %Y") if unit == "month" else f"{start.day} {start.strftime('%b')}"


def coverage_chart(dated: Sequence[tuple[dt.date, str]]) -> Coverage:
    """``dated``: one (day, outlet name) per dated article ("" for an unnamed outlet)."""
    if not dated:
        return Coverage("", "day", [], 0)
    first, last = min(d for d, _ in dated), max(d for d, _ in dated)
    span = (last - first).days
    unit = "day" if span <= DAYS_UP_TO else "week" if span <= WEEKS_UP_TO else "month"
    # Walk back from the last bar, so that the cap keeps the newest and a hostile early date
    # costs no more than MAX_BARS steps.
    starts = [_start(last, unit)]
    while starts[-1] > _start(first, unit) and len(starts) < MAX_BARS:
        starts.append(_previous(starts[-1], unit))
    starts.reverse()
    totals = Counter(outlet or "unnamed outlet" for _, outlet in dated)
    named = [name for name, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]
    own = named[:MAX_SERIES] if len(named) <= MAX_SERIES else named[:MAX_SERIES - 1]
    css = {name: f"s{i}" for i, name in enumerate(own)}
    legend = [Series(css[n], n, totals[n]) for n in own]
    rest = sum(totals[n] for n in named if n not in css)
    if rest:
        legend.append(Series("s-other", OTHER, rest))
    index = {s: i for i, s in enumerate(starts)}
    stacks: list[Counter] = [Counter() for _ in starts]
    dropped = 0
    for day, outlet in dated:
        at = index.get(_start(day, unit))
        if at is None:
            dropped += 1
            continue
        stacks[at][css.get(outlet or "unnamed outlet", "s-other")] += 1
    return Coverage(_draw(starts, stacks, legend, unit), unit, legend, dropped)


def _draw(starts: list[dt.date], stacks: list[Counter], legend: list[Series], unit: str) -> str:
    top = max((sum(c.values()) for c in stacks), default=0) or 1
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = inner_w / len(starts)
    w = min(slot * 0.8, MAX_BAR_W)
    base = TOP + inner_h
    every = max(1, -(-TICK_GAP // max(int(slot), 1)))
    names = {s.css: s.name for s in legend}
    out = [f'<svg class="coverage" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
           f'aria-label="Articles per {unit}, by outlet" xmlns="http://www.w3.org/2000/svg">',
           f'<line class="axis" x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}"/>',
           f'<text class="tick" x="{LEFT - 6}" y="{TOP + 8}" text-anchor="end">{top}</text>',
           f'<text class="tick" x="{LEFT - 6}" y="{base}" text-anchor="end">0</text>']
    for i, (start, stack) in enumerate(zip(starts, stacks)):
        x = LEFT + i * slot + (slot - w) / 2
        y = float(base)
        for series in legend:  # bottom-up in legend order, so colours stack the same way every bar
            n = stack.get(series.css, 0)
            if not n:
                continue
            h = inner_h * n / top
            y -= h
            noun = "article" if n == 1 else "articles"
            out.append(f'<rect class="bar {series.css}" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}">'
                       f"<title>{_e(names[series.css])}: {n} {noun}, {unit} of {_e(start.isoformat())}</title></rect>")
        if i % every == 0:
            out.append(f'<text class="tick" x="{x + w / 2:.1f}" y="{base + 16}" text-anchor="middle">'
                       f"{_e(_label(start, unit))}</text>")
    out.append("</svg>")
    return "".join(out)
