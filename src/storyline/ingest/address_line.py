"""A web address on top of an article's text, and the date a news address carries.

Text copied from a page often starts with the page's address; corpora keep it as the first
line, tokenised like the rest ("http : / / www . nydailynews . com / entertainment / ..."; every
ECB+ document of the second crawl). Read as the headline, the address became the story's
label and pushed the real headline and the date line under it out of the header, so neither
was read. The cleaner cuts such a line, keeps it, and takes from it what a page's address
says: the outlet (its domain) and, where the path holds a whole date, the publication date
(inferred, used only when nothing states one).
"""

from __future__ import annotations

import datetime as dt
import re

from htmldate.extractors import COMPLETE_URL

# A line longer than this is no address line (and is never scanned): real addresses stay far below.
MAX_ADDRESS = 2048
# The whole line, spaces taken out (a tokeniser puts them around "/", ":" and "."), is one
# address: a scheme or "www.", a dotted host, then a path, query or fragment. No space may stay,
# so a sentence mentioning an address never matches. Linear: no nested repetition.
_ADDRESS = re.compile(r"(?:https?://|www\.)[^\s/?#.]+(?:\.[^\s/?#.]+)+(?:[/?#]\S*)?", re.IGNORECASE)
# "/2013/may/03/": a month by name in the path, which htmldate's numeric pattern does not read.
_NAMED_MONTH = re.compile(
    r"/((?:19|20)\d\d)/(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}/([0-3]?\d)(?:/|$)",
    re.IGNORECASE)
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                        "nov", "dec"), start=1)}


def address_of(line: str) -> str | None:
    """The web address that ``line`` is, and nothing else (tokeniser spaces removed, "www."
    given its scheme); None for any other line."""
    if len(line) > MAX_ADDRESS:
        return None
    joined = "".join(line.split())
    if not _ADDRESS.fullmatch(joined):
        return None
    return joined if "://" in joined else "http://" + joined


def address_date(url: str | None) -> str | None:
    """The day a news address's path states ("/2013/05/02/", "/2013/may/03/", "2013-05-02"),
    as an ISO date; None when it states none, or an impossible or future one. A year and a
    month alone are no date (a section's archive, not the article's day)."""
    if not url or len(url) > MAX_ADDRESS:
        return None
    path = url.split("://", 1)[-1].partition("/")[2]
    if not path:
        return None
    path = "/" + path.split("?", 1)[0].split("#", 1)[0]
    # htmldate's own pattern for a whole numeric date in an address (the HTML path uses it too).
    if m := COMPLETE_URL.search(path):
        parts = int(m[1]), int(m[2]), int(m[3])
    elif m := _NAMED_MONTH.search(path):
        parts = int(m[1]), _MONTHS[m[2][:3].lower()], int(m[3])
    else:
        return None
    try:
        day = dt.date(*parts)
    except ValueError:
        return None
    return day.isoformat() if day <= dt.date.today() + dt.timedelta(days=1) else None
