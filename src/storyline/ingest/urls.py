"""URL normalisation for de-duplication: one key per article whatever the tracking noise."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import courlan


def url_key(url: str | None) -> str | None:
    """A comparison key for ``url``: scheme and "www." dropped, tracking parameters removed,
    query sorted, fragment and trailing slash dropped. None for anything that is not http(s).
    """
    if not url:
        return None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    # courlan knows the tracking parameters (utm_*, fbclid, ...) and sorts the query.
    cleaned = courlan.normalize_url(url, strict=False) if courlan.clean_url(url) else url
    parts = urlsplit(cleaned)
    host = parts.netloc.lower().removeprefix("www.")
    if host.endswith(":80") or host.endswith(":443"):
        host = host.rsplit(":", 1)[0]
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("", host, path, parts.query, "")).lstrip("/")
