"""Find input files, tell their format, and read them with a size cap."""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# One document (a file read into memory, a JSONL line, a WARC record) may be at most this big
# unless the caller says otherwise: ten times the longest news article in our eval data, and
# small enough that a stray video or database dump is refused before it is parsed.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

_SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".rss": "feed",
    ".atom": "feed",
    ".rdf": "feed",
    ".xml": "feed",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
    ".arc": "warc",
    ".csv": "csv",
    ".tsv": "csv",
}


class InputError(ValueError):
    """An input could not be read; the message says why."""


@dataclass(slots=True, frozen=True)
class InputFile:
    path: Path
    format: str | None  # None: unsupported type, reported as skipped


def discover(paths: list[str | os.PathLike]) -> Iterator[InputFile | tuple[str, str]]:
    """Yield input files under ``paths`` (folders recursively, sorted), each with its format.

    Yields ``(path, reason)`` for a path that does not exist, a folder with no supported file,
    and anything that is not a regular file (a broken symbolic link, a FIFO, a socket, a
    device), named or found in a folder: it is reported, never opened.
    Inside folders, hidden files and files of unsupported types are passed over; a file named
    explicitly is always yielded (format None when its suffix is not one we read).
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            supported = 0
            for sub in sorted(path.rglob("*")):
                if _hidden(sub.relative_to(path)) or sub.is_dir():
                    continue
                if not sub.is_file():
                    yield (str(sub), _not_a_file(sub))
                    continue
                fmt = format_of(sub)
                if fmt is not None:
                    supported += 1
                    yield InputFile(sub, fmt)
            if not supported:
                yield (str(path), "folder holds no supported files (text, HTML, feed, JSONL, CSV or WARC)")
        elif path.is_file():
            # A file without a suffix is sniffed; one with a suffix we do not know (.pdf, .docx)
            # is not an article format, and reading it as text would store junk.
            yield InputFile(path, format_of(path) or (_sniff(path) if not path.suffix else None))
        elif path.is_symlink() or path.exists():
            yield (str(path), _not_a_file(path))
        else:
            yield (str(path), "no such file or folder")


def stamp(path: Path) -> tuple[int, int]:
    """What tells one state of a file from another: its size and modification time (ns). A file
    cut into parts (ingest/parts.py) is read only while its stamp is the one it was cut with."""
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def changed_since_cut(path: Path, cut_stamp: tuple[int, int] | None) -> str | None:
    """Why a part of ``path`` cut when its stamp was ``cut_stamp`` must not be read now, or None."""
    if cut_stamp is None:
        return None
    try:
        now = stamp(path)
    except OSError as exc:
        return f"cannot read ({exc.strerror or exc})"
    if now == cut_stamp:
        return None
    return (f"the file changed after it was cut into parts to read ({cut_stamp[0]:,} bytes then, {now[0]:,} "
            "now): these bytes were not read; ingest it again")


def format_of(path: Path) -> str | None:
    """The input format named by a file's suffix (``.gz`` looked through), or None."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
        if not suffixes:
            return "text"
    return _SUFFIXES.get(suffixes[-1]) if suffixes else None


def read_capped(path: Path, max_bytes: int) -> bytes:
    """Read a whole file (gzip transparently) or raise :class:`InputError` with the reason."""
    try:
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as fh:
                data = fh.read(max_bytes + 1)
        else:
            if path.stat().st_size > max_bytes:
                raise InputError(f"larger than the {max_bytes:,}-byte cap")
            data = path.read_bytes()
    except EOFError:
        raise InputError("truncated gzip file (compressed stream ends early)") from None
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise InputError(f"corrupt gzip file ({exc})") from None
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise InputError(f"larger than the {max_bytes:,}-byte cap")
    return data


def _not_a_file(path: Path) -> str:
    """Why an entry that is neither a folder nor a regular file is not read. Opening a FIFO
    would block the run until something writes to it; a device could be endless."""
    if path.is_symlink() and not path.exists():
        return "broken symbolic link (its target does not exist); not read"
    return "not a regular file (a FIFO, socket or device); not read"


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def _sniff(path: Path) -> str | None:
    """Guess the format of a file whose name does not say it, from its first bytes."""
    try:
        opener = gzip.open if path.suffix.lower() == ".gz" else open
        with opener(path, "rb") as fh:
            head = fh.read(2048)
    except (OSError, EOFError, zlib.error):
        return "text"  # let the text reader report the real problem
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"warc/"):
        return "warc"
    if start.startswith(b"{"):
        return "jsonl"
    if b"<rss" in start or b"<feed" in start or b"<rdf:rdf" in start:
        return "feed"
    if start.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"
