"""RSS and Atom feed files, parsed with feedparser.

An entry whose content is in the feed becomes an article; an entry that only names an article
by its link is recorded as a :class:`Link` and fetched only when the user asks (``--fetch``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import feedparser

from storyline.ingest.dates import normalise_date
from storyline.ingest.files import InputError, read_capped
from storyline.records import Link, Problem, RawDocument

# Many feeds put the whole article in <description>; a summary at least this long is taken as
# the article text, a shorter one as a teaser for a linked page (news teasers run 20-60 words).
FULL_TEXT_SUMMARY_WORDS = 120


def read_feed(path: Path, *, max_bytes: int) -> Iterator[RawDocument | Link | Problem]:
    source = str(path)
    data = read_capped(path, max_bytes)
    if not data.strip():
        raise InputError("empty input")
    parsed = feedparser.parse(data)
    if parsed.bozo and not parsed.entries:
        reason = getattr(parsed.get("bozo_exception"), "getMessage", None)
        detail = reason() if callable(reason) else str(parsed.get("bozo_exception"))
        yield Problem(source, f"broken feed, no entries could be read ({detail})")
        return
    if parsed.bozo:
        yield Problem(source, f"feed is not well-formed; read {len(parsed.entries)} entries anyway "
                              f"({parsed.get('bozo_exception')})")
    if not parsed.entries:
        yield Problem(source, "feed has no entries")
        return
    outlet = parsed.feed.get("title")
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"entry {number}"
        link = entry.get("link")
        html = _content(entry)
        meta = {
            "url": link,
            "title": entry.get("title"),
            "published": entry.get("published") or entry.get("updated"),
            "byline": entry.get("author"),
            "outlet": outlet,
        }
        meta = {k: v for k, v in meta.items() if v}
        if html:
            yield RawDocument(source, "text/html+fragment", html.encode("utf-8"), where, meta)
        elif link:
            published = meta.get("published")
            yield Link(link, source, meta.get("title"), normalise_date(published) or published, where)
        else:
            yield Problem(source, "entry has neither content nor a link", where)


def _content(entry: dict) -> str | None:
    for content in entry.get("content") or ():
        value = content.get("value") or ""
        if value.strip():
            return value
    summary = entry.get("summary") or ""
    if len(summary.split()) >= FULL_TEXT_SUMMARY_WORDS:
        return summary
    return None
