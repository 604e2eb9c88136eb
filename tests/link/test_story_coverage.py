"""Which articles a big story's report covers: seats spread over its days (coverage.py)."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.link.stories.coverage import coverage_note, spread_over_days


def _stated(per_day: dict[str, int], undated: int = 0) -> dict[str, str | None]:
    """Article id -> stored date: ``n`` articles on each day, a minute apart, in store order."""
    out: dict[str, str | None] = {}
    for day, n in per_day.items():
        for k in range(n):
            out[f"{day}-{k:03d}"] = f"{day}T{k // 60:02d}:{k % 60:02d}:00+00:00"
    for k in range(undated):
        out[f"undated-{k}"] = None
    return out


def test_a_three_week_story_is_covered_on_every_day_not_only_its_last():
    # 21 days: a first day of 40 reports, a quiet middle, a last week of 30 a day.
    per_day = {f"2025-03-{d:02d}": (40 if d == 1 else 30 if d >= 15 else 3) for d in range(1, 22)}
    chosen, days = spread_over_days(_stated(per_day), 60)
    assert len(chosen) == 60 and days == 21
    by_day = Counter(a[:10] for a in chosen)
    assert set(by_day) == set(per_day)  # every day of coverage has a seat
    assert "2025-03-01-000" in chosen  # the report that broke the news
    # The rest in proportion: the first day gets more seats than a quiet day, a busy day as many as its share.
    assert by_day["2025-03-01"] > by_day["2025-03-15"] > by_day["2025-03-08"] == 1
    assert chosen == sorted(chosen)  # in time order (ids sort as their times here)


def test_within_a_day_the_seats_are_spread_over_its_hours():
    chosen, days = spread_over_days(_stated({"2025-03-01": 100}), 4)
    assert days == 1 and chosen == ["2025-03-01-000", "2025-03-01-025", "2025-03-01-050", "2025-03-01-075"]
    assert coverage_note(4, 100, days) == "events, dates and findings cover 4 of 100 articles, spread over its day"


def test_more_days_than_seats_go_to_the_days_most_written_about():
    per_day = {"2025-01-01": 5, "2025-01-02": 1, "2025-01-03": 4, "2025-01-04": 1, "2025-01-05": 2}
    chosen, days = spread_over_days(_stated(per_day), 3)
    assert days == 5 and [a[:10] for a in chosen] == ["2025-01-01", "2025-01-03", "2025-01-05"]
    assert coverage_note(3, 13, days).endswith("one from each of the 3 days most written about (of 5)")
    # A tie between quiet days goes to the newer one.
    chosen, _ = spread_over_days(_stated({"2025-01-01": 1, "2025-01-02": 1, "2025-01-03": 1}), 2)
    assert [a[:10] for a in chosen] == ["2025-01-02", "2025-01-03"]


def test_undated_members_are_a_group_of_their_own_and_come_last():
    chosen, days = spread_over_days(_stated({"2025-01-01": 30}, undated=30), 10)
    assert days == 1 and len(chosen) == 10
    assert sum(a.startswith("undated") for a in chosen) == 5 and chosen[-1].startswith("undated")
    only_undated, days = spread_over_days(_stated({}, undated=9), 3)
    assert days == 0 and only_undated == ["undated-0", "undated-3", "undated-6"]
    assert coverage_note(3, 9, 0).endswith("spread over the story")


def test_a_story_within_the_limit_is_covered_whole_in_time_order():
    stated = {"b": "2025-01-02", "a": "2025-01-01", "u": None}
    assert spread_over_days(stated, 3) == (["a", "b", "u"], 2)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.integers(1, 28).map(lambda d: f"2025-02-{d:02d}"), st.integers(1, 40), max_size=28),
       st.integers(0, 20), st.integers(1, 80))
def test_the_choice_is_a_bounded_subset_with_every_day_seated_while_seats_last(per_day, undated, limit):
    stated = _stated(per_day, undated)
    chosen, days = spread_over_days(stated, limit)
    assert len(chosen) == min(limit, len(stated)) and len(set(chosen)) == len(chosen) and set(chosen) <= set(stated)
    assert days == len(per_day)
    groups = len(per_day) + (undated > 0)
    seated = {a[:10] if not a.startswith("undated") else None for a in chosen}
    assert len(seated) == min(groups, limit)


def test_the_headline_s_article_is_covered_whatever_its_day():
    per_day = {"2025-01-01": 3, "2025-01-02": 40, "2025-01-03": 40}
    stated = _stated(per_day)
    chosen, days = spread_over_days(stated, 4, keep=["2025-01-01-002"])
    assert days == 3 and len(chosen) == 4 and "2025-01-01-002" in chosen
    # The other three seats still go one to each day, in time order.
    assert chosen[:2] == ["2025-01-01-000", "2025-01-01-002"] and chosen == sorted(chosen)
    plain, _ = spread_over_days(stated, 4)
    assert "2025-01-01-000" in plain and "2025-01-01-002" not in plain
    # A story within the limit is covered whole, the headline's article among the rest.
    assert spread_over_days({"a": "2025-01-01", "b": None}, 5, keep=["b"]) == (["a", "b"], 1)
