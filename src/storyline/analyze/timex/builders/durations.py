"""Durations ("about two years"), "... ago" / "... later" points, and sets ("every week",
"daily", "$5 a year")."""
from __future__ import annotations

import re

from storyline.analyze.timex.builders.common import DATE, DURATION, SET, Candidate, candidate
from storyline.analyze.timex.lexicon import MONTHS, TIME_UNITS, UNITS, UNITS_PLURAL, WEEKDAYS, parse_number

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
# "quarterly" and "annually" are left out: mostly "quarterly dividend", "annually" as a rate.
SET_ADVERBS = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M",
               "yearly": "P1Y", "hourly": "PT1H", "biweekly": "P2W"}


def duration_value(amount: float | None, unit: str) -> str:
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


def unit_name(word: str) -> str:
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
    unit = unit_name(m["unit"])
    num = m["num"].lower()
    amount = parse_number(num)
    direction = (m["dir"] or "").lower()
    mod = DURATION_MODS.get(re.sub(r"\s+", " ", (m["dm"] or "").lower()))
    if direction:
        return _build_ago(m, text, amount, unit, direction, mod)
    if num in ("a", "an") and not m["det"] and not m["adj"] and _RATE_BEFORE.search(
            text[max(0, m.start() - 20):m.start()]):
        return [candidate(m, 0, SET, f"abs|{duration_value(1, unit)}")]  # "$5 a year"
    start = m.start()
    if m["dm"] and m["dm"].lower() == "over" and (m["det"] or m["adj"]):
        start, mod = m.start("det") if m["det"] else m.start("adj"), None  # "over the past year"
    if m["det"] and text[m.end("num")] == "-":
        start = m.start("num")  # "the two-week strike": the determiner is the noun's
    return [Candidate(start, m.end(), DURATION, f"abs|{duration_value(amount, unit)}", mod)]


def _build_ago(m, text, amount, unit, direction, mod):
    if direction in ("later", "earlier") and UNITS[unit][0] != "Y":
        # "three days later", "a day earlier": counted from an event, not from the anchor;
        # TimeML tags the duration ("three days", P3D) and leaves the signal word out.
        return [Candidate(m.start(), m.end("unit"), DURATION,
                          f"abs|{duration_value(amount, unit)}", mod)]
    sign = "+1" if direction in ("later", "from now", "hence") else "-1"
    if amount is None:
        value = "FUTURE_REF" if sign == "+1" else "PAST_REF"
        return [candidate(m, 0, DATE, f"abs|{value}", mod)]
    letter, multiple = UNITS[unit]
    amount *= multiple
    if unit in ("decade", "century"):
        letter = "Y"
    context = text[max(0, m.start() - QUARTER_CONTEXT_CHARS):m.start()]
    if letter == "Y" and amount == 1 and _QUARTER_CONTEXT.search(context):
        return [candidate(m, 0, DATE, "lq|-4", mod)]  # earnings reports compare with the quarter
    if unit in TIME_UNITS:
        letter = "D"
        amount = 0
    return [candidate(m, 0, DATE, f"ago|{amount:g}|{letter}|{sign}", mod)]


def build_year_ago_adjective(m, text):
    context = text[max(0, m.start() - QUARTER_CONTEXT_CHARS):m.end() + 40]
    if _QUARTER_CONTEXT.search(context):
        return [candidate(m, 0, DATE, "lq|-4")]
    return [candidate(m, 0, DATE, "year|-1")]


def build_vague_plural(m, text):
    unit = unit_name(m["unit"])
    return [candidate(m, "unit", DURATION, f"abs|{duration_value(None, unit)}")]


def build_set(m, text):
    unit = unit_name(m["unit"])
    amount = parse_number(m["num"]) if m["num"] else 1
    if m["other"]:
        amount = 2
    return [candidate(m, 0, SET, f"abs|{duration_value(amount, unit)}")]


def build_set_named(m, text):
    if m["wd"]:
        return [candidate(m, 0, SET, f"abs|XXXX-WXX-{WEEKDAYS[m['wd'].lower().rstrip('.')]}")]
    return [candidate(m, 0, SET, f"abs|XXXX-{MONTHS[m['mon'].lower().rstrip('.')]:02d}")]


def build_set_adverb(m, text):
    return [candidate(m, 0, SET, f"abs|{SET_ADVERBS[m[0].lower()]}")]
