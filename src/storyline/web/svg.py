"""The story page's two pictures as inline SVG, drawn on the server: the timeline and the
provenance graph of copies.

Drawn by hand rather than with a charting library: both are a few dozen shapes, the page must
work offline and without script, and every label is article text that must be escaped (each
one goes through ``html.escape``). Sizes are bounded (MAX_* below) whatever the story's size.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass

from storyline.records import DIRECTION_MIN
from storyline.report.text import clip

WIDTH = 960
MARGIN = 24
LANE = 16  # height of one article lane on the timeline
MAX_LANES = 12  # article lanes drawn; more articles share the last lanes' rows
MAX_NODES = 40  # articles drawn in the provenance graph (those in the most pairs first)
NODE_W, NODE_H = 150, 34
NODE_CHARS = 17  # of a bold 12px label that fit in a box NODE_W wide (longer ones end in "…"; the tooltip has all)
MAX_STACK = 2  # event numbers listed under one day's diamond before they are shown as a range
NUMBER_ROW = 12  # height of a row of event numbers under the axis
MAX_NUMBER_ROWS = 4
LABEL_CHAR_W = 7.0  # width of a character of an 11px label, generously (no font metrics on the server)
MAX_TICKS = 40
TICK_GAP = 64  # least distance between two axis labels ("27 Feb", "Mar 2025")
KIND_CLASS = {"duplicate": "k-dup", "syndicated": "k-syn", "rewrite": "k-rew", "partial": "k-par"}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def iso_day(value: str | None) -> dt.date | None:
    """The day an ISO date or datetime names, None for anything else (a week, a month)."""
    if not value or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


# --- timeline ------------------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class Mark:
    """An article on the timeline: a stated day, or an inferred range with its likeliest day."""

    article_id: str
    label: str
    first: dt.date
    last: dt.date
    likely: dt.date | None
    inferred: bool


@dataclass(slots=True, frozen=True)
class Point:
    """A dated event, numbered as in the list under the picture."""

    number: int
    day: dt.date
    label: str
    inferred: bool
    articles: int


def timeline_svg(events: Sequence[Point], marks: Sequence[Mark]) -> str:
    """Events as diamonds on a day axis (hollow when the date is inferred), articles in lanes
    above it: a dot on a stated day, a bar over an inferred range. Empty string when nothing
    is dated."""
    days = [p.day for p in events] + [m.first for m in marks] + [m.last for m in marks]
    if not days:
        return ""
    # A day of margin each side, within the calendar (a hostile "0001-01-01" must not crash the page).
    start = min(days) - dt.timedelta(days=1) if min(days) > dt.date.min else dt.date.min
    end = max(days) + dt.timedelta(days=1) if max(days) < dt.date.max else dt.date.max
    span = max((end - start).days, 1)
    inner = WIDTH - 2 * MARGIN

    def x(day: dt.date) -> float:
        return MARGIN + inner * (day - start).days / span

    lanes = _lanes(marks)
    n_lanes = min(max(lanes.values(), default=-1) + 1, MAX_LANES)
    top = 22
    axis_y = top + n_lanes * LANE + 18
    by_day: dict[dt.date, list[Point]] = {}
    for p in events:
        by_day.setdefault(p.day, []).append(p)
    numbers = _number_rows([(x(day), _numbers(points)) for day, points in sorted(by_day.items())])
    rows = max((row for _, _, row in numbers), default=-1) + 1
    tick_y = axis_y + 24 + NUMBER_ROW * rows + 6
    height = tick_y + 10
    out = [f'<svg class="timeline" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
           f'aria-label="Timeline: {len(events)} events, {len(marks)} dated articles" xmlns="http://www.w3.org/2000/svg">',
           f'<text class="cap" x="{MARGIN}" y="14">articles (dot: stated date, bar: inferred range)</text>']
    for m in marks:
        y = top + min(lanes[m.article_id], MAX_LANES - 1) * LANE + LANE / 2
        title = f"<title>{_e(m.label)}: {_e(_range(m.first, m.last))}{' (inferred)' if m.inferred else ''}</title>"
        out.append(f'<a href="/articles/{_e(m.article_id)}">')
        if m.inferred:
            out.append(f'<rect class="range" x="{x(m.first) - 3:.1f}" y="{y - 4:.1f}" width="{max(x(m.last) - x(m.first), 0) + 6:.1f}" '
                       f'height="8" rx="4">{title}</rect>')
            if m.likely:
                out.append(f'<circle class="likely" cx="{x(m.likely):.1f}" cy="{y:.1f}" r="3">{title}</circle>')
        else:
            out.append(f'<circle class="stated" cx="{x(m.first):.1f}" cy="{y:.1f}" r="5">{title}</circle>')
        out.append("</a>")
    out.append(f'<line class="axis" x1="{MARGIN}" y1="{axis_y}" x2="{WIDTH - MARGIN}" y2="{axis_y}"/>')
    for day, label in _ticks(start, end, inner / span):
        out.append(f'<line class="tick" x1="{x(day):.1f}" y1="{axis_y - 4}" x2="{x(day):.1f}" y2="{axis_y + 4}"/>'
                   f'<text class="tick" x="{x(day):.1f}" y="{tick_y}" text-anchor="middle">{_e(label)}</text>')
    for day, points in by_day.items():
        cx, cy = x(day), axis_y
        for p in points:  # one day's diamonds coincide; each keeps its own tooltip and link
            cls = "event inferred" if p.inferred else "event"
            out.append(f'<a href="#event-{p.number}"><path class="{cls}" d="M{cx:.1f} {cy - 9} l9 9 l-9 9 l-9 -9 z">'
                       f"<title>{_e(p.day.isoformat())}{' (inferred)' if p.inferred else ''}: {_e(clip(p.label, 160))} "
                       f"({p.articles} articles)</title></path></a>")
    for cx, label, row in numbers:
        # A leader line from the axis down to a label pushed to a lower row.
        if row:
            out.append(f'<line class="leader" x1="{cx:.1f}" y1="{axis_y + 10}" x2="{cx:.1f}" '
                       f'y2="{axis_y + 12 + NUMBER_ROW * row}"/>')
        out.append(f'<text class="num" x="{cx:.1f}" y="{axis_y + 22 + NUMBER_ROW * row}" text-anchor="middle">{label}</text>')
    out.append("</svg>")
    return "".join(out)


def _numbers(points: Sequence[Point]) -> str:
    """One day's event numbers: "3", "3, 4", or a range "4–9" beyond MAX_STACK."""
    if len(points) > MAX_STACK:
        return f"{points[0].number}–{points[-1].number}"
    return ", ".join(str(p.number) for p in points)


def _number_rows(labels: Sequence[tuple[float, str]]) -> list[tuple[float, str, int]]:
    """Each label (centre x, text) in the first row where it clears the previous label of that
    row, so that no two labels overlap however close their days are; a label that finds no row
    within MAX_NUMBER_ROWS is left out (its diamond keeps its tooltip, the list its line)."""
    ends: list[float] = []
    placed = []
    for cx, text in labels:
        half = LABEL_CHAR_W * len(text) / 2 + 2
        for row, end in enumerate(ends):
            if end <= cx - half:
                ends[row] = cx + half
                placed.append((cx, text, row))
                break
        else:
            if len(ends) < MAX_NUMBER_ROWS:
                ends.append(cx + half)
                placed.append((cx, text, len(ends) - 1))
    return placed


def _range(first: dt.date, last: dt.date) -> str:
    return first.isoformat() if first == last else f"{first.isoformat()} .. {last.isoformat()}"


def _lanes(marks: Sequence[Mark]) -> dict[str, int]:
    """Each article's lane: the first lane whose last mark ends before this one starts, so
    overlapping ranges do not hide each other (greedy interval packing, by start day)."""
    ends: list[dt.date] = []
    lanes: dict[str, int] = {}
    for m in sorted(marks, key=lambda m: (m.first, m.last, m.article_id)):
        for i, end in enumerate(ends):
            if end < m.first:
                ends[i] = m.last
                lanes[m.article_id] = i
                break
        else:
            ends.append(m.last)
            lanes[m.article_id] = len(ends) - 1
    return lanes


def _ticks(start: dt.date, end: dt.date, day_width: float) -> list[tuple[dt.date, str]]:
    """Axis ticks at the finest step whose labels stay TICK_GAP apart (``day_width``: pixels
    per day): every day, every 2 days, Mondays, every other Monday, the first of each month, of
    each quarter, then of every 1, 2, 5, 10, 25, 50 or 100 years. Only the ticks drawn are
    made, so a span of centuries (a hostile date) costs no more than a week."""
    span = (end - start).days
    for step, keep in ((1, lambda d: True), (2, lambda d: (d - start).days % 2 == 0),
                       (7, lambda d: d.weekday() == 0), (14, lambda d: d.weekday() == 0 and d.isocalendar()[1] % 2 == 0)):
        if step * day_width >= TICK_GAP:
            days = (start + dt.timedelta(days=i) for i in range(span + 1))
            return [(d, d.strftime("%d %b")) for d in days if keep(d)]
    for months in (1, 3):
        if 30.5 * months * day_width >= TICK_GAP:
            return [(d, d.strftime("%b %Y")) for d in _firsts(start, end, months)]
    years = next((y for y in (1, 2, 5, 10, 25, 50, 100) if 365.25 * y * day_width >= TICK_GAP), 100)
    return [(d, str(d.year)) for d in _firsts(start, end, 12) if d.year % years == 0][:MAX_TICKS]


def _firsts(start: dt.date, end: dt.date, months: int) -> list[dt.date]:
    """The first days of every ``months``-th month (counted from January) within start..end."""
    out = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month) and len(out) < 10 * MAX_TICKS:
        if (month - 1) % months == 0:
            day = dt.date(year, month, 1)
            if start <= day <= end:
                out.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


# --- provenance ----------------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class Node:
    article_id: str
    outlet: str
    date: str


@dataclass(slots=True, frozen=True)
class Edge:
    source_id: str
    derived_id: str
    kind: str
    direction_confidence: float
    changes: int

    @property
    def direction_known(self) -> bool:
        return self.direction_confidence >= DIRECTION_MIN


def provenance_svg(nodes: Sequence[Node], edges: Sequence[Edge]) -> str:
    """Articles as boxes, columns by copy generation (originals left, copies of copies further
    right), rows in date order; an arrow from each source to its copy, labelled with the kind
    and the number of changes (dashed, without a head, when the direction is unknown). Each box
    links to its article, each arrow to the side-by-side diff. Empty string without edges."""
    edges = [e for e in edges if e.source_id != e.derived_id]
    if not edges:
        return ""
    degree: dict[str, int] = {}
    for e in edges:
        degree[e.source_id] = degree.get(e.source_id, 0) + 1
        degree[e.derived_id] = degree.get(e.derived_id, 0) + 1
    kept = {n.article_id for n in sorted((n for n in nodes if n.article_id in degree),
                                         key=lambda n: (-degree[n.article_id], n.date, n.article_id))[:MAX_NODES]}
    nodes = [n for n in nodes if n.article_id in kept]
    edges = [e for e in edges if e.source_id in kept and e.derived_id in kept]
    level = _levels([n.article_id for n in nodes], edges)
    columns: dict[int, list[Node]] = {}
    for n in sorted(nodes, key=lambda n: (n.date or "9999", n.article_id)):
        columns.setdefault(level[n.article_id], []).append(n)
    n_cols = max(columns) + 1
    gap_x = max((WIDTH - 2 * MARGIN - n_cols * NODE_W) / max(n_cols - 1, 1), 40)
    width = max(WIDTH, int(2 * MARGIN + n_cols * NODE_W + (n_cols - 1) * gap_x))
    rows = max(len(c) for c in columns.values())
    height = 2 * MARGIN + rows * (NODE_H + 22)
    where: dict[str, tuple[float, float]] = {}
    for col, members in columns.items():
        for row, n in enumerate(members):
            where[n.article_id] = (MARGIN + col * (NODE_W + gap_x), MARGIN + row * (NODE_H + 22))
    out = [f'<svg class="provenance" viewBox="0 0 {width} {height}" width="100%" role="img" '
           f'aria-label="Provenance: {len(edges)} copies among {len(nodes)} articles" xmlns="http://www.w3.org/2000/svg">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" class="head"/></marker></defs>']
    for e in edges:
        (sx, sy), (dx, dy) = where[e.source_id], where[e.derived_id]
        x1, y1, x2, y2 = sx + NODE_W, sy + NODE_H / 2, dx, dy + NODE_H / 2
        if dx <= sx:  # same column (a cycle of unknown direction): bow out to the right
            x2 = dx + NODE_W
        known = e.direction_known
        cls = f"edge {KIND_CLASS.get(e.kind, 'k-other')}" + ("" if known else " unknown")
        head = ' marker-end="url(#arrow)"' if known else ""
        mid_x, mid_y = (x1 + x2) / 2, (y1 + y2) / 2
        curve = f"M{x1:.1f} {y1:.1f} C{mid_x + (60 if dx <= sx else 0):.1f} {y1:.1f} {mid_x + (60 if dx <= sx else 0):.1f} {y2:.1f} {x2:.1f} {y2:.1f}"
        label = f"{e.kind}, {e.changes} change{'s' if e.changes != 1 else ''}"
        out.append(f'<a href="/diff/{_e(e.source_id)}/{_e(e.derived_id)}"><path class="{cls}" d="{curve}"{head}>'
                   f"<title>{_e(label)}; direction {'known' if known else 'unknown'} "
                   f"({e.direction_confidence:.2f}): open the diff</title></path>"
                   f'<text class="elabel" x="{mid_x:.1f}" y="{mid_y - 4:.1f}" text-anchor="middle">{_e(label)}</text></a>')
    for n in nodes:
        x, y = where[n.article_id]
        out.append(f'<a href="/articles/{_e(n.article_id)}"><rect class="node" x="{x:.1f}" y="{y:.1f}" '
                   f'width="{NODE_W}" height="{NODE_H}" rx="5"><title>{_e(n.outlet)} {_e(n.date)} ({_e(n.article_id)})</title></rect>'
                   f'<text class="nlabel" x="{x + 8:.1f}" y="{y + 14:.1f}">{_e(clip(n.outlet, NODE_CHARS))}</text>'
                   f'<text class="ndate" x="{x + 8:.1f}" y="{y + 28:.1f}">{_e(clip(n.date, 24))}</text></a>')
    out.append("</svg>")
    return "".join(out)


def _levels(ids: Sequence[str], edges: Sequence[Edge]) -> dict[str, int]:
    """Copy generation: 0 for an article copied from nothing shown, else one more than its
    deepest source. Bounded passes, so a cycle (two pairs of unknown direction) cannot loop."""
    level = {i: 0 for i in ids}
    for _ in range(len(ids)):
        changed = False
        for e in edges:
            want = level[e.source_id] + 1
            if want > level[e.derived_id] and want < len(ids):
                level[e.derived_id] = want
                changed = True
        if not changed:
            break
    return level
