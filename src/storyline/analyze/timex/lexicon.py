"""Word lists and regex fragments shared by the temporal expression rules (see ``timex``)."""

from __future__ import annotations

import re

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}
WEEKDAYS = {
    "monday": 1, "mon": 1, "tuesday": 2, "tue": 2, "tues": 2, "wednesday": 3, "wed": 3,
    "thursday": 4, "thu": 4, "thur": 4, "thurs": 4, "friday": 5, "fri": 5, "saturday": 6,
    "sat": 6, "sunday": 7, "sun": 7,
}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
PARTS_OF_DAY = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI",
    "midday": "MI", "mid-afternoon": "AF", "mid afternoon": "AF",
}
# ISO-8601 / TIMEX3 unit letters; weekend, fortnight, quarter and decade are spelled in the
# units below them.
UNITS = {
    "second": ("S", 1), "minute": ("M", 1), "hour": ("H", 1), "day": ("D", 1),
    "night": ("D", 1), "week": ("W", 1), "fortnight": ("W", 2), "month": ("M", 1),
    "quarter": ("M", 3), "year": ("Y", 1), "decade": ("Y", 10), "century": ("Y", 100),
}
TIME_UNITS = {"second", "minute", "hour"}  # need the "T" designator: PT5M vs P5M

UNITS_PLURAL = {
    "centuries": "century", "seconds": "second", "minutes": "minute", "hours": "hour",
    "days": "day", "nights": "night", "weeks": "week", "fortnights": "fortnight",
    "months": "month", "quarters": "quarter", "years": "year", "decades": "decade",
}

ONES = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}
# Quantities without a number: the value gets "X" ("several years" -> PXY).
VAGUE_QUANTITIES = (
    "several", "a few", "few", "some", "many", "a number of", "numerous", "countless",
    "hundreds of", "thousands of",
)


def _alt(words) -> str:
    """A regex alternation, longest first so that "sept" wins over "sep"."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _capitalised(words) -> str:
    return "|".join(w.capitalize() for w in sorted(words, key=len, reverse=True))


# Month and weekday names must be capitalised: "may", "march", "sun" and "sat" are words.
# Abbreviations need their dot except the unambiguous four-letter ones.
MONTH_FULL = [m for m in MONTHS if len(m) > 3 and m != "sept"] + ["may"]
MONTH_ABBR = [m for m in MONTHS if len(m) <= 4 and m not in ("may", "june", "july")]
MONTH_RE = (
    rf"(?:{_capitalised(MONTH_FULL)}|{'|'.join(m.upper() for m in MONTH_FULL)}"
    rf"|(?:{_capitalised(MONTH_ABBR)})\.|Sept)"
)
WEEKDAY_FULL = [w for w in WEEKDAYS if w.endswith("day")]
WEEKDAY_RE = (
    rf"(?:{_capitalised(WEEKDAY_FULL)}|{'|'.join(w.upper() for w in WEEKDAY_FULL)}"
    rf"|(?:Mon|Tues?|Wed|Thu(?:rs?)?|Fri)\.)"
)
SEASON_RE = rf"(?:{_alt(SEASONS)})"
_NUM_WORD = rf"(?:(?:{_alt(TENS)})(?:[- ](?:{_alt(k for k in ONES if ONES[k] < 10)}))?|{_alt(ONES)})"
NUMBER_RE = (
    rf"(?:(?:\d{{1,3}}|{_NUM_WORD}|a|an|one)\s+and\s+a\s+half|(?:a\s+)?couple\s+of|\d{{1,3}}(?:,\d{{3}})*(?:\.\d+)?(?:\s+1/2)?|{_NUM_WORD}(?:\s+(?:hundred|thousand))?"
    rf"|(?:a|an|one)\s+(?:hundred|thousand)|a|an|{_alt(VAGUE_QUANTITIES)})"
)
UNIT_RE = rf"(?:{_alt(list(UNITS) + list(UNITS_PLURAL))})"
YEAR_RE = r"(?:1[6-9]\d\d|20\d\d)"
ORDINAL_DAY_RE = (
    rf"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b"
    rf"|(?:twenty|thirty)?-?(?:{_alt(k for k in ORDINALS if ORDINALS[k] < 20)})|twentieth|thirtieth"
)


def parse_number(text: str) -> float | None:
    """The value of a number as written ("24", "twenty four", "a", "2 1/2", "two and a half");
    None when vague ("several")."""
    t = text.lower().replace(",", "").strip()
    if t.startswith(("a couple", "couple")):
        return 2
    half = 0.0
    for suffix in (" 1/2", " and a half"):
        if t.endswith(suffix):
            t, half = t[: -len(suffix)].strip(), 0.5
    whole = _whole_number(t)
    return whole + half if whole is not None else None


def _whole_number(t: str) -> float | None:
    if t in ("a", "an", "one"):
        return 1
    try:
        return float(t)
    except ValueError:
        pass
    total, current = 0, 0
    for word in re.split(r"[\s-]+", t):
        if word in ONES:
            current += ONES[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
        elif word in ("a", "an", "and"):
            continue
        else:
            return None
    return total + current or None


def parse_ordinal_day(text: str) -> int | None:
    """"27", "27th", "eighth", "twenty-first" -> the day of the month."""
    t = text.lower().strip()
    digits = re.match(r"\d+", t)
    if digits:
        return int(digits.group())
    total = 0
    for word in re.split(r"[\s-]+", t):
        if word in ORDINALS:
            total += ORDINALS[word]
        elif word in TENS:
            total += TENS[word]
        elif word:
            return None
    return total or None
