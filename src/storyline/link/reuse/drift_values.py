"""number_changed / date_changed: numbers, amounts and date expressions present on one side of a
component only (replaced, or dropped when the copy has none). :data:`NUMBER` and :data:`DATE`
also serve the direction cues (:mod:`storyline.link.reuse.direction`).
"""

from __future__ import annotations

import re

from storyline.link.reuse.drift_sides import Side
from storyline.records import Change

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "hundred": 100, "thousand": 1000, "million": 1e6, "billion": 1e9, "dozen": 12,
    "twice": 2, "once": 1, "half": 0.5, "first": 1, "second": 2, "third": 3,
}
NUMBER = re.compile(
    r"(?<![\w.])(?:[$£€¥]\s?)?\d[\d,]*(?:\.\d+)?(?:\s?(?:%|per cent|percent|bn|m|k|million|billion|trillion))?(?![\w])"
    r"|\b(?:" + "|".join(_NUMBER_WORDS) + r")\b(?:[- ](?:hundred|thousand|million|billion|years?|days?|weeks?|months?))?",
    re.IGNORECASE,
)
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
DATE = re.compile(
    rf"\b(?:(?:last|next|this|on|late|early)\s+)?(?:{_WEEKDAYS})\b"
    rf"|\b\d{{1,2}}\s+(?:{_MONTHS})(?:\s+\d{{4}})?\b|\b(?:{_MONTHS})(?:\s+\d{{1,2}})?(?:,?\s+\d{{4}})?\b"
    r"|\b(?:last|next|this|earlier this|later this)\s+(?:week|month|year|weekend|spring|summer|autumn|winter)\b"
    r"|\b(?:yesterday|today|tomorrow|tonight|within (?:days|weeks|hours|months)|in recent (?:days|weeks|months))\b"
    r"|\b(?:19|20)\d\d\b",
    re.IGNORECASE,
)


def value_changes(s: Side, d: Side, s_ids: set[int], d_ids: set[int]) -> list[Change]:
    out = []
    s_dates = _found(s, s_ids, DATE, _norm_date)
    d_dates = _found(d, d_ids, DATE, _norm_date)
    s_numbers = _undated(_found(s, s_ids, NUMBER, _norm_number), s_dates)
    d_numbers = _undated(_found(d, d_ids, NUMBER, _norm_number), d_dates)
    for kind, src, der in (("date_changed", s_dates, d_dates), ("number_changed", s_numbers, d_numbers)):
        gone = [v for k, v in src.items() if k not in der]
        new = [v for k, v in der.items() if k not in src]
        for n, (a, b) in enumerate(gone):
            if n < len(new):
                x, y = new[n]
                out.append(Change(kind, s.article.body[a:b], d.article.body[x:y], (a, b), (x, y)))
            else:
                out.append(Change(kind, s.article.body[a:b], "", (a, b), None))
    return out


def _undated(numbers: dict[object, tuple[int, int]], dates: dict[object, tuple[int, int]]) -> dict[object, tuple[int, int]]:
    """The numbers that are not part of a date of the same body (a year, a date's day)."""
    spans = dates.values()
    return {k: v for k, v in numbers.items() if not any(x <= v[0] < y for x, y in spans)}


def _found(side: Side, ids: set[int], pattern: re.Pattern, norm) -> dict[object, tuple[int, int]]:
    out: dict[object, tuple[int, int]] = {}
    for k in sorted(ids):
        a0, b0 = side.sentences[k]
        for m in pattern.finditer(side.article.body, a0, b0):
            key = norm(m.group())
            if key is not None:
                out.setdefault(key, (m.start(), m.end()))
    return out


def _norm_date(text: str) -> str | None:
    t = re.sub(r"^(?:on|late|early)\s+", "", text.lower().strip())
    return t or None


def _norm_number(text: str) -> object | None:
    t = text.lower().replace(",", "").strip()
    m = re.match(r"[$£€¥]?\s?(\d+(?:\.\d+)?)", t)
    if m:
        value = float(m.group(1))
        for unit, mult in (("bn", 1e9), ("billion", 1e9), ("trillion", 1e12), ("million", 1e6), ("m", 1e6), ("k", 1e3)):
            if t.endswith(unit):
                value *= mult
                break
        return value
    word = re.split(r"[- ]", t)[0]
    return float(_NUMBER_WORDS[word]) if word in _NUMBER_WORDS and word not in {"once", "first", "second"} else None
