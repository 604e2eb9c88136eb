"""TIMEX3 values from the rules the tagger records, and the calendar days a value covers.

A rule is a short string, ``kind|arg|arg...``, kept on each :class:`~storyline.analyze.timex.Timex`
so that an expression can be resolved against another anchor date without parsing the text
again. ``abs|2025-02-27`` does not depend on the anchor; every other kind does:

=========================  ===============================================================
``day|N|TOD``              anchor + N days ("yesterday" = -1), TOD = part of day or HH:MM
``wd|D|DIR|TOD``           weekday D (1 = Monday); DIR ``t`` = by tense, ``-1`` last, ``+1`` next
``week|N``, ``weekend|N``  ISO week of the anchor shifted by N weeks
``month|N``, ``year|N``    month / year of the anchor shifted by N
``quarter|N``              quarter of the anchor shifted by N (also ``decade|N``, ``century|N``)
``mon|M|DIR``              month M of the year chosen by DIR (``t``, ``-1``, ``+1``, ``0``, ``yN``)
``md|M|D|DIR|TOD|WD``      month-day of the year chosen like ``mon``; a stated weekday WD (1 =
                           Monday) moves it to the nearest year the day falls on that weekday
``season|S|DIR``           season (SP, SU, FA, WI) chosen like ``mon``
``q|N|DIR`` / ``h|N|DIR``  quarter / half N of the year chosen like ``mon``
``lq|N``                   the last completed quarter (the one news reports on) shifted by N
``lqy|YEAR``               that quarter's number in another year ("the 1988 quarter")
``ago|N|U|SIGN``           N units (U = Y, M, W, D) before (-1) or after (+1) the anchor
``hol|NAME|DIR``           a movable holiday (Thanksgiving) chosen like ``mon``
``anaph|U|N|TOD|T|REF``    N units U (day, week, month, year, ``wdD``) from the date of the rule
                           REF (its ``|`` written ``;``, valued in tense T): the last date the
                           text mentioned ("later that year", "the following month"); without
                           REF (nothing mentioned before) the anchor is the reference
=========================  ===============================================================
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from dateutil.relativedelta import relativedelta

PAST, PRESENT, FUTURE = "PAST", "PRESENT", "FUTURE"
SEASON_ORDER = {"WI": 0, "SP": 1, "SU": 2, "FA": 3}
# Approximate season months (northern hemisphere, meteorological): good enough for intervals.
SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
_DAYS_PER_UNIT = {"D": 1, "W": 7}
TENSE_SLACK = 1 / 8  # of a year: six weeks, or half a season
# Quarters and halves are reported after they end ("expects to report third-quarter
# earnings", written in the fourth): the future tense does not move them a year ahead.
PERIOD_SLACK = 1 / 2


def compute(rule: str, anchor: dt.date | None, tense: str = "") -> str | None:
    """The TIMEX3 value of ``rule`` for ``anchor`` (None when the rule needs an anchor and has none)."""
    kind, *args = rule.split("|")
    if kind == "abs":
        return args[0]
    if anchor is None:
        return None
    handler = _HANDLERS.get(kind)
    return handler(anchor, tense, *args) if handler else None


def needs_anchor(rule: str) -> bool:
    return not rule.startswith("abs|")


def needs_tense(rule: str) -> bool:
    """Whether the sentence's tense can change the value (a ``t`` direction)."""
    return "|t" in rule


def _with_time(day: dt.date, tod: str) -> str:
    if not tod:
        return day.isoformat()
    return f"{day.isoformat()}T{tod}"


def _day(anchor, tense, n, tod=""):
    return _with_time(anchor + dt.timedelta(days=int(n)), tod)


def _weekday(anchor, tense, wd, direction, tod=""):
    target = int(wd)
    back = (anchor.isoweekday() - target) % 7  # days back to the most recent such day
    forward = (target - anchor.isoweekday()) % 7
    if direction == "-1":  # "last Friday": strictly before the anchor
        delta = -(back or 7)
    elif direction == "+1":  # "next Friday": strictly after
        delta = forward or 7
    elif direction == "0":  # "this Friday": within the anchor's week
        delta = target - anchor.isoweekday()
    elif tense == PAST:
        delta = -back
    elif tense == FUTURE:
        delta = forward
    else:  # no tense: the nearer one, and the past on a tie (news reports what happened)
        delta = -back if back <= forward else forward
    return _with_time(anchor + dt.timedelta(days=delta), tod)


def _iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _week(anchor, tense, n):
    return _iso_week(anchor + dt.timedelta(weeks=int(n)))


def _weekend(anchor, tense, n):
    if n == "t":  # "the weekend": the coming one in a future sentence, else the last one
        n = "0" if tense == FUTURE or anchor.isoweekday() >= 6 else "-1"
    return _iso_week(anchor + dt.timedelta(weeks=int(n))) + "-WE"


def _month(anchor, tense, n):
    day = anchor + relativedelta(months=int(n))
    return f"{day.year:04d}-{day.month:02d}"


def _year(anchor, tense, n):
    return f"{anchor.year + int(n):04d}"


def _quarter_index(day: dt.date) -> int:
    return day.year * 4 + (day.month - 1) // 3


def _quarter_value(index: int) -> str:
    return f"{index // 4:04d}-Q{index % 4 + 1}"


def _quarter(anchor, tense, n):
    return _quarter_value(_quarter_index(anchor) + int(n))


def _last_quarter(anchor, tense, n):
    return _quarter_value(_quarter_index(anchor) - 1 + int(n))


def _last_quarter_of_year(anchor, tense, year):
    """"the 1988 quarter": the reported quarter (the last completed one) of another year."""
    return f"{int(year):04d}-Q{(_quarter_index(anchor) - 1) % 4 + 1}"


def _decade(anchor, tense, n):
    return f"{anchor.year // 10 + int(n):03d}"


def _century(anchor, tense, n):
    return f"{anchor.year // 100 + int(n):02d}"


def _pick_year(anchor: dt.date, position: float, anchor_position: float, period: float,
               direction: str, tense: str, future_slack: float = 0.0) -> int:
    """The year of a yearly recurring point ("April", "March 3", "summer").

    ``position`` and ``anchor_position`` place the point and the anchor within a year of
    length ``period`` (months, or days); ``direction`` is the rule's explicit choice.
    """
    if direction.startswith("y"):
        return anchor.year + int(direction[1:])
    if direction == "0":
        return anchor.year
    if direction == "-1":
        return anchor.year if position < anchor_position else anchor.year - 1
    if direction == "+1":
        return anchor.year if position > anchor_position else anchor.year + 1
    # The past tense moves the point a year back only when it lies well after the anchor: news
    # reports deadlines just ahead in the past tense ("extended the offer to Nov. 20", written
    # on Nov. 2). The future tense moves it a year ahead as soon as it has passed ("will reopen
    # in January", written in February), except for periods reported after they end.
    if tense == PAST:
        return anchor.year if position - anchor_position <= period * TENSE_SLACK else anchor.year - 1
    if tense == FUTURE:
        return anchor.year if anchor_position - position <= period * future_slack else anchor.year + 1
    # Present tense ("the case is heard in May"): the nearest occurrence. No tense: news mostly
    # reports the past, so the point goes a year back once it lies more than the slack ahead
    # ("in December", read in January), and a year ahead only when it is more than half a year
    # behind ("in January", read in November).
    gap = position - anchor_position
    if gap > period * (0.5 if tense == PRESENT else TENSE_SLACK):
        return anchor.year - 1
    if gap < -period / 2:
        return anchor.year + 1
    return anchor.year


def _month_name(anchor, tense, month, direction):
    year = _pick_year(anchor, int(month), anchor.month, 12, direction, tense)
    if direction == "-1" and (anchor.month - int(month)) % 12 == 1:
        # "last February" written in March is not last month (that would be "last month"):
        # it is the February of the year before
        year -= 1
    return f"{year:04d}-{int(month):02d}"


def _month_day(anchor, tense, month, day, direction, tod="", weekday=""):
    m, d = int(month), int(day)
    position = m * 31 + d
    year = _pick_year(anchor, position, anchor.month * 31 + anchor.day, 372, direction, tense)
    if weekday and direction == "t":
        # "Monday, March 10" says which year as well as the tense does: of the year picked and
        # the years either side, the one where the day is that weekday (a headline's present
        # tense, "Snowden speaks on Monday, March 10", read a day later, is not next year's).
        # The past tense never moves it ahead: a weekday that does not agree is a slip then.
        years = (year, year - 1) if tense == PAST else (year, year - 1, year + 1)
        year = next((y for y in years if _is_weekday(y, m, d, int(weekday))), year)
    d = min(d, calendar.monthrange(year, m)[1])
    return _with_time(dt.date(year, m, d), tod)


def _is_weekday(year: int, month: int, day: int, weekday: int) -> bool:
    return day <= calendar.monthrange(year, month)[1] and dt.date(year, month, day).isoweekday() == weekday


def _season(anchor, tense, season, direction):
    # Winter belongs to the year it starts in (TIMEX3 "1994-WI" = winter 1994/95).
    anchor_season = SEASON_ORDER[_season_of(anchor.month)]
    year = _pick_year(anchor, SEASON_ORDER[season], anchor_season, 4, direction, tense)
    if anchor.month <= 2 and direction in ("t", "0") and season == "WI":
        year = anchor.year - 1
    return f"{year:04d}-{season}"


def _season_of(month: int) -> str:
    for name, (first, last) in SEASON_MONTHS.items():
        if first <= month <= last or (first > last and (month >= first or month <= last)):
            return name
    return "WI"


def _year_quarter(anchor, tense, n, direction):
    current = (anchor.month - 1) // 3 + 1
    return f"{_pick_year(anchor, int(n), current, 4, direction, tense, PERIOD_SLACK):04d}-Q{n}"


def _year_half(anchor, tense, n, direction):
    current = 1 if anchor.month <= 6 else 2
    return f"{_pick_year(anchor, int(n), current, 2, direction, tense, PERIOD_SLACK):04d}-H{n}"


def _ago(anchor, tense, amount, unit, sign):
    n = float(amount) * int(sign)
    if unit == "Y":
        if abs(n) >= 1 and n == int(n):
            return f"{anchor.year + int(n):04d}"
        return _month(anchor, tense, round(n * 12))
    if unit == "M":
        return _month(anchor, tense, round(n))
    if unit == "W" and abs(n) > 2:  # "six weeks ago": a week; "two weeks ago": a day
        return _iso_week(anchor + dt.timedelta(weeks=n))
    if unit in _DAYS_PER_UNIT:
        return (anchor + dt.timedelta(days=round(n * _DAYS_PER_UNIT[unit]))).isoformat()
    return anchor.isoformat()  # hours and minutes ago: the same day


def _holiday(anchor, tense, name, direction):
    """Holidays without a fixed date (fixed ones are ``md`` rules)."""
    def thanksgiving(year: int) -> dt.date:  # the fourth Thursday of November (US)
        first = dt.date(year, 11, 1)
        return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)

    day = thanksgiving(anchor.year)
    year = _pick_year(anchor, day.timetuple().tm_yday, anchor.timetuple().tm_yday, 366,
                      direction, tense)
    return thanksgiving(year).isoformat()


_DAY_VALUE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_MONTH_VALUE = re.compile(r"^(\d{4})-(\d{2})(?!\d)")
_WEEK_VALUE = re.compile(r"^(\d{4})-W(\d{2})")
_YEAR_VALUE = re.compile(r"^(\d{4})(?![\dX])")
ANAPHORIC_GRAIN = {"day": (_DAY_VALUE,), "wd": (_DAY_VALUE,), "week": (_DAY_VALUE, _WEEK_VALUE),
                   "month": (_DAY_VALUE, _MONTH_VALUE), "year": (_YEAR_VALUE,)}


def anaphoric_reference_ok(unit: str, value: str | None) -> bool:
    """Whether a mentioned date ``value`` is precise enough to anchor an anaphoric ``unit``."""
    if not value:
        return False
    return any(p.match(value) for p in ANAPHORIC_GRAIN["wd" if unit.startswith("wd") else unit])


def _anaphoric(anchor, tense, unit, n, tod="", ref_tense="", ref_rule=""):
    ref = compute(ref_rule.replace(";", "|"), anchor, ref_tense) if ref_rule else anchor.isoformat()
    if not anaphoric_reference_ok(unit, ref):
        ref = anchor.isoformat()
    step = int(n)
    if unit == "year":
        return f"{int(ref[:4]) + step:04d}"
    if m := _DAY_VALUE.match(ref):
        day = dt.date(int(m[1]), int(m[2]), int(m[3]))
    elif m := _WEEK_VALUE.match(ref):
        day = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
    else:
        m = _MONTH_VALUE.match(ref)
        day = dt.date(int(m[1]), int(m[2]), 1)
    if unit == "month":
        return _month(day, tense, step)
    if unit == "week":
        return _week(day, tense, step)
    if unit.startswith("wd"):  # "the previous Friday": strictly before (after) the reference
        return _weekday(day, tense, unit[2:], "-1" if step < 0 else "+1")
    return _with_time(day + dt.timedelta(days=step), tod)


_HANDLERS = {
    "day": _day, "wd": _weekday, "week": _week, "weekend": _weekend, "month": _month,
    "year": _year, "quarter": _quarter, "lq": _last_quarter, "lqy": _last_quarter_of_year, "decade": _decade,
    "century": _century, "mon": _month_name, "md": _month_day, "season": _season,
    "q": _year_quarter, "h": _year_half, "ago": _ago, "hol": _holiday,
    "anaph": _anaphoric,
}


# ---------------------------------------------------------------------------------------------
# Intervals

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")
_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})(-WE)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_YEAR = re.compile(r"^(\d{4})$")
_DECADE = re.compile(r"^(\d{3})$")
_CENTURY = re.compile(r"^(\d{2})$")


def interval(value: str) -> tuple[dt.date, dt.date] | None:
    """The calendar days (first, last; inclusive) a DATE value covers; None when it is not a
    calendar date (durations, ``*_REF``, values with ``X``)."""
    if not value or "X" in value:
        return None
    try:
        return _interval(value)
    except ValueError:  # e.g. "2025-02-30" or week 60: not a real date
        return None


def _interval(value: str) -> tuple[dt.date, dt.date] | None:
    if m := _DAY.match(value):
        day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        return day, day
    if m := _WEEK.match(value):
        monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        if m[3]:
            return monday + dt.timedelta(days=5), monday + dt.timedelta(days=6)
        return monday, monday + dt.timedelta(days=6)
    if m := _MONTH.match(value):
        return _months(int(m[1]), int(m[2]), 1)
    if m := _QUARTER.match(value):
        return _months(int(m[1]), (int(m[2]) - 1) * 3 + 1, 3)
    if m := _HALF.match(value):
        return _months(int(m[1]), (int(m[2]) - 1) * 6 + 1, 6)
    if m := _SEASON.match(value):
        first, _ = SEASON_MONTHS[m[2]]
        return _months(int(m[1]), first, 3)
    if m := _YEAR.match(value):
        return dt.date(int(m[1]), 1, 1), dt.date(int(m[1]), 12, 31)
    if m := _DECADE.match(value):
        return dt.date(int(m[1]) * 10, 1, 1), dt.date(int(m[1]) * 10 + 9, 12, 31)
    if m := _CENTURY.match(value):
        return dt.date(max(int(m[1]) * 100, 1), 1, 1), dt.date(int(m[1]) * 100 + 99, 12, 31)
    return None


def _months(year: int, first_month: int, count: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, first_month, 1)
    end = start + relativedelta(months=count) - dt.timedelta(days=1)
    return start, end
