"""Input files -> raw documents -> articles, as lazy generator chains.

A problem with one input (or one line, entry or record of it) becomes a :class:`Problem` in the
stream; it never stops the inputs after it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from storyline.ingest.convert import to_article
from storyline.ingest.csvfile import read_csv
from storyline.ingest.feeds import read_feed
from storyline.ingest.files import InputError, InputFile
from storyline.ingest.html import read_html
from storyline.ingest.jsonl import LinePart, read_jsonl
from storyline.ingest.text import read_text
from storyline.ingest.warc import RecordPart, read_warc
from storyline.records import Article, Link, Problem, RawDocument

Reader = Callable[..., Iterable[RawDocument | Link | Problem]]

READERS: dict[str, Reader] = {
    "text": read_text,
    "html": read_html,
    "feed": read_feed,
    "jsonl": read_jsonl,
    "csv": read_csv,
    "warc": read_warc,
}


def documents(file: InputFile, *, max_bytes: int, part: LinePart | RecordPart | None = None,
              index: bytes | None = None) -> Iterator[RawDocument | Link | Problem]:
    """Everything one input file holds, or the problem that kept it from being read; with
    ``part`` (and ``index``), what one part of a JSONL or WARC file holds (ingest/parts.py)."""
    if file.format is None:
        yield Problem(str(file.path), "unsupported file type (expected text, HTML, feed, JSONL, CSV or WARC)")
        return
    if part is not None and (file.format, type(part)) not in (("jsonl", LinePart), ("warc", RecordPart)):
        raise ValueError(f"{file.path}: a {file.format} file is not read by a {type(part).__name__}")
    try:
        if isinstance(part, LinePart):
            yield from read_jsonl(Path(file.path), max_bytes=max_bytes, part=part, index=index)
        elif isinstance(part, RecordPart):
            yield from read_warc(Path(file.path), max_bytes=max_bytes, part=part)
        else:
            yield from READERS[file.format](Path(file.path), max_bytes=max_bytes)
    except InputError as exc:
        yield Problem(str(file.path), str(exc))
    except Exception as exc:  # noqa: BLE001 - a reader's bug on one hostile file must not stop the run
        yield Problem(str(file.path), f"could not be read ({type(exc).__name__}: {exc})")


def articles(items: Iterable[RawDocument | Link | Problem]) -> Iterator[Article | Link | Problem]:
    """Clean each raw document into an article; links and problems pass through."""
    for item in items:
        if not isinstance(item, RawDocument):
            yield item
            continue
        try:
            yield to_article(item)
        except InputError as exc:
            yield Problem(item.source, str(exc), item.locator)
        except Exception as exc:  # noqa: BLE001 - one odd page must not stop the batch
            yield Problem(item.source, f"could not be processed ({type(exc).__name__}: {exc})", item.locator)
