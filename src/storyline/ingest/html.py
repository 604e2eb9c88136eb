"""HTML pages -> cleaned article text, with trafilatura for the body and htmldate for the date."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

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
    data = defuse(data)
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
        root = lxml.html.fragment_fromstring(defuse(fragment.encode("utf-8")).decode("utf-8"), create_parent="div")
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
# is read from the standard publication-time meta tags. They are found by lxml's parser (linear
# time), not a regex: a backtracking pattern over a 61 KB attribute ran for minutes.
_TIME_META_NAMES = {
    "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
    "dc.date.issued",
}
# Meta tags live in <head>; searching further would only cost time.
_HEAD_BYTES = 65536
# A tag with more attributes than this loses them all before parsing (its text is kept):
# libxml2 checks each attribute against the others, so a tag with a million distinct
# attributes takes hours. Real pages stay far below (the seeds' busiest tag has under 20).
MAX_ATTRIBUTES = 256
# Tags long enough to hold that many attributes; [^<>] keeps the scan linear (disjoint spans).
_LONG_TAG = re.compile(rb"<([A-Za-z][\w:-]{0,64})([^<>]{%d,})" % (2 * MAX_ATTRIBUTES))
_ATTRIBUTE_GAP = re.compile(rb"\s+")


def defuse(data: bytes) -> bytes:
    """``data`` with the attributes of any tag that has more than MAX_ATTRIBUTES removed."""
    return _LONG_TAG.sub(_strip_attributes, data)


def _strip_attributes(m: re.Match[bytes]) -> bytes:
    # Each attribute follows whitespace, so the gaps bound their number from above.
    if len(_ATTRIBUTE_GAP.findall(m[2], 0)) <= MAX_ATTRIBUTES:
        return m[0]
    return b"<" + m[1] + (b"/" if m[2].rstrip().endswith(b"/") else b"")


def _stated_timestamp(data: bytes) -> str | None:
    """The publication date and time a page's meta tags state, as ISO 8601, or None."""
    try:
        root = lxml.html.document_fromstring(data[:_HEAD_BYTES])
    except (lxml.etree.LxmlError, ValueError):
        return None
    for meta in root.iter("meta"):
        name = meta.get("property") or meta.get("name") or meta.get("itemprop") or ""
        content = (meta.get("content") or "").strip()
        if name.strip().lower() in _TIME_META_NAMES and 10 <= len(content) <= 40:
            iso = normalise_date(content)
            if iso and "T" in iso:
                return iso
    return None


def _refuse_binary(data: bytes) -> None:
    head = data[:8192]
    if not head.strip():
        raise InputError("empty input")
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("binary content (NUL bytes), not HTML")
