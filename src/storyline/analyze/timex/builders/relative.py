"""Words relative to the anchor: "today", "now", "last week", "the following month", weekdays
("on Tuesday", "the previous Friday"), "the year", "year-end"."""
from __future__ import annotations

import re

from storyline.analyze.timex.builders.common import (
    DATE,
    DURATION,
    POINT_RELATIONS,
    SET,
    TIME,
    candidate,
    sentence_initial,
)
from storyline.analyze.timex.builders.durations import duration_value, unit_name
from storyline.analyze.timex.lexicon import MONTH_RE, PARTS_OF_DAY, WEEKDAYS

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
        return [candidate(m, 0, TIME, "day|0|NI")]
    n = DEICTIC_DAYS[word]
    if m["tod"]:
        return [candidate(m, 0, TIME, f"day|{n}|{PARTS_OF_DAY[m['tod'].lower()]}")]
    return [candidate(m, 0, DATE, f"day|{n}")]


def build_day_part(m, text):
    rel = m["rel"].lower()
    part = PARTS_OF_DAY[m["tod"].lower()]
    n = -1 if rel == "last" else 0
    if rel == "last" and part != "NI":
        return None  # "last morning" is not news usage
    return [candidate(m, 0, TIME, f"day|{n}|{part}")]


def build_ref(m, text):
    word = re.sub(r"\s+", " ", m[0].lower())
    if word == "current" and re.match(r"\s*(?:account|affairs|events|prices|dollars|"
                                      r"assets|liabilities|flows?|status)\b", text[m.end():]):
        return None
    return [candidate(m, 0, DATE, f"abs|{REFS[word]}")]


def build_vague_period(m, text):
    # "recent years", "the coming weeks", "the past few days": TimeBank and HeidelTime value
    # them as vague durations (PXY, PXW, PXD), not as PAST_REF / FUTURE_REF points.
    unit = unit_name(m["unit"])
    return [candidate(m, 0, DURATION, f"abs|{duration_value(None, unit)}")]


RELATIVE_UNITS = {"week": "week", "month": "month", "year": "year", "quarter": "quarter",
                  "decade": "decade", "century": "century", "weekend": "weekend"}


def build_relative_unit(m, text):
    if m[0].istitle() and not sentence_initial(text, m.start()):
        return None  # "ABC's This Week": a title
    rel = re.sub(r"^the\s+", "", m["rel"].lower())
    unit = m["unit"].lower()
    offset = POINT_RELATIONS[rel]
    if rel == "past" and unit in ("decade", "century"):
        years = 10 if unit == "decade" else 100
        return [candidate(m, 0, DURATION, f"abs|P{years}Y")]
    if unit == "quarter" and offset == "-1":
        return [candidate(m, 0, DATE, "lq|0")]
    return [candidate(m, 0, DATE, f"{RELATIVE_UNITS[unit]}|{int(offset)}")]


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
    return [candidate(m, 0, TIME if tod else DATE, f"anaph|{unit}|{step}|{tod}")]


def build_anaphoric_weekday(m, text):
    """"the previous Friday": the weekday before (after) the last mentioned date."""
    wd = WEEKDAYS[m["wd"].lower().rstrip(".")]
    step = ANAPHORIC_STEPS[m["rel"].split()[-1].lower()]
    return [candidate(m, 0, DATE, f"anaph|wd{wd}|{step}|")]


def build_the_weekend(m, text):
    return [candidate(m, 0, DATE, "weekend|t")]


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
    return [candidate(m, 0, type_, f"wd|{wd}|{direction}|{tod}", tense=tense)]


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
    return [candidate(m, 0, SET, f"abs|XXXX-WXX-{wd}")]


def build_year_end(m, text):
    words = m[0].lower()
    if "month" in words:
        return [candidate(m, 0, DATE, "month|0", "END")]
    return [candidate(m, 0, DATE, "year|0", "END")]


def build_the_year(m, text):
    if re.match(r"\s+(?:ended|ending|to)\b", text[m.end():]):
        return [candidate(m, 0, DURATION, "abs|P1Y")]
    return [candidate(m, 0, DATE, "year|0")]
