"""Big input files cut into parts that several readers read side by side (the Ray engine's
reader pool, run/ray_read.py). Each part numbers its lines or records as the whole file does,
so a problem names the same place whoever reads it, and reading the parts one after another
gives exactly what one reader of the whole file gives (tests/ingest/test_file_parts.py).

What is cut: JSONL (plain, at line starts; gzip, at line starts of the decompressed stream,
read through an index) and WARC (plain or one gzip member a record, at record starts). Other
files, small files, files that cannot be read to their end, and files written to while they
are cut are read whole. A part of a file changed after its cut is not read but reported
(files.changed_since_cut). A file none of whose parts holds anything is reported as one reader
reports it (:func:`nothing_found`: the parts cannot know it of each other)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from storyline.ingest.files import InputFile, stamp
from storyline.ingest.jsonl import LinePart, gzip_line_parts, line_parts, part_count
from storyline.ingest.warc import RecordPart, record_parts
from storyline.records import Problem

Part = LinePart | RecordPart
CUT_FORMATS = ("jsonl", "warc")  # the formats :func:`cut` may cut


@dataclass(frozen=True, slots=True)
class Cut:
    """A file's parts, in order ([]: read it whole), and what each part's reader needs besides
    its part: the index a part of a gzip JSONL file seeks by (shared by all its parts)."""

    parts: list[Part] = field(default_factory=list)
    index: bytes | None = None


def cut(file: InputFile, part_bytes: int) -> Cut:
    """``file`` cut into parts of about ``part_bytes`` (module docstring). A pass over the file
    (decompressing it, if compressed) on the caller; none for a file read whole by its size."""
    path = Path(file.path)
    try:
        before = stamp(path)
        if file.format == "jsonl" and path.suffix.lower() == ".gz":
            found = Cut(*gzip_line_parts(path, part_bytes))
        elif file.format == "jsonl":
            found = Cut(line_parts(path, part_bytes))
        elif file.format == "warc":
            found = Cut(record_parts(path, part_bytes))
        else:
            return Cut()
        if not found.parts or stamp(path) != before:
            return Cut()  # nothing to cut, or written to while it was cut: read whole
    except OSError:
        return Cut()  # read whole, by the reader that reports why it cannot be read
    # Each part carries the stamp it was cut at: its reader reads it only if the file still has it.
    return Cut([replace(part, stamp=before) for part in found.parts], found.index)


def expected_parts(file: InputFile, part_bytes: int) -> int:
    """About how many parts :func:`cut` makes of ``file``, by its size only (no pass): a hint
    for sizing a reader pool."""
    path = Path(file.path)
    try:
        if file.format == "jsonl":
            return part_count(path, part_bytes)
        if file.format == "warc" and part_bytes > 0:
            return max(1, -(-path.stat().st_size // part_bytes))
    except OSError:
        pass
    return 1


def nothing_found(file: InputFile, found: Cut) -> Problem:
    """What one reader of the whole file reports when none of its parts gave anything (no
    article, link or problem): a JSONL file of blank lines, an archive without pages."""
    last = found.parts[-1]
    if isinstance(last, RecordPart):
        return Problem(str(file.path), f"no HTML or text pages found ({last.records_before + last.records} "
                                       "WARC records read)")
    return Problem(str(file.path), "empty input")
