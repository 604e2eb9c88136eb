"""Publication dates as stated in inputs, normalised to ISO 8601."""

from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as dateparser

# A header line that is a date and nothing else: short, holds a year, no sentence in it.
_MAX_DATE_LINE = 60
_YEAR = re.compile(r"\b(19[7-9]\d|20\d\d)\b")
_DATE_PREFIX = re.compile(
    r"^(?:published|updated|posted|last updated|date)(?: on)?\s*:?\s*", re.IGNORECASE
)
_EARLIEST_YEAR = 1970


class _NoDefault:
    """Sentinel dates that tell which parts dateutil filled in rather than read."""

    a = dt.datetime(1901, 1, 1, 0, 0, 0)
    b = dt.datetime(1902, 2, 2, 1, 1, 1)


def normalise_date(text: str | None) -> str | None:
    """Return ``text`` as ISO 8601 ("2025-02-27" or "2025-02-27T05:14:00[+00:00]"), or None.

    Only full dates are accepted (a year alone or a month and year is not a publication date);
    a time is kept when the input states one, and the UTC offset when it states one.
    """
    if not text:
        return None
    text = text.strip()
    if not _YEAR.search(text):
        return None
    try:
        a = dateparser.parse(text, default=_NoDefault.a)
        b = dateparser.parse(text, default=_NoDefault.b)
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


def date_line(line: str) -> str | None:
    """If ``line`` is a header line that states a date and nothing else, the ISO date."""
    if len(line) > _MAX_DATE_LINE or not _YEAR.search(line):
        return None
    candidate = _DATE_PREFIX.sub("", line).strip()
    # A sentence that merely mentions a year is not a date line.
    if len(candidate.split()) > 7 or candidate.endswith((".", "!", "?")) and " " in candidate[-4:]:
        return None
    if re.search(r"[a-z]{3,}\s+[a-z]{3,}", candidate) and not re.search(
        r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", candidate
    ):
        return None
    return normalise_date(candidate)


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
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.timezone.utc)
