"""What the fuzzers run: one input through a reader and the cleaner, with the invariants every
outcome must keep. Shared by the hypothesis tests (tests/ingest/test_fuzz_properties.py) and the
atheris harness (fuzz/fuzz_ingest.py).

A *crash* is any of: an exception escaping the ingest path; a Problem made by the pipeline's
last-resort handlers ("could not be read (...)", "could not be processed (...)"), which means a
reader or the cleaner raised something it should have reported in words; or an article that
breaks the body format (control characters, empty or unstripped paragraphs, a wrong id).
"""

from __future__ import annotations

import re
from pathlib import Path

from storyline.ingest.clean import Cleaned, clean_text
from storyline.ingest.convert import ID_LENGTH, content_hash
from storyline.ingest.files import InputFile
from storyline.ingest.pipeline import articles, documents
from storyline.records import Article, Link, Problem

FORMATS = ("text", "html", "feed", "jsonl", "warc")
SUFFIXES = {"text": ".txt", "html": ".html", "feed": ".rss", "jsonl": ".jsonl", "csv": ".csv", "warc": ".warc"}
MAX_BYTES = 1_000_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_LAST_RESORT = ("could not be read (", "could not be processed (")


class Crash(AssertionError):
    """An outcome that breaks an invariant (see the module docstring)."""


def read_one(fmt: str, data: bytes, folder: Path) -> list[Article | Link | Problem]:
    """``data`` as a file of format ``fmt`` in ``folder``, read and cleaned; every item checked."""
    path = folder / f"input{SUFFIXES[fmt]}"
    path.write_bytes(data)
    items = list(articles(documents(InputFile(path, fmt), max_bytes=MAX_BYTES)))
    for item in items:
        check(item)
    return items


def clean_one(text: str) -> Cleaned:
    """``text`` through the cleaner, checked like an article body."""
    cleaned = clean_text(text)
    check_body(cleaned.body, allow_empty=True)
    for value in (cleaned.title, cleaned.outlet, cleaned.byline, cleaned.abstract):
        if value is not None and (_CONTROL.search(value) or "\n" in value):
            raise Crash(f"metadata value with control characters or a line break: {value!r}")
    return cleaned


def check(item: object) -> None:
    if isinstance(item, Problem):
        if not item.reason or item.reason.startswith(_LAST_RESORT):
            raise Crash(f"unhandled error: {item}")
    elif isinstance(item, Article):
        check_body(item.body)
        if item.id != content_hash(item.body)[:ID_LENGTH]:
            raise Crash("article id is not its content hash")
        if item.title is not None and _CONTROL.search(item.title):
            raise Crash(f"title with control characters: {item.title!r}")
        if item.url is not None and (_CONTROL.search(item.url) or any(c.isspace() for c in item.url)):
            raise Crash(f"url with control characters or spaces: {item.url!r}")
    elif not isinstance(item, Link):
        raise Crash(f"unexpected item {type(item).__name__}")


def check_body(body: str, *, allow_empty: bool = False) -> None:
    if not body and not allow_empty:
        raise Crash("empty body")
    if _CONTROL.search(body):
        raise Crash("body with control characters")
    if body and any(not p or p != p.strip() or "\n" in p for p in body.split("\n\n")):
        raise Crash("body breaks the paragraph format")
