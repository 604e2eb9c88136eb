"""HTML pages -> cleaned article text, with trafilatura for the body and htmldate for the date."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import re

import lxml.etree
import lxml.html
import trafilatura
from trafilatura.settings import set_date_params

from storyline.ingest.clean import Cleaned, clean_text, paragraphs_to_body
from storyline.ingest.dates import normalise_date
from storyline.ingest.files import InputError, read_capped
from storyline.records import RawDocument

_BLOCKS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "pre", "section", "article", "header", "footer", "tr", "table", "figcaption", "hr", "dd", "dt",
}


def read_html(path: Path, *, max_bytes: int) -> Iterator[RawDocument]:
    """One saved HTML page (``.gz`` allowed) as a raw document."""
    data = read_capped(path, max_bytes)
    yield RawDocument(source=str(path), media_type="text/html", data=data)


def extract_html(data: bytes, *, url: str | None = None, stated: dict[str, str] | None = None) -> Cleaned:
    """Extract the article from a full HTML page.

    trafilatura finds the body and the page metadata (title, site name, author, description);
    its date comes from htmldate (page metadata first, then date elements and the URL), with
    ``original_date`` so that a later "updated" stamp does not replace the publication date.
    Values in ``stated`` (from JSONL keys, feed fields) win over what the page says.
    """
    _refuse_binary(data)
    try:
        doc = trafilatura.bare_extraction(
            data, url=url, with_metadata=True, include_comments=False,
            # No extensive search: it reads a bare year in the text ("a flood in 2024") as a
            # publication date (2024-01-01); metadata, <time> and dated elements are enough.
            date_extraction_params=set_date_params(extensive=False),
        )
    except (lxml.etree.LxmlError, ValueError) as exc:
        raise InputError(f"malformed HTML ({exc})") from None
    if doc is None or not (doc.text or "").strip():
        raise InputError("no article text found in the HTML")
    page = {
        "title": doc.title,
        "outlet": doc.sitename,
        "published": doc.date,
        "byline": doc.author,
        "abstract": doc.description,
        "url": doc.url,
    }
    if doc.date and (stamp := _stated_timestamp(data)) and stamp.startswith(doc.date):
        page["published"] = stamp  # same day as htmldate found, with the time the page states
    merged = {k: v for k, v in page.items() if v} | {k: v for k, v in (stated or {}).items() if v}
    return clean_text(doc.text, stated=merged)


def fragment_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed entry's content), one paragraph per block element.

    trafilatura is made for whole pages and refuses short fragments, so feed content is
    flattened here: block elements become paragraph breaks, scripts and styles are dropped.
    """
    if "<" not in fragment:
        return paragraphs_to_body(fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.LxmlError, ValueError):
        return paragraphs_to_body(fragment)
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCKS:
            el.tail = "\n" + (el.tail or "")
            if el.tag.lower() == "br":
                continue
            el.text = "\n" + (el.text or "")
    return paragraphs_to_body(root.text_content())


# htmldate returns days only; the time of day matters for telling which copy came first, so it
# is read from the standard publication-time meta tags, in either attribute order.
_TIME_META = [
    re.compile(
        rb"""<meta\s[^>]*?(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|"""
        rb"""og:published_time|datePublished|pubdate|publishdate|dc\.date\.issued)["'][^>]*?"""
        rb"""content\s*=\s*["']([^"']{10,40})["']""",
        re.I,
    ),
    re.compile(
        rb"""<meta\s[^>]*?content\s*=\s*["']([^"']{10,40})["'][^>]*?(?:property|name|itemprop)\s*=\s*"""
        rb"""["'](?:article:published_time|og:published_time|datePublished|pubdate|publishdate|"""
        rb"""dc\.date\.issued)["']""",
        re.I,
    ),
]
# Meta tags live in <head>; searching further would only cost time.
_HEAD_BYTES = 65536


def _stated_timestamp(data: bytes) -> str | None:
    """The publication date and time a page's meta tags state, as ISO 8601, or None."""
    head = data[:_HEAD_BYTES]
    for pattern in _TIME_META:
        if m := pattern.search(head):
            iso = normalise_date(m.group(1).decode("ascii", "replace"))
            if iso and "T" in iso:
                return iso
    return None


def _refuse_binary(data: bytes) -> None:
    head = data[:8192]
    if not head.strip():
        raise InputError("empty input")
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("binary content (NUL bytes), not HTML")
