"""WARC files (CC-News, web archives): each HTML response record is one page."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from storyline.ingest.files import changed_since_cut
from storyline.records import Problem, RawDocument

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(path: Path, *, max_bytes: int, part: RecordPart | None = None) -> Iterator[RawDocument | Problem]:
    """Yield HTML pages from ``response`` records (HTTP 2xx) and text/HTML ``resource`` records.

    Other records (warcinfo, request, metadata, redirects, images) are not articles and are
    passed over. A damaged or truncated archive keeps every record read before the damage.
    ``part`` (see :func:`record_parts`) reads only the records of one byte range, numbered as
    in the whole file; a part without pages is not reported (ingest/parts.py ``nothing_found``
    reports a file none of whose parts has any).
    """
    source = str(path)
    number = part.records_before if part else 0
    end = part.start if part else 0  # file offset where the last whole record ends
    found = False  # any page (or problem with one): a file with none is reported, not passed over
    if part and (changed := changed_since_cut(path, part.stamp)):
        yield Problem(source, changed, f"bytes {part.start}-{part.end}")
        return
    try:
        with open(path, "rb") as fh:
            if part:
                fh.seek(part.start)
            records = ArchiveIterator(fh)
            for record in records:
                number += 1
                where = f"record {number}"
                doc = _page(record, source, where, max_bytes)
                # warcio ends a record quietly where the file ends, so a cut-off page would
                # pass as a whole one: a record left short of its Content-Length, or whose
                # header was cut before its length was stated, is refused.
                records.read_to_end()
                if getattr(record.raw_stream, "limit", 0) > 0:
                    yield Problem(source, "truncated WARC file (the file ends inside this record)", where)
                    return
                headers = record.rec_headers
                declared = headers.get_header("Content-Length") or headers.get_header("length") or ""
                if not declared.strip().isdigit():
                    yield Problem(source, "damaged or truncated WARC file (no valid length in the "
                                          "record header)", where)
                    return
                end = sum(records.member_info or (end, 0))
                if doc is not None:
                    found = True
                    yield doc
                if part and number >= part.records_before + part.records:
                    break  # by count: in a plain file a record's end as warcio gives it stops
                    # short of the blank lines before the next one
            if part and part.end < os.fstat(fh.fileno()).st_size:
                return  # what follows is the next part's
            # A file cut inside a record's headers also ends the iteration quietly: anything
            # but blank lines left after the last whole record means records were lost.
            fh.seek(end)
            if fh.read(64).strip():
                yield Problem(source, "damaged or truncated WARC file (data after the last whole "
                                      "record could not be read)", f"after record {number}")
            elif not found and part is None:
                yield Problem(source, f"no HTML or text pages found ({number} WARC records read)")
    except ArchiveLoadFailed as exc:
        yield Problem(source, f"not a readable WARC file ({exc.msg if hasattr(exc, 'msg') else exc})",
                      f"record {number + 1}")
    except (EOFError, OSError, ValueError, AttributeError) as exc:
        # warcio raises AttributeError (not EOFError) on a stream that ends inside a record header.
        detail = "a record header is cut off" if isinstance(exc, AttributeError) else exc or type(exc).__name__
        yield Problem(source, f"damaged or truncated WARC file ({detail})", f"after record {number}")


@dataclass(frozen=True, slots=True)
class RecordPart:
    """Bytes ``start``..``end`` of a WARC file: ``records`` whole records (each its own gzip
    member, in a compressed file), ``records_before`` of them before; ``stamp``: the file's when
    it was cut (set by parts.cut; a part of a file changed since is not read, but reported)."""

    start: int
    end: int
    records_before: int
    records: int
    stamp: tuple[int, int] | None = None


def record_parts(path: Path, part_bytes: int) -> list[RecordPart]:
    """A WARC file cut into parts of about ``part_bytes`` of the file (compressed bytes, for a
    ``.warc.gz``: a part then holds about four times as much HTML) at record starts, with the
    records before each counted, so that several readers read one big archive side by side and
    number its records as one (run/ray_read.py). One pass on the caller, through the records'
    headers (warcio, ``no_record_parse``; a compressed file is decompressed once).

    No part ([]) for a file of at most ``part_bytes``, for a compressed one whose records are
    not each their own gzip member (one stream is read from its start; the WARC standard and
    every crawler write a member a record), or for one that cannot be read to its end: one
    reader reads it whole and reports where it broke. Only records that state a
    ``Content-Length`` are cut between (an ARC file's ``length`` is read whole)."""
    size = path.stat().st_size
    if part_bytes <= 0 or size <= part_bytes:
        return []
    parts: list[RecordPart] = []
    start = records_before = number = 0
    last = -1  # the offset of the record before
    target = part_bytes
    try:
        with open(path, "rb") as fh:
            records = ArchiveIterator(fh, no_record_parse=True)
            for record in records:
                records.read_to_end()
                if getattr(record.raw_stream, "limit", 0) > 0 or records.member_info is None:
                    return []  # cut off inside a record
                declared = record.rec_headers.get_header("Content-Length") or ""
                if not declared.strip().isdigit():
                    return []  # where read_warc stops reading: so must the parts
                offset = records.member_info[0]
                if offset <= last:
                    return []  # records inside one gzip member share its offset
                last = offset
                if offset >= target and offset > start:
                    parts.append(RecordPart(start, offset, records_before, number - records_before))
                    start, records_before, target = offset, number, offset + part_bytes
                number += 1
    except (ArchiveLoadFailed, EOFError, OSError, ValueError, AttributeError):
        return []
    if not parts:
        return []
    parts.append(RecordPart(start, size, records_before, number - records_before))
    return parts


def _page(record, source: str, where: str, max_bytes: int) -> RawDocument | Problem | None:
    if record.rec_type == "response":
        if record.http_headers is None:
            return None
        status = record.http_headers.get_statuscode() or ""
        ctype = (record.http_headers.get_header("Content-Type") or "").lower()
    elif record.rec_type == "resource":
        status = "200"
        ctype = (record.rec_headers.get_header("Content-Type") or "").lower()
    else:
        return None
    if not status.startswith("2"):
        return None
    media_type = "text/html" if ctype.startswith(_HTML_TYPES) else (
        "text/plain" if ctype.startswith("text/plain") else None
    )
    if media_type is None:
        return None
    data = record.content_stream().read(max_bytes + 1)
    if len(data) > max_bytes:
        return Problem(source, f"record larger than the {max_bytes:,}-byte cap", where)
    meta = {"url": record.rec_headers.get_header("WARC-Target-URI") or ""}
    return RawDocument(source, media_type, data, where, {k: v for k, v in meta.items() if v})
