"""A polite HTTP fetcher: pages and feeds from the web, as a newsroom's crawler should fetch them.

* only http(s), and no private, loopback or link-local address (each redirect hop checked too)
  unless the user allows them (``--allow-private`` or ``STORYLINE_ALLOW_PRIVATE=1``);
* robots.txt obeyed (urllib.robotparser, our user agent's group), its Crawl-delay too (capped);
* per host: at most ``per_host`` requests at once and ``delay_s`` between request starts;
* conditional requests (If-None-Match / If-Modified-Since from what the caller kept);
* retries with exponential back-off (Retry-After honoured, capped) on timeouts, connection
  errors, 429 and 5xx; a redirect limit, a size cap (Content-Length and the bytes read) and a
  whole-request time limit.

The HTTP client is httpx (connection pooling, timeouts, streaming). Redirects are followed here,
not by httpx, because each hop's address must be checked before it is requested. The address
check resolves the name before the request; a DNS answer that changes between the check and the
connection (rebinding) is not caught: a shared deployment should also firewall its egress.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import threading
import time
import urllib.robotparser
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

from storyline.ingest.files import DEFAULT_MAX_BYTES
from storyline.records import Link, Problem, RawDocument

USER_AGENT = "Storyline/0.1 (+news analysis; fetches only links the user asked for)"
ROBOTS_AGENT = "Storyline"  # the token robots.txt groups are matched against
ALLOW_PRIVATE_ENV = "STORYLINE_ALLOW_PRIVATE"
MAX_CRAWL_DELAY_S = 30.0  # a robots.txt Crawl-delay above this is taken as this
MAX_RETRY_AFTER_S = 60.0
ROBOTS_MAX_BYTES = 512 * 1024
REDIRECTS = {301, 302, 303, 307, 308}
RETRYABLE = {408, 425, 429, 500, 502, 503, 504}
# What a page or a feed is served as; anything else (PDF, images, archives) is refused.
ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/rss+xml",
                  "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")
ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.1"


def private_allowed_by_env() -> bool:
    return os.environ.get(ALLOW_PRIVATE_ENV, "").strip().lower() in ("1", "true", "yes")


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How politely and how safely to fetch. Defaults suit a monitoring desk: two requests at
    once and one second between request starts per host, 20 s per request."""

    per_host: int = 2
    delay_s: float = 1.0
    workers: int = 8
    timeout_s: float = 20.0
    retries: int = 2
    backoff_s: float = 1.0
    max_redirects: int = 5
    max_bytes: int = DEFAULT_MAX_BYTES
    allow_private: bool = False
    robots: bool = True
    user_agent: str = USER_AGENT


@dataclass(frozen=True, slots=True)
class FetchRequest:
    """A URL to fetch, with the validators kept from its last fetch (conditional request)."""

    url: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass(slots=True)
class Fetched:
    """What fetching one URL gave. ``status``: "ok" (``data`` holds the body), "not_modified"
    (the validators still hold) or "failed" (``reason`` says why; ``permanent`` when retrying
    soon cannot help: robots.txt, a refused address, a 4xx, too large, not a page)."""

    url: str
    status: Literal["ok", "not_modified", "failed"]
    final_url: str | None = None
    data: bytes | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    reason: str | None = None
    permanent: bool = False
    attempts: int = 0


class FetchError(Exception):
    def __init__(self, reason: str, *, retryable: bool = False, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after


@dataclass(slots=True)
class _Host:
    """Per-host politeness state: the request slots, the next allowed start, robots.txt."""

    slots: threading.Semaphore
    delay_s: float
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_start: float = 0.0
    robots_lock: threading.Lock = field(default_factory=threading.Lock)
    robots_loaded: bool = False
    robots: urllib.robotparser.RobotFileParser | None = None
    robots_error: str | None = None


class Fetcher:
    """Fetch many URLs concurrently within the policy's limits; one instance per run (it keeps
    the connection pool and each host's robots.txt). Use as a context manager."""

    def __init__(self, policy: FetchPolicy | None = None):
        import httpx  # loaded only when something is fetched

        self.policy = policy or FetchPolicy()
        self._httpx = httpx
        self._client = httpx.Client(
            follow_redirects=False, timeout=httpx.Timeout(self.policy.timeout_s),
            headers={"User-Agent": self.policy.user_agent, "Accept": ACCEPT},
            limits=httpx.Limits(max_connections=max(self.policy.workers, 1) * 2),
            trust_env=False,  # no proxies from the environment: the address checks must hold
        )
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    # --- many at once ------------------------------------------------------------------------
    def fetch_all(self, requests: Iterable[FetchRequest]) -> Iterator[Fetched]:
        """Fetch every request, concurrently, yielding the results in the order asked. At most
        a few times ``workers`` requests are in flight or waiting, so memory stays bounded."""
        window = max(self.policy.workers, 1) * 4
        with ThreadPoolExecutor(max_workers=max(self.policy.workers, 1), thread_name_prefix="fetch") as pool:
            pending: deque[Future[Fetched]] = deque()
            for request in requests:
                pending.append(pool.submit(self.fetch, request))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()

    # --- one URL -----------------------------------------------------------------------------
    def fetch(self, request: FetchRequest | str) -> Fetched:
        """Fetch one URL, retrying what may pass on a second try; never raises."""
        if isinstance(request, str):
            request = FetchRequest(request)
        attempts = 0
        while True:
            attempts += 1
            try:
                result = self._fetch_once(request)
                result.attempts = attempts
                return result
            except FetchError as exc:
                if not exc.retryable or attempts > self.policy.retries:
                    return Fetched(request.url, "failed", reason=exc.reason, permanent=not exc.retryable,
                                   attempts=attempts)
                pause = self.policy.backoff_s * 2 ** (attempts - 1)
                if exc.retry_after is not None:
                    pause = max(pause, min(exc.retry_after, MAX_RETRY_AFTER_S))
                time.sleep(pause)

    def _fetch_once(self, request: FetchRequest) -> Fetched:
        url = request.url
        headers = {}
        if request.etag:
            headers["If-None-Match"] = request.etag
        if request.last_modified:
            headers["If-Modified-Since"] = request.last_modified
        for _ in range(self.policy.max_redirects + 1):
            host = self._check(url)
            if self.policy.robots:
                self._obey_robots(url, host)
            status, response_headers, data = self._get(url, host, headers, self.policy.max_bytes)
            if status in REDIRECTS and response_headers.get("location"):
                url = urljoin(url, response_headers["location"])
                continue
            if status == 304:
                return Fetched(request.url, "not_modified", final_url=url, etag=request.etag,
                               last_modified=request.last_modified)
            if status in RETRYABLE:
                raise FetchError(f"HTTP {status}", retryable=True,
                                 retry_after=_retry_after(response_headers.get("retry-after")))
            if status >= 400:
                raise FetchError(f"HTTP {status}")
            if status != 200:
                raise FetchError(f"unexpected HTTP {status}")
            content_type = (response_headers.get("content-type") or "").split(";")[0].strip().lower()
            if content_type and content_type not in ACCEPTED_TYPES:
                raise FetchError(f"not a page or a feed (served as {content_type})")
            return Fetched(request.url, "ok", final_url=url, data=data, content_type=content_type or None,
                           etag=response_headers.get("etag"), last_modified=response_headers.get("last-modified"))
        raise FetchError(f"more than {self.policy.max_redirects} redirects")

    def _check(self, url: str) -> _Host:
        """The host of ``url`` once its scheme and address pass; FetchError otherwise."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            raise FetchError(f"only http(s) URLs are fetched, not {parts.scheme or 'a bare path'}:")
        if not parts.hostname:
            raise FetchError("URL has no host")
        if not self.policy.allow_private:
            refused = _non_public_address(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
            if refused:
                raise FetchError(refused)
        return self._host(f"{parts.scheme.lower()}://{parts.netloc.lower()}")

    def _host(self, origin: str) -> _Host:
        with self._hosts_lock:
            host = self._hosts.get(origin)
            if host is None:
                host = self._hosts[origin] = _Host(threading.Semaphore(max(self.policy.per_host, 1)),
                                                   self.policy.delay_s)
            return host

    def _obey_robots(self, url: str, host: _Host) -> None:
        with host.robots_lock:
            if not host.robots_loaded:
                self._load_robots(url, host)
                host.robots_loaded = True
        if host.robots_error:
            raise FetchError(host.robots_error, retryable=False)
        if host.robots is not None and not host.robots.can_fetch(ROBOTS_AGENT, url):
            raise FetchError("disallowed by robots.txt")

    def _load_robots(self, url: str, host: _Host) -> None:
        """Read the host's robots.txt (RFC 9309): 4xx means no rules; 5xx or no answer means
        keep off the host for now (the pages fail, and are retried later)."""
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        try:
            for _ in range(self.policy.max_redirects + 1):
                target = self._check(robots_url)
                status, headers, data = self._get(robots_url, target, {}, ROBOTS_MAX_BYTES)
                if status in REDIRECTS and headers.get("location"):
                    robots_url = urljoin(robots_url, headers["location"])
                    continue
                break
        except FetchError as exc:
            host.robots_error = f"robots.txt could not be read ({exc.reason})"
            return
        if 400 <= status < 500:
            return
        if status != 200:
            host.robots_error = f"robots.txt could not be read (HTTP {status})"
            return
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(data.decode("utf-8", "replace").splitlines())
        host.robots = parser
        delay = parser.crawl_delay(ROBOTS_AGENT)
        if delay:  # robotparser reads whole seconds only
            with host.lock:
                host.delay_s = max(host.delay_s, min(float(delay), MAX_CRAWL_DELAY_S))
                host.next_start = max(host.next_start, time.monotonic() + host.delay_s)

    def _get(self, url: str, host: _Host, headers: dict[str, str], max_bytes: int) -> tuple[int, Any, bytes]:
        """One GET within the host's limits: (status, headers, body up to ``max_bytes``)."""
        httpx = self._httpx
        with host.slots:
            self._wait_turn(host)
            started = time.monotonic()
            try:
                with self._client.stream("GET", url, headers=headers) as response:
                    if response.status_code != 200:
                        return response.status_code, response.headers, b""
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > max_bytes:
                        raise FetchError(f"larger than the {max_bytes:,}-byte cap ({int(declared):,} bytes)")
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > max_bytes:
                            raise FetchError(f"larger than the {max_bytes:,}-byte cap")
                        if time.monotonic() - started > self.policy.timeout_s:
                            raise FetchError(f"took longer than {self.policy.timeout_s:g} s", retryable=True)
                    return response.status_code, response.headers, bytes(body)
            except httpx.TimeoutException:
                raise FetchError(f"timed out after {self.policy.timeout_s:g} s", retryable=True) from None
            except httpx.TransportError as exc:
                raise FetchError(f"connection failed ({type(exc).__name__}: {exc})", retryable=True) from None
            except httpx.InvalidURL as exc:
                raise FetchError(f"invalid URL ({exc})") from None

    @staticmethod
    def _wait_turn(host: _Host) -> None:
        with host.lock:
            now = time.monotonic()
            start = max(now, host.next_start)
            host.next_start = start + host.delay_s
        if start > now:
            time.sleep(start - now)


def _non_public_address(hostname: str, port: int) -> str | None:
    """Why ``hostname`` may not be fetched (it resolves to a private, loopback, link-local or
    otherwise non-public address), or None when every address it resolves to is public."""
    try:
        infos = socket.getaddrinfo(hostname, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise FetchError(f"cannot resolve {hostname} ({exc})", retryable=True) from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if not address.is_global:
            return (f"{hostname} resolves to the non-public address {address}; "
                    f"use --allow-private (or {ALLOW_PRIVATE_ENV}=1) to fetch it")
    return None


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return float(value.strip())
    return None


def looks_like_feed(content_type: str | None, data: bytes) -> bool:
    """Whether a fetched body is an RSS/Atom feed rather than a page: by its declared type, or
    by its first element when served as generic XML or with no type."""
    if content_type in ("application/rss+xml", "application/atom+xml", "application/rdf+xml"):
        return True
    if content_type in ("text/html", "application/xhtml+xml", "text/plain"):
        return False
    head = data[:2048].lower()
    return any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf"))


def fetch_link(link: Link, *, max_bytes: int, fetcher: Fetcher | None = None) -> RawDocument | Problem:
    """Download the page a feed entry links to, as a raw HTML document (``ingest --fetch``)."""
    own = fetcher is None
    fetcher = fetcher or Fetcher(FetchPolicy(max_bytes=max_bytes, allow_private=private_allowed_by_env()))
    try:
        got = fetcher.fetch(link.url)
    finally:
        if own:
            fetcher.close()
    if got.status != "ok" or got.data is None:
        return Problem(link.url, f"fetch failed: {got.reason or got.status}", link.locator)
    meta = {"url": got.final_url or link.url, "title": link.title or "", "published": link.published or ""}
    return RawDocument(link.url, "text/html", got.data, link.locator, {k: v for k, v in meta.items() if v})
