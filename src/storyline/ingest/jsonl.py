"""JSONL dumps: one article per line with url, title, text or html, published, outlet, byline."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from pathlib import Path

from storyline.ingest.files import InputError
from storyline.records import Problem, RawDocument

STATED_KEYS = ("url", "title", "published", "outlet", "byline")


def read_jsonl(path: Path, *, max_bytes: int) -> Iterator[RawDocument | Problem]:
    """Yield one raw document per valid line and a :class:`Problem` per bad one.

    A bad line (invalid JSON, not an object, no text, too long, not UTF-8) never stops the file.
    """
    source = str(path)
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    number = 0
    empty = True  # no line with anything on it: reported, not passed over in silence
    try:
        with opener(path, "rb") as fh:
            while True:
                line = fh.readline(max_bytes + 1)
                if not line:
                    break
                number += 1
                where = f"line {number}"
                if len(line) > max_bytes and not line.endswith(b"\n"):
                    empty = False
                    # Skip the rest of the overlong line without holding it in memory.
                    while (rest := fh.readline(max_bytes)) and not rest.endswith(b"\n"):
                        pass
                    yield Problem(source, f"line longer than the {max_bytes:,}-byte cap", where)
                    continue
                if not line.strip():
                    continue
                empty = False
                try:
                    yield _document(line, source, where)
                except InputError as exc:
                    yield Problem(source, str(exc), where)
        if empty:
            yield Problem(source, "empty input")
    except EOFError:
        yield Problem(source, "truncated gzip file (compressed stream ends early)", f"after line {number}")
    except (gzip.BadGzipFile, zlib.error) as exc:
        yield Problem(source, f"corrupt gzip file ({exc})", f"after line {number}")
    except OSError as exc:
        yield Problem(source, f"cannot read ({exc.strerror or exc})")


def parse_line(data: bytes) -> dict:
    """Parse one JSONL line into an article object, or raise :class:`InputError` saying why."""
    try:
        obj = json.loads(data)
    except UnicodeDecodeError:
        raise InputError("not valid UTF-8") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        # json's parser recurses once per nesting level: "[[[[..." deep enough exhausts the stack.
        raise InputError("JSON nested too deeply") from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts (4,300)
        raise InputError(f"invalid JSON ({exc})") from None
    if not isinstance(obj, dict):
        raise InputError(f"expected a JSON object, got {type(obj).__name__}")
    text, html = obj.get("text"), obj.get("html")
    if not (isinstance(text, str) and text.strip()) and not (isinstance(html, str) and html.strip()):
        raise InputError("no 'text' or 'html' field with content")
    return obj


def document_from_object(obj: object, *, source: str, where: str, max_bytes: int) -> RawDocument | Problem:
    """An article given in memory (what one JSONL line holds) as the raw document a JSONL file
    would give, or a Problem saying why it is not one. Its raw bytes are its compact JSON."""
    try:
        line = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError) as exc:
        return Problem(source, f"not JSON data ({exc})", where)
    except RecursionError:
        return Problem(source, "JSON nested too deeply", where)
    if len(line) > max_bytes:
        return Problem(source, f"article over the {max_bytes:,}-byte cap", where)
    try:
        return _document(line, source, where)
    except InputError as exc:
        return Problem(source, str(exc), where)


def _document(line: bytes, source: str, where: str) -> RawDocument:
    obj = parse_line(line)
    meta = {k: str(obj[k]) for k in STATED_KEYS if isinstance(obj.get(k), (str, int, float)) and obj.get(k) != ""}
    return RawDocument(source, "application/json", line.rstrip(b"\r\n"), where, meta)
