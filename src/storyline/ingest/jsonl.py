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
import io
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from storyline.ingest.files import InputError, changed_since_cut
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
# A record without a text still tells news when it has a teaser or a headline: headline dumps
# (GDELT's, the UCI News Aggregator's, a feed exported without its pages) give nothing else,
# and turning each line away lost the whole dump. Such a record is kept as a brief whose body
# is the first of these (a teaser, as NewsAPI, feeds and schema.org name it), else the headline
# (text_stand_in); the article says so (convert.to_article: the field "body", inferred).
STAND_INS = ("description", "summary", "teaser", "snippet", "dek")
_LOOKS_HTML = re.compile(r"\s*<(?:!--|!doctype\b|/?[a-z][a-z0-9-]*(?:\s[^<>]{0,200})?/?>)", re.IGNORECASE)


def read_jsonl(path: Path, *, max_bytes: int, part: LinePart | None = None,
               index: bytes | None = None) -> Iterator[RawDocument | Problem]:
    """Yield one raw document per valid line and a :class:`Problem` per bad one.

    A bad line (invalid JSON, not an object, no text, too long, not UTF-8) never stops the file.
    ``part`` (see :func:`line_parts`, :func:`gzip_line_parts`) reads only the lines of one byte
    range of the file (of its decompressed stream, for a gzip file, found through ``index``),
    numbered as in the whole file; an empty part is not reported (the file is not empty).
    """
    source = str(path)
    number = part.lines_before if part else 0
    empty = part is None  # no line with anything on it: reported, not passed over in silence
    if part and (changed := changed_since_cut(path, part.stamp)):
        yield Problem(source, changed, f"bytes {part.start}-{part.end}")
        return
    try:
        with _open(path, part, index) as fh:
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


def _compressed(path: Path) -> bool:
    return path.suffix.lower() == ".gz"


def _open(path: Path, part: LinePart | None, index: bytes | None) -> BinaryIO:
    if not _compressed(path):
        return open(path, "rb")
    if part is None:
        return gzip.open(path, "rb")
    if index is None:
        raise ValueError(f"{path}: a part of a gzip file is read through its index (gzip_line_parts)")
    # indexed_gzip (a zlib index of the stream: the 32 KiB window at each seek point) starts
    # decompressing at the seek point before the part, not at the file's start: without it the
    # k-th of n parts decompresses k/n of the file again. Only parts use it, because it ends a
    # cut-off stream quietly where Python's gzip raises; the cut (gzip_line_parts) reads the
    # whole stream with Python's gzip first, so a damaged file is never cut.
    import indexed_gzip

    fh = indexed_gzip.IndexedGzipFile(str(path))
    try:
        fh.import_index(fileobj=io.BytesIO(index))
    except BaseException:
        fh.close()
        raise
    return fh


@dataclass(frozen=True, slots=True)
class LinePart:
    """Bytes ``start``..``end`` of a JSONL file: whole lines, ``lines_before`` of them before;
    ``stamp``: the file's when it was cut (set by parts.cut; a part of a file changed since is
    not read, but reported)."""

    start: int
    end: int
    lines_before: int
    stamp: tuple[int, int] | None = None


# What a gzip file of JSONL news is guessed to grow to, decompressed (about 3-6 times; the
# reader pool's size hint only), and the most it is taken to grow: a smaller file is not
# decompressed to be cut, since it cannot make two parts.
GZIP_RATIO = 4
GZIP_MAX_RATIO = 16


def part_count(path: Path, part_bytes: int, size: int | None = None) -> int:
    """About how many parts ``path`` is cut into (:func:`line_parts`, :func:`gzip_line_parts`),
    by its size (``size``, or read; a gzip file's times GZIP_RATIO): 1 for a file read whole."""
    if part_bytes <= 0:
        return 1
    size = (path.stat().st_size if size is None else size) * (GZIP_RATIO if _compressed(path) else 1)
    return 1 if size <= part_bytes else -(-size // part_bytes)


def line_parts(path: Path, part_bytes: int, chunk: int = 1 << 24) -> list[LinePart]:
    """An uncompressed JSONL file cut into parts of about ``part_bytes`` at line starts, with the
    lines before each counted, so that several readers can read one big dump side by side and
    still number its lines as one (run/ray_read.py). One pass over the file, in ``chunk``
    reads (``bytes.find`` and ``count``, at memory speed); no part for a file of at most
    ``part_bytes`` or a compressed one (see :func:`gzip_line_parts`): []."""
    if _compressed(path) or part_count(path, part_bytes) == 1:
        return []
    with open(path, "rb") as fh:
        return _cut_lines(fh, part_bytes, chunk)


def gzip_line_parts(path: Path, part_bytes: int, chunk: int = 1 << 24) -> tuple[list[LinePart], bytes | None]:
    """A gzip-compressed JSONL file cut as :func:`line_parts` cuts a plain one, in offsets of
    its decompressed stream, and the index a reader seeks to a part's start by
    (``read_jsonl(part=..., index=...)``). Two passes on the caller: the cut, with Python's
    gzip (so a cut-off or damaged stream raises here, and the file is read whole, by one
    reader that reports where it broke: ``([], None)``), then indexed_gzip's index, with a
    seek point about every quarter part and at most 256 (a 32 KiB window each: about 0.2% of
    the stream at the default part size, at most 8 MiB). A stream of at most ``part_bytes``,
    or another file: ``([], None)``."""
    if not _compressed(path) or part_bytes <= 0:
        return [], None
    try:
        if path.stat().st_size * GZIP_MAX_RATIO <= part_bytes:
            return [], None
        with gzip.open(path, "rb") as fh:
            parts = _cut_lines(fh, part_bytes, chunk)
        if len(parts) < 2:
            return [], None
        import indexed_gzip

        # A seek point every quarter part, but at most 256 in all: every part's reader imports
        # the whole index, so with small parts of a huge stream it would grow as the parts do.
        spacing = max(part_bytes // 4, parts[-1].end // 256, 1 << 16)
        with indexed_gzip.IndexedGzipFile(str(path), spacing=spacing) as fh:
            fh.build_full_index()
            index = io.BytesIO()
            fh.export_index(fileobj=index)
    except (OSError, EOFError, zlib.error):
        return [], None
    return parts, index.getvalue()


def _cut_lines(fh: BinaryIO, part_bytes: int, chunk: int) -> list[LinePart]:
    """The parts of the stream ``fh`` (read to its end); one part for a stream of at most
    ``part_bytes``."""
    parts: list[LinePart] = []
    start = lines_at_start = lines = pos = 0
    target = part_bytes
    while block := fh.read(chunk):
        counted = 0  # the block's lines are counted once, up to each cut in turn
        while target < pos + len(block):
            newline = block.find(b"\n", max(target - pos, 0))
            if newline < 0:
                break  # the cut falls in a line that goes on in the next block
            cut = pos + newline + 1
            lines += block.count(b"\n", counted, newline + 1)
            counted = newline + 1
            parts.append(LinePart(start, cut, lines_at_start))
            start, lines_at_start = cut, lines
            target = cut + part_bytes
        lines += block.count(b"\n", counted)
        pos += len(block)
    parts.append(LinePart(start, pos, lines_at_start))
    # A cut at the stream's very end leaves an empty last part: the one before ends there.
    return [p for p in parts if p.start < p.end] or parts[:1]


def parse_line(data: bytes) -> dict:
    """Parse one JSONL line into an article object, or raise :class:`InputError` saying why."""
    return parse_record(data)[0]


def parse_record(data: bytes) -> tuple[dict, str | None]:
    """:func:`parse_line`, and the name of the field that stands for the record's text when it
    gives none (text_stand_in; None when it gives its own text or page)."""
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
        stand_in = text_stand_in(obj)
        if stand_in is None:
            raise InputError("no 'text', 'html' or 'title' field with content (nor " + ", ".join(
                repr(a) for a in FIELD_ALIASES["text"] + FIELD_ALIASES["html"] + STAND_INS) + ")")
        obj["text"], name = stand_in
        return obj, name
    return obj, None


def text_stand_in(obj: dict) -> tuple[str, str] | None:
    """What stands for the text of a record (canonical fields) that gives none, and the name of
    the field it is: its teaser (the first of STAND_INS with content), else its headline; None
    when it has neither. The headline is not put above a teaser: it is the stated title
    already, and the cleaner would cut it again as a repeated headline."""
    for name in STAND_INS:
        value = _usable("text", obj.get(name))
        if value is not None:
            return value, name
    title = _usable("title", obj.get("title"))
    return (title, "title") if title is not None else None


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
    if (own := record_id(obj)) is not None:
        where = f"{where}, id {own}"
    return RawDocument(source, "application/json", line.rstrip(b"\r\n"), where, meta)


# A record's own id under the names datasets give it (ECB+'s "doc_id", the UCI News
# Aggregator's "ID"; a CSV header is read case-folded), first found wins.
RECORD_ID_KEYS = ("id", "doc_id", "article_id", "uid", "guid", "_id")
# A longer "id" is no identifier a reader would look up (and the locator is printed everywhere).
MAX_RECORD_ID = 120
_ID_JUNK = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def record_id(obj: dict) -> str | None:
    """The record's own id (RECORD_ID_KEYS), whitespace-collapsed and without control
    characters, or None. Kept in the article's locator ("line 12, id 36_1ecb") and a sighting's,
    so that results (``articles --json``, a story's articles) join back to the input's rows
    even where two records' texts were stored once."""
    for key in RECORD_ID_KEYS:
        value = obj.get(key)
        if isinstance(value, dict) and len(value) == 1 and "$oid" in value:  # MongoDB's extended JSON
            value = value["$oid"]
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:  # 7.0: a table written by pandas
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            continue
        text = " ".join(_ID_JUNK.sub("", str(value)).split())
        if text and len(text) <= MAX_RECORD_ID:
            return text
    return None
