"""RSS and Atom feed files, parsed with feedparser.

An entry whose content is in the feed becomes an article; an entry that only names an article
by its link is recorded as a :class:`Link` and fetched only when the user asks (``--fetch``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import feedparser

from storyline.ingest.dates import normalise_date
from storyline.ingest.files import InputError, read_capped
from storyline.records import Link, Problem, RawDocument

# Many feeds put the whole article in <description>; a summary at least this long is taken as
# the article text, a shorter one as a teaser for a linked page (news teasers run 20-60 words).
FULL_TEXT_SUMMARY_WORDS = 120


def read_feed(path: Path, *, max_bytes: int) -> Iterator[RawDocument | Link | Problem]:
    data = read_capped(path, max_bytes)
    if not data.strip():
        raise InputError("empty input")
    yield from feed_items(data, str(path))


@dataclass(frozen=True, slots=True)
class Entry:
    """One feed entry: where it is in the feed, its link, its content if the feed carries the
    article, and the metadata the feed states."""

    where: str
    link: str | None
    html: str | None
    meta: dict[str, str]


def feed_entries(data: bytes, source: str) -> Iterator[Entry | Problem]:
    """Every entry of the RSS/Atom feed in ``data`` (``source`` names it in problems)."""
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
        link = entry.get("link")
        meta = {
            "url": link,
            "title": entry.get("title"),
            "published": entry.get("published") or entry.get("updated"),
            "byline": entry.get("author"),
            "outlet": outlet,
        }
        yield Entry(f"entry {number}", link, _content(entry), {k: v for k, v in meta.items() if v})


def feed_items(data: bytes, source: str) -> Iterator[RawDocument | Link | Problem]:
    """A feed read as a file is: an entry with content is an article, one with only a link is
    recorded as a :class:`Link`."""
    for entry in feed_entries(data, source):
        if isinstance(entry, Problem):
            yield entry
        elif entry.html:
            yield RawDocument(source, "text/html+fragment", entry.html.encode("utf-8"), entry.where, entry.meta)
        elif entry.link:
            published = entry.meta.get("published")
            yield Link(entry.link, source, entry.meta.get("title"), normalise_date(published) or published,
                       entry.where)
        else:
            yield Problem(source, "entry has neither content nor a link", entry.where)


def _content(entry: dict) -> str | None:
    for content in entry.get("content") or ():
        value = content.get("value") or ""
        if value.strip():
            return value
    summary = entry.get("summary") or ""
    if len(summary.split()) >= FULL_TEXT_SUMMARY_WORDS:
        return summary
    return None
