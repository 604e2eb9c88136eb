"""Plain-text article dumps (``.txt``, ``.gz``): one article per file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from storyline.ingest.files import read_capped
from storyline.records import RawDocument


def read_text(path: Path, *, max_bytes: int) -> Iterator[RawDocument]:
    """One text file as a raw document; a ``.txt`` that is really an HTML page is passed on as HTML."""
    data = read_capped(path, max_bytes)
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    media_type = "text/html" if head.startswith((b"<!doctype html", b"<html")) else "text/plain"
    yield RawDocument(source=str(path), media_type=media_type, data=data)
