"""The patterns of the temporal expression tagger, in priority order, and the candidate finder.

Each rule is a name, a regex and a builder (``builders``) that turns a match into
candidates; ``timex`` keeps the longest non-overlapping ones. Month and weekday names are
matched case-sensitively (capitalised), other words case-insensitively.
"""

from __future__ import annotations

import re
from typing import Callable

from storyline.analyze.timex.builders import clock, dates, durations, relative
from storyline.analyze.timex.builders.common import Candidate
from storyline.analyze.timex.builders.durations import DURATION_MOD_RE
from storyline.analyze.timex.lexicon import (
    MONTH_RE, NUMBER_RE, ONES, ORDINAL_DAY_RE, ORDINALS, SEASON_RE, TENS, UNIT_RE, WEEKDAY_RE,
    YEAR_RE,
)

Builder = Callable[[re.Match, str], "list[Candidate] | None"]

_TEENS_WORDS = "|".join(k for k in ONES if ONES[k] >= 10)
_TENS_WORDS = "|".join(TENS)
_ONES_WORDS = "|".join(k for k in ONES if ONES[k] < 10)
YEAR_WORDS_RE = (
    rf"(?:(?:nineteen|eighteen|twenty)[\s-]"
    rf"(?:(?:{_TENS_WORDS})(?:[\s-](?:{_ONES_WORDS}))?|{_TEENS_WORDS})"
    rf"|two\s+thousand(?:\s+and)?(?:\s+(?:{_TEENS_WORDS}|{_ONES_WORDS}))?)"
)
ANY_YEAR_RE = rf"(?:{YEAR_RE}|(?i:{YEAR_WORDS_RE}))"

_WD_PREFIX = rf"(?:(?P<wd>{WEEKDAY_RE}),?\s+)?"
_DAY_WORDS = "|".join(sorted(ORDINALS, key=len, reverse=True))
_REL = r"(?i:last|next|this|past|coming|previous|current|following)"
_TOD = r"(?i:morning|afternoon|evening|night|overnight)"
_THE = r"(?:[Tt]he\s+)"

RULES: list[tuple[str, str, Builder]] = [
    ("iso", r"\b(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})(?:T(?P<h>\d{2}):(?P<mi>\d{2}))?\b",
     dates.build_iso),
    ("slash", r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\d/])",
     dates.build_slash),
    ("month_day",
     rf"{_WD_PREFIX}(?:(?P<rel>(?i:last|next|this))\s+)?(?P<mon>{MONTH_RE})\s+"
     rf"(?P<day>{ORDINAL_DAY_RE})"
     rf"(?:,?\s+(?P<year>{ANY_YEAR_RE}))?(?!\d|:\d)", dates.build_month_day),
    ("day_month",
     rf"{_WD_PREFIX}(?:{_THE})?(?P<day>\d{{1,2}}(?:st|nd|rd|th)?|(?i:{_DAY_WORDS}))\s+(?:of\s+)?"
     rf"(?P<mon>{MONTH_RE})(?:,?\s+(?P<year>{ANY_YEAR_RE}))?\b", dates.build_month_day),
    ("month_year", rf"(?P<mon>{MONTH_RE}),?\s+(?:of\s+)?(?P<year>{ANY_YEAR_RE})\b",
     dates.build_month_year),
    ("month",
     rf"(?:(?P<rel>{_REL})\s+)?(?P<mon>{MONTH_RE})(?![\w-])"
     rf"(?:,?\s+(?P<ry>(?i:last|this|next))\s+year)?",
     dates.build_month),
    ("year_range", rf"(?<![\w$#.,/-])(?P<y1>{YEAR_RE})\s*[-–]\s*(?P<y2>{YEAR_RE}|\d\d)(?![\w%-])",
     dates.build_year_range),
    ("year",
     rf"(?<![\w$#€£.,/])(?<!\w-)"  # not "$2015" or "555-2025", but "mid-2015"
     rf"(?:(?i:fiscal(?:\s+year)?|the\s+year|calendar(?:\s+year)?)\s+|FY\s?)?"
     rf"(?P<year>{YEAR_RE})(?![\w%-]|[.,]\d|\s*(?i:percent|per cent))", dates.build_year),
    ("year_words", rf"(?:(?i:the\s+year)\s+)?(?P<year>(?i:{YEAR_WORDS_RE}))\b", dates.build_year_words),
    ("decade",
     rf"(?:{_THE})?(?:(?P<pm>(?i:early|late|mid))[\s-]*)?(?:(?P<digits>1[5-9]\d0|20\d0)s"
     rf"|'?(?P<digits2>[2-9]0)s|(?i:the\s+)?(?P<word>(?i:twenties|thirties|forties|fifties|sixties|"
     rf"seventies|eighties|nineties)))\b", dates.build_decade),
    ("century",
     rf"(?:{_THE})?(?P<n>\d{{1,2}}(?:st|nd|rd|th)|(?i:(?:twenty-)?(?:{_DAY_WORDS})))[\s-]+(?i:century)\b",
     dates.build_century),
    ("season",
     rf"\b(?:(?P<rel>{_REL})\s+|(?P<the>(?i:the|this|early|late|mid)\s+))?"
     rf"(?P<season>(?i:{SEASON_RE}))"
     rf"(?:,?\s+(?:(?i:of)\s+)?(?P<year>{ANY_YEAR_RE}))?\b(?!-)", dates.build_season),
    ("holiday",
     r"(?P<name>(?i:new year's (?:day|eve)|christmas(?: day| eve)?|boxing day|halloween|"
     r"valentine's day|thanksgiving(?: day)?)|Independence Day|Bastille Day)\b", dates.build_holiday),
    ("quarter",
     rf"(?P<the>[Tt]he\s+)?(?P<core>"
     rf"(?:(?P<yrel>(?i:this|last|next)\s+year's|(?:comparable\s+)?year[- ](?:ago|earlier))\s+)?"
     rf"(?:(?P<y1>{YEAR_RE})\s+)?"
     rf"(?:(?i:fiscal|calendar)\s+)?(?P<ord>(?i:first|second|third|fourth|1st|2nd|3rd|4th))[\s-]"
     rf"(?P<unit>(?i:quarter|half))(?:\s+(?i:of)\s+(?:(?i:fiscal)\s+)?"
     rf"(?P<y2>{YEAR_RE}|(?i:this|last|next)\s+year))?)(?!\w)", dates.build_quarter),
    ("q_abbrev", r"\b(?:Q(?P<n>[1-4])|(?P<n2>[1-4])Q)(?:\s+(?P<y>(?:19|20)\d\d))?\b",
     dates.build_q_abbrev),
    ("reference_quarter",
     r"(?i:(?:the\s+)?(?:latest|most\s+recent|current|same|year-ago|year-earlier|year\s+ago|"
     r"recent|just-ended|just-completed)\s+(?:fiscal\s+)?(?:quarter|period)|the\s+(?:fiscal\s+)?quarter"
     r"(?:\s+a\s+year\s+(?:ago|earlier))?|last\s+year's\s+(?:quarter|period)|"
     r"the\s+(?:same|corresponding)\s+(?:quarter|period)\s+(?:a\s+year\s+(?:ago|earlier)|last\s+year)|"
     r"(?:this|next)\s+quarter)\b", dates.build_reference_quarter),
    ("year_quarter", rf"[Tt]he\s+(?P<year>{YEAR_RE})\s+(?i:quarter|period)\b",
     dates.build_year_quarter),
    ("deictic", rf"\b(?P<word>(?i:today|yesterday|tomorrow|tonight))(?:\s+(?P<tod>{_TOD}))?\b",
     relative.build_deictic),
    ("day_part", rf"\b(?P<rel>(?i:this|last))\s+(?P<tod>{_TOD})\b", relative.build_day_part),
    ("ref",
     r"\b(?i:right\s+now|now|currently|current|at\s+present|nowadays|these\s+days|"
     r"the\s+(?:near\s+|foreseeable\s+)?future|recently|lately|the\s+past|"
     r"(?:more|most)\s+recently)\b(?!-)|(?<=at )the moment\b|(?<=[Ff]or )the present\b",
     relative.build_ref),
    ("vague_period",
     r"(?:(?i:the)\s+)?(?P<kind>(?i:coming|recent|upcoming|past\s+few|last\s+few|next\s+few))\s+"
     r"(?P<unit>(?i:days|weeks|months|years|decades))\b", relative.build_vague_period),
    # Anaphoric: valued against the date mentioned last ("in June 1998 ... later that year").
    ("anaphoric",
     rf"\b(?:(?P<side>(?i:later|earlier))\s+)?(?:(?P<that>(?i:that(?:\s+same)?|the\s+same))"
     rf"|(?P<rel>(?i:the\s+(?:following|next|previous|preceding))))\s+"
     rf"(?P<unit>(?i:day|week|month|year|{_TOD}))\b(?!\s+(?:of|before|after|that|when|which)\b)",
     relative.build_anaphoric),
    ("anaphoric_weekday",
     rf"\b(?P<rel>(?i:the\s+(?:following|previous|preceding)))\s+(?P<wd>{WEEKDAY_RE})(?![\w-])",
     relative.build_anaphoric_weekday),
    ("year_end",
     r"(?i:(?:the\s+)?end\s+of\s+(?:the\s+)?(?:year|month)|year[- ]end|year's\s+end)\b",
     relative.build_year_end),
    ("the_year", r"(?<=\b(?:or|in|of) )(?i:the\s+(?:fiscal\s+)?year)\b(?!\s+(?:before|after|\d))|"
                 r"(?<=\b[Ff]or )(?i:the\s+(?:fiscal\s+)?year)\b(?!\s+(?:before|after|\d))",
     relative.build_the_year),
    ("relative_unit",
     r"(?P<rel>(?i:(?:the\s+)?(?:past|last|previous|coming|current)|this|next))\s+(?i:fiscal\s+)?"
     r"(?P<unit>(?i:week|weekend|month|year|quarter|decade|century))\b(?!-)", relative.build_relative_unit),
    ("the_weekend", r"\b(?i:the\s+weekend)\b", relative.build_the_weekend),
    ("weekday",
     rf"(?:(?P<rel>(?i:this\s+coming|last|next|this|coming|past))\s+)?(?P<wd>{WEEKDAY_RE})"
     rf"(?:\s+(?P<tod>{_TOD}))?(?![\w-])", relative.build_weekday),
    ("weekday_set", r"(?<=\b[Oo]n )(?P<wd>(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)days)\b",
     relative.build_weekday_set),
    ("clock",
     rf"(?:(?P<approx>(?i:about|around|approximately|roughly))\s+)?"
     rf"(?:\b(?P<h>\d{{1,2}})(?::(?P<mi>\d{{2}}))?\s*(?P<ap>(?i:a\.m\.?|p\.m\.?|am\b|pm\b))"
     rf"|\b(?P<special>(?i:noon|midnight|midday))"
     rf"|\b(?P<h24>(?:[01]?\d|2[0-3])):(?P<mi24>[0-5]\d)(?=\s*(?:GMT|UTC|[A-Z]T\b|[A-Z]ST\b)))"
     rf"(?:\s+(?:GMT|UTC|[ECMP][SD]?T|BST|CET))?"
     rf"(?:,?\s+(?:(?i:on)\s+)?(?P<wd>{WEEKDAY_RE})|\s+(?P<rel>(?i:today|yesterday|tomorrow))"
     rf"|,?\s+(?:(?i:on)\s+)?(?P<mon>{MONTH_RE})\s+(?P<day>[12]\d|3[01]|0?[1-9])(?!\d))?(?!\w)",
     clock.build_clock),
    ("duration",
     rf"(?<![\w.,$'-])(?:(?P<dm>(?i:{DURATION_MOD_RE}))\s+)?(?:(?P<det>(?i:the))\s+)?"
     rf"(?:(?P<adj>(?i:past|last|next|first|previous|coming|final|latest|following|remaining|"
     rf"initial|same|full|entire|whole|additional|extra|further|other))\s+)?"
     rf"(?P<num>(?i:{NUMBER_RE}))[\s-]+(?:(?i:more|additional|further|straight|consecutive|full|"
     rf"long|extra)\s+)?(?P<unit>(?i:{UNIT_RE}))(?:-old)?\b(?!-(?:old|long))"
     rf"(?:\s+(?i:or\s+so))?(?:\s+(?P<dir>(?i:ago|earlier|later|from\s+now|hence)))?", durations.build_duration),
    ("year_ago_adjective", r"\b(?i:year[- ](?:ago|earlier))\b(?!\s+(?:quarter|period))",
     durations.build_year_ago_adjective),
    ("vague_plural",
     r"\b(?:[Ff]or|[Ww]ithin|[Ii]n|[Oo]ver|[Aa]fter)\s+"
     r"(?P<unit>(?i:years|months|weeks|days|hours|decades|centuries))\b"
     r"(?!\s+(?:of|ago|earlier|later|old|before|after))", durations.build_vague_plural),
    ("set",
     rf"(?i:(?:every|each|per)\s+(?P<other>other\s+)?(?:(?P<num>{NUMBER_RE})\s+)?(?P<unit>{UNIT_RE}))\b",
     durations.build_set),
    ("set_named", rf"(?i:every|each)\s+(?:(?P<wd>{WEEKDAY_RE})|(?P<mon>{MONTH_RE}))\b",
     durations.build_set_named),
    ("set_adverb", r"\b(?i:daily|nightly|weekly|monthly|yearly|hourly|biweekly)\b",
     durations.build_set_adverb),
]


COMPILED: list[tuple[str, re.Pattern, Builder]] = [
    (name, re.compile(pattern), builder) for name, pattern, builder in RULES
]


def candidates(text: str) -> list[tuple[int, Candidate]]:
    """Every candidate expression with its rule's priority (lower wins ties)."""
    found = []
    for priority, (_name, pattern, builder) in enumerate(COMPILED):
        for match in pattern.finditer(text):
            for cand in builder(match, text) or ():
                if cand.end > cand.start:
                    found.append((priority, cand))
    return found
