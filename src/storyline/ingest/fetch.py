"""Fetching linked pages for feed entries, only when the user asks (``--fetch``)."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

from storyline.records import Link, Problem, RawDocument

FETCH_TIMEOUT_S = 20
USER_AGENT = "Storyline/0.1 (+news analysis; fetches only links the user asked for)"


def fetch_link(link: Link, *, max_bytes: int) -> RawDocument | Problem:
    """Download the page a feed entry links to, as a raw HTML document (size-capped).

    Only http and https links are fetched: a feed is untrusted, and urllib would read a
    ``file:`` link (``file://localhost/etc/passwd``) from the local disk."""
    if urllib.parse.urlsplit(link.url).scheme.lower() not in ("http", "https"):
        return Problem(link.url, "not fetched: only http and https links are fetched", link.locator)
    request = urllib.request.Request(link.url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_S) as response:
            data = response.read(max_bytes + 1)
            final_url = response.geturl()
    except urllib.error.HTTPError as exc:
        return Problem(link.url, f"fetch failed: HTTP {exc.code} {exc.reason}", link.locator)
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return Problem(link.url, f"fetch failed: {reason}", link.locator)
    if len(data) > max_bytes:
        return Problem(link.url, f"page larger than the {max_bytes:,}-byte cap", link.locator)
    meta = {"url": final_url or link.url, "title": link.title or "", "published": link.published or ""}
    return RawDocument(link.url, "text/html", data, link.locator, {k: v for k, v in meta.items() if v})
