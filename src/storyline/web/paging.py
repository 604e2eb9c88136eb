"""The API's list envelope and its validators, in plain Python (web/api.py answers with them).

Every list answers ``{"items", "total", "limit", "offset", "next", "prev"}``: ``total`` counts
every item the filters keep, ``next``/``prev`` are paths (with the same query, offset moved by
``limit``) or null at either end, so a client pages by following ``next`` until it is null.

Read routes carry a weak ETag, a hash of the JSON they answer: a client that sends it back in
``If-None-Match`` gets 304 with no body. The hash is of the body, not of a store stamp, so it is
right whatever changed (a new article, a linking run, a new analyzer) at the cost of building
the answer; what it saves is the transfer and the client's parsing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode


def envelope(items: Sequence[Any], total: int, limit: int, offset: int, path: str,
             query: Sequence[tuple[str, str]], *, max_offset: int) -> dict:
    """One page of a list, with the links to its neighbours (``query``: the request's own
    parameters, in order; ``max_offset``: the largest offset the route accepts)."""
    def link(to: int) -> str:
        kept = [(k, v) for k, v in query if k not in ("offset", "limit")]
        return f"{path}?{urlencode([*kept, ('limit', str(limit)), ('offset', str(to))])}"

    after = offset + limit
    return {
        "items": list(items), "total": total, "limit": limit, "offset": offset,
        "next": link(after) if after < total and after <= max_offset else None,
        "prev": link(max(0, offset - limit)) if offset > 0 else None,
    }


def encode(data: Any) -> bytes:
    """The JSON of an answer, as the API sends it (UTF-8, no ASCII escapes)."""
    return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def etag(body: bytes) -> str:
    """A weak validator of this exact body."""
    return 'W/"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def fresh(headers: Mapping[str, str], tag: str) -> bool:
    """True when the request's If-None-Match already names ``tag`` (weak comparison, as RFC 9110
    asks for If-None-Match; ``*`` matches any)."""
    asked = headers.get("if-none-match")
    if not asked:
        return False
    wanted = tag.removeprefix("W/")
    return any(t.strip() == "*" or t.strip().removeprefix("W/") == wanted for t in asked.split(","))


def export_href(kind: str, fmt: str, filters: Mapping[str, Any] | None = None) -> str:
    """The API's download of a list (web/api_exports.py) with the page's filters (empty ones
    left out): what the export links on the list pages point at."""
    kept = [(k, str(v)) for k, v in (filters or {}).items() if v not in (None, "")]
    return f"/api/v1/export/{kind}.{fmt}" + (f"?{urlencode(kept)}" if kept else "")
