"""Calendar dates (ISO, "March 3, 2024", years, decades, seasons, holidays) and quarters and
halves ("the third quarter", "Q3 2024", "the year-ago quarter")."""
from __future__ import annotations

import datetime as dt
import re

from storyline.analyze.timex.builders.common import DATE, POINT_RELATIONS, TIME, candidate, sentence_initial
from storyline.analyze.timex.lexicon import MONTHS, ONES, SEASONS, TENS, WEEKDAYS, parse_number, parse_ordinal_day

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
        return [candidate(m, 0, TIME, f"abs|{value}T{m['h']}:{m['mi']}")]
    return [candidate(m, 0, DATE, f"abs|{value}")]


def build_slash(m, text):
    first, second, year = int(m["a"]), int(m["b"]), int(m["y"])
    if year < 100:
        year += 1900 if year >= 50 else 2000
    month, day = (first, second) if first <= 12 else (second, first)  # US order unless impossible
    if not _valid(year, month, day):
        return None
    return [candidate(m, 0, DATE, f"abs|{year:04d}-{month:02d}-{day:02d}")]


def build_month_day(m, text):
    month = MONTHS[m["mon"].lower().rstrip(".")]
    day = parse_ordinal_day(m["day"])
    if not day or day > 31:
        return None
    if m["year"]:
        year = _year_from(m["year"])
        if not year or not _valid(year, month, day):
            return None
        return [candidate(m, 0, DATE, f"abs|{year:04d}-{month:02d}-{day:02d}")]
    rel = m.groupdict().get("rel")  # "last Oct. 23"; the day-month pattern has none
    direction = POINT_RELATIONS[rel.lower()] if rel else "t"
    # A stated weekday ("Monday, March 10") picks the year it falls on (values._month_day).
    weekday = WEEKDAYS.get((m["wd"] or "").lower().rstrip("."), "")
    return [candidate(m, 0, DATE, f"md|{month}|{day}|{direction}" + (f"||{weekday}" if weekday else ""))]


def build_month_year(m, text):
    month = MONTHS[m["mon"].lower().rstrip(".")]
    year = _year_from(m["year"])
    return [candidate(m, 0, DATE, f"abs|{year:04d}-{month:02d}")] if year else None


def build_month(m, text):
    if m["mon"] == "May" and sentence_initial(text, m.start("mon")) and not m["rel"]:
        return None  # "May I ...": the modal
    if not m["rel"] and re.search(r"(?i)\b(?:the|a|an|annual)\s+$", text[max(0, m.start() - 8):m.start()]):
        return None  # "the annual March for Life": a noun
    month = MONTHS[m["mon"].lower().rstrip(".")]
    direction = "t"
    if m["rel"]:
        direction = POINT_RELATIONS[m["rel"].lower()]
    if m["ry"]:
        direction = "y" + {"last": "-1", "this": "0", "next": "1"}[m["ry"].lower()]
    return [candidate(m, 0, DATE, f"mon|{month}|{direction}")]


def build_year(m, text):
    if LABEL_WORDS.search(text[max(0, m.start() - 12):m.start()]):
        return None
    if COUNT_NOUNS.match(text, m.end()):
        return None
    year = int(m["year"])
    return [candidate(m, 0, DATE, f"abs|{year:04d}")]


def build_year_range(m, text):
    first = int(m["y1"])
    second = m["y2"]
    last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
    if last <= first or last - first > 50:
        return None
    return [candidate(m, "y1", DATE, f"abs|{first:04d}"), candidate(m, "y2", DATE, f"abs|{last:04d}")]


def build_year_words(m, text):
    year = _year_from(m["year"])
    return [candidate(m, 0, DATE, f"abs|{year:04d}")] if year else None


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
    return [candidate(m, 0, DATE, f"abs|{decade}", mod)]


def build_century(m, text):
    n = parse_ordinal_day(m["n"])
    if not n or n > 21:
        return None
    return [candidate(m, 0, DATE, f"abs|{n - 1:02d}")]


def build_season(m, text):
    season = SEASONS[m["season"].lower()]
    if m["year"]:
        year = _year_from(m["year"])
        return [candidate(m, 0, DATE, f"abs|{year:04d}-{season}")] if year else None
    rel = (m["rel"] or "").lower()
    if m["season"].lower() == "fall" and not rel and not m["the"]:
        return None  # "fall" without a determiner is the verb
    if m["season"][0].isupper() and not rel and not m["the"] and not sentence_initial(text, m.start()):
        return None  # "the Spring of Life rallies": a name
    return [candidate(m, 0, DATE, f"season|{season}|{POINT_RELATIONS.get(rel, 't')}")]


def build_holiday(m, text):
    name = m["name"].lower()
    if name.startswith("thanksgiving"):
        return [candidate(m, 0, DATE, "hol|thanksgiving|t")]
    month, day = HOLIDAYS[name]
    return [candidate(m, 0, DATE, f"md|{month}|{day}|t")]


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
        return [candidate(m, whole, DATE, f"abs|{int(year_text):04d}-{unit}{n}")]
    relation = (m["yrel"] or m["y2"] or "").lower().replace("-", " ").split()
    if "ago" in relation or "earlier" in relation:
        relation = ["last"]
    direction = "y" + {"last": "-1", "this": "0", "next": "1"}[relation[0]] if relation else "t"
    kind = "h" if unit == "H" else "q"
    return [candidate(m, whole, DATE, f"{kind}|{n}|{direction}")]


def build_q_abbrev(m, text):
    n = int(m["n"] or m["n2"])
    if m["y"]:
        return [candidate(m, 0, DATE, f"abs|{int(m['y']):04d}-Q{n}")]
    return [candidate(m, 0, DATE, f"q|{n}|t")]


def build_year_quarter(m, text):
    return [candidate(m, 0, DATE, f"lqy|{m['year']}")]  # "the 1988 quarter"


def build_reference_quarter(m, text):
    if text.startswith("-to-", m.end()):
        return None  # "quarter-to-quarter comparison"
    words = m[0].lower()
    if re.search(r"year[- ](?:ago|earlier)|last year|a year (?:ago|earlier)", words):
        return [candidate(m, 0, DATE, "lq|-4")]
    if "current" in words or words.startswith("this"):
        return [candidate(m, 0, DATE, "quarter|0")]
    if words.startswith("next"):
        return [candidate(m, 0, DATE, "quarter|1")]
    return [candidate(m, 0, DATE, "lq|0")]
