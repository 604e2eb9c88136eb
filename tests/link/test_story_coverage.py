"""Which articles a big story's report covers: seats spread over its days (coverage.py)."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.link.stories.coverage import Coverage, coverage_note, spread_over_days


def _stated(per_day: dict[str, int], undated: int = 0) -> dict[str, str | None]:
    """Article id -> stored date: ``n`` articles on each day, a minute apart, in store order."""
    out: dict[str, str | None] = {}
    for day, n in per_day.items():
        for k in range(n):
            out[f"{day}-{k:03d}"] = f"{day}T{k // 60:02d}:{k % 60:02d}:00+00:00"
    for k in range(undated):
        out[f"undated-{k}"] = None
    return out


def _note(c: Coverage, total: int) -> str:
    return coverage_note(len(c.ids), total, c.days, c.days_covered)


def test_a_three_week_story_is_covered_on_every_day_not_only_its_last():
    # 21 days: a first day of 40 reports, a quiet middle, a last week of 30 a day.
    per_day = {f"2025-03-{d:02d}": (40 if d == 1 else 30 if d >= 15 else 3) for d in range(1, 22)}
    c = spread_over_days(_stated(per_day), 60)
    assert len(c.ids) == 60 and c.days == c.days_covered == 21
    by_day = Counter(a[:10] for a in c.ids)
    assert set(by_day) == set(per_day)  # every day of coverage has a seat
    assert "2025-03-01-000" in c.ids  # the report that broke the news
    # The rest in proportion: the first day gets more seats than a quiet day, a busy day as many as its share.
    assert by_day["2025-03-01"] > by_day["2025-03-15"] > by_day["2025-03-08"] == 1
    assert c.ids == sorted(c.ids)  # in time order (ids sort as their times here)
    assert _note(c, 297) == "events, dates and findings cover 60 of 297 articles, spread over its 21 days"


def test_within_a_day_the_seats_are_spread_over_its_hours():
    c = spread_over_days(_stated({"2025-03-01": 100}), 4)
    assert c == Coverage(["2025-03-01-000", "2025-03-01-025", "2025-03-01-050", "2025-03-01-075"], 1, 1)
    assert _note(c, 100) == "events, dates and findings cover 4 of 100 articles, spread over its day"


def test_more_days_than_seats_go_to_the_days_most_written_about():
    per_day = {"2025-01-01": 5, "2025-01-02": 1, "2025-01-03": 4, "2025-01-04": 1, "2025-01-05": 2}
    c = spread_over_days(_stated(per_day), 3)
    assert (c.days, c.days_covered) == (5, 3) and [a[:10] for a in c.ids] == ["2025-01-01", "2025-01-03", "2025-01-05"]
    assert _note(c, 13).endswith("cover 3 of 13 articles, from 3 of its 5 days, those most written about")
    # A tie between quiet days goes to the newer one.
    c = spread_over_days(_stated({"2025-01-01": 1, "2025-01-02": 1, "2025-01-03": 1}), 2)
    assert [a[:10] for a in c.ids] == ["2025-01-02", "2025-01-03"]


def test_undated_members_are_a_group_of_their_own_seated_after_the_days():
    c = spread_over_days(_stated({"2025-01-01": 30}, undated=30), 10)
    assert (c.days, c.days_covered) == (1, 1) and len(c.ids) == 10
    assert sum(a.startswith("undated") for a in c.ids) == 5 and c.ids[-1].startswith("undated")
    only_undated = spread_over_days(_stated({}, undated=9), 3)
    assert only_undated == Coverage(["undated-0", "undated-3", "undated-6"], 0, 0)
    assert _note(only_undated, 9).endswith("spread over the story")
    # Three quiet days and many undated, three seats: the days, not the undated, get them.
    c = spread_over_days(_stated({"2025-01-01": 1, "2025-01-02": 1, "2025-01-03": 1}, undated=5), 3)
    assert c.ids == ["2025-01-01-000", "2025-01-02-000", "2025-01-03-000"] and c.days_covered == 3


def test_a_story_within_the_limit_is_covered_whole_in_time_order():
    stated = {"b": "2025-01-02", "a": "2025-01-01", "u": None}
    assert spread_over_days(stated, 3) == Coverage(["a", "b", "u"], 2, 2)


def test_the_headline_s_article_is_covered_in_the_place_of_one_of_its_day_s_seats():
    stated = _stated({"2025-01-01": 3, "2025-01-02": 40, "2025-01-03": 40})
    c = spread_over_days(stated, 4, keep=["2025-01-01-002"])
    assert (c.days, c.days_covered) == (3, 3) and len(c.ids) == 4
    # Its day keeps one seat, now its own; the other three go to the days by coverage (a tie
    # of remainders to the newer day).
    assert c.ids == ["2025-01-01-002", "2025-01-02-000", "2025-01-03-000", "2025-01-03-020"]
    # Without it the quiet first day's seat is its first report.
    plain = spread_over_days(stated, 4)
    assert "2025-01-01-000" in plain.ids and "2025-01-01-002" not in plain.ids
    # More days than seats: its day is seated first, the other seats go to the busiest days.
    per_day = {"2025-01-01": 5, "2025-01-02": 4, "2025-01-03": 3, "2025-01-04": 2, "2025-01-05": 1}
    c = spread_over_days(_stated(per_day), 3, keep=["2025-01-05-000"])
    assert [a[:10] for a in c.ids] == ["2025-01-01", "2025-01-02", "2025-01-05"] and c.days_covered == 3
    c = spread_over_days(_stated(per_day), 3, keep=["2025-01-01-004"])
    assert c.ids == ["2025-01-01-004", "2025-01-02-000", "2025-01-03-000"]
    # A story within the limit is covered whole, the headline's article among the rest.
    assert spread_over_days({"a": "2025-01-01", "b": None}, 5, keep=["b"]) == Coverage(["a", "b"], 1, 1)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.integers(1, 28).map(lambda d: f"2025-02-{d:02d}"), st.integers(1, 40), max_size=28),
       st.integers(0, 20), st.integers(1, 80), st.randoms(use_true_random=False))
def test_the_choice_is_a_bounded_subset_with_every_day_seated_while_seats_last(per_day, undated, limit, rnd):
    stated = _stated(per_day, undated)
    keep = [rnd.choice(sorted(stated))] if stated else []
    c = spread_over_days(stated, limit, keep=keep)
    assert len(c.ids) == min(limit, len(stated)) and len(set(c.ids)) == len(c.ids) and set(c.ids) <= set(stated)
    assert set(keep) <= set(c.ids) and c.days == len(per_day)
    groups = len(per_day) + (undated > 0)
    seated = {a[:10] if not a.startswith("undated") else None for a in c.ids}
    assert len(seated) == min(groups, limit)
    assert c.days_covered == len(seated - {None})
