"""A request-body cap as plain ASGI middleware (no web framework needed).

A request whose Content-Length exceeds the cap is answered 413 before its body is read; one
that sends more bytes than the cap (no Content-Length, chunked, or a lying header) is cut off
and answered 413 as soon as the count passes it. The body read so far (at most the cap) is
then handed to the application in one piece.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

# The largest offset a listing accepts (422 beyond): far beyond any store, and within SQLite's
# and PostgreSQL's 64-bit integers (2^63 and more made the stores fail with a 500).
MAX_OFFSET = 1_000_000_000

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def error_body(status: int, message: str) -> bytes:
    """The JSON error shape every API error has."""
    return json.dumps({"error": {"status": status, "message": message}}, ensure_ascii=False).encode("utf-8")


async def send_error(send: Send, status: int, message: str) -> None:
    body = error_body(status, message)
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"x-content-type-options", b"nosniff"), (b"connection", b"close"),
    ]})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    def __init__(self, app: ASGIApp, max_body: int):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        too_big = f"request body over the {self.max_body:,}-byte limit"
        declared = [v for k, v in scope.get("headers", ()) if k.lower() == b"content-length"]
        if declared:
            try:
                length = int(declared[0])
                if length < 0:
                    raise ValueError
            except ValueError:
                await send_error(send, 400, "invalid Content-Length header")
                return
            if length > self.max_body:
                await send_error(send, 413, too_big)
                return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                await send_error(send, 413, too_big)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
