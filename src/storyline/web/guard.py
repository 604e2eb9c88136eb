"""Who may talk to a server listening on loopback: plain ASGI middleware (no web framework).

A server on 127.0.0.1 is reachable by every web page the user opens: a page can POST to it
(CSRF: a cross-origin ``text/plain`` form needs no preflight), and a page on a domain that the
attacker re-points at 127.0.0.1 (DNS rebinding) is even same-origin to it. So, on loopback:

- every request must be addressed to a loopback name (``Host``: localhost, 127.x.x.x, [::1]),
  which a rebound domain is not; refused 403 otherwise;
- every write (any method but GET, HEAD and OPTIONS) must come from this server's own pages:
  an ``Origin`` header, when sent, must be this server's origin, and ``Sec-Fetch-Site``, when
  sent, must be "same-origin" or "none" (typed by the user); refused 403 otherwise. Clients
  that are not browsers (curl, scripts) send neither and are let through, as before.
- a write's body must be JSON (``Content-Type`` application/json, or none at all): the types a
  cross-origin page can send without a preflight (text/plain, forms) are refused 415.

Beyond loopback a token is required for writes (web/rules.py), which a browser never sends on
its own; the Host check cannot apply there (any name may point at the server).
"""

from __future__ import annotations

import html
from urllib.parse import urlsplit

from storyline.web.limits import ASGIApp, Receive, Scope, Send, send_error
from storyline.web.rules import is_loopback

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
_SAME_SITE = (b"same-origin", b"none")
_JSON_TYPES = ("application/json",)
ERROR_CSP = b"default-src 'none'; base-uri 'none'; frame-ancestors 'none'"


def split_host(value: str) -> tuple[str, str]:
    """``Host`` header value -> (name, port); the port is "" when none is given."""
    value = value.strip().lower()
    if value.startswith("["):  # [::1]:8000
        name, _, rest = value[1:].partition("]")
        return name, rest.removeprefix(":")
    name, _, port = value.partition(":")
    return name, port


class LoopbackGuard:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        reason, status = self.refusal(scope)
        if reason is None:
            await self.app(scope, receive, send)
        elif scope.get("path", "").startswith(("/api", "/openapi")):
            await send_error(send, status, reason)
        else:
            await send_html_error(send, status, reason)

    @staticmethod
    def refusal(scope: Scope) -> tuple[str | None, int]:
        """Why this request is refused (and the status), or (None, 0)."""
        headers: dict[bytes, bytes] = {}
        for key, value in scope.get("headers", ()):
            headers.setdefault(key.lower(), value)
        host = headers.get(b"host", b"").decode("latin-1")
        name, port = split_host(host)
        if not is_loopback(name):
            return (f"this server listens on loopback and answers only requests addressed to it "
                    f"(localhost, 127.0.0.1 or [::1]), not to {host!r}", 403)
        if scope.get("method", "GET") in SAFE_METHODS:
            return None, 0
        origin = headers.get(b"origin")
        if origin is not None and not _same_origin(origin.decode("latin-1"), name, port, scope):
            return f"writes are accepted only from this server's own pages, not from {origin.decode('latin-1')!r}", 403
        site = headers.get(b"sec-fetch-site")
        if site is not None and site.lower() not in _SAME_SITE:
            return f"writes are accepted only from this server's own pages (Sec-Fetch-Site: {site.decode('latin-1')})", 403
        kind = headers.get(b"content-type", b"").decode("latin-1").split(";")[0].strip().lower()
        if kind and kind not in _JSON_TYPES and not kind.endswith("+json"):
            return f"a write's body must be JSON (Content-Type: application/json), not {kind!r}", 415
        return None, 0


def _same_origin(origin: str, name: str, port: str, scope: Scope) -> bool:
    try:
        parts = urlsplit(origin)
        origin_port = str(parts.port or "")
    except ValueError:
        return False
    scheme = scope.get("scheme", "http")
    default = "443" if scheme == "https" else "80"
    return (parts.scheme == scheme and (parts.hostname or "") == name.strip("[]")
            and (origin_port or default) == (port or default))


async def send_html_error(send: Send, status: int, message: str) -> None:
    """A small HTML error page, sent with a Content-Security-Policy that allows nothing."""
    body = (f"<!doctype html><meta charset=utf-8><title>Error {status}</title>"
            f"<h1>Error {status}</h1><p>{html.escape(message)}</p>").encode("utf-8")
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode()),
        (b"content-security-policy", ERROR_CSP), (b"x-content-type-options", b"nosniff"),
    ]})
    await send({"type": "http.response.body", "body": body})
