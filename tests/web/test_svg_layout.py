"""The server-side SVG pictures' layout rules, checked on the drawn coordinates: timeline labels
never overlap however dense the days (web/svg.py), and the coverage chart stacks one bar per
day, week or month by outlet, bounded and escaped (web/coverage.py)."""

from __future__ import annotations

import datetime as dt
import re

from storyline.web.coverage import MAX_BARS, MAX_SERIES, coverage_chart
from storyline.web.svg import LABEL_CHAR_W, Mark, Point, timeline_svg

TEXT = re.compile(r'<text class="(num|tick)" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>')


def label_boxes(svg: str) -> list[tuple[float, float, float, str]]:
    """Each number and tick label as (left, right, baseline y, text), widths as the layout
    estimates them (LABEL_CHAR_W per character)."""
    out = []
    for cls, x, y, text in TEXT.findall(svg):
        half = LABEL_CHAR_W * len(text) / 2
        out.append((float(x) - half, float(x) + half, float(y), text, cls))
    return out


def overlapping(boxes):
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[2] == b[2] and a[0] < b[1] and b[0] < a[1]]


def test_dense_events_and_long_spans_never_overlap():
    start = dt.date(1, 1, 1)
    for span, every in ((10, 1), (40, 1), (120, 1), (400, 3), (3000, 20), (30000, 300), (800_000, 8000)):
        days = [start + dt.timedelta(days=d) for d in range(0, span, every)]
        points = [Point(i + 1, day, f"event {i}", i % 2 == 0, 1) for i, day in enumerate(days)]
        marks = [Mark(f"a{i}", "Outlet", day, day, None, False) for i, day in enumerate(days[:30])]
        svg = timeline_svg(points, marks)
        boxes = label_boxes(svg)
        assert boxes and overlapping(boxes) == [], (span, overlapping(boxes)[:3])
        ticks = [b for b in boxes if b[4] == "tick"]
        assert 2 <= len(ticks) <= 40, (span, len(ticks))  # the axis keeps a few labels whatever the span


def test_a_days_events_share_one_label():
    day = dt.date(2025, 3, 5)
    svg = timeline_svg([Point(n, day, "x", False, 1) for n in (4, 5, 6, 7)], [])
    assert ">4–7</text>" in svg
    svg = timeline_svg([Point(n, day, "x", False, 1) for n in (1, 2)], [])
    assert ">1, 2</text>" in svg


def test_coverage_stacks_outlets_per_day_with_a_legend():
    d = dt.date(2025, 2, 27)
    dated = [(d, "Wire"), (d, "Wire"), (d, "Post"), (d + dt.timedelta(days=2), "Post"), (d, "")]
    chart = coverage_chart(dated)
    assert chart.unit == "day" and chart.dropped == 0
    assert [(s.name, s.articles) for s in chart.legend] == [("Post", 2), ("Wire", 2), ("unnamed outlet", 1)]
    assert chart.svg.count('<rect class="bar') == 4  # three outlets on the 27th, one on the 29th
    assert "Wire: 2 articles, day of 2025-02-27" in chart.svg
    assert coverage_chart([]).svg == ""


def test_coverage_is_bounded_and_escaped():
    start = dt.date(2000, 1, 1)
    many = [(start + dt.timedelta(days=30 * i), f"<b>Outlet {i % 12}</b>") for i in range(400)]
    chart = coverage_chart(many)
    assert chart.unit == "month"
    assert 100 < len(set(re.findall(r"month of (\d{4}-\d\d)", chart.svg))) <= MAX_BARS  # bars (some months empty)
    assert chart.dropped > 0  # the earliest months beyond the cap are counted, not drawn
    assert len(chart.legend) == MAX_SERIES and chart.legend[-1].name == "other outlets"
    assert "<b>" not in chart.svg and "&lt;b&gt;" in chart.svg
    hostile = coverage_chart([(dt.date.min, "A"), (dt.date(2025, 3, 1), "A"), (dt.date.max, "B")])
    assert hostile.svg.count('<rect class="bar') == 1 and hostile.dropped == 2  # only the newest bars are drawn
    weekly = coverage_chart([(start, "A"), (start + dt.timedelta(days=200), "A")])
    assert weekly.unit == "week" and weekly.svg.count('<rect class="bar') == 2
