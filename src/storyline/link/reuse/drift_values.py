"""number_changed / date_changed: numbers, amounts and date expressions present on one side of a
component only (replaced, or dropped when the copy has none, or added when the source has them
nowhere). :data:`NUMBER` and :data:`DATE`
also serve the direction cues (:mod:`storyline.link.reuse.direction`).
"""

from __future__ import annotations

import re

from storyline.link.reuse.drift_sides import Side, span_of, words
from storyline.link.reuse.drift_spelling import contains_with_slips
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


# Words a rewrite puts where a date or a number was, making it vaguer ("last week" -> "recent",
# "14 bolts" -> "several bolts"): reported as the replacement, so the change is not empty.
_VAGUE_TIME = re.compile(r"\b(?:recent(?:ly)?|soon|shortly|promptly|earlier|later|previously|lately|"
                         r"in (?:the )?(?:coming|past|near) (?:days|weeks|months|future)|imminently|quickly)\b", re.IGNORECASE)
_VAGUE_AMOUNT = re.compile(r"\b(?:several|many|numerous|multiple|some|a few|a number of|dozens|hundreds|"
                           r"thousands|millions|a handful of|various|countless|a couple of)\b", re.IGNORECASE)


def value_changes(s: Side, d: Side, s_ids: set[int], d_ids: set[int]) -> list[Change]:
    """Values on one side of a component only. A value replaced by another is ``*_changed``
    (severity high); replaced by a vaguer word, ``*_changed`` too, showing that word (low); gone
    with nothing in its place, ``*_dropped`` (low): never an empty change."""
    out = []
    s_dates = _found(s, s_ids, DATE, _norm_date)
    d_dates = _found(d, d_ids, DATE, _norm_date)
    s_numbers = _undated(_found(s, s_ids, NUMBER, norm_number), s_dates)
    d_numbers = _undated(_found(d, d_ids, NUMBER, norm_number), d_dates)
    _year_or_number(s_dates, s_numbers, d_dates, d_numbers)
    _year_added(s_dates, d_dates)
    _unit_letter(s, s_numbers, d, d_numbers)
    for kind, src, der, vague, pattern, norm in (("date", s_dates, d_dates, _VAGUE_TIME, DATE, _norm_date),
                                                  ("number", s_numbers, d_numbers, _VAGUE_AMOUNT, NUMBER, norm_number)):
        gone = [v for k, v in src.items() if k not in der]
        new_keys = [k for k in der if k not in src]
        new = [der[k] for k in new_keys]
        fuzzy = [m.span() for m in _vague_only(s, d, s_ids, d_ids, vague)]
        for n, (a, b) in enumerate(gone[: len(new)]):
            x, y = new[n]
            out.append(Change(f"{kind}_changed", s.article.body[a:b], d.article.body[x:y], (a, b), (x, y), severity="high"))
        rest = gone[len(new) :]
        vaguer = _nearest(rest, fuzzy, span_of(s, s_ids), span_of(d, d_ids))
        d_words = words(d.article.body[slice(*span_of(d, d_ids))])
        for (a, b), found in zip(rest, vaguer):
            if found is None and contains_with_slips(words(s.article.body[a:b]), d_words):
                continue  # still there, misspelt ("next month" -> "next mnoth"): a slip, not a drop
            if found is not None:
                x, y = found
                out.append(Change(f"{kind}_changed", s.article.body[a:b], d.article.body[x:y], (a, b), (x, y), severity="low"))
            else:
                out.append(Change(f"{kind}_dropped", s.article.body[a:b], "", (a, b), None, severity="low"))
        # A value the copy states and the source nowhere does ("the man" -> "two men", "on
        # Tuesday" -> "on Tuesday, 6 January"): new information, not the same facts reworded.
        # (The numbers are already those outside dates: _undated.)
        extra = new_keys[len(gone):]
        anywhere = _found(s, set(range(len(s.sentences))), pattern, norm) if extra else {}
        for key in extra:
            if key not in anywhere and (kind == "number" or _named_day(key)):
                x, y = der[key]
                out.append(Change(f"{kind}_added", "", d.article.body[x:y], None, (x, y), severity="medium"))
    return out


def _named_day(key: object) -> bool:
    """A date that names its day, month or year ("Friday", "6 January", "2011"), not a span said
    another way ("later in the week" -> "later this week")."""
    return isinstance(key, tuple) or (isinstance(key, str) and (key.isdigit() or key in _WEEKDAYS.split("|")))


def _year_added(s_dates: dict, d_dates: dict) -> None:
    """One day written with and without its year ("May 5" -> "May 5, 2011"): a clarity edit.
    Keyed the same on both sides, so it is neither changed nor added."""
    for dates, other in ((s_dates, d_dates), (d_dates, s_dates)):
        for key in [k for k in dates if isinstance(k, tuple) and k[3] is None and k not in other]:
            fuller = [k for k in other if isinstance(k, tuple) and k[:3] == key[:3] and k[3] is not None]
            if len(fuller) == 1 and fuller[0] not in dates:
                other[key] = other.pop(fuller[0])


def _year_or_number(s_dates: dict, s_numbers: dict, d_dates: dict, d_numbers: dict) -> None:
    """A four-digit number read as a year on one side and as an amount on the other is one
    value ("about 2,000 residents" -> "around 2000 residents"): dropped from both sides' keys."""
    for dates, numbers, o_dates, o_numbers in ((s_dates, s_numbers, d_dates, d_numbers),
                                               (d_dates, d_numbers, s_dates, s_numbers)):
        for key in [k for k in dates if isinstance(k, str) and k.isdigit() and k not in o_dates]:
            if float(key) in o_numbers and float(key) not in numbers:
                del dates[key]
                del o_numbers[float(key)]


# A unit word whose abbreviation is its first letter ("3 metres" -> "3m", "5 miles" -> "5m").
_M_UNIT = re.compile(r"\s*-?\s*(?:met(?:re|er)s?|miles?|minutes?)\b", re.IGNORECASE)


def _unit_letter(s: Side, s_numbers: dict, d: Side, d_numbers: dict) -> None:
    """"3m" read as three million on one side where the other writes "3 metres" (miles,
    minutes): the same value, dropped from both sides' keys."""
    for side, numbers, o_side, o_numbers in ((d, d_numbers, s, s_numbers), (s, s_numbers, d, d_numbers)):
        for key, (a, b) in list(numbers.items()):
            text = side.article.body[a:b]
            if key in o_numbers or not re.fullmatch(r"\d+(?:\.\d+)?m", text, re.IGNORECASE):
                continue
            plain = float(text[:-1])
            spot = o_numbers.get(plain)
            if spot is not None and _M_UNIT.match(o_side.article.body, spot[1]):
                del numbers[key]
                del o_numbers[plain]


def _nearest(gone: list[tuple[int, int]], vague: list[tuple[int, int]], s_span: tuple[int, int],
             d_span: tuple[int, int]) -> list[tuple[int, int] | None]:
    """For each value gone from the source passage, the vague word taking its place: the one at
    the nearest relative position in the derived passage ("said on Tuesday it would reopen
    within days" -> "said it would resume soon": "soon" replaces "within days"), each used once."""
    def where(span: tuple[int, int], whole: tuple[int, int]) -> float:
        return (span[0] - whole[0]) / max(1, whole[1] - whole[0])

    free = list(vague)
    out: list[tuple[int, int] | None] = [None] * len(gone)
    pairs = sorted((abs(where(g, s_span) - where(v, d_span)), k, v) for k, g in enumerate(gone) for v in vague)
    for _, k, v in pairs:
        if out[k] is None and v in free:
            out[k] = v
            free.remove(v)
    return out


def _vague_only(s: Side, d: Side, s_ids: set[int], d_ids: set[int], pattern: re.Pattern) -> list[re.Match]:
    """Vague words in the derived sentences that the source sentences do not have."""
    had = {m.group().lower() for k in s_ids for m in pattern.finditer(s.article.body, *s.sentences[k])}
    found = [m for k in sorted(d_ids) for m in pattern.finditer(d.article.body, *d.sentences[k])]
    return [m for m in found if m.group().lower() not in had]


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


_MONTH_NUMBER = {m: k + 1 for k, m in enumerate(_MONTHS.split("|"))}


def _norm_date(text: str) -> object | None:
    """A key that two spellings of one date share: "5 March 2025", "March 5, 2025" and
    "on March 5" name the same day (year only when given); "on Tuesday" is "tuesday"."""
    if text.strip().lower() in ("may", "march") and not text.strip()[:1].isupper():
        return None  # the verbs "may" and "march", not the months
    t = re.sub(r"^(?:on|late|early|this)\s+", "", text.lower().strip())  # "this Thursday" is "on Thursday"
    month = next((n for m, n in _MONTH_NUMBER.items() if re.search(rf"\b{m}\b", t)), None)
    if month is not None:
        day = re.search(r"(?<!\d)(\d{1,2})(?!\d)", t)
        year = re.search(r"\b(\d{4})\b", t)
        return ("date", month, int(day.group(1)) if day else None, int(year.group(1)) if year else None)
    return t or None


def norm_number(text: str) -> object | None:
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
    # "one" alone is mostly a pronoun ("one of the", "no one"), "second" a unit of time.
    if word not in _NUMBER_WORDS or word in {"once", "first", "second"} or t == "one":
        return None
    return float(_NUMBER_WORDS[word])


_CONTRACTION = re.compile(r"\b(won|can|shan)[’']t\b|n[’']t\b|[’'](re|ve|ll|d|m)\b", re.IGNORECASE)
_EXPANDED = {"won": "will not", "can": "cannot", "shan": "shall not", "re": " are", "ve": " have", "ll": " will",
             "d": " would", "m": " am"}


def canonical(text: str) -> str:
    """``text`` with contractions expanded ("won't" -> "will not") and amounts written one way
    ("£60m", "£60 million" -> "60000000"), so that two spellings of the same words compare equal."""
    def expand(m: re.Match) -> str:
        if m.group(1):
            return _EXPANDED[m.group(1).lower()]
        if m.group(2):
            return _EXPANDED[m.group(2).lower()]
        return " not"

    def amount(m: re.Match) -> str:
        value = norm_number(m.group())
        return m.group() if value is None else f" {int(value) if value == int(value) else value} "

    return NUMBER.sub(amount, _CONTRACTION.sub(expand, text))
