"""Publication dates as stated in inputs, normalised to ISO 8601."""

from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as dateparser

# A header line that is a date and nothing else: short, holds a year, no sentence in it.
_MAX_DATE_LINE = 80
# A stated date longer than this is no date (and the rules below only ever see this much).
_MAX_DATE_TEXT = 200
_YEAR = re.compile(r"\b(19[7-9]\d|20\d\d)\b")
# A numeric date with a two-digit year ("8/2/13 at 1:30 PM"), read month first as dateutil
# reads "8/2/2013" (a US page's order; the same assumption as for four-digit years).
_SHORT_YEAR_DATE = re.compile(r"(?<![\d/.-])\d{1,2}([/.-])\d{1,2}\1\d\d(?![\d/.-])")
_DATE_PREFIX = re.compile(
    r"^(?:(?:first|originally|last)\s+)?(?:published|updated|posted|modified|released?|dated?|found)?"
    r"(?:\s+time)?(?:\s+on)?\s*:?\s*(?:on\s+)?", re.IGNORECASE
)
# "..., updated April 30, 2008", "... 12:46 PM / UPDATED AT 12:48 PM": the line's first date is
# the publication's.
_UPDATED = re.compile(r"\s*(?:[|,;/]\s*)?\b(?:last\s+)?(?:updated|modified)\b", re.IGNORECASE)
_EARLIEST_YEAR = 1970


# Zone abbreviations news pages print that dateutil does not know (it warns and drops them), as
# UTC offsets in seconds; a generic "PT" or "ET" is taken at its standard time (an hour off in
# summer, never a day unless the time is within an hour of midnight).
_H = 3600
_ZONES = {
    "PT": -8 * _H, "PST": -8 * _H, "PDT": -7 * _H, "MT": -7 * _H, "MST": -7 * _H, "MDT": -6 * _H,
    "CT": -6 * _H, "CST": -6 * _H, "CDT": -5 * _H, "ET": -5 * _H, "EST": -5 * _H, "EDT": -4 * _H,
    "BST": 1 * _H, "CET": 1 * _H, "CEST": 2 * _H, "EET": 2 * _H, "EEST": 3 * _H, "IST": 5 * _H + 1800,
    "HKT": 8 * _H, "SGT": 8 * _H, "JST": 9 * _H, "KST": 9 * _H, "AEST": 10 * _H, "AEDT": 11 * _H,
}


class _NoDefault:
    """Sentinel dates that tell which parts dateutil filled in rather than read."""

    a = dt.datetime(1901, 1, 1, 0, 0, 0)
    b = dt.datetime(1902, 2, 2, 1, 1, 1)


def normalise_date(text: str | None, *, short_year: bool = False) -> str | None:
    """Return ``text`` as ISO 8601 ("2025-02-27" or "2025-02-27T05:14:00[+00:00]"), or None.

    Only full dates are accepted (a year alone or a month and year is not a publication date);
    a time is kept when the input states one, and the UTC offset when it states one. A numeric
    date with a two-digit year ("8/2/13") only with ``short_year`` (a page's date line, read
    month first): a structured field's "13-03-02" may be year first, and a wrong date is worse
    than none there."""
    if not text or len(text) > _MAX_DATE_TEXT:
        return None
    text = _tidy(text.strip())
    if not _YEAR.search(text) and not (short_year and _SHORT_YEAR_DATE.search(text)):
        return None
    try:
        a = dateparser.parse(text, default=_NoDefault.a, tzinfos=_ZONES)
        b = dateparser.parse(text, default=_NoDefault.b, tzinfos=_ZONES)
    except (ValueError, OverflowError, TypeError):
        return None
    if a.day != b.day or a.month != b.month or a.year != b.year:
        return None  # day or month was filled in, not stated
    if not _EARLIEST_YEAR <= a.year <= dt.date.today().year + 1:
        return None
    has_time = (a.hour, a.minute) == (b.hour, b.minute)
    if not has_time:
        return a.date().isoformat()
    try:
        return a.replace(microsecond=0).isoformat()
    except ValueError:
        # dateutil reads "05:112-27" as a UTC offset of 112 hours, which datetime refuses when
        # asked for it (found by fuzzing): a date with an impossible zone is not a date.
        return None


# What news pages put between a date and its time ("AUGUST 2, 2013 | 08:06AM PT",
# "Jul 13, 2009/02:00 pm", "Dec 12, 2008 · 10:15 a.m."), and an outlet's name after it
# ("(CNA)"): dateutil reads none of them.
_SEPARATOR = re.compile(r"\s*[|·•@]\s*|\s+(?i:at)\s+(?=\d)")
# A time glued to the date by a slash or a dash ("2009/02:00 pm", "2007-7:07AM", "2011 – 4:35 PM").
_DATE_THEN_TIME = re.compile(r"\b(\d{4})\s*[/–—-]\s*(?=\d{1,2}[:.]\d\d)")
_DOTTED_TIME = re.compile(r"(?<![.\d])\b(\d{1,2})\.(\d\d)(?=\s*(?:[AaPp][Mm]\b|hrs\b)|\s|$)")
_MERIDIEM = re.compile(r"\b([ap])\. ?m\.", re.IGNORECASE)
_HOURS = re.compile(r"\s*\bhrs\b\.?", re.IGNORECASE)
# An outlet or a zone in brackets after the date ("(CNA)", "(GMT+05:00)"), a place after it
# ("IST MUMBAI:"), a stop after it ("1:35 pm.").
_TRAILING_SOURCE = re.compile(r"\s*\([^()]{1,30}\)\s*$")
_TRAILING_PLACE = re.compile(r"\s+[A-Z][A-Z'-]+:\s*$")
# A dateline's place before its date ("Washington D. C., Jul 13, 2009", "WASHINGTON, DC, April
# 28, 2009"): up to four capitalised words and a comma, then a month; or an agency's capitals
# alone ("TNN Nov 12, 2011"). Without the comma, a title-case headline ending in a date ("Gunman
# Kills Four Dec 12, 2008") would be read as one.
_PLACE_BEFORE_MONTH = re.compile(
    r"^(?:(?:[A-Z][\w'-]*\.?,?\s+){0,3}[A-Z][\w'.-]*,\s*|[A-Z]{2,6}\s+)"
    r"(?=(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d)")


def _tidy(text: str) -> str:
    text = _SEPARATOR.sub(" ", text)
    text = _DATE_THEN_TIME.sub(r"\1 ", text)
    text = _MERIDIEM.sub(r"\1m", text)
    text = _DOTTED_TIME.sub(r"\1:\2", text)
    text = _HOURS.sub("", text)
    text = _TRAILING_PLACE.sub("", _TRAILING_SOURCE.sub("", text))
    return text.rstrip(" .,")


def date_line(line: str) -> str | None:
    """If ``line`` is a header line that states a date and nothing else, the ISO date. A
    dateline's place before the date is allowed ("Washington D. C., Jul 13, 2009/02:00 pm
    (CNA)"); a sentence that mentions a date is not a date line."""
    if len(line) > _MAX_DATE_LINE or not (_YEAR.search(line) or _SHORT_YEAR_DATE.search(line)):
        return None
    first = _UPDATED.split(line, maxsplit=1)[0]
    dated = _YEAR.search(first) or _SHORT_YEAR_DATE.search(first)
    candidate = _DATE_PREFIX.sub("", first if dated else line).strip()
    candidate = _PLACE_BEFORE_MONTH.sub("", _tidy(candidate))
    # A sentence that merely mentions a year is not a date line.
    if len(candidate.split()) > 7 or candidate.endswith((".", "!", "?")) and " " in candidate[-4:]:
        return None
    if re.search(r"[a-z]{3,}\s+[a-z]{3,}", candidate) and not re.search(
        r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", candidate
    ):
        return None
    return normalise_date(candidate, short_year=True)


def published_time(published: str | None) -> dt.datetime | None:
    """A stored ``Article.published`` (ISO 8601) as an aware datetime, UTC when no zone is
    given; None when absent or unreadable."""
    if not published:
        return None
    try:
        when = dt.datetime.fromisoformat(published.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = dt.datetime.combine(dt.date.fromisoformat(published[:10]), dt.time())
        except ValueError:
            return None
    when = when if when.tzinfo is not None else when.replace(tzinfo=dt.timezone.utc)
    try:  # a time at the edge of the calendar whose UTC day falls outside it ("0001-01-01T00:00+05:00")
        when.astimezone(dt.timezone.utc)
    except (OverflowError, ValueError):
        return None
    return when


def published_day(published: str | None) -> dt.date | None:
    """The UTC day of a stored ``Article.published`` (the day a story's span, its report and
    its briefing date an article by), or None."""
    when = published_time(published)
    return when.astimezone(dt.timezone.utc).date() if when is not None else None
