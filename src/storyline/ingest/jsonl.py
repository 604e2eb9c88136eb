"""JSONL dumps: one article per line with url, title, text or html, published, outlet, byline.

Dumps made by other tools name the same fields otherwise, and a reader that knows only its own
names turns a whole dump away ("no 'text' field") or silently loses its dates. The names of the
common news tools are read as ours (FIELD_ALIASES: news-please, Media Cloud, newspaper4k,
NewsAPI, schema.org NewsArticle, feeds): our own name wins when both are there, then the aliases
in their listed order. A list of authors is one byline; a source object gives its name; a date
given as a Unix time (seconds or milliseconds, as a number or digits) is read as UTC.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from storyline.ingest.files import InputError
from storyline.records import Problem, RawDocument

STATED_KEYS = ("url", "title", "published", "outlet", "byline")
# Other tools' names for our fields, tried in this order after our own.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("maintext", "body", "content", "article_text", "articleBody", "full_text"),
    "html": ("raw_html", "content_html"),
    "url": ("link", "canonical_url", "source_url"),
    "title": ("headline",),
    "published": ("date_publish", "publish_date", "published_at", "publishedAt", "datePublished", "pubDate",
                  "pub_date", "date", "publication_date", "timestamp"),
    "outlet": ("source_domain", "media_name", "source_name", "site_name", "publisher", "source", "domain"),
    "byline": ("authors", "author", "creator"),
}
_LOOKS_HTML = re.compile(r"\s*<(?:!--|!doctype\b|/?[a-z][a-z0-9-]*(?:\s[^<>]{0,200})?/?>)", re.IGNORECASE)


def read_jsonl(path: Path, *, max_bytes: int, part: LinePart | None = None) -> Iterator[RawDocument | Problem]:
    """Yield one raw document per valid line and a :class:`Problem` per bad one.

    A bad line (invalid JSON, not an object, no text, too long, not UTF-8) never stops the file.
    ``part`` (see :func:`line_parts`) reads only the lines of one byte range of an uncompressed
    file, numbered as in the whole file; an empty part is not reported (the file is not empty).
    """
    source = str(path)
    opener = gzip.open if path.suffix.lower() == ".gz" and part is None else open
    number = part.lines_before if part else 0
    empty = part is None  # no line with anything on it: reported, not passed over in silence
    try:
        with opener(path, "rb") as fh:
            at = part.start if part else 0
            if at:
                fh.seek(at)
            while part is None or at < part.end:
                line = fh.readline(max_bytes + 1)
                if not line:
                    break
                at += len(line)
                number += 1
                where = f"line {number}"
                if len(line) > max_bytes and not line.endswith(b"\n"):
                    empty = False
                    # Skip the rest of the overlong line without holding it in memory.
                    while True:
                        rest = fh.readline(max_bytes)
                        at += len(rest)
                        if not rest or rest.endswith(b"\n"):
                            break
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


@dataclass(frozen=True, slots=True)
class LinePart:
    """Bytes ``start``..``end`` of a JSONL file: whole lines, ``lines_before`` of them before."""

    start: int
    end: int
    lines_before: int


def part_count(path: Path, part_bytes: int, size: int | None = None) -> int:
    """About how many parts :func:`line_parts` cuts ``path`` into, by its size (``size``, or
    read): 1 for a file read whole (at most ``part_bytes``, or compressed)."""
    if part_bytes <= 0 or path.suffix.lower() == ".gz":
        return 1
    size = path.stat().st_size if size is None else size
    return 1 if size <= part_bytes else -(-size // part_bytes)


def line_parts(path: Path, part_bytes: int, chunk: int = 1 << 24) -> list[LinePart]:
    """An uncompressed JSONL file cut into parts of about ``part_bytes`` at line starts, with the
    lines before each counted, so that several readers can read one big dump side by side and
    still number its lines as one (run/ray_exec.py). One pass over the file, in ``chunk``
    reads (``bytes.find`` and ``count``, at memory speed); no part for a file of at most
    ``part_bytes`` or a compressed one (a gzip stream is read from its start): []."""
    size = path.stat().st_size
    if part_count(path, part_bytes, size) == 1:
        return []
    parts: list[LinePart] = []
    start = lines_at_start = lines = pos = 0
    target = part_bytes
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            counted = 0  # the block's lines are counted once, up to each cut in turn
            while target < pos + len(block):
                newline = block.find(b"\n", max(target - pos, 0))
                if newline < 0:
                    break  # the cut falls in a line that goes on in the next block
                cut = pos + newline + 1
                lines += block.count(b"\n", counted, newline + 1)
                counted = newline + 1
                if cut < size:
                    parts.append(LinePart(start, cut, lines_at_start))
                    start, lines_at_start = cut, lines
                target = cut + part_bytes
            lines += block.count(b"\n", counted)
            pos += len(block)
    parts.append(LinePart(start, size, lines_at_start))
    return parts


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
    obj = canonical_fields(obj)
    text, html = obj.get("text"), obj.get("html")
    if not (isinstance(text, str) and text.strip()) and not (isinstance(html, str) and html.strip()):
        raise InputError("no 'text' or 'html' field with content (nor " + ", ".join(
            repr(a) for a in FIELD_ALIASES["text"] + FIELD_ALIASES["html"]) + ")")
    return obj


def canonical_fields(obj: dict) -> dict:
    """``obj`` with each of our fields it lacks (or holds empty) filled from the first of its
    aliases that holds a usable value (FIELD_ALIASES), in the shape our field takes: text for
    text and html, a string for the stated fields. The other keys stay as they are."""
    out = dict(obj)
    if _usable("text", out.get("text")) is None and _usable("html", out.get("html")) is None:
        # Some tools keep the page's HTML under a text-like name ("content"): read as HTML.
        for alias in FIELD_ALIASES["text"]:
            value = _usable("text", obj.get(alias))
            if value is not None:
                out["html" if _LOOKS_HTML.match(value) else "text"] = value
                break
    for name, aliases in FIELD_ALIASES.items():
        if name == "text" and _usable("html", out.get("html")) is not None:
            continue  # the page is there; the converter reads it before any text
        if name == "html" and _usable("text", obj.get("text")) is not None:
            continue  # our own text wins over another tool's copy of the page
        own = _usable(name, out.get(name))
        if own is not None:
            out[name] = own
            continue
        for alias in aliases:
            value = _usable(name, obj.get(alias))
            if value is not None:
                out[name] = value
                break
    return out


def _usable(name: str, value: object) -> str | None:
    """``value`` as field ``name`` reads it, or None when it gives nothing."""
    if isinstance(value, bool) or value is None:
        return None
    if name == "published" and isinstance(value, (int, float, str)):
        epoch = _epoch(value)
        if epoch is not None:
            return epoch
    if name == "byline" and isinstance(value, list):
        names = [v.get("name") if isinstance(v, dict) else v for v in value]
        value = ", ".join(n.strip() for n in names if isinstance(n, str) and n.strip())
    if name == "byline" and isinstance(value, dict):  # schema.org: {"@type": "Person", "name": ...}
        value = value.get("name")
    if name == "outlet" and isinstance(value, dict):
        value = value.get("name") or value.get("title")
    if name in ("text", "html"):
        return value if isinstance(value, str) and value.strip() else None
    if isinstance(value, (int, float)) and name not in ("published",):
        return None
    if isinstance(value, (str, int, float)) and str(value).strip():
        return str(value)
    return None


def _epoch(value: int | float | str) -> str | None:
    """A Unix time in seconds or milliseconds (a number, or a string of its digits with an
    optional fraction) as an ISO UTC date and time; None for anything else."""
    if isinstance(value, str):
        whole, _, fraction = value.strip().partition(".")
        digits = (whole + fraction).isascii() and whole.isdigit() and (not fraction or fraction.isdigit())
        if not digits or len(whole) > 13:
            return None
    try:
        number = float(value)
    except (OverflowError, ValueError):  # an integer of hundreds of digits
        return None
    # From 1e9 seconds (2001-09-09) to 1e10 (2286), or the same in milliseconds, so that a
    # plain count ("1500") is never taken for a date.
    if 1e9 <= number < 1e10:
        seconds = number
    elif 1e12 <= number < 1e13:
        seconds = number / 1000
    else:
        return None
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).replace(microsecond=0).isoformat()


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
