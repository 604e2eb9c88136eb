"""Build ingest inputs by hand in a test's tmp_path: text, HTML pages, feeds, JSONL and WARC.

Every text here is invented for the tests (a fictional town, people and outlets on the
reserved ``.example`` domain); no real article is copied.
"""

from __future__ import annotations

import gzip
import io
import json
import uuid
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# --- texts -----------------------------------------------------------------------------------

LIBRARY_TITLE = "Millbrook library reopens after two-year restoration"
LIBRARY_PARAGRAPHS = [
    "The Millbrook public library reopened on Saturday after a two-year restoration that "
    "replaced its leaking roof and rebuilt the reading room destroyed by a flood in 2024.",
    "More than 600 people queued along Station Road before the doors opened at nine, and the "
    "first borrower, a retired teacher named Olive Granger, took out three books on local history.",
    "“We nearly lost this building, and with it the town's memory,” said Councillor Ravi Duckett, "
    "who chairs the committee that raised the money. “Today it belongs to everyone again.”",
    "The work cost £4.2m, of which £1.1m came from a public appeal. The architects kept the "
    "original oak shelving and added a lift, a children's wing and a small cafe by the river.",
    "The library will open seven days a week until the end of the summer, when the council "
    "will review the hours against the number of visitors.",
]

FERRY_TITLE = "Ferry crews vote to strike over new rota"
FERRY_PARAGRAPHS = [
    "Crews on the Millbrook to Castle Point ferry have voted to strike for three days next "
    "month in a dispute over a new rota that they say leaves too little rest between crossings.",
    "The union said 87 per cent of members who voted backed the action, on a turnout of 74 per "
    "cent, and that talks with the operator had broken down on Thursday evening.",
    "The operator, Estuary Link, said it was disappointed and would publish an emergency "
    "timetable so that hospital staff and schoolchildren could still cross the river.",
]

BRIDGE_TITLE = "Old swing bridge to close for repairs"
BRIDGE_PARAGRAPHS = [
    "The old swing bridge over the Mill Cut will close to traffic for six weeks from Monday "
    "while engineers replace the worn bearings that let it turn for passing boats.",
    "Drivers will be sent along the ring road, which the council expects to add about ten "
    "minutes to a journey across town at the busiest times of the day.",
    "Pedestrians and cyclists can still cross on a temporary footway on the north side.",
]

NAV_TEXT = "Home Politics Sport Weather Subscribe now"
FOOTER_TEXT = "Copyright Millbrook Courier Media Group. Privacy policy and cookie settings."
SIDEBAR_TEXT = "Most read: Council tax rise confirmed for next year"


def text_article(title: str, paragraphs: Sequence[str], *, header: Sequence[str] = (),
                 footer: Sequence[str] = ()) -> str:
    """A plain-text dump: headline, header lines, paragraphs, footer lines, one per line."""
    return "\n".join([title, *header, *paragraphs, *footer]) + "\n"


# --- HTML ------------------------------------------------------------------------------------


def html_page(
    title: str,
    paragraphs: Sequence[str],
    *,
    site_name: str | None = "Millbrook Courier",
    published: str | None = None,
    time_tag: str | None = None,
    author: str | None = None,
    url: str | None = None,
) -> str:
    """A realistic article page: head metadata, nav, the article, a sidebar and a footer.

    ``published`` goes in ``<meta property="article:published_time">``; ``time_tag`` in a
    ``<time datetime=...>`` element in the article header (give one or the other, or both).
    """
    meta = [f'<meta property="og:title" content="{escape(title)}">', '<meta property="og:type" content="article">']
    if site_name:
        meta.append(f'<meta property="og:site_name" content="{escape(site_name)}">')
    if published:
        meta.append(f'<meta property="article:published_time" content="{published}">')
    if author:
        meta.append(f'<meta name="author" content="{escape(author)}">')
    if url:
        meta.append(f'<meta property="og:url" content="{url}">')
        meta.append(f'<link rel="canonical" href="{url}">')
    time_html = f'<time datetime="{time_tag}">{time_tag[:10]}</time>' if time_tag else ""
    byline_html = f'<p class="byline">By {escape(author)}</p>' if author else ""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    page_title = f"{title} | {site_name}" if site_name else title
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{escape(page_title)}</title>
{chr(10).join(meta)}
<script>window.dataLayer = window.dataLayer || [];</script>
<style>body {{ font-family: serif; }}</style>
</head>
<body>
<header class="site-header">
  <nav class="main-nav"><ul>
    {"".join(f'<li><a href="/{w.lower()}">{w}</a></li>' for w in NAV_TEXT.split())}
  </ul></nav>
</header>
<main>
<article class="story">
  <header>
    <h1>{escape(title)}</h1>
    {time_html}
    {byline_html}
  </header>
  <div class="story-body">
{body}
  </div>
</article>
<aside class="sidebar"><h3>Most read</h3><ul><li><a href="/x">{escape(SIDEBAR_TEXT)}</a></li></ul></aside>
</main>
<footer class="site-footer"><p>{escape(FOOTER_TEXT)}</p></footer>
</body>
</html>
"""


def html_fragment(paragraphs: Sequence[str]) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)


# --- feeds -----------------------------------------------------------------------------------


def rss_feed(channel_title: str, items: Iterable[dict]) -> str:
    """RSS 2.0 with content:encoded and dc:creator. Item keys: title, link, pubDate, creator,
    content (HTML, put in content:encoded) and description."""
    out = []
    for item in items:
        parts = []
        if "title" in item:
            parts.append(f"<title>{escape(item['title'])}</title>")
        if "link" in item:
            parts.append(f"<link>{escape(item['link'])}</link>")
            parts.append(f'<guid isPermaLink="true">{escape(item["link"])}</guid>')
        if "pubDate" in item:
            parts.append(f"<pubDate>{item['pubDate']}</pubDate>")
        if "creator" in item:
            parts.append(f"<dc:creator>{escape(item['creator'])}</dc:creator>")
        if "description" in item:
            parts.append(f"<description>{escape(item['description'])}</description>")
        if "content" in item:
            parts.append(f"<content:encoded><![CDATA[{item['content']}]]></content:encoded>")
        out.append("    <item>\n      " + "\n      ".join(parts) + "\n    </item>")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>{escape(channel_title)}</title>
    <link>https://courier.example/</link>
    <description>News from Millbrook</description>
{chr(10).join(out)}
  </channel>
</rss>
"""


def atom_feed(feed_title: str, entries: Iterable[dict]) -> str:
    """Atom 1.0. Entry keys: title, link, published, updated, author, content (HTML)."""
    out = []
    for e in entries:
        parts = [f"<title>{escape(e['title'])}</title>", f"<id>{escape(e.get('link', 'urn:x'))}</id>"]
        if "link" in e:
            parts.append(f'<link rel="alternate" href="{escape(e["link"])}"/>')
        if "published" in e:
            parts.append(f"<published>{e['published']}</published>")
        parts.append(f"<updated>{e.get('updated', e.get('published', '2026-01-01T00:00:00Z'))}</updated>")
        if "author" in e:
            parts.append(f"<author><name>{escape(e['author'])}</name></author>")
        if "content" in e:
            parts.append(f'<content type="html">{escape(e["content"])}</content>')
        out.append("  <entry>\n    " + "\n    ".join(parts) + "\n  </entry>")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>{escape(feed_title)}</title>
  <id>https://riverside.example/</id>
  <updated>2026-03-01T00:00:00Z</updated>
{chr(10).join(out)}
</feed>
"""


# --- JSONL and gzip --------------------------------------------------------------------------


def jsonl(objects: Iterable[object]) -> str:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects)


def gz(data: str | bytes) -> bytes:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return gzip.compress(raw, mtime=0)


# --- WARC ------------------------------------------------------------------------------------


class _FixedWriter(WARCWriter):
    """Record ids and dates fixed, so the same records always give the same bytes (tests cut
    archives at set offsets)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._ids = 0

    def _make_warc_id(self):
        self._ids += 1
        return f"<urn:uuid:{uuid.UUID(int=self._ids)}>"

    def curr_warc_date(self):
        return "2026-03-07T10:00:00Z"


def warc(records: Iterable[dict], *, compress: bool = True) -> bytes:
    """A WARC file: a warcinfo record, then one ``response`` per dict (uri, status, ctype, body).

    ``{"type": "request", "uri": ...}`` writes a request record instead. Byte-for-byte the same
    on every call with the same records.
    """
    buf = io.BytesIO()
    writer = _FixedWriter(buf, gzip=compress)
    writer.write_record(writer.create_warcinfo_record("test.warc.gz", {"software": "storyline-tests"}))
    for r in records:
        uri = r["uri"]
        if r.get("type") == "request":
            headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x.example")], is_http_request=True)
            writer.write_record(writer.create_warc_record(uri, "request", http_headers=headers))
            continue
        body = r["body"].encode("utf-8") if isinstance(r["body"], str) else r["body"]
        status = r.get("status", "200 OK")
        headers = StatusAndHeaders(
            status, [("Content-Type", r.get("ctype", "text/html; charset=utf-8"))], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers)
        )
    return buf.getvalue()


def archive(pages: int, *, compress: bool) -> bytes:
    """A WARC file of ``pages`` pages, each after its request record: HTML reports, every
    seventh a 404 and every seventh (another) a plain-text report."""
    records: list[dict] = []
    for n in range(pages):
        records.append({"uri": f"https://courier.example/p/{n}", "type": "request"})
        if n % 7 == 3:
            records.append({"uri": f"https://courier.example/gone/{n}", "status": "404 Not Found",
                            "body": html_page("Not found", ["Nothing here."])})
        elif n % 7 == 5:
            records.append({"uri": f"https://courier.example/p/{n}.txt", "ctype": "text/plain; charset=utf-8",
                            "body": text_article(f"Plain report {n}", LIBRARY_PARAGRAPHS[:2])})
        else:
            records.append({"uri": f"https://courier.example/p/{n}",
                            "body": html_page(f"Council report number {n}", LIBRARY_PARAGRAPHS[: n % 4 + 1])})
    return warc(records, compress=compress)


# --- files -----------------------------------------------------------------------------------


def write(folder: Path, name: str, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8) to ``folder/name``, making parent folders; return the path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path
