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
# A tokeniser puts spaces around "/", ":", "." and "-" of an address, never between two letters or
# digits: a line with such a gap is words ("www.facebook.com is down"; "https://t.co/x1 Police
# said ..."), whatever it starts with.
_WORD_GAP = re.compile(r"[^\W_]\s+[^\W_]")
# The whole line, those spaces taken out, is one address: a scheme (a user and password
# allowed) or "www.", a dotted host of letters, digits and hyphens, a port, then a path, query or
# fragment. Linear: no nested repetition, and the dot separates the host's repeated parts.
_ADDRESS = re.compile(r"(?:https?://(?:[^\s/?#@]+@)?|www\.)[\w-]+(?:\.[\w-]+)+\.?(?::\d{1,5})?(?:[/?#]\S*)?",
                      re.IGNORECASE)
_WEB = re.compile(r"https?://", re.IGNORECASE)
# "/2013/may/03/": a month by name in the path, which htmldate's numeric pattern does not read;
# the names whole or in their usual short forms only ("/2013/marathon/15/" names no month), and
# htmldate's years (1990-2039).
_NAMED_MONTH = re.compile(
    r"/(199\d|20[0-3]\d)/(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)/([0-3]?\d)(?:/|$)",
    re.IGNORECASE)
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                        "nov", "dec"), start=1)}


def address_of(line: str) -> str | None:
    """The web address that ``line`` is, and nothing else (tokeniser spaces removed, "www."
    given its scheme); None for any other line."""
    if len(line) > MAX_ADDRESS or _WORD_GAP.search(line):
        return None
    joined = "".join(line.split())
    if not _ADDRESS.fullmatch(joined):
        return None
    return joined if "://" in joined else "http://" + joined


def address_date(url: str | None) -> str | None:
    """The day a news address's path states ("/2013/05/02/", "/2013/may/03/", "2013-05-02"),
    as an ISO date; None when it states none, or an impossible or future one, and for anything
    but a web (http, https) address: a crawl's file path or bucket key holds the day it was
    stored. A year and a month alone are no date (a section's archive, not the article's day)."""
    if not url or len(url) > MAX_ADDRESS or not _WEB.match(url):
        return None
    path = url.split("://", 1)[1].partition("/")[2]
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
    today = dt.datetime.now(dt.timezone.utc).date()
    return day.isoformat() if day <= today + dt.timedelta(days=1) else None
