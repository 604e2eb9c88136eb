"""RSS and Atom feed files, parsed with feedparser.

An entry whose content is in the feed becomes an article; an entry that only names an article
by its link is recorded as a :class:`Link` and fetched only when the user asks (``--fetch``).
An entry with neither, but a headline or a teaser (a wire ticker, a feed exported without its
pages), is kept as a brief, as a JSONL record with no text is (:func:`brief`).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import feedparser

from storyline.ingest.clean import sanitize
from storyline.ingest.dates import normalise_date
from storyline.ingest.files import InputError, read_capped
from storyline.ingest.html import fragment_text
from storyline.ingest.jsonl import document_from_object
from storyline.records import Link, Problem, RawDocument

# Many feeds put the whole article in <description>; a summary at least this long is taken as
# the article text, a shorter one as a teaser for a linked page (news teasers run 20-60 words).
FULL_TEXT_SUMMARY_WORDS = 120

# Bytes XML 1.0 forbids (C0 controls but tab, LF, CR): one of them makes feedparser drop to its
# loose parser or lose the entry, so they are removed before parsing (the text is kept).
_XML_CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A numeric character reference; feedparser calls chr() on it unchecked, so one naming no
# character ("&#1114112;") raises ValueError and would lose the whole feed.
_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,16})|([0-9]{1,16}));?")
_FAR_DIGITS = re.compile(rb"&#[xX]?[0-9a-fA-F]{17,}")



def read_feed(path: Path, *, max_bytes: int) -> Iterator[RawDocument | Link | Problem]:
    data = read_capped(path, max_bytes)
    if not data.strip():
        raise InputError("empty input")
    yield from feed_items(data, str(path), max_bytes)


@dataclass(frozen=True, slots=True)
class Entry:
    """One feed entry: where it is in the feed, its link, its content if the feed carries the
    article, and the metadata the feed states."""

    where: str
    link: str | None
    html: str | None
    meta: dict[str, str]
    teaser: str | None = None  # the text of a summary too short to be the article
    whole: bool = True  # False for the last entry of a feed cut or broken inside: it may be cut short


def feed_entries(data: bytes, source: str) -> Iterator[Entry | Problem]:
    """Every entry of the RSS/Atom feed in ``data`` (``source`` names it in problems)."""
    try:
        parsed = feedparser.parse(defuse(data))
    except Exception as exc:  # noqa: BLE001 - feedparser's own bugs on hostile input; one file is lost, not the run
        yield Problem(source, f"broken feed ({type(exc).__name__}: {exc})")
        return
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
    # In a feed broken inside (cut off, a bad tag) the parser stops in the last entry it read,
    # which may have lost the end of its headline; the entries before it are whole. A wrong
    # encoding declaration or content type breaks nothing inside.
    cut_risk = parsed.bozo and not isinstance(parsed.get("bozo_exception"), _WHOLE_ANYWAY)
    for number, entry in enumerate(parsed.entries, start=1):
        link = sanitize(entry.get("link") or "").strip() or None
        meta = {
            "url": link,
            "title": entry.get("title"),
            "published": entry.get("published") or entry.get("updated"),
            "byline": entry.get("author"),
            "outlet": outlet,
        }
        content = _content(entry)
        teaser = None if content else " ".join(fragment_text(entry.get("summary") or "").split()) or None
        yield Entry(f"entry {number}", link, content, {k: v for k, v in meta.items() if v}, teaser,
                    not (cut_risk and number == len(parsed.entries)))


def brief(entry: Entry, source: str, max_bytes: int) -> RawDocument | Problem:
    """An entry with no content and no link as a brief: a JSONL record of its headline, its
    teaser and what the feed states, whose body is the teaser, else the headline (the article
    says so: ingest/jsonl.text_stand_in). A Problem when it has neither, or when it is the last
    entry of a broken feed (it may be cut inside its headline)."""
    title = _title(entry)
    if not entry.whole:
        return Problem(source, CUT, entry.where)
    if not _has_words(title) and not _has_words(entry.teaser or ""):
        return Problem(source, NOTHING, entry.where)
    record = {k: v for k, v in entry.meta.items() if k != "title"} | {"title": title or None, "summary": entry.teaser}
    return document_from_object({k: v for k, v in record.items() if v}, source=source, where=entry.where,
                                max_bytes=max_bytes)


def feed_items(data: bytes, source: str, max_bytes: int) -> Iterator[RawDocument | Link | Problem]:
    """A feed read as a file is: an entry with content is an article, one with only a link is
    recorded as a :class:`Link`, one with only a headline or a teaser is a brief."""
    for entry in feed_entries(data, source):
        if isinstance(entry, Problem):
            yield entry
        elif entry.html:
            yield RawDocument(source, "text/html+fragment", entry.html.encode("utf-8"), entry.where, entry.meta)
        elif entry.link:
            published = entry.meta.get("published")
            yield Link(entry.link, source, _title(entry) or None, normalise_date(published) or published, entry.where)
        else:
            yield brief(entry, source, max_bytes)


NOTHING = "entry has no content, link, headline or teaser"
CUT = "entry has no content or link, and may be cut: it ends a feed that is not well-formed"
_WHOLE_ANYWAY = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


def _title(entry: Entry) -> str:
    """The entry's headline as one line of text ("" for none)."""
    return " ".join(sanitize(entry.meta.get("title") or "").split())


def _has_words(text: str) -> bool:
    """Whether ``text`` has a letter or digit (a headline of zero-width spaces is none)."""
    return any(ch.isalnum() for ch in text)


def _content(entry: dict) -> str | None:
    for content in entry.get("content") or ():
        value = content.get("value") or ""
        if value.strip():
            return value
    summary = entry.get("summary") or ""
    if len(summary.split()) >= FULL_TEXT_SUMMARY_WORDS:
        return summary
    return None


def defuse(data: bytes) -> bytes:
    """The feed with what would make feedparser fail or drop entries made harmless: control bytes
    removed, and character references that name no allowed XML character replaced by U+FFFD
    (out of range, surrogates) or removed (control characters). UTF-16 feeds are left as they
    are (their bytes include NULs)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data
    data = _XML_CONTROLS.sub(b"", data)
    data = _FAR_DIGITS.sub(b"&#xFFFD;", data)
    return _CHAR_REF.sub(_char_ref, data)


def _char_ref(m: re.Match[bytes]) -> bytes:
    code = int(m[1], 16) if m[1] is not None else int(m[2])
    if code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF:
        return m[0]
    if code < 0x20:
        return b""  # a control character: not text
    return b"&#xFFFD;"
