"""Builders of the temporal expression rules: a regex match becomes TIMEX3 candidates.

Each ``build_*`` takes a match of its pattern in ``timex_rules`` and the whole text, and returns
:class:`Candidate` objects (span, type, value rule, mod) or None to reject the match (a name,
an age, a count). The value rules are described in ``timex_values``. Spans follow TimeML:
determiners ("the third quarter") and quantifier modifiers ("about two years") are inside,
prepositions ("on", "in", "by") are not.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from storyline.analyze.timex.lexicon import (
    MONTH_RE, MONTHS, ONES, PARTS_OF_DAY, SEASONS, TENS, TIME_UNITS, UNITS, UNITS_PLURAL,
    WEEKDAYS, parse_number, parse_ordinal_day,
)

DATE, TIME, DURATION, SET = "DATE", "TIME", "DURATION", "SET"


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    type: str
    rule: str  # see timex_values; "abs|VALUE" for values that need no anchor
    mod: str | None = None
    tense: str = ""  # forced tense ("this coming Sunday"); else taken from the sentence


# How far back to look for a financial context that makes "a year ago" a quarter.
QUARTER_CONTEXT_CHARS = 400
_QUARTER_CONTEXT = re.compile(r"(?i)\bquarter|\bthree months\b")

DURATION_MODS = {
    "about": "APPROX", "around": "APPROX", "roughly": "APPROX", "approximately": "APPROX",
    "some": "APPROX", "nearly": "LESS_THAN", "almost": "LESS_THAN", "less than": "LESS_THAN",
    "under": "LESS_THAN", "just under": "LESS_THAN", "more than": "MORE_THAN",
    "over": "MORE_THAN", "just over": "MORE_THAN", "at least": "EQUAL_OR_MORE",
    "no less than": "EQUAL_OR_MORE", "up to": "EQUAL_OR_LESS", "no more than": "EQUAL_OR_LESS",
    "at most": "EQUAL_OR_LESS",
}
DURATION_MOD_RE = "|".join(sorted(DURATION_MODS, key=len, reverse=True))
POINT_RELATIONS = {"last": "-1", "past": "-1", "previous": "-1", "this": "0", "current": "0",
                   "next": "+1", "coming": "+1", "following": "+1"}
# "quarterly" and "annually" are left out: mostly "quarterly dividend", "annually" as a rate.
SET_ADVERBS = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M",
               "yearly": "P1Y", "hourly": "PT1H", "biweekly": "P2W"}
# Words after a four-digit number that make it a count, not a year ("1990 people").
COUNT_NOUNS = re.compile(
    r"\s+(?:people|persons|troops|soldiers|students|workers|employees|jobs|shares|votes|cars|"
    r"homes|houses|units|miles|feet|meters|metres|km|kilometers|tons|tonnes|acres|pounds|"
    r"dollars|euros|barrels|cases|deaths|points|rooms|beds|calories|hp|mph|words|pages|"
    r"rupees|yen|yuan|GMT|UTC|hours|hrs|BST|EST|ET|PT)\b"
)
# Words before a four-digit number that make it a label ("Route 1990", "No. 2010").
LABEL_WORDS = re.compile(
    r"(?i)(?:no\.?|number|nos\.?|flight|route|room|highway|interstate|model|page|pages|section|"
    r"article|resolution|bill|chapter|code|suite|box|apt\.?|unit|lot|ward|level|boeing|airbus|"
    r"\$|€|£|#|rs\.?|us\$)\s*$"
)
HOLIDAYS = {
    "new year's day": (1, 1), "new year's eve": (12, 31), "christmas day": (12, 25),
    "christmas eve": (12, 24), "christmas": (12, 25), "boxing day": (12, 26),
    "independence day": (7, 4), "halloween": (10, 31), "valentine's day": (2, 14),
    "bastille day": (7, 14),
}


def _c(m: re.Match, group: int | str, type_: str, rule: str, mod: str | None = None,
       tense: str = "") -> Candidate:
    return Candidate(m.start(group), m.end(group), type_, rule, mod, tense)


def _year_from(text: str) -> int | None:
    """A year written in digits or words ("1997", "nineteen ninety-seven", "two thousand")."""
    t = text.lower().strip()
    if t.isdigit():
        return int(t)
    words = re.split(r"[\s-]+", t)
    if words[:2] == ["two", "thousand"]:
        rest = [w for w in words[2:] if w != "and"]
        return 2000 + (parse_number(" ".join(rest)) or 0 if rest else 0)
    if words[0] in ("nineteen", "eighteen", "twenty") and len(words) > 1:
        century = ONES.get(words[0], TENS.get(words[0], 0))
        rest = parse_number(" ".join(words[1:]))
        return century * 100 + int(rest) if rest and rest < 100 else None
    return None




# ---------------------------------------------------------------------------------------------
# Calendar dates


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def build_iso(m, text):
    year, month, day = int(m["y"]), int(m["mo"]), int(m["d"])
    if not _valid(year, month, day):
        return None
    value = f"{year:04d}-{month:02d}-{day:02d}"
    if m["h"]:
        return [_c(m, 0, TIME, f"abs|{value}T{m['h']}:{m['mi']}")]
    return [_c(m, 0, DATE, f"abs|{value}")]


def build_slash(m, text):
    first, second, year = int(m["a"]), int(m["b"]), int(m["y"])
    if year < 100:
        year += 1900 if year >= 50 else 2000
    month, day = (first, second) if first <= 12 else (second, first)  # US order unless impossible
    if not _valid(year, month, day):
        return None
    return [_c(m, 0, DATE, f"abs|{year:04d}-{month:02d}-{day:02d}")]


def build_month_day(m, text):
    month = MONTHS[m["mon"].lower().rstrip(".")]
    day = parse_ordinal_day(m["day"])
    if not day or day > 31:
        return None
    if m["year"]:
        year = _year_from(m["year"])
        if not year or not _valid(year, month, day):
            return None
        return [_c(m, 0, DATE, f"abs|{year:04d}-{month:02d}-{day:02d}")]
    rel = m.groupdict().get("rel")  # "last Oct. 23"; the day-month pattern has none
    direction = POINT_RELATIONS[rel.lower()] if rel else "t"
    return [_c(m, 0, DATE, f"md|{month}|{day}|{direction}")]


def build_month_year(m, text):
    month = MONTHS[m["mon"].lower().rstrip(".")]
    year = _year_from(m["year"])
    return [_c(m, 0, DATE, f"abs|{year:04d}-{month:02d}")] if year else None


def build_month(m, text):
    if m["mon"] == "May" and _sentence_initial(text, m.start("mon")) and not m["rel"]:
        return None  # "May I ...": the modal
    if not m["rel"] and re.search(r"(?i)\b(?:the|a|an|annual)\s+$", text[max(0, m.start() - 8):m.start()]):
        return None  # "the annual March for Life": a noun
    month = MONTHS[m["mon"].lower().rstrip(".")]
    direction = "t"
    if m["rel"]:
        direction = POINT_RELATIONS[m["rel"].lower()]
    if m["ry"]:
        direction = "y" + {"last": "-1", "this": "0", "next": "1"}[m["ry"].lower()]
    return [_c(m, 0, DATE, f"mon|{month}|{direction}")]


def _sentence_initial(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return not before or before[-1] in ".!?\"'\n"


def build_year(m, text):
    if LABEL_WORDS.search(text[max(0, m.start() - 12):m.start()]):
        return None
    if COUNT_NOUNS.match(text, m.end()):
        return None
    year = int(m["year"])
    return [_c(m, 0, DATE, f"abs|{year:04d}")]


def build_year_range(m, text):
    first = int(m["y1"])
    second = m["y2"]
    last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
    if last <= first or last - first > 50:
        return None
    return [_c(m, "y1", DATE, f"abs|{first:04d}"), _c(m, "y2", DATE, f"abs|{last:04d}")]


def build_year_words(m, text):
    year = _year_from(m["year"])
    return [_c(m, 0, DATE, f"abs|{year:04d}")] if year else None


def build_decade(m, text):
    if m["digits"]:
        decade = m["digits"][:3]
    elif m["digits2"]:  # "the '90s": the twentieth century; "in his 30s" is an age
        if re.search(r"(?i)\b(?:his|her|their|my|your|our|its)\s+(?:early|late|mid)?[\s-]*$",
                     text[max(0, m.start() - 12):m.start()]):
            return None
        decade = "19" + m["digits2"][0]
    else:
        word = m["word"].lower()
        tens = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
                "seventies": 7, "eighties": 8, "nineties": 9}[word]
        decade = f"19{tens}"
    mod = {"early": "START", "late": "END", "mid": "MID"}.get((m["pm"] or "").lower())
    return [_c(m, 0, DATE, f"abs|{decade}", mod)]


def build_century(m, text):
    n = parse_ordinal_day(m["n"])
    if not n or n > 21:
        return None
    return [_c(m, 0, DATE, f"abs|{n - 1:02d}")]


def build_season(m, text):
    season = SEASONS[m["season"].lower()]
    if m["year"]:
        year = _year_from(m["year"])
        return [_c(m, 0, DATE, f"abs|{year:04d}-{season}")] if year else None
    rel = (m["rel"] or "").lower()
    if m["season"].lower() == "fall" and not rel and not m["the"]:
        return None  # "fall" without a determiner is the verb
    if m["season"][0].isupper() and not rel and not m["the"] and not _sentence_initial(text, m.start()):
        return None  # "the Spring of Life rallies": a name
    return [_c(m, 0, DATE, f"season|{season}|{POINT_RELATIONS.get(rel, 't')}")]


def build_holiday(m, text):
    name = m["name"].lower()
    if name.startswith("thanksgiving"):
        return [_c(m, 0, DATE, "hol|thanksgiving|t")]
    month, day = HOLIDAYS[name]
    return [_c(m, 0, DATE, f"md|{month}|{day}|t")]


# ---------------------------------------------------------------------------------------------
# Quarters and halves

QUARTER_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2,
                    "3rd": 3, "4th": 4}


def build_quarter(m, text):
    n = QUARTER_ORDINALS[m["ord"].lower()]
    unit = "H" if m["unit"].lower() == "half" else "Q"
    if unit == "H" and n > 2:
        return None
    # "the third-quarter loss": the determiner belongs to the noun, not to the adjective
    whole = "core" if m["the"] and text[m.end("ord")] == "-" and not m["y2"] else 0
    year_text = m["y1"] or m["y2"]
    if year_text and year_text[0].isdigit():
        return [_c(m, whole, DATE, f"abs|{int(year_text):04d}-{unit}{n}")]
    relation = (m["yrel"] or m["y2"] or "").lower().replace("-", " ").split()
    if "ago" in relation or "earlier" in relation:
        relation = ["last"]
    direction = "y" + {"last": "-1", "this": "0", "next": "1"}[relation[0]] if relation else "t"
    kind = "h" if unit == "H" else "q"
    return [_c(m, whole, DATE, f"{kind}|{n}|{direction}")]


def build_q_abbrev(m, text):
    n = int(m["n"] or m["n2"])
    if m["y"]:
        return [_c(m, 0, DATE, f"abs|{int(m['y']):04d}-Q{n}")]
    return [_c(m, 0, DATE, f"q|{n}|t")]


def build_year_quarter(m, text):
    return [_c(m, 0, DATE, f"lqy|{m['year']}")]  # "the 1988 quarter"


def build_reference_quarter(m, text):
    if text.startswith("-to-", m.end()):
        return None  # "quarter-to-quarter comparison"
    words = m[0].lower()
    if re.search(r"year[- ](?:ago|earlier)|last year|a year (?:ago|earlier)", words):
        return [_c(m, 0, DATE, "lq|-4")]
    if "current" in words or words.startswith("this"):
        return [_c(m, 0, DATE, "quarter|0")]
    if words.startswith("next"):
        return [_c(m, 0, DATE, "quarter|1")]
    return [_c(m, 0, DATE, "lq|0")]


# ---------------------------------------------------------------------------------------------
# Words relative to the anchor
# Left out on purpose, because TimeML annotators mostly did not tag them in news: "soon",
# "previously", "former", bare "future" and "recent" (as in "future growth", "a recent sale").

DEICTIC_DAYS = {"today": 0, "yesterday": -1, "tomorrow": 1}
REFS = {
    "now": "PRESENT_REF", "right now": "PRESENT_REF", "currently": "PRESENT_REF",
    "current": "PRESENT_REF", "at present": "PRESENT_REF", "the present": "PRESENT_REF",
    "nowadays": "PRESENT_REF", "these days": "PRESENT_REF", "the moment": "PRESENT_REF",
    "recently": "PAST_REF", "recent": "PAST_REF", "lately": "PAST_REF", "the past": "PAST_REF",
    "previously": "PAST_REF", "more recently": "PAST_REF", "most recently": "PAST_REF",
    "the future": "FUTURE_REF", "the near future": "FUTURE_REF", "soon": "FUTURE_REF",
    "future": "FUTURE_REF", "the foreseeable future": "FUTURE_REF",
}


def build_deictic(m, text):
    word = m["word"].lower()
    if word == "tonight":
        return [_c(m, 0, TIME, "day|0|NI")]
    n = DEICTIC_DAYS[word]
    if m["tod"]:
        return [_c(m, 0, TIME, f"day|{n}|{PARTS_OF_DAY[m['tod'].lower()]}")]
    return [_c(m, 0, DATE, f"day|{n}")]


def build_day_part(m, text):
    rel = m["rel"].lower()
    part = PARTS_OF_DAY[m["tod"].lower()]
    n = -1 if rel == "last" else 0
    if rel == "last" and part != "NI":
        return None  # "last morning" is not news usage
    return [_c(m, 0, TIME, f"day|{n}|{part}")]


def build_ref(m, text):
    word = re.sub(r"\s+", " ", m[0].lower())
    if word == "current" and re.match(r"\s*(?:account|affairs|events|prices|dollars|"
                                      r"assets|liabilities|flows?|status)\b", text[m.end():]):
        return None
    return [_c(m, 0, DATE, f"abs|{REFS[word]}")]


def build_vague_period(m, text):
    # "recent years", "the coming weeks", "the past few days": TimeBank and HeidelTime value
    # them as vague durations (PXY, PXW, PXD), not as PAST_REF / FUTURE_REF points.
    unit = _unit_name(m["unit"])
    return [_c(m, 0, DURATION, f"abs|{_duration_value(None, unit)}")]


RELATIVE_UNITS = {"week": "week", "month": "month", "year": "year", "quarter": "quarter",
                  "decade": "decade", "century": "century", "weekend": "weekend"}


def build_relative_unit(m, text):
    if m[0].istitle() and not _sentence_initial(text, m.start()):
        return None  # "ABC's This Week": a title
    rel = re.sub(r"^the\s+", "", m["rel"].lower())
    unit = m["unit"].lower()
    offset = POINT_RELATIONS[rel]
    if rel == "past" and unit in ("decade", "century"):
        years = 10 if unit == "decade" else 100
        return [_c(m, 0, DURATION, f"abs|P{years}Y")]
    if unit == "quarter" and offset == "-1":
        return [_c(m, 0, DATE, "lq|0")]
    return [_c(m, 0, DATE, f"{RELATIVE_UNITS[unit]}|{int(offset)}")]


ANAPHORIC_STEPS = {"following": 1, "next": 1, "previous": -1, "preceding": -1}


def build_anaphoric(m, text):
    """"later that year", "that same day", "the following month", "the next morning": the
    rule ``anaph|UNIT|N|TOD`` is completed with the last mentioned date by ``timex``."""
    unit = m["unit"].lower()
    if m["that"]:
        step = 0
    else:
        step = ANAPHORIC_STEPS[m["rel"].split()[-1].lower()]
        if step == 1 and m["rel"].split()[-1].lower() == "next" and unit in ("week", "month",
                                                                              "year"):
            return None  # "the next year" is mostly the coming one: the relative_unit rule
    tod = PARTS_OF_DAY.get(unit, "")
    if tod:
        unit = "day"
    elif unit in ("morning", "afternoon", "evening", "night", "overnight"):
        return None
    if m["that"] and m["that"].lower().startswith("the") and unit != "day":
        return None  # "the same month last year"
    if m["that"] and unit == "day" and not m["side"] and "same" not in m["that"].lower():
        return None  # a bare "that day" is mostly not annotated ("trades made that day")
    return [_c(m, 0, TIME if tod else DATE, f"anaph|{unit}|{step}|{tod}")]


def build_anaphoric_weekday(m, text):
    """"the previous Friday": the weekday before (after) the last mentioned date."""
    wd = WEEKDAYS[m["wd"].lower().rstrip(".")]
    step = ANAPHORIC_STEPS[m["rel"].split()[-1].lower()]
    return [_c(m, 0, DATE, f"anaph|wd{wd}|{step}|")]


def build_the_weekend(m, text):
    return [_c(m, 0, DATE, "weekend|t")]


def build_weekday(m, text):
    wd = WEEKDAYS[m["wd"].lower().rstrip(".")]
    if not m["rel"] and not _weekday_is_date(m, text):
        return None
    rel = (m["rel"] or "").lower()
    tense = ""
    if re.match(r"['’]s\b", text[m.end():]):
        tense = "PAST"  # "Wednesday's ruling": something that has happened
    if "coming" in rel:
        direction, tense = "t", "FUTURE"
    else:
        direction = POINT_RELATIONS.get(rel, "t")
    tod = PARTS_OF_DAY.get((m["tod"] or "").lower(), "")
    type_ = TIME if tod else DATE
    return [_c(m, 0, type_, f"wd|{wd}|{direction}|{tod}", tense=tense)]


_NAME_AFTER = re.compile(r"\s+(?!(?:" + MONTH_RE + r"|[A-Z]{2,}\b))[A-Z][a-z]")
_HOLIDAY_BEFORE = re.compile(r"(?:Good|Black|Super|Ash|Cyber|Bloody|Maundy|Easter|Holy|Palm|"
                             r"Giving|Small Business|Manic|Blue)\s+$")
_TEMPORAL_PREPOSITION = re.compile(r"(?i)\b(?:on|since|until|till|by|before|after|from|"
                                   r"through|early|late|last|next|this|and|or|to)\s+$")


def _weekday_is_date(m: re.Match, text: str) -> bool:
    """False for "Good Friday", "Super Tuesday", "Wednesday Addams", "the Sunday Times"."""
    before = text[max(0, m.start() - 20):m.start()]
    if _HOLIDAY_BEFORE.search(before):
        return False
    if _NAME_AFTER.match(text, m.end()) and not _TEMPORAL_PREPOSITION.search(before):
        return False
    return True


def build_weekday_set(m, text):
    wd = WEEKDAYS[m["wd"].lower().rstrip("s.")]
    return [_c(m, 0, SET, f"abs|XXXX-WXX-{wd}")]


# ---------------------------------------------------------------------------------------------
# Clock times


def _clock(m) -> str | None:
    if m["h24"]:  # "14:30 GMT"
        return f"{int(m['h24']):02d}:{m['mi24']}"
    special = (m["special"] or "").lower()
    if special in ("noon", "midday"):
        return "12:00"
    if special == "midnight":
        return "24:00"
    hour = int(m["h"])
    minute = int(m["mi"] or 0)
    ampm = (m["ap"] or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 24 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def build_clock(m, text):
    clock = _clock(m)
    if clock is None:
        return None
    found = _build_clock(m, clock)
    if m["approx"]:
        found[0].mod = "APPROX"
    return found


def _build_clock(m, clock):
    if m["wd"]:
        wd = WEEKDAYS[m["wd"].lower().rstrip(".")]
        return [_c(m, 0, TIME, f"wd|{wd}|t|{clock}")]
    if m["mon"]:
        month = MONTHS[m["mon"].lower().rstrip(".")]
        return [_c(m, 0, TIME, f"md|{month}|{int(m['day'])}|t|{clock}")]
    n = DEICTIC_DAYS.get((m["rel"] or "").lower(), 0)
    return [_c(m, 0, TIME, f"day|{n}|{clock}")]


# ---------------------------------------------------------------------------------------------
# Durations, "... ago" and sets


def _duration_value(amount: float | None, unit: str) -> str:
    letter, multiple = UNITS[unit]
    designator = "PT" if unit in TIME_UNITS else "P"
    if amount is None:
        return f"{designator}X{letter}"
    total = amount * multiple
    if total != int(total):  # "2 1/2 years" -> P2Y6M: carry the fraction to a smaller unit
        whole = int(total)
        smaller = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24),
                   "H": ("M", 60), "S": ("S", 1)}[letter]
        rest = round((total - whole) * smaller[1])
        if letter == "D":
            return f"P{whole}DT{rest}H"
        if letter == "H":
            return f"PT{whole}H{rest}M"
        return f"{designator}{whole}{letter}{rest}{smaller[0]}"
    return f"{designator}{int(total)}{letter}"


def _unit_name(word: str) -> str:
    word = word.lower()
    return UNITS_PLURAL.get(word, word)


_RATE_BEFORE = re.compile(r"(?i)(?:\d%?|\b(?:percent|cents?|dollars|pounds|euros|million|"
                          r"billion|trillion|once|twice|times|barrels|tons|tonnes))\s*$")


def build_duration(m, text):
    if m[0].lower().endswith(("-year-old", "-month-old")) or re.match(r"[\s-]+old\b", text[m.end():]):
        return None  # ages are not temporal expressions in TimeML
    if re.match(r"(?i)three-quarters?\b", m[0][m.start("num") - m.start():]) or (
            m["unit"].lower() == "quarter" and re.match(r"\s+of\b", text[m.end():])):
        return None  # a fraction: "three-quarters", "more than a quarter of the market"
    if m["num"].lower() in ("a", "an") and m["unit"].lower() == "second":
        return None  # "a second group": the ordinal
    unit = _unit_name(m["unit"])
    num = m["num"].lower()
    amount = parse_number(num)
    direction = (m["dir"] or "").lower()
    mod = DURATION_MODS.get(re.sub(r"\s+", " ", (m["dm"] or "").lower()))
    if direction:
        return _build_ago(m, text, amount, unit, direction, mod)
    if num in ("a", "an") and not m["det"] and not m["adj"] and _RATE_BEFORE.search(
            text[max(0, m.start() - 20):m.start()]):
        return [_c(m, 0, SET, f"abs|{_duration_value(1, unit)}")]  # "$5 a year"
    start = m.start()
    if m["dm"] and m["dm"].lower() == "over" and (m["det"] or m["adj"]):
        start, mod = m.start("det") if m["det"] else m.start("adj"), None  # "over the past year"
    if m["det"] and text[m.end("num")] == "-":
        start = m.start("num")  # "the two-week strike": the determiner is the noun's
    return [Candidate(start, m.end(), DURATION, f"abs|{_duration_value(amount, unit)}", mod)]


def _build_ago(m, text, amount, unit, direction, mod):
    if direction in ("later", "earlier") and UNITS[unit][0] != "Y":
        # "three days later", "a day earlier": counted from an event, not from the anchor;
        # TimeML tags the duration ("three days", P3D) and leaves the signal word out.
        return [Candidate(m.start(), m.end("unit"), DURATION,
                          f"abs|{_duration_value(amount, unit)}", mod)]
    sign = "+1" if direction in ("later", "from now", "hence") else "-1"
    if amount is None:
        value = "FUTURE_REF" if sign == "+1" else "PAST_REF"
        return [_c(m, 0, DATE, f"abs|{value}", mod)]
    letter, multiple = UNITS[unit]
    amount *= multiple
    if unit in ("decade", "century"):
        letter = "Y"
    context = text[max(0, m.start() - QUARTER_CONTEXT_CHARS):m.start()]
    if letter == "Y" and amount == 1 and _QUARTER_CONTEXT.search(context):
        return [_c(m, 0, DATE, "lq|-4", mod)]  # earnings reports compare with the quarter
    if unit in TIME_UNITS:
        letter = "D"
        amount = 0
    return [_c(m, 0, DATE, f"ago|{amount:g}|{letter}|{sign}", mod)]


def build_year_ago_adjective(m, text):
    context = text[max(0, m.start() - QUARTER_CONTEXT_CHARS):m.end() + 40]
    if _QUARTER_CONTEXT.search(context):
        return [_c(m, 0, DATE, "lq|-4")]
    return [_c(m, 0, DATE, "year|-1")]


def build_vague_plural(m, text):
    unit = _unit_name(m["unit"])
    return [_c(m, "unit", DURATION, f"abs|{_duration_value(None, unit)}")]


def build_set(m, text):
    unit = _unit_name(m["unit"])
    amount = parse_number(m["num"]) if m["num"] else 1
    if m["other"]:
        amount = 2
    return [_c(m, 0, SET, f"abs|{_duration_value(amount, unit)}")]


def build_set_named(m, text):
    if m["wd"]:
        return [_c(m, 0, SET, f"abs|XXXX-WXX-{WEEKDAYS[m['wd'].lower().rstrip('.')]}")]
    return [_c(m, 0, SET, f"abs|XXXX-{MONTHS[m['mon'].lower().rstrip('.')]:02d}")]


def build_set_adverb(m, text):
    return [_c(m, 0, SET, f"abs|{SET_ADVERBS[m[0].lower()]}")]


def build_year_end(m, text):
    words = m[0].lower()
    if "month" in words:
        return [_c(m, 0, DATE, "month|0", "END")]
    return [_c(m, 0, DATE, "year|0", "END")]


def build_the_year(m, text):
    if re.match(r"\s+(?:ended|ending|to)\b", text[m.end():]):
        return [_c(m, 0, DURATION, "abs|P1Y")]
    return [_c(m, 0, DATE, "year|0")]
