"""Feed lists: OPML (how feed readers import and export subscriptions) and plain text files of
feed URLs (one a line, # comments; an optional title after the URL)."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

from storyline.ingest.files import InputError, read_capped

MAX_LIST_BYTES = 5 * 1024 * 1024


def read_feed_list(path: Path) -> list[tuple[str, str | None]]:
    """(URL, title) of every feed in an OPML file or a plain list; InputError when unreadable.
    Only http(s) URLs are kept; the file's order is kept, repeats dropped."""
    data = read_capped(path, MAX_LIST_BYTES)
    head = data.lstrip()[:200].lower()
    feeds = _opml(data, path) if head.startswith(b"<?xml") or head.startswith(b"<opml") else _plain(data)
    seen: dict[str, str | None] = {}
    for url, title in feeds:
        if url.lower().startswith(("http://", "https://")) and url not in seen:
            seen[url] = title
    return list(seen.items())


def _plain(data: bytes) -> list[tuple[str, str | None]]:
    found = []
    for line in data.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            url, _, title = line.partition(" ")
            found.append((url, title.strip() or None))
    return found


def _opml(data: bytes, path: Path) -> list[tuple[str, str | None]]:
    from lxml import etree

    # No entities resolved, no network, no huge trees: an OPML file is untrusted input.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"not a readable OPML file ({exc})") from None
    if root.tag != "opml":
        raise InputError(f"not an OPML file (root element <{root.tag}>)")
    return [(o.get("xmlUrl").strip(), o.get("title") or o.get("text"))
            for o in root.iter("outline") if o.get("xmlUrl")]


def opml(feeds: list[tuple[str, str | None]], title: str = "Storyline feeds") -> str:
    """An OPML 2.0 document listing ``feeds`` (URL, title)."""
    outlines = "".join(
        f"    <outline type=\"rss\" text={quoteattr(t or u)} title={quoteattr(t or u)} xmlUrl={quoteattr(u)}/>\n"
        for u, t in feeds)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n  <head><title>{title}</title></head>\n'
            f"  <body>\n{outlines}  </body>\n</opml>\n")
